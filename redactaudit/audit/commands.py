"""The smaller runs: baselines (create, update) and packs (list, check).

In: paths, a config path, pack files. Out: what to write and what to tell the user; UsageError
when a run cannot start.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from .. import baseline as baselines
from ..config import ConfigError
from ..engine.examples import DEFAULT_TIMEOUT, check_examples
from ..engine.packs import PackError, build_ruleset, builtin_packs, load_pack_file
from ..fsutil import atomic_write_text
from ..model import AuditResult, FileError
from .scan import ScanOptions, UsageError, audit, check_options, load_config_file, setup


def _write(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


@dataclass(frozen=True, slots=True)
class BaselineCreate:
    accepted: int
    errors: tuple[FileError, ...]  # files not read or not fully checked: not in the baseline


def _audit(paths: Iterable[str], config_path: Path | None, options: ScanOptions, packs: tuple[str, ...]
           ) -> AuditResult:
    """The scan's audit over the same inputs, read the same way (the scan's input options and packs)."""
    check_options(options)
    config, ruleset = setup(paths, config_path, packs)
    options = replace(options, worker_packs=packs, skip_unreadable=options.skip_unreadable or config.skip_unreadable)
    return audit(list(paths), ruleset, config, options)


def baseline_create(paths: Iterable[str], config_path: Path | None, output: Path,
                    options: ScanOptions, packs: tuple[str, ...] = ()) -> BaselineCreate:
    """Record every current finding as accepted; how many, and the files that could not be checked."""
    key = options.key
    result = _audit(paths, config_path, options, packs)
    record = baselines.create(result, key)
    _write(output, baselines.dumps(record))
    return BaselineCreate(sum(e["count"] for e in record["entries"]), result.errors)


@dataclass(frozen=True, slots=True)
class BaselineUpdate:
    added: int
    removed: int
    kept: int
    errors: tuple[FileError, ...] = ()


def baseline_update(paths: Iterable[str], config_path: Path | None, baseline: Path,
                    options: ScanOptions, packs: tuple[str, ...] = ()) -> BaselineUpdate:
    """Rewrite a baseline from the current findings (in today's format): new ones are accepted,
    stale ones dropped. A baseline of the first format is rewritten with today's fingerprints."""
    key = options.key
    try:
        old = baselines.load(baseline, key) if baseline.exists() else {"version": baselines.VERSION, "entries": []}
    except baselines.BaselineError as exc:
        raise UsageError(str(exc)) from None
    result = _audit(paths, config_path, options, packs)
    record = baselines.create(result, key)
    added, removed, kept = baselines.compare(result, old, key)
    _write(baseline, baselines.dumps(record))
    return BaselineUpdate(added, removed, kept, result.errors)


def packs_listing(config_path: Path | None) -> list[str]:
    """The built-in and configured packs, on or off, with their rules, one line each."""
    try:
        config = load_config_file(config_path)
        packs = builtin_packs() + tuple(load_pack_file(p) for p in config.extra_packs)
        active = set(build_ruleset(packs, enable=config.packs, disable=config.disable_packs, gated=False).packs)
    except (ConfigError, PackError) as exc:
        raise UsageError(str(exc)) from None
    lines = []
    for p in packs:
        lines.append(f"{p.name} [{'on' if p.name in active else 'off'}] {p.source}: {len(p.rules)} rules")
        lines += [f"  {r.id}  {r.kind.value}/{r.category}  {r.severity.value}" for r in p.rules]
    return lines


def packs_check(files: Iterable[Path]) -> tuple[list[str], list[str]]:
    """(passed, problems): each pack's schema, regexes, validators and match/nomatch examples."""
    try:
        shipped = builtin_packs()
    except PackError as exc:  # an installation whose own packs were edited
        return [], [f"the built-in packs do not load: {exc}"]
    builtin = build_ruleset(shipped, gated=False)
    passed: list[str] = []
    problems: list[str] = []
    for path in files:
        try:
            pack = load_pack_file(path)
        except PackError as exc:
            problems.append(str(exc))
            continue
        # A copy of a shipped pack is checked as itself; anything else must not reuse its names.
        same = [p for p in shipped if p.name == pack.name]
        if same and [r.id for r in same[0].rules] != [r.id for r in pack.rules]:
            problems.append(f"{path}: pack name {pack.name!r} is a built-in pack's; pick another")
        infer = builtin.infer if not pack.infer else build_ruleset(
            tuple(p for p in shipped if p.name != pack.name) + (pack,), gated=False).infer
        try:
            found = check_examples(pack.rules, infer)
        except TimeoutError:
            found = [f"{path}: an example ran past the time limit of {DEFAULT_TIMEOUT:g} s on one rule: a regex "
                     "of the pack runs away (write a tighter pattern, or use engine: re2)"]
        problems += found
        if not found:
            passed.append(f"{path}: {len(pack.rules)} rules, all examples agree")
    return passed, problems
