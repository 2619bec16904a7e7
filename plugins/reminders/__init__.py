"""Reminders before each meeting, at each person's lead times, sent through the outbox.

Everything is computed from the stored programme and answers on every tick (schedule),
never from in-memory timers, so restarts, moved and cancelled meetings need no special
care beyond dropping queued reminders that no longer fit. Modules: schedule (what is due),
message (the reminder), prefs (/reminders and MINGEL_REMINDERS). docs/reminders.md
describes the behaviour.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assistant import N_, hookimpl
from assistant.context import Context
from assistant.model import Attendance, Event
from assistant.types import Action, Command, Setting

from . import message, prefs, schedule
from .sent import Sent, forget_legacy, link_due, remember_legacy, remember_start

NAME = "reminders"
BACKLOG = 1000
"""Reminders queued and not yet sent beyond which a tick queues no more. The outbox sends
about 30 messages a second, so a festival's first morning had 27,000 reminders due at once,
built and stored in one tick: 8 s of the bot's time, and everyone's answers came 10 s late.
Now they are queued as they go out, the soonest meetings' first; the rest wait for the next
tick (docs/reminders.md)."""


@hookimpl
def register_settings() -> list[Setting]:
    """MINGEL_REMINDERS: the standard lead times."""
    return [Setting(prefs.SETTING, prefs.parse_setting, "24h,1h",
                    "lead times of reminders before each meeting, e.g. 24h,1h")]


@hookimpl
def register_commands() -> list[Command]:
    """/reminders."""
    return [Command("reminders", prefs.show_reminders,
                    N_("Choose when I remind you of meetings, or turn reminders off"),
                    aliases=("påminnelser", "paminnelser"), args=N_("[2 days, 2 hours | off]"))]


@hookimpl
def register_actions() -> list[Action]:
    """The settings buttons."""
    return [Action("menu", open_settings, arity=(0, 0)),
            Action("toggle", prefs.toggle_lead, arity=(1, 1)),
            Action("off", prefs.turn_off, arity=(0, 0)),
            Action("default", prefs.use_default, arity=(0, 0))]


async def open_settings(ctx: Context) -> None:
    """"Reminder settings" under a reminder."""
    ctx.reply(*prefs.menu(ctx))


@dataclass
class _Looked:
    """What the last tick looked at: when, with which lead times chosen, and the meetings
    whose answers or details changed since."""

    at: datetime | None = None
    prefs: int = -1
    programme: Any = None
    touched: set[str] = field(default_factory=set)


_looked: weakref.WeakKeyDictionary[Any, _Looked] = weakref.WeakKeyDictionary()


def _last(ctx: Context) -> _Looked:
    return _looked.setdefault(ctx.assistant, _Looked())


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Queue the reminders due now (with other people's updates answered in between: see
    `Context.give_way`) and drop queued ones that no longer fit, when a meeting
    has begun or the programme changed since the tick before (`event_changed` drops a moved
    or cancelled meeting's at once; this catches what it could not). At most BACKLOG wait to
    go at a time: the meetings not reached are remembered for the next tick, which goes on
    from there instead of looking at the earlier ones again. Changes made while the tick
    runs are marked for the next one; a tick that failed half-way is looked at again."""
    outbox = ctx.assistant.outbox
    looked, version = _last(ctx), prefs.version(ctx)
    since = looked.at if looked.prefs == version and looked.at is not None and \
        looked.at <= now else None
    touched, looked.touched = looked.touched, set()
    try:
        leads = schedule.Leads.read(ctx)
        meetings = schedule.meetings(ctx, leads, now, since, touched)
        queued, left, held = await _queue(ctx, leads, meetings, now,
                                          BACKLOG - outbox.waiting(f"{NAME}:"))
    except BaseException:
        looked.touched |= touched
        raise
    fits = schedule.still_current(ctx, now) if since is None or \
        looked.programme is not ctx.programme or schedule.began(ctx, since, now) else None
    dropped = 0 if fits is None else outbox.drop_pending(
        f"{NAME}:", "stale", keep=lambda key: fits(key.removeprefix(f"{NAME}:")))
    looked.at, looked.prefs, looked.programme = now, version, ctx.programme
    looked.touched.update(event.id for event in (*left, *held))
    if queued or dropped:
        ctx.log.info("reminders: %d queued, %d dropped%s", queued, dropped,
                     f", {len(left)} meetings left for the next tick" if left else "")


async def _queue(ctx: Context, leads: schedule.Leads, meetings: list[Event], now: datetime,
                 room: int) -> tuple[int, list[Event], list[Event]]:
    """Queue up to `room` of the meetings' reminders; (how many, the meetings not done, those
    where someone's reminder waits for a change notice). Stops early when the programme
    changed while others had the loop: the meetings left are then looked at by the next
    tick, with the new programme. Nobody whose answer a change moved without telling them
    yet (`awaiting_notice`) is reminded: the reminder would go before the notice that
    explains it (a link to a meeting they think they come to in person). When one of them
    had a reminder due, their meeting is looked at again on each tick until the notice has
    gone (rsvp's tick runs first, so the reminder follows the notice in the same tick); a
    meeting where nobody held had one due is not read again for that. A notice about a new
    private link holds everyone coming online the same way, so the link follows it."""
    programme, queued, waits = ctx.programme, 0, []
    sent = Sent.of(ctx)
    for number, event in enumerate(meetings):
        held = ctx.hooks.awaiting_notice(ctx, event)
        for item in schedule.due(ctx, leads, event, now, sent):
            if item.attendance.user_id in held:
                if not waits or waits[-1] is not event:
                    waits.append(event)
                continue
            if await ctx.give_way() and ctx.programme is not programme:
                return queued, meetings[number:], waits
            if sent.queued(item):
                continue
            if queued >= room:
                return queued, meetings[number:], waits
            if ctx.send_to(item.attendance.user_id,
                           lambda target, item=item: message.build(target, item, now),
                           key=item.key):
                queued += 1
    return queued, [], waits


@hookimpl
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """A cancelled or moved meeting: drop its queued reminders at once; a moved one with a
    private link keeps its old start, whose keys tell who had which link
    (`sent.remember_start`). A changed join link: withdraw the queued ones that give the
    old one, so the next ticks queue them again with the new link, after the change notice
    (`awaiting_notice`); keys from before links had a fingerprint stand for the old link from
    now on (`sent.remember_legacy`)."""
    event = after or before
    if event is None:
        return
    _last(ctx).touched.add(event.id)
    current = tuple(f"{NAME}:{after.id}:{schedule.stamp(part)}:"
                    for part in schedule.parts(after)) \
        if after is not None and not after.cancelled else ()

    def still_fits(key: str) -> bool:
        return key.startswith(current)

    ctx.assistant.outbox.drop_pending(f"{NAME}:{event.id}:", "changed", keep=still_fits)
    if after is None:
        forget_legacy(ctx, lambda event_id: event_id != event.id)
        return
    if before is not None:
        remember_start(ctx, before, after)
    if before is not None and before.online != after.online:
        remember_legacy(ctx, before, after)
        _withdraw_links(ctx, after)


def _withdraw_links(ctx: Context, event: Event) -> None:
    """Withdraw the queued reminders and links alone that may give a meeting's old join link:
    those of everyone coming online or maybe (a backlog would bring the old link after the
    notice that it changed)."""
    groups = [group for att in ctx.hooks.attendees(ctx, event)
              if att.answer in ("online", "maybe") and not att.waiting
              or att.online_days and not att.online_waiting
              for group in _groups(ctx, event, att.user_id, every=True)]
    if withdrawn := ctx.assistant.outbox.withdraw(groups):
        ctx.log.info("reminders: %d with the old link of %s withdrawn", withdrawn, event.id)


def _groups(ctx: Context, event: Event, user_id: int, every: bool = False) -> list[str]:
    """The outbox groups of the messages that brought a person a meeting's link: the last
    reminder at each lead time, the link alone and the reminders before later days followed
    online, whose keys end in the link's fingerprint; with `every`, the other reminders too
    (their keys, which end in their lead time, are the group `person`). At a gathering, under
    each day the person may begin with (`schedule.people`)."""
    leads = {*prefs.leads_of(ctx, user_id), schedule.LINK_LEAD}
    groups = []
    for person in schedule.people(event, user_id):
        person = schedule.PREFIX + person
        groups += [person] if every else []
        groups += [f"{person}:{int(lead.total_seconds())}" for lead in leads]
        groups += [f"{person}:link", f"{person}:online"]
    return groups


@hookimpl
async def rsvp_changed(ctx: Context, event: Event, user_id: int, before: Attendance | None,
                       after: Attendance | None) -> None:
    """An answer given, changed or moved up from the waiting list: the next tick looks at
    the meeting again. Someone who is no longer down for it (can't come, on the waiting
    list), or no longer online, loses the reminders still queued for them that would bring
    what is no longer theirs: above all the private link, which a backlog could otherwise
    deliver after "Can't come". Someone who changed the days they come to a gathering loses
    those still queued for the days they had: the next tick reminds them of their new days;
    so does a reminder before a later day on which they begin to take part another way when
    that day no longer is one (`schedule.runs`: switched back, dropped, "Can't come")."""
    _last(ctx).touched.add(event.id)
    runs = schedule.runs(event, before)
    if runs and runs != schedule.runs(event, after):
        ctx.assistant.outbox.withdraw(f"{schedule.PREFIX}{person}:{way}"
                                      for person in schedule.people(event, user_id)
                                      for way in schedule.WAYS)
    was = before is not None and before.answer in schedule.REMINDED and not before.waiting
    if not was:
        return
    gone = after is None or after.answer not in schedule.REMINDED or after.waiting
    moved = not gone and schedule.attended(event, before) != schedule.attended(event, after)
    if not gone and not moved and not (schedule.online_place(before)
                                       and not schedule.online_place(after)):
        return
    ctx.assistant.outbox.withdraw(_groups(ctx, event, user_id, every=gone or moved))


@hookimpl
def private_link_due(ctx: Context, event: Event, user_id: int) -> bool:
    """Whether the meeting's private link goes to this person on this tick, with their last
    reminder or alone: a notice about a new link then says it follows in a moment."""
    return link_due(ctx, event, user_id, ctx.now)


@hookimpl
def private_link_sent(ctx: Context, event: Event, user_id: int) -> bool:
    """Whether the meeting's current private link was delivered to this person, alone or with
    their last reminder, and they still come online: the card then says it is in the chat."""
    online = event.online
    if online is None or not online.private:
        return False
    attendance = ctx.hooks.attendance(ctx, event, user_id)
    if attendance is None or not attendance.coming or not schedule.online_place(attendance):
        return False
    lead = min(prefs.leads_of(ctx, user_id),
               default=min(ctx.setting(prefs.SETTING), default=schedule.LINK_LEAD))
    return Sent.of(ctx).delivered(schedule.attended(event, attendance), user_id, lead)


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What is kept about reminders."""
    return ctx._("Reminders: I work them out from your answers, so I keep nothing extra "
                 "unless you choose your own reminder times with /reminders; those are kept "
                 "until you change them or ask me to forget you, and only you see them.")


@hookimpl
def user_data(ctx: Context, user_id: int) -> dict[str, Any] | None:
    """A person's own lead times, as ISO 8601 durations (the file's times are ISO 8601 too)."""
    own = prefs.chosen(ctx, user_id)
    if own is None:
        return None
    return {"reminder_times": [prefs.iso(lead) for lead in own], "off": not own}


@hookimpl
async def trim_past(ctx: Context, before: datetime) -> None:
    """Forget which link the old keys of a meeting stood for once it ended before the cut-off
    or left the programme."""
    programme = ctx.programme
    if programme is None:
        return

    def current(event_id: str) -> bool:
        event = programme.event(event_id)
        return event is not None and event.end_utc >= before

    forget_legacy(ctx, current)


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete a person's lead times."""
    prefs.forget(ctx, user_id)
