"""Fit the parser's models on the page corpus's tuned part: ``python -m tests.pages.train`` (``make train-parser``).

The held-out pages never reach here. Each model is written to ``index/models/`` with the figures of its fit, and the
parser reads it from there; the corpus's labelled lines are its training data:

- ``continuation.json``: which piece of an extracted text carries on which (``index.reading_order``). Every piece is
  traced back to the printed part it came from and where in it; a piece continues another exactly when it starts in
  the same part where the other ends. Candidate pairs are those the parser weighs (``candidate_pairs``), fitted as
  gradient-boosted trees (scikit-learn), which the parser walks in plain Python (``index.trees``).
- ``labels-wrapped.crfsuite``, ``labels-whole.crfsuite``: the text labeller's CRFs (``index.line_labels``).
- ``labels-pdf.crfsuite``: the PDF labeller's CRF (``index.pdf.labels``), fitted on the tuned pages typeset as PDFs
  (``tests.pages.typeset``) and read as the parser reads an upload (without its sandbox: the files are our own).
  Each line is labelled from the typesetter's own record of what it drew where (``pdf_labels``).
"""

import argparse
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite
from sklearn.ensemble import GradientBoostingClassifier

from index import segment
from index.conventions import Conventions
from index.line_labels import CARRIED, MODEL_FILES, piece_features
from index.parse import MODELS
from index.pdf.extract import read_pdf_pages
from index.pdf.labels import MODEL_FILE as PDF_MODEL_FILE
from index.pdf.labels import line_features
from index.pdf.limits import PdfLimits
from index.pdf.read import PageSequence, page_sequence
from index.pieces import Piece, split_pieces
from index.reading import Label
from index.reading_order import (
    WHOLE_FEATURES,
    ContinuationModels,
    candidate_pairs,
    page_context,
    pair_features,
    read_order,
)
from tests.pages.build import ALL_VARIANTS as VARIANTS
from tests.pages.corpus import Block, Page, hand_text, load_page
from tests.pages.extract import part_of, squeeze
from tests.pages.labels import align_lines
from tests.pages.typeset import Geometry, typeset

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "pages"
CONVENTIONS = ROOT / "config" / "conventions.toml"
USERDICT = ROOT / "config" / "userdict.txt"
#: The labels a piece may have (the corpus's roles).
ROLE_NAMES = frozenset(label.value for label in Label)
#: Rearranged copies of every tuned page the paragraph-a-line labeller also learns from, and the share of stories
#: cut to their lead in them.
REARRANGED = 4
CUT_SHARE = 0.3
#: Boosting's learning rate.
LEARNING_RATE = 0.1
#: L2 penalty of the logistic fit.
L2 = 1.0
#: One negative pair in this many is kept for the fit (pairs that are no link outnumber links 75 to 1).
NEGATIVE_STRIDE = 5


@dataclass(frozen=True)
class Traced:
    """A piece and where its text came from: (part, start, end) in whitespace-free characters, or None."""

    piece: Piece
    part: int | None
    start: int
    end: int
    #: The role of the part its first character came from (``?`` when the page does not hold it).
    role: str = "?"


def tuned_pages() -> list[Page]:
    pages = [load_page(path) for path in sorted((PAGES / "src").glob("*.json"))]
    return [page for page in pages if page.split == "tune"]


def traced_pieces(page: Page, text: str) -> list[Traced]:
    """The text's pieces, each traced to the part its first character came from and the span it covers there."""
    pieces = split_pieces(text)
    traced = []
    for piece, labels in zip(pieces, align_lines(page, [piece.text for piece in pieces]), strict=True):
        first, last = labels[0], labels[-1]
        if first.part is None or first.offset is None or last.offset is None or first.part != last.part:
            traced.append(Traced(piece, None, 0, 0, first.role))
            continue
        end = last.offset + len("".join(last.text.split()))
        traced.append(Traced(piece, first.part, first.offset, end, first.role))
    return traced


def continuation_pairs(pages: Sequence[Page], conventions: Conventions) -> Iterator[tuple[dict[str, float], int]]:
    """Every pair the parser weighs in the ``pages``' texts: its features, and 1 if they were printed as one run."""
    for page in pages:
        for variant in VARIANTS:
            text = (PAGES / "text" / f"{page.id}.{variant}.txt").read_text(encoding="utf-8")
            traced = traced_pieces(page, text)
            pieces = [item.piece for item in traced]
            context = page_context(pieces, conventions)
            for a, b in candidate_pairs(pieces, context):
                yield pair_features(pieces[a], pieces[b], context), int(_continues(traced[a], traced[b]))


def _continues(a: Traced, b: Traced) -> bool:
    """Whether ``b``'s text starts in the part where ``a``'s ends: the page printed them as one run."""
    return a.part is not None and a.part == b.part and a.end == b.start


def fit_trees(
    rows: list[dict[str, float]],
    labels: list[str],
    *,
    rounds: int,
    depth: int,
    weights: list[float] | None = None,
) -> dict[str, Any]:
    """A gradient-boosted tree ensemble fitted to ``rows`` (each weighing its ``weights``, default 1), in the form
    ``index.trees.TreeEnsemble`` reads, with the fit's figures (on the rows it was fitted to; the honest figures are
    the parser's on held-out pages)."""
    names = sorted({name for row in rows for name in row})
    x = np.array([[row.get(name, 0.0) for name in names] for row in rows], dtype=np.float64)
    classes = sorted(set(labels))
    y = np.array([classes.index(label) for label in labels])
    model = GradientBoostingClassifier(
        n_estimators=rounds, max_depth=depth, learning_rate=LEARNING_RATE, subsample=1.0, random_state=0
    )
    model.fit(x, y, sample_weight=np.array(weights) if weights is not None else None)
    exported = [
        [
            {
                "feature": [int(f) for f in tree.tree_.feature],
                "threshold": [round(float(t), 6) for t in tree.tree_.threshold],
                "left": [int(n) for n in tree.tree_.children_left],
                "right": [int(n) for n in tree.tree_.children_right],
                "value": [round(float(v), 6) for v in tree.tree_.value[:, 0, 0]],
            }
            for tree in stage
        ]
        for stage in model.estimators_
    ]
    sample = x[:1]
    trees_only = np.array(
        [sum(LEARNING_RATE * tree.predict(sample)[0] for tree in stage) for stage in model.estimators_.T]
    )
    initial = np.atleast_1d(model.decision_function(sample)[0]) - trees_only
    predicted = model.predict(x)
    figures = {
        "rows": len(labels),
        "per_class": {name: int((y == n).sum()) for n, name in enumerate(classes)},
        "accuracy_on_fit": round(float((predicted == y).mean()), 4),
    }
    return {
        "features": names,
        "classes": classes,
        "initial": [round(float(v), 6) for v in initial],
        "learning_rate": LEARNING_RATE,
        "rounds": exported,
        "fit": figures,
    }


def fit_logistic(rows: list[dict[str, float]], labels: list[int]) -> dict[str, Any]:
    """An L2-regularised logistic regression (Newton's method) in the form ``index.logistic.LogisticModel`` reads."""
    names = sorted({name for row in rows for name in row})
    x = np.array([[row.get(name, 0.0) for name in names] + [1.0] for row in rows])
    y = np.array(labels, dtype=float)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        step = np.linalg.solve(
            (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9), x.T @ (p - y) + penalty * w
        )
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
    # The link threshold that gets most pairs right (a missed link and a false one cost alike: a paragraph cut in
    # two, or two run together); ties go to the threshold nearest one half.
    thresholds = [round(0.2 + 0.05 * n, 2) for n in range(13)]
    right = {t: float(((p >= t) == y).mean()) for t in thresholds}
    threshold = max(thresholds, key=lambda t: (right[t], -abs(t - 0.5)))
    return {
        "weights": {name: round(float(weight), 4) for name, weight in zip(names, w[:-1], strict=True)},
        "bias": round(float(w[-1]), 4),
        "threshold": threshold,
        "fit": {"rows": len(labels), "links": int(y.sum()), "accuracy_on_fit": round(right[threshold], 4)},
    }


def train_continuation(pages: Sequence[Page], conventions: Conventions) -> dict[str, Any]:
    """The two continuation models fitted on ``pages``: trees over the wrapped texts' pairs (one no-link pair in
    ``NEGATIVE_STRIDE`` kept: they outnumber links 15 to 1), a logistic model over the paragraph-a-line texts' pairs."""
    wrapped_rows, wrapped_labels, whole_rows, whole_labels = [], [], [], []
    for n, (row, label) in enumerate(continuation_pairs(pages, conventions)):
        if row["wrapped"]:
            if label or n % NEGATIVE_STRIDE == 0:
                wrapped_rows.append(row)
                wrapped_labels.append("linked" if label else "apart")  # sorted so: "linked" is the second class
        else:
            whole_rows.append({name: row[name] for name in WHOLE_FEATURES if name in row})
            whole_labels.append(label)
    wrapped = fit_trees(wrapped_rows, wrapped_labels, rounds=150, depth=3)
    wrapped["fit"]["negatives_kept"] = f"1 in {NEGATIVE_STRIDE}"
    return {"wrapped": wrapped, "whole": fit_logistic(whole_rows, whole_labels), "pages": [p.id for p in pages]}


def labelled_sequences(
    pages: Sequence[Page], conventions: Conventions, continuation: ContinuationModels
) -> Iterator[tuple[bool, list[dict[str, float]], list[str]]]:
    """Every text of ``pages`` as the labeller meets it (pieces in the reading order the parser finds, with their
    features) and the labels the page says they have: the role of the part each came from, carried on when the piece
    before it ends right where it starts. Each comes with its shape (broken at the columns' width or not)."""
    for page in pages:
        for variant in VARIANTS:
            text = (PAGES / "text" / f"{page.id}.{variant}.txt").read_text(encoding="utf-8")
            traced = traced_pieces(page, text)
            order = read_order([item.piece for item in traced], continuation, conventions)
            by_order = {item.piece.order: item for item in traced}
            sequence = [by_order[piece.order] for piece in order.pieces]
            labels = []
            for index, item in enumerate(sequence):
                role = item.role if item.role in ROLE_NAMES else "body"
                carried = index > 0 and _continues(sequence[index - 1], item)
                labels.append(f"{role}{CARRIED if carried else ''}")
            yield order.wrapped, piece_features(order, conventions), labels
        for shuffled in rearranged(page):
            yield _copied_sequence(shuffled, conventions, continuation)


def rearranged(page: Page) -> list[Page]:
    """The page's blocks in other orders, some stories cut to their lead, as an editor's copy of another day's page
    set from the same kinds of stories would read: a paragraph-a-line text gives the labeller few sequences, and a
    short story followed by the next one's headline, say, is rare on the pages written but common in print.
    Furniture stays at the edges; the texts are made as ``hand_text`` makes them."""
    rng = random.Random(page.id)
    furniture = [block for block in page.blocks if block.type == "furniture"]
    rest = [block for block in page.blocks if block.type != "furniture"]
    pages = []
    for _ in range(REARRANGED):
        units = _units(rest)
        rng.shuffle(units)
        blocks = [_cut(block, rng) for unit in units for block in unit]
        pages.append(replace(page, blocks=(*furniture[:1], *blocks, *furniture[1:]), source_text=None))
    return pages


def _units(blocks: list[Block]) -> list[list[Block]]:
    """Blocks that move together: a column label with the briefs after it."""
    units: list[list[Block]] = []
    for block in blocks:
        if block.type == "brief" and units and units[-1][0].type in ("column", "brief"):
            units[-1].append(block)
        else:
            units.append([block])
    return units


def _cut(block: Block, rng: random.Random) -> Block:
    """A story cut to its first paragraph now and then (short news, printed whole)."""
    if block.type != "story" or rng.random() > CUT_SHARE:
        return block
    first = next((n for n, part in enumerate(block.parts) if part.role in ("lead", "body")), None)
    if first is None:
        return block
    kept = [part for n, part in enumerate(block.parts) if part.role not in ("lead", "body") or n == first]
    return replace(block, parts=tuple(kept))


def _copied_sequence(
    page: Page, conventions: Conventions, continuation: ContinuationModels
) -> tuple[bool, list[dict[str, float]], list[str]]:
    """A made-up page's hand-copied text as the labeller meets it, each line labelled with its part's role."""
    roles = [part.role for block in page.blocks for part in block.parts]
    order = read_order(split_pieces(hand_text(page)), continuation, conventions)
    by_line = [roles[piece.line // 2] for piece in order.pieces]  # one part a line, a blank line between
    return order.wrapped, piece_features(order, conventions), by_line


def train_labeller(
    pages: Sequence[Page], conventions: Conventions, continuation: ContinuationModels, directory: Path
) -> dict[str, Any]:
    """Fit one CRF per text shape on ``pages`` and save them in ``directory``; the fits' figures."""
    trainers = {wrapped: pycrfsuite.Trainer(verbose=False) for wrapped in MODEL_FILES}
    sequences = dict.fromkeys(MODEL_FILES, 0)
    for wrapped, rows, labels in labelled_sequences(pages, conventions, continuation):
        trainers[wrapped].append(rows, labels)
        sequences[wrapped] += 1
    figures = {}
    for wrapped, trainer in trainers.items():
        trainer.set_params({"c1": 0.05, "c2": 0.05, "max_iterations": 300, "feature.possible_transitions": True})
        trainer.train(str(directory / MODEL_FILES[wrapped]))
        figures[MODEL_FILES[wrapped]] = {"sequences": sequences[wrapped]}
    return figures


def pdf_sequences(
    pages: Sequence[Page], conventions: Conventions
) -> Iterator[tuple[list[dict[str, float]], list[str]]]:
    """Every page of ``pages`` typeset as a PDF and read as the parser reads one: each page's line features, and the
    label of each line (``pdf_labels``)."""
    for page in pages:
        pdf, geometry = typeset(page)
        for content in read_pdf_pages(pdf, PdfLimits()):
            sequence = page_sequence(content, 1)
            yield (
                line_features(sequence.order, sequence.placed, content, conventions),
                pdf_labels(page, geometry, sequence),
            )


def pdf_labels(page: Page, geometry: Geometry, sequence: PageSequence) -> list[str]:
    """The label of every line of a page PDF, from where the typesetter drew it: the role of its part, carried on
    (``+``) when it starts where the line before it ended in the same part. A line is found among the drawn lines by
    its place (its first glyph's left edge and its baseline); the part and the span of it a drawn line holds are
    found by its text within its own block, in drawing order (``tests.pages.extract.part_of``)."""
    offsets = [[0] * len(block.parts) for block in page.blocks]
    drawn: dict[tuple[int, int], tuple[str, tuple[int, int] | None, int, int]] = {}
    for line in geometry.lines:
        squeezed = squeeze(line.text)
        part = part_of(page, offsets, line.block, line.role, squeezed)
        end = offsets[line.block][part] if part is not None else 0
        place = (line.block, part) if part is not None else None
        drawn[round(line.bbox[0]), round(line.bbox[1])] = (line.role, place, end - len(squeezed), end)
    labels: list[str] = []
    before: tuple[str, tuple[int, int] | None, int, int] = ("", None, 0, 0)
    for item in sequence.placed:
        x0, y0 = item.line.bbox[:2]
        found = next(
            (
                drawn[key]
                for key in ((round(x0) + dx, round(y0) + dy) for dx in (0, -1, 1) for dy in (0, -1, 1))
                if key in drawn
            ),
            ("body", None, 0, 0),
        )
        role, place, start, _ = found
        carried = place is not None and before[:2] == (role, place) and before[3] == start
        labels.append(f"{role}{CARRIED if carried else ''}")
        before = found
    return labels


def train_pdf_labeller(pages: Sequence[Page], conventions: Conventions, directory: Path) -> dict[str, Any]:
    """Fit the PDF labeller's CRF on ``pages`` typeset as PDFs and save it in ``directory``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    sequences = 0
    for rows, labels in pdf_sequences(pages, conventions):
        trainer.append(rows, labels)
        sequences += 1
    trainer.set_params({"c1": 0.05, "c2": 0.05, "max_iterations": 300, "feature.possible_transitions": True})
    trainer.train(str(directory / PDF_MODEL_FILE))
    return {PDF_MODEL_FILE: {"sequences": sequences}}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.pages.train", description=__doc__.split("\n")[0])
    parser.parse_args()
    segment.initialize(USERDICT)
    conventions = Conventions.load(CONVENTIONS)
    MODELS.mkdir(exist_ok=True)
    pages = tuned_pages()
    model = train_continuation(pages, conventions)
    (MODELS / "continuation.json").write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"continuation: {model['wrapped']['fit']}, {model['whole']['fit']}")
    continuation = ContinuationModels.load(MODELS / "continuation.json")
    print(f"labels: {train_labeller(pages, conventions, continuation, MODELS)}")
    print(f"pdf labels: {train_pdf_labeller(pages, conventions, MODELS)}")


if __name__ == "__main__":
    main()
