"""The few frozen types every stage passes along; no I/O and no behaviour beyond ordering.

In: nothing. Out: Kind, Severity, Document, Finding, DocumentReport, FileError, AuditResult.
Offsets are half-open code-point offsets into the decoded text with newlines exactly as in the
file (CRLF counts 2); lines and columns are 1-based and counted in code points.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded text. `path` is what reports show; `text` keeps the file's newlines."""

    path: str
    text: str
    encoding: str
    newline: str  # "\n", "\r\n", "\r", "mixed" or "none"
    bom: bool = False


@dataclass(frozen=True, slots=True)
class Location:
    """Another span a finding points at (the masks that made a value a leak, a copy's span)."""

    path: str
    start: int
    end: int
    line: int
    column: int
    note: str = ""


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
    confidence: float = 1.0
    style: str | None = None  # placeholders: asterisk, x-run, times, mou, circle, square, block, label, partial
    width: int | None = None  # placeholders: how many mask characters
    why: tuple[str, ...] = ()
    related: tuple[Location, ...] = ()

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
