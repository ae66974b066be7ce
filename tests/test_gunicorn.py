"""End to end: gunicorn (two workers, as the Procfile runs it) with a real redis-server, spoken to over HTTP the
way WeChat's servers do. Slow-ish (a few seconds), so it is one module with one server."""

import http.client
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
import xmltodict

from bench.servers import free_port
from bot import create_app, data
from bot.wechat.impersonate import WeChatServer, message_xml
from tests.conftest import ROOT
from tests.helpers import ingest_sample
from tests.wechat import ACCOUNT_SETTINGS, AES_KEY, APP_ID, TOKEN

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent
NEW_ISSUE = ROOT / "tests" / "issues" / "2026-05-11-photos.txt"


class Server:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.wechat = WeChatServer(TOKEN, AES_KEY, APP_ID)

    def get(self, path, query=None):
        url = self.base + path + ("?" + urllib.parse.urlencode(query) if query else "")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post_xml(self, xml, mode="plain"):
        request = self.wechat.request(xml, mode)
        url = f"{self.base}/wechat?{urllib.parse.urlencode(request.query)}"
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=request.body), timeout=10) as response:
                return response.status, response.read(), request.query
        except urllib.error.HTTPError as error:
            return error.code, error.read(), request.query

    def say(self, user, content, mode="plain", msg_id=None):
        status, body, query = self.post_xml(message_xml("text", user, Content=content, msg_id=msg_id), mode)
        assert status == 200, (status, body)
        opened = self.wechat.open_reply(body, query)
        return opened if opened == "success" else xmltodict.parse(opened)["xml"]["Content"]

    def post_raw(self, query, body, headers=None):
        """``(status, body)`` of a POST sent with exactly ``headers`` (urllib would add a Content-Type)."""
        connection = http.client.HTTPConnection(self.base.removeprefix("http://"), timeout=10)
        try:
            connection.request("POST", f"/wechat?{urllib.parse.urlencode(query)}", body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def say_raw(self, query, xml, headers=None):
        """The text answered to a plain-mode message sent as some gateways and test tools send it."""
        status, body = self.post_raw(query, xml.encode("utf-8"), headers)
        assert status == 200, (status, body)
        return xmltodict.parse(body)["xml"]["Content"]


@pytest.fixture(scope="module")
def served(tmp_path_factory, redis_server):
    data_dir = tmp_path_factory.mktemp("e2e") / "var"
    app = create_app({"BULLETIN_DATA_DIR": str(data_dir)})
    ingest_sample(app)
    data.close(app)
    port = free_port()
    env = {
        **os.environ,
        **ACCOUNT_SETTINGS,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_CONCURRENCY": "2",
        "REDIS_URL": redis_server.url,
        "BULLETIN_DATA_DIR": str(data_dir),
        "RATE_LIMIT": "8",
        "WECHAT_TIMESTAMP_WINDOW": "300",
        "PATH": f"{BIN}:{os.environ['PATH']}",
    }
    log = open(data_dir.parent / "gunicorn.log", "wb")  # noqa: SIM115  (the server's stdout for the whole module)
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "bot:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(port)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if server.get("/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + (data_dir.parent / "gunicorn.log").read_text())
    yield server, data_dir, env
    process.terminate()
    process.wait(15)
    log.close()
    shutil.rmtree(data_dir, ignore_errors=True)


def test_verification_and_each_mode(served):
    server, _, _ = served
    query = server.wechat.signed_query()
    assert server.get("/wechat", {**query, "echostr": "hello"}) == (200, b"hello")
    assert server.get("/wechat", {**query, "signature": "0" * 40, "echostr": "x"})[0] == 403
    for n, mode in enumerate(["plain", "compatible", "safe"]):
        assert "高新区党政联席会议召开" in server.say(f"oMode{n}", "养老服务", mode)


def test_events_commands_and_pages(served):
    server, _, _ = served
    _, body, _ = server.post_xml(message_xml("event", "oEvents", Event="subscribe"))
    assert "高新区举行太极拳健身交流赛" in body.decode("utf-8")
    assert server.say("oEvents", "帮助")
    assert server.say("oEvents", "最新").count("\n") >= 6
    assert "许锦" in server.say("oEvents", "6")
    assert server.say("oEvents", "高新区").startswith("1. ")
    assert server.say("oEvents", "更多").startswith("4. ")


def test_a_retry_is_answered_identically_by_either_worker(served):
    server, _, _ = served
    replies = {server.say("oRetry", "太极拳", msg_id=99887766) for _ in range(4)}
    assert len(replies) == 1


def test_the_rate_limit_is_shared_by_the_workers(served):
    server, _, _ = served
    answers = [server.say("oBusy", f"太极拳{n}") for n in range(10)]
    from bot import replies

    assert answers[-1] == replies.rate_limited_reply()
    assert sum(a == replies.rate_limited_reply() for a in answers) == 2


def test_redis_stopped_and_restarted_mid_run(served, redis_server):
    server, _, env = served
    client = redis.Redis.from_url(env["REDIS_URL"])
    assert server.say("oOutage", "市十一中迁建").startswith("1. ")
    redis_server.stop()
    try:
        for n in range(5):
            assert "重点项目建设" in server.say(f"oOutage{n}", "市十一中迁建")
    finally:
        redis_server.start()
    time.sleep(1.2)  # the state's back-off after a failure
    client.flushall()
    server.say("oOutage", "山阳路大沙河桥")
    server.say("oOutage2", "山阳路大沙河桥")
    assert any(k.startswith(b"gxbot:cache:") for k in client.scan_iter("gxbot:*"))


def test_a_new_ingest_is_seen_by_the_running_server(served):
    server, _, env = served
    assert "本报没有" in server.say("oNews", "春季招聘会")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ingest", str(NEW_ISSUE), "--date", "2026-05-12"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "高新区举办2026年春季招聘会" in server.say("oNews2", "春季招聘会")


# -- clients that bend the protocol (gateways, test tools), end to end ------------------------------------------------

#: The MsgId one popular test client sends with every message.
CONSTANT_MSG_ID = 1234567


def test_a_msg_id_reused_by_another_resident_gets_its_own_answer(served):
    server, _, _ = served
    first = server.say("oToolUserA", "太极拳", msg_id=CONSTANT_MSG_ID)
    second = server.say("oToolUserB", "市十一中迁建", msg_id=CONSTANT_MSG_ID)
    assert "高新区举行太极拳健身交流赛" in first
    assert "重点项目建设" in second and "太极拳" not in second


def test_one_msg_id_for_every_message_of_one_resident(served):
    server, _, _ = served
    query = server.wechat.signed_query
    now = int(time.time())
    xml = message_xml("text", "oToolUserC", msg_id=CONSTANT_MSG_ID, create_time=now - 5, Content="太极拳")
    assert "太极拳" in server.say_raw(query(), xml)
    next_xml = message_xml("text", "oToolUserC", msg_id=CONSTANT_MSG_ID, create_time=now, Content="市十一中迁建")
    assert "重点项目建设" in server.say_raw(query(), next_xml)
    assert server.say_raw(query(), next_xml) == server.say_raw(query(), next_xml)  # a real retry: the same reply


def test_millisecond_timestamps_are_within_the_replay_window(served):
    server, _, _ = served
    now = int(time.time() * 1000)
    xml = message_xml("text", "oMillis", create_time=now, Content="太极拳")
    assert "高新区举行太极拳健身交流赛" in server.say_raw(server.wechat.signed_query(timestamp=now), xml)
    stale = server.wechat.signed_query(timestamp=now - 3_600_000)
    assert server.post_raw(stale, xml.encode("utf-8"))[0] == 403
    assert server.post_raw(server.wechat.signed_query(timestamp=int(time.time()) - 3600), xml.encode())[0] == 403


def test_a_post_carrying_echostr_is_answered_as_a_message(served):
    server, _, _ = served
    query = {**server.wechat.signed_query(), "echostr": "8837461"}
    status, body = server.post_raw(query, message_xml("text", "oEchostr", Content="太极拳").encode("utf-8"))
    assert status == 200 and b"8837461" not in body
    assert "高新区举行太极拳健身交流赛" in xmltodict.parse(body)["xml"]["Content"]


def test_a_body_without_a_content_type_is_read(served):
    server, _, _ = served
    xml = message_xml("text", "oNoContentType", Content="太极拳")
    assert "高新区举行太极拳健身交流赛" in server.say_raw(server.wechat.signed_query(), xml, headers={})
    events = message_xml("event", "oNoContentType", Event="CLICK", EventKey="LATEST")
    assert "本期要闻" in server.say_raw(server.wechat.signed_query(), events, headers={})
