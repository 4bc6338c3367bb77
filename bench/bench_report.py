#!/usr/bin/env python3
"""What the terminal report costs next to the JSON report, on the same folder, whole CLI runs.

Usage: python bench/bench_report.py SOURCE_FOLDER [--files 5000] [--pairs 5]

Copies the text files of SOURCE_FOLDER round-robin into bench/_work/report/ until it holds
--files files (100 per sub-folder), then runs `redactaudit scan FOLDER --color always` (the
terminal report, as on a terminal) and `redactaudit scan FOLDER -f json` alternately, --pairs
times each, output thrown away, and prints each run's CPU time (user + system, from the
operating system's accounting of the finished child) and the median ratio terminal / JSON.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def cpu_of(cmd: list[str]) -> float:
    before = os.times()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a folder of text documents to copy")
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    sources = sorted(p for p in args.source.rglob("*.txt") if p.is_file())
    if not sources:
        print(f"no .txt files under {args.source}", file=sys.stderr)
        return 2
    work = HERE / "_work" / "report"
    shutil.rmtree(work, ignore_errors=True)
    for i in range(args.files):
        folder = work / f"d{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        src = sources[i % len(sources)]
        shutil.copyfile(src, folder / f"{i:05d}_{src.name}")
    base = [sys.executable, "-m", "redactaudit", "scan", str(work)]
    cpu_of(base + ["-f", "json"])  # warm-up: the page cache, the compiled files
    terminal, json_ = [], []
    for _ in range(args.pairs):
        terminal.append(cpu_of(base + ["--color", "always"]))
        json_.append(cpu_of(base + ["-f", "json"]))
    ratios = sorted(t / j for t, j in zip(terminal, json_))
    print(f"{args.files} files: terminal {', '.join(f'{t:.1f}' for t in terminal)} s CPU; "
          f"JSON {', '.join(f'{j:.1f}' for j in json_)} s CPU")
    print(f"terminal / JSON, pair by pair: median {statistics.median(ratios):.3f} "
          f"(min {ratios[0]:.3f}, max {ratios[-1]:.3f})")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
