from __future__ import annotations

import codecs

import pytest

from redactaudit.model import LineIndex
from redactaudit.decoding import decode_bytes, encode_text, newline_style
from redactaudit.documents import iter_paths, load_bytes, unwrap
from redactaudit.model import Document, FileError

TEXT = "关于XX县的通报\r\n手机13912345678。\n"


@pytest.mark.parametrize("data, encoding, bom", [
    (TEXT.encode("utf-8"), "utf-8", False),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig", True),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le", True),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be", True),
    (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le", True),
    (TEXT.encode("gbk"), "gbk", False),
    ((TEXT + "𠀀").encode("gb18030"), "gb18030", False),
])
def test_decoding_keeps_newlines(data, encoding, bom):
    text, enc, had_bom = decode_bytes(data)
    assert enc == encoding and had_bom is bom
    assert text.rstrip("𠀀") == TEXT
    assert encode_text(text, enc, had_bom) == data  # what redact writes back is byte-identical


def test_binary_and_garbage_are_errors():
    assert load_bytes("a.bin", b"\x89PNG\r\n\x1a\n\x00\x00") == FileError(
        "a.bin", "not read: a PNG image, which has no text redactaudit can extract")
    result = load_bytes("b.txt", "café olé".encode("latin-1"))
    assert isinstance(result, FileError) and "not UTF-8, UTF-16, GB18030 or Big5" in result.message


def test_forced_encoding():
    assert load_bytes("c.txt", "é".encode("latin-1"), "latin-1").text == "é"
    assert isinstance(load_bytes("c.txt", b"\xff\xfe\xfd", "ascii"), FileError)


def test_newline_style():
    assert [newline_style(t) for t in ("a\nb", "a\r\nb", "a\rb", "a\nb\r\n", "ab")] == [
        "\n", "\r\n", "\r", "mixed", "none"]


def test_line_index_counts_crlf_as_two():
    text = "ab\r\ncd\ne\rf"
    idx = LineIndex(text)
    assert [idx.position(i) for i in (0, 2, 4, 5, 7, 9)] == [(1, 1), (1, 3), (2, 1), (2, 2), (3, 1), (4, 1)]


def test_unwrap_joins_fixed_width_lines_and_maps_back():
    lines = ["甲" * 20, "乙" * 20, "丙" * 18 + "王小", "明同志说" + "丁" * 16, "短行"]
    text = "\n".join(lines) + "\n"
    view = unwrap(text)
    assert view is not None and "王小明同志" in view.text
    s = view.text.index("王小明")
    assert view.span_to_source(s, s + 3) == (text.index("王小"), text.index("明同") + 1)


def test_ragged_text_is_not_unwrapped():
    assert unwrap("第一行。\n第二行比较长一些。\n短。\n这一行又很长很长很长很长。\n") is None


def test_iter_paths_globs_and_missing(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.md").write_text("x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text("x")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "d.txt").write_text("x")
    got = [p[1].rsplit("/", 1)[1] for p in iter_paths([str(tmp_path)], include=("*.txt",))]
    assert got == ["a.txt", "d.txt"]
    got = [p[1].rsplit("/", 1)[1] for p in iter_paths([str(tmp_path)], exclude=("sub/*",))]
    assert got == ["a.txt", "b.md"]
    missing = list(iter_paths([str(tmp_path / "nope")]))
    assert isinstance(missing[0], FileError)


def test_document_is_frozen():
    doc = Document("p", "t", "utf-8", "none")
    with pytest.raises(AttributeError):
        doc.text = "x"  # type: ignore[misc]


def test_exclude_of_a_bare_folder_name_leaves_that_folder_out_at_any_depth(tmp_path, monkeypatch):
    """gitignore-like: a name without '/' matches a folder (or file) at any depth; one with '/' is a
    path from the folder given, and what lies below a folder it matches is out too; globs still work."""
    for rel in ("a.txt", "drafts/b.txt", "sub/drafts/c.txt", "sub/keep.txt", "notdrafts/d.txt", "x/drafts.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")

    def kept(*exclude: str) -> list[str]:
        return [p[1][len(str(tmp_path)) + 1:] for p in iter_paths([str(tmp_path)], exclude=exclude)]

    assert kept("drafts") == ["a.txt", "notdrafts/d.txt", "sub/keep.txt", "x/drafts.txt"]
    assert kept("drafts/") == kept("drafts")
    assert kept("sub/drafts") == ["a.txt", "drafts/b.txt", "notdrafts/d.txt", "sub/keep.txt", "x/drafts.txt"]
    assert kept("draft*") == ["a.txt", "notdrafts/d.txt", "sub/keep.txt"]
    assert kept("*.txt") == []
    assert kept("sub/*") == ["a.txt", "drafts/b.txt", "notdrafts/d.txt", "x/drafts.txt"]
    monkeypatch.chdir(tmp_path)
    assert [p[1] for p in iter_paths(["drafts/b.txt", "./sub/drafts/c.txt", "a.txt"], exclude=("drafts",))] \
        == ["a.txt"]
