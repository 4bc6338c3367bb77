"""Finding files, decoding bytes, and mapping offsets.

In: paths and glob options, or raw bytes. Out: Documents (decoded text with the file's own newlines),
FileErrors and Skipped entries; unwrap() gives a view of hard-wrapped text with the wrap newlines removed and a map back.
"""

from __future__ import annotations

import bisect
import codecs
import fnmatch
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .filetypes import HEAD, identify
from .model import Document, FileError, Skipped

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
_SNIFF = 8192
# Folders nobody wants scanned by default; --include of a file inside still works through globs.
_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".venv", "venv", "node_modules", ".tox", ".mypy_cache"}


class DecodeError(Exception):
    pass


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str, bool]:
    """Return (text, encoding name, had_bom). Newlines are kept exactly as in the bytes."""
    if encoding:
        try:
            return data.decode(encoding), encoding.lower(), False
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
    # Longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data.decode(name) if name == "utf-8-sig" else data[len(bom):].decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"has a {name} byte-order mark but does not decode: {exc}") from None
            return text, name, True
    try:
        return data.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    for name in ("gbk", "gb18030"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if _looks_chinese(text):
            return text, name, False
    raise DecodeError("not UTF-8, UTF-16 or GB18030 text (use --encoding to name the encoding)")


def _looks_chinese(text: str) -> bool:
    # GB18030 maps almost any byte soup to *some* characters; Latin-1 or Shift-JIS files decoded
    # that way come out as rare CJK and symbols. Real Chinese is mostly common ideographs and
    # full-width punctuation.
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii:
        return True
    common = sum(1 for c in non_ascii if "\u4e00" <= c <= "\u9fa5" or "\u3000" <= c <= "\u303f"
                 or "\uff00" <= c <= "\uffef" or c in "“”‘’…—·")
    return common / len(non_ascii) >= 0.9


_BOMS = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
         "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}


def encode_text(text: str, encoding: str, bom: bool) -> bytes:
    """Bytes in the document's own encoding, byte-order mark included when it had one.
    Raises UnicodeEncodeError when the text holds a character the encoding has not."""
    data = text.encode(encoding)
    return (_BOMS[encoding] + data) if bom and encoding in _BOMS else data


def looks_binary(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return False
    return b"\x00" in head


def binary_type(data: bytes) -> str | None:
    """The binary format a file's first bytes name ('PNG image'), or None. A file of a known format
    is listed as a binary file (a note); bytes that are neither text nor one of these are an error
    (nothing unknown passes unread)."""
    found = identify(data[:HEAD])
    return found[0] if found else None


def _text_score(text: str) -> float:
    """The share of characters a text document is made of (printable ASCII, whitespace, Latin,
    common CJK and its punctuation); 0 when it holds a NUL or another C0 control."""
    if not text:
        return 0.0
    good = 0
    for c in text:
        o = ord(c)
        if o < 0x20 and c not in "\t\n\r\f":
            return 0.0
        if 0x7F <= o <= 0x9F:
            continue
        if o < 0x250 or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF \
                or 0x2010 <= o <= 0x2027 or 0x2030 <= o <= 0x205E:
            good += 1
    return good / len(text)


def bomless_utf16_32(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of UTF-16 or UTF-32 written without a byte-order mark, for bytes with NULs:
    the byte order whose strict decoding gives text (no NUL or control character, 90 % ordinary
    characters); between two, the one that reads the NUL bytes as ASCII's high bytes."""
    best: tuple[float, int, str, str] | None = None
    for name, unit in (("utf-32-le", 4), ("utf-32-be", 4), ("utf-16-le", 2), ("utf-16-be", 2)):
        if not data or len(data) % unit:
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        sample = text[:_SNIFF]  # the whole decodes strictly; its start tells what it is
        score = _text_score(sample)
        if score >= 0.9:
            ascii_chars = sum(1 for c in sample if c < "\x80")
            if best is None or (score, ascii_chars) > best[:2]:
                best = (score, ascii_chars, text, name)
    return (best[2], best[3]) if best else None


def newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    kinds = [k for k, n in (("\r\n", crlf), ("\n", lf), ("\r", cr)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def load_bytes(path: str, data: bytes, encoding: str | None = None) -> Document | FileError | Skipped:
    """A Document; Skipped for a binary file of a known format; FileError for bytes that are
    neither. Bytes with a NUL are text when they decode as UTF-16/32 without a byte-order mark or
    as UTF-8/GB18030 (a NUL in a text file does not hide the rest of it)."""
    binary = looks_binary(data[:_SNIFF])
    kind = binary_type(data) if binary else None
    if kind is not None:
        return Skipped(path, f"binary file ({kind})")
    try:
        found = bomless_utf16_32(data) if binary and not encoding else None
        text, enc, bom = (found[0], found[1], False) if found else decode_bytes(data, encoding)
    except DecodeError as exc:
        kind = binary_type(data)  # a PDF need not hold a NUL in its first 8 KiB
        if kind is not None:
            return Skipped(path, f"binary file ({kind})")
        if binary:
            return FileError(path, "binary data of no known format (NUL bytes, and not UTF-8, UTF-16/32 or "
                                   "GB18030 text); not scanned")
        return FileError(path, str(exc))
    return Document(path=path, text=text, encoding=enc, newline=newline_style(text), bom=bom)


def _nonblocking(path: str, flags: int) -> int:
    # Never wait on a FIFO or a device that appeared where a file was listed.
    return os.open(path, flags | os.O_NONBLOCK)


def load_file(path: Path, display: str, *, encoding: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Document | FileError | Skipped:
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
    return load_bytes(display, data, encoding)


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


def iter_paths(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
               ) -> Iterator[tuple[Path, str] | FileError]:
    """Yield (path, display path) for every regular file under the inputs, sorted, or a FileError
    (walk_paths without the entries it lists as skipped)."""
    for entry in walk_paths(inputs, include, exclude):
        if not isinstance(entry, Skipped):
            yield entry


def walk_paths(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
               ) -> Iterator[tuple[Path, str] | FileError | Skipped]:
    """Yield (path, display path) for every regular file under the inputs, sorted; a FileError for
    what cannot be listed or read (a folder, a path too long, something named that is not a file);
    Skipped for links and special files met in a folder (never opened: a FIFO would block).

    Globs match the path relative to the folder given (with '/') or the file name alone.
    A file named directly is scanned even if it does not match --include.
    """
    seen: set[str] = set()
    for raw in inputs:
        root = Path(raw)
        try:
            st = os.stat(raw)
        except OSError as exc:
            yield FileError(raw, "no such file or folder" if isinstance(exc, FileNotFoundError)
                            else f"cannot read: {exc.strerror or exc}")
            continue
        if not stat.S_ISDIR(st.st_mode):
            if raw not in seen and not path_matches(root.as_posix(), exclude):
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
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
            # Plain strings here: pathlib's parsing cost more than reading the files (measured).
            prefix = os.path.relpath(dirpath, base)
            prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
            for name in list(dirnames):
                full = os.path.join(dirpath, name)
                if os.path.islink(full):  # os.walk does not follow it: say so
                    dirnames.remove(name)
                    if not (exclude and path_matches(prefix + name, exclude)):
                        yield Skipped(full.replace(os.sep, "/"), "symbolic link to a folder; not followed")
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
                    yield Skipped(display, "symbolic link; not followed")
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


def wrap_width(text: str) -> int | None:
    """The line length a hard-wrapping tool used, if the text looks hard-wrapped."""
    lines = text.replace("\r\n", "\n").split("\n")
    lengths = [len(line) for line in lines if line.strip()]
    if len(lengths) < 4:
        return None
    width, count = Counter(lengths).most_common(1)[0]
    # A wrap width shows as one length shared by many lines, and few lines are longer.
    longer = sum(1 for n in lengths if n > width + 2)
    if width < 12 or count < 3 or count < 0.3 * len(lengths) or longer > 0.1 * len(lengths):
        return None
    return width


def unwrap(text: str) -> View | None:
    """Join lines cut by a fixed-width wrap (PDF text): a line at least as long as the wrap width
    minus two (half-width punctuation makes lines shorter) continues on the next line."""
    width = wrap_width(text)
    if width is None:
        return None
    removed: list[int] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = len(line) - len(body)
        if ending and len(body) >= width - 2 and body.strip():
            removed.extend(range(pos + len(body), pos + len(line)))
        pos += len(line)
    if not removed:
        return None
    return View.cut(text, removed)
