"""What PDFium reads off a PDF: every glyph of every page with its font, size and place, and every picture large
enough to be a photo, already resized for phones. The reading child (``index.pdf.worker``) sends it to the parent as
JSON (never pickle: the child read a stranger's file); glyphs go as short lists, thousands to a page.

Coordinates are PDF points with the origin at the page's bottom-left corner, as PDF readers give them.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Font:
    #: The font's name without a subset prefix (``ABCDEF+``): ``FZShuSong-Z01``, ``WenQuanYiZenHei``.
    name: str
    #: Its weight when the font says (400 regular, 700 bold), else 0.
    weight: int = 0


@dataclass(frozen=True)
class Glyph:
    char: str
    #: Left and right of the glyph's advance, and its baseline.
    x0: float
    x1: float
    baseline: float
    size: float
    #: Index into the page's ``fonts``.
    font: int
    #: The character's place in the page's content (PDFium's index): what a program drew in one go is consecutive.
    order: int
    #: Filled in a colour, not black or grey (a red headline, a white label on a red band).
    coloured: bool = False


@dataclass(frozen=True)
class Picture:
    bbox: Box
    #: The picture as a JPEG no larger than phones need (``index.pdf.extract.PHOTO_SIDE``).
    jpeg: bytes


@dataclass(frozen=True)
class PageContent:
    #: The page's number in the file, from 1.
    number: int
    width: float
    height: float
    fonts: tuple[Font, ...]
    glyphs: tuple[Glyph, ...]
    pictures: tuple[Picture, ...]
    #: Thin lines drawn across or down the page: the rules that part one story from the next.
    rules: tuple[Box, ...] = ()


def pages_to_json(pages: Sequence[PageContent]) -> list[dict[str, Any]]:
    return [
        {
            "number": page.number,
            "width": page.width,
            "height": page.height,
            "fonts": [[font.name, font.weight] for font in page.fonts],
            "glyphs": [
                [
                    g.char,
                    round(g.x0, 2),
                    round(g.x1, 2),
                    round(g.baseline, 2),
                    round(g.size, 2),
                    g.font,
                    g.order,
                    g.coloured,
                ]
                for g in page.glyphs
            ],
            "pictures": [
                {
                    "bbox": list(picture.bbox),
                    "jpeg": base64.b64encode(picture.jpeg).decode("ascii"),
                }
                for picture in page.pictures
            ],
            "rules": [[round(value, 2) for value in rule] for rule in page.rules],
        }
        for page in pages
    ]


def pages_from_json(data: list[dict[str, Any]]) -> tuple[PageContent, ...]:
    """The pages the child sent (it is our own code's output: its shape is trusted, its text is not)."""
    return tuple(
        PageContent(
            number=int(page["number"]),
            width=float(page["width"]),
            height=float(page["height"]),
            fonts=tuple(Font(str(name), int(weight)) for name, weight in page["fonts"]),
            glyphs=tuple(
                Glyph(str(char), float(x0), float(x1), float(base), float(size), int(font), int(order), bool(colour))
                for char, x0, x1, base, size, font, order, colour in page["glyphs"]
            ),
            pictures=tuple(
                Picture(_box(picture["bbox"]), base64.b64decode(picture["jpeg"])) for picture in page["pictures"]
            ),
            rules=tuple(_box(rule) for rule in page["rules"]),
        )
        for page in data
    )


def _box(values: list[float]) -> Box:
    x0, y0, x1, y1 = (float(value) for value in values)
    return x0, y0, x1, y1
