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
from ..decoding import encode_text
from ..documents import load_file
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
    as_text: bool = False  # a PDF or OpenDocument file: write its redacted text as NAME.txt instead of refusing

    @property
    def mode(self) -> str:
        return "out" if self.out is not None else "in-place" if self.in_place else "dry-run"


def default_log_path(options: RedactOptions) -> Path | None:
    """Where the audit log goes unless --log says: beside the output folder (DIR.redact-log.jsonl),
    or in the working folder for --in-place; a dry run writes none."""
    if options.dry_run:
        return None
    if options.out is not None:
        return options.out.parent / (options.out.name + ".redact-log.jsonl")
    return Path("redactaudit-redact-log.jsonl")


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
    if not options.dry_run:  # what a run killed between link and rename left behind
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
        output = str(targets.get(doc.path, doc.path))
        if options.as_text and doc.format in _TEXT_ONLY:
            output += ".txt"
        item = RedactedFile(originals[doc.path], output, settled.edits[doc.path], doc.text)
        unchecked = [e.message for e in errors if e.path == doc.path]
        outcome = _publish(item, doc, unchecked, options, backups)
        if isinstance(outcome, FileError):
            not_written.append(outcome)
            note("not_written", outcome)
        else:
            files.append(item)
            note(outcome, item)
    remaining = _rescan(files, ruleset, config, policy, scan, options, errors)
    return RedactResult(policy.name, tuple(files), tuple(remaining), tuple(errors), tuple(copied),
                        tuple(sorted(not_written, key=lambda e: e.path)))


# Formats whose text cannot be written back into the file: their redacted text only, if asked.
_TEXT_ONLY = {"pdf": "PDF", "odt": "OpenDocument text"}


def _encoded(item: RedactedFile, doc: Document, options: RedactOptions) -> bytes | FileError:
    """The bytes to write: plain text in its own encoding, BOM and newlines; a Word, HTML or
    Markdown file rewritten in its own format (values replaced in the runs or the source, markup
    kept); a PDF's or OpenDocument file's redacted text with --as-text, else refused."""
    original = item.document
    if original.format == "text":
        try:
            return encode_text(doc.text, doc.encoding, doc.bom)
        except UnicodeEncodeError as exc:
            return FileError(doc.path, f"the redacted text does not fit {doc.encoding}: {exc.reason}")
    if original.format in _TEXT_ONLY:
        if options.as_text:
            return doc.text.encode("utf-8")
        return FileError(doc.path, f"a {_TEXT_ONLY[original.format]} is not redacted in its own format (its text "
                                   "cannot be rewritten safely): redact its source document, or pass --as-text "
                                   "to write its redacted text to a .txt file")
    from ..formats import ExtractionError, rewrite_source
    from ..formats import redact as rewrite

    edits = [(e.start, e.end, e.replacement) for e in item.edits]
    try:
        if original.format in ("html", "markdown"):  # the source the scan decoded, in its own encoding
            source = rewrite_source(original.format, original.source_text, edits)
            return encode_text(source, original.encoding, original.bom)
        return rewrite(original.path, original.raw or b"", edits)
    except UnicodeEncodeError as exc:
        return FileError(doc.path, f"the redacted text does not fit {original.encoding}: {exc.reason}")
    except ExtractionError as exc:
        return FileError(doc.path, f"cannot rewrite the {original.format} file: {exc.reason}")
    except ValueError as exc:
        return FileError(doc.path, f"cannot rewrite the {original.format} file: {exc}")


def _publish(item: RedactedFile, doc: Document, unchecked: list[str], options: RedactOptions,
             backups: dict[str, Path]) -> str | FileError:
    """Write one redacted text where it goes; the event ("written", "unchanged", "planned") or why
    it was not written (it does not fit its encoding, a rule did not finish, a link, a failed write)."""
    data = _encoded(item, doc, options)
    if isinstance(data, FileError):
        return data
    if unchecked and options.out is not None:  # a rule did not finish: the copy is not published
        return FileError(doc.path, f"not fully scanned ({'; '.join(unchecked)})")
    if options.in_place and os.path.islink(doc.path):
        return FileError(doc.path, "a symbolic link: --in-place does not follow links; redact the file it points to")
    try:
        if options.dry_run:
            return "planned"
        if options.in_place:
            if doc.text == item.document.text:
                return "unchanged"
            if item.output == doc.path and doc.path in backups:
                write_backup(Path(doc.path), backups[doc.path], options.backup_dir)
            atomic_write_bytes(Path(item.output), data)
            return "written"
        target = Path(item.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data, mode=stat.S_IMODE(os.stat(doc.path).st_mode))
        return "written"
    except OSError as exc:
        return FileError(doc.path, f"cannot write {exc.filename or item.output}: {exc.strerror or exc}")


def _rescan(files: list[RedactedFile], ruleset: Ruleset, config: Config, policy: Policy, scan: ScanOptions,
            options: RedactOptions, errors: list[FileError]) -> list[Finding]:
    """Leaks at or above the policy's threshold in the outputs: read back from disk when written."""
    figures = public_figures(config)
    left: list[Finding] = []
    for item in files:
        if options.dry_run:
            doc = replace(item.document, path=item.output, text=item.text)
        else:
            encoding = item.document.encoding if item.document.format == "text" else None
            loaded = load_file(Path(item.output), item.output, encoding=encoding,
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
