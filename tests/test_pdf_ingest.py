"""A page PDF ingested like any issue: CLI, admin API, archive, corrections, the article page and its photo, the
WeChat card's picture. The PDFs are the page corpus's, typeset by ``tests/pages/typeset.py``."""

import io
import json
from datetime import date

import pytest
from PIL import Image

from bot.data import get_store
from index.photos import PHOTO_NAME
from tests.pdf_files import PHOTO_PAGE, PLAIN_PAGE, page_pdf, pages_pdf
from tests.test_admin import AUTH, TOKEN, upload
from tests.wechat import ACCOUNT_SETTINGS, Phone

DAY = "2026-05-12"
#: The photo articles of the bulletin's page with photos (``PHOTO_PAGE``), and their pictures.
PHOTOS = {2: "photo-1.jpg", 4: "photo-2.jpg"}


@pytest.fixture
def settings():
    return {**ACCOUNT_SETTINGS, "ADMIN_TOKEN": TOKEN, "PUBLIC_BASE_URL": "https://bot.example.cn"}


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / f"{DAY}-第20期.pdf"
    path.write_bytes(page_pdf(PHOTO_PAGE))
    return path


def test_the_cli_ingests_a_page_pdf_keeps_it_as_received_and_its_photos_beside_it(runner, app, pdf_file):
    result = runner.invoke(args=["ingest", str(pdf_file), "--date", DAY, "--json"])
    assert result.exit_code == 0, result.output
    articles = json.loads(result.output)
    assert [article["kind"] for article in articles] == ["story", "photo", "story", "photo", "story"]
    assert {article["ordinal"]: article["photo"] for article in articles if article["photo"]} == PHOTOS
    assert articles[0]["title"] == "高新区举办2026年春季招聘会" and articles[0]["reporters"] == ["马雅宁"]
    assert articles[1]["photographer"] == "马雅宁"

    archive = get_store(app).archive
    issue = archive.load(date.fromisoformat(DAY))
    assert issue.source_name == pdf_file.name and archive.source(issue.date) == pdf_file.read_bytes()
    folder = archive.root / DAY
    assert sorted(path.name for path in folder.iterdir()) == ["issue.json", "photo-1.jpg", "photo-2.jpg", "source.pdf"]
    with Image.open(folder / "photo-1.jpg") as photo:
        assert photo.format == "JPEG" and max(photo.size) <= 1080

    shown = runner.invoke(args=["show", DAY])
    assert "photo-1.jpg" in shown.output


def test_a_dry_run_writes_nothing(runner, app, pdf_file):
    result = runner.invoke(args=["ingest", str(pdf_file), "--date", DAY, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Parsed (dry run, nothing written): 5 articles" in result.output
    assert get_store(app).archive.dates() == []


def test_a_pdf_of_several_pages_is_one_issue_its_pages_in_order(runner, app, tmp_path):
    path = tmp_path / "two.pdf"
    path.write_bytes(pages_pdf([PLAIN_PAGE, PHOTO_PAGE]))
    result = runner.invoke(args=["ingest", str(path), "--date", DAY, "--json"])
    assert result.exit_code == 0, result.output
    articles = json.loads(result.output)
    titles = [article["title"] for article in articles]
    assert titles[0] == "高新区召开2025年度工作总结会议" and titles[4] == "高新区举办2026年春季招聘会"
    assert len(articles) == 9 and [article["ordinal"] for article in articles] == list(range(1, 10))
    assert [article["photo"] for article in articles if article["photo"]] == ["photo-1.jpg", "photo-2.jpg"]


def test_the_desk_previews_with_thumbnails_publishes_and_corrects_with_the_photos_following(client, app):
    data = page_pdf(PHOTO_PAGE)
    preview = upload(client, data, day=DAY, filename="第20期.pdf", dry_run=True)
    assert preview.status_code == 200, preview.get_json()
    articles = preview.get_json()["articles"]
    assert [a["ordinal"] for a in articles if a.get("thumbnail", "").startswith("data:image/jpeg;base64,")] == [2, 4]
    assert all(a["reading"]["lines"] for a in articles)
    assert get_store(app).archive.dates() == []

    published = upload(client, data, day=DAY, filename="第20期.pdf", corrections='[{"op": "drop", "article": 2}]')
    assert published.status_code == 201, published.get_json()
    archive = get_store(app).archive
    day = date.fromisoformat(DAY)
    assert [photo.name for photo in archive.photos(day)] == ["photo-2.jpg"]  # the dropped article's photo went

    opened = client.get(f"/admin/issues/{DAY}", headers=AUTH).get_json()
    assert [a["photo"] for a in opened["articles"]] == ["", "", "photo-2.jpg", ""]
    assert opened["articles"][2]["thumbnail"].startswith("data:image/jpeg;base64,")

    merged = client.post(
        f"/admin/issues/{DAY}/corrections",
        json={"corrections": [{"op": "merge", "article": 2}], "version": opened["version"]},
        headers=AUTH,
    )
    assert merged.status_code == 200, merged.get_json()
    assert [a["photo"] for a in merged.get_json()["articles"]] == ["", "photo-2.jpg", ""]  # the photo came along
    assert [photo.name for photo in archive.photos(day)] == ["photo-2.jpg"]


def test_an_article_page_shows_its_photo_served_from_the_archive(client, app, runner, pdf_file):
    runner.invoke(args=["ingest", str(pdf_file), "--date", DAY])
    page = client.get(f"/articles/{DAY}-02")
    assert page.status_code == 200
    assert f'<img src="/articles/{DAY}-02/photo.jpg"' in page.get_data(as_text=True)
    photo = client.get(f"/articles/{DAY}-02/photo.jpg")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(photo.data)) as image:
        assert image.size[0] > 0
    again = client.get(f"/articles/{DAY}-02/photo.jpg", headers={"If-None-Match": photo.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(f"/articles/{DAY}-01/photo.jpg").status_code == 404  # a story without a photo
    assert "<img" not in client.get(f"/articles/{DAY}-01").get_data(as_text=True)
    assert client.get("/articles/2026-05-13-02/photo.jpg").status_code == 404


def test_a_picked_article_with_a_photo_is_a_card_with_its_picture(client, runner, pdf_file):
    runner.invoke(args=["ingest", str(pdf_file), "--date", DAY])
    phone = Phone(client)
    phone.say("插秧")
    card = phone.send("text", Content="1")["Articles"]["item"]
    assert card["Url"] == f"https://bot.example.cn/articles/{DAY}-04"
    assert card["PicUrl"] == f"https://bot.example.cn/articles/{DAY}-04/photo.jpg"
    phone.say("营商环境")
    story = phone.send("text", Content="1")["Articles"]["item"]
    assert story["Url"] == f"https://bot.example.cn/articles/{DAY}-03" and not story.get("PicUrl")


@pytest.mark.parametrize(
    "settings", [{**ACCOUNT_SETTINGS, "SIMULATOR": True, "PUBLIC_BASE_URL": "https://bot.example.cn"}]
)
def test_the_simulator_shows_a_picked_cards_picture_from_this_server(client, runner, pdf_file):
    runner.invoke(args=["ingest", str(pdf_file), "--date", DAY])
    user = {"user": "simulator-user-1", "type": "text"}
    client.post("/simulator/send", json={**user, "content": "插秧"})
    card = client.post("/simulator/send", json={**user, "content": "1"}).get_json()
    assert card["kind"] == "news" and card["picture"] == f"/articles/{DAY}-04/photo.jpg"
    assert client.get(card["picture"]).mimetype == "image/jpeg"


def test_reparse_reads_the_archived_pdf_again_photos_included(runner, app, pdf_file):
    runner.invoke(args=["ingest", str(pdf_file), "--date", DAY])
    assert "unchanged" in runner.invoke(args=["reparse", DAY]).output
    runner.invoke(args=["correct", DAY, "--drop", "2"])
    archive = get_store(app).archive
    assert [photo.name for photo in archive.photos(date.fromisoformat(DAY))] == ["photo-2.jpg"]
    result = runner.invoke(args=["reparse", DAY, "--discard-corrections"])
    assert result.exit_code == 0 and "changed: 5 articles" in result.output, result.output
    assert [photo.name for photo in archive.photos(date.fromisoformat(DAY))] == ["photo-1.jpg", "photo-2.jpg"]


def test_photo_names_never_reach_outside_the_issue_folder(app, runner, pdf_file):
    runner.invoke(args=["ingest", str(pdf_file), "--date", DAY])
    archive = get_store(app).archive
    day = date.fromisoformat(DAY)
    for name in ("../issue.json", "photo-1.jpg/..", "source.pdf", "photo-9.jpg", "/etc/passwd"):
        assert archive.photo_path(day, name) is None
    assert PHOTO_NAME.match("photo-12.jpg") and not PHOTO_NAME.match("photo-1.jpg.png")
