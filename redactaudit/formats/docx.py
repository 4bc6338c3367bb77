"""Word .docx -> text with a locator per paragraph and table cell (reading the XML parts directly).

In: the bytes of a .docx. Out: Extracted with one Segment per paragraph; and read_docx(), which
also returns every text element's byte span so docx_redact.py can rewrite values in place.
Read, in this order: the main document, headers, footers, footnotes, endnotes, comments, then the
document properties (author, last modified by, title, subject, keywords, description, company,
manager). Text is w:t (and w:delText, deleted text a tracked change keeps in the file, and
w:instrText, field instructions such as HYPERLINK "mailto:…"); w:tab is a tab, w:br and w:cr end a
line. A paragraph ends a line; the cells of a table row are separated by a tab. Text boxes are read
where they stand (their paragraphs come before the paragraph holding them); a text box kept in
both a modern and a fallback (VML) copy is read twice, so that both copies are redacted.
Locators: {"part": "document", "paragraph": n} outside tables, {"part", "table", "row", "cell"}
in one (tables numbered per part), plus "note" or "comment" with the element's w:id in notes and
comments, and {"part": "properties", "field": name}. All counted from 1. Words the file keeps in
attributes come last, each on a line of its own ({"part": "attributes", "field": "author" |
"alt text" | "link"}): the w:author of comments and tracked changes, an image's description and
title, an external link's target (mailto:, tel:, a URL with a query); they are scanned, and a
value found there is not rewritten in place (redact_docx refuses it).
Cost: one expat pass per part; the zip is checked against a decompressed-size cap first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from .base import Extracted, ExtractionError, SourceMap, TextBuilder
from .ooxml import local, open_zip, read_member, tag_end, walk

FORMAT = "docx"
WHAT = "Word document"

W = frozenset(("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
               "http://purl.oclc.org/ooxml/wordprocessingml/main"))
_TEXT = frozenset(("t", "delText", "instrText"))
_BREAK = {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
_PART_ORDER = ("header", "footer", "footnotes", "endnotes", "comments")
_NOTES = {"footnote": "note", "endnote": "note", "comment": "comment"}
_PROPERTY_PARTS = {"docProps/core.xml": ("creator", "lastModifiedBy", "title", "subject", "keywords",
                                         "description", "category"),
                   "docProps/app.xml": ("Company", "Manager")}


class TextNode(NamedTuple):
    """A text element of a part: its content's byte span, its start tag's span, its text
    (a named tuple: one is made per run, and a frozen dataclass costs three times as much)."""

    part: str
    start: int
    end: int
    tag_start: int
    tag_end: int
    text: str


@dataclass(frozen=True, slots=True)
class DocxText:
    """read_docx's result: the extraction, the text nodes, and a map from text offsets to node
    positions (the map's "source" is the nodes' texts laid end to end; node k starts at bases[k])."""

    extracted: Extracted
    nodes: tuple[TextNode, ...]
    bases: tuple[int, ...]
    node_map: SourceMap

    def node_at(self, position: int) -> int:
        return bisect.bisect_right(self.bases, position) - 1


class _Part:
    """One pass over one part's XML into the shared builder (scratch state, never shared)."""

    def __init__(self, name: str, label: str, data: bytes, out: TextBuilder,
                 nodes: list[TextNode], bases: list[int], props: tuple[str, ...] | None):
        self.name, self.label, self.data = name, label, data
        self.out, self.nodes, self.bases = out, nodes, bases
        self.props = props
        self.stack: list[str] = []  # local names of open elements
        self.paras: list[list[tuple[str, int | None]]] = []  # open paragraphs' pieces (text, node source)
        self.where: list[tuple[tuple[str, object], ...]] = []  # the open paragraphs' locators
        self.tables: list[list[int]] = []  # open tables: [number, row, cell]
        self.table_count = 0
        self.para_count = 0
        self.note: tuple[str, object] | None = None
        self.text_open: tuple[int, int, list[str]] | None = None  # tag start, tag end, chunks
        self.asides: list[tuple[str, str]] = []  # (field, words) kept in attributes

    def base_locator(self) -> tuple[tuple[str, object], ...]:
        return (("part", self.label),) + ((self.note,) if self.note else ())

    def start(self, tag: str, attrs: dict[str, str], at: int) -> None:
        ns, name = local(tag)
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        if self.props is not None:
            if len(self.stack) == 2 and name in self.props:
                self.paras.append([])
                self.where.append((("part", "properties"), ("field", name)))
                self.text_open = (at, tag_end(self.data, at), [])
            return
        if ns not in W:
            return
        if attrs:
            for key, value in attrs.items():
                if key.endswith("}author") and value.strip():
                    self.asides.append(("author", value))

        if name == "p":
            self.para_count += 1
            self.paras.append([])
            if self.tables:
                t, r, c = self.tables[-1]
                self.where.append(self.base_locator() + (("table", t), ("row", r), ("cell", c)))
            else:
                self.where.append(self.base_locator() + (("paragraph", self.para_count),))
        elif name in _TEXT and self.paras:
            self.text_open = (at, tag_end(self.data, at), [])
        elif name in _BREAK and parent == "r" and self.paras:
            self.paras[-1].append((_BREAK[name], None))
        elif name == "tbl":
            self.table_count += 1
            self.tables.append([self.table_count, 0, 0])
        elif name == "tr" and self.tables:
            self.tables[-1][1] += 1
            self.tables[-1][2] = 0
        elif name == "tc" and self.tables:
            self.tables[-1][2] += 1
        elif name in _NOTES and len(self.stack) == 2:
            self.note = (_NOTES[name], _attr(attrs, "id"))
            self.para_count = 0

    def end(self, tag: str, at: int) -> None:
        ns, name = local(tag)
        self.stack.pop()
        if self.text_open is not None and (name in _TEXT or self.props is not None):
            tag_start, content_start, chunks = self.text_open
            self.text_open = None
            empty = self.data[content_start - 2:content_start] == b"/>"
            text = "".join(chunks)
            if not empty:
                self.bases.append(self.bases[-1] + len(self.nodes[-1].text) if self.nodes else 0)
                self.nodes.append(TextNode(self.name, content_start, at, tag_start, content_start, text))
                self.paras[-1].append((text, self.bases[-1]))
            if self.props is not None:
                self.flush()
            return
        if self.props is not None or ns not in W:
            return
        if name == "p" and self.paras:
            self.flush()
        elif name == "tc":
            self.out.separate("\t", override=True)
        elif name in ("tr", "tbl"):
            self.out.separate("\n")
            if name == "tbl" and self.tables:
                self.tables.pop()
        elif name in _NOTES and len(self.stack) == 1:
            self.note = None

    def flush(self) -> None:
        pieces, where = self.paras.pop(), self.where.pop()
        begin = None
        for text, source in pieces:
            at = self.out.add(text, source)
            if begin is None and text:
                begin = at
        if begin is not None:
            self.out.segment(begin, where)
        self.out.separate("\n")

    def chars(self, text: str) -> None:
        if self.text_open is not None:
            self.text_open[2].append(text)


def _attr(attrs: dict[str, str], name: str) -> str:
    for key, value in attrs.items():
        if local(key)[1] == name:
            return value
    return ""


def _targets(zf, rels_name: str, base: str) -> list[tuple[str, str]]:
    """(relationship type's last word, part name) of a .rels part's internal targets."""
    if rels_name not in zf.namelist():
        return []
    found: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict[str, str], at: int) -> None:
        if local(tag)[1] == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            name = target.lstrip("/") if target.startswith("/") else _join(base, target)
            found.append((attrs.get("Type", "").rsplit("/", 1)[-1], name))

    walk(read_member(zf, rels_name, WHAT), rels_name, WHAT, start, lambda t, a: None, lambda s: None)
    return found


_TELLING_LINK = re.compile(r"(?i)^(?:mailto|tel|sms|callto):|[?#].*\d")


def _images_and_links(zf) -> list[tuple[str, str]]:
    """("alt text", words) of every drawing's description and title, ("link", target) of every
    external link that tells something (mailto:, tel:, a query with digits), in the parts' order."""
    found: list[tuple[str, str]] = []
    names = zf.namelist()
    for name in names:
        if name.startswith("word/") and name.endswith(".xml") and "/_rels/" not in name:
            data = read_member(zf, name, WHAT)
            if b"docPr" not in data:
                continue

            def start(tag: str, attrs: dict[str, str], at: int) -> None:
                if local(tag)[1] == "docPr":
                    found.extend(("alt text", attrs[k]) for k in ("descr", "title") if attrs.get(k, "").strip())

            walk(data, name, WHAT, start, lambda t, a: None, lambda s: None)
        elif name.startswith("word/_rels/") and name.endswith(".rels"):
            def link(tag: str, attrs: dict[str, str], at: int) -> None:
                target = attrs.get("Target", "")
                if local(tag)[1] == "Relationship" and attrs.get("TargetMode") == "External" \
                        and _TELLING_LINK.search(target):
                    found.append(("link", target))

            walk(read_member(zf, name, WHAT), name, WHAT, link, lambda t, a: None, lambda s: None)
    return found


def _kept_beside(zf) -> list[tuple[str, str]]:
    """("custom property", words) of each custom document property and ("custom XML", words) of
    each element of a custom XML part (data a file carries beside its text: a SharePoint column,
    a form's fields), in the parts' order. An embedded object or an imported chunk (altChunk) holds
    a file of its own that is not read: the document is refused (ExtractionError)."""
    names = zf.namelist()
    chunks = {n for kind, n in _targets(zf, "word/_rels/document.xml.rels", "word/document.xml") if kind == "aFChunk"}
    for name in names:
        if (name.startswith("word/embeddings/") and not name.endswith("/")) or name in chunks:
            raise ExtractionError(f"it embeds {name}, which redactaudit cannot read (open it in Word and save its "
                                  "content as text of the document, or remove it)")
    found: list[tuple[str, str]] = []
    for name in names:
        if name == "docProps/custom.xml":
            field = "custom property"
        elif name.startswith("customXml/item") and name.endswith(".xml") and not name.startswith("customXml/itemProps"):
            field = "custom XML"
        else:
            continue
        texts: list[list[str]] = []

        def start(tag: str, attrs: dict[str, str], at: int) -> None:
            texts.append([])

        def end(tag: str, at: int) -> None:
            words = "".join(texts.pop()).strip()
            if words:
                found.append((field, words))

        def chars(text: str) -> None:
            if texts:
                texts[-1].append(text)

        walk(read_member(zf, name, WHAT), name, WHAT, start, end, chars)
    return found


def _join(base: str, target: str) -> str:
    parts = [p for p in base.split("/") if p][:-1] if base else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _parts(zf) -> list[tuple[str, str]]:
    """(part name, label) of the parts holding text, in reading order."""
    names = set(zf.namelist())
    main = next((n for kind, n in _targets(zf, "_rels/.rels", "") if kind == "officeDocument"),
                "word/document.xml")
    if main not in names:
        raise ExtractionError(f"corrupt {WHAT}: no main document part")
    folder, _, leaf = main.rpartition("/")
    rels = _targets(zf, f"{folder}/_rels/{leaf}.rels", main)
    found = [(main, "document")]
    for kind in _PART_ORDER:
        chosen = sorted({n for k, n in rels if k == kind and n in names}, key=_natural)
        found += [(n, n.rpartition("/")[2].rsplit(".", 1)[0]) for n in chosen]
    return found + [(n, "properties") for n in _PROPERTY_PARTS if n in names]


def _natural(name: str) -> tuple[int, str]:
    digits = "".join(c for c in name if c.isdigit())
    return (int(digits) if digits else 0, name)


def read_docx(data: bytes) -> DocxText:
    """The text of a .docx and where each character came from. Raises ExtractionError."""
    zf = open_zip(data, WHAT)
    out, nodes, bases, asides = TextBuilder(), [], [], []
    for name, label in _parts(zf):
        part = _Part(name, label, read_member(zf, name, WHAT), out, nodes, bases, _PROPERTY_PARTS.get(name))
        walk(part.data, name, WHAT, part.start, part.end, part.chars)
        out.separate("\n")
        asides += part.asides
    asides += _images_and_links(zf) + _kept_beside(zf)
    for field_name, words in dict.fromkeys(asides):  # no node behind them: not rewritable
        at = out.add(words)
        out.segment(at, (("part", "attributes"), ("field", field_name)))
        out.separate("\n")
    ex = Extracted(out.text(), FORMAT, tuple(out.segments), None, ())
    return DocxText(ex, tuple(nodes), tuple(bases), out.source_map())


def extract(name: str, data: bytes) -> Extracted:
    """Bytes of a .docx -> Extracted (segments locate paragraphs and cells)."""
    return read_docx(data).extracted
