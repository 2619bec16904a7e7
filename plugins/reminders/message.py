"""The reminder itself: what, when, where or how to join, and what other plugins add."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from assistant.context import Context
from assistant.model import Attendance, Event, text
from assistant.spans import reminded
from assistant.text import escape

from . import prefs, schedule
from .schedule import Due

CLOSE_ENOUGH = timedelta(minutes=10)


def starts_in(ctx: Context, event: Event, lead: timedelta, now: datetime) -> str:
    """'1 day' when on time; the real time left ('20 minutes', '5 hours') when late."""
    if timedelta(0) <= now - event.ahead(lead) < CLOSE_ENOUGH:
        return prefs.duration(ctx, lead)
    left = event.start_utc - now
    if left >= timedelta(days=2):
        left = timedelta(days=round(left / timedelta(days=1)))
    elif left >= timedelta(hours=2):
        left = timedelta(hours=round(left / timedelta(hours=1)))
    return prefs.duration(ctx, left)


def where(ctx: Context, event: Event, answer: str, last: bool) -> list[str]:
    """The venue for people coming in person, the join link for people coming online
    (a private link only with the last reminder); Maybe, who may come either way, gets both
    (of a private link only how to get it)."""
    lines = []
    venue = event.venue
    if venue is not None and answer in ("in_person", "maybe"):
        place = ", ".join(p for p in (venue.name, venue.address) if p)
        lines.append("📍 " + escape(place))
    online = event.online
    if online is not None and answer in ("online", "maybe"):
        if not online.private or (last and answer == "online"):
            link = f'<a href="{escape(online.url)}">{escape(online.platform or online.url)}</a>'
            lines.append("💻 " + ctx._("Join online: {link}", link=link))
        elif answer == "online":
            lines.append("💻 " + escape(ctx._("The link to join online comes with the last "
                                              "reminder.")))
        else:
            lines.append("💻 " + escape(ctx._("To get the link to join online, answer "
                                              "Coming online.")))
    return lines


def day_lines(ctx: Context, meeting: Event, item: Due) -> list[str]:
    """The time of the day the reminder is for, with its hours, and the person's days after
    it at a gathering (`spans.reminded`): "fredag 15 oktober 2027 kl. 18:00–02:00", then
    "Your later days: Sun 17 Oct", not the span from their first day to their last."""
    event = item.event
    shown, later = reminded(meeting, event, item.attendance)
    fmt = ctx.fmt_event(event)
    lines = ["🕘 " + escape(fmt.range(shown.start, shown.end, zone=event.online is not None))]
    if later:
        days = ", ".join(day_name(ctx, meeting, day, item.attendance) for day in later)
        lines.append("📅 " + ctx.ngettext("Your later day: {days}", "Your later days: {days}",
                                          len(later), days=escape(days)))
    return lines


def day_name(ctx: Context, meeting: Event, day: date, attendance: Attendance) -> str:
    """A later day, short ("Sun 17 Oct"), with how the person takes part that day when they
    come both ways ("Sun 17 Oct (online)")."""
    name = ctx.fmt_event(meeting).date(day, "EEE d MMM")
    if not attendance.online_days:
        return name
    if attendance.way(day.isoformat()) == "online":
        return ctx._("{day} (online)", day=name)
    return ctx._("{day} (in person)", day=name)


def note(ctx: Context, event: Event) -> list[str]:
    """The organisers' note ("We are in the Large Hall, 3rd floor"), in italics as on the
    card: a reminder is what people read on their way there."""
    lines = [line for line in text(event.note, ctx.lang).splitlines() if line.strip()]
    return ["", *(f"<i>{escape(line)}</i>" for line in lines)] if lines else []


def build(ctx: Context, item: Due, now: datetime) -> None:
    """Write the reminder into `ctx` (the recipient's context, their language)."""
    event, answer = item.event, item.attendance.answer
    programme = ctx.programme
    meeting = (programme.event(event.id) if programme is not None else None) or event
    later = meeting.start != event.start  # a gathering's later day, the first this person chose
    title = escape(text(event.title, ctx.lang))
    when = escape(starts_in(ctx, event, item.lead, now))
    if item.online_day:
        head = ctx._("⏰ Reminder: your day online at <b>{title}</b> starts in {when}.",
                     title=title, when=when)
    elif item.way and item.attendance.online_days:  # not online the day before, as always
        head = ctx._("⏰ Reminder: your day in person at <b>{title}</b> starts in {when}.",
                     title=title, when=when)
    elif item.link:
        head = link_head(ctx, item, now, title, when, later)
    else:  # in person after a day skipped, of one way every day: "your day"
        head = reminder_head(ctx, item, title, when, later or bool(item.way))
    # the way of the days it is of: someone online on Tuesday and in person on Wednesday
    # reads of the link before Tuesday, of the venue before Wednesday
    way = "online" if item.link else item.way or schedule.way_on(event, item.attendance)
    lines = [head, "", *day_lines(ctx, meeting, item), *where(ctx, event, way, item.last)]
    if not item.way and way == "in_person" and schedule.online_place(item.attendance):
        lines += where(ctx, event, "online", item.last)  # their days online: the link too
    if item.link:
        ctx.reply("\n".join(lines))
        return
    lines += note(ctx, event)
    if way == "online" and answer == "in_person":  # what others add is of days in person
        ctx.reply("\n".join(lines), [[ctx.button(ctx._("Reminder settings"), "menu")]])
        return
    # Other plugins see the meeting itself, not the days this person comes to: each works out
    # this person's days itself (health: from their own first day in person).
    extra = ctx.hooks.reminder_details(ctx, meeting, item.last)
    if extra:
        lines += ["", *extra]
    buttons = [[button] for button in ctx.hooks.reminder_buttons(ctx, meeting, item.last)]
    buttons.append([ctx.button(ctx._("Reminder settings"), "menu")])
    ctx.reply("\n".join(lines), buttons)


def link_head(ctx: Context, item: Due, now: datetime, title: str, when: str, later: bool) -> str:
    """The first line of a private join link sent alone: new or first, before or after the
    start; at a gathering's later day (the first this person chose) of their day, since the
    gathering itself may have begun the day before."""
    begun = now >= item.event.start_utc
    if item.new and later and begun:
        return ctx._("The link to join <b>{title}</b> online has changed. Here is the new one, "
                     "which replaces the one I sent you before. Your day there has already "
                     "begun.", title=title)
    if item.new and later:
        return ctx._("The link to join <b>{title}</b> online has changed. Here is the new one, "
                     "which replaces the one I sent you before. Your day there starts in "
                     "{when}.", title=title, when=when)
    if item.new and begun:
        return ctx._("The link to join <b>{title}</b> online has changed. Here is the new one, "
                     "which replaces the one I sent you before. It has already begun.",
                     title=title)
    if item.new:
        return ctx._("The link to join <b>{title}</b> online has changed. Here is the new one, "
                     "which replaces the one I sent you before. It starts in {when}.",
                     title=title, when=when)
    if later and begun:
        return ctx._("Here is the link to join <b>{title}</b> online. Your day there has "
                     "already begun.", title=title)
    if later:
        return ctx._("Here is the link to join <b>{title}</b> online. Your day there starts in "
                     "{when}.", title=title, when=when)
    if begun:
        return ctx._("Here is the link to join <b>{title}</b> online. It has already begun.",
                     title=title)
    return ctx._("Here is the link to join <b>{title}</b> online. It starts in {when}.",
                 title=title, when=when)


def reminder_head(ctx: Context, item: Due, title: str, when: str, later: bool) -> str:
    """The first line of a reminder: Maybe gently, a changed link said, and at a gathering's
    later day (the first this person chose) of their day."""
    answer = item.attendance.answer
    if item.new and later:
        return ctx._("⏰ Reminder: your day at <b>{title}</b> starts in {when}. The link to join "
                     "online has changed: here is the new one, which replaces the one I sent "
                     "you before.", title=title, when=when)
    if item.new:
        return ctx._("⏰ Reminder: <b>{title}</b> starts in {when}. The link to join online has "
                     "changed: here is the new one, which replaces the one I sent you before.",
                     title=title, when=when)
    if answer == "maybe" and later:
        return ctx._("You said you might come to <b>{title}</b>. Your day there starts in "
                     "{when}.", title=title, when=when)
    if answer == "maybe":
        return ctx._("You said you might come to <b>{title}</b>. It starts in {when}.",
                     title=title, when=when)
    if later:
        return ctx._("⏰ Reminder: your day at <b>{title}</b> starts in {when}.", title=title,
                     when=when)
    return ctx._("⏰ Reminder: <b>{title}</b> starts in {when}.", title=title, when=when)
