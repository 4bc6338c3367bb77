"""The one interface every format's extractor returns, and the pieces they share.

In: nothing (types and pure helpers). Out: ExtractionError, Segment, SourceMap, Extracted,
TextBuilder (how an extractor assembles text, segments and source runs in one pass), locate()
(an offset of the extracted text -> what a person looks for: a page, a paragraph, a table cell, a
source line and column) and apply_edits() (edits in text coordinates -> the edited source, for the
formats whose source is text: HTML, Markdown).

Offsets are half-open code-point offsets into `Extracted.text`; source offsets are code points into
the decoded source (`Extracted.source`) with its newlines as they are (CRLF counts 2). Locators
count from 1 (page 1, paragraph 1, table 1, row 1, cell 1, line 1, column 1).
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass
from typing import Callable, Iterable

from ..model import LineIndex

# Kinds of source run. VERBATIM: text[i] is source[j] for each character, a replacement is escaped
# for the format. ATOMIC: the run's text stands for its whole source (an entity, a backslash escape,
# collapsed whitespace) and is replaced whole. RAW: verbatim inside code, where escapes do not work,
# so a replacement is inserted as it is.
# IN_HTML is a flag on top of a kind: the run lies in HTML embedded in another format (Markdown),
# whose replacement is escaped as HTML.
VERBATIM, ATOMIC, RAW, IN_HTML = 0, 1, 2, 4


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Office file, or an encrypted package


class ExtractionError(Exception):
    """A document whose text could not be read; `reason` is one line for the report."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Segment:
    """A span of the extracted text and where a person finds it in the original."""

    start: int
    end: int
    locator: tuple[tuple[str, object], ...]  # e.g. (("page", 2),); dict(locator) for JSON

    def where(self) -> dict[str, object]:
        return dict(self.locator)


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Extracted-text offset -> source offset, as runs: run k covers text
    [starts[k], starts[k] + lengths[k]) and source [sources[k], sources[k] + spans[k]). Text
    characters in no run (separators the extractor wrote: a line break for a block, a tab between
    cells) have no source of their own. Stored packed (8 bytes a field), read with bisect."""

    starts: bytes
    sources: bytes
    lengths: bytes
    spans: bytes
    kinds: bytes

    def _cols(self) -> tuple[memoryview, memoryview, memoryview, memoryview]:
        return (memoryview(self.starts).cast("q"), memoryview(self.sources).cast("q"),
                memoryview(self.lengths).cast("q"), memoryview(self.spans).cast("q"))

    def __len__(self) -> int:
        return len(self.kinds)

    def runs(self) -> Iterable[tuple[int, int, int, int, int]]:
        """(text start, source start, text length, source length, kind) per run, in order."""
        st, so, ln, sp = self._cols()
        return zip(st, so, ln, sp, self.kinds)

    def to_source(self, offset: int) -> int:
        """Source offset of the text character at `offset`; a separator maps to the end of the
        run before it (0 before any)."""
        st, so, ln, sp = self._cols()
        k = bisect.bisect_right(st, offset) - 1
        if k < 0:
            return 0
        inside = offset - st[k]
        if inside < ln[k]:
            return so[k] + inside if self.kinds[k] & 3 != ATOMIC else so[k]
        return so[k] + sp[k]

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        """The source span the text span [start, end) was read from (empty spans map to a point)."""
        if end <= start:
            s = self.to_source(start)
            return s, s
        pieces = self.pieces(start, end)
        if not pieces:
            s = self.to_source(start)
            return s, s
        return pieces[0][0], pieces[-1][1]

    def pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(source start, source end, kind) of every run part the text span [start, end) covers,
        in order; an atomic run touched at all is covered whole."""
        st, so, ln, sp = self._cols()
        out = []
        k = max(bisect.bisect_right(st, start) - 1, 0)
        while k < len(st) and st[k] < end:
            lo, hi = max(start, st[k]), min(end, st[k] + ln[k])
            if lo < hi:
                if self.kinds[k] & 3 == ATOMIC:
                    out.append((so[k], so[k] + sp[k], self.kinds[k]))
                else:
                    out.append((so[k] + lo - st[k], so[k] + hi - st[k], self.kinds[k]))
            k += 1
        return out


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a format's extractor read. `text` is what the rules scan: blocks end with "\\n", the
    cells of a table row are separated by "\\t" (two cells never join into one value). `segments`
    locate spans for formats without a text source (PDF pages, docx paragraphs and cells);
    `source_map` maps every text character back into `source` (HTML, Markdown), None otherwise.
    `notes` are one-line remarks for the report (pages without text, parts not read)."""

    text: str
    format: str
    segments: tuple[Segment, ...] = ()
    source_map: SourceMap | None = None
    notes: tuple[str, ...] = ()
    source: str | None = None  # the decoded source, for formats whose source is text
    encoding: str | None = None  # how `source` was decoded from the file's bytes


class TextBuilder:
    """Accumulates text, segments and source runs in one pass (an extractor's scratch space,
    never shared). Separators are pending until more text comes, so none trails or doubles."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.length = 0
        self._pending = ""
        self._runs = [array("q"), array("q"), array("q"), array("q")]
        self._kinds = bytearray()
        self.segments: list[Segment] = []

    def separate(self, sep: str, override: bool = False) -> None:
        """Ask for `sep` before the next text: "\\n" wins over "\\t" unless `override` (the end of
        a table cell turns its last paragraph's line break into a tab); nothing starts the text."""
        if self.length and (override or self._pending != "\n" or sep == "\n"):
            self._pending = sep

    def add(self, text: str, source: int | None = None, span: int | None = None,
            kind: int = VERBATIM) -> int:
        """Append `text` read from `source` (span source characters; default len(text)); a
        pending separator is written first. Returns the text offset where `text` starts."""
        if not text:
            return self.length
        if self._pending:
            self._parts.append(self._pending)
            self.length += len(self._pending)
            self._pending = ""
        at = self.length
        if source is not None:
            st, so, ln, sp = self._runs
            n = len(text)
            width = n if span is None else span
            k = len(st) - 1
            if (kind & 3 != ATOMIC and k >= 0 and self._kinds[k] == kind and st[k] + ln[k] == at
                    and so[k] + sp[k] == source and width == n):
                ln[k] += n  # extends the run before it
                sp[k] += n
            else:
                st.append(at), so.append(source), ln.append(n), sp.append(width)
                self._kinds.append(kind)
        self._parts.append(text)
        self.length += len(text)
        return at

    def run(self, start: int, source: int, length: int, span: int, kind: int) -> None:
        """Record a run as it is, with no text (to rebuild a map, e.g. shifted into another source)."""
        for col, value in zip(self._runs, (start, source, length, span)):
            col.append(value)
        self._kinds.append(kind)

    def segment(self, start: int, locator: tuple[tuple[str, object], ...]) -> None:
        if self.length > start:
            self.segments.append(Segment(start, self.length, locator))

    def text(self) -> str:
        return "".join(self._parts)

    def source_map(self) -> SourceMap:
        st, so, ln, sp = self._runs
        return SourceMap(st.tobytes(), so.tobytes(), ln.tobytes(), sp.tobytes(), bytes(self._kinds))


def locator(extracted: Extracted) -> Callable[[int], dict[str, object]]:
    """A function: offset of extracted.text -> where a person finds that character: the segment's
    locator (page, part/paragraph, table/row/cell), or {"line", "column"} of the source. Built once
    per document (bisect per call)."""
    if extracted.source_map is not None and extracted.source is not None:
        smap, lines = extracted.source_map, LineIndex(extracted.source)

        def in_source(offset: int) -> dict[str, object]:
            pos = smap.to_source(offset)
            line, column = lines.position(pos)
            return {"line": line, "column": column, "offset": pos}
        return in_source
    segs = extracted.segments
    seg_starts = [s.start for s in segs]

    def in_segment(offset: int) -> dict[str, object]:
        k = bisect.bisect_right(seg_starts, offset) - 1
        return segs[k].where() if k >= 0 and offset < segs[k].end else {}
    return in_segment


def check_edits(edits: Iterable[tuple[int, int, str]], length: int) -> list[tuple[int, int, str]]:
    """Edits sorted by start; raises ValueError on overlap or a span outside [0, length]."""
    out = sorted(edits, key=lambda e: (e[0], e[1]))
    last = 0
    for start, end, _ in out:
        if not 0 <= start <= end <= length or start < last:
            raise ValueError(f"edit [{start}, {end}) overlaps another or lies outside the text")
        last = end
    return out


def apply_edits(source: str, smap: SourceMap, length: int, edits: Iterable[tuple[int, int, str]],
                escape: Callable[[str, int], str]) -> str:
    """`source` with each edit (text start, text end, replacement) applied where its characters
    came from: the replacement, escaped for the kind of run it lands in, takes the place of the
    first covered run part; the other covered parts are removed; the markup between them stays."""
    spans: list[tuple[int, int, str]] = []
    for start, end, replacement in check_edits(edits, length):
        for k, (s, e, kind) in enumerate(smap.pieces(start, end)):
            if spans and s < spans[-1][1]:
                continue  # an atomic run already replaced by the edit before
            spans.append((s, e, escape(replacement, kind) if k == 0 else ""))
    out, last = [], 0
    for s, e, new in spans:
        out.append(source[last:s])
        out.append(new)
        last = e
    out.append(source[last:])
    return "".join(out)


def encode_markup(text: str, encoding: str) -> bytes:
    """decode_markup's inverse: the bytes of `text` in `encoding`, with the BOM it was read with."""
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    return bom + text.encode(encoding)


def decode_markup(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of an HTML or Markdown file: a BOM (utf-8-sig, utf-16-le, utf-16-be: the
    text without it; encode_markup puts it back), else strict UTF-8, else the charset the document
    declares, else GB18030. Raises ExtractionError when none decodes."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name
            except UnicodeDecodeError:
                raise ExtractionError(f"invalid {name} after its byte order mark") from None
    for name in ("utf-8", declared, "gb18030"):
        if not name:
            continue
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise ExtractionError("cannot decode the text (not UTF-8, not its declared charset, not GB18030)")
