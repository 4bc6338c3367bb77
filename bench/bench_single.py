#!/usr/bin/env python3
"""One process, one document at a time: start-up, growth with one large file, cost per finding.

Usage: python bench/bench_single.py [--from DIR] [--large-mb 50] [--dense DIR]

- start-up: `redactaudit scan` of one small file (a pre-commit hook's case), best of 5;
- linear: one file of 1 MB and one of --large-mb MB, both made of the documents in --from (the
  development corpus by default) joined end to end; the large one's time against --large-mb times
  the small one's, and its peak memory against its size;
- per finding: the whole `scan --format json` of --dense (a folder; default: the --from folder),
  its MB/s and the seconds per finding it reports.

Times are whole processes (wall clock, best of the runs), so they include start-up.
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
RSS = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
       "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def run(args: list[str], runs: int) -> tuple[float, int]:
    """Best wall time of `runs` runs and the largest peak memory (KiB) of the scan process."""
    best, peak = float("inf"), 0
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", RSS, sys.executable, "-m", "redactaudit", *args],
                              capture_output=True, text=True)
        best = min(best, time.perf_counter() - t0)
        peak = max(peak, int(proc.stdout.split()[-1]))
    return best, peak


def joined(source: Path, size: int, out: Path) -> Path:
    """`size` bytes of the documents in `source` (decoded, UTF-8), joined end to end."""
    texts = []
    for f in sorted(p for p in source.iterdir() if p.is_file()):
        data = f.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                texts.append(data.decode(encoding).replace("\r\n", "\n"))
                break
            except UnicodeDecodeError:
                continue
    unit = ("\n".join(texts) + "\n").encode()
    body = (unit * (size // len(unit) + 1))[:size].decode("utf-8", "ignore").encode()
    out.mkdir(parents=True, exist_ok=True)
    (out / "doc.txt").write_bytes(body)
    return out / "doc.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, default=HERE.parent.parent / "shared" / "corpus-dev" / "docs")
    parser.add_argument("--large-mb", type=int, default=50)
    parser.add_argument("--dense", type=Path, default=None)
    args = parser.parse_args()
    work = HERE / "_work" / "single"
    shutil.rmtree(work, ignore_errors=True)
    scan = ["scan", "--format", "json", "--fail-on", "never", "--output", str(work / "report.json")]

    tiny = work / "tiny" / "one.txt"
    tiny.parent.mkdir(parents=True)
    tiny.write_text("联系人张三同志，电话13812345678。\n", encoding="utf-8")
    start, _ = run(["scan", str(tiny), "--fail-on", "never"], 5)
    print(f"start-up, one small file:        {start:.2f} s")

    small = joined(args.source, 1_000_000, work / "1mb")
    large = joined(args.source, args.large_mb * 1_000_000, work / "large")
    t_small, _ = run([*scan, str(small)], 3)
    t_large, peak = run([*scan, str(large)], 1)
    print(f"one 1 MB file:                   {t_small:.2f} s = {1 / t_small:.2f} MB/s")
    print(f"one {args.large_mb} MB file:                  {t_large:.2f} s = {args.large_mb / t_large:.2f} MB/s, "
          f"{t_large / (args.large_mb * t_small):.2f}x {args.large_mb} times the 1 MB file; "
          f"peak {peak / 1024:.0f} MiB = {peak * 1024 / (args.large_mb * 1e6):.1f}x its size")

    dense = args.dense or args.source
    size = sum(p.stat().st_size for p in dense.rglob("*") if p.is_file())
    t_dense, _ = run([*scan, str(dense)], 3)
    findings = json.loads((work / "report.json").read_text(encoding="utf-8"))["summary"]["findings"]
    print(f"{dense}: {size / 1e6:.1f} MB, {findings} findings: {t_dense:.2f} s = {size / 1e6 / t_dense:.2f} MB/s, "
          f"{t_dense / findings * 1e6:.0f} µs per finding (whole process)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
