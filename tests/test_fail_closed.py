"""Issue 11, scan side: fail closed. Whatever the tool meets and does not check is listed in every
report and fails the scan (unless --skip-unreadable makes it a note); nothing hangs."""

from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import pytest

from redactaudit import documents
from tests.test_cli import LEAKY, MASKED, SECRETS, run

FORMATS = ["terminal", "json", "sarif", "github", "markdown"]
UNDECODABLE = ("not UTF-8, UTF-16, GB18030 or Big5 text, and no other encoding fits (use --encoding to name "
               "the encoding)")
IMAGE = "not read: a PNG image, which has no text redactaudit can extract"


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture()
def clean(tmp_path: Path) -> Path:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "masked.txt").write_text(MASKED, encoding="utf-8")
    return folder


def _json(*args: str):
    res = run("scan", *args, "-f", "json")
    return res.exit_code, json.loads(res.stdout)


@pytest.mark.parametrize("fmt", FORMATS)
def test_undecodable_file_fails_the_scan_and_is_listed_in_every_format(clean, fmt):
    (clean / "latin1.txt").write_bytes("caf\xe9 ol\xe9".encode("latin-1"))
    (clean / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    res = run("scan", str(clean), "-f", fmt, "--min-severity", "info")
    assert res.exit_code == 1
    out = _flat(res.stdout)
    assert f"{clean.as_posix()}/latin1.txt" in out and UNDECODABLE in out
    assert f"{clean.as_posix()}/image.png" in out and IMAGE in out


def test_binary_file_of_a_known_type_fails_closed_unless_skipped_on_purpose(clean):
    """An image or an archive holds text nobody checked (a screenshot of a list of names): not a pass."""
    (clean / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (clean / "archive.zip").write_bytes(b"PK\x03\x04\x14\x00\x00\x00")
    code, report = _json(str(clean))
    assert code == 1 and report["skipped"] == []
    assert [(Path(e["path"]).name, e["message"]) for e in report["errors"]] == [
        ("archive.zip", "not read: a ZIP archive or office document, which has no text redactaudit can extract"),
        ("image.png", IMAGE)]
    code, report = _json(str(clean), "--skip-unreadable")
    assert code == 0 and report["errors"] == []
    assert [Path(s["path"]).name for s in report["skipped"]] == ["archive.zip", "image.png"]


def test_skip_unreadable_turns_problems_into_notes(clean, tmp_path):
    (clean / "latin1.txt").write_bytes("caf\xe9 ol\xe9".encode("latin-1"))
    code, report = _json(str(clean), "--skip-unreadable")
    assert code == 0 and report["errors"] == []
    assert report["skipped"] == [{"path": f"{clean.as_posix()}/latin1.txt", "reason": UNDECODABLE}]
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text("skip_unreadable: true\n", encoding="utf-8")
    code, report = _json(str(clean), "-c", str(cfg))
    assert code == 0 and [s["reason"] for s in report["skipped"]] == [UNDECODABLE]
    cfg.write_text("skip_unreadable: sometimes\n", encoding="utf-8")
    res = run("scan", str(clean), "-c", str(cfg))
    assert res.exit_code == 2 and "skip_unreadable is true or false" in res.stderr


def test_file_over_max_bytes_is_an_error_not_a_silent_skip(clean):
    code, report = _json(str(clean), "--max-bytes", "10")
    size = len(MASKED.encode("utf-8"))
    assert code == 1 and report["skipped"] == []
    assert report["errors"] == [{"path": f"{clean.as_posix()}/masked.txt",
                                 "message": f"larger than --max-bytes 10 ({size} bytes); not scanned"}]


def test_unreadable_file_is_an_error(clean, monkeypatch):
    def refuse(path, flags):
        raise PermissionError(13, "Permission denied", path)
    monkeypatch.setattr(documents, "_nonblocking", refuse)  # tests run as root: chmod 000 reads anyway
    code, report = _json(str(clean))
    assert code == 1
    assert report["errors"] == [{"path": f"{clean.as_posix()}/masked.txt", "message": "cannot read: Permission denied"}]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_bom_are_decoded_not_skipped_as_binary(clean, encoding):
    (clean / "wide.txt").write_bytes(LEAKY.encode(encoding))
    code, report = _json(str(clean / "wide.txt"))
    assert code == 1 and report["errors"] == [] and report["skipped"] == []
    assert [(d["encoding"], d["bom"]) for d in report["documents"]] == [(encoding, False)]
    phone = LEAKY.index(SECRETS[0])
    assert ("identifiers.cn-mobile", phone, phone + 11) in [(f["rule"], f["start"], f["end"]) for f in report["findings"]]


@pytest.mark.parametrize("text", ["关于张三同志的通报，请各单位认真学习。\n", "hello world\n", "第一一一一，一一\n"])
def test_utf16_without_bom_is_read_in_the_right_byte_order(text):
    for encoding in ("utf-16-le", "utf-16-be"):
        doc = documents.load_bytes("x.txt", text.encode(encoding))
        assert isinstance(doc, documents.Document) and (doc.text, doc.encoding) == (text, encoding)


def test_text_with_a_nul_in_the_first_8_kib_is_scanned_not_skipped(clean):
    (clean / "nul.txt").write_bytes(b"\x00" + LEAKY.encode("utf-8"))
    code, report = _json(str(clean / "nul.txt"))
    assert code == 1 and report["skipped"] == [] and report["errors"] == []
    phone = LEAKY.index(SECRETS[0]) + 1
    assert ("identifiers.cn-mobile", phone, phone + 11) in [(f["rule"], f["start"], f["end"]) for f in report["findings"]]


def test_binary_data_of_no_known_type_is_an_error(clean):
    (clean / "blob.dat").write_bytes(bytes(range(256)) * 4)
    code, report = _json(str(clean))
    assert code == 1 and report["skipped"] == []
    assert report["errors"] == [{"path": f"{clean.as_posix()}/blob.dat", "message":
                                 "binary data of no known format (NUL bytes, and not UTF-8, UTF-16/32 or GB18030 "
                                 "text); not scanned"}]


def test_unreadable_folder_is_an_error(clean, monkeypatch):
    (clean / "sub").mkdir()
    (clean / "sub" / "leak.txt").write_text(LEAKY, encoding="utf-8")
    real = os.scandir
    blocked = os.path.join(str(clean), "sub")

    def scandir(path="."):  # chmod 000 does not stop root, so the refusal is simulated
        if os.fspath(path) == blocked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    code, report = _json(str(clean))
    assert code == 1
    assert report["errors"] == [{"path": f"{clean.as_posix()}/sub", "message": "cannot list folder: Permission denied"}]


def test_path_over_4096_bytes_is_an_error(clean):
    here = os.getcwd()
    try:
        os.chdir(clean)
        for _ in range(17):  # 17 x 256 bytes: past PATH_MAX, built one relative step at a time
            os.mkdir("p" * 255)
            os.chdir("p" * 255)
        Path("leak.txt").write_text(LEAKY, encoding="utf-8")
    finally:
        os.chdir(here)
    code, report = _json(str(clean))
    assert code == 1
    [error] = report["errors"]
    assert error["message"] == "cannot list folder: File name too long"
    assert len(error["path"].encode()) > 4096 and error["path"].startswith(clean.as_posix() + "/ppp")


def test_symbolic_links_met_in_a_folder_are_listed(clean, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (clean / "link.txt").symlink_to(clean / "masked.txt")
    (clean / "linkdir").symlink_to(tmp_path / "elsewhere")
    code, report = _json(str(clean))
    assert code == 0
    assert [(Path(s["path"]).name, s["reason"]) for s in report["skipped"]] == [
        ("link.txt", "symbolic link; not followed"), ("linkdir", "symbolic link to a folder; not followed")]


# --- no hangs ---------------------------------------------------------------------------------

def _cli(*args: str, timeout: float = 120, cwd: Path | None = None):
    """The console script in its own process: a hang shows as TimeoutExpired, not a stuck suite."""
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "redactaudit", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd)


def test_fifo_in_a_folder_is_listed_and_never_opened(clean):
    os.mkfifo(clean / "pipe")
    res = _cli("scan", str(clean), "-f", "json")
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["skipped"] == [{"path": f"{clean.as_posix()}/pipe", "reason": "not a regular file (FIFO); not opened"}]


def test_fifo_or_device_named_directly_is_an_error_not_a_hang(clean):
    os.mkfifo(clean / "pipe")
    res = _cli("scan", str(clean / "pipe"), "/dev/null", "-f", "json")
    assert res.returncode == 1, res.stderr
    assert json.loads(res.stdout)["errors"] == [
        {"path": "/dev/null", "message": "not a regular file (character device); not read"},
        {"path": f"{clean.as_posix()}/pipe", "message": "not a regular file (FIFO); not read"}]


def test_runaway_allowlist_regex_does_not_hang(clean, tmp_path):
    email = "a" * 40 + "@example.com"
    (clean / "mail.txt").write_text(f"联系邮箱：{email}\n", encoding="utf-8")
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text("allowlist: {regexes: ['(\\w|\\w)+']}\n", encoding="utf-8")
    res = _cli("scan", str(clean / "mail.txt"), "-c", str(cfg), "-f", "json", "--timeout", "1")
    assert res.returncode == 1, res.stderr
    report = json.loads(res.stdout)
    assert report["errors"] == [{"path": f"{clean.as_posix()}/mail.txt", "message":
                                 "the time budget of 1 s per document ran out in the allowlist regexes (line 1); "
                                 "the findings they did not check are kept"}]
    assert [(f["rule"], f["start"]) for f in report["findings"]] == [("identifiers.email", 5)]


SLOW_PACK = """pack: slow
rules:
  - id: slow.backtrack
    kind: leak
    category: number
    severity: error
    message: backtracks
    regex: '(?:a|a)+b'
    gate: 'a'
    examples: {match: [{text: "aab"}]}
"""


def test_per_document_time_budget_is_a_problem_in_the_report(clean, tmp_path):
    pack = tmp_path / "slow.yaml"
    pack.write_text(SLOW_PACK, encoding="utf-8")
    (clean / "slow.txt").write_text("a" * 40 + "!\n", encoding="utf-8")
    res = _cli("scan", str(clean), "--pack", str(pack), "-f", "json", "--timeout", "1")
    assert res.returncode == 1, res.stderr
    assert json.loads(res.stdout)["errors"] == [{"path": f"{clean.as_posix()}/slow.txt", "message":
                                                 "the time budget of 1 s per document ran out in rule "
                                                 "slow.backtrack; it and the rules after it were not run"}]
    res = _cli("scan", str(clean), "--timeout", "0")
    assert res.returncode == 2 and res.stderr == "redactaudit: error: --timeout must be a positive number of seconds\n"


# --- outputs never lost -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt, shown", [("terminal", "d/\\xffbad.txt"), ("json", '"d/\\\\xffbad.txt"'),
                                        ("sarif", '"uri": "d/%FFbad.txt"'), ("github", "file=d/\\xffbad.txt"),
                                        ("markdown", "`d/\\xffbad.txt`")])
def test_file_name_that_is_not_utf8_is_written_escaped_in_every_format(tmp_path, fmt, shown):
    folder = tmp_path / "d"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/\xffbad.txt", "w", encoding="utf-8") as fh:
        fh.write(LEAKY)
    res = _cli("scan", "d", "-f", fmt, cwd=tmp_path)
    assert res.returncode == 1 and res.stderr == ""
    assert shown in res.stdout
    assert "\ufffd" not in res.stdout


def test_baseline_of_a_file_name_that_is_not_utf8(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/\xffbad.txt", "w", encoding="utf-8") as fh:
        fh.write(LEAKY)
    res = _cli("baseline", "create", "d", "-o", "base.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    entries = json.loads((tmp_path / "base.json").read_text(encoding="utf-8"))["entries"]
    assert {e["path"] for e in entries} == {"d/\\xffbad.txt"}
    res = _cli("scan", "d", "--baseline", "base.json", "-f", "json", cwd=tmp_path)
    assert res.returncode == 0 and json.loads(res.stdout)["summary"]["baselined"] == len(entries)


# --- --staged reads the index -----------------------------------------------------------------

def test_staged_scans_the_index_not_the_working_tree(tmp_path):
    from tests.test_gate import git
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / "note.txt").write_text(MASKED, encoding="utf-8")
    (repo / "gone.txt").write_text(MASKED, encoding="utf-8")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "clean", cwd=repo)
    (repo / "note.txt").write_text(LEAKY, encoding="utf-8")
    (repo / "gone.txt").write_text(LEAKY, encoding="utf-8")
    git("add", ".", cwd=repo)
    (repo / "note.txt").write_text(MASKED, encoding="utf-8")  # the leak is staged, the working copy reverted
    (repo / "gone.txt").unlink()  # deleted in the working tree, still staged
    res = _cli("scan", ".", "--staged", "-f", "json", cwd=repo)
    assert res.returncode == 1, res.stderr
    report = json.loads(res.stdout)
    assert [d["path"] for d in report["documents"]] == ["gone.txt", "note.txt"]
    phone = LEAKY.index(SECRETS[0])
    assert [(f["path"], f["start"], f["end"]) for f in report["findings"] if f["rule"] == "identifiers.cn-mobile"] == [
        ("gone.txt", phone, phone + 11), ("note.txt", phone, phone + 11)]


# --- config -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line, wrong", [("severity: {identifiers.no-such-rule: warning}", "severity"),
                                         ("disable_rules: [identifiers.no-such-rule]", "disable_rules")])
def test_unknown_rule_id_in_config_is_exit_2_naming_it(clean, tmp_path, line, wrong):
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text(line + "\n", encoding="utf-8")
    res = run("scan", str(clean), "-c", str(cfg))
    assert res.exit_code == 2
    assert res.stderr == (f"redactaudit: error: {cfg}: {wrong}: unknown rule id identifiers.no-such-rule "
                          "(the pack rules are listed by `redactaudit packs list`)\n")


def test_yaml_syntax_error_in_config_is_one_line_with_its_place(clean, tmp_path):
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text("fail_on: warning\nexclude: [a, b\n", encoding="utf-8")
    res = run("scan", str(clean), "-c", str(cfg))
    assert res.exit_code == 2
    assert res.stderr == (f"redactaudit: error: {cfg}:3:1: not valid YAML: expected ',' or ']', but got "
                          "'<stream end>' (while parsing a flow sequence from line 2)\n")
    pack = tmp_path / "mine.yaml"
    pack.write_text("pack: mine\nrules: a: b\n", encoding="utf-8")
    res = run("scan", str(clean), "--pack", str(pack))
    assert res.exit_code == 2
    assert res.stderr == f"redactaudit: error: {pack}:2:9: not valid YAML: mapping values are not allowed in this context\n"


# --- reports never leak -----------------------------------------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_baselined_and_allowlisted_values_never_appear_in_other_findings_excerpts(tmp_path, fmt):
    doc = tmp_path / "a.txt"
    doc.write_text(f"手机{SECRETS[0]}\n", encoding="utf-8")
    assert run("baseline", "create", str(doc), "-o", str(tmp_path / "base.json")).exit_code == 0
    doc.write_text(f"值班员{SECRETS[4]}，手机{SECRETS[0]}，邮箱{SECRETS[2]}。\n", encoding="utf-8")
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text(f"allowlist: {{values: ['{SECRETS[2]}']}}\n", encoding="utf-8")
    res = run("scan", str(doc), "-c", str(cfg), "-b", str(tmp_path / "base.json"), "-f", fmt)
    assert res.exit_code == 1  # the name is still reported, with the line around it
    assert "值班员⟨person⟩，手机⟨phone⟩，邮箱⟨email⟩" in res.stdout
    for secret in (SECRETS[0], SECRETS[2], SECRETS[4]):
        assert secret not in res.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_partial_mask_that_keeps_digits_is_never_printed_raw_in_an_excerpt(tmp_path, fmt):
    doc = tmp_path / "a.txt"
    doc.write_text("手机13812*45678，联系人陈立新。手机138****5678。\n", encoding="utf-8")
    res = run("scan", str(doc), "-f", fmt, "--min-severity", "info")
    assert res.exit_code == 1
    assert "手机#####*#####，联系人⟨person⟩。手机###****####。" in res.stdout
    for kept in ("13812", "45678", "138*", "5678"):
        assert kept not in res.stdout


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_and_terminal_escapes_are_escaped_in_reports(tmp_path, fmt):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a\x1b]0;owned\x07.txt").write_text(
        f"\x1b[31m\u202e手机{SECRETS[0]}\x9b2J\x00。\n", encoding="utf-8")
    res = run("scan", str(folder), "-f", fmt)
    assert res.exit_code == 1
    for raw in ("\x1b", "\x07", "\u202e", "\x9b", "\x00"):
        assert raw not in res.stdout
    if fmt != "sarif":  # SARIF's URIs percent-encode the name instead
        assert "a\\x1b]0;owned\\x07.txt" in res.stdout.replace("\\\\", "\\")
    assert "\\x1b[31m\\u202e手机⟨phone⟩\\x9b2J\\x00。" in res.stdout.replace("\\\\", "\\")


def test_folders_skipped_by_default_are_listed(clean):
    (clean / ".git").mkdir()
    (clean / ".git" / "leak.txt").write_text(LEAKY, encoding="utf-8")
    code, report = _json(str(clean))
    assert code == 0 and report["skipped"] == [
        {"path": f"{clean.as_posix()}/.git",
         "reason": "folder not scanned by default (version control, caches, environments)"}]


def test_runaway_regex_in_a_pack_example_is_a_problem_not_an_internal_error(tmp_path):
    pack = tmp_path / "slow.yaml"
    pack.write_text(SLOW_PACK.replace('[{text: "aab"}]}', '[{text: "aab"}], nomatch: ["' + "a" * 60 + '!"]}'),
                    encoding="utf-8")
    res = _cli("packs", "check", str(pack))
    assert res.returncode == 2
    assert res.stderr == (f"{pack}: an example ran past the time limit of 10 s on one rule: a regex of the pack "
                          "runs away (write a tighter pattern, or use engine: re2)\n")


def test_sarif_that_lists_problems_and_notes_is_valid_and_not_successful(clean):
    import jsonschema
    (clean / "latin1.txt").write_bytes("caf\xe9 ol\xe9".encode("latin-1"))
    (clean / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    res = run("scan", str(clean), "-f", "sarif")
    assert res.exit_code == 1
    sarif = json.loads(res.stdout)
    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(sarif, schema)
    [invocation] = sarif["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert [(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]] == [
        ("error", f"{clean.as_posix()}/image.png: {IMAGE}"),
        ("error", f"{clean.as_posix()}/latin1.txt: {UNDECODABLE}"),
        ("note", "3 existing masks not reported as results (they are no alert); --include-masks reports them.")]


def test_baseline_entry_without_path_is_exit_2_not_an_internal_error(clean, tmp_path):
    from redactaudit.baseline import _CHECK
    from redactaudit.identity import keyed_hash
    base = tmp_path / "base.json"
    base.write_text(json.dumps({"version": 1, "key_check": keyed_hash(_CHECK),
                                "entries": [{"fingerprint": "x", "count": 1}]}), encoding="utf-8")
    res = run("scan", str(clean), "-b", str(base))
    assert res.exit_code == 2
    assert res.stderr == (f"redactaudit: error: {base}: an entry lacks path, rule or category: "
                          "{'fingerprint': 'x', 'count': 1}\n")


def test_copies_that_mask_differently_do_not_quote_what_a_partial_mask_keeps():
    from redactaudit.consistency.copies import _as_shown
    from redactaudit.model import Finding, Kind, Severity
    mask = Finding(rule="placeholders.partial-mobile", kind=Kind.PLACEHOLDER, category="phone",
                   severity=Severity.INFO, path="a.txt", start=0, end=11, line=1, column=1, end_line=1,
                   end_column=12, text="13812*45678", message="", fingerprint="", style="partial", width=1)
    assert _as_shown(mask) == "#####*#####"
    assert _as_shown(Finding(**{**{k: getattr(mask, k) for k in mask.__slots__}, "text": "**", "style": "asterisk"})) == "**"


def test_staged_link_turned_into_a_file_is_scanned(tmp_path):
    from tests.test_gate import git
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    (repo / "target.txt").write_text(MASKED, encoding="utf-8")
    (repo / "note.txt").symlink_to("target.txt")
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "a link", cwd=repo)
    (repo / "note.txt").unlink()
    (repo / "note.txt").write_text(LEAKY, encoding="utf-8")
    git("add", "note.txt", cwd=repo)
    res = _cli("scan", ".", "--staged", "-f", "json", cwd=repo)
    assert res.returncode == 1, res.stderr
    assert [d["path"] for d in json.loads(res.stdout)["documents"]] == ["note.txt"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_copy_with_a_file_name_that_is_not_utf8_is_named_escaped(tmp_path, fmt):
    from tests.test_consistency import SPEECH
    folder = tmp_path / "d"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/a\xff.txt", "w", encoding="utf-8") as fh:
        fh.write(SPEECH)
    (folder / "b.txt").write_text(SPEECH.replace("***同志", "王立群同志"), encoding="utf-8")
    res = _cli("scan", "d", "-f", fmt, cwd=tmp_path)
    assert res.returncode == 1 and res.stderr == "" and "\ufffd" not in res.stdout
    if fmt == "json":
        [cross] = [f for f in json.loads(res.stdout)["findings"] if f["rule"] == "consistency.cross-document"]
        assert cross["why"] == ["aligned with d/a\\xff.txt"]
        assert cross["message"].endswith("another copy (d/a\\xff.txt) masks this value; here it is in clear")


def test_yaml_syntax_error_in_a_policy_is_one_line_with_its_place(clean, tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("policy: [\n", encoding="utf-8")
    res = run("redact", str(clean), "--dry-run", "--policy", str(policy))
    assert res.exit_code == 2
    assert res.stderr == (f"redactaudit: error: {policy}:2:1: not valid YAML: did not find expected node content "
                          "(while parsing a flow node from line 2)\n")


def test_a_link_loop_or_a_dangling_link_named_directly_is_an_error_not_a_missing_path(clean):
    # Both exist as links: "no such file or folder" (exit 2) sent the user looking for a typo.
    (clean / "loop1").symlink_to(clean / "loop2")
    (clean / "loop2").symlink_to(clean / "loop1")
    (clean / "dangling.txt").symlink_to(clean / "gone.txt")
    code, report = _json(str(clean / "loop1"), str(clean / "dangling.txt"), str(clean / "masked.txt"))
    assert code == 1
    assert report["errors"] == [
        {"path": f"{clean.as_posix()}/dangling.txt", "message": "symbolic link to nothing (its target does not "
                                                                "exist); not read"},
        {"path": f"{clean.as_posix()}/loop1", "message": "cannot read: Too many levels of symbolic links"}]
    assert [d["path"] for d in report["documents"]] == [f"{clean.as_posix()}/masked.txt"]
    res = run("scan", str(clean / "nope.txt"), str(clean / "masked.txt"))
    assert res.exit_code == 2 and res.stderr == f"redactaudit: error: no such file or folder: {clean / 'nope.txt'}\n"


def test_a_config_or_baseline_nested_too_deeply_is_exit_2_not_an_internal_error(clean, tmp_path):
    # 10,000 open brackets: Python's YAML and JSON readers recursed past the stack (RecursionError)
    cfg = tmp_path / "redactaudit.yaml"
    cfg.write_text("[" * 10_000, encoding="utf-8")
    res = run("scan", str(clean), "-c", str(cfg))
    assert res.exit_code == 2
    assert res.stderr == f"redactaudit: error: {cfg}: not valid YAML: nested too deeply\n"
    base = tmp_path / "base.json"
    base.write_text("[" * 100_000, encoding="utf-8")
    res = run("scan", str(clean), "-b", str(base))
    assert res.exit_code == 2
    assert res.stderr == f"redactaudit: error: {base}: not a baseline (invalid JSON: nested too deeply)\n"


def test_a_policy_nested_too_deeply_is_a_policy_error_without_libyaml(tmp_path, monkeypatch):
    import yaml
    from redactaudit.policy import PolicyError, load_policy
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)  # libyaml bounds the depth; Python's reader recursed
    policy = tmp_path / "deep.yaml"
    policy.write_text("[" * 10_000, encoding="utf-8")
    with pytest.raises(PolicyError, match=f"^{policy}: not valid YAML: nested too deeply$"):
        load_policy(str(policy))


def test_a_config_found_but_not_a_readable_file_is_exit_2_not_silently_skipped(clean, tmp_path, monkeypatch):
    # A dangling link or a folder named .redactaudit.yaml was passed over: the scan ran on the
    # defaults (fail_on error where the config said warning), a gate quietly loosened.
    monkeypatch.chdir(clean)
    (clean / ".redactaudit.yaml").symlink_to(tmp_path / "shared-config.yaml")
    res = run("scan", "masked.txt")
    assert res.exit_code == 2
    assert res.stderr == (f"redactaudit: error: {clean / '.redactaudit.yaml'}: cannot read config: "
                          "No such file or directory\n")
    (clean / ".redactaudit.yaml").unlink()
    (clean / "redactaudit.yaml").mkdir()
    res = run("scan", "masked.txt")
    assert res.exit_code == 2
    assert res.stderr == f"redactaudit: error: {clean / 'redactaudit.yaml'}: cannot read config: Is a directory\n"


# --- a forced encoding that gives no text -------------------------------------------------------

NOT_THIS_ENCODING = "decoded as {}, the bytes give no text ({}): not the file's encoding; not scanned"


@pytest.mark.parametrize("encoding, why", [
    ("utf-16", "its line breaks are lost"),
    ("utf-16-be", "its line breaks are lost"),
    ("latin-1", "17% of its characters are unassigned, private-use, control or replacement characters"),
])
def test_a_forced_encoding_that_gives_garbage_is_a_file_not_read(tmp_path, encoding, why):
    """--encoding utf-16 on a UTF-8 file decodes strictly into CJK, Hangul and private-use soup in
    which no rule finds anything: that is no pass (fail closed), but a file not read (exit 1)."""
    doc = tmp_path / "a.txt"
    doc.write_text(LEAKY, encoding="utf-8")
    code, report = _json(str(doc), "--encoding", encoding)
    assert code == 1 and report["documents"] == [] and report["findings"] == []
    assert report["errors"] == [{"path": doc.as_posix(), "message": NOT_THIS_ENCODING.format(encoding, why)}]


@pytest.mark.parametrize("encoding, text", [
    ("gb18030", LEAKY), ("big5", "值班員陳立新，手機13912345678。\n"), ("latin-1", "Réunion à 9 h, café déjà réservé.\n"),
    ("utf-16", LEAKY), ("utf-16-le", LEAKY), ("utf-32", LEAKY), ("gb18030", "短"), ("latin-1", "é"),
])
def test_a_forced_encoding_that_is_the_file_s_own_reads_it(encoding, text):
    doc = documents.load_bytes("a.txt", text.encode(encoding), encoding)
    assert isinstance(doc, documents.Document) and doc.text == text.lstrip("\ufeff")


@pytest.mark.parametrize("mark, name", [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_a_byte_order_mark_before_bytes_of_another_encoding_is_a_file_not_read(tmp_path, mark, name):
    """A UTF-16 mark before UTF-8 bytes decodes strictly into soup in which no rule finds anything:
    a file not read (exit 1), as with a forced encoding, not a pass. A true UTF-16 file is read."""
    doc = tmp_path / "a.txt"
    data = LEAKY.encode("utf-8")
    doc.write_bytes(mark + data + (b"\n" if len(data) % 2 else b""))
    code, report = _json(str(doc))
    assert code == 1 and report["documents"] == [] and report["findings"] == []
    assert report["errors"] == [{"path": doc.as_posix(), "message": f"has a {name} byte-order mark but its bytes give "
                                 "no text (its line breaks are lost): not scanned"}]
    doc.write_bytes(mark + LEAKY.encode(name))
    assert _json(str(doc))[1]["documents"][0]["encoding"] == name
