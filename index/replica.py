"""A node of a cluster: its archive and index are a copy of the record (``index.record``), kept by applying every
change in order.

Publishing on a node (ingest, correct, reparse, remove) takes the node's write lock, catches up with the record,
computes the change from the issue as the record now has it, appends it to the record (where a change made from an
outdated version is refused), and applies it like any other node would. A follower (``index.follow``) applies
the changes other nodes publish.

Applying a change is one ordinary write of the ``Store`` (archive version placed, index committed, or neither) whose
commit is marked with the change's seq: the index's position. Far behind (a new node, one long down), a node
instead brings its archive to the record's issues at the head and reindexes into a new generation marked with the
head, which the usual symlink switch makes live in one step.

The data dir remembers which record it follows (``record.json``). A node refuses a record that is not the one it
follows, one that lacks changes the node has applied (restored from an older backup), and, in a data dir holding
issues that did not come from a record, to replace them: ``push`` uploads such an archive into an empty record.
"""

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from os import PathLike

from index.archive import Archive, Issue
from index.dense import Encoder
from index.errors import RecordMismatch
from index.fsutil import write_file
from index.record import Change, Connection, Head, Record, version_name
from index.store import Store
from index.wordlists import WordLists

log = logging.getLogger("index.replica")

#: The file in the data dir naming the record this node follows.
IDENTITY_FILE = "record.json"
#: Further behind than this many changes, a node rebuilds from the record's issues rather than replay each change.
BULK_AFTER = 200


@dataclass(frozen=True)
class Progress:
    """Where a node stands: the record's head and the position its index holds."""

    record_id: str
    head: int
    position: int

    @property
    def lag(self) -> int:
        return self.head - self.position


class ReplicaStore(Store):
    def __init__(
        self,
        data_dir: str | PathLike[str],
        words: WordLists,
        *,
        record: Record,
        origin: str,
        lock_timeout: float = 30.0,
        encoder: Encoder | None = None,
        procs: int = 1,
        bulk_after: int = BULK_AFTER,
    ) -> None:
        super().__init__(data_dir, words, lock_timeout=lock_timeout, encoder=encoder)
        self.record = record
        #: Who publishes (the node's name), kept with each change in the record.
        self.origin = origin
        #: Processes a rebuild indexes with (``Store.reindex``'s ``procs``).
        self.procs = procs
        self.bulk_after = bulk_after
        self.identity_path = self.data_dir / IDENTITY_FILE

    @contextmanager
    def _publishing(self) -> Iterator[None]:
        with self._writing():
            self._catch_up()
            yield

    def _put(self, issue: Issue, files: Mapping[str, bytes], base: str | None) -> None:
        self._publish(issue.date, files, base)

    def _drop(self, day: date, base: str) -> None:
        self._publish(day, None, base)

    def _publish(self, day: date, files: Mapping[str, bytes] | None, base: str | None) -> None:
        """Append the change to the record, then apply it here. Once in the record it is published: should this
        node fail to apply it (a full disk), the error is logged, ``/healthz`` shows the lag and the follower tries
        again, and the editor is not told that nothing changed."""
        change = self.record.append(day, files, base=base, origin=self.origin, wait=self.lock_timeout)
        try:
            position = self.index_dir.position()
            if position is not None and position < change.seq - 1:  # another node's change committed just before
                self._catch_up(upto=change.seq - 1)
            self._apply(change)
        except Exception:
            log.exception("published change %d (%s) but could not apply it on this node", change.seq, day.isoformat())

    def sync(self) -> None:
        self.catch_up()

    def catch_up(self, progress: Callable[[int], object] | None = None, conn: Connection | None = None) -> Progress:
        """Apply every change the record holds that this node has not; return where it then stands. ``conn``: a
        connection to the record to use (the follower's own). A node already at the head (the follower's usual
        case, once a second) takes no lock and touches no file but the index's position."""
        if conn is None:
            with self.record.connect() as opened:
                return self.catch_up(progress, opened)
        head = self.record.head(conn)
        position = self._check(head)
        if position is not None and position == head.seq:
            return Progress(head.record_id, head.seq, position)
        with self._writing():
            return self._catch_up(progress=progress, conn=conn)

    def _catch_up(
        self,
        *,
        progress: Callable[[int], object] | None = None,
        conn: Connection | None = None,
        upto: int | None = None,
    ) -> Progress:
        if conn is None:
            with self.record.connect() as opened:
                return self._catch_up(progress=progress, conn=opened, upto=upto)
        head = self.record.head(conn)
        position = self._check(head)
        target = head.seq if upto is None else min(upto, head.seq)
        if position is not None and position >= target:
            return Progress(head.record_id, head.seq, position)
        started = time.monotonic()
        if position is None or target - position > self.bulk_after:
            head, count = self._rebuild_from(conn, progress)
            log.info("rebuilt from the record: %d articles at change %d in %.1f s", count, head.seq, _since(started))
            return Progress(head.record_id, head.seq, head.seq)
        for change in self.record.changes(conn, position, target):
            self._apply(change)
        log.info("applied changes %d-%d in %.2f s", position + 1, target, _since(started))
        return Progress(head.record_id, head.seq, target)

    def _check(self, head: Head) -> int | None:
        """This node's position, after making sure the record is one it may follow."""
        known = self._identity()
        position = self.index_dir.position()
        if known is None:
            if self.archive.dates() and position is None:
                raise RecordMismatch(
                    f"{self.data_dir} holds issues that did not come from the record: `bulletin record push` uploads"
                    " them into an empty record; otherwise empty the data dir"
                )
            self._remember(head.record_id)
        elif known != head.record_id:
            raise RecordMismatch(
                f"{self.data_dir} follows record {known}, not {head.record_id} at RECORD_URL: empty the data dir to"
                " follow this one"
            )
        if position is not None and position > head.seq:
            raise RecordMismatch(
                f"this node has applied {position} changes, the record holds {head.seq}: was the record restored from"
                " an older backup? `bulletin record push` from the node with the most recent issues, into a new record"
            )
        return position

    def _identity(self) -> str | None:
        try:
            known: str = json.loads(self.identity_path.read_text(encoding="utf-8"))["record_id"]
        except FileNotFoundError:
            return None
        return known

    def _remember(self, record_id: str) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        write_file(self.identity_path, json.dumps({"record_id": record_id}).encode("utf-8"))

    def _apply(self, change: Change) -> None:
        """One change of the record, as one write of this node's archive and index, marked with its seq; nothing
        when the index already holds it."""
        position = self.index_dir.position()
        if position is not None and position >= change.seq:
            return
        if change.files is None:
            self._delete(change.day, position=change.seq)
        else:
            issue = Archive.issue_in(change.files)
            self._write(issue, change.files, version=change.version, position=change.seq)

    def _rebuild_from(self, conn: Connection, progress: Callable[[int], object] | None) -> tuple[Head, int]:
        """Bring the archive to the record's issues at its head (fetching only versions this node lacks), then
        reindex into a new generation marked with the head."""
        head, issues = self.record.issues(conn)
        for day in self.archive.dates():
            if day not in issues:
                with self.archive.removing(day):
                    pass
        wanted = {day: seq for day, seq in issues.items() if self.version_of(day) != version_name(day, seq)}
        for change in self.record.versions(conn, wanted):
            assert change.files is not None  # versions() yields puts only
            with self.archive.placing(change.day, change.files, change.version):
                pass
        return head, self._rebuild(progress, self.procs, head.seq)

    def push(self) -> int:
        """Upload this data dir's archive into an empty record (a single machine becoming a cluster's first node),
        then follow it; returns the number of issues uploaded."""
        with self._writing():
            days = self.archive.dates()
            self.record.append_all(
                ((day, self.archive.files(day)) for day in days), origin=self.origin, wait=self.lock_timeout
            )
            with self.record.connect() as conn:
                self._remember(self.record.head(conn).record_id)
                self._catch_up(conn=conn)
        return len(days)


def _since(started: float) -> float:
    return time.monotonic() - started
