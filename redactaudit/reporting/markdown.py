"""Markdown for a job summary or a pull-request comment: GitHub tables (tabulate), values masked."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from tabulate import tabulate

from ..model import AuditResult, Severity
from . import ReportOptions
from .common import _secret_spans, excerpt, printable, shown_path


def _cell(text: str) -> str:
    return printable(text.replace("|", "\\|").replace("\n", " "))


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    show_values, fail_on, failed, min_severity = options.show_values, options.fail_on, options.failed, options.min_severity
    findings = result.findings
    verdict = "" if failed is None else (" — **failed**" if failed else " — passed")
    out.write(f"## redactaudit{verdict}\n\n")
    out.write(f"{len(result.documents)} documents, {len(findings)} findings, {len(result.errors)} errors, "
              f"{len(result.skipped)} skipped"
              f"{', fail-on ' + fail_on if fail_on else ''}.\n\n")
    counts = Counter((f.kind.value, f.category, f.severity.value) for f in findings)
    if counts:
        rows = [(k, c, s, n) for (k, c, s), n in sorted(counts.items())]
        out.write(tabulate(rows, headers=["kind", "category", "severity", "count"], tablefmt="github"))
        out.write("\n\n")
    floor = Severity.parse(min_severity if min_severity != "never" else "error").rank
    for report in sorted(result.documents, key=lambda r: r.document.path):
        shown = [f for f in report.findings if f.severity.rank >= floor]
        if not shown:
            continue
        secrets = _secret_spans(report)
        out.write(f"### `{shown_path(report.document.path)}`\n\n")
        rows = [(f"{f.line}:{f.column}", f.severity.value, f.kind.value, f.category, f"`{f.rule}`",
                 _cell(excerpt(report.document, f, secrets, show_values=show_values)))
                for f in sorted(shown, key=lambda f: f.sort_key)]
        out.write(tabulate(rows, headers=["where", "severity", "kind", "category", "rule", "excerpt"],
                           tablefmt="github"))
        out.write("\n\n")
    for e in sorted(result.errors, key=lambda e: e.path):
        out.write(f"- error (not checked) `{shown_path(e.path)}`: {_cell(e.message)}\n")
    for s in sorted(result.skipped, key=lambda s: s.path):
        out.write(f"- skipped `{shown_path(s.path)}`: {_cell(s.reason)}\n")
