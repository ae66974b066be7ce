"""Where a warm message spends its time: the bot's own WSGI app, in this process, against a real redis-server.

The web part's wrk runs say how fast the whole stack goes; this says where a worker's CPU goes for one message whose
answer is cached. Pre-signed warm requests (each its own MsgId and sender, as in the wrk runs) are handed to the
app's WSGI callable the way gunicorn hands them over, after a warm-up that fills the cache; the log line is written
(to /dev/null) as under gunicorn. First timed plainly (CPU microseconds per message of this process: the Redis
server's work is not in it, the client's is), then under cProfile, each function's own time charged to the part its
code belongs to, built-ins and the standard library to their caller's part. cProfile slows Python code more than
C: read the shares, not the seconds. The profile counts CPU time (``time.process_time``), so the wait for Redis's
answer is not in it; the round trips per message are (calls that send to a socket).

The echo bot (``bench.echo_bot``) is timed the same way over the same requests, for the ratio in one process.
"""

import cProfile
import io
import logging
import os
import pstats
import time
from pathlib import Path
from urllib.parse import urlencode

from bench import signed
from bench.corpus_bank import WARM_QUERIES
from bench.servers import RedisServer

ROOT = Path(__file__).resolve().parent.parent
#: Where a function's file lives -> the part its own time is charged to; first match wins.
PARTS = (
    ("/bot/wechat/", "bot: webhook"),
    ("/bot/state/", "bot: state"),
    ("/bot/", "bot: other"),
    ("/index/", "index (question analysis)"),
    ("/config/", "bot: other"),
    ("/redis/", "redis-py"),
    ("/hiredis/", "redis-py"),
    ("/wechatpy/", "wechatpy + xmltodict"),
    ("/xmltodict", "wechatpy + xmltodict"),
    ("/flask/", "Flask + werkzeug"),
    ("/werkzeug/", "Flask + werkzeug"),
    ("/logging/", "logging"),
)
TOP = 12
#: The socket calls a Redis client sends a request with: one per round trip.
SENDS = ("<method 'sendall' of '_socket.socket' objects>", "<method 'send' of '_socket.socket' objects>")
MESSAGES = 3000
#: Fewer under the profiler, whose CPU clock costs a system call per event.
PROFILED = 1000


def part(filename):
    for marker, name in PARTS:
        if marker in filename:
            return name
    return None


def shares(stats):
    """Own time per part, with built-ins and the standard library charged to their callers' parts."""
    totals = {}
    for (filename, _, _), (_, _, own, _, callers) in stats.stats.items():
        owner = part(filename)
        if owner:
            totals[owner] = totals.get(owner, 0.0) + own
            continue
        if not callers:
            totals["other"] = totals.get("other", 0.0) + own
        caller_total = sum(row[2] for row in callers.values()) or 1.0
        for (caller_file, _, _), row in callers.items():  # split by the callers' share of the calls' time
            name = part(caller_file) or "other"
            totals[name] = totals.get(name, 0.0) + own * row[2] / caller_total
    whole = sum(totals.values())
    return {name: seconds / whole for name, seconds in sorted(totals.items(), key=lambda item: -item[1])}


def where(filename, line, name):
    if filename == "~":
        return name
    path = Path(filename)
    return f"{path.parent.name}/{path.name}:{line} {name}"


def environs(count, mode="plain"):
    """WSGI environs of ``count`` warm questions, each from its own sender with its own MsgId."""
    wechat = signed.server()
    made = []
    for number in range(count):
        query, body = signed.text_request(
            wechat, f"oProfile{number:07d}", WARM_QUERIES[number % len(WARM_QUERIES)], mode
        )
        made.append(
            {
                "REQUEST_METHOD": "POST",
                "SCRIPT_NAME": "",
                "PATH_INFO": "/wechat",
                "QUERY_STRING": urlencode(query),
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "8000",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "CONTENT_TYPE": "text/xml",
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_HOST": "127.0.0.1:8000",
                "wsgi.version": (1, 0),
                "wsgi.url_scheme": "http",
                "wsgi.input": io.BytesIO(body),
                "wsgi.errors": io.StringIO(),
                "wsgi.multithread": True,
                "wsgi.multiprocess": True,
                "wsgi.run_once": False,
            }
        )
    return made


def serve(app, batch):
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    for environ in batch:
        b"".join(app(environ, start_response))
    bad = [status for status in statuses if not status.startswith("200")]
    if bad:
        raise RuntimeError(f"the bot answered {bad[0]} during the profile")


def cpu_per_message(wsgi, messages):
    """CPU microseconds this process spends per message of ``messages`` fresh warm requests to ``wsgi``."""
    batch = environs(messages)
    started = time.process_time()
    serve(wsgi, batch)
    return (time.process_time() - started) / messages * 1e6


def run(data_dir, messages=MESSAGES, report=print):
    """Profile ``messages`` warm messages against the index in ``data_dir``; the figures as a dict."""
    from bench import echo_bot
    from bot import create_app, data, logs

    root = logging.getLogger()
    devnull = open(os.devnull, "w")  # noqa: SIM115  (closed below, after the app)
    handler = logging.StreamHandler(devnull)
    handler.setFormatter(logs.Formatter(logs.FORMAT))  # as bot.logs.configure sets it up under gunicorn
    saved = root.handlers[:], root.level
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    try:
        with RedisServer() as redis:
            app = create_app({**signed.ACCOUNT_ENV, "REDIS_URL": redis.url, "BULLETIN_DATA_DIR": str(data_dir)})
            try:
                wsgi = app.wsgi_app
                serve(wsgi, environs(200))  # warm-up: every question cached, in Redis and in the process
                cpu_us = cpu_per_message(wsgi, messages)
                profiled = environs(PROFILED)
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                serve(wsgi, profiled)
                profiler.disable()
            finally:
                data.close(app)
            saved_token = os.environ.get("WECHAT_TOKEN")
            os.environ["WECHAT_TOKEN"] = signed.TOKEN  # the echo bot reads its token from the environment
            echo = echo_bot.create_app().wsgi_app
            if saved_token is None:
                del os.environ["WECHAT_TOKEN"]
            else:
                os.environ["WECHAT_TOKEN"] = saved_token
            serve(echo, environs(200))
            echo_us = cpu_per_message(echo, messages)
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
        devnull.close()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())
    top = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:TOP]
    sends = sum(row[1] for (_, _, name), row in stats.stats.items() if name in SENDS)
    result = {
        "messages": messages,
        "profiled_messages": PROFILED,
        "cpu_us_per_message": cpu_us,
        "echo_cpu_us_per_message": echo_us,
        "round_trips_per_message": sends / PROFILED,
        "profiled_us_per_message": total / PROFILED * 1e6,
        "shares": shares(stats),
        "top": [
            {"function": where(*key), "own_share": row[2] / total, "calls_per_message": row[1] / PROFILED}
            for key, row in top
        ],
    }
    report(
        f"  warm profile: {cpu_us:.0f} µs CPU per message in process (echo bot {echo_us:.0f} µs), "
        f"{result['round_trips_per_message']:.1f} Redis round trips; "
        + ", ".join(f"{name} {share:.0%}" for name, share in result["shares"].items())
    )
    return result
