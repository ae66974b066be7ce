"""The one exception type for input an editor must fix, and the way sizes are said in messages.

An ``IssueError`` always leaves the archive and the index as they were. Its ``str`` is the one-line English message
the CLI prints, naming the file and, where it applies, the line. Its ``code`` is stable and machine-readable, and its
``details`` hold the values the message was made from: the editors' desk says the same thing in Chinese from these
two (``bot/admin/messages.py``), so no English text ever reaches it.
"""

import copy
import math
from collections.abc import Mapping
from os import PathLike

#: What a value in ``IssueError.details`` may be: a number, a name, a date in ISO form.
Detail = str | int

#: The parser's "no article found", and the code of an error raised without one.
UNREADABLE = "unreadable"


class IssueError(Exception):
    """A rejected issue file or correction (bad encoding, no articles, wrong JSON shape, too large, ...)."""

    def __init__(
        self,
        message: str,
        *,
        code: str = UNREADABLE,
        details: Mapping[str, Detail] | None = None,
        path: str | PathLike[str] | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.details: Mapping[str, Detail] = details or {}
        self.path = path
        self.line = line

    def with_path(self, path: str | PathLike[str]) -> "IssueError":
        """Return the same error, naming ``path`` (parsers know lines, callers know files)."""
        error = copy.copy(self)
        error.path = path
        return error

    def __str__(self) -> str:
        where = str(self.path) if self.path else ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class Conflict(IssueError):
    """Another editor changed the issue first (on this node or another): nothing was written. The editor looks at
    the issue as it now stands and decides again; retrying blindly could undo the other's work."""


class WriterBusy(Exception):
    """Another ingest, removal or reindex held the write lock for longer than the configured wait."""


class RecordUnavailable(Exception):
    """The cluster's record (``RECORD_URL``) cannot be reached: nothing was published. Serving goes on."""


class RecordMismatch(RecordUnavailable):
    """The record at ``RECORD_URL`` is not one this data dir may follow (``index.replica`` says when)."""


MIB = 1024 * 1024


def mib(size: int) -> str:
    """A size in bytes as the limits are set, in MiB: ``5 MiB`` for 5,242,880 bytes, and rounded up to a tenth
    otherwise, so a file one byte over the limit reads ``5.1 MiB``, never ``5 MiB``."""
    if size % MIB == 0:
        return f"{size // MIB} MiB"
    return f"{math.ceil(size * 10 / MIB) / 10:.1f} MiB"
