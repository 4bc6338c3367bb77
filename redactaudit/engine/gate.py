"""Where in a document each rule is worth running: one RE2 pass over the text finds the sentences
that hold a rule's gate, and the rule then runs on those sentences only.

In: the rules of a ruleset (once), then one document text at a time. Out: Regions, each a stretch of
the text (whole sentences, with a margin) and the rules whose gates occur in it.

A rule's gate is an RE2 pattern that matches inside every match of the rule, or inside the few
characters of context its lookarounds read (a title word for a name before a title, a mask
character for a mask). It is written in the pack (`gate:`) or derived from the rule's own
pattern (`locator`). All gates form one alternation, searched from the start of the text: each hit
marks the sentences it touches and the search goes on after them, so a document costs one DFA pass
plus a call per marked sentence. An RE2 set over the gates then says which rules to run in each
marked stretch. The contract a rule keeps: a match starts in a sentence that holds its gate (or on
the delimiter just before it) and its lookaheads read at most MARGIN characters past that
sentence's end. Sentences end at line breaks and at 。！？；!?;.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import regex

from .re2 import re2_searcher

MARGIN = 32  # characters after a sentence that a rule's match or lookahead may still read
_DELIMS = ("\n", ";", "?", "!", "。", "！", "？", "；")
_NEXT = regex.compile(b"|".join(regex.escape(d.encode()) for d in _DELIMS))
_PREVIOUS = regex.compile(b"(?r)" + b"|".join(regex.escape(d.encode()) for d in _DELIMS))

_LOOKAROUND = ("(?<=", "(?<!", "(?=", "(?!")
# regex's classes are Unicode; RE2's \d \s \w are ASCII. Same sets, spelled for RE2.
_OUTSIDE = {r"\d": r"\p{Nd}", r"\D": r"\P{Nd}", r"\s": r"[\t-\r\x{85}\p{Z}]", r"\S": r"[^\t-\r\x{85}\p{Z}]",
            r"\w": r"[\p{L}\p{M}\p{Nd}\p{Pc}]", r"\W": r"[^\p{L}\p{M}\p{Nd}\p{Pc}]", r"\b": "", r"\B": "",
            r"\A": "^", r"\Z": "$", r"\z": "$"}
_INSIDE = {r"\d": r"\p{Nd}", r"\D": r"\P{Nd}", r"\s": r"\t-\r\x{85}\p{Z}", r"\w": r"\p{L}\p{M}\p{Nd}\p{Pc}"}


_COUNTED = regex.compile(r"(?<!\\x)\{(\d+)(?:,(\d*))?\}")


def relax(gate: str) -> str:
    """The gate with counted repeats made open (x{2,3} -> x+, x{0,4} -> x*): it matches wherever
    the gate does, and RE2's automaton has far fewer states to build (5x less time on cold text,
    measured), since nothing is counted."""
    return _COUNTED.sub(lambda m: "*" if m.group(1) == "0" else "+", gate)


def loosen(gate: str) -> str:
    """The gate with counted repeats above two read as 'two or more' (x{15} -> x{2,}, x{0,4} ->
    x*): it matches wherever the gate does, and the alternation of all gates, which reads every
    byte of every document, warms up its automaton in half the time (counting to 15 in every
    branch makes many states), while it still passes over the single digits a relaxed gate stops
    at (measured on the generated benchmark: the same hits). Braces in a class or escaped are
    left as they are."""
    out, i, n = [], 0, len(gate)
    while i < n:
        c = gate[i]
        if c == "\\":
            j = i + 2
            if gate.startswith(("\\x{", "\\p{", "\\P{"), i):
                j = gate.index("}", i) + 1
            out.append(gate[i:j])
            i = j
            continue
        if c == "[":
            j = _class_end(gate, i)
            out.append(gate[i:j])
            i = j
            continue
        m = _REPEAT.match(gate, i) if c == "{" else None
        if m:
            low, high = int(m.group(1)), m.group(2)
            bounded = high is None or (high != "" and int(high) <= 2)
            out.append(m.group(0) if low <= 2 and bounded else "{%d,}" % min(low, 2))
            i = m.end()
            continue
        out.append(c)
        i += 1
    return "".join(out)


_REPEAT = regex.compile(r"\{(\d+)(?:,(\d*))?\}")


class NotForRe2(ValueError):
    """A pattern construct with no RE2 equivalent: the rule runs on every document."""


def _class_end(p: str, i: int) -> int:
    """Index just past the character class that opens at p[i] == '['."""
    j = i + 1
    if p.startswith("^", j):
        j += 1
    if p.startswith("]", j):
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1


def _group_end(p: str, i: int) -> int:
    """Index just past the group that opens at p[i] == '('."""
    depth, j = 0, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(p, j)
            continue
        depth += c == "("
        if c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise NotForRe2("unbalanced parentheses")


def _class(body: str) -> str:
    out, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            tok = body[i:i + 2]
            if tok in (r"\S", r"\W", r"\b", r"\B"):
                raise NotForRe2(f"{tok} inside a character class")
            if tok == r"\u":
                out.append(r"\x{" + body[i + 2:i + 6] + "}")
                i += 6
                continue
            out.append(_INSIDE.get(tok, tok))
            i += 2
            continue
        out.append(body[i])
        i += 1
    return "".join(out)


def locator(pattern: str, *, consume: bool = True) -> str:
    """An RE2 pattern that matches wherever `pattern` (regex syntax) does, over a span that covers
    the match and the context its lookarounds read: a lookbehind that opens a top-level branch and
    a lookahead that closes one are matched as plain text, every other lookaround is dropped."""
    out: list[str] = []
    i, n, depth = 0, len(pattern), 0
    branch_start = True
    consumed_behind = False
    while i < n:
        c = pattern[i]
        if pattern.startswith(_LOOKAROUND, i):
            j = _group_end(pattern, i)
            behind = pattern.startswith("(?<", i)
            positive = pattern[i + (3 if behind else 2)] == "="
            body = pattern[i + (4 if behind else 3):j - 1]
            k = j  # past the run of lookarounds this one starts or continues
            while pattern.startswith(_LOOKAROUND, k):
                k = _group_end(pattern, k)
            at_end = k >= n or pattern[k] == "|"
            if consume and positive and depth == 0 and (
                    (behind and branch_start and not consumed_behind) or (not behind and at_end)):
                out.append("(?:" + locator(body, consume=False) + ")")
                consumed_behind = consumed_behind or behind
            i = j
            continue
        if c == "\\":
            tok = pattern[i:i + 2]
            if tok == r"\u":
                out.append(r"\x{" + pattern[i + 2:i + 6] + "}")
                i += 6
            elif tok in (r"\p", r"\P", r"\x") and pattern.startswith("{", i + 2):
                # \p{Ll}+ in one piece: its brace is no counted repeat (}+ would read as possessive)
                j = pattern.index("}", i) + 1
                out.append(pattern[i:j])
                i = j
            else:
                out.append(_OUTSIDE.get(tok, tok))
                i += 2
            branch_start = False
            continue
        if c == "[":
            j = _class_end(pattern, i)
            out.append("[" + _class(pattern[i + 1:j - 1]) + "]")
            i = j
            branch_start = False
            continue
        if c == "(":
            depth += 1
            named = regex.match(r"\(\?P?<(\w+)>", pattern[i:])
            if named:
                out.append("(?:")
                i += named.end()
                continue
            if pattern.startswith("(?>", i):  # atomic group: a plain one matches at least as much
                out.append("(?:")
                i += 3
                continue
        elif c == ")":
            depth -= 1
        elif c in "*+?}" and pattern.startswith("+", i + 1):  # possessive: plain greedy
            out.append(c)
            i += 2
            continue
        out.append(c)
        if c == "|" and depth == 0:
            branch_start, consumed_behind = True, False
        elif c not in "(":
            branch_start = False
        i += 1
    return "".join(out)


class Region(NamedTuple):
    """A stretch of a document to run some rules on, in characters and in UTF-8 bytes (immutable;
    a tuple, as one is made per marked sentence)."""

    start: int
    end: int
    byte_start: int
    byte_end: int
    rules: frozenset[int]


def whole(text: str, data: bytes, rules: frozenset[int]) -> Region:
    """The whole text as one region (rules whose gate RE2 cannot read)."""
    return Region(0, len(text), 0, len(data), rules)


# Gates are split among this many RE2 sets: a set's automaton follows all its patterns at once, so
# the states it builds on new text grow faster than its patterns; smaller sets warm up for less
# (measured: see the README's Measured table).
SET_GROUPS = 4


class Gate:
    """All rules' gates as one RE2 alternation (to find marked sentences) and one RE2 set (to say
    which rules a marked stretch needs). Rules whose gate RE2 cannot read run everywhere."""

    def __init__(self, gates: list[str | None], groups: int = SET_GROUPS):
        import re2

        options = re2.Options()
        options.max_mem = 256 << 20
        options.log_errors = False  # a gate RE2 cannot read falls back quietly (see below)
        sets = [re2.Set.SearchSet(options) for _ in range(groups)]
        indexes: list[dict[int, int]] = [{} for _ in range(groups)]
        sizes = [0] * groups
        parts: list[str] = []
        always: set[int] = set()
        exact: dict[int, Any] = {}
        # Rules with the same gate share its entry (a pattern more in the automata costs every byte
        # of every document): the first one's position stands for all of them.
        first: dict[str, int] = {}
        self._same: dict[int, tuple[int, ...]] = {}
        for pos, gate in enumerate(gates):
            if gate is None:
                always.add(pos)
                continue
            if gate in first:
                self._same[first[gate]] = self._same.get(first[gate], (first[gate],)) + (pos,)
                continue
            first[gate] = pos
            relaxed = relax(gate)
            if any(int(n) > 1000 for m in _COUNTED.finditer(gate) for n in m.groups() if n):
                always.add(pos)  # a count RE2 cannot read (its limit is 1000)
                continue
            group = sizes.index(min(sizes))  # the smallest set so far takes the next gate
            try:
                indexes[group][sets[group].Add(relaxed.encode())] = pos  # the set's parser reads the gate
            except Exception:  # noqa: BLE001 - RE2 cannot read it: the rule runs everywhere
                always.add(pos)
                continue
            sizes[group] += len(relaxed)
            if relaxed != gate:
                exact[pos] = gate
            parts.append(f"(?:{loosen(gate)})")
        self._sets = []
        for one, index in zip(sets, indexes):
            if index:
                one.Compile()
                # The binding's own Match (a list of indexes, empty for none), past the wrapper's
                # type test: it is called for every marked stretch of every document.
                low = getattr(one, "_set", None)
                self._sets.append((getattr(low, "Match", None) or one.Match, index))
        self._union = re2.compile("|".join(parts).encode(), options) if parts else None
        self._search = re2_searcher(self._union) if parts else None
        self._exact = exact  # rule position -> its own gate, where the set holds it relaxed
        self._confirm: dict[int, Any] = {}  # ... and its search, compiled the first time it is needed
        self._options = options
        self.always = frozenset(always.union(*(self._same.get(pos, ()) for pos in always)))

    def rules_in(self, data: bytes, start: int = 0, end: int | None = None) -> frozenset[int]:
        """The rules whose gate matches somewhere in data[start:end] (UTF-8); not the always-run
        ones. The set answers for the relaxed gates; a rule whose gate was relaxed is then
        confirmed with its own gate (one small automaton each: a digit run is not yet an ID)."""
        chunk = data[start:end]
        exact, same = self._exact, self._same
        found = set()
        for match, index in self._sets:
            for i in match(chunk) or ():
                pos = index[i]
                if pos not in exact or self._confirmed(pos, chunk):
                    found.update(same.get(pos, (pos,)))
        return frozenset(found)

    def _confirmed(self, pos: int, chunk: bytes) -> bool:
        search = self._confirm.get(pos)
        if search is None:
            import re2

            try:
                search = re2_searcher(re2.compile(self._exact[pos].encode(), self._options))
            except Exception:  # noqa: BLE001 - RE2 reads only the relaxed form (a count over 1000):
                search = lambda data, pos, endpos: True  # noqa: E731 - the rule runs wherever that matches
            self._confirm[pos] = search
        return search(chunk, 0, len(chunk)) is not None

    def regions(self, text: str, data: bytes) -> list[Region]:
        """Marked stretches of `text` (whose UTF-8 is `data`) in order, with their rules."""
        out: list[Region] = []
        if self._union is None:
            return out
        n = len(data)
        ascii_only = n == len(text)
        pos = 0
        base_b = base_c = 0  # a byte offset and its character offset, to convert from
        search = self._search
        while pos < n:
            spans = search(data, pos, n)
            if spans is None:
                break
            s, e = spans[0]
            # From the delimiter before the hit: a match may start on it (。张三同志).
            before = _PREVIOUS.search(data, max(0, pos - 3), s)
            a = before.start() if before else pos
            after = _NEXT.search(data, e - 1 if e > s else s)
            b = after.end() if after else n
            if ascii_only:
                a_c, b_c = a, b
            else:
                if a < base_b:  # the delimiter that ended the last region
                    base_b, base_c = a, base_c - len(data[a:base_b].decode("utf-8", "surrogatepass"))
                a_c = base_c + len(data[base_b:a].decode("utf-8", "surrogatepass"))
                b_c = a_c + len(data[a:b].decode("utf-8", "surrogatepass"))
                base_b, base_c = b, b_c
            end_c = min(len(text), b_c + MARGIN)
            end_b = b + (end_c - b_c if ascii_only else len(text[b_c:end_c].encode("utf-8", "surrogatepass")))
            out.append(Region(a_c, end_c, a, end_b, self.rules_in(data, a, end_b)))
            pos = b
        return out


def make_gate(gates: list[str | None]) -> Gate | None:
    """The gate, or None (every rule then runs on whole documents: slower, same findings) when
    google-re2 is missing or cannot build the alternation (too large for its memory budget)."""
    try:
        return Gate(gates)
    except ImportError:
        return None
    except Exception:  # noqa: BLE001 - re2's own error type; the gate is only a shortcut
        return None
