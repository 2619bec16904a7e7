"""What a programme change would do to people's answers, for the organiser's preview
(`change_effects`): places lost or given by new seat counts or by a gathering's days that
went, and answers moved because the meeting no longer offers them. Reads only the changed
meeting's answers, and only when its places, days or way of taking part changed."""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import edits, heldback, seats, texts

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Event

PLACE_FIELDS = frozenset({"capacity", "online_capacity"})
MODE_FIELDS = frozenset({"venue", "online", "cancelled"})
"""A venue or link added or removed changes the answers offered; a meeting on again offers
those of its current form."""


def effects(ctx: Context, before: Event | None, after: Event | None,
            fields: tuple[str, ...]) -> list[str]:
    """The preview's lines about people for one changed meeting (none for one added, removed,
    cancelled or over: the count of those told covers them)."""
    if before is None or after is None or after.cancelled or after.end_utc <= ctx.now:
        return []
    table, lines = seats.answers(ctx), []
    if MODE_FIELDS & set(fields) and not set(seats.PLACES) <= set(seats.allowed(after)):
        moved, waiting = edits.would_convert(table, after)
        if moved:
            lines.append(converted(ctx, after, moved, waiting))
        if dropped := edits.would_drop(table, after):
            lines.append(ctx.ngettext(
                "{n} person who follows some days online keeps only the days they come in "
                "person: they're told, and can choose the others again to come in person.",
                "{n} people who follow some days online keep only the days they come in person: "
                "they're told, and can choose the others again to come in person.", dropped))
    old, new = seats.event_days(before), seats.event_days(after)
    if PLACE_FIELDS & set(fields) or (old != new and max(len(old), len(new)) > 1):
        outcome = edits.would_settle(table, after, old, heldback.restorable(ctx, after.id))
        lines += places(ctx, outcome)
        if outcome.redone and after.is_multi_day:
            lines.append(ctx.ngettext(
                "{n} person was down only for days that are no longer part of the meeting: "
                "they're put down for others and asked to choose again.",
                "{n} people were down only for days that are no longer part of the meeting: "
                "they're put down for others and asked to choose again.", outcome.redone))
        elif outcome.redone:
            lines.append(ctx.ngettext(
                "{n} person was down only for days that are no longer part of the meeting: "
                "their answer now holds for its one day, and they're asked to answer again if "
                "they can't come.",
                "{n} people were down only for days that are no longer part of the meeting: "
                "their answers now hold for its one day, and they're asked to answer again if "
                "they can't come.", outcome.redone))
    return lines


def converted(ctx: Context, event: Event, moved: int, waiting: int) -> str:
    """'2 answers “Coming in person” become “Coming online”, 1 of them on the waiting list.'"""
    if "online" in seats.allowed(event):
        line = ctx.ngettext("{n} answer “{before}” becomes “{after}”.",
                            "{n} answers “{before}” become “{after}”.", moved,
                            before=texts.label(ctx, "in_person"),
                            after=texts.label(ctx, "online"))
        if waiting:
            line += " " + ctx.ngettext("{n} of them goes on the online waiting list.",
                                       "{n} of them go on the online waiting list.", waiting)
        return line
    return ctx.ngettext("{n} answer “{before}” becomes “{after}”: they are asked to answer "
                        "again.", "{n} answers “{before}” become “{after}”: they are asked to "
                        "answer again.", moved, before=texts.label(ctx, "online"),
                        after=texts.label(ctx, "maybe"))


def places(ctx: Context, outcome: edits.Outcome) -> list[str]:
    """Who loses a place to fewer seats or to days that went, and who gets one from the
    waiting list (said as the notices then tell each of them)."""
    lines = []
    for kind in seats.PLACES:
        lose, gone, gain = outcome.lose[kind], outcome.stranded[kind], outcome.gain[kind]
        if lose and kind == "in_person":
            lines.append(ctx.ngettext("{n} person loses their seat and goes on the waiting list.",
                                      "{n} people lose their seats and go on the waiting list.",
                                      lose))
        elif lose:
            lines.append(ctx.ngettext(
                "{n} person loses their online place and goes on the waiting list.",
                "{n} people lose their online places and go on the waiting list.", lose))
        if gone and kind == "in_person":
            lines.append(ctx.ngettext(
                "{n} person loses their seat and goes on the waiting list: none of the days "
                "they were down for is part of the meeting any more.",
                "{n} people lose their seats and go on the waiting list: none of the days "
                "they were down for is part of the meeting any more.", gone))
        elif gone:
            lines.append(ctx.ngettext(
                "{n} person loses their online place and goes on the waiting list: none of the "
                "days they were down for is part of the meeting any more.",
                "{n} people lose their online places and go on the waiting list: none of the "
                "days they were down for is part of the meeting any more.", gone))
        if gain and kind == "in_person":
            lines.append(ctx.ngettext("{n} person on the waiting list gets a seat.",
                                      "{n} people on the waiting list get a seat.", gain))
        elif gain:
            lines.append(ctx.ngettext("{n} person on the waiting list gets an online place.",
                                      "{n} people on the waiting list get an online place.",
                                      gain))
    return lines
