"""SARIF 2.1.0 for code-scanning dashboards and pull-request annotations.

Columns are Unicode code points (`columnKind: unicodeCodePoints`), which is what redactaudit
counts; SARIF's default (UTF-16 code units) would shift every column after a character outside
the BMP. Messages carry the masked excerpt, never the value; `partialFingerprints` carry the
keyed content fingerprint, so results keep their identity when lines move.
"""

from __future__ import annotations

import json
from typing import TextIO

from ..model import AuditResult, Document, Finding, Kind, Severity
from ..vocabulary import CHECKS
from . import ReportOptions, RuleInfo
from .common import _secret_spans, excerpt, path_uri, printable, shown_path, tool_info

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def build(result: AuditResult, *, show_values: bool = False, rules: dict[str, RuleInfo] | None = None) -> dict:
    known = rules or {}
    used = sorted({f.rule for f in result.findings})
    table = []
    for rid in used:
        check = CHECKS.get(rid)
        info = known.get(rid) or RuleInfo(check.description if check else rid, "inconsistency", "", "warning")
        description = check.description if check else info.message
        kind, category, severity = info.kind, info.category, info.severity
        table.append({
            "id": rid,
            "name": rid.replace(".", "/"),
            "shortDescription": {"text": description},
            "fullDescription": {"text": description},
            "help": {"text": f"{description} Mask the value with the project's one style and width, "
                             "or add it to the allowlist or baseline if it is public.",
                     "markdown": f"**{rid}**: {description}\n\nFix it with `redactaudit redact`, or accept it "
                                 "with an allowlist entry or a baseline."},
            "defaultConfiguration": {"level": _LEVEL[Severity.parse(severity)]},
            "properties": {"tags": [t for t in (kind, category) if t]},
        })
    index = {r["id"]: i for i, r in enumerate(table)}
    results = []
    for report in sorted(result.documents, key=lambda r: r.document.path):
        doc = report.document
        secrets = _secret_spans(report)
        for f in sorted(report.findings, key=lambda f: f.sort_key):
            entry = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL[f.severity],
                "message": {"text": f"{printable(f.message)} [{f.category}] {excerpt(doc, f, secrets, show_values=show_values)}"},
                "locations": [_location(f, doc)],
                "partialFingerprints": {"redactaudit/content/v1": f.fingerprint},
                "rank": round(f.confidence * 100, 1),  # how sure the rule is, 0-100
                "properties": {"kind": f.kind.value, "category": f.category, "confidence": f.confidence},
            }
            if f.related:
                entry["relatedLocations"] = [
                    {"id": i, "message": {"text": r.note or "related"},
                     "physicalLocation": {"artifactLocation": {"uri": path_uri(r.path)},
                                          "region": {"startLine": r.line, "startColumn": r.column}}}
                    for i, r in enumerate(f.related)]
            if f.kind is Kind.PLACEHOLDER:
                entry["properties"].update({"style": f.style, "width": f.width})
            results.append(entry)
    info = tool_info()
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": info["name"], "version": info["version"],
                                "informationUri": "https://github.com/redactaudit/redactaudit",
                                "rules": table}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            # A file not read or not fully checked is an error notification and the run did not
            # succeed; a file skipped on purpose (binary, allowlisted) is a note.
            "invocations": [{"executionSuccessful": not result.errors,
                             "toolExecutionNotifications": [
                                 {"level": "error", "message": {"text": f"{shown_path(e.path)}: {printable(e.message)}"},
                                  "locations": [_artifact(e.path)]}
                                 for e in sorted(result.errors, key=lambda e: e.path)] + [
                                 {"level": "note", "message": {"text": f"skipped {shown_path(s.path)}: {printable(s.reason)}"},
                                  "locations": [_artifact(s.path)]}
                                 for s in sorted(result.skipped, key=lambda s: s.path)]}],
        }],
    }


def _location(f: Finding, doc: Document) -> dict:
    """Where a result is: a region of the file; for a Word, PDF or OpenDocument file (whose bytes
    are no text) the file and a logical location (page, paragraph, table cell) instead."""
    physical: dict = {"artifactLocation": {"uri": path_uri(f.path)}}
    where = doc.where(f.start)
    if doc.format in ("text", "html", "markdown"):
        region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}
        if doc.format == "text":
            region.update(charOffset=f.start, charLength=f.end - f.start)
        physical["region"] = region
        return {"physicalLocation": physical}
    name = " ".join(f"{k} {v}" for k, v in where.items()) or doc.format
    return {"physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": name, "kind": "element", "properties": where}]}


def _artifact(path: str) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": path_uri(path)}}}


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    json.dump(build(result, show_values=options.show_values, rules=options.rules), out, ensure_ascii=False, indent=1)
    out.write("\n")
