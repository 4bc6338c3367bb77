"""The redaction loop: plan, apply and scan again until nothing is left to do.

In: decoded documents, a function that audits documents, a policy. Out: the final audit of the
redacted texts, for each original path the edits that turn the original into its redacted text
(offsets remapped onto the original), and the documents that did not settle. Pure: the scanner is
passed in; nothing here reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from ..model import AuditResult, Document, FileError
from ..policy import Policy
from .edits import Edit, Pseudonyms, apply_edits, compose, plan_edits

MAX_PASSES = 10  # plan, apply and re-scan at most this often; two passes nearly always suffice


@dataclass(frozen=True, slots=True)
class Settled:
    result: AuditResult  # the audit of the redacted texts (their documents carry the new text)
    edits: dict  # original path -> tuple[Edit, ...] in original offsets
    errors: tuple[FileError, ...]  # the scans' errors, and documents still changing after MAX_PASSES


def settle(docs: list[Document], scan: Callable[[list[Document]], AuditResult], policy: Policy) -> Settled:
    """Redact until nothing is left to do: once every mask is uniform, copies that differed only in
    their masks align, and a value only one of them still shows comes to light; a token next to a
    surname or another token can make a new mask. The result is a fixed point: a second run plans
    no edit. A document still changing after MAX_PASSES is an error."""
    originals = {d.path: d for d in docs}
    edits_by_path: dict[str, list[Edit]] = {d.path: [] for d in docs}
    shared = Pseudonyms()
    per_doc = {d.path: Pseudonyms() for d in docs}
    result = scan(docs)
    errors = list(result.errors)
    # Values the first scan withheld (ignored inline, allowlisted, public figures) stay accepted in
    # later passes, where a redacted HTML or Markdown text no longer carries the comments that
    # marked them.
    accepted = {r.document.path: {f.text for f in r.withheld} for r in result.documents}
    for _ in range(MAX_PASSES):
        changed = False
        current = []
        for report in result.documents:
            doc = report.document
            names = shared if policy.scope == "corpus" else per_doc[doc.path]
            findings = [f for f in report.findings if f.text not in accepted[doc.path]] \
                if accepted[doc.path] else report.findings
            edits = plan_edits(doc, findings, policy, names)
            if edits:
                changed = True
                edits_by_path[doc.path] = compose(edits_by_path[doc.path], edits, originals[doc.path].text, doc.text)
                doc = replace(doc, text=apply_edits(doc.text, edits))
            current.append(doc)
        if not changed:
            break
        result = scan(current)
        errors = list(dict.fromkeys(errors + list(result.errors)))
    else:
        unsettled = [r.document.path for r in result.documents
                     if plan_edits(r.document, r.findings, policy, Pseudonyms())]
        errors += [FileError(p, f"redaction did not settle after {MAX_PASSES} passes; a second run would "
                                "change it again") for p in unsettled]
    return Settled(result, {p: tuple(e) for p, e in edits_by_path.items()}, tuple(errors))
