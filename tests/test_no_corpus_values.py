"""The measuring corpora's values stay out of the project: a held-out corpus judges whether what
is built here generalises, and a value tuned on the visible ones (in a rule, an example, a word
list or a test) hides exactly what it is meant to show. Runs where the shared corpora sit beside
the repository (../shared), as on the development machines; skipped elsewhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = sorted(SHARED.glob("corpus-*/gold.json"))
# What identifies someone; figures, dates and place names are ordinary words of other texts too.
IDENTIFYING = {"person", "person_en", "phone", "phone_en", "idcard", "bankcard", "email", "plate", "qq", "ssn",
               "org", "address", "dob"}


def _values() -> dict[str, str]:
    values: dict[str, str] = {}
    for gold in CORPORA:
        for doc, entry in json.loads(gold.read_text(encoding="utf-8")).items():
            for span in entry["spans"]:
                if span["category"] not in IDENTIFYING:
                    continue
                for value in (span.get("text"), span.get("hidden")):
                    value = (value or "").strip()
                    if span["kind"] == "placeholder" and value == span.get("text"):
                        continue  # the mask itself (***, 某某) is no value
                    if len(value) >= 2 and not value.isascii() or len(value) >= 5:
                        values.setdefault(value, f"{gold.parent.name}/{doc}")
    return values


@pytest.mark.skipif(not CORPORA or not (ROOT / ".git").exists(), reason="the shared corpora are not beside this clone")
def test_no_identifying_value_of_the_corpora_is_in_the_project():
    values = _values()
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True).stdout
    found = []
    for name in tracked.split("\n"):
        if not name.startswith(("patterns/", "tests/", "redactaudit/", "samples/", "bench/", "tools/", "README")):
            continue
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        found += [f"{name}: a value of {where}" for value, where in values.items() if value in text]
    assert not found, "\n".join(found)
