"""Masks that leak what they hide: one named function per check.

In: a document's text and its findings (placeholders and leaks), or several documents for the
cross-document check. Out: findings of kind `inconsistency` (each pointing at the spans involved
through `related`), leaks escalated to error where the document masks their category, and a per
document summary. Nothing here detects values; it reasons about what detect found.
"""

from __future__ import annotations

import bisect
import difflib
import re
from array import array
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

import regex

from ..engine.detect import MASK_CLASSES
from ..documents import LineIndex
from ..model import Document, Finding, Kind, Location, Severity
from ..reporting.common import partial_shape

# What a reader can count on: structured masks (138****5678) follow a format, labels ([NAME]) have
# a fixed width by design, and an 'unknown' mask has no category to compare with.
_WIDTH_STYLES = frozenset("asterisk x-run times mou circle square block".split())
_CONTEXTUAL = frozenset("person place org number money percent date address".split())
_MASK_CHARS = "".join(MASK_CLASSES.values())
# Findings of these checks point at a value in clear (not at a mask): redact edits them.
VALUE_RULES = ("consistency.revealed-elsewhere", "consistency.cross-document")
_MASKY = regex.compile(f"[{regex.escape(_MASK_CHARS)}]")
_FILLER = regex.compile(r"[\p{Han}A-Za-z0-9·]{1,8}")
_HAN = regex.compile(r"\p{Han}")
_SHORT_VALUE = regex.compile(r"\p{Han}{2,4}|\d{1,6}")
MAX_RELATED = 8


def _location(f: Finding, note: str = "") -> Location:
    return Location(f.path, f.start, f.end, f.line, f.column, note)


def _inconsistency(rule: str, at: Finding, category: str, severity: Severity, message: str,
                   related: tuple[Location, ...], why: tuple[str, ...], confidence: float = 0.9,
                   span: tuple[int, int, str, int, int, int, int] | None = None) -> Finding:
    start, end, text, line, column, end_line, end_column = span or (
        at.start, at.end, at.text, at.line, at.column, at.end_line, at.end_column)
    return Finding(rule=rule, kind=Kind.INCONSISTENCY, category=category, severity=severity, path=at.path,
                   start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column,
                   text=text, message=message, confidence=confidence, why=why, related=related[:MAX_RELATED])


def mask_cue(text: str, f: Finding) -> str:
    """The word a mask's category came from (同志 in **同志), or '' when none did."""
    for item in f.why:
        if item.startswith("category from '"):
            return item.split("'")[1]
    return ""


_NAMES = frozenset("person place org address".split())


def mask_length(findings: list[Finding], text: str) -> list[Finding]:
    """consistency.mask-length: masks of one category and one style in different widths (**同志 and
    ***同志, **人 and ***人): the width gives away the hidden value's length. A name is a name
    whatever word follows its mask, so all masks of people (places, organisations) are compared;
    a figure's masks only before the same word (*起 and **次 can be two habits, **人 and ***人 not)."""
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.kind is Kind.PLACEHOLDER and f.style in _WIDTH_STYLES and f.category in _CONTEXTUAL:
            cue = "" if f.category in _NAMES else mask_cue(text, f)
            if cue or f.category in _NAMES:
                groups[(f.category, f.style or "", cue)].append(f)
    by_category: dict[str, list[tuple[str, list[Finding]]]] = defaultdict(list)
    for (category, _style, cue), masks in sorted(groups.items()):
        if len({m.width for m in masks}) > 1:
            by_category[category].append((cue, masks))
    out = []
    for category, varying in sorted(by_category.items()):
        masks = sorted((m for _, ms in varying for m in ms), key=lambda m: m.start)
        shown = "; ".join(" ".join(sorted({m.text for m in ms}, key=len)) + (f" before {cue}" if cue else "")
                          for cue, ms in varying)
        out.append(_inconsistency(
            "consistency.mask-length", masks[0], category, Severity.WARNING,
            f"遮蔽宽度不一，泄露了被遮内容的长度 / masks of {category} vary in width ({shown}): "
            "the width gives away the hidden length",
            tuple(_location(m, f"width {m.width}") for m in masks),
            (f"{len(masks)} masks, widths {sorted({m.width for m in masks})}",)))
    return out


def mask_style(findings: list[Finding]) -> list[Finding]:
    """consistency.mask-style: one category masked in several styles (XX, **, ×, 某)."""
    styles: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for f in findings:
        if f.kind is Kind.PLACEHOLDER and f.category in _CONTEXTUAL and f.style and f.style != "partial":
            styles[f.category][f.style].append(f)
    out = []
    for category, by_style in sorted(styles.items()):
        if len(by_style) < 2:
            continue
        masks = sorted((m for ms in by_style.values() for m in ms), key=lambda m: m.start)
        names = ", ".join(f"{style} ({len(ms)})" for style, ms in sorted(by_style.items()))
        out.append(_inconsistency(
            "consistency.mask-style", masks[0], category, Severity.WARNING,
            f"同一类别混用多种遮蔽方式 / {category} is masked in several styles: {names}",
            tuple(_location(m, m.style or "") for m in masks), (names,)))
    return out


def partial_mask(findings: list[Finding]) -> list[Finding]:
    """consistency.partial-mask: a structured mask that keeps more than the usual part
    (a phone keeping more than 3+4 digits, an ID more than 6+4, a card more than 6+4)."""
    keep_max = {"phone": 7, "idcard": 10, "bankcard": 10, "ssn": 4, "phone_en": 4}
    out = []
    for f in findings:
        if f.kind is not Kind.PLACEHOLDER or f.style != "partial" or f.category not in keep_max:
            continue
        kept = sum(ch.isdigit() for ch in f.text)
        if kept > keep_max[f.category]:
            out.append(_inconsistency(
                "consistency.partial-mask", f, f.category, Severity.WARNING,
                f"部分遮蔽保留了过多字符 / this {f.category} mask keeps {kept} digits in clear "
                f"(at most {keep_max[f.category]} is usual)",
                (_location(f),), (f"{kept} digits kept",)))
    return out


_MASK_SET = frozenset(_MASK_CHARS)


# Plain Python on six characters: a regex call costs more than the scan it does here.
def _han_count(s: str) -> int:
    return sum(1 for c in s if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf")


def _has_mask(s: str) -> bool:
    return any(c in _MASK_SET for c in s)


def _slot_fills(text: str, masks: list[Finding], width: int = 6) -> dict[tuple[int, int], Finding]:
    """Spans that sit where a mask sits, elsewhere in the text: the same words before it and the
    word right after (建设现代化**的 ... 建设现代化平果的), or the same words after it. Masks that
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
                    if end > s and not _MASKY.search(text, s, end):
                        found.setdefault((s, end), group[0])
            pos = text.find(left, pos + 1)
    for (right, prev), group in by_right.items():
        own = {m.end for m in group}
        pos = text.find(right)
        while pos >= 0:
            if pos not in own:
                s = text.rfind(prev, max(0, pos - 9), pos)
                if s >= 0 and pos - s - 1 >= 1 and _FILLER.fullmatch(text, s + 1, pos) and \
                        not _MASKY.search(text, s + 1, pos):
                    found.setdefault((s + 1, pos), group[0])
            pos = text.find(right, pos + 1)
    return found


def revealed_elsewhere(document: Document, findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """consistency.revealed-elsewhere: the document masks a category, yet a value of it is in
    clear. The strongest case is a value sitting in a mask's own slot (the same words around it);
    then a leak of a masked category (the county in the body when the title says XX县), escalated
    to error. Returns (findings with leaks escalated, new inconsistency findings)."""
    text = document.text
    masks = [f for f in findings if f.kind is Kind.PLACEHOLDER and f.category in _CONTEXTUAL | {"unknown"}]
    masked_categories = {f.category for f in masks}
    leaks = sorted((f for f in findings if f.kind is Kind.LEAK), key=lambda f: f.start)
    leak_starts = [f.start for f in leaks]
    by_category: dict[str, list[Finding]] = defaultdict(list)
    for m in masks:
        by_category[m.category].append(m)
    new: list[Finding] = []
    slotted = _slot_fills(text, [m for m in masks if m.style not in ("label", "partial")])
    covered = []
    index = LineIndex(text) if slotted else None  # only slot fills need new line numbers
    for (s, e), mask in sorted(slotted.items()):
        # A slot fill is a leak unless it is ordinary text that happens to sit there.
        value = text[s:e]
        i = bisect.bisect_left(leak_starts, e)  # leaks starting before the fill ends; values are short
        overlapping = [f for f in leaks[max(0, i - 8):i] if f.start < e and s < f.end]
        if not overlapping and not _SHORT_VALUE.fullmatch(value):
            continue
        line, col = index.position(s)
        end_line, end_col = index.position(e)
        category = overlapping[0].category if overlapping else mask.category
        new.append(_inconsistency(
            "consistency.revealed-elsewhere", mask, category, Severity.ERROR,
            f"被遮蔽的位置在别处以明文出现 / the words around a mask ({mask.text}) appear elsewhere "
            f"with the value in clear",
            (_location(mask, "the mask"),), ("the same words around a mask",), 0.85,
            (s, e, value, line, col, end_line, end_col)))
        covered.append((s, e))
    covered.sort()
    covered_starts = [c[0] for c in covered]
    escalated = []
    for f in findings:
        if f.kind is Kind.LEAK and f.category in masked_categories and f.category in _CONTEXTUAL:
            same = by_category[f.category]
            f = replace(f, severity=Severity.ERROR,
                        why=f.why + (f"the document masks {f.category} elsewhere ({len(same)} masks)",),
                        related=f.related + tuple(_location(m, "a mask of the same category") for m in same[:3]))
            i = bisect.bisect_left(covered_starts, f.end)
            if not any(s < f.end and f.start < e for s, e in covered[max(0, i - 8):i]):
                new.append(_inconsistency(
                    "consistency.revealed-elsewhere", f, f.category, Severity.ERROR,
                    f"本类已遮蔽，此处仍为明文 / the document masks {f.category} ({len(same)} masks) "
                    f"but leaves this one in clear",
                    tuple(_location(m, "a mask of the same category") for m in same[:MAX_RELATED]),
                    f.why[-1:], 0.7))
        escalated.append(f)
    return escalated, new


def check_document(document: Document, findings: list[Finding]) -> tuple[list[Finding], dict]:
    """All single-document checks: findings (leaks escalated, inconsistencies added) and a summary."""
    findings, revealed = revealed_elsewhere(document, findings)
    extra = mask_length(findings, document.text) + mask_style(findings) + partial_mask(findings) + revealed
    all_findings = sorted(findings + extra, key=lambda f: f.sort_key)
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


# ---------------------------------------------------------------------------------------------
# Across documents




@dataclass(frozen=True, slots=True)
class Normalized:
    """A document's text folded for comparison (NFKC, no white space or punctuation, so line wraps
    and half-width commas do not count), for each folded character its offset in the original,
    and where sentences end (to align sentence by sentence before character by character)."""

    text: str
    offsets: "array[int]"
    breaks: tuple[int, ...] = ()

    def sentences(self) -> list[str]:
        bounds = (0, *self.breaks, len(self.text))
        return [self.text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# What comparison ignores: white space and punctuation (ASCII, general, CJK and full-width forms),
# but not mask characters. Spelled as ranges for the standard `re` engine, 2.7x faster here than
# \p{P} in `regex` (measured on generated speeches, same output).
_IGNORED = "".join(chr(c) for a, b in ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E), (0xA1, 0xBF),
                                       (0x2010, 0x206F), (0x3000, 0x303F), (0xFE10, 0xFE6F), (0xFF01, 0xFF0F),
                                       (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
                   for c in range(a, b + 1) if chr(c) not in _MASK_CHARS)
_KEEP = re.compile("[^\\s" + re.escape(_IGNORED) + "]+")
_ENDS = regex.compile("[。！？；!?;．｡]")


# Characters NFKC folds into several (… -> ...): folded to one beforehand, so the whole text can be
# folded in one call and keep a one-to-one map of offsets. They are punctuation and dropped anyway.
_WIDE = ("…", "‥", "⋯", "︙")


def _fold(text: str) -> str:
    for ch in _WIDE:
        if ch in text:
            text = text.replace(ch, ".")
    return unicodedata.normalize("NFKC", text)


def folded_text(text: str) -> str:
    """The text folded for comparison, without the offset map: cheap enough to run on every
    document to find which ones have a copy. Punctuation goes first, so NFKC (slow on a whole
    speech) only runs when what is left needs it (full-width letters and digits)."""
    kept = "".join(_KEEP.findall(text))
    if not unicodedata.is_normalized("NFKC", kept):
        kept = "".join(_KEEP.findall(unicodedata.normalize("NFKC", kept)))
    return kept.lower()


def normalize(text: str) -> Normalized:
    folded = _fold(text)
    if len(folded) != len(text):
        return _normalize_slowly(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        folded = lowered
    runs = [m.span() for m in _KEEP.finditer(folded)]
    offsets = array("I")
    for a, b in runs:
        offsets.extend(range(a, b))
    # Sentence ends, as positions in the folded text: the number of kept characters before each.
    breaks = []
    starts = [a for a, _ in runs]
    kept_before = [0]
    for a, b in runs:
        kept_before.append(kept_before[-1] + b - a)
    for m in _ENDS.finditer(folded):
        k = kept_before[bisect.bisect_right(starts, m.start())]
        if k and (not breaks or breaks[-1] != k):
            breaks.append(k)
    return Normalized("".join(folded[a:b] for a, b in runs), offsets, tuple(breaks))


def _normalize_slowly(text: str) -> Normalized:
    """Run by run, for the rare text where NFKC changes a character's length (㎡ -> m2)."""
    chars, offsets, breaks = [], array("I"), []
    kept = 0
    last = 0
    nfkc = unicodedata.normalize
    for m in _KEEP.finditer(text):
        a, b = m.span()
        if kept and _ENDS.search(text, last, a) and (not breaks or breaks[-1] != kept):
            breaks.append(kept)
        pieces = [nfkc("NFKC", ch) for ch in text[a:b]]
        run = "".join(pieces).translate(_ASCII_LOWER)
        offsets.extend(a + i for i, p in enumerate(pieces) for _ in p)
        chars.append(run)
        kept += len(run)
        last = b
    return Normalized("".join(chars), offsets, tuple(breaks))


def _char_opcodes(na: Normalized, nb: Normalized) -> list[tuple[str, int, int, int, int]]:
    """Character-level differences, found sentence by sentence: SequenceMatcher over sentences
    is cheap, and only sentences that differ are compared character by character."""
    sa, sb = na.sentences(), nb.sentences()
    starts_a = [0]
    for x in sa:
        starts_a.append(starts_a[-1] + len(x))
    starts_b = [0]
    for x in sb:
        starts_b.append(starts_b[-1] + len(x))
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        if tag != "replace":
            continue
        a0, a1, b0, b1 = starts_a[i1], starts_a[i2], starts_b[j1], starts_b[j2]
        inner = difflib.SequenceMatcher(None, na.text[a0:a1], nb.text[b0:b1], autojunk=False)
        for t, x1, x2, y1, y2 in inner.get_opcodes():
            if t == "replace":
                out.append((t, a0 + x1, a0 + x2, b0 + y1, b0 + y2))
    return out


SHINGLE = 8
MAX_POSTING = 64  # a shingle in more documents than this is boilerplate, not evidence


# Shingles start where one of these characters stands: common in Chinese and English prose, so
# every text has anchors, and chosen by content alone, so two copies anchor at the same words.
_SHINGLES = re.compile(f"(?=([的是在和了要对为以于与及将把被不有这中上个国一地出会年作发市县区人e].{{{SHINGLE - 1}}}))", re.S)


def _sampled_shingles(norm: str) -> set[int]:
    """A content-defined sample of the 8-character shingles, those starting at an anchor
    character: the same shingles in every copy, about one position in twenty. (Python's string
    hash differs between runs, but only as a set key: which documents pair does not change.)"""
    return set(map(hash, _SHINGLES.findall(norm)))


def near_duplicates(normalized: list[str], *, min_shared: int = 5, min_containment: float = 0.8
                    ) -> list[tuple[int, int, float]]:
    """Pairs (i, j, containment) of documents that are copies of each other, or one of part of the
    other. Each document contributes a consistent sample of its 8-character shingles; pairs come
    from shared samples through an inverted index (never all pairs), so the work grows with the
    corpus, not with its square."""
    samples = [_sampled_shingles(n) for n in normalized]
    postings: dict[int, list[int]] = defaultdict(list)
    for doc, shingles in enumerate(samples):
        for h in shingles:
            postings[h].append(doc)
    shared: Counter = Counter()
    informative = [0] * len(samples)  # shingles rare enough to be evidence, per document
    for docs in postings.values():
        if len(docs) <= MAX_POSTING:
            for d in docs:
                informative[d] += 1
            for a in range(len(docs)):
                for b in range(a + 1, len(docs)):
                    shared[(docs[a], docs[b])] += 1
    pairs = []
    for (i, j), n in shared.items():
        if n < min_shared:
            continue
        containment = n / max(1, min(informative[i], informative[j]))
        if containment >= min_containment:
            pairs.append((i, j, round(containment, 3)))
    return sorted(pairs)


def _mask_run(segment: str) -> bool:
    return bool(segment) and sum(ch in _MASK_CHARS for ch in segment) >= max(1, len(segment) // 2)


def align_pair(a: Document, na: Normalized, fa: list[Finding], b: Document, nb: Normalized,
               fb: list[Finding]) -> list[Finding]:
    """Where one copy has a mask and the other has the value, the value is a leak (reported in the
    copy that has it, pointing at the mask in the other); masks that differ in style are noted."""
    out = []
    ia, ib = LineIndex(a.text), LineIndex(b.text)
    for tag, i1, i2, j1, j2 in _char_opcodes(na, nb):
        sa, sb = na.text[i1:i2], nb.text[j1:j2]
        for (doc, norm, idx, own, seg_own, lo, hi), (odoc, onorm, oidx, other, seg_other, olo, ohi) in (
                ((a, na, ia, fa, sa, i1, i2), (b, nb, ib, fb, sb, j1, j2)),
                ((b, nb, ib, fb, sb, j1, j2), (a, na, ia, fa, sa, i1, i2))):
            if not _mask_run(seg_other) or _mask_run(seg_own) or _MASKY.search(seg_own):
                continue
            if len(seg_own) > 12:
                continue
            start, end = norm.offsets[lo], norm.offsets[hi - 1] + 1
            ostart, oend = onorm.offsets[olo], onorm.offsets[ohi - 1] + 1
            line, col = idx.position(start)
            end_line, end_col = idx.position(end)
            oline, ocol = oidx.position(ostart)
            masks = [f for f in other if f.kind is Kind.PLACEHOLDER and f.start < oend and ostart < f.end]
            category = masks[0].category if masks else "unknown"
            anchor = Finding(rule="consistency.cross-document", kind=Kind.INCONSISTENCY, category=category,
                             severity=Severity.ERROR, path=doc.path, start=start, end=end, line=line,
                             column=col, end_line=end_line, end_column=end_col, text=doc.text[start:end],
                             message="")
            out.append(_inconsistency(
                "consistency.cross-document", anchor, category, Severity.ERROR,
                f"另一副本遮蔽了此处 / another copy ({odoc.path}) masks this value; here it is in clear",
                (Location(odoc.path, ostart, oend, oline, ocol, "the mask in the other copy"),),
                (f"aligned with {odoc.path}",), 0.9))
        if _mask_run(sa) and _mask_run(sb):
            fa_masks = [f for f in fa if f.kind is Kind.PLACEHOLDER and f.start < na.offsets[i2 - 1] + 1
                        and na.offsets[i1] < f.end]
            fb_masks = [f for f in fb if f.kind is Kind.PLACEHOLDER and f.start < nb.offsets[j2 - 1] + 1
                        and nb.offsets[j1] < f.end]
            if fa_masks and fb_masks and fa_masks[0].style != fb_masks[0].style:
                m = fa_masks[0]
                out.append(_inconsistency(
                    "consistency.copies-differ", m, m.category, Severity.INFO,
                    f"两个副本的遮蔽方式不同 / the copies mask this differently ({_as_shown(m)} here, "
                    f"{_as_shown(fb_masks[0])} in {b.path})",
                    (_location(fb_masks[0], "the other copy's mask"),), (f"aligned with {b.path}",), 0.8))
    return out


def _as_shown(mask: Finding) -> str:
    """A mask as a message may quote it: what a partial mask keeps is a value, shown as '#'."""
    return partial_shape(mask.text) if mask.style == "partial" else mask.text


def cross_document(docs: list[tuple[Document, list[Finding]]]
                   ) -> tuple[dict[str, list[Finding]], list[tuple[str, str, float]]]:
    """Findings per path from aligning near-duplicate documents, and the pairs that were aligned."""
    pairs = near_duplicates([folded_text(d.text) for d, _ in docs])
    normalized: dict[int, Normalized] = {}  # the offset map only for documents that have a copy
    found: dict[str, list[Finding]] = defaultdict(list)
    for i, j, containment in pairs:
        for k in (i, j):
            if k not in normalized:
                normalized[k] = normalize(docs[k][0].text)
        if normalized[i].text == normalized[j].text:
            continue  # the same text up to wraps, punctuation width and encoding: nothing to align
        (a, fa), (b, fb) = docs[i], docs[j]
        for f in align_pair(a, normalized[i], fa, b, normalized[j], fb):
            found[f.path].append(f)
    return {path: _merge_same_span(fs) for path, fs in found.items()}, \
        [(docs[i][0].path, docs[j][0].path, c) for i, j, c in pairs]


def _merge_same_span(findings: list[Finding]) -> list[Finding]:
    """One finding per value, pointing at the masks of every copy that hides it."""
    merged: dict[tuple[str, int, int], Finding] = {}
    for f in findings:
        key = (f.rule, f.start, f.end)
        if key in merged:
            old = merged[key]
            merged[key] = replace(old, related=(old.related + f.related)[:MAX_RELATED], why=old.why + f.why)
        else:
            merged[key] = f
    return list(merged.values())
