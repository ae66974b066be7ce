"""Paragraphs out of an extracted page's pieces: which piece continues which.

Extraction tools break a paragraph at every line of its column, read neighbouring columns in their own order, and
at times take them line by line in turn (column A's first line, column B's first line, A's second, ...). So the
order of the pieces does not say which continues which; what the pieces say does: a line that stops inside a word
(``…开设全科门`` / ``诊、慢病随访…``), a clause cut after a comma, a line as wide as its column and the next starting
where it stopped. Every pair of pieces near each other (either way round: a tool may give the top of a column before
the bottom of the one it continues) is scored by a logistic model over such features (``pair_features``), fitted on
the page corpus's tuned part (gradient-boosted trees, ``tests/pages/train.py``) and stored in
``index/models/continuation.json``; the
likeliest links are then taken first, each piece having at most one piece before it and one after it.

Pure functions over pieces; the model's weights are data.
"""

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from index import segment
from index.conventions import Conventions
from index.logistic import LogisticModel
from index.pieces import Piece
from index.trees import TreeEnsemble

#: Characters that close a sentence (with the quotes and brackets that may follow them).
SENTENCE_END = "。！？!?…"
CLOSERS = "”’」』）)》〉】\"'"
CLAUSE_END = "，,、；;：:"
OPENERS = "“‘「『（(《〈【"
#: What no sentence or paragraph opens with: a piece starting so was cut from the line before.
NO_START = "，,、。.；;：:！!？?）)》〉」』】”’…%％·"
#: How far apart in order two pieces may be and one still continue the other (a column's bottom and the next's top).
WINDOW = 40
#: In the layout shape, how many lines up the line a piece continues may stand (the tool puts blank lines between
#: lines of a column to keep their heights), and how far down a column's bottom may stand from the next one's top.
LAYOUT_LINES = 7
LAYOUT_COLUMN_LINES = 80
#: A piece this wide (in full-width characters) is running text, not a headline, a credit or a date line.
LONG_PIECE = 20
#: A line fills its column when it is at most this much narrower (a digit or a comma pushed to the next line).
FILL_SLACK = 1.5
#: A text counts as broken at its columns' width when it has this many longer lines, at least ``WRAPPED_SHARE`` of
#: them fill their column and at least ``CUT_SHARE`` stop inside a sentence.
WRAPPED_LINES = 10
WRAPPED_SHARE = 0.55
CUT_SHARE = 0.5
#: A link is taken when the model gives it at least this probability.
THRESHOLD = 0.5
_DIGIT_OR_LATIN = re.compile(r"[0-9A-Za-z.%]")
#: A piece ending as a credit does (``… 摄``, ``(X 摄)``): nothing carries on after it.
_CREDIT_END = re.compile(r"(?:摄|摄影|供图|文/图|文、图)\s*[)）]?\s*$")


@dataclass(frozen=True)
class PageContext:
    """What a piece's features need to know of the page around it."""

    pieces: Sequence[Piece]
    #: Per piece: the width of the column it stands in, as wide as its widest neighbours.
    widths: Sequence[float]
    conventions: Conventions
    #: Blank lines separate the tool's blocks (not every line): a blank line then says something.
    blanks_mean_something: bool
    #: The text is broken at its columns' width (a tool's output), not a paragraph a line (a web page's copy): only
    #: then does a line "fill its column".
    wrapped: bool
    #: Per piece: the stride at which its block's lines follow one another: 1, or 2 and 3 where the tool took two or
    #: three columns line by line in turn (``block_strides``).
    strides: Sequence[int]


def page_context(pieces: Sequence[Piece], conventions: Conventions) -> PageContext:
    blank_share = sum(piece.after_blank for piece in pieces) / max(1, len(pieces))
    widths = column_widths(pieces)
    wrapped = is_wrapped(pieces, widths)
    strides = block_strides(pieces) if wrapped else [1] * len(pieces)
    return PageContext(pieces, widths, conventions, blank_share < 0.4, wrapped, strides)


def is_wrapped(pieces: Sequence[Piece], widths: Sequence[float]) -> bool:
    """Whether the text is broken at its columns' width: its longer lines mostly fill their column, and mostly stop
    inside a sentence (a paragraph copied whole ends with its full stop; a column's line ends wherever it ends)."""
    long = [n for n, piece in enumerate(pieces) if piece.width >= 6]
    if len(long) < WRAPPED_LINES:
        return False
    filling = sum(pieces[n].width >= widths[n] - FILL_SLACK for n in long)
    cut = sum(pieces[n].text.rstrip(CLOSERS)[-1:] not in SENTENCE_END for n in long)
    return filling >= WRAPPED_SHARE * len(long) and cut >= CUT_SHARE * len(long)


def block_strides(pieces: Sequence[Piece]) -> list[int]:
    """For every piece, the stride at which the lines of its block (lines between blank lines) follow each other.

    When a tool takes two columns as one block it gives their lines in turn (A1 B1 A2 B2 ...): a line then goes on
    two lines later, not on the next. Which stride a block has shows in its words: across the line breaks of the
    right stride words are split and lines start with marks no sentence starts with; across the wrong one they are
    not. Each stride's evidence is counted over the whole block, so the many line breaks decide together.
    """
    strides = [1] * len(pieces)
    if not pieces or pieces[0].layout:
        return strides
    blocks: list[list[int]] = []
    for piece in pieces:
        if piece.after_blank or not blocks:
            blocks.append([])
        blocks[-1].append(piece.order)
    for block in blocks:
        evidence = {
            stride: sum(_joins(pieces[a].text, pieces[b].text) for a, b in zip(block, block[stride:], strict=False))
            for stride in (1, 2, 3)
            if len(block) > stride + 1
        }
        best = max(evidence, key=lambda stride: (evidence[stride], -stride), default=1)
        if best != 1 and evidence[best] >= 2 and evidence[best] > evidence.get(1, 0) + 1:
            for order in block:
                strides[order] = best
    return strides


def _joins(before: str, after: str) -> int:
    """Evidence that ``after`` carries on ``before`` from their words alone: a split word, a mark that opens nothing."""
    return int(_crossing_word(before, after) >= 2) + int(after[0] in NO_START)


def column_widths(pieces: Sequence[Piece]) -> list[float]:
    """Each piece's column width, from the pieces that share its column near it.

    In a text broken at the column width most lines are as wide as the column, give or take a digit's half width;
    the column's width is the widest width that a good share of the neighbours reach, so that a line two columns
    long (a tool's merge) or a headline line does not set it.
    """
    widths = []
    for index, piece in enumerate(pieces):
        if piece.layout:
            near = [
                other.width
                for other in pieces[max(0, index - 60) : index + 61]
                if abs(other.x - piece.x) <= 2 and abs(other.line - piece.line) <= 6
            ]
        else:
            near = [other.width for other in pieces[max(0, index - 6) : index + 7] if abs(other.x - piece.x) <= 4]
        widths.append(_typical_width(near))
    return widths


def _typical_width(widths: list[float]) -> float:
    """The widest of ``widths`` that at least a third of them come within ``FILL_SLACK`` of."""
    for width in sorted(widths, reverse=True):
        if sum(width - FILL_SLACK <= other <= width for other in widths) * 3 >= len(widths):
            return width
    return max(widths)


def pair_features(a: Piece, b: Piece, context: PageContext) -> dict[str, float]:
    """What speaks for and against ``b`` carrying on the paragraph that ``a`` ends.

    Two kinds of evidence: how the pieces stand to each other (adjacent, one apart, far, the other way round; in the
    layout shape, the lines and columns between them) and what they say (a line cut short of its sentence, a word
    split across them, a piece no sentence opens with, a column's first line). The model weighs them together: a
    far or backward link needs more of the second kind than an adjacent one.
    """
    conventions = context.conventions
    width_a, width_b = context.widths[a.order], context.widths[b.order]
    tail, head = a.text.rstrip(CLOSERS), b.text
    wrapped = context.wrapped
    stride = context.strides[a.order] if context.strides[a.order] == context.strides[b.order] else 1
    distance = b.order - a.order
    return {
        "layout": float(a.layout),
        "wrapped": float(wrapped),
        "a_sentence_end": float(bool(tail) and tail[-1] in SENTENCE_END),
        "a_clause_end": float(a.text[-1] in CLAUSE_END),
        "a_open_end": float(a.text[-1] in OPENERS),
        "b_no_start": float(head[0] in NO_START),
        "b_opens_quote": float(head[0] in "“‘「"),
        "digits_across": float(bool(_DIGIT_OR_LATIN.match(a.text[-1])) and bool(_DIGIT_OR_LATIN.match(head[0]))),
        "word_across": float(_crossing_word(a.text, head)),
        "a_fill": a.width - width_a if wrapped else 0.0,
        "b_fill": b.width - width_b if wrapped else 0.0,
        "a_width": a.width,
        "b_width": b.width,
        "column_width": width_a if wrapped else 0.0,
        "width_difference": abs(width_a - width_b) if wrapped else 0.0,
        "b_marked": float(_opens_unit(b.text, conventions)),
        "a_credit_end": float(bool(_CREDIT_END.search(a.text))),
        "a_deck": float(a.text.startswith(("——", "—"))),
        "a_long": float(a.width >= LONG_PIECE),
        "b_indented": float(b.x >= a.x + 2),
        "a_whole_unit": float(_whole_unit(a.text, conventions)),
        "distance": float(distance),
        "stride": float(stride),
        "in_stride": float(distance == stride),
        "blank_between": float(context.blanks_mean_something and b.after_blank and distance == 1),
        "blanks_mean_something": float(context.blanks_mean_something),
        "lines_down": float(b.line - a.line),
        "x_shift": float(b.x - a.x),
        "shares_line": float(a.shares_line or b.shares_line),
    }


def _crossing_word(before: str, after: str) -> int:
    """The length of the dictionary word that spans the join of ``before`` and ``after``, 0 when none does."""
    left, right = before[-4:], after[:4]
    if not left or not right or left[-1].isspace() or right[0].isspace():
        return 0
    position = 0
    for word in segment.dictionary_cut(left + right):
        start, position = position, position + len(word)
        if start < len(left) < position:
            return len(word)
    return 0


def _opens_unit(text: str, conventions: Conventions) -> bool:
    """Whether ``text`` opens something of its own: a lead, a credit, a caption, a column label, a jump line."""
    return bool(
        conventions.lead.match(text)
        or conventions.credit.match(text)
        or conventions.caption_opening.match(text)
        or conventions.column_label.match(text)
        or conventions.jump_line.match(text)
    )


def _whole_unit(text: str, conventions: Conventions) -> bool:
    """Whether ``text`` is complete in itself: a credit or a jump line, after which nothing carries on."""
    return bool(conventions.credit.match(text) or conventions.jump_line.match(text))


def candidate_pairs(pieces: Sequence[Piece], context: PageContext) -> Iterator[tuple[int, int]]:
    """Every ``(a, b)`` the parser weighs: pieces near enough that ``b`` may carry on ``a``, either way round (a
    tool may give a column's top before the bottom of the column it continues). A text copied a paragraph a line
    keeps its order: there a piece can only carry on the one right before it (a paragraph broken by the copy)."""
    for b in pieces:
        if not context.wrapped and not b.layout:
            if b.order:
                yield b.order - 1, b.order
            continue
        for a in pieces:
            if a.order != b.order and _within_reach(a, b):
                yield a.order, b.order


def _within_reach(a: Piece, b: Piece) -> bool:
    if a.layout:
        below = 1 <= b.line - a.line <= LAYOUT_LINES and abs(b.x - a.x) <= 4
        return below or (b.x > a.x + 4 and 0 < a.line - b.line <= LAYOUT_COLUMN_LINES)
    return abs(b.order - a.order) <= WINDOW


@dataclass(frozen=True)
class ReadingOrder:
    """The pieces in the order they are read, and for each the probability of the link that makes it carry on the
    piece before it (0 where it opens a run of its own)."""

    pieces: tuple[Piece, ...]
    links: tuple[float, ...]
    #: The text is broken at its columns' width (see ``PageContext.wrapped``).
    wrapped: bool = True

    def runs(self) -> list[list[Piece]]:
        """The linked runs: a piece with a link joins the run of the piece before it."""
        runs: list[list[Piece]] = []
        for piece, link in zip(self.pieces, self.links, strict=True):
            if link and runs:
                runs[-1].append(piece)
            else:
                runs.append([piece])
        return runs


@dataclass(frozen=True)
class ContinuationModels:
    """One model for texts broken at their columns' width (trees, fitted on many pairs), one for texts copied a
    paragraph a line (a logistic model over a few features: such texts have few broken lines to learn from)."""

    wrapped: TreeEnsemble
    whole: LogisticModel

    @classmethod
    def load(cls, path: str | Path) -> "ContinuationModels":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(TreeEnsemble.from_json(data["wrapped"]), LogisticModel.from_json(data["whole"]))

    def threshold(self, wrapped: bool) -> float:
        """A link is taken when its probability is above this."""
        return THRESHOLD if wrapped else self.whole.threshold

    def probability(self, features: dict[str, float], wrapped: bool) -> float:
        if wrapped:
            return self.wrapped.probability(features)
        return self.whole.probability({name: features[name] for name in WHOLE_FEATURES if name in features})


#: What the model of texts copied a paragraph a line weighs: whether the first piece ends, or could end, a paragraph,
#: and whether the second opens one.
WHOLE_FEATURES = (
    "a_sentence_end",
    "a_clause_end",
    "a_open_end",
    "a_credit_end",
    "a_deck",
    "a_whole_unit",
    "a_long",
    "b_no_start",
    "b_opens_quote",
    "b_marked",
    "b_indented",
    "word_across",
    "digits_across",
)


def read_order(pieces: Sequence[Piece], model: ContinuationModels, conventions: Conventions) -> ReadingOrder:
    """The pieces re-ordered so that each run of linked pieces reads on, runs in the order of their first piece.

    Every candidate pair is scored; the likeliest links are taken first, each piece getting at most one piece
    after it and one before it, and no chain closing on itself.
    """
    context = page_context(pieces, conventions)
    scored = []
    threshold = model.threshold(context.wrapped)
    for a, b in candidate_pairs(pieces, context):
        p = model.probability(pair_features(pieces[a], pieces[b], context), context.wrapped)
        if p > threshold:
            scored.append((p, a, b))
    after: dict[int, int] = {}
    before: dict[int, float] = {}
    head = list(range(len(pieces)))  # union-find over chains, to refuse a link that would close a loop

    def find(order: int) -> int:
        while head[order] != order:
            head[order] = head[head[order]]
            order = head[order]
        return order

    for p, a, b in sorted(scored, key=lambda item: (-item[0], item[1], item[2])):
        if a in after or b in before or find(a) == find(b):
            continue
        after[a], before[b] = b, p
        head[find(b)] = find(a)
    ordered: list[Piece] = []
    links: list[float] = []
    for piece in pieces:
        if piece.order in before:
            continue
        order = piece.order
        ordered.append(piece)
        links.append(0.0)
        while order in after:
            order = after[order]
            ordered.append(pieces[order])
            links.append(before[order])
    return ReadingOrder(tuple(ordered), tuple(links), context.wrapped)


def join(chain: Sequence[Piece]) -> str:
    """A paragraph's text from its pieces: lines of Chinese text join without a space; Latin words keep one."""
    text = ""
    for piece in chain:
        if text and text[-1].isascii() and text[-1].isalpha() and piece.text[0].isascii() and piece.text[0].isalpha():
            text += " "
        text += piece.text
    return text
