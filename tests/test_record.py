"""Nodes of a cluster and their record, in one process against a real PostgreSQL: what one node publishes every node
applies, alike; two editors at once; a new node from nothing; failures that must leave a node as it was; the
follower riding out a restart of the record's server. End to end through gunicorn and HAProxy: test_cluster.py."""

import io
import threading
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bench.servers import free_port
from index import store as store_module
from index.corrections import Drop, Edit, Source
from index.errors import Conflict, RecordMismatch, RecordUnavailable
from index.follow import Follower
from index.indexdir import read_vectors, toc_generation
from index.load import load_issue
from index.nodestatus import Phase, read_status
from index.photos import Photo
from index.record import Record
from index.replica import ReplicaStore
from index.search import Search
from index.store import Store
from tests.helpers import MODEL, PARSER, QUESTIONS, SAMPLE, WORDS, analyze, issue_json, make_issue

DAY = date(2026, 5, 1)
#: The 2 s within which the issue wants every node to apply a change (the only deadline these tests hold).
DEADLINE = 2.0


@pytest.fixture
def node(tmp_path, record_url):
    """Make nodes ``name`` on the test's record, each in its own data dir."""

    def make(name, url=record_url, **options):
        return ReplicaStore(tmp_path / name, WORDS, record=Record(url), origin=name, lock_timeout=5.0, **options)

    return make


def doc_ids(store):
    with store.index_dir.open().searcher() as searcher:
        return sorted(fields["id"] for fields in searcher.all_stored_fields())


def holding(store):
    """Everything a node serves and keeps: every issue's version and files, the indexed ids, the cache key."""
    archive = {day: (store.archive.version(day), store.archive.files(day)) for day in store.archive.dates()}
    return archive, doc_ids(store), store.index_dir.position(), store.index_dir.cache_key()


def publish(store, day, titles, expected=None):
    issue = make_issue(day, titles)
    return store.ingest(issue, issue_json(issue), expected=store.version_of(day) if expected is None else expected)


def test_what_one_node_publishes_another_applies_with_the_same_versions_and_cache_key(node):
    a, b = node("a"), node("b")
    publish(a, DAY, ["养老服务新政策", "山阳路大桥通车"])
    assert a.index_dir.position() == 1 and a.index_dir.cache_key() == "r1"
    assert b.catch_up().position == 1
    assert holding(b) == holding(a)
    assert b.archive.version(DAY).endswith("-r000000000001")


def test_corrections_and_removals_reach_every_node(node):
    a, b = node("a"), node("b")
    publish(a, DAY, ["甲新闻", "乙新闻", "丙新闻"])
    publish(a, date(2026, 5, 2), ["丁新闻"])
    b.catch_up()
    _, version = b.correct(DAY, [Edit(article=1, title="甲新闻（更正）"), Drop(article=3)], Source.DESK)
    a.catch_up()
    assert [x.title for x in a.issue(DAY).articles] == ["甲新闻（更正）", "乙新闻"]
    assert a.archive.version(DAY) == version and [entry.source for entry in a.issue(DAY).log] == ["desk", "desk"]
    a.remove(date(2026, 5, 2))
    b.catch_up()
    assert b.archive.dates() == [DAY] and doc_ids(b) == ["2026-05-01-01", "2026-05-01-02"]
    assert holding(b) == holding(a)


def test_a_photo_and_the_articles_vectors_reach_every_node(node):
    a, b = node("a"), node("b")
    issue = make_issue(DAY, ["养老服务新政策", "山阳路大桥通车"])
    issue = replace(issue, articles=(replace(issue.articles[0], photo="photo-1.jpg"), issue.articles[1]))
    a.ingest(issue, issue_json(issue), [Photo("photo-1.jpg", b"\xff\xd8 a picture")], expected="")
    b.catch_up()
    assert b.archive.photos(DAY) == a.archive.photos(DAY) == (Photo("photo-1.jpg", b"\xff\xd8 a picture"),)

    def vectors(store):
        path = store.index_dir.current()
        return read_vectors(path, toc_generation(path), store.encoder.name)

    assert vectors(b).ids == vectors(a).ids == ("2026-05-01-01", "2026-05-01-02")
    assert np.array_equal(vectors(b).matrix, vectors(a).matrix)


def test_two_editors_at_once_on_two_nodes_one_wins_the_other_gets_a_conflict(node):
    a, b = node("a"), node("b")
    outcomes = {}
    ready = threading.Barrier(2)

    def editor(store, title):
        ready.wait()
        try:
            publish(store, DAY, [title], expected="")  # both saw no issue of that date
            outcomes[store.origin] = "published"
        except Conflict as error:
            outcomes[store.origin] = error.code

    threads = [threading.Thread(target=editor, args=(store, title)) for store, title in ((a, "甲稿"), (b, "乙稿"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["changed_meanwhile", "published"]
    winner = "甲稿" if outcomes["a"] == "published" else "乙稿"
    for store in (a, b):
        store.catch_up()
        assert store.index_dir.position() == 1 and [x.title for x in store.issue(DAY).articles] == [winner]

    # Two corrections made from the same version: the second is refused, whichever node it reaches.
    version = a.version_of(DAY)
    a.correct(DAY, [Edit(article=1, title="改一")], Source.DESK, version=version)
    with pytest.raises(Conflict) as refused:
        b.correct(DAY, [Edit(article=1, title="改二")], Source.DESK, version=version)
    assert refused.value.code == "issue_changed"
    b.catch_up()
    assert b.issue(DAY).articles[0].title == "改一"


def test_a_new_node_catches_up_from_nothing_and_holds_what_the_others_hold(node):
    a = node("a")
    for day in range(1, 6):
        publish(a, date(2026, 5, day), [f"新闻{day}-{n}" for n in range(3)])
    a.correct(date(2026, 5, 2), [Drop(article=1)], Source.CLI)
    a.remove(date(2026, 5, 3))
    behind = node("behind", bulk_after=2)  # far behind: rebuilds from the record's issues instead of replaying
    step = node("step")
    step.catch_up()
    newcomer = node("newcomer")
    assert newcomer.catch_up().position == 7
    assert behind.catch_up().position == 7
    assert holding(newcomer) == holding(behind) == holding(step) == holding(a)


def test_a_node_with_a_history_of_corrections_ranks_like_a_node_built_afresh(node):
    a = node("a")
    for path in [SAMPLE, *sorted((Path(__file__).parent / "issues").glob("2026-05-1*.txt"))]:
        day = date.fromisoformat(path.name[:10])
        data = path.read_bytes()
        a.ingest(load_issue(data, day, source=path.name, max_bytes=10**7, parser=PARSER), data, expected="")
    a.reindex()  # one segment of them all, which the corrections below leave deletions in
    a.correct(date(2026, 4, 28), [Edit(article=6, title="高新区举行太极拳健身交流赛（更正）")], Source.DESK)
    a.correct(date(2026, 5, 12), [Drop(article=3)], Source.DESK)
    a.remove(date(2026, 5, 11))
    fresh = node("fresh")
    fresh.catch_up()
    questions = ["安全生产", "太极拳比赛", "高新区 工作 会议", "充电桩", "项目建设", "拳", "付凯明的报道", "消防"]
    with (
        Search(a.index_dir, QUESTIONS, encoder=a.encoder, model=MODEL) as old,
        Search(fresh.index_dir, QUESTIONS, encoder=fresh.encoder, model=MODEL) as new,
    ):
        assert old._current().reader().has_deletions() and not new._current().reader().has_deletions()
        for question in questions:
            parsed = analyze(question, date(2026, 5, 20))
            assert [(r.id, round(r.score, 6)) for r in old.find(parsed)] == [
                (r.id, round(r.score, 6)) for r in new.find(parsed)
            ], question


def test_a_change_that_fails_to_apply_leaves_the_node_as_it_was_until_it_applies(node, monkeypatch):
    a, b = node("a"), node("b")
    publish(a, DAY, ["甲新闻"])
    b.catch_up()
    before = holding(b)
    a.correct(DAY, [Edit(article=1, title="甲新闻更正")], Source.CLI)

    def broken(article):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "to_document", broken)
    with pytest.raises(OSError):
        b.catch_up()
    assert holding(b) == before
    monkeypatch.undo()
    assert b.catch_up().position == 2 and b.issue(DAY).articles[0].title == "甲新闻更正"


def test_a_record_out_of_reach_refuses_to_publish_and_changes_nothing(tmp_path, node):
    a = node("a")
    publish(a, DAY, ["甲新闻"])
    before = holding(a)
    gone = ReplicaStore(
        a.data_dir, WORDS, record=Record(f"postgresql://bulletin@127.0.0.1:{free_port()}/x"), origin="a"
    )
    with pytest.raises(RecordUnavailable):
        publish(gone, date(2026, 5, 2), ["乙新闻"])
    with pytest.raises(RecordUnavailable):
        gone.remove(DAY)
    assert holding(a) == before


def test_a_node_refuses_a_record_it_does_not_follow_and_a_single_machine_pushes_its_archive(
    tmp_path, node, postgres_server
):
    a = node("a")
    publish(a, DAY, ["甲新闻"])
    postgres_server.create_database("other_record")
    other = postgres_server.url.rsplit("/", 1)[0] + "/other_record"
    with pytest.raises(RecordMismatch, match="follows record"):
        node("a", url=other).catch_up()

    single = Store(tmp_path / "single", WORDS)
    for day in (1, 2):
        issue = make_issue(date(2026, 6, day), [f"单机新闻{day}"])
        single.ingest(issue, issue_json(issue))
    before = {day: single.archive.files(day) for day in single.archive.dates()}
    with pytest.raises(RecordMismatch, match="record push"):
        node("single", url=other).catch_up()
    with pytest.raises(Conflict, match="already holds 1 changes"):
        node("single").push()
    assert node("single", url=other).push() == 2
    pushed = node("single", url=other)
    assert {day: pushed.archive.files(day) for day in pushed.archive.dates()} == before
    assert pushed.index_dir.position() == 2 and len(doc_ids(pushed)) == 2


def test_a_reindex_on_a_node_keeps_its_position_and_cache_key(node):
    a = node("a")
    publish(a, DAY, ["甲新闻", "乙新闻"])
    before = a.index_dir.generation(), a.index_dir.cache_key()
    assert a.reindex() == 2
    assert a.index_dir.generation() != before[0] and a.index_dir.cache_key() == before[1] == "r1"


def wait_for(condition, deadline):
    """Poll ``condition`` until it holds or ``deadline`` (monotonic) passes; True if it held."""
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.mark.slow
def test_the_follower_applies_each_change_within_2_s_and_rides_out_a_restart_of_the_record(node, postgres_server):
    a, b = node("a"), node("b")
    stop = threading.Event()
    follower = threading.Thread(target=Follower(b, "b").run, args=(stop,))
    follower.start()
    try:
        assert wait_for(lambda: b.index_dir.position() == 0, time.monotonic() + 30)
        publish(a, DAY, ["甲新闻"])
        assert wait_for(lambda: b.index_dir.position() == 1, time.monotonic() + DEADLINE)

        postgres_server.restart()
        published = time.monotonic()
        while True:  # the editor tries again until the record is back
            try:
                publish(a, date(2026, 5, 2), ["乙新闻"])
                break
            except RecordUnavailable:
                assert time.monotonic() < published + 30
                time.sleep(0.1)
        published = time.monotonic()
        assert wait_for(lambda: b.index_dir.position() == 2, published + DEADLINE)
        assert wait_for(lambda: read_status(b.data_dir).phase is Phase.FOLLOWING, time.monotonic() + 5)
        publish(a, date(2026, 5, 3), ["丙新闻"])
        assert wait_for(lambda: b.index_dir.position() == 3, time.monotonic() + DEADLINE)
    finally:
        stop.set()
        follower.join(10)
    status = read_status(b.data_dir)
    assert (status.head, status.position, status.node) == (3, 3, "b")
    assert holding(b) == holding(a)


# -- the CLI and the desk on a node ------------------------------------------------------------------------


@pytest.fixture
def node_app(make_app, record_url):
    return make_app({"RECORD_URL": record_url, "NODE_NAME": "desk-node", "ADMIN_TOKEN": "t"})


def test_the_cli_publishes_through_the_record_and_a_conflict_is_exit_3_in_one_line(node_app, node, monkeypatch):
    from bot import cli

    runner = node_app.test_cli_runner()
    path = str(Path(__file__).parent / "issues" / "2026-05-11-photos.txt")
    result = runner.invoke(args=["ingest", path, "--date", "2026-05-11"])
    assert result.exit_code == 0, result.output
    other = node("other")
    assert other.catch_up().position == 1

    read_issue = cli.read_issue

    def meanwhile(*args, **kwargs):  # another editor corrects the same date while this one's file is parsed
        other.correct(date(2026, 5, 11), [Drop(article=1)], Source.DESK)
        return read_issue(*args, **kwargs)

    monkeypatch.setattr(cli, "read_issue", meanwhile)
    result = runner.invoke(args=["ingest", path, "--date", "2026-05-11"])
    assert result.exit_code == 3, result.output
    assert result.output.startswith("Error: conflict: the issue of 2026-05-11 was") and result.output.count("\n") == 1
    monkeypatch.undo()
    result = runner.invoke(args=["record", "status"])
    assert result.exit_code == 0 and "2 changes; this node holds 2 (lag 0)" in result.output


def test_the_desk_on_a_node_says_in_chinese_what_another_editor_did_first_and_when_the_record_is_away(
    node_app, make_app, node, tmp_path
):
    client = node_app.test_client()
    auth = {"Authorization": "Bearer t"}

    def upload(dry_run=False, replaces=None):
        upload = io.BytesIO(issue_json(make_issue("2026-05-12", ["甲新闻"])))
        form = {"date": "2026-05-12", "file": (upload, "2026-05-12.json")}
        if replaces is not None:
            form["replaces"] = replaces
        return client.post(f"/admin/issues{'?dry_run=1' if dry_run else ''}", data=form, headers=auth)

    preview = upload(dry_run=True).get_json()
    assert preview["replaces"] == ""
    publish(node("other"), date(2026, 5, 12), ["另一位编辑的稿子"])  # published on another node meanwhile
    refused = upload(replaces=preview["replaces"])
    assert refused.status_code == 409 and refused.get_json()["code"] == "changed_meanwhile"
    assert refused.get_json()["error"].startswith("2026-05-12 这一期刚被别人发布、修改或删除了")
    assert upload().status_code == 201  # previewed afresh: replaces what is there now

    away = make_app(
        {"RECORD_URL": f"postgresql://bulletin@127.0.0.1:{free_port()}/x", "ADMIN_TOKEN": "t"}
    ).test_client()
    response = away.delete("/admin/issues/2026-05-12", headers=auth)
    assert response.status_code == 503 and response.get_json()["code"] == "record_unavailable"
    assert response.get_json()["error"].startswith("暂时连不上发布记录库")
    health = client.get("/healthz").get_json()
    assert (health["node"], health["position"], health["generation"]) == ("desk-node", 2, "r2")
    assert health["record"]["phase"] == "no follower"


def test_an_answer_computed_while_the_index_moved_is_not_cached(make_app, monkeypatch):
    from bot.data import get_search, get_state
    from tests.helpers import SAMPLE_ISSUE, ingest_file
    from tests.wechat import ACCOUNT_SETTINGS, Phone

    app = make_app(ACCOUNT_SETTINGS, [SAMPLE_ISSUE])
    search, cache = get_search(app), get_state(app).cache
    stored = []
    monkeypatch.setattr(cache, "set", lambda key, *value: stored.append(key))
    Phone(app.test_client()).say("太极拳")
    assert len(stored) == 1

    rank = search.rank

    def rank_while_an_issue_arrives(parsed, *args):
        ingest_file(app, Path(__file__).parent / "issues" / "2026-05-11-photos.txt", "2026-05-11")
        return rank(parsed, *args)

    monkeypatch.setattr(search, "rank", rank_while_an_issue_arrives)
    Phone(app.test_client(), user="oOther").say("养老服务")
    assert len(stored) == 1  # nothing filed under the generation from before the new issue
