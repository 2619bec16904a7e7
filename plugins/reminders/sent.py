"""What went before: which reminders and links the outbox already holds for a person.

A message that brings the join link has a short hash of it in its key (`fingerprint`):
when the programme changes the link after it went, the new one has no key yet and goes
alone to whoever still has an online place (`Sent`), once. Keys written before links had a
hash stand for the link in use then: the current one until the link first changes, and the
one before that change from then on (`remember_legacy`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from assistant.context import Context
from assistant.model import Attendance, Event
from assistant.spans import attended
from assistant.storage import Table

from . import prefs
from .schedule import (
    LINK_LEAD,
    PREFIX,
    Due,
    due_for,
    fingerprint,
    key_for,
    needs_link,
    person,
    stamp,
    url_of,
)


def legacy_links(ctx: Context) -> Table:
    """Per meeting whose link changed, the `fingerprint` of the link before its first change
    (what its keys without one stand for) and how many times its link changed since
    (`changes`, the link's version): nothing about people."""
    return ctx.table("links", indexes=("event",))


def remember_legacy(ctx: Context, before: Event, after: Event | None = None) -> None:
    """A meeting's join link changes: keys written before links had a hash (by an earlier
    Mingel, which knew no other) stand for the link before the first such change, so that the
    new one reaches whoever had one of them; a later change keeps that first record. A new
    address counts as one more change (`changes`): the version in the next keys' fingerprint,
    so that a link set back to an earlier one still goes to whoever got another since."""
    table = legacy_links(ctx)
    changed = int(after is not None and url_of(before) != url_of(after))
    doc = table.first(event=before.id)
    if doc is None:
        table.insert({"event": before.id, "fingerprint": fingerprint(before),
                      "changes": changed})
    elif changed:
        table.update(doc.doc_id, {"changes": int(doc.get("changes", 0)) + 1})


def link_versions(ctx: Context) -> dict[str, int]:
    """Per meeting whose link changed, how many times (records from before it was counted
    say 0, so the keys written then stay valid)."""
    return {doc["event"]: int(doc.get("changes", 0)) for doc in legacy_links(ctx).all()}


def earlier_starts(ctx: Context) -> Table:
    """Per meeting with a private link that moved, the starts it had before (`stamp`): the
    keys of the links that went before the move have them, so that a changed link tells
    whoever had the old one that it replaces it (nothing about people)."""
    return ctx.table("starts", indexes=("event",))


def remember_start(ctx: Context, before: Event, after: Event) -> None:
    """A meeting with a private link moved: keep the start its keys had until now."""
    if stamp(before) == stamp(after) or before.online is None or not before.online.private:
        return
    table = earlier_starts(ctx)
    doc = table.first(event=before.id)
    if doc is None:
        table.insert({"event": before.id, "stamps": [stamp(before)]})
    elif stamp(before) not in doc["stamps"]:
        table.update(doc.doc_id, {"stamps": [*doc["stamps"], stamp(before)]})


def forget_legacy(ctx: Context, keep: Callable[[str], bool]) -> int:
    """Drop the records (old links' fingerprints, earlier starts) of meetings `keep` says are
    over or gone."""
    gone = 0
    for table in (legacy_links(ctx), earlier_starts(ctx)):
        ended = [doc.doc_id for doc in table.all() if not keep(doc["event"])]
        for doc_id in ended:
            table.remove(doc_id)
        gone += len(ended)
    return gone


@dataclass(frozen=True)
class Sent:
    """What the outbox has of this plugin's keys: which reminders and links went (or wait to
    go, or were dropped) to whom. Nothing else is kept about people."""

    outbox: Any
    legacy: Table | None = None
    """`legacy_links`: which link a key without a fingerprint stands for."""
    starts: Table | None = None
    """`earlier_starts`: the starts a moved meeting's older keys have."""
    versions: dict[str, int] = field(default_factory=dict)
    """`link_versions`: how many times each meeting's link changed."""

    @classmethod
    def of(cls, ctx: Context) -> Sent:
        """The outbox's keys and the records of changed links and moved meetings."""
        return cls(ctx.assistant.outbox, legacy_links(ctx), earlier_starts(ctx),
                   link_versions(ctx))

    def version(self, event: Event) -> int:
        """How many times the meeting's link changed."""
        return self.versions.get(event.id, 0)

    def mark(self, event: Event) -> str:
        """The `fingerprint` of the meeting's current link, at its version."""
        return fingerprint(event, self.version(event))

    def has(self, key: str) -> bool:
        """Whether a message had exactly this key."""
        return bool(self.outbox.has(PREFIX + key))

    def under(self, key: str) -> bool:
        """Whether a message had this key with one part more (`<key>:<fingerprint>`)."""
        return bool(self.outbox.has_group(PREFIX + key))

    def queued(self, item: Due) -> bool:
        """Whether this message went before: a reminder with the link of then, or none; a
        link alone when this very link went alone or with the last reminder."""
        if item.way:  # once a day, whichever link or lead time (a new link goes alone)
            return self.under(f"{person(item.event, item.attendance.user_id)}:{item.way}")
        if not item.link:
            base = key_for(item.event, item.attendance.user_id, item.lead)
            return self.has(base) or self.under(base)
        last = key_for(item.event, item.attendance.user_id, item.lead)
        return self.has(item.key) or self.has(f"{last}:{item.mark}") or \
            self._before_fingerprints(item)

    def had_link(self, event: Event, attendance: Attendance, lead: timedelta) -> bool:
        """Whether some join link to the meeting went to the person already, alone or with
        their last reminder (`lead`), with a fingerprint or before keys had one."""
        user_id = attendance.user_id
        return self.under(f"{person(event, user_id)}:link") or \
            self.under(key_for(event, user_id, lead)) or self._legacy(event, attendance, lead)

    def replaced(self, event: Event, attendance: Attendance, lead: timedelta) -> bool:
        """Whether a message bringing this person's private link replaces one that brought
        them another link: at the meeting's start (any link went, not this one), or at a
        start it had before it moved (`earlier_starts`: a link delivered then, not this one)."""
        user_id, current = attendance.user_id, self.mark(event)
        here = person(event, user_id)
        if self.has(f"{here}:link:{current}") or \
                self.has(f"{key_for(event, user_id, lead)}:{current}"):
            return False
        if self.had_link(event, attendance, lead):
            return True
        record = self.starts.first(event=event.id) if self.starts is not None else None
        went = {key.rpartition(":")[2] for start in (record["stamps"] if record else ())
                for key in self._delivered(f"{event.id}:{start}:{user_id}", lead)}
        return bool(went) and current not in went

    def _delivered(self, earlier: str, lead: timedelta) -> list[str]:
        """The keys of the links alone and last reminders (`lead`) delivered under an earlier
        `person` prefix (those dropped when the meeting moved never reached anyone)."""
        groups = (f"{earlier}:link", f"{earlier}:{int(lead.total_seconds())}")
        return [key for group in groups for _id, (key, state) in
                self.outbox.table.values(("key", "state"), group=PREFIX + group)
                if state == "sent"]

    def delivered(self, event: Event, user_id: int, lead: timedelta) -> bool:
        """Whether the meeting's current join link reached this person (delivered, not only
        queued): alone, or with their last reminder (`lead`)."""
        here, current = person(event, user_id), self.mark(event)
        return any(state == "sent" for key in (f"{here}:link:{current}",
                                               f"{key_for(event, user_id, lead)}:{current}")
                   for _id, (state,) in self.outbox.table.values(("state",), key=PREFIX + key))

    def _legacy(self, event: Event, attendance: Attendance, lead: timedelta) -> bool:
        """Whether a link went before keys had fingerprints: `<…>:link`, or the last reminder
        (`lead`) of someone online since before its time."""
        answered = attendance.at if attendance.at and attendance.at.tzinfo else None
        return self.has(f"{person(event, attendance.user_id)}:link") or (
            answered is not None and answered <= event.ahead(lead)
            and self.has(key_for(event, attendance.user_id, lead)))

    def _before_fingerprints(self, item: Due) -> bool:
        """A link that went before keys had fingerprints, if it is the current one: the link
        in use until the meeting's link first changed (`remember_legacy`)."""
        if not self._legacy(item.event, item.attendance, item.lead):
            return False
        record = self.legacy.first(event=item.event.id) if self.legacy is not None else None
        return record is None or record["fingerprint"] == item.mark


def link_due(ctx: Context, event: Event, user_id: int, now: datetime) -> bool:
    """Whether the meeting's private link goes to this person now, with their last reminder
    or alone, because it has not reached them (read for one person, by a change notice)."""
    attendance = ctx.hooks.attendance(ctx, event, user_id)
    if attendance is None or not attendance.coming or not needs_link(event, attendance):
        return False
    default, sent = ctx.setting(prefs.SETTING), Sent.of(ctx)
    return any(item.brings_link and not sent.queued(item)
               for item in due_for(attended(event, attendance), attendance, prefs.leads_of(ctx, user_id),
                                   min(default, default=LINK_LEAD), now, sent))
