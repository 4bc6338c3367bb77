"""CI outputs within their platforms' limits: SARIF (GitHub code scanning), GitHub annotations and
the markdown job summary, on a generated repository of 30,000 findings and on small documents."""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from redactaudit.cli import app

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
PHONES, HOTLINES, FILES = 200, 100, 100  # per file, per file, files: 20,000 errors and 10,000 notes


def run(*args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """100 files, each with 200 mobile numbers (40 values, each 5 times: the same value more than
    once in a file), 100 hotlines (info) and two masks: 30,000 findings and 200 masks."""
    root = tmp_path_factory.mktemp("repo")
    for i in range(FILES):
        lines = ["关于XX县的通报", "刚才，**同志通报了情况。"]
        lines += [f"值班手机1391234{k % 40:04d}。" for k in range(PHONES)]
        lines += [f"服务热线400-860-{8600 + k % 10:04d}。" for k in range(HOTLINES)]
        (root / f"doc{i:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def sarif(repo: Path) -> dict:
    res = run("scan", ".", "-f", "sarif", cwd=repo)
    assert res.exit_code == 1
    return json.loads(res.stdout)


def test_sarif_of_30000_findings_validates_and_keeps_within_25000_results(sarif, repo):
    jsonschema.validate(sarif, SCHEMA)
    [run_] = sarif["runs"]
    results = run_["results"]
    assert len(results) == 25_000
    # Most severe first: every error is kept, the notes past the limit are left out, and the run says so.
    assert [r["level"] for r in results] == ["error"] * 20_000 + ["note"] * 5_000
    assert run_["properties"]["redactaudit/left-out"] == {
        "results": 5_000, "limit": 25_000, "by_level": {"note": 5_000}, "by_rule": {"identifiers.hotline": 5_000}}
    assert run_["properties"]["redactaudit/masks-left-out"] == 200
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert [(n["level"], n["message"]["text"]) for n in notes] == [
        ("warning", "5000 results left out (5000 note): a run holds at most 25000 (GitHub code scanning's limit); "
                    "the least severe were dropped. The JSON report has every finding."),
        ("note", "200 existing masks not reported as results (they are no alert); --include-masks reports them.")]


def test_sarif_is_written_as_json_indents_it_byte_for_byte():
    from redactaudit.model import Kind
    from redactaudit.reporting.common import indented_json

    values = [{}, [], "", (), {"a": [], "b": {}, "c": [[], {}]}, Kind.LEAK, {"k": Kind.LEAK, Kind.PLACEHOLDER: (1, [2.5])},
              {1: 2, 2.5: 1, True: 0, False: [], None: "x"}, [float("nan"), float("inf"), -float("inf"), 0.1, -0.0, 1e100],
              {"é\u2028\x00\"\\": "λ\ud800 ⟨person⟩"}, 12345678901234567890, True, None,
              {"runs": [{"results": [{"message": {"text": "x"}, "rank": 90.0, "properties": {"width": None}}]}]}]
    for value in values:
        assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)
    for bad in ({"a": object()}, {(1,): 2}):
        with pytest.raises(TypeError):
            indented_json(bad)


def test_sarif_fingerprints_are_unique_within_the_run(sarif):
    results = sarif["runs"][0]["results"]
    prints = [r["partialFingerprints"]["redactaudit/content/v2"] for r in results]
    assert len(set(prints)) == len(prints)
    # The same value five times in a file: one content fingerprint, occurrences 1 to 5.
    first = results[0]["properties"]["fingerprint"]
    same = sorted(p for p in prints if p.startswith(first + ":"))
    assert same == [f"{first}:{n}" for n in range(1, 6)]


def test_sarif_uris_are_relative_to_the_scan_folder_even_for_an_absolute_path(repo):
    sarif = json.loads(run("scan", str(repo / "doc000.txt"), "-f", "sarif", cwd=repo).stdout)
    jsonschema.validate(sarif, SCHEMA)
    run_ = sarif["runs"][0]
    assert run_["originalUriBaseIds"] == {"%SRCROOT%": {
        "uri": repo.resolve().as_uri() + "/", "description": {"text": "The folder the scan ran in; paths under it are relative."}}}
    assert {json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"]) for r in run_["results"]} == {
        '{"uri": "doc000.txt", "uriBaseId": "%SRCROOT%"}'}


def test_sarif_rules_carry_security_severity_and_tags(repo):
    sarif = json.loads(run("scan", "doc000.txt", "-f", "sarif", "--include-masks", cwd=repo).stdout)
    rules = {r["id"]: r["properties"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules == {
        "identifiers.cn-mobile": {"tags": ["security", "privacy", "leak", "phone"], "security-severity": "8.0",
                                  "precision": "high"},
        "identifiers.hotline": {"tags": ["security", "privacy", "leak", "hotline"], "security-severity": "2.0",
                                "precision": "high"},
        "placeholders.asterisk": {"tags": ["security", "privacy", "placeholder", "person"],
                                  "security-severity": "2.0", "precision": "high"},
        "placeholders.x-run": {"tags": ["security", "privacy", "placeholder", "place"], "security-severity": "2.0",
                               "precision": "high"}}
    assert len(sarif["runs"][0]["results"]) == PHONES + HOTLINES + 2


def test_sarif_rule_help_reads_as_sentences(repo):
    sarif = json.loads(run("scan", "doc000.txt", "-f", "sarif", cwd=repo).stdout)
    helps = {r["id"]: r["help"]["text"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert helps["identifiers.cn-mobile"] == ("未遮蔽的手机号 / unmasked mobile number. Mask the value with the project's one "
                                              "style and width, or add it to the allowlist or baseline if it is public.")


def test_github_annotations_most_severe_first_ten_per_type_with_a_note(tmp_path):
    lines = [f"值班手机1391234{k:04d}。" for k in range(12)] + ["热线400-860-8608。", "**同志、***同志出席。"]
    (tmp_path / "a.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run("scan", "a.txt", "-f", "github", cwd=tmp_path).stdout.splitlines()
    kinds = [line.split(" ", 1)[0] for line in out]
    assert kinds == ["::error"] * 10 + ["::warning", "::notice"]
    assert out[0].startswith("::error file=a.txt,line=1,col=5,")
    assert out[9] == ("::error title=redactaudit%3A 3 more errors::3 more error annotations are not shown (GitHub "
                      "shows 10 of each type per step); the SARIF or JSON report lists every finding.")
    assert out[10].startswith("::warning file=a.txt,line=14,col=1,") and "consistency.mask-length" in out[10]
    assert out[11].startswith("::notice file=a.txt,line=13,col=3,") and "identifiers.hotline" in out[11]
    masks = run("scan", "a.txt", "-f", "github", "--include-masks", cwd=tmp_path).stdout
    assert "placeholders.asterisk" in masks


def _rendered(markdown: str) -> str:
    """The text a reader sees: markdown rendered by a CommonMark renderer (with GFM tables)."""
    page = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_markdown_rendered_by_commonmark_keeps_every_mask_visible(tmp_path):
    (tmp_path / "docs").mkdir()
    for doc in (ROOT / "samples" / "docs").rglob("*.txt"):
        (tmp_path / "docs" / doc.name).write_bytes(doc.read_bytes())
    (tmp_path / "docs" / "widths.txt").write_text("刚才，**同志通报了情况，***同志作了部署。`*`号_下划线_|竖线。\n",
                                                  encoding="utf-8")
    report = json.loads(run("scan", "docs", "-f", "json", cwd=tmp_path).stdout)
    markdown = run("scan", "docs", "-f", "markdown", "--min-severity", "info", cwd=tmp_path).stdout
    page = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "<em>" not in page and page.count("<strong>") == 1  # only the verdict is bold
    shown = _rendered(markdown)
    masks = [f for f in report["findings"] if f["kind"] == "placeholder" or f["rule"] == "consistency.mask-length"]
    assert len(masks) == 36
    for f in masks:
        assert f["excerpt"] in shown, f["excerpt"]
    assert "刚才，**同志通报了情况，***同志作了部署。`*`号_下划线_|竖线。" in shown


def test_markdown_escapes_what_it_prints(tmp_path):
    (tmp_path / "a_*b*.txt").write_text("刚才，**同志通报了情况，***同志作了部署。\n", encoding="utf-8")
    markdown = run("scan", ".", "-f", "markdown", cwd=tmp_path).stdout
    assert "### `./a_*b*.txt`\n\n1 warning; 2 existing masks (person asterisk×2)\n" in markdown
    assert "| `consistency.mask-length` | `刚才，**同志通报了情况，***同志作了部署。…` |" in markdown
    shown = _rendered(markdown)
    assert "./a_*b*.txt" in shown and "刚才，**同志通报了情况，***同志作了部署。…" in shown


def test_markdown_stays_under_one_mebibyte_and_says_what_it_left_out(repo):
    markdown = run("scan", ".", "-f", "markdown", cwd=repo).stdout
    size = len(markdown.encode("utf-8"))
    assert 1_000_000 < size <= 1024 * 1024
    tail = markdown.rstrip("\n").rsplit("\n", 1)[-1]
    assert re.fullmatch(r"\*\*(\d+) more findings in (\d+) documents are not listed\*\*: a job summary holds "
                        r"1024 KiB\. The JSON or SARIF report lists every finding\.", tail), tail
    listed = markdown.count("\n### ")
    left = int(re.search(r"in (\d+) documents are not listed", tail).group(1))
    assert listed + left == FILES


def test_masks_reach_sarif_and_github_only_with_include_masks(tmp_path):
    (tmp_path / "a.txt").write_text("刚才，**同志通报了情况，***同志作了部署。\n", encoding="utf-8")
    for args, masks in (((), 0), (("-v",), 0), (("--min-severity", "info"), 0), (("--include-masks",), 2)):
        sarif = json.loads(run("scan", "a.txt", "-f", "sarif", *args, cwd=tmp_path).stdout)
        rules = [r["ruleId"] for r in sarif["runs"][0]["results"]]
        assert rules.count("placeholders.asterisk") == masks, args
        github = run("scan", "a.txt", "-f", "github", *args, cwd=tmp_path).stdout
        assert github.count("title=placeholders.asterisk") == masks, args
