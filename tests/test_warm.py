"""A question whose answer the worker already holds: one round trip to Redis, and every guarantee of the webhook
kept (retries answered identically, the rate limit exact, sessions, statistics, Redis going away)."""

import logging

import pytest
import redis

from bot import replies
from bot.data import get_state
from bot.wechat.impersonate import message_xml
from tests.helpers import SAMPLE_ISSUE
from tests.wechat import ACCOUNT_SETTINGS, Phone

pytestmark = pytest.mark.redis
QUESTION = "太极拳"
ANSWER = "高新区举行太极拳健身交流赛"


@pytest.fixture
def settings(redis_url):
    return {**ACCOUNT_SETTINGS, "REDIS_URL": redis_url, "RATE_LIMIT": 3, "STATS_FLUSH_INTERVAL": 3600}


@pytest.fixture
def issues():
    return [SAMPLE_ISSUE]


@pytest.fixture
def server(redis_url):
    """The Redis server's own view: what it was asked."""
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


def commands(server):
    """The commands Redis ran since ``CONFIG RESETSTAT``, with their counts, those run by scripts included."""
    stats = server.info("commandstats")
    ours = {name.removeprefix("cmdstat_"): row["calls"] for name, row in stats.items()}
    return {name: calls for name, calls in ours.items() if name not in ("info", "config|resetstat")}


def test_a_question_answered_from_memory_costs_one_round_trip(client, server):
    assert ANSWER in Phone(client, user="oFirst").say(QUESTION)  # searched, cached in Redis and in the process
    server.config_resetstat()
    phone = Phone(client, user="oSecond")
    assert ANSWER in phone.say(QUESTION)
    # One script: the claim, the sender's count (new: its expiry set), the reply and the session.
    assert commands(server) == {"evalsha": 1, "set": 3, "incr": 1, "pttl": 1, "pexpire": 1}
    assert ANSWER in phone.say("1")  # the session written with the claim: "1" opens the story


def test_a_retry_of_an_answer_from_memory_is_the_very_same_reply(client, caplog):
    phone = Phone(client)
    phone.say(QUESTION)
    xml = message_xml("text", "oRetrying", Content=QUESTION, msg_id=5150)
    with caplog.at_level(logging.INFO, logger="bot.wechat"):
        first, _ = phone.post(xml)
        again = [phone.post(xml)[0] for _ in range(3)]
    assert all(response.data == first.data for response in again)
    outcomes = [r.getMessage() for r in caplog.records if r.name == "bot.wechat"]
    assert sum("outcome=answered" in line for line in outcomes) == 1
    assert sum("outcome=retry" in line for line in outcomes) == 3


def test_the_rate_limit_is_exact_for_answers_from_memory(client):
    Phone(client, user="oWarmUp").say(QUESTION)
    phone = Phone(client, user="oBusy")
    answers = [phone.say(QUESTION) for _ in range(5)]
    assert [ANSWER in answer for answer in answers] == [True, True, True, False, False]
    assert answers[3:] == [replies.rate_limited_reply()] * 2


def test_a_session_is_not_changed_by_a_message_over_the_limit(client):
    phone = Phone(client, user="oPicky")
    phone.say("最新")  # a list of headlines, then two questions reach the limit of 3
    phone.say(QUESTION)
    phone.say(QUESTION)
    assert phone.say("山阳路大桥") == replies.rate_limited_reply()
    assert phone.say("1") == replies.rate_limited_reply()


def test_answers_from_memory_are_counted_for_the_editors(app, client):
    for n in range(3):
        Phone(client, user=f"oCounted{n}").say(QUESTION)
    stats = get_state(app).stats
    assert stats.report()["top_queries"] == [{"query": QUESTION, "count": 3}]
    assert stats.report()["messages_per_day"][-1]["messages"] == 3
    assert stats.lookups() == {"hits": 2, "misses": 1}


def test_with_redis_gone_answers_from_memory_go_on(app, client, redis_server):
    Phone(client, user="oBefore").say(QUESTION)
    redis_server.stop()
    try:
        for n in range(3):
            assert ANSWER in Phone(client, user=f"oDuring{n}").say(QUESTION)
        get_state(app).stats.flush()  # kept: Redis is away
    finally:
        redis_server.start()
    state = get_state(app)
    state.store.guard._retry_at = 0  # the back-off after the outage is over
    assert state.stats.report()["messages_per_day"][-1]["messages"] == 4
