"""Bytes of an uploaded issue file to text.

Editors save issues from whatever tool they have: UTF-8 (with or without a BOM) from most, GBK from older Windows
software. GB18030 is a superset of GBK, so UTF-8 then GB18030 covers both; UTF-8 goes first because real GBK text
of any length is never valid UTF-8, while the reverse often decodes to nonsense. Binary files (an image or a Word
document sent by mistake) are refused before decoding, since GB18030 would read many of them without complaint.
"""

import re

from index.errors import IssueError

#: Share of control characters (other than tabs, line and page breaks) above which bytes are not text.
MAX_CONTROL_SHARE = 0.05
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f]")
_LINE_END = re.compile(rb"\r\n|\r|\n")


def decode_issue(data: bytes) -> str:
    """The text of ``data`` with LF line ends; IssueError for an empty, binary or undecodable file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IssueError("the file is UTF-16 text; save it as UTF-8", code="utf16_file")
    if b"\x00" in data:
        raise IssueError("the file is binary, not text (it contains NUL bytes)", code="binary_file")
    if data and len(_CONTROL.findall(data)) > MAX_CONTROL_SHARE * len(data):
        raise IssueError("the file is binary, not text (too many control characters)", code="binary_file")
    text = _decode(data).removeprefix("\ufeff")
    if not text.strip():
        raise IssueError("the file is empty", code="empty_file")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes) -> str:
    """Decode as UTF-8, else GB18030; when both fail, blame the byte where the encoding that got further stopped.

    The encoding that decodes more of the file is the one it was written in, so its first bad byte is the one the
    editor has to fix.
    """
    failures = []
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            failures.append(error.start)
    bad = max(failures)
    line = len(_LINE_END.findall(data[:bad])) + 1
    byte = f"0x{data[bad]:02X}"
    raise IssueError(
        f"the file is neither UTF-8 nor GB18030/GBK text (byte {byte} cannot be read)",
        code="undecodable_file",
        details={"byte": byte},
        line=line,
    )
