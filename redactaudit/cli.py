"""Command line: parse arguments, call audit, pick a formatter, set the exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it, or a file not read or not
fully checked (listed under errors); 2 usage, config or pack error.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import inspect
import io
import os
import shutil
import sys
import typing
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .audit import DOCUMENT_BUDGET, ScanOptions, ScanRequest, UsageError, check_options, run_scan, setup
from .audit.parallel import default_jobs
from .documents import DEFAULT_MAX_BYTES
from .fsutil import BACKUP_DIR, atomic_write_bytes, atomic_write_text
from .identity import hash_key
from . import helptext
from .reporting import FORMATS, ReportOptions, render
from .reporting.common import printable
from .reporting.progress import ProgressLine

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None, help=helptext.ROOT)
packs_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help=helptext.PACKS)
app.add_typer(packs_app, name="packs")
baseline_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None, help=helptext.BASELINE)
app.add_typer(baseline_app, name="baseline")


Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # the registry is the one list


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _die(message: str) -> "typer.Exit":
    typer.echo(f"redactaudit: error: {message}", err=True)
    return typer.Exit(2)


def _writable_folder(*paths: Optional[Path]) -> None:
    """Refuse a report whose folder is missing before the run, not after it has done its work."""
    for path in paths:
        if path is not None and not path.parent.is_dir():
            raise _die(f"cannot write {path}: No such file or directory")


def _write(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise _die(f"cannot write {path}: {exc.strerror or exc}")


def _color(choice: Color, stream) -> bool:
    """--color: always, never, or auto: on a terminal unless NO_COLOR is set (no-color.org)."""
    if choice is not Color.auto:
        return choice is Color.always
    return stream.isatty() and not os.environ.get("NO_COLOR")


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"redactaudit {__version__}")
        raise typer.Exit()


@app.callback()
def root(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    pass


_CONFIG = typer.Option(None, "--config", "-c", metavar="FILE", show_default=False,
                       help="Config file [default: redactaudit.yaml or .redactaudit.yaml, here or above].")
_INCLUDE = typer.Option([], "--include", metavar="GLOB", show_default=False,
                        help="Only files matching GLOB; repeatable [default: every file].")
_EXCLUDE = typer.Option([], "--exclude", metavar="GLOB", show_default=False,
                        help="Leave out files and folders matching GLOB (as in .gitignore, a name without '/' "
                             "at any depth); repeatable [default: none].")
_ENCODING = typer.Option(None, "--encoding", metavar="NAME", show_default=False,
                         help="Decode every file as NAME [default: detected per file].")
_PACK = typer.Option([], "--pack", metavar="FILE", show_default=False,
                     help="Load an extra rule pack; repeatable [default: the built-in packs only].")
_MAX_BYTES = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", metavar="BYTES", show_default=False,
                          help=f"A larger file is an error, not scanned [default: {DEFAULT_MAX_BYTES} (64 MiB)].")
_SKIP_UNREADABLE = typer.Option(False, "--skip-unreadable",
                                help="Files not read, not decoded or not fully checked are notes that do not fail "
                                     "the scan [default: errors that fail it].")


@dataclasses.dataclass(frozen=True)
class _Inputs:
    """The scan's input options: what decides which files are read and how. Every command that must
    read what the gate scans (scan, baseline create and update) takes them through @_scan_inputs;
    the defaults are their command-line definitions."""
    include: List[str] = _INCLUDE
    exclude: List[str] = _EXCLUDE
    pack: List[Path] = _PACK
    encoding: Optional[str] = _ENCODING
    max_bytes: int = _MAX_BYTES
    skip_unreadable: bool = _SKIP_UNREADABLE

    @property
    def packs(self) -> tuple[str, ...]:
        return tuple(map(str, self.pack))

    def options(self, **more) -> ScanOptions:
        return ScanOptions(include=tuple(self.include), exclude=tuple(self.exclude), encoding=self.encoding,
                           max_bytes=self.max_bytes, skip_unreadable=self.skip_unreadable, key=hash_key(), **more)


def _scan_inputs(command):
    """The command with the scan's input options (the fields of _Inputs) in place of its `inputs`
    parameter, which receives them as one _Inputs: one definition, the same options everywhere (a
    command's own parameter of a field's name gives that option the command's help)."""
    signature = inspect.signature(command, eval_str=True)
    kinds = typing.get_type_hints(_Inputs)
    own = {p.name: p.default for p in signature.parameters.values() if p.name in kinds}
    fields = [(f.name, kinds[f.name], own.get(f.name, f.default)) for f in dataclasses.fields(_Inputs)]
    params = []
    for p in signature.parameters.values():
        if p.name == "inputs":
            params += [inspect.Parameter(name, p.KEYWORD_ONLY, default=option, annotation=kind)
                       for name, kind, option in fields]
        elif p.name not in own:
            params.append(p.replace(kind=p.KEYWORD_ONLY))

    @functools.wraps(command)
    def run(**kwargs):
        return command(inputs=_Inputs(**{name: kwargs.pop(name) for name, _, _ in fields}), **kwargs)

    run.__signature__ = signature.replace(parameters=params)
    run.__annotations__ = {p.name: p.annotation for p in params}
    return run


_JOBS = typer.Option(None, "--jobs", "-j", min=1, metavar="N", show_default=False,
                     help="Processes that scan documents; 1: this process only [default: the machine's cores].")
_COLOR = typer.Option(Color.auto, "--color", metavar="WHEN", show_default=False,
                      help="Colour: auto, always or never [default: auto: on a terminal, unless NO_COLOR is set].")


@app.command(help=helptext.SCAN, no_args_is_help=True)
@_scan_inputs
def scan(
    paths: List[str] = typer.Argument(..., metavar="PATH...", show_default=False,
                                      help="Files or folders to scan; '-' reads standard input."),
    format: Format = typer.Option(Format.terminal, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", show_default=False,
                                          help="Write the report to FILE [default: standard output]."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on", show_default=False,
                                             help="Exit 1 when a finding is at or above this severity "
                                                  "[default: error, or the config's fail_on]."),
    min_severity: Optional[FailOn] = typer.Option(None, "--min-severity", show_default=False,
                                                  help="Terminal, markdown, GitHub: show nothing below this "
                                                       "severity; info lists every existing mask [default: info, "
                                                       "with existing masks summarised per document]."),
    verbose: bool = typer.Option(False, "--verbose", "-v",
                                 help="List every existing mask and every document, not only a summary."),
    include_masks: bool = typer.Option(False, "--include-masks",
                                       help="SARIF and GitHub: report existing masks too [default: left out, "
                                            "they are no alert]."),
    color: Color = _COLOR,
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", show_default=False,
                                            help="Show files done, MB/s and findings on standard error "
                                                 "[default: when standard error is a terminal]."),
    show_values: bool = typer.Option(False, "--show-values",
                                     help="Print sensitive values in full [default: every value masked]."),
    config: Optional[Path] = _CONFIG,
    inputs: _Inputs = None,
    baseline: Optional[Path] = typer.Option(None, "--baseline", "-b", metavar="FILE", show_default=False,
                                            help="Findings in this baseline neither count nor show [default: none]."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since", metavar="REV", show_default=False,
                                                help="Only files changed since the merge base of REV and HEAD "
                                                     "(REV...HEAD), as they are in the working tree."),
    staged: bool = typer.Option(False, "--staged", help="Only the staged contents of staged files (a pre-commit hook)."),
    timeout: float = typer.Option(DOCUMENT_BUDGET, "--timeout", metavar="SECONDS",
                                  help="Time all rules may spend on one document; past it the document is an "
                                       "error."),
    jobs: Optional[int] = _JOBS,
) -> None:
    _writable_folder(output)
    options = inputs.options(timeout=timeout, jobs=jobs or default_jobs(),
                             prepare=("json", show_values) if format.value == "json" else ())
    request = ScanRequest(paths=tuple(paths), options=options, config=config, packs=inputs.packs,
                          baseline=baseline, changed_since=changed_since, staged=staged,
                          fail_on=fail_on.value if fail_on else None)
    show = ProgressLine(sys.stderr, width=shutil.get_terminal_size().columns) if (
        progress if progress is not None else sys.stderr.isatty()) else None
    try:
        outcome = run_scan(request, read_stdin=sys.stdin.buffer.read, progress=show)
    except UsageError as exc:
        raise _die(str(exc))
    finally:
        if show is not None:
            show.close()
    for note in outcome.notes:
        typer.echo(f"redactaudit: {note}", err=True)
    floor = (min_severity or FailOn.info).value
    render_options = ReportOptions(
        show_values=show_values, fail_on=outcome.threshold, failed=outcome.failed,
        min_severity=floor if floor != "never" else "error",
        # Masks are no alert: CI formats take them only when asked; a person's report lists them on -v.
        include_masks=include_masks if format.value in ("sarif", "github") else (
            include_masks or verbose or min_severity is FailOn.info),
        color=_color(color, sys.stdout) if output is None else color is Color.always,
        width=shutil.get_terminal_size((100, 24)).columns if output is None else None,
        rules=outcome.rules, base_dir=os.getcwd())
    _render_to(output, lambda out: render(format.value, outcome.result, out, render_options))
    raise typer.Exit(1 if outcome.failed else 0)


def _render_to(output: Optional[Path], write) -> None:
    """A report written as it is made (a large scan's report is never held whole in memory):
    to standard output, or to a file replaced in one step when it is complete."""
    if output is None:
        write(sys.stdout)
        sys.stdout.flush()
        return

    def fill(handle) -> None:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        write(text)
        text.flush()
        text.detach()

    try:
        atomic_write_bytes(output, fill)
    except OSError as exc:
        raise _die(f"cannot write {output}: {exc.strerror or exc}")


@app.command(help=helptext.REDACT, no_args_is_help=True)
@_scan_inputs
def redact(
    paths: List[str] = typer.Argument(..., metavar="PATH...", show_default=False, help="Files or folders to redact."),
    policy: Optional[str] = typer.Option(None, "--policy", "-p", metavar="NAME|FILE", show_default=False,
                                         help="A preset (zh-gov, zh-court, en-basic) or a policy file "
                                              "[default: zh-gov]."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", show_default=False,
                                       help="Write redacted copies under DIR, mirroring the input tree."),
    in_place: bool = typer.Option(False, "--in-place",
                                  help=f"Rewrite the files themselves; the originals are kept in one backup folder "
                                       f"that scans skip [default: {BACKUP_DIR}/ at the root of each input]."),
    no_backup: bool = typer.Option(False, "--no-backup", help="With --in-place: keep no backup."),
    backup_dir: Optional[Path] = typer.Option(None, "--backup-dir", metavar="DIR", show_default=False,
                                              help=f"With --in-place: keep the originals under DIR, outside the "
                                                   f"inputs [default: {BACKUP_DIR}/ at the root of each input]."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write nothing; report what would change."),
    as_text: bool = typer.Option(False, "--as-text",
                                 help="A PDF or OpenDocument file: write its redacted text to NAME.txt "
                                      "[default: refuse it, since its text cannot be rewritten safely]."),
    diff: bool = typer.Option(False, "--diff",
                              help="Print each change inside its line, [-before-]{+after+}, with a few "
                                   "characters around it (values masked unless --show-values)."),
    report: Optional[Path] = typer.Option(None, "--report", metavar="FILE.html", show_default=False,
                                          help="Write an HTML report of the redaction, before and after "
                                               "[default: none]."),
    log: Optional[Path] = typer.Option(None, "--log", metavar="FILE", show_default=False,
                                       help="The audit log, JSON lines written as the run goes [default: "
                                            "DIR.redact-log.jsonl with --out, redactaudit-redact-log.jsonl "
                                            "with --in-place, none with --dry-run]."),
    color: Color = _COLOR,
    config: Optional[Path] = _CONFIG,
    inputs: _Inputs = None,
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", metavar="BYTES", show_default=False,
                                  help=f"A larger file is not scanned, so not written [default: {DEFAULT_MAX_BYTES} "
                                       f"(64 MiB)]."),
    skip_unreadable: bool = typer.Option(False, "--skip-unreadable",
                                         help="As scan takes it; a file not read, not decoded or not fully checked "
                                              "is never written, and fails the run all the same [default: off]."),
    show_values: bool = typer.Option(False, "--show-values",
                                     help="Show original values in --diff and --report [default: masked]."),
    jobs: Optional[int] = _JOBS,
) -> None:
    if "-" in paths:
        raise _die("redact works on files; '-' (standard input) is for scan")
    _writable_folder(report, log)
    if out is not None and in_place:
        raise _die("--out and --in-place exclude each other")
    if out is None and not in_place and not dry_run:
        raise _die("say where the redacted copies go: --out DIR, --in-place, or --dry-run")
    if backup_dir is not None and (not in_place or no_backup):
        raise _die("--backup-dir goes with --in-place (and not with --no-backup)")
    # Imported here: a scan never loads the redaction, its policies and edits.
    from .audit import RedactError, RedactOptions, redact as run_redact
    from .audit.redaction import default_log_path
    from .policy import PolicyError, load_policy

    # Never written unscanned: a file not read, not decoded or not fully checked is not written and
    # fails the run whatever --skip-unreadable says (it changes only what a scan calls it).
    scan_options = inputs.options(jobs=jobs or default_jobs(), worker_packs=inputs.packs)
    try:
        check_options(scan_options)
        cfg, ruleset = setup(paths, config, inputs.packs)
        chosen = load_policy(policy)
    except (UsageError, PolicyError) as exc:
        raise _die(str(exc))
    options = RedactOptions(out=out, in_place=in_place, backup=not no_backup, dry_run=dry_run, backup_dir=backup_dir,
                            as_text=as_text)
    log_path = log if log is not None else default_log_path(options)
    from .reporting import redaction

    journal = _Journal(log_path, lambda event, item: redaction.journal_line(event, item, policy=chosen.name, mode=options.mode))
    try:
        result = run_redact(list(paths), ruleset, cfg, chosen, options, scan_options, progress=journal)
    except RedactError as exc:
        raise _die(str(exc))
    except OSError as exc:
        raise _die(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}")
    except KeyboardInterrupt:
        journal("interrupted", None)
        raise
    if diff:
        buf = io.StringIO()
        redaction.render_diff(result, buf, show_values=show_values, color=_color(color, sys.stdout))
        sys.stdout.write(buf.getvalue())
    if report is not None:
        from .reporting.html import render_redaction

        buf = io.StringIO()
        render_redaction(result, buf, ReportOptions(show_values=show_values))
        _write(report, buf.getvalue())
    buf = io.StringIO()
    redaction.render_summary(result, buf, dry_run=dry_run)
    sys.stderr.write(buf.getvalue())
    try:
        journal("end", result)
    except OSError as exc:
        raise _die(f"cannot write {log_path}: {exc.strerror or exc}")
    finally:
        journal.close()
    raise typer.Exit(1 if result.remaining or result.errors or result.not_written else 0)


class _Journal:
    """The audit log as it goes: opened at the run's start (after every check that can refuse it),
    one line per event in one write() to an append-only file, so a killed run leaves what it did."""

    def __init__(self, path: Optional[Path], line):
        self.path, self.line, self.fd = path, line, None

    def __call__(self, event: str, item) -> None:
        if self.path is None:
            return
        if self.fd is None:
            if event == "interrupted":
                return
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o666)
        os.write(self.fd, self.line(event, item).encode("utf-8"))

    def close(self) -> None:
        if self.fd is not None:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = None


@baseline_app.command("create", help=helptext.BASELINE_CREATE, no_args_is_help=True)
@_scan_inputs
def baseline_create(
    paths: List[str] = typer.Argument(..., metavar="PATH...", show_default=False,
                                      help="Files or folders, as you will pass them to scan."),
    output: Path = typer.Option(Path(".redactaudit-baseline.json"), "--output", "-o", metavar="FILE",
                                help="Write the baseline to FILE."),
    config: Optional[Path] = _CONFIG,
    inputs: _Inputs = None,
    jobs: Optional[int] = _JOBS,
) -> None:
    from .audit import baseline_create as create_baseline

    _writable_folder(output)
    try:
        made = create_baseline(paths, config, output, inputs.options(jobs=jobs or default_jobs()), inputs.packs)
    except UsageError as exc:
        raise _die(str(exc))
    _baseline_done(f"{output}: {made.accepted} findings accepted", made.errors)


@baseline_app.command("update", help=helptext.BASELINE_UPDATE, no_args_is_help=True)
@_scan_inputs
def baseline_update(
    paths: List[str] = typer.Argument(..., metavar="PATH...", show_default=False,
                                      help="Files or folders, as you pass them to scan."),
    baseline: Path = typer.Option(Path(".redactaudit-baseline.json"), "--baseline", "-b", metavar="FILE",
                                  help="The baseline to rewrite."),
    config: Optional[Path] = _CONFIG,
    inputs: _Inputs = None,
    jobs: Optional[int] = _JOBS,
) -> None:
    from .audit import baseline_update as update_baseline

    try:
        change = update_baseline(paths, config, baseline, inputs.options(jobs=jobs or default_jobs()), inputs.packs)
    except UsageError as exc:
        raise _die(str(exc))
    _baseline_done(f"{baseline}: {change.added} added, {change.removed} stale removed, {change.kept} kept",
                   change.errors)


def _baseline_done(said: str, errors) -> None:
    """The baseline's one line; a file it could not check is named and fails the run (exit 1): it
    is not in the baseline, and a scan will fail on it."""
    for e in errors:
        typer.echo(f"redactaudit: {printable(e.path)}: not checked: {printable(e.message)}", err=True)
    if errors:
        said += (f"; {len(errors)} file{'s' if len(errors) > 1 else ''} not checked, not in the baseline "
                 f"(a scan fails on {'them' if len(errors) > 1 else 'it'})")
    typer.echo(said, err=True)
    raise typer.Exit(1 if errors else 0)


@packs_app.command("list", help=helptext.PACKS_LIST)
def packs_list(config: Optional[Path] = _CONFIG) -> None:
    from .audit import packs_listing

    try:
        lines = packs_listing(config)
    except UsageError as exc:
        raise _die(str(exc))
    for line in lines:
        typer.echo(line)


@packs_app.command("check", help=helptext.PACKS_CHECK, no_args_is_help=True)
def packs_check(files: List[Path] = typer.Argument(..., metavar="FILE...", show_default=False,
                                                   help="Pack files to validate.")) -> None:
    from .audit import packs_check as check_packs

    passed, problems = check_packs(files)
    for line in passed:
        typer.echo(line)
    for line in problems:
        typer.echo(line, err=True)
    if problems:
        raise typer.Exit(2)


def _interrupted(exc: BaseException | None) -> bool:
    """Whether a KeyboardInterrupt is among the exceptions that led to `exc`."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def main() -> None:
    # A scan allocates millions of small objects that live until the report is written (findings,
    # records); at the default thresholds the cycle collector walks all of them again and again
    # (15-25 % of a large scan, measured). Raised for the command-line process only, as mypy does.
    gc.set_threshold(100_000, 50, 1000)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("redactaudit: interrupted\n")
        sys.exit(130)
    except SystemExit as exc:  # typer ends a command that Ctrl-C stopped with a silent exit 130
        if exc.code == 130 and _interrupted(exc):
            sys.stderr.write("redactaudit: interrupted\n")
        raise
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - a user sees one line, not a traceback
        if os.environ.get("REDACTAUDIT_DEBUG"):
            raise
        sys.stderr.write(f"redactaudit: internal error: {type(exc).__name__}: {exc} "
                         "(set REDACTAUDIT_DEBUG=1 for the traceback)\n")
        sys.exit(2)
