"""Page PDFs the bot refuses, each with one clear line (Chinese on the desk) and nothing written: not a PDF, a scan,
an encrypted or broken file, and PDF bombs within the 5 MiB limit (``tests/pdf_files.py``); and the time and memory
limits of the reading child (``PDF_TIME_LIMIT``, ``PDF_MEMORY_LIMIT``)."""

from datetime import date

import pytest

from bot.data import get_store
from index.errors import IssueError
from index.parse import PageParser
from index.pdf.content import Glyph, PageContent
from index.pdf.limits import MIB, PdfLimits
from index.pdf.read import check_text
from tests import pdf_files
from tests.helpers import PARSER, WORDS
from tests.test_admin import TOKEN, refused, upload

DAY = date(2026, 5, 12)
MAX_UPLOAD = 5 * 1024 * 1024

REFUSED = [
    ("scan", pdf_files.scan_pdf, "pdf_no_text"),
    ("encrypted", pdf_files.encrypted_pdf, "pdf_encrypted"),
    ("broken", pdf_files.broken_pdf, "pdf_broken"),
    ("many-pages", pdf_files.many_pages_pdf, "pdf_too_many_pages"),
    ("huge-picture", pdf_files.huge_picture_pdf, "pdf_image_too_large"),
    ("repeated-picture", pdf_files.repeated_picture_pdf, "pdf_no_text"),
    ("inflating", pdf_files.inflating_pdf, "pdf_too_complex"),
    ("nested", pdf_files.nested_pdf, "pdf_no_text"),
    ("self-drawing", pdf_files.self_drawing_pdf, "pdf_no_text"),
]


@pytest.fixture
def settings():
    return {"ADMIN_TOKEN": TOKEN}


@pytest.mark.parametrize(("make", "code"), [(make, code) for _, make, code in REFUSED], ids=[n for n, *_ in REFUSED])
def test_each_file_is_refused_with_its_code_within_the_upload_limit(make, code):
    data = make()
    assert len(data) < MAX_UPLOAD
    with pytest.raises(IssueError) as refusal:
        PARSER.read_pdf(data, DAY)
    assert refusal.value.code == code, refusal.value


@pytest.mark.parametrize(
    ("make", "code"), [(make, code) for _, make, code in REFUSED[:3]], ids=[n for n, *_ in REFUSED[:3]]
)
def test_the_desk_says_why_in_chinese_and_nothing_is_written(client, app, make, code):
    message = refused(upload(client, make(), filename="第20期.pdf"), 400, code)
    assert message.startswith("第20期.pdf：")
    assert get_store(app).archive.dates() == []


def test_the_cli_says_it_in_one_line_and_exits_2(runner, app, tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_files.scan_pdf())
    result = runner.invoke(args=["ingest", str(path), "--date", DAY.isoformat()])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"Error: {path}: {_message(pdf_files.scan_pdf())}"]
    assert get_store(app).archive.dates() == []


def _message(data: bytes) -> str:
    try:
        PARSER.read_pdf(data, DAY)
    except IssueError as error:
        return error.message
    raise AssertionError("not refused")


def test_a_file_named_pdf_that_is_none_is_refused_and_a_pdf_by_another_name_is_read(client):
    refused(upload(client, "高新区新闻".encode(), filename="第20期.pdf"), 400, "not_pdf")
    read = upload(client, pdf_files.page_pdf(), filename="第20期.txt", dry_run=True)
    assert read.status_code == 200 and len(read.get_json()["articles"]) == 5


@pytest.mark.parametrize(
    ("limits", "code"),
    [(PdfLimits(seconds=0.001), "pdf_too_slow"), (PdfLimits(memory=16 * MIB), "pdf_too_complex")],
    ids=["time", "memory"],
)
def test_the_reading_child_is_stopped_at_its_limits(limits, code):
    parser = PageParser(PARSER.conventions, WORDS.userdict, PARSER.models, limits)
    with pytest.raises(IssueError) as refusal:
        parser.read_pdf(pdf_files.page_pdf(), DAY)
    assert refusal.value.code == code


@pytest.mark.parametrize("settings", [{"ADMIN_TOKEN": TOKEN, "PDF_MAX_PAGES": 1}])
def test_the_limits_are_settings(client):
    message = refused(
        upload(client, pdf_files.pages_pdf([pdf_files.PLAIN_PAGE] * 2), filename="a.pdf"), 400, "pdf_too_many_pages"
    )
    assert "PDF 有 2 页，一次最多读取 1 页" in message


def test_a_text_layer_of_unmapped_characters_is_refused():
    glyphs = tuple(Glyph(chr(0xE000 + n), n * 10.0, n * 10.0 + 9, 100.0, 9.0, 0, n) for n in range(40))
    with pytest.raises(IssueError) as refusal:
        check_text([PageContent(1, 600.0, 800.0, (), glyphs, ())])
    assert refusal.value.code == "pdf_unreadable_text"
