"""Cross-validation by paper over the corpus's tuned part: ``python -m tests.pages.crossval``.

The held-out part is four papers (52 articles): a small sample, and nobody may tune on it. Before a change to the
labeller's features or fit is kept, this measures it on more: the tuned papers (the bulletin's own excepted) in
``FOLDS`` folds, each fold's papers left out while the continuation models and the text labeller's CRFs are fitted
on every other tuned page (the bulletin's own pages always among them, as they always are in the shipped fit), then
read with those models. The PDF labeller is not refitted (its fit typesets every page: minutes more a fold), so the
PDF is not scored. The held-out papers never come near.

Prints each fold's figures and the whole: articles found with their right start and end, and the share of the gold
fields right (each extra article counting as one wrong field, as ``bulletin evaluate-parser`` counts them).
"""

import argparse
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from index import segment
from index.conventions import Conventions
from index.parse import MODELS, PageParser, ParserModels
from index.parser_evaluation import Tally, evaluate, load_corpus
from index.pdf.labels import MODEL_FILE as PDF_MODEL_FILE
from index.reading_order import ContinuationModels
from tests.pages.corpus import Page
from tests.pages.train import CONVENTIONS, PAGES, USERDICT, train_continuation, train_labeller, tuned_pages

#: Folds of the tuned papers, the bulletin's own (always fitted on) excepted.
FOLDS = 4
#: The bulletin's own pages: fitted on in every fold, never left out.
OWN_PAPER = "gxtt"
TEXTS = ("hand", "viewer", "pdfminer", "pdftotext", "pdftotext-layout")


def folds(pages: Sequence[Page], count: int = FOLDS) -> list[list[str]]:
    """The tuned papers other than the bulletin's, in the corpus's order, dealt into ``count`` folds of neighbours."""
    papers = list(dict.fromkeys(page.paper_slug for page in pages if page.paper_slug != OWN_PAPER))
    size = -(-len(papers) // count)
    return [papers[start : start + size] for start in range(0, len(papers), size)]


def fold_tallies(left_out: list[str], pages: Sequence[Page], conventions: Conventions) -> dict[str, Tally]:
    """Each text's tally over the pages of the ``left_out`` papers, read with models fitted on the other pages."""
    kept = [page for page in pages if page.paper_slug not in left_out]
    with tempfile.TemporaryDirectory(prefix="crossval-") as directory:
        models = Path(directory)
        shutil.copy(MODELS / PDF_MODEL_FILE, models)  # loaded with the others, never used here
        continuation = train_continuation(kept, conventions)
        (models / "continuation.json").write_text(json.dumps(continuation), encoding="utf-8")
        train_labeller(kept, conventions, ContinuationModels.load(models / "continuation.json"), models)
        parser = PageParser(conventions, USERDICT, models=ParserModels.load(models))
    held = {page.id for page in pages if page.paper_slug in left_out}
    gold = [page for page in load_corpus(PAGES) if page.id in held]
    report = evaluate(gold, parser.read, variants=set(TEXTS))
    return {text: report.total(None, text) for text in TEXTS}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.pages.crossval", description=__doc__.split("\n")[0])
    parser.parse_args()
    segment.initialize(USERDICT)
    conventions = Conventions.load(CONVENTIONS)
    pages = tuned_pages()
    totals = {text: Tally() for text in TEXTS}
    for left_out in folds(pages):
        tallies = fold_tallies(left_out, pages, conventions)
        for text, tally in tallies.items():
            totals[text].add(tally)
        figures = ", ".join(f"{text} {t.found}/{t.articles} {t.fields_right:.1%}" for text, t in tallies.items())
        print(f"{' '.join(left_out)}: {figures}", flush=True)
    for text, tally in totals.items():
        print(f"{text}: {tally.found}/{tally.articles} articles, {tally.fields_right:.1%} of the fields")


if __name__ == "__main__":
    main()
