"""Terminal report, in the conventions of ruff, Vale and semgrep.

Documents ranked by their worst finding; in each, one row per span, most severe first, each
starting with `path:line:col` (what editors and terminals open), then severity, category, rule and
message, then the masked excerpt cut to the terminal's width with the finding's span marked
(`^^^`, and in colour). A leak and the check that escalated it are one row. Existing masks are
summarised per document unless `include_masks`; documents with nothing to show are counted, not
listed. A closing summary says in a few lines whether the scan failed and why.

Written line by line with plain ANSI sequences (colour only when asked), not through a layout
engine: on a corpus of thousands of files the report must cost little next to the scan.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TextIO

from rich.cells import cell_len, get_character_cell_size

from ..model import AuditResult, DocumentReport, Kind, Severity
from . import ReportOptions
from .common import (Row, _secret_spans, mask_summary, printable, ranked_documents, rows, short_rule, shown_path,
                     window)

DEFAULT_WIDTH = 100
_RESET = "\x1b[0m"
_STYLES = {"bold": "1", "dim": "2", "red": "31", "error": "1;31", "warning": "33", "info": "36", "ok": "1;32",
           "path": "1", "mark": "1;4;31", "maskmark": "4;36", "rule": "2", "fail": "1;31", "pass": "1;32"}
_LABEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


class _Paint:
    def __init__(self, on: bool):
        self.on = on

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{_STYLES[style]}m{text}{_RESET}" if self.on and text else text


def _strip(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


_cells = cell_len


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells: broken at a space when there is one, else between characters
    (Chinese has no spaces)."""
    width = max(width, 10)
    if cell_len(text) <= width:
        return [text]
    out: list[str] = []
    line, used, space_at = [], 0, -1
    for ch in text:
        w = get_character_cell_size(ch)
        if used + w > width:
            if space_at > 0 and ch != " ":
                rest = line[space_at + 1:]
                out.append("".join(line[:space_at]).rstrip())
                line, used = rest, sum(get_character_cell_size(c) for c in rest)
            else:
                out.append("".join(line).rstrip())
                line, used = [], 0
            space_at = -1
            if ch == " " and not line:
                continue
        if ch == " ":
            space_at = len(line)
        line.append(ch)
        used += w
    if line:
        out.append("".join(line).rstrip())
    return out or [""]


def _crop(text: str, marks: list[tuple[int, int]], cut_before: bool, cut_after: bool, width: int
          ) -> tuple[str, list[tuple[int, int]]]:
    """The excerpt cut to `width` cells around the first mark (the finding): (shown, [(cells before,
    cells of) each mark that is shown]). '…' shows where the line goes on."""
    start, end = marks[0]
    lo, hi = 0, len(text)
    if cell_len(text) + cut_before + cut_after > width:
        widths = [get_character_cell_size(c) for c in text]
        budget = width - 2
        mark = sum(widths[start:end])
        if mark >= budget:
            lo, hi, used = start, start, 0
            while hi < len(text) and used + widths[hi] <= budget:
                used += widths[hi]
                hi += 1
        else:
            lo, hi, used = start, end, mark
            left = (budget - mark) // 3  # a little more room after the span than before it
            while lo > 0 and used + widths[lo - 1] <= mark + left:
                lo -= 1
                used += widths[lo]
            while hi < len(text) and used + widths[hi] <= budget:
                used += widths[hi]
                hi += 1
            while lo > 0 and used + widths[lo - 1] <= budget:
                lo -= 1
                used += widths[lo]
        cut_before, cut_after = cut_before or lo > 0, cut_after or hi < len(text)
    prefix = "…" if cut_before else ""
    shown = prefix + text[lo:hi] + ("…" if cut_after else "")
    cells = []
    for a, b in marks:
        if a < 0 or b <= lo or a >= hi:
            cells.append((-1, 0))
            continue
        cells.append((len(prefix) + cell_len(text[lo:max(lo, a)]), cell_len(text[max(lo, a):min(hi, b)])))
    return shown, cells


def _underline(cells: list[tuple[int, int]], paint: "_Paint", style: str) -> str:
    """^^^ under the finding, ~~~ under the other spans it points at on the same line."""
    line = [" "] * max((a + max(1, n) for a, n in cells if a >= 0), default=0)
    for k, (a, n) in reversed(list(enumerate(cells))):
        if a >= 0:
            line[a:a + max(1, n)] = ["^" if k == 0 else "~"] * max(1, n)
    text = "".join(line).rstrip()
    if not paint.on:
        return text
    return re.sub(r"\^+|~+", lambda m: paint(m.group(), style if m.group()[0] == "^" else "dim"), text)


def _position(shown: str, cells: int) -> int:
    """The character index in `shown` where `cells` cells have gone by."""
    used = 0
    for i, ch in enumerate(shown):
        if used >= cells:
            return i
        used += get_character_cell_size(ch)
    return len(shown)


def _head(out: TextIO, paint: _Paint, width: int, where: str, severity: Severity, category: str, rule: str,
          message: str) -> None:
    """`path:line:col: severity category  rule  message`, the rule and the message on lines of
    their own (indented) when the line would pass the width; the location is never broken."""
    label = _LABEL[severity]
    line, used = f"{where} {paint(label, label)} {category}", _cells(f"{where} {label} {category}")
    for text, style in ((rule, "rule"), (message, "")):
        if used + 2 + _cells(text) <= width:
            line += "  " + (paint(text, style) if style else text)
            used += 2 + _cells(text)
            continue
        out.write(line + "\n")
        wrapped = _wrap(text, width - 4)
        for more in wrapped[:-1]:
            out.write(f"    {paint(more, style) if style else more}\n")
        line, used = "    " + (paint(wrapped[-1], style) if style else wrapped[-1]), 4 + _cells(wrapped[-1])
    out.write(line + "\n")


def _document(report: DocumentReport, listed: list[Row], out: TextIO, paint: _Paint, width: int, floor: int,
              include_masks: bool, show_values: bool) -> int:
    """One document's block; returns how many rows it printed."""
    doc = report.document
    shown = [r for r in listed if r.finding.severity.rank >= floor and (include_masks or not r.is_mask)]
    masks, masks_text = mask_summary(report)
    if not shown and not include_masks:
        return 0
    path = shown_path(doc.path)
    counts = Counter(r.finding.severity for r in shown if not r.is_mask)
    parts = [paint(f"{counts[s]} {_LABEL[s]}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}", _LABEL[s])
             for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
    if masks:
        parts.append(f"{masks} mask{'s' if masks != 1 else ''}")
    newline = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}.get(doc.newline, doc.newline)
    counts_text = " · ".join(parts) or "nothing found"
    plain_counts = " · ".join(_strip(p) for p in parts) or "nothing found"
    if _cells(path) + 2 + _cells(plain_counts) <= width:
        out.write(f"{paint(path, 'path')}  {counts_text}\n")
    else:
        out.write(f"{paint(path, 'path')}\n  {counts_text}\n")
    details = f"{doc.encoding}, {newline}, {len(doc.text)} chars" + (f"; masks: {masks_text}" if masks else "")
    for line in _wrap(details, width - 2):
        out.write(f"  {paint(line, 'dim')}\n")
    secrets = _secret_spans(report) if shown else []
    for row in shown:
        f = row.finding
        checks = [a for a in row.also if a.kind is not Kind.PLACEHOLDER]  # the check that escalated a leak
        rule = f.rule + "".join(f" + {short_rule(a.rule)}" for a in checks)
        _head(out, paint, width, f"{path}:{f.line}:{f.column}:", f.severity, f.category, rule,
              printable(f.message))
        for a in checks:
            for line in _wrap(f"+ {short_rule(a.rule)}: {printable(a.message)}", width - 4):
                out.write(f"    {paint(line, 'dim')}\n")
        related = tuple((r.start, r.end) for m in (f, *row.also) for r in m.related
                        if r.path == f.path and (r.start, r.end) != (f.start, f.end))
        text, marks, cut_before, cut_after = window(doc, f, secrets, show_values=show_values, radius=width,
                                                    spans=tuple(dict.fromkeys(related)))
        excerpt, cells = _crop(text, marks, cut_before, cut_after, width - 4)
        before, marked = cells[0]
        if paint.on and marked:
            i = _position(excerpt, before)
            j = _position(excerpt, before + marked)
            excerpt = excerpt[:i] + paint(excerpt[i:j], "maskmark" if row.is_mask else "mark") + excerpt[j:]
        bar = paint("│", "dim")
        out.write(f"  {bar} {excerpt}\n")
        out.write(f"  {bar} {_underline(cells, paint, _LABEL[f.severity])}\n")
    out.write("\n")
    return len(shown)


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    paint = _Paint(bool(options.color))
    width = max(40, options.width or DEFAULT_WIDTH)
    floor = Severity.parse(options.min_severity).rank
    include_masks = options.include_masks
    by_path = {r.document.path: rows(r) for r in result.documents}
    for report in ranked_documents(result, by_path):
        _document(report, by_path[report.document.path], out, paint, width, floor, include_masks, options.show_values)
    for e in sorted(result.errors, key=lambda e: e.path):
        for line in _wrap(f"{shown_path(e.path)}: not checked: {printable(e.message)}", width):
            out.write(paint(line, "red") + "\n")
    for s in sorted(result.skipped, key=lambda s: s.path):
        for line in _wrap(f"{shown_path(s.path)}: skipped: {printable(s.reason)}", width):
            out.write(paint(line, "dim") + "\n")
    for entry in result.stale:
        out.write(paint(f"stale baseline entry (no longer found): {printable(entry)}", "dim") + "\n")
    if result.errors or result.skipped or result.stale:
        out.write("\n")
    _summary(result, by_path, out, paint, width, options, floor)


def _summary(result: AuditResult, by_path: dict[str, list[Row]], out: TextIO, paint: _Paint, width: int,
             options: ReportOptions, floor: int) -> None:
    findings = result.findings
    masks = [f for f in findings if f.kind is Kind.PLACEHOLDER]
    shown = [r for listed in by_path.values() for r in listed if not r.is_mask]
    counts = Counter(r.finding.severity for r in shown)
    with_findings = len({r.finding.path for r in shown})
    severities = ", ".join(f"{counts[s]} {_LABEL[s]}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
                           for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]) or "no findings"
    docs = len(result.documents)
    if options.failed is None:
        verdict = ""
    else:
        verdict = paint("FAILED", "fail") if options.failed else paint("passed", "pass")
        verdict += f" (fail-on {options.fail_on}, exit {1 if options.failed else 0}): "
    out.write(paint("─" * min(width, 60), "dim") + "\n")
    head = f"{severities} in {with_findings} of {docs} document{'s' if docs != 1 else ''}"
    if _cells(_strip(verdict) + head) <= width:
        out.write(f"{verdict}{head}\n")
    else:
        out.write(verdict.rstrip(": ") + "\n")
        for line in _wrap(head, width - 2):
            out.write(f"  {line}\n")
    leaks = Counter(f.category for f in findings if f.kind is Kind.LEAK and f.severity.rank >= floor)
    checks = Counter(short_rule(f.rule) for f in findings if f.kind is Kind.INCONSISTENCY)
    lines = []
    if leaks:
        lines.append(("in clear", ", ".join(f"{c} {n}" for c, n in sorted(leaks.items(), key=lambda x: (-x[1], x[0])))))
    if checks:
        lines.append(("masks leak", ", ".join(f"{c} {n}" for c, n in sorted(checks.items(), key=lambda x: (-x[1], x[0])))))
    if masks:
        in_docs = sum(1 for r in result.documents if any(f.kind is Kind.PLACEHOLDER for f in r.findings))
        hint = "" if options.include_masks else " (summarised per document; -v lists each)"
        lines.append(("masks", f"{len(masks)} existing in {in_docs} document{'s' if in_docs != 1 else ''}{hint}"))
    files = [f"{n} {what}" for n, what in ((len(result.errors), "not checked (errors)"),
                                           (len(result.skipped), "skipped")) if n]
    if files:
        lines.append(("files", ", ".join(files)))
    hidden = [f"{n} {what}" for n, what in ((result.suppressed, "allowlisted"),
                                            (result.baselined, "in the baseline")) if n]
    if hidden:
        lines.append(("findings", ", ".join(hidden) + ", not shown"))
    if result.stale:
        n = len(result.stale)
        lines.append(("baseline", f"{n} {'entry' if n == 1 else 'entries'} no longer found (stale)"))
    for label, text in lines:
        wrapped = _wrap(text, width - 13)
        out.write(f"  {label:<10} {wrapped[0]}\n")
        for more in wrapped[1:]:
            out.write(f"  {'':<10} {more}\n")
