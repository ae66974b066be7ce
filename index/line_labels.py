"""What each piece of a page is, decided over the whole page: a linear-chain CRF over the pieces in reading order.

Every piece gets a label ``<role>`` or ``<role>+`` (the role's ``Label`` name; ``+`` when it carries on the element of
the piece before it, a paragraph or headline broken over lines). So which line is a headline and where a broken
paragraph ends are decided together, with everything around them: a deck follows a headline, a credit ends a
caption, a brief follows a column label. The features are small functions of a piece and its neighbours (markers,
shape, width against its column, the link that put it after the piece before); the weights are fitted on the page
corpus's tuned part (``tests/pages/train.py``) and stored in ``index/models/labels.crfsuite``.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from index.conventions import Conventions
from index.credits import split_inline_credit
from index.numerals import with_arabic_dates
from index.pieces import Piece
from index.reading import Label
from index.reading_order import CLAUSE_END, CLOSERS, NO_START, SENTENCE_END, ReadingOrder, column_widths

#: A headline is rarely longer than this (in full-width characters); a longer line without a full stop is text.
HEADLINE_MAX = 48
#: The mark of a label carrying on the element before it.
CARRIED = "+"
_MONTH_DAY = r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
_DATE = re.compile(rf"\d{{1,4}}\s*年|{_MONTH_DAY}")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")
_PAGE = re.compile(r"第?\s*[A-Za-z]?\d{1,3}\s*版|[A-Z]\d{1,2}$|^\d{3,5}版")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z .,&'-]+$")
_BRACKETED = re.compile(r"^[(（].*[)）]$")
_DASH_START = re.compile(r"^[—–\-─]{1,3}")
_DIGITS = re.compile(r"\d")
#: A date at the very start (after a caption's mark; Chinese numerals read as digits): how a photo's caption opens,
#: and many leads.
_DATE_OPENING = re.compile(rf"\s*(?:\d{{4}}\s*年\s*)?{_MONTH_DAY}")
#: A subhead numbered in a story's own order (一、 （二） 3.): part of the story, not a new one.
_ENUMERATED = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.、．](?!\d))"
)


@dataclass(frozen=True)
class PieceLabel:
    label: Label
    #: Whether the piece carries on the element of the piece before it.
    carried: bool
    #: The CRF's marginal probability of the label it chose.
    confidence: float


def label_name(label: Label, carried: bool) -> str:
    return f"{label.value}{CARRIED if carried else ''}"


def parse_label_name(name: str) -> tuple[Label, bool]:
    return Label(name.removesuffix(CARRIED)), name.endswith(CARRIED)


def piece_features(order: ReadingOrder, conventions: Conventions) -> list[dict[str, float]]:
    """The features of every piece of ``order`` (its own, and a few of its neighbours', prefixed)."""
    pieces = order.pieces
    widths = column_widths(sorted(pieces, key=lambda piece: piece.order))
    width_of = {piece.order: width for piece, width in zip(sorted(pieces, key=lambda p: p.order), widths, strict=True)}
    own = [
        _own_features(piece, width_of[piece.order], conventions, index / max(1, len(pieces) - 1))
        for index, piece in enumerate(pieces)
    ]
    rows = []
    for index, piece in enumerate(pieces):
        row = dict(own[index])
        if not order.wrapped:  # a paragraph a line: shape says more than in a text broken at every column's width
            row.update({f"whole:{name}": own[index][name] for name in _SHAPE_FEATURES if own[index].get(name)})
        link = order.links[index]
        row["link"] = link
        row["linked"] = float(link > 0)
        if index:
            before = pieces[index - 1]
            row["same_width_as_before"] = float(abs(before.width - piece.width) <= 1.0)
            row["wider_than_before"] = float(piece.width > before.width + 1.0)
            row["narrower_than_before"] = float(piece.width < before.width - 1.0)
        for offset in (-2, -1, 1, 2):
            if 0 <= index + offset < len(pieces):
                for name in _CONTEXT_FEATURES:
                    value = own[index + offset].get(name)
                    if value:
                        row[f"{offset:+d}:{name}"] = value
                if offset == 1:
                    row["+1:link"] = order.links[index + 1]
            else:
                row[f"{offset:+d}:edge"] = 1.0
        rows.append(row)
    return rows


#: The features of shape, weighed apart in a text copied a paragraph a line (there a short line without a full stop
#: is a headline; in a text broken at the columns' width, body lines look so too).
_SHAPE_FEATURES = (
    "short",
    "very_short",
    "headline_shape",
    "sentence_end",
    "long",
    "width",
    "many_sentences",
    "very_long",
)
#: The features of a piece that its neighbours see too.
_CONTEXT_FEATURES = (
    "lead",
    "inline_credit",
    "credit",
    "photo_credit",
    "caption_opening",
    "column_label",
    "furniture",
    "short",
    "sentence_end",
    "fills_column",
    "deck_dash",
    "bracketed",
    "date_line",
    "headline_shape",
)


def _own_features(piece: Piece, width: float, conventions: Conventions, position: float) -> dict[str, float]:
    text = piece.text
    tail = text.rstrip(CLOSERS)
    sentence_end = bool(tail) and tail[-1] in SENTENCE_END
    inside_end = any(ch in "。！？；" for ch in tail[:-1])
    sentences = sum(ch in SENTENCE_END for ch in tail) + (not sentence_end and bool(tail))
    short = piece.width <= 12
    opening = conventions.caption_opening.match(text)
    found: dict[str, float] = {
        "bias": 1.0,
        "width": min(piece.width, 60.0) / 10.0,
        "short": float(short),
        "very_short": float(piece.width <= 5),
        "long": float(piece.width > 40),
        # A caption says what one picture shows in a sentence or two; a story's paragraph runs on (on the corpus's
        # tuned pages 2 of 40 captions hold three sentences and none is longer than 110 characters; a quarter of
        # the body paragraphs are either). Without them a run of dated paragraphs read as captions.
        "many_sentences": float(sentences >= 3),
        "very_long": float(piece.width > 110),
        "fills_column": float(piece.width >= width - 1.5),
        "column_width": min(width, 60.0) / 10.0,
        "sentence_end": float(sentence_end),
        "inside_sentence_end": float(inside_end),
        "clause_end": float(text[-1] in CLAUSE_END),
        "no_start": float(text[0] in NO_START),
        "opens_quote": float(text[0] in "“‘「"),
        "headline_shape": float(
            piece.width <= HEADLINE_MAX and not sentence_end and not inside_end and text[-1] not in CLAUSE_END
        ),
        "lead": float(bool(conventions.lead.match(text))),
        "credit": float(bool(conventions.credit.match(text))),
        "photo_credit": float(bool(conventions.credit.match(text)) and bool(conventions.photo_credit.search(text))),
        "text_and_photo": float(bool(conventions.text_and_photo_mark.search(text))),
        "role_word": float(bool(re.search(conventions.role_words, text))),
        "caption_opening": float(bool(conventions.caption_opening.match(text))),
        "inline_credit": float(split_inline_credit(text, conventions) is not None),
        "column_label": float(bool(conventions.column_label.match(text))),
        "brief_column": float(bool(conventions.brief_column.search(text)) and piece.width <= 10),
        "editor_line": float(bool(conventions.editor_line.search(text))),
        "jump_line": float(bool(conventions.jump_line.match(text))),
        "furniture_word": float(bool(conventions.furniture_word.search(text))),
        "masthead": float(bool(conventions.masthead.match(text))),
        "date_line": float(bool(_DATE.search(text)) and bool(_WEEKDAY.search(text))),
        "page_label": float(bool(_PAGE.search(text)) and piece.width <= 16),
        "latin_line": float(bool(_LATIN.match(text))),
        "bracketed": float(bool(_BRACKETED.match(text))),
        "deck_dash": float(bool(_DASH_START.match(text))),
        "enumerated": float(bool(_ENUMERATED.match(text))),
        "digits": float(bool(_DIGITS.search(text))),
        "date_opening": float(bool(_DATE_OPENING.match(with_arabic_dates(text), opening.end() if opening else 0))),
        "mark_start": float(text[0] in "".join(conventions.marks)),
        "indented": float(piece.x >= 2 and not piece.layout),
        "after_blank": float(piece.after_blank),
        "shares_line": float(piece.shares_line),
        "top": float(position < 0.08),
        "bottom": float(position > 0.92),
    }
    found["furniture"] = max(found["editor_line"], found["jump_line"], found["date_line"], found["page_label"])
    return found


#: The model file of each text shape: broken at the columns' width (a tool's output), or a paragraph a line.
MODEL_FILES = {True: "labels-wrapped.crfsuite", False: "labels-whole.crfsuite"}


class Labeller:
    """The CRFs, loaded once; ``label`` tags the pieces of a page in reading order.

    A text broken at its columns' width and a text copied a paragraph a line are two different regimes (in one a
    short line is a column's last line, in the other a headline), so each has a CRF of its own, fitted on texts of
    its shape.
    """

    def __init__(self, directory: str | Path) -> None:
        self._taggers = {}
        for wrapped, name in MODEL_FILES.items():
            tagger = pycrfsuite.Tagger()
            tagger.open(str(Path(directory) / name))
            self._taggers[wrapped] = tagger

    def label(self, order: ReadingOrder, conventions: Conventions) -> list[PieceLabel]:
        if not order.pieces:
            return []
        tagger = self._taggers[order.wrapped]
        names = tagger.tag(piece_features(order, conventions))
        labels = []
        for index, name in enumerate(names):
            label, carried = parse_label_name(name)
            labels.append(PieceLabel(label, carried, tagger.marginal(name, index)))
        return labels
