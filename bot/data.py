"""The app's resources: the write-side ``Store`` (a ``ReplicaStore`` on a node of a cluster), the read-side
``Search`` and the shared ``State`` (Redis or in-process).

Both are built once per app (so once per gunicorn worker). A serving app opens the search index at start-up, with
jieba's dictionary and the user dictionary, so no resident's message pays for loading them. The sentence encoder is
loaded once per process (``index.dense.load_encoder``): in gunicorn's master, before the fork, so the workers share
its weights. An app built for a command opens the index when the command needs it, and without Redis keeps its state
in ``CLI_STATE`` in the data dir, so that ``bulletin ask 2`` refers to the list the previous ``bulletin ask`` showed.
"""

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from bot.state import State, open_state
from index.conventions import Conventions
from index.dense import Encoder, load_encoder
from index.editable import WatchedFile
from index.parse import PageParser
from index.pdf.limits import MIB, PdfLimits
from index.query import QueryAnalyzer
from index.ranking import AnswerModel
from index.search import Search
from index.store import Store
from index.wordlists import WordLists

#: The command line's state between runs when there is no Redis (``bot.state.filestore``), in the data dir.
CLI_STATE = "cli-state.json"
#: The sentence encoder's snapshot (``index.encoder_cache``) when ``ENCODER_CACHE_DIR`` names no other place.
ENCODER_CACHE = "encoder-cache"


def get_store(app: Flask | None = None) -> Store:
    store: Store = (app or current_app).extensions["store"]
    return store


def get_search(app: Flask | None = None) -> Search:
    search: Search = (app or current_app).extensions["search"]
    return search


def get_parser(app: Flask | None = None) -> PageParser:
    """The page parser, built on first use: only ingesting needs it, and its models take a moment to load."""
    app = app or current_app
    holder: _ParserHolder = app.extensions["parser"]
    return holder.get()


class _ParserHolder:
    """The page parser, built on first use, and built again with the new conventions when the conventions file
    changes (an editor taught the parser a word on the desk, ``index.convention_words``). Its models are loaded
    again too (~50 ms, once a change): their CRF taggers keep state between calls under the parser's own lock, so a
    page another thread is still reading with the old parser must not share them."""

    def __init__(self, conventions: Path, userdict: Path, pdf_limits: PdfLimits) -> None:
        self.conventions = conventions
        self.userdict = userdict
        self.pdf_limits = pdf_limits
        self._parser: PageParser | None = None
        self._watched: WatchedFile[Conventions] | None = None
        self._lock = threading.Lock()

    def get(self) -> PageParser:
        with self._lock:
            if self._watched is None:
                self._watched = WatchedFile(self.conventions, Conventions.load)
            changed = self._watched.refresh()
            if self._parser is None or changed:
                self._parser = PageParser(self._watched.value, self.userdict, pdf_limits=self.pdf_limits)
            return self._parser


def pdf_limits(config: Mapping[str, Any]) -> PdfLimits:
    """What a page PDF may cost, from the ``PDF_*`` settings."""
    return PdfLimits(
        max_pages=config["PDF_MAX_PAGES"],
        max_image_pixels=config["PDF_MAX_IMAGE_PIXELS"],
        seconds=config["PDF_TIME_LIMIT"],
        memory=config["PDF_MEMORY_LIMIT"] * MIB,
    )


def get_state(app: Flask | None = None) -> State:
    state: State = (app or current_app).extensions["state"]
    return state


def word_lists(config: Mapping[str, Any]) -> WordLists:
    """The word lists the settings name (``USER_DICT``, ``INDEX_STOPWORDS``, ``QUESTION_WORDS``, ``FACT_WORDS``,
    ``SYNONYMS``, ``OFF_TOPIC``)."""
    return WordLists(
        userdict=Path(config["USER_DICT"]),
        stopwords=Path(config["INDEX_STOPWORDS"]),
        question_words=Path(config["QUESTION_WORDS"]),
        fact_words=Path(config["FACT_WORDS"]),
        synonyms=Path(config["SYNONYMS"]),
        off_topic=Path(config["OFF_TOPIC"]),
    )


def encoder(config: Mapping[str, Any]) -> Encoder:
    """The sentence encoder the settings name (``ENCODER``, ``ENCODER_THREADS``), shared by the whole process, loaded
    through its cache (``ENCODER_CACHE_DIR``)."""
    return load_encoder(config["ENCODER"], config["ENCODER_THREADS"], encoder_cache_dir(config))


def encoder_cache_dir(config: Mapping[str, Any]) -> Path:
    """``ENCODER_CACHE_DIR``, by default ``ENCODER_CACHE`` in the data dir."""
    return Path(config["ENCODER_CACHE_DIR"] or Path(config["BULLETIN_DATA_DIR"]) / ENCODER_CACHE)


def answer_model(config: Mapping[str, Any]) -> AnswerModel:
    """The fitted answer model (``ANSWER_MODEL``): rank weights and the "nothing" threshold."""
    return AnswerModel.load(config["ANSWER_MODEL"])


def open_store(config: Mapping[str, Any], words: WordLists, *, serving: bool) -> Store:
    """The data dir's store; with ``RECORD_URL``, a node of a cluster publishing through the record.

    A web worker (threads) rebuilds in one process; a command (``bulletin follow``) forks ``INDEX_PROCS``."""
    if not config["RECORD_URL"]:
        return Store(
            config["BULLETIN_DATA_DIR"], words, lock_timeout=config["INGEST_LOCK_TIMEOUT"], encoder=encoder(config)
        )
    from index.record import Record  # psycopg (and libpq) only for a node of a cluster
    from index.replica import ReplicaStore

    return ReplicaStore(
        config["BULLETIN_DATA_DIR"],
        words,
        record=Record(config["RECORD_URL"]),
        origin=config["NODE_NAME"],
        lock_timeout=config["INGEST_LOCK_TIMEOUT"],
        encoder=encoder(config),
        procs=1 if serving else config["INDEX_PROCS"],
    )


def init_app(app: Flask, *, serving: bool) -> None:
    words = word_lists(app.config)
    store = open_store(app.config, words, serving=serving)
    search = Search(store.index_dir, QueryAnalyzer(words), encoder=store.encoder, model=answer_model(app.config))
    if serving:
        search.warm_up()
    app.extensions["store"] = store
    app.extensions["search"] = search
    app.extensions["parser"] = _ParserHolder(
        Path(app.config["PAPER_CONVENTIONS"]), words.userdict, pdf_limits(app.config)
    )
    keep_in = None if serving else Path(app.config["BULLETIN_DATA_DIR"]) / CLI_STATE
    app.extensions["state"] = open_state(app.config, keep_in)


def close(app: Flask) -> None:
    """Release what the app holds open (the index searcher, Redis connections): a worker's exit, a test's end."""
    app.extensions["search"].close()
    app.extensions["state"].close()
