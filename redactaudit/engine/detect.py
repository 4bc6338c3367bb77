"""Rules x one document -> findings (placeholders and leaks).

In: a Document and a Ruleset. Out: Findings with exact spans, sorted, overlaps resolved, values
found once propagated to their other occurrences (match.py runs one rule). Rules match on a view
(normalize.py): full-width and other digits, traditional characters and Chinese-numeral digit runs
folded, invisible format characters dropped, hard-wrap breaks removed, so a value written to slip
past a rule, or cut by a line break, is found, and spans map back to the original characters.
"""

from __future__ import annotations

import bisect
import itertools
import time
from typing import Iterator

import regex

from ..documents import View
from ..identity import DEFAULT_KEY, fingerprint
from .normalize import matching_view
from ..model import Document, FileError, Finding, Kind, Reason
from ..vocabulary import DIRECT, MASK_CHARS, PROPAGATED
from .gate import Gate, Region, whole
from .rules import Inference, Rule, Ruleset

from .match import DEFAULT_TIMEOUT, Candidate, match_rule
from .needles import occurrences

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


_MASK_OR_SPACE = MASK_CHARS + " \t\r\n\u3000"


def without_mask_words(cands: list[Candidate]) -> list[Candidate]:
    """A leak is a value in clear: a value made of mask characters only (某某, XX, 〇〇, read as a
    name where emphasis around it unmade the mask) hides all of it and is never one, nor a value
    to look for elsewhere (propagate)."""
    return [c for c in cands if c.rule.kind is not Kind.LEAK or c.text.strip(_MASK_OR_SPACE)]


def resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates: higher priority, then longer, then earlier.
    Candidates that overlap nothing outside their own cluster (a run of spans each overlapping
    the reach of those before it) are settled cluster by cluster: the same choice as one ranking
    of them all, in time linear in their number for clusters of bounded size."""
    by_start = sorted(cands, key=lambda c: (c.start, c.end))
    kept: list[Candidate] = []
    cluster: list[Candidate] = []
    reach = -1
    for c in by_start:
        if cluster and c.start >= reach:
            kept += _best_of(cluster)
            cluster = []
        cluster.append(c)
        reach = c.end if len(cluster) == 1 else max(reach, c.end)
    if cluster:
        kept += _best_of(cluster)
    return sorted(kept, key=lambda c: (c.start, c.end, c.rule.id))


def _best_of(cands: list[Candidate]) -> list[Candidate]:
    """The greedy choice within one cluster: best ranked first, each kept if it overlaps no kept one."""
    if len(cands) == 1:
        return cands
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
    return kept


def _spans(gate: Gate, text: str, data: bytes) -> dict[int, list[Region]]:
    """Rule position -> the regions of `text` to run it on (see gate.py); a rule absent from it
    cannot match in this text. A rule's regions that overlap (its gate in consecutive sentences)
    are one region: the same matches as one search over them, in one call."""
    by_rule: dict[int, list[Region]] = {}
    for region in gate.regions(text, data):
        for pos in region.rules:
            spans = by_rule.get(pos)
            if spans is None:
                by_rule[pos] = [region]
            elif region.start <= spans[-1].end:  # overlaps the last: one stretch, one search
                last = spans[-1]
                spans[-1] = Region(last.start, region.end, last.byte_start, region.byte_end, last.rules)
            else:
                spans.append(region)
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
            region = region._replace(start=cursor[0], byte_start=region.byte_start + skipped)
        if deadline is not None:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise TimeoutError
        yield from match_rule(rule, text, infer, timeout=timeout, region=region, data=data, progress=cursor)


def candidates(document: Document, ruleset: Ruleset, *, timeout: float | None = DEFAULT_TIMEOUT,
               errors: list[FileError] | None = None, gated: bool = True,
               views: list[View | None] | None = None) -> list[Candidate]:
    """All accepted candidates in source offsets, before overlap resolution. With `gated`, each
    rule runs only where the ruleset's gate says it can match (the result is the same). The view
    the rules matched on is appended to `views`, when given.
    `timeout` is the budget of all rules together on this document: when it runs out, the rule
    running and those after it are not run, and an error says so."""
    deadline = time.monotonic() + timeout if timeout is not None else None
    text = document.text
    view: View | None = matching_view(text, ruleset.fold)
    scan_text = view.text if view else text
    if views is not None:
        views.append(view)
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




def to_finding(c: Candidate, document: Document, key: bytes, masked: str | None = None,
               fingerprints: dict | None = None) -> Finding:
    """The finding of a candidate. Places, organisations and figures (rules with a
    severity_if_unmasked) follow the document's own choices: a document that masks persons,
    places or figures anywhere (`masked` names them) has decided those details identify people,
    so a value left in clear keeps the rule's severity; in a document that masks none of them it
    is only information. `fingerprints` ((rule, value) -> fingerprint, for one document) makes
    each distinct value's fingerprint once."""
    lines = document.lines
    line, column = lines.position(c.start)
    end_line, end_column = lines.end_position(c.end)
    rule, severity, why = c.rule, c.rule.severity, c.why
    if rule.severity_if_unmasked is not None and rule.kind is Kind.LEAK:
        if masked:
            why += (Reason("masked-elsewhere", masked),)
        else:
            severity = rule.severity_if_unmasked
            why += (_NOTHING_MASKED,)
    if fingerprints is None:
        fp = fingerprint(rule.id, document.path, c.text, key)
    else:
        fp = fingerprints.get((rule.id, c.text))
        if fp is None:
            fp = fingerprints[rule.id, c.text] = fingerprint(rule.id, document.path, c.text, key)
    return Finding(
        rule=rule.id, kind=rule.kind, category=c.category, severity=severity,
        path=document.path, start=c.start, end=c.end, line=line, column=column,
        end_line=end_line, end_column=end_column, text=c.text, message=rule.message,
        fingerprint=fp, confidence=round(c.confidence, 3), style=c.style, width=c.width, why=why,
    )


_NOTHING_MASKED = Reason("nothing-masked")


# An English full name: its last word is the surname that later mentions use (Whitfield's account),
# its first the given name that letters and judgments use (Kofi's account, I saw Gwendolyn today).
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;]\s{1,2}|\n\s{0,2})$")
_EN_FULL_NAME = regex.compile(
    r"(?P<first>[A-Z][a-z]+)(?:\s+[A-Z]\.)?\s+(?P<surname>[A-Z][a-z]{2,}(?:[-'’][A-Z][a-z]+)?)")
# Given names that are also words written with a capital (months, days, a few others): alone,
# they are no mention of the person (June Carter ... in June 2023).
_WORD_NAMES = frozenset(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Will Bill Mark Grace Hope Faith Joy Rose Frank Art Guy Pat Sue "
    "Don Rob Jack Chase Dawn Summer Autumn Iris Ruby Pearl Amber Crystal Page Rich Ray Penny Sandy Victor "
    "Major Earl Duke King Prince Royal Christian Lord The".split())


def propagate(cands: list[Candidate], text: str, view: View | None = None) -> list[Candidate]:
    """A name found once through a cue is a name everywhere in the document: every other
    occurrence of the same value (原告李明辉 ... 李明辉称) becomes a candidate too, and so does an
    English full name's surname or given name standing alone as a word (Dana Whitfield ...
    Whitfield's, Dana's), but not a given name that is also a word (June, Will).
    With the `view` the rules matched on (normalize.py), values are looked for as the rules read
    them (陈明辉 finds 陳明輝 too), and found spans map back to the text.
    All values are looked for in one pass over the text (needles.occurrences)."""
    taken = sorted((c.start, c.end) for c in cands)
    searches: list[tuple[Candidate, str, bool]] = []
    seen: set[str] = set()
    original = text
    if view is not None:
        text, removed = view.text, view.removed
    for c in cands:
        if c.rule.kind is not Kind.LEAK or c.category not in PROPAGATED or not c.rule.repeat:
            continue
        value = c.text
        if view is not None:  # the value as the rules read it: its span in the view
            value = text[c.start - bisect.bisect_left(removed, c.start):c.end - bisect.bisect_left(removed, c.end)]
        if value in seen or len(value) < 2 or "\n" in value or "\r" in value or value in c.rule.repeat_unless:
            continue
        seen.add(value)
        searches.append((c, value, False))
        full = _EN_FULL_NAME.fullmatch(value) if c.category == "person" else None
        if not full:
            continue
        for part in (full["surname"], None if full["first"] in _WORD_NAMES else full["first"]):
            if part and part not in seen and len(part) >= 3:
                seen.add(part)
                searches.append((c, part, True))
    if not searches:
        return cands
    extra: list[Candidate] = []
    for (c, needle, whole_word), starts in zip(searches, occurrences([s[1] for s in searches], text)):
        for pos in starts:
            end = pos + len(needle)
            start, stop = view.span_to_source(pos, end) if view is not None else (pos, end)
            i = bisect.bisect_left(taken, (start, -1))
            if (i < len(taken) and taken[i][0] < stop) or (i > 0 and taken[i - 1][1] > start):
                continue
            if whole_word and (  # a word; starting a sentence only as a possessive (Young people …)
                    text[pos - 1:pos].isalpha() or text[end:end + 1].isalpha()
                    or (_SENTENCE_START.search(text, max(0, pos - 3), pos) and text[end:end + 2] not in ("'s", "’s"))):
                continue
            extra.append(Candidate(c.rule, start, stop, original[start:stop], c.category, c.confidence * 0.95,
                                   c.style, c.width, c.why + (Reason("repeated"),)))
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
    views: list[View | None] = []
    found = without_mask_words(without_markup(candidates(document, ruleset, timeout=timeout, errors=errors,
                                                         views=views)))
    resolved = resolve_overlaps(propagate(found, document.text, views[0] if views else None))
    kept = categories_from_lists(resolved, document.text)
    masked = ", ".join(sorted({c.category for c in kept
                               if c.rule.kind is Kind.PLACEHOLDER and c.category not in DIRECT}))
    fingerprints: dict[tuple[str, str], str] = {}
    return [to_finding(c, document, key, masked, fingerprints) for c in kept]
