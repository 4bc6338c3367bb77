"""Word, PDF, HTML and Markdown files through the whole tool: found where a person looks, redacted
in their own format (or refused), and never passed unread. Every name and number is invented."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from redactaudit.cli import app
from .test_formats import _pdf, fixture_docx
from .test_gate import SCHEMA

HTML = ('<html><head><title>通知</title><style>p{color:red}</style><script>var a="13800009999";</script></head>'
        '<body>\n<div><p>值班员<b>宓秀琼</b>，手机<span>139</span><span>0246</span>8135。</p>\n'
        '<p>&#20540;&#29677;&#21592;：<i>蔺朝晖</i></p></div></body></html>\n')
MARKDOWN = "# 通报\n\n**蔺朝晖**同志，手机 `13902468135` 请核实。\n\n| 姓名 | 电话 |\n|---|---|\n| 宓秀琼 | 13602461357 |\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.docx").write_bytes(fixture_docx())
    (d / "b.pdf").write_bytes(_pdf([["第一页 经办人宓秀琼"], ["第二页", ("联系电话139", "02468135")]]))
    (d / "c.html").write_text(HTML, encoding="utf-8")
    (d / "d.md").write_text(MARKDOWN, encoding="utf-8")
    return d


def scan(path: Path, *args: str) -> tuple[int, dict]:
    res = run("scan", str(path), "-f", "json", *args)
    return res.exit_code, json.loads(res.stdout)


def where(report: dict, name: str, kind: str = "leak") -> list[tuple]:
    return [(f["rule"], f["category"], f["line"], f["column"], f.get("location")) for f in report["findings"]
            if f["path"].endswith(name) and f["kind"] == kind]


def at(source: str, value: str) -> tuple[int, int, dict]:
    """Line, column and location of a value's first character in a source."""
    pos = source.index(value)
    line, column = source.count("\n", 0, pos) + 1, pos - source.rfind("\n", 0, pos)
    return line, column, {"line": line, "column": column, "offset": pos}


def test_every_planted_leak_is_found_where_a_person_looks(folder):
    code, report = scan(folder)
    assert code == 1 and report["errors"] == []
    assert {Path(d["path"]).name: d.get("format") for d in report["documents"]} == {
        "a.docx": "docx", "b.pdf": "pdf", "c.html": "html", "d.md": "markdown"}
    assert where(report, "a.docx") == [
        ("names-zh.role-name", "person", 1, 5, {"part": "document", "paragraph": 1}),
        ("identifiers.cn-mobile", "phone", 1, 11, {"part": "document", "paragraph": 1}),  # split across runs
        ("names-zh.role-name", "person", 2, 4, {"part": "document", "table": 1, "row": 1, "cell": 2}),
        ("identifiers.cn-mobile", "phone", 3, 4, {"part": "document", "table": 1, "row": 2, "cell": 2}),
        ("names-zh.role-name", "person", 5, 4, {"part": "header1", "paragraph": 1}),
        ("names-zh.role-name", "person", 6, 5, {"part": "footnotes", "note": "1", "paragraph": 1}),
        ("names-zh.role-name", "person", 7, 4, {"part": "comments", "comment": "0", "paragraph": 1})]
    assert where(report, "b.pdf") == [("names-zh.role-name", "person", 1, 8, {"page": 1}),
                                      ("identifiers.cn-mobile", "phone", 3, 5, {"page": 2})]
    # HTML: lines and columns of the source; a value split by tags or written as entities is one value.
    assert where(report, "c.html") == [
        ("names-zh.role-name", "person", *at(HTML, "宓秀琼")), ("identifiers.cn-mobile", "phone", *at(HTML, "139")),
        ("names-zh.role-name", "person", *at(HTML, "蔺朝晖"))]
    # Markdown: ** is emphasis, not a mask; a code span and a table cell are text.
    assert where(report, "d.md") == [
        ("names-zh.name-title", "person", *at(MARKDOWN, "蔺朝晖")),
        ("identifiers.cn-mobile", "phone", *at(MARKDOWN, "13902468135")),
        ("names-zh.table-column", "person", *at(MARKDOWN, "宓秀琼")),  # under the column headed 姓名
        ("identifiers.cn-mobile", "phone", *at(MARKDOWN, "13602461357"))]
    assert where(report, "d.md", "placeholder") == [] and where(report, "c.html", "placeholder") == []
    assert "13800009999" not in json.dumps(report)  # a script is not visible text


def test_sarif_points_into_the_file(folder):
    sarif = json.loads(run("scan", str(folder), "-f", "sarif").stdout)
    jsonschema.validate(sarif, SCHEMA)
    locations = {}
    for r in sarif["runs"][0]["results"]:
        loc = r["locations"][0]
        name = loc["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[1]
        locations.setdefault(name, []).append(loc)
    assert locations["b.pdf"][1]["logicalLocations"] == [
        {"fullyQualifiedName": "page 2", "kind": "element", "properties": {"page": 2}}]
    # A file whose bytes are no text: the region is in its extracted text (GitHub shows no result
    # without a startLine), and says so; no character offsets.
    extracted = {"properties": {"redactaudit/lines": "extracted text"}}
    assert locations["b.pdf"][1]["physicalLocation"]["region"] == {
        "startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 16, **extracted}
    assert [loc["physicalLocation"]["region"] for loc in locations["a.docx"][:2]] == [
        {"startLine": 1, "startColumn": 5, "endLine": 1, "endColumn": 8, **extracted},
        {"startLine": 1, "startColumn": 11, "endLine": 1, "endColumn": 22, **extracted}]
    # The phone split by tags: from its first digit to the character after its last, in the source.
    assert locations["c.html"][1]["physicalLocation"]["region"] == {
        "startLine": 2, "startColumn": at(HTML, "139")[1], "endLine": 2, "endColumn": at(HTML, "。")[1]}


def test_redacted_outputs_open_and_scan_clean(folder, tmp_path):
    out = tmp_path / "out"
    res = run("redact", str(folder), "--out", str(out), "--as-text")
    assert res.exit_code == 0, res.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.docx", "b.pdf.txt", "c.html", "d.md"]
    html = (out / "c.html").read_text(encoding="utf-8")
    assert "<b>某某</b>" in html and "<span>[电话]</span><span></span>。" in html and "<style>" in html
    assert (out / "d.md").read_text(encoding="utf-8").startswith("# 通报\n\n**某某**同志，手机 `[电话]` 请核实。")
    assert (out / "b.pdf.txt").read_text(encoding="utf-8") == "第一页 经办人某某\n第二页\n联系电话[电话]"
    with zipfile.ZipFile(out / "a.docx") as z, zipfile.ZipFile(folder / "a.docx") as before:
        assert z.namelist() == before.namelist()
        assert z.read("word/media/image1.png") == before.read("word/media/image1.png")
    docx = pytest.importorskip("docx")
    paragraphs = [p.text for p in docx.Document(str(out / "a.docx")).paragraphs]
    assert paragraphs[0] == "经办人：某某，电话[电话]。"
    code, report = scan(out, "--fail-on", "warning")
    assert code == 0 and [f for f in report["findings"] if f["kind"] == "leak"] == []


def test_a_pdf_is_refused_unless_its_text_is_asked_for(folder, tmp_path):
    res = run("redact", str(folder / "b.pdf"), "--out", str(tmp_path / "o"))
    assert res.exit_code == 1
    assert not (tmp_path / "o").exists() or list((tmp_path / "o").iterdir()) == []
    assert "a PDF is not redacted in its own format" in res.stderr


def test_unreadable_files_fail_the_scan_unless_skipped_on_purpose(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    (d / "ok.txt").write_text("会议通知。\n", encoding="utf-8")
    (d / "scan.pdf").write_bytes(_pdf([[]]))  # a page with no text layer
    (d / "locked.docx").write_bytes(b"PK\x03\x04 not really a zip")
    code, report = scan(d)
    assert code == 1
    assert [(Path(e["path"]).name, e["message"].split(":")[0]) for e in report["errors"]] == [
        ("locked.docx", "Word document not read"), ("scan.pdf", "PDF not read")]
    code, report = scan(d, "--skip-unreadable")
    assert code == 0 and [Path(s["path"]).name for s in report["skipped"]] == ["locked.docx", "scan.pdf"]


def test_redact_never_changes_a_file_it_did_not_understand(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    blob = b"\x00\x01binary\xff\xfe" * 10
    (d / "data.bin").write_bytes(blob)
    (d / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    (d / "note.txt").write_text("值班员宓秀琼，手机13902468135。\n", encoding="utf-8")
    res = run("redact", str(d), "--in-place", "--no-backup", "--log", str(tmp_path / "log.jsonl"))
    assert res.exit_code == 1
    assert (d / "data.bin").read_bytes() == blob and (d / "broken.docx").read_bytes() == b"PK\x03\x04 truncated"
    assert (d / "note.txt").read_text(encoding="utf-8") == "值班员某某，手机[电话]。\n"


def test_big5_is_read_as_big5(tmp_path):
    text = "本縣鄉鎮幹部會議通知：請各單位負責同志準時出席，聯繫電話13902468135。\n"
    (tmp_path / "a.txt").write_bytes(text.encode("big5"))
    code, report = scan(tmp_path / "a.txt")
    assert [(d["encoding"], d["encoding_confidence"]) for d in report["documents"]] == [("big5", 1.0)]
    assert [(f["rule"], f["start"]) for f in report["findings"] if f["kind"] == "leak"] == [
        ("identifiers.cn-mobile", text.index("139"))]


def test_reading_a_pdf_counts_against_the_time_budget(folder):
    """A PDF is read page by page within the document's time budget; past it, it is not read (an error)."""
    from redactaudit.documents import load_bytes
    from redactaudit.model import FileError

    data = (folder / "b.pdf").read_bytes()
    assert load_bytes("b.pdf", data, timeout=-1.0) == FileError(
        "b.pdf", "PDF not read: reading the PDF ran past the time budget at page 1; not fully read")
    assert load_bytes("b.pdf", data, timeout=60.0).format == "pdf"


def test_a_big5_markdown_file_is_rewritten_from_the_text_the_scan_read(tmp_path):
    """Redaction edits the source the scan decoded (Big5 here), in the file's own encoding."""
    src = tmp_path / "src"
    src.mkdir()
    text = "# 會議紀要\n\n聯絡人：陳志明，電話13902468135。\n"
    (src / "a.md").write_bytes(text.encode("big5"))
    res = run("redact", str(src), "--out", str(tmp_path / "out"), "-p", "en-basic")
    assert res.exit_code == 0, res.stderr
    # en-basic keeps a phone's last four digits; Markdown escapes the asterisks it writes.
    assert (tmp_path / "out" / "a.md").read_bytes().decode("big5") == "# 會議紀要\n\n聯絡人：陳志明，電話\\*\\*\\*\\*\\*\\*\\*8135。\n"


def test_pdf_marker_inside_a_text_file_does_not_make_it_a_pdf(tmp_path):
    (tmp_path / "notes.md").write_text("PDF files start with %PDF-1.7.\n\n值班手机13902468135\n", encoding="utf-8")
    code, report = scan(tmp_path / "notes.md")
    assert report["errors"] == [] and [f["rule"] for f in report["findings"]] == ["identifiers.cn-mobile"]


def test_end_columns_in_markdown_stop_before_the_closing_markup(tmp_path):
    (tmp_path / "a.md").write_text("**蔺朝晖**同志讲话。\n", encoding="utf-8")
    code, report = scan(tmp_path / "a.md")
    [leak] = [f for f in report["findings"] if f["kind"] == "leak"]
    assert (leak["line"], leak["column"], leak["end_line"], leak["end_column"]) == (1, 3, 1, 6)


def test_an_ignore_comment_holds_through_every_redaction_pass(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.html").write_text("<p>值班员宓秀琼，手机13902468135。</p>\n"
                                "<p>总机13800001111</p><!-- redactaudit: ignore -->\n", encoding="utf-8")
    (src / "b.md").write_text("值班员宓秀琼，手机13902468135。\n\n总机13800001111 <!-- redactaudit: ignore -->\n",
                              encoding="utf-8")
    assert run("redact", str(src), "--out", str(tmp_path / "out")).exit_code == 0
    assert (tmp_path / "out" / "a.html").read_text(encoding="utf-8") == (
        "<p>值班员某某，手机[电话]。</p>\n<p>总机13800001111</p><!-- redactaudit: ignore -->\n")
    assert (tmp_path / "out" / "b.md").read_text(encoding="utf-8") == (
        "值班员某某，手机\\[电话\\]。\n\n总机13800001111 <!-- redactaudit: ignore -->\n")  # [ ] escaped: text


def test_a_redacted_name_in_a_table_stays_a_name(tmp_path):
    """The mask written for a name under 姓名 takes no category from the header cell of another column."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "t.txt").write_text("姓名\t电话\n潘玉兰\t13912345678\n", encoding="utf-8")
    log = tmp_path / "log.jsonl"
    assert run("redact", str(src), "--out", str(tmp_path / "out"), "--log", str(log)).exit_code == 0
    assert (tmp_path / "out" / "t.txt").read_text(encoding="utf-8") == "姓名\t电话\n某某\t[电话]\n"


def test_what_a_page_publishes_without_showing_is_read_and_redacted(tmp_path):
    """Comments, alt texts, a mailto: link and form values are in the file: scanned, and redacted."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.html").write_text(
        '<p>请联系<a href="mailto:mi.xq@example.com">值班室</a>。</p><!-- 联系人 宓秀琼 13902468135 -->\n'
        '<img src="a.png" alt="身份证号 110101199003070012">\n', encoding="utf-8")
    code, report = scan(src / "a.html")
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"] if f["kind"] == "leak"] == [
        ("identifiers.email", 1, 23), ("names-zh.role-name", 1, 63), ("identifiers.cn-mobile", 1, 67),
        ("identifiers.cn-resident-id-cued", 2, 28)]
    assert run("redact", str(src), "--out", str(tmp_path / "out")).exit_code == 0
    assert (tmp_path / "out" / "a.html").read_text(encoding="utf-8") == (
        '<p>请联系<a href="mailto:[邮箱]">值班室</a>。</p><!-- 联系人 某某 [电话] -->\n'
        '<img src="a.png" alt="身份证号 [身份证号]">\n')


def test_words_a_word_file_keeps_in_attributes_are_scanned_and_never_published_unredacted(tmp_path):
    """An image's alt text holds an ID: found, and the file is not written with it (it cannot be rewritten)."""
    from .test_formats import make_docx, para, run as wrun

    drawing = ('<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
               'wordprocessingDrawing"><wp:docPr id="1" name="p" descr="身份证号 110101199003070012"/>'
               '</wp:inline></w:drawing></w:r>')
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.docx").write_bytes(make_docx(para(wrun("附照片：")) + f"<w:p>{drawing}</w:p>"))
    code, report = scan(src / "a.docx")
    assert [(f["rule"], f.get("location")) for f in report["findings"] if f["kind"] == "leak"] == [
        ("identifiers.cn-resident-id-cued", {"part": "attributes", "field": "alt text"})]
    res = run("redact", str(src), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1 and not (tmp_path / "out" / "a.docx").exists()
    assert "a value in the file's alt text (not document text) cannot be rewritten in place" in res.stderr


def test_a_value_in_a_markdown_reference_definition_is_found_and_redacted(tmp_path):
    """A definition (`[label]: url "title"`) is no text a renderer shows, yet the file publishes it."""
    src = tmp_path / "src"
    src.mkdir()
    text = "# 通报\n\n详见[附件][1]。\n\n[1]: https://x.example/f?tel=13902468135 \"值班员 宓秀琼\"\n"
    (src / "a.md").write_text(text, encoding="utf-8")
    code, report = scan(src / "a.md")
    assert code == 1 and report["errors"] == []
    assert [(f["rule"], f["line"], f["column"], f["end_column"]) for f in report["findings"] if f["kind"] == "leak"] == [
        ("identifiers.cn-mobile", *at(text, "13902468135")[:2], at(text, "13902468135")[1] + 11),
        ("names-zh.role-name", *at(text, "宓秀琼")[:2], at(text, "宓秀琼")[1] + 3)]
    res = run("redact", str(src), "--out", str(tmp_path / "out"))
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "out" / "a.md").read_text(encoding="utf-8") == (
        "# 通报\n\n详见[附件][1]。\n\n[1]: https://x.example/f?tel=[电话] \"值班员 某某\"\n")  # a Chinese note with a link


def test_a_word_table_cell_of_two_paragraphs_keeps_its_row(tmp_path):
    """A cell may hold several paragraphs (a name and a note under it, a title over two lines):
    its row is still one row of the table, and the names column is still read below it."""
    from .test_formats import make_docx, para, run as wrun

    def cell(*paragraphs: str) -> str:
        return "<w:tc>" + "".join(para(wrun(p)) for p in paragraphs) + "</w:tc>"

    rows = [[("序号",), ("姓名",), ("职务",)],
            [("1",), ("杜春生", "（联络员）"), ("科员",)],
            [("2",), ("韩雪梅",), ("副科长", "兼出纳")],
            [("3",), ("卢建平",), ("科员",)]]
    body = ("<w:tbl><w:tblGrid>" + "<w:gridCol/>" * 3 + "</w:tblGrid>"
            + "".join("<w:tr>" + "".join(cell(*c) for c in row) + "</w:tr>" for row in rows) + "</w:tbl>")
    (tmp_path / "名单.docx").write_bytes(make_docx(body))
    code, report = scan(tmp_path / "名单.docx")
    assert code == 1 and report["errors"] == []
    assert [(f["rule"], f["value"] if "value" in f else None, f["location"]) for f in report["findings"]
            if f["kind"] == "leak"] == [
        ("names-zh.table-column", None, {"part": "document", "table": 1, "row": r, "cell": 2}) for r in (2, 3, 4)]
    code, report = scan(tmp_path / "名单.docx", "--show-values")
    assert [(f["rule"], f["value"], f["start"], f["end"]) for f in report["findings"] if f["kind"] == "leak"] == [
        ("names-zh.table-column", "杜春生", 11, 14), ("names-zh.table-column", "韩雪梅", 26, 29),
        ("names-zh.table-column", "卢建平", 40, 43)]


def _with_parts(docx: bytes, parts: dict[str, str | bytes]) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as old, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename))
        for name, content in parts.items():
            new.writestr(name, content)
    return buf.getvalue()


def test_what_a_word_file_keeps_beside_its_text_is_scanned_or_the_file_is_not_read(tmp_path):
    """A custom document property and a custom XML part were never read: a phone in them passed the
    scan and redact published it. They are read now, as words kept in attributes (redact refuses a
    file with a value there); an embedded object or an imported chunk cannot be read: the file is not."""
    from .test_formats import make_docx, para, run as wrun

    custom = ('<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
              'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="值班"><vt:lpwstr>电话13902468135'
              '</vt:lpwstr></property></Properties>')
    item = '<?xml version="1.0"?><root><note>联系人：宓秀琼</note><empty/></root>'
    src = tmp_path / "src"
    src.mkdir()
    plain = make_docx(para(wrun("本通知不含个人信息。")))
    (src / "a.docx").write_bytes(_with_parts(plain, {"docProps/custom.xml": custom, "customXml/item1.xml": item}))
    code, report = scan(src / "a.docx")
    assert code == 1 and report["errors"] == []
    assert [(f["rule"], f.get("location")) for f in report["findings"] if f["kind"] == "leak"] == [
        ("identifiers.cn-mobile", {"part": "attributes", "field": "custom property"}),
        ("names-zh.role-name", {"part": "attributes", "field": "custom XML"})]
    res = run("redact", str(src), "--out", str(tmp_path / "out"))
    assert res.exit_code == 1 and not (tmp_path / "out" / "a.docx").exists()
    assert "a value in the file's custom property (not document text) cannot be rewritten in place" in res.stderr
    (src / "a.docx").write_bytes(_with_parts(plain, {"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0" + bytes(64)}))
    code, report = scan(src / "a.docx")
    assert code == 1 and report["findings"] == []
    assert report["errors"] == [{"path": f"{src.as_posix()}/a.docx", "message": (
        "Word document not read: it embeds word/embeddings/oleObject1.bin, which redactaudit cannot read "
        "(open it in Word and save its content as text of the document, or remove it)")}]
