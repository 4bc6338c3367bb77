"""The files a run reads: documents.walk_paths without redactaudit's own temporaries and backups."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..documents import walk_paths
from ..fsutil import BACKUP_DIR, TMP_PREFIX
from ..model import FileError, Skipped


def _own_file(display: str, inputs: Iterable[str]) -> bool:
    """redactaudit's own files in a tree: temporary files, and backups unless a backup folder is
    what was asked for."""
    parts = display.split("/")
    if parts[-1].startswith(TMP_PREFIX):
        return True
    return BACKUP_DIR in parts[:-1] and not any(BACKUP_DIR in Path(raw).parts for raw in inputs)


def walk(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
         ) -> Iterator[tuple[Path, str] | FileError | Skipped]:
    """walk_paths without redactaudit's own temporary files and backups."""
    inputs = list(inputs)
    for entry in walk_paths(inputs, include, exclude):
        if not isinstance(entry, tuple) or not _own_file(entry[1], inputs):
            yield entry
