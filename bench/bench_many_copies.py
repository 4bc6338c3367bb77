#!/usr/bin/env python3
"""Many copies of one text, one of them showing what the others mask: is the leak still found?

Usage: python bench/bench_many_copies.py MASKED LEAKED [--copies 500] [--versions] [--jobs N]

MASKED and LEAKED are two copies of one document (such as ../shared/corpus-dev/docs/
seed_000_orig.txt and seed_000_fill0.txt, read at run time): LEAKED shows values MASKED masks.
The scan of the pair alone gives the cross-document leaks to expect; then `--copies` copies of
MASKED (exact copies, or with --versions each with a line of its own, so every copy is a distinct
text) and one LEAKED are scanned together, and the leaks found in LEAKED are compared with the
pair's. Before issue 14 a text held by more than 64 documents paired with none: 0 leaks.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def leaks(folder: Path, name: str, jobs: str | None) -> tuple[list[tuple[int, int]], float, int]:
    cmd = [sys.executable, "-m", "redactaudit", "scan", str(folder), "-f", "json", "--fail-on", "never"]
    if jobs:
        cmd += ["--jobs", jobs]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=folder.parent)  # not this checkout's package
    if proc.returncode not in (0, 1):
        sys.exit(f"redactaudit failed: {proc.stderr[-500:]}")
    out = proc.stdout
    elapsed = time.perf_counter() - t0
    report = json.loads(out)
    found = sorted((f["start"], f["end"]) for f in report["findings"]
                   if f["rule"] == "consistency.cross-document" and f["path"].endswith(name))
    return found, elapsed, report["summary"]["documents"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("masked", type=Path)
    parser.add_argument("leaked", type=Path)
    parser.add_argument("--copies", type=int, default=500)
    parser.add_argument("--versions", action="store_true", help="each copy a distinct text (a line of its own)")
    parser.add_argument("--jobs", default=None)
    args = parser.parse_args()
    work = HERE / "_work" / "many-copies"
    shutil.rmtree(work, ignore_errors=True)
    pair, many = work / "pair", work / "many"
    pair.mkdir(parents=True)
    many.mkdir(parents=True)
    masked, leaked = args.masked.read_bytes(), args.leaked.read_bytes()
    (pair / "masked.txt").write_bytes(masked)
    (pair / "leaked.txt").write_bytes(leaked)
    for i in range(args.copies):
        head = f"第{i + 1}份\n".encode() if args.versions else b""
        (many / f"masked_{i:05d}.txt").write_bytes(head + masked)
    (many / "leaked.txt").write_bytes(leaked)
    expected, t_pair, _ = leaks(pair, "leaked.txt", args.jobs)
    found, t_many, docs = leaks(many, "leaked.txt", args.jobs)
    kind = "distinct versions" if args.versions else "exact copies"
    print(f"pair: {len(expected)} cross-document leaks in the leaking copy ({t_pair:.2f} s)")
    print(f"{args.copies} {kind} + 1 leaking copy ({docs} documents): {len(found)} leaks in it "
          f"({t_many:.2f} s); the same spans as the pair's: {found == expected}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if found == expected and expected else 1


if __name__ == "__main__":
    sys.exit(main())
