"""End to end: gunicorn (two workers, as the Procfile runs it) with a real redis-server, spoken to over HTTP the
way WeChat's servers do. Slow-ish (a few seconds), so it is one module with one server."""

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
    assert "没有找到" in server.say("oNews", "春季招聘会")
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
