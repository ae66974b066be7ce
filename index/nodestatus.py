"""What a node's follower last said about where the node stands: ``follow.json`` in the data dir.

The follower (``index.follow``) writes it after every catch-up, at least once a second: the record's head as it saw
it, the position this node's index holds, its phase and the time. ``/healthz`` reads it, so a web worker reports
the node's lag without a connection to the record of its own, and a node whose follower died shows a status growing
old. Kept apart from the follower so that reading it needs no database driver.
"""

import json
import os
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

STATUS_FILE = "follow.json"


class Phase(StrEnum):
    CATCHING_UP = "catching-up"  # started; the first catch-up is not done
    FOLLOWING = "following"
    UNREACHABLE = "unreachable"  # the record's server cannot be reached; reconnecting
    REFUSED = "refused"  # a record this data dir must not follow (RecordMismatch)


@dataclass(frozen=True)
class Status:
    node: str
    phase: Phase
    #: When the follower wrote this, in seconds since the epoch.
    at: float
    record_id: str = ""
    #: The record's head when last seen, and the position this node's index holds.
    head: int | None = None
    position: int | None = None
    error: str = ""

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def status_path(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / STATUS_FILE


def read_status(data_dir: str | os.PathLike[str]) -> Status | None:
    """The node's follower status, ``None`` when no follower ever ran (or its file is unreadable)."""
    try:
        data = json.loads(status_path(data_dir).read_text(encoding="utf-8"))
        return Status(**{**data, "phase": Phase(data["phase"])})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write_status(data_dir: str | os.PathLike[str], status: Status) -> None:
    """Replace the status file in one step (a reader sees the old or the new). Advisory, so not fsynced."""
    path = status_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(status.to_json()), encoding="utf-8")
    os.replace(tmp, path)
