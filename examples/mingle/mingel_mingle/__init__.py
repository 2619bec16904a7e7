"""The mingle plugin for Mingel: people coming to a meeting introduce themselves in one line,
so that they know whom to look for; only others coming who did the same see the lines.

A third-party plugin that uses only what docs/plugins.md offers: hooks, the core's small
types, its own table, settings and catalogue.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from assistant import N_, hookimpl
from assistant.attendance import Attendance
from assistant.config import parse_duration
from assistant.context import Context
from assistant.model import Event, text
from assistant.storage import Table
from assistant.text import bold, escape, whole_number
from assistant.types import Action, Command, Setting

if TYPE_CHECKING:
    from tinydb.table import Document

NAME = "mingle"
MAX_LENGTH = "MINGEL_MINGLE_MAX_LENGTH"
KEEP = "MINGEL_MINGLE_KEEP"
WITHDRAW_WORDS = ("off", "av")
"""`/mingle ID off` (or, as Swedish /help names it, `av`) withdraws."""


def parse_length(value: str) -> int:
    """The longest introduction, a whole number of characters from 20 to 1000."""
    number = whole_number(value.strip(), digits=4)
    if number is None or not 20 <= number <= 1000:
        raise ValueError(f"{value!r} is not a number of characters from 20 to 1000, such as 140")
    return number


def intros(ctx: Context) -> Table:
    """mingle_intros: one line per person and meeting, with the meeting's end to trim by."""
    return ctx.table("intros", indexes=("event", "user"))


def own_intro(ctx: Context, event_id: str, user_id: int) -> Document | None:
    """This person's line at this meeting, if they opted in."""
    return intros(ctx).first(event=event_id, user=user_id)


def coming(ctx: Context, event: Event, user_id: int) -> Attendance | None:
    """Their answer if they are coming (in person or online, not waiting), else None."""
    answer = ctx.hooks.attendance(ctx, event, user_id)
    return answer if answer is not None and answer.coming else None


def title(ctx: Context, event: Event) -> str:
    """The meeting's title in the reader's language, bold and escaped."""
    return bold(text(event.title, ctx.lang))


def refusal(ctx: Context, event: Event, joining: bool) -> str | None:
    """Why this user may not mingle at this meeting now (HTML), or None when they may."""
    if event.cancelled:
        return ctx._("{title} is cancelled, so there is nobody to mingle with.",
                     title=title(ctx, event))
    if coming(ctx, event, ctx.user.id) is None:
        return ctx._("Mingle is for people coming to {title}. Answer first with /rsvp {id}, "
                     "then send /mingle {id} again.", title=title(ctx, event), id=event.id)
    if joining and ctx.now >= event.end_utc:
        return ctx._("{title} is over: introductions can no longer be added.",
                     title=title(ctx, event))
    return None


async def mingle(ctx: Context) -> None:
    """/mingle [ID [INTRODUCTION | off]]: the user's meetings as buttons, the list of
    others, opting in with a line, or withdrawing."""
    if not ctx.args:
        await pick(ctx, 0)
        return
    event = ctx.event(ctx.args[0])
    if event is None:
        ctx.refuse(ctx.unknown_meeting(ctx.args[0]))
        return
    rest = ctx.text.split(None, 1)[1].strip() if len(ctx.args) > 1 else ""
    if rest.casefold() in WITHDRAW_WORDS:
        await withdraw(ctx, event)
    elif rest:
        await save(ctx, event, rest)
    else:
        await show(ctx, event)


async def pick(ctx: Context, offset: int) -> None:
    """The meetings this user is coming to, not over, as buttons (ten a page)."""
    events = ctx.upcoming(lambda e: coming(ctx, e, ctx.user.id) is not None, offset=offset)
    if not events:
        ctx.reply(ctx._("You are not coming to any upcoming meeting. Answer one first "
                        "(/programme), then send /mingle to meet the others coming."))
        return
    ctx.edit(ctx._("At which meeting would you like to mingle?"),
             ctx.meeting_buttons(events, "show", more=("pick",), offset=offset))


async def press_pick(ctx: Context) -> None:
    """Show more / ‹ Earlier under the picker."""
    await pick(ctx, whole_number(ctx.args[0], digits=6) or 0 if ctx.args else 0)


def pressed_event(ctx: Context) -> Event | None:
    """The meeting a button names, if this user may see it; else refuses kindly."""
    event_id = ctx.args[0] if ctx.args else ""
    event = ctx.event(event_id) if event_id else None
    if event is None:
        ctx.refuse(ctx.unknown_meeting(event_id))
    return event


async def press_show(ctx: Context) -> None:
    """A meeting's button in the picker."""
    if (event := pressed_event(ctx)) is not None:
        await show(ctx, event)


async def show(ctx: Context, event: Event) -> None:
    """The others' lines for someone who opted in; else how to opt in, awaiting the line."""
    if (reason := refusal(ctx, event, joining=False)) is not None:
        ctx.refuse(reason)
        return
    mine = own_intro(ctx, event.id, ctx.user.id)
    if mine is None:
        await ask(ctx, event)
        return
    names = {a.user_id: a.name for a in ctx.hooks.attendees(ctx, event) if a.coming}
    others = [(names[doc["user"]], doc) for doc in intros(ctx).find(event=event.id)
              if doc["user"] != ctx.user.id and doc["user"] in names]
    lines = [ctx._("Mingle at {title}", title=title(ctx, event)),
             escape(ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None)),
             "", ctx._("Your line: {line}", line=escape(mine["line"])), ""]
    if others:
        lines.append(ctx.ngettext("{n} other person coming has introduced themselves:",
                                  "{n} others coming have introduced themselves:", len(others)))
        unnamed = ctx._("A participant")
        lines += [f"• {bold(name or unnamed)} – {escape(doc['line'])}" for name, doc in others]
    else:
        lines.append(ctx._("Nobody else coming has introduced themselves yet. "
                           "Look again closer to the meeting."))
    buttons = [[ctx.button(ctx._("Change my line"), "change", event.id),
                ctx.button(ctx._("Withdraw"), "off", event.id)]]
    ctx.edit("\n".join(lines), buttons)


async def ask(ctx: Context, event: Event) -> None:
    """Explain mingling and wait for the user's line."""
    if (reason := refusal(ctx, event, joining=True)) is not None:
        ctx.refuse(reason)
        return
    limit = ctx.setting(MAX_LENGTH)
    ctx.expect_text("line", event.id)
    ctx.edit("\n".join([
        ctx._("Mingle at {title}", title=title(ctx, event)), "",
        ctx._("Introduce yourself in one line of at most {n} characters, for example "
              "“Economist at X, working on youth unemployment”. Others coming who did the same "
              "will see it with your name, and you will see theirs.", n=limit),
        ctx._("Write your line here.")]))


async def press_change(ctx: Context) -> None:
    """Change my line: wait for a new one."""
    if (event := pressed_event(ctx)) is not None:
        await ask(ctx, event)


async def receive_line(ctx: Context) -> None:
    """The awaited line."""
    if (event := pressed_event(ctx)) is not None:
        await save(ctx, event, ctx.text)


async def save(ctx: Context, event: Event, line: str) -> None:
    """Store (or replace) the user's line, then show the others."""
    if (reason := refusal(ctx, event, joining=True)) is not None:
        ctx.refuse(reason)
        return
    line = " ".join(line.split())
    limit = ctx.setting(MAX_LENGTH)
    if not line or len(line) > limit:
        ctx.expect_text("line", event.id)
        ctx.reply(ctx._("Please write your introduction in one line of at most {n} characters "
                        "(this one has {length}).", n=limit, length=len(line)))
        return
    record = {"event": event.id, "user": ctx.user.id, "line": line,
              "at": ctx.now.isoformat(), "ended": event.end_utc.isoformat()}
    table, version = intros(ctx), intros(ctx).version
    if (mine := own_intro(ctx, event.id, ctx.user.id)) is not None:
        table.update(mine.doc_id, record)
    else:
        table.insert(record)
    still_due(table, version, event.end_utc)
    ctx.reply(ctx._("Saved. Only others coming who introduced themselves see your line; "
                    "/mingle {id} off withdraws it.", id=event.id))
    await show(ctx, event)


async def press_off(ctx: Context) -> None:
    """The Withdraw button."""
    if (event := pressed_event(ctx)) is not None:
        await withdraw(ctx, event)


async def withdraw(ctx: Context, event: Event) -> None:
    """Delete the user's line at this meeting."""
    mine = own_intro(ctx, event.id, ctx.user.id)
    if mine is None:
        ctx.refuse(ctx._("You have no introduction at {title}.", title=title(ctx, event)))
        return
    table, version = intros(ctx), intros(ctx).version
    table.remove(mine.doc_id)
    still_due(table, version)
    ctx.edit(ctx._("Your line at {title} was deleted; you no longer see the others'.",
                   title=title(ctx, event)))


@hookimpl
def register_commands() -> list[Command]:
    """/mingle, with the Swedish name /mingla."""
    return [Command("mingle", mingle, N_("Introduce yourself to the others coming to a meeting"),
                    aliases=("mingla",), args=N_("[ID] [INTRODUCTION | off]"))]


@hookimpl
def register_actions() -> list[Action]:
    """The picker, its paging, the awaited line and the list's two buttons."""
    return [Action("show", press_show, arity=(1, 1)), Action("pick", press_pick, arity=(1, 1)),
            Action("line", receive_line, arity=(1, 1), typed=True),
            Action("change", press_change, arity=(1, 1)), Action("off", press_off, arity=(1, 1))]


@hookimpl
def register_settings() -> list[Setting]:
    """The longest introduction and how long lines are kept after the meeting."""
    return [Setting(MAX_LENGTH, parse_length, "140", "the longest introduction, in characters"),
            Setting(KEEP, parse_duration, "7d", "how long after a meeting its lines are kept")]


@hookimpl
async def rsvp_changed(ctx: Context, event: Event, user_id: int,
                       after: Attendance | None) -> None:
    """Someone who can't come after all (or whose answer is gone) no longer mingles there."""
    if (after is None or after.answer == "no") \
            and (mine := own_intro(ctx, event.id, user_id)) is not None:
        table, version = intros(ctx), intros(ctx).version
        table.remove(mine.doc_id)
        still_due(table, version)


@hookimpl
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """A removed meeting takes its lines along; a moved one keeps them until its new end."""
    if after is None and before is not None:
        for doc in intros(ctx).find(event=before.id):
            intros(ctx).remove(doc.doc_id)
    elif after is not None and "time" in fields:
        for doc in intros(ctx).find(event=after.id):
            intros(ctx).update(doc.doc_id, {"ended": after.end_utc.isoformat()})


@dataclass
class Due:
    """The earliest end of a meeting among the lines (`ended`), as the last sweep found it and
    this plugin's own saves lowered it since, for the table at `version`: until then a tick
    has nothing to delete and reads no line (a sweep of 20,000 lines took 54 ms of every 30-s
    tick). Any other write to the table (a meeting moved, a line deleted, a failed
    handler's undo) moves its `version`, so the next tick sweeps again; a restart opens a new
    table, which has none yet."""

    version: int
    ended: datetime


_DUE: WeakKeyDictionary[Table, Due] = WeakKeyDictionary()
NONE_DUE = datetime.max.replace(tzinfo=UTC)


def still_due(table: Table, version: int, end: datetime | None = None) -> None:
    """After this plugin's own save of a line of a meeting ending at `end` (lowering the due
    moment when earlier), or deletion of lines (`end` None: the earliest can only come
    later), on a table that was at `version` before: the tick's due moment stays right
    instead of being forgotten, so that saves all day long do not make every tick sweep."""
    due = _DUE.get(table)
    if due is not None and due.version == version:
        due.ended, due.version = min(due.ended, end or NONE_DUE), table.version


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Delete lines MINGEL_MINGLE_KEEP after their meeting ended; until the earliest of them
    is due, nothing is read (`Due`)."""
    table, cutoff = intros(ctx), now.astimezone(UTC) - ctx.setting(KEEP)
    due = _DUE.get(table)
    if due is not None and due.version == table.version and cutoff < due.ended:
        return
    expired, first = [], NONE_DUE
    for doc_id, (ended,) in table.values(("ended",)):  # copies no introduction
        if (end := datetime.fromisoformat(ended)) <= cutoff:
            expired.append(doc_id)
        else:
            first = min(first, end)
    for doc_id in expired:
        table.remove(doc_id)
    _DUE[table] = Due(table.version, first)
    if expired:
        ctx.scrub()


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What is kept, why, for how long, who sees it."""
    return ctx._("Mingle: the one-line introduction you write for a meeting (/mingle) and when, "
                 "so that the others coming who also introduced themselves know whom to look "
                 "for. Only they see it, with your name. It is deleted when you withdraw it or "
                 "answer that you can't come, {days} after the meeting, and by /forget.",
                 days=ctx.ngettext("{n} day", "{n} days", kept_days(ctx)))


def kept_days(ctx: Context) -> int:
    """MINGEL_MINGLE_KEEP in whole days, rounded up, as /privacy states it."""
    return max(1, math.ceil(ctx.setting(KEEP) / timedelta(days=1)))


@hookimpl
def user_data(ctx: Context, user_id: int) -> list[dict[str, Any]] | None:
    """The user's introductions, for /mydata."""
    return [{"event": doc["event"], **ctx.named(doc["event"]), "line": doc["line"],
             "at": doc["at"]} for doc in intros(ctx).find(user=user_id)] or None


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user's introductions."""
    table, version = intros(ctx), intros(ctx).version
    for doc in table.find(user=user_id):
        table.remove(doc.doc_id)
    still_due(table, version)

