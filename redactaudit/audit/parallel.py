"""Documents scanned in worker processes: every core, one document's crash its own error.

In: inputs to read (a file's path, bytes read elsewhere, or a decoded Document), a WorkerSetup
(config, extra packs, options: what each worker builds its rules from), a number of jobs. Out:
one Scanned per input, in any order, with its input's number: the document's report pickled
(findings after the allowlists and the document's own checks), its consistency summary, the
sample the index of copies needs, and what the report format asked to prepare. What needs every
document (copies, the baseline, the verdict, the report) is the parent's.

On Linux, when this process runs no other thread, workers are forked once this process has
scanned the first WARM_BYTES itself: they inherit its rules with their automata warmed up (RE2
builds its DFA states as a text needs them, and regex patterns are compiled when first used), so
a worker starts in milliseconds and does not build, compile or warm up again. Elsewhere (macOS,
Windows, or a thread running) workers are started with `spawn` (nothing inherited) and build
their Ruleset once. Each scans one document at a time, a few queued ahead. A document that raises
is that document's error; a worker that dies (a crash in compiled code, the OOM killer) takes only
the document it was scanning with it: that document is listed under errors (the run fails
closed) and a new worker takes the rest. Small inputs are scanned in this process: a pool costs
a Python start and a rule build per spawned worker, a fork after this process's warm-up alone.
"""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import signal
import sys
import tempfile
from collections import deque
from dataclasses import dataclass
from typing import Iterable, Iterator

from ..config import Config
from ..engine.packs import Ruleset
from ..model import Document, DocumentReport, FileError, Skipped
from ..store import Tally, dump_report, load_findings, tally

# An input: ("file", path, display) | ("bytes", display, data) | ("document", Document)
Job = tuple
Task = tuple  # ("scan", Job) | ("prepare", report, added findings, prepared output), bytes as stored
DEPTH = 3  # tasks queued per worker, so none waits for the parent between documents
MIN_PARALLEL_BYTES = 1 << 20  # below this much input a pool's start costs more than it saves
MAX_HERE_BYTES = 1 << 20  # the parent takes no larger task while it has workers to feed
# A task carrying more than this (a document, bytes, a stored report) goes through a file, its
# message only naming it: the parent's sends stay small, so the parent never waits in a send while
# a worker waits in sending it a result (both pipes full: each waited on the other).
SPILL_BYTES = 32 << 10
# Alone, this process prepares the report's part of a document up to this many characters as it
# finishes it (the report then only copies it, and loads no unchanged report again); a larger
# document's lines are left to the report, which writes them a finding at a time (held together,
# a 50 MB file's lines peaked at 14x the file, against 8x).
PREPARE_ALONE_CHARS = 1 << 20
# With fork, this process scans documents alone until it has scanned this many bytes (a larger
# document ends it at once, for a worker), then forks, and a worker inherits the warm-up: about
# 0.5 s of CPU, two thirds of it on the first 16 KB of text. What is left is built in each process
# as new text needs it: on the dense benchmark folders, whose distinct texts fill their first
# 216 KB, a worker forked after 128 KB builds states worth 5-9% of a `--jobs 1` run's
# instructions (after 256 KB, 1%; spawned, 22-51% with the start and rule build).
WARM_BYTES = 128 << 10
CRASH_ENV = "REDACTAUDIT_TEST_CRASH"  # tests: a worker dies when it starts on a document ending so


@dataclass(frozen=True, slots=True)
class Scanned:
    """One input's scan as a worker returns it. `outcome` is what became of an input that gave no
    document (not read, not decoded, a binary file); otherwise the report is in `report`,
    pickled: the parent stores it as it is, never unpickling what it only passes on."""

    path: str = ""
    outcome: FileError | Skipped | None = None
    errors: tuple[FileError, ...] = ()  # found while scanning (a rule out of time)
    withheld: int = 0
    sample: object = None  # consistency.copies.Sample, or None when copies are not compared
    summary: dict | None = None  # the document's consistency summary
    tally: Tally = ()
    report: bytes | DocumentReport = b""  # the report itself when scanned in this process
    prepared: bytes = b""  # pickled: what the report format asked for prepared from the report
    size: int = 0  # the input's bytes (for progress)


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def start_method() -> str:
    """How workers start: "fork" on Linux when this process runs no thread but its main one (a
    fork copies a lock another thread may hold; Python 3.12 warns of it), else "spawn". macOS
    keeps spawn: its system libraries are not safe to use in a forked child."""
    if not sys.platform.startswith("linux"):
        return "spawn"
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:
        return "spawn"
    return "fork" if threads == 1 else "spawn"


def job_path(job: Job) -> str:
    return job[2] if job[0] == "file" else job[1] if job[0] == "bytes" else job[1].path


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """What a spawned worker builds its scanner from (the parent's Ruleset is not sent: compiled
    automata do not pickle, and rebuilding from the same config and packs gives the same rules;
    a forked worker inherits the parent's)."""

    config: Config
    packs: tuple[str, ...]
    options: object  # audit.scan.ScanOptions
    gc_threshold: tuple[int, ...] = (700, 10, 10)


class Scanner:
    """Does one task at a time with rules built once, the same in a worker and in this process:
    ("scan", input) gives a Scanned; ("prepare", report, added, prepared) gives a document's
    prepared report output again once its copies have added findings (bytes)."""

    def __init__(self, setup: WorkerSetup, ruleset: Ruleset | None = None, pickled: bool = True,
                 prepares: int | None = None):
        from .scan import load_ruleset, public_figures

        # `prepares`: prepare the report format's output as documents are scanned, for documents
        # of up to this many characters (None: all; see Pool.here).
        self.setup, self.pickled, self.prepares = setup, pickled, prepares
        self.ruleset = ruleset if ruleset is not None else load_ruleset(setup.config, setup.packs)
        self.figures = public_figures(setup.config)

    def __call__(self, task: Task):
        if task[0] == "prepare":
            return self._prepare(*task[1:])
        job = task[1]
        try:
            return self._scan(job)
        except Exception as exc:  # noqa: BLE001 - a document that breaks the scanner fails alone, and closed
            if os.environ.get("REDACTAUDIT_DEBUG"):
                raise
            return Scanned(path=job_path(job), outcome=FileError(
                job_path(job), f"internal error while scanning: {type(exc).__name__}: {exc}; not fully checked"))

    def _scan(self, job: Job) -> Scanned:
        from ..consistency import check_document
        from ..consistency.copies import sample_text
        from .scan import load_input, scan_document

        options = self.setup.options
        document = job[1] if job[0] == "document" else load_input(job, options)
        if not isinstance(document, Document):
            return Scanned(path=document.path, outcome=document)
        errors: list[FileError] = []
        report, withheld = scan_document(document, self.ruleset, self.setup.config, options, errors, self.figures)
        findings, summary = check_document(document, list(report.findings), options.key)
        report = DocumentReport(document=document, findings=tuple(findings), consistency=summary,
                                withheld=report.withheld)
        prepared = b""
        # The report format's output prepared as the document is scanned (in parallel, or alone
        # for a document of up to `prepares` characters), so the report then only copies it.
        if options.prepare and options.prepare[0] == "json" and (
                self.prepares is None or len(document.text) <= self.prepares):
            from ..reporting import json_report

            prepared = pickle.dumps(json_report.prepare(report, show_values=options.prepare[1]),
                                    pickle.HIGHEST_PROTOCOL)
        # The input's size for the progress line, without a copy of the text: the file's or the
        # bytes' (a document handed in whole counts its characters).
        if document.raw is not None:
            size = len(document.raw)
        else:
            size = task_size(("scan", job)) if job[0] != "document" else len(document.text)
        return Scanned(path=document.path, errors=tuple(errors), withheld=withheld, size=size,
                       sample=sample_text(document.text) if options.cross_document else None,
                       summary=summary, tally=tally(findings),
                       report=dump_report(report) if self.pickled else report,
                       prepared=prepared)

    def _prepare(self, report: bytes, added: bytes, prepared: bytes) -> bytes:
        from ..reporting import json_report

        ready = json_report.with_added(pickle.loads(prepared), report, load_findings(added))
        return pickle.dumps(ready, pickle.HIGHEST_PROTOCOL)


def _payload(task: Task) -> int:
    """About how many bytes sending the task takes (a file's path: nothing)."""
    if task[0] == "prepare":
        return sum(map(len, task[1:]))
    job = task[1]
    if job[0] == "file":
        return 0
    if job[0] == "bytes":
        return len(job[2])
    return len(job[1].text) * 2 + len(job[1].raw or b"")


def task_size(task: Task) -> int:
    if task[0] == "prepare":
        return len(task[1])
    job = task[1]
    if job[0] == "file":
        try:
            return os.stat(job[1]).st_size
        except OSError:
            return 0
    return len(job[2]) if job[0] == "bytes" else len(job[1].text)


class Pool:
    """This process and up to n - 1 worker processes (started for inputs large enough to be worth
    it), each worker fed a few tasks ahead through its own pipe, so the parent always knows which
    task a worker was on when it died. The parent takes a small task itself whenever every
    worker has its queue full."""

    def __init__(self, n: int, setup: WorkerSetup, ruleset: Ruleset):
        self._n, self._setup, self._ruleset = n, setup, ruleset
        self._here: Scanner | None = None
        self._ctx = None  # multiprocessing's context, imported when workers are wanted
        self._workers: list[_Worker] = []
        self._pending = 0  # workers wanted and not yet forked (while this process warms up)
        self._warmed = 0  # bytes this process scanned before forking
        self._spill: str | None = None  # a private folder for large tasks, made when one comes
        self._spilled = 0

    def _message(self, i: int, task: Task) -> tuple:
        """What is sent for task i: the task, or for a large one the name of a file holding it
        (the worker reads and removes it)."""
        if _payload(task) <= SPILL_BYTES:
            return i, task
        if self._spill is None:
            self._spill = tempfile.mkdtemp(prefix="redactaudit-tasks-")
        self._spilled += 1
        name = os.path.join(self._spill, f"{self._spilled}.task")
        with open(name, "wb") as handle:
            pickle.dump(task, handle, pickle.HIGHEST_PROTOCOL)
        return i, ("spilled", name)

    @property
    def workers(self) -> int:
        return len(self._workers)

    def here(self, task: Task):
        # The report stays an object here: the store pickles it straight into its file. With
        # workers running, this process prepares its share too (while they scan, not after);
        # alone, only documents of up to PREPARE_ALONE_CHARS.
        here = self._scanner()
        here.prepares = None if self._workers or self._pending else PREPARE_ALONE_CHARS
        return here(task)

    def _scanner(self) -> Scanner:
        self._here = self._here or Scanner(self._setup, self._ruleset, pickled=False)
        return self._here

    def start(self, tasks: list[Task]) -> None:
        """Start the workers if these tasks are worth it (forked ones later: `map` forks them
        once this process has scanned WARM_BYTES)."""
        least = self._setup.options.parallel_from
        if self._workers or self._n <= 1 or len(tasks) < 2 or (least and sum(map(task_size, tasks)) < least):
            return
        import multiprocessing  # here: a small scan never starts a worker, nor pays for the import

        self._ctx = multiprocessing.get_context(start_method())
        self._pending = min(self._n - 1, len(tasks) - 1)
        if self._ctx.get_start_method() != "fork":
            self._launch()  # a spawned worker takes a while to start: at once

    def _launch(self) -> None:
        for _ in range(self._pending):
            self._workers.append(self._start())  # one by one: a forked worker closes the ones before
        self._pending = 0

    def _start(self) -> "_Worker":
        here, there = self._ctx.Pipe()
        if self._ctx.get_start_method() == "fork":
            # The child gets this process's scanner (rules built, automata warm) and closes the
            # pipe ends that are this process's: its own (or it would never see this process
            # end) and the other workers'. What exists now is frozen for the child's collector:
            # it never finalizes what this process left to collect (a file with buffered
            # bytes), nor touches the pages it shares with this process to collect them.
            args = (there, self._setup, self._scanner(), (here, *(w.conn for w in self._workers)))
            gc.freeze()
        else:
            args = (there, self._setup)
        process = self._ctx.Process(target=serve, args=args, daemon=True, name="redactaudit-worker")
        try:
            process.start()
        finally:
            gc.unfreeze()
        there.close()
        return _Worker(process, here, deque())

    def map(self, tasks: Iterable[Task]) -> Iterator[tuple[int, object]]:
        """(task number, result) for every task, in the order they finish; tasks are taken from
        the iterable as workers need them (making one may be the parent's work: comparing copies
        while the workers prepare what is already compared). A scan task whose worker died gives
        that document's FileError; a prepare task, None (the parent redoes it)."""
        source = iter(tasks)
        made: dict[int, Task] = {}  # tasks handed out and not finished
        again: deque[int] = deque()  # tasks a dead worker had queued
        count = 0

        def take() -> int | None:
            nonlocal count, source
            if again:
                return again.popleft()
            if source is None:
                return None
            task = next(source, None)
            if task is None:
                source = None
                return None
            made[count] = task
            count += 1
            return count - 1

        while True:
            if self._pending:
                i = take()
                if i is not None and self._warmed < WARM_BYTES and task_size(made[i]) <= WARM_BYTES:
                    self._warmed += task_size(made[i])
                    yield i, self.here(made.pop(i))
                    continue
                if i is None:
                    self._pending = 0  # nothing left for a worker
                else:
                    again.appendleft(i)
                    self._launch()
            for w in self._workers:
                while len(w.queued) < DEPTH:
                    i = take()
                    if i is None:
                        break
                    w.conn.send(self._message(i, made[i]))
                    w.queued.append(i)
            mine = take()
            if mine is not None and self._workers and task_size(made[mine]) > MAX_HERE_BYTES:
                again.appendleft(mine)  # too large to hold the workers up for: wait for one of them
                mine = None
            if mine is not None:
                yield mine, self.here(made.pop(mine))
            busy = any(w.queued for w in self._workers)
            if not busy:
                if mine is None and source is None and not again:
                    return
                continue
            handles = {}
            for w in self._workers:
                handles[w.conn] = handles[w.process.sentinel] = w
            for ready in _wait(list(handles), 0 if mine is not None else None):
                w = handles[ready]
                if w not in self._workers:
                    continue  # ended and replaced earlier in this round
                for i, result in self._receive(w):
                    made.pop(i, None)
                    yield i, result
                if w.ended or not w.process.is_alive():
                    lost = self._replace(w, again)
                    if lost is not None:
                        yield lost, _lost(made.pop(lost), w.process.exitcode)

    def _receive(self, w: "_Worker") -> Iterator[tuple[int, object]]:
        while not w.ended and w.conn.poll():
            try:
                message = w.conn.recv()
            except (EOFError, OSError):
                w.ended = True
                return
            if message == "ready":
                w.ready = True
                continue
            i, result = message
            w.queued.remove(i)
            yield i, result

    def _replace(self, w: "_Worker", todo: deque) -> int | None:
        """A worker ended: the task it was on is lost (returned), the ones queued behind it go back
        to the queue, and a new worker takes its place. A worker that ended before it was ready is
        not replaced (workers cannot start here: the parent does what is left)."""
        w.process.join()
        w.conn.close()
        if not w.ready:
            self._workers.remove(w)
            todo.extendleft(reversed(w.queued))
            return None
        lost = w.queued.popleft() if w.queued else None
        todo.extendleft(reversed(w.queued))
        self._workers[self._workers.index(w)] = self._start()
        return lost

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc) -> None:
        for w in self._workers:
            try:
                w.conn.send(None)
            except OSError:
                pass
        for w in self._workers:
            w.process.join(timeout=5)
            if w.process.is_alive():
                w.process.terminate()
                w.process.join()
            w.conn.close()
        self._workers = []
        if self._spill is not None:
            shutil.rmtree(self._spill, ignore_errors=True)


def _wait(handles: list, timeout: float | None) -> list:
    from multiprocessing.connection import wait

    return wait(handles, timeout)


def _lost(task: Task, code: int | None):
    if task[0] == "prepare":
        return None
    path = job_path(task[1])
    return Scanned(path=path, outcome=FileError(
        path, f"the worker process scanning it ended (exit code {code}); not scanned"))


@dataclass(slots=True, eq=False)
class _Worker:
    process: object  # multiprocessing.process.BaseProcess
    conn: object
    queued: deque
    ready: bool = False
    ended: bool = False  # its pipe closed


def serve(conn, setup: WorkerSetup, scanner: Scanner | None = None, close: tuple = ()) -> None:
    """A worker's life: build the rules (or, forked, take the parent's `scanner` and close the
    parent's pipe ends it inherited), then do the tasks that come until told to stop (None)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and ends its workers
    gc.set_threshold(*setup.gc_threshold)
    for inherited in close:
        inherited.close()
    crash = os.environ.get(CRASH_ENV)
    if scanner is None:
        scanner = Scanner(setup)
    scanner.pickled, scanner.prepares = True, None
    conn.send("ready")
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        i, task = message
        if task[0] == "spilled":
            with open(task[1], "rb") as handle:
                task = pickle.load(handle)
            os.unlink(handle.name)
        if crash and task[0] == "scan" and job_path(task[1]).endswith(crash):
            os._exit(70)
        conn.send((i, scanner(task)))
