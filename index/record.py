"""The record of a cluster: every change of the published issues, in order, in PostgreSQL.

Nodes each keep their own archive and index; the record is what they all follow. A change is numbered (``seq``, no
gaps, in commit order) and either puts a version of an issue, with every file of that version, or removes the
issue. Tables, created on first use::

    bulletin_record    one row: the record's id (a node refuses to follow another record) and ``head``, the last seq
    bulletin_changes   seq, day, put or remove, when, from which node
    bulletin_files     every file of a put: seq, name, bytes
    bulletin_issues    the issues as they now stand: day -> the seq of its current version

Appending takes the ``bulletin_record`` row's lock (waiting at most the writer's lock timeout), checks that the
issue is still at the version the editor's change was made from, inserts and moves ``head``, all in one
transaction: two editors at once are serialised, and the second one's change, made from a version that is no
longer current, is refused (``Conflict``) with nothing written. Because ``head`` moves under that lock, seqs commit
in order and a follower reading ``seq > position`` never skips one. The commit sends ``NOTIFY bulletin_record``:
followers wake at once; a notification missed while disconnected costs nothing, as a follower reads what is new
after every (re)connection.

A version's name (``version_name``) comes from its seq, so every node names it alike and the desk's versions mean
the same on every node.
"""

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

import psycopg
from psycopg import errors as pg_errors

from index.errors import Conflict, IssueError, RecordUnavailable, WriterBusy

log = logging.getLogger("index.record")

CHANNEL = "bulletin_record"
#: The advisory lock key that serialises creating the tables (two nodes starting at once).
SCHEMA_LOCK = 0x62756C6C
#: How many versions' files one query fetches while a node rebuilds from the record.
FILES_BATCH = 200
SCHEMA: tuple[LiteralString, ...] = (
    """CREATE TABLE IF NOT EXISTS bulletin_record (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        record_id text NOT NULL,
        head bigint NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS bulletin_changes (
        seq bigint PRIMARY KEY,
        day date NOT NULL,
        kind text NOT NULL CHECK (kind IN ('put', 'remove')),
        at timestamptz NOT NULL DEFAULT now(),
        origin text NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS bulletin_files (
        seq bigint NOT NULL REFERENCES bulletin_changes (seq),
        name text NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (seq, name)
    )""",
    """CREATE TABLE IF NOT EXISTS bulletin_issues (
        day date PRIMARY KEY,
        seq bigint NOT NULL REFERENCES bulletin_changes (seq)
    )""",
    "INSERT INTO bulletin_record (record_id, head) VALUES (gen_random_uuid()::text, 0) ON CONFLICT DO NOTHING",
)

Connection = psycopg.Connection[tuple[Any, ...]]


def version_name(day: date, seq: int) -> str:
    """The version name of the issue of ``day`` put by change ``seq``: its directory name on every node."""
    return f"{day.isoformat()}-r{seq:012d}"


@dataclass(frozen=True)
class Head:
    record_id: str
    #: The last change's seq; 0 for an empty record.
    seq: int


@dataclass(frozen=True)
class Change:
    seq: int
    day: date
    #: Every file of the version put, by name; ``None`` when the change removed the issue.
    files: Mapping[str, bytes] | None

    @property
    def version(self) -> str:
        return version_name(self.day, self.seq)


class Record:
    """The record at ``url`` (a libpq connection string or ``postgresql://`` URL). Connections are opened per use:
    writes are rare, and a follower keeps its own one open (``listening``)."""

    def __init__(self, url: str, *, connect_timeout: float = 5.0) -> None:
        self.url = url
        self.connect_timeout = connect_timeout
        self._schema_ready = False

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """An autocommit connection; the server being unreachable or going away is ``RecordUnavailable``."""
        try:
            conn = psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=max(1, round(self.connect_timeout)),
                application_name="bulletin",
                # A server that vanishes without closing the connection is noticed within seconds, not hours.
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
                tcp_user_timeout=round(self.connect_timeout * 2000),
            )
        except psycopg.OperationalError as error:
            raise RecordUnavailable(f"cannot reach the record: {_first_line(error)}") from None
        try:
            if not self._schema_ready:
                self._create_schema(conn)
            yield conn
        except psycopg.OperationalError as error:
            raise RecordUnavailable(f"lost the record's server: {_first_line(error)}") from None
        finally:
            conn.close()

    def _create_schema(self, conn: Connection) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in SCHEMA:
                conn.execute(statement)
        self._schema_ready = True

    @staticmethod
    def head(conn: Connection) -> Head:
        row = conn.execute("SELECT record_id, head FROM bulletin_record").fetchone()
        if row is None:
            raise RecordUnavailable("the record has no bulletin_record row")
        return Head(record_id=row[0], seq=row[1])

    def append(
        self,
        day: date,
        files: Mapping[str, bytes] | None,
        *,
        base: str | None,
        origin: str,
        wait: float,
    ) -> Change:
        """Put ``files`` as the new version of ``day`` (``None``: remove the issue), made from version ``base``
        (``""``: no issue; ``None``: whatever is there). One transaction; ``Conflict`` when the issue is no longer
        at ``base``, ``WriterBusy`` when another writer held the record longer than ``wait`` seconds."""
        with self.connect() as conn:
            return self._appending(conn, [(day, files, base)], origin, wait)[0]

    def append_all(self, issues: Iterable[tuple[date, Mapping[str, bytes]]], *, origin: str, wait: float) -> int:
        """Put every one of ``issues`` as a new issue, all in one transaction (``bulletin record push``); returns the
        head. Refused unless the record is empty."""
        with self.connect() as conn:
            items = [(day, files, "") for day, files in issues]
            changes = self._appending(conn, items, origin, wait, empty_only=True)
            return changes[-1].seq if changes else 0

    def _appending(
        self,
        conn: Connection,
        items: Sequence[tuple[date, Mapping[str, bytes] | None, str | None]],
        origin: str,
        wait: float,
        *,
        empty_only: bool = False,
    ) -> list[Change]:
        changes = []
        try:
            with conn.transaction():
                conn.execute("SELECT set_config('lock_timeout', %s, true)", (f"{max(1, round(wait * 1000))}ms",))
                row = conn.execute("SELECT head FROM bulletin_record FOR UPDATE").fetchone()
                head: int = row[0] if row else 0
                if empty_only and head:
                    raise Conflict(
                        f"the record already holds {head} changes: push only into an empty record",
                        code="record_not_empty",
                        details={"count": head},
                    )
                for day, files, base in items:
                    head += 1
                    self._check_base(conn, day, files, base)
                    self._insert(conn, head, day, files, origin)
                    changes.append(Change(seq=head, day=day, files=files))
                conn.execute("UPDATE bulletin_record SET head = %s", (head,))
                conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(head)))
        except pg_errors.LockNotAvailable:
            raise WriterBusy(
                f"another node is publishing to the record (waited {wait:g} s); try again when it ends"
            ) from None
        return changes

    @staticmethod
    def _check_base(conn: Connection, day: date, files: Mapping[str, bytes] | None, base: str | None) -> None:
        row = conn.execute("SELECT seq FROM bulletin_issues WHERE day = %s", (day,)).fetchone()
        current = version_name(day, row[0]) if row else ""
        if base is not None and base != current:
            raise Conflict(
                f"the issue of {day.isoformat()} was published, corrected or removed on another node meanwhile;"
                " nothing was written: look at it again, then decide",
                code="changed_meanwhile",
                details={"date": day.isoformat()},
            )
        if files is None and not current:
            raise IssueError(
                f"no archived issue dated {day.isoformat()}", code="no_such_issue", details={"date": day.isoformat()}
            )

    @staticmethod
    def _insert(conn: Connection, seq: int, day: date, files: Mapping[str, bytes] | None, origin: str) -> None:
        kind = "remove" if files is None else "put"
        conn.execute(
            "INSERT INTO bulletin_changes (seq, day, kind, origin) VALUES (%s, %s, %s, %s)", (seq, day, kind, origin)
        )
        if files is None:
            conn.execute("DELETE FROM bulletin_issues WHERE day = %s", (day,))
            return
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bulletin_files (seq, name, data) VALUES (%s, %s, %s)",
                [(seq, name, data) for name, data in sorted(files.items())],
            )
        conn.execute(
            "INSERT INTO bulletin_issues (day, seq) VALUES (%s, %s) ON CONFLICT (day) DO UPDATE SET seq = excluded.seq",
            (day, seq),
        )

    @staticmethod
    def changes(conn: Connection, after: int, upto: int) -> list[Change]:
        """The changes after seq ``after`` up to ``upto``, in order, with their files."""
        changes: dict[int, tuple[date, dict[str, bytes] | None]] = {}
        rows = conn.execute(
            "SELECT c.seq, c.day, c.kind, f.name, f.data FROM bulletin_changes c"
            " LEFT JOIN bulletin_files f ON f.seq = c.seq WHERE c.seq > %s AND c.seq <= %s ORDER BY c.seq, f.name",
            (after, upto),
        )
        for seq, day, kind, name, data in rows:
            _, files = changes.setdefault(seq, (day, {} if kind == "put" else None))
            if files is not None and name is not None:
                files[name] = bytes(data)
        return [Change(seq=seq, day=day, files=files) for seq, (day, files) in sorted(changes.items())]

    @staticmethod
    def issues(conn: Connection) -> tuple[Head, dict[date, int]]:
        """The record's head and every issue as it stands at that head (day -> seq of its version), read together."""
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            head = Record.head(conn)
            rows = conn.execute("SELECT day, seq FROM bulletin_issues").fetchall()
        return head, dict(rows)

    @staticmethod
    def versions(conn: Connection, wanted: Mapping[date, int]) -> Iterator[Change]:
        """The put changes ``wanted`` names (day -> seq), with their files, a batch of queries at a time."""
        seqs = sorted(wanted.values())
        for start in range(0, len(seqs), FILES_BATCH):
            batch = seqs[start : start + FILES_BATCH]
            files: dict[int, dict[str, bytes]] = {seq: {} for seq in batch}
            days: dict[int, date] = {}
            rows = conn.execute(
                "SELECT c.seq, c.day, f.name, f.data FROM bulletin_changes c JOIN bulletin_files f ON f.seq = c.seq"
                " WHERE c.seq = ANY(%s)",
                (batch,),
            )
            for seq, day, name, data in rows:
                days[seq] = day
                files[seq][name] = bytes(data)
            for seq in batch:
                yield Change(seq=seq, day=days[seq], files=files[seq])

    @contextmanager
    def listening(self) -> Iterator["Listener"]:
        """A connection that hears every commit to the record (and runs the follower's queries)."""
        with self.connect() as conn:
            conn.execute("LISTEN bulletin_record")  # CHANNEL
            yield Listener(conn)


class Listener:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a commit to the record; True when one came. ``RecordUnavailable``
        when the connection is lost meanwhile."""
        try:
            for _ in self.conn.notifies(timeout=timeout, stop_after=1):
                return True
        except psycopg.OperationalError as error:
            raise RecordUnavailable(f"lost the record's server: {_first_line(error)}") from None
        return False


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
