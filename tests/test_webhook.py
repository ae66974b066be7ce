"""The webhook through Flask's test client: verification, every mode, message and event type, commands."""

import logging
import time

import pytest
import xmltodict
from wechatpy import parse_message

from bot import replies
from bot.answers import Answer
from bot.data import get_state
from bot.wechat.conversation import message_key
from bot.wechat.dialogue import CachedAnswer
from bot.wechat.impersonate import WeChatServer, message_xml
from index.query import ParsedQuery
from index.search import Ranked, Ranking
from tests.helpers import SAMPLE_ISSUE
from tests.wechat import ACCOUNT_SETTINGS, AES_KEY, APP_ID, TOKEN, Phone


@pytest.fixture
def settings():
    return dict(ACCOUNT_SETTINGS)


@pytest.fixture
def issues():
    return [SAMPLE_ISSUE]


# -- verification ------------------------------------------------------------------------------------------------


def test_get_with_a_good_signature_echoes_echostr(client):
    query = WeChatServer(TOKEN).signed_query()
    response = client.get("/wechat", query_string={**query, "echostr": "8837461"})
    assert response.status_code == 200 and response.data == b"8837461"


@pytest.mark.parametrize("change", [{"signature": "0" * 40}, {"signature": None}, {"timestamp": "1"}, {"nonce": None}])
def test_get_with_a_bad_or_missing_signature_is_403_without_detail(client, change):
    query = {**WeChatServer(TOKEN).signed_query(), "echostr": "x", **change}
    response = client.get("/wechat", query_string={k: v for k, v in query.items() if v is not None})
    assert response.status_code == 403
    assert b"signature" not in response.data.lower()


def test_post_with_a_bad_signature_is_403(client):
    query = {**WeChatServer(TOKEN).signed_query(), "signature": "f" * 40}
    response = client.post("/wechat", query_string=query, data=message_xml("text", "u", Content="太极拳"))
    assert response.status_code == 403


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "WECHAT_TOKEN": ""}])
def test_without_a_token_every_request_is_refused(client):
    query = WeChatServer("").signed_query()
    assert client.get("/wechat", query_string={**query, "echostr": "x"}).status_code == 403


# -- modes -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
def test_each_mode_answers_a_question_in_kind(client, mode):
    phone = Phone(client, mode=mode)
    response, query = phone.post(message_xml("text", phone.user, Content="养老服务"))
    raw = response.data.decode("utf-8")
    assert ("<Encrypt>" in raw) == (mode != "plain")
    reply = xmltodict.parse(phone.server.open_reply(response.data, query))["xml"]
    assert reply["ToUserName"] == phone.user and reply["FromUserName"] == "gh_bulletin"
    assert "高新区党政联席会议召开" in reply["Content"]


def test_the_official_sample_vector_is_decrypted_and_answered_encrypted(client):
    body = (
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk"
        "53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328"
        "HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZ"
        "ciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q"
        "5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>"
    )
    server = WeChatServer(TOKEN, AES_KEY, APP_ID)
    query = {
        **server.signed_query(timestamp="1409735669", nonce="1320562132"),
        "encrypt_type": "aes",
        "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
    }
    response = client.post("/wechat", query_string=query, data=body)
    reply = xmltodict.parse(server.open_reply(response.data, query))["xml"]
    assert reply["ToUserName"] == "oyORnuP8q7ou2gfYjqLzSIWZf0rs" and reply["MsgType"] == "text"


@pytest.mark.parametrize("change", [{"msg_signature": "0" * 40}])
def test_safe_mode_with_a_bad_msg_signature_is_403(client, change):
    phone = Phone(client, mode="safe")
    request = phone.server.request(message_xml("text", "u", Content="太极"), "safe")
    response = client.post("/wechat", query_string={**request.query, **change}, data=request.body)
    assert response.status_code == 403


def test_safe_mode_with_another_accounts_ciphertext_answers_success(client):
    other = WeChatServer(TOKEN, AES_KEY[::-1], "wx0000000000000000")
    request = other.request(message_xml("text", "u", Content="太极"), "safe")
    response = client.post("/wechat", query_string=request.query, data=request.body)
    assert response.status_code == 200 and response.data == b"success"


# -- messages ----------------------------------------------------------------------------------------------------


def test_text_finds_the_article_and_numbers_open_it(phone):
    reply = phone.say("太极拳比赛")
    assert reply.startswith("1. 高新区举行太极拳健身交流赛（04月21日）")
    assert "【太极拳】" in reply
    article = phone.say("1")
    assert "高新区举行太极拳健身交流赛" in article and "许锦" in article
    assert len(article.encode("utf-8")) <= 2048


def test_a_when_question_is_told_when_the_story_does_not_say(phone):
    reply = phone.say("山阳路跨大沙河桥什么时候通车？")
    assert reply.startswith(
        "1. 高新区领导调研督导重点项目建设工作（04月20日）\n（报道中相关内容未提到具体时间）【山阳路跨大沙河桥】项目"
    )


def test_a_when_question_whose_story_says_gets_the_date_without_a_note(phone):
    reply = phone.say("太极拳比赛什么时候举行")
    assert reply.startswith("1. 高新区举行太极拳健身交流赛（04月21日）\n4月21日,高新区【举行】")
    assert "未提到" not in reply.split("\n\n")[0]


def test_a_how_much_question_gets_the_figure_or_is_told_there_is_none(phone):
    counted = phone.say("太极拳比赛有多少支代表队")
    assert "7【支代表队】参赛" in counted and "未提到" not in counted
    priced = phone.say("山阳路大桥投资多少钱")
    assert priced.startswith("1. 高新区领导调研督导重点项目建设工作（04月20日）\n（报道中相关内容未提到具体数字）")


def test_voice_uses_its_recognition(phone):
    reply = phone.send("voice", MediaId="m", Format="amr", Recognition="山阳路跨大沙河桥什么时候通车。")
    assert "高新区领导调研督导重点项目建设工作" in reply["Content"]


def test_voice_without_recognition_asks_to_type(phone):
    reply = phone.send("voice", MediaId="m", Format="amr", Recognition="")
    assert reply["MsgType"] == "text" and reply["Content"] == replies.voice_unrecognised_reply()


@pytest.mark.parametrize(
    "msg_type,fields",
    [
        ("image", {"PicUrl": "http://x/1.jpg", "MediaId": "m"}),
        ("video", {"MediaId": "m", "ThumbMediaId": "t"}),
        ("location", {"Location_X": "35.2", "Location_Y": "113.2", "Scale": "15", "Label": "焦作"}),
        ("link", {"Title": "t", "Description": "d", "Url": "http://x"}),
    ],
)
def test_other_message_types_get_a_short_note(phone, msg_type, fields):
    reply = phone.send(msg_type, **fields)
    assert reply["MsgType"] == "text" and reply["Content"]


def test_unknown_message_types_are_answered_without_error(phone):
    reply = phone.send("miniprogrampage", Title="x")
    assert reply == "success" or reply["MsgType"] == "text"


# -- events ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fields", [{}, {"EventKey": "qrscene_123", "Ticket": "t"}])
def test_subscribe_welcomes_with_the_latest_headlines(phone, fields):
    reply = phone.send("event", Event="subscribe", **fields)
    assert "高新区举行太极拳健身交流赛" in reply["Content"]


@pytest.mark.parametrize(
    "event,fields",
    [
        ("unsubscribe", {}),
        ("VIEW", {"EventKey": "https://example.cn"}),
        ("LOCATION", {"Latitude": "35.1", "Longitude": "113.2", "Precision": "50"}),
        ("SCAN", {"EventKey": "1"}),
    ],
)
def test_silent_events_are_acknowledged(phone, event, fields):
    assert phone.send("event", Event=event, **fields) == "success"


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "MENU_QUERIES": {"OLD": "养老服务"}}])
def test_menu_clicks(phone):
    assert "高新区召开领导班子会议" in phone.send("event", Event="CLICK", EventKey="LATEST")["Content"]
    assert phone.send("event", Event="CLICK", EventKey="HELP")["Content"] == replies.help_reply()
    assert "高新区党政联席会议召开" in phone.send("event", Event="CLICK", EventKey="OLD")["Content"]
    assert phone.send("event", Event="CLICK", EventKey="UNMAPPED")["Content"] == replies.help_reply()


# -- commands ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["帮助", "help", "HELP", "?", "？"])
def test_help(phone, word):
    assert phone.say(word) == replies.help_reply()


def test_latest_lists_the_newest_issue_and_numbers_open_it(phone):
    digest = phone.say("最新")
    assert digest.index("高新区党工委理论学习中心组") < digest.index("高新区举行太极拳健身交流赛")
    assert "高新区举行太极拳健身交流赛" in phone.say("6")


def test_more_pages_through_the_last_question(phone):
    first = phone.say("高新区")
    assert first.startswith("1. ") and "更多" in first
    second = phone.say("更多")
    assert second.startswith("4. ")
    replies_after = [phone.say("下一页") for _ in range(3)]
    assert replies_after[-1] == replies.no_more_results_reply()


def test_the_headlines_offered_when_nothing_is_found_are_numbered_and_picked(phone):
    reply = phone.say("春季招聘会")
    assert "本报没有" in reply and "\n1. 高新区党工委理论学习中心组" in reply and "\n5. 焦作亿腾科技" in reply
    assert "高新区党政联席会议召开\n2026年04月28日 记者 付凯明" in phone.say("2")
    assert phone.say("6") == replies.number_out_of_range_reply(6, 5)
    assert phone.say("更多") == replies.no_more_results_reply()


def test_a_question_the_bulletin_never_answers_gets_an_honest_nothing_counted_for_the_editors(app, phone):
    reply = phone.say("明天天气怎么样")
    assert reply.startswith("抱歉，高新区头条只刊登高新区的新闻，没有天气方面的信息。")
    assert "帮助" in reply and "\n1. 高新区党工委理论学习中心组" in reply
    assert "高新区党政联席会议召开\n2026年04月28日" in phone.say("2")  # the headlines offered are the list
    assert phone.say("附近哪里有好吃的火锅").startswith("抱歉，")
    assert phone.say("养老服务有什么新政策").startswith("1. 高新区党政联席会议召开")  # a real question is answered
    report = get_state(app).stats.report()
    assert [q["query"] for q in report["unanswered_queries"]] == ["明天天气怎么样", "附近哪里有好吃的火锅"]
    assert sum(day["questions"] for day in report["unanswered_per_day"]) == 2


def test_the_newest_headlines_are_shown_whole_so_more_has_nothing_to_add(phone):
    phone.say("最新")
    assert phone.say("更多") == replies.no_more_results_reply()


def test_numbers_and_more_without_a_previous_list(phone):
    assert phone.say("2") == replies.no_previous_results_reply()
    assert phone.say("更多") == replies.no_previous_results_reply()


def test_a_number_beyond_the_list(phone):
    phone.say("太极拳")
    assert phone.say("99") == replies.number_out_of_range_reply(99, 1)


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "PUBLIC_BASE_URL": "https://bot.example.cn/"}])
def test_with_a_public_url_a_pick_is_a_news_card(phone):
    phone.say("太极拳")
    reply = phone.send("text", Content="1")
    assert reply["MsgType"] == "news" and reply["ArticleCount"] == "1"
    item = reply["Articles"]["item"]
    assert item["Title"] == "高新区举行太极拳健身交流赛"
    assert item["Description"] == "4月21日,高新区举行“共享太极 共享健康”太极拳健身交流赛…"  # cut at its sentence
    assert item["Url"].startswith("https://bot.example.cn/articles/2026-04-28-")


# -- clients that bend the protocol ------------------------------------------------------------------------------


def reply_content(response):
    assert response.status_code == 200, response.status_code
    return xmltodict.parse(response.data)["xml"]["Content"]


def test_a_msg_id_reused_by_another_resident_is_a_new_message(client):
    first = Phone(client, user="oFirstTester").say("太极拳", msg_id=1234567)
    second = Phone(client, user="oSecondTester").say("养老服务", msg_id=1234567)
    assert "高新区举行太极拳健身交流赛" in first
    assert "高新区党政联席会议召开" in second and "太极拳" not in second


def test_one_msg_id_for_every_message_still_answers_each_message(phone):
    first = phone.say("太极拳", msg_id=1234567, create_time=1_700_000_000)
    second = phone.say("养老服务", msg_id=1234567, create_time=1_700_000_007)
    assert "太极拳" in first and "高新区党政联席会议召开" in second


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "WECHAT_TIMESTAMP_WINDOW": 300}])
def test_millisecond_timestamps_are_measured_against_the_replay_window(client):
    server, now = WeChatServer(TOKEN), int(time.time() * 1000)
    xml = message_xml("text", "oMillis", create_time=now, Content="太极拳")
    response = client.post("/wechat", query_string=server.signed_query(timestamp=now), data=xml)
    assert "高新区举行太极拳健身交流赛" in reply_content(response)
    stale = server.signed_query(timestamp=now - 3_600_000)
    assert client.post("/wechat", query_string=stale, data=xml).status_code == 403


def test_a_post_carrying_echostr_is_answered_as_a_message_and_never_echoed(client):
    query = {**WeChatServer(TOKEN).signed_query(), "echostr": "8837461"}
    response = client.post("/wechat", query_string=query, data=message_xml("text", "oEcho", Content="太极拳"))
    assert b"8837461" not in response.data
    assert "高新区举行太极拳健身交流赛" in reply_content(response)


def test_a_body_without_a_content_type_is_read(client):
    query = WeChatServer(TOKEN).signed_query()
    body = message_xml("text", "oNoType", Content="太极拳").encode("utf-8")
    response = client.post("/wechat", query_string=query, data=body)
    assert "CONTENT_TYPE" not in response.request.environ
    assert "高新区举行太极拳健身交流赛" in reply_content(response)


# -- never fail --------------------------------------------------------------------------------------------------


def test_a_retry_gets_the_very_same_reply_and_is_not_processed_again(app, phone, caplog):
    xml = message_xml("text", phone.user, Content="太极拳", msg_id=424242)
    with caplog.at_level(logging.INFO, logger="bot.wechat"):
        first, _ = phone.post(xml)
        second, _ = phone.post(xml)
    assert first.data == second.data
    outcomes = [r.getMessage() for r in caplog.records if r.name == "bot.wechat"]
    assert sum("outcome=answered" in line for line in outcomes) == 1
    assert sum("outcome=retry" in line for line in outcomes) == 1


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "ANSWER_BUDGET": 0.3}])
def test_a_retry_answers_a_message_whose_first_delivery_died_with_its_worker(app, phone, caplog):
    xml = message_xml("text", phone.user, Content="太极拳", msg_id=434343)
    message = parse_message(xml)
    app.extensions["state"].gate.admit(message_key(message), phone.user)  # claimed by a worker that then died
    with caplog.at_level(logging.INFO, logger="bot.wechat"):
        taken_over, _ = phone.post(xml)
        retried, _ = phone.post(xml)
    assert "高新区举行太极拳健身交流赛" in reply_content(taken_over)
    assert retried.data == taken_over.data
    outcomes = [r.getMessage() for r in caplog.records if r.name == "bot.wechat" and "outcome=" in r.getMessage()]
    assert [line.split("outcome=")[1].split()[0] for line in outcomes] == ["answered", "retry"]


def test_events_are_deduplicated_by_user_and_time(phone):
    xml = message_xml("event", phone.user, create_time=1700000000, Event="subscribe")
    assert phone.post(xml)[0].data == phone.post(xml)[0].data


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "RATE_LIMIT": 3}])
def test_the_rate_limit_answers_politely_without_searching(app, phone, monkeypatch):
    for _ in range(3):
        assert phone.say("太极拳").startswith("1.")
    calls = []
    monkeypatch.setattr(app.extensions["search"], "rank", lambda *a, **k: calls.append(a) or Ranking(()))
    assert phone.say("太极拳") == replies.rate_limited_reply()
    assert calls == []
    assert Phone(phone.client, user="oSomeoneElse").say("太极拳")


@pytest.mark.parametrize("settings", [{**ACCOUNT_SETTINGS, "ANSWER_BUDGET": 0.2}])
def test_past_the_budget_the_bot_apologises(app, phone, monkeypatch):
    monkeypatch.setattr(app.extensions["search"], "rank", lambda parsed: time.sleep(1) or Ranking(()))
    assert phone.say("太极拳") == replies.timeout_reply()
    assert phone.say("帮助") == replies.help_reply()  # only index work waits on the budget
    app.extensions["wechat"].dialogue.budget.pool.shutdown(wait=True)  # the late search ends before the index closes


def test_an_exception_while_answering_is_logged_and_answered_success(app, phone, monkeypatch, caplog):
    def boom(*args):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(app.extensions["wechat"].dialogue, "ask", boom)
    with caplog.at_level(logging.ERROR):
        assert phone.send("text", Content="太极拳") == "success"
    assert "index exploded" in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not xml",
        b"<xml><MsgType>text</MsgType></xml>",
        b"<xml>",
        b"\xff\xfe\x00garbage",
        b"<xml><FromUserName>u</FromUserName></xml>",
    ],
)
def test_malformed_bodies_answer_success(client, body):
    query = WeChatServer(TOKEN).signed_query()
    response = client.post("/wechat", query_string=query, data=body)
    assert response.status_code == 200


def test_a_body_over_64_kb_is_413(client):
    query = WeChatServer(TOKEN).signed_query()
    response = client.post("/wechat", query_string=query, data=b"<xml>" + b"x" * 70000 + b"</xml>")
    assert response.status_code == 413


def test_cdata_breakers_in_content_stay_well_formed(app, phone, monkeypatch):
    from bot.wechat.render import Reply

    monkeypatch.setattr(app.extensions["wechat"].dialogue, "ask", lambda user, text: Reply.say("a]]>b\x00c<script>"))
    assert phone.say("x") == "a]]>bc<script>"


def test_logs_carry_a_hashed_openid_and_no_message_text(phone, caplog):
    with caplog.at_level(logging.INFO):
        phone.say("敬老院工作人员待遇")
    text = caplog.text
    assert phone.user not in text and "敬老院" not in text


@pytest.mark.parametrize("issues", [()])
def test_before_the_first_issue_questions_and_latest_still_get_answers(phone):
    assert "本报没有" in phone.say("养老服务")
    assert phone.say("最新") == replies.no_issue_reply()


def test_a_cached_answer_keeps_whether_it_was_doubtful_and_older_entries_read_as_sure():
    parsed = ParsedQuery("问", "问")
    ranked = (Ranked("2026-04-28-1", 1.5),)
    unsure, sure = (Answer(parsed, ranked, (), "1. …", confidence=c) for c in (0.8, 0.95))
    assert CachedAnswer.of(unsure, 0.9).doubtful and not CachedAnswer.of(sure, 0.9).doubtful
    assert not CachedAnswer.of(Answer(parsed, (), (), "抱歉", confidence=0.5), 0.9).doubtful  # "nothing" is no answer
    entry = CachedAnswer.of(unsure, 0.9)
    assert CachedAnswer.decode(entry.encode()) == entry
    older = '{"ranked": [["2026-04-28-1", 1.5]], "suggested": [], "reply": "1. …"}'  # cached before the flag
    assert CachedAnswer.decode(older) == CachedAnswer(ranked, (), "1. …", False)
