"""The per-document stages' faster forms give what their plain definitions give (copies' sample,
the Chinese share of a decoding, line starts), on invented strings."""

import random
import re

from redactaudit import decoding
from redactaudit.consistency import copies
from redactaudit.model import LineIndex

_RUNS = re.compile("[^\\s" + re.escape(copies._IGNORED) + "]+")
_LOOKAHEAD = re.compile(f"(?=({copies._ANCHORS}.{{{copies.SHINGLE - 1}}}))", re.S)


def _strings(alphabet: str, n: int = 3000, longest: int = 40) -> list[str]:
    rng = random.Random(7)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest))) for _ in range(n)]


def test_spaces_spelled_out_are_what_backslash_s_matches():
    spelled = re.compile(f"[{copies._SPACES}]")
    assert [c for c in map(chr, range(0x110000)) if spelled.match(c)] == \
        [c for c in map(chr, range(0x110000)) if re.match(r"\s", c)]


def test_kept_removes_exactly_what_comparison_ignores():
    alphabet = copies._FREQUENT + "：；！？（）《》 \t\r\u3000\u00a0\u2028\x1c+@[]" + "甲乙丙的是e*×XＡ１\ud800"
    for s in _strings(alphabet):
        assert copies._kept(s) == "".join(_RUNS.findall(s)), repr(s)


def test_shingles_matched_at_their_anchor_are_those_a_lookahead_finds():
    for s in _strings("的是在国e甲乙丙丁abc\n\x00", longest=30):
        assert copies._SHINGLES.findall(s) == _LOOKAHEAD.findall(s), repr(s)
        for at in range(0, len(s), 5):  # a piece's bounds, as sample_text reads a long text
            assert copies._SHINGLES.findall(s, at, at + 12) == _LOOKAHEAD.findall(s, at, at + 12)


def test_each_utf8_keeps_strings_apart_even_with_a_nul_in_them():
    for strings in ([], ["甲乙丙丁戊己庚辛"], ["的\x00是在和了要对", "e1234567"], ["\ud800bcdefgh", ""]):
        assert copies._each_utf8(strings) == [s.encode("utf-8", "surrogatepass") for s in strings]


def _share_by_character(text: str) -> float:
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return 1.0
    common = sum(1 for c in non_ascii if "\u4e00" <= c <= "\u9fa5" or "\u3000" <= c <= "\u303f"
                 or "\uff00" <= c <= "\uffef" or c in "“”‘’…—·")
    return common / len(non_ascii)


def test_chinese_share_counted_in_c_is_the_share_by_character():
    for s in _strings("ab\x00\x7f\x80\u4e00\u9fa5\u9fa6\u3000\u303f\u3040\uff00\uffef“”‘’…—·¶\U00020000", longest=15):
        assert decoding._chinese_share(s) == _share_by_character(s), repr(s)


def test_line_starts_without_a_carriage_return_are_the_regex_ones():
    for s in _strings("ab甲\n\r\u2028\x0b\x0c", longest=15):
        assert LineIndex(s)._starts == [0, *(m.end() for m in re.finditer(r"\r\n?|\n", s))], repr(s)


def test_the_frozen_types_made_through_their_slots_are_the_dataclasses_they_were():
    """Finding, Reason and Location store their fields through their slots (_set_by_slot): the
    same positional and keyword signature and defaults as dataclass's __init__, still frozen,
    equal, hashable, replaceable and pickled alike."""
    import dataclasses
    import inspect
    import pickle

    import pytest

    from redactaudit.model import Finding, Kind, Location, Reason, Severity

    for cls in (Finding, Reason, Location):
        fields = dataclasses.fields(cls)
        assert list(inspect.signature(cls.__init__).parameters)[1:] == [f.name for f in fields]
        assert [p.default for p in inspect.signature(cls.__init__).parameters.values()][1:] == [
            inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields]
    why = (Reason("cue", "同志"), Reason("masked-elsewhere", "person", count=2))
    f = Finding("r.x", Kind.LEAK, "person", Severity.ERROR, "a.txt", 3, 6, 1, 4, 1, 7, "陈立新", "m", "00ff",
                why=why, related=(Location("a.txt", 0, 2, 1, 1, "a mask"),))
    assert (f.confidence, f.style, f.width, f.why[1].count, f.why[0].detail) == (1.0, None, None, 2, "")
    assert f == pickle.loads(pickle.dumps(f)) and hash(f) == hash(dataclasses.replace(f))
    assert dataclasses.replace(f, start=4).start == 4 and dataclasses.astuple(f)[0] == "r.x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.start = 0
    with pytest.raises(TypeError):
        Reason()
