"""Shared pieces of the programme's chat texts: names, list lines, buttons, search folding.

Everything here returns Telegram HTML with every value from the programme escaped, in
the reader's language and the event's time zone.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime

from assistant.context import Context
from assistant.derived import Derived
from assistant.model import Event, Programme, text
from assistant.text import escape
from assistant.types import Button

BUTTON_TITLE_CHARS = 40
LINES_KEPT = 8192
"""List lines and card buttons kept, by meeting, language and what else they show: every
/programme draws the same page of 25 for most readers, and each line formats a date with
Babel."""
_lines: Derived[str] = Derived(LINES_KEPT)
_buttons: Derived[Button] = Derived(LINES_KEPT)


def fold(value: str) -> str:
    """Lower-case without diacritics, so "mortvik" matches "Mörtvik"."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def visible(ctx: Context, events: Iterable[Event]) -> list[Event]:
    """Only the events this user may see (invite-only meetings are hidden by a plugin)."""
    return [e for e in events if ctx.hooks.event_visible(ctx, e)]


def one_line(value: str) -> str:
    """A name or title on one line, so formatting around it stays within a line."""
    return " ".join(value.split())


def title(ctx: Context, event: Event) -> str:
    """The event's title in the reader's language (plain text, one line)."""
    return one_line(text(event.title, ctx.lang)) or event.id


def network_name(ctx: Context, programme: Programme | None, network_id: str) -> str:
    """A network's name in the reader's language (plain text, one line)."""
    network = programme.networks.get(network_id) if programme else None
    return one_line(text(network.name, ctx.lang) if network else "") or network_id


def join_names(ctx: Context, names: Sequence[str]) -> str:
    """"A", "A and B", "A, B and C" in the reader's language."""
    if len(names) < 2:
        return names[0] if names else ""
    return ctx._("{names} and {last}", names=", ".join(names[:-1]), last=names[-1])


def is_past(event: Event, now: datetime) -> bool:
    """Whether the meeting is over."""
    return event.end_utc <= now


def when(ctx: Context, event: Event) -> str:
    """Short weekday, date and time for a list line, e.g. "tors 2 sep. 09:30"; a gathering
    to its last day and the time it ends there ("– fre 12 nov. 15:00"), evenings to the
    night their last one ends in ("fre 1 okt. 18:00 – sön 3 okt. 02:00"), whole days
    without a time."""
    fmt = ctx.fmt_event(event)
    start = fmt.weekday_date(event.start)
    if not event.all_day:
        start += f" {fmt.time(event.start)}"
    if event.is_multi_day:
        last = fmt.weekday_date(event.end) if event.of_evenings \
            else fmt.date(event.days()[-1], "EEE d MMM")
        return f"{start} – {last}" if event.all_day else f"{start} – {last} {fmt.time(event.end)}"
    return start


def event_line(ctx: Context, event: Event, now: datetime, *, joint_from: str | None = None) -> str:
    """One list line: weekday, date, time, title; cancelled struck through, past marked."""
    programme, past = ctx.programme, is_past(event, now)
    if programme is None:
        return _event_line(ctx, event, past, joint_from)
    return _lines.get((programme, event), (ctx.plugin, ctx.lang, past, joint_from),
                      lambda: _event_line(ctx, event, past, joint_from))


def _event_line(ctx: Context, event: Event, past: bool, joint_from: str | None) -> str:
    line = f"{escape(when(ctx, event))} · {escape(title(ctx, event))}"
    if event.cancelled:
        word = escape(ctx._("cancelled"))
        line = f"<s>{line}</s> <b>{word}</b>"
    extras = []
    if joint_from is not None:
        others = [network_name(ctx, ctx.programme, n) for n in event.networks if n != joint_from]
        extras.append(ctx._("together with {networks}", networks=join_names(ctx, others)))
    if event.invite_only:
        extras.append(ctx._("by invitation"))
    if past:
        extras.append(ctx._("past"))
    if extras:
        line += f" <i>({escape(', '.join(extras))})</i>"
    return line


def card_button(ctx: Context, event: Event) -> Button:
    """The button that opens a meeting's card."""
    programme = ctx.programme
    if programme is None:
        return _card_button(ctx, event)
    return _buttons.get((programme, event), (ctx.plugin, ctx.lang), lambda: _card_button(ctx, event))


def _card_button(ctx: Context, event: Event) -> Button:
    """"ons 30 juni 15:30 · title": a festival day has a dozen titles that begin alike."""
    fmt = ctx.fmt_event(event)
    name = title(ctx, event)
    if len(name) > BUTTON_TITLE_CHARS:
        name = name[:BUTTON_TITLE_CHARS - 1].rstrip() + "…"
    day = fmt.weekday_date(event.start)
    label = f"{day} · {name}" if event.all_day else f"{day} {fmt.time(event.start)} · {name}"
    return ctx.button(f"❌ {label}" if event.cancelled else label, "card", event.id)
