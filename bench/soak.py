"""The soak (``python -m bench.run soak``): a bounded run of mixed messages, retries among them, against gunicorn
(two workers, the project's config) and a real redis-server, watching for what only shows over time.

What a resident population sends, in rough proportions: questions (the popular ones again and again, and distinct
ones), numbers and "更多" after them, 最新 and 帮助, follows, voice notes, pictures, and WeChat's retries of a
message already sent (same MsgId, freshly signed), which must get the very same reply bytes. Checked: no 5xx, every
retry identical, Redis memory and key count level (every key expires), worker memory flat from the first sample to
the last. Bounded in messages and seconds; loopback only.
"""

import http.client
import random
import threading
import time
from collections import Counter
from itertools import count
from urllib.parse import urlencode

from bench import datasets, queries, signed
from bench.corpus_bank import WARM_QUERIES
from bench.servers import Gunicorn, RedisServer, memory_mb
from bench.web import wait_answering
from bot.wechat.impersonate import message_xml

OUT = datasets.OUT / "soak"
MESSAGES = 50_000
MAX_SECONDS = 240
THREADS = 8
USERS = 3000
SAMPLE_EVERY_S = 5
#: (kind, weight): what is sent, how often.
MIX = (
    ("popular", 40),
    ("distinct", 22),
    ("number", 8),
    ("more", 5),
    ("command", 4),
    ("follow", 3),
    ("voice", 4),
    ("image", 2),
    ("retry", 12),
)


class Soak:
    def __init__(self, port, questions, messages, max_seconds, seed=7):
        self.port = port
        self.questions = questions
        self.messages = messages
        self.deadline = time.monotonic() + max_seconds
        self.wechat = signed.server()
        self.sent = count()
        self.lock = threading.Lock()
        self.statuses = Counter()
        self.kinds = Counter()
        self.retries = Counter()
        self.seed = seed
        self.msg_ids = count(10**15)

    def message(self, rng, user):
        kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        fields = {"msg_id": next(self.msg_ids)}
        if kind == "popular":
            return kind, message_xml("text", user, Content=rng.choice(WARM_QUERIES), **fields)
        if kind == "distinct":
            return kind, message_xml("text", user, Content=rng.choice(self.questions), **fields)
        if kind == "number":
            return kind, message_xml("text", user, Content=str(rng.randint(1, 4)), **fields)
        if kind == "more":
            return kind, message_xml("text", user, Content="更多", **fields)
        if kind == "command":
            return kind, message_xml("text", user, Content=rng.choice(["最新", "帮助"]), **fields)
        if kind == "follow":
            return kind, message_xml("event", user, Event="subscribe")
        if kind == "voice":
            return kind, message_xml(
                "voice", user, MediaId="m", Format="amr", Recognition=rng.choice(WARM_QUERIES) + "。", **fields
            )
        if kind == "image":
            return kind, message_xml("image", user, PicUrl="http://127.0.0.1/x.jpg", MediaId="m", **fields)
        return kind, None  # a retry: the caller resends one of its earlier messages

    def post(self, connection, xml):
        request = self.wechat.request(xml, "plain")
        connection.request("POST", f"/wechat?{urlencode(request.query)}", request.body, {"Content-Type": "text/xml"})
        response = connection.getresponse()
        return response.status, response.read()

    def worker(self, number):
        rng = random.Random(self.seed * 1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = []  # (xml, first reply) of this thread's recent messages, to retry
        try:
            while next(self.sent) < self.messages and time.monotonic() < self.deadline:
                user = f"oSoak{rng.randrange(USERS):05d}"
                kind, xml = self.message(rng, user)
                while xml is None and not sent:  # nothing to retry yet
                    kind, xml = self.message(rng, user)
                if xml is None:
                    xml, first = rng.choice(sent)
                    status, body = self.post(connection, xml)
                    with self.lock:
                        self.retries["identical" if body == first else "different"] += 1
                else:
                    status, body = self.post(connection, xml)
                    sent = [*sent, (xml, body)][-50:]
                with self.lock:
                    self.statuses[status] += 1
                    self.kinds[kind] += 1
        finally:
            connection.close()

    def run(self):
        threads = [threading.Thread(target=self.worker, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        return threads


def redis_figures(redis):
    info = redis.command(b"INFO memory").decode("utf-8", "replace")
    used = next(int(line.split(":")[1]) for line in info.splitlines() if line.startswith("used_memory:"))
    keys = int(redis.command(b"DBSIZE").decode().strip().lstrip(":"))
    return used / 2**20, keys


def keys_without_expiry(redis, sample=200):
    """How many of ``sample`` random keys have no expiry (must be none)."""
    missing = 0
    for _ in range(sample):
        key = redis.command(b"RANDOMKEY").decode("utf-8", "replace").split("\r\n")
        if len(key) < 2 or not key[1]:
            continue
        ttl = redis.command(b"PTTL " + key[1].encode()).decode().strip().lstrip(":")
        missing += ttl == "-1"
    return missing


def run(messages=MESSAGES, max_seconds=MAX_SECONDS, report=print):
    data_dir, articles = datasets.web_data_dir(OUT / "data", report)
    questions = queries.realistic(3000)
    samples = []
    with (
        RedisServer() as redis,
        Gunicorn(
            "bot:create_app()",
            {**signed.ACCOUNT_ENV, "REDIS_URL": redis.url, "BULLETIN_DATA_DIR": str(data_dir)},
            OUT / "bot.log",
        ) as server,
    ):
        wait_answering(server, WARM_QUERIES[0])
        soak = Soak(server.port, questions, messages, max_seconds)
        started = time.monotonic()
        threads = soak.run()
        while any(thread.is_alive() for thread in threads):
            used_mb, keys = redis_figures(redis)
            workers = [memory_mb(pid) for pid in server.worker_pids()]
            samples.append(
                {
                    "s": round(time.monotonic() - started),
                    "redis_mb": round(used_mb, 1),
                    "keys": keys,
                    "worker_anon_mb": [round(w["anon_mb"], 1) for w in workers],
                    "sent": sum(soak.statuses.values()),
                }
            )
            report(f"  soak {samples[-1]}")
            for thread in threads:
                thread.join(SAMPLE_EVERY_S / len(threads))
        seconds = time.monotonic() - started
        no_expiry = keys_without_expiry(redis)
    total = sum(soak.statuses.values())
    return {
        "articles": articles,
        "messages": total,
        "seconds": round(seconds, 1),
        "rate": round(total / seconds),
        "statuses": {str(k): v for k, v in sorted(soak.statuses.items())},
        "server_errors": sum(v for k, v in soak.statuses.items() if k >= 500),
        "kinds": dict(soak.kinds),
        "retries": dict(soak.retries),
        "keys_without_expiry": no_expiry,
        "samples": samples,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(messages=2000, max_seconds=30), indent=1))
