#!/usr/bin/env python3
"""The whole `redactaudit scan` against ripgrep on the same folder of small Chinese documents.

Usage: pip install --only-binary=:all: ripgrep && python bench/bench_vs_ripgrep.py [--mb 40] [--docs 8000]

ripgrep runs single-threaded (`rg -j1 --count-matches -f bench/rg-rules.txt`) with 21 regexes of
the kinds redactaudit's packs hold (masks, identifiers, figures); redactaudit runs its full rule
set, single process, with the JSON report written to a file. Both are timed three times on the
same generated folder (bench_scan.py's documents); the best run of each counts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_scan import generate  # noqa: E402


def best(cmd: list[str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            sys.exit(f"{cmd[0]} failed: {proc.stderr.decode(errors='replace')[:300]}")
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--docs", type=int, default=8000)
    parser.add_argument("--rate", type=float, default=0.025, help="see bench_scan.py --rate")
    args = parser.parse_args()
    rg = shutil.which("rg") or str(Path(sys.executable).parent / "rg")
    if not Path(rg).exists():
        print("ripgrep not found: pip install --only-binary=:all: ripgrep", file=sys.stderr)
        return 2
    work = HERE / "_work" / "vs-rg"
    shutil.rmtree(work, ignore_errors=True)
    size = generate(work / "docs", args.mb, args.docs, rate=args.rate)
    files = len(list((work / "docs").iterdir()))
    t_rg = best([rg, "-j1", "--count-matches", "-f", str(HERE / "rg-rules.txt"), str(work / "docs")])
    t_ra = best([sys.executable, "-m", "redactaudit", "scan", str(work / "docs"), "--format", "json",
                 "--output", str(work / "report.json"), "--fail-on", "never"])
    mb = size / 1e6
    print(f"{files} documents, {mb:.1f} MB")
    print(f"ripgrep (21 regexes, -j1):        {t_rg:.2f} s = {mb / t_rg:7.1f} MB/s")
    print(f"redactaudit scan (full rule set): {t_ra:.2f} s = {mb / t_ra:7.1f} MB/s  "
          f"= 1/{t_ra / t_rg:.0f} of ripgrep")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
