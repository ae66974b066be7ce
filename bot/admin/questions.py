"""``/admin/stats``, ``/admin/ask``, ``/admin/synonyms``, ``/admin/off-topic``: what residents ask, and the
editors' answers to it.

The counts come as JSON and as charts (SVG drawn here, ``bot.charts``); a question can be tried exactly as a
resident's would be answered (``bot.answers``, no statistics counted); a word residents use that the paper does
not can be added to the colloquial-word map (``index.synonyms``, the file the ``SYNONYMS`` setting names); and a
kind of question the bulletin never answers, or a word that marks one, to the kinds (``index.offtopic``, the file
the ``OFF_TOPIC`` setting names), so that such a question gets the honest "nothing" rather than a story.
"""

from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from bot.admin.errors import DeskError, protect
from bot.answers import answer_json, answer_question
from bot.charts import bar_chart
from bot.data import get_search, get_state
from bot.state.stats import MAX_QUERY_CHARS, hit_rate
from index.offtopic import QuestionKinds, add_words
from index.synonyms import append_group, read_groups

bp = Blueprint("admin_questions", __name__, url_prefix="/admin")
protect(bp)

#: chart name -> (the report's series, the count's key, title, colour)
CHARTS = {
    "messages": ("messages_per_day", "messages", "每天的消息数", "#2f6fb0"),
    "unanswered": ("unanswered_per_day", "questions", "每天没有找到答案的问题数", "#c0582b"),
}


def _json_field(key: str, expected: str) -> object:
    """``key`` of the request's JSON object, or 400 when the body is no JSON object."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise DeskError(400, "bad_json", key=key, expected=expected)
    return payload.get(key)


def json_text(key: str) -> str:
    """``key`` of the request's JSON object, or 400 unless it is a string."""
    value = _json_field(key, "str")
    if not isinstance(value, str):
        raise DeskError(400, "bad_json", key=key, expected="str")
    return value


def json_words(key: str) -> list[str]:
    """``key`` of the request's JSON object, or 400 unless it is a list of strings."""
    value = _json_field(key, "list")
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise DeskError(400, "bad_json", key=key, expected="list")
    return value


@bp.get("/stats")
def stats() -> Response:
    state = get_state()
    cache = state.stats.lookups()
    return jsonify(cache={**cache, "hit_rate": hit_rate(cache)}, **state.stats.report())


@bp.get("/stats/<name>.svg")
def chart(name: str) -> Response:
    """A bar chart of the last days (``messages`` or ``unanswered``), as an SVG image."""
    if name not in CHARTS:
        raise DeskError(404, "no_such_chart")
    series, key, title, color = CHARTS[name]
    days = get_state().stats.report()[series]
    points = [(str(day["date"])[5:], int(day[key])) for day in days]
    response = Response(bar_chart(points, title=title, color=color), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/ask")
def ask() -> Response:
    """JSON ``{"question": "..."}`` → the answer a resident would get (the reply, and the hits with scores)."""
    question = json_text("question")
    if not question.strip():
        raise DeskError(400, "empty_question")
    return jsonify(answer_json(answer_question(get_search(), question[:MAX_QUERY_CHARS])))


def synonyms_path() -> Path:
    return Path(current_app.config["SYNONYMS"])


@bp.get("/synonyms")
def synonyms() -> Response:
    """The colloquial-word groups, each the paper's word first."""
    return jsonify(groups=[list(group) for group in read_groups(synonyms_path())])


@bp.post("/synonyms")
def add_synonyms() -> tuple[Response, int]:
    """JSON ``{"words": ["就业", "找工作", ...]}``: the paper's word first, then what residents say; appended as one
    line."""
    words = json_words("words")
    group = append_group(synonyms_path(), words, lock_timeout=current_app.config["INGEST_LOCK_TIMEOUT"])
    return jsonify(group=list(group)), 201


def off_topic_path() -> Path:
    return Path(current_app.config["OFF_TOPIC"])


@bp.get("/off-topic")
def off_topic() -> Response:
    """The kinds of question the bulletin never answers, each with the words that mark it."""
    kinds = QuestionKinds.load(off_topic_path()).kinds
    return jsonify(kinds=[{"kind": kind, "words": list(words)} for kind, words in kinds])


@bp.post("/off-topic")
def add_off_topic() -> tuple[Response, int]:
    """JSON ``{"kind": "菜谱", "words": ["红烧肉", "怎么做菜"]}``: words that mark a kind (a new kind is added)."""
    kind, words = json_text("kind"), json_words("words")
    lock_timeout = current_app.config["INGEST_LOCK_TIMEOUT"]
    name, added = add_words(off_topic_path(), kind, words, lock_timeout=lock_timeout)
    return jsonify(kind=name, words=list(added)), 201
