"""What a meeting allows right now: is it there for this user, are questions open, who moderates.

Every handler starts here, because every button's arguments are untrusted.
"""
from __future__ import annotations

from datetime import UTC, datetime

from assistant.context import Context
from assistant.model import QUESTION_MODES, Event, text
from assistant.text import escape

from . import data

CLOSE = "MINGEL_QUESTIONS_CLOSE"
KEEP = "MINGEL_QUESTIONS_KEEP"


def not_found(ctx: Context, event_id: str) -> None:
    """Tell the user the id names no meeting they can see."""
    ctx.reply(ctx.unknown_meeting(event_id))


def title(ctx: Context, event: Event) -> str:
    """The meeting's title in the user's language, escaped."""
    return escape(text(event.title, ctx.lang))


def mode(ctx: Context, event: Event) -> str:
    """'live' or 'approval': the moderators' choice, else the programme's."""
    chosen = data.meeting(ctx, event.id).get("mode")
    return chosen if chosen in QUESTION_MODES else event.question_mode


def close_at(ctx: Context, event: Event) -> datetime:
    """When the meeting stops taking questions and votes, as an instant in UTC (which the
    clock compares with quickest): the setting's time after the end, counted in real time,
    so a meeting ending in the repeated autumn hour closes after it really ended."""
    chosen = data.meeting(ctx, event.id).get("close_at")
    if chosen:
        return datetime.fromisoformat(chosen).astimezone(UTC)
    return event.end_utc + ctx.setting(CLOSE)


def moment(ctx: Context, event: Event, when: datetime) -> str:
    """A point in time in words, in the meeting's zone: 'Thursday, 2 September 2027 at 12:30',
    naming the zone for a meeting that can be joined online, as on its card."""
    fmt = ctx.fmt_event(event)
    words = ctx._("{date} at {time}", date=fmt.date(when), time=fmt.time(when))
    return fmt.zoned(words) if event.online is not None else words


def is_open(ctx: Context, event: Event) -> bool:
    """Whether participants may ask and vote now."""
    return event.questions and not event.cancelled and ctx.now < close_at(ctx, event)


def why_closed(ctx: Context, event: Event) -> str | None:
    """A friendly reason why this meeting takes no questions now, or None when it does."""
    if not event.questions:
        return ctx._("There are no questions from participants at this meeting.")
    if event.cancelled:
        return ctx._("This meeting is cancelled, so it takes no questions.")
    when = close_at(ctx, event)
    if ctx.now >= when:
        return ctx._("Questions for this meeting closed on {when}.",
                     when=moment(ctx, event, when))
    return None


def may_moderate(ctx: Context, event: Event) -> bool:
    """Organisers and the moderators of the meeting's networks."""
    return ctx.may("moderator", networks=event.networks)


def choices(ctx: Context, want: str) -> list[Event]:
    """Meetings to offer when a command comes without an id ('ask', 'list', 'moderate'):
    those open now and, for the list and the queue, the latest closed (or cancelled) ones
    that have questions, shown in the programme's order as every picker is."""
    programme = ctx.programme
    if programme is None:
        return []
    opened: list[Event] = []
    past: list[Event] = []
    for event in programme.events:
        if not event.questions or not ctx.hooks.event_visible(ctx, event):
            continue
        if want == "moderate" and not may_moderate(ctx, event):
            continue
        if is_open(ctx, event):
            opened.append(event)
        elif want != "ask" and data.items(ctx).count(event=event.id):
            past.append(event)
    chosen = (opened + past[::-1])[:10]
    return sorted(chosen, key=lambda e: (e.start_utc, e.id))


def chooser(ctx: Context, want: str, action: str, *args: object) -> None:
    """Offer the meetings as buttons (or say there are none)."""
    events = choices(ctx, want)
    if not events:
        ctx.reply(ctx._("No meeting takes questions right now."))
        return
    ctx.reply(ctx._("Which meeting?"), ctx.meeting_buttons(events, action, *args))
