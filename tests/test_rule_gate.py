"""The rule gate: rules run only in the sentences that hold their gate, and find exactly what a
full pass finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactaudit.audit import load_documents, ScanOptions
from redactaudit.config import Config
from redactaudit.engine.detect import candidates
from redactaudit.engine.gate import NotForRe2, locator, relax
from redactaudit.engine.packs import build_ruleset, builtin_packs, parse_pack

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("pattern, expected", [
    # A lookbehind that opens the pattern and a lookahead that closes it are read as text.
    (r"(?<=第)(?P<value>\d{1,3})(?=次会议)", r"(?:第)(?:\p{Nd}{1,3})(?:次会议)"),
    # Negative ones, and any in the middle, are dropped (the gate may match more, never less).
    (r"(?<![\d.])(?P<value>\d+)(?![\d.])", r"(?:\p{Nd}+)"),
    (r"(?=[+(0])(?<![\dA-Za-z])(?P<value>0\d{2,3}-\d{7})", r"(?:0\p{Nd}{2,3}-\p{Nd}{7})"),
    (r"县(?<=(?:在|对)(?P<value>[曹沛]县))", "县"),
    # Per top-level branch.
    (r"(?<=A)x|y(?=B)", "(?:A)x|y(?:B)"),
    # Unicode classes spelled for RE2, \b dropped, \u escapes.
    (r"\bDear\s+\w+", r"Dear[\t-\r\x{85}\p{Z}]+[\p{L}\p{M}\p{Nd}\p{Pc}]+"),
    (r"[\s，\u3000]", r"[\t-\r\x{85}\p{Z}，\x{3000}]"),
])
def test_locator(pattern, expected):
    assert locator(pattern) == expected


def test_locator_refuses_what_re2_cannot_say():
    with pytest.raises(NotForRe2):
        locator(r"[\S，]")


def test_relax_opens_counted_repeats_only():
    assert relax(r"\p{Nd}{1,12}[*]{0,4}x{3,}\x{85}") == r"\p{Nd}+[*]*x+\x{85}"


PACK = """
pack: mine
rules:
  - id: mine.comrade
    kind: leak
    category: person
    gate: '同志'
    regex: '(?:^|[，。])(?P<value>[张李][三四])同志'
    severity: error
    message: name
    examples: {match: ["。张三同志"]}
  - id: mine.count
    kind: leak
    category: number
    regex: '(?<![\\d])(?P<value>\\d+)(?=人)'
    severity: warning
    message: count
    examples: {match: ["12人"]}
"""


def _doc(text):
    from redactaudit.model import Document

    return Document(path="t.txt", text=text, encoding="utf-8", newline="\n", bom=False)


def test_regions_are_the_sentences_that_hold_a_gate():
    re2 = pytest.importorskip("re2")  # noqa: F841
    ruleset = build_ruleset((parse_pack(PACK, "mine.yaml"),))
    text = "第一句没有。张三同志讲话。第三句也没有。共有12人参加\n最后一行"
    data = text.encode()
    regions = ruleset.gate.regions(text, data)
    # From the delimiter before the hit (a match may start on it) to the delimiter after, plus
    # a margin of what lookaheads may read (here to the end: the count in it is found once).
    assert [(r.start, r.end, sorted(r.rules)) for r in regions] == [(5, 32, [0, 1]), (19, 32, [1])]
    found = sorted((c.rule.id, c.start, c.end) for c in candidates(_doc(text), ruleset))
    assert found == [("mine.comrade", 6, 8), ("mine.count", 22, 24)]


def test_a_match_in_the_margin_is_found_once():
    pytest.importorskip("re2")
    ruleset = build_ruleset((parse_pack(PACK, "mine.yaml"),))
    text = "张三同志。李四同志。"
    assert sorted((c.start, c.end) for c in candidates(_doc(text), ruleset)) == [(0, 2), (5, 7)]


ID_PACK = """
pack: ids
rules:
  - id: ids.fifteen
    kind: leak
    category: idcard
    regex: '(?<!\\d)(?P<value>[1-9]\\d{14})(?!\\d)'
    severity: error
    message: id
    examples: {match: ["110105491231002"]}
"""


def test_a_relaxed_gate_is_confirmed_by_the_exact_one():
    # The set reads the ID's gate as [1-9]\p{Nd}+ (counted repeats opened), which 12345 matches in
    # the sentence marked for the count; a short number is no 15-digit ID, so the ID rule does not
    # run there.
    pytest.importorskip("re2")
    ruleset = build_ruleset((parse_pack(PACK, "mine.yaml"), parse_pack(ID_PACK, "ids.yaml")))
    text = "共有12345人。" + "这一句只是把两处隔开，" * 4 + "号码110105491231002。"
    assert [(r.start, r.end, sorted(r.rules)) for r in ruleset.gate.regions(text, text.encode())] == [
        (0, 41, [1]), (8, 71, [2])]


def test_gated_and_full_passes_agree_on_every_sample_and_fixture():
    pytest.importorskip("re2")
    ruleset = build_ruleset(builtin_packs())
    inputs = [str(ROOT / "samples" / "docs"), str(ROOT / "tests" / "golden"), str(ROOT / "tests" / "data")]
    docs, _, _ = load_documents([p for p in inputs if Path(p).exists()], ScanOptions(), Config())
    assert len(docs) > 10
    for doc in docs:
        def key(cands):
            return sorted((c.rule.id, c.start, c.end, c.category, c.text) for c in cands)
        assert key(candidates(doc, ruleset, gated=True)) == key(candidates(doc, ruleset, gated=False)), doc.path


def test_re2_scan_without_the_bindings_fast_call_gives_the_same_spans():
    re2 = pytest.importorskip("re2")
    from redactaudit.engine.re2 import re2_scan

    class Wrapper:  # the public API only, as a future binding might offer
        def __init__(self, p):
            self._p, self.groups = p, p.groups

        def search(self, data, pos, endpos):
            return self._p.search(data, pos, endpos)

    compiled = re2.compile("(张|李)(三)?".encode())
    data = "张三和李四，张".encode()
    fast = list(re2_scan(compiled, data, 0, len(data)))
    assert fast == list(re2_scan(Wrapper(compiled), data, 0, len(data)))
    assert [s[0] for s in fast] == [(0, 6), (9, 12), (18, 21)]


def test_disabled_rules_are_left_out_of_the_rules_and_the_gate():
    from redactaudit.audit import load_ruleset

    ruleset = load_ruleset(Config(disable_rules=frozenset({"identifiers.email"})))
    assert "identifiers.email" not in ruleset.by_id
    text = "邮箱chen@example.com，手机13912345678。"
    found = sorted((c.rule.id, c.start, c.end) for c in candidates(_doc(text), ruleset))
    assert found == [("identifiers.cn-mobile", 21, 32)]


def test_a_match_that_only_the_regions_end_made_is_dropped():
    """A region that ends inside a word (Information Go|vernance) made `$` in a rule's lookahead
    true there: matched again over more text, nothing starts at that place, so the cut match is
    the region's, not the text's, and is dropped; one that more text confirms is kept."""
    from redactaudit.audit import load_ruleset
    from redactaudit.engine.gate import Region
    from redactaudit.engine.match import match_rule

    ruleset = load_ruleset(Config())
    rule = next(r for r in ruleset.rules if r.id == "names-en.signature")
    for text, cut, found in [("Yours sincerely,\nInformation Governance Team\n", "vernance", []),
                             ("Yours sincerely,\nMarlowe Quint\nOffice Manager\n", "\nOffice", [(17, 30, "Marlowe Quint")])]:
        end = text.index(cut)
        region = Region(0, end, 0, len(text[:end].encode()), frozenset())
        got = match_rule(rule, text, ruleset.infer, region=region, data=text.encode())
        assert [(c.start, c.end, c.text) for c in got] == found
