"""Did you mean …? for a typed meeting id that names no meeting: the closest ids among the
meetings this user may see, written as the command again ("/deltagare am-sep").

`Context.unknown_meeting` asks it only on that error path. The ids are compared first
(difflib's cheap upper bounds before its ratio, as `Assistant._guess` compares commands),
and only the few close enough are asked `event_visible`: a festival has thousands of
meetings, and a hidden one must never be named, nor change what is suggested instead.
"""
from __future__ import annotations

import difflib
import functools
from typing import TYPE_CHECKING

from . import N_, pickday
from .i18n import fill
from .text import escape

if TYPE_CHECKING:
    from .context import Context
    from .model import Event

ID_CUTOFF = 0.75
"""How alike (difflib's ratio) an id must be to the one typed to be suggested."""
SUGGESTED = 3
"""Ids suggested at most, when several are as close."""
ID_SHOWN = 40
"""Characters of an unknown id quoted back (it is untrusted text and may be long)."""
PREFIX = 6
"""Characters typed from which an id that begins with them comes first ("am-2027-10-14" for
"am-2027-10-14-rundabord"), before ids a character or two away."""
TYPED = 64
"""Characters of a typed id compared (it is untrusted text and may be long)."""
UNKNOWN_MEETING = N_("I can't find a meeting with the id {id}. Send /programme to see the "
                     "meetings.")
DID_YOU_MEAN = N_("I can't find a meeting with the id {id}. Did you mean {meeting}?")
ONE_OF = N_("I can't find a meeting with the id {id}. Did you mean one of these?")


def closest(ctx: Context, event_id: str) -> list[Event]:
    """The meetings this user may see whose ids begin with `event_id` or are the closest to
    it (all as close; at most SUGGESTED, those that begin with it first), in the programme's
    order; none when none is close enough."""
    programme = ctx.programme
    if programme is None or not event_id:
        return []
    typed = event_id[:TYPED].casefold()
    matcher = difflib.SequenceMatcher(b=typed)
    begun: list[Event] = []
    close: list[tuple[float, Event]] = []
    for event in programme.events:
        folded = event.id.casefold()
        if len(typed) >= PREFIX and folded.startswith(typed):
            begun.append(event)  # the id cut short ("am-2027-10-14" for the roundtable)
            continue
        matcher.set_seq1(folded)
        if matcher.real_quick_ratio() >= ID_CUTOFF and matcher.quick_ratio() >= ID_CUTOFF \
                and (score := matcher.ratio()) >= ID_CUTOFF:
            close.append((score, event))
    found = [e for e in begun if ctx.hooks.event_visible(ctx, e)][:SUGGESTED]
    close.sort(key=lambda scored: -scored[0])
    best = 0.0
    for score, event in close:
        if score < best or len(found) == SUGGESTED:
            break
        if ctx.hooks.event_visible(ctx, event):
            best = score
            found.append(event)
    order = {event.id: n for n, event in enumerate(programme.events)}
    return sorted(found, key=lambda event: order[event.id])


def retyped(ctx: Context, event_id: str, other: str, rest: bool = True) -> str | None:
    """The command the user typed again with `other` in the place of `event_id`
    ("/deltagare am-sep", as they wrote the command, bot name left out; the id found in any
    case, as /calendar lowers it), without the words after the id unless `rest`; None when
    the id was not typed in a command (a button's data, an awaited answer). Not escaped."""
    incoming = ctx.incoming
    typed = incoming.text or "" if incoming is not None and incoming.callback_data is None \
        else ""
    folded = [arg.casefold() for arg in ctx.args]
    if event_id.casefold() not in folded or not typed.startswith("/"):
        return None
    command = typed.split(maxsplit=1)[0].split("@", 1)[0]
    at = folded.index(event_id.casefold())
    args = list(ctx.args) if rest else list(ctx.args[:at + 1])
    args[at] = other
    return " ".join([command, *args])


def suggested(ctx: Context, event_id: str) -> list[Event]:
    """The meetings "Did you mean …?" names for an id typed in a command (`closest`); none
    for an id from elsewhere (a button's data, an awaited answer)."""
    return closest(ctx, event_id) if retyped(ctx, event_id, event_id) is not None else []


def unknown(ctx: Context, event_id: str, rest: bool = True) -> str:
    """The answer to an id that names no meeting this user may see, from the core's
    catalogue: for a typed id close to ones they may see, the command again with each (and
    the words typed after the id unless `rest` is False: /ask's question, which its buttons
    carry on with) and the meeting's whole label, as a picker names it (a button cuts it);
    else (a forged or removed id) no suggestion; a typed date that does not exist ("/event
    31/4") "There is no 31 April." HTML."""
    if retyped(ctx, event_id, event_id) is not None and (missing := pickday.no_such_day(ctx)):
        return missing
    text = functools.partial(ctx.assistant.catalogues.text, "assistant", ctx.lang)
    values = {"id": escape(event_id[:ID_SHOWN])}
    if not (events := suggested(ctx, event_id)):
        return fill(text(UNKNOWN_MEETING), values)
    lines = [f"{escape(retyped(ctx, event_id, event.id, rest) or '')} "
             f"({escape(ctx.meeting_label(event))})" for event in events]
    if len(lines) == 1:
        return fill(text(DID_YOU_MEAN), {**values, "meeting": lines[0]})
    return "\n".join([fill(text(ONE_OF), values), *(f"• {line}" for line in lines)])
