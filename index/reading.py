"""What the parser read on a page, beside the articles it made: how sure it is of each, and the label of every line.

The parser is never perfect, so the editors' desk shows this next to the preview: an article read with low
confidence, and the label each of its lines got (headline, byline, body, caption, ...), tell an editor why a split
happened and where to fix it.
"""

from dataclasses import dataclass
from enum import StrEnum

from index.article import Article
from index.photos import Photo


class Label(StrEnum):
    """What a line of a printed page is. The page corpus (``tests/pages/FORMAT.md``) uses the same names."""

    FURNITURE = "furniture"
    KICKER = "kicker"
    HEADLINE = "headline"
    DECK = "deck"
    BYLINE = "byline"
    LEAD = "lead"
    BODY = "body"
    END_CREDIT = "end_credit"
    CAPTION = "caption"
    CREDIT = "credit"
    COLUMN = "column"
    BRIEF_TITLE = "brief_title"
    BRIEF = "brief"


@dataclass(frozen=True)
class ReadLine:
    #: 1-based line of the source text.
    number: int
    label: Label
    text: str


@dataclass(frozen=True)
class ArticleReading:
    #: 0 to 1: how sure the parser is that the article starts and ends where it says and holds the right fields.
    confidence: float
    #: The source lines that made the article, with their labels, in the order read.
    lines: tuple[ReadLine, ...] = ()


#: Below this confidence the desk flags an article for an editor's look.
LOW_CONFIDENCE = 0.8


@dataclass(frozen=True)
class PageReading:
    """The articles of a page in order, a reading for each, the lines no article took (furniture), and the photos
    the articles name (a PDF's pictures beside their captions)."""

    articles: tuple[Article, ...]
    readings: tuple[ArticleReading, ...]
    unused: tuple[ReadLine, ...] = ()
    photos: tuple[Photo, ...] = ()
