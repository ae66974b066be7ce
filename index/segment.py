"""Chinese word segmentation, shared by the indexer and by query analysis.

Index and queries must cut text the same way or terms never meet, so there is exactly one segmenter per process,
initialised once with the project's user dictionary. ``initialize`` is called at start-up (CLI, app factory, gunicorn
before fork) so no resident's message pays the ~1 s dictionary load; ``tokenize`` still initialises on first use so
that a Whoosh index unpickling its analyzer in a fresh process works.

Search mode is used on both sides: it emits a long word and its dictionary sub-words (``大沙河`` and ``沙河``), which
lets a short query match a long indexed word.
"""
import logging
import threading

import jieba

from config.settings import from_env

_lock = threading.Lock()
_loaded_userdict = None

jieba.setLogLevel(logging.WARNING)


def initialize(userdict=None):
    """Load jieba's dictionary and the user dictionary (once per process; a different path reloads it)."""
    global _loaded_userdict
    userdict = str(userdict or from_env()["USER_DICT"])
    with _lock:
        if _loaded_userdict == userdict:
            return
        jieba.initialize()
        with open(userdict, "rb") as handle:  # jieba leaves a file it opened itself unclosed
            jieba.load_userdict(handle)
        _loaded_userdict = userdict


def tokenize(text):
    """Yield ``(word, start, end)`` for ``text`` in search mode; offsets are character offsets into ``text``."""
    if _loaded_userdict is None:
        initialize()
    return jieba.tokenize(text, mode="search")


def cut(text):
    """The words of ``text`` in order, without the overlapping sub-words of search mode (for display and tests)."""
    if _loaded_userdict is None:
        initialize()
    return jieba.lcut(text)
