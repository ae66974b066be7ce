"""The in-process backend kept in a file between runs: the command line's state when there is no Redis.

Each ``bulletin ask`` is a process of its own, yet a number or "更多" must refer to the list the previous one showed,
as it does for a resident in WeChat. So the entries are read from a JSON file when the state is opened and written
back (only when something changed) when it is closed, their expiry on the wall clock so it holds across processes.
The file is a convenience: one that is missing or unreadable starts empty, one that cannot be written is skipped with a
warning, and of two commands run at once the one that closes last keeps its entries.
"""

import contextlib
import json
import logging
import os
import secrets
import time
from pathlib import Path

from bot.state.memory import MemoryStore, Value

log = logging.getLogger("bot.state")


class FileStore(MemoryStore):
    def __init__(self, path: str | os.PathLike[str], max_entries: int = 10_000) -> None:
        super().__init__(max_entries=max_entries, clock=time.time)
        self.path = Path(path)
        self._changed = False
        self._load()

    def _load(self) -> None:
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            entries = [(str(key), value, float(expires_at)) for key, (value, expires_at) in saved.items()]
        except (OSError, ValueError, TypeError, AttributeError):
            return
        now = self.clock()
        for key, value, expires_at in entries:
            if expires_at > now and isinstance(value, str | dict):
                self._entries[key] = (value, expires_at)

    def _write(self, key: str, value: Value, expires_at: float, now: float) -> None:
        super()._write(key, value, expires_at, now)
        self._changed = True

    def close(self) -> None:
        """Write the live entries back, in one atomic step, if anything changed."""
        with self._lock:
            if not self._changed:
                return
            now = self.clock()
            live = {key: [value, expires_at] for key, (value, expires_at) in self._entries.items() if expires_at > now}
            self._changed = False
        tmp = self.path.with_name(f"{self.path.name}.tmp-{secrets.token_hex(4)}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(live, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                tmp.unlink()
            log.warning("could not keep the command line's state in %s: %s", self.path, error.strerror or error)
