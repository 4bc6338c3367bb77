"""The few frozen types every stage passes along; no I/O and no behaviour beyond ordering.

In: nothing. Out: Kind, Severity, LineIndex, Document, Reason, Finding, DocumentReport, FileError,
AuditResult. Offsets are half-open code-point offsets into the decoded (or extracted) text with
newlines exactly as in the file (CRLF counts 2); lines and columns are 1-based and counted in code
points by the document's own `lines` (a LineIndex, or for HTML and Markdown the source's through
the extraction's map) and nothing else.
"""

from __future__ import annotations

import bisect
import enum
import re
from itertools import accumulate
from dataclasses import MISSING, dataclass, field, fields


class Kind(str, enum.Enum):
    PLACEHOLDER = "placeholder"
    LEAK = "leak"
    INCONSISTENCY = "inconsistency"
    # Text that looks like a mask and is not (markdown emphasis, a site's word filter): a rule of
    # this kind wins the overlap with the mask it resembles and is itself never reported.
    MARKUP = "markup"


class Severity(str, enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r} (use info, warning or error)") from None


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


_LINE_END = re.compile(r"\r\n?|\n")
_PLUS_ONE = (1).__add__


class LineIndex:
    """Code-point offset -> 1-based (line, column). '\\r\\n', '\\r' and '\\n' each end a line; nothing
    else does (a form feed between PDF pages, a vertical tab or U+2028 is a character of its line).
    Built in one pass over the text."""

    __slots__ = ("_starts",)

    def __init__(self, text: str):
        if "\r" in text:
            self._starts = [0, *(m.end() for m in _LINE_END.finditer(text))]
        else:  # only '\n' ends a line: each line's start is the last one's plus its length and one
            starts = list(accumulate(map(_PLUS_ONE, map(len, text.split("\n"))), initial=0))
            starts.pop()
            self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def span(self, number: int) -> tuple[int, int]:
        """(start, end) offsets of a 1-based line, its line break excluded."""
        starts = self._starts
        start = starts[number - 1]
        end = starts[number] if number < len(starts) else -1
        return start, end

    def end_position(self, end: int) -> tuple[int, int]:
        return self.position(end)



@dataclass(frozen=True, slots=True)
class Document:
    """One decoded text. `path` is what reports show; `text` keeps the file's newlines; `lines`
    is its line index (made with the document, so every stage counts lines the same way)."""

    path: str
    text: str
    encoding: str
    newline: str  # "\n", "\r\n", "\r", "mixed" or "none"
    bom: bool = False
    format: str = "text"  # text, or the format its text was extracted from: docx, pdf, html, markdown, odt
    encoding_confidence: float | None = None  # how sure, 0-1, when the encoding was guessed
    # What extraction gave (formats.Extracted: segments, a map into the source) and the file's
    # bytes, for a document read through a format; None for plain text.
    extracted: object = field(default=None, repr=False, compare=False)
    raw: bytes | None = field(default=None, repr=False, compare=False)
    lines: "LineIndex | SourceLines" = field(init=False, repr=False, compare=False)
    source_lines: LineIndex = field(init=False, repr=False, compare=False)
    text_lines: LineIndex = field(init=False, repr=False, compare=False)  # of `text` itself (excerpts)
    _where: object = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        own = LineIndex(self.text)
        object.__setattr__(self, "text_lines", own)
        ex = self.extracted
        where = None
        if ex is not None and getattr(ex, "text", None) == self.text:
            from .formats import locator  # only documents read through a format get here

            where = locator(ex)
        object.__setattr__(self, "_where", where)
        source = getattr(ex, "source", None)
        if source is not None and getattr(ex, "text", None) == self.text and ex.source_map is not None:
            # HTML, Markdown: lines and columns are the source's, where a person edits the file.
            in_source = LineIndex(source)
            object.__setattr__(self, "source_lines", in_source)
            object.__setattr__(self, "lines", SourceLines(ex.source_map, in_source))
        else:
            object.__setattr__(self, "source_lines", own)
            object.__setattr__(self, "lines", own)

    def __reduce__(self):
        # Pickled as its own fields (a worker's input or result); the line indexes and the
        # locator (a closure) are made again on the other side, as they were made here.
        return Document, (self.path, self.text, self.encoding, self.newline, self.bom, self.format,
                          self.encoding_confidence, self.extracted, self.raw)

    @property
    def source_text(self) -> str:
        """What the person edits: the HTML or Markdown source, else the text itself."""
        source = getattr(self.extracted, "source", None)
        return source if source is not None and self.lines is not self.source_lines else self.text

    def where(self, offset: int) -> dict:
        """Where a person finds the character at `offset` in the original file: a page, a
        paragraph, a table cell, a source line and column; {} for plain text."""
        return self._where(offset) if self._where is not None else {}


class SourceLines:
    """Line and column in the source of an extracted text (HTML, Markdown): text offset -> source
    offset (the extraction's map) -> the source's line index."""

    __slots__ = ("_map", "_lines")

    def __init__(self, source_map, lines: LineIndex):
        self._map, self._lines = source_map, lines

    def position(self, offset: int) -> tuple[int, int]:
        return self._lines.position(self._map.to_source(offset))

    def end_position(self, end: int) -> tuple[int, int]:
        """Line and column just after the character before `end` (a span's end, markup after it excluded)."""
        return self._lines.position(self._map.to_source(end - 1) + 1) if end > 0 else self.position(end)

    def line(self, offset: int) -> int:
        return self._lines.line(self._map.to_source(offset))


def _set_by_slot(cls):
    """A frozen slotted dataclass whose __init__ stores each field through its slot directly:
    the same signature as the one dataclass writes (names, order, defaults), but no
    object.__setattr__ looked up and called per field (Finding has 19, made several times per
    finding: 1.7x faster). Only for types with plain defaults and no __post_init__."""
    if hasattr(cls, "__post_init__") or not all(f.init and f.default_factory is MISSING for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: a __post_init__, a field not in __init__ or a default factory")
    names = [f.name for f in fields(cls)]
    params = [n if f.default is MISSING else f"{n}=_default_{n}" for n, f in zip(names, fields(cls))]
    space = {f"_set_{n}": getattr(cls, n).__set__ for n in names}
    space.update({f"_default_{f.name}": f.default for f in fields(cls) if f.default is not MISSING})
    exec(f"def __init__(self, {', '.join(params)}):\n" + "".join(f"    _set_{n}(self, {n})\n" for n in names), space)
    init = space["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


@_set_by_slot
@dataclass(frozen=True, slots=True)
class Location:
    """Another span a finding points at (the masks that made a value a leak, a copy's span)."""

    path: str
    start: int
    end: int
    line: int
    column: int
    note: str = ""


@_set_by_slot
@dataclass(frozen=True, slots=True)
class Reason:
    """One reason a finding was made, as data: `code` says what kind, `value` the word, rule,
    validator, category or path it names, `detail` where (a cue 'before' or 'after' the mask),
    `count` how many. `text` renders it for a reader."""

    code: str
    value: str = ""
    detail: str = ""
    count: int = 0

    @property
    def text(self) -> str:
        if self.code == "category-cue" and self.detail in ("label", "plural"):
            return _REASONS[f"category-cue-{self.detail}"]
        if self.code == "masked-elsewhere" and self.count:
            return f"the document masks {self.value} elsewhere ({self.count} masks)"
        template = _REASONS.get(self.code)
        if template is None:
            return self.value or self.code
        return template.format(v=self.value, r=repr(self.value), n=self.count, d=self.detail)


# How each kind of reason reads: {v} the value, {r} the value quoted, {n} the count, {d} the detail.
_REASONS = {
    "pattern": "pattern {v}",
    "valid": "{v} valid",
    "cue": "cue {r}",
    "category-cue": "category from {r} {d}",
    "category-cue-label": "category from the label's word",
    "category-cue-plural": "category from an English plural noun after",
    "masked-elsewhere": "the document masks {v} elsewhere",
    "nothing-masked": "the document masks no person, place or figure",
    "mask-widths": "{n} masks, widths {v}",
    "letter-case": "X masks in two cases: {v}",
    "digits-kept": "{n} digits kept",
    "aligned": "aligned with {v}",
    "column": "in a table column headed {r}",
    "listed": "category {v} from the list it stands in",
    "joined": "joined across a line break",
    "repeated": "the same value is found elsewhere in the document",
    "slot": "the same words around a mask",
}


@_set_by_slot
@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    kind: Kind
    category: str
    severity: Severity
    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str  # the raw value: kept in memory, masked by every output unless asked otherwise
    message: str
    fingerprint: str  # its one identity (identity.fingerprint), made with the finding
    confidence: float = 1.0
    style: str | None = None  # placeholders: asterisk, x-run, times, mou, circle, square, block, label, partial
    width: int | None = None  # placeholders: how many mask characters
    why: tuple[Reason, ...] = ()
    related: tuple[Location, ...] = ()  # the masks that made it a leak, the other copy's span

    @property
    def cue(self) -> str:
        """The word a mask's category came from (同志 in **同志), or ''."""
        for r in self.why:
            if r.code == "category-cue" and r.detail in ("before", "after"):
                return r.value
        return ""

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.start, self.end, self.rule)


@dataclass(frozen=True, slots=True)
class FileError:
    path: str
    message: str


@dataclass(frozen=True, slots=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class DocumentReport:
    document: Document
    findings: tuple[Finding, ...]
    consistency: dict = field(default_factory=dict)
    # Findings not reported (allowlisted, ignored inline, public figures, baselined): their values
    # are still masked in every excerpt of the document.
    withheld: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditResult:
    documents: tuple[DocumentReport, ...]
    errors: tuple[FileError, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    suppressed: int = 0  # findings hidden by the allowlist
    baselined: int = 0  # findings hidden by a baseline
    stale: tuple[str, ...] = ()  # baseline entries no longer found

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for d in self.documents for f in d.findings)
