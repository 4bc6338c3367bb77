"""PDF -> the text layer, page by page (pdfminer.six); extraction only, never rewritten.

In: the bytes of a PDF. Out: Extracted with one Segment per page that has text ({"page": n}, from
1); pages are separated by a line break, and so are the text boxes pdfminer's layout analysis
finds. Layout analysis (not the order of drawing operators) gives the reading order, and joins
pieces of one line that a producer drew separately (`电话139` + `87654321`), which pypdf left on
two lines (bench/formats.md). word_margin 0.3 (default 0.1) keeps the spaces between words and does
not put one between a Chinese character and a digit drawn in another font (`2021 年`).
A PDF that needs a password, a corrupt one and one with no text on any page (a scan) raise
ExtractionError; a PDF encrypted with an empty user password (restrictions only) is read, and a
note says so; pages without text are listed in a note (scanned pages among text pages). Glyphs
pdfminer cannot map to characters come out as `(cid:N)`: a note counts them, and a text layer made
mostly of them is an ExtractionError (not readable), never text scanned as if it were read.
"""

from __future__ import annotations

import io
import logging
import re
import time

from .base import Extracted, ExtractionError, TextBuilder

FORMAT = "pdf"
WORD_MARGIN = 0.3
_UNMAPPED = re.compile(r"\(cid:\d+\)")  # how pdfminer writes a glyph it cannot map to a character


def extract(name: str, data: bytes, deadline: float | None = None) -> Extracted:
    """Bytes of a PDF -> Extracted (segments are pages). Raises ExtractionError, also when reading
    runs past `deadline` (time.monotonic()), checked after each page."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    # pdfminer reports odd but readable PDFs through logging (on standard error, in a worker
    # process too); a file it cannot read is an ExtractionError, so its warnings are noise.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    notes: list[str] = []
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect:
        raise ExtractionError("password-protected PDF (encrypted with a user password)") from None
    except PDFEncryptionError as exc:
        raise ExtractionError(f"encrypted PDF that cannot be read ({exc})") from None
    except Exception as exc:  # pdfminer raises many types on broken files
        raise ExtractionError(f"corrupt PDF ({type(exc).__name__})") from None  # its message may quote the file
    if doc.encryption is not None:
        notes.append("PDF encrypted with an empty user password (restrictions only): read")
    resources = PDFResourceManager()
    device = PDFPageAggregator(resources, laparams=LAParams(word_margin=WORD_MARGIN))
    interpreter = PDFPageInterpreter(resources, device)
    out, empty, number = TextBuilder(), [], 0
    try:
        for number, page in enumerate(PDFPage.create_pages(doc), 1):
            if deadline is not None and time.monotonic() > deadline:
                raise ExtractionError(f"reading the PDF ran past the time budget at page {number}; not fully read")
            interpreter.process_page(page)
            start = None
            for element in device.get_result():
                if isinstance(element, LTTextContainer):
                    text = element.get_text().rstrip("\n")
                    if text.strip():
                        out.separate("\n")
                        at = out.add(text)
                        start = at if start is None else start
            if start is None:
                empty.append(number)
            else:
                out.segment(start, (("page", number),))
            out.separate("\n")
    except ExtractionError:
        raise
    except Exception as exc:
        raise ExtractionError(f"corrupt PDF at page {number + 1} ({type(exc).__name__})") from None
    if number == 0:
        raise ExtractionError("PDF without pages")
    if len(empty) == number:
        raise ExtractionError("no text layer (scanned image?)")
    text = out.text()
    unmapped = len(_UNMAPPED.findall(text))
    if unmapped and unmapped * 2 > len(text) - text.count(" ") - text.count("\n") - unmapped * 8:
        raise ExtractionError(f"text layer without Unicode mapping ({unmapped} glyphs shown as (cid:N)): not readable")
    if unmapped:
        notes.append(f"{unmapped} glyphs without a Unicode mapping, shown as (cid:N)")
    if empty:
        shown = ", ".join(map(str, empty[:20])) + (" …" if len(empty) > 20 else "")
        notes.append(f"{len(empty)} of {number} pages without text (scanned images?): {shown}")
    return Extracted(text, FORMAT, tuple(out.segments), None, tuple(notes))
