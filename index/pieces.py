"""The pieces of an extracted page: each run of text of each line, with where it stood.

Text copied off a printed page comes in three shapes: a paragraph a line (copied from an e-paper web page), lines
broken at the column width (``pdftotext``, pdfminer, a PDF viewer), or the page's physical layout, with side-by-side
columns on one line (``pdftotext -layout``). A piece is a run of text separated from the rest of its line by two or
more spaces, so in the layout shape each column's line is a piece of its own, placed by its column (``x``); in the
other shapes a piece is simply a line.

Pure functions; what the pieces continue and what they are is decided later (``index.reading_order``).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_RUN = re.compile(r"[^ \t\u3000]+(?:[ \u3000][^ \t\u3000]+)*")
#: Words of a credit, whose spaces part names (``记者 张明 李华``) and must stay.
_CREDIT_WORDS = re.compile(r"记者|通讯员|实习生|摄")
#: Marks of running text (a headline, a credit or a date line has none).
_SENTENCE_MARKS = re.compile(r"[，。；：！？]")
#: The width of a digit or a Latin letter, in full-width characters, as CJK fonts set them.
ASCII_WIDTH = 0.55
#: A character column where at least this many runs of text begin is a column's start.
COLUMN_RUNS = 6
#: A line counts as a layout line when a gap of this many spaces stands between two runs of text.
LAYOUT_GAP = 3
#: The share of lines with such gaps above which the whole text is taken as ``pdftotext -layout`` output.
LAYOUT_SHARE = 0.2
#: A letter-spaced line (``布 了 第 二 批``, justified text as pdfminer extracts it) has at least this many tokens
#: between single spaces, most of them single characters.
LETTER_SPACED_TOKENS = 6
LETTER_SPACED_SHARE = 0.75


@dataclass(frozen=True)
class Piece:
    #: The text, letter-spacing removed, surrounding whitespace stripped.
    text: str
    #: 1-based line of the source text.
    line: int
    #: Character column of the line where the piece starts (leading spaces of a lone piece count: they are its
    #: indentation). ``pdftotext -layout`` puts every character, CJK or not, in one cell of its grid, so columns line
    #: up by character count.
    x: int
    #: A blank line stands between this piece's line and the previous non-blank line.
    after_blank: bool
    #: The piece's place in the page's sequence of pieces, from 0.
    order: int
    #: Other pieces stand on the same line (side-by-side columns).
    shares_line: bool = False
    #: The text keeps the page's layout (``pdftotext -layout``): columns are known by ``x``, not by order.
    layout: bool = False

    @property
    def width(self) -> float:
        """Printed width in full-width characters: a CJK character or full-width mark is 1, ASCII half of one."""
        return display_width(self.text)


def display_width(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else ASCII_WIDTH for ch in text)


def is_layout(text: str) -> bool:
    """Whether ``text`` keeps the page's physical layout (columns side by side), as ``pdftotext -layout`` writes."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    gapped = sum(1 for line in lines if re.search(rf"\S[ \u3000]{{{LAYOUT_GAP},}}\S", line))
    return gapped >= LAYOUT_SHARE * len(lines)


def split_pieces(text: str) -> list[Piece]:
    """Every piece of ``text`` in order: in the layout shape, each run between gaps; otherwise each line."""
    layout = is_layout(text)
    lines = text.split("\n")
    anchors = column_starts(lines) if layout else set()
    pieces: list[Piece] = []
    blank = False
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if not line.strip():
            blank = True
            continue
        if layout:
            runs = [run for match in _RUN.finditer(line) for run in _at_columns(match.start(), match.group(), anchors)]
        else:
            runs = [(len(line) - len(line.lstrip()), line.strip())]
        for start, run in runs:
            pieces.append(
                Piece(
                    text=_unspace(run.strip()),
                    line=number,
                    x=start,
                    after_blank=blank,
                    order=len(pieces),
                    shares_line=len(runs) > 1,
                    layout=layout,
                )
            )
        blank = False
    return pieces


def column_starts(lines: list[str]) -> set[int]:
    """Where the layout's columns start: the character columns at which many runs of text begin."""
    starts = Counter(match.start() for line in lines for match in _RUN.finditer(line))
    return {x for x, count in starts.items() if count >= COLUMN_RUNS}


def _at_columns(start: int, run: str, anchors: set[int]) -> list[tuple[int, str]]:
    """A run cut where a single space stands right before a column's start: two columns the tool set one space
    apart (a full column line), which the gaps alone do not part."""
    cuts = [index for index, ch in enumerate(run) if ch == " " and start + index + 1 in anchors and index > 1]
    pieces, last = [], 0
    for cut in cuts:
        pieces.append((start + last, run[last:cut]))
        last = cut + 1
    pieces.append((start + last, run[last:]))
    return [(x, text) for x, text in pieces if text.strip()]


def _unspace(text: str) -> str:
    """``text`` with letter-spacing removed (``布 了 第 二 批`` → ``布了第二批``, justified text as pdfminer
    extracts it): when most of its space-separated tokens are single characters. A few single characters
    (``记者 王 磊``, a name padded to three) leave it as it is: credits are read with their spaces."""
    text = text.strip()
    tokens = text.split(" ")
    singles = sum(len(token) == 1 for token in tokens)
    if len(tokens) >= LETTER_SPACED_TOKENS and singles >= LETTER_SPACED_SHARE * len(tokens):
        return re.sub(r"(?<=\S) (?=\S)", "", text)
    between = re.findall(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", text)
    if len(between) >= 3 and _SENTENCE_MARKS.search(text) and not _CREDIT_WORDS.search(text):
        return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)  # running text spaced by the tool
    return text
