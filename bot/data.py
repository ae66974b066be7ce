"""The app's resources: the write-side ``Store``, the read-side ``Search`` and the shared ``State`` (Redis or
in-process).

Both are built once per app (so once per gunicorn worker), and the search index is opened at start-up, with
jieba's dictionary and the user dictionary, so no resident's message pays for loading them.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from bot.state import State, open_state
from index.query import QueryAnalyzer
from index.search import Search
from index.store import Store
from index.wordlists import WordLists


def get_store(app: Flask | None = None) -> Store:
    store: Store = (app or current_app).extensions["store"]
    return store


def get_search(app: Flask | None = None) -> Search:
    search: Search = (app or current_app).extensions["search"]
    return search


def get_state(app: Flask | None = None) -> State:
    state: State = (app or current_app).extensions["state"]
    return state


def word_lists(config: Mapping[str, Any]) -> WordLists:
    """The word lists the settings name (``USER_DICT``, ``INDEX_STOPWORDS``, ``QUESTION_WORDS``)."""
    return WordLists(
        userdict=Path(config["USER_DICT"]),
        stopwords=Path(config["INDEX_STOPWORDS"]),
        question_words=Path(config["QUESTION_WORDS"]),
    )


def init_app(app: Flask) -> None:
    words = word_lists(app.config)
    store = Store(app.config["BULLETIN_DATA_DIR"], words, lock_timeout=app.config["INGEST_LOCK_TIMEOUT"])
    search = Search(store.index_dir, QueryAnalyzer(words))
    search.warm_up()
    app.extensions["store"] = store
    app.extensions["search"] = search
    app.extensions["state"] = open_state(app.config)


def close(app: Flask) -> None:
    """Release what the app holds open (the index searcher, Redis connections): a worker's exit, a test's end."""
    app.extensions["search"].close()
    app.extensions["state"].close()
