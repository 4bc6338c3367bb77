"""redactaudit.yaml: which packs run, what is allowed, what fails a build.

In: a path (or a folder to search upwards from). Out: a frozen Config, or ConfigError with a
message that says which key is wrong. Relative paths in the file are relative to the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import regex

from .model import Severity

CONFIG_NAMES = ("redactaudit.yaml", ".redactaudit.yaml", "redactaudit.yml", ".redactaudit.yml")
_KEYS = {"packs", "disable_packs", "extra_packs", "disable_rules", "allowlist", "fail_on", "severity",
         "exclude", "include", "public_figures", "skip_unreadable"}
_ALLOW_KEYS = {"values", "regexes", "paths"}


class ConfigError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Allowlist:
    values: frozenset[str] = frozenset()
    regexes: tuple[Any, ...] = ()
    paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    source: str | None = None
    packs: tuple[str, ...] | None = None
    disable_packs: tuple[str, ...] = ()
    extra_packs: tuple[str, ...] = ()
    disable_rules: frozenset[str] = frozenset()
    allowlist: Allowlist = field(default_factory=Allowlist)
    fail_on: str | None = None
    severity: dict = field(default_factory=dict)  # rule id -> Severity
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    public_figures: bool = True  # the shipped list of public figures (patterns/zh-public-figures.txt)
    skip_unreadable: bool = False  # files not read or not fully checked are notes, not errors


def find_config(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() or candidate.is_symlink() or candidate.exists():
                return candidate  # one that cannot be read is an error, never passed over
    return None


def yaml_error(source: str, exc: Any) -> str:
    """One line for a YAML syntax error: `file:line:column: not valid YAML: problem (context)`."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or not problem:
        return f"{source}: not valid YAML: {' '.join(str(exc).split())}"
    context, where = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    tail = f" ({context} from line {where.line + 1})" if context and where is not None else ""
    return f"{source}:{mark.line + 1}:{mark.column + 1}: not valid YAML: {problem}{tail}"


def _list(data: dict, key: str, source: str) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ConfigError(f"{source}: '{key}' must be a list of strings")
    return tuple(str(v) for v in value)


def parse_config(text: str, source: str) -> Config:
    import yaml  # only when a config file is read

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(yaml_error(source, exc)) from None
    except RecursionError:  # the pure-Python reader, on brackets nested past the stack
        raise ConfigError(f"{source}: not valid YAML: nested too deeply") from None
    if data is None:
        return Config(source=source)
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the config must be a mapping of keys ({', '.join(sorted(_KEYS))})")
    unknown = set(data) - _KEYS
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(sorted(map(str, unknown)))} "
                          f"(known: {', '.join(sorted(_KEYS))})")
    base = Path(source).parent
    allow_raw = data.get("allowlist") or {}
    if not isinstance(allow_raw, dict) or set(allow_raw) - _ALLOW_KEYS:
        raise ConfigError(f"{source}: 'allowlist' takes values, regexes and paths")
    patterns = []
    for pattern in _list(allow_raw, "regexes", source):
        try:
            patterns.append(regex.compile(pattern))
        except regex.error as exc:
            raise ConfigError(f"{source}: allowlist regex {pattern!r} is not valid: {exc}") from None
    fail_on = data.get("fail_on")
    if fail_on is not None and str(fail_on) not in ("error", "warning", "info", "never"):
        raise ConfigError(f"{source}: fail_on must be error, warning, info or never")
    severity_raw = data.get("severity") or {}
    if not isinstance(severity_raw, dict):
        raise ConfigError(f"{source}: 'severity' maps rule ids to info, warning or error")
    severity = {}
    for rule_id, level in severity_raw.items():
        try:
            severity[str(rule_id)] = Severity.parse(str(level))
        except ValueError as exc:
            raise ConfigError(f"{source}: severity of {rule_id}: {exc}") from None
    packs = data.get("packs")
    public_figures = data.get("public_figures", True)
    if not isinstance(public_figures, bool):
        raise ConfigError(f"{source}: public_figures is true or false")
    skip_unreadable = data.get("skip_unreadable", False)
    if not isinstance(skip_unreadable, bool):
        raise ConfigError(f"{source}: skip_unreadable is true or false")
    return Config(
        skip_unreadable=skip_unreadable,
        public_figures=public_figures,
        source=source,
        packs=_list(data, "packs", source) if packs is not None else None,
        disable_packs=_list(data, "disable_packs", source),
        extra_packs=tuple(str((base / p)) for p in _list(data, "extra_packs", source)),
        disable_rules=frozenset(_list(data, "disable_rules", source)),
        allowlist=Allowlist(frozenset(_list(allow_raw, "values", source)), tuple(patterns),
                            _list(allow_raw, "paths", source)),
        fail_on=str(fail_on) if fail_on is not None else None,
        severity=severity,
        include=_list(data, "include", source),
        exclude=_list(data, "exclude", source),
    )


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from None
    return parse_config(text, str(path))
