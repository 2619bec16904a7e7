"""Health declarations: a short, private check before meetings that ask for one.

Participants coming in person answer the programme's yes/no questions and acknowledge
the meeting's rules; only the outcome (fine / stay at home) and its time are stored,
and deleted `MINGEL_HEALTH_RETENTION` after the meeting. Organisers see a door list.
With `health_required` the RSVP gate keeps in-person places for those declared fine.
docs/health.md describes the behaviour for users and organisers.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant import N_, hookimpl
from assistant.config import parse_duration
from assistant.text import escape
from assistant.types import Action, Command, Setting

from . import announce, card, declaration, doorlist, opening, records, redact

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Attendance, Event
    from assistant.types import Button

NAME = "health"


@hookimpl
def register_commands() -> list[Command]:
    """/health for participants, /doorlist for organisers."""
    return [
        Command("health", declaration.open_declaration,
                N_("Fill in the health declaration for a meeting"), aliases=("hälsa", "halsa"),
                args=N_("[ID]")),
        Command("doorlist", doorlist.show_doorlist,
                N_("Who comes in person, and whether they declared their health"),
                role="organiser", aliases=("dörrlista", "dorrlista"), args=N_("[ID]")),
    ]


@hookimpl
def register_actions() -> list[Action]:
    """The declaration's buttons and the door list menu."""
    return [
        Action("start", declaration.start_pressed, arity=(1, 2)),
        Action("pick", declaration.press_pick, arity=(1, 2)),
        Action("q", declaration.answer_question, arity=(3, 3)),
        Action("rules", declaration.accept_rules, arity=(1, 1)),
        Action("online", declaration.switch_online, arity=(1, 1)),
        Action("cancel", declaration.cancel, arity=(1, 1)),
        Action("inperson", declaration.come_in_person, arity=(1, 1)),
        Action("door", doorlist.doorlist_pressed, role="organiser", arity=(1, 1)),
        Action("pickdoor", doorlist.press_pick, role="organiser", arity=(1, 2)),
    ]


@hookimpl
def register_settings() -> list[Setting]:
    """How early the declaration opens, and how long outcomes are kept."""
    return [
        Setting(records.WINDOW, records.positive_duration, "48h",
                "how long before a meeting its health declaration opens (e.g. 48h, 3d)"),
        Setting(records.RETENTION, parse_duration, "14d",
                "how long after a meeting health declaration outcomes are deleted (e.g. 14d)"),
    ]


@hookimpl
async def startup(ctx: Context) -> None:
    """Keep the answers out of python-telegram-bot's debug logs. Once, on the first start
    that tells seat holders when the declaration opens (and again on the first that counts it
    per first day in person, version 2): the windows open already count as told, since their
    seat holders may have seen the button on the card and the last reminder
    (`opening.tell_seated`). Version 3: who waits to hear that booking opens for the night a
    gathering of evenings ends in (stored before its days were its evenings) waits for its
    last evening."""
    redact.install()
    if ctx.programme is not None:
        ctx.assistant.store.migrate(NAME, 2, lambda _store: opening.mark_open(ctx))
        ctx.assistant.store.migrate(NAME, 3, lambda _store: _nights(ctx))


def _nights(ctx: Context) -> None:
    """Version 3: the night a gathering of evenings ends in, waited for, is its last evening."""
    if count := opening.nights(ctx):
        ctx.log.info("%d waiting to hear that booking opens for the night a gathering of "
                     "evenings ends in: now its last evening", count)


@hookimpl
def event_details(ctx: Context, event: Event) -> list[str]:
    """Declaration done / missing / stay at home on the card."""
    return card.card_lines(ctx, event)


@hookimpl
def event_buttons(ctx: Context, event: Event) -> list[Button]:
    """"Fill in health declaration" on the card while it is missing."""
    return card.card_buttons(ctx, event)


@hookimpl
def reminder_details(ctx: Context, event: Event, last: bool) -> list[str]:
    """Declaration status in the last reminder."""
    return card.reminder_lines(ctx, event, last)


@hookimpl
def reminder_buttons(ctx: Context, event: Event, last: bool) -> list[Button]:
    """"Fill in health declaration" in the last reminder."""
    return card.reminder_buttons(ctx, event, last)


@hookimpl
async def rsvp_gate(ctx: Context, event: Event, answer: str, waiting: bool,
                    day: str | None) -> str | None:
    """With health_required: an in-person seat only after a "fine" declaration, made within
    the window of the first day it brings the person in person."""
    return card.gate(ctx, event, answer, waiting, day)


@hookimpl
async def rsvp_changed(ctx: Context, event: Event, user_id: int, before: Attendance | None,
                       after: Attendance | None) -> None:
    """Moved up from the waiting list: ask for the declaration that is now due (keyed while it
    carries the button, so that a reminder coming with it leaves the button out). Someone who
    gave up their seat is not asked by a request still queued, and someone who said they
    can't come needs no word when in-person booking opens. A declaration made before the window
    of the (later) day it now counts from is deleted; someone coming in person is told to
    declare again, whoever else has nothing asked of them now."""
    if before is not None and before.waiting and after is not None and after.in_person:
        key = card.seat_key(event, user_id, after.place_revision) \
            if records.window(ctx, event, after) == "open" else None  # the message with the button
        ctx.send_to(user_id, lambda target: card.promoted(target, event), key=key)
    if after is not None and declared_too_early(ctx, event, before, after):
        ctx.scrub()
        if after.in_person:  # the waiting list is asked when a seat is theirs; "Maybe" and
            when = records.opens(ctx, event, after)  # online are asked nothing now
            key = card.again_key(event, user_id, when) if when <= ctx.now else None
            ctx.send_to(user_id, lambda target: card.again(target, event), key=key)
    if before is not None and before.in_person and not (after is not None and after.in_person):
        card.withdraw_prompts(ctx, event, user_id)
    if after is None or after.answer == "no":
        opening.drop(ctx, event.id, user_id)


def declared_too_early(ctx: Context, event: Event, before: Attendance | None,
                       after: Attendance) -> bool:
    """Whether the day the person's declaration counts from moved later (their first day in
    person, or the first day they chose while in person on none: "Maybe", online), and the
    declaration they made came before that day's window opened: it is deleted, whatever the
    answer, since a declaration is kept only while it can count (one made within it stays)."""
    return records.applies(event) \
        and records.opens(ctx, event, after) > records.opens(ctx, event, before) \
        and records.drop_before(ctx, event, after.user_id, after)


@hookimpl
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """A meeting moved later: declarations made before its new window must be made again.
    Switched on: whoever holds an in-person seat is told. Switched off or online only: the
    outcomes have no use left and go (switched on while its window is open, that message is
    the one saying it is open: `opening.switched_on`)."""
    if after is not None and "time" in fields and records.drop_early(ctx, after):
        ctx.scrub()
    if gone := announce.drop_unneeded(ctx, after):
        ctx.scrub()
        ctx.log.info("deleted %d health declaration outcomes of %s, which no longer asks for "
                     "one", gone, after.id)
    announce.tell(ctx, before, after)
    if announce.switched_on(before, after):
        opening.switched_on(ctx, after)


@hookimpl
def change_audience(ctx: Context, before: Event | None, after: Event | None,
                    fields: tuple[str, ...]) -> list[int]:
    """Who the change will ask for a declaration: the organiser's preview counts them."""
    return announce.audience(ctx, before, after)


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Delete outcomes past their retention (survives restarts: it compares times); tell
    whoever was refused a seat too early that booking has opened, and whoever holds a seat
    that the declaration has."""
    gone = records.sweep(ctx, now)
    if gone:
        ctx.scrub()
        ctx.log.info("deleted %d health declaration outcomes after their retention", gone)
    if told := opening.tell_opened(ctx, now):
        ctx.log.info("told %d people that in-person booking has opened", told)
    if told := await opening.tell_seated(ctx, now):
        ctx.log.info("told %d people with a seat that the health declaration has opened", told)


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What is kept about health declarations."""
    return ctx._("Health declarations: for meetings that ask for one, I keep only whether you "
                 "may come in person (fine or stay at home) and when you answered – never your "
                 "answers – so that the organisers know who may come. The organisers see it on "
                 "the door list. I delete it automatically {retention} after the meeting.",
                 retention=declaration.retention_words(ctx)) + " " + ctx._(
        "If you ask for a seat in person before the declaration opens, I keep which meeting "
        "until I've told you it has opened.")


@hookimpl
def user_data(ctx: Context, user_id: int) -> list[dict[str, Any]] | None:
    """The user's stored outcomes, and the meetings they wait to hear about."""
    return [*records.user_outcomes(ctx, user_id), *opening.kept_for(ctx, user_id)] or None


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user's outcomes, any declaration in progress and whom to tell when
    booking opens."""
    records.forget(ctx, user_id)


@hookimpl
def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """The door lists in /audit, in the reader's language."""
    if action != "doorlist":
        return None
    return ctx._("Door list of {event}", event=escape(str(values.get("event", ""))))
