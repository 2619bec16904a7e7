"""Telling the people who approve questions that some are waiting, so none sits unseen until
the meeting: at most one message per meeting and person an hour, with the count it goes out with.

The outbox stores a message as it was built, so a nudge still waiting in it is written anew
whenever the meeting's count changes (a question asked, approved, hidden, merged or
deleted), and dropped when none waits any more: what goes out says the count of that moment.
The nudge names the meeting and the count, never a question or its asker: the queue shows
those, and a message Telegram delivered cannot be taken back when a question is deleted.
The same people, in the same shape, learn that a hidden question's duplicates went back to
the queue (`returned`).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from assistant.context import Context
from assistant.model import Event
from assistant.text import escape

from . import data, meeting

EVERY = timedelta(hours=1)
"""One nudge per meeting and person in this time; a later one says the count then."""


def recipients(ctx: Context, event: Event) -> list[int]:
    """Who approves the meeting's questions: the moderators of its networks, or the organisers
    when its networks have none; only those who have written to the bot, since Telegram
    refuses a message to anyone else (an organiser named in the settings may never have)."""
    roles, users = ctx.assistant.roles, ctx.assistant.users
    named = {user for network in event.networks for user in roles.moderators(network)}
    return sorted(user for user in named or ctx.assistant.organisers if users.known(user))


def waiting(ctx: Context, event_id: str) -> int:
    """How many of the meeting's questions wait for approval."""
    return data.items(ctx).count(event=event_id, status=data.PENDING)


def question_waits(ctx: Context, event: Event, asker: int) -> None:
    """A question now waits for approval: tell each who may approve it (not its asker), unless
    told of this meeting within the hour; a nudge not yet sent is brought up to date."""
    told_to = [user_id for user_id in recipients(ctx, event) if user_id != asker]
    if not told_to:
        return
    count = waiting(ctx, event.id)
    since = data.stamp_of(ctx.now - EVERY)
    for user_id in told_to:
        told = data.nudges(ctx).first(event=event.id, user=user_id)
        if told is not None and told["at"] > since:
            _rewrite(ctx, event.id, event, user_id, count)
            continue
        if told is None:
            data.nudges(ctx).insert({"event": event.id, "user": user_id, "at": data.stamp(ctx)})
        else:
            data.nudges(ctx).update(told.doc_id, {"at": data.stamp(ctx)})
        _send(ctx, event, user_id, count)


def count_changed(ctx: Context, event_id: str) -> None:
    """Questions were approved, hidden, merged or deleted: every nudge still queued for the
    meeting says the new count, or goes when none waits (or the meeting is gone)."""
    programme = ctx.programme
    event = programme.event(event_id) if programme else None
    count = waiting(ctx, event_id) if event is not None else 0
    for told in data.nudges(ctx).find(event=event_id):
        _rewrite(ctx, event_id, event, told["user"], count)


def _rewrite(ctx: Context, event_id: str, event: Event | None, user_id: int,
             count: int) -> None:
    """Replace the person's queued nudge for the meeting with one saying `count`; with none
    left to say, the nudge goes and so does the hour it held, so that the next question is
    told at once. One being sent right now is left to go."""
    outbox = ctx.assistant.outbox
    for item in outbox.table.find(group=_group(ctx, event_id, user_id)):
        key = item["key"]
        if item["state"] != "pending" or not outbox.drop_pending(
                key, "changed", keep=lambda other, key=key: other != key):
            continue
        if event is not None and count:
            _send(ctx, event, user_id, count)
        else:
            for told in data.nudges(ctx).find(event=event_id, user=user_id):
                data.nudges(ctx).remove(told.doc_id)


def returned(ctx: Context, event: Event, hidden: int, count: int) -> None:
    """A hidden question's duplicates went back to the queue (`moderate.release`): everyone who
    approves the meeting's questions hears it, as of waiting questions, but whoever hid it (the
    answer to the button told them)."""
    acting = ctx.user.id if ctx.user else None
    for user_id in recipients(ctx, event):
        if user_id != acting:
            _tell(ctx, event, user_id, "returned", lambda target: target.ngettext(
                "🙈 Question #{number} was hidden, so {n} question merged into it went back to "
                "the queue, waiting for approval:",
                "🙈 Question #{number} was hidden, so {n} questions merged into it went back to "
                "the queue, waiting for approval:", count, number=hidden))


def _group(ctx: Context, event_id: str, user_id: int, kind: str = "nudge") -> str:
    """The outbox group of one person's nudges (or other `kind` of message) for one meeting,
    found by its index."""
    return f"{ctx.plugin}:{kind}:{event_id}:{user_id}"


def _send(ctx: Context, event: Event, user_id: int, count: int) -> None:
    """Queue a nudge saying how many questions wait."""
    _tell(ctx, event, user_id, "nudge", lambda target: target.ngettext(
        "❓ {n} question for this meeting is waiting for approval:",
        "❓ {n} questions for this meeting are waiting for approval:", count))


def _tell(ctx: Context, event: Event, user_id: int, kind: str,
          heading: Callable[[Context], str]) -> None:
    """Queue a message to one who approves the meeting's questions, under a key never used for
    this person, meeting and `kind`: the heading, the meeting and its time, what participants
    see, and the button to its queue."""
    used = [int(item["key"].rpartition(":")[2]) for item in
            ctx.assistant.outbox.table.find(group=_group(ctx, event.id, user_id, kind))]

    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        when = target.fmt_event(event).range(event.start, event.end,
                                             zone=event.online is not None)
        target.reply("\n".join([
            heading(target), title, escape(when), "",
            target._("Participants see a question once a moderator has approved it.")]),
            [[target.button(target._("🗂 Moderate the questions"), "queue", event.id, 0)]])
    ctx.send_to(user_id, build, key=f"{kind}:{event.id}:{user_id}:{max(used, default=0) + 1}")
