"""OpenDocument text (.odt) -> text with a locator per paragraph and table cell; extraction only.

In: the bytes of an .odt. Out: Extracted with one Segment per paragraph or heading. Read: the body
(content.xml: paragraphs, headings, lists, tables, footnotes and comments where they stand), then
headers and footers (styles.xml), then the document properties (meta.xml: title, subject,
description, keywords, initial creator, creator). text:s is its count of spaces, text:tab a tab,
text:line-break a line break; the cells of a table row are separated by a tab (a repeated cell is
read once). Locators: {"part": "content"|"styles", "paragraph": n} or {"part", "table", "row",
"cell"}, {"part": "properties", "field": name}, counted from 1. Not redacted in place (its text is
mixed content, not one element per run): redact() refuses it.
"""

from __future__ import annotations

from .base import Extracted, TextBuilder
from .ooxml import local, open_zip, read_member, walk

FORMAT = "odt"
WHAT = "OpenDocument text"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_PARAS = frozenset(("p", "h"))
_SKIP = frozenset(("date", "creator", "sequence-decls", "variable-decls"))
_META = frozenset(("title", "subject", "description", "keyword", "initial-creator", "creator"))
_PARTS = (("content.xml", "content"), ("styles.xml", "styles"), ("meta.xml", "properties"))


class _Part:
    """One pass over one part into the shared builder (scratch state, never shared)."""

    def __init__(self, label: str, out: TextBuilder):
        self.label, self.out = label, out
        self.paras: list[list[str]] = []
        self.where: list[tuple[tuple[str, object], ...]] = []
        self.tables: list[list[int]] = []
        self.counts = {"table": 0, "paragraph": 0}
        self.skip = 0
        self.depth = 0
        self.meta: str | None = None

    def start(self, tag: str, attrs: dict[str, str], at: int) -> None:
        ns, name = local(tag)
        self.depth += 1
        if self.skip or name in _SKIP and self.label != "properties":
            self.skip += 1
            return
        if self.label == "properties":
            if name in _META:
                self.meta = name
                self.paras.append([])
                self.where.append((("part", "properties"), ("field", name)))
            return
        if ns == TEXT_NS and name in _PARAS:
            self.counts["paragraph"] += 1
            self.paras.append([])
            if self.tables:
                t, r, c = self.tables[-1]
                self.where.append((("part", self.label), ("table", t), ("row", r), ("cell", c)))
            else:
                self.where.append((("part", self.label), ("paragraph", self.counts["paragraph"])))
        elif ns == TEXT_NS and self.paras and name in ("s", "tab", "line-break"):
            count = next((v for k, v in attrs.items() if local(k)[1] == "c"), "1")
            piece = {"s": " " * min(int(count) if count.isdigit() else 1, 1000), "tab": "\t"}.get(name, "\n")
            self.paras[-1].append(piece)
        elif ns == TABLE_NS and name == "table":
            self.counts["table"] += 1
            self.tables.append([self.counts["table"], 0, 0])
        elif ns == TABLE_NS and name == "table-row" and self.tables:
            self.tables[-1][1:] = [self.tables[-1][1] + 1, 0]
        elif ns == TABLE_NS and name in ("table-cell", "covered-table-cell") and self.tables:
            self.tables[-1][2] += 1

    def end(self, tag: str, at: int) -> None:
        ns, name = local(tag)
        self.depth -= 1
        if self.skip:
            self.skip -= 1
            return
        if (self.label == "properties" and name == self.meta) or (ns == TEXT_NS and name in _PARAS and self.paras):
            self.meta = None
            text, where = "".join(self.paras.pop()), self.where.pop()
            at = self.out.add(text)
            self.out.segment(at, where)
            self.out.separate("\n")
        elif ns == TABLE_NS and name == "table-cell":
            self.out.separate("\t", override=True)
        elif ns == TABLE_NS and name in ("table-row", "table"):
            self.out.separate("\n")
            if name == "table" and self.tables:
                self.tables.pop()

    def chars(self, text: str) -> None:
        if self.paras and not self.skip:
            self.paras[-1].append(text)


def extract(name: str, data: bytes) -> Extracted:
    """Bytes of an .odt -> Extracted (segments locate paragraphs and cells). Raises ExtractionError."""
    zf = open_zip(data, WHAT)
    names = set(zf.namelist())
    out = TextBuilder()
    for part_name, label in _PARTS:
        if part_name in names:
            part = _Part(label, out)
            walk(read_member(zf, part_name, WHAT), part_name, WHAT, part.start, part.end, part.chars)
            out.separate("\n")
    return Extracted(out.text(), FORMAT, tuple(out.segments), None,
                     ("OpenDocument text is read, not redacted in place",))
