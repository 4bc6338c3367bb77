"""The one orchestrator. Every run the command line offers is one call here:

- `run_scan` (scan): select inputs (paths, changed since a revision, staged), load config and
  rules, read, detect, filter, check consistency, apply a baseline, give the verdict;
- `redact`: scan, settle the edits under a policy, write outputs safely, scan them again;
- `baseline_create`, `baseline_update`, `packs_listing`, `packs_check`.

Every other module is a pure stage (engine, consistency, allowlist, redact, reporting) or a
helper for files (documents, fsutil, gitfiles); this package decides their order.
"""

from .commands import BaselineUpdate, baseline_create, baseline_update, packs_check, packs_listing
from .outputs import RedactError, backup_paths, output_paths
from .redaction import RedactedFile, RedactOptions, RedactResult, redact
from .scan import (DOCUMENT_BUDGET, ScanOptions, ScanOutcome, ScanRequest, UsageError, audit, audit_documents,
                   fails, load_config_file, load_documents, load_ruleset, run_scan, scan_document, setup)

__all__ = ["DOCUMENT_BUDGET", "BaselineUpdate", "RedactError", "RedactOptions", "RedactResult", "RedactedFile",
           "ScanOptions", "ScanOutcome", "ScanRequest", "UsageError", "audit", "audit_documents", "backup_paths",
           "baseline_create", "baseline_update", "fails", "load_config_file", "load_documents", "load_ruleset",
           "output_paths", "packs_check", "packs_listing", "redact", "run_scan", "scan_document", "setup"]
