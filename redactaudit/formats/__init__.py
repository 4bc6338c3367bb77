"""Documents as people keep them (Word, PDF, HTML, Markdown) -> the text the rules scan.

In: a file name (for its extension) and the file's bytes. Out: Extracted (base.py): the text, the
format, where each span came from (segments, or a map into the source), notes; or ExtractionError
with a one-line reason (password-protected, corrupt, a PDF without a text layer, unsupported),
never a traceback. redact() writes edits back into the same format (.docx runs, HTML and Markdown
source); a PDF is refused. Plain text and unknown text files are not handled here.

A format is one module with extract(name, data) -> Extracted; adding one is one row of FORMATS.
The file's first bytes win over its extension (a PDF named .docx is read as a PDF).
"""

from __future__ import annotations

import importlib
import io

from .base import (ATOMIC, OLE2, RAW, VERBATIM, Extracted, ExtractionError, Segment, SourceMap, encode_markup,
                   locator)

# (format, extensions, module) - the only place that lists the formats.
FORMATS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("docx", (".docx", ".docm", ".dotx", ".dotm"), "docx"),
    ("pdf", (".pdf",), "pdf"),
    ("html", (".html", ".htm", ".xhtml"), "html"),
    ("markdown", (".md", ".markdown", ".mdown", ".mkd"), "markdown"),
    ("odt", (".odt", ".ott"), "odt"),
)
_ZIP_MARKERS = (("docx", "word/document.xml"), ("odt", "content.xml"))

__all__ = ["ATOMIC", "RAW", "VERBATIM", "FORMATS", "Extracted", "ExtractionError", "Segment",
           "SourceMap", "extract", "extract_text", "format_of", "rewrite_source", "locator", "redact"]


def _extension(name: str) -> str:
    leaf = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "." + leaf.rsplit(".", 1)[1] if "." in leaf else ""


def format_of(name: str, data: bytes) -> str | None:
    """The format extract() reads a file as, from its first bytes, then its extension; None when
    it is none of FORMATS (plain text, another binary)."""
    ext = _extension(name)
    by_ext = next((fmt for fmt, exts, _ in FORMATS if ext in exts), None)
    if data[:1024].lstrip(b" \t\r\n\x00\xef\xbb\xbf").startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        import zipfile  # here: a scan of plain text files never opens a package

        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, EOFError, OSError):
            return by_ext if by_ext in ("docx", "odt") else None
        return next((fmt for fmt, marker in _ZIP_MARKERS if marker in names), by_ext)
    if data.startswith(OLE2):
        return "docx" if by_ext == "docx" or ext == ".doc" else None
    return by_ext  # a file named .docx that is not one: its module says it is corrupt


def _module(fmt: str):
    for name, _exts, module in FORMATS:
        if name == fmt:
            return importlib.import_module(f".{module}", __name__)
    raise ExtractionError(f"unsupported format {fmt}")


def extract(path_or_name: str, data: bytes, deadline: float | None = None) -> Extracted:
    """The text of a document of one of FORMATS. Raises ExtractionError(reason), also when a slow
    format (PDF) runs past `deadline` (time.monotonic())."""
    fmt = format_of(path_or_name, data)
    if fmt is None:
        raise ExtractionError("unsupported format (not Word, PDF, HTML, Markdown or OpenDocument text)")
    if fmt == "pdf":
        return _module(fmt).extract(path_or_name, data, deadline)
    return _module(fmt).extract(path_or_name, data)


def extract_text(fmt: str, source: str, encoding: str) -> Extracted:
    """The visible text of an HTML or Markdown source already decoded (the scan decodes every
    text file one way)."""
    if fmt == "html":
        from .html import extract_html
        return extract_html(source, encoding)
    from .markdown import extract_markdown
    return extract_markdown(source, encoding)


def rewrite_source(fmt: str, source: str, edits: list[tuple[int, int, str]]) -> str:
    """An HTML or Markdown source with edits (offsets into extract_text's text) applied in it."""
    if fmt == "html":
        from .html import redact_html
        return redact_html(source, edits)
    from .markdown import redact_md
    return redact_md(source, edits)


def redact(path_or_name: str, data: bytes, edits: list[tuple[int, int, str]]) -> bytes:
    """The file with edits (text start, text end, replacement; offsets into extract()'s text)
    applied in its own format: .docx runs rewritten, HTML and Markdown source rewritten and encoded
    as read. Raises ExtractionError for a format that cannot be redacted in place (PDF, odt) or a
    file extract() refuses; ValueError for overlapping edits or a replacement the format cannot
    carry."""
    fmt = format_of(path_or_name, data)
    if fmt == "docx":
        from .docx_redact import redact_docx
        return redact_docx(data, edits)
    if fmt in ("html", "markdown"):
        ex = _module(fmt).extract(path_or_name, data)
        assert ex.source is not None and ex.encoding is not None
        if fmt == "html":
            from .html import redact_html as rewrite
        else:
            from .markdown import redact_md as rewrite
        return encode_markup(rewrite(ex.source, edits), ex.encoding)
    if fmt == "pdf":
        raise ExtractionError("a PDF is never redacted in place (its text layer cannot be rewritten "
                              "safely): redact the source document, or write the redacted text")
    raise ExtractionError(f"cannot redact {fmt or 'this'} format in place")
