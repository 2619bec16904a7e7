"""What the event card, the last reminder and the RSVP gate say about the declaration."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from assistant.model import text
from assistant.text import escape

from .records import (
    FINE,
    STAY_HOME,
    WINDOW,
    applies,
    ask_when_open,
    day_part,
    first_day,
    opens,
    outcome,
    outcomes,
    person_part,
    told,
    window,
)

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Event
    from assistant.types import Button


def answer_of(ctx: Context, event: Event) -> str | None:
    """The user's RSVP answer for the event ("in_person" also while on the waiting list)."""
    if ctx.user is None:
        return None
    attendance = ctx.hooks.attendance(ctx, event, ctx.user.id)
    return attendance.answer if attendance else None


def seat_of(ctx: Context, event: Event) -> str | None:
    """The answer as the card and reminders see it: "waiting" for someone on the waiting list
    (the attendance hook says so), who has no declaration to make until a seat is theirs."""
    if ctx.user is None:
        return None
    attendance = ctx.hooks.attendance(ctx, event, ctx.user.id)
    if attendance is None:
        return None
    return "waiting" if attendance.waiting else attendance.answer



def full(ctx: Context, event: Event) -> bool:
    """Whether "Coming in person" would only reach the waiting list now: no in-person seat is
    left on some day of the meeting, as the plugin that keeps the seats counts them (the
    `places_left` hook, answered from its kept tally: this is asked on every card view)."""
    return ctx.hooks.places_left(ctx, event, "in_person") == 0


def viewer(ctx: Context) -> int | None:
    """The user the card, reminder or gate speaks to, whose first day in person counts."""
    return ctx.user.id if ctx.user is not None else None


def opens_on(ctx: Context, event: Event, also: str | None = None, lead: bool = True) -> str:
    """'Tuesday 31 August 2027 at 09:30' in the user's language and the event's zone, named
    for a meeting that can be joined online, as on its card. At a gathering the user comes to
    in person from a later day (or switches `also` to in person), with `lead` ', 48 hours
    before your first day in person': not the gathering's start, which they may know."""
    fmt, when = ctx.fmt_event(event), opens(ctx, event, viewer(ctx), also)
    words = ctx._("{date} at {time}", date=fmt.date(when), time=fmt.time(when))
    words = fmt.zoned(words) if event.online is not None else words
    if lead and later_day(ctx, event, also):
        words = ctx._("{when}, {before} before your first day in person", when=words,
                      before=fmt.duration(ctx.setting(WINDOW)))
    return words


def their_range(ctx: Context, event: Event, day: str | None = None) -> str:
    """The meeting's time in brackets, at a gathering from the recipient's first day in
    person (`day`: the one they asked to switch to in person) to their last."""
    span = person_part(ctx, event, ctx.user.id, day)
    return escape(ctx.fmt_event(event).range(span.start, span.end,
                                             zone=event.online is not None, bracketed=True))


def later_day(ctx: Context, event: Event, also: str | None = None) -> bool:
    """Whether the user's declaration counts from a later day of the gathering than its
    first (their first day in person, `records.person_part`)."""
    return person_part(ctx, event, viewer(ctx), also).start != event.start


def missing_line(ctx: Context, event: Event) -> str:
    """The warning that the declaration is still missing, and when it can be made."""
    if window(ctx, event, viewer(ctx)) == "early":
        return ctx._("⚠️ Health declaration missing – you can fill it in from {when}.",
                     when=escape(opens_on(ctx, event)))
    return ctx._("⚠️ Health declaration missing – please fill it in before you come.")


def status_line(ctx: Context, event: Event) -> str:
    """Done, stay at home, or missing."""
    state = outcome(ctx, event.id, ctx.user.id)
    if state == FINE:
        return ctx._("✅ Health declaration done")
    if state == STAY_HOME:
        return ctx._("🏠 Your health declaration asks you to stay at home this time.")
    return missing_line(ctx, event)


ASKED = (None, "maybe")
"""The answers of people the card asks to declare at a `health_required` meeting: those who
have not said whether they come in person. Someone coming online, on the waiting list or not
coming needs no declaration (docs/health.md)."""


def card_lines(ctx: Context, event: Event) -> list[str]:
    """Card lines: the status for people coming in person, the condition where it is one
    (not for someone coming online, waiting or not coming: it does not concern them)."""
    if ctx.user is None or not applies(event) or window(ctx, event) == "over":
        return []
    answer, state = seat_of(ctx, event), outcome(ctx, event.id, ctx.user.id)
    if answer == "in_person" or (state is not None and answer in (None, "maybe", "waiting")):
        return [status_line(ctx, event)]
    if event.health_required and answer in ASKED and state is None:
        if window(ctx, event, ctx.user.id) == "early":
            return [ctx._("Coming in person requires a health declaration, which opens {when}.",
                          when=escape(opens_on(ctx, event)))]
        if full(ctx, event):
            return [ctx._("Coming in person requires a health declaration first. Every seat "
                          "is taken, though, and the waiting list needs none: you fill it in "
                          "when a seat is yours.")]
        return [ctx._("Coming in person requires a health declaration first.")]
    return []


def fill_in_button(ctx: Context, event: Event) -> Button:
    """The button that opens the declaration."""
    return ctx.button(ctx._("Fill in health declaration"), "start", event.id)


def card_buttons(ctx: Context, event: Event) -> list[Button]:
    """A "Fill in" button while the window is open and nothing is declared yet: for a seat
    held, or for a seat to book at a `health_required` meeting that has one left (a full one
    takes people on the waiting list without a declaration, as its card says)."""
    if (ctx.user is None or not applies(event) or window(ctx, event, ctx.user.id) != "open"
            or outcome(ctx, event.id, ctx.user.id) is not None):
        return []
    answer = seat_of(ctx, event)
    if answer == "in_person" or (event.health_required and answer in ASKED
                                 and not full(ctx, event)):
        return [fill_in_button(ctx, event)]
    return []


def reminder_lines(ctx: Context, event: Event, last: bool) -> list[str]:
    """With the last reminder: whether the declaration is done, for people coming in person."""
    if (not last or ctx.user is None or not applies(event)
            or seat_of(ctx, event) != "in_person"):
        return []
    return [status_line(ctx, event)]


ALONGSIDE = timedelta(minutes=30)
"""A last reminder this soon after a message that asked the person to declare, with the button
(a seat given on the morning brings the last reminder late, right after it), leaves the
button to that message, which says why it is needed; one still waiting in the outbox counts
whatever its age (a morning's backlog: both would arrive together)."""


def seat_key(event: Event, user_id: int, place_revision: int) -> str:
    """The outbox key of the message asking for the declaration that comes with a seat from
    the waiting list, with its button: one per seat (`place_revision` rises with each)."""
    return f"seat:{event.id}:{user_id}:{place_revision}"


def prompts(ctx: Context, event: Event, user_id: int) -> list[str]:
    """The outbox groups (each key without its last part) of the messages that ask this person
    for the declaration with its button: a seat from the waiting list (`seat_key`), the
    declaration opening for a seat held (`opening.ready_key`), the meeting starting to ask
    at its current opening (`announce.tell`)."""
    plugin, when = ctx.plugin, int(opens(ctx, event, user_id).timestamp())
    return [f"{plugin}:seat:{event.id}:{user_id}", f"{plugin}:ready:{event.id}:{user_id}",
            f"{plugin}:asked:{event.id}:{user_id}:{when}", f"{plugin}:again:{event.id}:{user_id}"]


def again_key(event: Event, user_id: int, when: datetime) -> str:
    """The outbox key of the message asking someone whose first day in person moved later to
    declare again, with the button (once its window is open): one per opening."""
    return f"again:{event.id}:{user_id}:{int(when.timestamp())}"


def again(ctx: Context, event: Event) -> None:
    """The message (ctx is the recipient's): their first day in person moved later, and the
    declaration they made before its window opened was deleted."""
    title = escape(text(event.title, ctx.lang))
    day = ctx.fmt_event(event).date(person_part(ctx, event, ctx.user.id).start)
    line = ctx._("📋 You now come in person to <b>{title}</b> from {day}, so the health "
                 "declaration you made earlier no longer counts: it is made shortly before you "
                 "come.", title=title, day=escape(day))
    ask_to_fill(ctx, event, line)


def prompted(ctx: Context, event: Event, user_id: int) -> bool:
    """Whether a message asking this person for the declaration, with its button, still waits
    in the outbox or reached them within ALONGSIDE: the outbox's record, nothing kept beside
    it. One queued before the window opened said when it opens, without the button: it asks
    nothing yet."""
    since, table = ctx.now - ALONGSIDE, ctx.assistant.outbox.table
    opened = opens(ctx, event, user_id)
    return any((state == "pending" or (state == "sent" and finished
                                       and datetime.fromisoformat(finished) >= since))
               and datetime.fromisoformat(created) >= opened
               for group in prompts(ctx, event, user_id)
               for _id, (state, finished, created) in table.values(
                   ("state", "finished", "created"), group=group))


def withdraw_prompts(ctx: Context, event: Event, user_id: int) -> None:
    """Take back the requests to declare still waiting in the outbox: the person declared, or
    no longer holds an in-person seat (a backlog must not ask someone who said they can't
    come)."""
    ctx.assistant.outbox.withdraw(prompts(ctx, event, user_id))


def reminder_buttons(ctx: Context, event: Event, last: bool) -> list[Button]:
    """With the last reminder: the "Fill in" button while it is missing and the window open,
    unless a message that asks for it with the button, and says why, still waits to go, just
    went, or goes on this tick (the window opened since a tick last looked: `opening`), so
    that one call to act comes, not two alike in a row. Once the meeting has begun no such
    message goes (its record of being told is gone): the last reminder before a gathering's
    later day, someone's first, brings the button itself."""
    if (not last or ctx.user is None or not applies(event)
            or window(ctx, event, ctx.user.id) != "open" or seat_of(ctx, event) != "in_person"
            or outcome(ctx, event.id, ctx.user.id) is not None
            or not told(ctx, event, day := first_day(ctx, event, ctx.user.id))
            and ctx.now < day_part(event, day).start_utc
            or prompted(ctx, event, ctx.user.id)):
        return []
    return [fill_in_button(ctx, event)]


def gate(ctx: Context, event: Event, answer: str, waiting: bool,
         day: str | None = None) -> str | None:
    """Refuse "in person" at a meeting that requires a declaration until it says "fine"; a
    place on the waiting list needs none yet (it is asked for when a seat is theirs). At a
    gathering it counts from the first day the answer brings them in person (`day`: the one
    switched to in person): a "fine" given before that day's window opened is too old."""
    if answer != "in_person" or not event.health_required or event.venue is None:
        return None
    if ctx.user is None:
        return ctx._("Coming in person requires a health declaration first.")
    state, opening = outcome(ctx, event.id, ctx.user.id), opens(ctx, event, ctx.user.id, day)
    if state == FINE and (not later_day(ctx, event, day) or declared_at(ctx, event) >= opening):
        return None
    if state == STAY_HOME:
        if event.online is not None:
            return ctx._("Your health declaration asks you to stay at home this time, so you "
                         "can't come in person – but you're welcome to join online.")
        return ctx._("Your health declaration asks you to stay at home this time, so you "
                     "can't come in person.")
    if ctx.now < opening:
        ask_when_open(ctx, event.id, ctx.user.id, day)
        reason = ctx._("This meeting requires a health declaration before you come in person. "
                       "In-person places can be booked when the declaration opens, {when}: "
                       "I'll tell you then.", when=opens_on(ctx, event, day))
        if answer_of(ctx, event) is None:
            reason += " " + ctx._("Until then you can answer “Maybe”.")
        return reason
    if waiting:
        return None
    reason = ctx._("This meeting requires a health declaration before you come in person. "
                   "Send /health {id} to fill it in first – it takes a minute.", id=event.id)
    if window(ctx, event, ctx.user.id, day) == "open":
        ctx.reply(reason, [[fill_in_button(ctx, event)]])  # the refusal, with the way on
    return reason


def declared_at(ctx: Context, event: Event) -> datetime:
    """When the user's declaration was made (the outcome must exist)."""
    doc = outcomes(ctx).first(event=event.id, user=ctx.user.id)
    return datetime.fromisoformat(doc["at"])


def waiting_text(ctx: Context, event: Event) -> str | None:
    """Why there is nothing to declare yet for someone on the meeting's waiting list, or None
    for everyone else."""
    if ctx.user is None:
        return None
    attendance = ctx.hooks.attendance(ctx, event, ctx.user.id)
    if attendance is None or not attendance.waiting:
        return None
    title = escape(text(event.title, ctx.lang))
    if attendance.position:
        return ctx._("You're on the waiting list for {title}, place {n}, so there is nothing to "
                     "declare yet. The health declaration opens for you when you get a seat – "
                     "I'll tell you.", title=title, n=attendance.position)
    return ctx._("You're on the waiting list for {title}, so there is nothing to declare yet. "
                 "The health declaration opens for you when you get a seat – I'll tell you.",
                 title=title)


def promoted(ctx: Context, event: Event) -> None:
    """For someone who just got a seat from the waiting list: the declaration they still need
    to make (ctx is theirs)."""
    if not applies(event) or window(ctx, event) == "over" \
            or outcome(ctx, event.id, ctx.user.id) is not None:
        return
    title = escape(text(event.title, ctx.lang))
    if event.health_required:
        line = ctx._("📋 Your seat at <b>{title}</b> comes with a condition: this meeting "
                     "requires a health declaration before you come in person.", title=title)
    else:
        line = ctx._("📋 <b>{title}</b> asks everyone coming in person for a health "
                     "declaration.", title=title)
    ask_to_fill(ctx, event, line)


def ask_to_fill(ctx: Context, event: Event, line: str) -> None:
    """`line`, then when the declaration opens or, when it is open, a request to fill it in
    now with the button: one wording for a seat given and a meeting that starts to ask."""
    if window(ctx, event, ctx.user.id) == "early":
        ctx.reply(line + " " + ctx._("You can fill it in from {when}.",
                                     when=escape(opens_on(ctx, event))))
        return
    ctx.reply(line + " " + ctx._("Please fill it in now – it takes a minute."),
              [[fill_in_button(ctx, event)]])
