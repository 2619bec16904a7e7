"""The audit log, for organisers: who changed the programme, broadcast, invited or exported."""
from __future__ import annotations

from datetime import datetime

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
        details = f" – {escape(entry['details'])}" if entry.get("details") else ""
        lines.append(f"{escape(when)} · {escape(entry['name'])} · "
                     f"<code>{escape(entry['action'])}</code>{details}")
    ctx.reply("\n".join(lines))


@hookimpl
def register_commands() -> list[Command]:
    """Declare /audit for organisers."""
    return [Command("audit", show_audit, N_("Show the latest organiser actions"),
                    role="organiser")]
