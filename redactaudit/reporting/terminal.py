"""Terminal report (rich): findings grouped per file, then a summary table."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import AuditResult, Kind, Severity
from . import ReportOptions
from .common import _secret_spans, excerpt, printable, shown_path

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_KIND_LABEL = {Kind.PLACEHOLDER: "mask", Kind.LEAK: "leak", Kind.INCONSISTENCY: "inconsistent"}


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    show_values, fail_on, failed, min_severity = options.show_values, options.fail_on, options.failed, options.min_severity
    width, color = options.width, options.color
    console = Console(file=out, width=width or 120, force_terminal=color, no_color=color is False,
                      highlight=False, soft_wrap=False)
    floor = Severity.parse(min_severity).rank
    for report in sorted(result.documents, key=lambda r: r.document.path):
        doc = report.document
        shown = [f for f in report.findings if f.severity.rank >= floor]
        console.print(Text(shown_path(doc.path), style="bold") + Text(
            f"  ({doc.encoding}, {len(doc.text)} chars, {len(report.findings)} findings)", style="dim"))
        if not shown:
            continue
        secrets = _secret_spans(report)
        table = Table(show_header=True, header_style="dim", box=None, pad_edge=False)
        for col in ("where", "severity", "kind", "category", "rule", "excerpt"):
            table.add_column(col, overflow="fold", no_wrap=col != "excerpt")
        for f in sorted(shown, key=lambda f: f.sort_key):
            table.add_row(f"{f.line}:{f.column}", Text(f.severity.value, style=_SEVERITY_STYLE[f.severity]),
                          _KIND_LABEL[f.kind], f.category, f.rule,
                          Text(excerpt(doc, f, secrets, show_values=show_values)))
        console.print(table)
        if report.consistency:
            summary = report.consistency
            masks = ", ".join(f"{c} " + "/".join(f"{s}×{n}" for s, n in styles.items())
                              for c, styles in summary.get("masks", {}).items())
            leaks = ", ".join(f"{c}×{n}" for c, n in summary.get("leaks", {}).items())
            console.print(Text(f"  masks: {masks or 'none'}; in clear: {leaks or 'none'}", style="dim"))
            failed_checks = summary.get("failed_checks") or []
            if failed_checks:
                console.print(Text("  checks failed: " + ", ".join(failed_checks), style="yellow"))
            for copy in summary.get("copies", []):
                console.print(Text(f"  a copy of {shown_path(copy['path'])} ({copy['containment']:.0%} shared)", style="dim"))
        console.print()
    for s in sorted(result.skipped, key=lambda s: s.path):
        console.print(Text(f"skipped {shown_path(s.path)}: {printable(s.reason)}", style="dim"))
    for e in sorted(result.errors, key=lambda e: e.path):
        console.print(Text(f"error (not checked) {shown_path(e.path)}: {printable(e.message)}", style="red"))
    findings = result.findings
    counts = Counter((f.kind.value, f.category, f.severity.value) for f in findings)
    table = Table(title="Summary", show_lines=False)
    for col in ("kind", "category", "severity", "count"):
        table.add_column(col, justify="right" if col == "count" else "left")
    for (kind, category, severity), n in sorted(counts.items()):
        table.add_row(kind, category, severity, str(n))
    console.print(table)
    tail = (f"{len(result.documents)} documents, {len(findings)} findings, {len(result.skipped)} skipped, "
            f"{len(result.errors)} errors")
    if result.suppressed:
        tail += f", {result.suppressed} allowlisted"
    if result.baselined:
        tail += f", {result.baselined} in the baseline"
    for entry in result.stale:
        console.print(Text(f"stale baseline entry (no longer found): {printable(entry)}", style="dim"))
    if fail_on is not None and failed is not None:
        tail += f"; fail-on {fail_on}: " + ("FAILED" if failed else "passed")
    console.print(Text(tail, style="bold red" if failed else "bold"))
