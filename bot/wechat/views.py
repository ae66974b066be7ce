"""``/wechat``: the URL configured in the official-account console. Thin: every decision is made elsewhere."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.exceptions import HTTPException

from bot.wechat.conversation import Conversation
from bot.wechat.dialogue import Dialogue
from bot.wechat.envelope import Envelope, EnvelopeError
from bot.wechat.parse import Malformed, parse_message
from bot.wechat.render import SUCCESS
from bot.wechat.security import fresh, valid_signature

bp = Blueprint("wechat", __name__)
log = logging.getLogger("bot.wechat")


@dataclass
class Webhook:
    """What ``init_app`` builds for the webhook, at ``app.extensions["wechat"]``."""

    envelope: Envelope
    dialogue: Dialogue
    conversation: Conversation


def _wechat() -> Webhook:
    webhook: Webhook = current_app.extensions["wechat"]
    return webhook


def _signed(args: Mapping[str, str]) -> bool:
    config = current_app.config
    return valid_signature(
        config["WECHAT_TOKEN"], args.get("signature"), args.get("timestamp"), args.get("nonce")
    ) and fresh(args.get("timestamp"), config["WECHAT_TIMESTAMP_WINDOW"])


def _xml(text: str) -> Response:
    return Response(text, mimetype="text/plain" if text == SUCCESS else "application/xml")


@bp.errorhandler(Exception)
def answer_quietly(error: Exception) -> HTTPException | Response:
    """The last line of defence: WeChat shows residents an error page for any 5xx, so none ever leaves here."""
    if isinstance(error, HTTPException):
        return error
    log.exception("unhandled error in the webhook")
    return _xml(SUCCESS)


@bp.get("/wechat")
def verify() -> Response:
    """Server verification: echo ``echostr`` to a correctly signed request."""
    if not _signed(request.args):
        abort(403)
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


@bp.post("/wechat")
def receive() -> Response:
    limit = current_app.config["WECHAT_MAX_BODY"]
    if (request.content_length or 0) > limit:
        abort(413)
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        abort(413)
    args = request.args
    if not _signed(args):
        abort(403)
    wechat = _wechat()
    try:
        xml = wechat.envelope.open(body, args)
        message = parse_message(xml)
    except EnvelopeError as error:
        log.warning("rejected a message: %s", error)
        if error.forbidden:
            abort(403)
        return _xml(SUCCESS)
    except Malformed as error:
        log.warning("unreadable message: %s", error)
        return _xml(SUCCESS)
    if message is None or not getattr(message, "source", None):
        return _xml(SUCCESS)
    reply = wechat.conversation.handle(message)
    return _xml(wechat.envelope.seal(reply, args))
