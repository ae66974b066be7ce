"""Chinese word segmentation, shared by the indexer and by query analysis.

Index and queries must cut text the same way or terms never meet, so there is exactly one segmenter per process,
initialised once with the project's user dictionary. ``initialize`` is called at start-up (CLI, app factory, gunicorn
before fork); ``tokenize`` still initialises on first use so that a Whoosh index unpickling its analyzer in a fresh
process works.

The segmenter is jieba's algorithm and dictionary as implemented by jieba-rs (the ``rjieba`` binding): the same
words as the ``jieba`` package (``tests/test_segment.py`` holds them to it), about ten times faster, loaded in 0.1 s
instead of 0.8 s, and 33 MB of native memory that forked workers share instead of 83 MB of Python objects each
(``bench/RESULTS.md`` has the figures that decided it).

Search mode is used on both sides: it emits a long word and its dictionary sub-words (``大沙河`` and ``沙河``), which
lets a short query match a long indexed word.
"""

import threading
from os import PathLike

import rjieba

from config.settings import from_env

_lock = threading.Lock()
_loaded_userdicts: set[str] = set()


def read_userdict(path: str | PathLike[str]) -> list[tuple[str, int | None, str | None]]:
    """``(word, frequency or None, tag or None)`` for each line of a jieba user dictionary (``word [freq] [tag]``)."""
    entries = []
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                continue
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
            entries.append((parts[0], freq, tag))
    return entries


def initialize(userdict: str | PathLike[str] | None = None) -> None:
    """Add the user dictionary's words (once per process and file)."""
    userdict = str(userdict or from_env()["USER_DICT"])
    with _lock:
        if userdict in _loaded_userdicts:
            return
        for word, freq, tag in read_userdict(userdict):
            rjieba.add_word(word, freq, tag)
        _loaded_userdicts.add(userdict)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` for ``text`` in search mode; offsets are character offsets into ``text``."""
    if not _loaded_userdicts:
        initialize()
    return rjieba.tokenize(text, "search")


def cut(text: str) -> list[str]:
    """The words of ``text`` in order, without the overlapping sub-words of search mode (for display and tests)."""
    if not _loaded_userdicts:
        initialize()
    return rjieba.cut(text)
