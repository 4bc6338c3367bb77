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
from .detect import DEFAULT_TIMEOUT, detect
from .documents import DEFAULT_MAX_BYTES, iter_paths, load_bytes, load_file
from .model import AuditResult, Document, DocumentReport, FileError, Finding, Kind, Severity, Skipped
from .packs import Ruleset, build_ruleset, builtin_packs, load_pack_file


@dataclass(frozen=True, slots=True)
class ScanOptions:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT


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


def scan_document(document: Document, ruleset: Ruleset, config: Config, options: ScanOptions,
                  errors: list[FileError]) -> tuple[DocumentReport, int]:
    """Findings of one document after the allowlist and severity overrides; and how many were allowed."""
    found = detect(document, ruleset, timeout=options.timeout, errors=errors)
    kept, suppressed = [], 0
    for f in found:
        if _allowed(f, config):
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
    reports, suppressed = [], 0
    for document in docs:
        report, allowed = scan_document(document, ruleset, config, options, errors)
        reports.append(report)
        suppressed += allowed
    return AuditResult(documents=tuple(reports), errors=tuple(errors), skipped=tuple(skipped),
                       suppressed=suppressed)


def fails(result: AuditResult, threshold: str) -> bool:
    """Whether any finding is at or above the --fail-on threshold ('never' never fails)."""
    if threshold == "never":
        return False
    level = Severity.parse(threshold)
    return any(f.severity.rank >= level.rank for f in result.findings)
