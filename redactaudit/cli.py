"""Command line: parse arguments, call audit, pick a formatter, set the exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it, or a file not read or not
fully checked (listed under errors); 2 usage, config or pack error.
"""

from __future__ import annotations

import gc
import io
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .audit import (DOCUMENT_BUDGET, RedactError, RedactOptions, ScanOptions, ScanRequest, UsageError,
                    baseline_create as create_baseline, baseline_update as update_baseline,
                    packs_check as check_packs, packs_listing, redact as run_redact, run_scan, setup)
from .audit.parallel import default_jobs
from .audit.redaction import default_log_path
from .documents import DEFAULT_MAX_BYTES
from .fsutil import BACKUP_DIR, atomic_write_bytes
from .identity import hash_key
from .policy import PolicyError, load_policy
from .reporting import FORMATS, ReportOptions, render

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Audit and enforce anonymization in text documents.")
packs_app = typer.Typer(no_args_is_help=True, help="List the rule packs or check a pack of your own.")
app.add_typer(packs_app, name="packs")
baseline_app = typer.Typer(no_args_is_help=True, help="Accept today's findings so a gate fails only on new ones.")
app.add_typer(baseline_app, name="baseline")


Format = Enum("Format", {name: name for name in FORMATS}, type=str)  # the registry is the one list


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


def _jobs_option() -> Optional[int]:
    return typer.Option(None, "--jobs", "-j", min=1, metavar="N",
                        help="Processes that scan documents (default: the machine's cores; 1: this process only).")


def _die(message: str) -> "typer.Exit":
    typer.echo(f"redactaudit: error: {message}", err=True)
    return typer.Exit(2)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"redactaudit {__version__}")
        raise typer.Exit()


@app.callback()
def root(version: bool = typer.Option(False, "--version", callback=version_callback, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Audit and enforce anonymization in text documents."""


@app.command()
def scan(
    paths: List[str] = typer.Argument(..., help="Files or folders to scan; '-' reads standard input."),
    format: Format = typer.Option(Format.terminal, "--format", "-f", help="Report format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    fail_on: Optional[FailOn] = typer.Option(None, "--fail-on",
                                             help="Exit 1 when a finding is at or above this severity "
                                                  "[default: error, or the config's fail_on]."),
    config: Optional[Path] = typer.Option(None, "--config", "-c",
                                          help="Config file [default: redactaudit.yaml here or above]."),
    include: List[str] = typer.Option([], "--include", help="Only files matching this glob (repeatable)."),
    exclude: List[str] = typer.Option([], "--exclude", help="Skip files matching this glob (repeatable)."),
    pack: List[Path] = typer.Option([], "--pack", help="An extra pack file to load (repeatable)."),
    show_values: bool = typer.Option(False, "--show-values",
                                     help="Print sensitive values in full (reports are masked by default)."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Decode every file with this encoding."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", help="Skip files larger than this."),
    min_severity: FailOn = typer.Option(FailOn.info, "--min-severity",
                                        help="Terminal report: hide findings below this severity."),
    baseline: Optional[Path] = typer.Option(None, "--baseline", "-b",
                                            help="Findings in this baseline do not count (and are not shown)."),
    changed_since: Optional[str] = typer.Option(None, "--changed-since",
                                                help="Only files changed against this git revision."),
    staged: bool = typer.Option(False, "--staged", help="Only files staged in git (for a pre-commit hook)."),
    skip_unreadable: bool = typer.Option(False, "--skip-unreadable",
                                         help="Files not read, not decoded or not fully checked are notes "
                                              "that do not fail the scan [default: they are errors]."),
    timeout: float = typer.Option(DOCUMENT_BUDGET, "--timeout", metavar="SECONDS",
                                  help="Time all rules may spend on one document; past it the document "
                                       "is listed as an error."),
    jobs: Optional[int] = _jobs_option(),
) -> None:
    """Find every mask and every unmasked sensitive value."""
    options = ScanOptions(include=tuple(include), exclude=tuple(exclude), encoding=encoding, max_bytes=max_bytes,
                          skip_unreadable=skip_unreadable, timeout=timeout, key=hash_key(), jobs=jobs or default_jobs(),
                          prepare=("json", show_values) if format.value == "json" else ())
    request = ScanRequest(paths=tuple(paths), options=options, config=config, packs=tuple(map(str, pack)),
                          baseline=baseline, changed_since=changed_since, staged=staged,
                          fail_on=fail_on.value if fail_on else None)
    try:
        outcome = run_scan(request, read_stdin=sys.stdin.buffer.read)
    except UsageError as exc:
        raise _die(str(exc))
    for note in outcome.notes:
        typer.echo(f"redactaudit: {note}", err=True)
    report = ReportOptions(
        show_values=show_values, fail_on=outcome.threshold, failed=outcome.failed,
        min_severity=min_severity.value if min_severity != FailOn.never else "error",
        color=None if output is None and sys.stdout.isatty() else False, rules=outcome.rules)
    _render_to(output, lambda out: render(format.value, outcome.result, out, report))
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


@app.command()
def redact(
    paths: List[str] = typer.Argument(..., help="Files or folders to redact."),
    policy: Optional[str] = typer.Option(None, "--policy", "-p",
                                         help="A preset (zh-gov, zh-court, en-basic) or a policy file "
                                              "[default: zh-gov]."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write redacted copies here, mirroring the input tree."),
    in_place: bool = typer.Option(False, "--in-place",
                                  help=f"Rewrite the files themselves (the originals are kept in {BACKUP_DIR}/)."),
    no_backup: bool = typer.Option(False, "--no-backup", help="With --in-place: keep no backup."),
    backup_dir: Optional[Path] = typer.Option(None, "--backup-dir",
                                              help=f"With --in-place: keep the originals here (default: "
                                                   f"{BACKUP_DIR}/ at the root of each input)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Write nothing; report what would change."),
    diff: bool = typer.Option(False, "--diff", help="Print a unified diff (values masked unless --show-values)."),
    log: Optional[Path] = typer.Option(None, "--log", help="Write the audit log (JSON lines, as the run goes) here."),
    config: Optional[Path] = typer.Option(None, "--config", "-c"),
    include: List[str] = typer.Option([], "--include"),
    exclude: List[str] = typer.Option([], "--exclude"),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes",
                                  help="Files larger than this are not scanned, so not written."),
    show_values: bool = typer.Option(False, "--show-values", help="Show original values in --diff."),
    jobs: Optional[int] = _jobs_option(),
) -> None:
    """Apply one redaction policy to every mask and every leak, then check the result."""
    if "-" in paths:
        raise _die("redact works on files; '-' (standard input) is for scan")
    if out is not None and in_place:
        raise _die("--out and --in-place exclude each other")
    if out is None and not in_place and not dry_run:
        raise _die("say where the redacted copies go: --out DIR, --in-place, or --dry-run")
    if backup_dir is not None and (not in_place or no_backup):
        raise _die("--backup-dir goes with --in-place (and not with --no-backup)")
    try:
        cfg, ruleset = setup(paths, config)
        chosen = load_policy(policy)
    except (UsageError, PolicyError) as exc:
        raise _die(str(exc))
    options = RedactOptions(out=out, in_place=in_place, backup=not no_backup, dry_run=dry_run, backup_dir=backup_dir)
    scan_options = ScanOptions(include=tuple(include), exclude=tuple(exclude), encoding=encoding,
                               max_bytes=max_bytes, jobs=jobs or default_jobs(), worker_packs=())
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
        redaction.render_diff(result, buf, show_values=show_values)
        sys.stdout.write(buf.getvalue())
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


@baseline_app.command("create")
def baseline_create(
    paths: List[str] = typer.Argument(..., help="Files or folders, as you will pass them to scan."),
    output: Path = typer.Option(Path(".redactaudit-baseline.json"), "--output", "-o"),
    config: Optional[Path] = typer.Option(None, "--config", "-c"),
    jobs: Optional[int] = _jobs_option(),
) -> None:
    """Record every current finding as accepted."""
    try:
        count = create_baseline(paths, config, output, jobs=jobs or default_jobs())
    except UsageError as exc:
        raise _die(str(exc))
    typer.echo(f"{output}: {count} findings accepted", err=True)


@baseline_app.command("update")
def baseline_update(
    paths: List[str] = typer.Argument(...),
    baseline: Path = typer.Option(Path(".redactaudit-baseline.json"), "--baseline", "-b"),
    config: Optional[Path] = typer.Option(None, "--config", "-c"),
    jobs: Optional[int] = _jobs_option(),
) -> None:
    """Rewrite a baseline from the current findings: new ones are accepted, stale ones dropped."""
    try:
        change = update_baseline(paths, config, baseline, jobs=jobs or default_jobs())
    except UsageError as exc:
        raise _die(str(exc))
    typer.echo(f"{baseline}: {change.added} added, {change.removed} stale removed, {change.kept} kept", err=True)


@packs_app.command("list")
def packs_list(config: Optional[Path] = typer.Option(None, "--config", "-c")) -> None:
    """List the built-in packs and their rules."""
    try:
        lines = packs_listing(config)
    except UsageError as exc:
        raise _die(str(exc))
    for line in lines:
        typer.echo(line)


@packs_app.command("check")
def packs_check(files: List[Path] = typer.Argument(..., help="Pack files to validate.")) -> None:
    """Validate a pack: schema, regexes, validators, and every match/nomatch example."""
    passed, problems = check_packs(files)
    for line in passed:
        typer.echo(line)
    for line in problems:
        typer.echo(line, err=True)
    if problems:
        raise typer.Exit(2)


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
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - a user sees one line, not a traceback
        if os.environ.get("REDACTAUDIT_DEBUG"):
            raise
        sys.stderr.write(f"redactaudit: internal error: {type(exc).__name__}: {exc} "
                         "(set REDACTAUDIT_DEBUG=1 for the traceback)\n")
        sys.exit(2)
