"""What a file the scan could not read as text is, from its first bytes (its "magic").

In: the first bytes of a file, or the start of a decoded text. Out: a short type name and whether
it is an image. redact copies true images as they are (they hold no text it could check, and it
says so); every other file it did not scan is refused, because copying it would publish text
nobody checked: a PDF, a Word or OpenDocument file (a ZIP), an old Office file (OLE2), an archive.
"""

from __future__ import annotations

HEAD = 16  # bytes enough for every signature below

# (signature at offset 0, type, image?)
_MAGIC: tuple[tuple[bytes, str, bool], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png", True),
    (b"\xff\xd8\xff", "image/jpeg", True),
    (b"GIF87a", "image/gif", True),
    (b"GIF89a", "image/gif", True),
    (b"%PDF-", "PDF", False),
    (b"PK\x03\x04", "ZIP (docx, xlsx, pptx, odt, epub, zip)", False),
    (b"PK\x05\x06", "ZIP (empty)", False),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 (doc, xls, ppt, msg)", False),
    (b"\x1f\x8b", "gzip", False),
    (b"BZh", "bzip2", False),
    (b"\xfd7zXZ\x00", "xz", False),
    (b"7z\xbc\xaf\x27\x1c", "7z", False),
    (b"Rar!\x1a\x07", "RAR", False),
)


def sniff(head: bytes) -> tuple[str, bool]:
    """(type, is_image) of a file from its first bytes; ("binary file", False) when unknown."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", True
    for magic, kind, image in _MAGIC:
        if head.startswith(magic):
            return kind, image
    return "binary file", False


def container(text: str) -> str | None:
    """A decoded text that is really a document format whose text is not plain (a PDF keeps it in
    compressed streams): its type, else None. Such a file decodes, but scanning it checks nothing."""
    if text.startswith("%PDF-"):
        return "PDF"
    return None
