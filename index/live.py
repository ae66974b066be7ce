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
to ``FREQUENCIES``): a question asks the frequencies of its words in every field many times over.
"""

import functools
from collections.abc import Callable
from math import log
from typing import Any, TypeVar

from whoosh.reading import IndexReader
from whoosh.scoring import BM25F, BM25FScorer, WeightingModel
from whoosh.searching import Searcher

from index.schema import from_stored, to_document

#: The attribute a top-level searcher keeps its live statistics in.
CACHE = "_live_statistics"
#: Document frequencies a searcher remembers, the most recently asked: each costs a lookup in the term index
#: (~10 µs) or, with deleted documents, a walk over the term's postings, and a question asks ~20, mostly of words
#: other questions asked too. About 250 bytes each, so at most ~4 MB per worker.
FREQUENCIES = 16384

T = TypeVar("T")


class _Statistics:
    def __init__(self, searcher: Searcher) -> None:
        self.reader = searcher.reader()
        self.deleted: list[int] = (
            [
                offset + docnum
                for leaf, offset in self.reader.leaf_readers()
                for docnum in sorted(leaf.deleted_docs_set or ())
            ]
            if self.reader.has_deletions()
            else []
        )
        self.doc_count: int = self.reader.doc_count()
        self.frequency: Callable[[str, str], int] = functools.lru_cache(maxsize=FREQUENCIES)(
            functools.partial(_live_frequency, self.reader, bool(self.deleted))
        )
        self.lengths: dict[str, int] = {}
        self._deleted_lengths: dict[str, int] | None = None

    def deleted_length(self, searcher: Searcher, fieldname: str) -> int:
        """The exact total length of ``fieldname`` over the deleted documents, as the writer counted it."""
        if self._deleted_lengths is None:
            lengths: dict[str, int] = {}
            for docnum in self.deleted:
                document = to_document(from_stored(self.reader.stored_fields(docnum)))
                for name, value in document.items():
                    field = searcher.schema[name]
                    if value is not None and field.indexed and field.scorable:
                        lengths[name] = lengths.get(name, 0) + sum(freq for _, freq, _, _ in field.index(value))
            self._deleted_lengths = lengths
        return self._deleted_lengths.get(fieldname, 0)


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


def doc_frequency(searcher: Searcher, fieldname: str, text: str) -> int:
    """How many live documents hold ``text`` in ``fieldname``."""
    return _statistics(searcher).frequency(fieldname, text)


def _live_frequency(reader: IndexReader, deleted: bool, fieldname: str, text: str) -> int:
    """Whoosh's own document frequency, or with ``deleted`` documents the live postings counted."""
    if not deleted:
        count: int = reader.doc_frequency(fieldname, text)
        return count
    return sum(1 for _ in reader.postings(fieldname, text).all_ids()) if (fieldname, text) in reader else 0


def doc_count(searcher: Searcher) -> int:
    return _statistics(searcher).doc_count


def avg_field_length(searcher: Searcher, fieldname: str) -> float:
    """The mean length of ``fieldname`` over the live documents."""
    statistics = _statistics(searcher)
    if fieldname not in statistics.lengths:
        total: int = statistics.reader.field_length(fieldname)
        if statistics.deleted:
            total -= statistics.deleted_length(searcher.get_parent(), fieldname)
        statistics.lengths[fieldname] = total
    return statistics.lengths[fieldname] / (statistics.doc_count or 1)


class LiveBM25F(BM25F):  # type: ignore[misc]  # Whoosh ships no type information
    """Whoosh's BM25F with the inverse document frequency and the mean field length over live documents."""

    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        return log(doc_count(searcher) / (doc_frequency(searcher, fieldname, text) + 1)) + 1

    def scorer(self, searcher: Searcher, fieldname: str, text: str, qf: int = 1) -> Any:
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return LiveBM25FScorer(searcher, fieldname, text, self._field_B.get(fieldname, self.B), self.K1, qf=qf)


class LiveBM25FScorer(BM25FScorer):  # type: ignore[misc]  # Whoosh ships no type information
    def __init__(self, searcher: Searcher, fieldname: str, text: str, B: float, K1: float, qf: int = 1) -> None:
        parent = searcher.get_parent()
        self.idf = parent.idf(fieldname, text)  # the searcher caches the weighting's idf per term
        self.avgfl = avg_field_length(parent, fieldname) or 1
        self.B, self.K1, self.qf = B, K1, qf
        self.setup(searcher, fieldname, text)


WEIGHTING: WeightingModel = LiveBM25F()
