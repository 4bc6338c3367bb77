"""Masks that leak what they hide, within one document: one named function per check.

In: a document and its findings (placeholders and leaks). Out: findings of kind `inconsistency`
(each pointing at the spans involved through `related`), leaks escalated to error where the
document masks their category, and a per-document summary. Nothing here detects values.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from operator import attrgetter

import regex

from ..identity import DEFAULT_KEY
from ..model import Document, Finding, Kind, Reason, Severity
from ..vocabulary import CATEGORIES, CONTEXTUAL, MASK_CHARS, NAME_LIKE, WIDTH_STYLES
from .common import MASKY, MAX_RELATED, inconsistency, location

_FILLER = regex.compile(r"[\p{Han}A-Za-z0-9·]{1,8}")
_HAN = regex.compile(r"\p{Han}")
_SHORT_VALUE = regex.compile(r"\p{Han}{2,4}|\d{1,6}")


def mask_length(findings: list[Finding], key: bytes) -> list[Finding]:
    """consistency.mask-length: masks of one category and one style in different widths (**同志 and
    ***同志, **人 and ***人): the width gives away the hidden value's length. A name is a name
    whatever word follows its mask, so all masks of people (places, organisations) are compared;
    a figure's masks only before the same word (*起 and **次 can be two habits, **人 and ***人 not)."""
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.kind is Kind.PLACEHOLDER and f.style in WIDTH_STYLES and f.category in CONTEXTUAL:
            cue = "" if f.category in NAME_LIKE else f.cue
            if cue or f.category in NAME_LIKE:
                groups[(f.category, f.style or "", cue)].append(f)
    by_category: dict[str, list[tuple[str, list[Finding]]]] = defaultdict(list)
    for (category, _style, cue), masks in sorted(groups.items()):
        if len({m.width for m in masks}) > 1:
            by_category[category].append((cue, masks))
    out = []
    for category, varying in sorted(by_category.items()):
        masks = sorted((m for _, ms in varying for m in ms), key=lambda m: m.start)
        shown = "; ".join(" ".join(sorted({m.text for m in ms}, key=lambda t: (len(t), t))) + (f" before {cue}" if cue else "")
                          for cue, ms in varying)
        out.append(inconsistency(
            "consistency.mask-length", masks[0], category, Severity.WARNING,
            f"遮蔽宽度不一，泄露了被遮内容的长度 / masks of {category} vary in width ({shown}): "
            "the width gives away the hidden length",
            tuple(location(m, f"width {m.width}") for m in masks),
            (Reason("mask-widths", str(sorted({m.width for m in masks})), count=len(masks)),), key))
    return out


def mask_style(findings: list[Finding], key: bytes) -> list[Finding]:
    """consistency.mask-style: one category masked in several styles (XX, **, ×, 某)."""
    styles: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.kind is Kind.PLACEHOLDER and f.category in CONTEXTUAL and f.style and f.style != "partial":
            styles[f.category][f.style].append(f)
    out = []
    for category, by_style in sorted(styles.items()):
        if len(by_style) < 2:
            continue
        masks = sorted((m for ms in by_style.values() for m in ms), key=lambda m: m.start)
        names = ", ".join(f"{style} ({len(ms)})" for style, ms in sorted(by_style.items()))
        out.append(inconsistency(
            "consistency.mask-style", masks[0], category, Severity.WARNING,
            f"同一类别混用多种遮蔽方式 / {category} is masked in several styles: {names}",
            tuple(location(m, m.style or "") for m in masks), (Reason("styles", names),), key))
    return out


def mask_case(findings: list[Finding], key: bytes) -> list[Finding]:
    """consistency.mask-style: X masks in both cases (xx here, XX there), whatever each hides: two
    hands or two passes masked the document, so what one of them left in clear is worth a look."""
    lower = [f for f in findings if f.kind is Kind.PLACEHOLDER and f.style == "x-run" and f.text.islower()]
    upper = [f for f in findings if f.kind is Kind.PLACEHOLDER and f.style == "x-run" and f.text.isupper()]
    if not (lower and upper):
        return []
    masks = sorted(lower + upper, key=lambda m: m.start)
    first = masks[0]
    shown = f"{lower[0].text} ({len(lower)}), {upper[0].text} ({len(upper)})"
    return [inconsistency(
        "consistency.mask-style", first, first.category, Severity.WARNING,
        f"遮蔽字母大小写不一 / the X masks are written in two cases: {shown}",
        tuple(location(m, "lower case" if m.text.islower() else "upper case") for m in masks[:MAX_RELATED]),
        (Reason("letter-case", shown),), key)]


def partial_mask(findings: list[Finding], key: bytes) -> list[Finding]:
    """consistency.partial-mask: a structured mask that keeps more than the usual part
    (a phone keeping more than 3+4 digits, an ID more than 6+4, a card more than 6+4)."""
    keep_max = {c.name: c.partial_keep for c in CATEGORIES.values() if c.partial_keep is not None}
    out = []
    for f in findings:
        if f.kind is not Kind.PLACEHOLDER or f.style != "partial" or f.category not in keep_max:
            continue
        kept = sum(ch.isdigit() for ch in f.text)
        if kept > keep_max[f.category]:
            out.append(inconsistency(
                "consistency.partial-mask", f, f.category, Severity.WARNING,
                f"部分遮蔽保留了过多字符 / this {f.category} mask keeps {kept} digits in clear "
                f"(at most {keep_max[f.category]} is usual)",
                (location(f),), (Reason("digits-kept", count=kept),), key))
    return out


_MASK_SET = frozenset(MASK_CHARS)


# Plain Python on six characters: a regex call costs more than the scan it does here.
def _han_count(s: str) -> int:
    return sum(1 for c in s if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")


def _has_mask(s: str) -> bool:
    return not _MASK_SET.isdisjoint(s)


def _slot_fills(text: str, masks: list[Finding], width: int = 6) -> dict[tuple[int, int], Finding]:
    """Spans that sit where a mask sits, elsewhere in the text: the same words before it and the
    word right after (建设现代化**的 ... 建设现代化田阳的), or the same words after it. Masks that
    share their context are looked up once (a long text repeats its phrases: per mask, it would
    be quadratic). Returns span -> the mask whose slot it fills."""
    by_left: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    by_right: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for mask in masks:
        left = text[max(0, mask.start - width):mask.start]
        nxt = text[mask.end:mask.end + 1]
        if nxt and _han_count(left) >= 4 and not _has_mask(left):
            by_left[(left, nxt)].append(mask)
        right = text[mask.end:mask.end + width]
        prev = text[mask.start - 1:mask.start] if mask.start else ""
        if prev and _han_count(right) >= 4 and not _has_mask(right):
            by_right[(right, prev)].append(mask)
    found: dict[tuple[int, int], Finding] = {}
    for (left, nxt), group in by_left.items():
        own = {m.start for m in group}
        pos = text.find(left)
        while pos >= 0:
            s = pos + len(left)
            if s not in own:
                m = _FILLER.match(text, s)
                if m:
                    end = text.find(nxt, s, m.end() + 1)
                    if end > s and not MASKY.search(text, s, end):
                        found.setdefault((s, end), group[0])
            pos = text.find(left, pos + 1)
    for (right, prev), group in by_right.items():
        own = {m.end for m in group}
        pos = text.find(right)
        while pos >= 0:
            if pos not in own:
                s = text.rfind(prev, max(0, pos - 9), pos)
                if s >= 0 and pos - s - 1 >= 1 and _FILLER.fullmatch(text, s + 1, pos) and \
                        not MASKY.search(text, s + 1, pos):
                    found.setdefault((s + 1, pos), group[0])
            pos = text.find(right, pos + 1)
    return found


def revealed_elsewhere(document: Document, findings: list[Finding], key: bytes
                       ) -> tuple[list[Finding], list[Finding]]:
    """consistency.revealed-elsewhere: the document masks a category, yet a value of it is in
    clear. The strongest case is a value sitting in a mask's own slot (the same words around it);
    then a leak of a masked category (the county in the body when the title says XX县), escalated
    to error. Returns (findings with leaks escalated, new inconsistency findings)."""
    text = document.text
    masks = [f for f in findings if f.kind is Kind.PLACEHOLDER and f.category in CONTEXTUAL | {"unknown"}]
    masked_categories = {f.category for f in masks}
    leaks = sorted((f for f in findings if f.kind is Kind.LEAK), key=lambda f: f.start)
    leak_starts = [f.start for f in leaks]
    by_category: dict[str, list[Finding]] = defaultdict(list)
    for m in masks:
        by_category[m.category].append(m)
    new: list[Finding] = []
    slotted = _slot_fills(text, [m for m in masks if m.style not in ("label", "partial")])
    covered = []
    index = document.lines
    for (s, e), mask in sorted(slotted.items()):
        # A slot fill is a leak unless it is ordinary text that happens to sit there.
        value = text[s:e]
        i = bisect.bisect_left(leak_starts, e)  # leaks starting before the fill ends; values are short
        overlapping = [f for f in leaks[max(0, i - 8):i] if f.start < e and s < f.end]
        if not overlapping and not _SHORT_VALUE.fullmatch(value):
            continue
        line, col = index.position(s)
        end_line, end_col = index.end_position(e)
        category = overlapping[0].category if overlapping else mask.category
        new.append(inconsistency(
            "consistency.revealed-elsewhere", mask, category, Severity.ERROR,
            f"被遮蔽的位置在别处以明文出现 / the words around a mask ({mask.text}) appear elsewhere "
            f"with the value in clear",
            (location(mask, "the mask"),), (Reason("slot"),), key, 0.85,
            (s, e, value, line, col, end_line, end_col)))
        covered.append((s, e))
    covered.sort()
    covered_starts = [c[0] for c in covered]
    escalated = []
    # What every leak of one masked category shares (frozen, so made once per category): its
    # reason, the message, and the locations of the category's first masks.
    shared: dict[str, tuple[Reason, str, tuple]] = {}
    for f in findings:
        if f.kind is Kind.LEAK and f.category in masked_categories and f.category in CONTEXTUAL:
            reason, message, near = shared.get(f.category) or shared.setdefault(f.category, _shared(
                f.category, by_category[f.category]))
            f = _escalate(f, f.why + (reason,), f.related + near[:3])
            i = bisect.bisect_left(covered_starts, f.end)
            if not any(s < f.end and f.start < e for s, e in covered[max(0, i - 8):i]):
                new.append(inconsistency(
                    "consistency.revealed-elsewhere", f, f.category, Severity.ERROR, message, near,
                    (reason,), key, 0.7))
        escalated.append(f)
    return escalated, new


def _shared(category: str, same: list[Finding]) -> tuple[Reason, str, tuple]:
    return (Reason("masked-elsewhere", category, count=len(same)),
            f"本类已遮蔽，此处仍为明文 / the document masks {category} ({len(same)} masks) "
            f"but leaves this one in clear",
            tuple(location(m, "a mask of the same category") for m in same[:MAX_RELATED]))


def _escalate(f: Finding, why: tuple[Reason, ...], related: tuple) -> Finding:
    """The leak `f` at error, with `why` and `related`: dataclasses.replace's result, made
    directly (it runs for every leak of a masked category)."""
    return Finding(f.rule, f.kind, f.category, Severity.ERROR, f.path, f.start, f.end, f.line, f.column,
                   f.end_line, f.end_column, f.text, f.message, f.fingerprint, f.confidence, f.style,
                   f.width, why, related)


_SORT_KEY = attrgetter("path", "start", "end", "rule")  # Finding.sort_key, read in C


# The checks that reason about a document's masks alone, each registered once here (its id and
# description are in vocabulary.CHECKS); revealed_elsewhere also escalates leaks, so it runs first.
MASK_CHECKS = (partial_mask, mask_case, mask_style, mask_length)


def check_document(document: Document, findings: list[Finding], key: bytes = DEFAULT_KEY
                   ) -> tuple[list[Finding], dict]:
    """All single-document checks: findings (leaks escalated, inconsistencies added) and a summary."""
    findings, extra = revealed_elsewhere(document, findings, key)
    for check in MASK_CHECKS:
        extra = check(findings, key) + extra
    # Two checks of one rule may anchor at one mask (a style mix and a case mix): one finding
    # there, the first made, so every finding keeps a fingerprint of its own.
    seen: set[tuple[str, int, int]] = set()
    extra = [f for f in extra if (f.rule, f.start, f.end) not in seen and not seen.add((f.rule, f.start, f.end))]
    all_findings = sorted(findings + extra, key=_SORT_KEY)
    return all_findings, summary(all_findings)


def summary(findings: list[Finding]) -> dict:
    masks: dict[str, Counter] = defaultdict(Counter)
    leaks: Counter = Counter()
    for f in findings:
        if f.kind is Kind.PLACEHOLDER:
            masks[f.category][f.style or "?"] += 1
        elif f.kind is Kind.LEAK:
            leaks[f.category] += 1
    failed = sorted({f.rule for f in findings if f.kind is Kind.INCONSISTENCY})
    return {"masks": {c: dict(sorted(s.items())) for c, s in sorted(masks.items())},
            "leaks": dict(sorted(leaks.items())), "failed_checks": failed}
