"""Redaction policies: per category, what to put in place of a value or an existing mask.

In: a preset name (patterns/policies/NAME.yaml) or a YAML file. Out: a frozen Policy, or a
PolicyError naming the file and key. Loading is as strict as for packs.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


from .config import yaml_error
from .model import Severity
from .vocabulary import CATEGORIES, INFER

ACTIONS = ("mask", "surname", "pseudonym", "partial", "generalize", "keep")
_POLICY_KEYS = {"policy", "description", "threshold", "categories", "scope", "keep_after"}
_RULE_KEYS = {"action", "token", "token_en", "format", "keep_start", "keep_end", "char"}


class PolicyError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Treatment:
    action: str
    token: str = ""
    token_en: str = ""
    format: str = ""  # pseudonym: "人员{letter}", "PERSON-{n}"
    keep_start: int = 0
    keep_end: int = 0
    char: str = "*"


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    source: str
    threshold: Severity = Severity.WARNING
    categories: dict = field(default_factory=dict)  # category -> Treatment
    scope: str = "document"  # pseudonym numbering: per document or across the corpus
    keep_after: tuple[str, ...] = ()  # role words whose name is kept (审判长, 书记员)
    description: str = ""

    def treatment(self, category: str) -> Treatment:
        return self.categories.get(category) or self.categories.get("unknown") or Treatment("mask", "XX", "[REDACTED]")

    def tokens(self) -> frozenset[str]:
        """Every fixed token this policy writes: an existing mask equal to one is left alone."""
        return frozenset(t for tr in self.categories.values() for t in (tr.token, tr.token_en) if t)


def _treatment(raw: Any, source: str, category: str) -> Treatment:
    where = f"{source}:categories.{category}"
    if not isinstance(raw, dict) or set(raw) - _RULE_KEYS:
        raise PolicyError(f"{where}: takes {', '.join(sorted(_RULE_KEYS))}")
    action = raw.get("action")
    if action not in ACTIONS:
        raise PolicyError(f"{where}: action must be one of {', '.join(ACTIONS)}")
    t = Treatment(action=action, token=str(raw.get("token", "")), token_en=str(raw.get("token_en", "")),
                  format=str(raw.get("format", "")), keep_start=raw.get("keep_start", 0),
                  keep_end=raw.get("keep_end", 0), char=str(raw.get("char", "*")))
    if action in ("mask", "generalize") and not t.token:
        raise PolicyError(f"{where}: {action} needs a token")
    if action == "pseudonym" and "{n}" not in t.format and "{letter}" not in t.format:
        raise PolicyError(f"{where}: pseudonym needs a format with {{n}} or {{letter}}")
    if action == "partial":
        if not all(isinstance(v, int) and v >= 0 for v in (t.keep_start, t.keep_end)) or len(t.char) != 1:
            raise PolicyError(f"{where}: partial takes keep_start, keep_end (whole numbers) and one char")
    if "\n" in t.token or "\n" in t.token_en:
        raise PolicyError(f"{where}: a token is one line")
    return t


def parse_policy(text: str, source: str) -> Policy:
    import yaml  # only when YAML is read

    try:  # libyaml when present: 10x faster start-up
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise PolicyError(yaml_error(source, exc)) from None
    except RecursionError:  # the pure-Python reader, on brackets nested past the stack
        raise PolicyError(f"{source}: not valid YAML: nested too deeply") from None
    if not isinstance(data, dict) or set(data) - _POLICY_KEYS:
        raise PolicyError(f"{source}: a policy is a mapping of {', '.join(sorted(_POLICY_KEYS))}")
    name = data.get("policy")
    if not isinstance(name, str) or not name:
        raise PolicyError(f"{source}: 'policy' names the policy")
    raw = data.get("categories")
    if not isinstance(raw, dict) or not raw:
        raise PolicyError(f"{source}: 'categories' maps categories to treatments")
    categories = {}
    for category, treatment in raw.items():
        if category not in CATEGORIES or category == INFER:
            raise PolicyError(f"{source}: unknown category {category!r}")
        categories[category] = _treatment(treatment, source, category)
    try:
        threshold = Severity.parse(str(data.get("threshold", "warning")))
    except ValueError as exc:
        raise PolicyError(f"{source}: threshold: {exc}") from None
    scope = data.get("scope", "document")
    if scope not in ("document", "corpus"):
        raise PolicyError(f"{source}: scope is document or corpus")
    keep_after = data.get("keep_after") or []
    if not isinstance(keep_after, list) or not all(isinstance(w, str) and w for w in keep_after):
        raise PolicyError(f"{source}: keep_after is a list of words")
    return Policy(name=name, source=source, threshold=threshold, categories=categories, scope=scope,
                  keep_after=tuple(keep_after), description=str(data.get("description", "")).strip())


def preset_names() -> tuple[str, ...]:
    root = importlib.resources.files("redactaudit.patterns").joinpath("policies")
    return tuple(sorted(e.name[:-5] for e in root.iterdir() if e.name.endswith(".yaml")))


def load_policy(name_or_path: str | None) -> Policy:
    """A preset by name (default zh-gov) or a policy file."""
    name = name_or_path or "zh-gov"
    if name in preset_names():
        entry = importlib.resources.files("redactaudit.patterns").joinpath("policies", name + ".yaml")
        return parse_policy(entry.read_text(encoding="utf-8"), f"policies/{name}.yaml")
    path = Path(name)
    if not path.is_file():
        raise PolicyError(f"no preset or policy file named {name!r} (presets: {', '.join(preset_names())})")
    try:
        return parse_policy(path.read_text(encoding="utf-8"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read: {exc}") from None
