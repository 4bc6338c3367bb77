"""What the user has accepted: the allowlist, public figures and inline ignore comments.

In: a document's findings, the config's allowlist, the public-figure list. Out: the findings kept
and the ones withheld (still masked in every excerpt, never reported). Pure: no I/O; a user's
regexes run within a deadline and raise TimeoutError past it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import regex

from .config import Config
from .documents import path_matches
from .model import Document, FileError, Finding, Kind

IGNORE_MARK = "redactaudit: ignore"
# `redactaudit: ignore` or `redactaudit: ignore-next-line`, optionally naming rules in brackets
# (`redactaudit: ignore[identifiers.phone-cn, names-zh.role-name]`), like `# noqa: E501`.
_IGNORE = regex.compile(r"redactaudit: ignore(?P<next>-next-line)?(?:\[(?P<rules>[^\]\n]*)\]|(?![\w\[-]|[ \t]+\[))")
ALL_RULES = frozenset({"*"})


@dataclass(frozen=True, slots=True)
class Ignores:
    """Line number -> the rule ids silenced there ({'*'} for all)."""

    lines: dict

    def silences(self, f: Finding) -> bool:
        rules = self.lines.get(f.line)
        return rules is not None and f.kind is not Kind.PLACEHOLDER and ("*" in rules or f.rule in rules)


def ignored_lines(document: Document) -> Ignores:
    """The lines marked in the document itself: `redactaudit: ignore` silences its own line,
    `redactaudit: ignore-next-line` the one after (in any comment syntax, or none). Lines are
    counted by the document's own line index, as findings are; in HTML and Markdown, in the
    source, where comments are."""
    source = document.source_text
    if IGNORE_MARK not in source:
        return Ignores({})
    lines: dict[int, frozenset[str]] = {}
    for m in _IGNORE.finditer(source):
        number = document.source_lines.line(m.start()) + (1 if m["next"] else 0)
        rules = frozenset(r.strip() for r in m["rules"].split(",") if r.strip()) if m["rules"] is not None \
            else ALL_RULES
        lines[number] = lines.get(number, frozenset()) | (rules or ALL_RULES)
    return Ignores(lines)


def allowed(finding: Finding, config: Config, deadline: float | None = None, regexes: bool = True) -> bool:
    """Whether the allowlist accepts a finding's value. A user's regex runs with the time left
    before `deadline` (time.monotonic()); raises TimeoutError when it runs past it."""
    if finding.kind is Kind.PLACEHOLDER:
        return False
    allow = config.allowlist
    value = finding.text.strip()
    if value in allow.values:
        return True
    for p in allow.regexes if regexes else ():
        left = deadline - time.monotonic() if deadline is not None else None
        if left is not None and left <= 0:
            raise TimeoutError
        if p.fullmatch(value, timeout=left):
            return True
    return False


def path_allowed(path: str, config: Config) -> bool:
    return path_matches(path, config.allowlist.paths)


def public_figure(finding: Finding, text: str, figures: frozenset[str]) -> bool:
    """A person finding that is, or is part of, an allowlisted public figure's name (近平 in 习近平)."""
    if finding.category != "person" or finding.kind is not Kind.LEAK or not figures:
        return False
    for before in range(0, 3):
        for after in range(0, 3):
            if text[max(0, finding.start - before):finding.end + after] in figures:
                return True
    return False


def filter_findings(document: Document, found: list[Finding], config: Config, figures: frozenset[str],
                    deadline: float, budget: float, errors: list[FileError]
                    ) -> tuple[list[Finding], list[Finding]]:
    """(kept, withheld): inline ignores, the allowlist and public figures withhold; the config's
    severity overrides apply to what is kept. A regex that runs past `deadline` is listed in
    `errors` and the findings it did not check are kept (fail closed)."""
    silenced = ignored_lines(document)
    kept, withheld = [], []
    regexes_ok = True
    for f in found:
        if silenced.silences(f):
            withheld.append(f)
            continue
        try:
            ok = allowed(f, config, deadline, regexes_ok)
        except TimeoutError:
            regexes_ok, ok = False, False
            errors.append(FileError(document.path, f"the time budget of {budget:g} s per document ran "
                                                   f"out in the allowlist regexes (line {f.line}); the findings "
                                                   "they did not check are kept"))
        if ok or public_figure(f, document.text, figures):
            withheld.append(f)
            continue
        level = config.severity.get(f.rule)
        kept.append(replace(f, severity=level) if level is not None else f)
    return kept, withheld
