"""The ranking primitives (one contract for both backends) and the editors' statistics built on them."""

import threading
import time
from datetime import date, timedelta

import pytest

from bot.state import open_state, stats
from bot.state.base import Keys
from bot.state.guard import Guard
from bot.state.memory import MemoryStore
from bot.state.redisstore import RedisStore
from bot.state.stats import Stats, hit_rate


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def store(request):
    if request.param == "memory":
        yield MemoryStore()
        return
    store = RedisStore.from_url(request.getfixturevalue("redis_url"), 0.25)
    yield store
    store.close()


class Calendar:
    """A ``today`` the test turns."""

    def __init__(self, day):
        self.day = day

    def __call__(self):
        return self.day


# The contract, for both backends.


def test_zincr_counts_and_ztop_ranks_highest_first(store):
    for member in ["养老", "太极拳", "养老", "招聘", "养老", "太极拳"]:
        store.zincr("r", member, 60, 10, 1)
    assert store.zincr("r", "招聘", 60, 10, 1) == 2
    assert store.ztop("r", 10) == [("养老", 3), ("招聘", 2), ("太极拳", 2)]  # ties: the higher member first
    assert store.ztop("r", 1) == [("养老", 3)]


def test_an_absent_ranking_is_empty(store):
    assert list(store.ztop("nothing", 5)) == []


def test_a_newcomer_to_a_full_ranking_replaces_the_lowest_and_inherits_its_count(store):
    for member, count in [("a", 3), ("b", 1), ("c", 1)]:
        for _ in range(count):
            store.zincr("r", member, 60, 3, 1)
    assert store.zincr("r", "d", 60, 3, 1) == 2  # "b" and "c" tie at 1: the first by member, "b", makes room
    assert store.ztop("r", 10) == [("a", 3), ("d", 2), ("c", 1)]
    assert store.zincr("r", "a", 60, 3, 1) == 4
    assert store.zincr("r", "e", 60, 3, 5) == 6  # five at once: "c" makes room, its 1 and the 5 with it
    assert store.ztop("r", 10) == [("e", 6), ("a", 4), ("d", 2)]


def test_counts_are_added_many_at_once(store):
    assert store.incr("c", 60, 5) == 5
    assert store.incr("c", 60, 1) == 6
    assert store.zincr("r", "q", 60, 5, 3) == 3
    assert store.zincr("r", "q", 60, 5, 2) == 5


def test_a_ranking_expires_from_its_first_increment(store):
    store.zincr("r", "q", 0.3, 5, 1)
    time.sleep(0.2)
    store.zincr("r", "q", 0.3, 5, 1)
    assert store.ztop("r", 5) == [("q", 2)]
    time.sleep(0.15)
    assert list(store.ztop("r", 5)) == []


@pytest.mark.redis
def test_redis_rankings_expire_and_degrade_in_an_outage(redis_server, redis_url):
    store = RedisStore.from_url(redis_url, 0.25)
    store.guard = Guard(backoff=0)
    store.zincr("test:r", "q", 60, 5, 1)
    assert 0 < store.client.pttl("test:r") <= 60_000
    redis_server.stop()
    try:
        assert store.zincr("test:r", "q", 60, 5, 1) == 0
        assert list(store.ztop("test:r", 5)) == []
    finally:
        redis_server.start()
        store.close()


# The statistics.


@pytest.fixture
def calendar():
    return Calendar(date(2026, 5, 4))


@pytest.fixture
def counted(store, calendar):
    counted = Stats(store, Keys("test:"), today=calendar)
    yield counted
    counted.close()


def test_report_counts_questions_unanswered_doubtful_and_messages(counted):
    for query, found in [("太极拳", True), ("太极拳", True), ("火星移民", False), ("养老", True)]:
        counted.record_message()
        counted.record_query(query, found, doubtful=query == "养老")
    report = counted.report()
    assert report["top_queries"] == [
        {"query": "太极拳", "count": 2},
        {"query": "养老", "count": 1},
        {"query": "火星移民", "count": 1},
    ]
    assert report["unanswered_queries"] == [{"query": "火星移民", "count": 1}]
    assert report["doubtful_queries"] == [{"query": "养老", "count": 1}]
    assert report["messages_per_day"][-1] == {"date": "2026-05-04", "messages": 4}


def test_report_sums_the_last_seven_days_only(counted, calendar):
    start = calendar.day
    for offset, count in [(-8, 5), (-6, 1), (-1, 2), (0, 1)]:
        calendar.day = start + timedelta(days=offset)
        for _ in range(count):
            counted.record_message()
            counted.record_query("招聘", found=False)
    calendar.day = start
    report = counted.report()
    days = report["messages_per_day"]
    assert [d["date"] for d in days] == [(start - timedelta(days=n)).isoformat() for n in range(6, -1, -1)]
    assert [d["messages"] for d in days] == [1, 0, 0, 0, 0, 2, 1]
    assert report["top_queries"] == [{"query": "招聘", "count": 4}]
    assert report["unanswered_queries"] == [{"query": "招聘", "count": 4}]


def test_blank_questions_are_not_counted_and_long_ones_are_cut(counted):
    counted.record_query("   ", found=False)
    counted.record_query("问" * 500, found=True)
    assert counted.report()["top_queries"] == [{"query": "问" * stats.MAX_QUERY_CHARS, "count": 1}]


def test_a_days_ranking_stays_bounded_and_keeps_what_is_asked_often(counted, monkeypatch):
    monkeypatch.setattr(stats, "KEEP", 5)
    for n in range(40):
        counted.record_query(f"问题{n}", found=True)
        if n % 4 == 0:
            counted.record_query("养老", found=True)
    top = counted.report()["top_queries"]
    assert len(top) == 5 and top[0]["query"] == "养老"


def test_report_top_is_limited(counted):
    for n in range(30):
        counted.record_query(f"q{n:02d}", found=True)
    assert len(counted.report(top=20)["top_queries"]) == 20


@pytest.mark.redis
def test_redis_keys_are_prefixed_expiring_and_free_of_user_ids(redis_url):
    state = open_state({"REDIS_URL": redis_url, "REDIS_PREFIX": "test:"})
    state.stats.record_message()
    state.stats.record_query("太极拳", found=False)
    state.stats.flush()
    keys = sorted(state.store.client.scan_iter("*"))
    today = date.today().isoformat()
    assert keys == [
        f"test:stats:messages:{today}",
        f"test:stats:queries:{today}",
        f"test:stats:unanswered-count:{today}",
        f"test:stats:unanswered:{today}",
    ]
    for key in keys:
        assert 0 < state.store.client.pttl(key) <= stats.TTL * 1000
    state.close()


def test_hit_rate():
    assert hit_rate({"hits": 0, "misses": 0}) is None
    assert hit_rate({"hits": 1, "misses": 2}) == 0.333


# Counted in the process, added to the store about once a second, never lost on the way.

SLOW = 3600.0  # a flush interval no test waits for: only explicit flushes (and close) add counts


def stored_messages(store, day=date(2026, 5, 4)):
    return int(store.get(f"test:stats:messages:{day.isoformat()}") or 0)


def test_counts_reach_the_store_when_flushed(store, calendar):
    counted = Stats(store, Keys("test:"), today=calendar, flush_every=SLOW)
    for _ in range(3):
        counted.record_message()
    counted.record_query("太极拳", found=False)
    assert stored_messages(store) == 0
    counted.flush()
    assert stored_messages(store) == 3
    assert store.ztop("test:stats:unanswered:2026-05-04", 5) == [("太极拳", 1)]
    counted.flush()  # nothing new: nothing added twice
    assert stored_messages(store) == 3
    counted.close()


def test_closing_flushes_what_is_left(store, calendar):
    counted = Stats(store, Keys("test:"), today=calendar, flush_every=SLOW)
    counted.record_message()
    counted.record_lookup(hit=True)
    counted.close()
    assert stored_messages(store) == 1
    assert store.get("test:stats:hits") == "1"


def test_the_flushing_thread_adds_counts_by_itself(store, calendar):
    counted = Stats(store, Keys("test:"), today=calendar, flush_every=0.02)
    counted.record_message()
    deadline = time.monotonic() + 10
    while stored_messages(store) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert stored_messages(store) == 1
    counted.close()


def test_with_no_interval_every_count_is_added_at_once(store, calendar):
    counted = Stats(store, Keys("test:"), today=calendar, flush_every=0)
    counted.record_message()
    assert stored_messages(store) == 1
    counted.close()


def test_counts_made_while_flushing_are_all_added(store, calendar):
    counted = Stats(store, Keys("test:"), today=calendar, flush_every=SLOW)
    done = threading.Event()

    def flush_repeatedly():
        while not done.is_set():
            counted.flush()

    flusher = threading.Thread(target=flush_repeatedly)
    flusher.start()
    writers = [threading.Thread(target=lambda: [counted.record_message() for _ in range(300)]) for _ in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    done.set()
    flusher.join()
    counted.close()
    assert stored_messages(store) == 1200


def test_lookups_count_hits_and_misses(store, calendar):
    counted = Stats(store, Keys("test:"), today=calendar, flush_every=SLOW)
    for hit in (True, False, False):
        counted.record_lookup(hit)
    assert counted.lookups() == {"hits": 1, "misses": 2}
    counted.close()


@pytest.mark.redis
def test_a_flush_while_redis_is_down_keeps_its_counts_for_the_next(redis_server, redis_url, calendar):
    store = RedisStore.from_url(redis_url, 0.25)
    store.guard = Guard(backoff=0)
    counted = Stats(store, Keys("test:"), today=calendar, flush_every=SLOW)
    counted.record_message()
    counted.record_query("太极拳", found=True)
    redis_server.stop()
    try:
        counted.flush()
        counted.record_message()
        counted.flush()
    finally:
        redis_server.start()
    counted.record_message()
    counted.close()
    assert stored_messages(store) == 3
    assert store.ztop("test:stats:queries:2026-05-04", 5) == [("太极拳", 1)]
    store.close()


def test_the_counts_kept_in_the_process_stay_bounded(calendar, monkeypatch):
    monkeypatch.setattr(stats, "KEEP", 5)
    tally = stats.Tally()
    for n in range(100):
        tally.rank("r", f"问题{n}")
        tally.rank("r", "养老")
    assert len(tally.rankings["r"]) == 5 and tally.rankings["r"].most_common(1) == [("养老", 100)]
