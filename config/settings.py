"""Every setting the bot reads, with its default.

Settings come from environment variables so that a deployment changes behaviour without a code change and no secret
ever lives in the repository. ``from_env`` is the single place that reads ``os.environ``; the Flask app factory loads
its result into ``app.config`` and a test passes its own mapping on top.
"""

import os
import socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).resolve().parent
ROOT_DIR = CONFIG_DIR.parent


def parse_pairs(raw: str) -> dict[str, str]:
    """``A=x;B=y`` as ``{"A": "x", "B": "y"}`` (blank items ignored)."""
    pairs: dict[str, str] = {}
    for item in raw.split(";"):
        if "=" in item:
            key, value = item.split("=", 1)
            if key.strip() and value.strip():
                pairs[key.strip()] = value.strip()
    return pairs


def parse_bool(raw: str) -> bool:
    """``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``; anything else is a typo worth stopping for."""
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected 1/true or 0/false, got {raw!r}")


#: name -> (default, parser). The README's settings table mirrors this.
SETTINGS: dict[str, tuple[object, Callable[[str], object]]] = {
    # Where the archive and the index live.
    "BULLETIN_DATA_DIR": (str(ROOT_DIR / "var"), str),
    # How long a second ingest waits for the first before it gives up, in seconds.
    "INGEST_LOCK_TIMEOUT": (30.0, float),
    # Processes `bulletin reindex` indexes with (one per core by default).
    "INDEX_PROCS": (os.cpu_count() or 1, int),
    # Largest issue file accepted, in bytes (a page PDF too).
    "MAX_ISSUE_BYTES": (5 * 1024 * 1024, int),
    # What a page PDF may cost (index/pdf/limits.py): it is read in a child process stopped after PDF_TIME_LIMIT
    # seconds or when it needs more than PDF_MEMORY_LIMIT MiB of address space; more than PDF_MAX_PAGES pages or a
    # picture of more than PDF_MAX_IMAGE_PIXELS pixels is refused before it is read.
    "PDF_MAX_PAGES": (16, int),
    "PDF_MAX_IMAGE_PIXELS": (30_000_000, int),
    "PDF_TIME_LIMIT": (20.0, float),
    "PDF_MEMORY_LIMIT": (768, int),
    # The jieba user dictionary and the stop-word lists, loaded identically by the indexer and every web worker.
    "USER_DICT": (str(CONFIG_DIR / "userdict.txt"), str),
    "INDEX_STOPWORDS": (str(CONFIG_DIR / "stopwords.txt"), str),
    # Question and filler words dropped from residents' questions before searching (请问, 什么时候, 吗, ...).
    "QUESTION_WORDS": (str(CONFIG_DIR / "question_words.txt"), str),
    # How papers mark the parts of a page (lead markers, role words, column names, page furniture): the parser's data.
    "PAPER_CONVENTIONS": (str(CONFIG_DIR / "conventions.toml"), str),
    # Words that ask for a time or a figure (什么时候, 多少钱): the reply says so when the story's passage holds none.
    "FACT_WORDS": (str(CONFIG_DIR / "fact_words.txt"), str),
    # The colloquial-word map (``就业 找工作 找活干``: the paper's word, then what residents say), which the editors'
    # desk appends to; the web server must be able to write it and its directory.
    "SYNONYMS": (str(CONFIG_DIR / "synonyms.txt"), str),
    # Kinds of question the bulletin never answers (weather, timetables, prices, scores), with the words marking them.
    "OFF_TOPIC": (str(CONFIG_DIR / "off_topic.txt"), str),
    # The fitted answer model: how BM25F, the dense signal and coverage combine, and when the bot says it has nothing
    # (`bulletin fit-answers` writes it from the tune split of the residents' questions).
    "ANSWER_MODEL": (str(CONFIG_DIR / "answer_model.json"), str),
    # An answer given with less confidence than this (the answer model's, in [0, 1]; it answers from its fitted
    # threshold up) is listed on the desk as doubtful, for an editor to check. 0.91 lists 13 of the 16 wrong first
    # stories of the residents' tune questions and 52 of their 210 right ones (held out: 15 of 18, 55 of 240);
    # `bulletin fit-answers` prints the cut that lists 70 % of the wrong ones for the model it fits.
    "DOUBTFUL_BELOW": (0.91, float),
    # The sentence encoder of the dense signal, and the threads it may use: 1, so workers do not fight over cores.
    "ENCODER": ("use-multilingual-v3", str),
    "ENCODER_THREADS": (1, int),
    # Where the encoder's snapshot is kept (index/encoder_cache.py): a start that finds it loads the encoder in about
    # 0.1 s instead of 1 s, and the first start writes it. Empty: `encoder-cache/` in BULLETIN_DATA_DIR.
    "ENCODER_CACHE_DIR": ("", str),
    # The record of a cluster (``postgresql://user:password@host:5432/bulletin``): every node publishes to it and
    # follows it (`bulletin follow`). Empty: a single machine, whose data dir is the record.
    "RECORD_URL": ("", str),
    # This node's name in /healthz and in the record's changes (default: the host name).
    "NODE_NAME": (socket.gethostname(), str),
    # The Redis shared by every web worker (``redis://host:6379/0``); empty keeps the state in-process, one worker only.
    "REDIS_URL": ("", str),
    # Start of every key the bot writes, so one Redis can serve several bots or environments.
    "REDIS_PREFIX": ("gxbot:", str),
    # Connect and read timeout of each Redis call, in seconds: a slow Redis must not cost WeChat's 5-second deadline.
    "REDIS_TIMEOUT": (0.25, float),
    # How long a search answer is reused for the same query, in seconds.
    "CACHE_TTL": (600.0, float),
    # How long a user's conversation state lives after their last message, in seconds.
    "SESSION_TTL": (1800.0, float),
    # Messages one user may send per window before the bot stops searching for them.
    "RATE_LIMIT": (30, int),
    # The rate-limit window, in seconds.
    "RATE_WINDOW": (60.0, float),
    # How long a message id is remembered, with its reply, to answer WeChat's retries (they span about 15 seconds).
    "DEDUPE_TTL": (60.0, float),
    # Seconds between two additions of a worker's counts (messages, questions, cache hits) to the shared statistics;
    # 0 adds each count at once (one more round trip per message).
    "STATS_FLUSH_INTERVAL": (1.0, float),
    # Seconds a worker goes on answering from the index generation it last saw before looking for a new one (a
    # readlink and a directory listing): a new issue reaches residents within this time. 0 looks on every question.
    "GENERATION_CHECK_INTERVAL": (0.25, float),
    # The token, AppID and EncodingAESKey from the official-account console (基本配置 → 服务器配置). No default token:
    # without one every request is refused.
    "WECHAT_TOKEN": ("", str),
    "WECHAT_APP_ID": ("", str),
    "WECHAT_ENCODING_AES_KEY": ("", str),
    # Refuse requests whose timestamp is further than this from now, in seconds; 0 turns the check off.
    "WECHAT_TIMESTAMP_WINDOW": (0, int),
    # Largest message body accepted, in bytes (WeChat's own messages are a few hundred bytes).
    "WECHAT_MAX_BODY": (64 * 1024, int),
    # Time allowed to compute an answer before the bot apologises instead, in seconds (WeChat waits 5).
    "ANSWER_BUDGET": (4.0, float),
    # Public https base URL of this server (``https://bot.example.cn``); when set, a picked article is answered with
    # a card linking to /articles/<id>, otherwise with its text.
    "PUBLIC_BASE_URL": ("", str),
    # Menu CLICK keys that run a search: ``KEY=query;KEY2=query``. LATEST and HELP are built in.
    "MENU_QUERIES": ({}, parse_pairs),
    # The editors' desk (/admin/ and its API) opens to this bearer token; without one it does not exist (404).
    "ADMIN_TOKEN": ("", str),
    # The chat simulator at /simulator, which can speak as any user: for development only (`make run` turns it on).
    "SIMULATOR": (False, parse_bool),
    # How the simulator sends its messages: ``plain`` or ``safe`` (encrypted); empty means safe when
    # WECHAT_ENCODING_AES_KEY and WECHAT_APP_ID are set, plain otherwise.
    "SIMULATOR_MODE": ("", str),
}


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the settings as a dict of parsed values, environment first, defaults otherwise."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, (default, parse) in SETTINGS.items():
        raw = environ.get(name)
        values[name] = default if raw in (None, "") else parse(raw)
    return values
