"""GitHub Actions workflow commands: one annotation per finding (values masked)."""

from __future__ import annotations

from typing import TextIO

from ..model import AuditResult, Severity
from . import ReportOptions
from .common import _secret_spans, excerpt, printable, shown_path

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    show_values = options.show_values
    floor = Severity.parse(options.min_severity if options.min_severity in ("info", "warning", "error")
                           else "warning").rank
    for report in sorted(result.documents, key=lambda r: r.document.path):
        secrets = _secret_spans(report)
        for f in sorted(report.findings, key=lambda f: f.sort_key):
            if f.severity.rank < floor:
                continue
            props = (f"file={_escape_property(shown_path(f.path))},line={f.line},col={f.column},endLine={f.end_line},"
                     f"endColumn={f.end_column},title={_escape_property(f.rule + ' (' + f.category + ')')}")
            message = f"{printable(f.message)}: {excerpt(report.document, f, secrets, show_values=show_values)}"
            out.write(f"::{_COMMAND[f.severity]} {props}::{_escape_data(message)}\n")
    # What was not checked fails the run (an error); what was skipped on purpose is a notice.
    for e in sorted(result.errors, key=lambda e: e.path):
        out.write(f"::error file={_escape_property(shown_path(e.path))},title=not checked::{_escape_data(printable(e.message))}\n")
    for s in sorted(result.skipped, key=lambda s: s.path):
        out.write(f"::notice file={_escape_property(shown_path(s.path))},title=skipped::{_escape_data(printable(s.reason))}\n")
