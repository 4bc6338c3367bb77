"""Golden redactions: for each case and preset, the redacted text and the audit log are files in
tests/golden/redact/<case>/ so a change shows as a diff in review (regenerate: tests/golden/regen.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from redactaudit.audit import RedactOptions, load_ruleset, redact
from redactaudit.config import Config
from redactaudit.policy import load_policy
from redactaudit.reporting.redaction import log_record

GOLDEN = Path(__file__).resolve().parent / "golden" / "redact"
CASES = [(case, preset) for case in ("notice_zh", "judgment_zh", "letter_en")
         for preset in ("zh-gov", "zh-court", "en-basic")]


def redact_case(case: str, preset: str) -> tuple[str, dict]:
    # Run from the case folder on the relative name: a finding's fingerprint is keyed on its path,
    # so an absolute path would make the expected logs depend on where the checkout lies.
    cwd = os.getcwd()
    os.chdir(GOLDEN / case)
    try:
        result = redact(["input.txt"], load_ruleset(Config()), Config(), load_policy(preset),
                        RedactOptions(dry_run=True))
    finally:
        os.chdir(cwd)
    log = log_record(result)
    for f in log["files"]:  # paths relative to the case folder, so the files do not depend on the checkout
        f["path"] = f["output"] = "input.txt"
    for e in log["edits"] + log["remaining"]:
        e["path"] = "input.txt"
    return result.files[0].text, log


@pytest.mark.parametrize("case, preset", CASES, ids=[f"{c}-{p}" for c, p in CASES])
def test_golden(case, preset, monkeypatch):
    monkeypatch.delenv("REDACTAUDIT_KEY", raising=False)
    monkeypatch.chdir(GOLDEN / case)
    text, log = redact_case(case, preset)
    folder = GOLDEN / case
    assert text == (folder / f"expected.{preset}.txt").read_text(encoding="utf-8")
    assert log == json.loads((folder / f"expected.{preset}.log.json").read_text(encoding="utf-8"))
