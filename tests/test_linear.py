"""Work that grows with the input, not faster: counted, never timed.

Each test builds inputs of two sizes and counts the work done on them (characters scanned,
passes made), so quadratic growth fails whatever the machine's speed.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

import pytest

from redactaudit.engine import needles
from redactaudit.engine.detect import _best_of, detect, propagate, resolve_overlaps
from redactaudit.engine.match import Candidate
from redactaudit.model import Kind
from tests.conftest import make_doc

_PERSON = SimpleNamespace(kind=Kind.LEAK, id="t.person", priority=20, repeat=True, repeat_unless=frozenset())
_SURNAMES = "赵钱孙李周吴郑冯陈卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"


def _names(n: int) -> list[str]:
    return [a + b + c for a in _SURNAMES for b in _GIVEN for c in _GIVEN][:n]


class _CountingText(str):
    """A text that counts the characters its own searches scan."""

    scanned = 0

    def find(self, sub, start=0, end=None):  # noqa: ANN001 - str's signature
        _CountingText.scanned += len(self) - (start or 0)
        return str.find(self, sub, start, *(() if end is None else (end,)))


def _propagation_work(n: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """Characters scanned to propagate n distinct names, each found once, over a text that
    mentions each of them twice (the text grows with n)."""
    names = _names(n)
    text = _CountingText("".join(f"投诉人{name}称，{name}已到场。" for name in names))
    cands, pos = [], 0
    for name in names:
        start = text.index(name, pos)
        cands.append(Candidate(_PERSON, start, start + len(name), name, "person", 0.9, None, None, ()))
        pos = text.index("。", start)
    passes = []
    real = needles._all_ends
    monkeypatch.setattr(needles, "_all_ends", lambda ns, t: passes.append(len(t)) or real(ns, t))
    _CountingText.scanned = 0
    out = propagate(cands, text)
    assert len(out) == 2 * n  # every second mention found
    return _CountingText.scanned + sum(passes)


def test_propagating_names_is_one_pass_whatever_their_number(monkeypatch):
    small, large = _propagation_work(200, monkeypatch), _propagation_work(400, monkeypatch)
    assert large < 3 * small  # doubling the input must not quadruple the work (it was n passes)


@pytest.mark.parametrize("with_automaton", [True, False])
def test_occurrences_are_what_a_find_loop_gives(monkeypatch, with_automaton):
    if not with_automaton:
        monkeypatch.setattr(needles, "_all_ends", needles._all_by_regex)
    rng = random.Random(3)
    for _ in range(200):
        text = "".join(rng.choice("ab哈c") for _ in range(rng.randint(0, 40)))
        found = {"".join(rng.choice("ab哈c") for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 5))}
        wanted = sorted(found)
        expected = []
        for needle in wanted:
            starts, pos = [], text.find(needle)
            while pos >= 0:
                starts.append(pos)
                pos = text.find(needle, pos + len(needle))
            expected.append(starts)
        assert needles.occurrences(wanted, text) == expected, (text, wanted)


def _global_greedy(cands):
    """resolve_overlaps as one ranking of all candidates (the reference)."""
    return sorted(_best_of(list(cands)), key=lambda c: (c.start, c.end, c.rule.id))


def test_overlaps_settled_cluster_by_cluster_as_one_ranking_would():
    rng = random.Random(5)
    rules = [SimpleNamespace(kind=Kind.LEAK, id=f"t.r{i}", priority=p) for i, p in enumerate((10, 20, 20, 30))]
    for _ in range(300):
        cands = []
        for _ in range(rng.randint(0, 30)):
            start = rng.randint(0, 60)
            cands.append(Candidate(rng.choice(rules), start, start + rng.randint(1, 8), "", "x", 1.0, None, None, ()))
        assert resolve_overlaps(cands) == _global_greedy(cands)


def test_a_document_twice_as_long_gives_its_findings_twice(ruleset):
    """Names propagated, overlaps resolved and lines counted over a long text: each copy of a block
    gives the same findings as the block alone (nothing is lost or merged at scale)."""
    block = "投诉人：魏建华，男。魏建华称，XX县**镇的王某某于2020年收取**万元，电话13912345678。\n"
    one = detect(make_doc(block), ruleset)
    many = detect(make_doc(block * 300), ruleset)
    assert len(many) == 300 * len(one)
    assert [(f.rule, f.start - 299 * len(block), f.line) for f in many[-len(one):]] == \
        [(f.rule, f.start, f.line + 299) for f in one]
