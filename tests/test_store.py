"""Archive and index change together: ingest, re-ingest, remove, reindex, failures and concurrent writers."""

import dataclasses
import gc
import json
import subprocess
import sys
import threading
import time
from datetime import date

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, Schema

from index import store as store_module
from index.corrections import CorrectionError, Drop, Edit, Merge, Reparse, Source
from index.errors import IssueError, WriterBusy
from index.indexdir import IndexMissing, IndexOutdated
from index.load import reread
from index.lock import write_lock
from index.store import Reparsed, Store
from tests.helpers import PARSER, SAMPLE, WORDS, issue_json, make_issue

DAY = date(2026, 5, 1)


@pytest.fixture
def store(data_dir):
    return Store(data_dir, WORDS, lock_timeout=0.5)


def doc_ids(store):
    with store.index_dir.open().searcher() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


def test_ingest_archives_the_bytes_as_received_and_indexes_every_article(store, data_dir):
    issue = make_issue(DAY, ["养老服务新政策", "山阳路大桥通车"])
    raw = issue_json(issue)
    store.ingest(issue, raw)

    version = (data_dir / "archive" / "2026-05-01").resolve()
    assert (version / "source.json").read_bytes() == raw
    stored = json.loads((version / "issue.json").read_text(encoding="utf-8"))
    assert [a["title"] for a in stored["articles"]] == ["养老服务新政策", "山阳路大桥通车"]
    assert store.archive.load(DAY) == issue
    assert doc_ids(store) == ["2026-05-01-01", "2026-05-01-02"]


def test_reingesting_an_issue_replaces_it_without_duplicates(store, data_dir):
    store.ingest(make_issue(DAY, ["甲新闻", "乙新闻", "丙新闻"]), b"v1")
    store.ingest(make_issue(DAY, ["甲新闻更新"]), b"v2")
    assert doc_ids(store) == ["2026-05-01-01"]
    assert [i.articles[0].title for i in store.issues()] == ["甲新闻更新"]
    assert len(list((data_dir / "archive" / ".store").iterdir())) == 1


def test_remove_drops_the_issue_from_archive_and_index(store):
    store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
    store.ingest(make_issue(date(2026, 5, 2), ["乙新闻"]), b"b")
    removed = store.remove(DAY)
    assert removed.date == DAY
    assert store.archive.dates() == [date(2026, 5, 2)]
    assert doc_ids(store) == ["2026-05-02-01"]
    with pytest.raises(IssueError, match="no archived issue dated 2026-05-01"):
        store.remove(DAY)


def test_every_change_moves_the_generation(store):
    with pytest.raises(IndexMissing):
        store.index_dir.generation()
    seen = []
    store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
    seen.append(store.index_dir.generation())
    store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
    seen.append(store.index_dir.generation())
    store.reindex()
    seen.append(store.index_dir.generation())
    store.remove(DAY)
    seen.append(store.index_dir.generation())
    assert len(set(seen)) == 4


def test_reindex_rebuilds_from_the_archive_alone_and_keeps_two_generations(store, data_dir):
    store.ingest(make_issue(DAY, ["甲新闻", "乙新闻"]), b"a")
    store.ingest(make_issue(date(2026, 5, 2), ["丙新闻"]), b"b")
    for _ in range(3):
        assert store.reindex() == 3
    assert doc_ids(store) == ["2026-05-01-01", "2026-05-01-02", "2026-05-02-01"]
    assert len(list((data_dir / "index").glob("gen-*"))) == 2


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # Whoosh leaks the bad TOC's handle
def test_reindex_repairs_a_damaged_index(store, data_dir):
    store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
    for toc in store.index_dir.current().glob("*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(Exception):  # noqa: B017  (Whoosh raises several kinds for a damaged TOC)
        store.index_dir.open()
    assert store.reindex() == 1
    assert doc_ids(store) == ["2026-05-01-01"]
    gc.collect()  # let Whoosh's leaked handles go while their warning is still ignored


def test_a_failed_index_update_leaves_archive_and_index_as_they_were(store, monkeypatch):
    old = make_issue(DAY, ["旧新闻"])
    store.ingest(old, b"old")
    before = store.index_dir.generation()

    def broken(article):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "to_document", broken)
    with pytest.raises(OSError):
        store.ingest(make_issue(DAY, ["新新闻"]), b"new")
    with pytest.raises(OSError):
        store.ingest(make_issue(date(2026, 5, 9), ["别的新闻"]), b"other")
    assert store.archive.load(DAY) == old
    assert store.archive.dates() == [DAY]
    assert store.index_dir.generation() == before
    assert doc_ids(store) == ["2026-05-01-01"]


def test_a_second_writer_fails_clearly_after_the_bounded_wait(store):
    store.data_dir.mkdir(parents=True)
    with write_lock(store.lock_path, timeout=1):
        started = time.monotonic()
        with pytest.raises(WriterBusy, match="another ingest"):
            store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
        assert time.monotonic() - started >= 0.5
    assert store.archive.dates() == []


def test_a_second_writer_waits_for_the_first(store):
    store.data_dir.mkdir(parents=True)
    holding = threading.Event()

    def hold_briefly():
        with write_lock(store.lock_path, timeout=1):
            holding.set()
            time.sleep(0.2)

    thread = threading.Thread(target=hold_briefly)
    thread.start()
    holding.wait()
    store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
    thread.join()
    assert doc_ids(store) == ["2026-05-01-01"]


SEARCHER = """
import sys, time
from index.indexdir import IndexDir
from tests.helpers import WORDS
d = IndexDir(sys.argv[1])
counts = set()
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    with d.open().searcher() as s:
        counts.add(s.doc_count())
print(sorted(counts))
"""


def test_reindex_is_atomic_for_a_reader_in_another_process(store):
    store.ingest(make_issue(DAY, [f"新闻{n}" for n in range(40)]), b"a")
    reader = subprocess.Popen(
        [sys.executable, "-c", SEARCHER, str(store.index_dir.root), "3"], stdout=subprocess.PIPE, text=True
    )
    time.sleep(0.5)
    for _ in range(5):
        store.reindex()
    out, _ = reader.communicate(timeout=30)
    assert reader.returncode == 0
    assert out.strip() == "[40]"


def test_a_reindex_in_two_processes_indexes_the_same_articles(store):
    for day in range(1, 6):
        store.ingest(make_issue(date(2026, 5, day), [f"新闻{day}-{n}" for n in range(30)]), b"x")
    expected = doc_ids(store)
    assert store.reindex(procs=2) == 150
    assert doc_ids(store) == expected


def test_segments_are_separate_files_that_processes_map_rather_than_copy(store):
    store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
    store.reindex(procs=2)
    store.ingest(make_issue(date(2026, 5, 2), ["乙新闻"]), b"b")
    files = [path.name for path in store.index_dir.current().iterdir()]
    assert not [name for name in files if name.endswith(".seg")], files
    assert [name for name in files if name.endswith(".pst")]


def test_an_index_built_by_an_older_version_is_refused_until_a_reindex(store, data_dir):
    """Before articles were stored whole, the index held fields one by one: such an index cannot be read, and
    writing into it would mix two layouts, so both wait for ``bulletin reindex``."""
    store.ingest(make_issue(DAY, ["甲新闻"]), b"a")
    old = store.index_dir.new_generation(Schema(id=ID(stored=True, unique=True), title=ID(stored=True)))
    store.index_dir.switch(old)
    with pytest.raises(IndexOutdated, match="bulletin reindex"):
        store.index_dir.open()
    with pytest.raises(IndexOutdated):
        store.ingest(make_issue("2026-05-02", ["乙新闻"]), b"b")
    assert whoosh_index.exists_in(str(old))
    assert store.reindex() == 1
    assert doc_ids(store) == ["2026-05-01-01"]


# -- corrections and re-parsing ----------------------------------------------------------------------------------


def stored_titles(store):
    with store.index_dir.open().searcher() as searcher:
        return sorted((fields["id"], json.loads(fields["article"])["title"]) for fields in searcher.all_stored_fields())


def reparse_json(data, issue):
    return reread(data, issue, max_bytes=10**7, parser=PARSER)


def test_a_correction_is_applied_logged_and_indexed_and_the_source_is_kept(store, data_dir):
    issue = make_issue(DAY, ["甲新闻", "乙新闻", "丙新闻"])
    raw = issue_json(issue)
    store.ingest(issue, raw)
    version = store.archive.version(DAY)

    corrected, new_version = store.correct(
        DAY, [Edit(article=1, title="甲新闻（更正）"), Drop(article=2)], Source.API, version=version, at="T1"
    )
    assert new_version != version and new_version == store.archive.version(DAY)
    assert [a.title for a in corrected.articles] == ["甲新闻（更正）", "丙新闻"]
    assert store.archive.load(DAY) == corrected
    assert [(entry.at, entry.source) for entry in corrected.log] == [("T1", Source.API), ("T1", Source.API)]
    assert stored_titles(store) == [("2026-05-01-01", "甲新闻（更正）"), ("2026-05-01-02", "丙新闻")]
    assert (data_dir / "archive" / "2026-05-01" / "source.json").read_bytes() == raw
    assert len(list((data_dir / "archive" / ".store").iterdir())) == 1


def test_a_correction_on_a_stale_version_or_an_impossible_one_changes_nothing(store):
    store.ingest(make_issue(DAY, ["甲新闻", "乙新闻"]), b"a")
    old_version = store.archive.version(DAY)
    store.correct(DAY, [Merge(article=1)], Source.DESK)
    before = store.archive.load(DAY), store.index_dir.generation()
    with pytest.raises(IssueError) as raised:
        store.correct(DAY, [Edit(article=1, title="x")], Source.DESK, version=old_version)
    assert raised.value.code == "issue_changed"
    with pytest.raises(CorrectionError):
        store.correct(DAY, [Edit(article=1, title="x"), Drop(article=2)], Source.DESK)
    with pytest.raises(IssueError) as raised:
        store.correct(date(2026, 5, 9), [Drop(article=1)], Source.DESK)
    assert raised.value.code == "no_such_issue"
    assert (store.archive.load(DAY), store.index_dir.generation()) == before


def test_a_dry_run_correction_answers_and_writes_nothing(store):
    store.ingest(make_issue(DAY, ["甲新闻", "乙新闻"]), b"a")
    before = store.archive.version(DAY), store.index_dir.generation()
    preview, version = store.correct(DAY, [Drop(article=1)], Source.DESK, dry_run=True)
    assert [a.title for a in preview.articles] == ["乙新闻"] and len(preview.log) == 1
    assert (version, store.index_dir.generation()) == before
    assert len(store.archive.load(DAY).articles) == 2


def test_a_correction_whose_index_update_fails_leaves_archive_and_index_as_they_were(store, monkeypatch):
    store.ingest(make_issue(DAY, ["甲新闻", "乙新闻"]), b"a")
    before = store.archive.load(DAY), store.archive.version(DAY), store.index_dir.generation()

    def broken(article):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "to_document", broken)
    with pytest.raises(OSError):
        store.correct(DAY, [Drop(article=1)], Source.CLI)
    assert (store.archive.load(DAY), store.archive.version(DAY), store.index_dir.generation()) == before


def test_reindex_keeps_corrections_and_reparse_skips_corrected_issues_unless_asked(store):
    original = make_issue(DAY, ["甲新闻", "乙新闻"])
    store.ingest(original, issue_json(original))
    store.ingest(make_issue(date(2026, 5, 2), ["丙新闻"]), issue_json(make_issue(date(2026, 5, 2), ["丙新闻"])))
    store.correct(DAY, [Edit(article=1, title="甲新闻（更正）")], Source.DESK)
    corrected = store.archive.load(DAY)
    assert store.reindex() == 3 and store.archive.load(DAY) == corrected
    assert ("2026-05-01-01", "甲新闻（更正）") in stored_titles(store)

    outcome, issue = store.reparse(DAY, reparse_json, discard_corrections=False, source=Source.CLI)
    assert outcome is Reparsed.SKIPPED and issue == corrected == store.archive.load(DAY)
    outcome, issue = store.reparse(date(2026, 5, 2), reparse_json, discard_corrections=False, source=Source.CLI)
    assert outcome is Reparsed.UNCHANGED and issue.log == ()

    outcome, issue = store.reparse(DAY, reparse_json, discard_corrections=True, source=Source.CLI, at="T9")
    assert outcome is Reparsed.CHANGED
    assert issue.articles == original.articles and issue.corrections == ()
    assert issue.log[-1].change == Reparse(discarded=1) and issue.log[-1].at == "T9" and len(issue.log) == 2
    assert store.archive.load(DAY) == issue
    assert doc_ids(store) == ["2026-05-01-01", "2026-05-01-02", "2026-05-02-01"]


def test_reparse_reads_a_text_source_with_the_current_parser(store):
    sample = SAMPLE.read_bytes()
    store.ingest(dataclasses.replace(make_issue(DAY, ["以前的解析"]), source_name="第18期.txt"), sample)
    outcome, issue = store.reparse(
        DAY,
        lambda data, archived: reread(data, archived, max_bytes=10**7, parser=PARSER),
        discard_corrections=False,
        source=Source.CLI,
    )
    assert outcome is Reparsed.CHANGED and len(issue.articles) == 6
    assert issue.log[-1].change == Reparse(discarded=0)
