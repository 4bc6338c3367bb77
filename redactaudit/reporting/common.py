"""What every format shares: masked excerpts, the finding record, the summary.

In: an AuditResult. Out: plain dicts and strings; no format-specific code here.
"""

from __future__ import annotations

import bisect
import json
import math
import os
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass

from .. import __version__
from ..model import AuditResult, Document, DocumentReport, Finding, Kind
from ..vocabulary import partial_shape

EXCERPT_RADIUS = 24


# C0 and C1 controls (ESC starts terminal sequences, 0x9B is a one-byte CSI), DEL, bidirectional
# overrides and isolates (they reorder what a reader sees), line separators, and the surrogate
# escapes os.fsdecode gives a file name's bytes that are not UTF-8.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                          "\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    o = ord(m.group())
    if 0xDC80 <= o <= 0xDCFF:
        return f"\\x{o - 0xDC00:02x}"
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def printable(text: str) -> str:
    """Text as every report writes it: control characters, terminal escapes, bidi overrides and a
    file name's non-UTF-8 bytes shown as \\xNN / \\uNNNN, so no output runs a terminal sequence,
    reorders a line or fails to encode."""
    if text.isprintable():
        return text
    return _UNPRINTABLE.sub(_escape, text)


shown_path = printable


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
    """(start, end, what the excerpt shows) of every value in the document, reported or withheld
    (allowlisted, baselined): masked in every excerpt. A partial mask shows its shape only (what
    it keeps is a value too). An inconsistency that points at a mask (mask-length, mask-style) is
    no value and is shown as the mask it is."""
    everything = (*report.findings, *report.withheld)
    masks = {(f.start, f.end) for f in everything if f.kind is Kind.PLACEHOLDER}
    spans = set()
    for f in everything:
        if f.kind is Kind.PLACEHOLDER:
            if f.style == "partial":
                spans.add((f.start, f.end, partial_shape(f.text)))
        elif (f.start, f.end) not in masks:
            spans.add((f.start, f.end, masked_token(f.category)))
    return sorted(spans)


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
            s, e, shown = secrets[k]  # no slice: a copy of the rest would make this quadratic
            if s >= end:
                break
            if e <= pos:
                continue
            s = max(s, pos)  # a value cut by the window edge is masked all the same
            pieces.append(text[pos:s])
            pieces.append(shown)
            pos = e
    pieces.append(text[pos:max(pos, end)])
    body = printable("".join(pieces).replace("\r", " ").replace("\n", " ").replace("\t", " "))
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


class LineParts:
    """What finding_line wrote for one document and one set of masked values, kept for the
    document's next findings: the parts many of them share (the last span's excerpt, a list of
    reasons, the spans a copy's finding points at, a path or a message as JSON) are written once
    each, in a memo per kind (a message may be the text of a path). At most MEMO of each are kept
    (a large document's are never all held)."""

    __slots__ = ("span", "excerpt", "whys", "related", "paths", "messages")
    MEMO = 256

    def __init__(self) -> None:
        self.span: tuple[int, int] = (-1, -1)  # findings come in order: one span's are together
        self.excerpt = ""
        self.whys: dict[tuple, str] = {}
        self.related: dict[tuple, str] = {}
        self.paths: dict[str, str] = {}
        self.messages: dict[str, str] = {}


def finding_line(finding: Finding, document: Document, secrets: list[tuple[int, int, str]], *,
                 show_values: bool = False, parts: LineParts | None = None) -> str:
    """The finding's record as one line of JSON, as json.dumps(ensure_ascii=False) writes it:
    written here field by field (a dict handed to the encoder cost twice as much). `parts`: those
    already written for this document and these `secrets` (the same for every finding given it)."""
    put = _ENCODE_STR
    kind = finding.kind
    if parts is None:
        parts = LineParts()
    paths, messages, whys = parts.paths, parts.messages, parts.whys
    if len(messages) > parts.MEMO or len(whys) > parts.MEMO or len(parts.related) > parts.MEMO:
        paths.clear(), messages.clear(), whys.clear(), parts.related.clear()
    path = paths.get(finding.path)
    if path is None:
        path = paths[finding.path] = put(shown_path(finding.path))
    message = messages.get(finding.message)
    if message is None:
        message = messages[finding.message] = put(printable(finding.message))
    span = (finding.start, finding.end)
    if span != parts.span:
        parts.span, parts.excerpt = span, put(excerpt(document, finding, secrets, show_values=show_values))
    shown = parts.excerpt
    why = whys.get(finding.why)
    if why is None:  # the reasons' texts may name another copy's path
        why = whys[finding.why] = ", ".join([put(printable(w.text)) for w in finding.why])
    line = (f'{{"path": {path}, "rule": {put(finding.rule)}, "kind": {put(kind._value_)}, '
            f'"category": {put(finding.category)}, "severity": {put(finding.severity._value_)}, '
            f'"confidence": {indented_json(finding.confidence)}, "start": {finding.start:d}, "end": {finding.end:d}, '
            f'"line": {finding.line:d}, "column": {finding.column:d}, "end_line": {finding.end_line:d}, '
            f'"end_column": {finding.end_column:d}, "excerpt": {shown}, "message": {message}, "why": [{why}], '
            f'"fingerprint": {put(finding.fingerprint)}')
    where = document.where(finding.start)
    if where:  # a page, a paragraph or table cell, a source line and column (extracted documents)
        line += f', "location": {_ENCODE(where)}'
    if kind is Kind.PLACEHOLDER:
        line += f', "style": {indented_json(finding.style)}, "width": {indented_json(finding.width)}'
    if finding.related:
        related = parts.related.get(finding.related)
        if related is None:
            related = parts.related[finding.related] = ', "related": [' + ", ".join([
                f'{{"path": {put(shown_path(r.path))}, "start": {r.start:d}, "end": {r.end:d}, "line": {r.line:d}, '
                f'"column": {r.column:d}, "note": {put(r.note)}}}' for r in finding.related]) + "]"
        line += related
    if show_values:
        line += f', "value": {put(finding.text)}'
    return line + "}"


_ENCODE_STR = json.encoder.encode_basestring  # json's own (in C), as ensure_ascii=False writes strings
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key) -> str:
    if isinstance(key, str):
        return _ENCODE_STR(key)
    if isinstance(key, float):
        return _ENCODE_STR(_float(key))
    if key is True or key is False or key is None:
        return _ENCODE_STR(_SCALARS[key])
    if isinstance(key, int):
        return _ENCODE_STR(int.__repr__(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


_SCALARS = {None: "null", True: "true", False: "false"}


def indented_json(value, level: int = 0) -> str:
    """`value` as json.dumps(value, ensure_ascii=False, indent=1) writes it, byte for byte: that
    pure-Python encoder (the C one takes no indent) makes a generator per container and yields
    every token, which costs more than building the report it writes."""
    if isinstance(value, str):
        return _ENCODE_STR(value)
    if value is None or value is True or value is False:
        return _SCALARS[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = "\n" + " " * (level + 1)
        return "[" + inner + ("," + inner).join([_ENCODE_STR(v) if type(v) is str else indented_json(v, level + 1)
                                                 for v in value]) + "\n" + " " * level + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = "\n" + " " * (level + 1)
        return "{" + inner + ("," + inner).join([
            (_ENCODE_STR(k) if type(k) is str else _key(k)) + ": "
            + (_ENCODE_STR(v) if type(v) is str else indented_json(v, level + 1)) for k, v in value.items()
        ]) + "\n" + " " * level + "}"
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


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


# --- What the reports for people share: ranking, one row per span, the masked window of a finding.

_KIND_ORDER = {Kind.LEAK: 0, Kind.INCONSISTENCY: 1, Kind.PLACEHOLDER: 2}


def by_severity(finding: Finding) -> tuple:
    """Most severe first, then leaks before checks before masks, then place in the file."""
    return (-finding.severity.rank, _KIND_ORDER.get(finding.kind, 3), finding.path, finding.start, finding.end,
            finding.rule)


def worst(report: DocumentReport, include_masks: bool = True) -> int:
    """The rank of a document's worst finding (-1 when it has none to show)."""
    ranks = [f.severity.rank for f in report.findings if include_masks or f.kind is not Kind.PLACEHOLDER]
    return max(ranks, default=-1)


def ranked_documents(result: AuditResult, by_path: dict[str, list["Row"]] | None = None) -> list[DocumentReport]:
    """Documents by their worst finding, then by how many errors and warnings (a leak and the check
    that escalated it count once), then by path. `by_path`: each document's rows, if made already."""
    def key(report: DocumentReport) -> tuple:
        listed = by_path[report.document.path] if by_path is not None else rows(report)
        counts = Counter(r.finding.severity.rank for r in listed)
        return (-max(counts, default=-1), -counts[2], -counts[1], report.document.path)
    return sorted(result.documents, key=key)


@dataclass(frozen=True, slots=True)
class Row:
    """What a report for people shows as one row: the findings on one span, the most telling first
    (a leak and the check that escalated it are one row, a mask and the check that compared it)."""

    finding: Finding
    also: tuple[Finding, ...] = ()

    @property
    def is_mask(self) -> bool:
        return self.finding.kind is Kind.PLACEHOLDER


def rows(report: DocumentReport, floor: int = 0, include_masks: bool = True) -> list[Row]:
    """One Row per span at or above `floor`, sorted by severity then position; rows that are only
    an existing mask are left out unless `include_masks`."""
    groups: dict[tuple[int, int], list[Finding]] = {}
    for f in report.findings:
        groups.setdefault((f.start, f.end), []).append(f)
    out = []
    for members in groups.values():
        members.sort(key=by_severity)
        head = members[0]
        if head.severity.rank < floor or (head.kind is Kind.PLACEHOLDER and not include_masks):
            continue
        out.append(Row(head, tuple(members[1:])))
    out.sort(key=lambda r: by_severity(r.finding))
    return out


def mask_counts(report: DocumentReport) -> dict[str, dict[str, int]]:
    """category -> style -> how many existing masks (the consistency summary's, else counted)."""
    masks = report.consistency.get("masks") if report.consistency else None
    if masks is not None:
        return masks
    counted: dict[str, dict[str, int]] = {}
    for f in report.findings:
        if f.kind is Kind.PLACEHOLDER:
            styles = counted.setdefault(f.category, {})
            styles[f.style or "?"] = styles.get(f.style or "?", 0) + 1
    return {c: dict(sorted(s.items())) for c, s in sorted(counted.items())}


def mask_summary(report: DocumentReport) -> tuple[int, str]:
    """(how many masks, 'person asterisk×3 mou×2; place x-run×1')."""
    masks = mask_counts(report)
    total = sum(n for styles in masks.values() for n in styles.values())
    text = "; ".join(f"{c} " + " ".join(f"{s}×{n}" for s, n in styles.items()) for c, styles in masks.items())
    return total, text


def short_rule(rule: str) -> str:
    """consistency.revealed-elsewhere -> revealed-elsewhere (a check named beside the leak it escalated)."""
    return rule.split(".", 1)[1] if rule.startswith("consistency.") else rule


def window(document: Document, finding: Finding, secrets: list[tuple[int, int, str]], *,
           show_values: bool = False, radius: int = 200, spans: tuple[tuple[int, int], ...] = ()
           ) -> tuple[str, list[tuple[int, int]], bool, bool]:
    """The finding's line(s) around it, every value masked as in `excerpt`, and where the finding's
    own span and `spans` (others on its lines) lie in that text: (text, [(start, end) of the finding,
    then of each span, (-1, -1) when outside], cut before, cut after). The caller crops."""
    text = document.text
    lines = document.text_lines  # of the text the offsets count (HTML and Markdown: extracted, not source)
    start = lines.span(lines.line(finding.start))[0]
    end = lines.span(lines.line(max(finding.start, finding.end - 1)))[1]
    if end < 0:
        end = len(text)
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    lo, hi = max(start, finding.start - radius), min(end, finding.end + radius)
    pieces: list[str] = []
    where: list[tuple[int, int, int, int, bool]] = []  # (from, to) in the text -> (from, to) shown; a token?
    size = 0

    def put(a: int, b: int, shown: str | None) -> None:
        nonlocal size
        chunk = printable(text[a:b].replace("\r", " ").replace("\n", " ").replace("\t", " ")) \
            if shown is None else shown
        pieces.append(chunk)
        where.append((a, b, size, size + len(chunk), shown is not None or len(chunk) != b - a))
        size += len(chunk)

    pos = lo
    if not show_values:
        for k in range(bisect.bisect_left(secrets, (lo - 1000,)), len(secrets)):
            s, e, shown = secrets[k]
            if s >= hi:
                break
            if e <= pos:
                continue
            if s > pos:
                put(pos, s, None)
            put(max(s, pos), min(e, hi), shown)
            pos = min(e, hi)
    if pos < hi:
        put(pos, hi, None)

    def locate(a: int, b: int) -> tuple[int, int]:
        if b <= lo or a >= hi:
            return (-1, -1)
        first = last = None
        for x, y, u, v, whole in where:
            if y <= a or x >= b:
                continue
            if first is None:
                first = u if whole else u + max(0, a - x)
            last = v if whole else u + min(b, y) - x
        return (first, last) if first is not None else (-1, -1)

    marks = [locate(finding.start, finding.end), *(locate(a, b) for a, b in spans)]
    return "".join(pieces), marks, lo > start, hi < end
