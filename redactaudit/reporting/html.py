"""HTML report: one self-contained page (style and script inline, nothing fetched), values masked.

In the spirit of coverage.py's htmlcov: a sortable index of the documents ranked by their worst
finding; for each document its findings, most severe first, and its text with every existing mask
shaded by category (its width shown beside it), every leak in red with its category, and each
inconsistency linked to the spans it compares; near-copies side by side with their differences;
filters by severity and category; keyboard navigation (j/k findings, n/p documents, ? help).
`render_redaction` shows a redaction before and after.
"""

from __future__ import annotations

import difflib
import html
from collections import Counter
from typing import TextIO

from ..model import AuditResult, DocumentReport, Kind
from . import ReportOptions
from ..vocabulary import partial_shape
from .common import (_secret_spans, mask_summary, masked_token, printable, ranked_documents, rows, short_rule,
                     shown_path)
from .html_assets import CSS, JS

MAX_TEXT = 200_000  # characters of a document's text shown; past it the text is cut (the findings all listed)
MAX_COPIES = 50  # pairs of near-copies shown side by side
_SEVERITIES = ("error", "warning", "info")


def _e(text: str) -> str:
    return html.escape(printable(text), quote=True)


def _masked_pieces(text: str, secrets: list[tuple[int, int, str]], lo: int, hi: int, show_values: bool
                   ) -> list[tuple[str, str | None]]:
    """text[lo:hi] as (piece, None) and (shown value, category token) pairs, every value masked."""
    out: list[tuple[str, str | None]] = []
    pos = lo
    if not show_values:
        for s, e, shown in secrets:
            if e <= pos or s >= hi:
                continue
            if s > pos:
                out.append((text[pos:s], None))
            out.append((shown, shown))
            pos = e
            if pos >= hi:
                break
    if pos < hi:
        out.append((text[pos:hi], None))
    return out


def _lines_html(piece: str, doc_id: str, line: list[int]) -> str:
    """Escaped text with a line number at the start of each line it begins."""
    piece = piece.replace("\r\n", "\n").replace("\r", "\n")
    parts = piece.split("\n")
    out = [_e(parts[0])]
    for part in parts[1:]:
        line[0] += 1
        out.append(f'\n<span class="ln" id="{doc_id}-L{line[0]}">{line[0]}</span>{_e(part)}')
    return "".join(out)


class _Page:
    """The ids of the page: documents d0, d1, ... in ranked order; in each, marks in the text dN-mK
    (one per span; a span inside another points at the outer one) and findings dN-fK (one per row)."""

    def __init__(self, ranked: list[DocumentReport]):
        self.doc_ids = {r.document.path: f"d{n}" for n, r in enumerate(ranked)}
        self.marks: dict[tuple[str, int, int], str] = {}  # (path, start, end) -> mark id
        self.plans: dict[str, list] = {}  # path -> [(row, mark id, finding id)] in text order
        self.items: dict[str, list] = {}  # path -> [(row, finding id, mark id)] most severe first
        for report in ranked:
            doc_id = self.doc_ids[report.document.path]
            listed = rows(report)
            item_of = {id(row): f"{doc_id}-f{n}" for n, row in enumerate(listed)}
            chosen, end = [], -1
            for row in sorted(listed, key=lambda r: (r.finding.start, -r.finding.end)):
                f = row.finding
                if f.start >= end:
                    mark_id = f"{doc_id}-m{len(chosen)}"
                    chosen.append((row, mark_id, item_of[id(row)]))
                    end = f.end
                else:  # inside another mark: its finding points there
                    mark_id = chosen[-1][1]
                for member in (f, *row.also):
                    self.marks.setdefault((member.path, member.start, member.end), mark_id)
            self.plans[report.document.path] = chosen
            self.items[report.document.path] = [
                (row, item_of[id(row)], self.marks[(row.finding.path, row.finding.start, row.finding.end)])
                for row in listed]

    def link(self, path: str, start: int, end: int, line: int) -> str | None:
        mark = self.marks.get((path, start, end))
        if mark:
            return mark
        doc = self.doc_ids.get(path)
        return f"{doc}-L{line}" if doc else None


def _text(report: DocumentReport, page: _Page, show_values: bool) -> str:
    doc = report.document
    doc_id = page.doc_ids[doc.path]
    text = doc.text
    secrets = _secret_spans(report)
    limit = min(len(text), MAX_TEXT)
    line = [1]
    out = [f'<span class="ln" id="{doc_id}-L1">1</span>']
    pos = 0

    def plain(upto: int) -> None:
        for piece, token in _masked_pieces(text, secrets, pos, upto, show_values):
            if token is None:
                out.append(_lines_html(piece, doc_id, line))
            else:
                out.append(f'<span class="m withheld" data-cat="{_e(token.strip("⟨⟩"))}">{_e(token)}</span>')

    for row, mark_id, item_id in page.plans[doc.path]:
        f = row.finding
        if f.start >= limit:
            break
        plain(f.start)
        members = (f, *row.also)
        mask = next((m for m in members if m.kind is Kind.PLACEHOLDER), None)
        classes = ["m", "mask" if mask else "leak", f"cat-{f.category}", f"sev-{f.severity.value}"]
        if any(m.kind is Kind.INCONSISTENCY for m in members):
            classes.append("inconsistent")
        shown = "".join(p for p, _ in _masked_pieces(text, secrets, f.start, f.end, show_values))
        title = f"{f.category} · {f.kind.value}"
        attrs = ""
        if mask is not None and mask.width:
            title += f" · {mask.style} · width {mask.width}"
            attrs = f' data-width="{mask.width}"'
        out.append(f'<span class="{" ".join(classes)}" id="{mark_id}" data-cat="{_e(f.category)}"{attrs} '
                   f'data-finding="{item_id}" title="{_e(title)}">{_e(shown)}</span>')
        pos = f.end
    plain(limit)
    if limit < len(text):
        out.append(f'\n<span class="meta">… {len(text) - limit:,} more characters not shown</span>')
    return "".join(out)


def _finding_items(report: DocumentReport, page: _Page) -> str:
    items = []
    for row, item_id, mark in page.items[report.document.path]:
        f = row.finding
        related = list({(r.path, r.start, r.end): (r, page.link(r.path, r.start, r.end, r.line))
                        for m in (f, *row.also) for r in m.related}.values())
        related_ids = " ".join(dict.fromkeys(i for _, i in related if i))
        checks = "".join(f' <span class="also">+ {_e(short_rule(a.rule))}: {_e(a.message)}</span>'
                         for a in row.also if a.kind is not Kind.PLACEHOLDER)
        links = ", ".join(
            (f'<a class="rel" href="#{i}">' if i else "<span>")
            + (_e(shown_path(r.path)) + ":" if r.path != f.path else "") + f"{r.line}:{r.column}"
            + (" " + _e(r.note) if r.note else "") + ("</a>" if i else "</span>")
            for r, i in related[:20])
        items.append(
            f'<li id="{item_id}" class="sev-{f.severity.value}" data-sev="{f.severity.value}" '
            f'data-cat="{_e(f.category)}" data-kind="{f.kind.value}" data-mark="{mark}" data-related="{related_ids}">'
            f'<span class="sev">{f.severity.value}</span> <a class="to-mark" href="#{mark}">{f.line}:{f.column}</a> '
            f'<b>{_e(f.category)}</b> {_e(f.message)} <span class="rule">{_e(f.rule)}</span>{checks}'
            + (f' <span class="also">→ {links}</span>' if links else "") + "</li>")
    return "\n".join(items)


def _copies(result: AuditResult, page: _Page, show_values: bool) -> str:
    reports = {r.document.path: r for r in result.documents}
    pairs = sorted({tuple(sorted((r.document.path, c["path"]))): c["containment"]
                    for r in result.documents for c in (r.consistency or {}).get("copies", [])
                    if c["path"] in reports}.items())
    if not pairs:
        return ""
    out = ['<section class="doc" id="copies" data-findings="0"><h2>Near-copies, side by side</h2>']
    for (a, b), containment in pairs[:MAX_COPIES]:
        left, right = (_masked_lines(reports[p], show_values) for p in (a, b))
        out.append(f'<h3 id="copy-{page.doc_ids[a]}-{page.doc_ids[b]}"><a href="#{page.doc_ids[a]}">{_e(shown_path(a))}</a>'
                   f' ↔ <a href="#{page.doc_ids[b]}">{_e(shown_path(b))}</a> '
                   f'<span class="meta">({containment:.0%} shared)</span></h3><table class="copy">')
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, left, right, autojunk=False).get_opcodes():
            if tag == "equal":
                out.append(f'<tr><td class="same" colspan="2">{i2 - i1} identical line{"s" if i2 - i1 != 1 else ""}'
                           f'</td></tr>')
                continue
            for k in range(max(i2 - i1, j2 - j1)):
                x = left[i1 + k] if i1 + k < i2 else ""
                y = right[j1 + k] if j1 + k < j2 else ""
                before, after = _char_diff(x, y)
                out.append(f'<tr><td class="before">{before}</td><td class="after">{after}</td></tr>')
        out.append("</table>")
    if len(pairs) > MAX_COPIES:
        out.append(f'<p class="meta">{len(pairs) - MAX_COPIES} more pairs not shown.</p>')
    out.append("</section>")
    return "\n".join(out)


def _masked_lines(report: DocumentReport, show_values: bool) -> list[str]:
    text = report.document.text[:MAX_TEXT]
    pieces = _masked_pieces(text, _secret_spans(report), 0, len(text), show_values)
    return "".join(p for p, _ in pieces).replace("\r\n", "\n").replace("\r", "\n").removesuffix("\n").split("\n")


def _char_diff(x: str, y: str) -> tuple[str, str]:
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, x, y, autojunk=False).get_opcodes():
        if tag == "equal":
            left.append(_e(x[i1:i2]))
            right.append(_e(y[j1:j2]))
            continue
        if i2 > i1:
            left.append(f"<del>{_e(x[i1:i2])}</del>")
        if j2 > j1:
            right.append(f"<ins>{_e(y[j1:j2])}</ins>")
    return "".join(left), "".join(right)


def _head(title: str, body_class: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
            f'script-src \'unsafe-inline\'; img-src data:">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body class=\"{body_class}\">\n")


def render(result: AuditResult, out: TextIO, options: ReportOptions) -> None:
    ranked = ranked_documents(result)
    page = _Page(ranked)
    all_rows = {r.document.path: rows(r) for r in ranked}
    counts = Counter(row.finding.severity.value for rs in all_rows.values() for row in rs)
    categories = sorted({row.finding.category for rs in all_rows.values() for row in rs})
    verdict = "" if options.failed is None else (
        f'<span class="verdict {"failed" if options.failed else "passed"}">'
        f'{"FAILED" if options.failed else "passed"} (fail-on {_e(options.fail_on or "")})</span> ')
    parts = [_head("redactaudit report"), '<header><h1>redactaudit</h1>', verdict,
             f'<span id="totals">{len(result.documents)} documents · '
             + " · ".join(f'<span class="n-{s}">{counts[s]} {s}</span>' for s in _SEVERITIES)
             + f' · {len(result.errors)} not checked · {len(result.skipped)} skipped</span>'
             f' · <span id="shown-count"></span> shown · press <kbd>?</kbd> for keys',
             '<div class="filters"><span class="sevs">severity: '
             + "".join(f'<label><input type="checkbox" class="f-sev" value="{s}" checked> {s}</label>' for s in _SEVERITIES)
             + '</span> <span class="cats">category: '
             + "".join(f'<label><input type="checkbox" class="f-cat" value="{_e(c)}" checked> '
                       f'<span class="cat-{_e(c)}">{_e(c)}</span></label>' for c in categories)
             + "</span></div></header>\n",
             '<div id="help"><b>Keys</b><br><kbd>j</kbd> / <kbd>k</kbd> next / previous finding<br>'
             '<kbd>n</kbd> / <kbd>p</kbd> next / previous document<br><kbd>?</kbd> this help, '
             '<kbd>Esc</kbd> close</div>\n<main>\n',
             '<table class="index"><thead><tr><th>document</th><th data-type="num">worst</th>'
             '<th data-type="num">errors</th><th data-type="num">warnings</th><th data-type="num">masks</th>'
             '<th data-type="num">copies</th><th>encoding</th><th data-type="num">characters</th></tr></thead><tbody>\n']
    for report in ranked:
        doc, doc_id = report.document, page.doc_ids[report.document.path]
        c = Counter(row.finding.severity.value for row in all_rows[doc.path] if not row.is_mask)
        masks, _ = mask_summary(report)
        worst = max((row.finding.severity.rank for row in all_rows[doc.path]), default=-1)
        copies = len((report.consistency or {}).get("copies", []))
        parts.append(f'<tr id="row-{doc_id}"><td><a href="#{doc_id}">{_e(shown_path(doc.path))}</a></td>'
                     f'<td data-v="{worst}">{("info", "warning", "error")[worst] if worst >= 0 else "—"}</td>'
                     f'<td class="n-error" data-v="{c["error"]}">{c["error"]}</td>'
                     f'<td class="n-warning" data-v="{c["warning"]}">{c["warning"]}</td>'
                     f'<td data-v="{masks}">{masks}</td><td data-v="{copies}">{copies}</td>'
                     f'<td>{_e(doc.encoding)}</td><td data-v="{len(doc.text)}">{len(doc.text):,}</td></tr>\n')
    parts.append("</tbody></table>\n")
    for e in sorted(result.errors, key=lambda e: e.path):
        parts.append(f'<p class="meta sev-error">not checked: {_e(shown_path(e.path))}: {_e(e.message)}</p>\n')
    for s in sorted(result.skipped, key=lambda s: s.path):
        parts.append(f'<p class="meta">skipped: {_e(shown_path(s.path))}: {_e(s.reason)}</p>\n')
    for report in ranked:
        parts.append(_document(report, page, all_rows[report.document.path], options.show_values))
    parts.append(_copies(result, page, options.show_values))
    parts.append(f"</main><script>{JS}</script></body></html>\n")
    out.write("".join(parts))


def _document(report: DocumentReport, page: _Page, doc_rows, show_values: bool) -> str:
    doc, doc_id = report.document, page.doc_ids[report.document.path]
    masks, summary = mask_summary(report)
    copies = (report.consistency or {}).get("copies", [])
    meta = [f"{doc.encoding}, {len(doc.text):,} characters"]
    if masks:
        meta.append(f"{masks} existing masks: {summary}")
    links = ", ".join(f'<a href="#{page.doc_ids[c["path"]]}">{_e(shown_path(c["path"]))}</a> ({c["containment"]:.0%})'
                      for c in copies if c["path"] in page.doc_ids)
    if links:
        meta.append(f'a copy of {links} — <a href="#copies">side by side</a>')
    return (f'<section class="doc" id="{doc_id}" data-findings="{len(doc_rows)}"><h2>{_e(shown_path(doc.path))}</h2>'
            + "".join(f'<p class="meta">{m}</p>' for m in meta)
            + f'<ol class="findings">{_finding_items(report, page)}</ol>'
            + f'<pre class="text">{_text(report, page, show_values)}</pre></section>\n')


def render_redaction(result, out: TextIO, options: ReportOptions) -> None:
    """A redaction before and after, each edit marked on both sides. Before: every edited value
    masked (a partial mask by its shape) unless `show_values`; after: what was written, with any
    value found again in it masked."""
    parts = [_head("redactaudit redaction"), f'<header><h1>redactaudit redaction</h1> policy {_e(result.policy)} · '
             f'{len(result.files)} files · {sum(len(f.edits) for f in result.files)} edits · '
             f'{len(result.remaining)} left behind</header>\n<main>\n']
    for n, item in enumerate(sorted(result.files, key=lambda i: i.document.path)):
        left = [(f.start, f.end, masked_token(f.category)) for f in result.remaining if f.path == item.output]
        before, after = _redaction_sides(item, sorted(left), options.show_values)
        parts.append(f'<section class="doc" id="d{n}" data-findings="{len(item.edits)}">'
                     f'<h2>{_e(shown_path(item.document.path))} → {_e(shown_path(item.output))}</h2>'
                     f'<p class="meta">{len(item.edits)} edits</p><table class="copy"><tr><th>before</th><th>after</th>'
                     f'</tr><tr><td class="before">{before}</td><td class="after">{after}</td></tr></table></section>\n')
    parts.append(f"</main><script>{JS}</script></body></html>\n")
    out.write("".join(parts))


def _redaction_sides(item, left: list[tuple[int, int, str]], show_values: bool) -> tuple[str, str]:
    text, new = item.document.text, item.text
    before, after, pos, shift = [], [], 0, 0

    def written(lo: int, hi: int) -> str:
        return "".join(_e(p) for p, _ in _masked_pieces(new, left, lo, hi, show_values))

    for e in sorted(item.edits, key=lambda e: e.start):
        before.append(_e(text[pos:e.start]))
        after.append(written(pos + shift, e.start + shift))
        old = text[e.start:e.end]
        if not show_values:
            if e.kind != "placeholder":
                old = masked_token(e.category)
            elif e.style == "partial":
                old = partial_shape(old)
        before.append(f'<del class="cat-{_e(e.category)}" title="{_e(e.category)} · {_e(e.action)}">{_e(old)}</del>')
        after.append(f'<ins class="cat-{_e(e.category)}">{_e(e.replacement)}</ins>')
        shift += len(e.replacement) - (e.end - e.start)
        pos = e.end
    before.append(_e(text[pos:]))
    after.append(written(pos + shift, len(new)))
    return "".join(before), "".join(after)
