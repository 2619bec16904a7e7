"""Calendar files: /calendar, an "Add to calendar" button on cards, and .ics attachments.

Any user gets the file of a meeting they can see (`/calendar ID`); `/calendar` alone bundles
every upcoming meeting they answered coming or maybe. Whoever stores answers (the RSVP
plugin) attaches the file to its confirmations through the `attachments` hook. Only
per-meeting sequence numbers are stored, nothing about users (so not who took which file:
the captions of files that update or remove an entry say "if it is in your calendar" where
that is unsure). See docs/calendar.md.
"""
from __future__ import annotations

from datetime import date, datetime

from assistant import N_, hookimpl, pickday
from assistant.context import Context
from assistant.model import Attendance, Event, text
from assistant.text import escape
from assistant.types import Action, Button, Command, Document

from .sequence import absorb, forget_ended, installation, sequence

NAME = "calendar"


async def send_calendar(ctx: Context) -> None:
    """/calendar ID sends one meeting's file; /calendar DAY (`/kalender 2 sep`) offers that
    day's meetings; /calendar alone, all of the user's meetings."""
    if not ctx.args:
        await send_my_meetings(ctx)
    elif _visible(ctx, event_id := ctx.args[0].lower()) is not None \
            or not ((day := pickday.asked(ctx)) and pick(ctx, day=day)):
        await send_meeting(ctx, event_id)


async def send_meeting(ctx: Context, event_id: str) -> None:
    """The file of one meeting the user can see."""
    event = _visible(ctx, event_id)
    if event is None:
        ctx.reply(ctx.unknown_meeting(event_id))
        return
    if event.end_utc <= ctx.now:
        ctx.reply(ctx._("This meeting has already taken place."))
        return
    ctx.reply(document=_file(ctx, event, event.cancelled))


def pick(ctx: Context, offset: int = 0, day: date | None = None) -> bool:
    """/calendar without a meeting of one's own: the meetings to pick one from, a page at a
    time (another replaces it in place); /calendar DAY that day's, and False when it has
    none."""
    events = ctx.upcoming(pickday.on(day), offset=offset)
    if day is not None and not events:
        return False
    ctx.edit(pickday.heading(ctx, day, ctx._(
        "Which meeting would you like the calendar file for?") if day else ctx._(
        "You haven't said you're coming to any upcoming meeting yet. Pick one for its "
        "calendar file, or send /programme to see the meetings and answer.")),
             ctx.meeting_buttons(events, "add", more=pickday.more("pick", day), offset=offset))
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under /calendar's picker (of a day's meetings, or all)."""
    day, offset = pickday.paged(ctx.args)
    if not pick(ctx, offset, day) and day is not None:
        pick(ctx)  # the day's meetings are over meanwhile


MAX_NAMED = 5
"""Meetings waited for that the note after /calendar names; more are only counted."""


async def send_my_meetings(ctx: Context) -> None:
    """One file with every upcoming meeting the user said they are coming to, or maybe; the
    meetings they wait for a place at are named after it, so none seems forgotten."""
    events, waiting = _my_meetings(ctx)
    if not events and waiting:
        ctx.reply(_waiting_text(ctx, waiting))
    elif not events and ctx.upcoming(limit=1):
        pick(ctx)
    elif not events:
        ctx.reply(ctx._("You haven't said you're coming to any upcoming meeting yet. Send "
                        "/programme to see the meetings and answer; then I can give you "
                        "their calendar files."))
    elif len(events) == 1:
        ctx.reply(document=_file(ctx, events[0], False))
    else:
        from .ics import MIME, render

        caption = ctx.ngettext("{n} meeting: open the file to add it to your calendar.",
                               "{n} meetings: open the file to add them to your calendar.",
                               len(events))
        ctx.reply(document=Document("meetings.ics", render(ctx, events), MIME, caption))
    if events and waiting:
        ctx.reply(_waiting_text(ctx, waiting))


def _my_meetings(ctx: Context) -> tuple[list[Event], list[Event]]:
    """The upcoming meetings the user comes to (or maybe), and those they wait for a place
    at, in the programme's order: one attendance lookup per meeting, and the visibility hook
    asked only of the meetings they answered."""
    programme = ctx.programme
    if ctx.user is None or programme is None:
        return [], []
    coming: list[Event] = []
    waiting: list[Event] = []
    for event in programme.upcoming(ctx.now):
        if event.cancelled:
            continue
        answer = ctx.hooks.attendance(ctx, event, ctx.user.id)
        if answer is None:
            continue
        if answer.coming or answer.answer == "maybe":
            mine = coming
        elif answer.waiting:
            mine = waiting
        else:
            continue
        if ctx.hooks.event_visible(ctx, event):
            mine.append(event)
    return coming, waiting


def _waiting_text(ctx: Context, events: list[Event]) -> str:
    """That the meetings the user waits for are not in their calendar until they have a
    place: one by its title and when it starts (a festival day has several), up to MAX_NAMED
    listed under the count as the pickers name them, more counted; the zone of their times
    named for a meeting joined online, as on its card."""
    if len(events) == 1:
        event = events[0]
        when = ctx.meeting_start(event)
        if event.online is not None and not event.all_day:
            when = ctx.fmt_event(event).zoned(when, bracketed=True)
        return ctx._("You're on the waiting list for {title} ({when}), so it isn't in your "
                     "calendar yet: I send you its calendar file as soon as a place is yours.",
                     title=_title(ctx, event), when=escape(when))
    text = ctx.ngettext(
        "You're on the waiting list for {n} upcoming meeting, so it isn't in your calendar "
        "yet: I send you its calendar file as soon as a place is yours.",
        "You're on the waiting list for {n} upcoming meetings, so they aren't in your "
        "calendar yet: I send you each one's calendar file as soon as a place is yours.",
        len(events))
    if len(events) > MAX_NAMED:
        return text
    note = ctx.times_note(events)
    return "\n".join([text, *(f"• {escape(ctx.meeting_label(e))}" for e in events),
                      *([escape(note)] if note else [])])


def _title(ctx: Context, event: Event) -> str:
    """The meeting's title in the user's language, escaped for HTML."""
    return escape(text(event.title, ctx.lang))


async def add_to_calendar(ctx: Context) -> None:
    """The card button; its event id is untrusted, so everything is checked again."""
    event_id = ctx.args[0] if ctx.args else ""
    event = _visible(ctx, event_id)
    if event is None:
        ctx.refuse(ctx.unknown_meeting(event_id))
        return
    if event.end_utc <= ctx.now:
        ctx.toast(ctx._("This meeting has already taken place."))
        return
    if event.cancelled:
        ctx.toast(ctx._("This meeting has been cancelled."))
    ctx.reply(document=_file(ctx, event, event.cancelled))


def _file(ctx: Context, event: Event, cancelled: bool, caption: str | None = None,
          removed: bool = False) -> Document:
    """One meeting's file; icalendar is imported when the first file is made rather than
    at start: it was a twentieth of a festival bot's start-up (docs/calendar.md)."""
    from .ics import event_file

    return event_file(ctx, event, cancelled, caption, removed)


def _visible(ctx: Context, event_id: str) -> Event | None:
    """The meeting with this id if it exists and this user may see it."""
    programme = ctx.programme
    event = programme.event(event_id) if programme and event_id else None
    return event if event is not None and ctx.hooks.event_visible(ctx, event) else None


def _answered(ctx: Context, event: Event) -> bool:
    """Whether the user is coming (with a seat or online) or answered maybe."""
    if ctx.user is None:
        return False
    answer = ctx.hooks.attendance(ctx, event, ctx.user.id)
    return answer is not None and (answer.coming or answer.answer == "maybe")


@hookimpl
def register_commands() -> list[Command]:
    """Declare /calendar."""
    return [Command("calendar", send_calendar,
                    N_("Calendar files for your meetings, or for one meeting"), args=N_("[ID]"),
                    aliases=("kalender",))]


@hookimpl
def register_actions() -> list[Action]:
    """Declare the card button."""
    return [Action("add", add_to_calendar, arity=(1, 1)),
            Action("pick", press_pick, arity=(1, 2))]


@hookimpl
async def startup(ctx: Context) -> None:
    """Make the installation's UID token before any file is sent."""
    installation(ctx)


@hookimpl
def attachments(ctx: Context, event: Event, reason: str) -> Document | None:
    """The meeting's calendar file for a message about it; "cancelled" removes it. A change
    brings no file to someone without a place (waiting, or not coming): /calendar tells them
    it is not in their calendar yet, and the file comes with the place. "removed" (the user
    lost the place they had, or said they can't come) removes it from their calendar, as
    /calendar now leaves it out, unless they have a place again by then. "days" (the user
    changed the days they come) brings the file of their new days to someone coming or maybe;
    both, like a "changed" one, say that the file updates the meeting in their calendar."""
    if reason in ("changed", "days") and not _answered(ctx, event):
        return None
    if reason == "removed":
        return _removal(ctx, event)
    if reason == "days":
        return _file(ctx, event, False, _days_caption(ctx, event))
    if reason == "changed" and not event.cancelled:
        return _file(ctx, event, False, _update_caption(ctx, event))
    return _file(ctx, event, reason == "cancelled")


def _has_file(ctx: Context, event: Event) -> bool:
    """Whether the user surely has the meeting in a calendar file: a place came with one; a
    maybe gets one only if they asked (the card's button or /calendar), which is not
    recorded (nothing about people is), so a caption for them says "if"."""
    answer = ctx.hooks.attendance(ctx, event, ctx.user.id) if ctx.user else None
    return answer is not None and answer.coming


def _days_caption(ctx: Context, event: Event) -> str:
    """The file of someone's new days updates the entry they have (see `_has_file`)."""
    if _has_file(ctx, event):
        return ctx._("Your days have changed: open the file to update the meeting in your "
                     "calendar.")
    return ctx._("Your days have changed. If the meeting is in your calendar, open the file "
                 "to update it.")


def _update_caption(ctx: Context, event: Event) -> str:
    """The file sent with a change notice replaces the entry (same UID, higher SEQUENCE), so
    it says "update", not "add" (see `_has_file`)."""
    if _has_file(ctx, event):
        return ctx._("Open the file to update the meeting in your calendar.")
    return ctx._("If the meeting is in your calendar, open the file to update it.")


def _removal(ctx: Context, event: Event) -> Document | None:
    """The file that takes the meeting out of the calendar of someone who no longer has a
    place or a maybe; its SEQUENCE is above the file they had, since losing or giving up a
    place raised their own count (`Attendance.place_revision`), not the meeting's number
    that everyone's files share. Whether a maybe ever took a file is not recorded (nothing
    about people is), so the caption says "if"."""
    if ctx.user is None or event.end_utc <= ctx.now or _answered(ctx, event):
        return None
    answer = ctx.hooks.attendance(ctx, event, ctx.user.id)
    if answer is not None and answer.waiting:
        caption = ctx._("You're on the waiting list. If the meeting is in your calendar, open "
                        "the file to remove it; I send you a new one as soon as a place is "
                        "yours.")
    else:
        caption = ctx._("You said you can't come. If the meeting is in your calendar, open the "
                        "file to remove it.")
    return _file(ctx, event, False, caption, removed=True)


@hookimpl
def event_buttons(ctx: Context, event: Event) -> list[Button] | None:
    """The "Add to calendar" button, for users coming (or maybe) to an upcoming meeting."""
    if event.cancelled or event.end_utc <= ctx.now or not _answered(ctx, event):
        return None
    return [ctx.button(ctx._("📅 Add to calendar"), "add", event.id)]


@hookimpl
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """Raise the meeting's SEQUENCE now, so every later file supersedes earlier ones."""
    if after is not None and before is not None:
        sequence(ctx, after, after.cancelled)
    elif before is not None:
        sequence(ctx, before, True)


@hookimpl
async def rsvp_changed(ctx: Context, event: Event, user_id: int, before: Attendance | None,
                       after: Attendance | None) -> None:
    """An answer deleted (a meeting removed, /forget): its count of changes (days, places), and one
    more, goes into the meeting's SEQUENCE, so the person's next file is above any they were
    sent (it would fall back to the meeting's own number when they answered again)."""
    if after is None and before is not None and (
            changes := before.days_revision + before.place_revision):
        absorb(ctx, event.id, changes + 1)


@hookimpl
async def trim_past(ctx: Context, before: datetime) -> None:
    """Retention: meetings long over need no more calendar updates."""
    if removed := forget_ended(ctx, before):
        ctx.log.info("forgot the calendar sequence of %d ended meetings", removed)
