"""What redact reports: the audit log (JSON, values as keyed hashes only), a masked unified diff,
and a short summary for the terminal."""

from __future__ import annotations

import difflib
import json
from collections import Counter
from typing import TextIO

from ..documents import LineIndex
from ..identity import hash_key, keyed_hash, normalise_value
from .common import masked_token, tool_info


def log_record(result) -> dict:
    key = hash_key()
    files, edits = [], []
    for item in sorted(result.files, key=lambda i: i.document.path):
        doc = item.document
        index = LineIndex(doc.text)
        files.append({"path": doc.path, "output": item.output, "encoding": doc.encoding, "bom": doc.bom,
                      "newline": doc.newline, "edits": len(item.edits)})
        for e in item.edits:
            line, column = index.position(e.start)
            edits.append({"path": doc.path, "start": e.start, "end": e.end, "line": line, "column": column,
                          "rule": e.rule, "kind": e.kind, "category": e.category, "action": e.action,
                          "fingerprint": keyed_hash(e.category, normalise_value(e.value), key=key)})
    remaining = [{"path": f.path, "rule": f.rule, "category": f.category, "severity": f.severity.value,
                  "line": f.line, "column": f.column} for f in result.remaining]
    return {"schema_version": 1, "tool": tool_info(), "policy": result.policy, "files": files, "edits": edits,
            "remaining": remaining, "errors": [{"path": e.path, "message": e.message} for e in result.errors],
            "summary": {"files": len(files), "changed": sum(1 for f in files if f["edits"]),
                        "edits": len(edits), "by_category": dict(sorted(Counter(e["category"] for e in edits).items())),
                        "remaining": len(remaining), "copied": len(result.copied)}}


def write_log(result, out: TextIO) -> None:
    json.dump(log_record(result), out, ensure_ascii=False, indent=1, sort_keys=False)
    out.write("\n")


def masked_original(item) -> str:
    """The original text with every edited value replaced by its category: what a diff may show."""
    parts, pos = [], 0
    text = item.document.text
    for e in sorted(item.edits, key=lambda e: e.start):
        parts.append(text[pos:e.start])
        parts.append(masked_token(e.category) if e.kind != "placeholder" else text[e.start:e.end])
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


def render_diff(result, out: TextIO, *, show_values: bool = False) -> None:
    for item in sorted(result.files, key=lambda i: i.document.path):
        if not item.edits:
            continue
        before = item.document.text if show_values else masked_original(item)
        out.writelines(difflib.unified_diff(
            before.splitlines(keepends=True), item.text.splitlines(keepends=True),
            fromfile=item.document.path, tofile=item.output, n=1))
        if not item.text.endswith(("\n", "\r")):
            out.write("\n")


def render_summary(result, out: TextIO, *, dry_run: bool = False) -> None:
    record = log_record(result)["summary"]
    verb = "would change" if dry_run else "changed"
    out.write(f"redact ({result.policy}): {record['files']} files, {verb} {record['changed']}, "
              f"{record['edits']} edits")
    if record["by_category"]:
        out.write(" (" + ", ".join(f"{k} {v}" for k, v in record["by_category"].items()) + ")")
    out.write("\n")
    for f in result.remaining:
        out.write(f"still there after redaction: {f.path}:{f.line}:{f.column} {f.rule} {f.category} "
                  f"{f.severity.value}\n")
    for e in result.errors:
        out.write(f"error {e.path}: {e.message}\n")
