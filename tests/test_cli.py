"""The command line as a user and a CI job see it: exit codes, inputs, outputs, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactaudit.cli import app

SECRETS = ["13912345678", "450103198505051239", "chen@example.com", "6222 0210 0112 3456 789", "陈立新"]
LEAKY = f"值班员{SECRETS[4]}，手机{SECRETS[0]}，身份证号{SECRETS[1]}，邮箱{SECRETS[2]}，卡号{SECRETS[3]}。\n"
MASKED = "关于XX县*起问题的通报。刚才，**同志讲话。\n"


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    (tmp_path / "leaky.txt").write_text(LEAKY, encoding="utf-8")
    (tmp_path / "masked.txt").write_text(MASKED, encoding="utf-8")
    return tmp_path


def test_exit_codes(docs):
    assert run("scan", str(docs / "masked.txt")).exit_code == 0
    assert run("scan", str(docs / "leaky.txt")).exit_code == 1
    assert run("scan", str(docs / "leaky.txt"), "--fail-on", "never").exit_code == 0
    assert run("scan", str(docs / "masked.txt"), "--fail-on", "info").exit_code == 1
    assert run("scan", str(docs / "nope.txt")).exit_code == 2
    assert run("scan", str(docs), "--format", "xml").exit_code == 2
    assert run("scan").exit_code == 2


def test_json_report_shape(docs):
    res = run("scan", str(docs), "--format", "json")
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["schema_version"] == 1 and report["tool"]["name"] == "redactaudit"
    assert [d["path"].rsplit("/", 1)[1] for d in report["documents"]] == ["leaky.txt", "masked.txt"]
    first = report["findings"][0]
    assert set(first) >= {"path", "rule", "kind", "category", "severity", "start", "end", "line", "column",
                          "end_line", "end_column", "excerpt", "message", "fingerprint"}
    leaks = [(f["rule"], f["start"], f["end"]) for f in report["findings"] if f["kind"] == "leak"]
    assert leaks == [
        ("names-zh.role-name", 3, 6),
        ("identifiers.cn-mobile", LEAKY.index(SECRETS[0]), LEAKY.index(SECRETS[0]) + 11),
        ("identifiers.cn-resident-id", LEAKY.index(SECRETS[1]), LEAKY.index(SECRETS[1]) + 18),
        ("identifiers.email", LEAKY.index(SECRETS[2]), LEAKY.index(SECRETS[2]) + 16),
        ("identifiers.bank-card", LEAKY.index(SECRETS[3]), LEAKY.index(SECRETS[3]) + 23),
    ]
    assert report["summary"]["failed"] is True and report["errors"] == []


def test_json_is_deterministic(docs):
    a = run("scan", str(docs), "-f", "json").stdout
    b = run("scan", str(docs), "-f", "json").stdout
    assert a == b


@pytest.mark.parametrize("fmt", ["terminal", "json"])
def test_no_value_reaches_any_output_without_show_values(docs, fmt, tmp_path):
    out = tmp_path / f"report.{fmt}"
    res = run("scan", str(docs), "--format", fmt, "--output", str(out))
    assert res.exit_code == 1
    written = out.read_text(encoding="utf-8") + res.stdout + res.stderr
    for secret in SECRETS:
        assert secret not in written
    shown = run("scan", str(docs), "--format", fmt, "--show-values").stdout
    assert SECRETS[0] in shown


def test_stdin(docs):
    res = run("scan", "-", "--format", "json", input=LEAKY.encode("utf-8"))
    assert res.exit_code == 1
    report = json.loads(res.stdout)
    assert report["documents"][0]["path"] == "<stdin>"


def test_include_exclude(docs):
    report = json.loads(run("scan", str(docs), "-f", "json", "--exclude", "leaky.*").stdout)
    assert [d["path"].rsplit("/", 1)[1] for d in report["documents"]] == ["masked.txt"]
    report = json.loads(run("scan", str(docs), "-f", "json", "--include", "leaky.*").stdout)
    assert [d["path"].rsplit("/", 1)[1] for d in report["documents"]] == ["leaky.txt"]


def test_bad_files_are_reported_not_raised(docs):
    (docs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (docs / "latin1.txt").write_bytes("caf\xe9 ol\xe9 d\xe9j\xe0".encode("latin-1"))
    (docs / "huge_line.txt").write_text("字" * 300_000 + "手机13912345678", encoding="utf-8")
    (docs / "gbk.txt").write_bytes(LEAKY.encode("gbk"))
    res = run("scan", str(docs), "-f", "json")
    report = json.loads(res.stdout)
    assert res.exit_code == 1
    # Fail closed: a file that was not read is an error, whatever it is.
    assert [(Path(e["path"]).name, e["message"]) for e in report["errors"]] == [
        ("image.png", "not read: a PNG image, which has no text redactaudit can extract"),
        ("latin1.txt", "not UTF-8, UTF-16, GB18030 or Big5 text, and no other encoding fits (use --encoding to "
                       "name the encoding)")]
    assert report["skipped"] == []
    encodings = {Path(d["path"]).name: d["encoding"] for d in report["documents"]}
    assert encodings["gbk.txt"] == "gbk"
    huge = [f for f in report["findings"] if f["path"].endswith("huge_line.txt")]
    assert [(f["rule"], f["start"]) for f in huge] == [("identifiers.cn-mobile", 300_002)]
    assert len(huge[0]["excerpt"]) < 80


def test_broken_config_is_exit_2(docs, tmp_path):
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text("fail_on: sometimes\n", encoding="utf-8")
    res = run("scan", str(docs), "--config", str(cfg))
    assert res.exit_code == 2 and "fail_on must be" in res.stderr
    cfg.write_text("colour: red\n", encoding="utf-8")
    res = run("scan", str(docs), "--config", str(cfg))
    assert res.exit_code == 2 and "unknown key(s) colour" in res.stderr
    cfg.write_text("allowlist: {regexes: ['(']}\n", encoding="utf-8")
    assert run("scan", str(docs), "--config", str(cfg)).exit_code == 2
    assert run("scan", str(docs), "--config", str(tmp_path / "missing.yaml")).exit_code == 2


def test_config_allowlist_fail_on_and_severity(docs, tmp_path):
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text(
        "fail_on: warning\n"
        f"allowlist: {{values: ['{SECRETS[2]}'], regexes: ['1391234\\d+']}}\n"
        "severity: {identifiers.cn-resident-id: warning, identifiers.bank-card: info}\n",
        encoding="utf-8")
    report = json.loads(run("scan", str(docs / "leaky.txt"), "-c", str(cfg), "-f", "json").stdout)
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [
        ("names-zh.role-name", "error"), ("identifiers.cn-resident-id", "warning"), ("identifiers.bank-card", "info")]
    assert report["summary"]["allowlisted"] == 2 and report["summary"]["failed"] is True


def test_broken_pack_is_exit_2(docs, tmp_path):
    pack = tmp_path / "mine.yaml"
    pack.write_text("pack: mine\nrules:\n  - id: mine.x\n    kind: leak\n", encoding="utf-8")
    res = run("scan", str(docs), "--pack", str(pack))
    assert res.exit_code == 2 and "mine.x: missing required key 'category'" in res.stderr
    res = run("packs", "check", str(pack))
    assert res.exit_code == 2


def test_packs_list_and_check_builtin():
    res = run("packs", "list")
    assert res.exit_code == 0 and "identifiers.cn-mobile" in res.stdout
    root = Path(__file__).resolve().parent.parent / "patterns"
    res = run("packs", "check", *sorted(str(p) for p in root.glob("*.yaml")))
    assert res.exit_code == 0, res.stderr


def test_python_dash_m_and_console_script(docs):
    res = subprocess.run([sys.executable, "-m", "redactaudit", "scan", str(docs / "leaky.txt"), "-f", "json"],
                         capture_output=True, text=True)
    assert res.returncode == 1 and json.loads(res.stdout)["summary"]["findings"] == 5
    res = subprocess.run([sys.executable, "-m", "redactaudit", "scan", str(docs / "nope")],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr


def test_unwritable_outputs_are_exit_2_not_a_traceback(docs, tmp_path):
    res = run("scan", str(docs / "leaky.txt"), "--output", str(tmp_path / "no" / "such" / "dir" / "r.json"))
    assert res.exit_code == 2 and "cannot write" in res.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    res = run("redact", str(docs / "leaky.txt"), "--out", str(blocker / "out"))
    assert res.exit_code == 2 and "cannot write" in res.stderr


def test_inline_ignore_comments(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("办公电话：0771-5881234 <!-- redactaudit: ignore -->\n"
                   "<!-- redactaudit: ignore-next-line -->\n"
                   "值班手机：13912345678\n"
                   "联系人手机：13800001111\n", encoding="utf-8")
    report = json.loads(run("scan", str(doc), "-f", "json").stdout)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("identifiers.cn-mobile", 4)]
    assert report["summary"]["allowlisted"] == 2


def test_inline_ignore_counts_lines_as_findings_do_with_a_form_feed(tmp_path):
    """pdftotext puts a form feed between pages: it does not end a line for findings, nor for ignores."""
    doc = tmp_path / "a.txt"
    doc.write_text("第一页\f第二页\n"
                   "办公电话：13800001111 redactaudit: ignore\n"
                   "值班手机：13912345678\n", encoding="utf-8")
    report = json.loads(run("scan", str(doc), "-f", "json").stdout)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [("identifiers.cn-mobile", 3)]


def test_inline_ignore_may_name_the_rules_it_silences(tmp_path):
    """`redactaudit: ignore[rule, ...]` silences those rules only, like `# noqa: E501`."""
    doc = tmp_path / "a.txt"
    doc.write_text("手机13800001111，邮箱chen@example.com <!-- redactaudit: ignore[identifiers.cn-mobile] -->\n"
                   "# redactaudit: ignore-next-line[identifiers.email, names-zh.role-name]\n"
                   "值班手机：13912345678\n", encoding="utf-8")
    report = json.loads(run("scan", str(doc), "-f", "json").stdout)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [
        ("identifiers.email", 1), ("identifiers.cn-mobile", 3)]
    assert report["summary"]["allowlisted"] == 1


def test_a_malformed_ignore_mark_silences_nothing(tmp_path):
    """Only `ignore`, `ignore-next-line` and their bracketed forms are marks; anything else reports."""
    doc = tmp_path / "a.txt"
    doc.write_text("手机13800001111 redactaudit: ignore [identifiers.cn-mobile]\n"
                   "手机13800002222 redactaudit: ignore[identifiers.cn-mobile\n"
                   "手机13800003333 redactaudit: ignored\n", encoding="utf-8")
    report = json.loads(run("scan", str(doc), "-f", "json").stdout)
    assert [(f["rule"], f["line"]) for f in report["findings"]] == [
        ("identifiers.cn-mobile", 1), ("identifiers.cn-mobile", 2), ("identifiers.cn-mobile", 3)]


def test_ctrl_c_says_interrupted_and_exits_130(docs, monkeypatch, capsys):
    # typer turns KeyboardInterrupt into a silent exit 130: main's own message was never written
    import sys
    import redactaudit.cli as cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(cli, "run_scan", interrupted)
    monkeypatch.setattr(sys, "argv", ["redactaudit", "scan", str(docs)])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 130
    assert capsys.readouterr().err == "redactaudit: interrupted\n"


def test_baseline_of_a_folder_with_a_file_it_could_not_read_says_so_and_exits_1(docs, tmp_path_factory):
    # The baseline was written with "N findings accepted" and exit 0: the file it never read was
    # not mentioned, and every scan after it failed on that file.
    (docs / "blob.dat").write_bytes(bytes(range(256)) * 4)
    base = tmp_path_factory.mktemp("b") / "base.json"
    not_read = (f"redactaudit: {docs.as_posix()}/blob.dat: not checked: binary data of no known format (NUL bytes, "
                "and not UTF-8, UTF-16/32 or GB18030 text); not scanned\n")
    res = run("baseline", "create", str(docs), "-o", str(base), "-j", "1")
    assert res.exit_code == 1
    count = sum(e["count"] for e in json.loads(base.read_text(encoding="utf-8"))["entries"])
    assert count > 0 and res.stderr == not_read + (
        f"{base}: {count} findings accepted; 1 file not checked, not in the baseline (a scan fails on it)\n")
    res = run("baseline", "update", str(docs), "-b", str(base), "-j", "1")
    assert res.exit_code == 1
    assert res.stderr == not_read + (
        f"{base}: 0 added, 0 stale removed, {count} kept; 1 file not checked, not in the baseline (a scan fails on it)\n")
    (docs / "blob.dat").unlink()
    res = run("baseline", "create", str(docs), "-o", str(base), "-j", "1")
    assert res.exit_code == 0 and res.stderr == f"{base}: {count} findings accepted\n"


@pytest.mark.parametrize("value", ["-5", "0"])
def test_max_bytes_not_positive_is_a_usage_error(docs, tmp_path, value):
    said = "redactaudit: error: --max-bytes must be a positive number of bytes\n"
    res = run("scan", str(docs), "--max-bytes", value)
    assert (res.exit_code, res.stderr, res.stdout) == (2, said, "")
    res = run("redact", str(docs), "--dry-run", "--max-bytes", value)
    assert (res.exit_code, res.stderr, res.stdout) == (2, said, "")


def test_the_closing_lines_count_files_findings_and_baseline_entries_each_by_its_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("值班员陈立新，手机13912345678。\n", encoding="utf-8")
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert run("baseline", "create", "a.txt", "-o", "base.json").exit_code == 0
    (tmp_path / "a.txt").write_text("值班员陈立新，邮箱chen@example.com\n", encoding="utf-8")
    res = run("scan", "a.txt", "b.png", "-b", "base.json", "--color", "never")
    assert res.exit_code == 1
    assert res.stdout.splitlines()[-3:] == [
        "  files      1 not checked (errors)",
        "  findings   1 in the baseline, not shown",
        "  baseline   1 entry no longer found (stale)"]


def test_the_redact_summary_says_not_scanned_once_and_counts_in_the_singular(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("值班员陈立新，手机13912345678。\n", encoding="utf-8")
    (tmp_path / "d" / "big.txt").write_text("x" * 3000, encoding="utf-8")
    res = run("redact", "d", "--dry-run", "--max-bytes", "1000")
    assert res.exit_code == 1
    assert res.stderr == ("redact (zh-gov): 1 file, would change 1, 2 edits (person 1, phone 1); not written: 1 file\n"
                          "not written: d/big.txt: not scanned (larger than --max-bytes 1000 (3000 bytes))\n")


CODE_PACK = """pack: codes
rules:
  - id: codes.ticket
    kind: leak
    category: number
    severity: error
    message: a ticket code
    regex: 'TK-\\d{4}'
    gate: 'TK-'
    examples: {match: [{text: "TK-1234"}]}
"""


@pytest.mark.parametrize("command", [["baseline", "create", "-o"], ["baseline", "update", "-b"]])
def test_a_baseline_is_made_over_the_inputs_the_gate_scans(tmp_path, monkeypatch, command):
    """baseline create and update take the scan's input options, so the baseline covers what the gate reads."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d" / "drafts").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text(LEAKY + "工单TK-1234。\n", encoding="gb18030")
    (tmp_path / "d" / "drafts" / "b.txt").write_text(LEAKY, encoding="utf-8")
    (tmp_path / "d" / "big.txt").write_text("x" * 3000, encoding="utf-8")
    (tmp_path / "codes.yaml").write_text(CODE_PACK, encoding="utf-8")
    inputs = ["--include", "*.txt", "--exclude", "drafts", "--encoding", "gb18030", "--max-bytes", "1000",
              "--skip-unreadable", "--pack", "codes.yaml"]
    res = run(*command, "base.json", "d", *inputs)
    assert res.exit_code == 0, res.stderr
    entries = json.loads(Path("base.json").read_text(encoding="utf-8"))["entries"]
    assert {e["path"] for e in entries} == {"d/a.txt"} and "codes.ticket" in {e["rule"] for e in entries}
    gate = run("scan", "d", *inputs, "--baseline", "base.json", "-f", "json")
    assert gate.exit_code == 0
    assert json.loads(gate.stdout)["summary"]["stale_baseline_entries"] == []
    res = run(*command, "base.json", "d", "--max-bytes", "0")
    assert (res.exit_code, res.stderr) == (2, "redactaudit: error: --max-bytes must be a positive number of bytes\n")


def test_redact_reads_its_inputs_as_the_scan_does_and_writes_nothing_unread(tmp_path, monkeypatch):
    """redact takes the scan's input options (--pack, --skip-unreadable, ...): a pack's rule is
    redacted too; a file not read (too large, an archive) is never written, even with
    --skip-unreadable, and fails the run."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("联系人：欧阳振华，工单TK-4821。\n", encoding="utf-8")
    (tmp_path / "d" / "big.txt").write_text("今天天气很好。" * 200, encoding="utf-8")
    (tmp_path / "d" / "c.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)))
    (tmp_path / "codes.yaml").write_text(CODE_PACK, encoding="utf-8")
    res = run("redact", "d", "--out", "out", "--pack", "codes.yaml", "--skip-unreadable", "--max-bytes", "1000")
    assert res.exit_code == 1, res.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.txt"]
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "联系人：某某，工单*。\n"
    assert [line for line in res.stderr.splitlines() if line.startswith("not written: ")] == [
        "not written: d/big.txt: not scanned (larger than --max-bytes 1000 (4200 bytes))",
        "not written: d/c.gz: not scanned (not read: a gzip archive, which has no text redactaudit can extract)"]
    res = run("redact", "d/a.txt", "--out", "out2", "--pack", "codes.yaml", "--skip-unreadable")
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "out2" / "a.txt").read_text(encoding="utf-8") == "联系人：某某，工单*。\n"
