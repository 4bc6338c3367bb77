"""Rules x one document -> findings (placeholders and leaks).

In: a Document and a Ruleset. Out: Findings with exact spans, sorted, overlaps resolved.
A rule's regex proposes a span (its `value` group, or the whole match); validators and the
context window (counted in characters, never words: Chinese has no spaces) accept or drop it;
placeholders get the category of what they hide from the cues around them. Rules match on a view
(normalize.py): full-width and other digits, traditional characters and Chinese-numeral digit runs
folded, invisible format characters dropped, hard-wrap breaks removed, so a value written to slip
past a rule, or cut by a line break, is found, and spans map back to the original characters.
"""

from __future__ import annotations

import bisect
import itertools
import time
from dataclasses import dataclass, replace
from typing import Any, Iterator

import regex

from ..documents import View
from ..identity import DEFAULT_KEY, fingerprint
from .normalize import matching_view
from ..model import Document, FileError, Finding, Kind, Reason
from ..vocabulary import DIRECT, MASK_CLASSES, PROPAGATED
from .gate import Gate, Region, whole
from .packs import Inference, Re2Pattern, Rule, Ruleset, make_gate

DEFAULT_TIMEOUT = 10.0  # seconds all rules together may spend on one document (scan passes its own)

_CHAR_STYLE = {c: style for style, chars in MASK_CLASSES.items() for c in chars}
# An English quantity: "* complaints were filed".
_EN_COUNT = regex.compile(r"\s+[a-z]{3,}s\b")


@dataclass(frozen=True, slots=True)
class Candidate:
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
    before = text[max(0, start - infer.window - 4):start].rstrip(" \t\u3000:：,，\r\n").lower()
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


def _unclipped(rule: Rule, text: str, data: bytes, region: Region, found: Iterator, timeout: float | None
               ) -> Iterator:
    """The matches of a search that stopped at a region's end, with one that ends near that end
    matched again from its start over up to OVERRUN more characters: a value that starts in the
    region may run past it (a card number after the sentence's last 32 characters). Matches the
    longer one covers are dropped. Only matches near the end are searched again: linear."""
    covered = -1
    reach = min(len(text), region.end + OVERRUN)
    for m in found:
        start, end = m.span()
        if start < covered:
            continue
        if end >= region.end - NEAR_END:
            if isinstance(rule.pattern, Re2Pattern):
                byte_start = region.byte_start + len(text[region.start:start].encode("utf-8", "surrogatepass"))
                byte_reach = region.byte_end + len(text[region.end:reach].encode("utf-8", "surrogatepass"))
                again = rule.pattern.finditer(text, start, reach, data=data, byte_pos=byte_start, byte_endpos=byte_reach)
            else:
                again = rule.pattern.finditer(text, start, reach, timeout=timeout)
            longer = next(iter(again), None)
            if longer is not None and longer.span()[0] == start and longer.span()[1] > end:
                m, covered = longer, longer.span()[1]
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
    if region is None:
        found = rule.pattern.finditer(text, timeout=timeout)
        limit = -1
    else:
        limit = region.end if region.end < len(text) else -1
        if isinstance(rule.pattern, Re2Pattern):
            found = rule.pattern.finditer(text, region.start, region.end, data=data,
                                          byte_pos=region.byte_start, byte_endpos=region.byte_end)
        else:
            found = rule.pattern.finditer(text, region.start, region.end, timeout=timeout)
        if limit >= 0:
            found, limit = _unclipped(rule, text, data, region, found, timeout), min(len(text), limit + OVERRUN)
            limit = limit if limit < len(text) else -1
    has_value, rejects, checks = rule.value_group, rule.reject_groups, rule.checks
    if checks:
        found = validated(rule, text, found, len(text) if region is None else min(len(text), region.end + OVERRUN),
                          limit, timeout, progress)
    for m in found:
        match_end = m.span()[1]
        if match_end == limit:
            continue
        if progress is not None:
            progress[0] = match_end
        if any(m.span(g)[0] >= 0 for g in rejects):
            continue  # what follows makes it something else (昭通 + 市 is matched by another rule)
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


def validated(rule: Rule, text: str, found: Iterator, stop: int, limit: int, timeout: float | None,
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
            shorter = shorter_match(rule, text, m, start, end, timeout)
            if shorter is not None:
                yield shorter
                restart = shorter.span()[1]
                break
        else:
            return
        found = rule.pattern.finditer(text, restart, stop, timeout=timeout)


def shorter_match(rule: Rule, text: str, m: Any, start: int, end: int, timeout: float | None) -> Any:
    """A match of `rule` from m's start whose value ends at an earlier token boundary (a letter
    or digit, then white space) inside m's value and passes the validators; None if none of the
    MAX_CUTS longest does. Each try is one anchored match over a short stretch: linear. A hyphen
    or a dot is no boundary: 4012-8888-8888-1881-2024 and 192.168.1.1.1 are one longer number."""
    if isinstance(rule.pattern, Re2Pattern):
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
        n = rule.pattern.match(text, m.span()[0], cut + 1, timeout=timeout)
        if n is None or any(n.span(g)[0] >= 0 for g in rejects):
            continue
        if (n.span("value") if has_value else n.span()) == (start, cut) and all(c(text[start:cut]) for c in checks):
            return n
    return None


def without_markup(cands: list[Candidate]) -> list[Candidate]:
    """Masks that markup overlaps (emphasis, a censor's X) are no masks; markup itself is never
    reported, and never hides a leak."""
    marks = sorted((c.start, c.end) for c in cands if c.rule.kind is Kind.MARKUP)
    if not marks:
        return cands
    starts = [m[0] for m in marks]
    reach = list(itertools.accumulate((m[1] for m in marks), max))  # furthest end among marks so far

    def marked(c: Candidate) -> bool:
        i = bisect.bisect_left(starts, c.end)  # marks that start before the candidate ends
        return i > 0 and reach[i - 1] > c.start

    return [c for c in cands if c.rule.kind is not Kind.MARKUP
            and not (c.rule.kind is Kind.PLACEHOLDER and marked(c))]


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates: higher priority, then longer, then earlier."""
    ranked = sorted(cands, key=lambda c: (-c.rule.priority, -(c.end - c.start), c.start, c.rule.id))
    starts: list[int] = []  # kept spans never overlap, so sorted starts give sorted ends
    ends: list[int] = []
    kept = []
    for c in ranked:
        i = bisect.bisect_left(starts, c.start)
        if (i < len(starts) and starts[i] < c.end) or (i > 0 and ends[i - 1] > c.start):
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end, c.rule.id))


def _spans(gate: Gate, text: str, data: bytes) -> dict[int, list[Region]]:
    """Rule position -> the regions of `text` to run it on (see gate.py); a rule absent from it
    cannot match in this text."""
    by_rule: dict[int, list[Region]] = {}
    for region in gate.regions(text, data):
        for pos in region.rules:
            by_rule.setdefault(pos, []).append(region)
    if gate.always:
        everything = [whole(text, data, gate.always)]
        for pos in gate.always:
            by_rule[pos] = everything
    return by_rule


def _run(rule: Rule, text: str, data: bytes, regions: list[Region] | None, infer: Inference,
         timeout: float | None, deadline: float | None = None) -> Iterator[Candidate]:
    """A rule's candidates over its regions in order, each match once (regions may overlap by
    their margins: the next region starts where the last match ended, as one finditer would).
    With a `deadline` (time.monotonic()), each region gets only the time left before it."""
    if regions is None:
        yield from match_rule(rule, text, infer, timeout=timeout)
        return
    cursor = [0]
    for region in regions:
        if cursor[0] >= region.end:
            continue
        if cursor[0] > region.start:
            skipped = len(text[region.start:cursor[0]].encode("utf-8", "surrogatepass"))
            region = replace(region, start=cursor[0], byte_start=region.byte_start + skipped)
        if deadline is not None:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise TimeoutError
        yield from match_rule(rule, text, infer, timeout=timeout, region=region, data=data, progress=cursor)


def candidates(document: Document, ruleset: Ruleset, *, timeout: float | None = DEFAULT_TIMEOUT,
               errors: list[FileError] | None = None, gated: bool = True) -> list[Candidate]:
    """All accepted candidates in source offsets, before overlap resolution. With `gated`, each
    rule runs only where the ruleset's gate says it can match (the result is the same).
    `timeout` is the budget of all rules together on this document: when it runs out, the rule
    running and those after it are not run, and an error says so."""
    deadline = time.monotonic() + timeout if timeout is not None else None
    text = document.text
    view: View | None = matching_view(text, ruleset.fold)
    scan_text = view.text if view else text
    data = scan_text.encode("utf-8", "surrogatepass")
    by_rule = _spans(ruleset.gate, scan_text, data) if gated and ruleset.gate is not None else None
    out: list[Candidate] = []
    masked: set[str] | None = None
    for pos in ruleset.order:
        rule = ruleset.rules[pos]
        regions = by_rule.get(pos) if by_rule is not None else None
        if by_rule is not None and regions is None:
            continue
        # `requires` is a cheap test for rules that run on whole documents; a gated rule has
        # already been sent only where it can match.
        ungated = by_rule is None or pos in ruleset.gate.always
        if ungated and rule.requires and not any(lit in scan_text for lit in rule.requires):
            continue
        if rule.when_masked:
            if masked is None:
                masked = {c.category for c in out if c.rule.kind is Kind.PLACEHOLDER}
            if masked.isdisjoint(rule.when_masked):
                continue
        left = deadline - time.monotonic() if deadline is not None else None
        try:
            if left is not None and left <= 0:
                raise TimeoutError
            for c in _run(rule, scan_text, data, regions, ruleset.infer, left, deadline):
                if view:
                    s, e = view.span_to_source(c.start, c.end)
                    joined = "\n" in text[s:e] or "\r" in text[s:e]
                    c = Candidate(c.rule, s, e, text[s:e], c.category, c.confidence, c.style, c.width,
                                  c.why + (Reason("joined"),) if joined else c.why)
                out.append(c)
        except TimeoutError:
            if errors is not None:
                errors.append(FileError(document.path, f"the time budget of {timeout:g} s per document ran out "
                                                       f"in rule {rule.id}; it and the rules after it were not run"))
            break
    return out




def to_finding(c: Candidate, document: Document, key: bytes, masked: str | None = None) -> Finding:
    """The finding of a candidate. Places, organisations and figures (rules with a
    severity_if_unmasked) follow the document's own choices: a document that masks persons,
    places or figures anywhere (`masked` names them) has decided those details identify people,
    so a value left in clear keeps the rule's severity; in a document that masks none of them it
    is only information."""
    line, column = document.lines.position(c.start)
    end_line, end_column = document.lines.position(c.end)
    rule, severity, why = c.rule, c.rule.severity, c.why
    if rule.severity_if_unmasked is not None and rule.kind is Kind.LEAK:
        if masked:
            why += (Reason("masked-elsewhere", masked),)
        else:
            severity = rule.severity_if_unmasked
            why += (Reason("nothing-masked"),)
    return Finding(
        rule=rule.id, kind=rule.kind, category=c.category, severity=severity,
        path=document.path, start=c.start, end=c.end, line=line, column=column,
        end_line=end_line, end_column=end_column, text=c.text, message=rule.message,
        fingerprint=fingerprint(rule.id, document.path, c.text, key), confidence=round(c.confidence, 3), style=c.style, width=c.width, why=why,
    )




# An English full name: its last word is the surname that later mentions use (Whitfield's account).
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;]\s{1,2}|\n\s{0,2})$")
_EN_FULL_NAME = regex.compile(r"[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+(?P<surname>[A-Z][a-z]{2,}(?:[-'’][A-Z][a-z]+)?)")


def propagate(cands: list[Candidate], text: str) -> list[Candidate]:
    """A name found once through a cue is a name everywhere in the document: every other
    occurrence of the same value (原告李明辉 ... 李明辉称) becomes a candidate too, and so does an
    English full name's surname standing alone as a word (Dana Whitfield ... Whitfield's)."""
    taken = sorted((c.start, c.end) for c in cands)
    extra: list[Candidate] = []
    seen: set[str] = set()
    for c in cands:
        if c.rule.kind is not Kind.LEAK or c.category not in PROPAGATED or c.text in seen:
            continue
        value = c.text
        if len(value) < 2 or "\n" in value or "\r" in value:
            continue
        seen.add(value)
        searches = [(value, False)]
        full = _EN_FULL_NAME.fullmatch(value) if c.category == "person" else None
        if full and full["surname"] not in seen:
            seen.add(full["surname"])
            searches.append((full["surname"], True))
        for needle, whole_word in searches:
            pos = text.find(needle)
            while pos >= 0:
                end = pos + len(needle)
                i = bisect.bisect_left(taken, (pos, -1))
                clear = not ((i < len(taken) and taken[i][0] < end) or (i > 0 and taken[i - 1][1] > pos))
                if clear and whole_word:  # a word; starting a sentence only as a possessive (Young people …)
                    clear = not (text[pos - 1:pos].isalpha() or text[end:end + 1].isalpha()
                                 or (_SENTENCE_START.search(text, max(0, pos - 3), pos)
                                     and text[end:end + 2] not in ("'s", "’s")))
                if clear:
                    extra.append(Candidate(c.rule, pos, end, needle, c.category, c.confidence * 0.95, c.style,
                                           c.width, c.why + (Reason("repeated"),)))
                pos = text.find(needle, end)
    return cands + extra


_LIST_SEP = "、，,；;和与及"


def categories_from_lists(cands: list[Candidate], text: str) -> list[Candidate]:
    """A mask of unknown category in a list gets its neighbours' category: in 张国庆、**、刘洋 the
    mask hides a name. Neighbours are the candidates right across one separator."""
    by_end = {c.end: c for c in cands}
    by_start = {c.start: c for c in cands}
    out = []
    for c in cands:
        if c.rule.kind is Kind.PLACEHOLDER and c.category == "unknown":
            near = []
            if c.start >= 1 and text[c.start - 1] in _LIST_SEP:
                near.append(by_end.get(c.start - 1))
            if text[c.end:c.end + 1] and text[c.end] in _LIST_SEP:
                near.append(by_start.get(c.end + 1))
            known = {n.category for n in near if n is not None and n.category != "unknown"}
            if len(known) == 1:
                category = known.pop()
                c = Candidate(c.rule, c.start, c.end, c.text, category, c.confidence, c.style, c.width,
                              c.why + (Reason("listed", category),))
        out.append(c)
    return out


def detect(document: Document, ruleset: Ruleset, key: bytes = DEFAULT_KEY, *, timeout: float | None = DEFAULT_TIMEOUT,
           errors: list[FileError] | None = None) -> list[Finding]:
    """The findings of one document: candidates of every rule, markup and overlaps resolved,
    values propagated; each finding with its fingerprint under `key`."""
    resolved = resolve_overlaps(propagate(without_markup(
        candidates(document, ruleset, timeout=timeout, errors=errors)), document.text))
    kept = categories_from_lists(resolved, document.text)
    masked = ", ".join(sorted({c.category for c in kept
                               if c.rule.kind is Kind.PLACEHOLDER and c.category not in DIRECT}))
    return [to_finding(c, document, key, masked) for c in kept]


def example_hits(rule: Rule, text: str, infer: Inference) -> list[Candidate]:
    """What one rule finds in an example text, as the scanner would (used by `packs check`)."""
    return list(match_rule(rule, text, infer, timeout=DEFAULT_TIMEOUT))


def gated_hits(rule: Rule, pos: int, gate: Gate, text: str, infer: Inference) -> list[Candidate]:
    """What one rule finds in a text when it runs only where the gate sends it."""
    data = text.encode("utf-8", "surrogatepass")
    return list(_run(rule, text, data, _spans(gate, text, data).get(pos, []), infer, DEFAULT_TIMEOUT))


def check_examples(rules: tuple[Rule, ...], infer: Inference) -> list[str]:
    """Problems with rules' examples, each naming `file:rule-id`; empty when all agree."""
    problems = []
    gate = make_gate(rules)
    for pos, rule in enumerate(rules):
        for ex in rule.matches:
            hits = example_hits(rule, ex.text, infer)
            if not hits:
                problems.append(f"{rule.source}:{rule.id}: match example finds nothing: {ex.text!r}")
                continue
            if ex.value is not None and ex.value not in [h.text for h in hits]:
                problems.append(f"{rule.source}:{rule.id}: match example {ex.text!r} finds "
                                f"{[h.text for h in hits]}, expected {ex.value!r}")
            if ex.category is not None and ex.category not in [h.category for h in hits]:
                problems.append(f"{rule.source}:{rule.id}: match example {ex.text!r} has category "
                                f"{[h.category for h in hits]}, expected {ex.category!r}")
            if gate is not None and gated_hits(rule, pos, gate, ex.text, infer) != hits:
                problems.append(f"{rule.source}:{rule.id}: the gate does not find match example {ex.text!r} "
                                "(a gate must match inside every match of its rule, or the context it reads)")
        for ex in rule.nomatches:
            hits = example_hits(rule, ex.text, infer)
            if ex.value is not None:
                hits = [h for h in hits if h.text == ex.value]
            if hits:
                problems.append(f"{rule.source}:{rule.id}: nomatch example matches "
                                f"{[h.text for h in hits]}: {ex.text!r}")
    for ex in infer.examples:
        mask = regex.search(r"[*＊XxＸ×某○〇□■█]+|\[[^\]]+\]", ex.text)
        got = infer_category(ex.text, mask.start(), mask.end(), infer, mask.group()) if mask else ("unknown", "")
        if ex.category is not None and got[0] != ex.category:
            problems.append(f"infer example {ex.text!r}: category {got[0]!r}, expected {ex.category!r}")
    return problems
