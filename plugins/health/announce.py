"""When the organisers switch a meeting's declaration on or off in the programme.

On: whoever already holds an in-person seat is told once, with the button while the window is
open, instead of first hearing of it from the last reminder an hour before the meeting. Off,
or the meeting left without a venue: the outcomes given for it are deleted at once, since no
door list needs them any more (health data is kept only for as long as it has a use).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.model import text
from assistant.text import escape

from .card import ask_to_fill, their_range
from .records import applies, opens, outcome, outcomes, window

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Event


def switched_on(before: Event | None, after: Event | None) -> bool:
    """Whether the change makes a meeting that asked for no declaration ask for one."""
    return before is not None and after is not None and not before.health_declaration \
        and applies(after)


def audience(ctx: Context, before: Event | None, after: Event | None) -> list[int]:
    """Who holds an in-person seat (not the waiting list) at a meeting the change makes ask
    for a declaration, and has none yet: the people `tell` writes to."""
    if not switched_on(before, after) or window(ctx, after) == "over":
        return []
    return [a.user_id for a in ctx.hooks.attendees(ctx, after)
            if a.in_person and outcome(ctx, after.id, a.user_id) is None]


def tell(ctx: Context, before: Event | None, after: Event | None) -> None:
    """Tell each of them once each time the declaration is switched on
    (`asked:<meeting>:<user>:<opening>:<switched on>`): switched off in between, it took
    their declarations with it, so someone who had declared must hear it again. The user comes
    before the opening, so that a person's requests form one group (`card.prompts`).
    Switched on while its window is open, the message brings the button, and the opening
    counts as told (`opening.switched_on`): the next tick does not ask them again."""
    switched = int(ctx.now.timestamp())
    for user_id in audience(ctx, before, after):
        when = int(opens(ctx, after, user_id).timestamp())
        ctx.send_to(user_id, lambda target, e=after: asked(target, e),
                    key=f"asked:{after.id}:{user_id}:{when}:{switched}")


def asked(ctx: Context, event: Event) -> None:
    """The message (ctx is the recipient's): the meeting now asks for a declaration."""
    title, when = escape(text(event.title, ctx.lang)), their_range(ctx, event)
    if event.health_required:
        line = ctx._("📋 <b>{title}</b> ({when}) now requires a health declaration from "
                     "everyone coming in person.", title=title, when=when)
    else:
        line = ctx._("📋 <b>{title}</b> ({when}) now asks everyone coming in person for a "
                     "health declaration.", title=title, when=when)
    ask_to_fill(ctx, event, line)


def drop_unneeded(ctx: Context, after: Event | None) -> int:
    """Delete the outcomes of a meeting that no longer asks for a declaration (switched off,
    or online only); a cancelled one keeps them, as its answers, in case it is put back on."""
    if after is None or (after.health_declaration and after.venue is not None):
        return 0
    table = outcomes(ctx)
    gone = [doc.doc_id for doc in table.find(event=after.id)]
    for doc_id in gone:
        table.remove(doc_id)
    return len(gone)
