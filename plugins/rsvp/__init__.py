"""RSVP: participants answer each meeting (in person, online, maybe, can't come), with
seats, a waiting list, days of multi-day gatherings, notices of programme changes and the
organisers' attendee lists. docs/rsvp.md describes it for users and organisers.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from assistant import N_, hookimpl
from assistant.config import parse_duration
from assistant.context import Context
from assistant.model import Attendance, Event
from assistant.text import counted, escape
from assistant.types import Action, Button, Command, Export, Setting

from . import (
    edits,
    evenings,
    gathering,
    heldback,
    notices,
    organisers,
    overlap,
    preview,
    respond,
    seating,
    seatmoves,
    seats,
    sending,
    tallies,
    texts,
)

NAME = "rsvp"


@hookimpl
async def startup(ctx: Context) -> None:
    """Answers stored with every field (before the defaults were left out) lose them once;
    those that name the night a gathering of evenings ends in (before its days were its
    evenings) have it as its last evening, once the programme is there to say which."""
    def slim(_store: object) -> None:
        if count := seats.slim(seats.answers(ctx)):
            ctx.log.info("stored %s without the fields at their defaults",
                         counted(count, "answer"))

    ctx.assistant.store.migrate(NAME, seats.FORMAT, slim)
    if ctx.programme is not None \
            and ctx.assistant.store.get_meta(f"version:{NAME}", 0) < evenings.VERSION:
        await nights(ctx, ctx.programme.event)


async def nights(ctx: Context, event_of: Callable[[str], Event | None]) -> None:
    """The evenings migration, the seats it settles, the messages telling the people it
    moved and its version, written without awaiting anything, so that no commit can come
    between them: a crash cannot leave seats moved and their people never told, nor the
    answers changed and the version not (the next start would find nothing to settle). A
    failure takes it all back, to be tried again at the next start. Only then do the other
    plugins hear of the moves (`rsvp_changed`), told as a programme change's seat moves are,
    stored with it by the commit after them; an implementation that awaits something (a
    commit, `give_way`) lets a commit take the migration meanwhile, whole."""
    store = ctx.assistant.store
    moved: list[tuple[Event, list[seats.Move]]] = []
    with store.undoable() as undo:
        try:
            if changed := evenings.migrate(seats.answers(ctx), event_of):
                ctx.log.info("%s named the night a gathering of evenings ends in: now its "
                             "last evening", counted(len(changed), "answer"))
            for event in {e.id: e for e in changed}.values():
                moves = seating.settle(seats.answers(ctx), event)
                moved.append((event, seatmoves.queue_moved(ctx, event, moves)))
            store.set_meta(f"version:{NAME}", evenings.VERSION)
        except Exception:
            if undo():
                ctx.assistant.outbox.resync()  # messages it queued are taken back too
            raise
    for event, moves in moved:
        await seatmoves.announce(ctx, event, moves)
    await store.commit()


@hookimpl
def register_commands() -> list[Command]:
    """Answer, list one's meetings, and see who comes."""
    return [
        Command("rsvp", respond.rsvp, N_("Answer whether you're coming to a meeting"),
                aliases=("osa",), args=N_("[ID]")),
        Command("my", respond.my_meetings, N_("Your upcoming meetings and your answers"),
                aliases=("mina",)),
        Command("attendees", organisers.attendees, N_("Who is coming to a meeting, with a CSV "
                                                      "file"), role="organiser", aliases=("deltagare",),
                args=N_("[ID]")),
    ]


@hookimpl
def register_actions() -> list[Action]:
    """The answer, day and way-of-the-day buttons on cards, and the meeting buttons of /my."""
    return [Action("a", respond.press_answer, arity=(2, 3)),
            Action("d", gathering.press_day, arity=(2, 2)),
            Action("w", gathering.press_way, arity=(3, 3)),
            Action("show", respond.show, arity=(1, 1)),
            Action("my", respond.press_my_page, arity=(1, 1)),
            Action("pick", respond.press_pick, arity=(1, 2)),
            Action("attendees", organisers.attendees, role="organiser", arity=(1, 1)),
            Action("pickatt", organisers.press_pick, role="organiser", arity=(1, 2))]


@hookimpl
def register_settings() -> list[Setting]:
    """How long to wait for more edits before telling participants about a change."""
    return [Setting("MINGEL_CHANGE_DELAY", parse_duration, "2m",
                    N_("Quiet time after a programme change before participants are told, so "
                       "several edits go out as one message (e.g. 2m)."))]


@hookimpl
def register_exports() -> list[Export]:
    """`mingel export attendees ID`."""
    return [Export("attendees", organisers.export_attendees,
                   N_("Attendees of a meeting as CSV (UTF-8, opens in Excel)"))]


@hookimpl
def event_details(ctx: Context, event: Event) -> list[str]:
    """The user's answer and the places left, e.g. 'Your answer: Coming in person · 12 of 40
    seats left'."""
    if ctx.user is None:
        return []
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    parts = [ctx._("Your answer: {answer}", answer=texts.status(ctx, att))] if att else []
    if respond.closed(ctx, event) is None:
        parts += [p for kind in seats.PLACES if kind in seats.allowed(event)
                  if (p := texts.places(ctx, event, kind))]
    line = " · ".join(parts)
    lines = [line[:1].upper() + line[1:]] if parts else []
    if att and att.answer != "no" and event.is_multi_day:
        lines.append(ctx._("Your days: {days}", days=texts.days(ctx, event, att)))
    return lines


@hookimpl
def event_buttons(ctx: Context, event: Event) -> list[Button]:
    """One button per answer the meeting offers (✓ on the current one), and the days of a
    gathering; none for meetings that are over or cancelled."""
    if ctx.user is None or respond.closed(ctx, event) or not ctx.hooks.event_visible(ctx, event):
        return []
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    buttons = [ctx.button(("✓ " if att and att.answer == a else "") + texts.label(ctx, a),
                          "a", event.id, a) for a in seats.allowed(event)]
    if att and att.answer != "no" and event.is_multi_day:
        chosen = att.days or seats.event_days(event)
        buttons += [ctx.button(("☑ " if d in chosen else "☐ ") + texts.day(ctx, event, d),
                               "d", event.id, d) for d in seats.event_days(event)]
    if att and texts.hybrid_days(event, att):
        buttons += [gathering.way_button(ctx, event, att, d) for d in seats.event_days(event)
                    if not att.days or d in att.days]
    return buttons


@hookimpl
def reminder_buttons(ctx: Context, event: Event, last: bool) -> list[Button]:
    """A reminder to someone who answered Maybe asks them to decide: a button opens the
    meeting's card, where they answer, instead of /my and a search for the meeting."""
    if ctx.user is None or respond.closed(ctx, event):
        return []
    att = seats.current(seats.answers(ctx), event.id, ctx.user.id)
    if att is None or att.answer != "maybe":
        return []
    return [ctx.button(ctx._("Are you coming? Answer here"), "show", event.id)]


@hookimpl
def attendance(ctx: Context, event: Event, user_id: int) -> Attendance | None:
    """One user's answer, with their waiting-list place."""
    return seats.current(seats.answers(ctx), event.id, user_id)


@hookimpl
def answers_of(ctx: Context, user_id: int) -> list[Attendance]:
    """Every answer of one user (found by the user index), with waiting-list places."""
    table = seats.answers(ctx)
    return [att for event_id in {doc["event"] for doc in table.find(user=user_id)}
            if (att := seats.current(table, event_id, user_id)) is not None]


@hookimpl
def attendees(ctx: Context, event: Event) -> list[Attendance]:
    """Every answer, earliest first, with names and waiting-list places."""
    return organisers.everyone(ctx, event)


@hookimpl
def places_left(ctx: Context, event: Event, answer: str) -> int | None:
    """Free places of a kind on the fullest day, from the meeting's kept tally (`tallies.tally`),
    so a card asking it does not read every answer; 0 exactly when `tallies.would_wait`."""
    left = tallies.places_left(seats.answers(ctx), event, answer)
    return None if left is None else min(left.values(), default=0)


@hookimpl
async def change_attendance(ctx: Context, event: Event, answer: str) -> str | None:
    """Set the user's answer for another plugin (e.g. health: switch to online), by the same
    rules as a tap, a newly confirmed place with its calendar file; returns the line to show
    them."""
    if ctx.user is None:
        return None
    if ctx.event(event.id) is None:
        return respond.unavailable(ctx, event.id)
    reason, before, after = await respond.store_answer(ctx, event, answer, tapped=False)
    if reason is not None or after is None:
        return reason
    respond.calendar(ctx, event, before, after)
    line = ctx._("Your answer to {title} is now: {answer}.", title=texts.title(ctx, event),
                 answer=texts.status(ctx, after))
    if (left := respond.left_queue(ctx, event, before, after)) is not None:
        line = left
    warning = overlap.note(ctx, event, after.days) if overlap.newly_there(before, after) \
        else None
    return line if warning is None else f"{line}\n{warning}"


@hookimpl
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """Settle the seats to the new capacity, days and way of taking part (an answer the meeting
    no longer offers becomes the one it offers instead: `edits.convert`) and queue one notice
    per person; the seat changes an edit caused follow the pending notice (this edit's or an
    earlier one's), never come before it."""
    if after is None:
        if before is not None:
            await sending.removed(ctx, before)
        return
    if before is None or after.end_utc <= ctx.now:
        return
    told = notices.record(ctx, before, after, fields) or notices.pending(ctx, after.id)
    table, old = seats.answers(ctx), seats.event_days(before)
    converted, dropped = heldback.convert(ctx, after) if told and not after.cancelled \
        else ([], {})
    lost, moved_days = edits.move_days(table, old, after, heldback.restorable(ctx, after.id)) \
        if old != seats.event_days(after) else ({}, {})
    moves = seating.settle(table, after, last=lost)
    if told and not after.cancelled:
        heldback.held_back(ctx, before, after, moves, lost, moved_days, converted, dropped)
    else:
        await seatmoves.tell_moved(ctx, after, moves)


@hookimpl
def change_audience(ctx: Context, before: Event | None, after: Event | None,
                    fields: tuple[str, ...]) -> list[int]:
    """Who the change notices, removals and seat moves of this change will reach."""
    return notices.audience(ctx, before, after, fields)


@hookimpl
def change_effects(ctx: Context, before: Event | None, after: Event | None,
                   fields: tuple[str, ...]) -> list[str]:
    """What this change does to people's answers, for the organiser's preview."""
    return preview.effects(ctx, before, after, fields)


@hookimpl
def awaiting_notice(ctx: Context, event: Event) -> list[int]:
    """Whose answer, place or days a change notice still waiting for its quiet time will
    explain, and everyone it tells of a new time or the meeting on again: reminders wait for
    it, so that nobody gets a link to a meeting they still think they come to in person, or
    "starts in 40 minutes" before "Time changed"."""
    return notices.untold(ctx, event.id)


@hookimpl(tryfirst=True)
async def tick(ctx: Context, now: datetime) -> None:
    """Send programme-change notices whose quiet time is over, before the other plugins' ticks:
    a reminder held back for a notice (`awaiting_notice`) goes in the same tick, after it."""
    await sending.send_due(ctx, now)


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What RSVP keeps."""
    return ctx._("<b>Answers (RSVP)</b>: your answer to each meeting (in person, online, maybe, "
                 "can't come), the days you chose, your waiting-list place and when you answered. "
                 "They are used to keep count of seats, to tell you about changes and to give "
                 "the organisers their attendee list (they see your name, Telegram username and "
                 "answer). Answers are deleted when the meeting leaves the programme or when the "
                 "retention period after it has passed (a year unless the organisers set "
                 "another), and at once with /forget. While a change to a meeting waits to be "
                 "told (a few minutes), your earlier answer and days are kept with it, to tell "
                 "you what the change did to your place.")


@hookimpl
def user_data(ctx: Context, user_id: int) -> list[dict[str, Any]]:
    """Every answer the user gave, and their earlier answers kept for pending notices."""
    return [{"event": d["event"], **ctx.named(d["event"]), "answer": d["answer"],
             "waiting": d.get("waiting", False), "days": d.get("days", []),
             **({"online_days": d["online"], "online_waiting": d.get("online_waiting", False)}
                if d.get("online") else {}),
             "answered_at": d["at"]}
            for d in seats.answers(ctx).find(user=user_id)] + heldback.kept_for(ctx, user_id)


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user's answers and what pending change notices keep of them (telling the
    plugins that follow answers, as when a meeting's are removed); a seat they held goes to
    the next in line."""
    heldback.forget(ctx, user_id)
    table = seats.answers(ctx)
    programme = ctx.programme
    befores = {doc["event"]: seats.current(table, doc["event"], user_id)
               for doc in table.find(user=user_id)}
    for event_id in seats.remove_user(table, user_id):
        event = programme.event(event_id) if programme else None
        if event is not None:
            await ctx.hooks.rsvp_changed(ctx, event, user_id, befores.get(event_id), None)
            await seatmoves.tell_moved(ctx, event, seating.settle(table, event))


@hookimpl
async def trim_past(ctx: Context, before: datetime) -> None:
    """Retention: forget the answers (and change notices) of meetings that ended before the
    cut-off."""
    programme = ctx.programme
    for event in programme.events if programme else ():
        if event.end_utc < before:
            for table in (seats.answers(ctx), notices.changes(ctx)):
                for doc in table.find(event=event.id):
                    table.remove(doc.doc_id)


AUDITED = {"attendees": N_("Attendee list of {event}"),
           "export_attendees": N_("Attendee list of {event} exported")}
"""/audit's line for each entry this plugin records."""


@hookimpl
def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """The attendee lists in /audit, in the reader's language."""
    if action not in AUDITED:
        return None
    return ctx._(AUDITED[action], event=escape(str(values.get("event", ""))))
