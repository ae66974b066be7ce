"""Every error code raised anywhere has its Chinese message, and sizes are said as the limits are set (MiB)."""

import re
from pathlib import Path

import pytest

from bot.admin.messages import EXPECTED, MESSAGES, STATUS_CODES, issue_message, message
from index.errors import IssueError, mib

ROOT = Path(__file__).resolve().parent.parent
RAISED = re.compile(r'''(?:code=|DeskError\(\d+, )"(\w+)"''')
CJK = re.compile(r"[\u4e00-\u9fff]")


def raised_codes():
    codes = set()
    for package in ("bot", "index"):
        for path in (ROOT / package).rglob("*.py"):
            codes |= set(RAISED.findall(path.read_text(encoding="utf-8")))
    return codes


def test_every_code_raised_in_bot_and_index_has_a_chinese_message():
    codes = raised_codes()
    assert {"file_too_large", "no_such_article", "synonym_exists", "invalid_date", "issue_changed"} <= codes
    assert codes - set(MESSAGES) == set()
    assert set(STATUS_CODES.values()) - set(MESSAGES) == set()


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_message_is_chinese(code):
    assert CJK.search(message(code, {}))


def test_details_fill_the_message_and_codec_expectations_are_said_in_chinese():
    assert message("no_such_article", {"number": 2, "article": 9, "count": 6}) == (
        "第 2 项更正：没有第 9 篇（这一期共 6 篇）"
    )
    assert message("bad_correction", {"number": 1, "key": "kind", "expected": "one_of", "options": "story, photo"}) == (
        "第 1 项更正的“kind”应是 story, photo 之一"
    )
    assert message("file_too_large", {"limit": 5 * 1024 * 1024, "size": 6 * 1024 * 1024}) == "文件超过了 5 MiB 的上限"
    assert set(EXPECTED) >= {"present", "object", "list", "date", "str", "int", "float", "bool", "one_of"}
    assert message("no_such_code", {}) == "出错了（no_such_code）"


def test_an_issue_error_names_the_file_and_the_line():
    error = IssueError("invalid JSON", code="invalid_json", path="第19期.json", line=3)
    assert issue_message(error) == "第19期.json 第 3 行：文件不是有效的 JSON"
    assert issue_message(IssueError("x", code="empty_file", path="a.txt")) == "a.txt：文件是空的"
    assert issue_message(IssueError("x", code="empty_file")) == "文件是空的"


@pytest.mark.parametrize(
    "size,text", [(5 * 1024 * 1024, "5 MiB"), (5 * 1024 * 1024 + 1, "5.1 MiB"), (1024 * 1024 // 2, "0.5 MiB")]
)
def test_sizes_are_said_in_mib_and_never_below_what_they_are(size, text):
    assert mib(size) == text
