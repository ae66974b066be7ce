"""Opening requests and sealing replies in the three modes: plain, compatible and safe (``encrypt_type=aes``).

In compatible and safe modes the body carries ``Encrypt`` and the query a ``msg_signature`` over it; the reply must
then be encrypted too. Every failure (bad signature, wrong AppID, bad padding, broken base64 or XML) becomes one
``EnvelopeError`` for the caller, which answers without a 5xx.
"""

import secrets
import time
from collections.abc import Mapping

from wechatpy.crypto import WeChatCrypto

from bot.wechat.parse import Malformed, read_fields
from bot.wechat.security import valid_signature


class EnvelopeError(Exception):
    """A body that cannot be opened; ``forbidden`` when it failed a signature check."""

    def __init__(self, message: str, forbidden: bool = False) -> None:
        super().__init__(message)
        self.forbidden = forbidden


class Envelope:
    def __init__(self, token: str, aes_key: str, app_id: str) -> None:
        self.token = token
        self.crypto = WeChatCrypto(token, aes_key, app_id) if aes_key and app_id else None

    def open(self, body: bytes, args: Mapping[str, str]) -> bytes | str:
        """The message XML inside ``body``; ``args`` are the request's query parameters."""
        if args.get("encrypt_type", "raw").lower() != "aes":
            return body
        if self.crypto is None:
            raise EnvelopeError("an encrypted message arrived but WECHAT_ENCODING_AES_KEY/WECHAT_APP_ID are not set")
        try:
            fields = read_fields(body)
        except Malformed as error:
            raise EnvelopeError(f"no Encrypt element ({error})") from None
        encrypted = fields.get("Encrypt")
        timestamp, nonce = args.get("timestamp"), args.get("nonce")
        if encrypted is None or not valid_signature(self.token, args.get("msg_signature"), timestamp, nonce, encrypted):
            raise EnvelopeError("bad msg_signature", forbidden=True)
        try:  # given the fields (a dict), wechatpy reads Encrypt from them rather than parsing the body again
            xml: str = self.crypto.decrypt_message(fields, args["msg_signature"], timestamp, nonce)
            return xml
        except Exception as error:  # wechatpy surfaces binascii, struct, ValueError, InvalidAppIdException raw
            raise EnvelopeError(f"cannot decrypt ({type(error).__name__})") from None

    def seal(self, reply_xml: str, args: Mapping[str, str]) -> str:
        """``reply_xml`` as WeChat expects it in the request's mode (``success`` is never encrypted)."""
        if args.get("encrypt_type", "raw").lower() != "aes" or self.crypto is None or reply_xml == "success":
            return reply_xml
        sealed: str = self.crypto.encrypt_message(reply_xml, secrets.token_hex(5), str(int(time.time())))
        return sealed
