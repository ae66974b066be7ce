"""A bulletin page as text copied off the printed page, turned into its articles.

The pipeline is small steps, each in its own module:

1. ``pieces``: each run of text of each line, with where it stood (a paragraph a line, lines broken at the column
   width, or side-by-side columns as ``pdftotext -layout`` keeps them);
2. ``reading_order``: which piece carries on which, scored by a model fitted on the page corpus, so interleaved and
   reordered columns read on again;
3. ``line_labels``: what every piece is (headline, byline, lead, body, caption, credit, ...), decided over the whole
   page by a CRF fitted on the corpus;
4. ``assemble``: a small grammar from labelled elements to articles; ``headlines`` gives heads set apart from their
   story back to it by content;
5. fields: people from the credits (``credits``), the event date and made-up titles (``parse_fields``).

The models are data (``index/models``, refitted by ``make train-parser``); the paper's conventions (lead markers, role
words, column names) are data in ``config/conventions.toml``. A page where no article is found is refused.
"""

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from os import PathLike
from pathlib import Path

from index import segment
from index.article import Article, Kind
from index.assemble import Draft, Element, all_elements, assemble, elements
from index.conventions import Conventions
from index.decode import decode_issue
from index.errors import UNREADABLE, IssueError
from index.headlines import pair_heads, run_together
from index.line_labels import Labeller, PieceLabel
from index.parse_fields import event_date, title_from
from index.pdf.labels import PdfLabeller
from index.pdf.limits import PdfLimits
from index.pdf.read import read_pdf
from index.pieces import split_pieces
from index.reading import ArticleReading, Label, PageReading, ReadLine
from index.reading_order import ContinuationModels, read_order

#: The parser's fitted models, shipped with the code.
MODELS = Path(__file__).resolve().parent / "models"
_DECK_DASHES = re.compile(r"^[—–\-─]+\s*")


@dataclass(frozen=True)
class ParserModels:
    continuation: ContinuationModels
    labeller: Labeller
    pdf_labeller: PdfLabeller

    @classmethod
    def load(cls, directory: Path = MODELS) -> "ParserModels":
        return cls(
            ContinuationModels.load(directory / "continuation.json"), Labeller(directory), PdfLabeller(directory)
        )


class PageParser:
    """Reads pages with the paper's conventions and the fitted models (loaded once: building one costs ~50 ms); a
    page PDF within ``pdf_limits``.

    ``userdict`` is the segmenter's user dictionary (``USER_DICT``): whether a word runs across two pieces is
    evidence that they are one line broken, and the district's own words (山阳路) are words only with it.
    """

    def __init__(
        self,
        conventions: Conventions,
        userdict: str | PathLike[str],
        models: ParserModels | None = None,
        pdf_limits: PdfLimits | None = None,
    ) -> None:
        segment.initialize(userdict)
        self.conventions = conventions
        self.models = models or ParserModels.load()
        self.pdf_limits = pdf_limits or PdfLimits()
        self._lock = threading.Lock()  # the CRF taggers keep state between calls

    def read(self, text: str, issue_date: date) -> PageReading:
        """The page's articles in page order, numbered from 1, with the parser's reading of each."""
        pieces = split_pieces(text)
        order = read_order(pieces, self.models.continuation, self.conventions)
        with self._lock:
            labels = self.models.labeller.label(order, self.conventions)
        return self.read_elements(elements(order, labels), issue_date, credits_by_captions=not order.wrapped)

    def read_pdf(self, data: bytes, issue_date: date) -> PageReading:
        """The articles of a page PDF (one or several pages), with their photos (``index.pdf``)."""
        return read_pdf(data, issue_date, self, self._label_pdf_page, self.pdf_limits)

    def _label_pdf_page(self, features: list[dict[str, float]]) -> list[PieceLabel]:
        with self._lock:
            return self.models.pdf_labeller.label(features)

    def read_elements(
        self, items: Sequence[Element], issue_date: date, *, credits_by_captions: bool = False, placed: bool = False
    ) -> PageReading:
        """The articles that labelled elements (in reading order) make: the grammar, heads by content, fields.

        The text parser's last steps, open to any reader that labels a page's elements another way (and to tests).
        ``credits_by_captions``: whether every photo's credit is known to stand by its caption (``assemble``).
        ``placed``: the elements' order comes from the page's geometry (a PDF), so heads right above an article are
        its own (``index.headlines.pair_heads``).
        """
        page = assemble(items, self.conventions, credits_by_captions=credits_by_captions)
        parted = run_together(page)
        if parted:  # two stories read as one: assembled again, the second's first paragraph opening its own
            items = [replace(element, opens=True) if id(element.pieces[0]) in parted else element for element in items]
            page = assemble(items, self.conventions, credits_by_captions=credits_by_captions)
        pair_heads(page, placed=placed)
        drafts = [draft for draft in page.drafts if draft.paragraphs]
        if not drafts:
            raise IssueError(
                "no article found: nothing in the text reads as a story, a photo caption or a brief",
                code=UNREADABLE,
            )
        articles = tuple(_article(draft, ordinal, issue_date) for ordinal, draft in enumerate(drafts, 1))
        readings = tuple(ArticleReading(draft.confidence, _lines(_draft_elements(draft))) for draft in drafts)
        taken = {id(element) for draft in drafts for element in _draft_elements(draft)}
        unused = _lines([element for element in all_elements(page) if id(element) not in taken])
        return PageReading(articles, readings, unused)


def _article(draft: Draft, ordinal: int, issue_date: date) -> Article:
    heads = draft.heads
    headline = heads.text(Label.HEADLINE) if heads else ""
    kicker = heads.text(Label.KICKER) if heads else ""
    deck = _DECK_DASHES.sub("", heads.text(Label.DECK)) if heads else ""
    title = headline or draft.title or title_from(draft.paragraphs[0])
    return Article(
        issue_date=issue_date,
        ordinal=ordinal,
        title=title,
        kicker=kicker,
        subtitle=deck,
        kind=draft.kind,
        body="\n".join(draft.paragraphs),
        reporters=draft.credit.reporters if draft.kind is not Kind.PHOTO else (),
        correspondents=draft.credit.correspondents if draft.kind is not Kind.PHOTO else (),
        photographer=draft.credit.photographer,
        event_date=event_date(draft.lead or draft.paragraphs[0], issue_date),
    )


def _draft_elements(draft: Draft) -> list[Element]:
    heads = draft.heads.elements if draft.heads else []
    return [*heads, *draft.elements]


def _lines(items: list[Element]) -> tuple[ReadLine, ...]:
    return tuple(ReadLine(piece.line, element.label, piece.text) for element in items for piece in element.pieces)


def parse_issue(data: bytes, issue_date: date, parser: PageParser) -> list[Article]:
    """The articles of an uploaded issue file (``bytes``); IssueError when it is not a readable issue."""
    return list(parser.read(decode_issue(data), issue_date).articles)
