"""Word lists editors change from the desk while the bot reads them: the colloquial-word map, the kinds of question
the bulletin never answers.

Both are small text files in ``config/`` that a person may also edit by hand. A change goes in whole under a lock
beside the file (``edit_text``: two editors adding at once both keep their words; a reader sees the old file or the
new, never half of it), and readers take it up at their next question without a restart (``WatchedFile``).
"""

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from index.fsutil import file_stamp, replace_file
from index.lock import write_lock

T = TypeVar("T")
R = TypeVar("R")


class WatchedFile(Generic[T]):
    """What ``read`` makes of the file at ``path``, made again when the file changes (checked by ``refresh``, a
    ``stat``: cheap enough for every question)."""

    def __init__(self, path: Path, read: Callable[[Path], T]) -> None:
        self.path, self._read = path, read
        self._lock = threading.Lock()
        self._stamp = file_stamp(path)  # before reading: a change meanwhile is read again at the next refresh
        self.value: T = read(path)

    def refresh(self) -> bool:
        """Read the file again if it changed since last read; True when it did."""
        stamp = file_stamp(self.path)
        if stamp == self._stamp:
            return False
        with self._lock:
            self.value = self._read(self.path)
            self._stamp = stamp
        return True


def edit_text(path: Path, header: str, change: Callable[[str], tuple[str, R]], *, lock_timeout: float) -> R:
    """Replace the text of the file at ``path`` with the new text ``change(text)`` gives, under the lock
    ``<name>.lock`` beside it (the rename replaces the file itself, so the lock cannot be on it), and return what
    else it gives (the words written, as checked against the file under the lock). A missing file starts as
    ``header``. Whatever ``change`` raises (an editor's bad word) leaves the file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with write_lock(path.with_name(f"{path.name}.lock"), lock_timeout):
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = header
        changed, result = change(text)
        replace_file(path, changed.encode("utf-8"))
    return result
