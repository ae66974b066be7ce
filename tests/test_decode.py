"""Issue files in the encodings and line ends editors save, and the files that are not issues at all."""

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.decode import decode_issue
from index.errors import IssueError
from index.parse import parse_issue
from tests.helpers import PARSER

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "issues" / "2026-04-28.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def expected():
    return parse_issue(SAMPLE.read_bytes(), date(2026, 4, 28), PARSER)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), id="utf-8-bom"),
        pytest.param(TEXT.encode("gb18030"), id="gb18030"),
        pytest.param(TEXT.encode("gbk"), id="gbk"),
        pytest.param(TEXT.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
        pytest.param(TEXT.replace("\n", "\r").encode("gb18030"), id="cr-gb18030"),
    ],
)
def test_every_encoding_and_line_end_gives_the_same_six_articles(data, expected):
    assert decode_issue(data) == TEXT
    assert parse_issue(data, date(2026, 4, 28), PARSER) == expected


@given(st.text(st.characters(whitelist_categories=("L", "N", "P", "Zs")), min_size=1).filter(str.strip))
def test_utf8_text_comes_back_unchanged(text):
    assert decode_issue(text.encode("utf-8")) == text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "the file is empty"),
        (b" \r\n\t\n", "the file is empty"),
        ("\u3000\u3000\n".encode("gb18030"), "the file is empty"),
        (b"\xef\xbb\xbf\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary, not text (it contains NUL bytes)"),
        (bytes(range(1, 32)) * 4 + "正文".encode(), "binary, not text (too many control characters)"),
        ("高新区".encode("utf-16"), "UTF-16"),
    ],
)
def test_files_that_are_not_issues_are_refused(data, message):
    with pytest.raises(IssueError, match=re.escape(message)) as raised:
        decode_issue(data)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "data, line",
    [
        (b"\x80\xff\x80\xff\xfe\x80", 1),
        ("第一行\r\n第二行\r\n".encode("gb18030") + b"\xff\x80 \xff", 3),
        ("第一行\n第二行\n第三行".encode() + b"\xff\xfe\xff", 3),
    ],
)
def test_undecodable_bytes_name_their_line(data, line):
    with pytest.raises(IssueError, match="neither UTF-8 nor GB18030") as raised:
        decode_issue(data)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"line {line}: ")


def test_parse_issue_passes_decoding_errors_on():
    with pytest.raises(IssueError, match="empty"):
        parse_issue(b"\n\n", date(2026, 4, 28), PARSER)
