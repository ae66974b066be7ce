"""What every line of a PDF page is: a linear-chain CRF over the page's lines in reading order.

The text parser's labeller (``index.line_labels``) guesses a headline from a short line without a full stop; in a
PDF the page says it: a line set at twice the body size in a heavy face is a headline. So this CRF weighs the
geometry's features (``index.pdf.features``) beside the text's own (the same ``piece_features`` the text parser
uses: markers, credit shapes, punctuation), and labels each line ``<role>`` or ``<role>+`` (carrying on the
element of the line before: a paragraph or a headline broken over lines) as the text CRFs do, so the grammar that
makes articles (``index.assemble``) takes its output unchanged. Fitted on the page corpus's tuned pages typeset as
PDFs (``tests/pages/train.py``), stored in ``index/models/labels-pdf.crfsuite``.
"""

from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from index.conventions import Conventions
from index.line_labels import PieceLabel, parse_label_name, piece_features
from index.pdf.content import PageContent
from index.pdf.features import Placed, geometry_features
from index.reading_order import ReadingOrder

MODEL_FILE = "labels-pdf.crfsuite"


def line_features(
    order: ReadingOrder, placed: Sequence[Placed], page: PageContent, conventions: Conventions
) -> list[dict[str, float]]:
    """Every line's features: the text's (as the text labeller sees a piece) and the geometry's."""
    rows = piece_features(order, conventions)
    for row, geometry in zip(rows, geometry_features(page, placed), strict=True):
        row.update(geometry)
    return rows


class PdfLabeller:
    """The PDF CRF, loaded once; ``label`` tags a page's lines (not thread-safe: the parser holds a lock)."""

    def __init__(self, directory: str | Path) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(Path(directory) / MODEL_FILE))

    def label(self, features: list[dict[str, float]]) -> list[PieceLabel]:
        if not features:
            return []
        names = self._tagger.tag(features)
        labels = []
        for index, name in enumerate(names):
            label, carried = parse_label_name(name)
            labels.append(PieceLabel(label, carried, self._tagger.marginal(name, index)))
        return labels
