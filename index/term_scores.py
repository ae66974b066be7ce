"""Each term's BM25F scores over the live documents, made once per term and index generation, and what ranking needs
to know of every document without loading it: its id, issue day and place in the issue, and the documents of a period.

Ranking a question's tiers through Whoosh's matchers took about 11 of the 26 ms of CPU a distinct question cost at 1,000
articles: building a matcher per term and field, decoding its blocks, each document's field length, and unpickling every
hit's stored fields for its date. A question's terms recur from question to question, and within one generation a term's
scores never change (the statistics are ``index.live``'s, fixed per searcher), so each term is scored once and kept as
arrays that ``index.tier_ranking`` combines with numpy. The scores are ``live.bm25f`` of each segment's postings and
field lengths (``index.segment_arrays``, read once per process and shared by the generations that hold the segment):
Whoosh's own formula over its own figures, so its very floats, without a scorer call per posting. Whoosh stays the
index of record: nothing here is written anywhere, and what is kept here dies with the searcher it was read from.

Memory: a term costs 12 bytes a posting (its docnums as int32, its scores as float64: a tie is decided at the sixth
decimal, beyond float32's precision). The terms are kept least recently used first and dropped beyond ``MAX_POSTINGS``
postings together, about 12 MB a worker: at 22,000 articles a term in every article's body holds 22,000 postings, so the
bound keeps some 45 of those or thousands of ordinary terms (tens to hundreds of postings), and one odd question's rare
terms push out next to nothing. A period's documents are compared day by day over every document's issue and event
days (0.05 ms at 22,000 documents; Whoosh's reading of the period's date ranges took 17-36 ms).

Not locked: a ``Search`` uses its searcher under its own lock.
"""

import functools
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray
from whoosh.searching import Searcher

from index import live, segment_arrays
from index.article import article_id, id_parts
from index.dates import DateRange

#: The attribute a top-level searcher keeps its term scores in.
CACHE = "_term_scores"
#: Postings kept over all cached terms (12 bytes each): see the module's docstring.
MAX_POSTINGS = 1_000_000


#: A day and a place, or arrays of them.
K = TypeVar("K", int, NDArray[np.int64])


@dataclass(frozen=True)
class Matches:
    """The documents a query matches, ascending, with their scores."""

    docs: NDArray[np.int32]
    scores: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.docs)


@dataclass(frozen=True)
class _Keys:
    """Every document's issue and event days (proleptic ordinals; ``segment_arrays.NO_DAY`` for none) and place in its
    issue, by docnum."""

    days: NDArray[np.int64]
    event_days: NDArray[np.int64]
    ordinals: NDArray[np.int64]


def _key(day: K, ordinal: K) -> K:
    """One number for an issue day and a place in it (an issue never holds a million stories)."""
    return day * 1_000_000 + ordinal


NOTHING = Matches(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


class TermScores:
    """One index generation's term scores and document keys (see the module's docstring)."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        self._terms: OrderedDict[tuple[str, str], Matches] = OrderedDict()
        self._postings = 0

    @property
    def doc_count(self) -> int:
        """Documents by number, deleted ones included: the length of an array over every document."""
        count: int = self._searcher.doc_count_all()
        return count

    def term(self, fieldname: str, text: str) -> Matches:
        """The live documents holding ``text`` in ``fieldname``, with the term's BM25F score in each."""
        key = (fieldname, text)
        found = self._terms.get(key)
        if found is not None:
            self._terms.move_to_end(key)
            return found
        found = self._scored(fieldname, text)
        self._terms[key] = found
        self._postings += len(found)
        while self._postings > MAX_POSTINGS and len(self._terms) > 1:
            _, dropped = self._terms.popitem(last=False)
            self._postings -= len(dropped)
        return found

    def allowed(self, period: DateRange) -> NDArray[np.bool_]:
        """Which documents (by docnum) were printed or happened within ``period``."""
        start, end = period.start.toordinal(), period.end.toordinal()
        keys = self._keys
        within: NDArray[np.bool_] = ((start <= keys.days) & (keys.days <= end)) | (
            (start <= keys.event_days) & (keys.event_days <= end)
        )
        return within

    @property
    def days(self) -> NDArray[np.int64]:
        """Each document's issue date (by docnum), as a proleptic ordinal."""
        return self._keys.days

    @property
    def ordinals(self) -> NDArray[np.int64]:
        """Each document's place in its issue (by docnum)."""
        return self._keys.ordinals

    def id(self, docnum: int) -> str:
        """The document's article id, made from its issue date and place as every stored article's is (the codec
        refuses an article whose id says otherwise)."""
        return article_id(date.fromordinal(int(self.days[docnum])), int(self.ordinals[docnum]))

    def docnum(self, id_: str) -> int | None:
        """The live document of the article ``id_``, or ``None``: found among every live document's issue day and
        place (sorted once per generation) rather than through the ``id`` field's terms, which took 0.4 ms an id at
        22,000 articles."""
        parts = id_parts(id_)
        if parts is None:
            return None
        keys, docs = self._live_keys
        key = _key(parts[0].toordinal(), parts[1])
        at = int(np.searchsorted(keys, key))
        return int(docs[at]) if at < len(keys) and keys[at] == key else None

    def warm(self) -> None:
        """Read now what the first question would: every segment's per-document arrays (the lengths of every field
        BM25F scores)."""
        scored = [name for name, field in self._searcher.schema.items() if field.scorable]
        for leaf in live.leaves(self._searcher):
            for fieldname in scored:
                segment_arrays.lengths(leaf.reader, fieldname)
        _ = self._keys

    @functools.cached_property
    def _live_keys(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Every live document's ``_key``, ascending, and its docnum."""
        alive = np.concatenate(
            [
                np.ones(leaf.reader.doc_count_all(), np.bool_) if leaf.alive is None else leaf.alive
                for leaf in live.leaves(self._searcher)
            ]
        )
        docs = np.flatnonzero(alive)
        keys = _key(self.days[docs], self.ordinals[docs])
        order = np.argsort(keys, kind="stable")
        return keys[order], docs[order]

    @functools.cached_property
    def _keys(self) -> "_Keys":
        """Every document's days and place: each segment's, side by side."""
        leaves = [leaf.reader for leaf in live.leaves(self._searcher)]
        return _Keys(
            days=np.concatenate([segment_arrays.days(reader, "issue_date") for reader in leaves]),
            event_days=np.concatenate([segment_arrays.days(reader, "event_date") for reader in leaves]),
            ordinals=np.concatenate([segment_arrays.ordinals(reader) for reader in leaves]),
        )

    def _scored(self, fieldname: str, text: str) -> Matches:
        """The term's score in each live document holding it, segment by segment."""
        docs: list[NDArray[np.int32]] = []
        scores: list[NDArray[np.float64]] = []
        for leaf in live.leaves(self._searcher):
            found = segment_arrays.postings(leaf.reader, fieldname, text)
            here, weights = found.docs, found.weights
            if leaf.alive is not None:
                keep = leaf.alive[here]
                here, weights = here[keep], weights[keep]
            if len(here):
                lengths = segment_arrays.lengths(leaf.reader, fieldname)[here]
                docs.append(here + np.int32(leaf.offset))
                scores.append(live.bm25f(self._searcher, fieldname, text, weights.astype(np.float64), lengths))
        if not docs:
            return NOTHING
        return Matches(np.concatenate(docs), np.concatenate(scores))


def of(searcher: Searcher) -> TermScores:
    """The term scores of ``searcher``'s generation, kept with its top-level searcher (as ``index.live`` keeps its
    statistics) so that they go when it does."""
    return live.kept(searcher, CACHE, TermScores)
