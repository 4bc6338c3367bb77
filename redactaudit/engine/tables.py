"""Values in a table column: a cell is a name when its column is headed 姓名.

In: a rule with `column:` header words, and a text in which extracted tables are rows of cells
separated by tabs, one row a line (formats/ writes them so; a tab-separated text file reads the
same). Out: match-like spans of the cells under a matching header whose text the rule's pattern
matches in full; the rest of matching (reject lists, validators, context) is the rule's as usual.
One pass over the lines of the text.
"""

from __future__ import annotations

from typing import Any, Iterator


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


def column_matches(pattern: Any, headers: tuple[str, ...], text: str) -> Iterator[CellMatch]:
    """Cells under a header that is one of `headers` (a header may add a colon or spaces), in rows
    below it in the same table (consecutive lines of two or more tab-separated cells), whose whole
    text `pattern` matches."""
    wanted = {h.strip() for h in headers}
    columns: dict[int, str] = {}  # column -> header, for the table being read
    width = 0
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if "\t" not in line:
            columns, width = {}, 0  # not a table row: a table ends here
            continue
        cells = _cells(text, start, end)
        if not columns or len(cells) != width:  # a new table, or a row of another shape: a header row
            width = len(cells)
            columns = {i: text[s:e].rstrip(":：").strip() for i, (s, e) in enumerate(cells)}
            columns = {i: h for i, h in columns.items() if h in wanted}
            if not columns:
                columns = {-1: ""}  # a table without a wanted column: read on, nothing to match
            continue
        for i, header in columns.items():
            if i < 0:
                continue
            s, e = cells[i]
            if e > s and pattern.fullmatch(text, s, e):
                yield CellMatch(s, e, header)
