"""Two copies of a text: folded for comparison, sampled for the index, aligned, compared.

In: texts (and, to compare two copies, their documents and findings). Out: a Normalized text with
its map back to the original, a Sample (what the index of copies needs from a document), the
aligned blocks of two folded texts, and the findings one pair of copies gives (a value in clear
that the other copy masks; copies that mask one value differently). Which copies are compared is
decided in `clusters` and `crossdoc`.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
import unicodedata
from array import array
from binascii import crc32
from dataclasses import dataclass, replace

import regex

from ..model import Document, Finding, Kind, Location, Reason, Severity
from ..vocabulary import MASK_CHARS, partial_shape
from .common import MASKY, inconsistency, mask_run

@dataclass(frozen=True, slots=True)
class Normalized:
    """A document's text folded for comparison (NFKC, no white space or punctuation, so line wraps
    and half-width commas do not count), for each folded character its offset in the original,
    and where sentences end (to align sentence by sentence before character by character)."""

    text: str
    offsets: "array[int]"
    breaks: tuple[int, ...] = ()

    def sentences(self) -> list[str]:
        bounds = (0, *self.breaks, len(self.text))
        return [self.text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# What comparison ignores: white space and punctuation (ASCII, general, CJK and full-width forms),
# but not mask characters. Spelled as ranges for the standard `re` engine, 2.7x faster here than
# \p{P} in `regex` (measured on generated speeches, same output).
_IGNORED = "".join(chr(c) for a, b in ((0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E), (0xA1, 0xBF),
                                       (0x2010, 0x206F), (0x3000, 0x303F), (0xFE10, 0xFE6F), (0xFF01, 0xFF0F),
                                       (0xFF1A, 0xFF20), (0xFF3B, 0xFF40), (0xFF5B, 0xFF65))
                   for c in range(a, b + 1) if chr(c) not in MASK_CHARS)
# What \s matches (str.isspace), spelled out: with the rest, one bitmap test per character
# (\s is a second test on every character: 1.15x the instructions).
_SPACES = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_KEEP = re.compile("[^" + _SPACES + re.escape(_IGNORED) + "]+")
_ENDS = regex.compile("[。！？；!?;．｡]")


# Characters NFKC folds into several (… -> ...): folded to one beforehand, so the whole text can be
# folded in one call and keep a one-to-one map of offsets. They are punctuation and dropped anyway.
_WIDE = ("…", "‥", "⋯", "︙")


def _fold(text: str) -> str:
    for ch in _WIDE:
        if ch in text:
            text = text.replace(ch, ".")
    return unicodedata.normalize("NFKC", text)


def folded_text(text: str) -> str:
    """The text folded for comparison, without the offset map: cheap enough to run on every
    document to find which ones have a copy. Punctuation goes first, so NFKC (slow on a whole
    speech) only runs when what is left needs it (full-width letters and digits)."""
    kept = _kept(text)
    if not unicodedata.is_normalized("NFKC", kept):
        kept = _kept(unicodedata.normalize("NFKC", kept))
    return kept.lower()


# The ignored characters most frequent in Chinese and English texts, removed first, a scan in C
# each: a regex call per run of kept characters cost more than that for each of these.
_FREQUENT = "、，,\n。“”"


def _kept(text: str) -> str:
    """The text without what comparison ignores, a piece at a time: a 50 MB text has millions of
    runs, never listed all at once (a run cut between pieces joins up again)."""
    for ch in _FREQUENT:
        if ch in text:
            text = text.replace(ch, "")
    if len(text) <= _PIECE:
        return "".join(_KEEP.findall(text))
    return "".join(["".join(_KEEP.findall(text, at, at + _PIECE)) for at in range(0, len(text), _PIECE)])


def normalize(text: str) -> Normalized:
    folded = _fold(text)
    if len(folded) != len(text):
        return _normalize_slowly(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        folded = lowered
    runs = [m.span() for m in _KEEP.finditer(folded)]
    offsets = array("I")
    for a, b in runs:
        offsets.extend(range(a, b))
    # Sentence ends, as positions in the folded text: the number of kept characters before each.
    breaks = []
    starts = [a for a, _ in runs]
    kept_before = [0]
    for a, b in runs:
        kept_before.append(kept_before[-1] + b - a)
    for m in _ENDS.finditer(folded):
        k = kept_before[bisect.bisect_right(starts, m.start())]
        if k and (not breaks or breaks[-1] != k):
            breaks.append(k)
    return Normalized("".join(folded[a:b] for a, b in runs), offsets, tuple(breaks))


def _normalize_slowly(text: str) -> Normalized:
    """Run by run, for the rare text where NFKC changes a character's length (㎡ -> m2)."""
    chars, offsets, breaks = [], array("I"), []
    kept = 0
    last = 0
    nfkc = unicodedata.normalize
    for m in _KEEP.finditer(text):
        a, b = m.span()
        if kept and _ENDS.search(text, last, a) and (not breaks or breaks[-1] != kept):
            breaks.append(kept)
        pieces = [nfkc("NFKC", ch) for ch in text[a:b]]
        run = "".join(pieces).translate(_ASCII_LOWER)
        offsets.extend(a + i for i, p in enumerate(pieces) for _ in p)
        chars.append(run)
        kept += len(run)
        last = b
    return Normalized("".join(chars), offsets, tuple(breaks))


SHINGLE = 8

# Shingles start where one of these characters stands: common in Chinese and English prose, so
# every text has anchors, and chosen by content alone, so two copies anchor at the same words.
# Matched at the anchor itself (so the engine skips to the next anchor character in C), the
# shingle captured from the anchor on by a lookahead inside a one-character lookbehind: 1.7x
# fewer instructions than a lookahead tried at every position.
_ANCHORS = "[的是在和了要对为以于与及将把被不有这中上个国一地出会年作发市县区人e]"
_SHINGLES = re.compile(f"{_ANCHORS}(?<=(?=(.{{{SHINGLE}}})).)", re.S)


@dataclass(frozen=True, slots=True)
class Sample:
    """What the index of copies needs from one document: a key its exact duplicates share (a hash
    of the folded text) and a content-defined sample of its 8-character shingles, those starting
    at an anchor character (the same shingles in every copy, about one position in twenty),
    hashed with a hash every process computes alike (workers sample, the parent pairs)."""

    text_key: bytes
    shingles: "array[int]"  # sorted, distinct, 32-bit
    raw_key: bytes = b""  # a hash of the text itself: copies of one file share it


def sample_text(text: str) -> Sample:
    folded = folded_text(text)
    # CRC-32: computed alike in every process (str's own hash is not), 3x faster than a digest; a
    # rare collision counts one shingle as shared, which no pairing threshold notices.
    # (A lone surrogate, which a file's bytes can decode to, is hashed as its own code point.)
    # A piece at a time: a large text's shingles are never listed all at once.
    hashes: set[int] = set()
    for at in range(0, len(folded), _PIECE):
        hashes.update(map(crc32, _each_utf8(_SHINGLES.findall(folded, at, at + _PIECE + SHINGLE - 1))))
    return Sample(_digest(folded), array("I", sorted(hashes)), _digest(text))


_PIECE = 1 << 20  # characters encoded at a time for a digest (a large text is never copied whole)


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _each_utf8(strings: list[str]) -> list[bytes]:
    """The UTF-8 of each string, encoded in one call: joined by NUL, encoded, split again (when
    no string holds a NUL itself; else one by one)."""
    if not strings:
        return []
    joined = "\0".join(strings)
    if joined.count("\0") != len(strings) - 1:
        return list(map(_utf8, strings))
    return _utf8(joined).split(b"\0")


def _digest(text: str) -> bytes:
    """blake2b-128 of the text's UTF-8, encoded a piece at a time."""
    h = hashlib.blake2b(digest_size=16)
    for at in range(0, len(text), _PIECE):
        h.update(_utf8(text[at:at + _PIECE]))
    return h.digest()


Block = tuple[str, int, int, int, int]  # (tag, a1, a2, b1, b2), as difflib's opcodes


# The longest common subsequence's memory grows with the product of the two lengths (a bit per
# pair): two 240 KB texts that differ on every line took 7.5 GB. Past this many pairs, the two
# sides are aligned in bands: piece k of one against piece k of the other, cut in proportion.
# What that loses: a value that moved by more than a band's length between the copies.
ALIGN_CELLS = 1 << 24


def _blocks(a, b) -> list[Block]:
    """Equal runs and the gaps between them (replace, delete, insert), as difflib's get_opcodes
    gives them, from the longest common subsequence (rapidfuzz's Indel, compiled); in bands when
    the two are long (ALIGN_CELLS)."""
    if len(a) * len(b) <= ALIGN_CELLS:
        return _lcs_blocks(a, b)
    bands = -(-len(a) * len(b) // ALIGN_CELLS)  # each band's product is at most ALIGN_CELLS
    bands = max(2, int(bands ** 0.5) + 1)
    out: list[Block] = []
    for k in range(bands):
        a0, a1 = len(a) * k // bands, len(a) * (k + 1) // bands
        b0, b1 = len(b) * k // bands, len(b) * (k + 1) // bands
        for t, x1, x2, y1, y2 in _blocks(a[a0:a1], b[b0:b1]):
            if out and out[-1][0] == t == "equal":
                last = out[-1]
                out[-1] = ("equal", last[1], a0 + x2, last[3], b0 + y2)
            else:
                out.append((t, a0 + x1, a0 + x2, b0 + y1, b0 + y2))
    return out


def _lcs_blocks(a, b) -> list[Block]:
    out: list[Block] = []
    i = j = 0
    from rapidfuzz.distance import Indel  # here: a scan of one file (a pre-commit hook) never aligns

    for m in Indel.opcodes(a, b).as_matching_blocks():
        x, y, n = m.a, m.b, m.size
        if i < x or j < y:
            out.append(("replace" if i < x and j < y else "delete" if i < x else "insert", i, x, j, y))
        if n:
            out.append(("equal", x, x + n, y, y + n))
        i, j = x + n, y + n
    if i < len(a) or j < len(b):
        out.append(("replace" if i < len(a) and j < len(b) else "delete" if i < len(a) else "insert",
                    i, len(a), j, len(b)))
    return out


SHORT = 64  # a stretch between anchors this short is aligned by difflib
ANCHOR = 8  # a run the longest common subsequence matches that is at least this long is trusted


def _char_level(a: str, b: str) -> list[Block]:
    """Two sentences that differ, character by character. Runs of at least ANCHOR characters
    of their longest common subsequence (rapidfuzz's Indel, compiled) are anchors; what lies
    between two anchors is aligned by difflib's longest contiguous blocks when short (the usual
    case: a mask against a value), by Indel when long. A longest common subsequence alone may
    pair scattered letters (`person1` against `**`, taking the `s` of `person1` for the next
    word's), which contiguous blocks never do."""
    out: list[Block] = []
    pa = pb = 0
    anchors = [(x1, y1, x2 - x1) for t, x1, x2, y1, _ in _blocks(a, b) if t == "equal" and x2 - x1 >= ANCHOR]
    anchors.append((len(a), len(b), 0))
    for k, (x, y, n) in enumerate(anchors):
        if n:  # grown over equal characters on either side, as difflib's longest blocks would be
            while x > pa and y > pb and a[x - 1] == b[y - 1]:
                x, y, n = x - 1, y - 1, n + 1
            nx, ny = anchors[k + 1][:2]
            while x + n < nx and y + n < ny and a[x + n] == b[y + n]:
                n += 1
        ra, rb = a[pa:x], b[pb:y]
        if ra or rb:
            inner = difflib.SequenceMatcher(None, ra, rb, autojunk=False).get_opcodes() \
                if len(ra) <= SHORT and len(rb) <= SHORT else _blocks(ra, rb)
            out.extend((t, pa + x1, pa + x2, pb + y1, pb + y2) for t, x1, x2, y1, y2 in inner)
        if n:
            out.append(("equal", x, x + n, y, y + n))
        pa, pb = x + n, y + n
    merged: list[Block] = []
    for blk in out:
        if merged and blk[0] == "equal" and merged[-1][0] == "equal":
            merged[-1] = ("equal", merged[-1][1], blk[2], merged[-1][3], blk[4])
        else:
            merged.append(blk)
    return merged


def char_blocks(na: Normalized, nb: Normalized) -> list[Block]:
    """The character-level alignment of two folded texts, covering both: sentences are aligned
    first (cheap), then only sentences that differ are aligned character by character."""
    sa, sb = na.sentences(), nb.sentences()
    starts_a = [0]
    for x in sa:
        starts_a.append(starts_a[-1] + len(x))
    starts_b = [0]
    for x in sb:
        starts_b.append(starts_b[-1] + len(x))
    out: list[Block] = []
    for tag, i1, i2, j1, j2 in _blocks(sa, sb):
        a0, a1, b0, b1 = starts_a[i1], starts_a[i2], starts_b[j1], starts_b[j2]
        if tag != "replace":
            out.append((tag, a0, a1, b0, b1))
            continue
        out.extend((t, a0 + x1, a0 + x2, b0 + y1, b0 + y2)
                   for t, x1, x2, y1, y2 in _char_level(na.text[a0:a1], nb.text[b0:b1]))
    return out


# What one pair of copies says, in folded offsets: (rule, span in the copy that gets the finding,
# span in the other copy). LEAK: a value in clear here, a mask there. DIFFER: masks in both, which
# may differ in style (decided with the documents' own mask findings).
LEAK = "consistency.cross-document"
DIFFER = "consistency.copies-differ"
Evidence = tuple[str, int, int, int, int]  # (rule, lo, hi, olo, ohi)


def leak_in(seg_own: str, seg_other: str) -> bool:
    """A short value in clear where the other copy has a mask."""
    return bool(mask_run(seg_other)) and not mask_run(seg_own) and not MASKY.search(seg_own) and len(seg_own) <= 12


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _cut(n: Normalized, lo: int, hi: int) -> bool:
    """Whether the folded span lo:hi starts or ends inside a Latin word or a number of the
    original (its edge character and the one beyond it are letters or digits that stood side by
    side there): an alignment's fragment, such as the P of PERSON-2, never a value."""
    text, at = n.text, n.offsets
    return (lo > 0 and _latin(text[lo]) and _latin(text[lo - 1]) and at[lo] - at[lo - 1] == 1) or \
        (hi < len(text) and _latin(text[hi - 1]) and _latin(text[hi]) and at[hi] - at[hi - 1] == 1)


def pair_evidence(na: Normalized, nb: Normalized) -> tuple[list[Evidence], list[Evidence]]:
    """(what copy a shows against b, what b shows against a): leaks in each, and the masks both
    hold in one place (reported in a, the copy first in the scan, as a pair's findings always were)."""
    in_a: list[Evidence] = []
    in_b: list[Evidence] = []
    for tag, i1, i2, j1, j2 in char_blocks(na, nb):
        if tag != "replace":
            continue
        sa, sb = na.text[i1:i2], nb.text[j1:j2]
        if (leak_in(sa, sb) or leak_in(sb, sa)) and (_cut(na, i1, i2) or _cut(nb, j1, j2)):
            continue
        if leak_in(sa, sb):
            in_a.append((LEAK, i1, i2, j1, j2))
        if leak_in(sb, sa):
            in_b.append((LEAK, j1, j2, i1, i2))
        if mask_run(sa) and mask_run(sb):
            in_a.append((DIFFER, i1, i2, j1, j2))
    return in_a, in_b


@dataclass(frozen=True, slots=True)
class Copy:
    """What comparing needs of one document: its path, its text (a Document, shared by the files
    that hold the same text), its folded text and its masks (their spans, styles, categories)."""

    index: int  # its place in the scan
    path: str
    document: Document
    norm: Normalized
    masks: tuple[Finding, ...]  # its placeholder findings (or those of a file with the same text)

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        return self.norm.offsets[lo], self.norm.offsets[hi - 1] + 1

    def masks_in(self, start: int, end: int) -> list[Finding]:
        return [f for f in self.masks if f.start < end and start < f.end]


def _differing(ev: Evidence, own: Copy, other: Copy) -> tuple[Finding, Finding] | None:
    """For masks in both copies: the first of each, when their styles differ."""
    _, lo, hi, olo, ohi = ev
    mine, theirs = own.masks_in(*own.span(lo, hi)), other.masks_in(*other.span(olo, ohi))
    return (mine[0], theirs[0]) if mine and theirs and mine[0].style != theirs[0].style else None


def _pointer(ev: Evidence, other: Copy, differing: tuple[Finding, Finding] | None) -> Location:
    """Where a finding points in the other copy: its mask (masks that differ), or the stretch
    that masks the value shown here."""
    if differing is not None:
        mask = differing[1]
        return Location(other.path, mask.start, mask.end, mask.line, mask.column, "the other copy's mask")
    ostart, oend = other.span(ev[3], ev[4])
    oline, ocol = other.document.lines.position(ostart)
    return Location(other.path, ostart, oend, oline, ocol, "the mask in the other copy")


def related(ev: Evidence, own: Copy, other: Copy) -> tuple[tuple[str, int, int], Location, Reason] | None:
    """What one piece of evidence adds to a finding in `own`: the finding's (rule, start, end),
    the other copy's mask it points at, and why; None for masks that do not differ in style."""
    why = Reason("aligned", other.path)
    if ev[0] == DIFFER:
        differing = _differing(ev, own, other)
        if differing is None:
            return None
        return (DIFFER, differing[0].start, differing[0].end), _pointer(ev, other, differing), why
    return (LEAK, *own.span(ev[1], ev[2])), _pointer(ev, other, None), why


def finding(ev: Evidence, own: Copy, other: Copy, key: bytes) -> Finding | None:
    """The finding one piece of evidence gives in `own`, pointing at `other`: a leak, or masks
    that differ in style (None when they do not)."""
    why = (Reason("aligned", other.path),)
    if ev[0] == DIFFER:
        differing = _differing(ev, own, other)
        if differing is None:
            return None
        mask, theirs = differing
        m = mask if mask.path == own.path else replace(mask, path=own.path)
        return inconsistency(
            DIFFER, m, m.category, Severity.INFO,
            f"两个副本的遮蔽方式不同 / the copies mask this differently ({_as_shown(m)} here, "
            f"{_as_shown(theirs)} in {other.path})",
            (_pointer(ev, other, differing),), why, key, 0.8)
    a = own.document
    start, end = own.span(ev[1], ev[2])
    line, col = a.lines.position(start)
    end_line, end_col = a.lines.end_position(end)
    pointer = _pointer(ev, other, None)
    masks = other.masks_in(pointer.start, pointer.end)
    category = masks[0].category if masks else "unknown"
    anchor = Finding(rule=LEAK, kind=Kind.INCONSISTENCY, category=category, severity=Severity.ERROR, path=own.path,
                     start=start, end=end, line=line, column=col, end_line=end_line, end_column=end_col,
                     text=a.text[start:end], message="", fingerprint="")
    return inconsistency(
        LEAK, anchor, category, Severity.ERROR,
        f"另一副本遮蔽了此处 / another copy ({other.path}) masks this value; here it is in clear",
        (pointer,), why, key, 0.9)


def _as_shown(mask: Finding) -> str:
    """A mask as a message may quote it: what a partial mask keeps is a value, shown as '#'."""
    return partial_shape(mask.text) if mask.style == "partial" else mask.text
