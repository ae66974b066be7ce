"""The Whoosh analyzer for Chinese text: width-folded jieba tokens | lowercase | stop words.

Written here rather than taken from ``jieba.analyse.ChineseAnalyzer``, which numbers positions by character, emits
tokens out of order, stems English and ignores ``chars=`` (see the search notes). Positions here count tokens and
every token carries its character offsets into the text as given.

The analyzer is pickled into the index's TOC, so its parts are module-level classes.
"""

import functools
import re
import unicodedata
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import Any

from whoosh.analysis import Analyzer, LowercaseFilter, StopFilter, Token, Tokenizer

from index import segment

#: A letter or a digit: what ``str.isalnum`` accepts (``re``'s word characters less the underscore), found in C.
_ALNUM = re.compile(r"[^\W_]")
#: Characters NFKC leaves as they are, each alone: ASCII, the CJK unified ideographs and the punctuation Chinese text
#: is full of. ``fold_width`` folds only the others, found by a regular expression: folding every character in Python
#: cost ~75 µs for a 1,000-character story, this ~14 µs (``tests/test_segment.py`` holds each of these to NFKC).
UNCHANGED_BY_NFKC = "\x00-\x7f\u2014\u2018-\u201d\u3001-\u3002\u3008-\u3011\u4e00-\u9fff"
_MAY_FOLD = re.compile(f"[^{UNCHANGED_BY_NFKC}]")
#: Distinct characters ``fold_width`` remembers folded: a bulletin's text holds a few thousand.
FOLDED_CHARACTERS = 8192


def is_word(text: str) -> bool:
    """True when a token carries letters or digits (punctuation and spaces are never indexed); nearly every word's
    first character tells, faster than the search."""
    return text[:1].isalnum() or _ALNUM.search(text) is not None


class JiebaTokenizer(Tokenizer):  # type: ignore[misc]  # Whoosh ships no types: its base class is Any
    """Tokens from ``segment.tokenize`` with per-token positions and character offsets."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for word, start, end in words(value):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


def words(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` of each word of ``text`` as the analyzer cuts it, before lower case and stop words:
    segmented in search mode after ``fold_width``, punctuation and spaces dropped; offsets into ``text``."""
    return [(word, start, end) for word, start, end in segment.tokenize(fold_width(text)) if is_word(word)]


def fold_width(text: str) -> str:
    """NFKC character by character, keeping a character whose NFKC form is not one character.

    Full-width ``ＡＢＣ１２`` becomes ``ABC12`` before segmentation (so it is cut as one word, as a normalised query
    is) while every character keeps its offset, which the stored ``chars`` depend on.
    """
    if text.isascii():
        return text
    return _MAY_FOLD.sub(_folded, text)


def _folded(match: re.Match[str]) -> str:
    return _fold_character(match.group())


@functools.lru_cache(maxsize=FOLDED_CHARACTERS)
def _fold_character(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def load_words(path: str | PathLike[str]) -> list[str]:
    """Words from a one-per-line list; blank lines and ``#`` comments are skipped."""
    words = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    return words


def chinese_analyzer(stopwords_path: str | PathLike[str]) -> Analyzer:
    stoplist = load_words(stopwords_path)
    return JiebaTokenizer() | LowercaseFilter() | StopFilter(stoplist=stoplist, minsize=1)
