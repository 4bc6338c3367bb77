"""Finding files, decoding bytes, and mapping offsets.

In: paths and glob options, or raw bytes. Out: Documents (decoded text with the file's own newlines),
FileErrors and Skipped entries; unwrap() gives a view of hard-wrapped text with the wrap newlines removed and a map back.
"""

from __future__ import annotations

import bisect
import fnmatch
import os
import re
import time
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .decoding import _SNIFF, DecodeError, bomless_utf16_32, decode, looks_binary, newline_style
from .filetypes import HEAD, identify
from .model import Document, FileError, Skipped

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
# Folders nobody wants scanned by default; --include of a file inside still works through globs.
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules", ".tox", ".mypy_cache"}


def binary_type(data: bytes) -> str | None:
    """The binary format a file's first bytes name ('PNG image'), or None. A file of a known format
    is listed as a binary file (a note); bytes that are neither text nor one of these are an error
    (nothing unknown passes unread)."""
    found = identify(data[:HEAD])
    return found[0] if found else None


_FORMAT_NAMES = {"docx": "Word document", "pdf": "PDF", "odt": "OpenDocument text", "html": "HTML page",
                 "markdown": "Markdown file"}


def load_bytes(path: str, data: bytes, encoding: str | None = None, timeout: float | None = None
               ) -> Document | FileError:
    """A Document, or a FileError saying why the bytes were not read (fail closed: what was not
    read is never a silent pass). Word, PDF and OpenDocument files are read through their format's
    extractor; HTML and Markdown are decoded, then their visible text extracted (lines and columns
    stay the source's). Bytes with a NUL are text when they decode as UTF-16/32 without a
    byte-order mark or as UTF-8/GB18030 (a NUL in a text file does not hide the rest of it); a
    binary file of another known format (an image, an archive) is listed as not read. Extraction
    gets `timeout` seconds (a PDF is read page by page; past it, it is not read)."""
    from .formats import ExtractionError, extract, format_of

    fmt = format_of(path, data)
    if fmt in ("docx", "pdf", "odt"):
        try:
            ex = extract(path, data, None if timeout is None else time.monotonic() + timeout)
        except ExtractionError as exc:
            return FileError(path, f"{_FORMAT_NAMES[fmt]} not read: {exc.reason}")
        return Document(path=path, text=ex.text, encoding=ex.encoding or "n/a", newline=newline_style(ex.text),
                        format=fmt, extracted=ex, raw=data)
    binary = looks_binary(data[:_SNIFF])
    kind = binary_type(data) if binary else None
    if kind is not None:
        return FileError(path, f"not read: a {kind}, which has no text redactaudit can extract")
    try:
        found = bomless_utf16_32(data) if binary and not encoding else None
        text, enc, bom, sure = (found[0], found[1], False, None) if found else decode(data, encoding)
    except DecodeError as exc:
        kind = binary_type(data)
        if kind is not None:
            return FileError(path, f"not read: a {kind}, which has no text redactaudit can extract")
        if binary:
            return FileError(path, "binary data of no known format (NUL bytes, and not UTF-8, UTF-16/32 or "
                                   "GB18030 text); not scanned")
        return FileError(path, str(exc))
    if fmt in ("html", "markdown"):
        from .formats import extract_text

        try:
            ex = extract_text(fmt, text, enc)
        except ExtractionError as exc:
            return FileError(path, f"{_FORMAT_NAMES[fmt]} not read: {exc.reason}")
        return Document(path=path, text=ex.text, encoding=enc, newline=newline_style(text), bom=bom, format=fmt,
                        encoding_confidence=sure, extracted=ex, raw=data)
    return Document(path=path, text=text, encoding=enc, newline=newline_style(text), bom=bom,
                    encoding_confidence=sure)


def _nonblocking(path: str, flags: int) -> int:
    # Never wait on a FIFO or a device that appeared where a file was listed.
    return os.open(path, flags | os.O_NONBLOCK)


def load_file(path: Path, display: str, *, encoding: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, timeout: float | None = None) -> Document | FileError | Skipped:
    try:
        with open(path, "rb", opener=_nonblocking) as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return FileError(display, f"not a regular file ({file_kind(st.st_mode)}); not read")
            if st.st_size > max_bytes:
                return FileError(display, f"larger than --max-bytes {max_bytes} ({st.st_size} bytes); not scanned")
            data = fh.read()
    except OSError as exc:
        return FileError(display, f"cannot read: {exc.strerror or exc}")
    return load_bytes(display, data, encoding, timeout)


def file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISLNK, "symbolic link")):
        if test(mode):
            return name
    return "special file"


def path_matches(rel: str, globs: Iterable[str]) -> bool:
    """Whether a glob matches the path (with '/') or its file name alone."""
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def folder_excluded(rel: str, globs: Iterable[str]) -> bool:
    """Whether --exclude leaves out the folder at `rel` (with '/', from the folder given), as
    gitignore does: a glob without '/' (a trailing one aside) matches the folder's name at any
    depth, one with '/' its path."""
    name = rel.rsplit("/", 1)[-1]
    for g in globs:
        g = g.rstrip("/")
        if fnmatch.fnmatchcase(rel if "/" in g else name, g):
            return True
    return False


def excluded(path: str, globs: Iterable[str]) -> bool:
    """Whether --exclude leaves out a file: path_matches, or a folder on its path is left out (an
    absolute path's folders are not looked at: they are not the user's tree)."""
    globs = tuple(globs)
    if path_matches(path, (g for g in globs if not g.endswith("/"))):
        return True
    folders = path.split("/")[:-1]
    if not folders or not folders[0] or folders[0] == "..":
        return False
    return any(folder_excluded("/".join(folders[:i]), globs) for i in range(1, len(folders) + 1)
               if folders[i - 1] != ".")


def iter_paths(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
               ) -> Iterator[tuple[Path, str] | FileError]:
    """Yield (path, display path) for every regular file under the inputs, sorted, or a FileError
    (walk_paths without the entries it lists as skipped)."""
    for entry in walk_paths(inputs, include, exclude):
        if not isinstance(entry, Skipped):
            yield entry


LINK_NOT_FOLLOWED = "symbolic link; not followed"
FOLDER_LINK_NOT_FOLLOWED = "symbolic link to a folder; not followed"


def walk_paths(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
               ) -> Iterator[tuple[Path, str] | FileError | Skipped]:
    """Yield (path, display path) for every regular file under the inputs, sorted; a FileError for
    what cannot be listed or read (a folder, a path too long, something named that is not a file);
    Skipped for links and special files met in a folder (never opened: a FIFO would block).

    Globs match the path relative to the folder given (with '/') or the file name alone; an
    --exclude glob also leaves out the folders it matches, as gitignore does (folder_excluded).
    A file named directly is scanned even if it does not match --include.
    """
    seen: set[str] = set()
    for raw in inputs:
        root = Path(raw)
        try:
            st = os.stat(raw)
        except OSError as exc:
            yield FileError(raw, ("symbolic link to nothing (its target does not exist); not read"
                                  if os.path.islink(raw) else "no such file or folder")
                            if isinstance(exc, FileNotFoundError) else f"cannot read: {exc.strerror or exc}")
            continue
        if not stat.S_ISDIR(st.st_mode):
            if raw not in seen and not excluded(root.as_posix(), exclude):
                seen.add(raw)
                if stat.S_ISREG(st.st_mode):
                    yield root, root.as_posix()
                else:
                    yield FileError(root.as_posix(), f"not a regular file ({file_kind(st.st_mode)}); not read")
            continue
        base = os.fspath(root)
        unlisted: list[OSError] = []
        for dirpath, dirnames, filenames in os.walk(base, onerror=unlisted.append):
            yield from _unlisted(unlisted)
            for name in sorted(set(dirnames) & _SKIP_DIRS):
                yield Skipped(os.path.join(dirpath, name).replace(os.sep, "/"),
                              "folder not scanned by default (version control, caches, environments)")
            # Plain strings here: pathlib's parsing cost more than reading the files (measured).
            prefix = os.path.relpath(dirpath, base)
            prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS
                                 and not (exclude and folder_excluded(prefix + d, exclude)))
            for name in list(dirnames):
                full = os.path.join(dirpath, name)
                if os.path.islink(full):  # os.walk does not follow it: say so
                    dirnames.remove(name)
                    if not (exclude and path_matches(prefix + name, exclude)):
                        yield Skipped(full.replace(os.sep, "/"), FOLDER_LINK_NOT_FOLLOWED)
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = prefix + name
                display = full.replace(os.sep, "/")
                if display in seen:
                    continue
                if include and not path_matches(rel, include):
                    continue
                if exclude and path_matches(rel, exclude):
                    continue
                seen.add(display)
                try:
                    mode = os.lstat(full).st_mode
                except OSError as exc:
                    yield FileError(display, f"cannot read: {exc.strerror or exc}")
                    continue
                if stat.S_ISREG(mode):
                    yield Path(full), display
                elif stat.S_ISLNK(mode):
                    yield Skipped(display, LINK_NOT_FOLLOWED)
                else:
                    yield Skipped(display, f"not a regular file ({file_kind(mode)}); not opened")
        yield from _unlisted(unlisted)


def _unlisted(failures: list[OSError]) -> Iterator[FileError]:
    """The folders os.walk could not list (its onerror), as errors: no file goes uncounted."""
    for exc in failures:
        where = os.fspath(exc.filename) if exc.filename is not None else "?"
        yield FileError(where.replace(os.sep, "/"), f"cannot list folder: {exc.strerror or exc}")
    failures.clear()


@dataclass(frozen=True, slots=True)
class View:
    """Text with hard-wrap line breaks removed; `removed` lists the original offsets cut out."""

    text: str
    removed: tuple[int, ...]  # sorted original offsets of removed characters

    def to_source(self, offset: int) -> int:
        # Each removed character before the mapped position shifts it right by one.
        lo, hi = offset, offset + len(self.removed)
        while lo < hi:  # smallest s with s - removed_before(s) >= offset and s not removed
            mid = (lo + hi) // 2
            if mid - bisect.bisect_left(self.removed, mid) >= offset:
                hi = mid
            else:
                lo = mid + 1
        i = bisect.bisect_left(self.removed, lo)
        while i < len(self.removed) and self.removed[i] == lo:  # land on a kept character
            lo, i = lo + 1, i + 1
        return lo

    @staticmethod
    def cut(text: str, removed: list[int] | tuple[int, ...]) -> "View":
        """The view of `text` without the characters at the sorted offsets `removed`."""
        parts, last = [], 0
        for off in removed:
            parts.append(text[last:off])
            last = off + 1
        parts.append(text[last:])
        return View("".join(parts), tuple(removed))

    def span_to_source(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            s = self.to_source(start)
            return s, s
        return self.to_source(start), self.to_source(end - 1) + 1


_ALIGNED = re.compile(r"\S[ \u3000]{2,}\S")


def _row(line: str) -> bool:
    """A table row: cells separated by a tab, or aligned with a run of spaces (郑广才  6.5  832.00,
    a table copied from a PDF)."""
    return "\t" in line or (("  " in line or "\u3000" in line) and _ALIGNED.search(line) is not None)


def wrap_width(text: str) -> int | None:
    """The line length a hard-wrapping tool used, if the text looks hard-wrapped. Rows of a
    table are no wrapped text, however alike their lengths."""
    lines = text.replace("\r\n", "\n").split("\n")
    lengths = [len(line) for line in lines if line.strip() and not _row(line)]
    if len(lengths) < 4:
        return None
    width, count = Counter(lengths).most_common(1)[0]
    # A wrap width shows as one length shared by many lines, and few lines are longer.
    longer = sum(map((width + 2).__lt__, lengths))
    if width < 12 or count < 3 or count < 0.3 * len(lengths) or longer > 0.1 * len(lengths):
        return None
    return width


def unwrap(text: str) -> View | None:
    """Join lines cut by a fixed-width wrap (PDF text): a line at least as long as the wrap width
    minus two (half-width punctuation makes lines shorter) continues on the next line; a table
    row never does: joined, its last cell runs into the next row's first."""
    width = wrap_width(text)
    if width is None:
        return None
    removed: list[int] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = len(line) - len(body)
        if ending and len(body) >= width - 2 and body.strip() and not _row(body):
            removed.extend(range(pos + len(body), pos + len(line)))
        pos += len(line)
    if not removed:
        return None
    return View.cut(text, removed)
