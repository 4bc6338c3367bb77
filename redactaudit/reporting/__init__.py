"""Output formats. Each module has `render(result, out, *, show_values=False, **options)`.

In: an AuditResult. Out: text written to `out`. Values are masked in every format unless the
user passed --show-values: a report is itself a document that must not leak.
"""

from __future__ import annotations

from typing import Callable, TextIO

from ..model import AuditResult

Renderer = Callable[..., None]


def renderer(name: str) -> Renderer:
    """The module of a format is imported only when used: rich and tabulate stay off a JSON run."""
    import importlib

    modules = {"json": "json_report", "terminal": "terminal", "sarif": "sarif", "github": "github",
               "markdown": "markdown"}
    if name not in modules:
        raise ValueError(f"unknown format {name!r}")
    return importlib.import_module(f".{modules[name]}", __name__).render


FORMATS = ("terminal", "json", "sarif", "github", "markdown")

__all__ = ["FORMATS", "renderer", "AuditResult", "TextIO"]
