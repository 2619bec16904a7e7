"""A day where a command expects a meeting id (`/osa 2 sep`, `/event onsdag`): the command's
own picker of that day's meetings, instead of "no meeting with the id 2".

The day is read by whichever plugin reads days (the `named_day` hook: the programme plugin,
as for `/programme DAY`); a command's picker keeps that day's meetings (`on`), carries the
day in its paging buttons (`more`, `paged`) and names it above its question (`heading`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .text import escape, whole_number

if TYPE_CHECKING:
    from .context import Context
    from .model import Event


def asked(ctx: Context) -> date | None:
    """The day the command's words name instead of a meeting id (all of them, "2 sep");
    None when they are anything else."""
    return ctx.hooks.named_day(ctx, ctx.text) if ctx.text.strip() else None


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
