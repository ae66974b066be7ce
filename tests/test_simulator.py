"""The chat simulator: off by default, and when on, every message goes through the real webhook in its mode."""

import pytest

from bot import create_app, replies
from bot.simulator import local_link
from config.settings import from_env
from tests.helpers import SAMPLE_ISSUE
from tests.wechat import ACCOUNT_SETTINGS

USER = "oSimTestUser0001"


@pytest.fixture
def settings():
    return {**ACCOUNT_SETTINGS, "SIMULATOR": True}


@pytest.fixture
def issues():
    return [SAMPLE_ISSUE]


@pytest.fixture
def opened(app, monkeypatch):
    """The query of every request the webhook opened, to see which mode it arrived in."""
    envelope = app.extensions["wechat"].envelope
    seen = []
    real_open = envelope.open

    def spy(body, args):
        seen.append((dict(args), body))
        return real_open(body, args)

    monkeypatch.setattr(envelope, "open", spy)
    return seen


def send(client, user=USER, **payload):
    response = client.post("/simulator/send", json={"user": user, **payload})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def say(client, text, user=USER):
    reply = send(client, user, type="text", content=text)
    assert reply["kind"] == "text", reply
    return reply["text"]


@pytest.mark.parametrize("settings", [dict(ACCOUNT_SETTINGS), {**ACCOUNT_SETTINGS, "SIMULATOR": False}])
def test_off_by_default_every_route_is_404(client):
    assert client.get("/simulator/").status_code == 404
    assert client.post("/simulator/send", json={"user": USER, "type": "text", "content": "太极拳"}).status_code == 404


def test_the_setting_parses_as_a_boolean():
    assert from_env({})["SIMULATOR"] is False
    assert from_env({"SIMULATOR": "1"})["SIMULATOR"] is True
    assert from_env({"SIMULATOR": "true"})["SIMULATOR"] is True
    assert from_env({"SIMULATOR": "0"})["SIMULATOR"] is False
    with pytest.raises(ValueError):
        from_env({"SIMULATOR": "perhaps"})


def test_the_page_is_a_phone_with_a_menu(client):
    page = client.get("/simulator/").get_data(as_text=True)
    assert "高新区头条" in page and "最新" in page and "帮助" in page and "关注" in page
    assert "simulator.js" in page and "安全模式" in page
    assert "http://" not in page and "https://" not in page  # no external assets
    with client.get("/static/simulator.js") as script:
        assert script.status_code == 200


def test_a_question_then_a_number(client, opened):
    reply = say(client, "太极拳")
    assert "高新区举行太极拳健身交流赛" in reply and "【太极拳】" in reply
    article = say(client, "1")
    assert article.startswith("高新区举行太极拳健身交流赛") and "许锦" in article


def test_each_browser_session_is_its_own_resident(client):
    say(client, "太极拳")
    assert say(client, "1", user="oSimSomeoneElse1") == replies.no_previous_results_reply()


def test_follow_menu_and_unfollow(client):
    welcome = send(client, type="event", event="subscribe")
    assert welcome["kind"] == "text" and welcome["text"].startswith(replies.welcome_reply("").strip())
    assert "高新区举行太极拳健身交流赛" in welcome["text"]
    assert send(client, type="event", event="CLICK", key="HELP")["text"] == replies.help_reply()
    assert "本期要闻" in send(client, type="event", event="CLICK", key="LATEST")["text"]
    assert send(client, type="event", event="unsubscribe") == {"kind": "none", "mode": "safe"}


def test_safe_mode_goes_through_the_envelope_encrypted(client, opened):
    reply = send(client, type="text", content="太极拳")
    assert reply["mode"] == "safe"
    query, body = opened[-1]
    assert query["encrypt_type"] == "aes" and query["msg_signature"]
    assert b"<Encrypt>" in body and "太极拳".encode() not in body and USER.encode() not in body


@pytest.mark.parametrize(
    "settings",
    [
        {**ACCOUNT_SETTINGS, "SIMULATOR": True, "SIMULATOR_MODE": "plain"},
        {"WECHAT_TOKEN": ACCOUNT_SETTINGS["WECHAT_TOKEN"], "SIMULATOR": True},
    ],
)
def test_plain_mode_is_signed_but_not_encrypted(client, opened):
    assert send(client, type="text", content="太极拳")["mode"] == "plain"
    query, body = opened[-1]
    assert "encrypt_type" not in query and query["signature"]
    assert "太极拳".encode() in body


@pytest.mark.parametrize(
    "settings", [{**ACCOUNT_SETTINGS, "SIMULATOR": True, "PUBLIC_BASE_URL": "https://bot.example.cn"}]
)
def test_a_news_card_opens_the_article_here(client):
    say(client, "太极拳")
    card = send(client, type="text", content="1")
    assert card["kind"] == "news" and card["title"] == "高新区举行太极拳健身交流赛"
    assert card["url"].startswith("https://bot.example.cn/articles/2026-04-28-")
    assert card["href"] == card["url"].removeprefix("https://bot.example.cn")
    assert "高新区举行太极拳健身交流赛" in client.get(card["href"]).get_data(as_text=True)


def test_card_links_are_local_articles_or_web_links_only():
    assert local_link("https://x.cn/articles/2026-04-28-03") == "/articles/2026-04-28-03"
    assert local_link("https://x.cn/articles/2026-04-28-03/photo.jpg") == "/articles/2026-04-28-03/photo.jpg"
    assert local_link("https://x.cn/page") == "https://x.cn/page"
    assert local_link("javascript:alert(1)") == ""


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "text", "content": ""},
        {"type": "text", "content": "   "},
        {"type": "text", "content": "字" * 1001},
        {"type": "text"},
        {"type": "image"},
        {"type": "event", "event": "VIEW"},
        {"type": "event"},
        {"type": "event", "event": "CLICK", "key": ["x"]},
        {"user": "bad user!", "type": "text", "content": "x"},
        {"user": "", "type": "text", "content": "x"},
    ],
)
def test_bad_requests_are_400_json(client, payload):
    response = client.post("/simulator/send", json={"user": USER, **payload})
    assert response.status_code == 400 and response.get_json()["error"]


def test_a_body_that_is_not_a_json_object_is_400(client):
    assert client.post("/simulator/send", data="[1]", content_type="application/json").status_code == 400
    assert client.post("/simulator/send", data="太极拳").status_code == 400


@pytest.mark.parametrize("settings", [{"SIMULATOR": True}])
def test_without_a_token_the_webhook_refuses_and_the_simulator_says_why(client):
    response = client.post("/simulator/send", json={"user": USER, "type": "text", "content": "太极拳"})
    assert response.status_code == 502 and "WECHAT_TOKEN" in response.get_json()["error"]


@pytest.mark.parametrize(
    "config",
    [
        {"SIMULATOR_MODE": "compatible"},
        {"SIMULATOR_MODE": "safe", "WECHAT_ENCODING_AES_KEY": ""},
    ],
)
def test_an_impossible_mode_stops_the_start(data_dir, config):
    with pytest.raises(ValueError, match="SIMULATOR_MODE"):
        create_app({"BULLETIN_DATA_DIR": str(data_dir), **ACCOUNT_SETTINGS, "SIMULATOR": True, **config})
