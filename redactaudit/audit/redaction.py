"""A redaction run: scan, settle the edits under a policy, write every output safely, scan the
outputs again. The only code that writes redacted documents.

In: input paths, a Ruleset, a Config, a Policy, RedactOptions and ScanOptions. Out: a
RedactResult; progress events as it goes (for the audit log).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from ..config import Config
from ..consistency import check_document
from ..documents import encode_text, load_file
from ..engine.packs import Ruleset
from ..filetypes import container
from ..fsutil import atomic_write_bytes, remove_stale_temporaries
from ..model import Document, FileError, Finding, Kind
from ..policy import Policy
from ..redact.edits import Edit, already_redacted, kept_role
from ..redact.passes import settle
from ..vocabulary import VALUE_CHECKS
from .outputs import Progress, RedactError, backup_paths, copy_images, output_paths, write_backup
from .scan import ScanOptions, audit_documents, load_documents, public_figures, scan_document
from .walk import BACKUP_NOTE


@dataclass(frozen=True, slots=True)
class RedactOptions:
    out: Path | None = None
    in_place: bool = False
    backup: bool = True
    dry_run: bool = False
    backup_dir: Path | None = None  # --in-place: one folder for all backups (default: BACKUP_DIR in each input)


@dataclass(frozen=True, slots=True)
class RedactedFile:
    document: Document
    output: str  # where it was (or would be) written
    edits: tuple[Edit, ...]
    text: str  # the redacted text


@dataclass(frozen=True, slots=True)
class RedactResult:
    policy: str
    files: tuple[RedactedFile, ...]
    remaining: tuple[Finding, ...]  # leaks at or above the threshold found again in the outputs
    errors: tuple[FileError, ...] = ()
    copied: tuple[tuple[str, str, str], ...] = ()  # images not scanned: (path, type, output or "" if left)
    not_written: tuple[FileError, ...] = ()  # input files given no output (or left unredacted), and why


def redact(inputs: list[str], ruleset: Ruleset, config: Config, policy: Policy, options: RedactOptions,
           scan: ScanOptions = ScanOptions(), progress: Progress | None = None) -> RedactResult:
    """Scan, plan edits under the policy, write (atomically, in the file's own encoding, BOM and
    newlines), then scan the outputs again with the same rules. A file the scan did not read as text
    is never written: an image is copied as it is (--out) and listed, anything else is listed as not
    written. A write that fails is listed too and the run goes on."""
    if not options.in_place and options.out is None and not options.dry_run:
        raise RedactError("say where the redacted copies go: --out DIR or --in-place")
    note = progress or (lambda event, item: None)
    targets = output_paths(inputs, options.out, scan.include, scan.exclude) if options.out else {}
    backups = backup_paths(inputs, options.backup_dir, scan.include, scan.exclude) \
        if options.in_place and options.backup and not options.dry_run else {}
    loaded, load_errors, skipped = load_documents(inputs, scan, config)
    skipped = [s for s in skipped if s.reason != BACKUP_NOTE]  # redactaudit's own: never read, never published
    docs, unscanned = [], [(e.path, e.message) for e in load_errors] + [(s.path, s.reason) for s in skipped]
    for d in loaded:
        kind = container(d.text)
        if kind is None:
            docs.append(d)
        else:
            unscanned.append((d.path, f"a {kind}: its text is not plain text; extract the text and redact that"))
    note("start", None)
    writing = not options.dry_run
    if writing:  # what a run killed between link and rename left behind
        written = [*(d.path for d in docs), *map(str, targets.values()), *map(str, backups.values())]
        remove_stale_temporaries({str(Path(p).parent) for p in written})
    copied, not_written = copy_images(unscanned, targets, options.out is not None, options.dry_run,
                                      scan.max_bytes, note)
    originals = {d.path: d for d in docs}
    settled = settle(docs, lambda current: audit_documents(current, ruleset, config, scan), policy)
    result, errors = settled.result, list(settled.errors)
    files = []
    for report in result.documents:
        doc = report.document
        original = originals[doc.path]
        item = RedactedFile(original, str(targets.get(doc.path, doc.path)), settled.edits[doc.path], doc.text)
        try:
            data = encode_text(doc.text, doc.encoding, doc.bom)
        except UnicodeEncodeError as exc:
            problem = FileError(doc.path, f"the redacted text does not fit {doc.encoding}: {exc.reason}")
            not_written.append(problem)
            note("not_written", problem)
            continue
        unchecked = [e.message for e in errors if e.path == doc.path]
        if unchecked and options.out is not None:  # a rule did not finish: the copy is not published
            problem = FileError(doc.path, f"not fully scanned ({'; '.join(unchecked)})")
            not_written.append(problem)
            note("not_written", problem)
            continue
        if options.in_place and os.path.islink(doc.path):
            problem = FileError(doc.path, "a symbolic link: --in-place does not follow links; "
                                          "redact the file it points to")
            not_written.append(problem)
            note("not_written", problem)
            continue
        try:
            if not writing:
                event = "planned"
            elif options.in_place:
                event = "unchanged"
                if doc.text != original.text:
                    if doc.path in backups:
                        write_backup(Path(doc.path), backups[doc.path], options.backup_dir)
                    atomic_write_bytes(Path(doc.path), data)
                    event = "written"
            else:
                target = Path(item.output)
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(target, data, mode=stat.S_IMODE(os.stat(doc.path).st_mode))
                event = "written"
        except OSError as exc:
            problem = FileError(doc.path, f"cannot write {exc.filename or item.output}: {exc.strerror or exc}")
            not_written.append(problem)
            note("not_written", problem)
            continue
        files.append(item)
        note(event, item)
    remaining = _rescan(files, ruleset, config, policy, scan, options, errors)
    return RedactResult(policy.name, tuple(files), tuple(remaining), tuple(errors), tuple(copied),
                        tuple(sorted(not_written, key=lambda e: e.path)))


def _rescan(files: list[RedactedFile], ruleset: Ruleset, config: Config, policy: Policy, scan: ScanOptions,
            options: RedactOptions, errors: list[FileError]) -> list[Finding]:
    """Leaks at or above the policy's threshold in the outputs: read back from disk when written."""
    figures = public_figures(config)
    left: list[Finding] = []
    for item in files:
        if options.dry_run:
            doc = replace(item.document, path=item.output, text=item.text)
        else:
            loaded = load_file(Path(item.output), item.output, encoding=item.document.encoding,
                               max_bytes=max(scan.max_bytes, 1 << 40))
            if not isinstance(loaded, Document):
                reason = getattr(loaded, "message", None) or getattr(loaded, "reason", "")
                errors.append(FileError(item.output, f"cannot read back the redacted file: {reason}"))
                continue
            doc = loaded
        report, _ = scan_document(doc, ruleset, config, scan, errors, figures)
        findings, _ = check_document(doc, list(report.findings), scan.key)
        # What the policy keeps on purpose (zh-court keeps figures and judges' names) is no leak, nor
        # a value already in the policy's form (原某, PERSON-3): a fixed token a rule finds again is one.
        left += [f for f in findings if f.severity.rank >= policy.threshold.rank
                 and (f.kind is Kind.LEAK or f.rule in VALUE_CHECKS)
                 and policy.treatment(f.category).action != "keep" and not kept_role(f, doc.text, policy)
                 and not already_redacted(f, doc.text, f.start, f.end, policy)]
    return left
