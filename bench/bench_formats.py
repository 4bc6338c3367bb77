"""Extraction throughput per format, in MB/s of source bytes, on generated documents.

    .venv/bin/python bench/bench_formats.py              # docx, odt, html, markdown, pdf
    .venv/bin/python bench/bench_formats.py --compare    # also pypdf on the same PDF, if installed
    .venv/bin/python bench/bench_formats.py --encodings  # charset-normalizer on small Chinese samples

In: nothing (documents are generated: invented names and numbers, a few MB each; the PDF is
smaller, pdfminer being slow). Out: one line per format (size, seconds, MB/s, characters out),
best of three runs. Results are in bench/formats.md.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redactaudit.formats import extract  # noqa: E402

SURNAMES = "蔺宓郗仉阚蒯贲逯"
GIVEN = "朝晖秀琼立新晓岚德明春燕海峰"


def sentences(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        phone = "13" + "".join(rng.choice("0123456789") for _ in range(9))
        out.append(f"第{i}条 经办人{name}同志于2021年3月{i % 28 + 1}日来电{phone}，反映情况属实。 Mixed text {i}.")
    return out


def make_docx(lines: list[str]) -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = []
    for i, line in enumerate(lines):
        half = len(line) // 2
        body.append(f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{line[:half]}</w:t></w:r>'
                    f'<w:r><w:t xml:space="preserve">{line[half:]}</w:t></w:r></w:p>')
        if i % 50 == 0:
            body.append("<w:tbl>" + "<w:tr><w:tc><w:p><w:r><w:t>姓名</w:t></w:r></w:p></w:tc>"
                        f"<w:tc><w:p><w:r><w:t>{line[:8]}</w:t></w:r></w:p></w:tc></w:tr>" * 3 + "</w:tbl>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>'
                   + "".join(body) + "</w:body></w:document>")
    return buf.getvalue()


def make_odt(lines: list[str]) -> bytes:
    t = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    body = "".join(f"<text:p>{line[:10]}<text:span>{line[10:]}</text:span></text:p>" for line in lines)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {t} '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><office:body><office:text>'
                   + body + "</office:text></office:body></office:document-content>")
    return buf.getvalue()


def make_html(lines: list[str]) -> bytes:
    rows = [f"<p>{line[:6]}<b>{line[6:9]}</b>{line[9:20]}<span>{line[20:24]}</span>{line[24:]}&amp;&#26397;</p>\n"
            for line in lines]
    return ("<html><head><title>t</title><style>p{}</style></head><body>" + "".join(rows) + "</body></html>").encode()


def make_markdown(lines: list[str]) -> bytes:
    out = []
    for i, line in enumerate(lines):
        out.append(f"{line[:6]}**{line[6:9]}**{line[9:20]} `{line[20:24]}` {line[24:]} \\*\\*\n\n")
        if i % 50 == 0:
            out.append("| 姓名 | 电话 |\n|---|---|\n" + f"| {line[6:9]} | {line[20:31]} |\n" * 3 + "\n")
    return "".join(out).encode()


def make_pdf(lines: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    y = 800
    for line in lines:
        c.setFont("STSong-Light", 9)
        c.drawString(30, y, line)
        y -= 12
        if y < 30:
            c.showPage()
            y = 800
    c.save()
    return buf.getvalue()


def timed(fn, data: bytes) -> tuple[float, int]:
    best, chars = float("inf"), 0
    for _ in range(3):
        t = time.perf_counter()
        chars = fn(data)
        best = min(best, time.perf_counter() - t)
    return best, chars


def report(label: str, data: bytes, fn) -> None:
    seconds, chars = timed(fn, data)
    print(f"{label:10} {len(data) / 1e6:7.2f} MB  {seconds:7.2f} s  {len(data) / 1e6 / seconds:7.2f} MB/s  {chars:>9} chars")


def encodings() -> None:
    from charset_normalizer import from_bytes
    text = "关于蔺朝晖同志违反工作纪律问题的通报。经查，该同志于二〇二一年三月擅自离岗。"
    trad = "關於郗朝暉同志違反工作紀律問題的通報。經查，該同志於去年三月擅自離崗，造成不良影響。"
    samples = {"big5 (traditional)": trad.encode("big5"),
               "gb18030": text.encode("gb18030"), "utf-16-le no BOM": text.encode("utf-16-le"),
               "utf-16-be no BOM": text.encode("utf-16-be"), "utf-8": text.encode()}
    for label, data in samples.items():
        for size in (24, 60, len(data)):
            best = from_bytes(data[:size]).best()
            name = best.encoding if best else None
            try:
                data[:size].decode("gb18030")
                as_gb = "also decodes as GB18030"
            except UnicodeDecodeError:
                as_gb = "not GB18030"
            print(f"{label:20} {size:4} bytes -> {name} ({as_gb})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--encodings", action="store_true")
    args = ap.parse_args()
    if args.encodings:
        encodings()
        return
    lines = sentences(60_000)
    for fmt, make, name in (("docx", make_docx, "b.docx"), ("odt", make_odt, "b.odt"),
                            ("html", make_html, "b.html"), ("markdown", make_markdown, "b.md")):
        report(fmt, make(lines), lambda d, n=name: len(extract(n, d).text))
    pdf = make_pdf(lines[:8_000])
    report("pdf", pdf, lambda d: len(extract("b.pdf", d).text))
    if args.compare:
        try:
            from pypdf import PdfReader
        except ImportError:
            print("pypdf not installed: no comparison")
            return
        report("pypdf", pdf, lambda d: sum(len(p.extract_text()) for p in PdfReader(io.BytesIO(d)).pages))


if __name__ == "__main__":
    main()
