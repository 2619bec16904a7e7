"""How a meeting's changed fields read in a change notice, in the reader's language: one
line per field (`line`: 'Time changed: 09:30–12:30 → 10:00–12:30'), from the values the
pending notice recorded (`snapshot`)."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.model import Attendance, Event, text
from assistant.text import escape

from . import seats

if TYPE_CHECKING:
    from assistant.context import Context


def snapshot(event: Event, field: str) -> Any:
    """A field's value as JSON, to compare and describe later."""
    if field == "time":
        return [event.start.isoformat(), event.end.isoformat()]
    if field == "venue":
        return {"name": event.venue.name, "address": event.venue.address} if event.venue else None
    if field == "online":
        return ({"platform": event.online.platform, "url": event.online.url,
                 "private": event.online.private} if event.online else None)
    if field == "speakers":
        return [p.name for p in event.speakers]
    if field in ("title", "note"):
        return dict(getattr(event, field))
    return getattr(event, field)


def line(ctx: Context, event: Event, field: str, before: Any, after: Any,
         att: Attendance | None = None) -> str:
    """One change as a line, e.g. 'Time changed: 09:30–12:30 → 10:00–12:30'; what is kept
    after a meeting became invite-only depends on the reader's answer (`att`). A title or
    note is given as the reader reads it (`reading`)."""
    if field == "cancelled":
        return ctx._("The meeting is on again.")
    if field == "time":
        return ctx._("Time changed: {before} → {after}", before=span(ctx, event, before, after),
                     after=span(ctx, event, after, before))
    if field == "venue":
        return ctx._("Venue changed: {before} → {after}", before=place(ctx, before),
                     after=place(ctx, after))
    if field == "online":
        return online_line(ctx, event, before, after)
    if field == "invite_only":
        if after:
            return invite_only(ctx, att)
        return ctx._("The meeting is now open to everyone, not only to those invited.")
    if field == "note":
        return note_line(ctx, before, after)
    if field == "speakers":
        return ctx._("Speakers changed: {before} → {after}",
                     before=escape(", ".join(before) or "–"), after=escape(", ".join(after) or "–"))
    return ctx._("New title: {before} → {after}", before=escape(reading(before, ctx.lang)),
                 after=escape(reading(after, ctx.lang)))


def note_line(ctx: Context, before: dict[str, str], after: dict[str, str]) -> str:
    """The organisers' note, quoted as it reads now (people act on it: "We are in the Large
    Hall"), or that it was taken away."""
    old, new = reading(before, ctx.lang), reading(after, ctx.lang)
    if not new:
        return ctx._("The note “{note}” no longer applies.", note=escape(old))
    return ctx._("New note: “{note}”", note=escape(new))


def reading(value: dict[str, str], lang: str) -> str:
    """A title or note as a reader of this language reads it (their text, else the one it
    falls back to), its lines joined: one only wrapped anew reads the same."""
    return " ".join(text(value, lang).split())


def online_line(ctx: Context, event: Event, before: dict[str, Any] | None,
                after: dict[str, Any] | None) -> str:
    """The online change, e.g. 'New online link: https://…'. A private link is not in the
    message: someone coming online reads when it comes (in a moment, when their time for it
    has come: `private_link_due`; else with the last reminder), anyone else who gets it."""
    if after is None:
        return ctx._("Taking part online is no longer possible.")
    same = before is not None and before["platform"] == after["platform"]
    platform = escape(after["platform"])
    if not after["private"]:
        if same:
            return ctx._("New online link: {url}", url=escape(after["url"]))
        return ctx._("Now online via {platform}: {url}", platform=platform,
                     url=escape(after["url"]))
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id) if ctx.user else None
    if att is None or att.answer != "online" or att.waiting:
        if same:
            return ctx._("New online link: I send it to everyone coming online.")
        return ctx._("Now online via {platform}: I send the link to everyone coming online.",
                     platform=platform)
    if ctx.hooks.private_link_due(ctx, event, ctx.user.id):
        if same:
            return ctx._("New online link: you'll get it in a moment.")
        return ctx._("Now online via {platform}: you'll get the link in a moment.",
                     platform=platform)
    if same:
        return ctx._("New online link: you'll get it shortly before the meeting.")
    return ctx._("Now online via {platform}: you'll get the link shortly before the meeting.",
                 platform=platform)


def invite_only(ctx: Context, att: Attendance | None) -> str:
    """A meeting became invite-only: who had answered keeps what their answer holds (a place,
    a place on the waiting list, or only the answer, as a maybe)."""
    if att is not None and att.answer in seats.PLACES and att.waiting:
        return ctx._("The meeting is now by invitation only. You had already answered, so you "
                     "keep your answer and your place on the waiting list.")
    if att is not None and att.answer in seats.PLACES:
        return ctx._("The meeting is now by invitation only. You had already answered, so you "
                     "keep your answer and your place.")
    return ctx._("The meeting is now by invitation only. You had already answered, so you keep "
                 "your answer and can still change it.")


def span(ctx: Context, event: Event, value: list[str], other: list[str]) -> str:
    """A start and end: just the times when the date stays, else date and times; the zone of
    a meeting joined online is named once, by the notice's first line (`changed.describe`)."""
    fmt = ctx.fmt_event(event)
    start, end = (datetime.fromisoformat(v) for v in value)
    other_start = datetime.fromisoformat(other[0])
    if fmt.date(start) == fmt.date(other_start) and fmt.date(start) == fmt.date(end):
        return f"{fmt.time(start)}–{fmt.time(end)}"
    return fmt.range(start, end)


def days_at(event: Event, value: list[str]) -> list[str]:
    """The days the meeting had at a recorded start and end."""
    start, end = (datetime.fromisoformat(v) for v in value)
    return seats.event_days(replace(event, start=start.astimezone(event.timezone),
                                    end=end.astimezone(event.timezone)))


def place(ctx: Context, venue: dict[str, str] | None) -> str:
    """A venue as name and address."""
    if venue is None:
        return ctx._("no venue (online only)")
    return escape(", ".join(v for v in (venue["name"], venue["address"]) if v))
