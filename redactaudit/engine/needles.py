"""Every occurrence of many literal strings in one pass over a text.

In: needles (distinct non-empty strings) and a text. Out: for each needle, the starts of its
occurrences as `str.find` from the end of the last one would give them (non-overlapping for one
needle; occurrences of different needles may overlap). One pass whatever the number of needles:
an Aho-Corasick automaton (pyahocorasick) where installed, else the `regex` engine reading an
alternation of the needles at every position (linear in the text times the longest needle).
"""

from __future__ import annotations

import regex


def _all_ends(needles: list[str], text: str) -> list[tuple[int, int]]:
    """(start, needle index) of every occurrence of every needle, overlapping ones included."""
    try:
        import ahocorasick  # noqa: PLC0415 - optional: the regex reading below is the fallback
    except ImportError:
        return _all_by_regex(needles, text)
    automaton = ahocorasick.Automaton()
    for i, needle in enumerate(needles):
        automaton.add_word(needle, i)
    automaton.make_automaton()
    return [(end - len(needles[i]) + 1, i) for end, i in automaton.iter(text)]


def _all_by_regex(needles: list[str], text: str) -> list[tuple[int, int]]:
    """The same as an automaton gives, read with `regex`: at each position the longest needle
    that starts there, and the needles that are its prefixes."""
    index = {needle: i for i, needle in enumerate(needles)}
    lengths = sorted({len(n) for n in needles}, reverse=True)
    pattern = regex.compile("|".join(regex.escape(n) for n in sorted(needles, key=len, reverse=True)))
    out = []
    for m in pattern.finditer(text, overlapped=True):
        start, longest = m.start(), m.group()
        for size in lengths:
            if size <= len(longest):
                i = index.get(longest[:size])
                if i is not None:
                    out.append((start, i))
    return out


def occurrences(needles: list[str], text: str) -> list[list[int]]:
    """For needles[i], the starts of its occurrences in `text`, left to right, each one searched
    from the end of the one before (as a loop of text.find would find them)."""
    found: list[list[int]] = [[] for _ in needles]
    if not needles or not text:
        return found
    reach = [0] * len(needles)  # where the next occurrence of each needle may start
    for start, i in sorted(_all_ends(needles, text)):
        if start >= reach[i]:
            found[i].append(start)
            reach[i] = start + len(needles[i])
    return found
