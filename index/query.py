"""From what a resident typed (or said) to the terms the index is searched for.

The raw text never reaches Whoosh's query parser: it is normalised, its date words become a ``DateRange``, the
question words are dropped, and what is left goes through the index's own analyzer, so query terms are cut exactly
as the stories were. A ``QueryAnalyzer`` holds the word lists it reads with (given by its caller) and remembers the
questions it analysed last, since residents ask the same things again and each analysis costs a segmentation.
"""

import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Generic, TypeVar

import opencc

from index import segment
from index.analysis import chinese_analyzer, is_word, load_words
from index.dates import DateRange, parse_dates
from index.editable import WatchedFile
from index.expansion import ColloquialMap
from index.facts import Fact, asked, load_fact_words
from index.offtopic import QuestionKinds
from index.wordlists import WordLists

T = TypeVar("T")

#: Longer input is cut before any work (NFKC can multiply a character by 18), the result once more after it.
RAW_CAP, NORMALIZED_CAP = 1000, 200


class _Lazy(Generic[T]):
    """A value built once, on first use, even when several threads ask for it first (OpenCC, jieba, files)."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build, self._lock = build, threading.Lock()
        self._value: T | None = None

    def __call__(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                value = self._value
                if value is None:
                    value = self._value = self._build()
        return value


_t2s = _Lazy(lambda: opencc.OpenCC("t2s"))
#: Analysed questions remembered per analyzer (and day: dates in a question are read relative to it).
CACHED_QUESTIONS = 4096


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    normalized: str
    dates: DateRange | None = None
    #: Index terms, unique, in order: what the searcher looks for.
    terms: tuple[str, ...] = ()
    #: The topic as the resident would read it (``太极拳``, not ``太极`` + ``太极拳``): for "nothing found for …".
    words: tuple[str, ...] = ()
    #: What the question asks for beyond a story: a time ("什么时候"), a figure ("多少钱"), or nothing.
    asks: tuple[Fact, ...] = ()
    #: Residents' words of the colloquial-word map found in the question, each with the paper's words for it.
    expansions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: The kind of question the bulletin never answers that the question is of (天气, 车次和航班, ...), if any.
    kind: str | None = None

    @property
    def marked(self) -> tuple[str, ...]:
        """What a snippet marks: the question's terms, then the paper's words its colloquial words stand for."""
        extra = (word for _, papers in self.expansions for word in papers)
        return tuple(dict.fromkeys((*self.terms, *extra)))


def _is_decimal_point(text: str, i: int) -> bool:
    return text[i] == "." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


def normalize(text: str) -> str:
    """Undo what phones add to a question (full width, traditional characters, emoji, voice punctuation).

    Anything a resident can send must come out as plain words, so no input raises: surrogates and controls become
    spaces before OpenCC, which cannot encode them.
    """
    text = unicodedata.normalize("NFKC", text[:RAW_CAP]).lower()
    kept = []
    for i, ch in enumerate(text):
        kind = unicodedata.category(ch)[0]
        if kind in "LN" or _is_decimal_point(text, i):  # 3.5亿 is indexed as 3.5
            kept.append(ch)
        elif kind != "M":  # punctuation, symbols, emoji, spaces, controls, surrogates
            kept.append(" ")
    simplified = _t2s().convert("".join(kept))
    return " ".join(simplified.split())[:NORMALIZED_CAP].strip()


def _is_question(text: str, words: frozenset[str], longest: int) -> bool:
    """True when ``text`` is made entirely of question words (``我想知道`` = 我 + 想 + 知道)."""
    ends = {0}
    for end in range(1, len(text) + 1):
        if any(end - size in ends and text[end - size : end] in words for size in range(1, min(longest, end) + 1)):
            ends.add(end)
    return len(text) in ends


class QueryAnalyzer:
    """Reads residents' messages with the word lists the index was built with."""

    def __init__(self, words: WordLists, *, cached: int = CACHED_QUESTIONS) -> None:
        segment.initialize(words.userdict)
        #: The index's own analyzer, built as ``build_schema`` builds it: questions are cut exactly as stories were.
        self.terms_analyzer = chinese_analyzer(words.stopwords)
        self.question_words = frozenset(load_words(words.question_words))
        self.fact_words = load_fact_words(words.fact_words)
        self.colloquial = ColloquialMap(words.synonyms)
        self.kinds = WatchedFile(words.off_topic, QuestionKinds.load)
        #: A question word spans at most this many segmented words.
        self._longest = max(map(len, self.question_words), default=1)
        self._cached = lru_cache(maxsize=cached)(self._analyze)

    def analyze(self, text: str, today: date) -> ParsedQuery:
        """Parse a resident's message (remembered; forgotten when the colloquial-word map or the kinds change)."""
        if self.colloquial.refresh() | self.kinds.refresh():  # both read again, whichever changed
            self._cached.cache_clear()
        return self._cached(text, today)

    def _analyze(self, text: str, today: date) -> ParsedQuery:
        """Parse a resident's message; a message of question words only is searched as it is."""
        normalized = normalize(text)
        dates, rest = parse_dates(normalized, today)
        words = self._drop_question_words(rest)
        if not words and dates is None:
            words = [w for w in segment.cut(rest) if is_word(w)]
        terms = self._terms(" ".join(words))
        return ParsedQuery(
            text,
            normalized,
            dates,
            terms,
            tuple(words),
            asked(normalized, self.fact_words),
            self.colloquial.expansions(rest),
            self.kinds.value.kind_of(normalized),
        )

    def _drop_question_words(self, text: str) -> list[str]:
        """The topic words of ``text``: runs of segmented words made only of question words are dropped.

        Matching whole words rather than substrings keeps topics intact: removing the string 告诉我 would leave 们 of
        告诉我们, and 想问 would break 思想问题.
        """
        words, longest = self.question_words, self._longest
        cut = [w for w in segment.cut(text) if is_word(w)]
        kept, i = [], 0
        while i < len(cut):
            runs = range(min(len(cut), i + longest), i, -1)
            run = next((j for j in runs if _is_question("".join(cut[i:j]), words, longest)), None)
            if run is None:
                kept.append(cut[i])
                i += 1
            else:
                i = run
        return kept

    def _terms(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(token.text for token in self.terms_analyzer(text) if token.text))
