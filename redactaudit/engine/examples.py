"""A pack's examples as its tests: every match/nomatch example run through the matcher the scanner
uses, gated as the scanner gates it.

In: rules and cue tables. Out: a list of problems, each naming `file:rule-id`.
"""

from __future__ import annotations

import regex

from .detect import _run, _spans
from .gate import Gate
from .match import DEFAULT_TIMEOUT, Candidate, infer_category, match_rule
from .rules import Inference, Rule, make_gate


def example_hits(rule: Rule, text: str, infer: Inference) -> list[Candidate]:
    """What one rule finds in an example text, as the scanner would (used by `packs check`)."""
    return list(match_rule(rule, text, infer, timeout=DEFAULT_TIMEOUT))


def gated_hits(rule: Rule, pos: int, gate: Gate, text: str, infer: Inference) -> list[Candidate]:
    """What one rule finds in a text when it runs only where the gate sends it."""
    data = text.encode("utf-8", "surrogatepass")
    return list(_run(rule, text, data, _spans(gate, text, data).get(pos, []), infer, DEFAULT_TIMEOUT))


def check_examples(rules: tuple[Rule, ...], infer: Inference) -> list[str]:
    """Problems with rules' examples, each naming `file:rule-id`; empty when all agree."""
    problems = []
    gate = make_gate(rules)
    for pos, rule in enumerate(rules):
        for ex in rule.matches:
            hits = example_hits(rule, ex.text, infer)
            if not hits:
                problems.append(f"{rule.source}:{rule.id}: match example finds nothing: {ex.text!r}")
                continue
            if ex.value is not None and ex.value not in [h.text for h in hits]:
                problems.append(f"{rule.source}:{rule.id}: match example {ex.text!r} finds "
                                f"{[h.text for h in hits]}, expected {ex.value!r}")
            if ex.category is not None and ex.category not in [h.category for h in hits]:
                problems.append(f"{rule.source}:{rule.id}: match example {ex.text!r} has category "
                                f"{[h.category for h in hits]}, expected {ex.category!r}")
            if gate is not None and gated_hits(rule, pos, gate, ex.text, infer) != hits:
                problems.append(f"{rule.source}:{rule.id}: the gate does not find match example {ex.text!r} "
                                "(a gate must match inside every match of its rule, or the context it reads)")
        for ex in rule.nomatches:
            hits = example_hits(rule, ex.text, infer)
            if ex.value is not None:
                hits = [h for h in hits if h.text == ex.value]
            if hits:
                problems.append(f"{rule.source}:{rule.id}: nomatch example matches "
                                f"{[h.text for h in hits]}: {ex.text!r}")
    for ex in infer.examples:
        mask = regex.search(r"[*＊XxＸ×某○〇□■█]+|\[[^\]]+\]", ex.text)
        got = infer_category(ex.text, mask.start(), mask.end(), infer, mask.group()) if mask else ("unknown", "")
        if ex.category is not None and got[0] != ex.category:
            problems.append(f"infer example {ex.text!r}: category {got[0]!r}, expected {ex.category!r}")
    return problems
