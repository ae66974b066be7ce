"""A page PDF to articles: the whole of ``index.pdf``, step by step (see the package's docstring).

Each page is read on its own (its lines, blocks, reading order and labels) and the pages' elements go through the
text parser's grammar together, in page order, so a multi-page file is one issue. Pictures are given to the articles
of the captions printed under or beside them. A file with no text to read (a scan, or a text layer whose font has no
character map) is refused with one line.
"""

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from index.article import Kind
from index.assemble import Element, elements
from index.conventions import HAN, Conventions
from index.credits import split_inline_credit
from index.errors import IssueError
from index.line_labels import PieceLabel
from index.pdf.content import PageContent, Picture
from index.pdf.features import Placed, links, placed_lines
from index.pdf.labels import line_features
from index.pdf.layout import lay_out
from index.pdf.limits import PdfLimits
from index.pdf.lines import page_lines
from index.pdf.sandbox import read_pages
from index.photos import Photo, photo_name
from index.pieces import Piece
from index.reading import Label, PageReading
from index.reading_order import ReadingOrder, join

#: Fewer characters than this over the whole file: no text layer (a scan, or pictures of text).
MIN_TEXT = 20
#: More than this share of characters a font maps to nothing readable: a text layer that cannot be read.
MAX_UNREADABLE = 0.3
#: A caption's picture stands at most this many ems from it (above it, or beside it).
CAPTION_REACH = 3.0
#: The lines that say what a picture shows and who took it.
PICTURE_LABELS = (Label.CAPTION, Label.CREDIT)
#: The labels of credits, whose words are parted by spaces.
CREDITS = (Label.BYLINE, Label.END_CREDIT, Label.CREDIT)
#: A line opening with a name padded to three characters (``胡 彦``).
_PADDED_START = re.compile(rf"^{HAN}[ \u3000]{HAN}(?!{HAN})")


class ElementReader(Protocol):
    """What turns labelled elements into articles (``index.parse.PageParser``)."""

    conventions: Conventions

    def read_elements(self, items: Sequence[Element], issue_date: date, *, placed: bool = False) -> PageReading: ...


@dataclass(frozen=True)
class PageSequence:
    """One page's lines in reading order, as the labeller and the grammar take them."""

    page: PageContent
    placed: tuple[Placed, ...]
    #: The lines as the text parser's pieces (numbered over the whole file), and the geometry's links.
    order: ReadingOrder


def page_sequence(page: PageContent, first_line: int) -> PageSequence:
    """The page's lines in reading order; the first is line ``first_line`` of the file."""
    separators = [*page.rules, *(picture.bbox for picture in page.pictures)]
    placed = tuple(placed_lines(lay_out(page_lines(page), separators)))
    pieces = tuple(
        Piece(
            text=item.line.text,
            line=first_line + index,
            x=2 if item.row == 0 and item.block.indented(item.line) else 0,
            after_blank=item.row == 0,
            order=index,
        )
        for index, item in enumerate(placed)
    )
    return PageSequence(page, placed, ReadingOrder(pieces, tuple(links(placed)), wrapped=True))


#: Labels a page's lines from their features (``PdfLabeller.label``, under the parser's lock).
LabelPage = Callable[[list[dict[str, float]]], list[PieceLabel]]


def read_pdf(data: bytes, issue_date: date, reader: ElementReader, label: LabelPage, limits: PdfLimits) -> PageReading:
    """The articles of the PDF in ``data``, their readings and their photos; ``IssueError`` when it is refused."""
    pages = read_pages(data, limits)
    check_text(pages)
    sequences: list[PageSequence] = []
    for page in pages:
        first = sequences[-1].order.pieces[-1].line + 1 if sequences and sequences[-1].order.pieces else 1
        sequences.append(page_sequence(page, first))
    items: list[Element] = []
    for sequence in sequences:
        labels = label(line_features(sequence.order, sequence.placed, sequence.page, reader.conventions))
        items += page_elements(sequence, labels, reader.conventions)
    reading = reader.read_elements(items, issue_date, placed=True)
    return with_photos(reading, sequences)


def page_elements(sequence: PageSequence, labels: Sequence[PieceLabel], conventions: Conventions) -> list[Element]:
    """The page's labelled elements: the labeller decides what carries on what (the geometry's links are among its
    features, not forced on it); an element that opens under a rule or a picture carries on nothing before it."""
    order = sequence.order
    parted = {piece.line for piece, item in zip(order.pieces, sequence.placed, strict=True) if item.parted}
    found = []
    for element in elements(replace(order, links=(0.0,) * len(order.pieces)), labels):
        opened = replace(element, opens=True) if element.pieces[0].line in parted else element
        found += _credit_apart(_credit_spaced(opened, conventions), conventions)
    return found


def _credit_spaced(element: Element, conventions: Conventions) -> Element:
    """A credit broken over lines, with the space back where print broke it between words: after a role word
    (``本报记者`` / ``胡 彦``) or before a name padded to three (``… 记者`` / ``王 磊``). Lines of running text join
    without one, as Chinese does."""
    if element.label not in CREDITS or len(element.pieces) < 2:
        return element
    role_end = re.compile(rf"(?:{conventions.role_words})$")
    spaced = [
        replace(piece, text=f"{piece.text} ")
        if role_end.search(piece.text) or _PADDED_START.match(following.text)
        else piece
        for piece, following in zip(element.pieces, element.pieces[1:], strict=False)
    ]
    return replace(element, pieces=(*spaced, element.pieces[-1]))


def _credit_apart(element: Element, conventions: Conventions) -> list[Element]:
    """A caption whose last lines are its credit, as the caption and a credit: print drops the space before an
    inline credit that starts a line (``…持续到11月上旬`` / ``汀州晚报记者 孙 苒`` / ``摄``), so the caption's
    text alone cannot show where the credit starts. The lines are taken apart only where no credit read from the
    text starts earlier (``…每周一节。本报记者`` / ``施文韬 摄`` stays whole: its credit starts after the 。)."""
    pieces = element.pieces
    if element.label is not Label.CAPTION or len(pieces) < 2:
        return [element]
    inline = split_inline_credit(join(pieces), conventions)
    inline_start = len(inline[0]) if inline is not None else None
    for cut in range(1, len(pieces)):
        if inline_start is not None and len(join(pieces[:cut])) > inline_start:
            break
        if _whole_credit(join(pieces[cut:]), conventions):
            return [replace(element, pieces=pieces[:cut]), Element(Label.CREDIT, pieces[cut:], element.confidence)]
    return [element]


def _whole_credit(text: str, conventions: Conventions) -> bool:
    """Whether ``text`` is a photo credit and nothing else: role words, a paper's name, names of at most four
    characters (or padded ones) and 摄; a role word or a space among them."""
    found = split_inline_credit(f" {text}", conventions)
    if found is None or found[0].strip() or not found[1].photographers:
        return False
    paper = "|".join(re.escape(ending) for ending in conventions.masthead_endings)
    rest = re.sub(rf"(?:{HAN}{{1,6}}?(?:{paper})[/／]?)*(?:{conventions.role_words})", " ", text)
    photo = "|".join(re.escape(word) for word in conventions.photo)
    rest = re.sub(rf"(?:{photo})\s*[)）]?\s*$", " ", rest).strip(" ()（）" + "".join(conventions.marks))
    names = [token for token in re.split(r"[\s、,，/／]+", rest) if token]
    spaced = bool(re.search(conventions.role_words, text)) or " " in text.strip()
    return spaced and all(re.fullmatch(rf"{HAN}{{1,4}}", token) for token in names)


def check_text(pages: Sequence[PageContent]) -> None:
    glyphs = [glyph.char for page in pages for glyph in page.glyphs]
    if len(glyphs) < MIN_TEXT:
        raise IssueError(
            "the PDF has no text layer (a scan?): export the page from the layout program, or upload its text",
            code="pdf_no_text",
        )
    unreadable = sum(_unreadable(char) for char in glyphs)
    if unreadable > MAX_UNREADABLE * len(glyphs):
        raise IssueError(
            "the PDF's text cannot be read (its fonts map characters to nothing): export it again with the fonts' "
            "character maps, or upload its text",
            code="pdf_unreadable_text",
        )


def _unreadable(char: str) -> bool:
    return char == "\ufffd" or unicodedata.category(char) in ("Co", "Cc", "Cn", "Cs")


def with_photos(reading: PageReading, sequences: Sequence[PageSequence]) -> PageReading:
    """The reading with each picture given to the article of the caption under or beside it (the nearest caption
    or photo credit, or the nearest line of a photo article; one picture an article), and the photos those articles
    name."""
    where: dict[int, tuple[Placed, int]] = {}  # line number -> the line and its page's index
    for page_index, sequence in enumerate(sequences):
        for piece, item in zip(sequence.order.pieces, sequence.placed, strict=True):
            where[piece.line] = (item, page_index)
    captions = [
        (article, where[line.number])
        for article, (parsed, article_reading) in enumerate(zip(reading.articles, reading.readings, strict=True))
        for line in article_reading.lines
        if line.number in where and (line.label in PICTURE_LABELS or parsed.kind is Kind.PHOTO)
    ]
    pictures = [(page_index, picture) for page_index, s in enumerate(sequences) for picture in s.page.pictures]
    options = []
    for number, (page_index, picture) in enumerate(pictures, 1):
        for article, (item, caption_page) in captions:
            distance = _distance(picture, item) if caption_page == page_index else None
            if distance is not None:
                options.append((distance, number, article))
    given: dict[int, int] = {}  # article -> picture number
    taken: set[int] = set()
    for _, number, article in sorted(options):
        if number not in taken and article not in given:
            given[article] = number
            taken.add(number)
    articles = tuple(
        replace(article, photo=photo_name(given[index])) if index in given else article
        for index, article in enumerate(reading.articles)
    )
    photos = tuple(
        Photo(photo_name(number), picture.jpeg, sequences[page_index].page.number, picture.bbox)
        for number in sorted(taken)
        for page_index, picture in [pictures[number - 1]]
    )
    return PageReading(articles, reading.readings, reading.unused, photos)


def _distance(picture: Picture, item: Placed) -> float | None:
    """How far a caption line stands from a picture it may describe (under it or beside it), in ems; ``None`` when
    it stands elsewhere."""
    box, line = picture.bbox, item.line
    em = line.size
    across = min(box[2], line.x1) - max(box[0], line.x0)
    if across > 0.5 * min(line.width, box[2] - box[0]) and box[1] >= line.y1 - em:
        gap = (box[1] - line.y1) / em
        return gap if gap <= CAPTION_REACH else None
    upright = min(box[3], line.y1) - max(box[1], line.y0)
    if upright > 0:
        gap = max(line.x0 - box[2], box[0] - line.x1) / em
        return gap if -0.5 <= gap <= CAPTION_REACH else None
    return None
