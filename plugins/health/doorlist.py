"""The organisers' door list: who comes in person, and whether each declared — never how."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assistant import pickday
from assistant.model import text
from assistant.text import bold, escape

from .records import FINE, STAY_HOME, outcome

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Attendance, Event


async def show_doorlist(ctx: Context) -> None:
    """/doorlist ID: the list; /doorlist DAY (`/dörrlista 2 sep`): choose among that day's
    meetings; /doorlist alone: choose the meeting."""
    if not ctx.args:
        choose_meeting(ctx)
    elif ctx.event(ctx.args[0]) is not None \
            or not ((day := pickday.asked(ctx)) and choose_meeting(ctx, day=day)):
        door_list(ctx, ctx.args[0])


async def doorlist_pressed(ctx: Context) -> None:
    """A meeting chosen from the /doorlist menu."""
    door_list(ctx, ctx.args[0] if ctx.args else "")


def choose_meeting(ctx: Context, offset: int = 0, day: date | None = None) -> bool:
    """Upcoming meetings at a venue, as buttons (the shared picker, a page at a time, another
    replacing it in place); cancelled ones stay, marked ❌ as in every organiser's picker
    (their door list says so too). With a day, that day's, and False when it has none."""
    events = ctx.upcoming(pickday.on(day, lambda e: e.venue is not None), cancelled=True,
                          offset=offset)
    if not events:
        if day is None:
            ctx.reply(ctx._("There are no upcoming meetings at a venue."))
        return False
    ctx.edit(pickday.heading(ctx, day, ctx._("Which meeting's door list?")),
             ctx.meeting_buttons(events, "door", more=pickday.more("pickdoor", day),
                                 offset=offset))
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under /doorlist's picker (of a day's meetings, or all)."""
    day, offset = pickday.paged(ctx.args)
    if not choose_meeting(ctx, offset, day) and day is not None:
        choose_meeting(ctx)  # the day's meetings are over meanwhile


def status(ctx: Context, event: Event, user_id: int) -> str:
    """Done, not done or stay at home; nothing about the answers."""
    state = outcome(ctx, event.id, user_id)
    if state == FINE:
        return ctx._("✅ declaration done")
    if state == STAY_HOME:
        return ctx._("🏠 asked to stay at home")
    return ctx._("⚠️ declaration not done")


def door_list(ctx: Context, event_id: str) -> None:
    """Everyone with an in-person seat, by name, with their declaration status; a gathering's
    list day by day (the days each person chose), an online meeting's a line saying so."""
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(ctx.unknown_meeting(event_id))
        return
    ctx.audit("doorlist", event.id, event=event.id)
    title = ctx._("Door list")
    when = ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None)
    lines = [f"<b>{escape(title)}</b> – {escape(text(event.title, ctx.lang))}", escape(when)]
    if event.cancelled:
        lines.insert(0, "❌ " + bold(ctx._("Cancelled: this meeting will not take place.")))
    if event.venue is None:
        lines.append(ctx._("This meeting is online only, so it has no door list."))
        ctx.reply("\n".join(lines))
        return
    people = [a for a in ctx.hooks.attendees(ctx, event) if a.in_person]
    names = {a.user_id: a.name or ctx.assistant.users.get(a.user_id).full_name for a in people}
    people.sort(key=lambda a: names[a.user_id].casefold())
    declared = event.health_declaration and not event.cancelled
    if not event.cancelled and not event.health_declaration:
        lines.append(ctx._("This meeting has no health declaration."))
    elif declared and event.health_required:
        lines.append(ctx._("A health declaration is required to come in person."))
    lines += ["", ctx.ngettext("{n} person coming in person", "{n} people coming in person",
                               len(people))]
    if len(people) > 1:  # by name, to find someone at the door (/attendees: as they answered)
        lines.append(ctx._("Listed by name, A to Z."))
    if declared:
        states = [outcome(ctx, event.id, a.user_id) for a in people]
        lines.append(ctx._("Declaration done: {done} · not done: {missing} · "
                           "stay at home: {home}", done=states.count(FINE),
                           missing=states.count(None), home=states.count(STAY_HOME)))
    if not event.is_multi_day or not people:
        lines += ["", *entries(ctx, event, people, names, declared)]
        ctx.reply("\n".join(lines))
        return
    for day in event.days():
        coming = [a for a in people if day.isoformat() in days_of(event, a)]
        heading = ctx.fmt_event(event).date(day, "EEEE d MMMM")
        count = ctx.ngettext("{n} person", "{n} people", len(coming))
        lines += ["", f"<b>{escape(heading[:1].upper() + heading[1:])}</b> – {escape(count)}",
                  *entries(ctx, event, coming, names, declared)]
    ctx.reply("\n".join(lines))


def days_of(event: Event, attendance: Attendance) -> list[str]:
    """The ISO days a person comes on in person: those they chose that the meeting still has,
    else every day (as the seats count them), less the days they follow online."""
    every = [d.isoformat() for d in event.days()]
    chosen = [d for d in every if d in attendance.days] or every
    return [d for d in chosen if d not in attendance.online_days]


def entries(ctx: Context, event: Event, people: list[Attendance], names: dict[int, str],
            declared: bool) -> list[str]:
    """The numbered names, each with the declaration status where the meeting asks for one."""
    lines = []
    for n, a in enumerate(people, 1):
        entry = f"{n}. {escape(names[a.user_id])}"
        if declared:
            entry += f" – {escape(status(ctx, event, a.user_id))}"
        lines.append(entry)
    return lines
