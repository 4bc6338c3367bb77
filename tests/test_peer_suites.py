"""Other projects' test cases (bench/peer_cases.jsonl): every disagreement has its reason written
down, and no written reason is stale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "peer_suites.py"


def test_every_disagreement_with_a_peer_is_explained():
    spec = importlib.util.spec_from_file_location("peer_suites", BENCH)
    suites = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suites)
    result = suites.run(suites.load_cases(BENCH.parent / "peer_cases.jsonl"))
    rows = result["rows"]
    unexplained = [(r["case"]["file"], r["case"]["line"]) for r in rows if not r["agreed"] and not r["reason"]]
    stale = [(r["case"]["file"], r["case"]["line"]) for r in rows if r["agreed"] and r["reason"]]
    assert unexplained == [] and stale == []
    overall = result["tally"]["overall"]
    assert overall["pos"][0] / overall["pos"][1] >= 0.95
    assert overall["neg"][0] / overall["neg"][1] >= 0.99
