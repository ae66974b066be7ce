"""The ceiling: the least a WeChat text bot can do per message on this stack (Flask + wechatpy under gunicorn).

It checks the signature, parses the message and echoes it back as a text reply: no search, no Redis, no logging.
It runs under the project's own ``config/gunicorn.conf.py`` (same workers, threads, keep-alive), whose ``post_fork``
hook reopens the app's search index; ``NoIndex`` stands in for it so the config needs no bench-only twin.
"""

import os

from flask import Flask, Response, abort, request
from wechatpy import parse_message
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature


class NoIndex:
    """What ``post_fork`` expects at ``app.extensions["search"]``: something to close and warm up."""

    def close(self):
        pass

    def warm_up(self):
        pass


def create_app():
    app = Flask(__name__)
    token = os.environ["WECHAT_TOKEN"]
    app.extensions["search"] = NoIndex()

    @app.post("/wechat")
    def echo():
        args = request.args
        try:
            check_signature(token, args.get("signature"), args.get("timestamp"), args.get("nonce"))
        except InvalidSignatureException:
            abort(403)
        message = parse_message(request.get_data())
        return Response(TextReply(content=message.content, message=message).render(), mimetype="application/xml")

    return app
