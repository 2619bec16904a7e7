"""Logging set-up: quiet HTTP libraries, and a filter that keeps the bot token out of every line."""
from __future__ import annotations

import logging
import re
import sys

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


def redact(text: str, token: str | None) -> str:
    """The text with the bot token (and anything shaped like one) replaced by <token>."""
    clean = _TOKEN.sub("<token>", text)
    return clean.replace(token, "<token>") if token else clean


class RedactToken(logging.Filter):
    """Replace the bot token (and anything shaped like one) in log records."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message in place; never drop a record."""
        message = record.getMessage()
        if (clean := redact(message, self.token)) != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text, self.token)
        return True


TOLD = "told"
"""The attribute of a log record (`ctx.log.warning(..., extra={TOLD: user_ids})`) naming the
people a warning was also sent to as a message: the terminal chat of one of them shows it
once, as the message (`ToldInChat`)."""


class ToldInChat(logging.Filter):
    """Leave out the warnings the user at the terminal is sent as a message too: the chat
    shows the message, and the same warning as a log line above it said it twice."""

    def __init__(self, user_id: int) -> None:
        super().__init__()
        self.user_id = user_id

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop a record whose `TOLD` people include the user at the terminal."""
        return self.user_id not in getattr(record, TOLD, ())


class ShortBootstrap(logging.Filter):
    """PTB's failed start-up (a refused token, the Bot API out of reach) without its
    traceback: the CLI says what happened and what to do right after it (`-v` keeps it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop the traceback of PTB's bootstrap errors; never drop a record."""
        if record.name.startswith("telegram.ext") and "(Bootstrap " in record.getMessage():
            record.exc_info, record.exc_text = None, None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time, so a swapped stream is never stale."""

    def emit(self, record: logging.LogRecord) -> None:
        """Follow sys.stderr, then write as usual."""
        self.stream = sys.stderr
        super().emit(record)


def setup_logging(token: str | None, level: int = logging.INFO) -> None:
    """Configure the root logger for the CLI (again replacing only our own handler)."""
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(token))
    if level > logging.DEBUG:
        handler.addFilter(ShortBootstrap())
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _StderrHandler)] + [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
