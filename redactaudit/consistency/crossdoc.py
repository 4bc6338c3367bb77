"""Masks that leak across copies, at any scale: which copies to align, and what they give.

In: one Sample per document and a way to load a document with its findings (the scan keeps them
on disk when there are many). Out: the findings each document gets from its copies (a value in
clear that another copy masks; masks that differ in style) and each document's copies.

Exact duplicates (the same folded text) are aligned once, as one text. A cluster of at most
MAX_PAIRWISE distinct texts aligns every pair the index found (what a pair says is the same
whatever else is in the scan); a larger cluster aligns each text once, to its longest text (its
representative), and compares the others through it: a value masked in one copy and shown in
another is found when the representative holds that passage (it is the longest, so it usually
does); a passage the representative lacks is not compared. A finding points at the masks of at
most MAX_RELATED copies (the first in the scan), and a document lists at most MAX_COPIES copies.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict, defaultdict
from dataclasses import replace
from typing import Callable, Iterator, Sequence

from ..identity import DEFAULT_KEY, fingerprint
from ..model import Document, Finding, Kind
from .clusters import MIN_SHARED, Plan, plan
from .common import MAX_RELATED, mask_run
from .copies import DIFFER, LEAK, Copy, Evidence, Sample, char_blocks, finding, leak_in, normalize, \
    pair_evidence, related, sample_text

MAX_PAIRWISE = 16  # distinct texts in a cluster up to which every pair found is aligned
MAX_COPIES = 16  # copies listed in a document's summary (the first in the scan)
CACHE = 64  # documents kept loaded while a cluster is compared
MEMO = 4096  # what a text says against one copy, kept for the next file with that text

Loader = Callable[[int], tuple[Document, Sequence[Finding]]]


# What a document's copies give it: (its index, its findings from them, its copies listed as
# (index, containment), how many more copies it has).
Copied = tuple[int, list[Finding], list[tuple[int, float]], int]


class _Copies:
    """Documents loaded as they are needed, a few at a time (the scan may hold thousands); files
    with the same text (the raw_key of their samples) are loaded and folded once."""

    def __init__(self, load: Loader, samples: list[Sample], path_of: Callable[[int], str] | None):
        self._load, self._samples, self._path_of = load, samples, path_of
        self._docs: OrderedDict[int, Copy] = OrderedDict()
        self._texts: OrderedDict[bytes, Copy] = OrderedDict()  # raw_key -> a copy with that text

    def __call__(self, index: int) -> Copy:
        got = self._docs.get(index)
        if got is not None:
            self._docs.move_to_end(index)
            return got
        raw = self._samples[index].raw_key
        same = self._texts.get(raw) if raw and self._path_of is not None else None
        if same is not None:
            self._texts.move_to_end(raw)
            got = Copy(index, self._path_of(index), same.document, same.norm, same.masks)
        else:
            document, findings = self._load(index)
            got = Copy(index, document.path, document, normalize(document.text),
                       tuple(f for f in findings if f.kind is Kind.PLACEHOLDER))
            if raw:
                self._texts[raw] = got
                if len(self._texts) > CACHE:
                    self._texts.popitem(last=False)
        self._docs[index] = got
        if len(self._docs) > CACHE:
            self._docs.popitem(last=False)
        return got


def cross_document_at_scale(samples: list[Sample], load: Loader, key: bytes = DEFAULT_KEY,
                            path_of: Callable[[int], str] | None = None, p: Plan | None = None) -> Iterator[Copied]:
    """What every document's copies give it, one document at a time (none is held for the rest).
    `load(i)` gives document i and its findings (its masks are enough); `path_of(i)` its path
    without loading it, so that files with the same text are loaded once; `p` the samples' plan,
    if made already."""
    p = p or plan(samples)
    neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for g, h, c in p.edges:
        neighbours[g].append((h, c))
        neighbours[h].append((g, c))
    docs = _Copies(load, samples, path_of)
    for cluster in p.clusters:
        evidence = _Pairwise(p, cluster, docs) if len(cluster) <= MAX_PAIRWISE else _Star(p, cluster, docs)
        expand = _Findings(p, evidence, docs, key)
        for g in cluster:
            partners = evidence.partners(g)
            for x in p.groups[g]:
                found = expand(x, g, partners) if partners else []
                listed, more = _listed(p, g, x, neighbours.get(g, ()))
                if found or listed:
                    yield x, found, listed, more


class _Findings:
    """The findings of the documents of one cluster. What a text says against one copy is worked
    out once for every document holding that text (one file copied into many folders), then
    given each document's path and fingerprint."""

    def __init__(self, p: Plan, evidence, docs: _Copies, key: bytes):
        self.p, self.evidence, self.docs, self.key = p, evidence, docs, key
        self._related: OrderedDict[tuple[str, int, bool], list] = OrderedDict()
        self._made: OrderedDict[tuple[str, Evidence, int], Finding] = OrderedDict()

    def __call__(self, x: int, g: int, partners: list[int]) -> list[Finding]:
        """Document x's findings against the copies in the partner groups: for each value, the
        first copies in the scan that mask it (at most MAX_RELATED), merged into one finding."""
        p = self.p
        candidates: list[tuple[int, int]] = []
        for h in partners:
            members = p.groups[h]
            chosen = set(members[:MAX_RELATED])
            above = bisect.bisect_right(members, x)
            chosen.update(members[above:above + MAX_RELATED])
            candidates.extend((m, h) for m in chosen)
        candidates.sort()
        merged: dict[tuple[str, int, int], list] = {}  # (rule, start, end) -> [(ev, m), related, why]
        seen: dict[tuple[int, bool], int] = defaultdict(int)
        own = self.docs(x)
        text = own.document.text
        for m, h in candidates:
            first = x < m
            if seen[h, first] >= MAX_RELATED:  # the copies of one text say the same: 8 are enough
                continue
            got = self._related.get((text, m, first))
            if got is None:
                got = self._related[text, m, first] = self._relate(own, g, m, h, first)
                if len(self._related) > MEMO:
                    self._related.popitem(last=False)
            if not got:
                continue
            seen[h, first] += 1
            for spot, where, why, ev in got:
                slot = merged.get(spot)
                if slot is None:
                    merged[spot] = [(ev, m), [where], [why]]
                elif len(slot[1]) < MAX_RELATED:
                    slot[1].append(where)
                    slot[2].append(why)
        out = []
        for (ev, m), where, why in merged.values():
            f = self._made.get((text, ev, m))
            if f is None:
                f = self._made[text, ev, m] = finding(ev, own, self.docs(m), self.key)
                if len(self._made) > MEMO:
                    self._made.popitem(last=False)
            path = own.path
            if f.path != path or len(where) > 1:
                change = {"related": tuple(where), "why": tuple(why)} if len(where) > 1 else {}
                if f.path != path:
                    change.update(path=path, fingerprint=fingerprint(f.rule, path, f.text, self.key))
                f = replace(f, **change)
            out.append(f)
        return out

    def _relate(self, own: Copy, g: int, m: int, h: int, first: bool) -> list:
        items = self.evidence.between(g, h, first)
        if not items:
            return []
        other = self.docs(m)
        if own.norm.text != self.evidence.text(g):  # the same folded text up to a rare case fold: align it itself
            items = _own_evidence(own, other, first)
        out = []
        for ev in items:
            if ev[0] == DIFFER and not first:
                continue
            got = related(ev, own, other)
            if got is not None:
                out.append((*got, ev))
        return out


def _own_evidence(own: Copy, other: Copy, first: bool) -> list[Evidence]:
    if first:
        return pair_evidence(own.norm, other.norm)[0]
    return pair_evidence(other.norm, own.norm)[1]


class _Pairwise:
    """A small cluster: every pair of distinct texts the index found, aligned once in each order
    the scan needs (the copy first in the scan is the pair's first, as pairs always were)."""

    def __init__(self, p: Plan, cluster: tuple[int, ...], docs: _Copies):
        self.p, self.docs = p, docs
        self.adjacent: dict[int, list[int]] = defaultdict(list)
        members = set(cluster)
        for g, h, _ in p.edges:
            if g in members:
                self.adjacent[g].append(h)
                self.adjacent[h].append(g)
        self._cache: dict[tuple[int, int], tuple[list[Evidence], list[Evidence]]] = {}

    def text(self, g: int) -> str:
        return self.docs(self.p.groups[g][0]).norm.text

    def partners(self, g: int) -> list[int]:
        return self.adjacent.get(g, [])

    def between(self, g: int, h: int, g_first: bool) -> list[Evidence]:
        a, b = (g, h) if g_first else (h, g)
        got = self._cache.get((a, b))
        if got is None:
            got = self._cache[a, b] = pair_evidence(self.docs(self.p.groups[a][0]).norm,
                                                    self.docs(self.p.groups[b][0]).norm)
        return got[0] if g_first else got[1]


class _Star:
    """A large cluster: each distinct text aligned once to the longest one (the representative);
    two texts are compared where both align to the same stretch of it."""

    def __init__(self, p: Plan, cluster: tuple[int, ...], docs: _Copies):
        self.p, self.docs = p, docs
        norms = {g: docs(p.groups[g][0]).norm for g in cluster}
        self._texts = {g: n.text for g, n in norms.items()}
        rep = max(cluster, key=lambda g: (len(norms[g].text), -g))
        rtext = norms[rep].text
        blocks = {g: char_blocks(norms[g], norms[rep]) for g in cluster if g != rep}
        keys: set[tuple[int, int]] = set()
        for g, bs in blocks.items():
            for tag, x1, x2, r1, r2 in bs:
                if tag == "replace" and (mask_run(norms[g].text[x1:x2]) or mask_run(rtext[r1:r2])):
                    keys.add((r1, r2))
        starts = {g: [b[3] for b in bs] for g, bs in blocks.items()}
        self._evidence: dict[tuple[int, int], list[Evidence]] = defaultdict(list)
        for r1, r2 in sorted(keys):
            column = []  # (group, lo, hi, segment) of every text holding this stretch
            for g in cluster:
                if g == rep:
                    column.append((g, r1, r2, rtext[r1:r2]))
                    continue
                span = _at(blocks[g], starts[g], r1, r2)
                if span is not None:
                    column.append((g, span[0], span[1], norms[g].text[span[0]:span[1]]))
            # The texts that mask this stretch, by what they hold there (in scan order): a text
            # that shows it is compared with the first MAX_RELATED of them (the only ones its
            # finding can point at), one that masks it with those that mask it otherwise.
            masks: dict[str, list[tuple]] = defaultdict(list)
            for c in column:
                if mask_run(c[3]):
                    masks[c[3]].append(c)
            if not masks:
                continue
            for g, lo, hi, seg in column:
                if seg in masks:
                    others = (c for oseg, cs in masks.items() if oseg != seg for c in cs[:2 * MAX_RELATED])
                    for h, olo, ohi, _ in sorted(others)[:2 * MAX_RELATED]:
                        self._evidence[g, h].append((DIFFER, lo, hi, olo, ohi))
                    continue
                shown = sorted(c for cs in masks.values() for c in cs[:MAX_RELATED] if c[0] != g and leak_in(seg, c[3]))
                for h, olo, ohi, _ in shown[:MAX_RELATED]:
                    self._evidence[g, h].append((LEAK, lo, hi, olo, ohi))
        self._partners: dict[int, list[int]] = defaultdict(list)
        for g, h in self._evidence:
            self._partners[g].append(h)

    def text(self, g: int) -> str:
        return self._texts[g]

    def partners(self, g: int) -> list[int]:
        return self._partners.get(g, [])

    def between(self, g: int, h: int, g_first: bool) -> list[Evidence]:
        return self._evidence.get((g, h), [])


def _at(blocks, starts: list[int], r1: int, r2: int) -> tuple[int, int] | None:
    """Where a stretch [r1, r2) of the representative lies in another text: inside an equal run,
    or exactly one replaced block; None when the texts differ around it otherwise."""
    k = bisect.bisect_right(starts, r1) - 1
    while k >= 0:
        tag, x1, x2, b1, b2 = blocks[k]
        if b1 == b2 and k > 0:  # an insertion in the other text before r1: look at the block before
            k -= 1
            continue
        if tag == "equal" and b1 <= r1 and r2 <= b2:
            return x1 + r1 - b1, x1 + r2 - b1
        if tag == "replace" and (b1, b2) == (r1, r2):
            return x1, x2
        return None
    return None


def _listed(p: Plan, g: int, x: int, neighbours) -> tuple[list[tuple[int, float]], int]:
    """Document x's copies in scan order, the first MAX_COPIES of them, and how many more."""
    members = p.groups[g]
    pool: list[tuple[int, float]] = []
    total = 0
    if len(members) > 1 and p.sizes[g] >= MIN_SHARED:
        pool.extend((e, 1.0) for e in members[:MAX_COPIES + 1] if e != x)
        total += len(members) - 1
    for h, c in neighbours:
        pool.extend((e, c) for e in p.groups[h][:MAX_COPIES])
        total += len(p.groups[h])
    pool.sort()
    return pool[:MAX_COPIES], max(0, total - MAX_COPIES)


def cross_document(docs: list[tuple[Document, list[Finding]]], key: bytes = DEFAULT_KEY
                   ) -> tuple[dict[str, list[Finding]], list[tuple[str, str, float]]]:
    """In memory: findings per path from the copies among `docs`, and the pairs of copies found."""
    from .clusters import copies_of

    samples = [sample_text(d.text) for d, _ in docs]
    p = plan(samples)
    found = {docs[i][0].path: fs for i, fs, _, _ in cross_document_at_scale(samples, lambda i: docs[i], key, p=p) if fs}
    pairs = [(docs[i][0].path, docs[j][0].path, c) for i, cs in copies_of(p).items() for j, c in cs if i < j]
    return found, sorted(pairs)
