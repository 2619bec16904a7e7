"""What a participant does: answer on a card or with /rsvp, and list their meetings (/my); the
day buttons of a gathering are in `gathering`.

Every button's arguments are untrusted: the meeting must exist, be visible to this user,
be neither over nor cancelled, and offer the answer. The answer is stored before the
card is edited (the core commits before it replies).
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assistant import pickday
from assistant.model import Attendance, Event
from assistant.text import bold, escape
from assistant.types import Button

from . import overlap, seating, seatmoves, seats, tallies, texts, ways

if TYPE_CHECKING:
    from assistant.context import Context

MY_BUTTONS = 10


def closed(ctx: Context, event: Event) -> str | None:
    """Why a meeting takes no answers any more, or None while it does."""
    if event.cancelled:
        return ctx._("This meeting is cancelled, so it no longer takes answers.")
    if event.end_utc <= ctx.now:
        return ctx._("This meeting is over, so it no longer takes answers.")
    return None


def unavailable(ctx: Context, event_id: str) -> str:
    """The same words for an unknown, hidden or malformed meeting as every command and button
    gives (`ctx.unknown_meeting`): nothing to learn from it."""
    return ctx.unknown_meeting(event_id)


def card(ctx: Context, event: Event) -> tuple[str, list[list[Button]]]:
    """The meeting's card as the programme plugin draws it: a full card says that a meeting is
    cancelled or over (hookspecs.event_card). Without it a plain one, which says why it takes
    no answers."""
    made = ctx.hooks.event_card(ctx, event)
    if made is not None:
        return made
    reason = closed(ctx, event)
    lines = [*([escape(reason)] if reason else []), f"<b>{texts.title(ctx, event)}</b>",
             texts.when(ctx, event), *ctx.hooks.event_details(ctx, event)]
    return "\n".join(lines), [[b] for b in ctx.hooks.event_buttons(ctx, event)]


def refusal(ctx: Context, event: Event, value: str) -> str | None:
    """Why this answer can't be stored for this meeting, or None."""
    if (reason := closed(ctx, event)) is not None:
        return reason
    if value not in seats.allowed(event):
        return ctx._("That answer isn't possible for this meeting.")
    return None


async def gate(ctx: Context, event: Event, value: str, day: str | None = None) -> str | None:
    """Ask the other plugins, telling them whether the answer would only reach the waiting
    list (and the day, for one day switched at a gathering); asked again as a place if one
    freed up while they were deciding."""
    table = seats.answers(ctx)
    waiting = tallies.would_wait(table, event, value)
    reason = await ctx.hooks.rsvp_gate(ctx, event, value, waiting, day)
    if reason is None and waiting and not tallies.would_wait(table, event, value):
        reason = await ctx.hooks.rsvp_gate(ctx, event, value, False, day)
    return reason


async def store_answer(ctx: Context, event: Event, value: str, tapped: bool = True
                       ) -> tuple[str | None, Attendance | None, Attendance | None]:
    """Check, ask the gates, store and settle the seats; (refusal, before, after). An answer
    both ways made one way on every day keeps its place where every day has room; where one
    has none, a tap is refused, while another plugin's change (`tapped` False: a health
    outcome that asks to stay at home) is made as a new answer, which waits there."""
    if (reason := refusal(ctx, event, value)) is not None:
        return reason, None, None
    table = seats.answers(ctx)
    existing = seats.current(table, event.id, ctx.user.id)
    both = ways.split(existing) and value in seats.PLACES
    if existing is not None and existing.answer == value and not both:
        return None, existing, existing
    if both and (full := ways.full_days(table, event, ctx.user.id, existing, value)):
        if tapped:
            return ways.refusal(ctx, event, value, full), None, None
        both = False
    if (existing is None or existing.answer != value) \
            and (reason := await gate(ctx, event, value)) is not None:
        return reason, None, None
    if both:  # every chosen day that way, the place of the days already so kept
        assert existing is not None
        before, after, moves = seating.switch_days(table, event, ctx.user.id,
                                                 existing.days or seats.event_days(event), value)
    else:
        before, after, moves = seating.answer(table, event, ctx.user.id, value, ctx.now)
    await ctx.hooks.rsvp_changed(ctx, event, ctx.user.id, before, after)
    await seatmoves.tell_moved(ctx, event, moves)
    return None, before, after


def confirm(ctx: Context, event: Event, before: Attendance | None,
            after: Attendance | None) -> None:
    """Toast the outcome; a newly confirmed place comes with the calendar file."""
    if after is None:
        return
    if ways.made_whole(before, after):
        ctx.toast(ways.whole_toast(ctx, event, after))
        if seats.expected(before) and seats.expected(after):  # the file of each day's place
            for document in ctx.hooks.attachments(ctx, event, "days"):
                ctx.reply(document=document)
            return
    elif after.waiting:
        ctx.toast(ctx._("You're on the waiting list, place {n}.", n=after.position))
    else:
        ctx.toast(ctx._("Saved: {answer}", answer=texts.label(ctx, after.answer)))
    if overlap.newly_there(before, after) \
            and (warning := overlap.note(ctx, event, after.days)) is not None:
        ctx.reply(warning)
    calendar(ctx, event, before, after)


def calendar(ctx: Context, event: Event, before: Attendance | None,
             after: Attendance | None) -> None:
    """A newly confirmed place (in person or online) comes with the meeting's files; giving
    up a place or a maybe (Can't come, or a switch that only reaches the waiting list) with
    those that remove it, since a file may have put it in the user's calendar."""
    if after is None:
        return
    if after.coming and not (before and before.coming and before.answer == after.answer):
        reason = "confirmed"
    elif seats.expected(before) and not seats.expected(after):
        reason = "removed"
    else:
        return
    for document in ctx.hooks.attachments(ctx, event, reason):
        ctx.reply(document=document)


async def press_answer(ctx: Context) -> None:
    """The user taps Coming in person / Coming online / Maybe / Can't come on a card."""
    event_id, value = (ctx.args + ["", ""])[:2]
    if ctx.args[2:] not in ([], [KEEP], [LEAVE]):  # forged: a third word no button carries
        ctx.refuse(ctx._("This button no longer works."))
        return
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(unavailable(ctx, event_id))
        return
    if ctx.args[2:3] == [KEEP]:
        att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
        ctx.toast(ctx._("Nothing changed: you're still on the waiting list, place {n}.",
                        n=att.position) if att is not None and att.waiting
                  else ctx._("Nothing changed."))
        ctx.edit(*card(ctx, event))
        return
    if ctx.args[2:3] == [LEAVE]:
        att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
        if att is None or not att.waiting and att.answer != value:
            ctx.refuse(ctx._("This button no longer works."))  # a seat came meanwhile
            ctx.edit(*card(ctx, event))
            return
    elif ask_first(ctx, event, value):
        return
    reason, before, after = await store_answer(ctx, event, value)
    if reason is not None:
        ctx.refuse(reason)
        return
    ctx.edit(*card(ctx, event))
    if (line := left_queue(ctx, event, before, after)) is not None:
        ctx.reply(line)
    confirm(ctx, event, before, after)


LEAVE = "leave"
"""The third argument of an answer button that confirms giving up a waiting-list place."""

KEEP = "keep"
"""The third argument of the button that keeps the waiting-list place: the card comes back."""


def ask_first(ctx: Context, event: Event, value: str) -> bool:
    """Someone on a waiting list who taps another answer but "Can't come" (which says it all)
    would give up their place in the queue: ask before, on the card they tapped (which its
    two buttons, leave or keep, redraw: no card above is left showing the old answer);
    nothing is stored until they tap Leave. Whether it asked."""
    if refusal(ctx, event, value) is not None:
        return False
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    if att is None or not att.waiting or value in (att.answer, "no"):
        return False
    ctx.toast(ctx._("Not changed yet: you'd leave the waiting list."))
    question = ctx._("You're on the waiting list for <b>{title}</b> ({status}). Answering "
                     "“{answer}” takes you off it, and your place goes to the next in line. "
                     "Tap below if that's what you want; otherwise nothing changes.",
                     title=texts.title(ctx, event), status=texts.status(ctx, att),
                     answer=texts.label(ctx, value))
    text, _buttons = card(ctx, event)
    ctx.edit(f"{text}\n\n{question}",
             [[ctx.button(ctx._("Leave the waiting list: {answer}",
                                answer=texts.label(ctx, value)), "a", event.id, value, LEAVE)],
              [ctx.button(ctx._("Keep my place"), "a", event.id, att.answer, KEEP)]])
    return True


def left_queue(ctx: Context, event: Event, before: Attendance | None,
               after: Attendance | None) -> str | None:
    """What a new answer did to the waiting-list place the person had: they left it, and
    where they are now (None: they had none, or it is the same answer)."""
    if before is None or after is None or not before.waiting or before.answer == after.answer:
        return None
    queue = ctx._("the online waiting list") if before.answer == "online" \
        else ctx._("the waiting list for a seat")
    line = ctx._("You left {queue} at <b>{title}</b> (you were place {n}).", queue=queue,
                 title=texts.title(ctx, event), n=before.position)
    if after.waiting and after.answer == "online":
        return line + " " + ctx._("The online places are full too: you're on the online "
                                  "waiting list now, place {n}.", n=after.position)
    if after.waiting:
        return line + " " + ctx._("Every seat is taken too: you're on the waiting list for "
                                  "a seat now, place {n}.", n=after.position)
    return line + " " + ctx._("Your answer is now: {answer}.", answer=texts.status(ctx, after))


async def rsvp(ctx: Context) -> None:
    """/rsvp ID: the meeting's card with the answer buttons."""
    if not ctx.args:
        pick(ctx)
        return
    event = ctx.event(ctx.args[0])
    if event is not None:
        ctx.reply(*card(ctx, event))  # a meeting over or cancelled: the card says so, once
    elif not ((day := pickday.asked(ctx)) and pick(ctx, day=day)):
        ctx.reply(ctx.unknown_meeting(ctx.args[0]))


def pick(ctx: Context, offset: int = 0, day: date | None = None) -> bool:
    """/rsvp alone: the meetings to answer, a page at a time (another replaces it in place);
    /rsvp DAY (`/osa 2 sep`) that day's, and False when it has none to answer."""
    events = ctx.upcoming(pickday.on(day), offset=offset)
    if not events:
        if day is None:
            ctx.reply(ctx._("There are no upcoming meetings to answer. Send /programme to "
                            "see what's on."))
        return False
    ctx.edit(pickday.heading(ctx, day, ctx._("Which meeting would you like to answer?")),
             ctx.meeting_buttons(events, "show", more=pickday.more("pick", day),
                                 offset=offset))
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under /rsvp's picker (of a day's meetings, or all)."""
    day, offset = pickday.paged(ctx.args)
    if not pick(ctx, offset, day) and day is not None:
        pick(ctx)  # the day's meetings are over meanwhile


async def show(ctx: Context) -> None:
    """A meeting button in /my: its card."""
    event_id = ctx.args[0] if ctx.args else ""
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(unavailable(ctx, event_id))
        return
    ctx.reply(*card(ctx, event))


async def my_meetings(ctx: Context) -> None:
    """/my: the user's upcoming meetings and their answers, a page at a time."""
    my_page(ctx, 0)


async def press_my_page(ctx: Context) -> None:
    """Earlier/Later under /my: the page edited in place."""
    start = ctx.args[0] if ctx.args else "0"
    my_page(ctx, int(start) if start.isascii() and start.isdecimal() and len(start) < 7 else 0,
            edit=True)


def my_rows(ctx: Context) -> list[tuple[Event, Attendance]]:
    """The user's upcoming meetings they answered (found by the user index), earliest first."""
    programme = ctx.programme
    table = seats.answers(ctx)
    mine = {doc["event"] for doc in table.find(user=ctx.user.id)}
    events = [e for e in map(programme.event, mine) if e is not None and e.end_utc > ctx.now] \
        if programme else []
    return [(event, att) for event in sorted(events, key=lambda e: (e.start_utc, e.id))
            if ctx.hooks.event_visible(ctx, event)
            and (att := seats.current(table, event.id, ctx.user.id)) is not None]


def my_page(ctx: Context, start: int, edit: bool = False) -> None:
    """One page of /my: MY_BUTTONS meetings, each with its button ("Mon 28 Jun 11:00 ·
    Title"), those coming first, then "Can't come" ones under their own heading, so that
    changing one's mind is a tap away; cancelled ones on the last page, only to say so
    (they take no answers, so they have no button); Earlier/Later when there is more; under
    them the zone of their times when one can be joined online (`ctx.times_note`)."""
    rows = my_rows(ctx)
    if not rows:
        (ctx.edit if edit else ctx.reply)(ctx._("You haven't answered any upcoming meeting yet. "
                                                "Send /programme to see what's on."))
        return
    coming = [(e, a) for e, a in rows if a.answer != "no" and not e.cancelled]
    declined = [(e, a) for e, a in rows if a.answer == "no" and not e.cancelled]
    cancelled = [(e, a) for e, a in rows if e.cancelled]
    listed = [*coming, *declined]
    start = max(0, min(start, (max(len(listed), 1) - 1) // MY_BUTTONS * MY_BUTTONS))
    page = listed[start:start + MY_BUTTONS]
    last = start + MY_BUTTONS >= len(listed)
    lines = [bold(ctx._("Your meetings"))]
    if len(listed) > MY_BUTTONS:
        lines[0] += " " + escape(ctx._("({first}–{last} of {total})", first=start + 1,
                                       last=start + len(page), total=len(listed)))
    if not coming and not declined:
        lines += ["", ctx._("You have no upcoming meeting. Send /programme to see what's on.")]
    when = {event.id: texts.starts(ctx, event, att) for event, att in page}
    if here := [(e, a) for e, a in page if a.answer != "no"]:
        lines += ["", *(my_line(ctx, event, att, texts.status(ctx, att), when[event.id])
                        for event, att in here)]
    if here := [(e, a) for e, a in page if a.answer == "no"]:
        lines += ["", ctx._("You said you <b>can't come</b> to these. Tap one if you change your "
                            "mind:")]
        lines += [my_line(ctx, event, att, when=when[event.id]) for event, att in here]
    if cancelled and last:
        lines += ["", ctx.ngettext("This meeting you answered is <b>cancelled</b>:",
                                   "These meetings you answered are <b>cancelled</b>:",
                                   len(cancelled))]
        lines += [my_line(ctx, event, att) for event, att in cancelled]
    if note := ctx.times_note(e for e, _att in [*page, *(cancelled if last else [])]):
        lines += ["", escape(note)]
    buttons = [[ctx.button(f"{when[event.id]} · {texts.plain_title(ctx, event)}", "show",
                           event.id)] for event, _att in page]
    nav = ([ctx.button(ctx._("‹ Earlier"), "my", max(0, start - MY_BUTTONS))] if start else []) \
        + ([] if last else [ctx.button(ctx._("Later ›"), "my", start + MY_BUTTONS)])
    (ctx.edit if edit else ctx.reply)("\n".join(lines), buttons + ([nav] if nav else []))


def my_line(ctx: Context, event: Event, att: Attendance, state: str | None = None,
            when: str | None = None) -> str:
    """One meeting in /my: when (the first day chosen, or `when` when already worked out),
    the title and, for one the user comes to, their answer (no colon after a title that
    asks a question)."""
    title = texts.title(ctx, event)
    line = f"• {escape(when or texts.starts(ctx, event, att))} – <b>{title}</b>"
    if not state:
        return line
    return f"{line} {state}" if title.endswith(("?", "!")) else f"{line}: {state}"
