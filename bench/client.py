"""One message over loopback HTTP to a running server, posted the way WeChat posts it, and the reply's text.

Used to check a server answers for real before it is loaded or timed: a 200 alone proves little, since the bot
answers ``success`` (200, no reply) to whatever it cannot handle.
"""

import http.client
import secrets
from urllib.parse import urlencode

import xmltodict

from bench import signed
from index.hit import MARK_OPEN

_wechat = signed.server()


def ask(port, question, mode="plain", timeout=10):
    """``(status, reply text or None)`` for ``question`` sent from a fresh sender; raises OSError if unreachable."""
    query, body = signed.text_request(_wechat, f"oCheck{secrets.token_hex(6)}", question, mode)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", f"/wechat?{urlencode(query)}", body, {"Content-Type": "text/xml"})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    if response.status != 200:
        return response.status, None
    text = _wechat.open_reply(data, query)
    if text == "success":
        return response.status, None
    return response.status, xmltodict.parse(text)["xml"].get("Content")


def found_something(reply):
    """Whether a reply lists search results: snippets mark the matched words 【like this】."""
    return bool(reply) and MARK_OPEN in reply
