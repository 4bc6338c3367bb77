"""Output formats: one registry, one signature `render(result, out, options)`.

In: an AuditResult and ReportOptions. Out: text written to `out`. Values are masked in every
format unless the user passed --show-values: a report is itself a document that must not leak.
A format's module is imported only when used (rich and tabulate stay off a JSON run); the
registry below is the one list of formats, and the command line's choices come from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, TextIO

from ..model import AuditResult


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule: its message, kind, category and default severity."""

    message: str
    kind: str
    category: str
    severity: str


@dataclass(frozen=True, slots=True)
class ReportOptions:
    show_values: bool = False
    fail_on: str | None = None
    failed: bool | None = None
    min_severity: str = "info"  # terminal, markdown, github: hide findings below it
    # Existing masks: terminal and markdown list each (else a summary per document), SARIF and
    # GitHub report them (else leave them out: they are no alert).
    include_masks: bool = False
    color: bool | None = None  # terminal, diff: ANSI colour (the command line decides: --color)
    width: int | None = None  # terminal: None = 100 columns
    base_dir: str | None = None  # SARIF: the folder relative paths start from (the working folder)
    rules: dict[str, RuleInfo] = field(default_factory=dict)  # rule id -> RuleInfo (SARIF's rule table)


Render = Callable[[AuditResult, TextIO, ReportOptions], None]


def _terminal(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    from .terminal import render

    render(result, out, options)


def _json(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    from .json_report import render

    render(result, out, options)


def _sarif(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    from .sarif import render

    render(result, out, options)


def _github(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    from .github import render

    render(result, out, options)


def _markdown(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    from .markdown import render

    render(result, out, options)


def _html(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    from .html import render

    render(result, out, options)


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    help: str
    render: Render
    streams: bool = False  # reads a scan's reports kept on disk one at a time (else loaded once, whole)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("terminal", "findings per file and a summary, for a person", _terminal),
    Format("json", "every finding, document and error; deterministic", _json, streams=True),
    Format("sarif", "SARIF 2.1.0 for code scanning", _sarif),
    Format("github", "GitHub Actions annotations", _github),
    Format("markdown", "a summary for a pull request or job summary", _markdown),
    Format("html", "one self-contained page: ranked documents, annotated texts, filters", _html),
)}


def render(name: str, result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (one of {', '.join(FORMATS)})")
    chosen = FORMATS[name]
    if not chosen.streams and not isinstance(result.documents, tuple):
        # Reports kept on disk (a large scan): loaded once here, not once per pass of the format.
        result = replace(result, documents=tuple(result.documents))
    chosen.render(result, out, options)


__all__ = ["FORMATS", "Format", "ReportOptions", "RuleInfo", "render"]
