"""Test-side helpers for the webhook: an app with an account configured and the sample issue ingested, and a
client that talks to it the way WeChat's servers do."""

import xmltodict

from bot.wechat.impersonate import WeChatServer, message_xml

TOKEN = "spamtest"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx2c2769f8efd9abc2"
ACCOUNT_SETTINGS = {"WECHAT_TOKEN": TOKEN, "WECHAT_ENCODING_AES_KEY": AES_KEY, "WECHAT_APP_ID": APP_ID}


class Phone:
    """One resident's phone: sends messages through a signing WeChat server and reads the replies."""

    def __init__(self, client, user="oResident0001", mode="plain"):
        self.client = client
        self.user = user
        self.mode = mode
        self.server = WeChatServer(TOKEN, AES_KEY, APP_ID)

    def post(self, xml, mode=None):
        """The raw response to ``xml`` (a full message document)."""
        request = self.server.request(xml, mode or self.mode)
        return self.client.post(
            "/wechat", query_string=request.query, data=request.body, content_type="text/xml"
        ), request.query

    def send(self, msg_type="text", mode=None, **fields):
        """The reply as a dict of its XML elements, or the string ``success``."""
        response, query = self.post(message_xml(msg_type, self.user, **fields), mode)
        assert response.status_code == 200, response.status_code
        text = self.server.open_reply(response.data, query)
        return text if text == "success" else xmltodict.parse(text)["xml"]

    def say(self, content, **fields):
        """The text the bot answers to ``content`` (fails if the reply is not a text reply)."""
        reply = self.send("text", Content=content, **fields)
        assert reply != "success" and reply["MsgType"] == "text", reply
        return reply["Content"]
