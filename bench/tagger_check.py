#!/usr/bin/env python3
"""Measure a statistical tagger as a second opinion on names, places and organisations.

Usage: pip install rjieba && python bench/tagger_check.py CORPUS_DIR [CORPUS_DIR ...]

For each labelled corpus (docs/ + gold.json): how many gold person/place/org leaks a span tagged
nr/ns/nt overlaps, how many tagged spans overlap no labelled value (the false alarms it would add),
and its speed. rjieba is not a dependency of redactaudit: this script only measures it.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

TAGS = {"nr", "nrfg", "nrt", "ns", "nt"}
CATEGORIES = {"person", "place", "org", "person_en", "place_en"}


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def measure(corpus: Path) -> str:
    import rjieba

    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    found = total = unlabelled = tagged = size = 0
    seconds = 0.0
    for name, entry in gold.items():
        data = (corpus / "docs" / name).read_bytes()
        text = data.decode(entry.get("encoding", "utf-8"))
        size += len(data)
        t0 = time.perf_counter()
        tags = rjieba.tag(text)
        seconds += time.perf_counter() - t0
        spans, pos = [], 0
        for word, tag in tags:
            if tag in TAGS:
                spans.append((pos, pos + len(word)))
            pos += len(word)
        leaks = [(s["start"], s["end"]) for s in entry["spans"] if s["kind"] == "leak" and s["category"] in CATEGORIES]
        labelled = [(s["start"], s["end"]) for s in entry["spans"] if s["kind"] in ("leak", "neutral")]
        total += len(leaks)
        found += sum(1 for leak in leaks if any(overlaps(leak, s) for s in spans))
        tagged += len(spans)
        unlabelled += sum(1 for s in spans if not any(overlaps(s, g) for g in labelled))
    return (f"{corpus}: tagger covers {found}/{total} person/place/org leaks; {unlabelled} of {tagged} tagged "
            f"spans are no labelled value; {size / 1e6 / seconds:.1f} MB/s")


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    for arg in sys.argv[1:]:
        print(measure(Path(arg)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
