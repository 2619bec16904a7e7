"""Broadcasts: organisers tell a meeting's participants, a network's followers or everyone
about a change now, through the outbox, and get a delivery report when it is done.

Modules: flow (the organiser's steps), audience (who gets it), markup (the organiser's
formatting made safe). docs/broadcast.md describes the behaviour.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from assistant import N_, hookimpl
from assistant.context import Context
from assistant.text import escape, shorten, to_plain
from assistant.types import Action, Command, Notice

from . import audience, flow, markup

NAME = "broadcast"


@hookimpl
def register_commands() -> list[Command]:
    """/broadcast, for organisers."""
    return [Command("broadcast", flow.start_broadcast,
                    N_("Send a message to a meeting's participants, a network or everyone"),
                    role="organiser", aliases=("utskick",))]


@hookimpl
def register_actions() -> list[Action]:
    """The steps of a broadcast, all for organisers only."""
    steps = {"to": (flow.choose_kind, (2, 3)), "ev": (flow.choose_event, (2, 2)),
             "who": (flow.choose_which, (2, 2)), "net": (flow.choose_network, (2, 2)),
             "text": (flow.receive_text, (1, 1)), "edit": (flow.change_text, (1, 1)),
             "send": (flow.send_broadcast, (1, 1)), "cancel": (flow.cancel_broadcast, (1, 1))}
    return [Action(name, handler, role="organiser", arity=arity, typed=name == "text")
            for name, (handler, arity) in steps.items()]


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Finish queuing what a crash interrupted; report to the organiser once every message
    of a broadcast is sent or given up."""
    for doc in flow.interrupted(ctx):
        people = audience.recipients(ctx, doc["audience"] or {}) or []
        ctx.log.warning("queuing broadcast #%d again after an interruption", doc.doc_id)
        await flow.queue(ctx, doc, people)
    for doc in flow.table(ctx).find(state="sending"):
        tally = ctx.assistant.outbox.tally(f"{NAME}:{doc.doc_id}")
        if tally["pending"]:
            continue
        flow.table(ctx).update(doc.doc_id, {"state": "done", "outcome": tally})
        if doc["owner"] is not None:
            ctx.send_to(doc["owner"], lambda target, doc=doc, tally=tally:
                        report(target, doc, tally), key=f"report:{doc.doc_id}")


def report(ctx: Context, doc: Any, tally: dict[str, Any]) -> None:
    """The delivery report: sent, unreachable, failed, how long it took."""
    started = datetime.fromisoformat(doc["sent_at"])
    took = datetime.fromisoformat(tally["last"]) - started if tally["last"] else None
    plain = " ".join(to_plain(doc["text"]).split())
    snippet = shorten(plain, 60)
    lines = [ctx._("📣 <b>Your message has gone out</b> to {audience}:",
                   audience=audience.describe(ctx, doc["audience"])),
             f"<i>{escape(snippet)}</i>", "",
             ctx._("Delivered: {n}", n=tally["sent"]),
             ctx._("Unreachable (blocked me or left Telegram): {n}", n=tally["unreachable"]),
             ctx._("Failed: {n}", n=tally["failed"] + tally["dropped"])]
    if took is not None and took < timedelta(seconds=1):
        lines.append(ctx._("It took less than a second."))
    elif took is not None:
        lines.append(ctx._("It took {duration}.", duration=escape(ctx.fmt().duration(took))))
    ctx.reply("\n".join(lines))


@hookimpl
def privacy_notice(ctx: Context) -> Notice:
    """What is kept about broadcasts: only organisers send them."""
    return Notice(ctx._("Broadcasts: if you are an organiser, the messages you broadcast are "
                        "kept with their audience and delivery counts, so that organisers can "
                        "see what was sent. Recipients are not listed. They are deleted with "
                        "the meeting data after the retention period."), role="organiser")


@hookimpl
def user_data(ctx: Context, user_id: int) -> list[dict[str, Any]] | None:
    """The broadcasts a person sent."""
    mine = flow.table(ctx).find(owner=user_id)
    return [{"created": d["created"], "state": d["state"], "audience": d["audience"],
             "text": d.get("typed"), "sent_at": d["sent_at"], "count": d["count"]}
            for d in mine] or None


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete a person's drafts; sent broadcasts stay, without their name."""
    for doc in flow.table(ctx).find(owner=user_id):
        if doc["state"] in ("draft", "cancelled"):
            flow.table(ctx).remove(doc.doc_id)
        else:
            flow.table(ctx).update(doc.doc_id, {"owner": None})


@hookimpl
async def trim_past(ctx: Context, before: datetime) -> None:
    """Retention: delete broadcasts older than the retention period."""
    for doc in flow.table(ctx).all():
        if datetime.fromisoformat(doc["created"]) < before and doc["state"] not in ("queuing", "sending"):
            flow.table(ctx).remove(doc.doc_id)


@hookimpl
def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """A broadcast in /audit: to whom, in words, and how it began, as its recipients read it
    (tags typed by hand to format it are formatting, not words)."""
    if action != "send":
        return None
    read = to_plain(markup.safe_html(str(values.get("text", ""))))
    snippet = shorten(" ".join(read.split()), 60)
    return ctx.ngettext("Broadcast to {n} person, {audience}: {text}",
                        "Broadcast to {n} people, {audience}: {text}", values.get("count", 0),
                        audience=audience.describe(ctx, values.get("audience") or {}),
                        text=f"<i>{escape(snippet)}</i>")
