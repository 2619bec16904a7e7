"""The audit log, for organisers: who changed the programme, broadcast, invited or exported."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant import N_, hookimpl
from assistant.context import Context
from assistant.text import escape
from assistant.types import Command

NAME = "audit"
SHOWN = 30


async def show_audit(ctx: Context) -> None:
    """The latest organiser actions, newest first."""
    entries = sorted(ctx.assistant.store.table("assistant_audit").all(),
                     key=lambda e: e["at"], reverse=True)
    if not entries:
        ctx.reply(ctx._("Nothing has been recorded yet."))
        return
    fmt = ctx.fmt()
    title = ctx._("Latest organiser actions")
    lines = [f"<b>{escape(title)}</b>"]
    for entry in entries[:SHOWN]:
        when = fmt.datetime(datetime.fromisoformat(entry["at"]), "short")
        lines.append(f"{escape(when)} · {escape(entry['name'])} · {_what(ctx, entry)}")
    ctx.reply("\n".join(lines))


def _what(ctx: Context, entry: Any) -> str:
    """What was done, in the reader's language as the plugin that recorded it describes it;
    an entry without values (recorded before they were kept, or by a plugin that does not
    describe its entries) as it was recorded."""
    if entry.get("values"):
        described = ctx.hooks.audit_text(ctx, entry["action"], entry["values"])
        if described:
            return described
    details = f" – {escape(entry['details'])}" if entry.get("details") else ""
    return f"<code>{escape(entry['action'])}</code>{details}"


@hookimpl
def register_commands() -> list[Command]:
    """Declare /audit for organisers."""
    return [Command("audit", show_audit, N_("Show the latest organiser actions"),
                    role="organiser", aliases=("logg",))]
