"""Privacy rights: what is kept and why (/privacy), a copy of it (/mydata), erasure (/forget)."""
from __future__ import annotations

import json
from typing import Any

from assistant import N_, hookimpl
from assistant.context import Context
from assistant.delivery import stored_replies
from assistant.text import escape, to_plain
from assistant.types import Action, Command, Document

NAME = "privacy"


async def show_privacy(ctx: Context) -> None:
    """Explain, plugin by plugin, what is kept about the user: what concerns a role (a
    moderator's networks, the organisers' audit log, a plugin's `Notice`) only to its holders."""
    title = ctx._("What I keep about you")
    lines = [f"<b>{escape(title)}</b>", "",
             ctx._("Your Telegram name, username and language, so I can address you and "
                   "organisers know who answered. Kept while you use me; only organisers see "
                   "it. Delete it any time with /forget."),
             ctx._("Messages to you (reminders, notices, broadcasts): kept until they are "
                   "sent. Then I keep only that a message was sent and when, for a month, so "
                   "that none is sent twice, and not what it said.")]
    if ctx.may("moderator"):
        lines += ["", ctx._("<b>Moderators</b>: the networks whose questions you were named to "
                            "moderate, so that you may approve them. Kept until an organiser "
                            "withdraws it or you send /forget; organisers see it.")]
    if ctx.may("organiser"):
        lines += ["", ctx._("<b>Audit log</b> (organisers): what you do as an organiser "
                            "(programme changes, broadcasts, invitation links, attendee lists, "
                            "exports) is logged with your name, for accountability; organisers "
                            "read it with /audit. Entries are deleted after the retention "
                            "period; /forget puts “[forgotten]” in place of your name.")]
    for _plugin, notice in ctx.hooks.privacy_notice(ctx):
        lines += ["", notice]
    lines += ["", ctx._("Send /mydata for a copy of everything, or /forget to delete it.")]
    ctx.reply("\n".join(lines))


async def send_my_data(ctx: Context) -> None:
    """Give the user everything stored about them, as a JSON file."""
    assistant = ctx.assistant
    doc = assistant.store.table("assistant_users").get(ctx.user.id) or {}
    data = {
        "user_id": ctx.user.id,
        "profile": {k: doc.get(k) for k in ("first_name", "last_name", "username", "tg_lang",
                                            "lang", "reachable")},
        "moderator_of": sorted(assistant.roles.moderated_networks(ctx.user.id)),
        "messages": [_message(item) for item in assistant.outbox.table.find(chat=ctx.user.id)],
        "plugins": ctx.hooks.user_data(ctx, ctx.user.id),
    }
    content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    ctx.reply(ctx._("Here is everything I keep about you."),
              document=Document("mingel-my-data.json", content, "application/json"))


def _message(item: Any) -> dict[str, Any]:
    """A message kept for the user: one waiting, with what it will say, as they will read it,
    and the files it brings; one finished in the last month (sent, or dropped or failed)
    only with its state and times, since its text is not kept once it is finished."""
    state = item["state"]
    replies = stored_replies(item) if state == "pending" else []
    return {"created": item["created"], "state": state,
            "sent": item.get("finished") if state == "sent" else None,
            "text": "\n\n".join(to_plain(r["text"]) for r in replies if r.get("text")),
            "files": [r["document"]["filename"] for r in replies if r.get("document")]}


async def ask_to_forget(ctx: Context) -> None:
    """Ask for confirmation before deleting everything."""
    ctx.reply(ctx._("Do you want me to delete everything I keep about you: your answers, "
                    "questions, follows, declarations and settings? This cannot be undone."),
              [[ctx.button(ctx._("Yes, delete everything"), "forget", "yes"),
                ctx.button(ctx._("No, keep it"), "forget", "no")]])


async def forget(ctx: Context) -> None:
    """The confirmation button: delete the user everywhere, then purge old files."""
    if ctx.args != ["yes"]:
        ctx.edit(ctx._("Nothing was deleted."))
        return
    failed = await ctx.assistant.forget_user(ctx.user.id)
    await ctx.assistant.store.commit()
    if not await ctx.assistant.store.acompact():
        failed = [*failed, "storage (the deleted data is still in the journal)"]
    if failed:
        ctx.log.error("forget_user failed in %s", ", ".join(failed))
        ctx.edit(ctx._("I deleted most of your data, but something went wrong. The organisers "
                       "have been notified in the log; please try /forget again later."))
        return
    ctx.edit(ctx._("Done. I have deleted everything I kept about you. If you write to me "
                   "again, I start afresh."))


@hookimpl
def register_commands() -> list[Command]:
    """Declare the privacy commands."""
    return [
        Command("privacy", show_privacy, N_("What I keep about you, and why"),
                aliases=("integritet",)),
        Command("mydata", send_my_data, N_("Get a copy of your data"), aliases=("minadata",)),
        Command("forget", ask_to_forget, N_("Delete everything I keep about you"),
                aliases=("glöm", "glom")),
    ]


@hookimpl
def register_actions() -> list[Action]:
    """Declare the confirmation button."""
    return [Action("forget", forget, arity=(1, 1))]
