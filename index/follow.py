"""The follower: one per node, applying every change published to the record, within a second or so.

It listens on its own connection (``LISTEN bulletin_record``), catches up, then waits for a notification (at most
``WAIT`` seconds, so it also notices what a lost notification would hide) and catches up again. Catching up takes
the node's write lock, so the follower and an editor publishing on the same node never write at once, and applies
each change in one atomic step (``index.replica``).

Losing the record's server (a restart, a network cut) is logged once; the follower reconnects with a growing pause
(at most ``RETRY_MAX`` seconds) and catches up first thing, so nothing published meanwhile is missed. A record the
node must not follow (``RecordMismatch``) needs an operator: logged, retried slowly, the node serving what it has.

After every catch-up the follower writes the node's status (``index.nodestatus``), which ``/healthz`` shows.
"""

import logging
import threading
import time
from dataclasses import replace

from index.errors import RecordMismatch, RecordUnavailable, WriterBusy
from index.nodestatus import Phase, Status, write_status
from index.record import Connection
from index.replica import Progress, ReplicaStore

log = logging.getLogger("index.follow")

#: Longest wait for a notification before looking at the record's head anyway, in seconds.
WAIT = 1.0
#: Pauses before reconnecting to a record that went away, doubling from the first to the last, in seconds: short,
#: so that a change published as the server comes back still reaches every node within about two seconds.
RETRY_FIRST = 0.25
RETRY_MAX = 1.0


class Follower:
    def __init__(self, store: ReplicaStore, node: str, *, wait: float = WAIT) -> None:
        self.store = store
        self.wait = wait
        self.status = Status(node=node, phase=Phase.CATCHING_UP, at=time.time())

    def run(self, stop: threading.Event) -> None:
        """Follow the record until ``stop`` is set."""
        pause = RETRY_FIRST
        self._report(Phase.CATCHING_UP)
        while not stop.is_set():
            try:
                with self.store.record.listening() as listener:
                    self._catch_up(listener.conn)
                    pause = RETRY_FIRST
                    while not stop.is_set():
                        listener.wait(self.wait)
                        self._catch_up(listener.conn)
            except RecordMismatch as error:
                if self.status.phase is not Phase.REFUSED:
                    log.error("not following the record: %s", error)
                self._report(Phase.REFUSED, error=str(error))
                stop.wait(RETRY_MAX)
            except RecordUnavailable as error:
                if self.status.phase is not Phase.UNREACHABLE:
                    log.warning("the record cannot be reached (%s): reconnecting", error)
                self._report(Phase.UNREACHABLE, error=str(error))
                stop.wait(pause)
                pause = min(pause * 2, RETRY_MAX)
            except WriterBusy:
                stop.wait(RETRY_FIRST)  # a long reindex holds the lock: catch up after it
            except Exception as error:  # a failing disk, a bug: keep the node serving and try again
                log.exception("could not apply the record's changes")
                self._report(self.status.phase, error=f"{type(error).__name__}: {error}")
                stop.wait(RETRY_MAX)

    def _catch_up(self, conn: Connection) -> None:
        was = self.status.phase
        progress = self.store.catch_up(conn=conn)
        if was in (Phase.UNREACHABLE, Phase.REFUSED):
            log.info("following the record again at change %d", progress.head)
        self._report(Phase.FOLLOWING, progress)

    def _report(self, phase: Phase, progress: Progress | None = None, *, error: str = "") -> None:
        status = replace(self.status, phase=phase, at=time.time(), error=error)
        if progress is not None:
            status = replace(status, record_id=progress.record_id, head=progress.head, position=progress.position)
        elif status.position is None:
            status = replace(status, position=self.store.index_dir.position())
        self.status = status
        write_status(self.store.data_dir, status)
