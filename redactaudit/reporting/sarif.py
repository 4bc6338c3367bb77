"""SARIF 2.1.0 for code-scanning dashboards and pull-request annotations.

Columns are Unicode code points (`columnKind: unicodeCodePoints`), which is what redactaudit
counts; SARIF's default (UTF-16 code units) would shift every column after a character outside
the BMP. Messages carry the masked excerpt, never the value; `partialFingerprints` carry the
keyed content fingerprint, so results keep their identity when lines move.
"""

from __future__ import annotations

import json
from typing import TextIO

from ..identity import hash_key
from ..model import AuditResult, Kind, Severity
from .common import _secret_spans, excerpt, finding_record, path_uri, printable, shown_path, tool_info

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_CHECKS = {
    "consistency.mask-length": "Masks of one category vary in width, so the width tells the hidden length.",
    "consistency.mask-style": "One category is masked in several styles.",
    "consistency.partial-mask": "A partial mask keeps more of the value than is usual.",
    "consistency.revealed-elsewhere": "The document masks this kind of value, yet shows one in clear.",
    "consistency.cross-document": "Another copy of this document masks the value shown here.",
    "consistency.copies-differ": "Two copies of a document mask the same value differently.",
}


def build(result: AuditResult, *, show_values: bool = False, rules_meta: dict | None = None) -> dict:
    key = hash_key()
    meta = rules_meta or {}
    used = sorted({f.rule for f in result.findings})
    rules = []
    for rid in used:
        message, kind, category, severity = meta.get(rid, (_CHECKS.get(rid, rid), "inconsistency", "", "warning"))
        description = _CHECKS.get(rid, message)
        rules.append({
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
    index = {r["id"]: i for i, r in enumerate(rules)}
    results = []
    for report in sorted(result.documents, key=lambda r: r.document.path):
        doc = report.document
        secrets = _secret_spans(report)
        for f in sorted(report.findings, key=lambda f: f.sort_key):
            record = finding_record(f, doc, secrets, show_values=show_values, key=key)
            entry = {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": _LEVEL[f.severity],
                "message": {"text": f"{printable(f.message)} [{f.category}] {excerpt(doc, f, secrets, show_values=show_values)}"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": path_uri(f.path)},
                    "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                               "endColumn": f.end_column, "charOffset": f.start, "charLength": f.end - f.start}}}],
                "partialFingerprints": {"redactaudit/content/v1": record["fingerprint"]},
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
                                "rules": rules}},
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


def _artifact(path: str) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": path_uri(path)}}}


def render(result: AuditResult, out: TextIO, *, show_values: bool = False, rules_meta: dict | None = None,
           **_: object) -> None:
    json.dump(build(result, show_values=show_values, rules_meta=rules_meta), out, ensure_ascii=False, indent=1)
    out.write("\n")
