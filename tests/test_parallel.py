"""Every core (issue 14): documents scanned in worker processes give the very report one process
gives, in every format; a worker that dies on a document fails that document only, and closed;
small inputs never start a pool; the JSON report written as documents finish is the report
made at once."""

from __future__ import annotations

import io
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from redactaudit.audit import ScanOptions, audit, load_ruleset
from redactaudit.audit import parallel
from redactaudit.audit.scan import fails, rule_infos
from redactaudit.cli import app
from redactaudit.config import Config
from redactaudit.model import Kind
from redactaudit.reporting import FORMATS, ReportOptions, render
from typer.testing import CliRunner

NAMES = ["陈立新", "刘建华", "王海峰", "赵晓军", "孙丽娟", "周志强"]
SPEECH = ("关于{place}乡村振兴工作的通报\n刚才，**同志通报了情况，{name}同志作了具体部署。值班员{name2}，手机139{n:08d}。\n"
          "过去一年，全区新建高标准农田{k}万亩，带动农户增收，处分***人。联系人：{name3}。\n")


def make_folder(root: Path, docs: int = 24) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(docs):
        text = SPEECH.format(place="XX县" if i % 3 else "田阳县", name=NAMES[i % 6], name2=NAMES[(i + 1) % 6],
                             name3=NAMES[(i + 2) % 6], n=i * 7919, k=i + 3) * (1 + i % 4)
        (root / f"d{i:02d}.txt").write_text(text, encoding="utf-8")
        if i % 5 == 0:  # a copy that masks what the original shows, and one in GBK with CRLF
            (root / f"d{i:02d}_masked.txt").write_text(text.replace(NAMES[i % 6], "某某"), encoding="utf-8")
            (root / f"d{i:02d}_gbk.txt").write_bytes(text.replace("\n", "\r\n").encode("gbk"))
    (root / "binary.dat").write_bytes(b"\x00\xff\x13\x00garbage\x80\x81\xfe" * 50)  # no known format: an error
    (root / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # not read: an error
    (root / "empty.txt").write_bytes(b"")
    # Documents read through a format travel to the workers and back with their map into the
    # source (a Word paragraph, an HTML or Markdown line and column).
    from tests.test_formats import fixture_docx

    (root / "letter.docx").write_bytes(fixture_docx())
    (root / "page.html").write_text(f"<html><body><p>联系人：{NAMES[0]}，手机13912345678。</p>"
                                    f"<!-- 审核：{NAMES[1]} --></body></html>", encoding="utf-8")
    (root / "notes.md").write_text(f"# 会议纪要\n\n**{NAMES[2]}**同志发言，电话13812345678。\n", encoding="utf-8")
    return root


LINUX = sys.platform.startswith("linux")
# How workers start: forked from this process (Linux, no other thread) or spawned (elsewhere).
START_METHODS = [pytest.param("fork", marks=pytest.mark.skipif(not LINUX, reason="workers fork on Linux only")),
                 "spawn"]


@pytest.fixture
def start(request, monkeypatch):
    monkeypatch.setattr(parallel, "start_method", lambda: request.param)
    return request.param


def scan(folder: Path, jobs: int, show_values: bool = False):
    ruleset = load_ruleset(Config())
    options = ScanOptions(jobs=jobs, worker_packs=(), parallel_from=0, prepare=("json", show_values))
    return audit([str(folder)], ruleset, Config(), options), rule_infos(ruleset)


def reports(result, rules, show_values: bool) -> dict[str, str]:
    out = {}
    failed = fails(result, "error")
    for name in FORMATS:
        buf = io.StringIO()
        render(name, result, buf, ReportOptions(show_values=show_values, fail_on="error", failed=failed, color=False,
                                                rules=rules))
        out[name] = buf.getvalue()
    return out


@pytest.mark.parametrize("start", START_METHODS, indirect=True)
@pytest.mark.parametrize("show_values", [False, True])
def test_jobs_give_the_same_report_in_every_format(tmp_path, show_values, start):
    folder = make_folder(tmp_path / "docs")
    one, rules = scan(folder, 1, show_values)
    three, _ = scan(folder, 3, show_values)
    first = reports(one, rules, show_values)
    assert reports(three, rules, show_values) == first
    # The JSON written as documents finish (prepared in the workers, patched where copies added
    # findings) is the report made from the documents at once.
    in_memory = replace(three, documents=tuple(three.documents))
    assert reports(in_memory, rules, show_values)["json"] == first["json"]
    report = json.loads(first["json"])
    assert any(f["rule"] == "consistency.cross-document" for f in report["findings"])
    assert [e["path"].rsplit("/", 1)[1] for e in report["errors"]] == ["binary.dat", "image.png"]
    assert report["skipped"] == []


@pytest.mark.parametrize("start", START_METHODS, indirect=True)
def test_a_worker_that_dies_on_a_document_fails_that_document_only(tmp_path, monkeypatch, start):
    folder = make_folder(tmp_path / "docs", docs=12)
    expected, _ = scan(folder, 1)
    monkeypatch.setenv(parallel.CRASH_ENV, "d07.txt")
    # every document to the worker (the one that dies, then the one forked or spawned in its
    # place), none to this process
    monkeypatch.setattr(parallel, "MAX_HERE_BYTES", -1)
    monkeypatch.setattr(parallel, "WARM_BYTES", 0)
    result, _ = scan(folder, 2)
    (error,) = [e for e in result.errors if e.path.endswith("d07.txt")]
    assert error.message == "the worker process scanning it ended (exit code 70); not scanned"
    assert [r.document.path for r in result.documents] == [
        r.document.path for r in expected.documents if not r.document.path.endswith("d07.txt")]
    assert fails(result, "never") is False and fails(replace(result, documents=()), "error") is True


def test_a_document_that_breaks_the_scanner_is_its_own_error(tmp_path, monkeypatch):
    folder = make_folder(tmp_path / "docs", docs=3)
    from redactaudit.audit import scan as scan_module

    real = scan_module.scan_document

    def breaks(document, *args, **kwargs):
        if document.path.endswith("d01.txt"):
            raise ValueError("boom")
        return real(document, *args, **kwargs)

    monkeypatch.setattr(scan_module, "scan_document", breaks)
    result, _ = scan(folder, 1)
    assert [(Path(e.path).name, e.message) for e in result.errors if "boom" in e.message] == [
        ("d01.txt", "internal error while scanning: ValueError: boom; not fully checked")]
    assert "d01.txt" not in {Path(r.document.path).name for r in result.documents}


def test_small_inputs_never_start_a_pool(tmp_path, monkeypatch):
    folder = make_folder(tmp_path / "docs", docs=6)

    def no_pool(self):
        raise AssertionError("a worker was started for a few small files")

    monkeypatch.setattr(parallel.Pool, "_start", no_pool)
    ruleset = load_ruleset(Config())
    result = audit([str(folder)], ruleset, Config(), ScanOptions(jobs=8, worker_packs=()))
    assert len(result.documents) > 6


def test_without_the_rules_recipe_the_scan_stays_in_this_process(tmp_path, monkeypatch):
    """A Ruleset built some other way (worker_packs None) cannot be rebuilt in a worker."""
    folder = make_folder(tmp_path / "docs", docs=6)
    monkeypatch.setattr(parallel.Pool, "_start", lambda self: (_ for _ in ()).throw(AssertionError("started")))
    result = audit([str(folder)], load_ruleset(Config()), Config(), ScanOptions(jobs=4, parallel_from=0))
    assert any(f.kind is Kind.LEAK for f in result.findings)


def test_jobs_on_the_command_line(tmp_path):
    folder = make_folder(tmp_path / "docs", docs=4)
    runner = CliRunner()
    one = runner.invoke(app, ["scan", str(folder), "-f", "json", "--jobs", "1"], catch_exceptions=False)
    two = runner.invoke(app, ["scan", str(folder), "-f", "json", "-j", "2"], catch_exceptions=False)
    assert one.exit_code == two.exit_code == 1 and one.stdout == two.stdout
    assert runner.invoke(app, ["scan", str(folder), "--jobs", "0"]).exit_code == 2
    base = tmp_path / "b.json"
    # exit 1: the binary file and the image are not read, so not in the baseline
    assert runner.invoke(app, ["baseline", "create", str(folder), "-o", str(base), "--jobs", "2"]).exit_code == 1
    assert runner.invoke(app, ["baseline", "update", str(folder), "-b", str(base), "-j", "2"]).exit_code == 1
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        res = runner.invoke(app, ["redact", str(folder), "--out", str(out), "--jobs", jobs], catch_exceptions=False)
        assert res.exit_code == 1  # the binary file and the image are not written
        outs[jobs] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert Path("d00.txt") in outs["1"] and Path("letter.docx") in outs["1"] and Path("page.html") in outs["1"]
    assert outs["2"] == outs["1"]


def test_redaction_in_workers_writes_what_one_process_writes(tmp_path):
    from redactaudit.audit import RedactOptions, redact
    from redactaudit.policy import load_policy

    folder = make_folder(tmp_path / "docs", docs=6)
    ruleset = load_ruleset(Config())
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        result = redact([str(folder)], ruleset, Config(), load_policy("zh-gov"), RedactOptions(out=out),
                        ScanOptions(jobs=jobs, worker_packs=(), parallel_from=0))
        assert result.errors == () and [e.path.rsplit("/", 1)[1] for e in result.not_written] == ["binary.dat"]
        outs[jobs] = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert Path("letter.docx") in outs[1] and Path("notes.md") in outs[1]
    assert outs[2] == outs[1]


_LARGE_DOCUMENTS = """
import sys
from redactaudit.audit import ScanOptions, audit_documents, load_ruleset
from redactaudit.config import Config
from redactaudit.model import Document

if __name__ == "__main__":
    # Documents larger than a pipe holds, handed to workers whole (as redact does): the parent
    # sending the next one while a worker sends its result back must not wait on each other.
    docs = [Document(f"d{i}.txt", ("会议讲话精神" * 60_000) + f"联系人刘建华，手机139{i:08d}。", "utf-8", "\\n")
            for i in range(5)]
    result = audit_documents(docs, load_ruleset(Config()), Config(),
                             ScanOptions(jobs=2, worker_packs=(), parallel_from=0))
    print(len(result.documents), sum(1 for f in result.findings if f.rule == "identifiers.cn-mobile"))
"""


def test_documents_larger_than_a_pipe_pass_to_workers_and_back(tmp_path):
    script = tmp_path / "large.py"
    script.write_text(_LARGE_DOCUMENTS, encoding="utf-8")
    try:
        res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the parent and a worker waited on each other")
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["5", "5"]


@pytest.mark.parametrize("show_values", [False, True])
def test_each_finding_line_is_what_json_writes_for_its_record(tmp_path, show_values):
    # The lines are written field by field: each must be json.dumps of the record it parses to
    # (masks, related locations, locations in extracted documents, values).
    result, rules = scan(make_folder(tmp_path / "docs"), 1, show_values)
    text = reports(result, rules, show_values)["json"]
    start = text.index('  "findings": [\n') + len('  "findings": [\n')
    lines = text[start:text.index("\n  ],\n", start)].split(",\n")
    assert len(lines) == len(json.loads(text)["findings"]) > 10
    for line in lines:
        assert line == "    " + json.dumps(json.loads(line), ensure_ascii=False)
    kinds = {json.loads(line)["kind"] for line in lines}
    assert {"placeholder", "leak", "inconsistency"} <= kinds
    assert any('"related"' in line for line in lines) and any('"location"' in line for line in lines)


def test_a_finding_line_escapes_as_json_does():
    from redactaudit.model import Document, Finding, Kind, Location, Reason, Severity
    from redactaudit.reporting.common import finding_line

    text = 'a "q" \\ \x00 𝐀 13912345678 b'
    doc = Document("dir/\x1bname\udcff.txt", text, "utf-8", "none")
    f = Finding("r.x", Kind.PLACEHOLDER, "phone", Severity.INFO, doc.path, 13, 24, 1, 14, 1, 25, "13912345678",
                'm "q"', "00ff", 1, "asterisk", None, (Reason("cue", 'w"'), Reason("joined")),
                (Location(doc.path, 0, 1, 1, 1, 'n\\'),))
    for show in (False, True):
        line = finding_line(f, doc, [], show_values=show)
        assert line == json.dumps(json.loads(line), ensure_ascii=False)
        assert json.loads(line)["confidence"] == 1 and json.loads(line)["width"] is None


def test_a_path_and_a_message_of_the_same_text_are_each_written_as_their_own(monkeypatch):
    """The parts a document's findings share are kept per kind: a message that is the text of a
    path (or a path that is a message) is not written from the other's memo. Paths are shown as
    messages are today; shown differently here, the shared memo wrote the path for the message."""
    from redactaudit.model import Document, Finding, Kind, Severity
    from redactaudit.reporting import common

    monkeypatch.setattr(common, "shown_path", lambda path: "<" + path + ">")
    doc = Document("same", "a 13912345678 b", "utf-8", "none")
    f = Finding("r.x", Kind.LEAK, "phone", Severity.ERROR, "same", 2, 13, 1, 3, 1, 14, "13912345678", "same", "00ff")
    g = replace(f, message="other", path="other")
    parts = common.LineParts()
    assert [(json.loads(line)["path"], json.loads(line)["message"])
            for line in (common.finding_line(f, doc, [], parts=parts), common.finding_line(g, doc, [], parts=parts))
            ] == [("<same>", "same"), ("<other>", "other")]


def test_a_process_scanning_alone_leaves_a_large_documents_report_lines_to_the_report(tmp_path, monkeypatch):
    """Alone, the lines of one large document held together cost more memory than the document (a
    50 MB file peaked at 14x its size): past PREPARE_ALONE_CHARS the report writes them from the
    stored report, a finding at a time; a smaller document's are prepared as it finishes."""
    from redactaudit.audit.scan import ScanOptions as Options

    doc = tmp_path / "one.txt"
    doc.write_text(SPEECH.format(place="田阳县", name=NAMES[0], name2=NAMES[1], name3=NAMES[2], n=7, k=3), encoding="utf-8")
    size = len(doc.read_text(encoding="utf-8"))
    setup = parallel.WorkerSetup(Config(), (), Options(jobs=1, worker_packs=(), prepare=("json", False)))
    pool = parallel.Pool(1, setup, load_ruleset(Config()))
    monkeypatch.setattr(parallel, "PREPARE_ALONE_CHARS", size - 1)
    scanned = pool.here(("scan", ("file", str(doc), str(doc))))
    assert scanned.report.findings and scanned.prepared == b""
    monkeypatch.setattr(parallel, "PREPARE_ALONE_CHARS", size)
    scanned = pool.here(("scan", ("file", str(doc), str(doc))))
    assert pickle.loads(scanned.prepared)[1]["findings"] == len(scanned.report.findings)


@pytest.mark.parametrize("show_values", [False, True])
def test_a_prepared_part_with_findings_added_is_the_part_prepared_with_them(show_values):
    """What copies add (a value in clear another copy masks, a mask, a check at a leak's span) is
    put into a document's prepared JSON part: the same part as one prepared with them all."""
    from redactaudit.audit.scan import scan_document
    from redactaudit.model import Document, Finding, Severity
    from redactaudit.reporting import json_report
    from redactaudit.store import dump_report

    text = SPEECH.format(place="田阳县", name=NAMES[0], name2=NAMES[1], name3=NAMES[2], n=7, k=3)
    doc = Document("one.txt", text, "utf-8", "\n")
    ruleset = load_ruleset(Config())
    base, _ = scan_document(doc, ruleset, Config(), ScanOptions(), [])
    leak = next(f for f in base.findings if f.kind is Kind.LEAK)
    at = text.index("带动农户")

    def made(rule, kind, start, end, style=None):
        return Finding(rule, kind, "person", Severity.ERROR, doc.path, start, end, 1, 1, 1, 1, text[start:end],
                       "m", rule, style=style)

    added = [made("consistency.cross-document", Kind.INCONSISTENCY, leak.start, leak.end),
             made("consistency.cross-document", Kind.INCONSISTENCY, at, at + 2)]
    for extra in ([], [made("placeholders.asterisk", Kind.PLACEHOLDER, at + 4, at + 6, "asterisk")]):
        ready = json_report.prepare(base, show_values=show_values)
        got = json_report.with_added(ready, dump_report(base), added + extra)
        whole = replace(base, findings=tuple(sorted(base.findings + tuple(added + extra), key=lambda f: f.sort_key)))
        want = json_report.prepare(whole, show_values=show_values)
        assert got[:3] == want[:3] and pickle.loads(got[3]) == pickle.loads(want[3])


def test_workers_fork_on_linux_while_no_other_thread_runs_else_spawn(monkeypatch):
    """A fork copies the locks other threads hold (and macOS's system libraries are not safe in a
    forked child): workers are spawned unless this is Linux and no other thread runs."""
    for platform in ("darwin", "win32"):
        monkeypatch.setattr(sys, "platform", platform)
        assert parallel.start_method() == "spawn"
    monkeypatch.undo()
    if not LINUX:
        return
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel.start_method() == "spawn"
    finally:
        stop.set()
        other.join()
    if len(os.listdir("/proc/self/task")) == 1:  # this test process may run threads of its own
        assert parallel.start_method() == "fork"


_PARENT_KILLED = """
import os, signal, sys
from redactaudit.audit import ScanOptions, load_ruleset, parallel
from redactaudit.config import Config

if __name__ == "__main__":
    parallel.WARM_BYTES = 0  # fork at once
    files = sorted(os.path.join(sys.argv[1], n) for n in os.listdir(sys.argv[1]))
    tasks = [("scan", ("file", f, f)) for f in files]
    setup = parallel.WorkerSetup(Config(), (), ScanOptions(jobs=3, worker_packs=(), parallel_from=0))
    pool = parallel.Pool(3, setup, load_ruleset(Config()))
    pool.start(tasks)
    next(pool.map(tasks))
    ends = {f"socket:[{os.fstat(w.conn.fileno()).st_ino}]" for w in pool._workers}  # this process's
    held = 0
    for w in pool._workers:
        assert w.conn.recv() == "ready"  # sent once it has closed what it inherited
        fds = f"/proc/{w.process.pid}/fd"
        held += sum(os.readlink(os.path.join(fds, fd)) in ends for fd in os.listdir(fds))
    print(parallel.start_method(), held, *(w.process.pid for w in pool._workers), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not LINUX, reason="workers fork on Linux only")
def test_forked_workers_end_when_their_parent_is_killed(tmp_path):
    """A forked worker inherits this process's end of its own pipe and of the workers' forked
    before it: it closes them, so when this process is killed each worker reads the end of its
    pipe and exits instead of waiting for a task forever."""
    import time

    script = tmp_path / "killed.py"
    script.write_text(_PARENT_KILLED, encoding="utf-8")
    folder = make_folder(tmp_path / "docs", docs=8)
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("w") as stdout, err.open("w") as stderr:  # files: a worker left running holds a pipe open
        res = subprocess.run([sys.executable, str(script), str(folder)], stdout=stdout, stderr=stderr, timeout=120)
    method, held, *pids = out.read_text().split()
    assert res.returncode == -9 and method == "fork" and len(pids) == 2, err.read_text()[-2000:]
    assert held == "0"  # no worker holds this process's end of any worker's pipe

    def running(pid: str) -> bool:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return False
        return "\nState:\tZ" not in status

    deadline = time.monotonic() + 60  # a bound on a hang, not a timing check
    while any(map(running, pids)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in pids if running(pid)]
    for pid in left:
        os.kill(int(pid), signal.SIGKILL)
    assert not left, "a worker outlived its parent, waiting on its own pipe"
