"""Questions for the speaker: ask (named or anonymous), upvote, follow, moderate, export.

Participants ask from a meeting's card or with /ask, see and upvote the published
questions with /questions, and follow a meeting to hear which question is being
answered. Moderators (organisers and people named per network with /moderators) work
through the queue with /moderate. docs/questions.md describes it for users.
"""
from __future__ import annotations

import weakref
from datetime import datetime, timedelta
from typing import Any

from assistant import N_, hookimpl
from assistant.config import parse_duration
from assistant.context import Context
from assistant.model import Event
from assistant.text import counted, escape
from assistant.types import Action, Button, Command, Export, Setting

from . import (
    admin,
    ask,
    audited,
    browse,
    data,
    export,
    meeting,
    moderate,
    privacy,
    queue,
    withdraw,
)

NAME = "questions"
NUMBERED, RELEASED = 1, 2
"""The stored format's versions: 1 since every question has its number written down, 2 since
no hidden question has others merged into it (a hide sends them back to the queue)."""
SWEEP_EVERY = timedelta(hours=1)
_last_sweep: weakref.WeakKeyDictionary[Any, datetime] = weakref.WeakKeyDictionary()


@hookimpl
async def startup(ctx: Context) -> None:
    """Questions stored before they were numbered get their numbers once, kept from then on;
    questions hidden by a version that left others merged into them release those, once (the
    programme is loaded first, so a meeting still to come is told apart from one that is over)."""
    def number_all(_store: object) -> None:
        if count := data.number_all(ctx):
            ctx.log.info("numbered %s stored without a number", counted(count, "question"))

    def release_stored(_store: object) -> None:
        if count := moderate.release_stored(ctx):
            ctx.log.info("%s hidden with others merged into them: they wait on their own again",
                         counted(count, "question"))

    ctx.assistant.store.migrate(NAME, NUMBERED, number_all)
    ctx.assistant.store.migrate(NAME, RELEASED, release_stored)


@hookimpl
def register_commands() -> list[Command]:
    """Declare the participants', moderators' and organisers' commands."""
    return [
        Command("ask", ask.ask_command, N_("Ask the speaker a question"), args=N_("[ID]"),
                aliases=("fråga", "fraga")),
        Command("questions", browse.questions_command,
                N_("See and upvote the questions for a meeting"), args=N_("[ID]"),
                aliases=("frågor", "fragor")),
        Command("moderate", moderate.moderate_command,
                N_("Moderate the questions for a meeting"), role="moderator", args=N_("[ID]"),
                aliases=("moderera",)),
        Command("moderators", admin.moderators_command,
                N_("Name or withdraw a network's moderators"), role="organiser",
                args=N_("NETWORK add|remove USER"), aliases=("moderatorer",)),
    ]


@hookimpl
def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """The questions plugin's entries in /audit, in the reader's language."""
    return audited.audit_text(ctx, action, values)


@hookimpl
def register_actions() -> list[Action]:
    """Declare the buttons and the awaited question text."""
    return [
        Action("ask", ask.press_ask, arity=(1, 1)),
        Action("text", ask.type_question, arity=(1, 2), typed=True),
        Action("send", ask.send, arity=(2, 2)), Action("drop", ask.drop, arity=(1, 1)),
        Action("put", ask.put_question, arity=(1, 2)),
        Action("withdraw", withdraw.press, arity=(1, 2)),
        Action("pick", meeting.press_pick, arity=(2, 3)),
        Action("list", browse.show_list, arity=(2, 2)),
        Action("page", browse.show_page, arity=(2, 3)),
        Action("up", browse.upvote, arity=(1, 4)), Action("un", browse.unvote, arity=(1, 4)),
        Action("follow", browse.follow, arity=(1, 4)),
        Action("unfollow", browse.unfollow, arity=(1, 4)),
        Action("csv", browse.press_csv, role="moderator", arity=(1, 1)),
        Action("queue", moderate.show_queue, role="moderator", arity=(2, 2)),
        Action("more", queue.show_more, role="moderator", arity=(2, 2)),
        Action("approve", moderate.approve, role="moderator", arity=(1, 1)),
        Action("hide", moderate.hide, role="moderator", arity=(1, 1)),
        Action("now", moderate.now_answering, role="moderator", arity=(1, 1)),
        Action("done", moderate.answered, role="moderator", arity=(1, 1)),
        Action("card", moderate.show_card, role="moderator", arity=(1, 1)),
        Action("merge", moderate.choose_merge, role="moderator", arity=(1, 2)),
        Action("into", moderate.merge_into, role="moderator", arity=(2, 2)),
        Action("unmerge", moderate.unmerge, role="moderator", arity=(1, 1)),
        Action("mode", moderate.switch_mode, role="moderator", arity=(2, 2)),
    ]


@hookimpl
def register_settings() -> list[Setting]:
    """When questions close, and how long they are kept."""
    return [
        Setting(meeting.CLOSE, parse_duration, "0m",
                "how long after a meeting's end questions and votes stay open, e.g. 0m, 2h"),
        Setting(meeting.KEEP, parse_duration, "365d",
                "how long questions, votes and follows are kept, e.g. 180d"),
    ]


@hookimpl
def register_exports() -> list[Export]:
    """`mingel export questions ID`."""
    return [Export("questions", export.export_questions,
                   N_("The questions of a meeting (CSV), for the speaker's follow-up"))]


@hookimpl
def event_buttons(ctx: Context, event: Event) -> list[Button] | None:
    """'Ask the speaker' ('Ask a question' without speakers) while questions are open, and
    the list once there are questions."""
    buttons = []
    if meeting.is_open(ctx, event):
        buttons.append(ctx.button(ctx._("❓ Ask the speaker") if event.speakers
                                  else ctx._("❓ Ask a question"), "ask", event.id))
    count = sum(1 for d in data.items(ctx).group("event", event.id)
                if d["status"] in data.PUBLISHED) if event.questions else 0
    if count:
        buttons.append(ctx.button(ctx._("💬 Questions ({n})", n=count), "list", event.id, 0))
    return buttons or None


@hookimpl
def event_details(ctx: Context, event: Event) -> str | None:
    """A line on the card while the meeting takes questions (for the speaker, or for the
    meeting when it has none: its moderator takes them)."""
    if not meeting.is_open(ctx, event):
        return None
    if not event.speakers:
        return ctx._("❓ Questions are welcome: /ask {id}", id=escape(event.id))
    return ctx._("❓ Questions for the speaker are welcome: /ask {id}", id=escape(event.id))


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Retention, at most once an hour."""
    last = _last_sweep.get(ctx.assistant)
    if last is None or now - last >= SWEEP_EVERY:
        _last_sweep[ctx.assistant] = now
        privacy.sweep(ctx, now)


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What is kept, why, for how long, who sees it."""
    return privacy.notice(ctx)


@hookimpl
def user_data(ctx: Context, user_id: int) -> dict[str, Any] | None:
    """The user's questions, votes, follows and drafts."""
    return privacy.user_data(ctx, user_id) or None


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user's questions, drafts, votes and follows."""
    privacy.forget(ctx, user_id)


@hookimpl
async def trim_past(ctx: Context, before: datetime) -> None:
    """MINGEL_RETENTION: forget the questions of meetings that ended before the cut-off."""
    privacy.trim(ctx, before)
