"""The questions plugin's entries in /audit, in the reader's language."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from assistant import N_
from assistant.context import Context
from assistant.text import escape

from . import admin

AUDITED = {
    "moderator_added": N_("Moderator named for {network}: {user}"),
    "moderator_removed": N_("Moderator withdrawn from {network}: {user}"),
    "approve": N_("Question #{number} at {event} approved"),
    "now": N_("Question #{number} at {event} being answered"),
    "done": N_("Question #{number} at {event} answered"),
    "hide": N_("Question #{number} at {event} hidden"),
    "merge": N_("Question #{number} at {event} merged into #{into}"),
    "unmerge": N_("Question #{number} at {event} no longer merged into #{into}"),
    "mode": N_("Questions at {event}: {mode}"),
    "close": N_("Questions at {event} close on {when}"),
    "export": N_("Questions of {event} exported"),
    "csv": N_("Questions of {event} sent as a CSV file"),
}
MODES = {"approval": N_("shown after a moderator approves them"),
         "live": N_("shown at once")}


def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """One entry: the moderator named by name, the mode in words, the closing time formatted."""
    if action not in AUDITED:
        return None
    user = values.get("user")
    known = type(user) is int and ctx.assistant.users.known(user)
    at = values.get("at")
    when = ctx.fmt().datetime(datetime.fromisoformat(at), "short") if at else ""
    mode = values.get("mode", "")
    return ctx._(AUDITED[action], network=escape(str(values.get("network", ""))),
                 user=admin.person(ctx, user) if known else escape(str(user or "")),
                 number=values.get("number", ""), into=values.get("into", ""),
                 event=escape(str(values.get("event", ""))), when=escape(when),
                 mode=escape(ctx._(MODES[mode]) if mode in MODES else mode))
