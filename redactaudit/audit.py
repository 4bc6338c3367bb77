"""The only orchestrator: paths -> documents -> detect -> filters -> consistency -> AuditResult,
and for redaction: findings -> edits -> files -> a second scan.

In: input paths (or stdin bytes), a Ruleset, a Config and ScanOptions (a Policy and RedactOptions
to redact). Out: an AuditResult (a RedactResult). Every other module is a pure stage; this one
decides their order and is the only one that writes files.
"""

from __future__ import annotations

import fnmatch
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from .config import Config, ConfigError
from .consistency import VALUE_RULES, check_document, cross_document
from .detect import detect
from .documents import DEFAULT_MAX_BYTES, encode_text, iter_paths, load_bytes, load_file, walk_paths
from .fsutil import atomic_write_bytes
from .gazetteer import WordLists
from .model import AuditResult, Document, DocumentReport, FileError, Finding, Kind, Severity, Skipped
from .packs import Ruleset, build_ruleset, builtin_packs, load_pack_file
from .policy import Policy
from .redact import Edit, Pseudonyms, apply_edits, kept_role, plan_edits


DOCUMENT_BUDGET = 60.0  # seconds all rules and allowlist regexes together may spend on one document


@dataclass(frozen=True, slots=True)
class ScanOptions:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DOCUMENT_BUDGET
    cross_document: bool = True
    skip_unreadable: bool = False  # files not read, not decoded or not fully checked: notes, not errors


def load_ruleset(config: Config, extra_packs: Iterable[str] = ()) -> Ruleset:
    """Built-in packs plus the config's and the command line's own; raises PackError, or
    ConfigError when the config names a rule no pack has (a typo would silently do nothing)."""
    packs = builtin_packs() + tuple(load_pack_file(p) for p in (*config.extra_packs, *extra_packs))
    known = {r.id for p in packs for r in p.rules}
    for key, ids in (("severity", config.severity), ("disable_rules", config.disable_rules)):
        unknown = sorted(set(ids) - known)
        if unknown:
            raise ConfigError(f"{config.source or 'config'}: {key}: unknown rule id{'s' if len(unknown) > 1 else ''} "
                              f"{', '.join(unknown)} (the pack rules are listed by `redactaudit packs list`)")
    return build_ruleset(packs, enable=config.packs, disable=config.disable_packs,
                         disable_rules=config.disable_rules)


def _allowed(finding: Finding, config: Config, deadline: float | None = None, regexes: bool = True) -> bool:
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


def _path_allowed(path: str, config: Config) -> bool:
    return any(fnmatch.fnmatchcase(path, g) or fnmatch.fnmatchcase(Path(path).name, g)
               for g in config.allowlist.paths)


def _path_excluded(path: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path, g) or fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], g) for g in globs)


def _public_figure(finding: Finding, text: str, figures: frozenset[str]) -> bool:
    """A person finding that is, or is part of, an allowlisted public figure's name (近平 in 习近平)."""
    if finding.category != "person" or finding.kind is not Kind.LEAK or not figures:
        return False
    for before in range(0, 3):
        for after in range(0, 3):
            if text[max(0, finding.start - before):finding.end + after] in figures:
                return True
    return False


IGNORE_MARK = "redactaudit: ignore"


def ignored_lines(text: str) -> frozenset[int]:
    """Lines marked in the document itself: `redactaudit: ignore` silences its own line,
    `redactaudit: ignore-next-line` the one after (in any comment syntax, or none)."""
    if IGNORE_MARK not in text:
        return frozenset()
    lines = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if IGNORE_MARK in line:
            lines.add(number + 1 if f"{IGNORE_MARK}-next-line" in line else number)
    return frozenset(lines)


def scan_document(document: Document, ruleset: Ruleset, config: Config, options: ScanOptions,
                  errors: list[FileError], figures: frozenset[str] = frozenset()) -> tuple[DocumentReport, int]:
    """Findings of one document after the allowlists, inline ignores and severity overrides; and
    how many were suppressed. `options.timeout` is the budget of the rules and the allowlist's
    regexes together; past it, the document is listed in `errors` and what is left is kept."""
    deadline = time.monotonic() + options.timeout
    found = detect(document, ruleset, timeout=options.timeout, errors=errors)
    silenced = ignored_lines(document.text)
    kept, withheld = [], []
    regexes_ok = True
    for f in found:
        if f.line in silenced and f.kind is not Kind.PLACEHOLDER:
            withheld.append(f)
            continue
        try:
            allowed = _allowed(f, config, deadline, regexes_ok)
        except TimeoutError:
            regexes_ok, allowed = False, False  # fail closed: the finding stays
            errors.append(FileError(document.path, f"the time budget of {options.timeout:g} s per document ran "
                                                   f"out in the allowlist regexes (line {f.line}); the findings "
                                                   "they did not check are kept"))
        if allowed or _public_figure(f, document.text, figures):
            withheld.append(f)
            continue
        level = config.severity.get(f.rule)
        kept.append(replace(f, severity=level) if level is not None else f)
    return DocumentReport(document=document, findings=tuple(kept), withheld=tuple(withheld)), len(withheld)


def load_documents(inputs: Iterable[str], options: ScanOptions, config: Config,
                   stdin: bytes | None = None, contents: Iterable[tuple[str, bytes | str]] = ()
                   ) -> tuple[list[Document], list[FileError], list[Skipped]]:
    """Documents from the inputs (files and folders), standard input, and `contents`: (display
    path, bytes) read elsewhere, such as git's index, or (display path, why it is not read)."""
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
    for display, data in contents:
        if exclude and _path_excluded(display, exclude):
            continue
        if isinstance(data, str):
            skipped.append(Skipped(display, data))
        elif _path_allowed(display, config):
            skipped.append(Skipped(display, "allowlisted path"))
        elif len(data) > options.max_bytes:
            errors.append(FileError(display, f"larger than --max-bytes {options.max_bytes} ({len(data)} bytes); "
                                             "not scanned"))
        else:
            take(load_bytes(display, data, options.encoding))
    for entry in walk_paths(inputs, include, exclude):
        if not isinstance(entry, tuple):
            take(entry)
            continue
        path, display = entry
        if _path_allowed(display, config):
            skipped.append(Skipped(display, "allowlisted path"))
            continue
        take(load_file(path, display, encoding=options.encoding, max_bytes=options.max_bytes))
    return docs, errors, skipped


def audit(inputs: Iterable[str], ruleset: Ruleset, config: Config, options: ScanOptions = ScanOptions(),
          stdin: bytes | None = None, contents: Iterable[tuple[str, bytes | str]] = ()) -> AuditResult:
    docs, errors, skipped = load_documents(inputs, options, config, stdin, contents)
    result = audit_documents(docs, ruleset, config, options, errors, skipped)
    return unreadable_as_notes(result) if options.skip_unreadable else result


def unreadable_as_notes(result: AuditResult) -> AuditResult:
    """--skip-unreadable: what was not read, decoded or fully checked is listed as skipped (a note
    that does not fail the scan) instead of as an error."""
    notes = tuple(Skipped(e.path, e.message) for e in result.errors)
    return replace(result, errors=(), skipped=result.skipped + notes)


def audit_documents(docs: list[Document], ruleset: Ruleset, config: Config, options: ScanOptions = ScanOptions(),
                    errors: list[FileError] | None = None, skipped: list[Skipped] | None = None) -> AuditResult:
    """Detect, filter and run the consistency checks (within and across documents) on decoded texts."""
    errors = list(errors or [])
    skipped = list(skipped or [])
    figures = WordLists().get("zh-public-figures") if config.public_figures else frozenset()
    scanned: list[tuple[Document, list[Finding], dict, tuple[Finding, ...]]] = []
    suppressed = 0
    for document in docs:
        report, allowed = scan_document(document, ruleset, config, options, errors, figures)
        findings, summary = check_document(document, list(report.findings))
        scanned.append((document, findings, summary, report.withheld))
        suppressed += allowed
    copies, pairs = cross_document([(d, f) for d, f, _, _ in scanned]) if options.cross_document else ({}, [])
    reports = []
    for document, findings, summary, withheld in scanned:
        extra = copies.get(document.path, [])
        if extra:
            findings = sorted(findings + extra, key=lambda f: f.sort_key)
            summary = dict(summary, failed_checks=sorted(set(summary["failed_checks"]) | {f.rule for f in extra}))
        twins = [(b if a == document.path else a, c) for a, b, c in pairs if document.path in (a, b)]
        if twins:
            summary = dict(summary, copies=[{"path": p, "containment": c} for p, c in twins])
        reports.append(DocumentReport(document=document, findings=tuple(findings), consistency=summary,
                                      withheld=withheld))
    return AuditResult(documents=tuple(reports), errors=tuple(errors), skipped=tuple(skipped),
                       suppressed=suppressed)


def fails(result: AuditResult, threshold: str) -> bool:
    """Whether any finding is at or above the --fail-on threshold ('never' never fails). An error
    (a file not read, not decoded or not fully checked) counts as a finding of severity error:
    what was not checked does not pass."""
    if threshold == "never":
        return False
    level = Severity.parse(threshold)
    return bool(result.errors) or any(f.severity.rank >= level.rank for f in result.findings)


# ---------------------------------------------------------------------------------------------
# Redaction


class RedactError(Exception):
    """A redaction that must not start (overlapping folders, a path outside the output)."""


@dataclass(frozen=True, slots=True)
class RedactOptions:
    out: Path | None = None
    in_place: bool = False
    backup: bool = True
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class RedactedFile:
    document: Document
    output: str  # where it was (or would be) written
    edits: tuple[Edit, ...]
    text: str  # the redacted text


@dataclass(frozen=True, slots=True)
class RedactResult:
    policy: str
    files: tuple[RedactedFile, ...]
    remaining: tuple[Finding, ...]  # leaks at or above the threshold found again in the outputs
    errors: tuple[FileError, ...] = ()
    copied: tuple[str, ...] = ()  # files mirrored unchanged into --out (binary, allowlisted)


def output_paths(inputs: Iterable[str], out: Path, include: tuple[str, ...] = (),
                 exclude: tuple[str, ...] = ()) -> dict[str, Path]:
    """display path -> path under `out`, mirroring each input's tree; refuses overlapping folders."""
    out_r = out.resolve()
    mapping: dict[str, Path] = {}
    for raw in inputs:
        root = Path(raw).resolve()
        if out_r == root or out_r.is_relative_to(root) or root.is_relative_to(out_r):
            raise RedactError(f"the output folder {out} overlaps the input {raw}; choose a folder outside it")
        for entry in iter_paths([raw], include, exclude):
            if isinstance(entry, FileError):
                continue
            full, display = entry
            rel = Path(full.name) if Path(raw).is_file() else full.resolve().relative_to(root)
            target = (out_r / rel).resolve()
            if not target.is_relative_to(out_r):
                raise RedactError(f"{display} would be written outside {out}")
            mapping[display] = target
    return mapping


def redact(inputs: list[str], ruleset: Ruleset, config: Config, policy: Policy, options: RedactOptions,
           scan: ScanOptions = ScanOptions()) -> RedactResult:
    """Scan, plan edits under the policy, write (atomically, in the file's own encoding, BOM and
    newlines), then scan the outputs again with the same rules."""
    if not options.in_place and options.out is None and not options.dry_run:
        raise RedactError("say where the redacted copies go: --out DIR or --in-place")
    targets = output_paths(inputs, options.out, scan.include, scan.exclude) if options.out else {}
    docs, load_errors, skipped = load_documents(inputs, scan, config)
    originals = {d.path: d for d in docs}
    edits_by_path: dict[str, list[Edit]] = {d.path: [] for d in docs}
    shared = Pseudonyms()
    per_doc = {d.path: Pseudonyms() for d in docs}
    result = audit_documents(docs, ruleset, config, scan, load_errors, skipped)
    # Redact until nothing is left to do: once every mask is uniform, copies that differed only in
    # their masks align, and a value only one of them still shows comes to light (at most 3 passes).
    for _ in range(3):
        changed = False
        current = []
        for report in result.documents:
            doc = report.document
            names = shared if policy.scope == "corpus" else per_doc[doc.path]
            edits = plan_edits(doc, report.findings, policy, names)
            if edits:
                changed = True
                earlier = edits_by_path[doc.path]
                edits_by_path[doc.path] = sorted(earlier + [_to_original(e, earlier, originals[doc.path].text)
                                                            for e in edits], key=lambda e: e.start)
                doc = replace(doc, text=apply_edits(doc.text, edits))
            current.append(doc)
        if not changed:
            break
        result = audit_documents(current, ruleset, config, scan)
    errors = list(load_errors)
    files, copied = [], []
    for report in result.documents:
        doc = report.document
        original = originals[doc.path]
        edits = tuple(edits_by_path[doc.path])
        output = str(targets.get(doc.path, doc.path))
        try:
            data = encode_text(doc.text, doc.encoding, doc.bom)
        except UnicodeEncodeError as exc:
            errors.append(FileError(doc.path, f"the redacted text does not fit {doc.encoding}: {exc.reason}; "
                                              "not written"))
            continue
        files.append(RedactedFile(original, output, edits, doc.text))
        if options.dry_run:
            continue
        if options.in_place:
            if doc.text != original.text:
                if options.backup:
                    backup = Path(doc.path + ".bak")
                    if not backup.exists():
                        atomic_write_bytes(backup, Path(doc.path).read_bytes())
                atomic_write_bytes(Path(doc.path), data)
        else:
            target = Path(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, data, mode=stat.S_IMODE(Path(doc.path).stat().st_mode))
    if options.out and not options.dry_run:
        for skipped in skipped:  # mirror what was not text (images, allowlisted files) as it is
            target = targets.get(skipped.path)
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(target, Path(skipped.path).read_bytes(),
                                   mode=stat.S_IMODE(Path(skipped.path).stat().st_mode))
                copied.append(str(target))
    remaining = _rescan(files, ruleset, config, policy, scan, options, errors)
    return RedactResult(policy.name, tuple(files), tuple(remaining), tuple(errors), tuple(copied))


def _to_original(edit: Edit, earlier: list[Edit], original: str) -> Edit:
    """An edit planned on an already redacted text, in the original text's offsets. Later passes
    only touch text the earlier ones left alone, so a shift by the earlier edits before it is exact."""
    shift = 0
    for e in earlier:
        if e.start + shift + len(e.replacement) <= edit.start:
            shift += len(e.replacement) - (e.end - e.start)
    start, end = edit.start - shift, edit.end - shift
    return replace(edit, start=start, end=end, value=original[start:end])


def _rescan(files: list[RedactedFile], ruleset: Ruleset, config: Config, policy: Policy, scan: ScanOptions,
            options: RedactOptions, errors: list[FileError]) -> list[Finding]:
    """Leaks at or above the policy's threshold in the outputs: read back from disk when written."""
    figures = WordLists().get("zh-public-figures") if config.public_figures else frozenset()
    left: list[Finding] = []
    for item in files:
        if options.dry_run:
            doc = replace(item.document, path=item.output, text=item.text)
        else:
            loaded = load_file(Path(item.output), item.output, encoding=item.document.encoding,
                               max_bytes=max(scan.max_bytes, 1 << 40))
            if not isinstance(loaded, Document):
                reason = getattr(loaded, "message", None) or getattr(loaded, "reason", "")
                errors.append(FileError(item.output, f"cannot read back the redacted file: {reason}"))
                continue
            doc = loaded
        report, _ = scan_document(doc, ruleset, config, scan, errors, figures)
        findings, _ = check_document(doc, list(report.findings))
        # What the policy keeps on purpose (zh-court keeps figures and judges' names) is no leak.
        left += [f for f in findings if f.severity.rank >= policy.threshold.rank
                 and (f.kind is Kind.LEAK or f.rule in VALUE_RULES)
                 and policy.treatment(f.category).action != "keep" and not kept_role(f, doc.text, policy)]
    return left
