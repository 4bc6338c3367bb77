"""Scanning: paths -> documents -> detect -> allowlist -> consistency -> AuditResult, and the
gate around it (changed files, baseline, fail verdict) that a CI job runs as one call.

In: input paths (or stdin bytes, or git's index), a Ruleset, a Config and ScanOptions. Out: an
AuditResult; `run_scan` also decides the fail threshold and verdict.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .. import baseline as baselines
from .. import gitfiles
from ..allowlist import filter_findings, path_allowed
from ..config import Config, ConfigError, find_config, load_config
from ..documents import DEFAULT_MAX_BYTES, excluded, load_bytes, load_file, path_matches
from ..engine.detect import detect
from ..engine.gazetteer import WordLists
from ..engine.packs import PackError, Ruleset, build_ruleset, builtin_packs, load_pack_file
from ..identity import hash_key
from ..reporting import RuleInfo
from ..model import AuditResult, Document, DocumentReport, FileError, Severity, Skipped
from ..store import ReportStore
from .parallel import MIN_PARALLEL_BYTES
from .walk import walk

# Told after each document: (its size in bytes, or None when the copies are compared next; done;
# total; findings so far). The command line shows it on a terminal; nothing here prints.
Progress = Callable[[int | None, int, int, int], None]

DOCUMENT_BUDGET = 60.0  # seconds all rules and allowlist regexes together may spend on one document


class UsageError(Exception):
    """A run that cannot start: a missing path, a broken config, pack or baseline, a git problem
    (the command line's exit code 2)."""


@dataclass(frozen=True, slots=True)
class ScanOptions:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    encoding: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DOCUMENT_BUDGET
    cross_document: bool = True
    skip_unreadable: bool = False  # files not read, not decoded or not fully checked: notes, not errors
    key: bytes = field(default_factory=hash_key)  # of the findings' fingerprints (REDACTAUDIT_KEY)
    jobs: int = 1  # processes that scan documents (audit.parallel); 1: this one
    parallel_from: int = MIN_PARALLEL_BYTES  # less input than this (bytes) is scanned in this process
    # The extra packs the Ruleset passed along was built with (load_ruleset(config, worker_packs)),
    # so worker processes can build the same rules; None: not known, scan in this process.
    worker_packs: tuple[str, ...] | None = None
    prepare: tuple = ()  # (format, show_values): what the report format prepares as documents finish


def check_options(options: ScanOptions) -> None:
    """UsageError for an option no run can use: an unknown encoding, a size or a time budget
    that is not positive."""
    if options.encoding:
        try:
            "".encode(options.encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {options.encoding!r}") from None
    if not options.max_bytes > 0:
        raise UsageError("--max-bytes must be a positive number of bytes")
    if not options.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")


def load_config_file(path: Path | None) -> Config:
    """The config named, or the one found from the working folder up (or the defaults)."""
    if path is not None and not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    return load_config(path if path is not None else find_config(Path.cwd()))


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


def setup(paths: Iterable[str], config_path: Path | None, extra_packs: Iterable[str] = ()) -> tuple[Config, Ruleset]:
    """Check the input paths exist, then load the config and the rules; UsageError on any problem."""
    missing = [p for p in paths if p != "-" and _missing(p)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    try:
        config = load_config_file(config_path)
        return config, load_ruleset(config, [str(p) for p in extra_packs])
    except (ConfigError, PackError) as exc:
        raise UsageError(str(exc)) from None


def _missing(path: str) -> bool:
    """Nothing at the path. A link that leads nowhere or round in a loop, or a path this user may not
    look into, is there: the walk lists it as an error (a scan that does not read it fails)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def scan_document(document: Document, ruleset: Ruleset, config: Config, options: ScanOptions,
                  errors: list[FileError], figures: frozenset[str] = frozenset()) -> tuple[DocumentReport, int]:
    """Findings of one document after the allowlists, inline ignores and severity overrides; and
    how many were withheld. `options.timeout` is the budget of the rules and the allowlist's
    regexes together; past it, the document is listed in `errors` and what is left is kept."""
    deadline = time.monotonic() + options.timeout
    found = detect(document, ruleset, options.key, timeout=options.timeout, errors=errors)
    kept, withheld = filter_findings(document, found, config, figures, deadline, options.timeout, errors)
    return DocumentReport(document=document, findings=tuple(kept), withheld=tuple(withheld)), len(withheld)


def load_documents(inputs: Iterable[str], options: ScanOptions, config: Config,
                   stdin: bytes | None = None, contents: Iterable[tuple[str, bytes | str]] = ()
                   ) -> tuple[list[Document], list[FileError], list[Skipped]]:
    """Documents from the inputs (files and folders), standard input, and `contents`: (display
    path, bytes) read elsewhere, such as git's index, or (display path, why it is not read)."""
    docs: list[Document] = []
    errors: list[FileError] = []
    skipped: list[Skipped] = []
    for item in scan_inputs(inputs, options, config, stdin, contents):
        if isinstance(item, tuple):
            item = load_input(item, options)
        if isinstance(item, Document):
            docs.append(item)
        elif isinstance(item, FileError):
            errors.append(item)
        else:
            skipped.append(item)
    return docs, errors, skipped


def load_input(item: tuple, options: ScanOptions) -> Document | FileError | Skipped:
    """Read and decode one input of scan_inputs: ("file", path, display) or ("bytes", display, data)."""
    if item[0] == "file":
        return load_file(Path(item[1]), item[2], encoding=options.encoding, max_bytes=options.max_bytes,
                         timeout=options.timeout)
    return load_bytes(item[1], item[2], options.encoding, options.timeout)


def scan_inputs(inputs: Iterable[str], options: ScanOptions, config: Config, stdin: bytes | None = None,
                contents: Iterable[tuple[str, bytes | str]] = ()
                ) -> Iterator[tuple | FileError | Skipped]:
    """What a scan reads, in order, not yet read: ("bytes", display, data) or ("file", path,
    display) for load_input (here or in a worker), or a FileError or Skipped for an input that
    gives no document."""
    if stdin is not None:
        yield "bytes", "<stdin>", stdin
    include = options.include or config.include
    exclude = options.exclude + config.exclude
    for display, data in contents:
        if (exclude and excluded(display, exclude)) or (include and not path_matches(display, include)):
            continue
        if isinstance(data, str):
            yield Skipped(display, data)
        elif path_allowed(display, config):
            yield Skipped(display, "allowlisted path")
        elif len(data) > options.max_bytes:
            yield FileError(display, f"larger than --max-bytes {options.max_bytes} ({len(data)} bytes); not scanned")
        else:
            yield "bytes", display, data
    for entry in walk(inputs, include, exclude):
        if not isinstance(entry, tuple):
            yield entry
            continue
        path, display = entry
        if path_allowed(display, config):
            yield Skipped(display, "allowlisted path")
            continue
        yield "file", str(path), display


def public_figures(config: Config) -> frozenset[str]:
    return WordLists().get("zh-public-figures") if config.public_figures else frozenset()


def audit(inputs: Iterable[str], ruleset: Ruleset, config: Config, options: ScanOptions = ScanOptions(),
          stdin: bytes | None = None, contents: Iterable[tuple[str, bytes | str]] = (),
          progress: Progress | None = None) -> AuditResult:
    """Read, scan and compare every input (in `options.jobs` processes when the options say how
    the rules were built); the reports are kept on disk as they finish. `progress` is told after
    each document and before the copies are compared."""
    from .pipeline import run

    result = run(scan_inputs(inputs, options, config, stdin, contents), ruleset, config, options, on_disk=True,
                 progress=progress)
    return unreadable_as_notes(result) if options.skip_unreadable else result


def unreadable_as_notes(result: AuditResult) -> AuditResult:
    """--skip-unreadable: what was not read, decoded or fully checked is listed as skipped (a note
    that does not fail the scan) instead of as an error."""
    notes = tuple(Skipped(e.path, e.message) for e in result.errors)
    return replace(result, errors=(), skipped=result.skipped + notes)


def audit_documents(docs: list[Document], ruleset: Ruleset, config: Config, options: ScanOptions = ScanOptions(),
                    errors: list[FileError] | None = None, skipped: list[Skipped] | None = None,
                    progress: Progress | None = None) -> AuditResult:
    """Detect, filter and run the consistency checks (within and across documents) on decoded
    texts, kept in memory."""
    from .pipeline import run

    return run(docs, ruleset, config, options, on_disk=False, errors=errors or (), skipped=skipped or (),
               progress=progress)


def fails(result: AuditResult, threshold: str) -> bool:
    """Whether any finding is at or above the --fail-on threshold ('never' never fails). An error
    (a file not read, not decoded or not fully checked) counts as a finding of severity error:
    what was not checked does not pass."""
    if threshold == "never":
        return False
    level = Severity.parse(threshold)
    if result.errors:
        return True
    docs = result.documents
    if isinstance(docs, ReportStore):  # counted as documents finished: no report is loaded again
        return any(Severity(sev).rank >= level.rank for (_, sev, _), n in docs.counts.items() if n)
    return any(f.severity.rank >= level.rank for f in result.findings)


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """What `redactaudit scan` was asked: the inputs, how to select them, and how to judge."""

    paths: tuple[str, ...]
    options: ScanOptions = ScanOptions()
    config: Path | None = None
    packs: tuple[str, ...] = ()
    baseline: Path | None = None
    changed_since: str | None = None
    staged: bool = False
    fail_on: str | None = None  # the command line's; else the config's; else "error"
    stdin: bytes | None = None


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    result: AuditResult
    rules: dict  # rule id -> reporting.RuleInfo, for the reports
    threshold: str
    failed: bool
    notes: tuple[str, ...] = ()  # what the user should know that is not a finding ("no changed files")


def rule_infos(ruleset: Ruleset) -> dict[str, RuleInfo]:
    return {r.id: RuleInfo(r.message, r.kind.value, r.category, r.severity.value) for r in ruleset.rules}


def run_scan(request: ScanRequest, read_stdin=None, progress: Progress | None = None) -> ScanOutcome:
    """The whole scan as a CI gate runs it: inputs selected (changed since a revision, or staged),
    rules loaded, documents audited, the baseline applied, the verdict given. UsageError when it
    cannot start. `read_stdin` is called for the bytes of '-' only once everything else is checked."""
    if request.changed_since is not None and request.staged:
        raise UsageError("--changed-since and --staged exclude each other")
    check_options(request.options)
    config, ruleset = setup(request.paths, request.config, request.packs)
    options = replace(request.options, skip_unreadable=request.options.skip_unreadable or config.skip_unreadable,
                      worker_packs=request.packs)
    try:
        accepted = baselines.load(request.baseline, options.key) if request.baseline is not None else None
    except baselines.BaselineError as exc:
        raise UsageError(str(exc)) from None
    use_stdin = "-" in request.paths
    inputs = [p for p in request.paths if p != "-"]
    contents: list = []
    notes: list[str] = []
    if request.changed_since is not None or request.staged:
        try:
            if request.staged:  # what the commit will hold: the index, not the working tree
                contents, inputs = gitfiles.staged_contents(inputs), []
            else:
                inputs, contents = gitfiles.unfollowed_links(
                    gitfiles.within(gitfiles.changed_since(request.changed_since), inputs))
        except gitfiles.GitError as exc:
            raise UsageError(f"git: {exc}") from None
        if not inputs and not contents and not use_stdin:
            notes.append("no changed files to scan")
    stdin = request.stdin if request.stdin is not None else (read_stdin() if use_stdin and read_stdin else None)
    result = audit(inputs, ruleset, config, options, stdin=stdin, contents=contents, progress=progress)
    if accepted is not None:
        result = baselines.apply(result, accepted, options.key)
    threshold = request.fail_on or config.fail_on or "error"
    return ScanOutcome(result, rule_infos(ruleset), threshold, fails(result, threshold), tuple(notes))
