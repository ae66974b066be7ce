"""The log line format, made cheaply: the same text as logging's own formatter."""

import logging

from bot import logs


def test_lines_read_as_loggings_own_formatter_writes_them():
    ours, stock = logs.Formatter(logs.FORMAT), logging.Formatter(logs.FORMAT)
    for created in (1_700_000_000.001, 1_700_000_000.5, 1_700_000_000.999, 1_700_000_001.25, 1_700_003_600.0):
        record = logging.LogRecord("bot.wechat", logging.INFO, __file__, 1, "message outcome=%s", ("answered",), None)
        record.created, record.msecs = created, (created - int(created)) * 1000
        assert ours.format(record) == stock.format(record)
