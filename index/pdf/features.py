"""What the geometry says about each line of a page, as features for the PDF labeller (``index.pdf.labels``).

Everything is measured against the page itself, never in absolute points, so a paper with other sizes reads alike:
a line's size against the page's body size (a headline is twice the body or more, a kicker or a deck between, a
credit smaller), its face against the body's (a Kai face for bylines and captions, a Hei face for headlines), its
place in its block (first, last, indented, filling the measure, centred), its block's width against the page's
columns, white around it, the page's top and foot bands, a picture above, beside or below it. The text's own
features (markers, credit shapes, punctuation) come from ``index.line_labels`` and are added by the labeller.

Pure functions.
"""

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from index.pdf.content import PageContent, Picture
from index.pdf.layout import Block, PageLayout, body_style
from index.pdf.lines import TextLine

#: Face names by family, as type foundries name them (``FZShuSong``, ``AR PL UKai``, ``WenQuanYi Zen Hei``, ...).
FAMILIES = {
    "kai": re.compile(r"kai|楷", re.IGNORECASE),
    "hei": re.compile(r"hei|黑|gothic|sans|yahei|bold|heavy|black", re.IGNORECASE),
    "song": re.compile(r"song|ming|宋|明|serif|shusong|times", re.IGNORECASE),
}
#: A band this share of the text's height at the top or foot of a page holds its furniture.
BAND = 0.06
#: A picture within this many ems of a line (above, beside or below) belongs with it.
NEAR_PICTURE = 2.5
#: A line ending within this many ems of its block's measure nearly fills it (a character pulled down with the
#: next line, as a closing mark may not start one).
NEARLY_FILLS = 2.2
#: Features of its neighbours a line sees (two before, two after).
CONTEXT = (
    "g_size_xl",
    "g_size_l",
    "g_size_m",
    "g_size_body",
    "g_size_s",
    "g_body_face",
    "g_kai",
    "g_hei",
    "g_block_first",
    "g_under_picture",
    "g_beside_picture",
    "g_coloured",
    "g_right",
    "g_centred",
    "g_single",
)


@dataclass(frozen=True)
class Placed:
    """A line in reading order, with the block it belongs to."""

    line: TextLine
    block: Block
    #: Its place in its block, from 0.
    row: int
    #: It opens a block that carries on the text of the block before (the next column of a story).
    flowed: bool
    #: It opens a block standing right under a rule or a picture: it carries on nothing above it.
    parted: bool


def placed_lines(layout: PageLayout) -> list[Placed]:
    """The page's lines in reading order."""
    return [
        Placed(
            line,
            block,
            row,
            row == 0 and number > 0 and layout.flows[number - 1],
            row == 0 and layout.parted[number] and not (number > 0 and layout.flows[number - 1]),
        )
        for number, block in enumerate(layout.blocks)
        for row, line in enumerate(block.lines)
    ]


def links(placed: Sequence[Placed]) -> list[float]:
    """For every line, whether the geometry says it carries on the line before (1), may (0.5) or does not (0): the
    next line of a block that is no paragraph's first, or the head of the next column of a story."""
    found = []
    for index, item in enumerate(placed):
        if index == 0:
            found.append(0.0)
        elif item.flowed:
            found.append(1.0)
        elif item.row == 0:
            found.append(0.0)
        else:
            before = placed[index - 1].line
            paragraph_start = item.block.indented(item.line) or not item.block.fills(before)
            found.append(0.0 if paragraph_start else 1.0 if len(item.block.lines) > 2 else 0.5)
    return found


def geometry_features(page: PageContent, placed: Sequence[Placed]) -> list[dict[str, float]]:
    """The geometry's features of every line, with a few of its neighbours' (prefixed ``-2:`` to ``+2:``)."""
    lines = [item.line for item in placed]
    if not lines:
        return []
    font, size = body_style(lines)
    weights = [line.weight for line in lines if line.font == font]
    body_weight = statistics.median(weights) if weights else 0
    columns = [
        item.block.measure[1] - item.block.measure[0]
        for item in placed
        if item.row == 0 and len(item.block.lines) >= 3 and item.block.font == font
    ]
    column = statistics.median(columns) if columns else page.width / 4
    top = max(line.y1 for line in lines)
    bottom = min(line.y0 for line in lines)
    height = max(top - bottom, 1.0)
    own = [
        _own(item, page, (font, size, body_weight), column, (top, bottom, height), links_)
        for item, links_ in zip(placed, links(placed), strict=True)
    ]
    rows = []
    for index, features in enumerate(own):
        row = dict(features)
        for offset in (-2, -1, 1, 2):
            if 0 <= index + offset < len(own):
                for name in CONTEXT:
                    if own[index + offset].get(name):
                        row[f"{offset:+d}:{name}"] = 1.0
            else:
                row[f"{offset:+d}:g_edge"] = 1.0
        rows.append(row)
    return rows


def _own(
    item: Placed,
    page: PageContent,
    body: tuple[str, float, float],
    column: float,
    extent: tuple[float, float, float],
    link: float,
) -> dict[str, float]:
    line, block = item.line, item.block
    font, size, weight = body
    ratio = line.size / size if size else 1.0
    em = line.size
    top, bottom, height = extent
    left, right = block.measure
    width = block.bbox[2] - block.bbox[0]
    single = len(block.lines) == 1
    found = {
        "g_size_xl": float(ratio >= 1.8),
        "g_size_l": float(1.3 <= ratio < 1.8),
        "g_size_m": float(1.06 <= ratio < 1.3),
        "g_size_body": float(0.96 <= ratio < 1.06),
        "g_size_s": float(ratio < 0.96),
        "g_size_ratio": min(ratio, 4.0),
        "g_body_face": float(line.font == font),
        "g_heavier": float(weight > 0 and line.weight > weight + 50),
        "g_coloured": float(line.coloured),
        "g_block_first": float(item.row == 0),
        "g_block_last": float(item.row == len(block.lines) - 1),
        "g_single": float(single),
        "g_two": float(len(block.lines) == 2),
        "g_many": float(len(block.lines) >= 4),
        "g_indented": float(block.indented(line)),
        "g_fills": float(not single and block.fills(line)),
        "g_nearly_fills": float(not single and line.x1 >= right - NEARLY_FILLS * em),
        "g_unclosed": float(_unclosed(line.text)),
        "g_centred": float(
            not single and abs((line.x0 + line.x1) / 2 - (left + right) / 2) < em and line.x0 > left + em / 2
        ),
        "g_right": float(not single and line.x0 > left + 2 * em and abs(line.x1 - right) < em),
        "g_spans": float(width > 1.5 * column),
        "g_narrow": float(width < 0.6 * column),
        "g_top": float(line.y1 >= top - BAND * height),
        "g_bottom": float(line.y0 <= bottom + BAND * height),
        "g_link": link,
        "g_flowed": float(item.flowed),
        "g_parted": float(item.parted),
    }
    for family, pattern in FAMILIES.items():
        found[f"g_{family}"] = float(bool(pattern.search(line.font)))
    found.update(_pictures(line, page.pictures))
    return found


def _unclosed(text: str) -> bool:
    """Whether a bracket opens in the line and does not close: the paragraph goes on (``本报讯(记者付凯`` / ``明)``)."""
    return sum(text.count(mark) for mark in "(（") > sum(text.count(mark) for mark in ")）")


def _pictures(line: TextLine, pictures: Sequence[Picture]) -> dict[str, float]:
    """Whether a picture stands right above the line, beside it, or right below it."""
    reach = NEAR_PICTURE * line.size
    found = {"g_under_picture": 0.0, "g_beside_picture": 0.0, "g_over_picture": 0.0}
    for picture in pictures:
        box = picture.bbox
        across = min(box[2], line.x1) - max(box[0], line.x0)
        if across > 0.5 * min(line.width, box[2] - box[0]):
            if 0 <= box[1] - line.y1 <= reach:
                found["g_under_picture"] = 1.0
            if 0 <= line.y0 - box[3] <= reach:
                found["g_over_picture"] = 1.0
        upright = min(box[3], line.y1) - max(box[1], line.y0)
        if upright > 0 and (0 <= line.x0 - box[2] <= reach or 0 <= box[0] - line.x1 <= reach):
            found["g_beside_picture"] = 1.0
    return found
