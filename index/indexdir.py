"""Where the Whoosh index lives, and how a whole new one replaces the old without readers noticing.

Layout under ``<data dir>/index``::

    current -> gen-<ns>-<rand>     symlink, swapped atomically by a reindex
    gen-<ns>-<rand>/               a complete Whoosh index
    gen-<ns>-<rand>/vectors-<n>.npy, vectors-<n>.json
                                   the articles' vectors (``index.dense``) of Whoosh commit <n>, and their ids

Every Whoosh commit has its vectors: a writer writes those of the commit it is about to make before it commits, and
removes them if the commit fails, so a reader that opens commit <n> always finds ``vectors-<n>`` and the vectors
change exactly when the index does, in place or with the symlink. Older commits' vectors go once two newer exist.

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

import io
import json
import os
import re
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import FileIndex

from index.dense import Vectors
from index.fsutil import fsync_dir, remove_tree, replace_symlink, unique_name, write_file
from index.schema import REQUIRED_FIELDS

CURRENT = "current"
TOC_FILE = re.compile(r"^_MAIN_(\d+)\.toc$")
VECTORS_FILE = re.compile(r"^vectors-(\d+)\.(npy|json)$")
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
        return self.open_current()[1]

    def open_current(self) -> tuple[Path, FileIndex]:
        """The live index's directory and the index opened in it (read together: a swap may come between)."""
        path = self.current()
        ix = self.open_path(path)
        missing = REQUIRED_FIELDS - set(ix.schema.names())
        if missing:
            ix.close()
            raise IndexOutdated(
                f"the index in {self.root} was built by an older version of the bot"
                f" (it lacks {', '.join(sorted(missing))}): run `bulletin reindex`"
            )
        return path, ix

    @staticmethod
    def open_path(path: Path) -> FileIndex:
        return whoosh_index.open_dir(str(path))

    def create_empty(self, schema: Schema, vectors: Vectors) -> Path:
        """Create and switch to an empty index with its (empty) ``vectors`` (first write into a new data dir)."""
        path = self.new_generation(schema)
        try:
            write_vectors(path, toc_generation(path), vectors)
        except BaseException:
            remove_tree(path)
            raise
        self.switch(path)
        return path

    def new_generation(self, schema: Schema) -> Path:
        """Create an empty index in a fresh directory, not yet live (its vectors are the caller's to write)."""
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


class VectorsMissing(IndexOutdated):
    """The index has no vectors for its commit: built by a version without them, or by another encoder."""


def _vector_files(path: Path, toc: int) -> tuple[Path, Path]:
    return path / f"vectors-{toc}.npy", path / f"vectors-{toc}.json"


def write_vectors(path: Path, toc: int, vectors: Vectors) -> None:
    """Store ``vectors`` as those of commit ``toc`` of the index in ``path``: ids first, then the array, each
    written whole under a temporary name and renamed, so a reader finds both complete or (before the commit that
    makes ``toc`` visible, which follows) has no reason to look."""
    array, meta = _vector_files(path, toc)
    ids = json.dumps({"encoder": vectors.encoder, "ids": list(vectors.ids)}, ensure_ascii=False).encode("utf-8")
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(vectors.matrix, dtype=np.float32), allow_pickle=False)
    for target, data in ((meta, ids), (array, buffer.getvalue())):
        temporary = target.with_name(f".{target.name}.tmp")
        try:
            write_file(temporary, data)
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
    fsync_dir(path)


def read_vectors(path: Path, toc: int, encoder: str) -> Vectors:
    """The vectors of commit ``toc`` in ``path``, the array mapped read-only (the pages are shared by every process
    reading the same generation); ``VectorsMissing`` when there are none, or another encoder made them."""
    array, meta = _vector_files(path, toc)
    try:
        stored = json.loads(meta.read_text(encoding="utf-8"))
        matrix = np.load(array, mmap_mode="r", allow_pickle=False)
    except FileNotFoundError:
        raise VectorsMissing(
            f"the index in {path.parent} has no article vectors (built by an older version): run `bulletin reindex`"
        ) from None
    if stored["encoder"] != encoder:
        raise VectorsMissing(
            f"the index in {path.parent} was built with the encoder {stored['encoder']}, not {encoder}:"
            " run `bulletin reindex`"
        )
    return Vectors(stored["encoder"], tuple(stored["ids"]), matrix)


def drop_vectors(path: Path, toc: int) -> None:
    """Remove the vectors of commit ``toc`` (a commit that failed)."""
    for file in _vector_files(path, toc):
        file.unlink(missing_ok=True)


def collect_vectors(path: Path, toc: int) -> None:
    """Remove the vectors of commits older than the one before ``toc`` (a reader may still be opening that one)."""
    for name in os.listdir(path):
        match = VECTORS_FILE.match(name)
        if match and int(match.group(1)) < toc - 1:
            (path / name).unlink(missing_ok=True)


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
