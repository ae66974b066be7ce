"""Faults that must lose nothing: an ingest killed at any point, a full disk, a damaged index."""

import gc
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date

import pytest

from bot.answers import answer_question
from bot.data import get_search
from index.store import Store
from tests.conftest import ROOT
from tests.helpers import SAMPLE_ISSUE, WORDS, ingest_sample, issue_json, make_issue, open_search

pytestmark = pytest.mark.slow
OLD_DAY = date(2026, 4, 28)


BIG = 1500  # articles: an ingest of a few seconds, long enough to be killed in every phase


def big_issue_file(tmp_path, day="2026-05-01", count=BIG):
    issue = make_issue(day, [f"社区新闻第{n}号养老服务" for n in range(count)])
    path = tmp_path / f"{day}.json"
    path.write_bytes(issue_json(issue))
    return path


def cli(data_dir, *args, **kwargs):
    env = {**os.environ, "BULLETIN_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def assert_consistent(store):
    """Every archived issue is whole, and the index opens and counts whole issues."""
    for day in store.archive.dates():
        issue = store.archive.load(day)
        assert issue.articles
    with store.index_dir.open().searcher() as searcher:
        assert searcher.doc_count() in (6, 6 + BIG)


def test_an_ingest_killed_at_any_point_loses_nothing(app, data_dir, tmp_path):
    ingest_sample(app)
    store = Store(data_dir, WORDS)
    path = big_issue_file(tmp_path)
    for attempt in range(8):
        process = cli(data_dir, "ingest", str(path), "--date", "2026-05-01")
        time.sleep(0.2 + attempt * 0.3)  # start-up, parsing, archiving, indexing, committing
        process.send_signal(signal.SIGKILL)
        process.communicate()
        # The running server's reader answers throughout, from the old index or the new one.
        assert "高新区举行太极拳健身交流赛" in answer_question(get_search(app), "太极拳", date(2026, 4, 30)).reply
        assert_consistent(store)
        assert OLD_DAY in store.archive.dates()
    for args in (["ingest", str(path), "--date", "2026-05-01"], ["reindex"]):
        process = cli(data_dir, *args)
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert store.archive.dates() == [OLD_DAY, date(2026, 5, 1)]
    with store.index_dir.open().searcher() as searcher:
        assert searcher.doc_count() == 6 + BIG
    assert len(list((data_dir / "archive" / ".store").iterdir())) == 2


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if (
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True).returncode
        != 0
    ):
        pytest.skip("cannot mount a small tmpfs here (needs root); CI runs as root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_gives_a_clear_error_and_keeps_the_old_index(small_disk, tmp_path, make_app):
    data_dir = small_disk / "var"
    app = make_app({"BULLETIN_DATA_DIR": str(data_dir)}, [SAMPLE_ISSUE])
    store = Store(data_dir, WORDS)
    before = store.index_dir.generation()
    filler = small_disk / "filler"
    free = shutil.disk_usage(small_disk).free
    filler.write_bytes(b"\0" * max(free - 60 * 1024, 0))
    result = app.test_cli_runner().invoke(args=["ingest", str(big_issue_file(tmp_path)), "--date", "2026-05-01"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: cannot write to the data dir, nothing was changed: No space left on device"
    ]
    assert store.archive.dates() == [OLD_DAY]
    assert store.index_dir.generation() == before
    with open_search(store) as search:
        assert "高新区党政联席会议召开" in answer_question(search, "养老服务").reply
    filler.unlink()
    result = app.test_cli_runner().invoke(
        args=["ingest", str(big_issue_file(tmp_path, count=20)), "--date", "2026-05-01"]
    )
    assert result.exit_code == 0, result.output
    assert store.archive.dates() == [OLD_DAY, date(2026, 5, 1)]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # Whoosh leaks the bad TOC's handle
def test_a_damaged_index_starts_with_503_and_reindex_repairs_it(data_dir, make_app):
    make_app(issues=[SAMPLE_ISSUE])
    for path in Store(data_dir, WORDS).index_dir.current().iterdir():
        path.write_bytes(b"\x00garbage")
    damaged = make_app()
    client = damaged.test_client()
    assert client.get("/healthz").status_code == 503
    result = damaged.test_cli_runner().invoke(args=["reindex"])
    assert result.exit_code == 0 and "Reindexed 6 articles" in result.output
    health = client.get("/healthz")
    assert health.status_code == 200 and json.loads(health.data)["articles"] == 6
    gc.collect()  # let Whoosh's leaked handles go while their warning is still ignored
