"""JSON report: deterministic (sorted findings, sorted keys where order is free, no timestamps)."""

from __future__ import annotations

import json
from typing import TextIO

from ..model import AuditResult
from . import ReportOptions
from .common import _secret_spans, finding_record, printable, shown_path, summary, tool_info

SCHEMA_VERSION = 1


def build(result: AuditResult, *, show_values: bool = False, fail_on: str | None = None,
          failed: bool | None = None) -> dict:
    documents, findings = [], []
    for report in sorted(result.documents, key=lambda r: r.document.path):
        doc = report.document
        secrets = _secret_spans(report)
        records = [finding_record(f, doc, secrets, show_values=show_values)
                   for f in sorted(report.findings, key=lambda f: f.sort_key)]
        entry = {"path": shown_path(doc.path), "encoding": doc.encoding, "newline": doc.newline, "bom": doc.bom,
                 "chars": len(doc.text), "findings": len(records)}
        if doc.format != "text":
            entry["format"] = doc.format
            notes = getattr(doc.extracted, "notes", ())
            if notes:  # what extraction could not read in a file it read (pages without text)
                entry["notes"] = [printable(n) for n in notes]
        if doc.encoding_confidence is not None:
            entry["encoding_confidence"] = doc.encoding_confidence
        if report.consistency:
            entry["consistency"] = report.consistency
            if "copies" in report.consistency:
                entry["consistency"] = dict(report.consistency, copies=[
                    dict(c, path=shown_path(c["path"])) for c in report.consistency["copies"]])
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


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    # One finding per line: readable, diffable, and written by json's C encoder (indent= is pure
    # Python and costs more than the scan on large corpora).
    report = build(result, show_values=options.show_values, fail_on=options.fail_on, failed=options.failed)
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per finding
    out.write("{\n")
    keys = list(report)
    for n, key in enumerate(keys):
        value = report[key]
        out.write(f"  {json.dumps(key)}: ")
        if isinstance(value, list) and value:
            out.write("[\n")
            out.write(",\n".join("    " + encode(item) for item in value))
            out.write("\n  ]")
        else:
            out.write(encode(value))
        out.write(",\n" if n < len(keys) - 1 else "\n")
    out.write("}\n")
