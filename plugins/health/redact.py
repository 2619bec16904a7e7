"""Keep the answers out of debug logs.

With `mingel -v`, python-telegram-bot logs whole updates and API calls, including the
pressed button's callback data and the keyboard of the message it was on. The Yes/No
buttons carry `health:q:<meeting>:<question>:<yes|no>`, so this filter blanks the last
part wherever such data appears in those loggers' records.
"""
from __future__ import annotations

import logging
import re

LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Application",
           "telegram.ext.Updater", "telegram.ext")
_ANSWER = re.compile(r"(health:q:[a-z0-9-]*:-?\d+:)(?:yes|no)\b")


class RedactAnswers(logging.Filter):
    """Rewrite `health:q:…:yes` / `…:no` to `health:q:…:*` in a record; never drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place."""
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: logging reports it itself
            return True
        clean = _ANSWER.sub(r"\1*", message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install() -> None:
    """Add the filter to python-telegram-bot's loggers, once."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactAnswers) for f in logger.filters):
            logger.addFilter(RedactAnswers())
