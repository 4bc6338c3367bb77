"""The extraction layer (redactaudit.formats): text, locators and in-place redaction per format.

Fixtures are built here: a .docx from minimal XML (zipfile), PDFs with reportlab's built-in CID font
(no font file needed), HTML and Markdown sources. Every name and number is invented.
"""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from redactaudit.formats import ExtractionError, extract, format_of, locator, redact
from redactaudit.formats.base import ATOMIC, TextBuilder
from redactaudit.formats.docx_redact import redact_docx
from redactaudit.formats.html import extract_html, redact_html
from redactaudit.formats.markdown import extract_markdown, redact_md

W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def table(rows: list[list[str]]) -> str:
    grid = "<w:tblGrid>" + "<w:gridCol/>" * len(rows[0]) + "</w:tblGrid>"
    body = "".join("<w:tr>" + "".join(f"<w:tc>{para(run(c))}</w:tc>" for c in row) + "</w:tr>" for row in rows)
    return f"<w:tbl>{grid}{body}</w:tbl>"


def make_docx(body: str, header: str = "", footnotes: str = "", comments: str = "",
              core: str = "") -> bytes:
    parts = {"word/document.xml": f"{DECL}<w:document {W}><w:body>{body}"
             + ('<w:sectPr><w:headerReference w:type="default" r:id="rId2"/></w:sectPr>' if header else "")
             + "</w:body></w:document>"}
    rels = [("rId2", "header", "header1.xml", header, "hdr"), ("rId3", "footnotes", "footnotes.xml", footnotes, "footnotes"),
            ("rId4", "comments", "comments.xml", comments, "comments")]
    doc_rels = "".join(f'<Relationship Id="{i}" Type="{REL}{kind}" Target="{target}"/>'
                       for i, kind, target, content, _ in rels if content)
    for _, _, target, content, root in rels:
        if content:
            parts[f"word/{target}"] = f"{DECL}<w:{root} {W}>{content}</w:{root}>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                   + "".join(f'<Override PartName="/word/{target}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"/>'
                             for _, kind, target, content, _ in rels if content)
                   + '</Types>')
        z.writestr("_rels/.rels", f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{REL}officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels", f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f"{doc_rels}</Relationships>")
        for name, content in parts.items():
            z.writestr(name, content)
        z.writestr("word/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
        if core:
            z.writestr("docProps/core.xml", f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                       f'xmlns:dc="http://purl.org/dc/elements/1.1/">{core}</cp:coreProperties>')
    return buf.getvalue()


DOCX_BODY = (para(run("经办人："), run("蔺", True), run("朝晖"), run("，电话139"), "<w:r><w:t>0246</w:t></w:r>",
                  run("8135。"))
             + table([["姓名", "宓秀琼"], ["电话", "13602461357"]])
             + para(run("A&amp;B"), "<w:r><w:tab/></w:r>", run("完")))
DOCX_TEXT = ("经办人：蔺朝晖，电话13902468135。\n姓名\t宓秀琼\n电话\t13602461357\nA&B\t完\n"
             "抄送 蔺朝晖\n注：另见宓秀琼\n核稿 蔺朝晖\n作者甲\n审阅人")


def fixture_docx() -> bytes:
    return make_docx(DOCX_BODY, header=para(run("抄送 蔺朝晖")),
                     footnotes='<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                               f'<w:footnote w:id="1">{para(run("注：另见宓秀琼"))}</w:footnote>',
                     comments=f'<w:comment w:id="0" w:author="审阅人">{para(run("核稿 蔺朝晖"))}</w:comment>',
                     core="<dc:creator>作者甲</dc:creator>")


def test_docx_text_and_locators():
    ex = extract("通报.docx", fixture_docx())
    assert ex.format == "docx" and ex.text == DOCX_TEXT
    where = locator(ex)
    assert where(ex.text.index("13902468135")) == {"part": "document", "paragraph": 1}
    assert where(ex.text.index("13602461357")) == {"part": "document", "table": 1, "row": 2, "cell": 2}
    assert where(ex.text.index("宓秀琼")) == {"part": "document", "table": 1, "row": 1, "cell": 2}
    assert where(ex.text.index("抄送")) == {"part": "header1", "paragraph": 1}
    assert where(ex.text.index("注")) == {"part": "footnotes", "note": "1", "paragraph": 1}
    assert where(ex.text.index("核稿")) == {"part": "comments", "comment": "0", "paragraph": 1}
    assert where(ex.text.index("作者甲")) == {"part": "properties", "field": "creator"}
    # A comment's author is kept in an attribute: read too, last.
    assert where(ex.text.index("审阅人")) == {"part": "attributes", "field": "author"}
    assert ex.notes == ()


def test_docx_redact_split_value_keeps_runs_and_other_members():
    data = fixture_docx()
    text = extract("a.docx", data).text
    name, phone, cell = text.index("蔺朝晖"), text.index("13902468135"), text.index("13602461357")
    out = redact_docx(data, [(name, name + 3, "某某"), (phone, phone + 11, "[电话]"), (cell, cell + 11, "1**")])
    assert extract("b.docx", out).text == DOCX_TEXT.replace("经办人：蔺朝晖", "经办人：某某", 1).replace(
        "13902468135", "[电话]").replace("13602461357", "1**")
    before, after = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(out))
    assert after.namelist() == before.namelist()
    assert [n for n in before.namelist() if before.read(n) != after.read(n)] == ["word/document.xml"]
    xml = after.read("word/document.xml").decode()
    # the replacement sits in the first run (bold kept), the split value's other runs are emptied
    assert '<w:rPr><w:b/></w:rPr><w:t xml:space="preserve">某某</w:t>' in xml
    assert '<w:t xml:space="preserve">，电话[电话]</w:t></w:r><w:r><w:t></w:t></w:r><w:r><w:t xml:space="preserve">。</w:t>' in xml
    docx = pytest.importorskip("docx")
    doc = docx.Document(io.BytesIO(out))
    assert doc.paragraphs[0].text == "经办人：某某，电话[电话]。"
    assert doc.tables[0].cell(1, 1).text == "1**"
    assert doc.sections[0].header.paragraphs[0].text == "抄送 蔺朝晖"


def test_docx_redact_escapes_and_preserves_space():
    data = fixture_docx()
    text = extract("a.docx", data).text
    at = text.index("完")
    out = redact_docx(data, [(at, at + 1, " <&> ")])
    assert extract("b.docx", out).text.split("\n")[3] == "A&B\t <&> "
    assert '<w:t xml:space="preserve"> &lt;&amp;&gt; </w:t>' in zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode()
    with pytest.raises(ValueError):
        redact_docx(data, [(0, 2, "x"), (1, 3, "y")])
    with pytest.raises(ValueError):
        redact_docx(data, [(0, 2, "\x01")])


def _with_member(data: bytes, name: str, content: str) -> bytes:
    """The package with member `name` replaced by `content`."""
    src, buf = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info.filename, content if info.filename == name else src.read(info.filename))
    return buf.getvalue()


def _line_col(source: str, offset: int) -> dict[str, int]:
    start = max(source.rfind("\n", 0, offset), source.rfind("\r", 0, offset)) + 1
    return {"line": source.count("\n", 0, offset) + 1, "column": offset - start + 1, "offset": offset}


def _patch_sizes(data: bytes, size: int) -> bytes:
    """The zip with every member's declared uncompressed size set to `size` (a bomb's headers)."""
    buf = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = buf.find(sig)
        while at >= 0:
            buf[at + offset:at + offset + 4] = struct.pack("<I", size)
            at = buf.find(sig, at + 4)
    return bytes(buf)


@pytest.mark.parametrize("mutate, reason", [
    (lambda d: d[: len(d) // 2], "corrupt Word document"),
    (lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 100,
     "password-protected (encrypted) document"),
    (lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "old binary Word document format"),
    (lambda d: _patch_sizes(d, 0x7FFFFFFF), "zip bomb"),
    (lambda d: make_docx("<w:p><w:r><w:t>未闭合</w:r></w:p>"), "not well-formed XML"),
    (lambda d: _with_member(d, "word/document.xml", f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
                            f'<w:document {W}><w:body><w:p><w:r><w:t>&a;&a;</w:t></w:r></w:p></w:body></w:document>'),
     "DOCTYPE"),
])
def test_docx_bad_input_is_an_extraction_error(mutate, reason):
    with pytest.raises(ExtractionError) as err:
        extract("坏.docx", mutate(fixture_docx()))
    assert reason in err.value.reason and "\n" not in err.value.reason


def test_encrypted_zip_member_refused():
    data = bytearray(fixture_docx())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(sig)
        while at >= 0:
            data[at + offset] |= 1
            at = data.find(sig, at + 4)
    with pytest.raises(ExtractionError, match="encrypted zip members"):
        extract("a.docx", bytes(data))


def _pdf(pages, encrypt=None) -> bytes:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            x = 72
            for piece in (line if isinstance(line, tuple) else (line,)):  # pieces drawn one after another
                c.drawString(x, 760 - 20 * i, piece)
                x += c.stringWidth(piece, "STSong-Light", 12)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_two_pages():
    data = _pdf([["第一页 经办人宓秀琼"], ["第二页", ("电话139", "02468135")]])
    ex = extract("报告.pdf", data)
    assert ex.text == "第一页 经办人宓秀琼\n第二页\n电话13902468135"
    assert [s.where() for s in ex.segments] == [{"page": 1}, {"page": 2}]
    assert locator(ex)(ex.text.index("139")) == {"page": 2}
    assert locator(ex)(ex.text.index("宓")) == {"page": 1}
    with pytest.raises(ExtractionError, match="never redacted in place"):
        redact("报告.pdf", data, [(0, 1, "x")])


def test_pdf_bad_inputs():
    from reportlab.lib.pdfencrypt import StandardEncryption
    cases = [(_pdf([["密"]], StandardEncryption("口令", canPrint=0)), "password-protected PDF"),
             (_pdf([[]]), "no text layer (scanned image?)"),
             (_pdf([["第一页"]])[:400], "corrupt PDF"),
             (b"%PDF-1.4\n%%EOF\n", "corrupt PDF")]
    for data, reason in cases:
        with pytest.raises(ExtractionError) as err:
            extract("x.pdf", data)
        assert reason in err.value.reason


def test_pdf_page_without_text_is_noted():
    ex = extract("x.pdf", _pdf([["有字"], [], ["也有字"]]))
    assert ex.text == "有字\n也有字"
    assert ex.notes == ("1 of 3 pages without text (scanned images?): 2",)


HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于郗某的通报</title>
<style>p { color: red }</style><script>var x = "<p>脚本</p>";</script></head>
<body><!-- 批注：蔺朝晖 -->
<p>联系人：<b>蔺&#26397;晖</b>，电话139<span class="x">0246</span>8135&amp;
   备注</p>
<table><tr><td>姓名</td><td><i>宓秀琼</i></td></tr></table>
</body></html>"""


def test_html_visible_text_and_source_positions():
    ex = extract("页.html", HTML.encode())
    assert ex.format == "html" and ex.encoding == "utf-8"
    assert ex.notes == ("2 script or style element(s) not read (code)",)
    # A comment is published with the page: read, on a line of its own.
    assert ex.text == "关于郗某的通报\n批注：蔺朝晖\n联系人：蔺朝晖，电话13902468135& 备注\n姓名\t宓秀琼"
    where = locator(ex)
    phone = ex.text.index("13902468135")
    assert where(phone) == _line_col(HTML, HTML.index("139")) == {"line": 5, "column": 28, "offset": 198}
    assert where(phone + 10) == _line_col(HTML, HTML.index("8135") + 3)
    smap = ex.source_map
    entity = ex.text.index("朝", ex.text.index("联系人"))
    assert smap.pieces(entity, entity + 1) == [(HTML.index("&#26397;"), HTML.index("&#26397;") + 8, ATOMIC)]
    assert where(ex.text.index("宓秀琼")) == _line_col(HTML, HTML.index("宓秀琼"))


def test_html_redact_across_tags_and_entities():
    ex = extract_html(HTML)
    name, phone = ex.text.index("蔺朝晖", ex.text.index("联系人")), ex.text.index("13902468135")
    out = redact_html(HTML, [(name, name + 3, "<某>"), (phone, phone + 11, "[电话]")])
    assert "<p>联系人：<b>&lt;某&gt;</b>，电话[电话]<span class=\"x\"></span>&amp;" in out
    assert "<!-- 批注：蔺朝晖 -->" in out  # the comment's copy of the name was not among the edits
    expected = ex.text[:name] + "<某>" + ex.text[name + 3:phone] + "[电话]" + ex.text[phone + 11:]
    assert extract_html(out).text == expected
    assert redact("页.html", HTML.encode("utf-8"), [(name, name + 3, "某某")]).decode("utf-8") == \
        HTML.replace("蔺&#26397;晖", "某某")


def test_html_decoding_declared_charset_and_bom():
    data = '<html><head><meta charset="gbk"></head><body><p>宓秀琼</p></body></html>'.encode("gbk")
    ex = extract("gbk.htm", data)
    assert ex.text == "宓秀琼" and ex.encoding == "gbk"
    assert redact("gbk.htm", data, [(0, 3, "某某某")]) == data.replace("宓秀琼".encode("gbk"), "某某某".encode("gbk"))
    bom = "\ufeff<p>甲乙</p>".encode("utf-16-le")
    assert extract("u.html", bom).text == "甲乙"
    assert redact("u.html", bom, [(0, 2, "某某")]) == "\ufeff<p>某某</p>".encode("utf-16-le")


MD = ("# 关于**郗某**的通报\r\n\r\n经办人**蔺朝晖**，\\*\\*同志 ***同志 `138****5678` &amp; 电话139<span>0246</span>8135\r\n"
      "另见 [宓秀琼](mailto:mxq@example.com \"信箱\")\r\n\r\n| 姓名 | 电话 |\r\n|---|---|\r\n| 郗\\|某 | `13602461357` |\r\n")


def test_markdown_text_markup_is_not_text():
    ex = extract("记录.md", MD.encode())
    assert ex.format == "markdown"
    assert ex.text == ("关于郗某的通报\n经办人蔺朝晖，**同志 ***同志 138****5678 & 电话13902468135\n"
                       "另见 宓秀琼 mailto:mxq@example.com 信箱\n姓名\t电话\n郗|某\t13602461357")
    where = locator(ex)
    assert where(ex.text.index("蔺朝晖")) == {"line": 3, "column": 6, "offset": MD.index("蔺朝晖")}
    assert where(ex.text.index("***同志")) == _line_col(MD, MD.index("***同志"))
    assert where(ex.text.index("13602461357")) == {"line": 8, "column": 11, "offset": MD.index("`1360") + 1}
    assert where(ex.text.index("mxq@")) == _line_col(MD, MD.index("mxq@"))
    escaped = ex.text.index("**同志")
    assert ex.source_map.span_to_source(escaped, escaped + 2) == (MD.index("\\*\\*"), MD.index("\\*\\*") + 4)
    phone = ex.text.index("13902468135")
    assert ex.source_map.span_to_source(phone, phone + 11) == (MD.index("139<"), MD.index("8135") + 4)


def test_markdown_redact_round_trip():
    ex = extract_markdown(MD)
    edits = [(ex.text.index(v), ex.text.index(v) + len(v), r) for v, r in
             (("蔺朝晖", "某某"), ("13902468135", "[电话]"), ("郗|某", "某某"), ("13602461357", "1**"), ("宓秀琼", "某*"))]
    out = redact_md(MD, edits)
    assert out == MD.replace("蔺朝晖", "某某").replace("139<span>0246</span>8135", "\\[电话\\]<span></span>") \
        .replace("郗\\|某", "某某").replace("`13602461357`", "`1**`").replace("[宓秀琼]", "[某\\*]")
    expected = ex.text
    for v, r in (("蔺朝晖", "某某"), ("13902468135", "[电话]"), ("郗|某", "某某"), ("13602461357", "1**"), ("宓秀琼", "某*")):
        expected = expected.replace(v, r)
    assert extract_markdown(out).text == expected
    with pytest.raises(ValueError, match="changes how the Markdown"):
        redact_md(MD, [(ex.text.index("蔺朝晖"), ex.text.index("蔺朝晖") + 3, "***")])


def test_markdown_literal_asterisks_stay_text():
    src = "***同志和某人\n\n**同志、**同志\n\n\\*\\*\\*同志\n\n`***`同志\n\n*强调*同志"
    assert extract_markdown(src).text == "***同志和某人\n**同志、**同志\n***同志\n***同志\n强调同志"
    # CommonMark's reading wins where it pairs delimiters: this is what a renderer shows
    assert extract_markdown("***同志和**同志").text == "*同志和同志"


def test_builder_separators_and_runs():
    b = TextBuilder()
    b.separate("\n")  # nothing before: no separator
    b.add("甲", 10)
    b.add("乙", 11)  # extends the run
    b.separate("\n")
    b.separate("\t")  # "\n" wins
    b.add("&", 20, 5, ATOMIC)
    assert b.text() == "甲乙\n&"
    smap = b.source_map()
    assert list(smap.runs()) == [(0, 10, 2, 2, 0), (3, 20, 1, 5, ATOMIC)]
    assert smap.to_source(1) == 11 and smap.to_source(2) == 12 and smap.to_source(3) == 20
    assert smap.span_to_source(1, 4) == (11, 25)


def test_registry_dispatch():
    pdf = b"%PDF-1.7\n..."
    assert format_of("a.docx", pdf) == "pdf"  # the bytes win over the name
    assert format_of("a.bin", fixture_docx()) == "docx"
    assert format_of("a.md", b"# x") == "markdown" and format_of("a.HTM", b"<p>") == "html"
    assert format_of("a.txt", b"plain") is None
    with pytest.raises(ExtractionError, match="unsupported format"):
        extract("a.txt", b"plain")


def _check_map(ex) -> None:
    """Every verbatim run is the source's own characters; runs ascend in text and source."""
    last_text = last_source = 0
    for ts, so, ln, sp, kind in ex.source_map.runs():
        assert ts >= last_text and so >= last_source
        if kind & 3 != ATOMIC:
            assert ex.source[so:so + ln] == ex.text[ts:ts + ln] or "\r" in ex.source or "\x00" in ex.source
        last_text, last_source = ts + ln, so + sp


MD_PIECES = ["**", "*", "\\*", "`", "***", "[", "](", ")", "<b>", "</b>", "&amp;", "&#26397;", "| ", " |",
             "\n", "\n\n", "# ", "> ", "- ", "1. ", "```\n", "    ", "同志", "蔺朝晖", "139", "0246", " ", "_", "~~",
             "<http://a.example/", ">", "\\", "\r\n", "|---|---|\n"]


@pytest.mark.parametrize("seed", range(40))
def test_markdown_and_html_maps_hold_on_random_sources(seed):
    import random
    rng = random.Random(seed)
    src = "".join(rng.choice(MD_PIECES) for _ in range(rng.randint(1, 60)))
    for ex in (extract_markdown(src), extract_html(src)):
        _check_map(ex)
        # a redaction of every other character never raises and keeps the source's other lines
        edits = [(i, i + 1, "某") for i in range(0, len(ex.text), 2) if ex.text[i] not in "\n\t"]
        if ex.format == "html":
            redact_html(src, edits)


@pytest.mark.parametrize("cut", [0, 1, 10, 100, 300, 700, -200, -30, -1])
def test_truncated_and_flipped_files_never_escape_as_other_errors(cut):
    import random
    rng = random.Random(cut)
    for name, data in (("a.docx", fixture_docx()), ("a.pdf", _pdf([["第一页 宓秀琼"], ["第二页"]]))):
        damaged = [data[:cut], bytes(b ^ (0xFF if rng.random() < 0.01 else 0) for b in data)]
        for blob in damaged:
            try:
                extract(name, blob)
            except ExtractionError as err:
                assert err.reason and "\n" not in err.reason


# Reference definitions (and titles) are source a reader of the repository sees: a phone in a URL, a
# name or an address in a title. CRLF line ends and a definition inside a block quote, over lines.
MD_REFS = ("见[通报][a]，另见[说明]和[记录](https://x.example/r?m=13602461357 \"记录人 郗秋云\")。\r\n\r\n"
           "[a]: https://x.example/p?tel=13912345678 \"联系人 宓秀琼 mxq@example.com\"\r\n"
           "> [说明]:\r\n>   <mailto:lzh@example.org>\r\n> '经办人：蔺朝晖\r\n> \\(副\\)'\r\n")


def test_markdown_reference_definitions_and_titles_are_read():
    ex = extract_markdown(MD_REFS)
    assert ex.text == ("见通报 a，另见说明和记录 https://x.example/r?m=13602461357 记录人 郗秋云。\n"
                       "a https://x.example/p?tel=13912345678 联系人 宓秀琼 mxq@example.com\n"
                       "说明 <mailto:lzh@example.org> 经办人：蔺朝晖\n(副)")
    assert ex.notes == ()
    _check_map(ex)
    for value in ("13602461357", "郗秋云", "13912345678", "宓秀琼", "mxq@example.com", "lzh@example.org", "蔺朝晖"):
        start = ex.text.index(value)
        assert ex.source_map.span_to_source(start, start + len(value)) == (
            MD_REFS.index(value), MD_REFS.index(value) + len(value)), value
    assert locator(ex)(ex.text.index("蔺朝晖")) == _line_col(MD_REFS, MD_REFS.index("蔺朝晖"))


def test_markdown_reference_definitions_are_redacted_in_place_or_refused():
    ex = extract_markdown(MD_REFS)
    swaps = (("13602461357", "[电话]"), ("郗秋云", "某某"), ("13912345678", "[电话]"), ("宓秀琼", "某某"),
             ("mxq@example.com", "[邮箱]"), ("lzh@example.org", "[邮箱]"), ("蔺朝晖", "某某"))
    edits = [(ex.text.index(v), ex.text.index(v) + len(v), r) for v, r in swaps]
    out = redact_md(MD_REFS, edits)
    # a URL is written as it is read (no escapes); a title is text (its punctuation escaped)
    assert out == ("见[通报][a]，另见[说明]和[记录](https://x.example/r?m=[电话] \"记录人 某某\")。\r\n\r\n"
                   "[a]: https://x.example/p?tel=[电话] \"联系人 某某 \\[邮箱\\]\"\r\n"
                   "> [说明]:\r\n>   <mailto:[邮箱]>\r\n> '经办人：某某\r\n> \\(副\\)'\r\n")
    expected = ex.text
    for v, r in swaps:
        expected = expected.replace(v, r)
    assert extract_markdown(out).text == expected
    # a space in a URL would end it: the definition would be text and no longer a definition
    phone = ex.text.index("13912345678")
    with pytest.raises(ValueError, match="changes how the Markdown"):
        redact_md(MD_REFS, [(phone, phone + 11, "[ORG ID]")])


REF_PIECES = ["[a]: ", "[甲]:", "\n", "\r\n", "> ", "  ", "<", ">", "https://x.example/", "13902468135", " \"", "\"",
              " '", "'", " (", ")", "\\\"", "[b]", "[甲][a]", "](", "蔺朝晖", "mxq@example.com", "- ", "```\n", "**"]


@pytest.mark.parametrize("seed", range(40))
def test_markdown_definitions_keep_the_map_and_redact_or_refuse(seed):
    import random
    rng = random.Random(seed)
    src = "".join(rng.choice(REF_PIECES) for _ in range(rng.randint(1, 50)))
    ex = extract_markdown(src)
    _check_map(ex)
    edits = [(i, i + 1, "某") for i in range(0, len(ex.text), 2) if ex.text[i] not in "\n\t"]
    try:
        redact_md(src, edits)
    except ValueError as err:
        assert "changes how the Markdown" in str(err)


def test_markdown_autolink_that_is_a_value_is_redacted_as_text():
    # `<address>` is an e-mail autolink: a token in its place is no address, so the autolink would
    # turn into the text `<[邮箱]>` and the file was refused under every preset. A value that fills
    # the whole autolink replaces it with text; a value inside a URL stays inside the link.
    src = "联系人：甲乙丙\r\n\r\n邮箱 <jia.yibing@example.cn>，主页 <https://example.cn/u/13902468135>\r\n"
    ex = extract_markdown(src)
    assert ex.text == "联系人：甲乙丙\n邮箱 jia.yibing@example.cn，主页 https://example.cn/u/13902468135"
    email, phone = ex.text.index("jia.yibing"), ex.text.index("13902468135")
    n = len("jia.yibing@example.cn")
    assert ex.source_map.span_to_source(email, email + n) == (src.index("jia."), src.index("jia.") + n)
    edits = [(email, email + n, "[邮箱]"), (phone, phone + 11, "[电话]")]
    out = redact_md(src, edits)
    assert out == "联系人：甲乙丙\r\n\r\n邮箱 \\[邮箱\\]，主页 <https://example.cn/u/[电话]>\r\n"
    assert extract_markdown(out).text == "联系人：甲乙丙\n邮箱 [邮箱]，主页 https://example.cn/u/[电话]"
    assert redact_md("<jia@example.cn>", [(0, len("jia@example.cn"), "j***@example.cn")]) == "j\\*\\*\\*\\@example\\.cn"
