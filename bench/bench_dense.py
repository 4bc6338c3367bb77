#!/usr/bin/env python3
"""A dense folder: copies of real-style documents, about 3.5 findings per KB, thousands of files.

Usage: python bench/bench_dense.py CORPUS_DOCS [--mb 20] [--out DIR]

Copies every file of CORPUS_DOCS (such as ../shared/corpus-dev/docs, read at run time and never
stored in this repository) round after round under unique names (`r0007_seed_000_orig.txt`) until
the folder holds `--mb` megabytes, each copy byte for byte as it is (so GBK, CRLF and wrapped
variants stay what they are). Many copies of one text, some masking what others show, is the case
the cross-document check must handle at any scale. `bench_vs_ripgrep.py --dense` times it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def generate_dense(corpus: Path, folder: Path, mb: float, files: int | None = None) -> tuple[int, int]:
    """(bytes, files) written to `folder` from copies of the files in `corpus`: `mb` megabytes of
    them, or exactly `files` files."""
    sources = sorted(p for p in corpus.iterdir() if p.is_file())
    if not sources:
        raise SystemExit(f"{corpus}: no files to copy")
    blobs = [(p.name, p.read_bytes()) for p in sources]
    folder.mkdir(parents=True, exist_ok=True)
    target = int(mb * 1_000_000)
    total = written = 0
    rnd = 0
    while (written < files) if files else (total < target):
        for name, data in blobs:
            (folder / f"r{rnd:04d}_{name}").write_bytes(data)
            total += len(data)
            written += 1
            if (written >= files) if files else (total >= target):
                break
        rnd += 1
    return total, written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder of documents to copy (e.g. ../shared/corpus-dev/docs)")
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--files", type=int, default=None, help="write this many files instead of --mb")
    parser.add_argument("--out", type=Path, default=HERE / "_work" / "dense" / "docs")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    size, files = generate_dense(args.corpus, args.out, args.mb, args.files)
    print(f"{args.out}: {files} files, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
