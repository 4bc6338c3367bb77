"""Output formats. Each module has `render(result, out, *, show_values=False, **options)`.

In: an AuditResult. Out: text written to `out`. Values are masked in every format unless the
user passed --show-values: a report is itself a document that must not leak.
"""

from __future__ import annotations

from typing import Callable, TextIO

from ..model import AuditResult

Renderer = Callable[..., None]


def renderer(name: str) -> Renderer:
    if name == "json":
        from . import json_report

        return json_report.render
    if name == "terminal":
        from . import terminal

        return terminal.render
    raise ValueError(f"unknown format {name!r}")


FORMATS = ("terminal", "json")

__all__ = ["FORMATS", "renderer", "AuditResult", "TextIO"]
