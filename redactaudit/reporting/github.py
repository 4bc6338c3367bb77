"""GitHub Actions workflow commands: annotations, values masked, within GitHub's limits.

GitHub shows at most 10 annotations of each type (error, warning, notice) per step and drops the
rest, so the order decides what a reader sees: most severe first. Past 10 of a type, 9 are
written and the 10th says how many more there are. Existing masks are no alert: left out unless
`include_masks`.
"""

from __future__ import annotations

from typing import TextIO

from ..model import AuditResult, Kind, Severity
from . import ReportOptions
from .common import _secret_spans, by_severity, excerpt, printable, shown_path

PER_TYPE = 10  # GitHub: annotations of one type shown per step
_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    floor = Severity.parse(options.min_severity if options.min_severity in ("info", "warning", "error")
                           else "warning").rank
    reports = {r.document.path: r for r in result.documents}
    secrets: dict[str, list] = {}
    lines: dict[str, list[str]] = {"error": [], "warning": [], "notice": []}
    shown = [f for f in result.findings
             if f.severity.rank >= floor and (options.include_masks or f.kind is not Kind.PLACEHOLDER)]
    for f in sorted(shown, key=by_severity):
        report = reports[f.path]
        if f.path not in secrets:
            secrets[f.path] = _secret_spans(report)
        props = (f"file={_escape_property(shown_path(f.path))},line={f.line},col={f.column},endLine={f.end_line},"
                 f"endColumn={f.end_column},title={_escape_property(f.rule + ' (' + f.category + ')')}")
        message = (f"{printable(f.message)}: "
                   f"{excerpt(report.document, f, secrets[f.path], show_values=options.show_values)}")
        lines[_COMMAND[f.severity]].append(f"::{_COMMAND[f.severity]} {props}::{_escape_data(message)}")
    # What was not checked fails the run (an error); what was skipped on purpose is a notice.
    for e in sorted(result.errors, key=lambda e: e.path):
        lines["error"].append(f"::error file={_escape_property(shown_path(e.path))},title=not checked::"
                              f"{_escape_data(printable(e.message))}")
    for s in sorted(result.skipped, key=lambda s: s.path):
        lines["notice"].append(f"::notice file={_escape_property(shown_path(s.path))},title=skipped::"
                               f"{_escape_data(printable(s.reason))}")
    for kind in ("error", "warning", "notice"):
        found = lines[kind]
        if len(found) > PER_TYPE:
            more = len(found) - (PER_TYPE - 1)
            found = found[:PER_TYPE - 1] + [
                f"::{kind} title={_escape_property(f'redactaudit: {more} more {kind}s')}::{more} more {kind} annotations are not shown "
                f"(GitHub shows {PER_TYPE} of each type per step); the SARIF or JSON report lists every finding."]
        for line in found:
            out.write(line + "\n")
