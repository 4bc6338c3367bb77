"""Bytes -> text: byte-order marks, UTF-8, the GBK family, Big5 and other encodings told apart,
UTF-16/32 without a byte-order mark; and back to bytes in the file's own encoding.

In: bytes (and an encoding the user named). Out: (text, encoding, had a BOM, how sure when the
encoding was guessed), or DecodeError.
Newlines are kept exactly as in the bytes.
"""

from __future__ import annotations

import codecs
import re
from unicodedata import category

_SNIFF = 8192


class DecodeError(Exception):
    pass


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str, bool]:
    """Return (text, encoding name, had_bom). Newlines are kept exactly as in the bytes."""
    text, name, bom, _ = decode(data, encoding)
    return text, name, bom


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str, bool, float | None]:
    """(text, encoding name, had a BOM, how sure when the encoding was guessed, else None)."""
    if encoding:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
        why = _not_text(data, text)
        if why:
            raise DecodeError(f"decoded as {encoding}, the bytes give no text ({why}): not the file's encoding; "
                              "not scanned")
        return text, encoding.lower(), False, None
    # Longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data.decode(name) if name == "utf-8-sig" else data[len(bom):].decode(name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"has a {name} byte-order mark but does not decode: {exc}") from None
            why = None if name == "utf-8-sig" else _not_text(data, text)
            if why:  # a UTF-16 mark before UTF-8 bytes decodes strictly into soup no rule reads
                raise DecodeError(f"has a {name} byte-order mark but its bytes give no text ({why}): not scanned")
            return text, name, True, None
    try:
        return data.decode("utf-8"), "utf-8", False, None
    except UnicodeDecodeError:
        pass
    text, name, sure = guess_encoding(data)
    return text, name, False, round(sure, 2)


# A forced decoding with more than this share of odd characters (unassigned, private-use,
# surrogate, control other than whitespace, replacement) is not the file's encoding: text has
# next to none, the wrong decoding of UTF-8 has 8-35 % (UTF-16, Latin-1, measured on the samples).
_ODD_MAX = 0.05
_ODD_CATEGORIES = frozenset(("Cn", "Co", "Cs", "Cc"))


def _not_text(data: bytes, text: str) -> str | None:
    """Why the text a named encoding gave is no text, or None. Its last line break swallowed into
    another character (UTF-8 read as UTF-16) or too many odd characters in its first 64 Ki."""
    for end in ("\n", "\r"):
        if data.endswith(end.encode("ascii")) and not text.endswith(end):
            return "its line breaks are lost"
    sample = text[:65536]
    odd = sum(1 for c in sample if c not in "\t\n\r\f\v" and (c == "\ufffd" or category(c) in _ODD_CATEGORIES))
    if sample and odd > _ODD_MAX * len(sample):
        return (f"{round(100 * odd / len(sample))}% of its characters are unassigned, private-use, control or "
                "replacement characters")
    return None


# Below this many bytes a statistical guess between two CJK encodings is a coin toss (measured:
# bench/formats.md): the simplified GBK family is taken.
_GUESS_MIN = 48
_OTHER_ENCODINGS = ["shift_jis", "euc_kr", "cp1252"]


def guess_encoding(data: bytes) -> tuple[str, str, float]:
    """(text, encoding, how sure: 0-1) of bytes that are not UTF-8 and have no byte-order mark.

    The GBK family and Big5 both decode most Chinese text strictly, each into characters of the
    other's script, so decoding alone cannot tell them apart: when both read as Chinese, the
    statistical detector charset-normalizer decides (on 48 bytes or more). Other encodings are
    taken only when the detector finds them clean. How sure: the share of ordinary characters for
    Chinese, 1 - the detector's "chaos" otherwise. Raises DecodeError when nothing fits."""
    readings = {}
    for name in ("gbk", "gb18030", "big5"):
        if name == "gb18030" and "gbk" in readings:  # the GBK reading is taken then
            continue
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        share = _chinese_share(text)
        if share >= 0.9:
            readings[name] = (text, share)
    gb = readings.get("gbk") or readings.get("gb18030")
    gb_name = "gbk" if "gbk" in readings else "gb18030"
    if gb and "big5" in readings and len(data) >= _GUESS_MIN:
        best = _detector(data, ["gb18030", "big5"])
        if best is not None and best.encoding == "big5":
            return readings["big5"][0], "big5", readings["big5"][1]
    if gb:
        return gb[0], gb_name, gb[1]
    if "big5" in readings:
        return readings["big5"][0], "big5", readings["big5"][1]
    best = _detector(data, _OTHER_ENCODINGS) if len(data) >= _GUESS_MIN else None
    if best is not None and best.chaos <= 0.1:
        try:
            return data.decode(best.encoding), best.encoding.replace("_", "-"), round(1 - best.chaos, 2)
        except (UnicodeDecodeError, LookupError):
            pass
    raise DecodeError("not UTF-8, UTF-16, GB18030 or Big5 text, and no other encoding fits "
                      "(use --encoding to name the encoding)")


def _detector(data: bytes, candidates: list[str]):
    """charset-normalizer's best reading of the bytes among `candidates`, or None."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # it comes with pdfminer.six; without it, the GBK family is taken
        return None
    return from_bytes(data[:65536], cp_isolation=candidates).best()


# Characters outside the common ones (and ASCII): removed, what is left is counted. Compiled by
# the first text that needs it (re's own cache), not on every start.
_UNCOMMON = "[^\x00-\x7f\u4e00-\u9fa5\u3000-\u303f\uff00-\uffef“”‘’…—·]+"


def _chinese_share(text: str) -> float:
    # GB18030 maps almost any byte soup to *some* characters; Latin-1 or Shift-JIS files decoded
    # that way come out as rare CJK and symbols. Real Chinese is mostly common ideographs and
    # full-width punctuation. Counted in C: the ASCII characters by encoding without them.
    ascii_chars = len(text.encode("ascii", "ignore"))
    if ascii_chars == len(text):
        return 1.0
    return (len(re.sub(_UNCOMMON, "", text)) - ascii_chars) / (len(text) - ascii_chars)


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
