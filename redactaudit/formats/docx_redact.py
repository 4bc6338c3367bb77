"""Rewrite values inside a .docx: the text of its runs changes, nothing else does.

In: the bytes of a .docx and edits (text start, text end, replacement) in the coordinates of
docx.extract(...).text. Out: the bytes of a valid .docx. A value's replacement goes into the
first text element (w:t) it starts in; its other characters are removed from the elements they
sit in (a value split across runs, as Word splits text at every change of spell-check state or
formatting, is handled: each run keeps its formatting). Only the content of the touched text
elements changes, byte for byte (xml:space="preserve" is added where the new text starts or ends
with a space); every other part, and every other byte of a touched part, is kept; zip members keep
their order, names, dates and compression method. Tabs and line breaks inside a value (not text
elements) stay.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict

from .base import check_edits
from .docx import WHAT, TextNode, read_docx
from .ooxml import open_zip, read_member

_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _valid_xml(text: str) -> bool:
    return all(c in "\t\n\r" or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
               for c in text)


def _utf8(raw: bytes) -> bool:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    declared = re.search(rb"""encoding\s*=\s*["']([A-Za-z0-9_.-]+)""", raw[:200])
    return declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")


def _escape(text: str) -> str:
    return "".join(_XML_ESCAPES.get(c, c) for c in text)


def _new_text(node: TextNode, changes: list[tuple[int, int, str]]) -> str:
    parts, last = [], 0
    for lo, hi, new in sorted(changes):
        parts += [node.text[last:lo], new]
        last = hi
    parts.append(node.text[last:])
    return "".join(parts)


def _start_tag(data: bytes, node: TextNode, text: str) -> bytes:
    tag = data[node.tag_start:node.tag_end]
    if (text[:1].isspace() or text[-1:].isspace()) and b"xml:space" not in tag:
        tag = tag[:-1] + b' xml:space="preserve">'
    return tag


def redact_docx(data: bytes, edits: list[tuple[int, int, str]]) -> bytes:
    """A copy of the .docx `data` with each edit's characters replaced in the runs they are in.
    Raises ExtractionError for a file extract() refuses, ValueError for bad edits."""
    doc = read_docx(data)
    edits = check_edits(edits, len(doc.extracted.text))
    for _, _, replacement in edits:
        if not _valid_xml(replacement):
            raise ValueError("a replacement holds characters XML cannot carry")
    changes: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for start, end, replacement in edits:
        first = True
        pieces = doc.node_map.pieces(start, end)
        if not pieces:
            where = next((s.where() for s in doc.extracted.segments if s.start <= start < s.end), {})
            raise ValueError(f"a value in the file's {where.get('field', 'attributes')} (not document text) "
                             "cannot be rewritten in place; remove it in Word")
        for s, e, _kind in pieces:
            while s < e:  # a merged run can cross from one text node into the next
                k = doc.node_at(s)
                base = doc.bases[k]
                stop = min(e, base + len(doc.nodes[k].text))
                if stop <= s:
                    break
                changes[k].append((s - base, stop - base, replacement if first else ""))
                first = False
                s = stop
    by_part: dict[str, list[int]] = defaultdict(list)
    for k in changes:
        by_part[doc.nodes[k].part].append(k)
    zf = open_zip(data, WHAT)
    new_parts: dict[str, bytes] = {}
    for part, ks in by_part.items():
        raw = read_member(zf, part, WHAT)
        if not _utf8(raw):
            raise ValueError(f"part {part} is not UTF-8 XML: cannot rewrite it")
        pieces, last = [], 0
        for k in sorted(ks, key=lambda k: doc.nodes[k].tag_start):
            node = doc.nodes[k]
            text = _new_text(node, changes[k])
            pieces += [raw[last:node.tag_start], _start_tag(raw, node, text), _escape(text).encode("utf-8")]
            last = node.end
        pieces.append(raw[last:])
        new_parts[part] = b"".join(pieces)
    return _rezip(zf, new_parts)


def _rezip(zf: zipfile.ZipFile, new_parts: dict[str, bytes]) -> bytes:
    """The package with `new_parts` replaced; every other member's content as it was."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in zf.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            copy.comment = info.comment
            body = new_parts.get(info.filename)
            out.writestr(copy, body if body is not None else read_member(zf, info.filename, WHAT))
        out.comment = zf.comment
    return buf.getvalue()
