"""Typeset a corpus page as a real multi-column newspaper page PDF, and report the geometry it laid out.

Text copied out of a page PDF carries the damage of print: lines broken at the column width, columns read in the
extraction tool's own order, a headline spanning several columns met before, after or between its story's columns. To
test the parser on exactly that damage, each page is set the way a compositor sets it: a page size for its paper, header
and footer bands, a column grid, articles packed into rectangular modules (skyline packing, in reading order), body text
broken line by line at the column measure with the line-start rules of Chinese type (``compose``), headlines large and
spanning, captions under or beside real raster photos (``pictures``). The choices a layout editor varies from story to
story (span, side headline, flow columns, alignment) are drawn from a seed made of the page id and the block index, so a
page sets the same on every build; reportlab's ``invariant`` mode makes the PDF bytes the same too.

Coordinates: layout works top-down from the page's top-left corner; ``Geometry`` reports PDF points with the origin
at the bottom-left (as pdfminer and PDF readers do).
"""

import io
import itertools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from tests.pages import fonts
from tests.pages.compose import (
    ASCENT,
    BLACK,
    DESCENT,
    Box,
    Colour,
    Item,
    Picture,
    Row,
    Style,
    Text,
    flow,
    headline,
    paragraph,
    set_rows,
    shift,
)
from tests.pages.corpus import Block, Page, Part
from tests.pages.fonts import HEI, KAI, SANS, SONG
from tests.pages.pictures import photo_jpeg

WHITE: Colour = (1.0, 1.0, 1.0)
RED: Colour = (0.78, 0.06, 0.09)
GREY: Colour = (0.55, 0.55, 0.55)

MODULE_GAP = 16.0  # between modules, a hairline in its middle
HEAD_GAP = 8.0  # between a story's head and its body
HEADLINE_MIN, HEADLINE_MAX, LEAD_HEADLINE_MAX = 20.0, 26.0, 30.0
NARROW_HEADLINE = (16.0, 22.0)  # a one-column headline, and one in a side column
KICKER_SIZE = DECK_SIZE = 14.0
PHOTO_TITLE_SIZE = 16.0
LABEL_SIZE = 13.0
#: Lines shorter than the measure by more than this many ems are set ragged rather than spaced out.
JUSTIFY_LIMIT = 3.0
#: A column's empty foot taller than this gets an advertisement panel, as a real page never leaves a hole.
FILL_MIN = 40.0

#: A paper's name standing alone (a masthead), and the page numbers of a front page.
_PAPER_NAME = re.compile(r"[\u4e00-\u9fff]{1,6}报")
_FRONT_PAGE = re.compile(r"第0*1版|A0*1(?!\d)|头版|一版")
MASTHEAD_SIZE, INNER_MASTHEAD_SIZE = 56.0, 30.0


@dataclass(frozen=True)
class Sheet:
    """A paper's page format: its proportions, margins and body size, and how wide its columns may be set."""

    aspect: float  # height over width
    margin: float
    body_size: float
    leading: float  # body line pitch over body size
    gutter: float  # white between grid columns, points
    widest: int  # most body characters a grid column may hold


#: 对开, 390 × 545 mm: the dailies, set tight with wide gutters. 四开, 270 × 390 mm: evening, metro and district
#: papers, set looser with narrow gutters. The leadings fall either side of pdfminer's line grouping (``line_margin``
#: 0.5): a daily's column comes out of pdfminer as one block, a tabloid's lines one by one in pdfminer's order. The
#: gutters fall either side of pdftotext's word spacing (1.5 font sizes): a daily's columns come out of pdftotext
#: apart except where a hanging point narrows the gutter, a tabloid's joined line by line. All of it happens with
#: real pages.
BROADSHEET = Sheet(545 / 390, 36.0, 9.5, 1.42, 15.0, 22)
TABLOID = Sheet(390 / 270, 28.0, 9.0, 1.55, 11.0, 18)
#: Fewest body characters a grid column holds (real papers set 10 to 14 in their narrowest columns).
NARROWEST = 10


@dataclass(frozen=True)
class Grid:
    left: float
    columns: int
    column: float  # one grid column's width: a whole number of body characters
    gutter: float

    def x(self, column: int) -> float:
        """Left edge of grid column ``column``."""
        return self.left + column * (self.column + self.gutter)

    def span(self, columns: int) -> float:
        """Width of ``columns`` grid columns with the gutters between them."""
        return columns * self.column + (columns - 1) * self.gutter


@dataclass(frozen=True)
class Module:
    width: float
    height: float
    items: tuple[Item, ...]


PHOTO_TITLE = Style(HEI, PHOTO_TITLE_SIZE, "left", leading=1.4)


@dataclass(frozen=True)
class Unit:
    """What one module sets: a story, a photo, a run of briefs, or a furniture band."""

    kind: str  # header, footer, band, story, photo, briefs
    blocks: tuple[int, ...]
    label: int | None = None  # a column block whose label heads the module


@dataclass(frozen=True)
class GeoLine:
    text: str
    role: str
    block: int
    font: str  # PostScript name of the face the line is set in
    size: float
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points, origin bottom-left


@dataclass(frozen=True)
class GeoImage:
    block: int
    bbox: tuple[float, float, float, float]


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    lines: tuple[GeoLine, ...]
    images: tuple[GeoImage, ...]


@dataclass(frozen=True)
class _Context:
    page: Page
    sheet: Sheet
    grid: Grid

    @property
    def body(self) -> Style:
        """The body text's style on this page."""
        return Style(SONG, self.sheet.body_size, indent=2.0, leading=self.sheet.leading)

    def rng(self, block: int) -> random.Random:
        """The layout editor's whims for one block: the same on every build of the page."""
        return random.Random(f"{self.page.id}/{block}")


@dataclass(frozen=True)
class _Layout:
    """A page laid out at one column width, not yet drawn."""

    characters: int  # body characters a grid column holds
    width: float
    height: float
    overflow: float  # how far the articles run past the page's nominal foot (negative: room left)
    items: tuple[Item, ...]


def typeset(page: Page) -> tuple[bytes, Geometry]:
    """The page set as a newspaper page: the PDF's bytes and the geometry of every line and image drawn.

    The page keeps its paper's proportions; its size follows from the column width, chosen as the narrowest (10 to
    ``Sheet.widest`` characters) at which the articles fit the page, so that a page is full as a printed page is.
    """
    fonts.register_faces()
    sheet = sheet_for(page)
    layouts = [lay_out(page, sheet, characters) for characters in range(NARROWEST, sheet.widest + 1)]
    fitting = [layout for layout in layouts if layout.overflow <= 0]
    chosen = fitting[0] if fitting else min(layouts, key=lambda layout: layout.overflow)
    return _render(page, chosen.width, chosen.height, chosen.items)


def sheet_for(page: Page) -> Sheet:
    """The page format of the paper: a broadsheet for a daily, a tabloid for the rest."""
    return BROADSHEET if page.paper.endswith(("日报", "时报")) else TABLOID


def lay_out(page: Page, sheet: Sheet, characters: int) -> _Layout:
    """The page laid out on a grid of ``page.columns`` columns ``characters`` body characters wide: header bands,
    articles packed on the grid, advertisements in the holes, footer bands; the page grows if the articles overflow."""
    grid = Grid(sheet.margin, page.columns, characters * sheet.body_size, sheet.gutter)
    context = _Context(page, sheet, grid)
    units = plan_units(page)
    width = grid.span(grid.columns)
    header = [_band(unit, context, width) for unit in units if unit.kind == "header"]
    footer = [_band(unit, context, width) for unit in units if unit.kind == "footer"]
    top = sheet.margin + sum(module.height + MODULE_GAP / 2 for module in header)
    placed, heights = _pack([unit for unit in units if unit.kind not in ("header", "footer")], context, top)
    footer_height = sum(module.height + MODULE_GAP / 2 for module in footer)
    page_width = width + 2 * sheet.margin
    nominal = page_width * sheet.aspect - sheet.margin - footer_height
    bottom = max([nominal, *heights])
    items = [
        *_stack(header, sheet.margin, sheet.margin),
        *placed,
        *_adverts(list(heights), bottom, context),
        *_stack(footer, sheet.margin, bottom),
    ]
    return _Layout(characters, page_width, bottom + footer_height + sheet.margin, max(heights) - nominal, tuple(items))


def plan_units(page: Page) -> list[Unit]:
    """The page's blocks grouped into modules: furniture before the first article is the header, after the last the
    footer; a column label heads the briefs that follow it (or the story it stands over)."""
    articles = [index for index, block in enumerate(page.blocks) if block.type != "furniture"]
    units: list[Unit] = []
    label: int | None = None
    for index, block in enumerate(page.blocks):
        if block.type == "furniture":
            kind = "header" if index < articles[0] else "footer" if index > articles[-1] else "band"
            units.append(Unit(kind, (index,)))
        elif block.type == "column":
            label = index
            units.append(Unit("briefs", (), label))
        elif block.type == "brief" and units and units[-1].kind == "briefs" and _follows(units[-1], index):
            units[-1] = replace(units[-1], blocks=(*units[-1].blocks, index))
        elif block.type == "brief":
            units.append(Unit("briefs", (index,)))
        else:
            if units and units[-1].kind == "briefs" and not units[-1].blocks and units[-1].label == index - 1:
                units.pop()
            units.append(Unit(block.type, (index,), label if label == index - 1 else None))
    return units


def _follows(unit: Unit, index: int) -> bool:
    """Whether block ``index`` comes right after the unit's last block (or its label)."""
    return (unit.blocks[-1] if unit.blocks else unit.label) == index - 1


# Modules ----------------------------------------------------------------------------------------------------------


def _module(unit: Unit, context: _Context, span: int) -> Module:
    """The module that sets ``unit`` on ``span`` columns of the grid."""
    if unit.kind == "story":
        return _story(unit, context, span)
    if unit.kind == "photo":
        return _photo(unit, context, span)
    if unit.kind == "briefs":
        return _briefs(unit, context, span)
    return _band(unit, context, context.grid.span(context.grid.columns))


def _spans(unit: Unit, context: _Context) -> list[int]:
    """The spans a layout editor would give the unit, most wanted first: a story about fourteen lines a column (a
    headline read after its copy needs two columns), a landscape photo two columns, a long run of briefs two."""
    columns = context.grid.columns
    if unit.kind == "band":
        return [columns]
    if unit.kind == "photo":
        aspect = context.page.blocks[unit.blocks[0]].image or (4.0, 3.0)
        wanted = [2, 1, 3] if aspect[0] >= aspect[1] else [1, 2]
        return [span for span in wanted if span <= columns]
    lines = [_estimated_lines(context, index) for index in unit.blocks]
    if unit.kind == "briefs":
        return [2, 1] if sum(lines) > 40 and columns >= 4 else [1]
    block = context.page.blocks[unit.blocks[0]]
    fewest = min(2, columns) if _headline_late(block) else 1
    spans = [span for span in range(fewest, min(3, columns) + 1) if 5 <= lines[0] / span <= 36] or [fewest]
    return sorted(spans, key=lambda span: (abs(lines[0] / span - 14), context.rng(unit.blocks[0]).random()))


def _estimated_lines(context: _Context, index: int) -> float:
    """About how many body lines one grid column takes to set block ``index``."""
    length = sum(len(part.printed) for part in context.page.blocks[index].parts)
    return length / (context.grid.column / context.sheet.body_size)


def _label_rows(unit: Unit, context: _Context, width: float) -> tuple[list[Item], float]:
    """A column label over a module (``■ 简讯``, ``民生直通车``), on a red band or over a red rule."""
    if unit.label is None:
        return [], 0.0
    text = context.page.blocks[unit.label].parts[0].text
    reversed_ = context.rng(unit.label).random() < 0.5
    style = Style(HEI, LABEL_SIZE, "left", leading=1.6, colour=WHITE if reversed_ else RED)
    rows = paragraph(text, "column", unit.label, style, width - 8)
    lines, height = set_rows(rows, width - 8, 4.0)
    band = Box(0.0, 0.0, width, height, RED) if reversed_ else Box(0.0, height - 1.2, width, 1.2, RED)
    return [band, *lines], height + 6.0


def _story(unit: Unit, context: _Context, span: int) -> Module:
    """A story: kicker, headline, deck and byline over its body, or its head in a narrow column left of the body, or
    (read after the start of its copy) right of its first column."""
    index = unit.blocks[0]
    block = context.page.blocks[index]
    rng = context.rng(index)
    grid = context.grid
    late = _headline_late(block)
    width = grid.span(span)
    side = not late and span >= 2 and rng.random() < 0.35
    align = "center" if not side and rng.random() < 0.5 else "left"
    sizes = _headline_sizes(span)
    label, label_height = _label_rows(unit, context, width)
    byline_up = side or (not late and rng.random() < 0.5)
    credit_align = "right" if rng.random() < 0.7 else "left"
    if late:
        head_width = grid.span(span - 1)
        head, head_height = set_rows(_head_rows(block, index, head_width, sizes, align, False), head_width)
        body_rows = _body_rows(block, index, context, grid.column, False, credit_align)
        tops = (0.0, *[head_height + HEAD_GAP] * (span - 1))
        body, body_height = flow(body_rows, span, grid.column, grid.gutter, tops)
        items = [*label, *shift(head, grid.x(1) - grid.left, label_height), *shift(body, 0.0, label_height)]
        return Module(width, label_height + body_height, tuple(items))
    if side:
        head, head_height = set_rows(
            _head_rows(block, index, grid.column, _headline_sizes(1), align, byline_up), grid.column
        )
        body_rows = _body_rows(block, index, context, grid.column, byline_up, credit_align)
        body, body_height = flow(body_rows, span - 1, grid.column, grid.gutter)
        items = [*label, *shift(head, 0.0, label_height), *shift(body, grid.x(1) - grid.left, label_height)]
        return Module(width, label_height + max(head_height, body_height), tuple(items))
    head, head_height = set_rows(_head_rows(block, index, width, sizes, align, byline_up), width)
    body_rows = _body_rows(block, index, context, grid.column, byline_up, credit_align)
    body, body_height = flow(body_rows, span, grid.column, grid.gutter)
    items = [*label, *shift(head, 0.0, label_height), *shift(body, 0.0, label_height + head_height + HEAD_GAP)]
    return Module(width, label_height + head_height + HEAD_GAP + body_height, tuple(items))


def _headline_sizes(span: int) -> tuple[float, float]:
    """The smallest and largest a headline is set across ``span`` columns: a one-column headline stays modest, the
    page's widest ones are largest."""
    return {1: NARROW_HEADLINE, 2: (HEADLINE_MIN, HEADLINE_MAX)}.get(span, (HEADLINE_MIN, LEAD_HEADLINE_MAX))


def _headline_late(block: Block) -> bool:
    """Whether the story's headline is read after the start of its copy: set beside it, right of its first column."""
    roles = [part.role for part in block.parts]
    opening = [number for number, role in enumerate(roles) if role in ("lead", "body")]
    return roles.index("headline") > opening[0]


def _head_rows(
    block: Block, index: int, width: float, sizes: tuple[float, float], align: str, byline: bool
) -> list[Row]:
    """A story's head: kicker over the headline, deck under it, and the byline under them when set there."""
    rows: list[Row] = []
    for part in block.parts:
        if part.role == "kicker":
            rows += paragraph(part.text, "kicker", index, Style(HEI, KICKER_SIZE, align, leading=1.45), width)
        elif part.role == "headline":
            rows += headline(part.text, index, width, sizes, align)
        elif part.role == "deck":
            rows += paragraph(part.text, "deck", index, Style(KAI, DECK_SIZE, align, leading=1.45), width)
        elif part.role == "byline" and byline:
            rows += paragraph(part.text, "byline", index, Style(KAI, 10.0, align, leading=1.6, before=3.0), width)
    return rows


def _body_rows(block: Block, index: int, context: _Context, width: float, byline: bool, credit_align: str) -> list[Row]:
    """A story's body as print sets it: byline (unless in the head), paragraphs, jump lines and the end credit."""
    rows: list[Row] = []
    body_seen = False
    for part in block.parts:
        if part.role == "byline" and not byline:
            rows += paragraph(part.text, "byline", index, Style(KAI, 10.0, "left"), width)
        elif part.role in ("lead", "body"):
            rows += paragraph(part.printed, part.role, index, context.body, width)
            body_seen = True
        elif part.role == "furniture":
            align = "right" if body_seen else "left"
            rows += paragraph(part.text, "furniture", index, Style(KAI, context.sheet.body_size, align), width)
        elif part.role == "end_credit":
            rows += paragraph(part.text, "end_credit", index, Style(KAI, context.sheet.body_size, credit_align), width)
    return rows


def _photo(unit: Unit, context: _Context, span: int) -> Module:
    """A photo: its title, the picture, and the caption under it or in a column beside it, credit where printed."""
    index = unit.blocks[0]
    block = context.page.blocks[index]
    rng = context.rng(index)
    grid = context.grid
    aspect = block.image or (4.0, 3.0)
    beside = span >= 2 and rng.random() < 0.3
    width = grid.span(span)
    label, y = _label_rows(unit, context, width)
    items: list[Item] = list(label)
    over = tuple(itertools.takewhile(lambda part: part.role == "headline", block.parts))
    titles = [row for part in over for row in paragraph(part.text, "headline", index, PHOTO_TITLE, width)]
    title_items, title_height = set_rows(titles, width, 0.0, y)
    items += title_items
    y += title_height + (4.0 if titles else 0.0)
    image_width = grid.span(span - 1) if beside else width
    image_height = image_width * aspect[1] / aspect[0]
    items.append(Picture(index, 0.0, y, image_width, image_height, photo_jpeg(f"{context.page.id}/{index}", aspect)))
    caption_width = grid.column if beside else width
    caption = _caption_rows(block.parts[len(over) :], index, caption_width)
    if beside:
        lines, used = set_rows(caption, caption_width)
        top = y + max(0.0, image_height - used) if rng.random() < 0.5 else y
        items += shift(lines, image_width + grid.gutter, top)
        return Module(width, max(y + image_height, top + used), tuple(items))
    lines, used = set_rows(caption, caption_width, 0.0, y + image_height + 4.0)
    return Module(width, y + image_height + 4.0 + used, tuple(items + lines))


def _caption_rows(parts: tuple[Part, ...], index: int, width: float) -> list[Row]:
    """A photo's caption in the caption face, its continuation paragraphs, credit lines before or after it, and the
    photo's title when it is read after the caption."""
    rows: list[Row] = []
    for part in parts:
        if part.role == "headline":
            rows += paragraph(part.text, "headline", index, replace(PHOTO_TITLE, before=4.0), width)
        elif part.role == "caption":
            rows += paragraph(part.text, "caption", index, Style(KAI, 9.0, leading=1.45), width)
        elif part.role == "body":
            rows += paragraph(part.text, "body", index, Style(KAI, 9.0, indent=2.0, leading=1.45), width)
        elif part.role == "credit":
            rows += paragraph(part.text, "credit", index, Style(KAI, 8.5, "right", leading=1.45), width)
    return rows


def _briefs(unit: Unit, context: _Context, span: int) -> Module:
    """A brief column: its label on top and the briefs stacked under it, flowing down ``span`` narrow columns."""
    grid = context.grid
    rows: list[Row] = []
    for number, index in enumerate(unit.blocks):
        for count, part in enumerate(context.page.blocks[index].parts):
            rows += _brief_rows(part, index, context, grid.column, 6.0 if number and not count else 0.0)
    width = grid.span(span)
    label, label_height = _label_rows(unit, context, width)
    body, height = flow(rows, span, grid.column, grid.gutter)
    return Module(width, label_height + height, tuple(label + shift(body, 0.0, label_height)))


def _brief_rows(part: Part, index: int, context: _Context, width: float, before: float) -> list[Row]:
    """One part of a brief (``before`` points under the brief above): its title in bold over the text, the text
    indented, the credit to the right."""
    size = context.sheet.body_size
    if part.role == "brief_title":
        return paragraph(part.text, part.role, index, Style(HEI, size + 1.0, "left", before=before, keep=True), width)
    if part.role == "end_credit":
        return paragraph(part.text, part.role, index, Style(KAI, size, "right", before=before), width)
    return paragraph(part.printed, part.role, index, replace(context.body, before=before), width)


def _band(unit: Unit, context: _Context, width: float) -> Module:
    """A furniture band: a masthead when the page's first block opens with the paper's name, else its parts spread
    along rows."""
    index = unit.blocks[0]
    parts = context.page.blocks[index].parts
    if index == 0 and _PAPER_NAME.fullmatch(parts[0].text):
        front = any(_FRONT_PAGE.search(part.text) for part in parts)
        return _masthead(index, parts, MASTHEAD_SIZE if front else INNER_MASTHEAD_SIZE, width)
    size = 10.0 if unit.kind == "header" else 9.0
    items: list[Item] = []
    y = 4.0 if unit.kind == "footer" else 0.0
    for row in _band_rows([part.text for part in parts], size, width):
        items += _spread(row, index, size, width, y)
        y += size * 1.6
    rules = {
        "header": [Box(0.0, y + 2.0, width, 1.5, BLACK), Box(0.0, y + 5.0, width, 0.4, BLACK)],
        "footer": [Box(0.0, 0.0, width, 0.6, BLACK)],
    }.get(unit.kind, [Box(0.0, y + 1.0, width, 0.6, BLACK)])
    return Module(width, y + (6.0 if unit.kind == "header" else 2.0), (*items, *rules))


def _band_rows(texts: list[str], size: float, width: float) -> list[list[str]]:
    """Furniture texts grouped into rows that fit ``width`` with at least four ems between neighbours."""
    rows: list[list[str]] = [[]]
    for text in texts:
        candidate = [*rows[-1], text]
        needed = sum(fonts.width(piece, SANS, size) for piece in candidate) + 4 * size * (len(candidate) - 1)
        if rows[-1] and needed > width:
            rows.append([text])
        else:
            rows[-1] = candidate
    return rows


def _spread(texts: list[str], index: int, size: float, width: float, y: float) -> list[Item]:
    """A row of furniture: the first text flush left, the last flush right, the rest centred between."""
    if len(texts) == 1:
        return [Text(texts[0], "furniture", index, SANS, size, 0.0, y + ASCENT * size + 2, width, "left")]
    slot = width / len(texts)
    aligns = ["left", *(["center"] * (len(texts) - 2)), "right"]
    return [
        Text(text, "furniture", index, SANS, size, number * slot, y + ASCENT * size + 2, slot, align)
        for number, (text, align) in enumerate(zip(texts, aligns, strict=True))
    ]


def _masthead(index: int, parts: tuple[Part, ...], size: float, width: float) -> Module:
    """A masthead: the paper's name large in red (largest on the front page), the issue's particulars stacked at
    the right."""
    items: list[Item] = [Text(parts[0].text, "furniture", index, KAI, size, 0.0, ASCENT * size + 4, width, "left", RED)]
    others = parts[1:]
    pitch = 13.0
    top = max(0.0, (size + 8 - pitch * len(others)) / 2)
    for number, part in enumerate(others):
        items.append(Text(part.text, "furniture", index, SANS, 9.5, 0.0, top + pitch * number + 10, width, "right"))
    height = max(size + 8, top + pitch * len(others)) + 4
    items += [Box(0.0, height, width, 2.0, RED), Box(0.0, height + 4.0, width, 0.5, RED)]
    return Module(width, height + 8.0, tuple(items))


# The page ---------------------------------------------------------------------------------------------------------


def _stack(modules: list[Module], x: float, y: float) -> list[Item]:
    """Full-width modules stacked down from ``(x, y)``."""
    items: list[Item] = []
    for module in modules:
        items += shift(list(module.items), x, y)
        y += module.height + MODULE_GAP / 2
    return items


def _pack(units: list[Unit], context: _Context, top: float) -> tuple[list[Item], list[float]]:
    """Units set as modules and placed in reading order on the grid's skyline, each at the span and place where it
    stands highest (the span most wanted, then the leftmost place, on a tie); a full-width band goes under
    everything so far. A hole left above a column under a wider module gets an advertisement. Returns the placed
    items and each column's new foot."""
    grid = context.grid
    heights = [top] * grid.columns
    items: list[Item] = []
    for unit in units:
        places = [
            (max(heights[start : start + span]), rank, start, span)
            for rank, span in enumerate(_spans(unit, context))
            for start in range(grid.columns - span + 1)
        ]
        y, _, column, span = min(places)
        module = _module(unit, context, span)
        holes: list[float | None] = [
            height if column <= number < column + span else None for number, height in enumerate(heights)
        ]
        items += _adverts(holes, y - MODULE_GAP, context)
        items += shift(list(module.items), grid.x(column), y)
        foot = y + module.height + MODULE_GAP
        items.append(Box(grid.x(column), foot - MODULE_GAP / 2, module.width, 0.4, GREY))
        heights[column : column + span] = [foot] * span
    return items, heights


def _adverts(tops: list[float | None], bottom: float, context: _Context) -> list[Item]:
    """Advertisement panels (shapes, no text) down to ``bottom`` in the columns whose empty stretch from ``tops``
    (``None``: not this column) is tall enough: one panel per run of neighbouring columns, as a real page never
    leaves a hole."""
    grid = context.grid
    open_ = [top is not None and bottom - top >= FILL_MIN for top in tops]
    items: list[Item] = []
    column = 0
    while column < grid.columns:
        end = column
        while open_[column] and end + 1 < grid.columns and open_[end + 1]:
            end += 1
        run = [top for top in tops[column : end + 1] if top is not None]
        if open_[column] and run:
            top = max(run)
            rng = random.Random(f"{context.page.id}/advert/{column}/{round(top)}")
            items += _advert(grid.x(column), top, grid.span(end - column + 1), bottom - top, rng)
        column = end + 1
    return items


def _advert(x: float, y: float, width: float, height: float, rng: random.Random) -> list[Item]:
    """A house advertisement: a tinted panel with a few coloured shapes."""
    tint = (rng.uniform(0.85, 0.97), rng.uniform(0.85, 0.97), rng.uniform(0.85, 0.97))
    items: list[Item] = [Box(x, y, width, height, tint, GREY)]
    for _ in range(rng.randint(2, 4)):
        w, h = width * rng.uniform(0.2, 0.6), height * rng.uniform(0.15, 0.5)
        colour = (rng.uniform(0.3, 0.9), rng.uniform(0.3, 0.9), rng.uniform(0.3, 0.9))
        items.append(Box(x + rng.uniform(0.0, width - w), y + rng.uniform(0.0, height - h), w, h, colour))
    return items


# Drawing ----------------------------------------------------------------------------------------------------------


def _render(page: Page, width: float, height: float, items: Sequence[Item]) -> tuple[bytes, Geometry]:
    """Draw the items on one PDF page (deterministic bytes) and report the geometry of text and images."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=1, pageCompression=1)
    canvas.setTitle(page.id)
    canvas.setAuthor(page.paper)
    lines: list[GeoLine] = []
    images: list[GeoImage] = []
    for item in items:
        if isinstance(item, Box):
            _draw_box(canvas, item, height)
        elif isinstance(item, Picture):
            images.append(_draw_picture(canvas, item, height))
        else:
            lines.append(_draw_text(canvas, item, height))
    canvas.showPage()
    canvas.save()
    return out.getvalue(), Geometry(width, height, tuple(lines), tuple(images))


def _draw_box(canvas: Canvas, box: Box, page_height: float) -> None:
    """Fill (and outline) a rectangle."""
    canvas.setFillColorRGB(*box.fill)
    if box.stroke is not None:
        canvas.setStrokeColorRGB(*box.stroke)
        canvas.setLineWidth(0.5)
    canvas.rect(
        box.x, page_height - box.y - box.height, box.width, box.height, stroke=int(box.stroke is not None), fill=1
    )


def _draw_picture(canvas: Canvas, picture: Picture, page_height: float) -> GeoImage:
    """Embed the photo's JPEG as it is and report where it went."""
    y0 = page_height - picture.y - picture.height
    canvas.drawImage(ImageReader(io.BytesIO(picture.jpeg)), picture.x, y0, picture.width, picture.height)
    return GeoImage(picture.block, (picture.x, y0, picture.x + picture.width, y0 + picture.height))


def _draw_text(canvas: Canvas, text: Text, page_height: float) -> GeoLine:
    """Draw one line, justified or aligned in its measure, glyphs a face lacks taken from the fallback face."""
    natural = fonts.width(text.text, text.face, text.size)
    slack = text.measure - natural
    spacing = 0.0
    if text.align == "justify" and 0 < slack < JUSTIFY_LIMIT * text.size and len(text.text) > 1:
        spacing = slack / (len(text.text) - 1)
    offset = {"right": slack, "center": slack / 2}.get(text.align, 0.0)
    x = x0 = text.x + offset
    baseline = page_height - text.y
    canvas.setFillColorRGB(*text.colour)
    for face, run in fonts.runs(text.text, text.face):
        drawn = canvas.beginText(x, baseline)
        drawn.setFont(face.name, text.size)
        drawn.setCharSpace(spacing)
        drawn.textOut(run)
        canvas.drawText(drawn)
        x += fonts.width(run, face, text.size) + spacing * len(run)
    bbox = (x0, baseline - DESCENT * text.size, x - spacing, baseline + ASCENT * text.size)
    return GeoLine(text.text, text.role, text.block, fonts.postscript_name(text.face), text.size, bbox)
