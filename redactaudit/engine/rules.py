"""The rule engine's frozen types: rules, their context, cue tables for what a mask hides, packs
and the compiled ruleset (with its gate and fold).

In: values parsed by `packs`. Out: Rule, Context, Example, Inference, Pack, Ruleset; `make_gate`
builds the one-pass gate of a set of rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from ..model import Kind, Reason, Severity
from .gate import Gate, NotForRe2, locator
from .gate import make_gate as build_gate
from .normalize import Fold
from .re2 import LazyPattern
from .validators import VALIDATORS


@dataclass(frozen=True, slots=True)
class Context:
    window: int = 12
    require: tuple[str, ...] = ()
    require_before: tuple[str, ...] = ()
    require_after: tuple[str, ...] = ()
    suppress: tuple[str, ...] = ()
    suppress_before: tuple[str, ...] = ()
    suppress_after: tuple[str, ...] = ()
    boost: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    value: str | None = None
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pack: str
    source: str
    kind: Kind
    category: str
    pattern: Any  # regex.Pattern
    severity: Severity
    message: str
    style: str | None = None
    validators: tuple[str, ...] = ()
    context: Context = Context()
    confidence: float = 0.9
    priority: int = 0
    matches: tuple[Example, ...] = ()
    nomatches: tuple[Example, ...] = ()
    builtin: bool = True
    # Literal strings of which at least one must be in a document for the regex to be worth running:
    # a substring test costs nothing next to a regex pass.
    requires: tuple[str, ...] = ()
    # Values that are everyday words, not names or places: exact, or (prefix N) their first N characters.
    reject_words: frozenset[str] = frozenset()
    reject_prefix: int = 0
    # Words a match must not cut through: the character before + its first, its last + the one after.
    reject_straddle: frozenset[str] = frozenset()
    # Drop a match that stands right after a word of `beside_before` or right before one of
    # `beside_after` (asterisks with an idiom's other three characters are a word filter).
    beside_before: frozenset[str] = frozenset()
    beside_after: frozenset[str] = frozenset()
    # Quasi-identifiers (places, figures): their severity when the document masks nothing at all.
    severity_if_unmasked: Severity | None = None
    # Run only in a document that masks one of these categories somewhere (costly or noisy rules).
    when_masked: tuple[str, ...] = ()
    # An RE2 pattern that matches inside every match of the rule or the context its lookarounds
    # read; the rule runs only in the sentences where it occurs (see gate.py). By default it is
    # derived from the rule's own pattern.
    gate: str | None = None
    # Header words of a table column whose cells the rule reads (tables.py): the pattern must
    # match a cell's whole text. Such a rule runs on whole documents, not through the gate.
    column: tuple[str, ...] = ()
    # Whether a value it finds is looked for everywhere else in the document (detect.propagate):
    # not for values that are everyday words only the rule's context makes a name (团结村、胜利村).
    repeat: bool = True
    # ... unless the value is one of these words (an everyday word its context made a name: 我镇团结村).
    repeat_unless: frozenset[str] = frozenset()
    # What matching needs of the pattern and validators, derived once (not per document).
    value_group: bool = field(init=False, repr=False, compare=False)
    reject_groups: tuple[str, ...] = field(init=False, repr=False, compare=False)
    checks: tuple = field(init=False, repr=False, compare=False)
    why: tuple[Reason, ...] = field(init=False, repr=False, compare=False)  # the reasons every match has
    has_context: bool = field(init=False, repr=False, compare=False)
    beside_sizes: tuple[tuple[int, ...], tuple[int, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "beside_sizes", (tuple(sorted({len(w) for w in self.beside_before})),
                                                  tuple(sorted({len(w) for w in self.beside_after}))))
        groups = getattr(self.pattern, "groupindex", {})
        object.__setattr__(self, "value_group", "value" in groups)
        object.__setattr__(self, "reject_groups", tuple(g for g in groups if g.startswith("reject")))
        object.__setattr__(self, "checks", tuple(VALIDATORS[name] for name in self.validators))
        object.__setattr__(self, "why", (Reason("pattern", self.id),) + tuple(Reason("valid", n) for n in self.validators))
        c = self.context
        object.__setattr__(self, "has_context", bool(c.require or c.require_before or c.require_after or c.suppress
                                                     or c.suppress_before or c.suppress_after or c.boost))


@dataclass(frozen=True, slots=True)
class Inference:
    """Cues that tell what a mask hides: text right after it, text right before it, label words."""

    after: tuple[tuple[str, str], ...] = ()  # (cue, category), longest cue first
    before: tuple[tuple[str, str], ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    window: int = 8
    examples: tuple[Example, ...] = ()
    # Cues grouped by length, longest first, so inference is a few dict probes per mask.
    after_table: tuple = field(init=False, repr=False, compare=False)
    before_table: tuple = field(init=False, repr=False, compare=False)
    latin_labels: dict = field(init=False, repr=False, compare=False)  # English label word -> category

    def __post_init__(self) -> None:
        object.__setattr__(self, "after_table", _by_length(self.after, lower=False))
        object.__setattr__(self, "before_table", _by_length(self.before, lower=True))
        object.__setattr__(self, "latin_labels", {cue.lower(): category for cue, category in self.labels
                                                  if cue.isascii()})


def _by_length(pairs: tuple[tuple[str, str], ...], *, lower: bool) -> tuple[tuple[int, dict[str, str]], ...]:
    groups: dict[int, dict[str, str]] = {}
    for cue, category in pairs:
        groups.setdefault(len(cue), {}).setdefault(cue.lower() if lower else cue, category)
    return tuple(sorted(groups.items(), reverse=True))


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    source: str
    description: str
    rules: tuple[Rule, ...]
    infer: Inference | None = None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Ruleset:
    rules: tuple[Rule, ...]
    infer: Inference = field(default_factory=Inference)
    packs: tuple[str, ...] = ()
    # One pass over a document tells where each rule is worth running (see gate.py).
    gate: "Gate | None" = field(default=None, compare=False, repr=False)
    # How characters fold for matching (normalize.py); None matches the text as it is.
    fold: "Fold | None" = field(default=None, compare=False, repr=False)
    # The order rules run in: placeholders first, since some leak rules only run where the
    # document masks their category (when_masked).
    order: tuple[int, ...] = field(init=False, compare=False, repr=False)
    by_id: dict = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {r.id: r for r in self.rules})
        object.__setattr__(self, "order", tuple(sorted(
            range(len(self.rules)), key=lambda i: (self.rules[i].kind is not Kind.PLACEHOLDER,
                                                   bool(self.rules[i].when_masked)))))


# `gate: document`: the rule runs on whole documents (after `requires` and `when_masked`), for a
# rule whose only cheap gate is so common that marking its sentences costs every rule more.
WHOLE_DOCUMENT = "document"


def rule_gate(rule: Rule) -> str | None:
    """The RE2 gate of a rule (see gate.py): its own `gate:`, or one derived from its pattern;
    None when RE2 cannot read it (the rule then runs on whole documents)."""
    if rule.gate == WHOLE_DOCUMENT or rule.column:
        return None
    if isinstance(rule.pattern, LazyPattern):
        return rule.pattern.gate
    try:
        found = rule.gate or locator(rule.pattern.pattern)
    except NotForRe2:
        return None
    flags = rule.pattern.flags
    inline = "".join(f for f, bit in (("i", regex.IGNORECASE), ("m", regex.MULTILINE), ("s", regex.DOTALL))
                     if flags & bit)
    return f"(?{inline}:{found})" if inline else found


def make_gate(rules: tuple[Rule, ...]) -> Gate | None:
    return build_gate([rule_gate(r) for r in rules])
