#!/usr/bin/env python3
"""Regenerate the example reports in reports/ from the bundled samples.

Usage: python tools/make_reports.py [OUT_DIR]   (default: reports/)

One scan of samples/docs/ rendered in every format: terminal (a 100-column capture without colour),
markdown, JSON, SARIF. The test suite runs this into a temporary folder and fails when reports/
is stale, so the examples in the repository always show what the tool prints today.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redactaudit.audit import ScanOptions, audit, fails, load_ruleset  # noqa: E402
from redactaudit.audit.scan import rule_infos  # noqa: E402
from redactaudit.config import Config  # noqa: E402
from redactaudit.reporting import ReportOptions, render  # noqa: E402

FILES = {"terminal": "samples.txt", "markdown": "samples.md", "json": "samples.json", "sarif": "samples.sarif"}


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "reports"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.pop("REDACTAUDIT_KEY", None)  # the examples use the public default key
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the reports read samples/..., wherever this is run from
    try:
        config = Config()
        ruleset = load_ruleset(config)
        result = audit(["samples/docs"], ruleset, config, ScanOptions())
        failed = fails(result, "error")
        options = ReportOptions(fail_on="error", failed=failed, width=100, color=False, rules=rule_infos(ruleset))
        for fmt, name in FILES.items():
            buf = io.StringIO()
            render(fmt, result, buf, options)
            (out / name).write_text(buf.getvalue(), encoding="utf-8")
    finally:
        os.chdir(cwd)
    print(f"wrote {', '.join(FILES.values())} to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
