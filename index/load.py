"""Turn an issue file as an editor hands it over into articles, or one clear error.

Both the CLI and the admin API come through here, so size limits, format detection and error messages are the
same wherever an issue arrives.
"""
from index.decode import decode_issue
from index.errors import IssueError
from index.jsonissue import parse_json_issue
from index.parse import parse_text


def looks_like_json(name, text):
    return str(name).lower().endswith(".json") or text.lstrip().startswith("[")


def parse_upload(data, issue_date, *, name, max_bytes):
    """Parse the bytes of an issue file called ``name``; raise ``IssueError`` naming it on any problem."""
    try:
        if len(data) > max_bytes:
            raise IssueError(f"the file is {len(data) / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB")
        text = decode_issue(data)
        if looks_like_json(name, text):
            return parse_json_issue(text, issue_date)
        return parse_text(text, issue_date)
    except IssueError as error:
        raise error.with_path(name) from None
