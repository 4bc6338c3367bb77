"""Policy x findings -> edits -> new text. Never decides *what* is sensitive: detect and the
consistency checks did; this module decides what to write instead.

In: a Document, its findings, a Policy and a Pseudonyms table (numbering shared across calls when
the policy's scope is the corpus). Out: Edits (non-overlapping, sorted) and the edited text.
Existing masks are rewritten too, so every mask of a category ends up as the policy's one token:
no mask is left whose width tells the length of what it hides.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

import regex

from ..vocabulary import VALUE_CHECKS
from ..model import Document, Finding, Kind
from ..policy import Policy, Treatment

_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
             "夏侯", "令狐", "澹台", "端木", "南宫", "独孤", "西门", "呼延", "轩辕", "钟离")
_NUMERIC_HEAD = regex.compile(r"[\d.,，]+(?:余|多)?|百分之[一二三四五六七八九十百零点]+")
_LATIN = regex.compile(r"[A-Za-z]")
_HAN = regex.compile(r"\p{Han}")


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    replacement: str
    rule: str
    category: str
    action: str
    kind: str
    value: str  # in memory only: the audit log carries a keyed hash
    fingerprint: str = ""  # the finding's, so a log line names the report's finding
    style: str | None = None  # an existing mask's style: a partial one is shown only as its shape


@dataclass
class Pseudonyms:
    """Numbered pseudonyms: the same value gets the same one. One table per document, or one for
    the whole run when the policy's scope is the corpus (the orchestrator decides)."""

    table: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def number(self, category: str, value: str) -> int:
        key = (category, "".join(value.split()).casefold())
        if key not in self.table:
            self.counts[category] = self.counts.get(category, 0) + 1
            self.table[key] = self.counts[category]
        return self.table[key]


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def is_english(text: str) -> bool:
    """Which tokens a document gets: English labels only for a text mostly in English, judged by
    proportion, whatever its length: a Han character says about what an English word of four or
    five letters does, so more than four Latin letters per Han character is English. A short
    Chinese note with a link or a product name stays Chinese, an English letter quoting a Chinese
    address stays English, and a bilingual sheet (about three letters per character) is Chinese:
    one style per category."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN.findall(text))
    return latin > 4 * han


def own_words(text: str, spans, policy: Policy) -> str:
    """The text a document's language is judged on: without the spans that are or will be masks and
    without the policy's tokens, so redacting (which puts tokens in those spans) cannot change the
    verdict, and a second run writes the tokens of the first (【姓名】 is no Chinese, [NAME] no English)."""
    parts, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            parts.append(text[pos:start])
        pos = max(pos, end)
    parts.append(text[pos:])
    kept = "\0".join(parts)
    for token in sorted(policy.tokens(), key=len, reverse=True):
        kept = kept.replace(token, "\0")
    return kept


def surname_form(value: str) -> str:
    """张三 -> 张某, 欧阳娜娜 -> 欧阳某, Harold Penrose -> H. (the SPC's convention)."""
    value = value.strip()
    if _LATIN.match(value):
        return value[0].upper() + "."
    for compound in _COMPOUND:
        if value.startswith(compound):
            return compound + "某"
    return (value[:1] + "某") if value else "某"


def partial_form(value: str, t: Treatment) -> str:
    """Keep the first keep_start and last keep_end letters/digits, mask the others, keep separators."""
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    hide = set(positions[t.keep_start:len(positions) - t.keep_end] if t.keep_end else positions[t.keep_start:])
    return "".join(t.char if i in hide else ch for i, ch in enumerate(value))


def _target(f: Finding, text: str) -> tuple[int, int]:
    """The part of a finding to replace: amounts and percentages keep their unit (12万元 -> *万元),
    so the result still reads as a masked amount."""
    if f.kind is not Kind.PLACEHOLDER and f.category in ("money", "percent"):
        m = _NUMERIC_HEAD.match(text, f.start, f.end)
        if m and m.end() > f.start:
            return f.start, m.end()
    return f.start, f.end


def kept_role(f: Finding, text: str, policy: Policy) -> bool:
    if not policy.keep_after or f.category != "person":
        return False
    before = text[max(0, f.start - 8):f.start].rstrip(" \t:：")
    return any(before.endswith(word) for word in policy.keep_after)


def _pseudonym_pattern(fmt: str) -> regex.Pattern:
    escaped = regex.escape(fmt)
    return regex.compile(escaped.replace(regex.escape("{n}"), r"\d+").replace(regex.escape("{letter}"), "[A-Z]+"))


def already_redacted(f: Finding, text: str, start: int, end: int, policy: Policy) -> bool:
    """A value found again that already is what the policy writes for it: a pseudonym of its format
    (PERSON-11, which a copy of the document may number differently), a name in surname form (原某,
    M. before its full stop), a number already partly masked, or, for a value the consistency checks
    found (not a rule), the category's token. Rewriting such a value would never settle."""
    t = policy.treatment(f.category)
    value = text[start:end]
    if t.action == "pseudonym":
        return bool(t.format) and _pseudonym_pattern(t.format).fullmatch(value) is not None
    if t.action == "surname":
        if _LATIN.fullmatch(value):
            return text.startswith(".", end)
        return surname_form(value) == value.strip()
    if t.action == "partial":
        return partial_form(value, t) == value
    return f.kind is Kind.INCONSISTENCY and value in (t.token, t.token_en)


def replacement_for(f: Finding, text: str, start: int, end: int, policy: Policy, names: Pseudonyms,
                    latin: bool = False) -> str | None:
    """What goes in place of text[start:end], or None to leave it."""
    t = policy.treatment(f.category)
    value = text[start:end]
    if f.kind is Kind.PLACEHOLDER:
        # An existing mask: rewrite it to the policy's token unless it already is one, or the
        # policy keeps identities (a mask cannot be numbered or given back its surname).
        own = {t.token, t.token_en} - {""}
        if value in own or (f.category == "unknown" and value in policy.tokens()) \
                or t.action in ("keep", "surname", "pseudonym"):
            return None
        if t.action == "partial":
            out = partial_form(value, t)
            return out if out != value else None
        return (t.token_en or t.token) if latin else (t.token or t.token_en)
    if t.action == "keep" or kept_role(f, text, policy) or already_redacted(f, text, start, end, policy):
        return None
    if t.action in ("mask", "generalize"):
        return (t.token_en or t.token) if latin else (t.token or t.token_en)
    if t.action == "surname":
        return surname_form(value)
    if t.action == "pseudonym":
        n = names.number(f.category, value)
        return t.format.replace("{n}", str(n)).replace("{letter}", _letters(n))
    if t.action == "partial":
        return partial_form(value, t)
    return None


def _fits(encoding: str):
    """Whether a replacement can be written in the document's encoding (any, when the encoding is
    not a codec's: a Word file's "n/a")."""
    try:
        "".encode(encoding)
    except LookupError:
        return lambda token: True

    def fits(token: str) -> bool:
        try:
            token.encode(encoding)
        except UnicodeEncodeError:
            return False
        return True
    return fits


def plan_edits(document: Document, findings: list[Finding] | tuple[Finding, ...], policy: Policy,
               names: Pseudonyms | None = None) -> list[Edit]:
    """The edits one document needs under a policy: every leak at or above the threshold (and the
    values the consistency checks found in clear), and every existing mask."""
    names = names if names is not None else Pseudonyms()
    text = document.text
    chosen: list[Finding] = []
    for f in findings:
        if f.kind is Kind.PLACEHOLDER:
            chosen.append(f)
        elif f.severity.rank >= policy.threshold.rank and (f.kind is Kind.LEAK or f.rule in VALUE_CHECKS):
            chosen.append(f)
    latin = is_english(own_words(text, [(f.start, f.end) for f in chosen], policy))
    fits = _fits(document.encoding)
    # Leaks before inconsistencies on the same span, longer spans first, then by position.
    order = {Kind.LEAK: 0, Kind.PLACEHOLDER: 1, Kind.INCONSISTENCY: 2}
    chosen.sort(key=lambda f: (f.start, order[f.kind], -(f.end - f.start)))
    edits: list[Edit] = []
    last_end = -1
    for f in chosen:
        start, end = _target(f, text)
        if start < last_end or end <= start:
            continue
        new = replacement_for(f, text, start, end, policy, names, latin)
        if new is not None and not fits(new):  # [电话] in a Big5 file: the English token fits any encoding
            new = policy.treatment(f.category).token_en or new
        if new is None:
            last_end = max(last_end, end)
            continue
        # A value cut by a hard wrap keeps its line break after the replacement.
        breaks = "".join(ch for ch in text[start:end] if ch in "\r\n")
        last_end = end
        if new + breaks == text[start:end]:  # already what the policy writes (原某 under zh-court)
            continue
        edits.append(Edit(start, end, new + breaks, f.rule, f.category, policy.treatment(f.category).action,
                          f.kind.value, text[start:end], f.fingerprint, f.style))
    return _no_doubled_tokens(edits, text, policy.tokens())


def _no_doubled_tokens(edits: list[Edit], text: str, tokens: frozenset[str]) -> list[Edit]:
    """A token written right next to the same token (某某 before 某某, [电话][电话]) is left out: the two
    would read as one longer mask, which the next pass splits and rewrites again (某某某某 is 某某某 +
    某) and never settles. Two masks side by side become one."""
    if not tokens:
        return edits
    longest = max(map(len, tokens))
    out: list[Edit] = []
    tail, pos = "", 0  # the last characters of the new text so far
    for i, e in enumerate(edits):
        tail = (tail + text[pos:e.start])[-longest:]
        token = e.replacement.rstrip("\r\n")
        if token in tokens:
            stop = edits[i + 1].start if i + 1 < len(edits) else len(text)
            if tail.endswith(token) or text[e.end:stop].startswith(token):
                e = replace(e, replacement=e.replacement[len(token):])
        out.append(e)
        tail, pos = (tail + e.replacement)[-longest:], e.end
    return out


def compose(earlier: list[Edit], later: list[Edit], original: str, current: str) -> list[Edit]:
    """`later` edits, planned on `current` (= apply_edits(original, earlier)), as edits of the
    original: a later edit that touches an earlier one's replacement absorbs it (张某 -> 某某, then
    张某某 -> 某某 is one edit of 张张某), so applying the result to the original gives the final
    text and every edit's value is the original text it replaced."""
    edits = sorted(earlier, key=lambda e: e.start)
    starts, ends, shifts = [], [], [0]  # current spans of the earlier edits; length change before each
    for e in edits:
        start = e.start + shifts[-1]
        starts.append(start)
        ends.append(start + len(e.replacement))
        shifts.append(shifts[-1] + len(e.replacement) - (e.end - e.start))

    def hits(e: Edit) -> range:  # earlier edits whose replacement overlaps e
        return range(bisect.bisect_right(ends, e.start), bisect.bisect_left(starts, e.end))

    # Later edits that share an earlier one become one edit.
    groups: list[tuple[list[Edit], range]] = []
    for e in sorted(later, key=lambda e: e.start):
        h = hits(e)
        if groups and h and groups[-1][1] and h.start < groups[-1][1].stop:
            groups[-1] = (groups[-1][0] + [e], range(groups[-1][1].start, max(h.stop, groups[-1][1].stop)))
        else:
            groups.append(([e], h))
    absorbed: set[int] = set()
    merged: list[Edit] = []
    for group, h in groups:
        first = group[0]
        cur_start, cur_end = first.start, max(e.end for e in group)
        if h:
            cur_start, cur_end = min(cur_start, starts[h.start]), max(cur_end, ends[h.stop - 1])
            absorbed.update(h)
        # Original offsets: inside an absorbed edit, its original bounds; elsewhere, undo the shifts.
        o_start = edits[h.start].start if h and starts[h.start] <= first.start \
            else first.start - shifts[bisect.bisect_right(ends, first.start)]
        o_end = edits[h.stop - 1].end if h and ends[h.stop - 1] >= cur_end \
            else cur_end - shifts[bisect.bisect_right(ends, cur_end)]
        local = apply_edits(current[cur_start:cur_end],
                            [replace(e, start=e.start - cur_start, end=e.end - cur_start) for e in group])
        # The record describes the original span: a value's (kind, rule, category) wins over a mask's,
        # so a name later caught again as a mask still shows as a name (and is masked in a diff).
        parts = [edits[i] for i in h] + group
        base = next((e for e in parts if e.kind != "placeholder"), group[0])
        merged.append(replace(base, start=o_start, end=o_end, replacement=local, value=original[o_start:o_end]))
    return sorted([e for i, e in enumerate(edits) if i not in absorbed] + merged, key=lambda e: e.start)


def apply_edits(text: str, edits: list[Edit]) -> str:
    parts, pos = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        parts.append(text[pos:e.start])
        parts.append(e.replacement)
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)
