"""The write side: the archive and the index change together, one writer at a time.

Every operation takes the data dir's write lock, writes the archive first (the record the index is rebuilt from)
and only keeps the archive change if the index change commits too, so a rejected or failed ingest leaves both as
they were.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from os import PathLike
from pathlib import Path

from whoosh.fields import Schema
from whoosh.index import FileIndex

from index import segment
from index.archive import Archive, Issue
from index.errors import IssueError
from index.fsutil import remove_tree
from index.indexdir import IndexDir, IndexMissing, IndexOutdated
from index.lock import write_lock
from index.schema import build_schema, to_document
from index.wordlists import WordLists

#: Every writer's options. ``compound=False``: Whoosh reads a file inside a compound segment by copying it into the
#: heap (``filedb/compound.py``), 125 MB per process at 22,000 articles; separate files are mapped and shared.
WRITER_OPTIONS = {"limitmb": 256, "compound": False}


class Store:
    def __init__(self, data_dir: str | PathLike[str], words: WordLists, *, lock_timeout: float = 30.0) -> None:
        segment.initialize(words.userdict)
        self.words = words
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

    def _open_index(self) -> FileIndex:
        try:
            return self.index_dir.open()
        except IndexOutdated:
            raise
        except IndexMissing:
            self.index_dir.create_empty(self._schema())
            return self.index_dir.open()

    def _schema(self) -> Schema:
        return build_schema(self.words.stopwords)

    def ingest(self, issue: Issue, source_bytes: bytes) -> Issue:
        """Archive and index ``issue``, replacing any earlier version of the same date."""
        with self._writing():
            ix = self._open_index()
            with self.archive.replacing(issue, source_bytes), ix.writer(**WRITER_OPTIONS) as writer:
                writer.delete_by_term("issue", issue.date.isoformat())
                for article in issue.articles:
                    writer.add_document(**to_document(article))
        return issue

    def remove(self, day: date) -> Issue:
        """Drop the issue of ``day`` from archive and index; return what was removed."""
        with self._writing():
            if day not in self.archive:
                raise IssueError(f"no archived issue dated {day.isoformat()}")
            issue = self.archive.load(day)
            ix = self._open_index()
            with self.archive.removing(day), ix.writer(**WRITER_OPTIONS) as writer:
                writer.delete_by_term("issue", day.isoformat())
        return issue

    def reindex(self, progress: Callable[[int], object] | None = None, procs: int = 1) -> int:
        """Rebuild the whole index from the archive into a new directory, then switch to it atomically.

        ``progress`` is called with the number of issues done after each one (the CLI draws a bar with it).
        ``procs`` > 1 segments and indexes in that many forked processes (Whoosh's multiprocessing writer, one
        segment each, no final merge): twice as fast on two cores. Forking is for a command-line process; a web
        worker, with its threads, reindexes in one process. Returns the number of articles indexed.
        """
        with self._writing():
            path = self.index_dir.new_generation(self._schema())
            count = 0
            parallel = {"procs": procs, "multisegment": True, "subargs": WRITER_OPTIONS} if procs > 1 else {}
            try:
                ix = self.index_dir.open_path(path)
                with ix.writer(**WRITER_OPTIONS, **parallel) as writer:
                    for issue in self.archive.issues():
                        for article in issue.articles:
                            writer.add_document(**to_document(article))
                            count += 1
                        if progress:
                            progress(1)
            except BaseException:
                remove_tree(path)
                raise
            self.index_dir.switch(path)
        return count

    def issues(self) -> list[Issue]:
        """Archived issues, oldest first."""
        return list(self.archive.issues())
