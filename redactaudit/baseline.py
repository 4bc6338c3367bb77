"""Baselines: findings accepted yesterday, so a gate fails only on what is new.

In: an AuditResult, or a baseline file. Out: the baseline (a sorted JSON document with no line
numbers, no plaintext and no timestamps, so it diffs cleanly and survives edits elsewhere in a
file), or the result with baselined findings removed and the stale entries listed.
Identity is the findings' own fingerprint (identity.fingerprint: rule, path and the normalised
value under the key), the one every report shows; an entry's path is the one the fingerprint
hashes (identity.canonical_path), so baselines made from `docs` and `./docs` are the same file.
Version 1 baselines (rule, category, path and value, 24 hex digits) still load and apply;
`baseline update` rewrites them as version 2.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .identity import canonical_path, keyed_hash, normalise_value
from .model import AuditResult, Finding
from .reporting.common import shown_path

VERSION = 2
_READS = (1, 2)
_CHECK = "redactaudit-baseline-key-check"


class BaselineError(Exception):
    pass


def _first_identity(f: Finding, key: bytes) -> str:
    """A finding's identity in version 1 baselines."""
    return keyed_hash(f.rule, f.category, f.path, normalise_value(f.text), key=key, length=24)


def create(result: AuditResult, key: bytes) -> dict:
    counts: Counter = Counter()
    about: dict[str, tuple[str, str, str]] = {}
    for f in result.findings:
        fp = f.fingerprint
        counts[fp] += 1
        about[fp] = (canonical_path(f.path), f.rule, f.category)
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


def load(path: Path, key: bytes) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: {exc})") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a baseline (invalid JSON: nested too deeply)") from None
    if not isinstance(data, dict) or data.get("version") not in _READS or not isinstance(data.get("entries"), list):
        raise BaselineError(f"{path}: not a redactaudit baseline (version {' or '.join(map(str, _READS))})")
    if data.get("key_check") != keyed_hash(_CHECK, key=key):
        raise BaselineError(f"{path}: made with another REDACTAUDIT_KEY; its fingerprints cannot be compared")
    for e in data["entries"]:
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str) or not isinstance(e.get("count"), int):
            raise BaselineError(f"{path}: an entry lacks fingerprint or count: {e!r}")
        if not all(isinstance(e.get(k), str) for k in ("path", "rule", "category")):
            raise BaselineError(f"{path}: an entry lacks path, rule or category: {e!r}")
    return data


def apply(result: AuditResult, baseline: dict, key: bytes) -> AuditResult:
    """Remove the findings the baseline accepts (as many of each as it counted); list stale entries."""
    identity = (lambda f: f.fingerprint) if baseline["version"] >= 2 else (lambda f: _first_identity(f, key))
    left = {e["fingerprint"]: e["count"] for e in baseline["entries"]}
    reports, hidden = [], 0
    for report in result.documents:
        kept, accepted = [], []
        for f in report.findings:
            fp = identity(f)
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


def compare(result: AuditResult, old: dict, key: bytes) -> tuple[int, int, int]:
    """(added, removed, kept) entries when `old` is rewritten from `result`; an old baseline of the
    first format is matched through its own identity."""
    after = {f.fingerprint for f in result.findings}
    if old["version"] >= 2:
        before = {e["fingerprint"] for e in old["entries"]}
        return len(after - before), len(before - after), len(after & before)
    old_ids = {e["fingerprint"] for e in old["entries"]}
    matched, kept = set(), set()
    for f in result.findings:
        first = _first_identity(f, key)
        if first in old_ids:
            matched.add(first)
            kept.add(f.fingerprint)
    return len(after - kept), len(old_ids - matched), len(kept)
