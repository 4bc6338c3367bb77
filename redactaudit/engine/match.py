"""One rule against one text: candidate spans with their category, style and reasons.

In: a Rule, a text (and its UTF-8 bytes and gated regions when the caller has them), the cue tables.
Out: Candidates. A rule's regex proposes a span (its `value` group, or the whole match);
validators and the context window (counted in characters, never words: Chinese has no spaces)
accept or drop it; placeholders get the category of what they hide from the cues around them.
"""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

import regex

from ..model import Kind, Reason
from ..vocabulary import MASK_CLASSES
from .gate import Region
from .re2 import Re2Pattern, resolved
from .rules import Inference, Rule
from .tables import column_matches

DEFAULT_TIMEOUT = 10.0  # seconds all rules together may spend on one document (scan passes its own)

_CHAR_STYLE = {c: style for style, chars in MASK_CLASSES.items() for c in chars}
# An English quantity: "* appeals were lodged".
_EN_COUNT = regex.compile(r"\s+[a-z]{3,}s\b")


class Candidate(NamedTuple):
    """One accepted match of a rule (immutable; a tuple, as thousands are made per document)."""

    rule: Rule
    start: int
    end: int
    text: str
    category: str
    confidence: float
    style: str | None
    width: int | None
    why: tuple[Reason, ...]


def mask_style(value: str) -> tuple[str | None, int]:
    """Dominant mask style of a value and how many mask characters it has."""
    counts: dict[str, int] = {}
    for ch in value:
        style = _CHAR_STYLE.get(ch)
        if style:
            counts[style] = counts.get(style, 0) + 1
    if not counts:
        return None, 0
    style = max(counts, key=lambda s: (counts[s], s))
    return style, sum(counts.values())


_LABEL_TOKENS = regex.compile(r"[\s_\-\d]+")


def label_category(value: str, infer: Inference) -> str | None:
    """[PHONE_NUMBER] -> phone (first English word that is a cue), [邮箱已隐去] -> email."""
    inner = value.strip("[]【】〔〕<>《》{} ")
    latin = infer.latin_labels
    for token in _LABEL_TOKENS.split(inner.lower()):
        if token in latin:
            return latin[token]
    for cue, category in infer.labels:
        if not cue.isascii() and cue in inner:
            return category
    return None


def infer_category(text: str, start: int, end: int, infer: Inference, value: str = ""
                   ) -> tuple[str, Reason | None]:
    """(category, the cue it came from) for a mask at text[start:end]; ('unknown', None) when
    nothing tells.

    A label's own word decides first ([姓名]); then the text right after the mask (units, titles,
    place suffixes), then the text right before it (role words, 手机, 身份证号)."""
    if value and infer.labels:
        category = label_category(value, infer)
        if category:
            return category, Reason("category-cue", detail="label")
    after = text[end:end + infer.window + 4].lstrip(" \t\u3000")
    for size, cues in infer.after_table:
        category = cues.get(after[:size])
        if category:
            return category, Reason("category-cue", after[:size], "after")
    # A cue before the mask stands in its table cell: the header of a column above (电话) or the
    # cell before says nothing about it. (A line break is crossed: Sincerely,\n████.)
    before = text[max(0, start - infer.window - 4):start].rstrip(" \u3000:：,，")
    if before.endswith("\t") or (before.endswith(("\n", "\r")) and "\t" in before):
        before = ""
    before = before.rstrip(" \t\u3000:：,，\r\n").lower()
    for size, cues in infer.before_table:
        if len(before) >= size:
            category = cues.get(before[-size:])
            if category:
                return category, Reason("category-cue", before[-size:], "before")
    if _EN_COUNT.match(text, end, end + 40):  # bounded: an open end makes the engine read to the end
        return "number", Reason("category-cue", detail="plural")
    return "unknown", None


def _window(text: str, start: int, end: int, width: int) -> tuple[str, str]:
    return text[max(0, start - width):start].lower(), text[end:end + width].lower()


def _has(cues: tuple[str, ...], *hay: str) -> str | None:
    for cue in cues:
        low = cue.lower()
        if any(low in h for h in hay):
            return cue
    return None


def context_verdict(rule: Rule, text: str, start: int, end: int) -> tuple[bool, float, tuple[str, ...]]:
    """Whether the context window accepts a match, the confidence, and the cues that decided."""
    if not rule.has_context:
        return True, rule.confidence, ()
    c = rule.context
    before, after = _window(text, start, end, c.window)
    if _has(c.suppress, before, after) or _has(c.suppress_before, before) or _has(c.suppress_after, after):
        return False, 0.0, ()
    why: list[Reason] = []
    for cues, hay in ((c.require, (before, after)), (c.require_before, (before,)), (c.require_after, (after,))):
        if cues:
            cue = _has(cues, *hay)
            if cue is None:
                return False, 0.0, ()
            why.append(Reason("cue", cue))
    confidence = rule.confidence
    boost = _has(c.boost, before, after)
    if boost:
        confidence = min(1.0, confidence + 0.1)
        why.append(Reason("cue", boost))
    return True, confidence, tuple(why)


OVERRUN = 256  # characters a match that starts in a region may run past its end
NEAR_END = 8  # a match that ends this close to a region's end may have been cut there


def _unclipped(pattern: Any, text: str, data: bytes, region: Region, found: Iterator, timeout: float | None
               ) -> Iterator:
    """The matches of a search that stopped at a region's end, with one that ends near that end
    matched again from its start over up to OVERRUN more characters: a value that starts in the
    region may run past it (a card number after the sentence's last 32 characters). Matches the
    longer one covers are dropped. One that more text does not give again at its start was made by
    the region's end alone (`$` true inside a word: Information Go|vernance) and is dropped too.
    Only matches near the end are searched again: linear."""
    covered = -1
    reach = min(len(text), region.end + OVERRUN)
    for m in found:
        start, end = m.span()
        if start < covered:
            continue
        if end >= region.end - NEAR_END:
            if isinstance(pattern, Re2Pattern):
                byte_start = region.byte_start + len(text[region.start:start].encode("utf-8", "surrogatepass"))
                byte_reach = region.byte_end + len(text[region.end:reach].encode("utf-8", "surrogatepass"))
                again = pattern.finditer(text, start, reach, data=data, byte_pos=byte_start, byte_endpos=byte_reach)
            else:
                again = pattern.finditer(text, start, reach, timeout=timeout)
            longer = next(iter(again), None)
            if longer is None or longer.span()[0] != start:
                continue
            if longer.span()[1] != end:  # what the text gives there, whether longer or shorter
                m, covered = longer, max(covered, longer.span()[1])
        yield m


def _beside_a_word(rule: Rule, text: str, start: int, end: int) -> bool:
    """Whether a word of the rule's reject.after_word lists stands right before a match, or one of
    its reject.before_word lists right after it."""
    before_sizes, after_sizes = rule.beside_sizes
    return (any(text[end:end + n] in rule.beside_after for n in after_sizes)
            or any(text[max(0, start - n):start] in rule.beside_before for n in before_sizes))


def match_rule(rule: Rule, text: str, infer: Inference, *, timeout: float | None = DEFAULT_TIMEOUT,
               region: Region | None = None, data: bytes = b"", progress: list[int] | None = None
               ) -> Iterator[Candidate]:
    """Every accepted match of one rule in `text`, or in one region of it (`data` is the text's
    UTF-8; raises TimeoutError past `timeout`). A match that ends near the end of a region that is
    not the end of the text is matched again over more text (`_unclipped`); one that still runs to
    the end of what was read is left to the next region.
    `progress[0]` follows the end of the last match, accepted or not (where the engine would
    search next)."""
    pattern = resolved(rule.pattern)
    if rule.column:
        found, limit = column_matches(pattern, rule.column, text), -1
    elif region is None:
        found = pattern.finditer(text, timeout=timeout)
        limit = -1
    else:
        limit = region.end if region.end < len(text) else -1
        if isinstance(pattern, Re2Pattern):
            found = pattern.finditer(text, region.start, region.end, data=data,
                                     byte_pos=region.byte_start, byte_endpos=region.byte_end)
        else:
            found = pattern.finditer(text, region.start, region.end, timeout=timeout)
        if limit >= 0:
            found, limit = _unclipped(pattern, text, data, region, found, timeout), min(len(text), limit + OVERRUN)
            limit = limit if limit < len(text) else -1
    has_value, rejects, checks = rule.value_group, rule.reject_groups, rule.checks
    if checks:
        found = validated(rule, pattern, text, found, len(text) if region is None else min(len(text), region.end + OVERRUN),
                          limit, timeout, progress)
    for m in found:
        match_end = m.span()[1]
        if match_end == limit:
            continue
        if progress is not None:
            progress[0] = match_end
        if any(m.span(g)[0] >= 0 for g in rejects):
            continue  # what follows makes it something else (毕节 + 市 is matched by another rule)
        start, end = m.span("value") if has_value else m.span()
        if start < 0 or end <= start:
            continue
        value = text[start:end]
        if rule.reject_words and (value in rule.reject_words or (
                rule.reject_prefix and text[start:start + rule.reject_prefix] in rule.reject_words)):
            continue
        if rule.reject_straddle and (text[max(0, start - 1):start + 1] in rule.reject_straddle
                                     or text[end - 1:end + 1] in rule.reject_straddle):
            continue
        if (rule.beside_before or rule.beside_after) and _beside_a_word(rule, text, start, end):
            continue
        ok, confidence, why = context_verdict(rule, text, start, end)
        if not ok:
            continue
        why = rule.why + why if why else rule.why
        if rule.column:
            why += (Reason("column", m.header),)
        category, style, width = rule.category, rule.style, None
        if rule.kind is Kind.PLACEHOLDER:
            derived, width = mask_style(value)
            style = style or derived or "label"
            if style == "label":
                width = len(value)
            if category == "infer":
                category, cue = infer_category(text, start, end, infer, value if style == "label" else "")
                if cue:
                    why += (cue,)
        yield Candidate(rule, start, end, value, category, confidence, style, width, why)


MAX_CUTS = 4  # shorter values a validated rule tries for each match its validators reject


def validated(rule: Rule, pattern: Any, text: str, found: Iterator, stop: int, limit: int, timeout: float | None,
              progress: list[int] | None) -> Iterator:
    """The matches of a validated rule whose value passes its validators (and those that run
    into `limit`, left as they are for match_rule to skip). A rejected match falls back to the
    longest shorter one from the same start that passes (`shorter_match`: the pattern swallowed
    a token, 4012 8888 8888 1881 2024); the text after that shorter value is then searched
    again, so a value the longer match had eaten is still found."""
    has_value, checks = rule.value_group, rule.checks
    while True:
        restart = -1
        for m in found:
            start, end = m.span("value") if has_value else m.span()
            if m.span()[1] == limit or start < 0 or end <= start or all(c(text[start:end]) for c in checks):
                yield m
                continue
            if progress is not None:
                progress[0] = m.span()[1]
            shorter = shorter_match(rule, pattern, text, m, start, end, timeout)
            if shorter is not None:
                yield shorter
                restart = shorter.span()[1]
                break
        else:
            return
        found = pattern.finditer(text, restart, stop, timeout=timeout)


def shorter_match(rule: Rule, pattern: Any, text: str, m: Any, start: int, end: int, timeout: float | None) -> Any:
    """A match of `rule` from m's start whose value ends at an earlier token boundary (a letter
    or digit, then white space) inside m's value and passes the validators; None if none of the
    MAX_CUTS longest does. Each try is one anchored match over a short stretch: linear. A hyphen
    or a dot is no boundary: 4012-8888-8888-1881-2024 and 192.168.1.1.1 are one longer number."""
    if isinstance(pattern, Re2Pattern):
        return None
    has_value, rejects, checks = rule.value_group, rule.reject_groups, rule.checks
    tries = 0
    for cut in range(end - 1, start, -1):
        if not text[cut].isspace() or not text[cut - 1].isalnum():
            continue
        tries += 1
        if tries > MAX_CUTS:
            break
        # The stretch ends one past the cut, so a closing lookahead sees the character that
        # really follows: a hyphen that continues a number still refuses the shorter value.
        n = pattern.match(text, m.span()[0], cut + 1, timeout=timeout)
        if n is None or any(n.span(g)[0] >= 0 for g in rejects):
            continue
        if (n.span("value") if has_value else n.span()) == (start, cut) and all(c(text[start:cut]) for c in checks):
            return n
    return None
