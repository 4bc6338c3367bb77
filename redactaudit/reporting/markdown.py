"""Markdown for a job summary or a pull-request comment: GitHub tables (tabulate), values masked.

Everything printed is escaped: excerpts are code spans (a mask such as `**同志` stays as written,
not bold), other text has markdown's punctuation backslash-escaped. Documents come ranked by
their worst finding, rows most severe first; existing masks are summarised per document unless
`include_masks`. The whole stays under GitHub's 1 MiB job-summary limit: past it, the documents
left are counted in a closing note instead of listed.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TextIO

from tabulate import tabulate

from ..model import AuditResult, Kind, Severity
from . import ReportOptions
from .common import (_secret_spans, excerpt, mask_summary, printable, ranked_documents, rows, short_rule,
                     shown_path)

LIMIT = 1024 * 1024  # GitHub: bytes of a step's job summary
_RESERVE = 4096  # kept for the closing notes
# What markdown can read as markup inside a line: emphasis, code, links and images, HTML and
# entities, table cells, strikethrough. (Block markers such as # or 1. only count at a line's start,
# where nothing printed here begins.)
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def escape(text: str) -> str:
    """Plain text as markdown shows it: every character markdown could read as markup escaped."""
    return _SPECIAL.sub(r"\\\1", printable(text))


def code(text: str) -> str:
    """A code span that shows `text` as it is (in a table cell: its pipes escaped, as GFM asks)."""
    text = printable(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ") and text.strip()):
        text = f" {text} "
    return f"{fence}{text.replace('|', chr(92) + '|')}{fence}"


def _table(rows_: list[tuple], headers: list[str]) -> str:
    return tabulate(rows_, headers=headers, tablefmt="github", disable_numparse=True)


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    findings = result.findings
    failed = options.failed
    floor = Severity.parse(options.min_severity if options.min_severity != "never" else "error").rank
    ranked = ranked_documents(result)
    shown = {r.document.path: rows(r, floor, options.include_masks) for r in ranked}
    all_rows = [row for rs in shown.values() for row in rs]
    counts = Counter(row.finding.severity.value for row in all_rows if not row.is_mask)
    masks = sum(1 for f in findings if f.kind is Kind.PLACEHOLDER)
    verdict = "" if failed is None else (" — **failed**" if failed else " — passed")
    parts = [f"## redactaudit{verdict}\n\n"]
    severities = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info")
                           if counts[s]) or "no findings"
    parts.append(f"{len(result.documents)} documents: {severities}; {masks} existing masks; "
                 f"{len(result.errors)} not checked, {len(result.skipped)} skipped"
                 f"{', fail-on ' + escape(options.fail_on) if options.fail_on else ''}.\n\n")
    table = Counter((f.kind.value, f.category, f.severity.value) for f in findings)
    if table:
        parts.append(_table([(k, escape(c), s, str(n)) for (k, c, s), n in sorted(table.items())],
                            ["kind", "category", "severity", "count"]) + "\n\n")
    for e in sorted(result.errors, key=lambda e: e.path):
        parts.append(f"- not checked {code(shown_path(e.path))}: {escape(e.message)}\n")
    if result.errors:
        parts.append("\n")
    size = sum(len(p.encode("utf-8")) for p in parts)
    left_docs = left_rows = 0
    for report in ranked:
        section = _section(report, shown[report.document.path], options)
        if not section:
            continue
        if left_docs or size + len(section.encode("utf-8")) > LIMIT - _RESERVE:
            left_docs += 1
            left_rows += len(shown[report.document.path])
            continue
        parts.append(section)
        size += len(section.encode("utf-8"))
    tail = [f"- skipped {code(shown_path(s.path))}: {escape(s.reason)}\n"
            for s in sorted(result.skipped, key=lambda s: s.path)]
    for n, line in enumerate(tail):
        if size + len(line.encode("utf-8")) > LIMIT - _RESERVE // 2:
            parts.append(f"- … and {len(tail) - n} more skipped files\n")
            break
        parts.append(line)
        size += len(line.encode("utf-8"))
    if left_docs:
        parts.append(f"\n**{left_rows} more findings in {left_docs} documents are not listed**: a job summary "
                     f"holds {LIMIT // 1024} KiB. The JSON or SARIF report lists every finding.\n")
    out.write("".join(parts))


def _section(report, shown, options: ReportOptions) -> str:
    total, summary = mask_summary(report)
    if not shown and not (options.include_masks and total):
        return ""
    secrets = _secret_spans(report)
    counts = Counter(r.finding.severity.value for r in shown if not r.is_mask)
    line = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info")
                     if counts[s])
    if total:
        line += f"{'; ' if line else ''}{total} existing masks ({escape(summary)})"
    body = [(f"{r.finding.line}:{r.finding.column}", r.finding.severity.value, r.finding.kind.value,
             escape(r.finding.category),
             " + ".join(code(x) for x in (r.finding.rule, *(short_rule(a.rule) for a in r.also
                                                                 if a.kind is not Kind.PLACEHOLDER))),
             code(excerpt(report.document, r.finding, secrets, show_values=options.show_values)))
            for r in shown]
    text = f"### {code(shown_path(report.document.path))}\n\n{line}\n\n"
    if body:
        text += _table(body, ["where", "severity", "kind", "category", "rule", "excerpt"]) + "\n\n"
    return text
