"""What ranking reads of a Whoosh segment, read once per process and kept as numpy arrays: a term's postings (document
numbers and weights), every document's field lengths, issue and event days and place in its issue, and a deleted
document's exact field lengths.

A segment's files never change once written: a commit writes new segments and a new TOC, and deletions are the TOC's,
not the segment's. So what is read of a segment stays true in every index generation that still holds it. An ingest
commits a small segment beside the big ones, and the generation it makes shares all the others with the one before:
the first question after it reads the new segment alone, where reading every posting of its terms again through
Whoosh's scorer took 201-269 ms at 22,000 articles (bench/RESULTS.md). Deleted documents are in these arrays;
``index.term_scores`` leaves out those its generation deleted.

The arrays are kept per process, keyed by the segment's directory and id (both unique: a reindex writes a new
directory, and Whoosh names each segment afresh), least recently used first: ``MAX_POSTINGS`` postings in all (8 bytes
each), and ``MAX_DOCUMENT_VALUES`` per-document values (8 bytes each; six arrays a segment). gunicorn's master warms
them before the fork (``Search.warm_up``), so its workers share those pages.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader
from whoosh.util.times import long_to_datetime

from index.schema import from_stored, to_document

#: Postings kept over all terms of all segments: see the module's docstring.
MAX_POSTINGS = 1_000_000
#: The day of a document without one: before every proleptic ordinal.
NO_DAY = 0
#: Per-document values kept over all segments: six arrays of 22,000 documents hold 132,000.
MAX_DOCUMENT_VALUES = 1_000_000

T = TypeVar("T")


@dataclass(frozen=True)
class Postings:
    """A term's postings in one segment, ascending by the segment's own document numbers, deleted ones included.

    ``weights`` are Whoosh's (the term's frequency times the field's boost), which its writer keeps as float32: they
    are kept so, exactly, and widened to float64 where they are scored.
    """

    docs: NDArray[np.int32]
    weights: NDArray[np.float32]

    def __len__(self) -> int:
        return len(self.docs)


class BoundedCache:
    """A least-recently-used map whose entries have sizes, dropped oldest first beyond ``limit`` in all; safe to share
    between threads."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T], size: Callable[[T], int]) -> T:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found[0]  # type: ignore[return-value]  # stored under this key by the same ``make``
        value = make()  # outside the lock: reads take milliseconds, and two threads reading alike is harmless
        with self._lock:
            if key not in self._entries:
                self._entries[key] = (value, size(value))
                self._size += size(value)
                while self._size > self._limit and len(self._entries) > 1:
                    _, (_, dropped) = self._entries.popitem(last=False)
                    self._size -= dropped
        return value


_postings = BoundedCache(MAX_POSTINGS)
_documents = BoundedCache(MAX_DOCUMENT_VALUES)


def postings(reader: IndexReader, fieldname: str, text: str) -> Postings:
    """The postings of ``text`` in ``fieldname`` of the segment ``reader`` reads (one of a searcher's leaves)."""
    return _postings.get((segment_key(reader), fieldname, text), lambda: _read_postings(reader, fieldname, text), len)


def lengths(reader: IndexReader, fieldname: str) -> NDArray[np.int64]:
    """Each document's length of ``fieldname`` in the segment, as Whoosh's scorer reads it (rounded to a byte)."""
    return _documents.get((segment_key(reader), "lengths", fieldname), lambda: _read_lengths(reader, fieldname), len)


def days(reader: IndexReader, fieldname: str) -> NDArray[np.int64]:
    """Each document's day in the date field ``fieldname`` (``issue_date``, ``event_date``) in the segment, as a
    proleptic ordinal; ``NO_DAY`` where a document has none."""
    return _documents.get((segment_key(reader), "days", fieldname), lambda: _read_days(reader, fieldname), len)


def ordinals(reader: IndexReader) -> NDArray[np.int64]:
    """Each document's place in its issue, in the segment."""
    return _documents.get((segment_key(reader), "ordinals"), lambda: _read_ordinals(reader), len)


def written_lengths(reader: IndexReader, docnum: int) -> dict[str, int]:
    """The exact length of each scored field of a document as its writer counted it, measured again from its stored
    article: the lengths column keeps them rounded to a byte, and ``index.live`` needs the deleted documents' exact
    ones."""
    return _documents.get((segment_key(reader), "written", docnum), lambda: _measure(reader, docnum), len)


def segment_key(reader: IndexReader) -> tuple[str, str]:
    """What names a segment in this process: its index directory and its id."""
    return str(reader.storage().folder), str(reader.segment().segment_id())


def _read_postings(reader: IndexReader, fieldname: str, text: str) -> Postings:
    docs: list[int] = []
    weights: list[float] = []
    if (fieldname, text) in reader:
        matcher = _unfiltered(reader.postings(fieldname, text))
        while matcher.is_active():
            docs.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    widths = np.array(weights, dtype=np.float64)
    narrow = widths.astype(np.float32)
    if not np.array_equal(narrow, widths):
        raise ValueError(f"weights of {fieldname}:{text} are not float32: the index was not written by Whoosh 3")
    return Postings(np.array(docs, dtype=np.int32), narrow)


def _read_lengths(reader: IndexReader, fieldname: str) -> NDArray[np.int64]:
    found = np.zeros(reader.doc_count_all(), dtype=np.int64)
    for docnum in range(len(found)):
        found[docnum] = reader.doc_field_length(docnum, fieldname, 0) or 0
    return found


def _read_days(reader: IndexReader, fieldname: str) -> NDArray[np.int64]:
    """From the field's column: Whoosh keeps a date as microseconds since 0001-01-01, and the column's default where a
    document has none."""
    column = reader.column_reader(fieldname, translate=False)
    missing = reader.schema[fieldname].column_type.default_value()
    return np.array([NO_DAY if raw == missing else long_to_datetime(raw).toordinal() for raw in column], dtype=np.int64)


def _read_ordinals(reader: IndexReader) -> NDArray[np.int64]:
    """From the ``ordinal`` field's terms (a few hundred), never from the stored articles."""
    found = np.zeros(reader.doc_count_all(), dtype=np.int64)
    field = reader.schema["ordinal"]
    for text in field.sortable_terms(reader, "ordinal"):
        found[list(_unfiltered(reader.postings("ordinal", text)).all_ids())] = int(field.from_bytes(text))
    return found


def _measure(reader: IndexReader, docnum: int) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for name, value in to_document(from_stored(reader.stored_fields(docnum))).items():
        field = reader.schema[name]
        if value is not None and field.indexed and field.scorable:
            lengths[name] = sum(freq for _, freq, _, _ in field.index(value))
    return lengths


def _unfiltered(matcher: Matcher) -> Matcher:
    """The segment's own postings, past the filter that leaves out its generation's deleted documents."""
    return matcher.child if isinstance(matcher, FilterMatcher) else matcher
