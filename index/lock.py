"""One writer at a time across processes: an ``flock`` on a file in the data dir.

The kernel releases an ``flock`` when its holder dies, so an ingest killed with SIGKILL never leaves a stale lock
behind. A second writer polls for a bounded time, then fails with a message an editor can act on.
"""

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from index.errors import WriterBusy

POLL_SECONDS = 0.05


@contextmanager
def write_lock(path: str | os.PathLike[str], timeout: float) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriterBusy(
                        f"another ingest, removal or reindex is running (waited {timeout:g} s); try again when it ends"
                    ) from None
                time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
