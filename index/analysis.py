"""The Whoosh analyzer for Chinese text: width-folded jieba tokens | lowercase | stop words.

Written here rather than taken from ``jieba.analyse.ChineseAnalyzer``, which numbers positions by character, emits
tokens out of order, stems English and ignores ``chars=`` (see the search notes). Positions here count tokens and
every token carries its character offsets, so snippets are built from stored offsets without re-tokenising.

The analyzer is pickled into the index's TOC, so its parts are module-level classes.
"""

import unicodedata
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import Any

from whoosh.analysis import Analyzer, LowercaseFilter, StopFilter, Token, Tokenizer

from index import segment


def is_word(text: str) -> bool:
    """True when a token carries letters or digits (punctuation and spaces are never indexed)."""
    return any(ch.isalnum() for ch in text)


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
        for word, start, end in segment.tokenize(fold_width(value)):
            if not is_word(word):
                continue
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


def fold_width(text: str) -> str:
    """NFKC character by character, keeping a character whose NFKC form is not one character.

    Full-width ``ＡＢＣ１２`` becomes ``ABC12`` before segmentation (so it is cut as one word, as a normalised query
    is) while every character keeps its offset, which the stored ``chars`` depend on.
    """
    if text.isascii():
        return text
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


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
