"""The RE2 adapter: patterns compiled with google-re2 (a DFA, linear in the text whatever the
pattern) run on a document's UTF-8 bytes and answer in character offsets like the regex engine.
When google-re2 is not installed, `compile_pattern` falls back to the regex engine.

In: a pattern and flags. Out: a compiled pattern with `finditer`; raw scanning helpers for the gate.
"""

from __future__ import annotations

import sys
from typing import Any

import regex


def re2_searcher(compiled: Any) -> Any:
    """search(data, pos, endpos) -> the span list (byte offsets, one per group) of the first match
    in data[pos:endpos], or None; through the binding's own Match call when it has one, since the
    Python wrapper's generator and match object cost more than matching a short stretch."""
    low = getattr(compiled, "_regexp", None)
    anchor = getattr(getattr(sys.modules.get("re2"), "_Anchor", None), "UNANCHORED", None)
    if low is None or anchor is None:
        def search(data: bytes, pos: int, endpos: int) -> Any:
            m = compiled.search(data, pos, endpos)
            return None if m is None else [m.span(i) for i in range(compiled.groups + 1)]
        return search
    match = low.Match

    def search(data: bytes, pos: int, endpos: int) -> Any:
        spans = match(anchor, data, pos, endpos)
        return None if spans[0][0] < 0 else spans
    return search


def re2_scan(compiled: Any, data: bytes, pos: int, endpos: int) -> Any:
    """Span lists of successive matches in data[pos:endpos], as RE2's finditer gives them."""
    search = re2_searcher(compiled)
    while pos <= endpos:
        spans = search(data, pos, endpos)
        if spans is None:
            return
        yield spans
        s, e = spans[0]
        pos = e if e > s else e + 1



class _Re2Match:
    __slots__ = ("_spans",)

    def __init__(self, spans: dict[int | str, tuple[int, int]]):
        self._spans = spans

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._spans[group]


class Re2Pattern:
    """A rule compiled with RE2 (google-re2): a DFA, linear in the text whatever the pattern, and
    20-30x faster than a backtracking engine on large word lists (the gazetteer). No lookaround.
    It runs on the UTF-8 bytes of a text (the scanner encodes a document once) and answers in
    character offsets, like the regex engine."""

    def __init__(self, pattern: str, flags: int):
        import re2

        options = re2.Options()
        options.case_sensitive = not flags & regex.IGNORECASE
        options.dot_nl = bool(flags & regex.DOTALL)
        options.max_mem = 64 << 20
        options.log_errors = False  # a bad pattern is reported once, as a pack error, not on stderr too
        self._p = re2.compile(pattern.encode("utf-8"), options)
        self.pattern = pattern
        self.flags = flags
        self.groupindex = {k.decode(): v for k, v in self._p.groupindex.items()}
        self._groups = [(0, 0)] + list(self.groupindex.items())

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None, timeout: float | None = None,
                 *, data: bytes | None = None, byte_pos: int = 0, byte_endpos: int | None = None) -> Any:
        """Matches in text[pos:endpos]; `data` is the text's UTF-8 and byte_pos/byte_endpos the
        same bounds in bytes, when the caller has them (else they are worked out here)."""
        endpos = len(text) if endpos is None else endpos
        if data is None:
            data = text.encode("utf-8", "surrogatepass")
            byte_pos = len(text[:pos].encode("utf-8", "surrogatepass"))
            byte_endpos = byte_pos + len(text[pos:endpos].encode("utf-8", "surrogatepass"))
        ascii_only = len(data) == len(text)
        base_b, base_c = byte_pos, pos
        for found in re2_scan(self._p, data, byte_pos, len(data) if byte_endpos is None else byte_endpos):
            start = found[0][0]
            if not ascii_only:
                base_c += len(data[base_b:start].decode("utf-8", "surrogatepass"))
                base_b = start
            spans: dict[int | str, tuple[int, int]] = {}
            for key, group in self._groups:
                s, e = found[group]
                if s < 0 or ascii_only:
                    spans[key] = (s, e)
                else:
                    cs = base_c + len(data[start:s].decode("utf-8", "surrogatepass"))
                    spans[key] = (cs, cs + len(data[s:e].decode("utf-8", "surrogatepass")))
            yield _Re2Match(spans)


class LazyPattern:
    """A rule's pattern compiled the first time a document needs it (a rule loaded from the cache
    of checked packs: most rules never run on a small file, and compiling them all is most of the
    start-up). `groupindex` is known without compiling."""

    __slots__ = ("pattern", "flags", "engine", "groupindex", "gate", "_compiled")

    def __init__(self, pattern: str, flags: int, engine: str, groupindex: dict[str, int], gate: str | None):
        self.pattern, self.flags, self.engine, self.groupindex = pattern, flags, engine, groupindex
        self.gate = gate  # the rule's RE2 gate (rules.rule_gate), worked out when the cache was made
        self._compiled: Any = None

    def compiled(self) -> Any:
        if self._compiled is None:
            self._compiled = compile_pattern(self.pattern, self.flags, self.engine)
        return self._compiled

    def finditer(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().finditer(*args, **kwargs)

    def match(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().match(*args, **kwargs)

    def search(self, *args: Any, **kwargs: Any) -> Any:
        return self.compiled().search(*args, **kwargs)


def resolved(pattern: Any) -> Any:
    """The compiled pattern behind a rule's pattern (a LazyPattern is compiled now)."""
    return pattern.compiled() if type(pattern) is LazyPattern else pattern


def compile_pattern(pattern: str, flags: int, engine: str) -> Any:
    if engine == "re2":
        try:
            return Re2Pattern(pattern, flags)
        except ImportError:
            pass  # google-re2 missing on this platform: the regex engine reads the same pattern
    return regex.compile(pattern, flags)
