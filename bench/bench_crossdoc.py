#!/usr/bin/env python3
"""Time and memory of the cross-document check at 1,000 and 10,000 documents.

Usage: python bench/bench_crossdoc.py [--sizes 1000 10000] [--dup-rate 0.1]

Generates documents in-process (made-up speeches from a pool of sentences, each document a random
draw, so unrelated documents still share common phrases), and mixes in near-duplicates of some of
them: the same text hard-wrapped, with half-width punctuation and one mask filled in. Times only
the cross-document stage (normalising, sampling shingles, pairing, aligning), then runs it again
under tracemalloc for the peak memory of that stage. Growth from 1k to 10k should be close to 10x, not 100x.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redactaudit.consistency import cross_document  # noqa: E402
from redactaudit.model import Document, Finding, Kind, Severity  # noqa: E402

SUBJECTS = ["全市", "全县", "各级党组织", "纪检监察机关", "各部门", "广大党员干部", "我们", "各乡镇"]
VERBS = ["要切实加强", "必须持续推进", "要坚决落实", "要认真抓好", "要不断深化", "要全面提升"]
OBJECTS = ["作风建设", "基层治理", "监督执纪", "营商环境", "乡村振兴", "安全生产", "民生保障", "项目建设"]
TAILS = ["，确保各项任务落地见效。", "，推动工作取得新成效。", "，切实维护群众利益。", "，形成工作合力。"]


# Characters for the made-up names of projects, villages and firms that make each text its own.
POOL = "安宝北昌成川达丰福富港广海汉和河红华黄吉佳建江金锦京景九聚康兰乐丽利联林隆龙茂美民明南宁农平祺青庆荣瑞山胜盛顺泰天通旺伟文祥新信兴秀阳怡永余裕远云泽长正中州"


def make_text(rng: random.Random, sentences: int = 40) -> str:
    parts = []
    for i in range(sentences):
        if i % 9 == 4:
            parts.append(f"刚才，{'*' * rng.randint(2, 3)}同志通报了第{rng.randint(1, 99)}项工作情况。")
        else:
            topic = "".join(rng.choice(POOL) for _ in range(4))
            parts.append(rng.choice(SUBJECTS) + rng.choice(VERBS) + topic + rng.choice(OBJECTS) + rng.choice(TAILS))
    return "".join(parts)


def near_copy(text: str) -> str:
    filled = text.replace("**同志", "王建国同志", 1).replace("，", ",")
    return "\n".join(filled[i:i + 35] for i in range(0, len(filled), 35))


def corpus(n: int, dup_rate: float, seed: int = 11) -> list[tuple[Document, list[Finding]]]:
    rng = random.Random(seed)
    docs = []
    originals = int(n / (1 + dup_rate))
    for i in range(originals):
        docs.append(Document(f"doc_{i:05d}.txt", make_text(rng), "utf-8", "none"))
    for i in range(n - originals):
        base = docs[rng.randrange(originals)]
        docs.append(Document(f"copy_{i:05d}.txt", near_copy(base.text), "utf-8", "\n"))
    out = []
    for d in docs:
        masks = []
        pos = d.text.find("*")
        while pos >= 0:
            end = pos
            while end < len(d.text) and d.text[end] == "*":
                end += 1
            masks.append(Finding("placeholders.asterisk", Kind.PLACEHOLDER, "person", Severity.INFO, d.path,
                                 pos, end, 1, pos + 1, 1, end + 1, d.text[pos:end], "", "", style="asterisk",
                                 width=end - pos))
            pos = d.text.find("*", end)
        out.append((d, masks))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--dup-rate", type=float, default=0.1)
    args = parser.parse_args()
    base = None
    for n in args.sizes:
        docs = corpus(n, args.dup_rate)
        chars = sum(len(d.text) for d, _ in docs)
        t0 = time.perf_counter()
        found, pairs = cross_document(docs)
        elapsed = time.perf_counter() - t0
        tracemalloc.start()  # a second run for memory: tracing slows Python down several times
        cross_document(docs)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        leaks = sum(len(v) for v in found.values())
        per = elapsed / n * 1000
        growth = f", {elapsed / base:.1f}x the first size's time" if base else ""
        base = base or elapsed
        print(f"cross-document: {n} documents ({chars / 1e6:.1f} M chars): {elapsed:.2f} s ({per:.2f} ms/doc), "
              f"peak {peak / 1e6:.0f} MB, {len(pairs)} pairs aligned, {leaks} findings{growth}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
