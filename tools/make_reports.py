#!/usr/bin/env python3
"""Regenerate the example reports in reports/ from the bundled samples.

Usage: python tools/make_reports.py [OUT_DIR]   (default: reports/)

One scan of samples/docs/ rendered in every format: the terminal report as a terminal of 80 and
of 160 columns shows it (tests/test_terminal.py checks these against tmux captures of
`redactaudit scan samples/docs/`), markdown, JSON, SARIF and HTML. The test suite runs this into
a temporary folder and fails when reports/ is stale, so the examples in the repository always
show what the tool prints today.

`--screenshots` also writes reports/samples.html.png, the HTML report in headless Chromium
(Debian's package), tagged with the SHA-256 of the page it shows (a test checks the tag against
reports/samples.html, so a stale screenshot fails like a stale report).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redactaudit.audit import ScanOptions, audit, fails, load_ruleset  # noqa: E402
from redactaudit.audit.scan import rule_infos  # noqa: E402
from redactaudit.config import Config  # noqa: E402
from redactaudit.reporting import ReportOptions, render  # noqa: E402

FILES = {"markdown": "samples.md", "json": "samples.json", "sarif": "samples.sarif", "html": "samples.html"}
WIDTHS = {80: "samples.80.txt", 160: "samples.160.txt"}  # terminal captures
SCREENSHOT = "samples.html.png"


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    out = Path(args[0]) if args else ROOT / "reports"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.pop("REDACTAUDIT_KEY", None)  # the examples use the public default key
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in the reports read samples/..., wherever this is run from
    try:
        config = Config()
        ruleset = load_ruleset(config)
        result = audit(["samples/docs/"], ruleset, config, ScanOptions())
        failed = fails(result, "error")
        options = ReportOptions(fail_on="error", failed=failed, width=100, color=False, rules=rule_infos(ruleset))
        written = []
        for fmt, name in FILES.items():
            buf = io.StringIO()
            render(fmt, result, buf, options)
            (out / name).write_text(buf.getvalue(), encoding="utf-8")
            written.append(name)
        for width, name in WIDTHS.items():
            buf = io.StringIO()
            render("terminal", result, buf, replace(options, width=width))
            (out / name).write_text(buf.getvalue(), encoding="utf-8")
            written.append(name)
        if "--screenshots" in sys.argv:
            (out / SCREENSHOT).write_bytes(screenshot(out / FILES["html"]))
            written.append(SCREENSHOT)
    finally:
        os.chdir(cwd)
    print(f"wrote {', '.join(written)} to {out}")
    return 0


def screenshot(page: Path) -> bytes:
    """The page's top, 1280x900, in headless Chromium, tagged with the page's SHA-256."""
    from tests.chromium import Browser, png_with_text

    with Browser(width=1280, height=900) as browser:
        browser.open(page)
        png = browser.screenshot()
    return png_with_text(png, "redactaudit-page-sha256", hashlib.sha256(page.read_bytes()).hexdigest())


if __name__ == "__main__":
    sys.exit(main())
