"""Pre-signed WeChat requests for wrk, one per line: ``<path and query>\\t<body>``.

wrk can neither sign nor encrypt, so every request is prepared here through the project's own impersonation of
WeChat's servers (``bot.wechat.impersonate``), as the tests post them. Each request has its own MsgId and its own
sender: the bot's retry dedupe must answer none of them from memory, and no sender comes near the per-user rate
limit, which stays at its production setting so that its Redis call is measured too.
"""

from urllib.parse import urlencode

from bot.wechat.impersonate import WeChatServer, message_xml

#: The account of Tencent's published sample vector; the bench servers are configured with it.
TOKEN = "spamtest"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx2c2769f8efd9abc2"
ACCOUNT_ENV = {"WECHAT_TOKEN": TOKEN, "WECHAT_ENCODING_AES_KEY": AES_KEY, "WECHAT_APP_ID": APP_ID}


def server():
    return WeChatServer(TOKEN, AES_KEY, APP_ID)


def text_request(wechat, user, question, mode="plain"):
    """A signed (in ``safe`` mode also encrypted) text message from ``user``: ``(query dict, body bytes)``."""
    request = wechat.request(message_xml("text", user, Content=question), mode)
    return request.query, request.body


def write(path, questions, count, mode="plain"):
    """``count`` requests asking ``questions`` in turn, each from a sender of its own."""
    wechat = server()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for number in range(count):
            query, body = text_request(wechat, f"oBench{number:07d}", questions[number % len(questions)], mode)
            out.write(f"/wechat?{urlencode(query)}\t{body.decode('utf-8')}\n")
    return path
