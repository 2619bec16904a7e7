"""What a new programme would change, told to the organiser before they confirm it.

Added, removed and cancelled meetings are listed; for every other changed meeting each
changed field is shown as "old → new" (times in the event's zone and the organiser's
language), so a typo in a date is caught before participants are notified.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from assistant import N_
from assistant.context import Context
from assistant.i18n import Formatter
from assistant.model import Event, Programme, Text, text
from assistant.text import escape

from . import extra, news
from .diff import EventChange, ProgrammeDiff
from .render import join_names, network_name, title, when

FIELD_LABELS: dict[str, str] = {
    "time": N_("Time"), "title": N_("Title"), "description": N_("Description"),
    "networks": N_("Networks"), "venue": N_("Venue"), "online": N_("Online"),
    "speakers": N_("Speakers"), "capacity": N_("Seats at the venue"),
    "online_capacity": N_("Places online"), "invite_only": N_("By invitation only"),
    "health_declaration": N_("Health declaration"),
    "health_required": N_("Health declaration required"), "questions": N_("Questions"),
    "question_mode": N_("Questions shown"), "cancelled": N_("Cancelled"), "note": N_("Note"),
    "url": N_("Web page"),
}
QUESTION_MODES = {"approval": N_("after a moderator approves them"), "live": N_("at once")}
PROGRAMME_PARTS: dict[str, str] = {
    "timezone": N_("time zone"), "contact": N_("contact"), "venues": N_("venues"),
    "networks": N_("networks"), "health": N_("health questions and rules"),
}


def _none(ctx: Context) -> str:
    return ctx._("none")


def _yes_no(ctx: Context, value: bool) -> str:
    return ctx._("yes") if value else ctx._("no")


def _venue(ctx: Context, e: Event) -> str:
    if e.venue is None:
        return _none(ctx)
    return f"{e.venue.name}, {e.venue.address}" if e.venue.address else e.venue.name


def _online(ctx: Context, e: Event) -> str:
    if e.online is None:
        return _none(ctx)
    private = " " + ctx._("(private link)") if e.online.private else ""
    return f"{e.online.platform} {e.online.url}{private}"


def _flag(name: str, ctx: Context, e: Event) -> str:
    return _yes_no(ctx, getattr(e, name))


def _count(ctx: Context, value: int | None) -> str:
    return str(value) if value is not None else ctx._("no limit")


def _seats(ctx: Context, e: Event) -> str:
    """Seats at the venue: a meeting without a venue has none, not "no limit"."""
    return _count(ctx, e.capacity) if e.venue is not None else ctx._("none (online only)")


def _online_places(ctx: Context, e: Event) -> str:
    """Places online: a meeting without a link has none, not "no limit"."""
    return _count(ctx, e.online_capacity) if e.online is not None \
        else ctx._("none (in person only)")


_VALUES: dict[str, Callable[[Context, Event], str]] = {
    "networks": lambda ctx, e: join_names(ctx, [network_name(ctx, ctx.programme, n)
                                                for n in e.networks]),
    "venue": _venue,
    "online": _online,
    "speakers": lambda ctx, e: ", ".join(p.name for p in e.speakers) or _none(ctx),
    "capacity": _seats,
    "online_capacity": _online_places,
    "question_mode": lambda ctx, e: ctx._(QUESTION_MODES.get(e.question_mode, e.question_mode)),
    "url": lambda ctx, e: e.url or _none(ctx),
    **{name: partial(_flag, name) for name in
       ("invite_only", "health_declaration", "health_required", "questions", "cancelled")},
}


def _moment(fmt: Formatter, old: datetime, new: datetime) -> str:
    """"09:30 → 10:00" on the same day, with the dates when the day moved."""
    if old.astimezone(fmt.tz).date() == new.astimezone(fmt.tz).date():
        return f"{fmt.time(old)} → {fmt.time(new)}"
    return f"{fmt.weekday_date(old)} {fmt.time(old)} → {fmt.weekday_date(new)} {fmt.time(new)}"


def _days(fmt: Formatter, old: date, new: date) -> str:
    """"ons 10 nov. → tors 11 nov." for meetings given as whole days."""
    return f"{fmt.date(old, 'EEE d MMM')} → {fmt.date(new, 'EEE d MMM')}"


def _time(ctx: Context, before: Event, after: Event) -> str:
    fmt = ctx.fmt_event(after)
    parts = []
    whole = before.all_day and after.all_day
    if before.start_utc != after.start_utc:
        parts.append(ctx._("starts {change}", change=_days(fmt, before.start.date(),
                                                           after.start.date()) if whole
                           else _moment(fmt, before.start, after.start)))
    if before.end_utc != after.end_utc:
        parts.append(ctx._("ends {change}", change=_days(fmt, before.days()[-1],
                                                         after.days()[-1]) if whole
                           else _moment(fmt, before.end, after.end)))
    return ctx._("{changes} (now {when})", changes=", ".join(parts),
                 when=fmt.range(after.start, after.end))


def _texts(ctx: Context, label: str, old: Text, new: Text) -> str:
    """A changed text: in the reader's language alone when it changed in every language (it
    has one language, was added or removed whole, or changed in each of the same
    languages), else per changed language, named ("Rubrik (sv): A → B"), the reader's first:
    a Swedish organiser must see that the English title stays (its readers are not told),
    or that it was added or dropped."""
    written = dict.fromkeys([*old, *new])
    langs = sorted((lang for lang in written if old.get(lang) != new.get(lang)),
                   key=lambda lang: lang != ctx.lang)
    whole = (len(old) <= 1 and len(new) <= 1 or not old or not new
             or old.keys() == new.keys() and len(langs) == len(written))
    if whole and text(old, ctx.lang) != text(new, ctx.lang):
        return ctx._("{label}: {change}", label=label, change=f"{text(old, ctx.lang) or _none(ctx)}"
                                                             f" → {text(new, ctx.lang) or _none(ctx)}")
    return "; ".join(ctx._("{label}: {change}", label=f"{label} ({lang or '*'})",
                           change=f"{old.get(lang) or _none(ctx)} → {new.get(lang) or _none(ctx)}")
                     for lang in langs)


def _extra(ctx: Context, field: str, before: Event, after: Event) -> str:
    """A field a plugin declared: "Lunch served: no → yes", named in the plugin's words."""
    declared = extra.declared(ctx.assistant).get(field)
    label = ctx.assistant.catalogues.gettext(declared.plugin, ctx.lang, declared.help) \
        if declared and declared.help else field

    def shown(value: object) -> str:
        if value is None:
            return _none(ctx)
        if isinstance(value, bool):
            return _yes_no(ctx, value)
        return text(value, ctx.lang) if isinstance(value, Mapping) else str(value)
    return ctx._("{label}: {change}", label=label, change=f"{shown(before.extra.get(field))} → "
                                                         f"{shown(after.extra.get(field))}")


def field_change(ctx: Context, field: str, before: Event, after: Event) -> str:
    """One changed field as plain text: "Label: old → new" (or just "Label changed")."""
    if field not in FIELD_LABELS:
        return _extra(ctx, field, before, after)
    label = ctx._(FIELD_LABELS.get(field, field))
    if field == "time":
        return ctx._("{label}: {change}", label=label, change=_time(ctx, before, after))
    if field in ("title", "note"):
        return _texts(ctx, label, getattr(before, field), getattr(after, field))
    value = _VALUES.get(field)
    if value is None:
        return ctx._("{label} changed", label=label)
    return ctx._("{label}: {change}", label=label,
                 change=f"{value(ctx, before)} → {value(ctx, after)}")


def _event(ctx: Context, event: Event) -> str:
    return f"• {escape(when(ctx, event))} · {escape(title(ctx, event))} ({escape(event.id)})"


def _changed(ctx: Context, change: EventChange, effects: Mapping[str, list[str]]) -> list[str]:
    """A changed meeting: each changed field, then what it does to people (`effects`)."""
    lines = [_event(ctx, change.after)]
    lines += [f"    {escape(field_change(ctx, f, change.before, change.after))}"
              for f in change.fields if f != "cancelled" or not change.after.cancelled]
    lines += [f"    {escape(line)}" for line in effects.get(change.after.id, ())]
    return lines


def _listed(ctx: Context, event: Event, effects: Mapping[str, list[str]]) -> list[str]:
    """An added or removed meeting, with whom it tells (`effects`)."""
    return [_event(ctx, event), *(f"    {escape(line)}" for line in effects.get(event.id, ()))]


def _section(heading: str, lines: list[str]) -> list[str]:
    return ["", f"<b>{escape(heading)}</b>", *lines] if lines else []


def other_parts(old: Programme, new: Programme) -> list[str]:
    """Names of the non-meeting parts of the programme that differ."""
    values = {"timezone": lambda p: p.timezone, "contact": lambda p: p.contact,
              "venues": lambda p: p.venues, "networks": lambda p: p.networks,
              "health": lambda p: (p.health_questions, p.health_rules)}
    return [part for part, get in values.items() if get(old) != get(new)]


@dataclass(frozen=True)
class Audience:
    """Who a new programme reaches: how many people will be told (each once), and per meeting
    the preview's lines about people, in the organiser's language: what a change does to
    answers (`change_effects`), how many of its participants are told (so that an organiser
    who cancels a meeting sees whether anyone hears of it), and that an added invite-only
    meeting is seen only by those invited, and that one added or moved is already over (a
    date mistyped: it would take no answers)."""

    told: int
    effects: Mapping[str, list[str]] = field(default_factory=dict)
    followers: int = 0
    """How many followers of the new meetings' networks hear of them (news.py), each once."""


def _news(ctx: Context, event: Event, following: news.Followers, new: Programme | None,
          unaware: frozenset[int] | None = None, had: tuple[str, ...] = ()) -> str:
    """Under a new meeting: how many followers of its networks (named as in `new`) hear of
    it; of one made public or made joint, those `unaware` of it (of one made joint, the
    followers of the networks it did not `had`), and when there are none, whether its
    networks have followers who all know of it (could see it, answered it)."""
    names = join_names(ctx, [network_name(ctx, new, n) for n in event.networks
                             if n not in had])
    n = following.count(event.networks) if unaware is None else len(unaware)
    if n:
        return ctx.ngettext("{n} follower of {networks} will be told of it.",
                            "{n} followers of {networks} will be told of it.", n,
                            networks=names)
    if following.count(tuple(n for n in event.networks if n not in had)):
        return ctx._("The followers of {networks} know of it already, so none of them is told.",
                     networks=names)
    return ctx._("Nobody follows {networks} yet, so nobody is told of it.", networks=names)


async def audience(ctx: Context, diff: ProgrammeDiff, tell_new: bool = True,
                   new: Programme | None = None) -> Audience:
    """How many people the other plugins will tell about these changes (each counted once,
    however many of their meetings changed) and what the changed meetings' edits do to
    people; asked before the changes are made, a meeting at a time with `give_way` between:
    a festival whose every start moved took 0.3 s, and everyone's updates waited for it.
    With `tell_new` (not a first programme), how many followers hear of the new meetings
    of `new`, of those it makes public after they were invite-only (but not whoever
    could see them then), and of those it makes joint (the added networks' followers)."""
    people: set[int] = set()
    effects: dict[str, list[str]] = {}
    following = news.Followers(ctx)
    fresh = [e for e in diff.added if tell_new and e.networks and news.newsworthy(e, ctx.now)]
    fresh_ids = {e.id for e in fresh}
    unaware = {c.after.id: await following.unaware(c.before) for c in news.opened(diff)
               if tell_new and c.after.networks and news.newsworthy(c.after, ctx.now)}
    joined = news.joined(diff) if tell_new else {}
    unaware |= {c.after.id: following.newcomers(c.before, c.after) for c in diff.changed
                if c.after.id in joined and news.newsworthy(c.after, ctx.now)}
    asked = [*((None, event, ()) for event in diff.added),
             *((event, None, ()) for event in diff.removed),
             *((c.before, c.after, c.fields) for c in (*diff.cancelled, *diff.changed))]
    for before, after, fields in asked:
        reached = set(ctx.hooks.change_audience(ctx, before, after, fields))
        people |= reached
        lines: list[str] = []
        if after is not None and not after.cancelled and after.end_utc <= ctx.now and (
                before is None or before.end_utc > ctx.now):
            lines.append(ctx._("⚠️ Already over by its date and time: please check them. "
                               "Nobody can answer a meeting that is over."))
        if before is None and after is not None and after.invite_only:
            lines.append(ctx._("🔒 By invitation only: not listed, so only the people you "
                               "invite (/invite {id}) see it.", id=after.id))
        followed = after is not None and (after.id in fresh_ids or after.id in unaware)
        if followed:
            lines.append("✉️ " + _news(ctx, after, following, new or ctx.programme,
                                       unaware.get(after.id), joined.get(after.id, ())))
        if before is not None and after is not None:
            lines += ["👥 " + line
                      for line in ctx.hooks.change_effects(ctx, before, after, fields)]
        if before is not None:
            lines.append("✉️ " + (ctx.ngettext("{n} participant of it will be told.",
                                               "{n} participants of it will be told.",
                                               len(reached)) if reached else
                                  ctx._("Nobody who answered it is told.") if followed else
                                  ctx._("Nobody is told of it.")))
        if lines and (shown := after or before) is not None:
            effects[shown.id] = lines
        await ctx.give_way()
    wanted = tuple(dict.fromkeys(n for e in fresh for n in e.networks))
    told = frozenset().union(*(following.of(n) for n in wanted), *unaware.values())
    return Audience(len(people), effects, len(told))


def describe(ctx: Context, diff: ProgrammeDiff, old: Programme, new: Programme,
             name: str, told: int = 0, effects: Mapping[str, list[str]] | None = None,
             followers: int = 0) -> str:
    """The organiser's preview of a new programme, as Telegram HTML; says what each changed
    meeting's edits do to people (`effects`), how many people will be told (`told`) and how
    many followers hear of the new meetings (`followers`) when anyone will."""
    effects = effects or {}
    heading = escape(ctx._("What {name} changes", name=name))
    lines = [f"<b>{heading}</b>"]
    n_added, n_removed = len(diff.added), len(diff.removed)
    lines += _section(ctx.ngettext("{n} new meeting", "{n} new meetings", n_added),
                      [line for e in diff.added for line in _listed(ctx, e, effects)])
    lines += _section(ctx.ngettext("{n} meeting removed", "{n} meetings removed", n_removed),
                      [line for e in diff.removed for line in _listed(ctx, e, effects)])
    lines += _section(ctx.ngettext("{n} meeting cancelled", "{n} meetings cancelled",
                                   len(diff.cancelled)),
                      [line for c in diff.cancelled for line in _changed(ctx, c, effects)])
    lines += _section(ctx.ngettext("{n} meeting changed", "{n} meetings changed",
                                   len(diff.changed)),
                      [line for c in diff.changed for line in _changed(ctx, c, effects)])
    parts = [ctx._(PROGRAMME_PARTS[p]) for p in other_parts(old, new)]
    if diff.empty:
        lines += ["", escape(ctx._("No meeting changes."))]
    if parts:
        lines += ["", escape(ctx._("Also changed: {parts}.", parts=", ".join(parts)))]
    confirm = ctx._("Confirm to put it in use.")
    if told:
        confirm += " " + ctx.ngettext("{n} participant of the changed meetings will be told.",
                                      "{n} participants of the changed meetings will be told.",
                                      told)
    if followers:
        confirm += " " + ctx.ngettext(
            "{n} follower of their networks will get one message about the new meetings.",
            "{n} followers of their networks will each get one message about the new meetings.",
            followers)
    lines += ["", escape(confirm)]
    return "\n".join(lines)


def summary(ctx: Context, diff: ProgrammeDiff) -> str:
    """A short count of what was applied, e.g. for the confirmation."""
    counts = [(len(diff.added), ctx.ngettext("{n} new", "{n} new", len(diff.added))),
              (len(diff.removed), ctx.ngettext("{n} removed", "{n} removed", len(diff.removed))),
              (len(diff.cancelled), ctx.ngettext("{n} cancelled", "{n} cancelled",
                                                 len(diff.cancelled))),
              (len(diff.changed), ctx.ngettext("{n} changed", "{n} changed", len(diff.changed)))]
    return ", ".join(label for n, label in counts if n) or ctx._("no meeting changes")
