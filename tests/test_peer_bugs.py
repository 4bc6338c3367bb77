"""Issue 15: the bugs found by running other projects' test cases (Presidio, python-stdnum,
scrubadub), each pinned with exact spans. bench/peer_suites.py runs the whole suites."""

from __future__ import annotations

import pytest

from redactaudit.detect import detect
from tests.conftest import make_doc


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def found(ruleset, text: str, category: str | None = None) -> list[tuple[str, int, int, str]]:
    """(category, start, end, kind) of every finding, or of one category."""
    return [(f.category, f.start, f.end, f.kind.value) for f in detect(make_doc(text), ruleset)
            if category is None or f.category == category]


# A value followed by a short extra token: the pattern swallows it, the validator rejects the
# longer match, and the shorter one must still be found.
def test_card_before_a_short_token(ruleset):
    text = "card 4012 8888 8888 1881 2024"
    assert found(ruleset, text) == [("bankcard", *at(text, "4012 8888 8888 1881"), "leak")]


def test_three_cards_in_a_row(ruleset):
    text = "4012888888881881 4012-8888-8888-1881 4012 8888 8888 1881"
    assert found(ruleset, text) == [
        ("bankcard", 0, 16, "leak"), ("bankcard", 17, 36, "leak"), ("bankcard", 37, 56, "leak")]


def test_iban_before_a_short_token(ruleset):
    text = "AL47212110090000000235698741 ALL CAPS"
    assert found(ruleset, text) == [("iban", 0, 28, "leak")]


@pytest.mark.parametrize("text", ["4012-8888-8888-1881-2024", "IP 192.168.1.1.1 here"])
def test_no_shorter_value_across_a_hyphen_or_a_dot(ruleset, text):
    """Only white space ends a token: a hyphen or a dot continues the number."""
    assert [f for f in found(ruleset, text) if f[0] in ("bankcard", "ip")] == []
