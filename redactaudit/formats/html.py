"""HTML -> the text a reader sees, each character mapped back to the source; and redaction in it.

In: HTML source (str; extract() decodes bytes first). Out: Extracted with a SourceMap, or the
source with edits applied. What a browser shows is read: the title, the body's text, entities
decoded (`&#21592;` is one character, replaced whole), runs of white space collapsed to one space
(kept in <pre>); script, style, other head content and comments are skipped. Block elements (p,
div, li, h1-h6, tr, br ...) end a line and the cells of a row are separated by a tab; inline tags
(span, b, a, font ...) never split a value: `138<span>1234</span>5678` reads `13812345678`.
What the page publishes without showing is read too, each on a line of its own: comments, and the
attributes that carry words (alt, title, placeholder, value, a meta tag's content, a link's
target: a mailto: address, a tel: number, a query). Scripts and styles are code, not read (a note
counts them). Cost: one pass of the stdlib parser, which copes with broken HTML as browsers do.
"""

from __future__ import annotations

import html as _html
from html.parser import HTMLParser

import regex

from .base import ATOMIC, VERBATIM, Extracted, TextBuilder, apply_edits, decode_markup

FORMAT = "html"

BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main menu nav ol optgroup option p pre section summary table tbody tfoot thead title tr ul "
    "li".split())
CELLS = frozenset(("td", "th"))
SKIP = frozenset(("script", "style", "template"))  # content never shown
HEAD_ONLY = frozenset(("base", "link", "meta", "noscript", "script", "style", "template", "title"))
VERBATIM_SPACE = frozenset(("pre", "textarea", "listing", "plaintext", "xmp"))
_SPACE = " \t\n\r\f"
TEXT_ATTRIBUTES = frozenset(("alt", "title", "placeholder", "value", "content", "label", "summary", "href",
                             "aria-label", "data-name", "data-phone", "data-email"))
_DIRECTIVE = regex.compile(r"\s*redactaudit: ignore\S*\s*")  # a comment that only tells redactaudit something
_TELLING_LINK = regex.compile(r"(?i)^(?:mailto|tel|sms|callto|weixin):|[?#].*\d")


class _Reader(HTMLParser):
    """One pass over one source; collects into a TextBuilder. Scratch state, never shared."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=False)
        self.source = source
        self.out = TextBuilder()
        self.newline_at = [0]  # HTMLParser counts lines by "\n" only
        pos = source.find("\n")
        while pos >= 0:
            self.newline_at.append(pos + 1)
            pos = source.find("\n", pos + 1)
        self.skip = 0  # inside script/style
        self.in_head = False
        self.pre = 0
        self.space_ok = False  # a collapsed space may be written (not at a line start, not twice)
        self.scripts = 0

    def handle_comment(self, data):
        if data.strip() and not _DIRECTIVE.fullmatch(data):  # published with the page, whoever sees it
            lead = len(data) - len(data.lstrip())
            self._aside(data.strip(), self._at() + 4 + lead, VERBATIM)

    def _aside(self, value: str, start: int, kind: int) -> None:
        """Text the page carries but does not show, on a line of its own."""
        self.block()
        self.out.add(value, start, None if kind == VERBATIM else len(value), kind)
        self.block()

    def _attributes(self, attrs) -> None:
        raw, at = self.get_starttag_text() or "", self._at()
        for name, value in attrs:
            if not value or name not in TEXT_ATTRIBUTES or (name == "href" and not _TELLING_LINK.search(value)):
                continue
            m = regex.search(rf"(?i)\b{name}\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", raw)
            if m is None:
                continue
            group = next(g for g in (1, 2, 3) if m.group(g) is not None)
            source = m.group(group)
            if _html.unescape(source) == source:
                self._aside(source, at + m.start(group), VERBATIM)
            else:  # entities in it: the decoded value stands for its whole source, replaced whole
                self.block()
                self.out.add(_html.unescape(source), at + m.start(group), len(source), ATOMIC)
                self.block()

    def _at(self) -> int:
        line, col = self.getpos()
        return self.newline_at[line - 1] + col

    def block(self, sep: str = "\n") -> None:
        self.out.separate(sep)
        self.space_ok = False

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        elif self.in_head and tag not in HEAD_ONLY:
            self.in_head = False  # content that only the body holds ends an unclosed head
        if attrs:
            self._attributes(attrs)
        if tag in SKIP:
            self.skip += 1
            self.scripts += tag != "template"
        elif tag == "br":
            self.block()
        elif tag in BLOCKS:
            self.block()
        elif tag in CELLS:
            self.block("\t")
        if tag in VERBATIM_SPACE:
            self.pre += 1

    def handle_startendtag(self, tag, attrs):
        if attrs:
            self._attributes(attrs)
        if tag == "br" or tag in BLOCKS:
            self.block()

    def handle_endtag(self, tag):
        if tag == "head" or tag == "body":
            self.in_head = False
        if tag in SKIP:
            self.skip = max(self.skip - 1, 0)
        elif tag in BLOCKS:
            self.block()
        elif tag in CELLS:
            self.out.separate("\t", override=True)
            self.space_ok = False
        if tag in VERBATIM_SPACE:
            self.pre = max(self.pre - 1, 0)

    def hidden(self) -> bool:
        return bool(self.skip) or (self.in_head and self.lasttag != "title")

    def handle_data(self, data):
        if self.hidden():
            return
        start = self._at()
        if self.pre:
            self.out.add(data, start)
            self.space_ok = not data.endswith("\n")
            return
        i, n = 0, len(data)
        while i < n:
            if data[i] in _SPACE:
                j = i
                while j < n and data[j] in _SPACE:
                    j += 1
                if self.space_ok:
                    self.out.add(" ", start + i, j - i, ATOMIC if j - i > 1 or data[i] != " " else VERBATIM)
                    self.space_ok = False
                i = j
            else:
                j = i
                while j < n and data[j] not in _SPACE:
                    j += 1
                self.out.add(data[i:j], start + i)
                self.space_ok = True
                i = j

    def _reference(self, text_len_hint: int) -> None:
        start = self._at()
        end = start + text_len_hint
        if self.source.startswith(";", end):
            end += 1
        raw = self.source[start:end]
        if self.hidden():
            return
        decoded = _html.unescape(raw)
        if decoded == raw:  # not an entity after all: the characters are text
            self.out.add(raw, start, kind=VERBATIM)
        else:
            self.out.add(decoded, start, len(raw), ATOMIC)
        self.space_ok = True

    def handle_entityref(self, name):
        self._reference(len(name) + 1)

    def handle_charref(self, name):
        self._reference(len(name) + 2)


def extract_html(source: str, encoding: str | None = None) -> Extracted:
    """The visible text of an HTML source, every character mapped to its source offset."""
    reader = _Reader(source)
    reader.feed(source)
    reader.close()
    out = reader.out
    notes = (f"{reader.scripts} script or style element(s) not read (code)",) if reader.scripts else ()
    return Extracted(out.text(), FORMAT, (), out.source_map(), notes, source, encoding)


def _declared_charset(data: bytes) -> str | None:
    head = data[:2048].lower()
    at = head.find(b"charset=")
    if at < 0:
        return None
    value = head[at + 8:at + 40].lstrip(b"\"' ")
    end = 0
    while end < len(value) and (value[end:end + 1].isalnum() or value[end:end + 1] in b"-_"):
        end += 1
    return value[:end].decode("ascii") or None


def extract(name: str, data: bytes) -> Extracted:
    """Bytes of an HTML file -> Extracted (decoded by BOM, UTF-8, its meta charset, GB18030)."""
    source, encoding = decode_markup(data, _declared_charset(data))
    return extract_html(source, encoding)


def _escape(replacement: str, kind: int) -> str:
    return _html.escape(replacement, quote=False)


def redact_html(source: str, edits: list[tuple[int, int, str]]) -> str:
    """`source` with each (text start, text end, replacement) of extract_html(source).text applied
    in place: the replacement (HTML-escaped) goes where the value's first characters were, its
    other characters are removed from the text nodes they sit in, every tag stays."""
    ex = extract_html(source)
    assert ex.source_map is not None
    return apply_edits(source, ex.source_map, len(ex.text), edits, _escape)
