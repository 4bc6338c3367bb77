#!/usr/bin/env python3
"""scrubadub's default detectors over every file of a folder, as one whole process: the yardstick
README "Measured" times redactaudit against. Needs `pip install scrubadub` (not a dependency).

Usage: python bench/scrubadub_scan.py DIR
"""

from __future__ import annotations

import pathlib
import sys

import scrubadub


def main() -> int:
    scrubber = scrubadub.Scrubber()
    found = 0
    for path in sorted(p for p in pathlib.Path(sys.argv[1]).iterdir() if p.is_file()):
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030", "latin-1"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        found += sum(1 for _ in scrubber.iter_filth(text))
    print(found, "filth")
    return 0


if __name__ == "__main__":
    sys.exit(main())
