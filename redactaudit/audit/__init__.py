"""The one orchestrator. Every run the command line offers is one call here:

- `run_scan` (scan): select inputs (paths, changed since a revision, staged), load config and
  rules, read, detect, filter, check consistency, apply a baseline, give the verdict;
- `redact`: scan, settle the edits under a policy, write outputs safely, scan them again;
- `baseline_create`, `baseline_update`, `packs_listing`, `packs_check`.

Every other module is a pure stage (engine, consistency, allowlist, redact, reporting) or a
helper for files (documents, fsutil, gitfiles); this package decides their order.
"""

import importlib

from .scan import (DOCUMENT_BUDGET, ScanOptions, ScanOutcome, ScanRequest, UsageError, audit, audit_documents,
                   check_options, fails, load_config_file, load_documents, load_ruleset, run_scan, scan_document,
                   setup)

# What only redact, baseline and packs runs use, imported when first named (a scan does not
# import the redaction, its policies and edits): name -> its module here.
_ON_USE = {**dict.fromkeys(("BaselineUpdate", "baseline_create", "baseline_update", "packs_check", "packs_listing"),
                           "commands"),
           **dict.fromkeys(("RedactError", "backup_paths", "output_paths"), "outputs"),
           **dict.fromkeys(("RedactedFile", "RedactOptions", "RedactResult", "redact"), "redaction")}


def __getattr__(name: str):
    if name not in _ON_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_ON_USE[name]}", __name__), name)

__all__ = ["DOCUMENT_BUDGET", "BaselineUpdate", "RedactError", "RedactOptions", "RedactResult", "RedactedFile",
           "ScanOptions", "ScanOutcome", "ScanRequest", "UsageError", "audit", "audit_documents", "backup_paths",
           "baseline_create", "baseline_update", "check_options", "fails", "load_config_file", "load_documents",
           "load_ruleset", "output_paths", "packs_check", "packs_listing", "redact", "run_scan", "scan_document", "setup"]
