"""Replies as WeChat XML, always well-formed whatever the text holds.

Written from two templates, byte for byte what wechatpy's ``TextReply`` and ``ArticlesReply`` render (held to it by
``tests/test_wechat_xml.py``), without building wechatpy's reply objects for each message. wechatpy writes content
straight into ``<![CDATA[...]]>``: a ``]]>`` in an article would end the section early and a control character makes
the XML invalid, and either makes WeChat show "该公众号暂时无法提供服务". ``cdata_safe`` is applied to every string that
enters a reply, the sender's and the account's ids included.
"""

import re
import time
from dataclasses import dataclass
from typing import Self

from bot.wechat.message import Message

#: Characters XML 1.0 forbids (tab, newline and carriage return are allowed).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: What WeChat takes as "received, no answer": it then neither retries nor shows an error.
SUCCESS = "success"


def cdata_safe(text: str | None) -> str:
    """``text`` that can stand inside a CDATA section: ``]]>`` is split across two sections."""
    return XML_ILLEGAL.sub("", text or "").replace("]]>", "]]]]><![CDATA[>")


@dataclass(frozen=True)
class Reply:
    """What the bot says: ``text``, a one-article ``news`` card (with a ``picture`` address when the article has a
    photo), or nothing (``silent``)."""

    kind: str
    text: str = ""
    title: str = ""
    description: str = ""
    url: str = ""
    picture: str = ""

    @classmethod
    def say(cls, text: str) -> Self:
        return cls("text", text=text)

    @classmethod
    def silent(cls) -> Self:
        return cls("silent")

    @classmethod
    def card(cls, title: str, description: str, url: str, picture: str = "") -> Self:
        return cls("news", title=title, description=description, url=url, picture=picture)


TEXT = (
    "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[{content}]]></Content>\n"
    "<FromUserName><![CDATA[{source}]]></FromUserName>\n<ToUserName><![CDATA[{target}]]></ToUserName>\n"
    "<CreateTime>{time}</CreateTime>\n</xml>"
)
NEWS = (
    "<xml>\n<MsgType><![CDATA[news]]></MsgType>\n<ArticleCount>1</ArticleCount>\n        <Articles><item>\n"
    "            <Title><![CDATA[{title}]]></Title>\n"
    "            <Description><![CDATA[{description}]]></Description>\n"
    "            <PicUrl><![CDATA[{picture}]]></PicUrl>\n            <Url><![CDATA[{url}]]></Url>\n"
    "            </item></Articles>\n"
    "<FromUserName><![CDATA[{source}]]></FromUserName>\n<ToUserName><![CDATA[{target}]]></ToUserName>\n"
    "<CreateTime>{time}</CreateTime>\n</xml>"
)


def render(reply: Reply, message: Message, now: float | None = None) -> str:
    """The reply XML for ``message`` (``SUCCESS`` for silence): from the account (``target``) to the sender."""
    source, target, when = cdata_safe(message.target), cdata_safe(message.source), int(now or time.time())
    if reply.kind == "text":
        return TEXT.format(content=cdata_safe(reply.text), source=source, target=target, time=when)
    if reply.kind == "news":
        return NEWS.format(
            title=cdata_safe(reply.title),
            description=cdata_safe(reply.description),
            picture=cdata_safe(reply.picture),
            url=cdata_safe(reply.url),
            source=source,
            target=target,
            time=when,
        )
    return SUCCESS
