"""What every format shares: masked excerpts, the finding record, the summary.

In: an AuditResult. Out: plain dicts and strings; no format-specific code here.
"""

from __future__ import annotations

import bisect
import os
import re
import urllib.parse
from collections import Counter

from .. import __version__
from ..identity import fingerprint
from ..model import AuditResult, Document, DocumentReport, Finding, Kind

EXCERPT_RADIUS = 24


_SURROGATES = re.compile("[\udc80-\udcff]")


def shown_path(path: str) -> str:
    """A path as every report writes it: the bytes of a file name that are not UTF-8 (carried by
    os.fsdecode as surrogate escapes) shown as \\xNN, so no output fails to encode."""
    if path.isascii():
        return path
    return _SURROGATES.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}", path)


def path_uri(path: str) -> str:
    """A path as a URI reference (SARIF): its bytes percent-encoded (a non-UTF-8 byte is %FF)."""
    try:
        data = os.fsencode(path)
    except UnicodeEncodeError:
        data = path.encode("utf-8", "backslashreplace")
    return urllib.parse.quote(data, safe="/")


def masked_token(category: str) -> str:
    return f"⟨{category}⟩"


def _secret_spans(report: DocumentReport) -> list[tuple[int, int, str]]:
    """Spans whose text is a value, not a mask: masked in every excerpt. An inconsistency that
    points at a mask (mask-length, mask-style) is no value and is shown as the mask it is."""
    masks = {(f.start, f.end) for f in report.findings if f.kind is Kind.PLACEHOLDER}
    return sorted((f.start, f.end, f.category) for f in report.findings
                  if f.kind is not Kind.PLACEHOLDER and (f.start, f.end) not in masks)


def excerpt(document: Document, finding: Finding, secrets: list[tuple[int, int, str]], *,
            show_values: bool = False, radius: int = EXCERPT_RADIUS) -> str:
    """The finding in its line with neighbours; every value in the window masked unless asked."""
    text = document.text
    start = max(0, finding.start - radius)
    end = min(len(text), finding.end + radius)
    # Stay within the finding's own lines.
    nl = max(text.rfind("\n", start, finding.start), text.rfind("\r", start, finding.start))
    if nl >= 0:
        start = nl + 1
    cut = [i for i in (text.find("\n", finding.end, end), text.find("\r", finding.end, end)) if i >= 0]
    if cut:
        end = min(cut)
    pieces, pos = [], start
    if not show_values:
        # Secrets are sorted by start; only those near the window matter (a long document has many).
        for k in range(bisect.bisect_left(secrets, (start - 1000,)), len(secrets)):
            s, e, category = secrets[k]  # no slice: a copy of the rest would make this quadratic
            if s >= end:
                break
            if e <= pos:
                continue
            s = max(s, pos)  # a value cut by the window edge is masked all the same
            pieces.append(text[pos:s])
            pieces.append(masked_token(category))
            pos = e
    pieces.append(text[pos:max(pos, end)])
    body = "".join(pieces).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def finding_record(finding: Finding, document: Document, secrets: list[tuple[int, int, str]], *,
                   show_values: bool = False, key: bytes | None = None) -> dict:
    record = {
        "path": shown_path(finding.path),
        "rule": finding.rule,
        "kind": finding.kind.value,
        "category": finding.category,
        "severity": finding.severity.value,
        "confidence": finding.confidence,
        "start": finding.start,
        "end": finding.end,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "excerpt": excerpt(document, finding, secrets, show_values=show_values),
        "message": finding.message,
        "why": list(finding.why),
        "fingerprint": fingerprint(finding.rule, finding.path, finding.text, key),
    }
    if finding.kind is Kind.PLACEHOLDER:
        record["style"] = finding.style
        record["width"] = finding.width
    if finding.related:
        record["related"] = [
            {"path": shown_path(r.path), "start": r.start, "end": r.end, "line": r.line, "column": r.column, "note": r.note}
            for r in finding.related
        ]
    if show_values:
        record["value"] = finding.text
    return record


def summary(result: AuditResult, fail_on: str | None = None, failed: bool | None = None) -> dict:
    findings = result.findings
    out = {
        "documents": len(result.documents),
        "findings": len(findings),
        "by_kind": dict(sorted(Counter(f.kind.value for f in findings).items())),
        "by_severity": dict(sorted(Counter(f.severity.value for f in findings).items())),
        "by_category": dict(sorted(Counter(f"{f.kind.value}:{f.category}" for f in findings).items())),
        "errors": len(result.errors),
        "skipped": len(result.skipped),
        "allowlisted": result.suppressed,
        "baselined": result.baselined,
        "stale_baseline_entries": list(result.stale),
    }
    if fail_on is not None:
        out["fail_on"] = fail_on
    if failed is not None:
        out["failed"] = failed
    return out


def tool_info() -> dict:
    return {"name": "redactaudit", "version": __version__}
