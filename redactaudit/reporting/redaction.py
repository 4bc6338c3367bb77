"""What redact reports: the audit log (JSON lines written as the run goes, values as keyed hashes
only), a masked diff inside the line, and a short summary for the terminal."""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from typing import TextIO

from ..vocabulary import partial_shape
from .common import masked_token, printable, shown_path, tool_info


def _edit_records(item) -> list[dict]:
    doc = item.document
    records = []
    for e in item.edits:
        line, column = doc.lines.position(e.start)
        records.append({"path": doc.path, "start": e.start, "end": e.end, "line": line, "column": column,
                        "rule": e.rule, "kind": e.kind, "category": e.category, "action": e.action,
                        "fingerprint": e.fingerprint})
    return records


def log_record(result) -> dict:
    """The whole run in one record (the log's last line carries its summary, remaining and errors)."""
    files, edits = [], []
    for item in sorted(result.files, key=lambda i: i.document.path):
        doc = item.document
        files.append({"path": doc.path, "output": item.output, "encoding": doc.encoding, "bom": doc.bom,
                      "newline": doc.newline, "edits": len(item.edits)})
        edits += _edit_records(item)
    remaining = [{"path": f.path, "rule": f.rule, "category": f.category, "severity": f.severity.value,
                  "line": f.line, "column": f.column} for f in result.remaining]
    return {"schema_version": 1, "tool": tool_info(), "policy": result.policy, "files": files, "edits": edits,
            "remaining": remaining, "errors": [{"path": e.path, "message": e.message} for e in result.errors]
            + [{"path": e.path, "message": f"not written: {e.message}"} for e in result.not_written],
            "summary": {"files": len(files), "changed": sum(1 for f in files if f["edits"]),
                        "edits": len(edits), "by_category": dict(sorted(Counter(e["category"] for e in edits).items())),
                        "remaining": len(remaining), "copied": len(result.copied)}}


def journal_line(event: str, item=None, *, policy: str = "", mode: str = "") -> str:
    """One line of the audit log, for one thing redact did (see audit.Progress), written as it
    happens: a run that is killed leaves the lines of what it finished. Values only as keyed hashes."""
    if event == "start":
        record = {"event": event, "schema_version": 2, "tool": tool_info(), "policy": policy, "mode": mode}
    elif event in ("written", "unchanged", "planned"):
        doc = item.document
        record = {"event": event, "path": doc.path, "output": item.output, "encoding": doc.encoding,
                  "bom": doc.bom, "newline": doc.newline, "edits": _edit_records(item)}
    elif event == "copied":
        path, kind, output = item
        record = {"event": event, "path": path, "type": kind, "output": output}
    elif event == "not_written":
        record = {"event": event, "path": item.path, "reason": item.message}
    elif event == "end":
        whole = log_record(item)
        record = {"event": event, "summary": whole["summary"], "remaining": whole["remaining"],
                  "errors": whole["errors"]}
    else:
        record = {"event": event}
    return json.dumps(_shown_paths(record), ensure_ascii=False, sort_keys=False) + "\n"


def _shown_paths(value):
    """A record with every path and output written as reports write them (a file name that is
    not UTF-8 as \\xNN): the log must not fail to encode."""
    if isinstance(value, dict):
        return {k: (shown_path(v) if k in ("path", "output") and isinstance(v, str) else _shown_paths(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shown_paths(v) for v in value]
    return value


def write_log(result, out: TextIO) -> None:
    """The whole log at once (a dry run's, or a test's)."""
    out.write(journal_line("start", policy=result.policy))
    for item in sorted(result.files, key=lambda i: i.document.path):
        out.write(journal_line("planned", item))
    for item in result.copied:
        out.write(journal_line("copied", item))
    for item in result.not_written:
        out.write(journal_line("not_written", item))
    out.write(journal_line("end", result))


def masked_original(item) -> str:
    """The original text with every edited value replaced by its category (a partial mask by its
    shape): what a diff may show."""
    parts, pos = [], 0
    text = item.document.text
    for e in sorted(item.edits, key=lambda e: e.start):
        parts.append(text[pos:e.start])
        if e.kind != "placeholder":
            parts.append(masked_token(e.category))
        else:  # a partial mask keeps part of the value: only its shape is shown, as in every report
            parts.append(partial_shape(text[e.start:e.end]) if e.style == "partial" else text[e.start:e.end])
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts)


CONTEXT = 8  # characters of unchanged text shown on each side of a change
_TOKEN = re.compile(r"⟨[^⟩\n]{1,20}⟩|[A-Za-z0-9_]+|\s+|(.)\1*", re.S)
_RED, _GREEN, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[2m", "\x1b[0m"


def _context(text: str, where: str) -> str:
    """Unchanged text between changes, cut to CONTEXT characters each side ('…' where cut)."""
    if where == "first":
        return text if len(text) <= CONTEXT else "…" + text[-CONTEXT:]
    if where == "last":
        return text if len(text) <= CONTEXT else text[:CONTEXT] + "…"
    return text if len(text) <= 2 * CONTEXT + 1 else text[:CONTEXT] + "…" + text[-CONTEXT:]


def word_diff(before: str, after: str, *, color: bool = False) -> str:
    """One line's change as `git diff --word-diff` shows it: [-removed-]{+added+}, the unchanged
    text around it cut to a few characters. Tokens are words, single characters (Chinese has no
    spaces) and masked values (⟨person⟩) whole."""
    a = [m.group() for m in _TOKEN.finditer(before)]
    b = [m.group() for m in _TOKEN.finditer(after)]
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out = []
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            where = "first" if n == 0 else "last" if n == len(ops) - 1 else "middle"
            out.append(printable(_context("".join(a[i1:i2]), where)))
            continue
        removed, added = printable("".join(a[i1:i2])), printable("".join(b[j1:j2]))
        if removed:
            out.append(f"{_RED}[-{removed}-]{_RESET}" if color else f"[-{removed}-]")
        if added:
            out.append(f"{_GREEN}{{+{added}+}}{_RESET}" if color else f"{{+{added}+}}")
    return "".join(out)


def render_diff(result, out: TextIO, *, show_values: bool = False, color: bool = False) -> None:
    """Each changed line once, changes marked inside it (values masked unless `show_values`):
    `@@ -LINE +LINE @@ …context[-before-]{+after+}context…` under a ---/+++ header per file."""
    for item in sorted(result.files, key=lambda i: i.document.path):
        if not item.edits:
            continue
        before = (item.document.text if show_values else masked_original(item)).splitlines()
        after = item.text.splitlines()
        head = f"--- {shown_path(item.document.path)}\n+++ {shown_path(item.output or item.document.path)}\n"
        out.write(f"{_DIM}{head}{_RESET}" if color else head)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
            if tag == "equal":
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                old = before[i1 + k] if i1 + k < i2 else None
                new = after[j1 + k] if j1 + k < j2 else None
                where = f"@@ -{i1 + k + 1 if old is not None else i2} +{j1 + k + 1 if new is not None else j2} @@"
                out.write(f"{where} {word_diff(old or '', new or '', color=color)}\n")


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def render_summary(result, out: TextIO, *, dry_run: bool = False) -> None:
    record = log_record(result)["summary"]
    verb = "would change" if dry_run else "changed"
    out.write(f"redact ({result.policy}): {_count(record['files'], 'file')}, {verb} {record['changed']}, "
              f"{_count(record['edits'], 'edit')}")
    if record["by_category"]:
        out.write(" (" + ", ".join(f"{k} {v}" for k, v in record["by_category"].items()) + ")")
    if result.not_written:
        out.write(f"; not written: {_count(len(result.not_written), 'file')}")
    copy = ("would copy" if dry_run else "copied") if any(output for _, _, output in result.copied) else "left"
    if result.copied:
        out.write(f"; {copy} unscanned (image): {_count(len(result.copied), 'file')}")
    out.write("\n")
    for e in result.not_written:
        out.write(f"not written: {e.path}: {e.message}\n")
    for path, kind, output in result.copied:
        out.write(f"{copy} unscanned ({kind}): {path}{f' -> {output}' if output else ''}\n")
    for f in result.remaining:
        out.write(f"still there after redaction: {f.path}:{f.line}:{f.column} {f.rule} {f.category} "
                  f"{f.severity.value}\n")
    for e in result.errors:
        out.write(f"error {e.path}: {e.message}\n")
