"""redact fails closed (issue 11, redact side): it never publishes what it did not scan, never lets two
inputs overwrite one output, and rewrites files in place without losing one, leaving a temp file or
a readable backup behind. Each test is named after the problem it keeps fixed."""

from __future__ import annotations

import codecs
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redactaudit.cli import app

NOTICE = "关于XX县问题的通报\n**镇干部刘建华违规收受礼金1.8万元，联系电话13912345678。\n刘建华同志已退缴违规所得。\n"
REDACTED = "关于XX县问题的通报\nXX镇干部某某违规收受礼金*万元，联系电话[电话]。\n某某同志已退缴违规所得。\n"
SECRETS = ["刘建华", "13912345678"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def journal(path: Path) -> list[dict]:
    """The redaction log: one JSON object per line (a last line cut by a kill is ignored)."""
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return records


# -- 1. never publish what was not scanned ---------------------------------------------------------

@pytest.fixture()
def unscannable(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text(NOTICE, encoding="utf-8")
    (src / "big.txt").write_text(NOTICE * 40, encoding="utf-8")  # over --max-bytes 2000
    (src / "utf16.txt").write_bytes(NOTICE.encode("utf-16-le"))  # no byte-order mark: NULs
    (src / "nul.txt").write_bytes(NOTICE.encode("utf-8") + b"\x00" + NOTICE.encode("utf-8"))
    (src / "latin1.txt").write_bytes("café olé, Straße".encode("latin-1"))  # decodes as nothing
    (src / "report.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n(" + NOTICE.encode("utf-8") + b")\nendobj\n")
    (src / "letter.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + NOTICE.encode("utf-8") + bytes(8))
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8) + NOTICE.encode("utf-16-le"))
    (src / "photo.png").write_bytes(PNG)
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20))
    return src


NOT_SCANNED = ["big.txt", "latin1.txt", "letter.docx", "old.doc", "report.pdf"]


def test_redact_never_publishes_what_it_did_not_scan(unscannable, tmp_path):
    out = tmp_path / "public"
    log = tmp_path / "log.jsonl"
    res = run("redact", str(unscannable), "--out", str(out), "--max-bytes", "2000", "--log", str(log))
    assert res.exit_code == 1
    # Only the scanned text and the true images are published. UTF-16 without a byte-order mark
    # and text with a NUL are read (and so redacted), in their own encoding.
    assert files_under(out) == ["nul.txt", "ok.txt", "photo.jpg", "photo.png", "utf16.txt"]
    assert (out / "ok.txt").read_text(encoding="utf-8") == REDACTED
    assert (out / "utf16.txt").read_bytes() == REDACTED.encode("utf-16-le")
    assert (out / "nul.txt").read_bytes() == REDACTED.encode("utf-8") + b"\x00" + REDACTED.encode("utf-8")
    assert (out / "photo.png").read_bytes() == PNG
    # Every file not written is named, in the summary and in the log, and so is every image copied unscanned.
    for name in NOT_SCANNED:
        assert f"not written: {unscannable / name}" in res.stderr, name
    assert "not written: 5 files" in res.stderr.splitlines()[0]
    assert "copied unscanned (image): 2 files" in res.stderr.splitlines()[0]
    for name in ("photo.png", "photo.jpg"):
        assert f"copied unscanned (image/" in res.stderr and str(unscannable / name) in res.stderr
    records = journal(log)
    refused = sorted(Path(r["path"]).name for r in records if r["event"] == "not_written")
    assert refused == NOT_SCANNED
    assert sorted(Path(r["path"]).name for r in records if r["event"] == "copied") == ["photo.jpg", "photo.png"]
    for secret in SECRETS:
        assert secret not in res.stdout + res.stderr + log.read_text(encoding="utf-8")


def test_redact_max_bytes_takes_a_larger_file_when_raised(unscannable, tmp_path):
    res = run("redact", str(unscannable / "big.txt"), "--out", str(tmp_path / "o"), "--max-bytes", "100000",
              "--log", str(tmp_path / "log.jsonl"))
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "o" / "big.txt").read_text(encoding="utf-8") == REDACTED * 40


def test_in_place_lists_what_it_did_not_scan_and_leaves_it_alone(unscannable, tmp_path):
    before = {n: (unscannable / n).read_bytes() for n in NOT_SCANNED}
    res = run("redact", str(unscannable), "--in-place", "--max-bytes", "2000", "--log", str(tmp_path / "l.jsonl"))
    assert res.exit_code == 1
    assert {n: (unscannable / n).read_bytes() for n in NOT_SCANNED} == before
    for name in NOT_SCANNED:
        assert f"not written: {unscannable / name}" in res.stderr
    assert (unscannable / "ok.txt").read_text(encoding="utf-8") == REDACTED


# -- 2. two inputs, one output ---------------------------------------------------------------------

def test_out_refuses_two_inputs_that_map_to_one_output(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(NOTICE if folder == "a" else NOTICE.replace("刘建华", "王小明"),
                                                 encoding="utf-8")
    out = tmp_path / "public"
    res = run("redact", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out))
    assert res.exit_code == 2
    assert "x.txt" in res.stderr and "same output" in res.stderr
    assert not out.exists()
    res = run("redact", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt"), "--out", str(out))
    assert res.exit_code == 2 and not out.exists()


# -- 3. --in-place -----------------------------------------------------------------------------------

def test_in_place_refuses_a_symlink_and_leaves_link_and_target_as_they_are(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text(NOTICE, encoding="utf-8")
    link = tmp_path / "docs" / "link.txt"
    link.parent.mkdir()
    link.symlink_to(target)
    res = run("redact", str(link), "--in-place", "--log", str(tmp_path / "log.jsonl"))
    assert res.exit_code == 1
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8") == NOTICE
    assert f"not written: {link}: a symbolic link" in res.stderr


def test_in_place_keeps_going_after_a_write_error(tmp_path, monkeypatch):
    import redactaudit.audit.redaction as audit_module

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(NOTICE, encoding="utf-8")
    real = audit_module.atomic_write_bytes

    def failing(path, data, mode=None):
        if Path(path).name == "b.txt" and Path(path).parent == docs:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, mode)

    monkeypatch.setattr(audit_module, "atomic_write_bytes", failing)
    log = tmp_path / "log.jsonl"
    res = run("redact", str(docs), "--in-place", "--log", str(log))
    assert res.exit_code == 1
    assert (docs / "a.txt").read_text(encoding="utf-8") == REDACTED
    assert (docs / "b.txt").read_text(encoding="utf-8") == NOTICE
    assert (docs / "c.txt").read_text(encoding="utf-8") == REDACTED
    assert f"not written: {docs / 'b.txt'}: cannot write {docs / 'b.txt'}: No space left on device" in res.stderr
    events = [(r["event"], Path(r.get("path", "")).name) for r in journal(log)]
    assert events == [("start", ""), ("written", "a.txt"), ("not_written", "b.txt"), ("written", "c.txt"), ("end", "")]


def test_in_place_log_is_written_as_it_goes(tmp_path, monkeypatch):
    import redactaudit.audit.redaction as audit_module

    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (docs / name).write_text(NOTICE, encoding="utf-8")
    real = audit_module.atomic_write_bytes

    def interrupted(path, data, mode=None):
        if Path(path).name == "c.txt" and Path(path).parent == docs:
            raise KeyboardInterrupt
        return real(path, data, mode)

    monkeypatch.setattr(audit_module, "atomic_write_bytes", interrupted)
    log = tmp_path / "log.jsonl"
    res = run("redact", str(docs), "--in-place", "--log", str(log))
    assert res.exit_code == 130
    records = journal(log)
    assert [(r["event"], Path(r.get("path", "")).name) for r in records] == [
        ("start", ""), ("written", "a.txt"), ("written", "b.txt"), ("interrupted", "")]
    for r in records[1:3]:
        assert Path(r["path"]).read_text(encoding="utf-8") == REDACTED
        assert [e["category"] for e in r["edits"]] == ["place", "person", "money", "phone", "person"]
    assert (docs / "c.txt").read_text(encoding="utf-8") == NOTICE


def test_in_place_backups_are_private_and_keep_the_original_mode(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "sub" / "secret.txt").write_text(NOTICE, encoding="utf-8")
    os.chmod(docs / "sub" / "secret.txt", 0o600)
    (docs / "open.txt").write_text(NOTICE, encoding="utf-8")
    os.chmod(docs / "open.txt", 0o644)
    assert run("redact", str(docs), "--in-place", "--log", str(tmp_path / "log.jsonl")).exit_code == 0
    backup = docs / ".redactaudit-backup"
    assert files_under(backup) == [".gitignore", "open.txt", "sub/secret.txt"]  # one folder, the tree mirrored
    assert (backup / ".gitignore").read_text(encoding="utf-8") == (
        "# redactaudit backups: originals kept by redact --in-place; never publish them\n*\n")
    assert (backup / "sub" / "secret.txt").read_text(encoding="utf-8") == NOTICE
    assert stat.S_IMODE((backup / "sub" / "secret.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((backup / "open.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE(backup.stat().st_mode) == 0o700 and stat.S_IMODE((backup / "sub").stat().st_mode) == 0o700
    assert stat.S_IMODE((docs / "sub" / "secret.txt").stat().st_mode) == 0o600  # the file keeps its own too
    assert not list(docs.rglob("*.bak"))


def test_backup_dir_option_holds_every_backup(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(NOTICE, encoding="utf-8")
    keep = tmp_path / "originals"
    res = run("redact", str(docs), "--in-place", "--backup-dir", str(keep), "--log", str(tmp_path / "l.jsonl"))
    assert res.exit_code == 0
    assert (keep / "a.txt").read_text(encoding="utf-8") == NOTICE
    assert not (docs / ".redactaudit-backup").exists()
    assert run("redact", str(docs), "--in-place", "--backup-dir", str(docs / "inside")).exit_code == 2


def test_second_in_place_run_leaves_the_backups_alone(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(NOTICE, encoding="utf-8")
    assert run("redact", str(docs), "--in-place", "--log", str(tmp_path / "1.jsonl")).exit_code == 0
    # New text in the file, then a second run: the first original is kept, the second one beside it.
    (docs / "a.txt").write_text(REDACTED + "经办人：王小明。\n", encoding="utf-8")
    log = tmp_path / "2.jsonl"
    res = run("redact", str(docs), "--in-place", "--log", str(log))
    assert res.exit_code == 0
    backup = docs / ".redactaudit-backup"
    assert files_under(backup) == [".gitignore", "a.txt", "a.txt.~1~"]
    assert (backup / "a.txt").read_text(encoding="utf-8") == NOTICE
    assert (backup / "a.txt.~1~").read_text(encoding="utf-8") == REDACTED + "经办人：王小明。\n"
    assert [Path(r["path"]).name for r in journal(log) if "path" in r] == ["a.txt"]
    scan = run("scan", str(docs), "--format", "json")
    assert [Path(d["path"]).name for d in json.loads(scan.stdout)["documents"]] == ["a.txt"]
    # A third run with nothing new changes nothing, not even a backup.
    assert run("redact", str(docs), "--in-place", "--log", str(tmp_path / "3.jsonl")).exit_code == 0
    assert files_under(backup) == [".gitignore", "a.txt", "a.txt.~1~"]


def test_temp_files_are_named_so_no_scan_reads_them(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(NOTICE, encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = docs / f".redactaudit-tmp-{dead.stdout.strip()}-0123456789ab"
    stale.write_text(NOTICE, encoding="utf-8")  # what a run killed between link and rename leaves
    scan = run("scan", str(docs), "--format", "json")
    assert [Path(d["path"]).name for d in json.loads(scan.stdout)["documents"]] == ["a.txt"]
    assert run("redact", str(docs), "--in-place", "--log", str(tmp_path / "l.jsonl")).exit_code == 0
    assert not stale.exists()  # its process is gone: the next run removes it
    assert sorted(p.name for p in docs.iterdir()) == [".redactaudit-backup", "a.txt"]


@pytest.mark.parametrize("unnamed", [True, False], ids=["O_TMPFILE", "named"])
@pytest.mark.parametrize("step", ["fsync", "link", "replace"])
def test_sigint_mid_write_leaves_no_temp_file(tmp_path, monkeypatch, step, unnamed):
    import redactaudit.fsutil as fsutil

    if not unnamed:  # a system without O_TMPFILE: a named temporary file from the start
        if step == "link":
            pytest.skip("a named temporary file is not linked")
        monkeypatch.setattr(fsutil, "_anonymous", lambda directory: None)
    target = tmp_path / "a.txt"
    target.write_text(NOTICE, encoding="utf-8")

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil.os, step, interrupt)
    with pytest.raises(KeyboardInterrupt):
        fsutil.atomic_write_bytes(target, REDACTED.encode("utf-8"))
    monkeypatch.undo()
    fsutil.atomic_write_bytes(target, REDACTED.encode("utf-8"))  # and with nothing in the way, it writes
    assert target.read_text(encoding="utf-8") == REDACTED
    target.write_text(NOTICE, encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    assert target.read_text(encoding="utf-8") == NOTICE


def test_an_allowlisted_path_is_not_published_unscanned(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text(NOTICE, encoding="utf-8")
    (src / "archive.txt").write_text(NOTICE, encoding="utf-8")
    config = tmp_path / "redactaudit.yaml"
    config.write_text("allowlist:\n  paths: ['archive.txt']\n", encoding="utf-8")
    out = tmp_path / "public"
    res = run("redact", str(src), "--out", str(out), "--config", str(config), "--log", str(tmp_path / "l.jsonl"))
    assert res.exit_code == 1
    assert files_under(out) == ["ok.txt"]
    assert f"not written: {src / 'archive.txt'}: not scanned (allowlisted path)" in res.stderr


def test_a_file_system_that_cannot_name_an_unnamed_file_gets_a_named_one(tmp_path, monkeypatch):
    import redactaudit.fsutil as fsutil

    def no_link(fd, name):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(fsutil, "_link", no_link)
    target = tmp_path / "a.txt"
    fsutil.atomic_write_bytes(target, b"new", mode=0o600)
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_out_does_not_publish_a_file_a_rule_did_not_finish(tmp_path, monkeypatch):
    import redactaudit.audit.scan as audit_module
    from redactaudit.model import FileError

    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(NOTICE, encoding="utf-8")
    (src / "slow.txt").write_text(NOTICE, encoding="utf-8")
    real = audit_module.detect

    def detect(document, ruleset, key, timeout, errors):
        if document.path.endswith("slow.txt"):
            errors.append(FileError(document.path, "rule mine.slow took longer than 1.0 s; skipped"))
        return real(document, ruleset, key, timeout=timeout, errors=errors)

    monkeypatch.setattr(audit_module, "detect", detect)
    res = run("redact", str(src), "--out", str(tmp_path / "o"), "--log", str(tmp_path / "l.jsonl"))
    assert res.exit_code == 1
    assert files_under(tmp_path / "o") == ["a.txt"]
    assert f"not written: {src / 'slow.txt'}: not fully scanned (rule mine.slow took longer" in res.stderr
    # In place the redaction of what was checked is kept, and the run still fails.
    res = run("redact", str(src), "--in-place", "--log", str(tmp_path / "l2.jsonl"))
    assert res.exit_code == 1 and (src / "slow.txt").read_text(encoding="utf-8") == REDACTED
    assert f"error {src / 'slow.txt'}: rule mine.slow took longer" in res.stderr


def test_an_input_inside_another_is_no_collision(tmp_path):
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "x.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "docs" / "sub" / "x.txt").write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "public"
    res = run("redact", str(tmp_path / "docs"), str(tmp_path / "docs" / "sub"), "--out", str(out),
              "--log", str(tmp_path / "l.jsonl"))
    assert res.exit_code == 0, res.stderr
    assert files_under(out) == ["sub/x.txt", "x.txt"]


def test_a_backup_folder_made_for_a_nested_file_is_private_all_the_way(tmp_path):
    docs = tmp_path / "docs"
    (docs / "a" / "b").mkdir(parents=True)
    (docs / "a" / "b" / "deep.txt").write_text(NOTICE, encoding="utf-8")
    assert run("redact", str(docs), "--in-place", "--log", str(tmp_path / "l.jsonl")).exit_code == 0
    backup = docs / ".redactaudit-backup"
    for folder in (backup, backup / "a", backup / "a" / "b"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_redact_a_file_name_that_is_not_utf8(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    name = os.fsencode(src) + b"/caf\xe9.txt"
    with open(name, "wb") as fh:
        fh.write(NOTICE.encode("utf-8"))
    log = tmp_path / "log.jsonl"
    res = run("redact", str(src), "--out", str(tmp_path / "o"), "--log", str(log))
    assert res.exit_code == 0, res.stderr
    assert files_under(tmp_path / "o") == [os.fsdecode(b"caf\xe9.txt")]
    written = [r for r in journal(log) if r["event"] == "written"]
    assert [Path(r["path"]).name for r in written] == ["caf\\xe9.txt"]


BACKUP_NOTE = "redactaudit backups (originals kept by redact --in-place); not scanned"


def test_a_backup_dir_under_a_later_scan_is_skipped_not_reported_as_leaking_copies(tmp_path):
    # Issue 17: the next scan read the originals beside the documents and reported them as copies
    # that leak. The default folder was skipped by name; one chosen with --backup-dir was not.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(NOTICE, encoding="utf-8")
    keep = tmp_path / "originals"
    assert run("redact", str(docs), "--in-place", "--backup-dir", str(keep), "--log", str(tmp_path / "l.jsonl")
               ).exit_code == 0
    res = run("scan", str(tmp_path), "--format", "json")
    report = json.loads(res.stdout)
    assert [d["path"] for d in report["documents"]] == [f"{tmp_path.as_posix()}/docs/a.txt",
                                                        f"{tmp_path.as_posix()}/l.jsonl"]
    assert report["skipped"] == [{"path": f"{tmp_path.as_posix()}/originals", "reason": BACKUP_NOTE}]
    assert res.exit_code == 0
    # Named on the command line, a backup folder is scanned: that is what was asked for.
    assert [Path(d["path"]).name for d in json.loads(run("scan", str(keep), "-f", "json").stdout)["documents"]] == [
        ".gitignore", "a.txt"]


def test_the_default_backup_folder_is_listed_as_skipped(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(NOTICE, encoding="utf-8")
    assert run("redact", str(docs), "--in-place", "--log", str(tmp_path / "l.jsonl")).exit_code == 0
    report = json.loads(run("scan", str(docs), "--format", "json").stdout)
    assert [Path(d["path"]).name for d in report["documents"]] == ["a.txt"]
    assert report["skipped"] == [{"path": f"{docs.as_posix()}/.redactaudit-backup", "reason": BACKUP_NOTE}]


def test_git_never_picks_up_the_originals(tmp_path):
    # The default folder lies inside the tree the user publishes: `git add docs/` must not commit
    # the unredacted originals it holds.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(NOTICE, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert run("redact", str(docs), "--in-place", "--log", str(tmp_path / "l.jsonl")).exit_code == 0
    subprocess.run(["git", "add", "docs"], cwd=tmp_path, check=True)
    staged = subprocess.run(["git", "diff", "--cached", "--name-only"], cwd=tmp_path, capture_output=True,
                            text=True, check=True).stdout
    assert staged == "docs/a.txt\n"


# -- writing to what is not a regular file --------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_report_written_to_a_pipe_or_device_goes_into_it_and_leaves_it_in_place(tmp_path):
    # Regression: `scan -o /dev/null` renamed a temporary file over /dev/null, which became a
    # regular file for every program on the machine. A device or a pipe is written into.
    from redactaudit import fsutil

    fifo = tmp_path / "report"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        fsutil.atomic_write_bytes(fifo, b'{"findings": []}\n')
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert os.read(reader, 100) == b'{"findings": []}\n'
        (tmp_path / "notice.txt").write_text("值班员刘建华，手机13912345678。\n", encoding="utf-8")
        assert run("scan", str(tmp_path / "notice.txt"), "-f", "json", "-o", str(fifo)).exit_code == 1
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert b'"identifiers.cn-mobile"' in os.read(reader, 1 << 16)
    finally:
        os.close(reader)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notice.txt", "report"]  # no temporary left


def test_a_report_written_through_a_symbolic_link_keeps_the_link(tmp_path):
    # Regression: `-o LINK` replaced the link with a regular file; `-o /dev/stdout` with standard
    # output redirected to a file wrote the report beside it and left the redirect empty.
    from redactaudit import fsutil

    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    fsutil.atomic_write_bytes(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    if os.path.isdir("/proc/self/fd"):
        with open(tmp_path / "stdout.txt", "w+b") as out:
            fd_link = tmp_path / "stdout"
            fd_link.symlink_to(f"/proc/self/fd/{out.fileno()}")
            fsutil.atomic_write_bytes(fd_link, b'{"findings": []}\n')
            assert fd_link.is_symlink()
            out.seek(0)
            assert out.read() == b'{"findings": []}\n'
