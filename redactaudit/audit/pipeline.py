"""One run's documents, from inputs to an AuditResult: scanned (in this process or in workers),
kept (in memory, or on disk as they finish), then compared across copies.

In: the inputs in scan order (a Document, an input to read, or what became of one that gives no
document: FileError, Skipped), the rules and how they were built, the options. Out: an
AuditResult whose documents are in scan order, with errors and skipped inputs in the order the
scan met them, whatever order the workers finished in: the same result for any number of jobs.
"""

from __future__ import annotations

import gc
import os
import tempfile
from array import array
from collections.abc import Sequence
from dataclasses import replace
from typing import Iterable, Iterator

from ..config import Config
from ..consistency.copies import Sample
from ..consistency.crossdoc import cross_document_at_scale
from ..engine.packs import Ruleset
from ..model import AuditResult, Document, DocumentReport, FileError, Skipped
from ..store import ReportStore, load_report, with_copies
from .parallel import Job, Pool, WorkerSetup


def run(entries: Iterable[Document | FileError | Skipped | Job], ruleset: Ruleset, config: Config, options, *,
        on_disk: bool, errors: Iterable[FileError] = (), skipped: Iterable[Skipped] = (),
        progress=None) -> AuditResult:
    """Scan every input and compare the copies among them: in `options.jobs` worker processes
    when `options.worker_packs` says how `ruleset` was built, else in this process. `on_disk`:
    reports go to a temporary file as they finish (memory flat in the number of documents), else
    they stay in memory. `progress(bytes, done, total, findings)` (audit.scan.Progress) is told
    after each input and, with bytes None, before the copies are compared."""
    placed: list[tuple[int, FileError | Skipped]] = []  # (position, what) in scan order
    jobs: list[Job] = []
    at: list[int] = []  # each job's position
    for n, entry in enumerate(entries):
        if isinstance(entry, (FileError, Skipped)):
            placed.append((n, entry))
            continue
        jobs.append(("document", entry) if isinstance(entry, Document) else entry)
        at.append(n)
    packs = options.worker_packs
    setup = WorkerSetup(config, packs or (), options, gc.get_threshold())
    store = ReportStore() if on_disk else None
    reports: dict[int, DocumentReport] = {}
    numbered: dict[int, int] = {}  # job -> its number in the store
    samples: dict[int, object] = {}
    scan_errors: dict[int, tuple[FileError, ...]] = {}
    kept = _Samples() if on_disk else None
    withheld = done = found = 0
    with Pool(options.jobs if packs is not None else 1, setup, ruleset) as pool:
        tasks = [("scan", job) for job in jobs]
        pool.start(tasks)
        for i, scanned in pool.map(tasks):
            if progress is not None:
                done += 1
                found += sum(n for _, n in scanned.tally)
                progress(scanned.size, done, len(at), found)
            if scanned.outcome is not None:
                placed.append((at[i], scanned.outcome))
                continue
            withheld += scanned.withheld
            if scanned.errors:
                scan_errors[i] = scanned.errors
            if scanned.sample is not None:
                if kept is not None:
                    kept.add(i, scanned.sample)
                else:
                    samples[i] = scanned.sample
            if store is not None:
                numbered[i] = store.add(scanned.path, scanned.summary or {}, scanned.tally, scanned.report,
                                        scanned.prepared)
            else:
                got = scanned.report
                reports[i] = got if isinstance(got, DocumentReport) else load_report(got)
        del tasks, jobs
        if progress is not None:
            progress(None, done, len(at), found)
        order = sorted(numbered) if store is not None else sorted(reports)
        if store is not None:
            store.reorder([numbered[i] for i in order])
            del numbered
            # What copies give each document, stored as it comes; with workers, the documents it
            # changes are prepared again there meanwhile (the JSON lines their findings change).
            changed: list[int] = []
            for k, prepared in pool.map(_compare_copies(store, kept.ordered(order), options.key, changed,
                                                        bool(pool.workers and options.prepare))):
                if prepared is not None:
                    store.set_prepared(changed[k], prepared)
            kept.close()
            documents = store
        else:
            documents = _compared_in_memory([reports[i] for i in order], [samples.get(i) for i in order], options.key)
    placed.sort(key=lambda p: p[0])
    load_errors = [e for _, e in placed if isinstance(e, FileError)]
    all_errors = [*errors, *load_errors, *(e for i in sorted(scan_errors) for e in scan_errors[i])]
    all_skipped = [*skipped, *(s for _, s in placed if isinstance(s, Skipped))]
    return AuditResult(documents=documents, errors=tuple(all_errors), skipped=tuple(all_skipped), suppressed=withheld)


def _compare_copies(store: ReportStore, samples: "_Samples", key: bytes, changed: list[int], prepare: bool
                    ) -> Iterator[tuple]:
    """What the documents' copies give them, written to the store document by document; yields
    a task to prepare each changed document's report output again (if `prepare`), its store
    number appended to `changed`."""
    number = samples.numbers  # store numbers of the documents with a sample
    for k, found, listed, more in cross_document_at_scale(samples, lambda k: store.masks(number[k]), key,
                                                          path_of=lambda k: store.path(number[k])):
        if listed:
            store.add_copies(number[k], [(number[j], c) for j, c in listed], more)
        if found:
            store.add_findings(number[k], found)
            if prepare and store.has_prepared(number[k]):
                changed.append(number[k])
                yield ("prepare", *store.blobs(number[k]))


def _compared_in_memory(reports: list[DocumentReport], samples: list, key: bytes) -> tuple[DocumentReport, ...]:
    number = [i for i, s in enumerate(samples) if s is not None]
    out = list(reports)
    for k, extra, listed, more in cross_document_at_scale(
            [samples[i] for i in number], lambda k: (reports[number[k]].document, reports[number[k]].findings), key):
        report = reports[number[k]]
        findings = tuple(sorted(report.findings + tuple(extra), key=lambda f: f.sort_key)) if extra else report.findings
        out[number[k]] = replace(report, findings=findings, consistency=with_copies(
            report.consistency, (f.rule for f in extra), [(reports[number[j]].document.path, c) for j, c in listed],
            more))
    return tuple(out)


class _Samples(Sequence):
    """The documents' samples for the index of copies, on disk (the index reads each a few times;
    none is held): the shingles of each distinct text written once, its copies pointing there."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="redactaudit-")
        self._where: dict[int, tuple[bytes, bytes, int, int]] = {}  # job -> (text_key, raw_key, at, size)
        self._texts: dict[bytes, tuple[bytes, int, int]] = {}  # text_key -> (the key, at, size)
        self._order: list[int] = []
        self.numbers: list[int] = []

    def add(self, job: int, sample: Sample) -> None:
        text = self._texts.get(sample.text_key)
        if text is None:
            blob = sample.shingles.tobytes()
            at = self._file.seek(0, os.SEEK_END)
            self._file.write(blob)
            text = self._texts[sample.text_key] = (sample.text_key, at, len(blob))
        self._where[job] = (text[0], sample.raw_key, text[1], text[2])

    def ordered(self, order: list[int]) -> "_Samples":
        """These samples as a sequence in the store's order (`order`: the jobs, store number by
        store number); `numbers`: the store number of each."""
        self._order = [job for job in order if job in self._where]
        self.numbers = [n for n, job in enumerate(order) if job in self._where]
        self._texts = {}
        return self

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, k: int) -> Sample:
        text_key, raw_key, at, size = self._where[self._order[k]]
        self._file.seek(at)
        shingles = array("I")
        shingles.frombytes(self._file.read(size))
        return Sample(text_key, shingles, raw_key)

    def close(self) -> None:
        self._file.close()
