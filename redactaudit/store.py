"""Document reports kept on disk as they finish, so a scan's memory does not grow with its size.

In: each document's report pickled as it finishes, with what a report format prepared from it
and a few counts; then what its copies add (findings, the copies listed). Out: ReportStore, a
read-only sequence of DocumentReport in scan order that loads one report at a time from an
unnamed temporary file, and answers what a report needs of a document without loading it (its
path, its findings counted, its prepared output, its consistency summary). Nothing here scans,
aligns or formats.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from typing import Iterable, Iterator

from .model import Document, DocumentReport, Finding, Kind, Location, Reason, Severity

Tally = tuple[tuple[tuple[str, str, str], int], ...]  # ((kind, severity, category), count) per document


def _getter(cls) -> attrgetter:
    names = [f.name for f in fields(cls) if f.init]
    return attrgetter(*names)


# Frozen dataclasses with slots pickle through Python-level __getstate__/__setstate__ (fields()
# on every object: 10 µs a finding); as plain tuples of their fields they pickle in C and come back
# through their constructors, 3x faster. The tuples follow the types' own fields, whatever they are.
_DOCUMENT = _getter(Document)
_FINDING = _getter(Finding)
_REASON = _getter(Reason)
_LOCATION = _getter(Location)
_F_KIND, _F_SEVERITY, _F_WHY, _F_RELATED = (
    [f.name for f in fields(Finding) if f.init].index(n) for n in ("kind", "severity", "why", "related"))
_KINDS = {k.value: k for k in Kind}
_SEVERITIES = {s.value: s for s in Severity}


def _finding_out(f: Finding) -> list:
    t = list(_FINDING(f))
    t[_F_KIND], t[_F_SEVERITY] = f.kind._value_, f.severity._value_  # (.value is a Python-level property)
    t[_F_WHY] = [_REASON(r) for r in f.why] if f.why else ()
    t[_F_RELATED] = [_LOCATION(r) for r in f.related] if f.related else ()
    return t


def _finding_in(t: list, reasons: dict[tuple, Reason]) -> Finding:
    """`reasons`: the Reasons made so far for these findings, each made once (they repeat)."""
    t[_F_KIND], t[_F_SEVERITY] = _KINDS[t[_F_KIND]], _SEVERITIES[t[_F_SEVERITY]]
    if t[_F_WHY]:
        t[_F_WHY] = tuple([reasons.get(r) or reasons.setdefault(r, Reason(*r)) for r in t[_F_WHY]])
    if t[_F_RELATED]:
        t[_F_RELATED] = tuple(Location(*r) for r in t[_F_RELATED])
    return Finding(*t)


def _findings_in(rows: list[list]) -> tuple[Finding, ...]:
    reasons: dict[tuple, Reason] = {}
    return tuple([_finding_in(t, reasons) for t in rows])


def dump_findings(findings: Iterable[Finding]) -> bytes:
    return pickle.dumps([_finding_out(f) for f in findings], pickle.HIGHEST_PROTOCOL)


def load_findings(blob: bytes) -> list[Finding]:
    return list(_findings_in(pickle.loads(blob)))


def _fields(report: DocumentReport) -> tuple:
    return (_DOCUMENT(report.document), [_finding_out(f) for f in report.findings], report.consistency,
            [_finding_out(f) for f in report.withheld])


def dump_report(report: DocumentReport) -> bytes:
    """A report as bytes (a worker's result, a stored report)."""
    return pickle.dumps(_fields(report), pickle.HIGHEST_PROTOCOL)


def load_report(blob: bytes) -> DocumentReport:
    document, findings, consistency, withheld = pickle.loads(blob)
    return DocumentReport(Document(*document), _findings_in(findings), consistency, _findings_in(withheld))


def load_document(blob: bytes) -> Document:
    """A report's document only: its findings are not rebuilt."""
    return Document(*pickle.loads(blob)[0])


def load_masks(blob: bytes) -> tuple[Document, list[Finding]]:
    """A report's document and its masks only (what comparing copies needs): the other findings
    are not rebuilt."""
    document, findings, _, _ = pickle.loads(blob)
    return Document(*document), list(_findings_in([t for t in findings if t[_F_KIND] == "placeholder"]))


def tally(findings: Iterable[Finding]) -> Tally:
    return tuple(sorted(Counter((f.kind._value_, f.severity._value_, f.category) for f in findings).items()))


@dataclass(slots=True)
class _Entry:
    """What is kept in memory of a document: its path and where its parts are in the file."""

    path: str
    summary_at: int  # its consistency summary (pickled)
    summary_size: int
    at: int  # its report
    size: int
    prepared_at: int  # what a report format prepared from it (pickled)
    prepared_size: int
    prepared_after_copies: bool = False  # prepared again once its copies added findings
    findings_at: int = -1  # the findings its copies gave (pickled), or -1
    findings_size: int = 0
    added_rules: tuple[str, ...] = ()  # their rules
    copies_at: int = -1  # its copies listed: ([(index, containment)], how many more), or -1
    copies_size: int = 0


class ReportStore(Sequence):
    """The reports of one scan, in scan order, on disk: filled by `add`, completed by
    `add_findings` and `add_copies`, then only read. `counts`: the findings of all of them, by
    (kind, severity, category)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="redactaudit-")
        self._entries: list[_Entry] = []
        self.counts: Counter = Counter()

    def _append(self, *blobs: bytes) -> int:
        at = self._file.seek(0, os.SEEK_END)
        for b in blobs:
            self._file.write(b)
        return at

    def _read(self, at: int, size: int) -> bytes:
        self._file.seek(at)
        return self._file.read(size)

    def add(self, path: str, summary: dict, counts: Tally, report: bytes | DocumentReport, prepared: bytes = b"") -> int:
        """A document's report (dump_report's bytes, or the report itself: pickled straight into
        the file, never held whole as bytes), its consistency summary, its findings counted
        (tally) and what was prepared from it (pickled); its number."""
        about = pickle.dumps(summary, pickle.HIGHEST_PROTOCOL)
        at = self._append(about)
        if isinstance(report, DocumentReport):
            pickle.dump(_fields(report), self._file, pickle.HIGHEST_PROTOCOL)
        else:
            self._file.write(report)
        size = self._file.tell() - at - len(about)
        self._file.write(prepared)
        self._entries.append(_Entry(path, at, len(about), at + len(about), size, at + len(about) + size,
                                    len(prepared)))
        self.counts.update(dict(counts))
        return len(self._entries) - 1

    def set_prepared(self, index: int, prepared: bytes) -> None:
        """What a report format prepared again once the document's copies added their findings."""
        e = self._entries[index]
        e.prepared_at, e.prepared_size, e.prepared_after_copies = self._append(prepared), len(prepared), True

    def prepared_after_copies(self, index: int) -> bool:
        return self._entries[index].prepared_after_copies

    def blobs(self, index: int) -> tuple[bytes, bytes, bytes]:
        """Its report, the findings its copies added and its prepared output, as stored."""
        e = self._entries[index]
        return (self._read(e.at, e.size), self._read(e.findings_at, e.findings_size) if e.findings_at >= 0 else b"",
                self._read(e.prepared_at, e.prepared_size))

    def reorder(self, order: list[int]) -> None:
        """Put the documents in this order (numbers as `add` gave them)."""
        self._entries = [self._entries[i] for i in order]

    def add_findings(self, index: int, findings: list[Finding]) -> None:
        e = self._entries[index]
        blob = dump_findings(findings)
        e.findings_at, e.findings_size = self._append(blob), len(blob)
        e.added_rules = tuple(sorted({f.rule for f in findings}))
        self.counts.update(dict(tally(findings)))

    def add_copies(self, index: int, copies: list[tuple[int, float]], more: int) -> None:
        e = self._entries[index]
        blob = pickle.dumps((copies, more), pickle.HIGHEST_PROTOCOL)
        e.copies_at, e.copies_size = self._append(blob), len(blob)

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        e = self._entries[index]
        report = load_report(self._read(e.at, e.size))
        if e.findings_at < 0 and e.copies_at < 0:
            return report
        extra = self._findings(e)
        findings = tuple(sorted(report.findings + tuple(extra), key=lambda f: f.sort_key)) if extra else report.findings
        return replace(report, findings=findings, consistency=self._summary(e, report.consistency))

    def __iter__(self) -> Iterator[DocumentReport]:
        return (self[i] for i in range(len(self)))

    def stored(self, index: int) -> bytes:
        """The report as the scan made it, before its copies added anything, as stored (load_report)."""
        e = self._entries[index]
        return self._read(e.at, e.size)

    def added(self, index: int) -> list[Finding]:
        """The findings its copies gave it."""
        return self._findings(self._entries[index])

    def masks(self, index: int) -> tuple[Document, list[Finding]]:
        """Its document and its masks (load_masks)."""
        e = self._entries[index]
        return load_masks(self._read(e.at, e.size))

    def _findings(self, e: _Entry) -> list[Finding]:
        return load_findings(self._read(e.findings_at, e.findings_size)) if e.findings_at >= 0 else []

    def _summary(self, e: _Entry, summary: dict) -> dict:
        copies, more = pickle.loads(self._read(e.copies_at, e.copies_size)) if e.copies_at >= 0 else ([], 0)
        return with_copies(summary, e.added_rules, [(self.path(j), c) for j, c in copies], more)

    # What a report reads without loading the report (and `counts`).
    def path(self, index: int) -> str:
        return self._entries[index].path

    def prepared(self, index: int):
        """What the scan prepared for a report format (None if nothing), made before the document's
        copies added their findings (`added`)."""
        e = self._entries[index]
        return pickle.loads(self._read(e.prepared_at, e.prepared_size)) if e.prepared_size else None

    def has_prepared(self, index: int) -> bool:
        return self._entries[index].prepared_size > 0

    def changed(self, index: int) -> bool:
        """Whether its copies added findings to its report after the scan."""
        return self._entries[index].findings_at >= 0

    def summary(self, index: int) -> dict:
        """The document's consistency summary, with what its copies changed."""
        e = self._entries[index]
        return self._summary(e, pickle.loads(self._read(e.summary_at, e.summary_size)))


def with_copies(summary: dict, rules: Iterable[str], copies: list[tuple[str, float]], more: int) -> dict:
    """A document's consistency summary with what its copies gave: the checks their findings
    failed (their rules), and its copies (path, containment), the first of them, how many more."""
    rules = set(rules)
    if rules:
        summary = dict(summary, failed_checks=sorted(set(summary["failed_checks"]) | rules))
    if copies:
        summary = dict(summary, copies=[{"path": p, "containment": c} for p, c in copies])
        if more:
            summary["more_copies"] = more
    return summary
