"""The write side: the archive and the index change together, one writer at a time.

Every operation takes the data dir's write lock, writes the archive first (the record the index is rebuilt from)
and only keeps the archive change if the index change commits too, so a rejected or failed ingest, correction or
re-parse leaves both as they were. The articles' vectors (``index.dense``) go with the index: those of the commit
about to be made are written before it and removed if it fails (``index.indexdir``).

A write names the version of the issue it was made from (``expected``; ``""`` for "no issue yet"): when the issue
is at another version by the time the write gets the lock, someone else changed it first and the write is refused
(``Conflict``) rather than undoing their work. The last step of a write, putting a version of an issue or dropping
one, is a method of its own (``_put``, ``_drop``): a node of a cluster (``index.replica``) publishes it to the
record there and applies it from the record like every other node.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import replace
from datetime import date
from enum import StrEnum
from os import PathLike
from pathlib import Path

from whoosh.fields import Schema
from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from index import segment
from index.archive import Archive, Issue
from index.article import Article
from index.corrections import LogEntry, Operation, Reparse, Source, utc_now
from index.dense import Encoder, Vectors, load_encoder
from index.errors import Conflict, IssueError
from index.fsutil import remove_tree
from index.indexdir import (
    IndexDir,
    IndexMissing,
    IndexOutdated,
    collect_vectors,
    drop_vectors,
    mark_position,
    read_vectors,
    toc_generation,
    write_vectors,
)
from index.lock import write_lock
from index.photos import Photo
from index.reading import PageReading
from index.schema import build_schema, to_document
from index.wordlists import WordLists

#: Every writer's options. ``compound=False``: Whoosh reads a file inside a compound segment by copying it into the
#: heap (``filedb/compound.py``), 125 MB per process at 22,000 articles; separate files are mapped and shared.
WRITER_OPTIONS = {"limitmb": 256, "compound": False}


class Reparsed(StrEnum):
    """What ``Store.reparse`` did with an issue."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"  # the parser makes the same articles: nothing written, nothing logged
    SKIPPED = "skipped"  # corrections are in effect and were not to be discarded


#: Articles encoded at once by ``reindex``: enough to keep the encoder's batches full, few enough to show progress.
ENCODE_BATCH = 256


class Store:
    def __init__(
        self,
        data_dir: str | PathLike[str],
        words: WordLists,
        *,
        lock_timeout: float = 30.0,
        encoder: Encoder | None = None,
    ) -> None:
        segment.initialize(words.userdict)
        self.words = words
        #: Makes the articles' vectors (the process's shared encoder, on one thread, unless given another).
        self.encoder = encoder or load_encoder()
        self.data_dir = Path(data_dir)
        self.archive = Archive(self.data_dir / "archive")
        self.index_dir = IndexDir(self.data_dir / "index")
        self.lock_path = self.data_dir / "write.lock"
        self.lock_timeout = lock_timeout

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the data dir's write lock (index-only work: ``reindex``)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with write_lock(self.lock_path, self.lock_timeout):
            self.archive.collect_garbage()
            yield

    def _publishing(self) -> AbstractContextManager[None]:
        """Hold the write lock for a change of the published issues (a node of a cluster first catches up)."""
        return self._writing()

    def _open_index(self) -> tuple[Path, FileIndex]:
        try:
            return self.index_dir.open_current()
        except IndexOutdated:
            raise
        except IndexMissing:
            self.index_dir.create_empty(self._schema(), Vectors.empty(self.encoder))
            return self.index_dir.open_current()

    @contextmanager
    def _committing(self, day: date, articles: Sequence[Article]) -> Iterator[SegmentWriter]:
        """A writer on the live index for a change to the issue of ``day``, whose articles become ``articles``.

        The vectors are encoded before anything is written, and stored as those of the writer's commit once the
        ``with`` block has done its part, just before the commit; if the block or the commit fails they are removed,
        so archive, index and vectors stay as they were together.
        """
        path, ix = self._open_index()
        toc = ix.latest_generation()
        current = read_vectors(path, toc, self.encoder.name)
        vectors = current.replacing_issue(f"{day.isoformat()}-", Vectors.of(self.encoder, articles))
        try:
            with ix.writer(**WRITER_OPTIONS) as writer:
                yield writer
                write_vectors(path, writer.generation, vectors)
        except BaseException:
            drop_vectors(path, toc + 1)
            raise
        collect_vectors(path, toc_generation(path))

    def _schema(self) -> Schema:
        return build_schema(self.words.stopwords)

    def sync(self) -> None:
        """Bring this data dir up to date with the record it follows: nothing to do on a single machine."""

    def version_of(self, day: date) -> str:
        """The version of the issue of ``day`` (``Archive.version``), ``""`` when there is none."""
        return self.archive.version(day) if day in self.archive else ""

    def _expect(self, day: date, expected: str | None) -> None:
        """Refuse a write made from another version of the issue than the one now archived (``None``: any)."""
        if expected is not None and self.version_of(day) != expected:
            raise Conflict(
                f"the issue of {day.isoformat()} was published, corrected or removed by someone else meanwhile;"
                " nothing was written: look at it again, then decide",
                code="changed_meanwhile",
                details={"date": day.isoformat()},
            )

    def _put(self, issue: Issue, files: Mapping[str, bytes], base: str | None) -> None:
        """Make ``files`` (those of ``issue``) the issue's new version, made from version ``base``."""
        self._write(issue, files)

    def _drop(self, day: date, base: str) -> None:
        """Drop version ``base`` of the issue of ``day``."""
        self._delete(day)

    def _write(
        self, issue: Issue, files: Mapping[str, bytes], *, version: str | None = None, position: int | None = None
    ) -> None:
        """Archive ``files`` as the version of ``issue``'s date and index its articles (and their vectors) in place
        of the old ones; mark the commit with ``position`` (a cluster's record position) when given."""
        with (
            self.archive.placing(issue.date, files, version),
            self._committing(issue.date, issue.articles) as writer,
        ):
            writer.delete_by_term("issue", issue.date.isoformat())
            for article in issue.articles:
                writer.add_document(**to_document(article))
            if position is not None:
                mark_position(self.index_dir.current(), writer.generation, position)

    def _delete(self, day: date, *, position: int | None = None) -> None:
        """Drop the issue of ``day`` from archive (when there) and index, marking the commit with ``position``."""
        removing = self.archive.removing(day) if day in self.archive else nullcontext()
        with removing, self._committing(day, ()) as writer:
            writer.delete_by_term("issue", day.isoformat())
            if position is not None:
                mark_position(self.index_dir.current(), writer.generation, position)

    def ingest(
        self, issue: Issue, source_bytes: bytes, photos: Sequence[Photo] = (), *, expected: str | None = None
    ) -> Issue:
        """Archive and index ``issue`` (and the ``photos`` its articles name), replacing any earlier version of the
        same date. ``expected``: the version of that date the editor's upload started from (``version_of``), refused
        with ``Conflict`` if it moved."""
        with self._publishing():
            self._expect(issue.date, expected)
            self._put(issue, self.archive.version_files(issue, source_bytes, photos), expected)
        return issue

    def issue(self, day: date) -> Issue:
        """The archived issue of ``day``; ``IssueError`` (code ``no_such_issue``) when there is none."""
        return self.issue_version(day)[0]

    def issue_version(self, day: date) -> tuple[Issue, str]:
        """The archived issue of ``day`` and its version (``Archive.version``), read together."""
        if day not in self.archive:
            raise IssueError(
                f"no archived issue dated {day.isoformat()}", code="no_such_issue", details={"date": day.isoformat()}
            )
        return self.archive.load_version(day)

    def correct(
        self,
        day: date,
        operations: Sequence[Operation],
        source: Source,
        *,
        version: str | None = None,
        at: str | None = None,
        dry_run: bool = False,
    ) -> tuple[Issue, str]:
        """Apply ``operations`` to the published issue of ``day``, log them, and re-index it, all or nothing; return
        the corrected issue and its new version. ``dry_run`` only answers what the issue would become.

        ``version`` (``Archive.version``), when given, is the version the editor's operations were made on: if the
        issue was written since, they are refused (code ``issue_changed``): their numbers may name other articles.
        """
        if dry_run:
            return self._corrected(day, operations, source, version, at)
        with self._publishing():
            corrected, current = self._corrected(day, operations, source, version, at)
            files = self.archive.version_files(corrected, self.archive.source(day), self.archive.photos(day))
            self._put(corrected, files, current)
            return corrected, self.archive.version(day)

    def _corrected(
        self, day: date, operations: Sequence[Operation], source: Source, version: str | None, at: str | None
    ) -> tuple[Issue, str]:
        issue, current = self.issue_version(day)
        if version is not None and version != current:
            raise Conflict(
                f"the issue of {day.isoformat()} was changed by someone else; open it again",
                code="issue_changed",
                details={"date": day.isoformat()},
            )
        return issue.corrected(operations, source, at or utc_now()), current

    def reparse(
        self,
        day: date,
        parse: Callable[[bytes, Issue], PageReading],
        *,
        discard_corrections: bool,
        source: Source,
        at: str | None = None,
    ) -> tuple[Reparsed, Issue]:
        """Parse the archived source of ``day`` again with ``parse`` (the current parser) and publish the result, its
        photos included.

        An issue with corrections in effect is left alone (``SKIPPED``) unless ``discard_corrections``: a newer
        parser never undoes an editor's work unless asked. The log records the re-parse and how many corrections it
        discarded. Returns what was done and the issue as it now stands.
        """
        with self._publishing():
            issue, version = self.issue_version(day)
            discarded = len(issue.corrections)
            if discarded and not discard_corrections:
                return Reparsed.SKIPPED, issue
            data = self.archive.source(day)
            reading = parse(data, issue)
            if reading.articles == issue.articles and not discarded:
                return Reparsed.UNCHANGED, issue
            entry = LogEntry(at=at or utc_now(), source=source, change=Reparse(discarded=discarded))
            reparsed = replace(issue, articles=reading.articles, log=(*issue.log, entry))
            self._put(reparsed, self.archive.version_files(reparsed, data, reading.photos), version)
        return Reparsed.CHANGED, reparsed

    def remove(self, day: date, *, expected: str | None = None) -> Issue:
        """Drop the issue of ``day`` from archive and index; return what was removed. ``expected`` as ``ingest``."""
        with self._publishing():
            self._expect(day, expected)
            issue, version = self.issue_version(day)
            self._drop(day, version)
        return issue

    def reindex(self, progress: Callable[[int], object] | None = None, procs: int = 1) -> int:
        """Rebuild the whole index from the archive into a new directory, then switch to it atomically.

        ``progress`` is called with the number of issues done after each one (the CLI draws a bar with it).
        ``procs`` > 1 segments and indexes in that many forked processes (Whoosh's multiprocessing writer, one
        segment each, no final merge): twice as fast on two cores. Forking is for a command-line process; a web
        worker, with its threads, reindexes in one process. Every article is encoded too (``index.dense``), in
        batches, and the vectors stored beside the new commit before the switch. Returns the number of articles
        indexed. The new index holds the same record position as the old (a node of a cluster).
        """
        with self._writing():
            return self._rebuild(progress, procs, self.index_dir.position())

    def _rebuild(self, progress: Callable[[int], object] | None, procs: int, position: int | None) -> int:
        """``reindex`` under the lock, marking the new index with ``position``."""
        path = self.index_dir.new_generation(self._schema())
        parallel = {"procs": procs, "multisegment": True, "subargs": WRITER_OPTIONS} if procs > 1 else {}
        parts: list[Vectors] = []
        try:
            ix = self.index_dir.open_path(path)
            with ix.writer(**WRITER_OPTIONS, **parallel) as writer:
                batch: list[Article] = []
                for issue in self.archive.issues():
                    for article in issue.articles:
                        writer.add_document(**to_document(article))
                        batch.append(article)
                    if len(batch) >= ENCODE_BATCH:
                        parts.append(Vectors.of(self.encoder, batch))
                        batch = []
                    if progress:
                        progress(1)
                parts.append(Vectors.of(self.encoder, batch))
            vectors = Vectors.joined(self.encoder, parts)
            toc = toc_generation(path)
            write_vectors(path, toc, vectors)
            if position is not None:
                mark_position(path, toc, position)
        except BaseException:
            remove_tree(path)
            raise
        self.index_dir.switch(path)
        return len(vectors.ids)

    def issues(self) -> list[Issue]:
        """Archived issues, oldest first."""
        return list(self.archive.issues())
