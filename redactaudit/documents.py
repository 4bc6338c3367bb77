"""Finding files, decoding bytes, and mapping offsets.

In: paths and glob options, or raw bytes. Out: Documents (decoded text with the file's own newlines),
FileErrors and Skipped entries; LineIndex maps code-point offsets to 1-based line/column;
unwrap() gives a view of hard-wrapped text with the wrap newlines removed and a map back.
"""

from __future__ import annotations

import bisect
import codecs
import fnmatch
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

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


def newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    kinds = [k for k, n in (("\r\n", crlf), ("\n", lf), ("\r", cr)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def load_bytes(path: str, data: bytes, encoding: str | None = None) -> Document | FileError | Skipped:
    if looks_binary(data[:_SNIFF]):
        return Skipped(path, "binary file")
    try:
        text, enc, bom = decode_bytes(data, encoding)
    except DecodeError as exc:
        return FileError(path, str(exc))
    return Document(path=path, text=text, encoding=enc, newline=newline_style(text), bom=bom)


def load_file(path: Path, display: str, *, encoding: str | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES) -> Document | FileError | Skipped:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                return Skipped(display, f"larger than {max_bytes} bytes ({size}); raise --max-bytes to scan it")
            data = fh.read()
    except OSError as exc:
        return FileError(display, f"cannot read: {exc.strerror or exc}")
    return load_bytes(display, data, encoding)


def _matches(rel: str, globs: Iterable[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def iter_paths(inputs: Iterable[str], include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
               ) -> Iterator[tuple[Path, str] | FileError]:
    """Yield (path, display path) for every file under the inputs, sorted, or a FileError.

    Globs match the path relative to the folder given (with '/') or the file name alone.
    A file named directly is scanned even if it does not match --include.
    """
    seen: set[str] = set()
    for raw in inputs:
        root = Path(raw)
        if not root.exists():
            yield FileError(raw, "no such file or folder")
            continue
        if root.is_file():
            if raw not in seen and not _matches(root.as_posix(), exclude):
                seen.add(raw)
                yield root, root.as_posix()
            continue
        base = os.fspath(root)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
            # Plain strings here: pathlib's parsing cost more than reading the files (measured).
            prefix = os.path.relpath(dirpath, base)
            prefix = "" if prefix == "." else prefix.replace(os.sep, "/") + "/"
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                rel = prefix + name
                display = full.replace(os.sep, "/")
                if display in seen or os.path.islink(full):
                    continue
                if include and not _matches(rel, include):
                    continue
                if exclude and _matches(rel, exclude):
                    continue
                seen.add(display)
                yield Path(full), display


class LineIndex:
    """Code-point offset -> 1-based (line, column). '\\r\\n', '\\r' and '\\n' each end a line."""

    def __init__(self, text: str):
        starts = [0]
        i, n = 0, len(text)
        find = text.find
        while True:
            j = find("\n", i)
            k = find("\r", i)
            if j < 0 and k < 0:
                break
            if k >= 0 and (j < 0 or k < j):
                nxt = k + 2 if text.startswith("\r\n", k) else k + 1
            else:
                nxt = j + 1
            starts.append(nxt)
            i = nxt
            if i >= n:
                break
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1



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
    parts, last = [], 0
    for off in removed:
        parts.append(text[last:off])
        last = off + 1
    parts.append(text[last:])
    return View("".join(parts), tuple(removed))
