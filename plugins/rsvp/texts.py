"""How answers, places and days read in the user's language (shared by cards, lists, notices)."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assistant import N_, spans
from assistant.model import Attendance, Event, text
from assistant.text import escape

from . import seats, tallies

if TYPE_CHECKING:
    from assistant.context import Context

LABELS: dict[str, str] = {
    "in_person": N_("Coming in person"),
    "online": N_("Coming online"),
    "maybe": N_("Maybe"),
    "no": N_("Can't come"),
}


def label(ctx: Context, answer: str) -> str:
    """An answer as its button reads."""
    return ctx._(LABELS[answer])


def plain_title(ctx: Context, event: Event) -> str:
    """The meeting's title in the user's language, for button labels."""
    return text(event.title, ctx.lang)


def title(ctx: Context, event: Event) -> str:
    """The meeting's title in the user's language, escaped for a message."""
    return escape(plain_title(ctx, event))


def when(ctx: Context, event: Event, bracketed: bool = False) -> str:
    """The meeting's date and time in the user's language, naming the zone of a meeting that
    can be joined online as its card does (its reader may live elsewhere); `bracketed` in a
    sentence's own brackets: '(Thursday, 2 September 2027, 09:30–12:30, Sweden Time)'."""
    return ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None,
                                      bracketed=bracketed)


def starts(ctx: Context, event: Event, att: Attendance | None = None) -> str:
    """When the meeting starts next for this person, short, for /my: 'tors 2 sep. 09:30';
    at a gathering the first day they chose that is not over yet (on the evening of day one,
    day two; at a gathering of evenings, once day one's night is over), at its daily start time when it keeps daily hours; whole days without the
    midnight they are stored with ('ons 10 nov.')."""
    fmt = ctx.fmt_event(event)
    every = seats.event_days(event) if event.is_multi_day else []
    chosen = [d for d in every if att is None or not att.days or d in att.days] or every
    daily = event.daily_hours
    first = chosen[0] if chosen else None
    if chosen and (daily or event.all_day):
        first = next((d for d in chosen if spans.day(event, date.fromisoformat(d))[1] > ctx.now),
                     first)
    if first is None or first == every[0]:
        day = fmt.weekday_date(event.start)
        return day if event.all_day else f"{day} {fmt.time(event.start)}"
    day = fmt.date(date.fromisoformat(first), "EEE d MMM")
    return f"{day} {fmt.time(event.start)}" if daily else day


def day(ctx: Context, event: Event, iso: str) -> str:
    """One day of a gathering, short ('Wed 10 Nov')."""
    return ctx.fmt_event(event).date(date.fromisoformat(iso), "EEE d MMM")


def days(ctx: Context, event: Event, att: Attendance) -> str:
    """The days an answer covers, short: 'Fri 27 Nov, Sat 28 Nov'."""
    return ", ".join(day(ctx, event, d) for d in att.days or seats.event_days(event))


def status(ctx: Context, att: Attendance) -> str:
    """The answer with its waiting-list place, e.g. 'Coming in person – waiting list, place 2';
    at a hybrid gathering followed online on some days, each way with its days: 'Coming in
    person (Sat 28 Nov), Coming online (Sun 29 Nov)'."""
    programme = ctx.programme
    event = programme.event(att.event_id) if programme and att.online_days else None
    if event is None:
        return _placed(ctx, att.answer, att.waiting, att.position)
    every = seats.event_days(event)
    chosen = [d for d in every if not att.days or d in att.days]
    return ", ".join(
        ctx._("{answer} ({days})", answer=_placed(ctx, way, waits, n),
              days=", ".join(day(ctx, event, d) for d in chosen if (d in att.online_days) == online))
        for way, waits, n, online in (("in_person", att.waiting, att.position, False),
                                      ("online", att.online_waiting, att.online_position, True)))


def _placed(ctx: Context, answer: str, waiting: bool, position: int | None) -> str:
    """One answer, with its waiting-list place when it waits."""
    if waiting:
        return ctx._("{answer} – waiting list, place {n}", answer=label(ctx, answer), n=position)
    return label(ctx, answer)


def hybrid_days(event: Event, att: Attendance | None) -> bool:
    """Whether the person can choose, day by day, to come in person or follow online: a
    hybrid gathering they answered with a place of either kind."""
    return att is not None and att.answer in seats.PLACES and event.is_multi_day \
        and set(seats.PLACES) <= set(seats.allowed(event))


def places(ctx: Context, event: Event, answer: str) -> str | None:
    """'12 of 40 seats left' (per day for a gathering, when the days differ), or None without
    a limit; full seats at a meeting also followed online say they are the in-person ones
    (next to 'Coming online', 'fully booked' read as if the online place were in doubt)."""
    left = tallies.places_left(seats.answers(ctx), event, answer)
    cap = seats.limit(event, answer)
    if left is None or cap is None:
        return None
    per_day = len(set(left.values())) > 1
    parts = []
    for iso, n in left.items() if per_day else list(left.items())[:1]:
        if n == 0:
            if answer != "in_person":
                part = ctx._("no online places left")
            elif "online" in seats.allowed(event):
                part = ctx._("no in-person seats left")
            else:
                part = ctx._("fully booked")
        elif answer == "in_person":
            part = ctx.ngettext("{left} of {n} seat left", "{left} of {n} seats left", cap,
                                left=n)
        else:
            part = ctx.ngettext("{left} of {n} online place left",
                                "{left} of {n} online places left", cap, left=n)
        parts.append(f"{day(ctx, event, iso)}: {part}" if per_day else part)
    return ", ".join(parts)
