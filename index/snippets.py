"""The passage that answers: the best sentence (or two) of a body, matched terms marked 【like this】.

Pure functions over the body text and the character spans of the matched terms. The spans are those the index
stores (``chars=True``), found again in the body by cutting only the sentences that may hold a term: reading them
from the postings cost twice as much per hit (``tests/test_snippets.py`` holds the two equal).
"""

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence

from index.analysis import fold_width, words
from index.facts import Fact, holds
from index.hit import MARK_CLOSE, MARK_OPEN

#: ``(start, end)`` character offsets into a text, end excluded.
Span = tuple[int, int]

#: Chinese (and ASCII) sentence ends; a paragraph break ends a sentence too.
SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")
#: A sentence shorter than this gets its neighbour, so the passage says enough to answer.
SHORT_SENTENCE = 40


def sentences(text: str) -> list[Span]:
    """``(start, end)`` of each non-blank sentence of ``text``, ends included."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.span()
        if text[start:end].strip():
            spans.append((start, end))
    return spans


def term_spans(body: str, terms: Collection[str]) -> dict[str, list[Span]]:
    """Character spans of each of ``terms`` in ``body``, as the index's analyzer cut it: its words, lower case.

    ``terms`` must be terms of the index (never a stop word). jieba cuts each run of Han characters, letters and
    digits on its own, so no word spans a sentence's end and a sentence cut alone gives the words it gives inside
    the body; a sentence is cut only when its text holds a term, compared case-folded (unlike lower case, the same
    for a word alone and inside a sentence: Σ).
    """
    folded = fold_width(body)
    wanted = {term.casefold() for term in terms}
    spans: dict[str, list[Span]] = {}
    for start, end in sentences(folded):
        text = folded[start:end].casefold()
        if not any(term in text for term in wanted):
            continue
        for word, word_start, word_end in words(body[start:end]):
            term = word.lower()
            if term in terms:
                spans.setdefault(term, []).append((start + word_start, start + word_end))
    return spans


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans (search mode yields ``大沙河`` and ``沙河``: mark ``大沙河`` once)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: Iterable[Span], offset: int = 0) -> str:
    """``text`` with each span (relative to ``offset``) wrapped in 【】."""
    out, last = [], 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < last or end > len(text):
            continue
        out.append(text[last:start] + MARK_OPEN + text[start:end] + MARK_CLOSE)
        last = end
    out.append(text[last:])
    return "".join(out)


def best_passage(body: str, term_spans: Mapping[str, list[Span]], asks: Sequence[Fact] = ()) -> str:
    """The marked passage of ``body`` that covers the most distinct matched terms.

    ``term_spans`` maps each matched term to its ``(start, end)`` spans in ``body``. Sentences are scored by the
    number of distinct terms they hold, weighted by term length (a long term is a more specific match); ties go to the
    earlier sentence, where news puts what matters. A question that ``asks`` for a time or a figure prefers, among the
    sentences scoring at least half the best, one that states it: "什么时候通车" is answered by the sentence with the
    date, not by the one that repeats the bridge's name most.
    """
    spans = sentences(body)
    if not spans:
        return ""
    scores = [0.0] * len(spans)
    starts = [start for start, _ in spans]
    for term, positions in term_spans.items():
        # The sentence a match falls in: the last one starting at or before it.
        hit_sentences = {max(bisect_right(starts, start) - 1, 0) for start, _ in positions}
        for index in hit_sentences:
            scores[index] += len(term)
    enough = max(scores) / 2

    def answers(i: int) -> int:
        if not asks or not scores[i] or scores[i] < enough:
            return 0
        sentence = body[spans[i][0] : spans[i][1]]
        return sum(holds(fact, sentence) for fact in asks)

    best = max(range(len(spans)), key=lambda i: (answers(i), scores[i], -i))
    start, end = spans[best]
    if end - start < SHORT_SENTENCE and best + 1 < len(spans):
        end = spans[best + 1][1]
    passage = body[start:end]
    inside = [(s, e) for s, e in merge_spans(p for ps in term_spans.values() for p in ps) if start <= s and e <= end]
    text = mark(passage, inside, offset=start)
    stripped = text.strip()
    return stripped.replace("\n", " ")
