"""Every line of an extracted text labelled with the role (and block) of the printed part it came from.

The extraction tools reorder and interleave the page's lines, so a line is found back in the page's parts by its
characters: whitespace is taken out of both sides, and each line is looked up in the concatenated parts, greedily in
order: of the unused occurrences, one that fits between what is already claimed (or a part's edges) the way a
printed line fits between its neighbours, then the first after the previous match, then the first on the page. A
short line such as a headline's second line (``处社区食堂``) also stands in some body paragraph; its fit to the first
line, already claimed, finds the right one. A line the tool assembled from two columns (``-layout`` puts
side-by-side columns on one line; pdftotext and pdfminer join neighbouring lines with one space) is cut at its runs
of spaces first, then at single spaces, and as a last resort into the longest pieces found on the page; each piece
is labelled, and neighbouring pieces of one part are merged. A line counts as unaligned when some of its text is
found nowhere on the page.
"""

import re
from dataclasses import dataclass

from tests.pages.corpus import Page

UNALIGNED = "?"
#: A run of words with single spaces between them: what a line holds between its runs of two or more spaces.
_SEGMENT = re.compile(r"\S+(?:\s\S+)*")
_GAP = re.compile(r"\s+")
#: A run of a line's characters: start and end in the line, the part they came from, and the page position of its
#: first character (``None`` twice for text the page does not hold).
Span = tuple[int, int, int | None, int | None]


@dataclass(frozen=True)
class Label:
    role: str  # ``UNALIGNED`` when the text was not found on the page
    block: int | None
    text: str
    #: The part (numbered over the whole page, in order) and where in its whitespace-free text this run starts: a
    #: run continues another exactly when it starts where the other ends in the same part.
    part: int | None = None
    offset: int | None = None


@dataclass(frozen=True)
class Alignment:
    labels: tuple[Label, ...]
    lines: int  # non-empty lines of the text
    unaligned: int  # lines holding text not found on the page


class _Stream:
    """The page's printed parts as one whitespace-free string, each character knowing its part, and which
    characters lines have already claimed."""

    def __init__(self, page: Page) -> None:
        parts = [(part.role, index, part.printed) for index, block in enumerate(page.blocks) for part in block.parts]
        self.parts = [(role, block) for role, block, _ in parts]
        pieces = [(number, _squeeze(text)) for number, (_, _, text) in enumerate(parts)]
        self.text = "".join(text for _, text in pieces)
        self.owner = [number for number, text in pieces for _ in text]
        self.part_start = {number: len("".join(text for _, text in pieces[:number])) for number, _ in pieces}
        self.edges = {0, len(self.text)} | {
            start for start in range(1, len(self.text)) if self.owner[start] != self.owner[start - 1]
        }
        self.used = [False] * len(self.text)
        self.cursor = 0

    def claim(self, needle: str) -> int | None:
        """Where ``needle`` stands on the page, now claimed; ``None`` when the page does not hold it.

        Unused occurrences come first (a text printed twice is found twice), then those that fit best, then the first
        after the cursor, then the first."""
        found = self._occurrences(needle)
        if not found:
            return None
        end = len(needle)
        start = min(
            found, key=lambda at: (any(self.used[at : at + end]), -self._fit(at, at + end), at < self.cursor, at)
        )
        self.used[start : start + end] = [True] * end
        self.cursor = start + end
        return start

    def _fit(self, start: int, end: int) -> int:
        """How many of its ends a stretch of the page has against a part's edge or text already claimed."""
        before = start in self.edges or self.used[start - 1]
        after = end in self.edges or self.used[end]
        return before + after

    def longest(self, text: str) -> int:
        """The length of the longest start of ``text`` the page holds (0 when not even its first character)."""
        low, high = 0, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if text[:middle] in self.text:
                low = middle
            else:
                high = middle - 1
        return low

    def _occurrences(self, needle: str) -> list[int]:
        """Every start of ``needle`` in the page's text."""
        starts = []
        start = self.text.find(needle)
        while start >= 0:
            starts.append(start)
            start = self.text.find(needle, start + 1)
        return starts


def align(page: Page, text: str) -> Alignment:
    """Label every non-empty line of ``text``, an extraction of ``page``."""
    stream = _Stream(page)
    labels: list[Label] = []
    lines = unaligned = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        lines += 1
        found = _line_labels(stream, line)
        unaligned += any(label.role == UNALIGNED for label in found)
        labels += found
    return Alignment(tuple(labels), lines, unaligned)


def align_lines(page: Page, lines: list[str]) -> list[list[Label]]:
    """The labels of each of ``lines`` (pieces of an extraction of ``page``, in order), one list per line."""
    stream = _Stream(page)
    return [_line_labels(stream, line) if line.strip() else [] for line in lines]


def tsv(alignment: Alignment) -> str:
    """The labels as ``ROLE<TAB>BLOCK<TAB>PART<TAB>OFFSET<TAB>text`` lines (``?`` and ``-`` for text not found on
    the page)."""
    return "".join(
        f"{label.role}\t{_dash(label.block)}\t{_dash(label.part)}\t{_dash(label.offset)}\t{label.text}\n"
        for label in alignment.labels
    )


def _dash(value: int | None) -> str:
    return "-" if value is None else str(value)


def _line_labels(stream: _Stream, line: str) -> list[Label]:
    """One line's labels: its characters traced to their parts, then cut where the part changes."""
    spans: list[Span] = []  # start and end in the line, part number
    for match in _SEGMENT.finditer(line):
        spans += _segment_spans(stream, line, match.start(), match.group())
    merged: list[Span] = []
    for start, end, part, at in spans:
        if merged and merged[-1][2] == part and part is not None:
            merged[-1] = (merged[-1][0], end, part, merged[-1][3])
        else:
            merged.append((start, end, part, at))
    return [_label(stream, line[start:end], part, at) for start, end, part, at in merged]


def _segment_spans(stream: _Stream, line: str, offset: int, segment: str) -> list[Span]:
    """The part of every character of one segment (``line[offset:]``), as runs (start, end, part)."""
    position = stream.claim(_squeeze(segment))
    if position is not None:
        return _trace(line, offset, segment, position, stream)
    spans: list[Span] = []
    for word in _GAP.split(segment):
        start = line.index(word, offset)
        spans += _word_spans(stream, line, start, word)
        offset = start + len(word)
    return spans


def _word_spans(stream: _Stream, line: str, offset: int, word: str) -> list[Span]:
    """The runs of one space-free word: whole if the page holds it, else cut into the longest pieces it holds."""
    spans: list[Span] = []
    done = 0
    while done < len(word):
        length = stream.longest(word[done:])
        if length == 0:
            spans.append((offset + done, offset + done + 1, None, None))
            done += 1
            continue
        piece = word[done : done + length]
        spans += _trace(line, offset + done, piece, stream.claim(piece) or 0, stream)  # held, so claimed
        done += length
    return spans


def _trace(line: str, offset: int, segment: str, position: int, stream: _Stream) -> list[Span]:
    """Runs of ``segment`` (at ``line[offset:]``) found at ``position`` of the page: each non-space character takes
    the part of the page character it matched; spaces between characters of one part stay in its run."""
    spans: list[Span] = []
    characters = (index for index, char in enumerate(segment) if not char.isspace())
    for matched, index in enumerate(characters, position):
        part: int | None = stream.owner[matched]
        start = offset + index
        if spans and spans[-1][2] == part:
            spans[-1] = (spans[-1][0], start + 1, part, spans[-1][3])
        else:
            spans.append((start, start + 1, part, matched))
    return spans


def _label(stream: _Stream, text: str, part: int | None, at: int | None) -> Label:
    """The label of a run of text traced to ``part`` at page position ``at`` (or to nothing)."""
    if part is None or at is None:
        return Label(UNALIGNED, None, text.strip())
    role, block = stream.parts[part]
    return Label(role, block, text.strip(), part, at - stream.part_start[part])


def _squeeze(text: str) -> str:
    """``text`` without any whitespace (full-width spaces included): tools space text as they please."""
    return _GAP.sub("", text)
