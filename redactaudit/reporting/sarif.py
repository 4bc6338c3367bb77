"""SARIF 2.1.0 for code-scanning dashboards and pull-request annotations, within GitHub's limits.

Columns are Unicode code points (`columnKind: unicodeCodePoints`), which is what redactaudit
counts; SARIF's default (UTF-16 code units) would shift every column after a character outside
the BMP. Messages carry the masked excerpt, never the value.

- Existing masks are no alert: left out unless `include_masks` (the run says how many).
- Results most severe first; past MAX_RESULTS (GitHub rejects a run over 25,000) the least severe
  are left out and the run says how many, by level and rule, in a notification and its properties.
- `partialFingerprints` are unique within a run: the keyed content fingerprint (the JSON report's
  and the baseline's) plus its occurrence in the file, `fingerprint:n` (the same value twice in a
  file is two results, and alerts must not merge).
- URIs are relative to `%SRCROOT%` (the folder the scan ran in) when the file lies under it.
- Rules carry `security-severity` (from the most severe of their results) and tags.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..model import AuditResult, Document, Finding, Kind, Severity
from ..vocabulary import CHECKS, DIRECT
from . import ReportOptions, RuleInfo
from .common import _secret_spans, by_severity, excerpt, indented_json, path_uri, printable, shown_path, tool_info

MAX_RESULTS = 25_000  # GitHub code scanning: results per run
MAX_RELATED = 1_000  # GitHub code scanning: locations per result
BASE_ID = "%SRCROOT%"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _security_severity(severity: Severity, category: str) -> str:
    """GitHub's scale: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low."""
    if severity is Severity.ERROR:
        return "8.0" if category in DIRECT else "7.0"
    return "5.0" if severity is Severity.WARNING else "2.0"


def _location(path: str, base_dir: str | None) -> dict:
    """An artifactLocation: relative to %SRCROOT% when the file lies under it, else absolute."""
    native = os.path.normpath(path)
    if os.path.isabs(native):
        if base_dir is not None:
            rel = os.path.relpath(native, base_dir)
            if not rel.startswith(".." + os.sep) and rel != "..":
                return {"uri": path_uri(Path(rel).as_posix()), "uriBaseId": BASE_ID}
        return {"uri": "file://" + path_uri(Path(native).as_posix())}
    if native == ".." or native.startswith(".." + os.sep):
        if base_dir is not None:
            return {"uri": "file://" + path_uri(Path(os.path.normpath(os.path.join(base_dir, native))).as_posix())}
        return {"uri": path_uri(Path(native).as_posix())}
    return {"uri": path_uri(Path(native).as_posix()), "uriBaseId": BASE_ID}


def _where(f: Finding, doc: Document, artifact: dict) -> dict:
    """Where a result is: a region of the file (for HTML and Markdown, of the source: no character
    offsets, which count the extracted text); for a Word, PDF or OpenDocument file, whose bytes are
    no text, a region of its extracted text (GitHub shows no result without a startLine; the
    region says whose lines they are) and a logical location (page, paragraph, table cell)."""
    region = {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}
    physical: dict = {"artifactLocation": artifact, "region": region}
    if doc.format in ("text", "html", "markdown"):
        if doc.format == "text":
            region.update(charOffset=f.start, charLength=f.end - f.start)
        return {"physicalLocation": physical}
    region["properties"] = {"redactaudit/lines": "extracted text"}
    where = doc.where(f.start)
    name = " ".join(f"{k} {v}" for k, v in where.items()) or doc.format
    return {"physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": name, "kind": "element", "properties": where}]}


def _sentence(text: str) -> str:
    """A description ended as a sentence (a rule's message has no full stop of its own)."""
    return text if text.rstrip().endswith((".", "。", "!", "?", ")")) else text.rstrip() + "."


def _rule(rid: str, results: list[Finding], known: dict[str, RuleInfo]) -> dict:
    check = CHECKS.get(rid)
    info = known.get(rid) or RuleInfo(check.description if check else rid, "inconsistency", "", "warning")
    description = check.description if check else info.message
    worst = max(results, key=lambda f: f.severity.rank)
    kind = results[0].kind.value
    categories = sorted({f.category for f in results})
    tags = ["security", "privacy", kind, *[c for c in categories if c][:16]]
    return {
        "id": rid,
        "name": rid.replace(".", "/"),
        "shortDescription": {"text": description},
        "fullDescription": {"text": description},
        "help": {"text": f"{_sentence(description)} Mask the value with the project's one style and width, "
                         "or add it to the allowlist or baseline if it is public.",
                 "markdown": f"**{rid}**: {description}\n\nFix it with `redactaudit redact`, or accept it "
                             "with an allowlist entry or a baseline."},
        "defaultConfiguration": {"level": _LEVEL[Severity.parse(info.severity)]},
        "properties": {"tags": tags, "security-severity": _security_severity(worst.severity, worst.category),
                       "precision": "high"},
    }


def _occurrences(result: AuditResult) -> dict[int, int]:
    """id(finding) -> its occurrence (1, 2, ...) among the findings of its file with its fingerprint,
    in the order of the file: counted over every finding, so it does not depend on what is shown."""
    out: dict[int, int] = {}
    for report in result.documents:
        seen: Counter = Counter()
        for f in sorted(report.findings, key=lambda f: f.sort_key):
            seen[f.fingerprint] += 1
            out[id(f)] = seen[f.fingerprint]
    return out


def build(result: AuditResult, *, show_values: bool = False, rules: dict[str, RuleInfo] | None = None,
          include_masks: bool = False, base_dir: str | None = None, max_results: int = MAX_RESULTS) -> dict:
    known = rules or {}
    candidates = [f for f in result.findings if include_masks or f.kind is not Kind.PLACEHOLDER]
    masks_left = len(result.findings) - len(candidates)
    candidates.sort(key=by_severity)
    kept, dropped = candidates[:max_results], candidates[max_results:]
    by_rule: dict[str, list[Finding]] = {}
    for f in kept:
        by_rule.setdefault(f.rule, []).append(f)
    table = [_rule(rid, by_rule[rid], known) for rid in sorted(by_rule)]
    index = {r["id"]: i for i, r in enumerate(table)}
    occurrence = _occurrences(result)
    reports = {r.document.path: r for r in result.documents}
    secrets: dict[str, list] = {}
    artifacts: dict[str, dict] = {}

    def artifact(path: str) -> dict:  # _location once per file (a copy each: no dict shared in the output)
        found = artifacts.get(path)
        if found is None:
            found = artifacts[path] = _location(path, base_dir)
        return dict(found)

    results = []
    for f in kept:
        report = reports[f.path]
        if f.path not in secrets:
            secrets[f.path] = _secret_spans(report)
        entry = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": _LEVEL[f.severity],
            "message": {"text": f"{printable(f.message)} [{f.category}] "
                                f"{excerpt(report.document, f, secrets[f.path], show_values=show_values)}"},
            "locations": [_where(f, report.document, artifact(f.path))],
            "partialFingerprints": {"redactaudit/content/v2": f"{f.fingerprint}:{occurrence[id(f)]}"},
            "rank": round(f.confidence * 100, 1),  # how sure the rule is, 0-100
            "properties": {"kind": f.kind._value_, "category": f.category, "confidence": f.confidence,
                           "fingerprint": f.fingerprint},
        }
        if f.related:
            entry["relatedLocations"] = [
                {"id": i, "message": {"text": r.note or "related"},
                 "physicalLocation": {"artifactLocation": artifact(r.path),
                                      "region": {"startLine": r.line, "startColumn": r.column}}}
                for i, r in enumerate(f.related[:MAX_RELATED])]
        if f.kind is Kind.PLACEHOLDER:
            entry["properties"].update({"style": f.style, "width": f.width})
        results.append(entry)
    notes, properties = _left_out(dropped, masks_left, max_results)
    base = {"description": {"text": "The folder the scan ran in; paths under it are relative."}}
    if base_dir is not None:
        base["uri"] = Path(base_dir).resolve().as_uri().rstrip("/") + "/"
    info = tool_info()
    run = {
        "tool": {"driver": {"name": info["name"], "version": info["version"],
                            "informationUri": "https://github.com/redactaudit/redactaudit",
                            "rules": table}},
        "originalUriBaseIds": {BASE_ID: base},
        "columnKind": "unicodeCodePoints",
        "results": results,
        # A file not read or not fully checked is an error notification and the run did not
        # succeed; a file skipped on purpose (binary, allowlisted) is a note; so is what was left out.
        "invocations": [{"executionSuccessful": not result.errors,
                         "toolExecutionNotifications": [
                             {"level": "error", "message": {"text": f"{shown_path(e.path)}: {printable(e.message)}"},
                              "locations": [{"physicalLocation": {"artifactLocation": _location(e.path, base_dir)}}]}
                             for e in sorted(result.errors, key=lambda e: e.path)] + notes + [
                             {"level": "note", "message": {"text": f"skipped {shown_path(s.path)}: {printable(s.reason)}"},
                              "locations": [{"physicalLocation": {"artifactLocation": _location(s.path, base_dir)}}]}
                             for s in sorted(result.skipped, key=lambda s: s.path)]}],
    }
    if properties:
        run["properties"] = properties
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}


def _left_out(dropped: list[Finding], masks: int, limit: int) -> tuple[list[dict], dict]:
    """Notifications and run properties saying what this run does not carry, and why."""
    notes, properties = [], {}
    if dropped:
        levels = Counter(_LEVEL[f.severity] for f in dropped)
        rules = Counter(f.rule for f in dropped)
        by_level = ", ".join(f"{levels[lv]} {lv}" for lv in ("error", "warning", "note") if levels[lv])
        notes.append({"level": "warning", "descriptor": {"id": "redactaudit/results-left-out"},
                      "message": {"text": f"{len(dropped)} results left out ({by_level}): a run holds at most "
                                          f"{limit} (GitHub code scanning's limit); the least severe were dropped. "
                                          "The JSON report has every finding."}})
        properties["redactaudit/left-out"] = {"results": len(dropped), "limit": limit,
                                              "by_level": {lv: levels[lv] for lv in ("error", "warning", "note")
                                                           if levels[lv]},
                                              "by_rule": dict(sorted(rules.items()))}
    if masks:
        notes.append({"level": "note", "descriptor": {"id": "redactaudit/masks-left-out"},
                      "message": {"text": f"{masks} existing masks not reported as results (they are no alert); "
                                          "--include-masks reports them."}})
        properties["redactaudit/masks-left-out"] = masks
    return notes, properties


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    # At most MAX_RESULTS results: the report is written as one string.
    out.write(indented_json(build(result, show_values=options.show_values, rules=options.rules,
                                  include_masks=options.include_masks, base_dir=options.base_dir)))
    out.write("\n")
