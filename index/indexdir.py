"""Where the Whoosh index lives, and how a whole new one replaces the old without readers noticing.

Layout under ``<data dir>/index``::

    current -> gen-<ns>-<rand>     symlink, swapped atomically by a reindex
    gen-<ns>-<rand>/               a complete Whoosh index

Incremental changes (ingest, remove) commit into the current directory: Whoosh commits write new segment files and
then a new TOC, so readers keep their snapshot. A reindex builds a fresh directory and swaps the symlink; creating
an index in place would show other processes an empty index until commit (see the search notes).

The *generation* names the exact index state a reader sees: the directory plus Whoosh's TOC number. It changes on
every commit and every swap and costs a ``readlink`` and a directory listing.

A node of a cluster also marks each commit with the *position* in the cluster's record it holds (every change up to
that one): ``position-<toc>`` beside ``_MAIN_<toc>.toc``, written before the commit that makes that TOC, so a
reader of a TOC finds its position already there. Nodes index the same changes each in its own directory, so their
generations differ; their positions are the same for the same content, which is what keys the query cache
(``cache_key``) that every node shares.
"""

import os
import re
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import FileIndex

from index.fsutil import remove_tree, replace_symlink, unique_name, write_file
from index.schema import REQUIRED_FIELDS

CURRENT = "current"
TOC_FILE = re.compile(r"^_MAIN_(\d+)\.toc$")
POSITION_FILE = "position-{toc}"
#: Position files kept behind the newest: readers of the few TOCs before it may still look theirs up.
KEEP_POSITIONS = 4
#: Generations kept after a swap: the new one and the one before it, which other processes may still be reading.
KEEP_GENERATIONS = 2


class IndexMissing(Exception):
    """No usable index in this data dir: none built yet, or (``IndexOutdated``) one this version cannot read."""


class IndexOutdated(IndexMissing):
    """The index was built by an older version of the bot (its schema lacks fields this one reads)."""


class IndexDir:
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.link = self.root / CURRENT

    def current(self) -> Path:
        """Path of the live index directory; ``IndexMissing`` when there is none."""
        try:
            target = os.readlink(self.link)
        except FileNotFoundError:
            raise IndexMissing(f"no index in {self.root}: ingest an issue or run `bulletin reindex`") from None
        return self.root / target

    def generation(self) -> str:
        path = self.current()
        return f"{path.name}.{toc_generation(path)}"

    def cache_key(self) -> str:
        """What answers are cached under: ``r<position>`` on a node of a cluster (the same on every node for the same
        record position), the generation otherwise."""
        path = self.current()
        toc = toc_generation(path)
        position = position_of(path, toc)
        return f"{path.name}.{toc}" if position is None else f"r{position}"

    def position(self) -> int | None:
        """The record position of the live index; ``None`` when it holds none (a single machine, or no index)."""
        try:
            path = self.current()
        except IndexMissing:
            return None
        return position_of(path, toc_generation(path))

    def open(self) -> FileIndex:
        """Open the live index (Whoosh errors on a damaged directory propagate to the caller)."""
        ix = self.open_path(self.current())
        missing = REQUIRED_FIELDS - set(ix.schema.names())
        if missing:
            ix.close()
            raise IndexOutdated(
                f"the index in {self.root} was built by an older version of the bot"
                f" (it lacks {', '.join(sorted(missing))}): run `bulletin reindex`"
            )
        return ix

    @staticmethod
    def open_path(path: Path) -> FileIndex:
        return whoosh_index.open_dir(str(path))

    def create_empty(self, schema: Schema) -> Path:
        """Create and switch to an empty index (first write into a new data dir)."""
        path = self.new_generation(schema)
        self.switch(path)
        return path

    def new_generation(self, schema: Schema) -> Path:
        """Create an empty index in a fresh directory, not yet live."""
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / unique_name("gen")
        path.mkdir()
        whoosh_index.create_in(str(path), schema)
        return path

    def switch(self, path: Path) -> None:
        """Make ``path`` the live index and drop generations older than the one it replaces."""
        replace_symlink(self.link, path.name)
        self.collect_garbage()

    def collect_garbage(self, keep: int = KEEP_GENERATIONS) -> None:
        """Remove old generations and abandoned half-built ones; only ever called under the write lock."""
        live = self.current().name
        generations = sorted((p for p in self.root.glob("gen-*") if p.is_dir()), key=lambda p: p.name)
        older = [p for p in generations if p.name < live]
        newer = [p for p in generations if p.name > live]
        for path in older[: -(keep - 1) or None] + newer:
            remove_tree(path)


def toc_generation(path: Path) -> int:
    """Whoosh's commit counter for the index in ``path`` (its newest ``_MAIN_<n>.toc``)."""
    numbers = [int(match.group(1)) for name in os.listdir(path) if (match := TOC_FILE.match(name))]
    return max(numbers, default=-1)


def position_of(path: Path, toc: int) -> int | None:
    """The record position marked for commit ``toc`` of the index in ``path``, if any."""
    try:
        return int((path / POSITION_FILE.format(toc=toc)).read_text(encoding="ascii"))
    except FileNotFoundError:
        return None


def mark_position(path: Path, toc: int, position: int) -> None:
    """Record that commit ``toc`` of the index in ``path`` holds the record up to ``position``; call it before that
    commit. Marks of TOCs long gone are dropped."""
    write_file(path / POSITION_FILE.format(toc=toc), str(position).encode("ascii"))
    for old in path.glob(POSITION_FILE.format(toc="*")):
        number = old.name.rpartition("-")[2]
        if number.isdigit() and int(number) < toc - KEEP_POSITIONS:
            old.unlink(missing_ok=True)
