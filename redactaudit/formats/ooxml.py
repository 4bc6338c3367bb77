"""Zip packages (docx, odt) read safely, and their XML parts walked with byte offsets.

In: a package's bytes. Out: a ZipFile whose declared sizes were checked, members read under a cap
on decompressed bytes (a zip bomb is an ExtractionError, not an exhausted memory), and
walk(): one pass of expat over a part, calling back with each element's start and end byte
offsets, so that a rewrite can replace the text of an element and keep every other byte.
A DOCTYPE (entity expansion, external entities) is refused: no office part has one.
"""

from __future__ import annotations

import io
import xml.parsers.expat
import zipfile
from typing import Callable

from .base import OLE2, ExtractionError

MAX_UNZIPPED = 256 << 20  # decompressed bytes one package may declare
MAX_MEMBERS = 20_000
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def refuse_ole2(data: bytes, what: str) -> None:
    """An OLE2 file where a zip package was expected: an encrypted package, or the old format."""
    if data.startswith(OLE2):
        if _ENCRYPTED_PACKAGE in data:
            raise ExtractionError("password-protected (encrypted) document")
        raise ExtractionError(f"old binary {what} format (OLE2), not supported: save it in the current format")


def open_zip(data: bytes, what: str, limit: int = MAX_UNZIPPED) -> zipfile.ZipFile:
    """A ZipFile over `data` after checking it is one, unencrypted, and declares at most `limit`
    decompressed bytes (zipfile never returns more than a member declares)."""
    refuse_ole2(data, what)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise ExtractionError(f"corrupt {what} (not a readable zip package: {exc})") from None
    if len(infos) > MAX_MEMBERS:
        raise ExtractionError(f"{what} with {len(infos)} zip members (more than {MAX_MEMBERS})")
    if any(info.flag_bits & 0x1 for info in infos):
        raise ExtractionError(f"encrypted zip members in {what}")
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise ExtractionError(f"{what} decompresses to {total >> 20} MiB, over the {limit >> 20} MiB cap (zip bomb?)")
    return zf


def read_member(zf: zipfile.ZipFile, name: str, what: str) -> bytes:
    try:
        return zf.read(name)
    except KeyError:
        raise ExtractionError(f"corrupt {what}: no part {name}") from None
    except Exception as exc:  # BadZipFile (CRC, truncation), zlib.error, unsupported compression
        raise ExtractionError(f"corrupt {what}: part {name} unreadable ({type(exc).__name__}: {exc})") from None


def tag_end(data: bytes, at: int) -> int:
    """Offset just past the '>' closing the tag that starts at data[at] ('>' may sit in quotes)."""
    close = data.find(b">", at)
    if close >= 0 and data.find(b'"', at, close) < 0 and data.find(b"'", at, close) < 0:
        return close + 1
    if close >= 0 and data.count(b'"', at, close) % 2 == 0 and data.count(b"'", at, close) == 0:
        return close + 1  # every quoted value closed before the '>'
    quote = 0
    n = len(data)
    i = at
    while i < n:
        c = data[i]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):
            quote = c
        elif c == 0x3E:
            return i + 1
        i += 1
    return n


def walk(data: bytes, name: str, what: str,
         start: Callable[[str, dict[str, str], int], None],
         end: Callable[[str, int], None],
         chars: Callable[[str], None]) -> None:
    """Parse one XML part: start(name, attrs, byte offset of '<'), end(name, byte offset of the
    end tag's '<', or of the start tag for an empty element), chars(text). Names are
    "namespace}local". A DOCTYPE or malformed XML raises ExtractionError."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")

    def refuse_doctype(*_args: object) -> None:
        raise ExtractionError(f"corrupt {what}: part {name} declares a DOCTYPE")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    parser.StartElementHandler = lambda tag, attrs: start(tag, attrs, parser.CurrentByteIndex)
    parser.EndElementHandler = lambda tag: end(tag, parser.CurrentByteIndex)
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise ExtractionError(f"corrupt {what}: part {name} is not well-formed XML ({exc})") from None


def local(tag: str) -> tuple[str, str]:
    """("namespace", "local") of an expat name "namespace}local"."""
    ns, _, loc = tag.rpartition("}")
    return ns, loc
