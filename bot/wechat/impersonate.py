"""WeChat's side of the protocol: a resident's message as WeChat's servers would post it.

The chat simulator, the tests and the benchmarks all speak to ``/wechat`` through this, so each of them exercises
the real webhook (signature, encryption, parsing) rather than a short cut.
"""

import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import count
from xml.sax.saxutils import escape

import xmltodict
from wechatpy.crypto import WeChatCrypto

from bot.wechat.security import sign

_msg_ids = count(int(time.time() * 1000) % 10**12 * 1000)


def message_xml(
    msg_type: str,
    user: str,
    account: str = "gh_bulletin",
    *,
    msg_id: int | None = None,
    create_time: int | None = None,
    **fields: object,
) -> str:
    """The XML WeChat posts for a message (``text``, ``voice``, ``image``...) or, with ``msg_type="event"``, an
    event; ``fields`` become elements (``Content="养老"``, ``Event="subscribe"``, ``EventKey="LATEST"``)."""
    parts = [
        f"<ToUserName><![CDATA[{account}]]></ToUserName>",
        f"<FromUserName><![CDATA[{user}]]></FromUserName>",
        f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>",
    ]
    parts += [f"<{name}>{escape(str(value))}</{name}>" for name, value in fields.items()]
    if msg_type != "event":
        parts.append(f"<MsgId>{msg_id or next(_msg_ids)}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


@dataclass
class SignedRequest:
    query: dict[str, str]
    body: bytes


class WeChatServer:
    """Signs (and in ``aes`` mode encrypts) messages with an account's token and keys, and opens replies."""

    def __init__(self, token: str, aes_key: str = "", app_id: str = "") -> None:
        self.token = token
        self.crypto = WeChatCrypto(token, aes_key, app_id) if aes_key and app_id else None

    def signed_query(self, timestamp: int | str | None = None, nonce: str | None = None) -> dict[str, str]:
        timestamp = str(timestamp or int(time.time()))
        nonce = nonce or secrets.token_hex(5)
        return {"signature": sign(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce}

    def request(self, xml: str, mode: str = "plain") -> SignedRequest:
        """A request in ``plain``, ``compatible`` (both texts) or ``safe`` (ciphertext only) mode."""
        query = self.signed_query()
        if mode == "plain":
            return SignedRequest(query, xml.encode("utf-8"))
        if self.crypto is None:
            raise ValueError(f"{mode} mode needs the account's AES key and AppID")
        sealed: str = self.crypto.encrypt_message(xml, query["nonce"], query["timestamp"])
        encrypted = sealed.split("<Encrypt><![CDATA[", 1)[1].split("]]></Encrypt>", 1)[0]
        query.update(encrypt_type="aes", msg_signature=sign(self.token, query["timestamp"], query["nonce"], encrypted))
        envelope = f"<Encrypt><![CDATA[{encrypted}]]></Encrypt>"
        if mode == "compatible":
            body = xml.replace("</xml>", envelope + "</xml>")
        else:
            body = f"<xml><ToUserName><![CDATA[gh_bulletin]]></ToUserName>{envelope}</xml>"
        return SignedRequest(query, body.encode("utf-8"))

    def open_reply(self, body: bytes | str, query: Mapping[str, str]) -> str:
        """The reply XML as the resident's phone would get it (decrypted in ``aes`` mode)."""
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        if query.get("encrypt_type") != "aes" or text == "success":
            return text
        if self.crypto is None:
            raise ValueError("an encrypted reply needs the account's AES key and AppID")
        sealed = xmltodict.parse(text)["xml"]
        xml: str = self.crypto.decrypt_message(text, sealed["MsgSignature"], sealed["TimeStamp"], sealed["Nonce"])
        return xml
