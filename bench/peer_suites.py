#!/usr/bin/env python3
"""redactaudit against other projects' own test cases (Presidio's recognizer tests, python-stdnum's
cn.ric, cn.uscc and iban doctests, scrubadub's detector tests).

Usage: python bench/peer_suites.py [CASES] [--show-values] [--json]

CASES (default bench/peer_cases.jsonl) holds one case a line: the peer's text, the spans it
expects of one entity (none: a negative case), its source project, file, line and commit, and
`disagree` where redactaudit deliberately answers otherwise, with the reason. Nothing is fetched at
run time; tools/extract_peer_cases.py made the file from the peers' repositories (given this
file too, it carries the notes over: re-extracting today's repositories gives the same bytes).

A positive case is agreed when redactaudit's leaks of that entity's categories are exactly the
expected spans; a negative case when there is none. Every disagreement is listed, deliberate ones
with their reason; values are not printed unless --show-values. Exit status 1 when a disagreement
has no reason written down, or a deliberate one has become an agreement (the note is stale).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redactaudit.audit import load_ruleset  # noqa: E402
from redactaudit.config import Config  # noqa: E402
from redactaudit.engine.detect import detect  # noqa: E402
from redactaudit.model import Document, Kind  # noqa: E402

HERE = Path(__file__).resolve().parent
# A peer's entity -> the redactaudit categories that name it.
CATEGORIES = {"phone": {"phone", "phone_en"}, "bankcard": {"bankcard"}, "email": {"email"},
              "iban": {"iban"}, "ip": {"ip"}, "ssn": {"ssn"}, "idcard": {"idcard"}, "uscc": {"uscc"}}
SOURCES = ("presidio", "python-stdnum", "scrubadub")


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(case: dict, ruleset) -> tuple[bool, list[list[int]]]:
    """(agreed, the spans redactaudit reports as leaks of the case's entity)."""
    doc = Document(path=f"{case['source']}:{case['file']}:{case['line']}", text=case["text"],
                   encoding="utf-8", newline="none")
    wanted = CATEGORIES[case["entity"]]
    got = sorted([f.start, f.end] for f in detect(doc, ruleset) if f.kind is Kind.LEAK and f.category in wanted)
    return got == sorted(case["expected"]), got


def run(cases: list[dict]) -> dict:
    ruleset = load_ruleset(Config())
    tally: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"pos": [0, 0], "neg": [0, 0]})
    rows = []
    for case in cases:
        agreed, got = judge(case, ruleset)
        side = "pos" if case["positive"] else "neg"
        for key in (case["source"], "overall"):
            tally[key][side][0] += agreed
            tally[key][side][1] += 1
        if not case.get("peer_weak"):  # the same, without the cases the peer itself scores weak
            tally[case["source"] + " (confident)"][side][0] += agreed
            tally[case["source"] + " (confident)"][side][1] += 1
        reason = case.get("disagree")
        if not agreed or reason:
            rows.append({"case": case, "got": got, "agreed": agreed, "reason": reason})
    return {"tally": tally, "rows": rows}


def ratio(pair: list[int]) -> str:
    return f"{pair[0] / pair[1]:.4f} ({pair[0]}/{pair[1]})" if pair[1] else "-"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="?", default=str(HERE / "peer_cases.jsonl"))
    ap.add_argument("--show-values", action="store_true", help="print the case texts")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    cases = load_cases(Path(args.cases))
    result = run(cases)
    tally, rows = result["tally"], result["rows"]
    unexplained = [r for r in rows if not r["agreed"] and not r["reason"]]
    stale = [r for r in rows if r["agreed"] and r["reason"]]
    if args.json:
        print(json.dumps({"tally": {k: {s: {"agreed": v[s][0], "cases": v[s][1]} for s in v}
                                    for k, v in tally.items()},
                          "unexplained": len(unexplained), "stale": len(stale)}, sort_keys=True))
        return 1 if unexplained or stale else 0
    print(f"{'peer':<14} {'positives agreed':<22} negatives agreed")
    for key in (*SOURCES, "overall"):
        if key in tally:
            print(f"{key:<14} {ratio(tally[key]['pos']):<22} {ratio(tally[key]['neg'])}")
    weak = sum(1 for c in cases if c.get("peer_weak"))
    if weak:
        conf = tally["presidio (confident)"]
        print(f"\npresidio without the {weak} positives it scores below 0.5 itself: positives "
              f"{ratio(conf['pos'])}, negatives {ratio(conf['neg'])}")
    print()
    for r in rows:
        c = r["case"]
        label = ("stale note (now agreed)" if r["agreed"] else
                 "deliberate" if r["reason"] else "UNEXPLAINED")
        side = "positive" if c["positive"] else "negative"
        where = f"{c['source']} {c['file']}:{c['line']}"
        text = f" {c['text']!r}" if args.show_values else ""
        print(f"- {label}: {where} {c['entity']} {side}: expected {c['expected']}, got {r['got']}{text}")
        if r["reason"]:
            print(f"    why: {r['reason']}")
    print(f"\n{len(rows) - len(unexplained) - len(stale)} deliberate disagreements, "
          f"{len(unexplained)} unexplained, {len(stale)} stale notes")
    return 1 if unexplained or stale else 0


if __name__ == "__main__":
    sys.exit(main())
