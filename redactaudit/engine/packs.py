"""Pattern packs: YAML files of rules (and category cues), loaded strictly and compiled once.

In: YAML text or files (the built-in ones ship inside the wheel as `redactaudit.patterns`).
Out: a Ruleset of frozen Rules, or a PackError naming `file:rule-id`. A rule's examples are its
tests: `check_examples` runs them through the same matcher the scanner uses.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import Any

import regex

from ..config import yaml_error
from .gazetteer import WordLists, trie_regex
from .normalize import fold_tables, make_fold
from ..model import Kind, Severity
from ..vocabulary import PACK_CATEGORIES as CATEGORIES, STYLES
from .re2 import Re2Pattern, compile_pattern
from .rules import WHOLE_DOCUMENT, Context, Example, Inference, Pack, Rule, Ruleset, make_gate
from .snapshot import cached_fold_tables, cached_packs
from .validators import VALIDATORS

BUILTIN_PACKAGE = "redactaudit.patterns"
_RULE_KEYS = {"column", "id", "kind", "category", "style", "regex", "flags", "validators", "context", "severity",
              "confidence", "message", "examples", "priority", "description", "requires", "reject",
              "severity_if_unmasked", "when_masked", "engine", "gate", "repeat"}
_REJECT_KEYS = {"lists", "words", "prefix", "straddle", "after_word", "before_word"}
_CONTEXT_KEYS = {"window", "require", "require_before", "require_after", "suppress", "suppress_before",
                 "suppress_after", "boost"}
_PACK_KEYS = {"pack", "description", "rules", "infer", "enabled", "vars"}
_INFER_KEYS = {"before", "after", "labels", "window", "examples"}
_FLAGS = {"ignorecase": regex.IGNORECASE, "multiline": regex.MULTILINE, "dotall": regex.DOTALL}




class PackError(Exception):
    """A pack that cannot be used; the message names file and rule."""


def _fail(source: str, where: str, msg: str) -> PackError:
    return PackError(f"{source}:{where}: {msg}")


def _strings(value: Any, source: str, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(source, where, f"{key} must be a list of non-empty strings")
    return tuple(value)


def _examples(value: Any, source: str, where: str, key: str) -> tuple[Example, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail(source, where, f"examples.{key} must be a list")
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(Example(item))
        elif (isinstance(item, dict) and isinstance(item.get("text"), str)
              and set(item) <= {"text", "value", "category"}):
            out.append(Example(item["text"], item.get("value"), item.get("category")))
        else:
            raise _fail(source, where, f"examples.{key}: each example is a string or {{text, value, category}}")
    return tuple(out)


def _context(value: Any, source: str, where: str) -> Context:
    if value is None:
        return Context()
    if not isinstance(value, dict):
        raise _fail(source, where, "context must be a mapping")
    unknown = set(value) - _CONTEXT_KEYS
    if unknown:
        raise _fail(source, where, f"unknown context key(s): {', '.join(sorted(unknown))}")
    window = value.get("window", 12)
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 200:
        raise _fail(source, where, "context.window must be a whole number of characters from 1 to 200")
    kw = {k: _strings(value.get(k), source, where, f"context.{k}") for k in _CONTEXT_KEYS - {"window"}}
    return Context(window=window, **kw)


_VAR = regex.compile(r"\{\{([A-Z][A-Z0-9_]*)\}\}")


def _word_lists(value: Any, source: str, rid: str, key: str, lists: "WordLists") -> frozenset[str]:
    words: set[str] = set()
    for name in _strings(value, source, rid, key):
        try:
            words |= lists.get(name)
        except KeyError:
            raise _fail(source, rid, f"unknown word list {name!r} (known: {', '.join(lists.names())})") from None
    return frozenset(words)


def _reject(value: Any, source: str, rid: str, lists: "WordLists") -> dict[str, Any]:
    """The Rule fields of a `reject:` entry."""
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - _REJECT_KEYS:
        raise _fail(source, rid, "reject takes lists, words, prefix, straddle, after_word and before_word")
    words = set(_strings(value.get("words"), source, rid, "reject.words"))
    words |= _word_lists(value.get("lists"), source, rid, "reject.lists", lists)
    prefix = value.get("prefix", 0)
    if not isinstance(prefix, int) or prefix < 0:
        raise _fail(source, rid, "reject.prefix must be a whole number of characters")
    return {"reject_words": frozenset(words), "reject_prefix": prefix,
            "reject_straddle": _word_lists(value.get("straddle"), source, rid, "reject.straddle", lists),
            "beside_before": _word_lists(value.get("after_word"), source, rid, "reject.after_word", lists),
            "beside_after": _word_lists(value.get("before_word"), source, rid, "reject.before_word", lists)}


def _expand(pattern: str, variables: dict[str, str], source: str, rid: str) -> str:
    """Replace {{NAME}} with the pack's `vars` entry, so long character sets are written once."""
    def sub(m: Any) -> str:
        if m[1] not in variables:
            raise _fail(source, rid, f"regex uses {{{{{m[1]}}}}} but the pack defines no such var")
        return variables[m[1]]
    return _VAR.sub(sub, pattern)


def _rule_id(raw: Any, pack: str, source: str) -> str:
    if not isinstance(raw, dict):
        raise _fail(source, "?", "each rule must be a mapping")
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid:
        raise _fail(source, "?", "a rule has no id")
    if not rid.startswith(pack + "."):
        raise _fail(source, rid, f"rule ids must start with the pack name '{pack}.'")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise _fail(source, rid, f"unknown key(s): {', '.join(sorted(unknown))}")
    for key in ("kind", "category", "regex", "severity", "message"):
        if key not in raw:
            raise _fail(source, rid, f"missing required key '{key}'")
    return rid


def _severity(value: Any, source: str, rid: str, key: str) -> Severity | None:
    try:
        return Severity.parse(str(value)) if value is not None else None
    except ValueError as exc:
        raise _fail(source, rid, f"{key}: {exc}" if key != "severity" else str(exc)) from None


def _kind_category_style(raw: dict, source: str, rid: str) -> tuple[Kind, str, str | None]:
    try:
        kind = Kind(raw["kind"])
    except ValueError:
        raise _fail(source, rid, f"kind must be placeholder, leak or markup, not {raw['kind']!r}") from None
    if kind is Kind.INCONSISTENCY:
        raise _fail(source, rid, "inconsistency findings come from the consistency checks, not from packs")
    category = raw["category"]
    if category not in CATEGORIES:
        raise _fail(source, rid, f"unknown category {category!r}")
    style = raw.get("style")
    if style is not None and style not in STYLES:
        raise _fail(source, rid, f"unknown style {style!r} (one of {', '.join(sorted(STYLES))})")
    return kind, category, style


def _pattern(raw: dict, source: str, rid: str, variables: dict[str, str]) -> Any:
    """The rule's regex, its variables expanded, compiled by its engine; never one that matches ''."""
    flags = 0
    for flag in _strings(raw.get("flags"), source, rid, "flags"):
        if flag not in _FLAGS:
            raise _fail(source, rid, f"unknown flag {flag!r}")
        flags |= _FLAGS[flag]
    if not isinstance(raw["regex"], str) or not raw["regex"]:
        raise _fail(source, rid, "regex must be a non-empty string")
    engine = raw.get("engine", "regex")
    if engine not in ("regex", "re2"):
        raise _fail(source, rid, "engine is regex (the default) or re2")
    expanded = _expand(raw["regex"], variables, source, rid)
    try:
        pattern = compile_pattern(expanded, flags, engine)
    except regex.error as exc:
        raise _fail(source, rid, f"bad regex: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - re2 raises its own error type for what it cannot do
        why = exc.args[0] if exc.args else exc
        why = why.decode("utf-8", "replace") if isinstance(why, bytes) else why
        raise _fail(source, rid, f"engine re2 cannot compile it (no lookaround, no backreferences): {why}") from None
    if next(iter(pattern.finditer("")), None) is not None:
        raise _fail(source, rid, "regex matches the empty string")
    return pattern


def _gate(raw: dict, source: str, rid: str, variables: dict[str, str]) -> str | None:
    gate = raw.get("gate")
    if gate is not None and (not isinstance(gate, str) or not gate):
        raise _fail(source, rid, "gate must be a regex (RE2 syntax)")
    if gate is not None and gate != WHOLE_DOCUMENT:
        gate = _expand(gate, variables, source, rid)
        try:
            Re2Pattern(gate, 0)
        except ImportError:
            pass
        except Exception as exc:  # noqa: BLE001 - re2's own error type
            raise _fail(source, rid, f"gate is not a pattern RE2 can read: {exc}") from None
    return gate


def _rule(raw: Any, pack: str, source: str, builtin: bool, variables: dict[str, str], lists: "WordLists") -> Rule:
    rid = _rule_id(raw, pack, source)
    kind, category, style = _kind_category_style(raw, source, rid)
    severity = _severity(raw["severity"], source, rid, "severity")
    pattern = _pattern(raw, source, rid, variables)
    validators = _strings(raw.get("validators"), source, rid, "validators")
    for name in validators:
        if name not in VALIDATORS:
            raise _fail(source, rid, f"unknown validator {name!r} (known: {', '.join(sorted(VALIDATORS))})")
    confidence = raw.get("confidence", 0.9)
    if not isinstance(confidence, (int, float)) or not 0 < confidence <= 1:
        raise _fail(source, rid, "confidence must be a number in (0, 1]")
    priority = raw.get("priority", {Kind.PLACEHOLDER: 30, Kind.MARKUP: 100}.get(kind, 20))
    if not isinstance(priority, int):
        raise _fail(source, rid, "priority must be a whole number")
    unmasked = _severity(raw.get("severity_if_unmasked"), source, rid, "severity_if_unmasked")
    rejects = _reject(raw.get("reject"), source, rid, lists)
    when_masked = _strings(raw.get("when_masked"), source, rid, "when_masked")
    for masked in when_masked:
        if masked not in CATEGORIES:
            raise _fail(source, rid, f"when_masked: unknown category {masked!r}")
    column = _strings(raw.get("column"), source, rid, "column")
    if column and raw.get("engine", "regex") != "regex":
        raise _fail(source, rid, "a column rule matches whole cells: engine regex")
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict) or set(examples) - {"match", "nomatch"}:
        raise _fail(source, rid, "examples must be a mapping with match and/or nomatch lists")
    matches = _examples(examples.get("match"), source, rid, "match")
    if not matches:
        raise _fail(source, rid, "a rule needs at least one match example")
    return Rule(
        id=rid, pack=pack, source=source, kind=kind, category=category, pattern=pattern,
        severity=severity, message=str(raw["message"]), style=style, validators=validators,
        context=_context(raw.get("context"), source, rid), confidence=float(confidence),
        priority=priority, matches=matches,
        nomatches=_examples(examples.get("nomatch"), source, rid, "nomatch"), builtin=builtin,
        requires=_strings(raw.get("requires"), source, rid, "requires") or tuple(h.lstrip("*") for h in column),
        column=column,
        **rejects,
        severity_if_unmasked=unmasked,
        when_masked=when_masked, gate=_gate(raw, source, rid, variables),
        **_repeat(raw.get("repeat", True), source, rid, lists),
    )


def _repeat(value: Any, source: str, rid: str, lists: "WordLists") -> dict[str, Any]:
    """repeat: true, false, or {unless: [word lists]}: looked for elsewhere unless one of their words."""
    if isinstance(value, bool):
        return {"repeat": value}
    if not isinstance(value, dict) or set(value) != {"unless"}:
        raise _fail(source, rid, "repeat is true, false or {unless: [word lists]}")
    return {"repeat": True, "repeat_unless": _word_lists(value["unless"], source, rid, "repeat.unless", lists)}


def _cue_table(value: Any, source: str, key: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise _fail(source, f"infer.{key}", "must map a category to a list of cues")
    pairs = []
    for category, cues in value.items():
        if category not in CATEGORIES:
            raise _fail(source, f"infer.{key}", f"unknown category {category!r}")
        pairs.extend((cue, category) for cue in _strings(cues, source, f"infer.{key}", category))
    seen: dict[str, str] = {}
    for cue, category in pairs:
        if seen.setdefault(cue, category) != category:
            raise _fail(source, f"infer.{key}", f"cue {cue!r} is listed under {seen[cue]} and {category}")
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


def _infer(raw: Any, source: str) -> Inference:
    if not isinstance(raw, dict):
        raise _fail(source, "infer", "must be a mapping")
    unknown = set(raw) - _INFER_KEYS
    if unknown:
        raise _fail(source, "infer", f"unknown key(s): {', '.join(sorted(unknown))}")
    return Inference(
        after=_cue_table(raw.get("after"), source, "after"),
        before=_cue_table(raw.get("before"), source, "before"),
        labels=_cue_table(raw.get("labels"), source, "labels"),
        window=int(raw.get("window", 8)),
        examples=_examples(raw.get("examples"), source, "infer", "examples"),
    )


def _variables(raw: Any, source: str, lists: "WordLists") -> dict[str, str]:
    """vars: NAME: 'regex fragment', or NAME: {words: list-name, reverse: bool} for a trie of a
    word list (reverse: shaped for use inside a lookbehind)."""
    if not isinstance(raw, dict):
        raise PackError(f"{source}: 'vars' maps UPPER_CASE names to regex fragments")
    out = {}
    for key, value in raw.items():
        if not isinstance(key, str) or not regex.fullmatch(r"[A-Z][A-Z0-9_]*", key):
            raise PackError(f"{source}: var names are UPPER_CASE, not {key!r}")
        if isinstance(value, str):
            out[key] = value
        elif (isinstance(value, dict) and "words" in value and set(value) <= {"words", "reverse"}
              and isinstance(value["words"], str)):
            try:
                out[key] = trie_regex(lists.get(value["words"]), reverse=bool(value.get("reverse")))
            except KeyError:
                raise PackError(f"{source}: var {key}: unknown word list {value['words']!r} "
                                f"(known: {', '.join(lists.names())})") from None
        else:
            raise PackError(f"{source}: var {key} must be a regex fragment or {{words: list-name}}")
    return out


def parse_pack(text: str, source: str, *, builtin: bool = False, lists: "WordLists | None" = None) -> Pack:
    import yaml  # only when YAML is read (the built-in packs come from the cache)

    try:  # libyaml when present: 10x faster start-up
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise PackError(yaml_error(source, exc)) from None
    if not isinstance(data, dict):
        raise PackError(f"{source}: a pack is a mapping with 'pack' and 'rules'")
    unknown = set(data) - _PACK_KEYS
    if unknown:
        raise PackError(f"{source}: unknown key(s): {', '.join(sorted(unknown))}")
    name = data.get("pack")
    if not isinstance(name, str) or not regex.fullmatch(r"[a-z][a-z0-9_-]*", name):
        raise PackError(f"{source}: 'pack' must be a lower-case name like leaks-zh")
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        raise PackError(f"{source}: 'rules' must be a list")
    lists = lists or WordLists()
    variables = _variables(data.get("vars") or {}, source, lists)
    rules, ids = [], set()
    for raw in raw_rules:
        rule = _rule(raw, name, source, builtin, variables, lists)
        if rule.id in ids:
            raise _fail(source, rule.id, "duplicate rule id")
        ids.add(rule.id)
        rules.append(rule)
    infer = _infer(data["infer"], source) if "infer" in data else None
    if not rules and infer is None:
        raise PackError(f"{source}: the pack has no rules")
    return Pack(name=name, source=source, description=str(data.get("description", "")),
                rules=tuple(rules), infer=infer, enabled=bool(data.get("enabled", True)))


def load_pack_file(path: str | Path, lists: WordLists | None = None) -> Pack:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(f"{p}: cannot read pack: {exc}") from None
    return parse_pack(text, str(p), lists=lists)


def builtin_packs(lists: WordLists | None = None) -> tuple[Pack, ...]:
    """The packs shipped in the wheel, checked; from the user's cache when it holds them (see
    snapshot.py), unless word lists of the caller's are given."""
    if lists is None:
        return cached_packs(lambda: builtin_packs(WordLists()))
    root = importlib.resources.files(BUILTIN_PACKAGE)
    packs = []
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and not entry.name.startswith("allowlist"):
            packs.append(parse_pack(entry.read_text(encoding="utf-8"), f"patterns/{entry.name}", builtin=True,
                                    lists=lists))
    return tuple(packs)


def build_ruleset(packs: tuple[Pack, ...], *, enable: tuple[str, ...] | None = None,
                  disable: tuple[str, ...] = (), disable_rules: frozenset[str] | tuple[str, ...] = (),
                  gated: bool = True) -> Ruleset:
    """Combine packs; `enable` picks packs by name (None: those enabled by default), `disable_rules`
    leaves rules out by id. `gated=False` skips building the gate (for callers that only read the
    packs' names or cues: compiling it is most of a ruleset's cost)."""
    names = {p.name for p in packs}
    for wanted in (enable or ()) + disable:
        if wanted not in names:
            raise PackError(f"no pack named {wanted!r} (known: {', '.join(sorted(names))})")
    chosen = [p for p in packs if (p.name in enable if enable is not None else p.enabled) and p.name not in disable]
    rules, seen = [], {}
    after, before, labels, examples, window = [], [], [], [], 8
    for pack in chosen:
        for rule in pack.rules:
            if rule.id in seen:
                raise PackError(f"{pack.source}:{rule.id}: duplicate rule id (also in {seen[rule.id]})")
            seen[rule.id] = pack.source
            if rule.id not in disable_rules:
                rules.append(rule)
        if pack.infer:
            after += pack.infer.after
            before += pack.infer.before
            labels += pack.infer.labels
            examples += pack.infer.examples
            window = max(window, pack.infer.window)
    key = lambda p: (-len(p[0]), p[0])  # noqa: E731 - longest cue wins
    infer = Inference(tuple(sorted(after, key=key)), tuple(sorted(before, key=key)),
                      tuple(sorted(labels, key=key)), window, tuple(examples))
    return Ruleset(rules=tuple(rules), infer=infer, packs=tuple(p.name for p in chosen),
                   gate=make_gate(tuple(rules)) if gated else None,
                   fold=make_fold(*cached_fold_tables(fold_tables)))
