"""Chinese word segmentation, shared by the indexer and by query analysis.

Index and queries must cut text the same way or terms never meet, so there is exactly one segmenter per process,
initialised once with the project's user dictionary. The owners of the word lists (``Store`` and ``QueryAnalyzer``,
built at start-up by the CLI, the app factory and gunicorn's master before the fork) call ``initialize`` with the
dictionary their caller names; cutting before that is refused rather than done without it.

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


def initialize(userdict: str | PathLike[str]) -> None:
    """Add the user dictionary's words (once per process and file): the word lists' owners (``Store``,
    ``QueryAnalyzer``) call it when they are built, so nothing is cut before the dictionary is in."""
    userdict = str(userdict)
    with _lock:
        if userdict in _loaded_userdicts:
            return
        for word, freq, tag in read_userdict(userdict):
            rjieba.add_word(word, freq, tag)
        _loaded_userdicts.add(userdict)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` for ``text`` in search mode; offsets are character offsets into ``text``."""
    _check_initialized()
    return rjieba.tokenize(text, "search")


def cut(text: str) -> list[str]:
    """The words of ``text`` in order, without the overlapping sub-words of search mode (for display and tests)."""
    _check_initialized()
    return rjieba.cut(text)


def dictionary_cut(text: str) -> list[str]:
    """The words of ``text`` from the dictionaries alone (no guessing of unknown words): whether a word spans two
    pieces of a broken line is evidence that they were one line, so it must be a word jieba knows, not a guess."""
    _check_initialized()
    return rjieba.cut(text, False)


def _check_initialized() -> None:
    """Cutting without the user dictionary would index 山阳路 as 山阳 + 路 and never find it again: refuse."""
    if not _loaded_userdicts:
        raise RuntimeError("segment.initialize(userdict) was not called: text would be cut without the user dictionary")
