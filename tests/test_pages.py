"""``/``, ``/favicon.ico``, ``/articles/<id>`` and ``/healthz``."""

import re

import pytest

from tests.helpers import SAMPLE_ISSUE


@pytest.fixture
def issues():
    return [SAMPLE_ISSUE]


def test_an_article_page_shows_title_date_byline_and_paragraphs(client):
    page = client.get("/articles/2026-04-28-06").get_data(as_text=True)
    assert "<h1>高新区举行太极拳健身交流赛</h1>" in page
    assert "2026年04月28日" in page and "付凯明" in page and "许锦" in page
    assert page.count("<p>") >= 2
    assert 'name="viewport"' in page


def test_a_kicker_is_shown_above_the_title(client):
    page = client.get("/articles/2026-04-28-01").get_data(as_text=True)
    assert page.index("树立和践行正确政绩观</p>") < page.index("<h1>")


@pytest.mark.parametrize("article_id", ["2026-04-28-99", "nope", "..%2f..%2fetc%2fpasswd", "2026-04-28-01.json"])
def test_unknown_or_malformed_ids_are_404(client, article_id):
    assert client.get(f"/articles/{article_id}").status_code == 404


def test_healthz_reports_generation_count_and_redis(client, app):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["articles"] == 6
    assert body["generation"].startswith("gen-")
    assert body["redis"] == {"backend": "memory", "ok": True}


@pytest.mark.parametrize("issues", [()])
def test_healthz_is_503_without_an_index(client):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["status"] == "unavailable"


def links(page):
    return re.findall(r'(?:href|src)="([^"]*)"', page)


@pytest.mark.parametrize("settings", [{"SIMULATOR": True, "ADMIN_TOKEN": "desk-token"}])
def test_the_landing_page_names_the_service_and_links_the_simulator_and_the_desk(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert '<html lang="zh-CN">' in page and "高新区头条" in page
    assert "已上线最新一期：2026年04月28日，共 6 篇报道" in page
    assert {"/simulator/", "/admin/", "/healthz", "/favicon.ico"} <= set(links(page))
    assert 'href="/simulator/">对话模拟器<' in page and 'href="/admin/">编辑部后台<' in page
    assert all(link.startswith("/") and not link.startswith("//") for link in links(page))  # nothing external


@pytest.mark.parametrize("issues", [()])
def test_without_simulator_desk_or_issue_the_page_says_so_and_links_neither(client):
    page = client.get("/").get_data(as_text=True)
    assert "还没有上线任何一期" in page
    assert "/simulator/" not in links(page) and "/admin/" not in links(page)


def test_the_favicon_is_an_icon(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO header
