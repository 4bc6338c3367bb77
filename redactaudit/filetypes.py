"""What a file the scan could not read as text is, from its first bytes (its "magic").

In: the first bytes of a file, or the start of a decoded text. Out: a short type name and whether
it is an image. The scan lists a file of a known format as a note (documents.binary_type); redact copies true images as they are (they hold no text it could check, and it
says so); every other file it did not scan is refused, because copying it would publish text
nobody checked: a PDF, a Word or OpenDocument file (a ZIP), an old Office file (OLE2), an archive.
"""

from __future__ import annotations

HEAD = 262  # bytes enough for every signature below (a tar header's "ustar" is at 257)

# (signature at offset 0, what it is, its image type when it is an image redact may copy)
_MAGIC: tuple[tuple[bytes, str, str | None], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image", "image/png"), (b"\xff\xd8\xff", "JPEG image", "image/jpeg"),
    (b"GIF87a", "GIF image", "image/gif"), (b"GIF89a", "GIF image", "image/gif"),
    (b"%PDF-", "PDF document", None), (b"PK\x03\x04", "ZIP archive or office document", None),
    (b"PK\x05\x06", "ZIP archive", None), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 office document", None),
    (b"\x1f\x8b", "gzip archive", None), (b"BZh", "bzip2 archive", None), (b"\xfd7zXZ\x00", "xz archive", None),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive", None), (b"Rar!\x1a\x07", "RAR archive", None),
    (b"\x28\xb5\x2f\xfd", "zstd archive", None), (b"\x7fELF", "ELF executable", None),
    (b"MZ", "Windows executable", None), (b"\xca\xfe\xba\xbe", "Java class or Mach-O", None),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable", None), (b"\xce\xfa\xed\xfe", "Mach-O executable", None),
    (b"\x00asm", "WebAssembly module", None), (b"SQLite format 3\x00", "SQLite database", None),
    (b"ID3", "MP3 audio", None), (b"OggS", "Ogg media", None), (b"fLaC", "FLAC audio", None),
    (b"\x1a\x45\xdf\xa3", "Matroska media", None), (b"II*\x00", "TIFF image", None), (b"MM\x00*", "TIFF image", None),
    (b"BM", "BMP image", None), (b"\x00\x00\x01\x00", "icon", None), (b"wOFF", "WOFF font", None),
    (b"wOF2", "WOFF2 font", None), (b"OTTO", "OpenType font", None), (b"\x00\x01\x00\x00", "TrueType font", None),
)


def identify(head: bytes) -> tuple[str, str | None] | None:
    """(what it is, image type or None) of the format a file's first bytes name, or None."""
    if head[:4] == b"RIFF":
        return ("WebP image", "image/webp") if head[8:12] == b"WEBP" else ("RIFF media", None)
    for magic, name, image in _MAGIC:
        if head.startswith(magic):
            return name, image
    if head[4:8] == b"ftyp":
        return "ISO media (MP4, MOV, HEIC)", None
    if head[257:262] == b"ustar":
        return "tar archive", None
    return None


def sniff(head: bytes) -> tuple[str, bool]:
    """(type, is_image) of a file redact did not scan: an image's type (image/png), which it copies,
    or what else it is; ("binary file", False) when unknown."""
    found = identify(head)
    if found is None:
        return "binary file", False
    name, image = found
    return (image, True) if image else (name, False)


def container(text: str) -> str | None:
    """A decoded text that is really a document format whose text is not plain (a PDF keeps it in
    compressed streams): its type, else None. Such a file decodes, but scanning it checks nothing."""
    if text.startswith("%PDF-"):
        return "PDF"
    return None
