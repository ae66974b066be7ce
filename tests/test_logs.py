"""The log line format, made cheaply: the same text as logging's own formatter."""

import logging

from bot import logs


def test_lines_read_as_loggings_own_formatter_writes_them():
    ours, stock = logs.Formatter(logs.FORMAT), logging.Formatter(logs.FORMAT)
    for created in (1_700_000_000.001, 1_700_000_000.5, 1_700_000_000.999, 1_700_000_001.25, 1_700_003_600.0):
        record = logging.LogRecord("bot.wechat", logging.INFO, __file__, 1, "message outcome=%s", ("answered",), None)
        record.created, record.msecs = created, (created - int(created)) * 1000
        assert ours.format(record) == stock.format(record)


def test_gunicorns_own_lines_still_format_once_configured(monkeypatch):
    """gunicorn's log lines print the process id: configuring the bot's logging must leave it in every record."""
    monkeypatch.setattr(logging, "logThreads", logging.logThreads)
    monkeypatch.setattr(logging, "logProcesses", logging.logProcesses)
    monkeypatch.setattr(logging, "logMultiprocessing", logging.logMultiprocessing)
    logs.configure()
    record = logging.getLogger("gunicorn.error").makeRecord(
        "gunicorn.error", logging.INFO, __file__, 1, "Starting gunicorn %s", ("23.0",), None
    )
    assert "[" in logging.Formatter("%(asctime)s [%(process)d] [%(levelname)s] %(message)s").format(record)
