"""The only orchestrator: paths -> documents -> detect -> filters -> consistency -> AuditResult,
and for redaction: findings -> edits -> files -> a second scan.

In: input paths (or stdin bytes), a Ruleset, a Config and ScanOptions (a Policy and RedactOptions
to redact). Out: an AuditResult (a RedactResult). Every other module is a pure stage; this one
decides their order and is the only one that writes files.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .config import Config, ConfigError
from .consistency.within import VALUE_RULES, check_document, cross_document
from .engine.detect import detect
from .documents import DEFAULT_MAX_BYTES, encode_text, load_bytes, load_file, path_matches, walk_paths
from .filetypes import HEAD, container, sniff
from .fsutil import BACKUP_DIR, TMP_PREFIX, atomic_write_bytes, remove_stale_temporaries
from .engine.gazetteer import WordLists
from .model import AuditResult, Document, DocumentReport, FileError, Finding, Kind, Severity, Skipped
from .engine.packs import Ruleset, build_ruleset, builtin_packs, load_pack_file
from .policy import Policy
from .redact.edits import Edit, Pseudonyms, already_redacted, apply_edits, compose, kept_role, plan_edits


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
    return path_matches(path, config.allowlist.paths)


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
        if (exclude and path_matches(display, exclude)) or (include and not path_matches(display, include)):
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
    for entry in walk(inputs, include, exclude):
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


MAX_PASSES = 10  # plan, apply and re-scan at most this often; two passes nearly always suffice


class RedactError(Exception):
    """A redaction that must not start (overlapping folders, a path outside the output, two inputs
    that would be written to one output)."""


@dataclass(frozen=True, slots=True)
class RedactOptions:
    out: Path | None = None
    in_place: bool = False
    backup: bool = True
    dry_run: bool = False
    backup_dir: Path | None = None  # --in-place: one folder for all backups (default: BACKUP_DIR in each input)


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
    copied: tuple[tuple[str, str, str], ...] = ()  # images not scanned: (path, type, output or "" if left)
    not_written: tuple[FileError, ...] = ()  # input files given no output (or left unredacted), and why


# What redact() reports as it goes, in this order: ("start", None), then per file ("written" |
# "unchanged" | "planned", RedactedFile), ("copied", (path, type, output)), ("not_written", FileError).
Progress = Callable[[str, object], None]


def _own_file(display: str, inputs: Iterable[str]) -> bool:
    """redactaudit's own files in a tree: temporary files, and backups unless a backup folder is
    what was asked for."""
    parts = display.split("/")
    if parts[-1].startswith(TMP_PREFIX):
        return True
    return BACKUP_DIR in parts[:-1] and not any(BACKUP_DIR in Path(raw).parts for raw in inputs)


def walk(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
         ) -> Iterator[tuple[Path, str] | FileError | Skipped]:
    """walk_paths without redactaudit's own temporary files and backups."""
    inputs = list(inputs)
    for entry in walk_paths(inputs, include, exclude):
        if not isinstance(entry, tuple) or not _own_file(entry[1], inputs):
            yield entry


def output_paths(inputs: Iterable[str], out: Path, include: tuple[str, ...] = (),
                 exclude: tuple[str, ...] = ()) -> dict[str, Path]:
    """display path -> path under `out`, mirroring each input's tree; refuses overlapping folders
    and two inputs that would be written to one output."""
    out_r = out.resolve()
    mapping: dict[str, Path] = {}
    claimed: dict[Path, str] = {}
    for raw in inputs:
        root = Path(raw).resolve()
        if out_r == root or out_r.is_relative_to(root) or root.is_relative_to(out_r):
            raise RedactError(f"the output folder {out} overlaps the input {raw}; choose a folder outside it")
        for entry in walk([raw], include, exclude):
            if not isinstance(entry, tuple):
                continue
            full, display = entry
            if display in mapping:  # an input inside another: the first one places it
                continue
            rel = Path(full.name) if Path(raw).is_file() else full.resolve().relative_to(root)
            target = (out_r / rel).resolve()
            if not target.is_relative_to(out_r):
                raise RedactError(f"{display} would be written outside {out}")
            other = claimed.setdefault(target, display)
            if other != display:
                raise RedactError(f"{other} and {display} would be written to the same output {target}; "
                                  "redact them in separate runs or into separate folders")
            mapping[display] = target
    return mapping


def backup_paths(inputs: Iterable[str], backup_dir: Path | None, include: tuple[str, ...] = (),
                 exclude: tuple[str, ...] = ()) -> dict[str, Path]:
    """display path -> where its backup goes: the same relative path under `backup_dir`, or under
    BACKUP_DIR at the root of its input (a file's own folder for a file), which scans skip."""
    if backup_dir is not None:
        return output_paths(inputs, backup_dir, include, exclude)
    mapping: dict[str, Path] = {}
    for raw in inputs:
        base = Path(raw)
        root = (base.parent if base.is_file() else base) / BACKUP_DIR
        if root.is_symlink() or (root.exists() and not root.is_dir()):
            raise RedactError(f"{root} is not a folder; backups go there (or choose --backup-dir)")
        for entry in walk([raw], include, exclude):
            if isinstance(entry, tuple):
                full, display = entry
                mapping.setdefault(display, root / (full.name if base.is_file() else os.path.relpath(full, base)))
    return mapping


def _unscanned_kind(path: str, max_bytes: int) -> tuple[str, bool]:
    """(type, image?) of a file the scan skipped or could not decode, from its first bytes. Only a
    regular file within the size limit can be an image to copy."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return "not read", False
        with open(path, "rb") as fh:
            return sniff(fh.read(HEAD))
    except OSError:
        return "not read", False


def _write_backup(source: Path, target: Path) -> None:
    """The original's bytes into the backup folder (private: 0700), with the original's own mode.
    An earlier backup that differs is kept: this one takes the next free name (name.~1~, ...)."""
    data = source.read_bytes()
    mode = stat.S_IMODE(os.stat(source).st_mode)
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    for folder in reversed(missing):  # makedirs would give the folders above the last one the umask's mode
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
    candidate, n = target, 0
    while candidate.exists():
        if candidate.read_bytes() == data:
            return
        n += 1
        candidate = target.with_name(f"{target.name}.~{n}~")
    atomic_write_bytes(candidate, data, mode=mode)


def _copy_images(unscanned: list[tuple[str, str]], targets: dict[str, Path], options: RedactOptions,
                 max_bytes: int, note: Progress) -> tuple[list[tuple[str, str, str]], list[FileError]]:
    """Files the scan did not read as text: a true image is copied as it is (--out) or left, and
    listed; anything else is not written, with the reason. Returns (copied, not_written)."""
    copied: list[tuple[str, str, str]] = []
    not_written: list[FileError] = []
    for path, reason in sorted(unscanned):
        kind, image = _unscanned_kind(path, max_bytes)
        target = targets.get(path) if options.out is not None else None
        if image:
            try:
                if target is not None and not options.dry_run:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write_bytes(target, Path(path).read_bytes(), mode=stat.S_IMODE(os.stat(path).st_mode))
            except OSError as exc:
                not_written.append(FileError(path, f"cannot copy to {target}: {exc.strerror or exc}"))
                note("not_written", not_written[-1])
                continue
            copied.append((path, kind, str(target) if target is not None else ""))
            note("copied", copied[-1])
            continue
        detail = reason if kind in ("binary file", "not read") or kind in reason else f"{reason}: {kind}"
        not_written.append(FileError(path, f"not scanned ({detail})"))
        note("not_written", not_written[-1])
    return copied, not_written


def redact(inputs: list[str], ruleset: Ruleset, config: Config, policy: Policy, options: RedactOptions,
           scan: ScanOptions = ScanOptions(), progress: Progress | None = None) -> RedactResult:
    """Scan, plan edits under the policy, write (atomically, in the file's own encoding, BOM and
    newlines), then scan the outputs again with the same rules. A file the scan did not read as text
    is never written: an image is copied as it is (--out) and listed, anything else is listed as not
    written. A write that fails is listed too and the run goes on."""
    if not options.in_place and options.out is None and not options.dry_run:
        raise RedactError("say where the redacted copies go: --out DIR or --in-place")
    note = progress or (lambda event, item: None)
    targets = output_paths(inputs, options.out, scan.include, scan.exclude) if options.out else {}
    backups = backup_paths(inputs, options.backup_dir, scan.include, scan.exclude) \
        if options.in_place and options.backup and not options.dry_run else {}
    loaded, load_errors, skipped = load_documents(inputs, scan, config)
    docs, unscanned = [], [(e.path, e.message) for e in load_errors] + [(s.path, s.reason) for s in skipped]
    for d in loaded:
        kind = container(d.text)
        if kind is None:
            docs.append(d)
        else:
            unscanned.append((d.path, f"a {kind}: its text is not plain text; extract the text and redact that"))
    note("start", None)
    writing = not options.dry_run
    if writing:  # what a run killed between link and rename left behind
        written = [*(d.path for d in docs), *map(str, targets.values()), *map(str, backups.values())]
        remove_stale_temporaries({str(Path(p).parent) for p in written})
    copied, not_written = _copy_images(unscanned, targets, options, scan.max_bytes, note)
    originals = {d.path: d for d in docs}
    edits_by_path: dict[str, list[Edit]] = {d.path: [] for d in docs}
    shared = Pseudonyms()
    per_doc = {d.path: Pseudonyms() for d in docs}
    result = audit_documents(docs, ruleset, config, scan)
    errors = list(result.errors)
    # Redact until nothing is left to do: once every mask is uniform, copies that differed only in
    # their masks align, and a value only one of them still shows comes to light; a token next to a
    # surname or another token can make a new mask. The result is a fixed point: a second run plans
    # no edit. A document still changing after MAX_PASSES is an error.
    for _ in range(MAX_PASSES):
        changed = False
        current = []
        for report in result.documents:
            doc = report.document
            names = shared if policy.scope == "corpus" else per_doc[doc.path]
            edits = plan_edits(doc, report.findings, policy, names)
            if edits:
                changed = True
                edits_by_path[doc.path] = compose(edits_by_path[doc.path], edits, originals[doc.path].text, doc.text)
                doc = replace(doc, text=apply_edits(doc.text, edits))
            current.append(doc)
        if not changed:
            break
        result = audit_documents(current, ruleset, config, scan)
        errors = list(dict.fromkeys(errors + list(result.errors)))
    else:
        unsettled = [r.document.path for r in result.documents
                     if plan_edits(r.document, r.findings, policy, Pseudonyms())]
        errors += [FileError(p, f"redaction did not settle after {MAX_PASSES} passes; a second run would "
                                "change it again") for p in unsettled]
    files = []
    for report in result.documents:
        doc = report.document
        original = originals[doc.path]
        item = RedactedFile(original, str(targets.get(doc.path, doc.path)), tuple(edits_by_path[doc.path]), doc.text)
        try:
            data = encode_text(doc.text, doc.encoding, doc.bom)
        except UnicodeEncodeError as exc:
            problem = FileError(doc.path, f"the redacted text does not fit {doc.encoding}: {exc.reason}")
            not_written.append(problem)
            note("not_written", problem)
            continue
        unchecked = [e.message for e in errors if e.path == doc.path]
        if unchecked and options.out is not None:  # a rule did not finish: the copy is not published
            problem = FileError(doc.path, f"not fully scanned ({'; '.join(unchecked)})")
            not_written.append(problem)
            note("not_written", problem)
            continue
        if options.in_place and os.path.islink(doc.path):
            problem = FileError(doc.path, "a symbolic link: --in-place does not follow links; "
                                          "redact the file it points to")
            not_written.append(problem)
            note("not_written", problem)
            continue
        try:
            if not writing:
                event = "planned"
            elif options.in_place:
                event = "unchanged"
                if doc.text != original.text:
                    if doc.path in backups:
                        _write_backup(Path(doc.path), backups[doc.path])
                    atomic_write_bytes(Path(doc.path), data)
                    event = "written"
            else:
                target = Path(item.output)
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(target, data, mode=stat.S_IMODE(os.stat(doc.path).st_mode))
                event = "written"
        except OSError as exc:
            problem = FileError(doc.path, f"cannot write {exc.filename or item.output}: {exc.strerror or exc}")
            not_written.append(problem)
            note("not_written", problem)
            continue
        files.append(item)
        note(event, item)
    remaining = _rescan(files, ruleset, config, policy, scan, options, errors)
    return RedactResult(policy.name, tuple(files), tuple(remaining), tuple(errors), tuple(copied),
                        tuple(sorted(not_written, key=lambda e: e.path)))


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
        # What the policy keeps on purpose (zh-court keeps figures and judges' names) is no leak, nor
        # a value already in the policy's form (原某, PERSON-3): a fixed token a rule finds again is one.
        left += [f for f in findings if f.severity.rank >= policy.threshold.rank
                 and (f.kind is Kind.LEAK or f.rule in VALUE_RULES)
                 and policy.treatment(f.category).action != "keep" and not kept_role(f, doc.text, policy)
                 and not already_redacted(f, doc.text, f.start, f.end, policy)]
    return left
