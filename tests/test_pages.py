"""``/articles/<id>`` and ``/healthz``."""

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
