"""JSON report: deterministic (sorted findings, sorted keys where order is free, no timestamps).

Written as it goes, one document at a time: each document's entry, then its findings kept in a
temporary file until the documents are listed, so memory does not grow with the number of
documents. A scan that knows the report is JSON prepares each document's part as the document
finishes (`prepare`, in the process that scanned it; a process scanning alone, for documents up
to audit.parallel.PREPARE_ALONE_CHARS); the report then only writes it out, unless the document
changed since (its copies gave it findings: `with_added` puts their lines in).
"""

from __future__ import annotations

import codecs
import io
import json
import os
import pickle
import shutil
import tempfile
from types import SimpleNamespace
from typing import Iterator, TextIO

from ..model import AuditResult, DocumentReport, Kind
from ..store import ReportStore, load_document, load_report
from . import ReportOptions
from .common import (EXCERPT_RADIUS, LineParts, _secret_spans, finding_line, masked_token, printable, shown_path,
                     summary, tool_info)

SCHEMA_VERSION = 1
_encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per finding


def _entry(report: DocumentReport, count: int) -> dict:
    doc = report.document
    entry = {"path": shown_path(doc.path), "encoding": doc.encoding, "newline": doc.newline, "bom": doc.bom,
             "chars": len(doc.text), "findings": count}
    if doc.format != "text":
        entry["format"] = doc.format
        notes = getattr(doc.extracted, "notes", ())
        if notes:  # what extraction could not read in a file it read (pages without text)
            entry["notes"] = [printable(n) for n in notes]
    if doc.encoding_confidence is not None:
        entry["encoding_confidence"] = doc.encoding_confidence
    return entry


def _consistency(consistency: dict) -> dict:
    if "copies" in consistency:
        return dict(consistency, copies=[dict(c, path=shown_path(c["path"])) for c in consistency["copies"]])
    return consistency


def _lines(report: DocumentReport, show_values: bool) -> Iterator[str]:
    """The document's findings' lines (records as JSON) in order, one at a time."""
    secrets = _secret_spans(report)
    parts = LineParts()
    for f in sorted(report.findings, key=lambda f: f.sort_key):
        yield finding_line(f, report.document, secrets, show_values=show_values, parts=parts)


def build(result: AuditResult, *, show_values: bool = False, fail_on: str | None = None,
          failed: bool | None = None) -> dict:
    """The whole report as one dict (in memory: for small results and tests; `render` streams)."""
    documents, findings = [], []
    for report in sorted(result.documents, key=lambda r: r.document.path):
        records = [json.loads(line) for line in _lines(report, show_values)]
        entry = _entry(report, len(records))
        if report.consistency:
            entry["consistency"] = _consistency(report.consistency)
        documents.append(entry)
        findings.extend(records)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": tool_info(),
        "documents": documents,
        "findings": findings,
        "errors": [{"path": shown_path(e.path), "message": printable(e.message)}
                   for e in sorted(result.errors, key=lambda e: e.path)],
        "skipped": [{"path": shown_path(s.path), "reason": printable(s.reason)}
                    for s in sorted(result.skipped, key=lambda s: s.path)],
        "summary": summary(result, fail_on, failed),
    }


_SEP = ",\n    "  # between two findings' lines (an encoded record holds no line break)
_SEP_BYTES = _SEP.encode()


def prepare(report: DocumentReport, *, show_values: bool) -> tuple:
    """One document's part of the report, as the scan finishes it: (show_values, its entry
    without the consistency summary its copies may still change, its findings' lines joined
    (UTF-8: stored and copied as they are, never decoded until the report is written), and,
    pickled, each line's (start, end, rule), the values its excerpts mask and the masks' spans:
    read only if its copies add findings)."""
    findings = sorted(report.findings, key=lambda f: f.sort_key)
    secrets = _secret_spans(report)
    parts = LineParts()
    lines = [finding_line(f, report.document, secrets, show_values=show_values, parts=parts) for f in findings]
    keys = [(f.start, f.end, f.rule) for f in findings]
    return show_values, _entry(report, len(lines)), _SEP.join(lines).encode(), pickle.dumps(
        (keys, secrets, _mask_spans(report)))


def _mask_spans(report: DocumentReport) -> list[tuple[int, int]]:
    return sorted({(f.start, f.end) for f in (*report.findings, *report.withheld) if f.kind is Kind.PLACEHOLDER})


def with_added(ready: tuple, stored: bytes, added: list) -> tuple:
    """A prepared part once the document's copies have added findings: their lines put in order,
    and the lines of the findings whose excerpt window now holds a value it did not (an added
    finding's value is masked in every excerpt) made again; the others are kept. `stored`: the
    report as the store keeps it (dump_report), whose findings are loaded only when a line is
    made again, or when a mask was added (then the masked values are worked out anew)."""
    show_values, entry, joined, more = ready
    keys, secrets, masks = pickle.loads(more)
    lines = joined.split(_SEP_BYTES) if joined else []
    base = None
    if any(f.kind is Kind.PLACEHOLDER for f in added):
        base = load_report(stored)
        doc = base.document
        merged = _secret_spans(DocumentReport(doc, base.findings + tuple(added), base.consistency, base.withheld))
        masks = sorted({*masks, *((f.start, f.end) for f in added if f.kind is Kind.PLACEHOLDER)})
    else:  # _secret_spans of the findings and those added, from what it gave for the findings
        doc = load_document(stored)
        at_mask = set(masks)
        merged = sorted(set(secrets).union([(f.start, f.end, masked_token(f.category)) for f in added
                                            if (f.start, f.end) not in at_mask]))
    fresh = [] if show_values else sorted(set(merged) - set(secrets))
    parts = LineParts()
    if fresh:
        findings = None
        for k, (start, end, _) in enumerate(keys):
            if any(s < end + EXCERPT_RADIUS and e > start - EXCERPT_RADIUS for s, e, _ in fresh):
                if findings is None:
                    base = base or load_report(stored)
                    findings = sorted(base.findings, key=lambda f: f.sort_key)
                lines[k] = finding_line(findings[k], doc, merged, show_values=show_values, parts=parts).encode()
    both = sorted([*zip(keys, lines), *(((f.start, f.end, f.rule), finding_line(
        f, doc, merged, show_values=show_values, parts=parts).encode()) for f in added)], key=lambda kv: kv[0])
    return (show_values, dict(entry, findings=len(both)), _SEP_BYTES.join(line for _, line in both),
            pickle.dumps(([k for k, _ in both], merged, masks)))


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    # One finding per line: readable, diffable, and written by json's C encoder (indent= is pure
    # Python and costs more than the scan on large corpora).
    docs = result.documents
    store = docs if isinstance(docs, ReportStore) else None
    if store is not None:
        order = sorted(range(len(store)), key=store.path)
    else:
        order = sorted(range(len(docs)), key=lambda i: docs[i].document.path)
    out.write("{\n")
    out.write(f'  "schema_version": {_encode(SCHEMA_VERSION)},\n')
    out.write(f'  "tool": {_encode(tool_info())},\n')
    with tempfile.TemporaryFile("w+b") as lines_file:  # the findings' lines, UTF-8
        written = 0
        out.write('  "documents": ')
        for n, i in enumerate(order):
            ready = store.prepared(i) if store is not None else None
            if ready is None or ready[0] != options.show_values:
                # Not prepared as it was scanned: its findings written a line at a time (a large
                # document's lines are never held together).
                report = store[i] if store is not None else docs[i]
                count = 0
                for line in _lines(report, options.show_values):
                    lines_file.write((("    " if written + count == 0 else _SEP) + line).encode())
                    count += 1
                entry, consistency = _entry(report, count), report.consistency
                del report
            else:
                if store.changed(i) and not store.prepared_after_copies(i):
                    ready = with_added(ready, store.stored(i), store.added(i))
                consistency = store.summary(i)
                entry, joined = ready[1], ready[2]
                if joined:
                    lines_file.write(b"    " if written == 0 else _SEP_BYTES)
                    lines_file.write(joined)
                count = entry["findings"]
            if consistency:
                entry = dict(entry, consistency=_consistency(consistency))
            out.write(("[\n    " if n == 0 else ",\n    ") + _encode(entry))
            written += count
        out.write("\n  ],\n" if order else "[],\n")
        out.write('  "findings": ')
        if written:
            out.write("[\n")
            lines_file.seek(0)
            sink = _utf8_bytes(out)
            if sink is not None:  # the lines' bytes as they are, not decoded and encoded again
                out.flush()
                shutil.copyfileobj(lines_file, sink)
            else:
                lines = io.TextIOWrapper(lines_file, encoding="utf-8", newline="")
                shutil.copyfileobj(lines, out)
                lines.detach()
            out.write("\n  ],\n")
        else:
            out.write("[],\n")
    errors = [{"path": shown_path(e.path), "message": printable(e.message)}
              for e in sorted(result.errors, key=lambda e: e.path)]
    skipped = [{"path": shown_path(s.path), "reason": printable(s.reason)}
               for s in sorted(result.skipped, key=lambda s: s.path)]
    for key, value in (("errors", errors), ("skipped", skipped)):
        out.write(f"  {json.dumps(key)}: ")
        out.write("[\n" + ",\n".join("    " + _encode(item) for item in value) + "\n  ]" if value else "[]")
        out.write(",\n")
    out.write(f'  "summary": {_encode(summary(_counted(result, store), options.fail_on, options.failed))}\n')
    out.write("}\n")


def _utf8_bytes(out: TextIO):
    """The binary file under `out` when text written to `out` reaches it as UTF-8 unchanged, else
    None: another encoding, or newlines translated (Windows; on POSIX only a wrapper made with
    newline='\\r\\n' translates, and the command line makes none)."""
    if not isinstance(out, io.TextIOWrapper) or os.linesep != "\n":
        return None
    try:
        utf8 = codecs.lookup(out.encoding).name == "utf-8"
    except LookupError:
        return None
    return out.buffer if utf8 else None


def _counted(result: AuditResult, store: ReportStore | None):
    """`result` as the summary reads it; from a store, its findings as counted when each document
    finished (one shared stand-in per kind, severity and category: none is loaded)."""
    if store is None:
        return result
    findings: list = []
    for (kind, severity, category), n in sorted(store.counts.items()):
        findings.extend([SimpleNamespace(kind=SimpleNamespace(value=kind), severity=SimpleNamespace(value=severity),
                                         category=category)] * n)
    return SimpleNamespace(documents=store, findings=findings, errors=result.errors, skipped=result.skipped,
                           suppressed=result.suppressed, baselined=result.baselined, stale=result.stale)
