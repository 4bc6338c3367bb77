#!/usr/bin/env python3
"""Rewrite the expected outputs of the golden redaction cases (review the diff before committing).

Usage: python tests/golden/regen.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from tests.test_golden import CASES, redact_case  # noqa: E402


def main() -> int:
    os.environ.pop("REDACTAUDIT_KEY", None)
    for case, preset in CASES:
        folder = HERE / "redact" / case
        os.chdir(folder)  # the input is named by its path relative to its case folder
        text, log = redact_case(case, preset)
        (folder / f"expected.{preset}.txt").write_text(text, encoding="utf-8")
        (folder / f"expected.{preset}.log.json").write_text(json.dumps(log, ensure_ascii=False, indent=1) + "\n",
                                                           encoding="utf-8")
        print(f"{case} {preset}: {len(log['edits'])} edits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
