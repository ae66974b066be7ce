"""From an issue file's bytes to an ``Issue``: the step the CLI and the admin API share.

Both then hand it to ``Store.ingest``; sharing this step means an issue gets the same name, the same recorded file
name and the same errors (``IssueError``) whether it came from a shell or from a browser.
"""
from pathlib import PureWindowsPath

from index.archive import Issue
from index.load import parse_upload


def parse_issue(data, issue_date, *, source, name=None, max_bytes):
    """The issue in ``data``, the bytes of the file ``source`` (a path or an uploaded file's name).

    Errors name ``source`` as given; the archive records only its last part, and the issue's name defaults to that
    part's stem. ``PureWindowsPath`` splits on both separators, as a browser on either system may send them.
    """
    articles = parse_upload(data, issue_date, name=str(source), max_bytes=max_bytes)
    file_name = PureWindowsPath(str(source)).name
    return Issue(date=issue_date, name=name or PureWindowsPath(file_name).stem, articles=tuple(articles),
                 source_name=file_name)
