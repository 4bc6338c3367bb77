"""The HTML report in a real browser: headless Chromium (Debian's package) loads the saved sample
report and a test checks its DOM (findings, marks, links, filters, keys, that no raw value is in
the page); the screenshot saved in reports/ must show the current page. Without chromium the
browser tests are skipped here and fail in CI, which installs it (.ci/run)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactaudit.audit import ScanOptions, audit, load_ruleset
from redactaudit.cli import app
from redactaudit.config import Config
from redactaudit.model import Kind
from redactaudit.reporting.common import ranked_documents, rows
from tests.chromium import Browser, find, png_size, png_text
from tests.test_terminal import require

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "reports" / "samples.html"


def run(*args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def raw_values() -> list[str]:
    """Every leak in the samples' hand labels, and what partial masks keep, as written."""
    gold = json.loads((ROOT / "samples" / "gold.json").read_text(encoding="utf-8"))
    values = {s["text"] for doc in gold.values() for s in doc["spans"]
              if (s["kind"] == "leak" and len(s["text"]) >= 3) or (s["kind"] == "placeholder" and any(
                  c.isdigit() for c in s["text"]))}
    return sorted(values)


@pytest.fixture(scope="module")
def browser():
    require(os.path.basename(find() or "chromium"))
    with Browser(width=1280, height=900) as b:
        yield b


@pytest.fixture(scope="module")
def samples():
    os.environ.pop("REDACTAUDIT_KEY", None)
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        config = Config()
        return audit(["samples/docs/"], load_ruleset(config), config, ScanOptions())
    finally:
        os.chdir(old)


def test_the_page_holds_no_raw_value_and_fetches_nothing():
    page = PAGE.read_text(encoding="utf-8")
    values = raw_values()
    assert len(values) == 17
    for value in values:
        assert value not in page, value
    assert "http://" not in page and "https://" not in page and " src=" not in page


def test_the_saved_screenshot_shows_the_current_page():
    png = (ROOT / "reports" / "samples.html.png").read_bytes()
    assert png_text(png)["redactaudit-page-sha256"] == hashlib.sha256(PAGE.read_bytes()).hexdigest(), \
        "reports/samples.html.png is stale: run python tools/make_reports.py --screenshots"
    assert png_size(png) == (1280, 900)


def test_browser_shows_every_finding_ranked_with_its_mark(browser, samples):
    browser.open(PAGE)
    expected = [[doc.document.path, [(f"{r.finding.line}:{r.finding.column}", r.finding.severity.value,
                                      r.finding.category) for r in rows(doc)]] for doc in ranked_documents(samples)]
    shown = browser.evaluate("""[...document.querySelectorAll('section.doc')].map(s => [
        s.querySelector('h2').textContent,
        [...s.querySelectorAll('ol.findings li')].map(li => [li.querySelector('a.to-mark').textContent,
                                                             li.dataset.sev, li.dataset.cat])])""")
    assert shown == [[p, [list(r) for r in rs]] for p, rs in expected]
    all_rows = [r for doc in ranked_documents(samples) for r in rows(doc)]
    masks = sum(1 for r in all_rows if any(m.kind is Kind.PLACEHOLDER for m in (r.finding, *r.also)))
    assert browser.evaluate("document.querySelectorAll('pre.text .m.mask').length") == masks == 32
    assert browser.evaluate("document.querySelectorAll('pre.text .m.leak').length") == len(all_rows) - masks == 16
    # Every mark is red or shaded with its category; masks show their width.
    assert browser.evaluate("[...document.querySelectorAll('.m.mask')].every(m => m.dataset.width > 0)")
    assert browser.evaluate("getComputedStyle(document.querySelector('.m.leak.sev-error')).color") == "rgb(192, 57, 43)"


def test_every_link_leads_somewhere_and_inconsistencies_link_their_spans(browser):
    browser.open(PAGE)
    assert browser.evaluate("""[...document.querySelectorAll('a[href^="#"]')]
        .filter(a => !document.getElementById(a.getAttribute('href').slice(1))).length""") == 0
    assert browser.evaluate("document.querySelectorAll('a[href]').length") == 83
    related = browser.evaluate("""[...document.querySelectorAll('li[data-kind=inconsistency], li[data-related]')]
        .filter(li => li.dataset.related).map(li => li.dataset.related.split(' ')
        .every(id => document.getElementById(id) && document.getElementById(id).classList.contains('m')))""")
    assert len(related) == 11 and all(related)
    assert browser.evaluate("performance.getEntriesByType('resource').length") == 0
    text = browser.evaluate("document.body.innerText")
    for value in raw_values():
        assert value not in text


def test_filters_keys_and_sorting(browser):
    browser.open(PAGE)
    total = browser.evaluate("document.querySelectorAll('ol.findings li').length")
    info = browser.evaluate("document.querySelectorAll('ol.findings li[data-sev=info]').length")
    assert (total, info) == (48, 28)
    browser.evaluate("document.querySelector('input.f-sev[value=info]').click()")
    assert browser.evaluate("document.querySelectorAll('ol.findings li:not(.hidden)').length") == total - info
    assert browser.evaluate("document.getElementById('shown-count').textContent") == str(total - info)
    assert browser.evaluate("document.querySelectorAll('.m.dim').length") == info
    browser.evaluate("document.querySelector('input.f-cat[value=person]').click()")
    assert browser.evaluate("[...document.querySelectorAll('ol.findings li:not(.hidden)')]"
                            ".every(li => li.dataset.cat !== 'person' && li.dataset.sev !== 'info')")
    browser.open(PAGE)
    browser.key("j")
    assert browser.evaluate("location.hash") == "#d0-f0"
    browser.key("j")
    assert browser.evaluate("[location.hash, document.querySelector('.m.current').id]") == ["#d0-f1", "d0-m3"]
    browser.key("k")
    assert browser.evaluate("location.hash") == "#d0-f0"
    browser.key("n")
    browser.key("n")
    assert browser.evaluate("location.hash") == "#d1"
    browser.key("?")
    assert browser.evaluate("document.getElementById('help').classList.contains('shown')")
    browser.evaluate("document.querySelectorAll('table.index th')[7].click()")  # characters, descending
    assert browser.evaluate("[...document.querySelectorAll('table.index tbody td:last-child')]"
                            ".map(td => +td.dataset.v)") == [459, 263, 238, 179]
    png = browser.screenshot()
    assert png_size(png) == (1280, 900)


def test_near_copies_side_by_side_with_their_differences(browser, tmp_path):
    body = "\n".join([
        "关于{place}县近期查处的违规问题的通报", "各乡镇党委、县直各单位：",
        "一、{place}县水利局干部违规收受礼金问题。该干部利用职务便利，先后多次收受他人所送礼金，受到政务记过处分。",
        "二、县直单位干部公款吃喝问题。该干部多次组织公款宴请，受到通报批评。",
        "三、村党支部书记违规发放补贴问题。该同志已退缴违规所得，受到党内警告处分。",
        "全体干部职工务必主动担当作为，坚持实事求是，推动工作落细落实，久久为功纠治四风。",
        "全县党员干部要以案为鉴、警钟长鸣，严格落实中央八项规定精神。"]) + "\n"
    (tmp_path / "a.txt").write_text(body.format(place="**"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(body.format(place="田阳"), encoding="utf-8")
    res = run("scan", ".", "-f", "html", "-o", "r.html", cwd=tmp_path)
    assert res.exit_code == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "田阳" not in page
    browser.open(tmp_path / "r.html")
    cells = browser.evaluate("""[...document.querySelectorAll('#copies table.copy tr')].map(tr =>
        [...tr.cells].map(td => td.innerHTML))""")
    assert cells == [
        ["关于<del>**</del>县近期查处的违规问题的通报", "关于<ins>⟨place⟩</ins>县近期查处的违规问题的通报"],
        ["1 identical line"],
        ["一、<del>**</del>县水利局干部违规收受礼金问题。该干部利用职务便利，先后多次收受他人所送礼金，受到政务记过处分。",
         "一、<ins>⟨place⟩</ins>县水利局干部违规收受礼金问题。该干部利用职务便利，先后多次收受他人所送礼金，受到政务记过处分。"],
        ["4 identical lines"]]
    # Each copy links the other and the side-by-side view.
    assert browser.evaluate("[...document.querySelectorAll('section.doc p.meta a')].map(a => a.getAttribute('href'))"
                            ) == ["#d1", "#copies", "#d0", "#copies"]


def test_a_redaction_report_shows_before_and_after(browser, tmp_path):
    (tmp_path / "a.txt").write_text("关于XX县的通报\n**镇干部刘建华违规，联系电话13912345678。\n", encoding="utf-8")
    res = run("redact", "a.txt", "--dry-run", "--report", "r.html", cwd=tmp_path)
    assert res.exit_code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "刘建华" not in page and "13912345678" not in page
    browser.open(tmp_path / "r.html")
    assert browser.evaluate("[...document.querySelectorAll('td.before del')].map(d => d.textContent)") == [
        "**", "⟨person⟩", "⟨phone⟩"]
    assert browser.evaluate("[...document.querySelectorAll('td.after ins')].map(d => d.textContent)") == [
        "XX", "某某", "[电话]"]
