#!/usr/bin/env python3
"""Check a redaction of a labelled corpus against the redact issue's acceptance figures.

Usage: python bench/redact_check.py CORPUS_DIR [--policy zh-gov]

Redacts CORPUS_DIR/docs into a temporary folder with the CLI, then measures: leaks at warning or
above left by a re-scan; gold leak spans that were not changed; characters changed outside gold
spans (share of the text); mask styles and widths per category in the output; whether a second
redaction changes anything; encodings and line ends kept.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redactaudit.decoding import decode, newline_style  # noqa: E402


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "redactaudit", *args], capture_output=True, text=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--policy", default="zh-gov")
    args = parser.parse_args()
    gold = json.loads((args.corpus / "gold.json").read_text(encoding="utf-8"))
    docs = args.corpus / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        out1, out2 = Path(tmp) / "once", Path(tmp) / "twice"
        first = run("redact", str(docs), "--policy", args.policy, "--out", str(out1), "--log", str(Path(tmp) / "log1.json"))
        second = run("redact", str(out1), "--policy", args.policy, "--out", str(out2), "--log", str(Path(tmp) / "log2.json"))
        scan = json.loads(run("scan", str(out1), "--format", "json", "--fail-on", "never").stdout)
        left = [f for f in scan["findings"] if f["kind"] == "leak" and f["severity"] in ("warning", "error")]
        unchanged, outside, total = [], 0, 0
        kept_encoding = kept_newline = True
        styles = defaultdict(set)  # per document and category: one style and width expected
        for f in scan["findings"]:
            if f["kind"] == "placeholder" and f["category"] != "unknown":
                styles[(Path(f["path"]).name, f["category"])].add((f.get("style"), f.get("width")))
        idempotent = True
        where = {p.name: p.relative_to(docs) for p in docs.rglob("*") if p.is_file()}  # gold names files
        for name, entry in sorted(gold.items()):
            raw_in, raw_out = (docs / where[name]).read_bytes(), (out1 / where[name]).read_bytes()
            text_in, enc_in, _, _ = decode(raw_in)
            text_out, enc_out, _, _ = decode(raw_out)
            kept_encoding &= enc_in == enc_out
            kept_newline &= newline_style(text_in) == newline_style(text_out)
            idempotent &= (out2 / where[name]).read_bytes() == raw_out
            covered = [(s["start"], s["end"]) for s in entry["spans"]]
            matcher = difflib.SequenceMatcher(None, text_in, text_out, autojunk=False)
            changed = []
            for tag, i1, i2, _, _ in matcher.get_opcodes():
                if tag != "equal":
                    changed.append((i1, i2))
                    outside += sum(1 for i in range(i1, max(i2, i1 + 1))
                                   if not any(a <= i < b for a, b in covered))
            total += len(text_in)
            for s in entry["spans"]:
                if s["kind"] == "leak" and not any(i1 < s["end"] and s["start"] < max(i2, i1 + 1) for i1, i2 in changed):
                    unchanged.append(f"{name}:{s['start']} {s['category']}")
        print(f"redact exit codes: first {first.returncode}, second {second.returncode}")
        print(f"leaks at warning or above after redaction: {len(left)}")
        for f in left[:10]:
            print(f"  {f['path']}:{f['line']}:{f['column']} {f['rule']} {f['category']}")
        print(f"gold leak spans left unchanged: {len(unchanged)}")
        for u in unchanged[:10]:
            print("  " + u)
        print(f"characters changed outside gold spans: {outside} of {total} ({outside / total:.2%})")
        mixed = {f"{d}:{c}": sorted(v, key=str) for (d, c), v in styles.items() if len(v) > 1}
        print(f"documents x categories with more than one mask style/width in the output: {mixed or 'none'}")
        print(f"second redaction changes nothing: {idempotent}")
        print(f"encodings kept: {kept_encoding}; line ends kept: {kept_newline}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
