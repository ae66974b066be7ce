"""Setting text the way a compositor does: paragraphs broken into lines at a column's measure, lines stacked down a
column or flowed across several, and the drawn items a page is made of.

Chinese type breaks between any two characters, but not everywhere: a closing mark never starts a line and an opening
mark never ends one (禁则), so the compositor pulls a character down with it; numbers and Latin words stay whole.
Body lines are justified across the measure except a paragraph's last; paragraphs follow each other without a blank
line, the first line indented two characters, as print sets them.
"""

import math
import re
from dataclasses import dataclass, replace

from tests.pages import fonts
from tests.pages.fonts import HEI, Face

Colour = tuple[float, float, float]
BLACK: Colour = (0.0, 0.0, 0.0)
#: Share of the font size above the baseline and below it (the em box, as CJK faces fill it).
ASCENT, DESCENT = 0.88, 0.12
LEADING = 1.5  # line pitch over font size of the small faces (bylines, credits): as newspapers set

# Line-start and line-end rules (禁则): closing marks never open a line, opening marks never close one.
NO_START = frozenset("，。、；：？！”’）》」』〕】〉·％,.;:?!)]}%")
NO_END = frozenset("“‘（《「『〔【〈([{")
#: Full-width marks a compositor lets hang past the measure at a line's end (行末点号悬挂) rather than pull a
#: character down and space the line out; a run of two closing marks is pulled down instead.
HANGING = frozenset("，。、；：？！")
_TOKEN = re.compile(r"——|……|[A-Za-z0-9][A-Za-z0-9.%]*|\s|.")


@dataclass(frozen=True)
class Text:
    """One drawn line; ``y`` is its baseline."""

    text: str
    role: str
    block: int
    face: Face
    size: float
    x: float
    y: float
    measure: float  # the width the line is set to: justified across it, or aligned in it
    align: str  # left, right, center, justify
    colour: Colour = BLACK


@dataclass(frozen=True)
class Picture:
    """A photo; ``y`` is its top edge."""

    block: int
    x: float
    y: float
    width: float
    height: float
    jpeg: bytes


@dataclass(frozen=True)
class Box:
    """A filled rectangle: a rule, a label's band, an advertisement panel; ``y`` is its top edge."""

    x: float
    y: float
    width: float
    height: float
    fill: Colour
    stroke: Colour | None = None


Item = Text | Picture | Box


@dataclass(frozen=True)
class Style:
    face: Face
    size: float
    align: str = "justify"
    indent: float = 0.0  # first-line indent, in ems
    leading: float = LEADING
    colour: Colour = BLACK
    before: float = 0.0  # space above the paragraph, points
    keep: bool = False  # keep the paragraph's last line with what follows (a brief's title)


@dataclass(frozen=True)
class Row:
    """One line of a paragraph, before it is placed in a column."""

    text: str
    role: str
    block: int
    style: Style
    indent: float  # points
    last: bool  # the paragraph's last line: never spaced out
    before: float

    @property
    def pitch(self) -> float:
        """The height the line takes."""
        return self.style.size * self.style.leading


def break_lines(text: str, face: Face, size: float, width: float, indent: float = 0.0) -> list[str]:
    """``text`` broken into lines of at most ``width`` points, the first ``indent`` points in.

    CJK text breaks between any two characters; a closing mark never starts a line and an opening mark never ends
    one: a lone full-width point hangs past the measure, otherwise the compositor pulls the last character down with
    it; numbers and Latin words stay whole; ``——`` and ``……`` are never split.
    """
    lines: list[list[str]] = [[]]
    used = indent
    tokens = _tokens(text, face, size, width)
    for number, token in enumerate(tokens):
        extent = fonts.width(token, face, size)
        following = tokens[number + 1] if number + 1 < len(tokens) else ""
        hangs = token in HANGING and following[:1] not in NO_START and used <= width + 0.01
        if lines[-1] and used + extent > width + 0.01 and not hangs:
            carried = _carry(lines[-1], token)
            lines.append(carried)
            used = fonts.width("".join(carried), face, size)
        if token.isspace() and not lines[-1]:
            continue
        lines[-1].append(token)
        used += extent
    return [joined for line in lines if (joined := "".join(line).rstrip())]


def _tokens(text: str, face: Face, size: float, width: float) -> list[str]:
    """The unbreakable pieces of ``text``; a piece wider than a line is cut into its characters."""
    return [
        piece
        for token in _TOKEN.findall(text)
        for piece in (list(token) if fonts.width(token, face, size) > width else [token])
    ]


def _carry(line: list[str], following: str) -> list[str]:
    """Take off the end of a full ``line`` what must move down with ``following`` (禁则); spaces at the break go."""
    carried: list[str] = []
    while len(line) > 1:
        head = carried[0] if carried else following
        if line[-1].isspace():
            line.pop()
        elif line[-1][-1] in NO_END or head[0] in NO_START:
            carried.insert(0, line.pop())
        else:
            break
    return carried


def paragraph(text: str, role: str, block: int, style: Style, width: float) -> list[Row]:
    """One paragraph set at ``width``: its rows, the first indented and spaced as the style says."""
    indent = style.indent * style.size
    lines = break_lines(text, style.face, style.size, width, indent)
    return [
        Row(
            line,
            role,
            block,
            style,
            indent if number == 0 else 0.0,
            number == len(lines) - 1,
            style.before if number == 0 else 0.0,
        )
        for number, line in enumerate(lines)
    ]


def headline(text: str, block: int, width: float, sizes: tuple[float, float], align: str) -> list[Row]:
    """The main headline in as few lines as keep it within ``sizes`` (smallest, largest), as large as fits."""
    smallest, largest = sizes
    for count in (1, 2, 3):
        lines = _balanced(text, count)
        size = min(largest, min(width / fonts.width(line, HEI, 1.0) for line in lines))
        if size >= smallest:
            style = Style(HEI, math.floor(size * 2) / 2, align, leading=1.25)
            return [Row(line, "headline", block, style, 0.0, True, 0.0) for line in lines]
    style = Style(HEI, smallest, align, leading=1.25)
    return paragraph(text, "headline", block, style, width)


def _balanced(text: str, count: int) -> list[str]:
    """``text`` in ``count`` lines of about equal length, broken at its spaces when it has ``count - 1`` of them."""
    pieces = text.split()
    if len(pieces) == count:
        return pieces
    measure = fonts.width(text, HEI, 1.0) / count
    while len(lines := break_lines(text, HEI, 1.0, measure)) > count:
        measure += 0.25
    return lines


# Placing rows -----------------------------------------------------------------------------------------------------


def set_rows(rows: list[Row], width: float, x: float = 0.0, y: float = 0.0) -> tuple[list[Item], float]:
    """Rows stacked down one column ``width`` wide from ``(x, y)``: the drawn lines and the height used."""
    items: list[Item] = []
    used = 0.0
    for row in rows:
        used += row.before if items else 0.0
        size = row.style.size
        baseline = y + used + (row.pitch - size) / 2 + ASCENT * size
        align = "left" if row.style.align == "justify" and row.last else row.style.align
        items.append(
            Text(
                row.text,
                row.role,
                row.block,
                row.style.face,
                size,
                x + row.indent,
                baseline,
                width - row.indent,
                align,
                row.style.colour,
            )
        )
        used += row.pitch
    return items, used


def flow(
    rows: list[Row], columns: int, width: float, gutter: float, tops: tuple[float, ...] = ()
) -> tuple[list[Item], float]:
    """Rows flowed down ``columns`` side-by-side columns of ``width``, each starting ``tops[n]`` down (0 by default),
    balanced to end level: the lines and the height used."""
    starts = tops or (0.0,) * columns
    items: list[Item] = []
    height = 0.0
    for number, chunk in enumerate(_balance(rows, starts)):
        placed, used = set_rows(chunk, width, number * (width + gutter), starts[number])
        items += placed
        height = max(height, starts[number] + used)
    return items, height


def _balance(rows: list[Row], tops: tuple[float, ...]) -> list[list[Row]]:
    """Rows cut into at most ``len(tops)`` runs ending about level, the run ``n`` starting ``tops[n]`` down; a kept
    line moves on with what follows it."""
    target = (sum(row.pitch + row.before for row in rows) + sum(tops)) / len(tops)
    chunks: list[list[Row]] = [[]]
    used = tops[0]
    for row in rows:
        if chunks[-1] and len(chunks) < len(tops) and used + row.pitch / 2 > target:
            chunks.append([])
            used = tops[len(chunks) - 1]
        used += row.pitch + (row.before if chunks[-1] else 0.0)
        chunks[-1].append(row)
    for number in range(len(chunks) - 1):
        while len(chunks[number]) > 1 and chunks[number][-1].style.keep:
            chunks[number + 1].insert(0, chunks[number].pop())
    return chunks


def shift(items: list[Item], dx: float, dy: float) -> list[Item]:
    """``items`` moved by ``(dx, dy)``."""
    return [replace(item, x=item.x + dx, y=item.y + dy) for item in items]
