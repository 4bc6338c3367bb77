#!/usr/bin/env python3
"""Score redactaudit against a labelled corpus: CORPUS_DIR/docs + CORPUS_DIR/gold.json.

Usage: python bench/evaluate.py CORPUS_DIR [--json] [--misses]

Scoring follows the corpus README: matching is by span overlap within one document.
- leak recall: gold leaks overlapped by a finding of kind leak or inconsistency at warning or error;
- leak precision: findings of kind leak at warning or error that overlap a gold leak or neutral span;
- placeholder recall/precision: findings of kind placeholder against gold placeholders;
- document checks: an inconsistency whose rule id contains 'length' (length_leak documents) or
  'style' (style_mix documents); recall over flagged documents, false flags over the others.
The whole docs folder is scanned in one run, as a user would, so cross-document checks take part.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redactaudit.audit import ScanOptions, audit, load_ruleset  # noqa: E402
from redactaudit.config import Config  # noqa: E402
from redactaudit.model import Kind, Severity  # noqa: E402

# The corpus names some English categories apart; redactaudit uses one name per category.
CATEGORY_ALIASES = {"person_en": "person", "place_en": "place"}


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def evaluate(corpus: Path) -> dict:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    docs_dir = corpus / "docs"
    ruleset = load_ruleset(Config())
    size = sum(p.stat().st_size for p in docs_dir.rglob("*") if p.is_file())
    t0 = time.perf_counter()
    result = audit([str(docs_dir)], ruleset, Config(), ScanOptions())
    elapsed = time.perf_counter() - t0
    by_name = {Path(r.document.path).name: r for r in result.documents}

    leak_tp = leak_total = 0
    prec_tp = prec_total = 0
    ph_tp = ph_total = ph_found_tp = ph_found = 0
    cat_recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    cat_prec: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    checks = {k: {"tp": 0, "pos": 0, "fp": 0, "neg": 0} for k in ("length_leak", "style_mix")}
    misses, false_alarms, decoded = [], [], 0
    for name, entry in sorted(gold.items()):
        report = by_name.get(name)
        findings = report.findings if report else ()
        if report:
            decoded += 1
        spans = entry["spans"]
        alarms = [f for f in findings if f.kind in (Kind.LEAK, Kind.INCONSISTENCY)
                  and f.severity.rank >= Severity.WARNING.rank]
        leaks = [f for f in alarms if f.kind is Kind.LEAK]
        masks = [f for f in findings if f.kind is Kind.PLACEHOLDER]
        for s in spans:
            span = (s["start"], s["end"])
            cat = CATEGORY_ALIASES.get(s["category"], s["category"])
            if s["kind"] == "leak":
                leak_total += 1
                cat_recall[cat][1] += 1
                if any(overlaps(span, (f.start, f.end)) for f in alarms):
                    leak_tp += 1
                    cat_recall[cat][0] += 1
                else:
                    misses.append(f"{name}:{s['start']} {cat} leak missed")
            elif s["kind"] == "placeholder":
                ph_total += 1
                if any(overlaps(span, (f.start, f.end)) for f in masks):
                    ph_tp += 1
                else:
                    misses.append(f"{name}:{s['start']} {cat} placeholder missed")
        gold_ok = [(s["start"], s["end"]) for s in spans if s["kind"] in ("leak", "neutral")]
        for f in leaks:
            prec_total += 1
            cat_prec[f.category][1] += 1
            if any(overlaps((f.start, f.end), g) for g in gold_ok):
                prec_tp += 1
                cat_prec[f.category][0] += 1
            else:
                false_alarms.append(f"{name}:{f.start}-{f.end} {f.rule} {f.category}")
        gold_ph = [(s["start"], s["end"]) for s in spans if s["kind"] == "placeholder"]
        for f in masks:
            ph_found += 1
            if any(overlaps((f.start, f.end), g) for g in gold_ph):
                ph_found_tp += 1
            else:
                false_alarms.append(f"{name}:{f.start}-{f.end} {f.rule} placeholder {f.category}")
        for check, needle in (("length_leak", "length"), ("style_mix", "style")):
            truth = entry.get(check)
            if truth is None:
                continue
            flagged = any(f.kind is Kind.INCONSISTENCY and needle in f.rule for f in findings)
            c = checks[check]
            if truth:
                c["pos"] += 1
                c["tp"] += flagged
            else:
                c["neg"] += 1
                c["fp"] += flagged
    return {
        "documents": len(gold),
        "decoded": decoded,
        "errors": [f"{e.path}: {e.message}" for e in result.errors],
        "leak_recall": ratio(leak_tp, leak_total),
        "leak_precision": ratio(prec_tp, prec_total),
        "leaks": {"gold": leak_total, "found": leak_tp, "reported": prec_total},
        "placeholder_recall": ratio(ph_tp, ph_total),
        "placeholder_precision": ratio(ph_found_tp, ph_found),
        "recall_by_category": {k: ratio(*v) for k, v in sorted(cat_recall.items())},
        "precision_by_category": {k: ratio(*v) for k, v in sorted(cat_prec.items())},
        "document_checks": {k: {"recall": ratio(v["tp"], v["pos"]), "false_flag_rate": ratio(v["fp"], v["neg"]),
                                **v} for k, v in checks.items()},
        "throughput_mb_s": round(size / 1e6 / elapsed, 2) if elapsed else None,
        "seconds": round(elapsed, 3),
        "misses": misses,
        "false_alarms": false_alarms,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    parser.add_argument("--misses", action="store_true", help="list missed spans and false alarms")
    args = parser.parse_args()
    if not (args.corpus / "gold.json").is_file() or not (args.corpus / "docs").is_dir():
        print(f"evaluate: {args.corpus} has no gold.json and docs/", file=sys.stderr)
        return 2
    res = evaluate(args.corpus)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    print(f"corpus {args.corpus}: {res['documents']} documents, {res['decoded']} decoded, "
          f"{len(res['errors'])} errors")
    print(f"leak recall       {res['leak_recall']}  ({res['leaks']['found']}/{res['leaks']['gold']})")
    print(f"leak precision    {res['leak_precision']}  (of {res['leaks']['reported']} leak findings at warning+)")
    print(f"placeholder       recall {res['placeholder_recall']}  precision {res['placeholder_precision']}")
    print("recall by category    " + ", ".join(f"{k} {v}" for k, v in res["recall_by_category"].items()))
    print("precision by category " + ", ".join(f"{k} {v}" for k, v in res["precision_by_category"].items()))
    for k, v in res["document_checks"].items():
        print(f"check {k:12s} recall {v['recall']} ({v['tp']}/{v['pos']})  "
              f"false flags {v['false_flag_rate']} ({v['fp']}/{v['neg']})")
    print(f"throughput        {res['throughput_mb_s']} MB/s ({res['seconds']} s, in-process)")
    if args.misses:
        for line in res["misses"] + res["false_alarms"]:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
