"""What the consistency checks share: how an inconsistency finding is made and what a mask is.

In: findings. Out: new findings of kind `inconsistency` (with their fingerprints) and locations.
"""

from __future__ import annotations

import regex

from ..identity import fingerprint
from ..model import Finding, Kind, Location, Reason, Severity
from ..vocabulary import MASK_CHARS

MASKY = regex.compile(f"[{regex.escape(MASK_CHARS)}]")
MAX_RELATED = 8


def location(f: Finding, note: str = "") -> Location:
    return Location(f.path, f.start, f.end, f.line, f.column, note)


def inconsistency(rule: str, at: Finding, category: str, severity: Severity, message: str,
                   related: tuple[Location, ...], why: tuple[Reason, ...], key: bytes, confidence: float = 0.9,
                   span: tuple[int, int, str, int, int, int, int] | None = None) -> Finding:
    start, end, text, line, column, end_line, end_column = span or (
        at.start, at.end, at.text, at.line, at.column, at.end_line, at.end_column)
    return Finding(rule=rule, kind=Kind.INCONSISTENCY, category=category, severity=severity, path=at.path,
                   start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column,
                   text=text, message=message, fingerprint=fingerprint(rule, at.path, text, key),
                   confidence=confidence, why=why, related=related[:MAX_RELATED])






def mask_run(segment: str) -> bool:
    return bool(segment) and sum(ch in MASK_CHARS for ch in segment) >= max(1, len(segment) // 2)
