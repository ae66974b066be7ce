"""How much of what a question is about a story says: its content words, weighted by rarity, found in the story.

A resident's words that name the topic (望湖社区, 义诊, 停水) must be in the story that answers, and rare words say
more than common ones, so the coverage of a story is the share of the question's content words it contains, each
weighted by its inverse document frequency. It is read on the story's text directly, not on index terms: an unknown
place name is cut one way in a short question and another inside a long sentence (望湖 against 望 + 湖), and the
characters are the same either way.

Single characters and very common words (in more than ``COMMON_SHARE`` of the stories: 高新区, 社区 in a district
paper) are no content words: they never decide which story comes first. Only a question with nothing longer (拳, 苗)
is read for its single characters, since they are all it asks about. A word a story lacks may still be half there
(一顿饭 against 一顿): its longest sub-word found counts for its share of the characters. An editors' colloquial
word (``index.expansion``) stands in for a resident's word at ``EXPANSION_WEIGHT``, less than the resident's own.
"""

import itertools
import math
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: A word in more than this share of the stories, and in more than ``COMMON_MIN`` of them (a small index has no
#: common words), is too common to tell one from another.
COMMON_SHARE = 0.2
COMMON_MIN = 20
#: What a story holding only the paper's word for a resident's word scores for it, against 1 for the word itself.
EXPANSION_WEIGHT = 0.6


@dataclass(frozen=True)
class ContentWord:
    word: str
    #: Inverse document frequency: rare words weigh more.
    weight: float
    #: Sub-words (two characters or more) with the share of the word's characters each covers.
    parts: tuple[tuple[str, float], ...] = ()
    #: The paper's words for it, from the colloquial-word map.
    expansions: tuple[str, ...] = ()


def is_common(frequency: int, doc_count: int) -> bool:
    """Whether a word in ``frequency`` of ``doc_count`` stories is a very common one."""
    return frequency > max(COMMON_SHARE * doc_count, COMMON_MIN)


def fold(text: str) -> str:
    """Text as coverage compares it: NFKC (full width folded) and lower case, as questions are normalised."""
    return unicodedata.normalize("NFKC", text).lower()


def content_words(
    words: Iterable[str],
    sub_words: Callable[[str], Sequence[str]],
    doc_frequency: Callable[[str], int],
    doc_count: int,
    expansions: Mapping[str, Sequence[str]] | None = None,
) -> tuple[ContentWord, ...]:
    """The content words among a question's ``words``, weighted; ``sub_words`` cuts a word as the index does (its
    sub-words, stop words dropped), ``doc_frequency`` counts the stories holding an index term, and ``expansions``
    maps a resident's word to the paper's words for it."""
    words = list(dict.fromkeys(words))
    longer = _content_words(words, 2, sub_words, doc_frequency, doc_count, expansions or {})
    return longer or _content_words(words, 1, sub_words, doc_frequency, doc_count, {})


def _content_words(
    words: Sequence[str],
    shortest: int,
    sub_words: Callable[[str], Sequence[str]],
    doc_frequency: Callable[[str], int],
    doc_count: int,
    expansions: Mapping[str, Sequence[str]],
) -> tuple[ContentWord, ...]:
    found: list[ContentWord] = []
    for word in words:
        if len(word) < shortest:
            continue
        parts = [part for part in dict.fromkeys(sub_words(word)) if len(part) >= shortest]
        if not parts:  # a stop word
            continue
        frequency = doc_frequency(word) or max(map(doc_frequency, parts), default=0)
        if is_common(frequency, doc_count):
            continue
        weight = math.log((doc_count + 1) / (frequency + 0.5))
        shares = tuple((part, len(part) / len(word)) for part in parts if part != word)
        found.append(ContentWord(word, weight, shares, tuple(expansions.get(word, ()))))
    return tuple(found)


def coverage(words: Sequence[ContentWord], text: str, *, expanded: bool = True) -> float:
    """The weighted share of ``words`` found in ``text`` (folded); 0 when there are none. ``expanded=False`` reads
    the question as written: the colloquial-word map does not count."""
    with_map, as_written = coverages(words, text)
    return with_map if expanded else as_written


def coverages(words: Sequence[ContentWord], text: str) -> tuple[float, float]:
    """``coverage`` of ``text`` with the colloquial-word map and as written, each word looked for once: a question
    measures both on every candidate."""
    total = sum(word.weight for word in words)
    if not total:
        return 0.0, 0.0
    with_map = as_written = 0.0
    for word in words:
        share = _share(word, text)
        as_written += word.weight * share
        if share < EXPANSION_WEIGHT and any(expansion in text for expansion in word.expansions):
            share = EXPANSION_WEIGHT
        with_map += word.weight * share
    return with_map / total, as_written / total


def phrases(words: Sequence[str]) -> tuple[str, ...]:
    """Each two neighbouring words of a question, joined (望湖 + 社区, 十一 + 中), when three characters or more: a
    story that holds them together is about the same thing, where one that holds both apart may not be."""
    pairs = (first + second for first, second in itertools.pairwise(words))
    return tuple(dict.fromkeys(pair for pair in pairs if len(pair) >= 3))


def phrase_share(pairs: Sequence[str], text: str) -> float:
    """The share of ``pairs`` (``phrases``) found in ``text`` (folded); 0 when there are none."""
    return sum(pair in text for pair in pairs) / len(pairs) if pairs else 0.0


def _share(word: ContentWord, text: str) -> float:
    """How much of ``word`` is in ``text``: all of it, or its longest sub-word's share of its characters."""
    if word.word in text:
        return 1.0
    return max((share for part, share in word.parts if part in text), default=0.0)
