"""Where a redaction writes: output and backup paths mirrored from the inputs, the backups
themselves, and the files copied as they are (images the scan does not read).

In: input paths and RedactOptions. Out: path mappings (RedactError when they would overlap or
collide), written backups and copies.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable, Iterable

from ..filetypes import HEAD, sniff
from ..fsutil import BACKUP_DIR, BACKUP_IGNORE, atomic_write_bytes
from ..model import FileError
from .walk import walk

# What a redaction reports as it goes, in this order: ("start", None), then per file ("written" |
# "unchanged" | "planned", RedactedFile), ("copied", (path, type, output)), ("not_written", FileError).
Progress = Callable[[str, object], None]


class RedactError(Exception):
    """A redaction that must not start (overlapping folders, a path outside the output, two inputs
    that would be written to one output)."""


def output_paths(inputs: Iterable[str], out: Path, include: tuple[str, ...] = (),
                 exclude: tuple[str, ...] = ()) -> dict[str, Path]:
    """display path -> path under `out`, mirroring each input's tree; refuses overlapping folders
    and two inputs that would be written to one output."""
    out_r = out.resolve()
    mapping: dict[str, Path] = {}
    claimed: dict[Path, str] = {}
    for raw in inputs:
        root = Path(raw).resolve()
        if out_r == root or out_r.is_relative_to(root) or root.is_relative_to(out_r):
            raise RedactError(f"the output folder {out} overlaps the input {raw}; choose a folder outside it")
        for entry in walk([raw], include, exclude):
            if not isinstance(entry, tuple):
                continue
            full, display = entry
            if display in mapping:  # an input inside another: the first one places it
                continue
            rel = Path(full.name) if Path(raw).is_file() else full.resolve().relative_to(root)
            target = (out_r / rel).resolve()
            if not target.is_relative_to(out_r):
                raise RedactError(f"{display} would be written outside {out}")
            other = claimed.setdefault(target, display)
            if other != display:
                raise RedactError(f"{other} and {display} would be written to the same output {target}; "
                                  "redact them in separate runs or into separate folders")
            mapping[display] = target
    return mapping


def backup_paths(inputs: Iterable[str], backup_dir: Path | None, include: tuple[str, ...] = (),
                 exclude: tuple[str, ...] = ()) -> dict[str, Path]:
    """display path -> where its backup goes: the same relative path under `backup_dir`, or under
    BACKUP_DIR at the root of its input (a file's own folder for a file), which scans skip."""
    if backup_dir is not None:
        return output_paths(inputs, backup_dir, include, exclude)
    mapping: dict[str, Path] = {}
    for raw in inputs:
        base = Path(raw)
        root = (base.parent if base.is_file() else base) / BACKUP_DIR
        if root.is_symlink() or (root.exists() and not root.is_dir()):
            raise RedactError(f"{root} is not a folder; backups go there (or choose --backup-dir)")
        for entry in walk([raw], include, exclude):
            if isinstance(entry, tuple):
                full, display = entry
                mapping.setdefault(display, root / (full.name if base.is_file() else os.path.relpath(full, base)))
    return mapping


def _unscanned_kind(path: str, max_bytes: int) -> tuple[str, bool]:
    """(type, image?) of a file the scan skipped or could not decode, from its first bytes. Only a
    regular file within the size limit can be an image to copy."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return "not read", False
        with open(path, "rb") as fh:
            return sniff(fh.read(HEAD))
    except OSError:
        return "not read", False


def write_backup(source: Path, target: Path, root: Path | None = None) -> None:
    """The original's bytes into the backup folder (private: 0700), with the original's own mode.
    An earlier backup that differs is kept: this one takes the next free name (name.~1~, ...).
    The folder's root (`root`, or the BACKUP_DIR above the target) gets the .gitignore that keeps
    the originals out of git and marks the folder for scans to skip."""
    data = source.read_bytes()
    mode = stat.S_IMODE(os.stat(source).st_mode)
    missing = [p for p in (target.parent, *target.parent.parents) if not p.exists()]
    for folder in reversed(missing):  # makedirs would give the folders above the last one the umask's mode
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
    root = root or next((p for p in target.parents if p.name == BACKUP_DIR), None)
    if root is not None and not (root / ".gitignore").exists():
        atomic_write_bytes(root / ".gitignore", BACKUP_IGNORE.encode("utf-8"), mode=0o600)
    candidate, n = target, 0
    while candidate.exists():
        if candidate.read_bytes() == data:
            return
        n += 1
        candidate = target.with_name(f"{target.name}.~{n}~")
    atomic_write_bytes(candidate, data, mode=mode)


def copy_images(unscanned: list[tuple[str, str]], targets: dict[str, Path], to_out: bool, dry_run: bool,
                max_bytes: int, note: Progress) -> tuple[list[tuple[str, str, str]], list[FileError]]:
    """Files the scan did not read as text: a true image is copied as it is (--out) or left, and
    listed; anything else is not written, with the reason. Returns (copied, not_written)."""
    copied: list[tuple[str, str, str]] = []
    not_written: list[FileError] = []
    for path, reason in sorted(unscanned):
        kind, image = _unscanned_kind(path, max_bytes)
        target = targets.get(path) if to_out else None
        if image:
            try:
                if target is not None and not dry_run:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write_bytes(target, Path(path).read_bytes(), mode=stat.S_IMODE(os.stat(path).st_mode))
            except OSError as exc:
                not_written.append(FileError(path, f"cannot copy to {target}: {exc.strerror or exc}"))
                note("not_written", not_written[-1])
                continue
            copied.append((path, kind, str(target) if target is not None else ""))
            note("copied", copied[-1])
            continue
        reason = reason.removesuffix("; not scanned")  # said once, before the parenthesis
        detail = reason if kind in ("binary file", "not read") or kind in reason else f"{reason}: {kind}"
        not_written.append(FileError(path, f"not scanned ({detail})"))
        note("not_written", not_written[-1])
    return copied, not_written
