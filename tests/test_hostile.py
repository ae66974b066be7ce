"""Hostile and broken input against the running app: nothing expands, nothing leaks, nothing 5xx."""

import string
from datetime import date

import hypothesis
import pytest
import xmltodict
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from bot.data import get_store
from bot.wechat.impersonate import WeChatServer, message_xml
from bot.wechat.render import Reply, cdata_safe
from bot.wechat.security import fresh, valid_signature
from index.archive import Issue
from tests.helpers import SAMPLE_ISSUE, make_article
from tests.wechat import ACCOUNT_SETTINGS, TOKEN, Phone

UTF8_LIMIT = 2048


@pytest.fixture
def settings():
    return dict(ACCOUNT_SETTINGS)


@pytest.fixture
def issues():
    return [SAMPLE_ISSUE]


def signed_post(client, body, **extra):
    query = {**WeChatServer(TOKEN).signed_query(), **extra}
    return client.post("/wechat", query_string=query, data=body, content_type="text/xml")


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT")
    return path


def test_an_external_entity_is_never_read(client, secret_file):
    body = (
        f'<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file://{secret_file}">]>'
        "<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime>"
        "<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>"
    )
    response = signed_post(client, body.encode())
    assert response.status_code == 200 and b"TOP-SECRET" not in response.data


def test_billion_laughs_is_not_expanded(client):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol%s;" % ("" if n == 1 else n - 1)) * 10}">' for n in range(1, 10)
    )
    body = (
        f'<?xml version="1.0"?><!DOCTYPE xml [{entities}]><xml><ToUserName>a</ToUserName>'
        "<FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
        "<Content>&lol9;</Content><MsgId>1</MsgId></xml>"
    )
    response = signed_post(client, body.encode())
    assert response.status_code == 200 and len(response.data) < 4096


def test_a_doctype_inside_the_encrypted_payload_is_rejected_too(client, phone):
    xml = '<!DOCTYPE xml [<!ENTITY a "b">]>' + message_xml("text", "u", Content="&a;")
    response, _ = phone.post(xml, mode="safe")
    assert response.status_code == 200 and response.data == b"success"


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime></xml>",
        b"<xml><MsgType>text</MsgType><Content>x</Content></xml>",
        b"<xml><ToUserName>a</ToUserName><FromUserName>u</FromUserName><CreateTime>x</CreateTime>"
        b"<MsgType>nonsense</MsgType><MsgId>1</MsgId></xml>",
        b"<xml><FromUserName><a>nested</a></FromUserName><MsgType>text</MsgType></xml>",
        "<xml><FromUserName>u</FromUserName><MsgType>text</MsgType><Content>养老</Content></xml>".encode("gb18030"),
        b"\x00\x01\x02",
        b"<<<>>>",
        b"<xml/>",
        b"<xml><MsgType/></xml>",
    ],
)
def test_malformed_messages_are_answered_without_5xx(client, body):
    assert signed_post(client, body).status_code == 200


def test_bodies_over_the_limit_are_413_before_parsing(client):
    assert signed_post(client, b"<" * (64 * 1024 + 1)).status_code == 413


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "WECHAT_TIMESTAMP_WINDOW": 300}])
def test_the_optional_timestamp_window_refuses_stale_requests(client):
    stale = WeChatServer(TOKEN).signed_query(timestamp=1_000_000_000)
    assert client.get("/wechat", query_string={**stale, "echostr": "x"}).status_code == 403
    fresh_query = WeChatServer(TOKEN).signed_query()
    assert client.get("/wechat", query_string={**fresh_query, "echostr": "x"}).status_code == 200


def test_signature_helpers():
    assert not valid_signature(TOKEN, None, "1", "2")
    assert not valid_signature("", "x", "1", "2")
    assert not valid_signature(TOKEN, "é" * 40, "1", "2")
    assert fresh("100", 0) and not fresh("abc", 10) and fresh(str(1000), 10, now=1005) and not fresh("1", 10, now=100)
    assert fresh("1700000000123", 10, now=1700000005) and not fresh("1700000000123", 10, now=1700000100)


def test_cdata_breakers_and_control_characters_are_neutralised():
    assert cdata_safe("a]]>b\x00\x1fc") == "a]]]]><![CDATA[>bc"


# -- hostile article content -------------------------------------------------------------------------------------

HOSTILE_BODY = "开头<script>alert(1)</script>。中间]]>结尾\x07。太极拳比赛"


@pytest.fixture
def hostile_app(app):
    day = date(2026, 5, 2)
    article = make_article(day, 1, "恶意<b>标题</b>]]>", HOSTILE_BODY)
    get_store(app).ingest(Issue(day, "hostile", (article,), "x.json"), b"x")
    return app


def test_hostile_content_is_escaped_on_the_article_page(hostile_app):
    page = hostile_app.test_client().get("/articles/2026-05-02-01").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;" in page and "<b>" not in page


def test_hostile_content_is_safe_in_replies(hostile_app):
    phone = Phone(hostile_app.test_client())
    reply = phone.say("恶意标题")
    assert "恶意<b>标题</b>]]>" in reply
    assert "\x07" not in phone.say("1")


# -- properties --------------------------------------------------------------------------------------------------

ELEMENTS = [
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "Content",
    "MsgId",
    "Event",
    "EventKey",
    "Recognition",
    "Encrypt",
]


@st.composite
def xml_bodies(draw):
    """Messages close to real ones, then damaged: dropped, repeated or odd elements, random text, cut bodies."""
    fields = {}
    for name in draw(st.lists(st.sampled_from(ELEMENTS), max_size=8)):
        fields[name] = draw(
            st.one_of(
                st.text(max_size=40),
                st.sampled_from(["text", "event", "voice", "subscribe", "CLICK", "1", "更多", "最新"]),
            )
        )
    xml = "<xml>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items()) + "</xml>"
    data = xml.encode("utf-8", "surrogatepass")
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return draw(st.sampled_from([data, data[:cut], data + draw(st.binary(max_size=20))]))


@hypothesis.settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=xml_bodies())
def test_random_and_mutated_bodies_never_5xx(client, body):
    assert signed_post(client, body).status_code == 200


@hypothesis.settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.text(max_size=300) | st.text(alphabet=string.printable + "养老太极拳更多最新12", max_size=30))
def test_random_queries_are_answered_within_2048_bytes(client, content):
    response = signed_post(
        client, message_xml("text", "oProperty", Content=content.replace("\x00", "")).encode("utf-8", "surrogatepass")
    )
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    if text != "success":
        reply = xmltodict.parse(text)["xml"]
        assert len((reply.get("Content") or "").encode("utf-8")) <= UTF8_LIMIT


def test_reply_values_are_plain_data():
    assert Reply.say("x").kind == "text" and Reply.silent().kind == "silent"
