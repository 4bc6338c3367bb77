"""Baselines: findings accepted yesterday, so a gate fails only on what is new.

In: an AuditResult, or a baseline file. Out: the baseline (a sorted JSON document with no line
numbers, no plaintext and no timestamps, so it diffs cleanly and survives edits elsewhere in a
file), or the result with baselined findings removed and the stale entries listed.
Identity is content: a keyed hash of rule, category, path and the normalised value.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .identity import hash_key, keyed_hash, normalise_value
from .model import AuditResult, Finding
from .reporting.common import shown_path

VERSION = 1
_CHECK = "redactaudit-baseline-key-check"


class BaselineError(Exception):
    pass


def identity(f: Finding, key: bytes) -> str:
    return keyed_hash(f.rule, f.category, f.path, normalise_value(f.text), key=key, length=24)


def create(result: AuditResult) -> dict:
    key = hash_key()
    counts: Counter = Counter()
    about: dict[str, tuple[str, str, str]] = {}
    for f in result.findings:
        fp = identity(f, key)
        counts[fp] += 1
        about[fp] = (f.path, f.rule, f.category)
    entries = [{"path": shown_path(about[fp][0]), "rule": about[fp][1], "category": about[fp][2], "fingerprint": fp,
                "count": n} for fp, n in counts.items()]
    entries.sort(key=lambda e: (e["path"], e["rule"], e["category"], e["fingerprint"]))
    return {"version": VERSION, "key_check": keyed_hash(_CHECK, key=key), "entries": entries}


def dumps(baseline: dict) -> str:
    lines = ["{", f'  "version": {baseline["version"]},', f'  "key_check": {json.dumps(baseline["key_check"])},',
             '  "entries": [']
    lines.append(",\n".join("    " + json.dumps(e, ensure_ascii=False, sort_keys=True) for e in baseline["entries"]))
    lines += ["  ]", "}", ""]
    return "\n".join(lines)


def load(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("entries"), list):
        raise BaselineError(f"{path}: not a version {VERSION} redactaudit baseline")
    if data.get("key_check") != keyed_hash(_CHECK, key=hash_key()):
        raise BaselineError(f"{path}: made with another REDACTAUDIT_KEY; its fingerprints cannot be compared")
    for e in data["entries"]:
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str) or not isinstance(e.get("count"), int):
            raise BaselineError(f"{path}: an entry lacks fingerprint or count: {e!r}")
        if not all(isinstance(e.get(k), str) for k in ("path", "rule", "category")):
            raise BaselineError(f"{path}: an entry lacks path, rule or category: {e!r}")
    return data


def apply(result: AuditResult, baseline: dict) -> AuditResult:
    """Remove the findings the baseline accepts (as many of each as it counted); list stale entries."""
    key = hash_key()
    left = {e["fingerprint"]: e["count"] for e in baseline["entries"]}
    reports, hidden = [], 0
    for report in result.documents:
        kept, accepted = [], []
        for f in report.findings:
            fp = identity(f, key)
            if left.get(fp, 0) > 0:
                left[fp] -= 1
                hidden += 1
                accepted.append(f)
            else:
                kept.append(f)
        # Accepted findings are not shown, but their values stay masked in the others' excerpts.
        reports.append(replace(report, findings=tuple(kept), withheld=report.withheld + tuple(accepted)))
    stale = tuple(f"{e['path']} {e['rule']} {e['category']} {e['fingerprint']}" for e in baseline["entries"]
                  if left.get(e["fingerprint"], 0) > 0)
    return replace(result, documents=tuple(reports), baselined=hidden, stale=stale)
