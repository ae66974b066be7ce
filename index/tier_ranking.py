"""A lexical tier (one of ``index.search.Plan``'s queries) ranked from the cached term scores of ``index.term_scores``
with numpy, as Whoosh's ``searcher.search`` would score it but without building its matchers.

``matches`` gives the queries a plan is made of Whoosh's meaning: a ``Term`` scores its postings (times its boost);
``Or`` sums the scores of the subqueries a document matches; ``And`` keeps the documents every subquery matches and
sums; ``AndMaybe(required, optional)`` keeps the required query's documents and adds the optional one's score where
it matches too. As in Whoosh, a compound of one subquery is that subquery (its boost unused) and an empty one matches
nothing. Another kind of query is a ``TypeError``: it has no cached scores.

``best`` orders the matches by the tie rules and keeps the first ``count``: the score rounded to the sixth decimal,
highest first (scores equal that far are equal: sums taken in another order differ in the last bits), then the newer
issue, then the place in the issue. The rules decide the cut too: at the boundary a tie goes to the newer issue.
Whoosh's own top-k cut kept the lower document numbers (the older ingests) and only then sorted the ``count`` it kept
by date, so an equally scored newer story beyond the first ``count`` matches used to be lost; here it is not.
"""

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from whoosh import query as Q

from index.term_scores import NOTHING, Matches, TermScores

#: Decimals a score is compared to: beyond them, scores summed in another order differ.
DECIMALS = 6
#: Lists holding together more postings than this share (one in so many) of the documents are summed over an array
#: of every document rather than sorted together: at 22,000 articles, four lists of common terms (46,000 postings)
#: sum in 0.2 ms so, in 1.7 ms sorted; a few short lists sort in 0.01 ms.
DENSE_SHARE = 16
#: Scores this far below the ``count``-th best may still round to its value and win its place on the tie rules.
_ROUNDING_MARGIN = 2 * 10.0**-DECIMALS


def matches(query: Q.Query, scores: TermScores) -> Matches:
    """The documents ``query`` matches, with Whoosh's score for each (see the module's docstring)."""
    if isinstance(query, Q.Term):
        return _boosted(scores.term(query.fieldname, query.text), query.boost)
    if isinstance(query, Q.AndMaybe):
        return _and_maybe(matches(query.a, scores), matches(query.b, scores))
    if isinstance(query, Q.And | Q.Or) and getattr(query, "scale", None) is None:
        subs = [matches(sub, scores) for sub in query.subqueries]
        if len(subs) <= 1:
            return subs[0] if subs else NOTHING
        combined = _intersection(subs) if isinstance(query, Q.And) else _union(subs, scores.doc_count)
        return _boosted(combined, query.boost)
    raise TypeError(f"no cached scores for {query!r}")


def within(found: Matches, allowed: NDArray[np.bool_]) -> Matches:
    """The matches among the ``allowed`` documents (a filter: their scores are unchanged)."""
    keep = allowed[found.docs]
    return Matches(found.docs[keep], found.scores[keep])


def best(found: Matches, scores: TermScores, count: int) -> list[tuple[str, float]]:
    """The first ``count`` matches by the tie rules, as (article id, score)."""
    docs, values = found.docs, found.scores
    if len(docs) > count:
        floor = np.partition(values, len(values) - count)[len(values) - count]
        near = values >= floor - _ROUNDING_MARGIN
        docs, values = docs[near], values[near]
    order = np.lexsort((docs, scores.ordinals[docs], -scores.days[docs], -_rounded(values)))[:count]
    return [(scores.id(int(docs[at])), float(values[at])) for at in order]


def _rounded(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """``round(value, DECIMALS)`` of each value as Python rounds it: numpy scales first, which may move a value
    lying a hair from a half to the other side of it, so those few are rounded by Python."""
    rounded: NDArray[np.float64] = np.round(values, DECIMALS)
    scaled = values * 10.0**DECIMALS
    for at in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6):
        rounded[at] = round(float(values[at]), DECIMALS)
    return rounded


def _boosted(found: Matches, boost: float) -> Matches:
    return found if boost == 1.0 else Matches(found.docs, found.scores * boost)


def _union(subs: Sequence[Matches], doc_count: int) -> Matches:
    """Sums by document: over an array of every document when the lists are long (no sort), else by sorting."""
    docs = np.concatenate([sub.docs for sub in subs])
    weights = np.concatenate([sub.scores for sub in subs])
    if len(docs) * DENSE_SHARE > doc_count:
        present = np.zeros(doc_count, dtype=np.bool_)
        present[docs] = True
        united = np.flatnonzero(present)
        summed = np.bincount(docs, weights=weights, minlength=doc_count)[united]
    else:
        united, at = np.unique(docs, return_inverse=True)
        summed = np.bincount(at, weights=weights, minlength=len(united))
    return Matches(united.astype(np.int32, copy=False), summed.astype(np.float64, copy=False))


def _intersection(subs: Sequence[Matches]) -> Matches:
    docs, summed = subs[0].docs, subs[0].scores
    for sub in subs[1:]:
        docs, mine, theirs = np.intersect1d(docs, sub.docs, assume_unique=True, return_indices=True)
        summed = summed[mine] + sub.scores[theirs]
    return Matches(docs.astype(np.int32), summed)


def _and_maybe(required: Matches, optional: Matches) -> Matches:
    at = np.minimum(np.searchsorted(optional.docs, required.docs), max(len(optional) - 1, 0))
    both = optional.docs[at] == required.docs if len(optional) else np.zeros(len(required), dtype=np.bool_)
    summed = required.scores.copy()
    summed[both] += optional.scores[at[both]]
    return Matches(required.docs, summed)
