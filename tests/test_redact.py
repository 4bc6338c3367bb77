"""redact as a user runs it before publication: outputs, safety, exit codes, and what it prints."""

from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactaudit.audit import RedactOptions, load_ruleset, redact
from redactaudit.cli import app
from redactaudit.config import Config
from redactaudit.policy import PolicyError, load_policy, parse_policy

NOTICE = "关于XX县问题的通报\n**镇干部刘建华违规收受礼金1.8万元，联系电话13912345678。\n刘建华同志已退缴违规所得。\n"
SECRETS = ["刘建华", "13912345678", "1.8"]


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "notice.txt").write_text(NOTICE, encoding="utf-8")
    (src / "sub" / "gbk.txt").write_bytes(NOTICE.replace("\n", "\r\n").encode("gbk"))
    (src / "sub" / "bom.txt").write_bytes(codecs.BOM_UTF8 + NOTICE.encode("utf-8"))
    (src / "sub" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    os.chmod(src / "notice.txt", 0o640)
    return src


def test_out_mirrors_the_tree_and_keeps_bytes_that_matter(tree, tmp_path):
    out = tmp_path / "published"
    res = run("redact", str(tree), "--out", str(out))
    assert res.exit_code == 0, res.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "notice.txt", "sub/bom.txt", "sub/gbk.txt", "sub/image.png"]
    expected = "关于XX县问题的通报\nXX镇干部某某违规收受礼金*万元，联系电话[电话]。\n某某同志已退缴违规所得。\n"
    assert (out / "notice.txt").read_text(encoding="utf-8") == expected
    assert (out / "sub" / "gbk.txt").read_bytes() == expected.replace("\n", "\r\n").encode("gbk")
    assert (out / "sub" / "bom.txt").read_bytes() == codecs.BOM_UTF8 + expected.encode("utf-8")
    assert (out / "sub" / "image.png").read_bytes() == (tree / "sub" / "image.png").read_bytes()
    assert oct((out / "notice.txt").stat().st_mode & 0o777) == oct(0o640)
    assert (tree / "notice.txt").read_text(encoding="utf-8") == NOTICE  # the input is untouched


def test_redacting_twice_changes_nothing(tree, tmp_path):
    assert run("redact", str(tree), "--out", str(tmp_path / "a")).exit_code == 0
    assert run("redact", str(tmp_path / "a"), "--out", str(tmp_path / "b")).exit_code == 0
    for p in (tmp_path / "a").rglob("*.txt"):
        assert (tmp_path / "b" / p.relative_to(tmp_path / "a")).read_bytes() == p.read_bytes()


def test_refuses_unsafe_or_unclear_targets(tree, tmp_path):
    assert run("redact", str(tree), "--out", str(tree / "inside")).exit_code == 2
    assert run("redact", str(tree), "--out", str(tmp_path)).exit_code == 2  # the input is inside the output
    assert run("redact", str(tree)).exit_code == 2
    assert run("redact", str(tree), "--out", str(tmp_path / "x"), "--in-place").exit_code == 2
    assert run("redact", str(tree), "--policy", "no-such-policy", "--dry-run").exit_code == 2
    assert not (tree / "inside").exists()


def test_in_place_keeps_a_backup(tree):
    assert run("redact", str(tree / "notice.txt"), "--in-place", "--log", str(tree.parent / "log.json")).exit_code == 0
    assert (tree / ".redactaudit-backup" / "notice.txt").read_text(encoding="utf-8") == NOTICE
    assert "刘建华" not in (tree / "notice.txt").read_text(encoding="utf-8")
    assert run("redact", str(tree / "notice.txt"), "--in-place", "--no-backup",
               "--log", str(tree.parent / "log2.json")).exit_code == 0
    assert (tree / ".redactaudit-backup" / "notice.txt").read_text(encoding="utf-8") == NOTICE


def test_dry_run_diff_writes_nothing_and_masks_values(tree, tmp_path):
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    res = run("redact", str(tree / "notice.txt"), "--dry-run", "--diff")
    assert res.exit_code == 0
    assert {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()} == before
    path = str(tree / "notice.txt")
    assert res.stdout == (
        f"--- {path}\n+++ {path}\n"
        "@@ -2 +2 @@ [-**-]{+XX+}镇干部[-⟨person⟩-]{+某某+}违规收受礼金[-⟨money⟩-]{+*+}万元，联系电话[-⟨phone⟩-]{+[电话]+}。\n"
        "@@ -3 +3 @@ [-⟨person⟩-]{+某某+}同志已退缴违规所…\n")
    for secret in SECRETS:
        assert secret not in res.stdout + res.stderr
    shown = run("redact", str(tree / "notice.txt"), "--dry-run", "--diff", "--show-values").stdout
    assert "[-刘建华-]{+某某+}" in shown


def test_diff_marks_the_change_inside_a_long_line_with_a_few_characters_around_it(tmp_path):
    # A one-character edit in a paragraph: the paragraph is not printed twice.
    filler = "全体干部职工务必主动担当作为，坚持实事求是，推动工作落细落实。" * 4
    (tmp_path / "a.txt").write_text(f"关于XX县的通报\n{filler}联系电话13912345678。{filler}\n", encoding="utf-8")
    res = run("redact", str(tmp_path / "a.txt"), "--dry-run", "--diff")
    assert res.exit_code == 0
    path = str(tmp_path / "a.txt")
    assert res.stdout == f"--- {path}\n+++ {path}\n@@ -2 +2 @@ …细落实。联系电话[-⟨phone⟩-]{{+[电话]+}}。全体干部职工务…\n"


def test_diff_shows_a_partial_mask_only_as_its_shape(tmp_path):
    # A partial mask keeps digits of the value: reports show its shape, and so does the diff.
    (tmp_path / "a.txt").write_text("关于XX县的通报\n举报电话：0771-****764。\n", encoding="utf-8")
    res = run("redact", str(tmp_path / "a.txt"), "--dry-run", "--diff")
    assert res.exit_code == 0
    assert "[-####-****###-]{+[电话]+}" in res.stdout
    assert "0771" not in res.stdout and "764" not in res.stdout


def test_audit_log_lists_edits_without_values(tree, tmp_path):
    log = tmp_path / "log.json"
    assert run("redact", str(tree / "notice.txt"), "--out", str(tmp_path / "o"), "--log", str(log)).exit_code == 0
    text = log.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [r["event"] for r in lines] == ["start", "written", "end"]
    record = lines[1]
    assert [(e["line"], e["column"], e["category"], e["action"]) for e in record["edits"]] == [
        (2, 1, "place", "mask"), (2, 6, "person", "mask"), (2, 15, "money", "mask"), (2, 25, "phone", "mask"),
        (3, 1, "person", "mask")]  # the title's XX is the policy's place token already: no edit
    # Each edit names the finding it redacts by the fingerprint the scan's report gives it.
    scanned = json.loads(run("scan", str(tree / "notice.txt"), "-f", "json").stdout)
    assert {e["fingerprint"] for e in record["edits"]} <= {f["fingerprint"] for f in scanned["findings"]}


def test_a_leak_left_behind_is_exit_1(tree, tmp_path):
    # A policy whose token is itself a name: the re-scan of the output finds a person again.
    policy = tmp_path / "bad-token.yaml"
    policy.write_text("policy: bad-token\ncategories:\n  person: {action: mask, token: 王小明}\n"
                      "  unknown: {action: mask, token: XX}\n", encoding="utf-8")
    res = run("redact", str(tree / "notice.txt"), "--policy", str(policy), "--out", str(tmp_path / "o"))
    assert res.exit_code == 1
    assert "still there after redaction" in res.stderr and "person" in res.stderr


def test_what_the_policy_keeps_is_not_left_behind(tree, tmp_path):
    policy = tmp_path / "keep-names.yaml"
    policy.write_text("policy: keep-names\ncategories:\n  person: {action: keep}\n  unknown: {action: mask, token: XX}\n",
                      encoding="utf-8")
    res = run("redact", str(tree / "notice.txt"), "--policy", str(policy), "--out", str(tmp_path / "o"))
    assert res.exit_code == 0 and "刘建华" in (tmp_path / "o" / "notice.txt").read_text(encoding="utf-8")


def test_policy_files_are_checked():
    with pytest.raises(PolicyError, match="action must be one of"):
        parse_policy("policy: p\ncategories:\n  person: {action: shred}\n", "p.yaml")
    with pytest.raises(PolicyError, match="unknown category 'colour'"):
        parse_policy("policy: p\ncategories:\n  colour: {action: keep}\n", "p.yaml")
    with pytest.raises(PolicyError, match="pseudonym needs a format"):
        parse_policy("policy: p\ncategories:\n  person: {action: pseudonym}\n", "p.yaml")


def test_corpus_scope_pseudonyms(tmp_path):
    (tmp_path / "a.txt").write_text("投诉人：潘玉兰，经办人：严洁。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("经办人：严洁。\n", encoding="utf-8")
    policy = parse_policy("policy: p\nscope: corpus\ncategories:\n  person: {action: pseudonym, format: '人员{letter}'}\n"
                          "  unknown: {action: mask, token: XX}\n", "p.yaml")
    result = redact([str(tmp_path)], load_ruleset(Config()), Config(), policy, RedactOptions(dry_run=True))
    texts = {Path(f.document.path).name: f.text for f in result.files}
    assert texts == {"a.txt": "投诉人：人员A，经办人：人员B。\n", "b.txt": "经办人：人员B。\n"}


def test_sigkill_mid_run_leaves_every_file_whole(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    originals = {}
    for i in range(400):
        text = f"第{i}号记录\n联系人：刘建华，手机139{i:08d}。\n" * 20
        (folder / f"r{i:03d}.txt").write_text(text, encoding="utf-8")
        originals[f"r{i:03d}.txt"] = text
    expected = {Path(f.document.path).name: f.text for f in redact(
        [str(folder)], load_ruleset(Config()), Config(), load_policy("zh-gov"), RedactOptions(dry_run=True)).files}
    proc = subprocess.Popen([sys.executable, "-m", "redactaudit", "redact", str(folder), "--in-place", "--no-backup",
                             "--log", str(tmp_path / "log.json")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if any((folder / name).read_text(encoding="utf-8") != text for name, text in list(originals.items())[:50]):
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    states = {"original": 0, "redacted": 0}
    for name, text in originals.items():
        now = (folder / name).read_text(encoding="utf-8")
        assert now in (text, expected[name]), f"{name} is half-written"
        states["original" if now == text else "redacted"] += 1
    assert states["redacted"] > 0


def test_a_long_repetitive_document_is_redacted_whole(tmp_path):
    # Regression: slot filling once looked up every mask's context through the whole text
    # (quadratic), and excerpts copied the rest of the findings list for every finding.
    doc = tmp_path / "long.txt"
    doc.write_text("**同志、***同志，手机13912345678，刘建华同志。" * 2000, encoding="utf-8")
    result = redact([str(doc)], load_ruleset(Config()), Config(), load_policy("zh-gov"), RedactOptions(dry_run=True))
    assert result.files[0].text == "某某同志、某某同志，手机[电话]，某某同志。" * 2000
    assert result.remaining == ()


def test_a_token_the_file_encoding_cannot_hold_is_written_as_its_english_token(tmp_path):
    # zh-gov's [电话] is simplified: Big5 has no 电, so a traditional-Chinese Big5 file was never
    # written ("the redacted text does not fit big5"). The category's English token fits any
    # encoding; the tokens that fit stay, and a second run changes nothing.
    trad = "關於某縣問題的通報\n聯絡人劉建華，聯絡電話13912345678，請於本週內回覆。\n劉建華同志已退繳違規所得。\n"
    src = tmp_path / "src"
    src.mkdir()
    (src / "big5.txt").write_bytes(trad.encode("big5"))
    res = run("redact", str(src), "--out", str(tmp_path / "a"))
    assert res.exit_code == 0, res.stderr
    expected = "關於XX縣問題的通報\n聯絡人某某，聯絡電話[PHONE]，請於本週內回覆。\n某某同志已退繳違規所得。\n"
    assert (tmp_path / "a" / "big5.txt").read_bytes() == expected.encode("big5")
    assert run("redact", str(tmp_path / "a"), "--out", str(tmp_path / "b")).exit_code == 0
    assert (tmp_path / "b" / "big5.txt").read_bytes() == expected.encode("big5")


def test_a_report_into_a_missing_folder_is_refused_before_anything_is_written(tree, tmp_path):
    # The copies were written, then the report failed: exit 2 with no summary and a log without its end.
    out, report = tmp_path / "published", tmp_path / "no-such-folder" / "r.html"
    res = run("redact", str(tree), "--out", str(out), "--report", str(report))
    assert res.exit_code == 2
    assert res.stderr == f"redactaudit: error: cannot write {report}: No such file or directory\n"
    assert not out.exists() and not (tmp_path / "published.redact-log.jsonl").exists()
    for args in (("scan", str(tree), "-f", "json", "-o", str(report)), ("baseline", "create", str(tree), "-o", str(report))):
        res = run(*args)
        assert res.exit_code == 2 and res.stderr == f"redactaudit: error: cannot write {report}: No such file or directory\n"


def test_the_redaction_benchmark_runs_on_the_samples():
    # README's `python bench/redact_check.py CORPUS` stopped at its import (decode_bytes was renamed)
    root = Path(__file__).resolve().parent.parent
    res = subprocess.run([sys.executable, str(root / "bench" / "redact_check.py"), str(root / "samples")],
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert "leaks at warning or above after redaction: 0" in lines
    assert "gold leak spans left unchanged: 0" in lines
    assert "second redaction changes nothing: True" in lines
    assert "encodings kept: True; line ends kept: True" in lines


@pytest.mark.parametrize("name, text, expected", [
    # Short Chinese notes with a few Latin words (a link, a product name): fewer than 10 Han
    # characters and more Latin letters than Han made them English ([NAME], [PHONE]).
    ("a.md", "# 通知\n联系人：王建国 13800138000\n详见 https://example.org/notice\n",
     "# 通知\n联系人：某某 \\[电话\\]\n详见 https://example.org/notice\n"),
    ("b.html", "<h1>通知</h1>\n<p>联系人：王建国 13800138000，请用 Microsoft Teams 回复</p>\n",
     "<h1>通知</h1>\n<p>联系人：某某 [电话]，请用 Microsoft Teams 回复</p>\n"),
    ("c.txt", "通知：联系人王建国 13800138000，Zoom meeting ID 见邮件\n", "通知：联系人某某 [电话]，Zoom meeting ID 见邮件\n"),
    # English letters quoting a few Chinese characters stay English; 10 or more made them Chinese.
    ("d.txt", "Dear Ms. Brown,\nPlease call our Beijing office (北京办事处) at 13800138000 before Friday.\n",
     "Dear Ms. [NAME],\nPlease call our Beijing office (北京办事处) at [PHONE] before Friday.\n"),
    ("e.md", "Dear Ms. Brown,\nThe forms are at our office, 北京市海淀区学院路办公楼三层服务大厅 (ask for the front desk), "
             "open 9 to 5; please call 13800138000 before Friday to book a time.\n",
     "Dear Ms. \\[NAME\\],\nThe forms are at our office, 北京市\\[PLACE\\]区学院路办公楼三层服务大厅 (ask for the front desk), "
     "open 9 to 5; please call \\[PHONE\\] before Friday to book a time.\n"),
], ids=["zh-md", "zh-html", "zh-txt", "en-txt", "en-md"])
def test_a_document_gets_the_tokens_of_the_language_most_of_its_words_are_in(tmp_path, name, text, expected):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / name).write_text(text, encoding="utf-8")
    res = run("redact", str(tmp_path / "src"), "--out", str(tmp_path / "out"))
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "out" / name).read_text(encoding="utf-8") == expected
