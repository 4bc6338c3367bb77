"""The files a run reads: documents.walk_paths without redactaudit's own temporary files, and with
its backup folders listed as skipped instead of read."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..documents import walk_paths
from ..fsutil import BACKUP_DIR, BACKUP_MARK, TMP_PREFIX
from ..model import FileError, Skipped

BACKUP_NOTE = "redactaudit backups (originals kept by redact --in-place); not scanned"


def _is_backup_folder(folder: str) -> bool:
    """Named BACKUP_DIR, or marked by the .gitignore redact writes into every backup folder."""
    if folder.rsplit("/", 1)[-1] == BACKUP_DIR:
        return True
    try:
        with open(Path(folder) / ".gitignore", encoding="utf-8", errors="replace") as fh:
            return fh.readline().rstrip("\n") == BACKUP_MARK
    except OSError:
        return False


def walk(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
         ) -> Iterator[tuple[Path, str] | FileError | Skipped]:
    """walk_paths without redactaudit's own temporary files; a backup folder below an input is
    listed once as skipped and not read (an input that is one, or lies in one, is read: that is
    what was asked for). Each folder is looked at once, whatever the number of its files."""
    inputs = list(inputs)
    roots = {Path(raw).as_posix() for raw in inputs}
    verdict: dict[str, str | None] = {}  # folder -> the backup folder it lies in, or None
    listed: set[str] = set()

    def backup_of(folder: str) -> str | None:
        if folder not in verdict:
            if folder in roots or "/" not in folder.strip("/"):
                verdict[folder] = None
            else:
                outer = backup_of(folder.rsplit("/", 1)[0])
                verdict[folder] = outer if outer is not None else (folder if _is_backup_folder(folder) else None)
        return verdict[folder]

    for entry in walk_paths(inputs, include, exclude):
        if not isinstance(entry, tuple):
            yield entry
            continue
        folder, _, name = entry[1].rpartition("/")
        if name.startswith(TMP_PREFIX):
            continue
        backup = backup_of(folder) if folder and entry[1] not in roots else None
        if backup is None:
            yield entry
        elif backup not in listed:
            listed.add(backup)
            yield Skipped(backup, BACKUP_NOTE)
