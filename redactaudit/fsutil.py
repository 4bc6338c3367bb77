"""Writing files without losing data: write to a temporary file beside the target, fsync, rename.

In: a path and text or bytes. Out: the file replaced in one step (readers see old or new, never
half), with the original's permission bits kept when it existed.

The temporary file has no name while it is written (Linux O_TMPFILE), so a process killed then
leaves nothing; it is linked as `.redactaudit-tmp-<pid>-<random>` only for the rename, and on
other systems from the start. That name is skipped by every folder walk, removed when the write
fails or is interrupted, and removed by the next redact run when its process is gone (SIGKILL
between link and rename, which follow each other with nothing between: closing the file first
made that interval wide enough to hit in half of the fault-injection runs; it then holds the
complete new content, never half of it).
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path

TMP_PREFIX = ".redactaudit-tmp-"
BACKUP_DIR = ".redactaudit-backup"  # --in-place backups, at the root of the tree; scans skip it
# What marks a folder of backups wherever it is (--backup-dir too): a .gitignore that keeps every
# file in it out of git (the originals must never be committed), starting with this line. Scans
# skip a folder so marked, or named BACKUP_DIR, unless it is what they were asked to scan.
BACKUP_MARK = "# redactaudit backups: originals kept by redact --in-place; never publish them"
BACKUP_IGNORE = f"{BACKUP_MARK}\n*\n"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _anonymous(directory: str) -> int | None:
    """A file descriptor of an unnamed file in `directory`, or None where that is not supported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY, 0o600)
    except OSError:
        return None


def _link(fd: int, name: str) -> None:
    """Give the unnamed file `fd` a name. linkat(AT_SYMLINK_FOLLOW) on its /proc entry: CPython
    calls linkat (not link, which cannot follow it) only when a folder descriptor is given."""
    folder = os.open(os.path.dirname(name) or ".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(f"/proc/self/fd/{fd}", os.path.basename(name), dst_dir_fd=folder, follow_symlinks=True)
    finally:
        os.close(folder)


def atomic_write_bytes(path: Path, data, mode: int | None = None) -> None:
    """Replace `path` with `data` in one step: bytes, or a function that writes them into the
    binary file it is given (a report written as it is made). The file keeps its permission bits;
    a new file gets `mode` (a copy's source mode) or what the umask allows, never mkstemp's
    private 0600. What exists and is no regular file (a device, a pipe) is written into, and so is
    an open file named through /dev or /proc (/dev/stdout); a symbolic link stays one."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        st = None
    direct = st is not None and not stat.S_ISREG(st.st_mode)
    if not direct and path.is_symlink():
        # Through a link: an open file's (/dev/stdout, /proc/self/fd/1: the shell's redirect) is
        # written into; any other link keeps pointing where it did, at the file replaced.
        first = os.readlink(path)
        real = os.path.realpath(path)
        if first.startswith(("/proc/", "/dev/")) or real.startswith(("/proc/", "/dev/")):
            direct = True
        else:
            path = Path(real)
    if direct:
        # A device or a pipe (-o /dev/null, -o /dev/stdout, a shell's >(...)) is written into:
        # renaming over it would replace it with a regular file for every program on the machine.
        with open(path, "wb") as handle:
            if callable(data):
                data(handle)
            else:
                handle.write(data)
        return
    if mode is None:
        mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    directory = os.fspath(path.parent) or "."
    tmp = None
    try:
        fd = _anonymous(directory)
        if fd is not None:
            with os.fdopen(fd, "wb") as handle:
                _fill(handle, data, mode)
                tmp = os.path.join(directory, f"{TMP_PREFIX}{os.getpid()}-{secrets.token_hex(6)}")
                try:
                    _link(handle.fileno(), tmp)
                except OSError:  # this file system cannot name an unnamed file: write a named one
                    tmp = None
                else:
                    os.replace(tmp, path)  # at once: the name exists only between these two calls
                    return
        fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            _fill(handle, data, mode)
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise


def _fill(handle, data, mode: int) -> None:
    if callable(data):
        data(handle)
    else:
        handle.write(data)
    handle.flush()
    os.fchmod(handle.fileno(), mode)
    os.fsync(handle.fileno())


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


def remove_stale_temporaries(folders) -> list[str]:
    """Remove `.redactaudit-tmp-<pid>-*` files in these folders whose process is gone (a run killed
    between link and rename); returns their paths."""
    removed = []
    for folder in folders:
        try:
            names = [n for n in os.listdir(folder) if n.startswith(TMP_PREFIX)]
        except OSError:
            continue
        for name in names:
            pid = name[len(TMP_PREFIX):].split("-", 1)[0]
            if not pid.isdigit() or _alive(int(pid)):
                continue
            try:
                os.unlink(os.path.join(folder, name))
                removed.append(os.path.join(folder, name))
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
