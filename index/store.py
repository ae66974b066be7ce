"""The write side: the archive and the index change together, one writer at a time.

Every operation takes the data dir's write lock, writes the archive first (the record the index is rebuilt from)
and only keeps the archive change if the index change commits too, so a rejected or failed ingest, correction or
re-parse leaves both as they were. The articles' vectors (``index.dense``) go with the index: those of the commit
about to be made are written before it and removed if it fails (``index.indexdir``).
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
from index.errors import IssueError
from index.fsutil import remove_tree
from index.indexdir import (
    IndexDir,
    IndexMissing,
    IndexOutdated,
    collect_vectors,
    drop_vectors,
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
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with write_lock(self.lock_path, self.lock_timeout):
            self.archive.collect_garbage()
            yield

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

    def _write(self, issue: Issue, source_bytes: bytes, photos: Sequence[Photo] = ()) -> None:
        """Archive ``issue`` (with the ``photos`` its articles name) as the new version of its date and index its
        articles (and their vectors) in place of the old ones."""
        with (
            self.archive.replacing(issue, source_bytes, photos),
            self._committing(issue.date, issue.articles) as writer,
        ):
            writer.delete_by_term("issue", issue.date.isoformat())
            for article in issue.articles:
                writer.add_document(**to_document(article))

    def ingest(self, issue: Issue, source_bytes: bytes, photos: Sequence[Photo] = ()) -> Issue:
        """Archive and index ``issue`` (and the ``photos`` its articles name), replacing any earlier version of the
        same date."""
        with self._writing():
            self._write(issue, source_bytes, photos)
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
        with self._writing():
            corrected, _ = self._corrected(day, operations, source, version, at)
            self._write(corrected, self.archive.source(day), self.archive.photos(day))
            return corrected, self.archive.version(day)

    def _corrected(
        self, day: date, operations: Sequence[Operation], source: Source, version: str | None, at: str | None
    ) -> tuple[Issue, str]:
        issue, current = self.issue_version(day)
        if version is not None and version != current:
            raise IssueError(
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
        with self._writing():
            issue = self.issue(day)
            discarded = len(issue.corrections)
            if discarded and not discard_corrections:
                return Reparsed.SKIPPED, issue
            data = self.archive.source(day)
            reading = parse(data, issue)
            if reading.articles == issue.articles and not discarded:
                return Reparsed.UNCHANGED, issue
            entry = LogEntry(at=at or utc_now(), source=source, change=Reparse(discarded=discarded))
            reparsed = replace(issue, articles=reading.articles, log=(*issue.log, entry))
            self._write(reparsed, data, reading.photos)
        return Reparsed.CHANGED, reparsed

    def remove(self, day: date) -> Issue:
        """Drop the issue of ``day`` from archive and index; return what was removed."""
        with self._writing():
            issue = self.issue(day)
            with self.archive.removing(day), self._committing(day, ()) as writer:
                writer.delete_by_term("issue", day.isoformat())
        return issue

    def reindex(self, progress: Callable[[int], object] | None = None, procs: int = 1) -> int:
        """Rebuild the whole index from the archive into a new directory, then switch to it atomically.

        ``progress`` is called with the number of issues done after each one (the CLI draws a bar with it).
        ``procs`` > 1 segments and indexes in that many forked processes (Whoosh's multiprocessing writer, one
        segment each, no final merge): twice as fast on two cores. Forking is for a command-line process; a web
        worker, with its threads, reindexes in one process. Every article is encoded too (``index.dense``), in
        batches, and the vectors stored beside the new commit before the switch. Returns the number of articles
        indexed.
        """
        with self._writing():
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
                write_vectors(path, toc_generation(path), vectors)
            except BaseException:
                remove_tree(path)
                raise
            self.index_dir.switch(path)
        return len(vectors.ids)

    def issues(self) -> list[Issue]:
        """Archived issues, oldest first."""
        return list(self.archive.issues())
