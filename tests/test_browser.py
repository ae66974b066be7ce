"""The pages as a person uses them: Debian's Chromium, driven by Playwright, against the app on a loopback port.

A newcomer asks the simulator about 太极拳 and opens the article; an editor previews and publishes an issue on the
desk, and the simulator then finds it. Screenshots of each step are left in the test's tmp dir.
"""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from bench.servers import free_port
from bot import create_app, data
from tests.helpers import ingest_sample
from tests.wechat import ACCOUNT_SETTINGS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="no Debian chromium at /usr/bin/chromium (`make system-deps` installs it)",
    ),
]

TOKEN = "desk-token-for-the-browser"
ISSUE = """高新区开展防汛应急演练

本报讯(记者王晓 通讯员李明)4月30日,高新区在大沙河沿岸开展防汛应急演练,检验抢险队伍的快速反应能力。

演练模拟强降雨导致河道水位上涨,抢险队员迅速集结,完成了转移群众、加固堤坝等科目。

高新区举办社区书法展

本报讯(记者赵雪)4月29日,高新区文化馆举办社区书法展,展出居民书法作品80余幅。
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The app with the sample issue, the simulator and the desk on, served by werkzeug in a thread."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(
        {
            "BULLETIN_DATA_DIR": str(tmp_path_factory.mktemp("var")),
            **ACCOUNT_SETTINGS,
            "SIMULATOR": True,
            "ADMIN_TOKEN": TOKEN,
            "PUBLIC_BASE_URL": base,
        }
    )
    ingest_sample(app)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(10)
    server.server_close()
    data.close(app)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh tab set: its own sessionStorage, so its own resident and its own desk login."""
    context = browser.new_context(viewport={"width": 1000, "height": 800}, locale="zh-CN")
    yield context
    context.close()


def say(page, text):
    """Type ``text`` into the simulator, send it, and return the locator of the reply that follows."""
    answered = page.locator("#messages > :not(.pending)").count()
    page.fill("#text", text)
    page.press("#text", "Enter")
    reply = page.locator("#messages > :not(.pending)").nth(answered + 1)  # after the resident's own bubble
    expect(reply).to_be_visible()
    return reply


def test_a_newcomer_asks_about_taiji_and_opens_the_article(base_url, context, tmp_path):
    page = context.new_page()
    page.goto(f"{base_url}/simulator/")
    expect(page.locator(".mode")).to_have_text("安全模式")

    page.click("#follow")
    expect(page.locator(".msg.bot").last).to_contain_text("感谢关注高新区头条")
    expect(page.locator("#follow")).to_have_text("取消关注")

    reply = say(page, "太极拳")
    expect(reply).to_contain_text("1. 高新区举行太极拳健身交流赛")
    expect(reply.locator("b").first).to_have_text("【太极】")
    page.screenshot(path=tmp_path / "simulator-search.png")

    card = say(page, "1")
    expect(card).to_have_class("card")
    expect(card).to_contain_text("高新区举行太极拳健身交流赛")
    with context.expect_page() as opened:
        card.click()
    article = opened.value
    expect(article.locator("h1")).to_have_text("高新区举行太极拳健身交流赛")
    expect(article.locator("main")).to_contain_text("许锦")
    article.screenshot(path=tmp_path / "article.png")

    page.click(".menu button[data-key=HELP]")
    expect(page.locator(".msg.bot").last).to_contain_text("常用指令")
    page.screenshot(path=tmp_path / "simulator-help.png")


def test_an_editor_previews_and_publishes_and_the_simulator_finds_it(base_url, context, tmp_path):
    desk = context.new_page()
    desk.goto(f"{base_url}/admin/")
    desk.fill("#token", "wrong")
    desk.click("#token-form button")
    expect(desk.locator("#status")).to_contain_text("token")
    expect(desk.locator("#login")).to_be_visible()

    desk.fill("#token", TOKEN)
    desk.click("#token-form button")
    expect(desk.locator("#work")).to_be_visible()
    expect(desk.locator("#issues")).to_contain_text("2026-04-28")

    desk.set_input_files(
        "#file", files=[{"name": "2026-05-02.txt", "mimeType": "text/plain", "buffer": ISSUE.encode("utf-8")}]
    )
    desk.fill("#date", "2026-05-02")
    desk.fill("#name", "第19期")
    desk.click("#upload-form button[type=submit]")
    preview = desk.locator("#preview")
    expect(preview).to_contain_text("1. 高新区开展防汛应急演练")
    expect(preview).to_contain_text("记者 王晓 通讯员 李明")
    expect(preview).to_contain_text("4月30日,高新区在大沙河沿岸开展防汛应急演练")
    expect(preview).to_contain_text("2. 高新区举办社区书法展")
    expect(desk.locator("#issues")).not_to_contain_text("第19期")
    desk.screenshot(path=tmp_path / "desk-preview.png", full_page=True)

    desk.click("#publish")
    expect(desk.locator("#status")).to_contain_text("已发布 2026-05-02 这一期，共 2 篇")
    expect(desk.locator("#issues")).to_contain_text("第19期")

    phone = context.new_page()
    phone.goto(f"{base_url}/simulator/")
    expect(say(phone, "防汛演练")).to_contain_text("1. 高新区开展防汛应急演练")
    phone.screenshot(path=tmp_path / "simulator-new-issue.png")

    desk.click("#refresh-stats")
    expect(desk.locator("#stats")).to_contain_text("防汛演练")
    desk.screenshot(path=tmp_path / "desk-stats.png", full_page=True)

    desk.once("dialog", lambda dialog: dialog.accept())
    desk.locator("#issues tr", has_text="第19期").get_by_role("button", name="删除").click()
    expect(desk.locator("#status")).to_contain_text("已删除 2026-05-02")
    expect(desk.locator("#issues")).not_to_contain_text("第19期")
    expect(say(phone, "防汛演练")).not_to_contain_text("高新区开展防汛应急演练")
