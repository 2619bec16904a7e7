"""Reminders before each meeting, at each person's lead times, sent through the outbox.

Everything is computed from the stored programme and answers on every tick (schedule),
never from in-memory timers, so restarts, moved and cancelled meetings need no special
care beyond dropping queued reminders that no longer fit. Modules: schedule (what is due),
message (the reminder), prefs (/reminders and MINGEL_REMINDERS). docs/reminders.md
describes the behaviour.
"""
from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from assistant import N_, hookimpl
from assistant.context import Context
from assistant.model import Event
from assistant.types import Action, Command, Setting

from . import message, prefs, schedule

NAME = "reminders"
YIELD_EVERY = 200


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
                    args="[48h,2h|off]")]


@hookimpl
def register_actions() -> list[Action]:
    """The settings buttons."""
    return [Action("menu", open_settings), Action("toggle", prefs.toggle_lead),
            Action("off", prefs.turn_off), Action("default", prefs.use_default)]


async def open_settings(ctx: Context) -> None:
    """"Reminder settings" under a reminder."""
    ctx.reply(*prefs.menu(ctx))


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Queue the reminders due now and drop queued ones that no longer fit."""
    outbox = ctx.assistant.outbox
    queued = 0
    for item in schedule.due(ctx, now):
        if outbox.has(f"{NAME}:{item.key}"):
            continue
        if ctx.send_to(item.attendance.user_id,
                       lambda target, item=item: message.build(target, item, now),
                       key=item.key):
            queued += 1
            if queued % YIELD_EVERY == 0:
                await asyncio.sleep(0)
    fits = schedule.still_current(ctx, now)
    dropped = 0 if fits is None else outbox.drop_pending(
        f"{NAME}:", "stale", keep=lambda key: fits(key.removeprefix(f"{NAME}:")))
    if queued or dropped:
        ctx.log.info("reminders: %d queued, %d dropped", queued, dropped)


@hookimpl
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """A cancelled or moved meeting: drop its queued reminders at once."""
    event = after or before
    if event is None:
        return
    current = f"{NAME}:{after.id}:{schedule.stamp(after)}:" \
        if after is not None and not after.cancelled else None

    def still_fits(key: str) -> bool:
        return current is not None and key.startswith(current)

    ctx.assistant.outbox.drop_pending(f"{NAME}:{event.id}:", "changed", keep=still_fits)


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What is kept about reminders."""
    return ctx._("Reminders: I work them out from your answers, so I keep nothing extra "
                 "unless you choose your own reminder times with /reminders; those are kept "
                 "until you change them or ask me to forget you, and only you see them.")


@hookimpl
def user_data(ctx: Context, user_id: int) -> dict[str, Any] | None:
    """A person's own lead times."""
    own = prefs.chosen(ctx, user_id)
    if own is None:
        return None
    return {"reminder_times": [str(lead) for lead in own], "off": not own}


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete a person's lead times."""
    prefs.forget(ctx, user_id)
