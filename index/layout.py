"""Paragraphs out of text copied from a printed page, with the page's line breaks repaired.

Text taken off a laid-out page breaks where the page's columns broke, not where the author did: a paragraph stops
mid-word (``改革成`` / ``果,加快...``) and resumes after a blank line. Such a piece never ends with sentence-final
punctuation, but neither does a headline, so each join is decided from both sides of the break:

* a piece that could not be a headline (too long, holding a full stop, or a lead) was cut short, so it always
  continues;
* a line opening with a mark no sentence opens with (``，``, ``”``, ``》``) or with a bound particle (``了``,
  ``们``) continues the line before it, and a line ending with an opening mark or a comma is continued;
* a headline-shaped line continues only when it sits inside a story (what follows is no lead, credit or column) and
  the next line opens with a title mark: a verb's object set in ``《》`` is where compositors like to break;
* in a hard-wrapped text, a line filling the column width runs on into the line right below it;
* nothing is ever glued onto or into a lead, a credit, a column label or page furniture, nor onto a run of
  headline-shaped lines that stands right above one of those (headlines placed above the next story).
"""

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from index.parse_markers import (
    COLUMN,
    CREDIT,
    FURNITURE_KIND,
    LABEL,
    LEAD,
    NO_START,
    OPEN_ENDED,
    PHOTO,
    classify,
    ends_sentence,
    looks_like_headline,
)

_ALONE = {CREDIT, PHOTO, COLUMN, LABEL, FURNITURE_KIND}
_OPENERS = _ALONE | {LEAD}
_BOUND_START = re.compile(r"了(?!解)|们|的(?!确)")
_BLANK = re.compile(r"^[\s\u200b\ufeff]+|[\s\u200b\ufeff]+$")
#: Share of the longer lines that must have one same length for a text to count as hard-wrapped.
_WRAPPED_SHARE = 0.25
_WRAP_MIN = 16


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int  # 1-based line of the source text where the paragraph starts


def paragraphs(text: str) -> list[Paragraph]:
    """The non-empty paragraphs of ``text`` in order, stripped of indentation, broken lines joined."""
    lines = [(stripped, number) for number, raw in enumerate(text.split("\n"), 1) if (stripped := _BLANK.sub("", raw))]
    texts = [line for line, _ in lines]
    full = _full_lines(lines)
    result = []
    index = 0
    while index < len(lines):
        joined, start = lines[index]
        index += 1
        while index < len(lines) and _continues(joined, texts, index, full):
            joined += texts[index]
            index += 1
        result.append(Paragraph(joined, start))
    return result


def _continues(before: str, texts: list[str], index: int, full: set[int]) -> bool:
    """Whether ``texts[index]`` carries on the paragraph ``before`` (which ends at ``texts[index - 1]``).

    ``full`` holds the indexes of lines that fill a hard-wrapped column (see ``_full_lines``).
    """
    after = texts[index]
    if ends_sentence(before) or classify(before) in _ALONE or classify(after) in _OPENERS:
        return False
    if index - 1 in full:
        return True
    if _heads_something(texts, index, full):
        return False
    return (
        not looks_like_headline(before)
        or classify(before) == LEAD
        or after[0] in NO_START
        or _BOUND_START.match(after) is not None
        or before[-1] in OPEN_ENDED
        or _inside_word(before, after)
        or (after[0] == "《" and not _heads_something(texts, index - 1, full))
    )


def _full_lines(lines: list[tuple[str, int]]) -> set[int]:
    """Indexes of lines that fill a hard-wrapped column and run on into the next line with no blank line between.

    A text is hard-wrapped when many of its lines share one length, the column's width; a line of that width (or
    one less, where a compositor pushed a character down to keep a comma off the next line's start) was cut there.
    """
    lengths = Counter(len(text) for text, _ in lines if len(text) >= _WRAP_MIN)
    if not lengths:
        return set()
    width, count = lengths.most_common(1)[0]
    if count < 3 or count < _WRAPPED_SHARE * lengths.total():
        return set()
    return {
        index
        for index, ((text, number), (_, following)) in enumerate(pairwise(lines))
        if len(text) >= width - 1 and following == number + 1
    }


def _heads_something(texts: list[str], index: int, full: set[int]) -> bool:
    """Whether ``texts[index]`` opens a run of headline-shaped lines standing right above a lead, a photo, a column,
    the footer or the end of the page: that is where headlines go, so the run is headlines, not a broken line.
    A line filling a hard-wrapped column is never a headline, however it is shaped."""
    end = index
    while (
        end < len(texts)
        and end not in full
        and looks_like_headline(texts[end])
        and classify(texts[end]) not in _OPENERS
    ):
        end += 1
    if end == index:
        return False
    if end == len(texts) or classify(texts[end]) in _OPENERS:
        return True
    return end + 1 < len(texts) and classify(texts[end + 1]) == CREDIT


def _inside_word(before: str, after: str) -> bool:
    """An ASCII word or number cut in two (``Wi`` / ``fi``, ``20`` / ``26``)."""
    return (
        before[-1].isascii()
        and before[-1].isalnum()
        and after[0].isascii()
        and (after[0].islower() or after[0].isdigit())
    )
