"""Markdown -> the text a reader sees, each character mapped back to the source; and redaction in it.

In: Markdown source (str; extract() decodes bytes first). Out: Extracted with a SourceMap, or the
source with edits applied. Parsed as CommonMark with tables and strikethrough (markdown-it-py): the
`**` of `**潘玉兰**` is markup and the text is `潘玉兰`; what CommonMark leaves as text stays text:
an unmatched `***同志`, escaped `\\*\\*` (one `*` each, replaced whole), `***` inside a code span.
Headings, paragraphs, list items, code blocks end a line; the cells of a table row are separated by
a tab. A link reads as its text, a space, its destination as written and its title
(`[张三](mailto:… "信箱")` -> `张三 mailto:… 信箱`: an address in a URL is published too, and so is a
title); a full reference link `[text][label]` as its text and label; images as their alt text,
source and title; autolinks as written; a link reference definition (`[label]: url "title"`) as a
line of its own: its label, destination as written and title. Inline HTML tags are skipped (they
never split a value) and HTML blocks are read as HTML (html.py). A destination is redacted as it is
read (no escapes); a replacement that would end it (a space) changes the parse and is refused.

markdown-it-py gives tokens without character positions, so each token's text is aligned to the
source from a cursor that only moves forward inside the token's lines: cost linear in the source.
"""

from __future__ import annotations

import bisect
import html as _html
import re
from array import array

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from .base import (ATOMIC, IN_HTML, RAW, VERBATIM, Extracted, SourceMap, TextBuilder, apply_edits,
                   check_edits, decode_markup)
from .html import extract_html

FORMAT = "markdown"

_BLOCK_END = frozenset(("paragraph_close", "heading_close", "tr_close", "thead_close", "tbody_close",
                        "table_close", "blockquote_close", "list_item_close", "hr"))
_CELL_END = frozenset(("td_close", "th_close"))
_NEWLINES = re.compile(r"\r\n?|\x00")
_CONTINUATION = re.compile(r"\n[ \t>]*")  # a line end and the block quote markers after it
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
AUTOLINK = 8  # a flag on a RAW run: the content of an autolink, between its `<` and `>`


def _parser() -> MarkdownIt:
    # inline_definitions: a reference definition is a `definition` token where it stands
    md = MarkdownIt("commonmark", {"inline_definitions": True}).enable("table").enable("strikethrough")
    md.core.ruler.disable("text_join")  # escapes and entities stay tokens of their own (their markup is the source)
    return md


def _normalize(source: str) -> tuple[str, array]:
    """The source as markdown-it reads it (CRLF and CR -> LF, NUL -> U+FFFD), and the normalized
    offsets q where the original has one more character (the CR of a CRLF) before q."""
    drops, parts, last, shift = array("q"), [], 0, 0
    for m in _NEWLINES.finditer(source):
        parts.append(source[last:m.start()])
        parts.append("\ufffd" if m.group() == "\x00" else "\n")
        if m.group() == "\r\n":
            shift += 1
            drops.append(m.start() + 1 - shift)
        last = m.end()
    parts.append(source[last:])
    return "".join(parts), drops


class _Aligner:
    """Walks the normalized source with a forward-only cursor and feeds a TextBuilder."""

    def __init__(self, norm: str):
        self.norm = norm
        self.out = TextBuilder()
        self.cur = 0
        self.limit = len(norm)
        self.lines = [0] + [m.end() for m in re.finditer("\n", norm)]
        self.unmapped = 0

    def lines_of(self, line_map: list[int] | None) -> None:
        if line_map:
            first, last = line_map
            self.cur = max(self.cur, self.lines[min(first, len(self.lines) - 1)])
            self.limit = self.lines[last] if last < len(self.lines) else len(self.norm)

    def skip(self, markup: str) -> int:
        """Move past the next `markup` on the cursor's way; its start, or -1 (cursor unmoved)."""
        if not markup:
            return self.cur
        pos = self.norm.find(markup, self.cur, self.limit)
        if pos >= 0:
            self.cur = pos + len(markup)
        return pos

    def text(self, text: str, kind: int = VERBATIM) -> None:
        """Map `text` onto the source ahead: verbatim where it stands as written; a backslash
        escape or a line end read as a space (code spans) is an atomic run; markup between is skipped."""
        norm, out = self.norm, self.out
        if not text:
            return
        pos = norm.find(text, self.cur, self.limit)
        if pos >= 0 and "\n" not in norm[self.cur:pos]:
            out.add(text, pos, kind=kind)
            self.cur = pos + len(text)
            return
        i, n = 0, len(text)
        while i < n:
            ch, c = text[i], self.cur
            if c < self.limit and norm[c] == ch:
                j = i + 1
                while j < n and c + j - i < self.limit and norm[c + j - i] == text[j]:
                    j += 1
                out.add(text[i:j], c, kind=kind)
                self.cur, i = c + j - i, j
                continue
            if norm.startswith("\\", c) and norm.startswith(ch, c + 1) and ch in _PUNCT:
                out.add(ch, c, 2, ATOMIC)
                self.cur = c + 2
            elif ch == " " and norm.startswith("\n", c):
                out.add(ch, c, 1, ATOMIC)
                self.cur = c + 1
            else:
                found = norm.find(ch, c, self.limit)
                if found < 0:
                    out.add(ch)  # no source found: a separator-like character (rare; counted)
                    self.unmapped += 1
                else:
                    out.add(ch, found, kind=kind)
                    self.cur = found + 1
            i += 1

    def special(self, content: str, markup: str) -> None:
        pos = self.skip(markup)
        if pos < 0:
            self.text(content)
        else:
            self.out.add(content, pos, len(markup), ATOMIC)

    def _space(self, pos: int) -> int:
        """Past spaces and line ends from `pos`, and a block quote's `>` that starts a line."""
        norm, limit = self.norm, self.limit
        while pos < limit and norm[pos] in " \t\n":
            pos += 1
            if norm[pos - 1] == "\n":
                while pos < limit and norm[pos] in " \t>":
                    pos += 1
        return pos

    def _destination_and_title(self, pos: int) -> int:
        """A destination at `pos` (after spaces), written after a space as it stands in the source,
        then its title as a reader sees it; where the cursor is left."""
        norm = self.norm
        pos = self._space(pos)
        dest = parseLinkDestination(norm, pos, self.limit)
        if dest.ok and dest.pos > pos:
            self.out.add(" ")
            self.out.add(norm[pos:dest.pos], pos, kind=RAW)  # as written: a replacement is not escaped
            pos = dest.pos
        after = self._space(pos)
        if after > pos and after < self.limit and norm[after] in "\"'(":
            title = parseLinkTitle(norm, after, self.limit)
            if title.ok:
                self.cur = after + 1
                if title.str:
                    self.out.add(" ")
                    self.text(_CONTINUATION.sub("\n", title.str))
                self.cur = pos = title.pos
        return pos

    def link_tail(self) -> None:
        """After a link's text: `](destination "title")`, `][label]` or `]`; the destination and
        the title (or the label) are written as text after a space."""
        norm = self.norm
        if self.skip("]") < 0:
            return
        if norm.startswith("(", self.cur):
            pos = self._destination_and_title(self.cur + 1)
            close = norm.find(")", pos, self.limit)
            self.cur = close + 1 if close >= 0 else pos
        elif norm.startswith("[", self.cur):
            close = norm.find("]", self.cur, self.limit)
            if close >= 0 and norm[self.cur + 1:close].strip():
                self.out.add(" ")
                self.cur += 1
                self.text(norm[self.cur:close])
            self.cur = close + 1 if close >= 0 else self.cur

    def definition(self, meta: dict) -> None:
        """A link reference definition, `[label]: destination "title"`, on a line of its own."""
        self.out.separate("\n")
        if self.skip("[") >= 0:
            self.text(meta.get("label", ""))
            if self.skip("]") >= 0 and self.norm.startswith(":", self.cur):
                self._destination_and_title(self.cur + 1)
        self.out.separate("\n")

    def inline(self, children) -> None:
        k, n = 0, len(children)
        while k < n:
            tok = children[k]
            t = tok.type
            if t == "text":
                self.text(tok.content)
            elif t == "text_special":
                self.special(tok.content, tok.markup)
            elif t == "code_inline":
                self.skip(tok.markup)
                self.text(tok.content, RAW)
                self.skip(tok.markup)
            elif t in ("softbreak", "hardbreak"):
                pos = self.norm.find("\n", self.cur, self.limit)
                if pos >= 0:
                    self.out.add("\n", pos)
                    self.cur = pos + 1
                else:
                    self.out.separate("\n")
            elif t == "link_open" and tok.markup == "autolink":
                start = self.skip("<")
                end = self.norm.find(">", self.cur, self.limit)
                if start >= 0 and end >= 0:
                    self.out.add(self.norm[self.cur:end], self.cur, kind=RAW | AUTOLINK)
                    self.cur = end + 1
                while k + 1 < n and children[k].type != "link_close":
                    k += 1
            elif t == "link_open":
                self.skip("[")
            elif t == "link_close":
                self.link_tail()
            elif t == "image":
                self.skip("![")
                self.inline(tok.children or [])
                self.link_tail()
            elif t == "html_inline":
                self.skip(tok.content)
                if tok.content.lower().startswith("<br"):
                    self.out.separate("\n")
            elif tok.markup:  # emphasis, strong, strikethrough open and close
                self.skip(tok.markup)
            k += 1

    def html_block(self, content: str) -> None:
        start = self.cur
        if self.norm.startswith(content, start):
            inner = extract_html(content)
            assert inner.source_map is not None
            self.out.separate("\n")
            last = 0
            for ts, so, ln, sp, kind in inner.source_map.runs():
                if ts > last:
                    self.out.add(inner.text[last:ts])
                self.out.add(inner.text[ts:ts + ln], start + so, sp, kind | IN_HTML)
                last = ts + ln
            if last < len(inner.text):
                self.out.add(inner.text[last:])
            self.cur = start + len(content)
        else:
            self.text(extract_html(content).text)
        self.out.separate("\n")


def _to_original(smap: SourceMap, drops: array) -> SourceMap:
    """Runs over the normalized source -> runs over the original (a run is cut at each dropped CR)."""
    if not drops:
        return smap
    out = TextBuilder()
    for ts, so, ln, sp, kind in smap.runs():
        lo = so + bisect.bisect_right(drops, so)
        if kind & 3 == ATOMIC:
            hi = so + sp - 1
            end = hi + bisect.bisect_right(drops, hi) + 1
            out.run(ts, lo, ln, end - lo, kind)
            continue
        i = 0
        while i < ln:  # cut where a dropped CR falls inside the run
            k = bisect.bisect_right(drops, so + i)
            nxt = drops[k] if k < len(drops) else so + ln
            step = min(so + ln, nxt) - (so + i)
            out.run(ts + i, so + i + k, step, step, kind)
            i += step
    return out.source_map()


def extract_markdown(source: str, encoding: str | None = None) -> Extracted:
    """The text of a Markdown source as a reader sees it, every character mapped to its source."""
    norm, drops = _normalize(source)
    env: dict = {}
    tokens = _parser().parse(norm, env)
    al = _Aligner(norm)
    definitions = 0
    for tok in tokens:
        t = tok.type
        if t == "inline":
            al.lines_of(tok.map)
            al.inline(tok.children or [])
        elif t in ("fence", "code_block"):
            al.lines_of(tok.map)
            if t == "fence":
                al.cur = al.norm.find("\n", al.cur, al.limit) + 1 or al.limit
            al.out.separate("\n")
            al.text(tok.content.rstrip("\n"), RAW)
            al.out.separate("\n")
        elif t == "html_block":
            al.lines_of(tok.map)
            al.html_block(tok.content)
        elif t == "definition":
            al.lines_of(tok.map)
            al.definition(tok.meta)
            definitions += 1
        elif t in _BLOCK_END:
            al.out.separate("\n")
        elif t in _CELL_END:
            al.out.separate("\t")
    notes = []
    unread = len(env.get("references", ())) + len(env.get("duplicate_refs", ())) - definitions
    if unread > 0:  # a markdown-it without definition tokens
        notes.append(f"{unread} link reference definition(s) not read")
    if al.unmapped:
        notes.append(f"{al.unmapped} character(s) not mapped to the source")
    return Extracted(al.out.text(), FORMAT, (), _to_original(al.out.source_map(), drops), tuple(notes),
                     source, encoding)


def extract(name: str, data: bytes) -> Extracted:
    """Bytes of a Markdown file -> Extracted (decoded by BOM, UTF-8, GB18030)."""
    source, encoding = decode_markup(data)
    return extract_markdown(source, encoding)


def _escape(replacement: str, kind: int) -> str:
    if kind & IN_HTML:
        return _html.escape(replacement, quote=False)
    if kind & ~AUTOLINK == RAW:
        return replacement
    return "".join("\\" + c if c in _PUNCT else c for c in replacement)


def redact_md(source: str, edits: list[tuple[int, int, str]]) -> str:
    """`source` with each (text start, text end, replacement) of extract_markdown(source).text
    applied in place: the replacement goes where the value's first characters were (its ASCII
    punctuation backslash-escaped, so `***` stays text; as it is inside code), the value's other
    characters are removed, the markup around them stays."""
    ex = extract_markdown(source)
    assert ex.source_map is not None
    edits = check_edits(edits, len(ex.text))
    out = apply_edits(source, _whole_autolinks(ex.source_map, edits), len(ex.text), edits, _escape)
    expected, last = [], 0
    for start, end, replacement in edits:
        expected += [ex.text[last:start], replacement]
        last = end
    expected.append(ex.text[last:])
    if _squeeze("".join(expected)) != _squeeze(extract_markdown(out).text):
        raise ValueError("a replacement changes how the Markdown around it parses (ASCII punctuation "
                         "next to emphasis markers?): choose another replacement")
    return out


def _whole_autolinks(smap: SourceMap, edits: list[tuple[int, int, str]]) -> SourceMap:
    """The map with each autolink an edit covers whole read as one text run over `<...>`: a token in
    place of an address is no address (`<[邮箱]>` would be text with its brackets), so the value and
    its brackets give way to the replacement, escaped as text. A value inside a URL stays in it."""
    starts = [e[0] for e in edits]
    out = TextBuilder()
    for ts, so, ln, sp, kind in smap.runs():
        k = bisect.bisect_right(starts, ts) - 1
        if kind & AUTOLINK and k >= 0 and edits[k][1] >= ts + ln:
            out.run(ts, so - 1, ln, sp + 2, ATOMIC)
        else:
            out.run(ts, so, ln, sp, kind)
    return out.source_map()


def _squeeze(text: str) -> str:
    return " ".join(text.split())
