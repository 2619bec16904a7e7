"""What the organisers see of the links: one meeting's (`/invite ID list`), and every upcoming
meeting's that has any (`/invite list`)."""
from __future__ import annotations

from typing import Any

from assistant.context import Context
from assistant.model import Event, text
from assistant.text import bold, escape

from . import links

LISTED = 20
"""Meetings `/invite list` names; the rest as "… and N more"."""


def title(ctx: Context, event: Event) -> str:
    """The meeting's title in the reader's language, escaped."""
    return escape(text(event.title, ctx.lang))


def cancelled_mark(ctx: Context, event: Event) -> list[str]:
    """The programme's cancelled mark, as the first line about a cancelled meeting."""
    if not event.cancelled:
        return []
    return ["❌ " + bold(ctx._("Cancelled: this meeting will not take place."))]


def list_links(ctx: Context, event: Event) -> None:
    """Every link of the meeting with its uses and state."""
    docs = links.links(ctx).find(event=event.id)
    if not docs:
        ctx.reply(ctx._("No invitation links for {title} yet. Make one with /invite {id}.",
                        title=title(ctx, event), id=escape(event.id)))
        return
    lines = [*cancelled_mark(ctx, event),
             bold(ctx._("Invitation links: {title}", title=text(event.title, ctx.lang)))]
    for doc in docs:
        uses = (ctx.ngettext("{uses} of {n} use", "{uses} of {n} uses", doc["max_uses"],
                             uses=doc["uses"])
                if doc["max_uses"] else ctx.ngettext("{n} use", "{n} uses", doc["uses"]))
        if doc["revoked"]:
            state = ctx._("revoked")
        elif doc["max_uses"] and doc["uses"] >= doc["max_uses"]:
            state = ctx._("used up")
        else:
            state = ctx._("active")
        lines.append(f"{doc['number']}. <code>inv-{escape(doc['hint'])}…</code> – {uses} – "
                     f"{state}")
    guests = links.guests(ctx).count(event=event.id)
    lines.append(ctx.ngettext("{n} person invited in all.", "{n} people invited in all.", guests))
    ctx.reply("\n".join(lines))


def every_list(ctx: Context) -> None:
    """/invite list: the meetings not over that have links, each with its links' count and
    guests, for an organiser who does not remember which meetings they made links for."""
    programme = ctx.programme
    found: dict[str, list[Any]] = {}
    for doc in links.links(ctx).all():
        found.setdefault(doc["event"], []).append(doc)
    events = [e for e in (programme.events if programme else ())
              if e.id in found and e.end_utc > ctx.now]
    if not events:
        ctx.reply(ctx._("No upcoming meeting has invitation links yet. Send /invite to pick a "
                        "meeting and make one."))
        return
    lines = [bold(ctx._("Invitation links of upcoming meetings"))]
    for event in events[:LISTED]:
        docs = found[event.id]
        active = sum(1 for d in docs if not d["revoked"]
                     and not (d["max_uses"] and d["uses"] >= d["max_uses"]))
        lines.append("• " + escape(ctx.meeting_label(event)) + " – " + ctx._(
            "{links}, {active}, {guests}: {command} list",
            links=ctx.ngettext("{n} link", "{n} links", len(docs)),
            active=ctx.ngettext("{n} active", "{n} active", active),
            guests=ctx.ngettext("{n} person invited", "{n} people invited",
                                links.guests(ctx).count(event=event.id)),
            command=escape(f"/invite {event.id}")))
    if (more := len(events) - LISTED) > 0:
        lines.append(ctx.ngettext("… and {n} more", "… and {n} more", more))
    ctx.reply("\n".join(lines))
