"""Who a broadcast goes to: one meeting's participants, a network's followers, or everyone.

An audience is stored as a small dict ({"kind": "event", "id": …, "which": …}) and resolved
to user ids only when the organiser sends, through the `attendees` and `followers` hooks
and the core's list of users, so a preview and the real send see the same rules.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from assistant.context import Context
from assistant.model import Attendance, Event, text
from assistant.text import escape

WHICH = ("coming", "maybe", "waiting", "all")
RECENT = timedelta(days=14)


def events(ctx: Context, now: datetime) -> list[Event]:
    """Meetings to choose from: upcoming ones and those of the last two weeks."""
    programme = ctx.programme
    if programme is None:
        return []
    return [e for e in programme.events if e.end_utc > now - RECENT]


def find_event(ctx: Context, event_id: str) -> Event | None:
    """A meeting by id, if the programme still has it."""
    programme = ctx.programme
    return programme.event(event_id) if programme else None


def network_name(ctx: Context, network_id: str) -> str | None:
    """A network's name in the organiser's language, None when there is no such network."""
    programme = ctx.programme
    network = programme.networks.get(network_id) if programme else None
    return text(network.name, ctx.lang) or network_id if network else None


def belongs(attendance: Attendance, which: str) -> bool:
    """Whether an answer is in the chosen part of a meeting's participants."""
    if attendance.answer == "no":
        return False
    if which == "coming":
        return attendance.coming
    if which == "maybe":
        return attendance.answer == "maybe"
    if which == "waiting":
        return attendance.waiting
    return True


def participants(ctx: Context, event: Event, which: str) -> list[int]:
    """User ids of the chosen part of a meeting's participants."""
    return sorted({a.user_id for a in ctx.hooks.attendees(ctx, event) if belongs(a, which)})


def recipients(ctx: Context, audience: dict[str, Any]) -> list[int] | None:
    """The user ids an audience means now; None when it no longer exists."""
    kind = audience.get("kind")
    if kind == "everyone":
        return sorted(set(ctx.assistant.users.all_ids()))
    if kind == "network" and network_name(ctx, audience["id"]) is not None:
        return sorted(set(ctx.hooks.followers(ctx, audience["id"])))
    if kind == "event" and audience.get("which") in WHICH:
        event = find_event(ctx, audience["id"])
        return participants(ctx, event, audience["which"]) if event else None
    return None


async def languages(ctx: Context, people: list[int]) -> list[tuple[str, int, int]]:
    """The languages the recipients read, most readers first: each with how many read it
    and one of them (a broadcast is written in that language for each). Everyone at a
    festival is 40,000 profiles, which held the loop 130 ms in one go: it gives way."""
    found: dict[str, list[int]] = {}
    for user_id in people:
        await ctx.give_way()
        found.setdefault(ctx.assistant.users.language(user_id), []).append(user_id)
    return ranked(found)


def ranked(found: dict[str, list[int]]) -> list[tuple[str, int, int]]:
    """Languages with their readers, as `languages` gives them: most readers first."""
    return sorted(((lang, len(ids), ids[0]) for lang, ids in found.items()),
                  key=lambda item: (-item[1], item[0]))


def which_label(ctx: Context, which: str) -> str:
    """'Coming', 'Maybe', 'Waiting list', 'All of them'."""
    return {"coming": ctx._("Coming"), "maybe": ctx._("Maybe"),
            "waiting": ctx._("Waiting list"), "all": ctx._("All of them")}[which]


def nobody(ctx: Context, audience: dict[str, Any]) -> str:
    """Why an audience (a meeting's part or a network; "everyone" always includes the
    organiser) would get nothing, as HTML: said plainly for each kind, since "a message to
    the participants of X (maybe)" read clumsily."""
    if audience.get("kind") == "network":
        name = network_name(ctx, audience["id"])
        if name is None:
            return escape(ctx._("This network is no longer in the programme."))
        return ctx._("Nobody follows <b>{network}</b> right now, so the message would reach "
                     "nobody.", network=escape(name))
    event = find_event(ctx, audience.get("id", ""))
    if event is None:
        return escape(ctx._("This meeting is no longer in the programme."))
    title = escape(text(event.title, ctx.lang))
    which = audience.get("which")
    if which == "coming":
        return ctx._("Nobody has answered that they are coming to <b>{title}</b>, so the "
                     "message would reach nobody.", title=title)
    if which == "maybe":
        return ctx._("Nobody has answered Maybe for <b>{title}</b>, so the message would "
                     "reach nobody.", title=title)
    if which == "waiting":
        return ctx._("Nobody is on the waiting list for <b>{title}</b>, so the message would "
                     "reach nobody.", title=title)
    return ctx._("Nobody has answered that they are coming or might come to <b>{title}</b>, "
                 "so the message would reach nobody.", title=title)


def describe(ctx: Context, audience: dict[str, Any]) -> str:
    """The audience in words, as HTML: one phrase for each part of a meeting, without
    brackets, since it goes inside sentences that may have their own."""
    kind = audience.get("kind")
    if kind == "everyone":
        return escape(ctx._("everyone who has written to me"))
    if kind == "network":
        name = network_name(ctx, audience["id"]) or audience["id"]
        return ctx._("the followers of <b>{network}</b>", network=escape(name))
    event = find_event(ctx, audience.get("id", ""))
    title = escape(text(event.title, ctx.lang) if event else audience.get("id", ""))
    which = audience.get("which")
    if which == "coming":
        return ctx._("the participants of <b>{title}</b> who are coming", title=title)
    if which == "maybe":
        return ctx._("the participants of <b>{title}</b> who answered Maybe", title=title)
    if which == "waiting":
        return ctx._("the people on the waiting list for <b>{title}</b>", title=title)
    return ctx._("all the participants of <b>{title}</b>", title=title)
