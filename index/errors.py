"""The one exception type for input an editor must fix.

An ``IssueError`` always leaves the archive and the index as they were. Its ``str`` is the one-line message the CLI
prints (and the admin API returns), naming the file and, where it applies, the line.
"""

from os import PathLike


class IssueError(Exception):
    """A rejected issue file (bad encoding, no articles, wrong JSON shape, too large, bad date, ...)."""

    def __init__(self, message: str, *, path: str | PathLike[str] | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def with_path(self, path: str | PathLike[str]) -> "IssueError":
        """Return the same error, naming ``path`` (parsers know lines, callers know files)."""
        return IssueError(self.message, path=path, line=self.line)

    def __str__(self) -> str:
        where = str(self.path) if self.path else ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class WriterBusy(Exception):
    """Another ingest, removal or reindex held the write lock for longer than the configured wait."""
