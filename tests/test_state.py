"""One contract for every state backend, plus what only Redis can show (key hygiene, sharing, outages) and what only
the command line's file backend does (keeping its entries between runs)."""

import itertools
import json
import logging
import socket
import threading
import time

import pytest

from bot.state import open_state
from bot.state.filestore import FileStore
from bot.state.guard import Guard
from bot.state.memory import MemoryStore
from bot.state.parts import Admission, LocalCopies, encode_session

OPENID = "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
SHORT = {
    "CACHE_TTL": 0.3,
    "SESSION_TTL": 0.3,
    "DEDUPE_TTL": 0.3,
    "RATE_LIMIT": 3,
    "RATE_WINDOW": 0.3,
    "REDIS_PREFIX": "test:",
}


def backend_config(backend, request):
    url = request.getfixturevalue("redis_url") if backend == "redis" else ""
    return {**SHORT, "REDIS_URL": url}


@pytest.fixture(params=["memory", "file", pytest.param("redis", marks=pytest.mark.redis)])
def state(request, tmp_path):
    keep_in = tmp_path / "cli-state.json" if request.param == "file" else None
    state = open_state(backend_config(request.param, request), keep_in)
    yield state
    state.close()


@pytest.fixture
def redis_state(redis_url):
    state = open_state({**SHORT, "REDIS_URL": redis_url})
    yield state
    state.close()


_messages = iter(range(10**9))


def hit(state, openid):
    """A new message from ``openid``: True when it is within the rate limit."""
    return state.gate.admit(f"message-{next(_messages)}", openid).allowed


def race(count, function):
    """Run ``function`` in ``count`` threads released together; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        barrier.wait()
        results[i] = function()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# The contract, for every backend.


def test_backend_and_ping(state):
    assert state.backend in ("memory", "file", "redis")
    assert state.ping() is True


def test_cache_round_trip(state):
    assert state.cache.get("高新区 招聘|gen1", str) is None
    state.cache.set("高新区 招聘|gen1", "答案", "答案")
    assert state.cache.get("高新区 招聘|gen1", str) == "答案"
    assert state.cache.get("高新区 招聘|gen2", str) is None


def test_cache_key_of_any_length(state):
    long_query = "科技园区" * 2000
    state.cache.set(long_query, "长", "长")
    assert state.cache.get(long_query, str) == "长"
    assert state.cache.get(long_query + "!", str) is None


def test_cache_entries_expire(state):
    state.cache.set("q", "a", "a")
    time.sleep(0.4)
    assert state.cache.get("q", str) is None
    assert state.cache.peek("q") is None


def test_claim_once_per_message_until_it_expires(state):
    assert state.gate.admit("6054768590064713728", OPENID).claimed is True
    assert state.gate.admit("6054768590064713728", OPENID).claimed is False
    assert state.gate.admit("6054768590064713729", OPENID).claimed is True
    time.sleep(0.4)
    assert state.gate.admit("6054768590064713728", OPENID).claimed is True


def test_racing_claims_have_one_winner(state):
    assert sorted(race(16, lambda: state.gate.admit("msg-race", OPENID).claimed)) == [False] * 15 + [True]


def test_wait_reply_gets_the_reply_stored_by_the_first_request(state):
    assert state.gate.admit("msg-1", OPENID).claimed

    def first_request():
        time.sleep(0.1)
        state.dedupe.store_reply("msg-1", "回复")

    worker = threading.Thread(target=first_request)
    worker.start()
    assert state.gate.admit("msg-1", OPENID).claimed is False
    assert state.dedupe.wait_reply("msg-1", timeout=2) == "回复"
    worker.join()


def test_wait_reply_gives_up_after_its_timeout(state):
    started = time.monotonic()
    assert state.dedupe.wait_reply("msg-2", timeout=0.15) is None
    assert 0.15 <= time.monotonic() - started < 0.5


def test_replies_expire(state):
    state.dedupe.store_reply("msg-3", "回复")
    assert state.dedupe.wait_reply("msg-3", timeout=0) == "回复"
    time.sleep(0.4)
    assert state.dedupe.wait_reply("msg-3", timeout=0) is None


def test_session_round_trip(state):
    assert state.sessions.get(OPENID) is None
    state.sessions.set(OPENID, {"last_query": "招聘", "page": 2})
    assert state.sessions.get(OPENID) == {"last_query": "招聘", "page": 2}
    assert state.sessions.get(OPENID + "x") is None


def test_session_expiry_is_refreshed_by_set(state):
    state.sessions.set(OPENID, {"page": 1})
    time.sleep(0.2)
    state.sessions.set(OPENID, {"page": 2})
    time.sleep(0.2)
    assert state.sessions.get(OPENID) == {"page": 2}
    time.sleep(0.2)
    assert state.sessions.get(OPENID) is None


def test_rate_limit_boundary_per_user_and_window(state):
    assert [hit(state, OPENID) for _ in range(4)] == [True, True, True, False]
    assert hit(state, "another-user") is True
    time.sleep(0.4)
    assert hit(state, OPENID) is True


def test_racing_hits_are_counted_exactly(state):
    assert sorted(race(8, lambda: hit(state, OPENID))) == [False] * 5 + [True] * 3


def test_an_admitted_message_makes_its_writes_in_the_same_step(state):
    writes = (state.dedupe.write("msg-w", "回复"), state.sessions.write(OPENID, encode_session({"page": 0})))
    assert state.gate.admit("msg-w", OPENID, writes) == Admission(claimed=True, allowed=True)
    assert state.dedupe.wait_reply("msg-w", timeout=0) == "回复"
    assert state.sessions.get(OPENID) == {"page": 0}


def test_a_retry_makes_no_writes(state):
    state.gate.admit("msg-w", OPENID, (state.dedupe.write("msg-w", "first"),))
    writes = (state.dedupe.write("msg-w", "second"), state.sessions.write(OPENID, encode_session({"page": 9})))
    assert state.gate.admit("msg-w", OPENID, writes) == Admission(claimed=False, allowed=True)
    assert state.dedupe.wait_reply("msg-w", timeout=0) == "first"
    assert state.sessions.get(OPENID) is None


def test_over_the_limit_a_message_is_counted_and_makes_no_writes(state):
    admitted = [state.gate.admit(f"msg-{n}", OPENID, (state.dedupe.write(f"msg-{n}", f"r{n}"),)) for n in range(5)]
    assert [a.allowed for a in admitted] == [True, True, True, False, False]
    assert [state.dedupe.wait_reply(f"msg-{n}", timeout=0) for n in range(5)] == ["r0", "r1", "r2", None, None]
    assert hit(state, "another-user") is True


def test_racing_messages_with_writes_are_counted_exactly(state):
    numbers = itertools.count()

    def admit():
        n = next(numbers)
        return n, state.gate.admit(f"race-{n}", OPENID, (state.dedupe.write(f"race-{n}", f"r{n}"),)).allowed

    results = race(8, admit)
    allowed = sorted(n for n, ok in results if ok)
    assert len(allowed) == 3
    stored = {n: state.dedupe.wait_reply(f"race-{n}", timeout=0) for n in range(8)}
    assert {n for n, reply in stored.items() if reply is not None} == set(allowed)


def test_racing_deliveries_of_one_message_store_the_claimants_reply(state):
    numbers = itertools.count()

    def deliver():
        n = next(numbers)
        return n, state.gate.admit("same", OPENID, (state.dedupe.write("same", f"r{n}"),)).claimed

    claimants = [n for n, claimed in race(8, deliver) if claimed]
    assert len(claimants) == 1
    assert state.dedupe.wait_reply("same", timeout=0) == f"r{claimants[0]}"


# The in-process backends.


def test_without_redis_the_state_is_in_process(tmp_path):
    assert open_state({}).backend == "memory"
    assert open_state({}, keep_in=tmp_path / "kept.json").backend == "file"


def test_the_file_backend_keeps_live_entries_between_runs(tmp_path):
    path = tmp_path / "var" / "cli-state.json"
    first = FileStore(path)
    first.set("session", "list", ttl=100)
    first.set("gone", "soon", ttl=0.01)
    first.close()
    time.sleep(0.02)
    second = FileStore(path)
    assert second.get("session") == "list" and second.get("gone") is None
    mtime = path.stat().st_mtime_ns
    second.close()  # nothing changed: nothing written
    assert path.stat().st_mtime_ns == mtime
    third = FileStore(path)
    third.set("other", "x", ttl=100)
    third.close()
    assert set(json.loads(path.read_text(encoding="utf-8"))) == {"session", "other"}  # the expired entry is gone


@pytest.mark.parametrize("content", ["", "not json", "[1, 2]", '{"k": 5}', '{"k": ["v", "never"]}'])
def test_an_unreadable_state_file_starts_empty(tmp_path, content):
    path = tmp_path / "cli-state.json"
    path.write_text(content, encoding="utf-8")
    store = FileStore(path)
    assert store.get("k") is None
    store.set("k", "v", ttl=100)
    store.close()
    assert FileStore(path).get("k") == "v"


def test_a_state_file_that_cannot_be_written_is_skipped_with_a_warning(tmp_path, caplog):
    (tmp_path / "file").write_text("x")
    store = FileStore(tmp_path / "file" / "cli-state.json")
    store.set("k", "v", ttl=100)
    store.close()
    assert any("could not keep the command line's state" in m for m in caplog.messages)


def test_memory_store_stays_bounded():
    clock = [0.0]
    store = MemoryStore(max_entries=5, sweep_every=10, clock=lambda: clock[0])
    for i in range(8):
        store.set(f"k{i}", "v", ttl=100)
    assert len(store) == 5
    assert store.get("k2") is None and store.get("k3") == "v"
    store.set("short", "v", ttl=1)
    clock[0] = 11
    store.set("k9", "v", ttl=100)
    assert len(store) == 5  # "short" swept, the rest still live
    assert store.get("k4") == "v"


# Redis only: key hygiene, sharing between workers.


def test_every_key_is_prefixed_expiring_and_hashed(redis_state):
    state = redis_state
    state.cache.set("高新区 招聘|gen1", "答案", "答案")
    state.stats.record_lookup(hit=True)
    state.stats.record_lookup(hit=False)
    state.stats.flush()
    state.gate.admit(OPENID + "1409735668", OPENID)
    state.dedupe.store_reply(OPENID + "1409735668", "回复")
    state.sessions.set(OPENID, {"page": 1})
    client = state.store.client
    keys = list(client.scan_iter("*"))
    assert len(keys) == 7
    for key in keys:
        assert key.startswith("test:")
        assert client.pttl(key) > 0
        assert OPENID not in key and "招聘" not in key
        assert len(key) < 64


def test_workers_share_state(redis_url):
    one, two = (open_state({**SHORT, "REDIS_URL": redis_url}) for _ in range(2))
    one.cache.set("q", "a", "a")
    assert two.cache.get("q", str) == "a"
    assert one.gate.admit("m", OPENID).claimed and not two.gate.admit("m", OPENID).claimed
    one.close()
    two.close()


# Redis outages: answers keep flowing, one warning, recovery without a restart.


def test_outage_degrades_every_operation_and_recovers(redis_server, redis_state, caplog):
    caplog.set_level(logging.INFO, logger="bot.state")
    state = redis_state
    state.store.guard = Guard(backoff=0)  # every call below really reaches the stopped server
    for _ in range(3):
        hit(state, OPENID)
    redis_server.stop()

    assert state.ping() is False
    assert state.cache.get("q", str) is None
    state.cache.set("q", "a", "a")
    assert state.stats.lookups() == {"hits": 0, "misses": 0}
    assert state.gate.admit("m", OPENID).claimed is True
    state.dedupe.store_reply("m", "r")
    started = time.monotonic()
    assert state.dedupe.wait_reply("m", timeout=2) is None
    assert time.monotonic() - started < 0.5
    assert state.sessions.get(OPENID) is None
    state.sessions.set(OPENID, {"page": 1})
    assert hit(state, OPENID) is True
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].name == "bot.state"

    redis_server.start()
    state.cache.set("q2", "a", "a")
    state.cache.local = LocalCopies(size=8, ttl=60)  # forget the process's copies: read Redis
    assert state.cache.get("q2", str) == "a"
    assert state.ping() is True
    assert [r.message for r in caplog.records if r.levelno == logging.INFO] == ["Redis is back: shared state restored"]


def test_after_a_failure_redis_is_left_alone_for_the_back_off(redis_server, redis_state, caplog):
    state = redis_state
    redis_server.stop()
    started = time.monotonic()
    for _ in range(50):
        assert state.cache.get("q", str) is None
    assert time.monotonic() - started < 0.5
    redis_server.start()
    assert state.ping() is False  # still backing off
    time.sleep(1.1)
    assert state.ping() is True
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_a_hung_redis_costs_one_short_timeout(caplog):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        state = open_state({"REDIS_URL": url, "REDIS_TIMEOUT": 0.1})
        started = time.monotonic()
        assert state.cache.get("q", str) is None
        assert hit(state, OPENID) is True
        assert state.gate.admit("m", OPENID).claimed is True
        assert time.monotonic() - started < 0.5
        state.close()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_a_restart_between_requests_goes_unnoticed(redis_server, redis_state, caplog):
    redis_state.sessions.set(OPENID, {"page": 1})
    assert redis_state.gate.admit("before", OPENID).claimed
    redis_server.stop()
    redis_server.start()
    redis_state.sessions.set(OPENID, {"page": 2})
    assert redis_state.sessions.get(OPENID) == {"page": 2}
    assert redis_state.gate.admit("after", OPENID, (redis_state.dedupe.write("after", "回复"),)).claimed
    assert redis_state.dedupe.wait_reply("after", timeout=0) == "回复"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_a_retry_is_not_counted_against_the_senders_limit(state):
    assert [state.gate.admit("same-message", OPENID) for _ in range(5)][1:] == [
        Admission(claimed=False, allowed=True)
    ] * 4
    assert [hit(state, OPENID) for _ in range(3)] == [True, True, False]


def test_writes_of_a_batch_are_all_there_when_it_ends(state):
    with state.batch():
        state.sessions.set(OPENID, {"page": 2})
        state.dedupe.store_reply("msg-b", "回复")
        state.stats.record_message()
    assert state.sessions.get(OPENID) == {"page": 2}
    assert state.dedupe.wait_reply("msg-b", timeout=0) == "回复"
    assert state.stats.report()["messages_per_day"][-1]["messages"] == 1


def test_redis_sends_a_batch_in_one_round_trip_at_its_end(redis_state):
    client = redis_state.store.client
    with redis_state.batch() as sent:
        redis_state.sessions.set(OPENID, {"page": 2})
        redis_state.dedupe.store_reply("msg-b", "回复")
        assert list(client.scan_iter("test:*")) == []
    assert len(list(client.scan_iter("test:*"))) == 2 and sent.ok


def test_a_batch_sent_while_redis_is_down_is_dropped_quietly(redis_server, redis_state, caplog):
    redis_server.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.state"), redis_state.batch() as sent:
            redis_state.sessions.set(OPENID, {"page": 2})
    finally:
        redis_server.start()
    assert "Redis is unavailable" in caplog.text and not sent.ok


def test_admission_goes_on_when_redis_forgets_its_scripts(redis_state):
    assert redis_state.gate.admit("first", OPENID).claimed
    redis_state.store.client.script_flush()
    assert redis_state.gate.admit("second", OPENID, (redis_state.dedupe.write("second", "回复"),)).claimed
    assert redis_state.dedupe.wait_reply("second", timeout=0) == "回复"


def test_every_thread_admits_over_a_connection_of_its_own_released_on_close(redis_url):
    state = open_state({**SHORT, "REDIS_URL": redis_url, "RATE_LIMIT": 100})
    race(4, lambda: state.gate.admit(f"m-{threading.get_ident()}", OPENID))
    assert len(state.store._own._every) == 4
    state.close()
    assert state.store._own._every == []


def test_popular_answers_are_also_kept_in_the_process(redis_state, redis_url):
    redis_state.cache.set("太极拳|gen1", "答案", ["答案", "decoded"])
    redis_state.store.client.flushall()
    assert redis_state.cache.get("太极拳|gen1", str) == ["答案", "decoded"]  # as decoded, not read again
    assert redis_state.cache.peek("太极拳|gen1") == ["答案", "decoded"]
    other_worker = open_state({**SHORT, "REDIS_URL": redis_url})
    assert other_worker.cache.get("太极拳|gen1", str) is None
    assert other_worker.cache.peek("太极拳|gen1") is None
    other_worker.close()


def test_an_answer_read_from_the_store_is_decoded_once_and_kept(redis_url):
    one, two = (open_state({**SHORT, "REDIS_URL": redis_url}) for _ in range(2))
    one.cache.set("q", "答案", "答案")
    decoded = []

    def decode(text):
        decoded.append(text)
        return text.upper()

    assert two.cache.get("q", decode) == two.cache.get("q", decode) == "答案".upper()
    assert decoded == ["答案"] and two.cache.peek("q") == "答案".upper()
    one.close()
    two.close()


def test_local_copies_are_bounded_and_expire():
    now = [0.0]
    copies = LocalCopies(size=2, ttl=10, clock=lambda: now[0])
    for key in "abc":
        copies.put(key, key.upper())
    assert [copies.get(key) for key in "abc"] == [None, "B", "C"]
    now[0] = 11
    assert copies.get("c") is None
