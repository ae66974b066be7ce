"""``/simulator``: a resident's phone in the browser, for a newcomer's first minutes and for trying a new issue.

Every message takes the road a real one takes: written as WeChat's XML, signed (and in safe mode encrypted) with the
account's own token and keys, posted to ``/wechat`` through the app itself, and the reply opened as the phone would
open it. So what the simulator shows is what residents get, signature and envelope included. It can speak as any
user, hence off unless ``SIMULATOR`` is set.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import xmltodict
from flask import Blueprint, Flask, Response, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from bot.articles import ARTICLE_ID
from bot.jsonerror import json_error
from bot.wechat.impersonate import WeChatServer, message_xml
from bot.wechat.render import SUCCESS

bp = Blueprint("simulator", __name__, url_prefix="/simulator")
bp.register_error_handler(HTTPException, json_error)

MODES = ("plain", "safe")
#: What the page sends as the user: a random id the browser made, shaped like an OpenID.
USER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
#: The events a phone can produce here: following, unfollowing and the two menu buttons.
EVENTS = frozenset({"subscribe", "unsubscribe", "CLICK"})
#: Longest message, in characters: more than anyone types, and far below the webhook's body limit.
MAX_TEXT = 1000


@dataclass
class Simulator:
    """What ``init_app`` builds when the simulator is on, at ``app.extensions["simulator"]``."""

    server: WeChatServer
    mode: str


def simulator_mode(config: Mapping[str, Any]) -> str:
    """``SIMULATOR_MODE``, or safe when the account has its encryption keys and plain otherwise."""
    keys = bool(config["WECHAT_ENCODING_AES_KEY"] and config["WECHAT_APP_ID"])
    mode = config["SIMULATOR_MODE"] or ("safe" if keys else "plain")
    if mode not in MODES:
        raise ValueError(f"SIMULATOR_MODE must be one of {', '.join(MODES)}, not {mode!r}")
    if mode == "safe" and not keys:
        raise ValueError("SIMULATOR_MODE=safe needs WECHAT_ENCODING_AES_KEY and WECHAT_APP_ID")
    return mode


def init_app(app: Flask) -> None:
    config = app.config
    if config["SIMULATOR"]:
        mode = simulator_mode(config)
        app.extensions["simulator"] = Simulator(
            server=WeChatServer(config["WECHAT_TOKEN"], config["WECHAT_ENCODING_AES_KEY"], config["WECHAT_APP_ID"]),
            mode=mode,
        )
    app.register_blueprint(bp)


@bp.before_request
def require_simulator() -> None:
    if "simulator" not in current_app.extensions:
        abort(404)


def message_of(payload: Mapping[str, Any], user: str) -> str:
    """The message XML for the page's JSON, or 400."""
    if payload.get("type") == "text":
        content = payload.get("content")
        if not isinstance(content, str) or not content.strip() or len(content) > MAX_TEXT:
            abort(400, f"a text message needs content of 1 to {MAX_TEXT} characters")
        return message_xml("text", user, Content=content)
    if payload.get("type") == "event" and payload.get("event") in EVENTS:
        key = payload.get("key") or ""
        if not isinstance(key, str) or len(key) > 128:
            abort(400, "an event key is a short string")
        return message_xml("event", user, Event=payload["event"], EventKey=key)
    abort(400, f"type must be text, or event with event one of {', '.join(sorted(EVENTS))}")


def local_link(url: str) -> str:
    """Where a card's link (or its picture) is here: this server's article page (or photo) for an article's
    address, else the address itself if it is http(s)."""
    parts = urlsplit(url)
    article = parts.path.removeprefix("/articles/").removesuffix("/photo.jpg")
    if parts.path.startswith("/articles/") and ARTICLE_ID.match(article):
        return parts.path
    return url if parts.scheme in ("http", "https") else ""


def reply_json(reply_xml: str) -> dict[str, str]:
    """The reply as the page shows it: a text bubble, a news card, or nothing."""
    if reply_xml == SUCCESS:
        return {"kind": "none"}
    reply = xmltodict.parse(reply_xml, force_list=("item",))["xml"]
    if reply.get("MsgType") == "news":
        item = reply["Articles"]["item"][0]
        url = item.get("Url") or ""
        return {
            "kind": "news",
            "title": item.get("Title") or "",
            "description": item.get("Description") or "",
            "url": url,
            "href": local_link(url),
            "picture": local_link(item.get("PicUrl") or ""),
        }
    return {"kind": "text", "text": reply.get("Content") or ""}


@bp.get("/")
def phone() -> str:
    simulator: Simulator = current_app.extensions["simulator"]
    return render_template("simulator.html", mode=simulator.mode)


@bp.post("/send")
def send() -> Response:
    """``{"user", "type": "text"|"event", "content", "event", "key"}`` → the reply as JSON."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        abort(400, "expected a JSON object")
    user = payload.get("user")
    if not isinstance(user, str) or not USER.match(user):
        abort(400, "user must be 8 to 64 letters, digits, '-' or '_'")
    simulator: Simulator = current_app.extensions["simulator"]
    signed = simulator.server.request(message_of(payload, user), simulator.mode)
    response = current_app.test_client().post(
        "/wechat", query_string=signed.query, data=signed.body, content_type="text/xml"
    )
    if response.status_code != 200:
        hint = " (is WECHAT_TOKEN set?)" if response.status_code == 403 else ""
        abort(502, f"the webhook answered {response.status_code}{hint}")
    reply = simulator.server.open_reply(response.get_data(), signed.query)
    return jsonify(mode=simulator.mode, **reply_json(reply))
