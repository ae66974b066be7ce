"""``/healthz``: can this worker answer? Index generation and size, whether Redis answers, and on a node of a
cluster where it stands against the record.

503 when the index cannot be opened (none built yet, or damaged; a new node of a cluster until its follower has
built one): a load balancer then keeps traffic away while an editor runs ``bulletin reindex`` or the follower
catches up. Redis being down is reported but is not a 503: the bot answers without it. Nor is lagging behind the
record: answers from a slightly older index beat none, and the lag is there to see.

On a cluster, ``record`` is what the node's follower last wrote (``index.follow``): the record's head as it saw
it, the follower's phase, how many seconds ago (a dead follower shows a growing age), and ``lag``, the changes
between the head and the position of the index this worker serves.
"""

import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from bot.data import get_search, get_state
from index.nodestatus import read_status

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response | tuple[Response, int]:
    state = get_state()
    redis = {"backend": state.backend, "ok": state.ping()}
    node = current_app.config["NODE_NAME"]
    try:
        search = get_search()
        generation, articles, position = search.generation(), search.doc_count(), search.position()
    except Exception as error:  # a missing or damaged index, whatever Whoosh raises for it
        return jsonify(status="unavailable", node=node, error=type(error).__name__, redis=redis), 503
    body: dict[str, Any] = dict(
        status="ok", node=node, generation=generation, position=position, articles=articles, redis=redis
    )
    if current_app.config["RECORD_URL"]:
        body["record"] = record_status(position)
    return jsonify(body)


def record_status(position: int | None) -> dict[str, Any]:
    """Where this node stands against the record, from its follower's status file."""
    status = read_status(current_app.config["BULLETIN_DATA_DIR"])
    if status is None:
        return {"phase": "no follower", "head": None, "lag": None, "seen": None, "error": ""}
    lag = status.head - position if status.head is not None and position is not None else None
    return {
        "phase": status.phase.value,
        "head": status.head,
        "lag": lag,
        "seen": round(time.time() - status.at, 1),
        "error": status.error,
    }
