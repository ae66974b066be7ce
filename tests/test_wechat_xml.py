"""The webhook's own XML reader and reply templates, held to wechatpy's: the same message objects for every valid
message, a clean refusal (``Malformed``, never another exception) for hostile and broken ones, and the same reply
bytes."""

import logging

import hypothesis
import pytest
import xmltodict
from hypothesis import given
from hypothesis import strategies as st
from wechatpy import parse_message as wechatpy_parse
from wechatpy.replies import ArticlesReply, TextReply

from bot.wechat.impersonate import message_xml
from bot.wechat.parse import Malformed, parse_message, read_fields
from bot.wechat.render import Reply, render
from tests.wechat import ACCOUNT_SETTINGS

#: What the bot reads of a message (``bot.wechat.message``, ``conversation.message_key``).
READ = ("type", "source", "target", "time", "id", "event", "key", "content", "recognition")

VALID = [
    message_xml("text", "oUser", Content="养老服务有什么新政策?"),
    message_xml("text", "oUser", Content="  太极拳 \n"),
    message_xml("text", "oUser", Content="a < b & c > d ]] >"),
    message_xml("text", "oUser", msg_id=1234567, create_time=1700000000123, Content="毫秒"),
    message_xml("voice", "oUser", MediaId="m", Format="amr", Recognition="山阳路大桥什么时候通车"),
    message_xml("voice", "oUser", MediaId="m", Format="amr", Recognition=""),
    message_xml("image", "oUser", PicUrl="http://x/y.jpg", MediaId="m"),
    message_xml("video", "oUser", MediaId="m", ThumbMediaId="t"),
    message_xml("shortvideo", "oUser", MediaId="m", ThumbMediaId="t"),
    message_xml("location", "oUser", Location_X="23.1", Location_Y="113.3", Scale="20", Label="高新区"),
    message_xml("link", "oUser", Title="t", Description="d", Url="http://x"),
    message_xml("miniprogrampage", "oUser", Title="t"),
    message_xml("hologram", "oUser", Content="unknown type"),
    message_xml("event", "oUser", Event="subscribe"),
    message_xml("event", "oUser", Event="subscribe", EventKey="qrscene_123", Ticket="T"),
    message_xml("event", "oUser", Event="subscribe", EventKey="scanbarcode|standard|6901234567892|ext"),
    message_xml("event", "oUser", Event="unsubscribe"),
    message_xml("event", "oUser", Event="SCAN", EventKey="123", Ticket="T"),
    message_xml("event", "oUser", Event="CLICK", EventKey="LATEST"),
    message_xml("event", "oUser", Event="VIEW", EventKey="https://x"),
    message_xml("event", "oUser", Event="LOCATION", Latitude="23.1", Longitude="113.3", Precision="1"),
    message_xml("event", "oUser", Event="some_new_event"),
    message_xml("device_text", "oUser", Content="ZGF0YQ==", DeviceType="t", DeviceID="d", SessionID="1"),
    message_xml("device_event", "oUser", Event="bind"),
    # As some gateways and tools write them: a declaration, plain text instead of CDATA, CRLF and indentation.
    '<?xml version="1.0" encoding="utf-8"?>\r\n<xml>\r\n  <ToUserName>gh</ToUserName>\r\n'
    "  <FromUserName>oUser</FromUserName>\r\n  <CreateTime>1</CreateTime>\r\n  <MsgType>text</MsgType>\r\n"
    "  <Content>&#x592A;&#26497;拳 &amp; 养老</Content>\r\n  <MsgId>9</MsgId>\r\n</xml>",
    "<xml><ToUserName/><FromUserName>oUser</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
    "<Content><![CDATA[]]></Content><!-- a comment --><?pi data?></xml>",
    "<xml><FromUserName>oUser</FromUserName><MsgType>TEXT</MsgType><Content>x<![CDATA[y]]>z</Content></xml>",
    # The official sample vector's message (wechat-protocol notes).
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]>"
    "</FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]>"
    "</Content><MsgId>6054768590064713728</MsgId></xml>",
]


def read(message):
    return {name: getattr(message, name, None) for name in READ}


@pytest.mark.parametrize("xml", VALID)
@pytest.mark.parametrize("as_bytes", [True, False])
def test_valid_messages_read_as_wechatpy_reads_them(xml, as_bytes):
    body = xml.encode("utf-8") if as_bytes else xml
    ours, theirs = parse_message(body), wechatpy_parse(body)
    assert type(ours) is type(theirs)
    assert dict(ours._data) == dict(theirs._data)
    assert read(ours) == read(theirs)


def test_an_empty_body_is_no_message():
    assert parse_message(b"") is None and wechatpy_parse(b"") is None


HOSTILE = {
    "external entity": '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    "<xml><MsgType>text</MsgType><Content>&x;</Content></xml>",
    "billion laughs": '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    "<xml><MsgType>text</MsgType><Content>&b;&b;&b;</Content></xml>",
    "parameter entity": '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x"> %p;]><xml/>',
    "bare doctype": "<!DOCTYPE xml><xml><MsgType>text</MsgType></xml>",
    "undeclared entity": "<xml><MsgType>text</MsgType><Content>&nope;</Content></xml>",
    "not xml": "hello",
    "cut short": "<xml><MsgType>text</MsgType><Content>养老",
    "two roots": "<xml><MsgType>text</MsgType></xml><xml/>",
    "another root": "<message><MsgType>text</MsgType></message>",
    "nested element": "<xml><MsgType>text</MsgType><Content><b>x</b></Content></xml>",
    "repeated element": "<xml><MsgType>text</MsgType><Content>a</Content><Content>b</Content></xml>",
    "attributes": '<xml><MsgType>text</MsgType><Content lang="zh">a</Content></xml>',
    "no MsgType": "<xml><Content>a</Content></xml>",
    "empty MsgType": "<xml><MsgType> </MsgType><Content>a</Content></xml>",
    "empty Event": "<xml><MsgType>event</MsgType><Event></Event></xml>",
    "MsgId no integer": "<xml><MsgType>text</MsgType><MsgId>12ab</MsgId></xml>",
    "CreateTime no integer": "<xml><MsgType>text</MsgType><CreateTime>yesterday</CreateTime></xml>",
    "not UTF-8": "<xml><MsgType>text</MsgType><Content>养老</Content></xml>".encode("gb18030"),
    "NUL byte": b"<xml><MsgType>text</MsgType><Content>a\x00</Content></xml>",
}


@pytest.fixture
def settings():
    return dict(ACCOUNT_SETTINGS)


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_and_broken_bodies_are_refused_cleanly(body):
    with pytest.raises(Malformed):
        parse_message(body)


def test_a_refusal_is_one_warning_without_a_traceback(client, caplog):
    from tests.test_hostile import signed_post

    with caplog.at_level(logging.INFO):
        response = signed_post(client, HOSTILE["external entity"].encode())
    assert response.status_code == 200 and response.data == b"success"
    assert [r.levelno for r in caplog.records if r.name == "bot.wechat"] == [logging.WARNING]
    assert not any(r.exc_info for r in caplog.records)


@st.composite
def bodies(draw):
    """Real messages' elements with random values, some of them damaged."""
    names = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "EventKey"]
    fields = {name: draw(st.text(max_size=12) | st.sampled_from(["text", "event", "1", "CLICK"])) for name in names}
    parts = "".join(
        draw(st.sampled_from([f"<{k}><![CDATA[{v}]]></{k}>", f"<{k}>{v}</{k}>", f"<{k}/>", ""]))
        for k, v in fields.items()
    )
    data = f"<xml>{parts}</xml>".encode("utf-8", "surrogatepass")
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return draw(st.sampled_from([data, data[:cut], data + draw(st.binary(max_size=8))]))


@hypothesis.settings(max_examples=300, deadline=None)
@given(body=bodies())
def test_any_body_is_read_as_wechatpy_reads_it_or_refused(body):
    try:
        ours = parse_message(body)
    except Malformed:
        return  # refused: wechatpy may have read it, into values the bot could not use (lists, dicts, bad ints)
    theirs = wechatpy_parse(body)
    assert type(ours) is type(theirs)
    assert ours is None or dict(ours._data) == dict(theirs._data)


def test_the_envelope_fields_are_read_too():
    assert read_fields(b"<xml><ToUserName>gh</ToUserName><Encrypt><![CDATA[abc=]]></Encrypt></xml>") == {
        "ToUserName": "gh",
        "Encrypt": "abc=",
    }


# Replies: the same bytes as wechatpy's, and always well-formed.

MESSAGE = parse_message(message_xml("text", "oUser", account="gh_account", Content="x"))


@pytest.mark.parametrize("text", ["养老服务：\n1. 高新区举行太极拳健身交流赛（04月28日）", "", "a & b < c"])
def test_a_text_reply_is_what_wechatpy_renders(text):
    ours = render(Reply.say(text), MESSAGE, now=1700000000)
    assert ours == TextReply(content=text, message=MESSAGE, time=1700000000).render()


def test_a_card_is_what_wechatpy_renders():
    ours = render(Reply.card("标题", "开头……", "https://bot.example.cn/articles/2026-04-28-01"), MESSAGE, now=17)
    theirs = ArticlesReply(message=MESSAGE, time=17)
    theirs.add_article(
        {"title": "标题", "description": "开头……", "image": "", "url": "https://bot.example.cn/articles/2026-04-28-01"}
    )
    assert ours == theirs.render()


def test_a_sender_id_that_breaks_cdata_still_gives_well_formed_xml():
    hostile = parse_message(
        "<xml><ToUserName>gh</ToUserName><FromUserName>o]]&gt;&lt;evil/&gt;</FromUserName><MsgType>text</MsgType></xml>"
    )
    reply = xmltodict.parse(render(Reply.say("]]>"), hostile))["xml"]
    assert reply["ToUserName"] == "o]]><evil/>" and reply["Content"] == "]]>"
