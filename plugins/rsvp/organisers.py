"""Who is coming, for organisers: /attendees in chat and `mingel export attendees ID`."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import TYPE_CHECKING

from assistant import pickday
from assistant.model import Attendance, Event
from assistant.sheets import cell, csv_bytes
from assistant.text import bold, escape
from assistant.types import Document

from . import seats, texts

if TYPE_CHECKING:
    from assistant.context import Context

RECENT = timedelta(days=14)
"""How long after a meeting its attendee list is still offered without typing its id."""


def everyone(ctx: Context, event: Event) -> list[Attendance]:
    """Every answer to a meeting, earliest first, with names and waiting-list places."""
    docs = seats.ordered(seats.answers(ctx), event.id)
    users = ctx.assistant.users
    waiting: Counter[str] = Counter()
    found = []
    for doc in docs:
        waiting.update(kind for kind in seats.PLACES if seats.waits_for(doc, kind))
        found.append(seats.attendance(doc, docs, users.get(doc["user"]).full_name,
                                      waiting[doc["answer"]] if doc.get("waiting") else None))
    return found


def group(att: Attendance) -> str:
    """Which list an answer belongs to on the organisers' overview."""
    return "waiting" if att.waiting else att.answer


def heading(ctx: Context, name: str, n: int) -> str:
    """A list's heading with its count."""
    names = {"in_person": ctx._("In person"), "online": ctx._("Online"), "maybe": ctx._("Maybe"),
             "waiting": ctx._("Waiting list"), "no": ctx._("Can't come")}
    return f"{names[name]}: {n}"


def person(ctx: Context, event: Event, att: Attendance) -> str:
    """One attendee line: name, @username, days chosen, waiting place (all escaped)."""
    user = ctx.assistant.users.get(att.user_id)
    line = escape(att.name) + (f" (@{escape(user.username)})" if user.username else "")
    if att.online_days and event.is_multi_day:  # each day the way they come
        line += " – " + escape(texts.status(ctx, att))
    elif att.days and event.is_multi_day:
        line += " – " + ", ".join(texts.day(ctx, event, d) for d in att.days)
    if att.waiting and att.online_days:
        line = f"{att.position}. {line}"
    elif att.waiting:
        line = f"{att.position}. {line} – {texts.label(ctx, att.answer)}"
    return line


def per_day(ctx: Context, event: Event, people: list[Attendance]) -> list[str]:
    """A gathering's places held each day ('Fri 15 Oct – In person: 2 · Online: 1'): the
    counts above are of people, and someone who comes on one day only counts once there, so
    the organisers could not tell how many to expect on each day."""
    kinds = [kind for kind in ("in_person", "online") if kind in seats.allowed(event)]
    lines = []
    for iso in seats.event_days(event):
        held = Counter(a.way(iso) for a in people if a.answer in kinds and a.holds(iso)
                       and (not a.days or iso in a.days))
        lines.append(f"{texts.day(ctx, event, iso)} – " +
                     " · ".join(heading(ctx, kind, held[kind]) for kind in kinds))
    return lines


def pick(ctx: Context, offset: int = 0, day: date | None = None) -> bool:
    """/attendees alone: the meetings of the last two weeks and the coming ones, a page at a
    time (another replaces it in place); /attendees DAY (`/deltagare 2 sep`) that day's of
    those, and False when it has none."""
    events = ctx.upcoming(pickday.on(day), cancelled=True, since=RECENT, offset=offset)
    if not events:
        if day is None:
            ctx.reply(ctx._("Send /attendees and the id of a meeting in the programme."))
        return False
    ctx.edit(pickday.heading(ctx, day, ctx._(
        "Which meeting would you like the attendee list for? Here are the meetings of the "
        "last two weeks and the coming ones.") if day is None else ctx._(
        "Which meeting would you like the attendee list for?")),
             ctx.meeting_buttons(events, "attendees", more=pickday.more("pickatt", day),
                                 offset=offset))
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under /attendees' picker (of a day's meetings, or all)."""
    day, offset = pickday.paged(ctx.args)
    if not pick(ctx, offset, day) and day is not None:
        pick(ctx)  # the day is more than two weeks ago meanwhile


async def attendees(ctx: Context) -> None:
    """/attendees ID: counts and names per answer, and the same as a CSV file."""
    if not ctx.args:
        pick(ctx)
        return
    event = ctx.event(ctx.args[0])
    if event is None:
        if not ((day := pickday.asked(ctx)) and pick(ctx, day=day)):
            ctx.reply(ctx.unknown_meeting(ctx.args[0]))
        return
    people = everyone(ctx, event)
    order = ("in_person", "online", "maybe", "waiting", "no")
    groups = {name: [a for a in people if group(a) == name] for name in order}
    lines = [bold(ctx._("Attendees: {title}", title=texts.plain_title(ctx, event))),
             texts.when(ctx, event),
             " · ".join(heading(ctx, name, len(groups[name])) for name in order)]
    if event.is_multi_day:
        lines += per_day(ctx, event, people)
    if any(len(listed) > 1 for listed in groups.values()):  # /doorlist is by name instead
        lines.append(ctx._("Each list in the order people answered."))
    if event.cancelled:
        lines.insert(0, "❌ " + bold(ctx._("Cancelled: this meeting will not take place.")))
    for name in order:
        if groups[name]:
            lines += ["", f"<b>{heading(ctx, name, len(groups[name]))}</b>"]
            lines += [person(ctx, event, a) for a in groups[name]]
    ctx.reply("\n".join(lines))
    ctx.reply(document=attendees_csv(ctx, event, people))
    ctx.audit("attendees", event.id, event=event.id)


def export_attendees(ctx: Context, event_id: str) -> Document:
    """The export behind `mingel export attendees ID`."""
    programme = ctx.programme
    event = programme.event(event_id) if programme else None
    if event is None:
        raise LookupError("no such meeting")
    ctx.audit("export_attendees", event.id, event=event.id)
    return attendees_csv(ctx, event, everyone(ctx, event))


def attendees_csv(ctx: Context, event: Event, people: list[Attendance]) -> Document:
    """The attendee list as CSV, for a spreadsheet in the organiser's language."""
    rows = []
    fmt = ctx.fmt_event(event)
    modes = {"in_person": ctx._("in person"), "online": ctx._("online")}
    for att in people:
        if att.waiting:
            answer = ctx._("waiting list, place {n}", n=att.position)
        else:
            answer = {"in_person": ctx._("coming"), "online": ctx._("coming"),
                      "maybe": ctx._("maybe"), "no": ctx._("can't come")}[att.answer]
        days = "" if att.answer == "no" else " ".join(
            d + (f" ({modes['online']})" if d in att.online_days else "")
            for d in att.days or seats.event_days(event))
        mode = modes.get(att.answer, "")
        if att.online_days:  # in person on some days, online on the others
            mode = f"{modes['in_person']}, {modes['online']}"
            waits = [ctx._("{mode}: waiting list, place {n}", mode=modes[kind], n=n)
                     for kind, waiting, n in (("in_person", att.waiting, att.position),
                                              ("online", att.online_waiting,
                                               att.online_position)) if waiting]
            if waits:  # each way's own waiting list (both when both wait)
                answer = "; ".join([*([] if len(waits) == 2 else [ctx._("coming")]), *waits])
        rows.append([cell(att.name), cell(ctx.assistant.users.get(att.user_id).username),
                     answer, mode, days,
                     fmt.datetime(att.at, "yyyy-MM-dd HH:mm")])
    header = [ctx._("name"), ctx._("Telegram username"), ctx._("answer"), ctx._("mode"),
              ctx._("days"), ctx._("time answered")]
    return Document(f"attendees-{event.id}.csv", csv_bytes(ctx.lang, header, rows),
                    "text/csv", ctx._("Attendees: {title}", title=texts.title(ctx, event)))
