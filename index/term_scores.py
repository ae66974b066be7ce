"""Each term's BM25F scores over the live documents, read from Whoosh once per term and index generation, and what
ranking needs to know of every document without loading it: its id, issue day and place in the issue, and the
documents of a period.

Ranking a question's tiers through Whoosh's matchers took about 11 of the 26 ms of CPU a distinct question cost at 1,000
articles: building a matcher per term and field, decoding its blocks, each document's field length, and unpickling every
hit's stored fields for its date. A question's terms recur from question to question, and within one generation a term's
scores never change (the statistics are ``index.live``'s, fixed per searcher), so each term is scored once, by Whoosh's
own scorer (``live.WEIGHTING``) over its postings, and kept as arrays that ``index.tier_ranking`` combines with numpy.
Whoosh stays the index of record: nothing here is written anywhere, and everything dies with the searcher it was read
from.

Memory: a term costs 12 bytes a posting (its docnums as int32, its scores as float64: a tie is decided at the sixth
decimal, beyond float32's precision). The terms are kept least recently used first and dropped beyond ``MAX_POSTINGS``
postings together, about 12 MB a worker: at 22,000 articles a term in every article's body holds 22,000 postings, so the
bound keeps some 45 of those or thousands of ordinary terms (tens to hundreds of postings), and one odd question's rare
terms push out next to nothing. A period's documents are a byte a document, and ``MAX_PERIODS`` of them are kept.

Not locked: a ``Search`` uses its searcher under its own lock.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray
from whoosh import query as Q
from whoosh.searching import Searcher

from index import live
from index.article import article_id

#: The attribute a top-level searcher keeps its term scores in.
CACHE = "_term_scores"
#: Postings kept over all cached terms (12 bytes each): see the module's docstring.
MAX_POSTINGS = 1_000_000
#: Periods (date filters) whose documents are kept.
MAX_PERIODS = 32


@dataclass(frozen=True)
class Matches:
    """The documents a query matches, ascending, with their scores."""

    docs: NDArray[np.int32]
    scores: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.docs)


NOTHING = Matches(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


class TermScores:
    """One index generation's term scores, document keys and periods (see the module's docstring)."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher
        self._terms: OrderedDict[tuple[str, str], Matches] = OrderedDict()
        self._postings = 0
        self._periods: OrderedDict[Q.Query, NDArray[np.bool_]] = OrderedDict()
        self._days: NDArray[np.int64] | None = None
        self._ordinals: NDArray[np.int64] = np.zeros(0, dtype=np.int64)

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
        found = _scored(self._searcher, fieldname, text)
        self._terms[key] = found
        self._postings += len(found)
        while self._postings > MAX_POSTINGS and len(self._terms) > 1:
            _, dropped = self._terms.popitem(last=False)
            self._postings -= len(dropped)
        return found

    def allowed(self, period: Q.Query) -> NDArray[np.bool_]:
        """Which documents (by docnum) ``period``, a filter query, lets through: Whoosh's own reading of it."""
        found = self._periods.get(period)
        if found is not None:
            self._periods.move_to_end(period)
            return found
        found = np.zeros(self.doc_count, dtype=np.bool_)
        found[np.fromiter(self._searcher.docs_for_query(period), dtype=np.int64)] = True
        self._periods[period] = found
        if len(self._periods) > MAX_PERIODS:
            self._periods.popitem(last=False)
        return found

    @property
    def days(self) -> NDArray[np.int64]:
        """Each document's issue date (by docnum), as a proleptic ordinal."""
        return self._keys()[0]

    @property
    def ordinals(self) -> NDArray[np.int64]:
        """Each document's place in its issue (by docnum)."""
        return self._keys()[1]

    def id(self, docnum: int) -> str:
        """The document's article id, made from its issue date and place as every stored article's is (the codec
        refuses an article whose id says otherwise)."""
        days, ordinals = self._keys()
        return article_id(date.fromordinal(int(days[docnum])), int(ordinals[docnum]))

    def _keys(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Every document's issue day and ordinal, read once per generation from the ``issue_date`` column and the
        ``ordinal`` field's terms (a few hundred), never from the stored articles."""
        if self._days is None:
            reader = self._searcher.reader()
            column = reader.column_reader("issue_date", translate=True)
            self._days = np.array([day.toordinal() for day in column], dtype=np.int64)
            self._ordinals = np.zeros(self.doc_count, dtype=np.int64)
            field = reader.schema["ordinal"]
            for text in field.sortable_terms(reader, "ordinal"):
                docs = list(reader.postings("ordinal", text).all_ids())
                self._ordinals[docs] = int(field.from_bytes(text))
        return self._days, self._ordinals


def of(searcher: Searcher) -> TermScores:
    """The term scores of ``searcher``'s generation, kept with its top-level searcher (as ``index.live`` keeps its
    statistics) so that they go when it does."""
    return live.kept(searcher, CACHE, TermScores)


def _scored(searcher: Searcher, fieldname: str, text: str) -> Matches:
    """Whoosh's BM25F score of each live posting of the term, segment by segment (a scorer reads its segment's
    field lengths), as ``searcher.search`` would score a ``Term`` query."""
    docs: list[int] = []
    scores: list[float] = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (fieldname, text) not in reader:
            continue
        scorer = live.WEIGHTING.scorer(leaf, fieldname, text)
        matcher = reader.postings(fieldname, text, scorer=scorer)  # deleted documents are filtered out
        while matcher.is_active():
            docs.append(offset + matcher.id())
            scores.append(matcher.score())
            matcher.next()
    if not docs:
        return NOTHING
    return Matches(np.array(docs, dtype=np.int32), np.array(scores, dtype=np.float64))
