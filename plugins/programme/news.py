"""Followers hear of new meetings: one message per person and confirmed change, listing the
new meetings of the networks they follow, each with a button that opens its card.

Confirm records the change's new meetings in `programme_news`, in the commit that puts the
programme in use (`record`). The next tick queues the messages through the outbox
(`send_due`), in each follower's language, giving way between followers: a festival's
40,000 never hold up the organiser's answer. The record goes once every message is queued;
a crash half-way queues the rest again (each message has its key: nobody gets one twice).
Told are new meetings anyone may see (never invite-only ones), not cancelled and not over,
still so in the programme in use when the tick comes, meetings the change made public
after they were invite-only (`opened`), to those who could not see them before (not the
invited, nor whoever answered), and meetings it made joint with other networks (`joined`),
to the followers of those who follow none of the networks the meeting had and did not answer
it. Never told: the first programme of an installation (nothing in use before, or the
bundled sample) and meetings that only moved or changed otherwise (their participants get
the RSVP plugin's change notices).
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from assistant.context import Context
from assistant.model import Event, Programme
from assistant.storage import Table
from assistant.text import escape
from assistant.types import Button

from . import remembered
from .diff import EventChange, ProgrammeDiff
from .render import card_button, network_name, title

SHOWN = 5
"""New meetings listed under one network; the rest are "and N more" with /programme NETWORK."""
LISTED = 10
"""New meetings listed in one message, each with its card button."""

Built = tuple[str, list[list[Button]]]


def _table(ctx: Context) -> Table:
    return ctx.table("news")


def first_programme(base: str) -> bool:
    """Whether a change replaces a programme nobody followed for real: none in use yet, or
    the bundled sample as shipped (its meetings were never anyone's)."""
    return not base or base in remembered.SHIPPED_SAMPLES


def newsworthy(event: Event, now: datetime) -> bool:
    """Whether followers hear of this new meeting: one everyone may see, on, and not over."""
    return not event.invite_only and not event.cancelled and event.end_utc > now


class Followers:
    """Who follows which networks, asked once per network (the `followers` hook) for one
    preview or one sending."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._of: dict[str, frozenset[int]] = {}
        self._union: dict[tuple[str, ...], int] = {}

    def of(self, network: str) -> frozenset[int]:
        """The followers of one network."""
        if (found := self._of.get(network)) is None:
            found = self._of[network] = frozenset(self.ctx.hooks.followers(self.ctx, network))
        return found

    def count(self, networks: tuple[str, ...]) -> int:
        """How many people follow at least one of these networks (each counted once)."""
        if (n := self._union.get(networks)) is None:
            n = self._union[networks] = len(frozenset().union(*(self.of(x) for x in networks)))
        return n

    async def unaware(self, before: Event) -> frozenset[int]:
        """The followers of an invite-only meeting's networks who cannot see it (neither
        invited, nor answered, nor staff): those told when it is made public. Asked for each
        follower, giving way between them (`Context.give_way`), as a festival's networks
        have tens of thousands."""
        everyone = frozenset().union(*(self.of(n) for n in before.networks))
        unaware: set[int] = set()
        for user_id in everyone:
            await self.ctx.give_way()
            if not self.ctx.hooks.event_visible(self.ctx.for_user(user_id), before):
                unaware.add(user_id)
        return frozenset(unaware)

    def newcomers(self, before: Event, after: Event) -> frozenset[int]:
        """The followers of the networks a meeting was made joint with who follow none of the
        networks it had and have not answered it: those told of it as of a new meeting (whoever
        answered knows it, and hears of changes from the RSVP plugin's notices)."""
        old = frozenset().union(*(self.of(n) for n in before.networks))
        added = [n for n in after.networks if n not in before.networks]
        answered = {a.user_id for a in self.ctx.hooks.attendees(self.ctx, before) or ()}
        return frozenset().union(*(self.of(n) for n in added)) - old - answered

    def reach(self, programme: Programme, events: Iterable[Event]) -> dict[int, list[str]]:
        """Each follower of these meetings' networks, with the networks of theirs among them,
        in the programme's order."""
        wanted = {n for e in events for n in e.networks}
        people: dict[int, list[str]] = {}
        for network in [n for n in programme.networks if n in wanted]:
            for user_id in sorted(self.of(network)):
                people.setdefault(user_id, []).append(network)
        return people


def joined(diff: ProgrammeDiff) -> dict[str, tuple[str, ...]]:
    """The meetings a change adds networks to (made joint), with the networks they had: news
    to the followers of the added networks who follow none of those (not made public: `opened`
    tells those)."""
    return {c.after.id: c.before.networks for c in diff.changed
            if "networks" in c and set(c.after.networks) - set(c.before.networks)
            and not ("invite_only" in c and c.before.invite_only)}


def opened(diff: ProgrammeDiff) -> list[EventChange]:
    """The meetings a change makes public after they were invite-only: news to followers
    who were not invited."""
    return [c for c in diff.changed if "invite_only" in c and c.before.invite_only]


def record(ctx: Context, diff: ProgrammeDiff, base: str) -> None:
    """Keep the new meetings of a confirmed change, and those it opens to everyone, for the
    next tick to tell their networks' followers of; saved with the caller's commit (the
    programme put in use)."""
    if first_programme(base):
        return
    ids = [e.id for e in diff.added if newsworthy(e, ctx.now) and e.networks]
    now_open = [c.after.id for c in opened(diff)
                if newsworthy(c.after, ctx.now) and c.after.networks]
    after = {c.after.id: c.after for c in diff.changed}
    made_joint = {i: list(had) for i, had in joined(diff).items()
                  if newsworthy(after[i], ctx.now)}
    if ids or now_open or made_joint:
        _table(ctx).insert({"id": secrets.token_hex(6), "events": ids + now_open + list(made_joint),
                            "opened": now_open, "joined": made_joint,
                            "at": ctx.now.isoformat()})


def _current(ctx: Context, ids: Sequence[str], now: datetime) -> tuple[Programme | None,
                                                                       list[Event]]:
    """The programme in use and those of the meetings still in it and still worth telling, in
    the order they start (a meeting made joint, recorded after the added ones, is not listed
    after a later new one)."""
    programme = ctx.programme
    if programme is None:
        return None, []
    return programme, sorted((e for i in ids if (e := programme.event(i)) is not None
                              and newsworthy(e, now)), key=lambda e: e.start_utc)


async def send_due(ctx: Context, now: datetime) -> None:
    """Queue the messages of every recorded change, one per follower, then drop the record."""
    table = _table(ctx)
    for doc in table.all():
        await _send(ctx, doc, now)
        table.remove(doc.doc_id)


async def _send(ctx: Context, doc: Any, now: datetime) -> None:
    """One change's messages: each follower of the new meetings' networks gets one."""
    programme, events = _current(ctx, doc["events"], now)
    if programme is None or not events:
        return
    following = Followers(ctx)
    people = following.reach(programme, events)
    built: dict[tuple[Any, ...], Built] = {}
    hidden = _as_before(events, doc.get("opened", ()))
    joint: dict[str, list[str]] = doc.get("joined", {})
    for user_id, networks in people.items():
        knew = {i for i, had in joint.items() if any(user_id in following.of(n) for n in had)
                or answered(ctx, programme, i, user_id)}
        mine = [e for e in events if e.id not in knew]
        if not mine:
            continue
        ctx.send_to(user_id, lambda target, p=programme, e=mine, n=networks, h=hidden:
                    _build(target, p, e, n, built, h), key=f"new:{doc['id']}:{user_id}")
        if await ctx.give_way() and ctx.programme is not programme:
            programme, events = _current(ctx, doc["events"], now)
            hidden = _as_before(events, doc.get("opened", ()))
            built.clear()
            if programme is None or not events:
                return


def answered(ctx: Context, programme: Programme, event_id: str, user_id: int) -> bool:
    """Whether this person answered the meeting: one made joint is no news to them (the
    preview's `Followers.newcomers` leaves them out too)."""
    event = programme.event(event_id)
    return event is not None and ctx.hooks.attendance(ctx, event, user_id) is not None


def _as_before(events: Sequence[Event], opened: Sequence[str]) -> dict[str, Event]:
    """The meetings made public, as they were while invite-only: whoever could see them
    then (invited, answered, staff) knows of them already."""
    return {e.id: replace(e, invite_only=True) for e in events if e.id in opened}


def _build(ctx: Context, programme: Programme, events: Sequence[Event],
           networks: Sequence[str], built: dict[tuple[Any, ...], Built],
           hidden: dict[str, Event] | None = None) -> None:
    """A follower's message, made once per language, networks and meetings they may see
    and did not know of (everyone who follows the same networks reads the same)."""
    hidden = hidden or {}
    seen = tuple(e for e in events if ctx.hooks.event_visible(ctx, e) and (
        e.id not in hidden or not ctx.hooks.event_visible(ctx, hidden[e.id])))
    key = (ctx.lang, tuple(networks), tuple(e.id for e in seen))
    if (message := built.get(key)) is None:
        message = built[key] = message_for(ctx, programme, seen, networks)
    if message[0]:
        ctx.reply(*message)


def message_for(ctx: Context, programme: Programme, events: Sequence[Event],
                networks: Sequence[str]) -> Built:
    """Under each network followed, its new meetings ("New in …:"; a joint one once, under
    the first), at most SHOWN a network and LISTED in all, each with when it starts as the
    pickers write it and a button to its card; the rest as "… and N more: /programme ID",
    or "N new meetings: /programme ID" under a network none of whose fit.
    Empty when none is for this reader."""
    sections: dict[str, list[Event]] = {n: [] for n in networks}
    for event in events:
        home = next((n for n in networks if n in event.networks), None)
        if home is not None:
            sections[home].append(event)
    lines: list[str] = []
    buttons: list[list[Button]] = []
    room, listed = LISTED, []
    for network, found in sections.items():
        if not found:
            continue
        shown = found[:min(SHOWN, room)]
        room -= len(shown)
        listed += shown
        name = network_name(ctx, programme, network)
        lines += [*([""] if lines else []),
                  "🆕 <b>" + escape(ctx._("New in {network}:", network=name)) + "</b>"]
        lines += [f"• {escape(ctx.meeting_start(e))} · {escape(title(ctx, e))}" for e in shown]
        buttons += [[card_button(ctx, e)] for e in shown]
        if shown and (rest := len(found) - len(shown)):
            lines.append(escape(ctx.ngettext("… and {n} more: /programme {network}",
                                             "… and {n} more: /programme {network}", rest,
                                             network=network)))
        elif not shown:  # the ten listed already: "… and 3 more" of none read oddly
            lines.append(escape(ctx.ngettext("{n} new meeting: /programme {network}",
                                             "{n} new meetings: /programme {network}",
                                             len(found), network=network)))
    if not lines:
        return "", []
    if (note := ctx.times_note(listed)) is not None:
        lines += ["", f"<i>{escape(note)}</i>"]
    told = sum(1 for found in sections.values() if found)
    lines += ["", escape(ctx.ngettext(
        "You hear of new meetings because you follow this network; /unfollow stops it.",
        "You hear of new meetings because you follow these networks; /unfollow stops it.",
        told))]
    return "\n".join(lines), buttons
