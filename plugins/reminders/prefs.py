"""Each person's own reminder lead times: /reminders with preset toggles, a list, or off."""
from __future__ import annotations

import functools
import re
from datetime import timedelta
from typing import Any

from babel.lists import format_list
from babel.units import format_unit

from assistant.config import parse_durations
from assistant.context import Context
from assistant.i18n import locale_of
from assistant.types import Button

SETTING = "MINGEL_REMINDERS"
PRESETS = (timedelta(weeks=1), timedelta(hours=24), timedelta(hours=3), timedelta(hours=1))
SHORTEST = timedelta(minutes=5)
LONGEST = timedelta(days=30)
MOST = 6
OFF_WORDS = ("off", "av", "none", "inga")
UNITS = (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60))
DEFAULT_WORDS = ("default", "standard")
UNIT_WORDS: dict[str, str] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes", "minut", "minuter"), "minutes"),
    **dict.fromkeys(("h", "t", "hr", "hrs", "hour", "hours", "tim", "timme", "timmar"), "hours"),
    **dict.fromkeys(("d", "day", "days", "dag", "dagar", "dygn"), "days"),
    **dict.fromkeys(("w", "v", "wk", "week", "weeks", "vecka", "veckor", "veckan"), "weeks"),
}
"""The units a person may type, in English and Swedish, whole or short ("2 dagar", "1v")."""
_LEAD = re.compile(r"(\d+(?:\.\d+)?)\s*([a-zåäö]+)")


def parse_setting(value: str) -> tuple[timedelta, ...]:
    """MINGEL_REMINDERS: comma-separated lead times such as `24h,1h` (empty: none)."""
    leads = parse_durations(value)
    check(leads)
    return leads


def parse_typed(text: str) -> tuple[timedelta, ...]:
    """Lead times as a person types them, in either language: '2d,30m', '2 dagar och 30 min',
    '1v', '2 timmar, 1 hour'; longest first. ValueError for anything else."""
    parts = [p for p in re.split(r",|\boch\b|\band\b", text.lower()) if p.strip()]
    leads = set()
    for part in parts:
        match = _LEAD.fullmatch(part.strip())
        if match is None or match.group(2) not in UNIT_WORDS:
            raise ValueError(f"{part!r} is not a lead time")
        leads.add(timedelta(**{UNIT_WORDS[match.group(2)]: float(match.group(1))}))
    return tuple(sorted(leads, reverse=True))


def check(leads: tuple[timedelta, ...]) -> None:
    """Lead times between 5 minutes and 30 days, at most six."""
    if len(leads) > MOST:
        raise ValueError(f"at most {MOST} lead times")
    if any(lead < SHORTEST or lead > LONGEST for lead in leads):
        raise ValueError("lead times must be between 5m and 30d")


def _table(ctx: Context) -> Any:
    return ctx.table("prefs")


def version(ctx: Context) -> int:
    """Changes whenever anyone's lead times change (a tick then looks at every meeting)."""
    return int(_table(ctx).version)


def _leads(doc: Any) -> tuple[timedelta, ...]:
    return tuple(sorted((timedelta(seconds=s) for s in doc.get("leads", [])), reverse=True))


def all_leads(ctx: Context) -> dict[int, tuple[timedelta, ...]]:
    """Everyone who chose their own lead times (empty: reminders off)."""
    return {doc.doc_id: _leads(doc) for doc in _table(ctx).all()}


def chosen(ctx: Context, user_id: int) -> tuple[timedelta, ...] | None:
    """A person's own lead times, or None when they use the default."""
    doc = _table(ctx).get(user_id)
    return None if doc is None else _leads(doc)


def leads_of(ctx: Context, user_id: int) -> tuple[timedelta, ...]:
    """The lead times that apply to a person."""
    own = chosen(ctx, user_id)
    return ctx.setting(SETTING) if own is None else own


def save(ctx: Context, leads: tuple[timedelta, ...] | None) -> None:
    """Store the user's choice (None: back to the default)."""
    if leads is None:
        _table(ctx).remove(ctx.user.id)
    else:
        _table(ctx).put(ctx.user.id, {"leads": sorted(int(lead.total_seconds())
                                                      for lead in leads)})


def forget(ctx: Context, user_id: int) -> None:
    """Delete a person's choice."""
    _table(ctx).remove(user_id)


def duration(ctx: Context, value: timedelta) -> str:
    """A lead time in the largest unit it is a whole number of, so every value reads alike:
    '1 week', '1 day' (24 hours), '2 days', '36 hours', '90 minutes' (exact, never
    rounded). Weeks, hours and minutes are Babel's units in the user's language; days are
    the core's (`day_count`), since Babel's Swedish counts them as "dygn" where the app says
    "dag"."""
    unit, count = _unit(max(60, round(value.total_seconds() / 60) * 60))
    if unit == "day":
        return ctx.fmt().day_count(count)
    return _babel(ctx.lang, unit, count)


def iso(value: timedelta) -> str:
    """A lead time as an ISO 8601 duration, for /mydata (machine-readable, as its times are):
    days apart from the rest, since they are counted by the calendar (`Event.ahead`), so 24h
    is 'P1D', 36h 'P1DT12H', 79m 'PT1H19M', a week 'P1W'."""
    days, rest = value.days, int(value.total_seconds()) - value.days * 86400
    if days and not rest and days % 7 == 0:
        return f"P{days // 7}W"
    hours, minutes, seconds = rest // 3600, rest // 60 % 60, rest % 60
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    date = f"{days}D" if days else ""
    return f"P{date}T{time}" if time else f"P{date or '0D'}"


def _unit(seconds: int) -> tuple[str, int]:
    """The largest unit that divides the lead time, and how many of it."""
    for unit, size in UNITS:
        if seconds % size == 0:
            return unit, seconds // size
    return "minute", seconds // 60


@functools.lru_cache(maxsize=1024)
def _babel(lang: str, unit: str, count: int) -> str:
    return format_unit(count, f"duration-{unit}", length="long", locale=locale_of(lang))


def words(ctx: Context, leads: tuple[timedelta, ...]) -> str:
    """'1 day before and 1 hour before', in the user's language: with one "before" each,
    two reminders never read as one ('2 hours and 30 minutes before' is 2½ hours)."""
    return format_list([ctx._("{time} before", time=duration(ctx, lead)) for lead in leads],
                       locale=locale_of(ctx.lang))


def summary(ctx: Context) -> str:
    """What the user gets now."""
    leads = leads_of(ctx, ctx.user.id)
    if not leads:
        return ctx._("Reminders are off: I won't remind you before meetings. If you're "
                     "coming online to a meeting whose link is private, I still send you "
                     "the link before it starts.")
    text = ctx._("I remind you {times} each meeting you're coming to (and, more gently, the "
                 "ones you might come to).", times=words(ctx, leads))
    if chosen(ctx, ctx.user.id) is None:
        text += " " + ctx._("These are the standard times.")
    return text


def menu(ctx: Context) -> tuple[str, list[list[Button]]]:
    """The settings message: a toggle per preset, Off and Standard, each marked ✓ while it is
    what the user gets (Off with no times, Standard when they chose none of their own)."""
    leads = leads_of(ctx, ctx.user.id)
    toggles = [ctx.button(_ticked(lead in leads, duration(ctx, lead)), "toggle",
                          int(lead.total_seconds())) for lead in PRESETS]
    text = "\n\n".join([summary(ctx), ctx._("Tap a time to turn it on or off, or send "
                                            "other times, for example /reminders 2 days, "
                                            "2 hours.")])
    standard = chosen(ctx, ctx.user.id) is None
    return text, [toggles[:2], toggles[2:],
                  [ctx.button(_ticked(not leads, ctx._("Off")), "off"),
                   ctx.button(_ticked(standard, ctx._("Standard times")), "default")]]


def _ticked(on: bool, label: str) -> str:
    """A button's label, with ✓ when it is the current choice."""
    return f"✓ {label}" if on else label


async def show_reminders(ctx: Context) -> None:
    """/reminders, /reminders off, /reminders 2 days, 1 hour (or 48h,2h)."""
    arg = ctx.text.strip().lower()
    if not arg:
        ctx.reply(*menu(ctx))
        return
    if arg in OFF_WORDS:
        save(ctx, ())
    elif arg in DEFAULT_WORDS:
        save(ctx, None)
    else:
        try:
            leads = parse_typed(arg)
            check(leads)
        except (ValueError, OverflowError):
            ctx.reply(ctx._("I didn't understand those times. Send for example /reminders "
                            "2 days, 3 hours (or short: 2d,3h – m = minutes, h = hours, d = "
                            "days, w = weeks; between 5 minutes and 30 days, at most six), or "
                            "/reminders off."))
            return
        save(ctx, leads or ())
    ctx.reply(summary(ctx))


async def toggle_lead(ctx: Context) -> None:
    """A preset button: add or remove that lead time."""
    try:
        lead = timedelta(seconds=int(ctx.args[0]))
    except (IndexError, ValueError, OverflowError):
        lead = None
    if lead not in PRESETS:
        ctx.toast(ctx._("This button no longer works."))
        return
    leads = set(leads_of(ctx, ctx.user.id))
    leads.symmetric_difference_update({lead})
    if len(leads) > MOST:
        ctx.toast(ctx._("At most six reminder times."))
        return
    save(ctx, tuple(sorted(leads, reverse=True)))
    ctx.edit(*menu(ctx))


async def turn_off(ctx: Context) -> None:
    """The Off button."""
    save(ctx, ())
    ctx.edit(*menu(ctx))


async def use_default(ctx: Context) -> None:
    """The Standard times button."""
    save(ctx, None)
    ctx.edit(*menu(ctx))
