"""A day where a command expects a meeting id (`/osa 2 sep`, `/event onsdag`): the command's
own picker of that day's meetings, instead of "no meeting with the id 2".

The day is read by whichever plugin reads days (the `named_day` hook: the programme plugin,
as for `/programme DAY`); a command's picker keeps that day's meetings (`on`), carries the
day in its paging buttons (`more`, `paged`) and names it above its question (`heading`).
A date that does not exist ("31/2", "30 februari") is answered as such (`no_such_day`), not
as an unknown id.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import N_
from .i18n import fill, locale_of
from .text import escape, whole_number

if TYPE_CHECKING:
    from .context import Context
    from .model import Event


NO_SUCH_DAY = N_("There is no {day}.")
"""The answer to a date that does not exist, where a meeting id or a day was expected."""


@dataclass(frozen=True)
class NoSuchDay:
    """What the `named_day` hook returns for words that name a date that does not exist
    ("31/2", "30 februari", "29/2/2027"): its day, month and the year if one was written."""

    day: int
    month: int
    year: int | None = None


def asked(ctx: Context) -> date | None:
    """The day the command's words name instead of a meeting id (all of them, "2 sep");
    None when they are anything else (a date that does not exist too: `no_such_day`)."""
    found = ctx.hooks.named_day(ctx, ctx.text) if ctx.text.strip() else None
    return found if isinstance(found, date) else None


def no_such_day(ctx: Context, found: NoSuchDay | None = None) -> str | None:
    """"There is no 31 February." when the command's words (or `found`, read already) name
    a date that does not exist, with the month as the user's language names it; else None.
    HTML."""
    if found is None:
        named = ctx.hooks.named_day(ctx, ctx.text) if ctx.text.strip() else None
        if not isinstance(named, NoSuchDay):
            return None
        found = named
    locale = locale_of(ctx.lang)
    pattern = (locale.date_formats["long"] if found.year else
               locale.datetime_skeletons["MMMMd"]).pattern  # 'd MMMM y', 'd MMMM'
    names = {"d": str(found.day), "M": locale.months["format"]["wide"][found.month],
             "y": str(found.year)}
    written = re.sub(r"([dMy])\1*|'([^']*)'",
                     lambda m: names[m[1]] if m[1] else m[2], pattern)
    text = ctx.assistant.catalogues.text("assistant", ctx.lang, NO_SUCH_DAY)
    return fill(text, {"day": escape(written)})


def on(day: date | None, keep: Callable[[Event], bool] | None = None
       ) -> Callable[[Event], bool] | None:
    """For `ctx.upcoming(keep=…)`: the meetings held on `day` where they are (a gathering
    on each of its days) that the picker's own `keep` accepts (`/health`: those with a
    declaration); `keep` (None: all meetings) without a day."""
    if day is None:
        return keep
    return lambda event: event.start.date() <= day <= max(
        event.start, event.end - timedelta(microseconds=1)).date() and (
            keep is None or keep(event))


def more(action: str, day: date | None, *args: object) -> tuple[object, ...]:
    """A picker's `more` for `ctx.meeting_buttons`: its paging action and its own `args`,
    then the day's key; `paged` reads the day and offset back from after `args`."""
    return (action, *args, f"{day:%Y%m%d}") if day else (action, *args)


def paged(args: Sequence[str]) -> tuple[date | None, int]:
    """The day and the offset a picker's paging button carries: [OFFSET] or
    [YYYYMMDD, OFFSET] (`more`; its action's own arguments left out before the call); a
    malformed one is the first page of all meetings."""
    offset = (whole_number(args[-1], digits=6) or 0) if args else 0
    key = args[0] if len(args) > 1 else ""
    try:
        return (date(int(key[:4]), int(key[4:6]), int(key[6:])) if len(key) == 8
                and whole_number(key, digits=8) is not None else None), offset
    except ValueError:
        return None, offset


def heading(ctx: Context, day: date | None, question: str) -> str:
    """A picker's question, under the day it keeps ("Torsdag 2 september 2027"). HTML in,
    HTML out."""
    if day is None:
        return question
    written = ctx.fmt().date(day)
    return f"<b>{escape(written[:1].upper() + written[1:])}</b>\n{question}"
