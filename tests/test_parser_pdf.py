"""The PDF reader against the page corpus typeset as page PDFs, and its parts on small inputs.

The floors are the figures `bulletin evaluate-parser --variant pdf` gave when the PDF labeller was last fitted,
rounded down (issue 15 asks every article found with its right start and end, 99 % of the gold fields right and
every photo attached to its caption's article). The PDFs are typeset once per test session (a few seconds,
deterministic): ``tests/pages/pdfs.py``.
"""

from pathlib import Path

import pytest

from index import parser_evaluation
from tests.helpers import PARSER
from tests.pages.pdfs import write_pdfs

CORPUS = Path(__file__).resolve().parent / "pages"

#: ``split -> (articles found at least, share of gold fields right at least, pictures attached at least)``.
FLOORS = {"tune": (208, 0.995, 40), "holdout": (52, 0.99, 9)}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pdf")
    write_pdfs(directory)
    pages = parser_evaluation.load_corpus(CORPUS, pdfs=directory)
    return parser_evaluation.evaluate(pages, PARSER.read, variants={"pdf"}, parse_pdf=PARSER.read_pdf)


@pytest.mark.parametrize("split", list(FLOORS))
def test_the_pdf_reader_keeps_its_figures_on_the_page_corpus(report, split):
    found, fields, attached = FLOORS[split]
    tally = report.total(split, "pdf")
    assert tally.articles == found and tally.pictures == attached, "the corpus changed: refit and update the floors"
    assert tally.found >= found and tally.fields_right >= fields and tally.attached >= attached, tally.to_json()
