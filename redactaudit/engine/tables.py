"""Values in a table column: a cell is a name when its column is headed 姓名.

In: a rule with `column:` header words (a word written *姓名 stands for every header that ends in
it: 户主姓名, 家长姓名), and a text in which extracted tables are rows of cells
separated by tabs, one row a line (formats/ writes them so; a tab-separated text file reads the
same). A cell of several paragraphs or lines (Word, HTML <p> and <br>, OpenDocument) puts line
breaks inside its row: a row runs on over lines until it has as many cells as the table's header
row, and each line of a cell is a value of its own. Out: match-like spans of the cells (or lines
of cells) under a matching header whose text the rule's pattern matches in full; the rest of
matching (reject lists, validators, context) is the rule's as usual. One pass over the lines of
the text.
"""

from __future__ import annotations

from typing import Any, Iterator


class Headers:
    """The headers a rule reads: whole words, and endings (written *姓名) that any header may end in."""

    __slots__ = ("_whole", "_endings")

    def __init__(self, headers: tuple[str, ...]):
        self._whole = {h.strip() for h in headers if not h.startswith("*")}
        self._endings = tuple(h[1:].strip() for h in headers if h.startswith("*"))

    def __contains__(self, header: str) -> bool:
        return header in self._whole or (bool(self._endings) and header.endswith(self._endings))


class CellMatch:
    __slots__ = ("_span", "header")

    def __init__(self, start: int, end: int, header: str):
        self._span, self.header = (start, end), header

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._span if group in (0, "value") else (-1, -1)


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each cell of a row, white space around it left out; empty cells kept."""
    out, pos = [], start
    for piece in text[start:end].split("\t"):
        lead = len(piece) - len(piece.lstrip())
        body = piece.strip()
        out.append((pos + lead, pos + lead + len(body)))
        pos += len(piece) + 1
    return out


# The lines a row may run over (its cells' paragraphs); past them the table has ended.
MAX_ROW_LINES = 12


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of a cell, white space around it left out; empty lines skipped."""
    pos = start
    for piece in text[start:end].split("\n"):
        body = piece.strip()
        if body:
            lead = len(piece) - len(piece.lstrip())
            yield pos + lead, pos + lead + len(body)
        pos += len(piece) + 1


def column_matches(pattern: Any, headers: tuple[str, ...], text: str) -> Iterator[CellMatch]:
    """Cells under a header that is one of `headers` (a header may add a colon or spaces), in rows
    below it in the same table (consecutive lines of two or more tab-separated cells, a row running
    on over the lines of its cells' paragraphs), whose whole text (or one whole line of it)
    `pattern` matches."""
    wanted = Headers(headers)
    columns: dict[int, str] = {}  # column -> header, for the table being read
    width = 0
    pending: list[tuple[int, int]] = []  # the lines of a row still short of cells (at most MAX_ROW_LINES)

    def line_by_line(start: int, end: int) -> Iterator[CellMatch]:
        """A line read as a row of its own (or a header, or the end of a table)."""
        nonlocal columns, width
        if "\t" not in text[start:end]:
            columns, width = {}, 0  # not a table row: a table ends here
            return
        cells = _cells(text, start, end)
        if not columns or len(cells) != width:  # a new table, or a row of another shape: a header row
            width = len(cells)
            columns = {i: text[s:e].rstrip(":：").strip() for i, (s, e) in enumerate(cells)}
            columns = {i: h for i, h in columns.items() if h in wanted}
            if not columns:
                columns = {-1: ""}  # a table without a wanted column: read on, nothing to match
            return
        yield from _row(pattern, columns, text, cells)

    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not pending:
            cells = _cells(text, start, end) if columns else []
            if columns and len(cells) < width and not _is_header(text, cells, wanted):
                pending.append((start, end))  # the first paragraphs of a row's cells?
            else:
                yield from line_by_line(start, end)
            continue
        if "\t" in line and _is_header(text, _cells(text, start, end), wanted):
            # A header line after a blank one or a short one (a new table under the last one): the
            # lines before it were no row, and it starts a table of its own.
            for s, e in pending:
                yield from line_by_line(s, e)
            pending = []
            columns, width = {}, 0
            yield from line_by_line(start, end)
            continue
        pending.append((start, end))
        cells = _cells(text, pending[0][0], end)
        if len(cells) < width and len(pending) < MAX_ROW_LINES:
            continue
        if len(cells) == width and not _is_header(text, _cells(text, start, end), wanted):
            yield from _row(pattern, columns, text, cells)  # one row, its cells over several lines
        else:
            for s, e in pending:  # no row of this table: each line as it reads alone
                yield from line_by_line(s, e)
        pending = []
    for s, e in pending:
        yield from line_by_line(s, e)


def _is_header(text: str, cells: list[tuple[int, int]], wanted: Headers) -> bool:
    """A line that names a wanted column starts a table of its own: it is no row's last line."""
    return any(text[s:e].rstrip(":：").strip() in wanted for s, e in cells)


def _row(pattern: Any, columns: dict[int, str], text: str, cells: list[tuple[int, int]]) -> Iterator[CellMatch]:
    for i, header in columns.items():
        if i < 0:
            continue
        s, e = cells[i]
        if e <= s:
            continue
        if pattern.fullmatch(text, s, e):
            yield CellMatch(s, e, header)
        elif "\n" in text[s:e]:
            for ps, pe in _pieces(text, s, e):
                if pattern.fullmatch(text, ps, pe):
                    yield CellMatch(ps, pe, header)
