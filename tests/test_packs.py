"""Every example of every built-in rule runs as a test; the loader refuses broken packs by name."""

from __future__ import annotations

import pytest

from redactaudit.engine.examples import check_examples
from redactaudit.engine.packs import PackError, build_ruleset, builtin_packs, parse_pack

PACKS = builtin_packs()
RULES = [r for p in PACKS for r in p.rules]
INFER = build_ruleset(PACKS).infer


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    assert check_examples((rule,), INFER) == []


def test_category_examples():
    assert check_examples((), INFER) == []


SKIP = "(*SKIP)(*FAIL)"
SKIPPING = [r for r in RULES if r.pattern.pattern.endswith(SKIP)]


@pytest.mark.parametrize("rule", SKIPPING, ids=[r.id for r in SKIPPING])
def test_a_skipping_branch_changes_no_match(rule):
    # A last branch `|[^...]++(*SKIP)(*FAIL)` passes over a run no match starts in: the rule finds
    # what it finds without it, on texts made of its examples' pieces, from any start.
    import random

    import regex

    from redactaudit.engine.re2 import resolved

    body = rule.pattern.pattern
    plain = regex.compile(body[:body.rindex("|")], rule.pattern.flags)
    texts = [ex.text for ex in rule.matches + rule.nomatches]
    pieces = [t[i:i + n] for t in texts for i in range(len(t)) for n in (1, 2, 3)]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        start = rng.randint(0, min(2, len(text)))
        def spans(p):
            return [(m.span(), m.span("value")) for m in p.finditer(text, start)]
        assert spans(resolved(rule.pattern)) == spans(plain), text


def test_the_skipping_rules_are_found():
    assert {"names-zh.enumeration", "names-zh.given-name-tongzhi"} <= {r.id for r in SKIPPING}


GOOD = """
pack: mine
rules:
  - id: mine.ticket
    kind: leak
    category: number
    regex: 'TICKET-(?P<value>\\d{4})'
    severity: warning
    message: ticket number
    examples:
      match: [{text: "see TICKET-1234", value: "1234"}]
      nomatch: ["TICKET-12"]
"""


def test_good_pack_loads():
    pack = parse_pack(GOOD, "mine.yaml")
    assert [r.id for r in pack.rules] == ["mine.ticket"]
    assert check_examples(pack.rules, INFER) == []


@pytest.mark.parametrize("change, message", [
    (("severity: warning", "severity: warning\n    colour: red"), "mine.yaml:mine.ticket: unknown key(s): colour"),
    (("'TICKET-(?P<value>\\d{4})'", "'TICKET-(?P<value>\\d{4}'"), "mine.yaml:mine.ticket: bad regex"),
    (("message: ticket number", "message: ticket number\n    validators: [nope]"),
     "mine.yaml:mine.ticket: unknown validator 'nope'"),
    (("category: number", "category: colour"), "mine.yaml:mine.ticket: unknown category 'colour'"),
    (("id: mine.ticket", "id: other.ticket"), "mine.yaml:other.ticket: rule ids must start with the pack name"),
    (("kind: leak", "kind: inconsistency"), "mine.yaml:mine.ticket: inconsistency findings come from"),
    (("severity: warning", "severity: fatal"), "mine.yaml:mine.ticket: unknown severity 'fatal'"),
    (("severity: warning", "severity: warning\n    repeat: sometimes"), "mine.yaml:mine.ticket: repeat is true, false or {unless: [word lists]}"),
])
def test_broken_pack_names_file_and_rule(change, message):
    with pytest.raises(PackError) as err:
        parse_pack(GOOD.replace(*change), "mine.yaml")
    assert str(err.value).startswith(message)


def test_duplicate_rule_id():
    rules = GOOD.split("rules:\n", 1)[1]
    with pytest.raises(PackError, match="mine.yaml:mine.ticket: duplicate rule id"):
        parse_pack(GOOD + rules, "mine.yaml")


def test_wrong_examples_are_reported():
    pack = parse_pack(GOOD.replace('nomatch: ["TICKET-12"]', 'nomatch: ["TICKET-9999"]'), "mine.yaml")
    assert check_examples(pack.rules, INFER) == [
        "mine.yaml:mine.ticket: nomatch example matches ['9999']: 'TICKET-9999'"]
    pack = parse_pack(GOOD.replace('value: "1234"', 'value: "123"'), "mine.yaml")
    assert check_examples(pack.rules, INFER) == [
        "mine.yaml:mine.ticket: match example 'see TICKET-1234' finds ['1234'], expected '123'"]


def test_not_yaml_and_not_a_mapping():
    with pytest.raises(PackError, match=r"x.yaml:2:1: not valid YAML: did not find expected node content"):
        parse_pack("rules: [", "x.yaml")
    with pytest.raises(PackError, match="x.yaml: a pack is a mapping"):
        parse_pack("- a\n- b\n", "x.yaml")


def test_vars_must_exist():
    text = GOOD.replace("'TICKET-(?P<value>\\d{4})'", "'{{PREFIX}}(?P<value>\\d{4})'")
    with pytest.raises(PackError, match=r"mine.yaml:mine.ticket: regex uses \{\{PREFIX\}\}"):
        parse_pack(text, "mine.yaml")
    assert parse_pack("vars: {PREFIX: 'TICKET-'}\n" + text, "mine.yaml").rules[0].pattern.search("TICKET-1234")


def test_builtin_rule_ids_are_unique_and_prefixed():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(r.id.startswith(r.pack + ".") for r in RULES)


def test_when_masked_keeps_the_rule_category():
    # Regression: the when_masked loop once reused the name of the rule's category.
    pack = parse_pack(GOOD.replace("message: ticket number", "message: ticket number\n    when_masked: [place, unknown]"),
                      "mine.yaml")
    assert (pack.rules[0].category, pack.rules[0].when_masked) == ("number", ("place", "unknown"))


def test_a_gate_that_misses_its_rule_is_reported():
    pytest.importorskip("re2")
    # The rule matches TICKET-1234; a gate on a word the match does not contain sends it nowhere.
    pack = parse_pack(GOOD.replace("message: ticket number", "message: ticket number\n    gate: 'INVOICE'"),
                      "mine.yaml")
    assert check_examples(pack.rules, INFER) == [
        "mine.yaml:mine.ticket: the gate does not find match example 'see TICKET-1234' (a gate must "
        "match inside every match of its rule, or the context it reads)"]


def test_a_gate_must_be_readable_by_re2():
    pytest.importorskip("re2")
    bad = GOOD.replace("message: ticket number", "message: ticket number\n    gate: '(?<=x)TICKET'")
    with pytest.raises(PackError, match="mine.yaml:mine.ticket: gate is not a pattern RE2 can read"):
        parse_pack(bad, "mine.yaml")


def test_a_pattern_re2_cannot_read_is_one_clean_line(tmp_path):
    import subprocess
    import sys

    pack = tmp_path / "bad.yaml"
    pack.write_text("pack: bad\nrules:\n  - id: bad.x\n    kind: leak\n    category: person\n    engine: re2\n"
                    "    regex: '(?!a)b'\n    severity: error\n    message: m\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = subprocess.run([sys.executable, "-m", "redactaudit", "scan", str(empty), "--pack", str(pack)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"redactaudit: error: {pack}:bad.x: engine re2 cannot compile it (no lookaround, no backreferences): "
        "invalid perl operator: (?!"]
