"""A page's glyphs into its printed lines.

Glyphs on one baseline form a row; a row is cut into lines where a gap says a new line starts: a column's line and
the next column's line can stand on one baseline with less than an em between them (a closing mark hanging into the
gutter), while a credit's names are padded with whole ems (``本报记者 王 磊``). What tells them apart is how the page
was drawn: a program draws a line in one go, so its glyphs are consecutive in the page's content, and two columns'
lines are not. A page drawn glyph by glyph in no order (some programs do) has rows cut at gaps wider than an em
instead. Spaces are put back where a gap is wider than the line's own letter-spacing (justified lines are spaced
evenly).

Pure functions.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from index.pdf.content import Box, Glyph, PageContent

T = TypeVar("T")

#: Glyphs whose baselines differ by less than this share of their size stand in one row.
ROW_TOLERANCE = 0.25
#: How many of the rows above a glyph it may join (rows of different sizes interleave by baseline).
ROWS_OPEN = 8
#: Between glyphs drawn apart in the content, a gap of this share of an em starts a new line...
DRAWN_APART_GAP = 0.1
#: ... and between glyphs drawn together, only a gap this wide (a furniture row's far ends).
DRAWN_TOGETHER_GAP = 3.0
#: A page where fewer row neighbours than this share were drawn together was drawn in no useful order.
ORDERED_SHARE = 0.5
#: Without a useful order, a gap this wide (in ems) starts a new line.
UNORDERED_GAP = 1.1
#: Glyphs with fewer characters than this between them in the content (PDFium's index, which counts the spaces
#: it adds) were drawn together, if the gap can hold those characters: each at most ``SPACE_WIDTH`` ems, plus the
#: widest letter-spacing of a justified line.
DRAWN_TOGETHER = 3
SPACE_WIDTH = 1.0
LETTER_SPACING = 0.4
#: A size change of more than this share starts a new line (a headline's end beside a small credit).
SIZE_CHANGE = 0.15
#: A gap wider than the line's letter-spacing by this share of an em is a space.
SPACE_GAP = 0.2


@dataclass(frozen=True)
class TextLine:
    text: str
    #: The page's number in the file, from 1.
    page: int
    bbox: Box
    #: The size most of its glyphs are set in.
    size: float
    #: The font most of its glyphs are set in, and its weight.
    font: str
    weight: int
    #: Most of its glyphs are coloured.
    coloured: bool
    #: The first glyph's place in the page's content.
    order: int

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def y0(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def y1(self) -> float:
        return self.bbox[3]

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]


def page_lines(page: PageContent) -> list[TextLine]:
    """The page's lines, top to bottom, left to right within a row."""
    rows = _rows(page.glyphs)
    ordered = _drawn_in_order(rows)
    return [_line(page, run) for row in rows for run in _runs(row, ordered)]


def _rows(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped by baseline, rows top to bottom, each row left to right. A glyph joins a row whose first glyph
    stands on its baseline, within a share of the smaller of the two sizes (a headline's row and a body line beside
    it are two rows, however close)."""
    rows: list[list[Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: (-g.baseline, g.x0)):
        for row in reversed(rows[-ROWS_OPEN:]):
            anchor = row[0]
            if abs(anchor.baseline - glyph.baseline) <= ROW_TOLERANCE * max(min(anchor.size, glyph.size), 1.0):
                row.append(glyph)
                break
        else:
            rows.append([glyph])
    for row in rows:
        row.sort(key=lambda g: g.x0)
    return sorted(rows, key=lambda row: -row[0].baseline)


def _drawn_in_order(rows: list[list[Glyph]]) -> bool:
    """Whether most neighbours in the rows were drawn together (the page's content says where lines are)."""
    pairs = [(a, b) for row in rows for a, b in itertools.pairwise(row)]
    together = sum(_together(a, b) for a, b in pairs)
    return not pairs or together >= ORDERED_SHARE * len(pairs)


def _together(a: Glyph, b: Glyph) -> bool:
    """Whether ``b`` was drawn right after ``a``: next in the content, or with no more between them (spaces) than the
    gap between them can hold."""
    between = b.order - a.order - 1
    gap = (b.x0 - a.x1) / max(a.size, b.size, 1.0)
    return 0 <= between < DRAWN_TOGETHER and gap <= SPACE_WIDTH * between + LETTER_SPACING


def _runs(row: list[Glyph], ordered: bool) -> list[list[Glyph]]:
    """A row cut into lines."""
    runs = [[row[0]]]
    for before, glyph in itertools.pairwise(row):
        em = max(before.size, glyph.size, 1.0)
        gap = (glyph.x0 - before.x1) / em
        if ordered:
            apart = gap > DRAWN_TOGETHER_GAP or (not _together(before, glyph) and abs(gap) > DRAWN_APART_GAP)
        else:
            apart = gap > UNORDERED_GAP
        if apart or abs(glyph.size - before.size) > SIZE_CHANGE * em:
            runs.append([glyph])
        else:
            runs[-1].append(glyph)
    return runs


def _line(page: PageContent, run: list[Glyph]) -> TextLine:
    gaps = sorted(b.x0 - a.x1 for a, b in itertools.pairwise(run))
    spacing = gaps[len(gaps) // 5] if len(gaps) >= 4 else 0.0
    text = run[0].char
    for before, glyph in itertools.pairwise(run):
        gap = glyph.x0 - before.x1
        if gap > spacing + SPACE_GAP * max(before.size, glyph.size):
            text += " "
        text += glyph.char
    size = _most([round(g.size, 1) for g in run])
    font = page.fonts[_most([g.font for g in run])]
    descent, ascent = 0.12 * size, 0.88 * size
    baseline = _most([round(g.baseline, 1) for g in run])
    bbox = (run[0].x0, baseline - descent, max(g.x1 for g in run), baseline + ascent)
    coloured = sum(g.coloured for g in run) * 2 > len(run)
    return TextLine(text, page.number, bbox, size, font.name, font.weight, coloured, min(g.order for g in run))


def _most(values: list[T]) -> T:
    """The value most frequent in ``values`` (the first of equals)."""
    counts: dict[T, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return max(counts, key=lambda value: counts[value])
