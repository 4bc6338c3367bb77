#!/usr/bin/env python3
"""Turn samples/labels.yaml into samples/gold.json (exact code-point offsets), the format
bench/evaluate.py reads, so the README can show the evaluation of the project's own samples.

Usage: python tools/make_sample_gold.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redactaudit.decoding import decode_bytes  # noqa: E402


def main() -> int:
    labels = yaml.safe_load((ROOT / "samples" / "labels.yaml").read_text(encoding="utf-8"))
    files = {p.name: p for p in (ROOT / "samples" / "docs").rglob("*.txt")}
    gold = {}
    for name, entry in labels.items():
        text, encoding, _ = decode_bytes(files[name].read_bytes())
        spans = []
        for item in entry["spans"]:
            snippet, kind, category, nth = (list(item) + [0])[:4]
            # "先后⟦**⟧次": the span is the part in ⟦ ⟧, found with the words around it.
            before, _, rest = snippet.partition("⟦") if "⟦" in snippet else ("", "", snippet + "⟧")
            value, _, after = rest.partition("⟧")
            start = -1
            for _ in range(nth + 1):
                start = text.find(before + value + after, start + 1)
                if start < 0:
                    sys.exit(f"{name}: {snippet!r} (occurrence {nth}) not found")
            start += len(before)
            spans.append({"start": start, "end": start + len(value), "text": value, "kind": kind,
                          "category": category})
        gold[name] = {"encoding": encoding.replace("utf-8-sig", "utf-8"), "length_leak": entry["length_leak"],
                      "style_mix": entry["style_mix"], "spans": sorted(spans, key=lambda s: s["start"])}
    (ROOT / "samples" / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    print(f"samples/gold.json: {sum(len(g['spans']) for g in gold.values())} spans in {len(gold)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
