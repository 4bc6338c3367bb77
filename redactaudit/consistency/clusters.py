"""Which documents are copies of each other, at any scale, without comparing all pairs.

In: one Sample per document (consistency.copies.sample_text). Out: a Plan: the groups of exact
duplicates (the same folded text), the pairs of groups that are near-duplicates with their
containment, and the clusters those pairs join (union-find).

Exact duplicates are grouped by the hash of their folded text first, so a text copied 500 times
is one entry of the index, not 500. Each distinct text contributes its sampled shingles to an
inverted index. A shingle held by at most MAX_POSTING texts pairs all of them; a shingle held by
more is common to many texts (boilerplate, or one text in many versions) and is down-weighted
instead of dropped: it links each text to the next one holding it, with weight MAX_POSTING / P,
in both the pair's shared weight and each text's total, so many versions of one text still pair
(their shared weight is their whole weight) and a boilerplate paragraph shared by unrelated texts
adds little to either. The work is linear in the samples: at most MAX_POSTING² / 2 pair counts
per shingle below the bound, P - 1 above it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

from .copies import Sample

MAX_POSTING = 64  # a shingle in more distinct texts than this links neighbours only, down-weighted
MIN_SHARED = 5  # shingles two texts must share to be compared at all
MIN_CONTAINMENT = 0.8  # of the smaller text's (weighted) sample found in the other


@dataclass(frozen=True, slots=True)
class Plan:
    groups: tuple[tuple[int, ...], ...]  # documents with the same folded text, in scan order
    sizes: tuple[int, ...]  # shingles sampled per group
    edges: tuple[tuple[int, int, float], ...]  # (group, group, containment), group g < h, sorted
    clusters: tuple[tuple[int, ...], ...]  # groups joined by edges (or a group of several copies)

    def group_of(self) -> dict[int, int]:
        return {d: g for g, members in enumerate(self.groups) for d in members}


def plan(samples: Sequence[Sample], *, min_shared: int = MIN_SHARED,
         min_containment: float = MIN_CONTAINMENT) -> Plan:
    """`samples` may be read from disk as they are asked for: each distinct text's sample is
    read three times (postings, weights, counts) and none is held."""
    by_key: dict[bytes, int] = {}
    members: list[list[int]] = []
    for d in range(len(samples)):
        g = by_key.setdefault(samples[d].text_key, len(members))
        if g == len(members):
            members.append([])
        members[g].append(d)
    del by_key
    postings: dict[int, list[int]] = defaultdict(list)
    sizes = []
    for g, group in enumerate(members):
        shingles = samples[group[0]].shingles
        sizes.append(len(shingles))
        for h in shingles:
            postings[h].append(g)  # groups in increasing order
    # A text's total weight: 1 a shingle, MAX_POSTING / P for one P texts hold. A shingle of its
    # own pairs it with nothing; one held by at most MAX_POSTING texts pairs all of them (counted
    # text by text below, from each text's list of them); one held by more links neighbours.
    total = [float(n) for n in sizes]
    rare: list[list[int]] = [[] for _ in members]
    links: dict[int, dict[int, list]] = defaultdict(dict)  # g -> {next text: [shingles, weight]}
    for sh, gs in postings.items():
        p = len(gs)
        if p == 1:
            continue
        if p <= MAX_POSTING:
            for g in gs:
                rare[g].append(sh)
            continue
        w = MAX_POSTING / p
        for g in gs:
            total[g] += w - 1.0
        for g, h in zip(gs, gs[1:]):
            got = links[g].get(h)
            if got is None:
                links[g][h] = [1, w]
            else:
                got[0] += 1
                got[1] += w
    edges = []
    # Each text counts what it shares with the texts after it, one text at a time: memory holds
    # the postings and one text's counts, never a count for every pair.
    for g in range(len(members)):
        shared: dict[int, list] = {h: list(v) for h, v in links.pop(g, {}).items()}
        for sh in rare[g]:
            gs = postings[sh]
            for h in gs[bisect_right(gs, g):]:
                got = shared.get(h)
                if got is None:
                    shared[h] = [1, 1.0]
                else:
                    got[0] += 1
                    got[1] += 1.0
        rare[g] = []
        for h, (n, w) in shared.items():
            if n < min_shared:
                continue
            containment = w / max(1e-9, min(total[g], total[h]))
            if containment >= min_containment - 1e-9:
                edges.append((g, h, round(min(1.0, containment), 3)))
    edges.sort()
    parent = list(range(len(members)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for g, h, _ in edges:
        rg, rh = find(g), find(h)
        if rg != rh:
            parent[max(rg, rh)] = min(rg, rh)
    joined: dict[int, list[int]] = defaultdict(list)
    linked = {g for e in edges for g in e[:2]}
    for g in range(len(members)):
        if g in linked or (len(members[g]) > 1 and sizes[g] >= min_shared):
            joined[find(g)].append(g)
    return Plan(tuple(map(tuple, members)), tuple(sizes), tuple(edges),
                tuple(tuple(c) for _, c in sorted(joined.items())))


def copies_of(p: Plan, *, min_shared: int = MIN_SHARED) -> dict[int, list[tuple[int, float]]]:
    """Every document's copies with their containment, in scan order (all of them: for tests and
    small runs; crossdoc lists a bounded number per document)."""
    out: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for g, members in enumerate(p.groups):
        if len(members) > 1 and p.sizes[g] >= min_shared:
            for d in members:
                out[d].extend((e, 1.0) for e in members if e != d)
    for g, h, c in p.edges:
        for d in p.groups[g]:
            out[d].extend((e, c) for e in p.groups[h])
        for e in p.groups[h]:
            out[e].extend((d, c) for d in p.groups[g])
    return {d: sorted(v) for d, v in out.items()}


def near_duplicates(texts: list[str], *, min_shared: int = MIN_SHARED, min_containment: float = MIN_CONTAINMENT
                    ) -> list[tuple[int, int, float]]:
    """Pairs (i, j, containment) of the texts that are copies of each other, or one of part of the
    other, i < j."""
    from .copies import sample_text

    p = plan([sample_text(t) for t in texts], min_shared=min_shared, min_containment=min_containment)
    return sorted((i, j, c) for i, cs in copies_of(p, min_shared=min_shared).items() for j, c in cs if i < j)
