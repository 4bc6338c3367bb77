"""The only orchestrator: paths -> documents -> detect -> filters -> AuditResult.

In: input paths (or stdin bytes), a Ruleset, a Config and ScanOptions. Out: an AuditResult.
Every other module is a pure stage; this one decides their order.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from .config import Config
from .consistency import check_document, cross_document
from .detect import DEFAULT_TIMEOUT, detect
from .documents import DEFAULT_MAX_BYTES, iter_paths, load_bytes, load_file
from .gazetteer import WordLists
from .model import AuditResult, Document, DocumentReport, FileError, Finding, Kind, Severity, Skipped

# Values that identify a person on their own; masking one of them says nothing about how the
# document treats contextual details.
DIRECT_CATEGORIES = frozenset("phone phone_en idcard passport uscc bankcard qq email plate ip ssn iban url wechat".split())
from .packs import Ruleset, build_ruleset, builtin_packs, load_pack_file


@dataclass(frozen=True, slots=True)
class ScanOptions:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT
    cross_document: bool = True


def load_ruleset(config: Config, extra_packs: Iterable[str] = ()) -> Ruleset:
    """Built-in packs plus the config's and the command line's own; raises PackError."""
    packs = builtin_packs() + tuple(load_pack_file(p) for p in (*config.extra_packs, *extra_packs))
    ruleset = build_ruleset(packs, enable=config.packs, disable=config.disable_packs)
    if config.disable_rules:
        ruleset = replace(ruleset, rules=tuple(r for r in ruleset.rules if r.id not in config.disable_rules))
    return ruleset


def _allowed(finding: Finding, config: Config) -> bool:
    if finding.kind is Kind.PLACEHOLDER:
        return False
    allow = config.allowlist
    value = finding.text.strip()
    if value in allow.values:
        return True
    return any(p.fullmatch(value) for p in allow.regexes)


def _path_allowed(path: str, config: Config) -> bool:
    return any(fnmatch.fnmatchcase(path, g) or fnmatch.fnmatchcase(Path(path).name, g)
               for g in config.allowlist.paths)


def _public_figure(finding: Finding, text: str, figures: frozenset[str]) -> bool:
    """A person finding that is, or is part of, an allowlisted public figure's name (近平 in 习近平)."""
    if finding.category != "person" or finding.kind is not Kind.LEAK or not figures:
        return False
    for before in range(0, 3):
        for after in range(0, 3):
            if text[max(0, finding.start - before):finding.end + after] in figures:
                return True
    return False


def quasi_severity(findings: list[Finding], ruleset: Ruleset) -> list[Finding]:
    """Places, organisations and figures follow the document's own choices: a document that masks
    persons, places or figures anywhere has decided those details identify people, so a value left
    in clear is a warning; in a document that masks none of them it is only information."""
    contextual = sorted({f.category for f in findings
                         if f.kind is Kind.PLACEHOLDER and f.category not in DIRECT_CATEGORIES})
    rules = {r.id: r for r in ruleset.rules}
    out = []
    for f in findings:
        rule = rules.get(f.rule)
        if f.kind is Kind.LEAK and rule is not None and rule.severity_if_unmasked is not None:
            if contextual:
                f = replace(f, why=f.why + (f"the document masks {', '.join(contextual)} elsewhere",))
            else:
                f = replace(f, severity=rule.severity_if_unmasked,
                            why=f.why + ("the document masks no person, place or figure",))
        out.append(f)
    return out


def scan_document(document: Document, ruleset: Ruleset, config: Config, options: ScanOptions,
                  errors: list[FileError], figures: frozenset[str] = frozenset()) -> tuple[DocumentReport, int]:
    """Findings of one document after the allowlists and severity overrides; and how many were allowed."""
    found = quasi_severity(detect(document, ruleset, timeout=options.timeout, errors=errors), ruleset)
    kept, suppressed = [], 0
    for f in found:
        if _allowed(f, config) or _public_figure(f, document.text, figures):
            suppressed += 1
            continue
        level = config.severity.get(f.rule)
        kept.append(replace(f, severity=level) if level is not None else f)
    return DocumentReport(document=document, findings=tuple(kept)), suppressed


def load_documents(inputs: Iterable[str], options: ScanOptions, config: Config,
                   stdin: bytes | None = None) -> tuple[list[Document], list[FileError], list[Skipped]]:
    docs: list[Document] = []
    errors: list[FileError] = []
    skipped: list[Skipped] = []

    def take(item: Document | FileError | Skipped) -> None:
        if isinstance(item, Document):
            docs.append(item)
        elif isinstance(item, FileError):
            errors.append(item)
        else:
            skipped.append(item)

    if stdin is not None:
        take(load_bytes("<stdin>", stdin, options.encoding))
    include = options.include or config.include
    exclude = options.exclude + config.exclude
    for entry in iter_paths(inputs, include, exclude):
        if isinstance(entry, FileError):
            errors.append(entry)
            continue
        path, display = entry
        if _path_allowed(display, config):
            skipped.append(Skipped(display, "allowlisted path"))
            continue
        take(load_file(path, display, encoding=options.encoding, max_bytes=options.max_bytes))
    return docs, errors, skipped


def audit(inputs: Iterable[str], ruleset: Ruleset, config: Config, options: ScanOptions = ScanOptions(),
          stdin: bytes | None = None) -> AuditResult:
    docs, errors, skipped = load_documents(inputs, options, config, stdin)
    figures = WordLists().get("zh-public-figures") if config.public_figures else frozenset()
    scanned: list[tuple[Document, list[Finding], dict]] = []
    suppressed = 0
    for document in docs:
        report, allowed = scan_document(document, ruleset, config, options, errors, figures)
        findings, summary = check_document(document, list(report.findings))
        scanned.append((document, findings, summary))
        suppressed += allowed
    copies, pairs = cross_document([(d, f) for d, f, _ in scanned]) if options.cross_document else ({}, [])
    reports = []
    for document, findings, summary in scanned:
        extra = copies.get(document.path, [])
        if extra:
            findings = sorted(findings + extra, key=lambda f: f.sort_key)
            summary = dict(summary, failed_checks=sorted(set(summary["failed_checks"]) | {f.rule for f in extra}))
        twins = [(b if a == document.path else a, c) for a, b, c in pairs if document.path in (a, b)]
        if twins:
            summary = dict(summary, copies=[{"path": p, "containment": c} for p, c in twins])
        reports.append(DocumentReport(document=document, findings=tuple(findings), consistency=summary))
    return AuditResult(documents=tuple(reports), errors=tuple(errors), skipped=tuple(skipped),
                       suppressed=suppressed)


def fails(result: AuditResult, threshold: str) -> bool:
    """Whether any finding is at or above the --fail-on threshold ('never' never fails)."""
    if threshold == "never":
        return False
    level = Severity.parse(threshold)
    return any(f.severity.rank >= level.rank for f in result.findings)
