"""How the bot logs: one line per event on standard error, ``time level logger message``.

The webhook writes a line for every message (operators follow outcomes and timings in it), so that line must be
cheap: the timestamp's date and time are formatted once a second rather than once a line, and the records leave out
the thread names nothing prints. The format itself is unchanged.
"""

import logging
import time

FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class Formatter(logging.Formatter):
    """``logging.Formatter`` with the default timestamp (``2026-05-12 08:30:00,123``) made once per second."""

    _second: tuple[int, str] = (-1, "")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        if datefmt or not self.default_msec_format:
            return super().formatTime(record, datefmt)
        second, text = self._second
        if int(record.created) != second:
            second = int(record.created)
            text = time.strftime(self.default_time_format, self.converter(record.created))
            self._second = (second, text)  # one assignment: threads never see half of it
        return self.default_msec_format % (text, record.msecs)


def configure() -> None:
    """INFO and above to standard error in ``FORMAT``, unless logging was configured before (by a test, a server).

    Records keep their process id: gunicorn's own log lines print it (``[%(process)d]``)."""
    logging.logThreads = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler()
    handler.setFormatter(Formatter(FORMAT))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
