"""What a meeting allows right now: is it there for this user, are questions open, who moderates.

Every handler starts here, because every button's arguments are untrusted.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from assistant import pickday
from assistant.context import PICKED, Context
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


PICKERS = {"ask": ("ask",), "put": ("put",), "list": ("list", 0), "moderate": ("queue", 0)}
"""What each command sent without an id offers its meetings for: the action and its arguments
after the meeting's id ("put": /ask with a question and no meeting, which goes on with it)."""


def choices(ctx: Context, want: str, day: date | None = None) -> list[Event]:
    """Meetings to offer when a command comes without an id ('ask', 'list', 'moderate'):
    those open now, the user's own first (`ctx.mine`: what they are coming to is what they
    ask about, as /rsvp and /event put them first), and, for the list and the queue, the
    latest closed (or cancelled) ones that have questions; each page (PICKED) in the
    programme's order after the user's own. With a day (`/ask 2 sep`), only that day's
    (`pickday.on`)."""
    programme = ctx.programme
    if programme is None:
        return []
    on_day = pickday.on(day)
    opened: list[Event] = []
    past: list[Event] = []
    for event in programme.events:
        if not event.questions or (on_day is not None and not on_day(event)) \
                or not ctx.hooks.event_visible(ctx, event):
            continue
        if want == "moderate" and not may_moderate(ctx, event):
            continue
        if is_open(ctx, event):
            opened.append(event)
        elif want not in ("ask", "put") and data.items(ctx).count(event=event.id):
            past.append(event)
    mine = {e.id for e in opened} & ctx.mine()
    chosen = [e for e in opened if e.id in mine] + [e for e in opened if e.id not in mine] \
        + past[::-1]
    return [event for start in range(0, len(chosen), PICKED)
            for event in sorted(chosen[start:start + PICKED],
                                key=lambda e: (e.id not in mine, e.start_utc, e.id))]


def chooser(ctx: Context, want: str, offset: int = 0, edit: bool = False,
            header: str = "", day: date | None = None) -> bool:
    """Offer the meetings as buttons, a page at a time (or say there are none); `edit`: in
    place of the page before; `header` (HTML) in place of "Which meeting?". With a day, that
    day's under it, and False (nothing said) when it has none."""
    events = choices(ctx, want, day) if want in PICKERS else []
    if not events:
        if day is None:
            ctx.reply(ctx._("No meeting takes questions right now."))
        return False
    (ctx.edit if edit else ctx.reply)(
        pickday.heading(ctx, day, header or ctx._("Which meeting?")),
        ctx.meeting_buttons(events, *PICKERS[want], more=pickday.more("pick", day, want),
                            offset=offset))
    return True


def day_chooser(ctx: Context, want: str) -> bool:
    """`/ask DAY`, `/questions DAY`, `/moderate DAY` (`/frågor 2 sep`): the picker of that
    day's meetings, as the command alone offers them, or, when the day has none, the answer
    to an unknown id, as for any command; False when the words name no day."""
    if (day := pickday.asked(ctx)) is None:
        return False
    if not chooser(ctx, want, day=day):
        not_found(ctx, ctx.args[0])
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under a picker of /ask, /questions or /moderate (of a day's
    meetings, or all): [want, offset] or [want, YYYYMMDD, offset]."""
    want = ctx.args[0] if ctx.args else ""
    day, offset = pickday.paged(ctx.args[1:])
    if not chooser(ctx, want, offset, edit=True, day=day) and day is not None:
        chooser(ctx, want, edit=True)  # the day's meetings closed meanwhile
