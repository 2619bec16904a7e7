"""Logging set-up: quiet HTTP libraries, and a filter that keeps the bot token out of every line."""
from __future__ import annotations

import logging
import re
import sys

_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")


class RedactToken(logging.Filter):
    """Replace the bot token (and anything shaped like one) in log records."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message in place; never drop a record."""
        message = record.getMessage()
        clean = _TOKEN.sub("<token>", message)
        if self.token:
            clean = clean.replace(self.token, "<token>")
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = _TOKEN.sub("<token>", text.replace(self.token or "\0", "<token>"))
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
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _StderrHandler)] + [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
