"""The archive: every accepted issue, the file exactly as received, its articles as corrected, and the log of the
corrections.

The archive is the newspaper's record and the index can always be rebuilt from it alone. Layout under
``<data dir>/archive``::

    2026-04-28 -> .store/2026-04-28-<ns>-<rand>     one symlink per issue, swapped atomically
    .store/2026-04-28-<ns>-<rand>/source.txt        the bytes as received (extension kept: source.pdf for a PDF)
    .store/2026-04-28-<ns>-<rand>/issue.json        date, name, received file name, articles, log
    .store/2026-04-28-<ns>-<rand>/photo-3.jpg       the photo an article names (a PDF's pictures), resized for phones

The articles are the current ones, after every correction; the log says which corrections made them from the
parse of the source (``index.corrections``). A version holds the photos its articles name, and only those: every
file of an issue lives in its version directory, so copying that directory copies the issue. An ``issue.json``
written before the log existed reads with an empty one. The name of an issue's version directory is its *version*:
every change of the issue makes a new one.

A new version of an issue is written in full under ``.store`` before its symlink moves, so a reader (or a crash)
never meets a half-written issue; ``replacing`` keeps the previous version until the caller's index update has
succeeded and puts it back otherwise.

A version is a set of files (``version_files`` decides which; ``files`` reads them all back), so a cluster's record
replicates a version as it is, whatever files it holds, and ``placing`` writes such a set under the version name
the record gave it: the same name on every node.
"""

import json
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from index import codec
from index.article import Article
from index.corrections import LogEntry, Operation, Reparse, Source, apply, log_entries
from index.fsutil import fsync_dir, remove_tree, replace_symlink, unique_name, write_file
from index.photos import PHOTO_NAME, Photo

ISSUE_FILE = "issue.json"
DATE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Issue:
    date: date
    name: str
    articles: tuple[Article, ...]
    source_name: str = ""
    #: Every correction since the issue was received, and every re-parse, oldest first.
    log: tuple[LogEntry, ...] = ()

    @property
    def corrections(self) -> tuple[Operation, ...]:
        """The corrections in effect: those that made ``articles`` from the parse of the source, that is every one
        logged since the last re-parse."""
        in_effect: list[Operation] = []
        for entry in self.log:
            if isinstance(entry.change, Reparse):
                in_effect.clear()
            else:
                in_effect.append(entry.change)
        return tuple(in_effect)

    def corrected(self, operations: Sequence[Operation], source: Source, at: str) -> "Issue":
        """The issue with ``operations`` applied to its articles and logged."""
        return replace(
            self, articles=apply(self.articles, operations), log=self.log + log_entries(operations, source, at)
        )

    def to_json(self) -> dict[str, Any]:
        encoded: dict[str, Any] = codec.encode(self)
        return encoded

    @classmethod
    def from_json(cls, data: object) -> "Issue":
        return codec.decode(cls, data)


class Archive:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.store = self.root / ".store"

    def _link(self, day: date) -> Path:
        return self.root / day.isoformat()

    def dates(self) -> list[date]:
        """Archived issue dates, oldest first."""
        if not self.root.is_dir():
            return []
        return sorted(
            date.fromisoformat(p.name)
            for p in self.root.iterdir()
            if DATE_NAME.match(p.name) and p.is_symlink() and p.exists()
        )

    def load(self, day: date) -> Issue:
        return self.load_version(day)[0]

    def load_version(self, day: date) -> tuple[Issue, str]:
        """The issue of ``day`` and its version, read from one version directory (a version never changes)."""
        version = self.version(day)
        path = self.store / version / ISSUE_FILE
        return Issue.from_json(json.loads(path.read_text(encoding="utf-8"))), version

    def source(self, day: date) -> bytes:
        """The issue file of ``day`` exactly as received."""
        (path,) = (self._link(day)).glob("source.*")
        return path.read_bytes()

    def photos(self, day: date) -> tuple[Photo, ...]:
        """The photos the issue of ``day`` keeps (those its articles name)."""
        folder = self._link(day)
        return tuple(
            Photo(path.name, path.read_bytes())
            for path in sorted(folder.glob("photo-*.jpg"))
            if PHOTO_NAME.match(path.name)
        )

    def photo_path(self, day: date, name: str) -> Path | None:
        """Where the photo ``name`` of the issue of ``day`` is, if the name is a photo's and the issue keeps it."""
        if not PHOTO_NAME.match(name) or day not in self:
            return None
        path = self.store / self.version(day) / name
        return path if path.is_file() else None

    def version(self, day: date) -> str:
        """The name of the issue's current version (it changes with every write of the issue)."""
        return Path(os.readlink(self._link(day))).name

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self._link(day).exists()

    def issues(self) -> Iterator[Issue]:
        for day in self.dates():
            yield self.load(day)

    def files(self, day: date) -> dict[str, bytes]:
        """Every file of the current version of ``day``, by its path inside the version directory."""
        version = self.store / self.version(day)
        return {
            path.relative_to(version).as_posix(): path.read_bytes()
            for path in sorted(version.rglob("*"))
            if path.is_file()
        }

    @staticmethod
    def version_files(issue: Issue, source_bytes: bytes, photos: Sequence[Photo] = ()) -> dict[str, bytes]:
        """The files a version of ``issue`` holds: the file as received, of ``photos`` those its articles name, and
        ``issue.json``."""
        suffix = Path(issue.source_name).suffix.lower() if issue.source_name else ".txt"
        named = {article.photo for article in issue.articles if article.photo}
        files = {f"source{suffix or '.txt'}": source_bytes}
        files.update((p.name, p.jpeg) for p in photos if p.name in named and PHOTO_NAME.match(p.name))
        text = json.dumps(issue.to_json(), ensure_ascii=False, indent=1)
        files[ISSUE_FILE] = text.encode("utf-8")
        return files

    @staticmethod
    def issue_in(files: Mapping[str, bytes]) -> Issue:
        """The issue a version's files describe."""
        return Issue.from_json(json.loads(files[ISSUE_FILE].decode("utf-8")))

    @contextmanager
    def replacing(self, issue: Issue, source_bytes: bytes, photos: Sequence[Photo] = ()) -> Iterator[None]:
        """Archive ``issue`` (and those of ``photos`` its articles name) for the duration of the ``with`` block; keep
        it only if the block succeeds."""
        with self.placing(issue.date, self.version_files(issue, source_bytes, photos)):
            yield

    @contextmanager
    def placing(self, day: date, files: Mapping[str, bytes], version: str | None = None) -> Iterator[None]:
        """Make ``files`` the version of ``day`` (named ``version``, or a fresh name) for the ``with`` block; keep it
        only if the block succeeds. Placing the version that is already current changes nothing."""
        link = self._link(day)
        if version is not None and link.is_symlink() and self.version(day) == version:
            yield
            return
        self.store.mkdir(parents=True, exist_ok=True)
        path = self.store / (version or unique_name(day.isoformat()))
        remove_tree(path)  # a version left half-written by a crash
        try:
            path.mkdir()
            for name, data in files.items():
                target = path / _inside(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                write_file(target, data)
            for directory in {(path / _inside(name)).parent for name in files}:
                fsync_dir(directory)
        except BaseException:
            remove_tree(path)
            raise
        previous = Path(os.readlink(link)) if link.is_symlink() else None
        replace_symlink(link, os.path.relpath(path, self.root))
        try:
            yield
        except BaseException:
            self._restore(link, previous)
            remove_tree(path)
            raise
        if previous is not None:
            remove_tree(self.root / previous)

    @contextmanager
    def removing(self, day: date) -> Iterator[None]:
        """Drop the issue of ``day`` if the ``with`` block succeeds; put it back otherwise."""
        link = self._link(day)
        previous = Path(os.readlink(link))
        link.unlink()
        fsync_dir(self.root)
        try:
            yield
        except BaseException:
            self._restore(link, previous)
            raise
        remove_tree(self.root / previous)

    def _restore(self, link: Path, previous: Path | None) -> None:
        if previous is None:
            link.unlink(missing_ok=True)
            fsync_dir(self.root)
        else:
            replace_symlink(link, previous)

    def collect_garbage(self) -> None:
        """Delete versions no symlink points at (left by a crash between writing and switching)."""
        if not self.store.is_dir():
            return
        live = {Path(os.readlink(self._link(day))).name for day in self.dates()}
        for version in self.store.iterdir():
            if version.name not in live:
                remove_tree(version)


def _inside(name: str) -> str:
    """``name`` if it is a relative path that stays inside a version directory; ``ValueError`` otherwise."""
    parts = Path(name).parts
    if not parts or Path(name).is_absolute() or any(part in ("..", ".") for part in parts):
        raise ValueError(f"not a file name inside a version: {name!r}")
    return name
