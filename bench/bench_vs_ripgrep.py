#!/usr/bin/env python3
"""The whole `redactaudit scan` against ripgrep on the same folders of Chinese documents.

Usage: apt-get install ripgrep (or pip install --only-binary=:all: ripgrep)
       python bench/bench_vs_ripgrep.py [--mb 40] [--docs 8000] [--dense CORPUS_DOCS [--dense-mb 20]]
                                        [--scrubadub PYTHON]

ripgrep runs single-threaded (`rg -j1 --count-matches -f bench/rg-rules.txt`) with 21 regexes of
the kinds redactaudit's packs hold (masks, identifiers, figures); redactaudit runs its full rule
set with the JSON report written to a file, in one process (`--jobs 1`) and with its default
jobs (every core). The sparse folder is bench_scan.py's generated documents; with --dense, the
same run also times a dense folder made by bench_dense.py from copies of CORPUS_DOCS (such as
../shared/corpus-dev/docs: about 3.5 findings per KB, copies that mask what others show). Each
command is timed three times; the best run counts. The cost per finding is the CPU time (user and
system) of the best `--jobs 1` run over the findings its JSON report counts. With --scrubadub
(a Python that has scrubadub installed), the same run also times scrubadub_scan.py on each folder.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_dense import generate_dense  # noqa: E402
from bench_scan import generate  # noqa: E402


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(cmd: list[str], runs: int = 3) -> tuple[float, float]:
    """(wall, CPU) seconds of the run with the least wall time."""
    times = []
    for _ in range(runs):
        c0, t0 = _cpu(), time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=HERE / "_work")  # the installed package, not ./redactaudit
        times.append((time.perf_counter() - t0, _cpu() - c0))
        if proc.returncode not in (0, 1):
            sys.exit(f"{cmd[0]} failed: {proc.stderr.decode(errors='replace')[:300]}")
    return min(times)


def best(cmd: list[str], runs: int = 3) -> float:
    return timed(cmd, runs)[0]


def compare(rg: str, folder: Path, size: int, label: str, scrubadub: str | None = None) -> None:
    files = sum(1 for p in folder.iterdir() if p.is_file())
    report = folder.parent / "report.json"
    t_rg = best([rg, "-j1", "--count-matches", "-f", str(HERE / "rg-rules.txt"), str(folder)])
    scan = [sys.executable, "-m", "redactaudit", "scan", str(folder), "--format", "json", "--output", str(report),
            "--fail-on", "never"]
    t_one, cpu_one = timed([*scan, "--jobs", "1"])
    findings = json.loads(report.read_text(encoding="utf-8"))["summary"]["findings"]
    t_all = best(scan)
    mb = size / 1e6
    print(f"{label}: {files} documents, {mb:.1f} MB, {findings} findings ({findings / (size / 1000):.1f} per KB)")
    print(f"  ripgrep (21 regexes, -j1):          {t_rg:6.2f} s = {mb / t_rg:7.1f} MB/s")
    print(f"  redactaudit scan --jobs 1:          {t_one:6.2f} s = {mb / t_one:7.1f} MB/s  = 1/{t_one / t_rg:.0f} of ripgrep")
    print(f"  redactaudit scan (default jobs):    {t_all:6.2f} s = {mb / t_all:7.1f} MB/s  = 1/{t_all / t_rg:.0f} of ripgrep, "
          f"{t_one / t_all:.2f}x --jobs 1")
    if scrubadub:
        t_sd, cpu_sd = timed([scrubadub, str(HERE / "scrubadub_scan.py"), str(folder)])
        print(f"  scrubadub (default detectors):      {t_sd:6.2f} s = {mb / t_sd:7.1f} MB/s; redactaudit --jobs 1 takes "
              f"{cpu_one / cpu_sd:.2f}x its CPU time")
    if findings:
        print(f"  per finding, --jobs 1:              {cpu_one / findings * 1e6:6.0f} µs CPU, "
              f"{t_one / findings * 1e6:.0f} µs wall")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=40.0)
    parser.add_argument("--docs", type=int, default=8000)
    parser.add_argument("--rate", type=float, default=0.025, help="see bench_scan.py --rate")
    parser.add_argument("--dense", type=Path, default=None, help="a folder of documents to copy into a dense folder")
    parser.add_argument("--dense-mb", type=float, default=20.0)
    parser.add_argument("--scrubadub", default=None, help="a Python with scrubadub installed: time it too")
    args = parser.parse_args()
    rg = shutil.which("rg") or str(Path(sys.executable).parent / "rg")
    if not Path(rg).exists():
        print("ripgrep not found: apt-get install ripgrep, or pip install --only-binary=:all: ripgrep", file=sys.stderr)
        return 2
    work = HERE / "_work" / "vs-rg"
    shutil.rmtree(work, ignore_errors=True)
    size = generate(work / "sparse" / "docs", args.mb, args.docs, rate=args.rate)
    compare(rg, work / "sparse" / "docs", size, "sparse (generated)", args.scrubadub)
    if args.dense is not None:
        size, _ = generate_dense(args.dense, work / "dense" / "docs", args.dense_mb)
        compare(rg, work / "dense" / "docs", size, f"dense (copies of {args.dense})", args.scrubadub)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
