"""Ranking statistics over the live documents only, so that nodes holding the same articles rank them alike.

Whoosh keeps a deleted document's postings and lengths until a merge rewrites its segment, and counts them in its
statistics: a term's document frequency, the number of documents, a field's total length. A node that applied
corrections and removals one by one holds such leftovers; a node of a cluster built afresh from the record holds
none. Ranked with Whoosh's own statistics, the same articles at the same record position would come out in another
order on each. These figures count the live documents only, exactly as a freshly built index counts them: a term's
frequency over the postings of live documents, and a field's total length less the lengths of the deleted
documents, measured again from their stored articles (Whoosh keeps those lengths only rounded).

When nothing is deleted they are Whoosh's own figures; otherwise each is computed anew for each searcher (a searcher
reads one index generation); the deleted documents are those replaced since their segment was last merged, usually a
few issues' worth. Either way the figures are kept with the searcher (the term frequencies most recently asked, up
to ``FREQUENCIES``): a question asks the frequencies of its words in every field many times over. A term's frequency
in a segment holding deleted documents is counted over its postings (``index.segment_arrays``, read once per
process: a segment never changes, only which of its documents a generation deleted).

``bm25f`` is ``LiveBM25FScorer``'s formula over arrays, for ``index.term_scores``.
"""

import bisect
import functools
from collections.abc import Callable
from dataclasses import dataclass
from math import log
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray
from whoosh.reading import IndexReader
from whoosh.scoring import BM25F, BM25FScorer
from whoosh.searching import Searcher

from index import segment_arrays

#: The attribute a top-level searcher keeps its live statistics in.
CACHE = "_live_statistics"
#: Document frequencies a searcher remembers, the most recently asked: each costs a lookup in the term index
#: (~10 µs) or, with deleted documents, a walk over the term's postings, and a question asks ~20, mostly of words
#: other questions asked too. About 250 bytes each, so at most ~4 MB per worker.
FREQUENCIES = 16384

T = TypeVar("T")


@dataclass(frozen=True)
class Leaf:
    """One segment of a generation: its reader, the number of its first document in the generation, and which of its
    documents are live (``None``: all of them)."""

    reader: IndexReader
    offset: int
    alive: NDArray[np.bool_] | None


class _Statistics:
    def __init__(self, searcher: Searcher) -> None:
        self.reader = searcher.reader()
        self.leaves = [_leaf(leaf, offset) for leaf, offset in self.reader.leaf_readers()]
        self.has_deletions = any(leaf.alive is not None for leaf in self.leaves)
        self.doc_count: int = self.reader.doc_count()
        self.frequency: Callable[[str, str], int] = functools.lru_cache(maxsize=FREQUENCIES)(
            functools.partial(_live_frequency, self.reader, self.leaves if self.has_deletions else None)
        )
        self.lengths: dict[str, int] = {}

    def deleted_length(self, fieldname: str) -> int:
        """The exact total length of ``fieldname`` over the deleted documents, as the writer counted it."""
        return sum(
            segment_arrays.written_lengths(leaf.reader, int(docnum)).get(fieldname, 0)
            for leaf in self.leaves
            if leaf.alive is not None
            for docnum in np.flatnonzero(~leaf.alive)
        )


def _leaf(reader: IndexReader, offset: int) -> Leaf:
    if not reader.has_deletions():
        return Leaf(reader, offset, None)
    alive = np.ones(reader.doc_count_all(), dtype=np.bool_)
    alive[sorted(reader.deleted_docs_set)] = False
    return Leaf(reader, offset, alive)


def kept(searcher: Searcher, attribute: str, make: Callable[[Searcher], T]) -> T:
    """What ``make`` reads of ``searcher``'s generation, made once and kept on its top-level searcher under
    ``attribute``: a searcher reads one generation, and what is kept goes when it does."""
    top = searcher.get_parent()
    found: T | None = getattr(top, attribute, None)
    if found is None:
        found = make(top)
        setattr(top, attribute, found)
    return found


def _statistics(searcher: Searcher) -> _Statistics:
    return kept(searcher, CACHE, _Statistics)


def leaves(searcher: Searcher) -> list[Leaf]:
    """The segments of ``searcher``'s generation, in document order, with their live documents."""
    return _statistics(searcher).leaves


def locate(searcher: Searcher, docnum: int) -> tuple[Leaf, int]:
    """The segment holding the generation's document ``docnum``, and the document's number in it."""
    found = _statistics(searcher).leaves
    at = bisect.bisect_right([leaf.offset for leaf in found], docnum) - 1
    return found[at], docnum - found[at].offset


def doc_frequency(searcher: Searcher, fieldname: str, text: str) -> int:
    """How many live documents hold ``text`` in ``fieldname``."""
    return _statistics(searcher).frequency(fieldname, text)


def _live_frequency(reader: IndexReader, leaves: list[Leaf] | None, fieldname: str, text: str) -> int:
    """Whoosh's own document frequency, or with ``leaves`` holding deleted documents their live postings counted."""
    if leaves is None:
        count: int = reader.doc_frequency(fieldname, text)
        return count
    return sum(_live_in_leaf(leaf, fieldname, text) for leaf in leaves)


def _live_in_leaf(leaf: Leaf, fieldname: str, text: str) -> int:
    if leaf.alive is None:
        count: int = leaf.reader.doc_frequency(fieldname, text)
        return count
    return int(np.count_nonzero(leaf.alive[segment_arrays.postings(leaf.reader, fieldname, text).docs]))


def doc_count(searcher: Searcher) -> int:
    return _statistics(searcher).doc_count


def avg_field_length(searcher: Searcher, fieldname: str) -> float:
    """The mean length of ``fieldname`` over the live documents."""
    statistics = _statistics(searcher)
    if fieldname not in statistics.lengths:
        total: int = statistics.reader.field_length(fieldname)
        if statistics.has_deletions:
            total -= statistics.deleted_length(fieldname)
        statistics.lengths[fieldname] = total
    return statistics.lengths[fieldname] / (statistics.doc_count or 1)


class LiveBM25F(BM25F):  # type: ignore[misc]  # Whoosh ships no type information
    """Whoosh's BM25F with the inverse document frequency and the mean field length over live documents."""

    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        return log(doc_count(searcher) / (doc_frequency(searcher, fieldname, text) + 1)) + 1

    def parameters(self, fieldname: str) -> tuple[float, float]:
        """``B`` and ``K1`` for ``fieldname``."""
        return self._field_B.get(fieldname, self.B), self.K1

    def scorer(self, searcher: Searcher, fieldname: str, text: str, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return LiveBM25FScorer(searcher, fieldname, text, *self.parameters(fieldname), qf=qf)


class LiveBM25FScorer(BM25FScorer):  # type: ignore[misc]  # Whoosh ships no type information
    def __init__(self, searcher: Searcher, fieldname: str, text: str, B: float, K1: float, qf: int = 1) -> None:
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)  # the searcher caches the weighting's idf per term
        self.avgfl = avg_field_length(parent, fieldname) or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)


WEIGHTING = LiveBM25F()


def bm25f(
    searcher: Searcher, fieldname: str, text: str, weights: NDArray[np.float64], lengths: NDArray[np.int64]
) -> NDArray[np.float64]:
    """``WEIGHTING``'s score of ``text`` in documents of these ``weights`` and ``fieldname`` ``lengths``: what
    ``LiveBM25FScorer`` gives posting by posting, from the same figures by the same operations in the same order, so
    the very same floats."""
    if not searcher.schema[fieldname].scorable:
        raise TypeError(f"{fieldname} keeps no lengths: BM25F does not score it")
    parent = searcher.get_parent()
    idf = parent.idf(fieldname, text)
    avgfl = avg_field_length(parent, fieldname) or 1
    B, K1 = WEIGHTING.parameters(fieldname)
    scores: NDArray[np.float64] = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / avgfl)))
    return scores
