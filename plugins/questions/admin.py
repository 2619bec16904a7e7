"""/moderators: organisers name and withdraw the people who moderate a network's questions."""
from __future__ import annotations

from assistant.context import Context
from assistant.model import text
from assistant.text import escape, whole_number

VERBS = {"add": "add", "lägg till": "add", "remove": "remove", "ta bort": "remove"}
"""The words that name or withdraw a moderator; the Swedish texts name the Swedish ones."""


async def moderators_command(ctx: Context) -> None:
    """/moderators [NETWORK [add|remove USER]]: list, name or withdraw moderators ("lägg
    till" and "ta bort" work too)."""
    programme = ctx.programme
    networks = dict(programme.networks) if programme else {}
    if not ctx.args:
        _overview(ctx, list(networks) or [])
        return
    network = ctx.args[0]
    roles = ctx.assistant.roles
    if network not in networks and not roles.moderators(network):
        ctx.reply(ctx._("There is no network {network}. Networks: {known}.",
                        network=escape(network[:40]), known=escape(", ".join(networks) or "–")))
        return
    if len(ctx.args) == 1:
        _overview(ctx, [network])
        return
    verb, rest = _verb(ctx.args[1:])
    if verb is None or len(rest) != 1:
        ctx.reply(ctx._("Use /moderators {network} add USER or /moderators {network} remove "
                        "USER, where USER is a numeric Telegram id or an @username of someone who "
                        "has written to me.", network=escape(network)))
        return
    user_id = _lookup(ctx, rest[0])
    typed = whole_number(rest[0], digits=15)
    if user_id is None and verb == "remove" and typed in roles.moderators(network):
        user_id = typed
    if user_id is None:
        ctx.reply(ctx._("I don't know {user}. They need to write to me once (e.g. /start) "
                        "before you can name them; use their numeric Telegram id or "
                        "@username.", user=escape(rest[0][:40])))
        return
    who = person(ctx, user_id)
    name = escape(text(networks[network].name, ctx.lang)) if network in networks else \
        escape(network)
    if verb == "add":
        if roles.add_moderator(network, user_id):
            ctx.audit("moderator_added", f"{network} {user_id}", network=network, user=user_id)
            ctx.reply(ctx._("{who} now moderates the questions of {network}.", who=who,
                            network=name))
            _tell_new_moderator(ctx, user_id, network)
        else:
            ctx.reply(ctx._("{who} already moderates {network}.", who=who, network=name))
    elif roles.remove_moderator(network, user_id):
        ctx.audit("moderator_removed", f"{network} {user_id}", network=network,
                  user=user_id)
        ctx.reply(ctx._("{who} no longer moderates {network}.", who=who, network=name))
    else:
        ctx.reply(ctx._("{who} is not a moderator of {network}.", who=who, network=name))


def _verb(words: list[str]) -> tuple[str | None, list[str]]:
    """"add" or "remove" (in Swedish "lägg till", "ta bort", as the Swedish texts name them)
    and the words after it."""
    for size in (2, 1):
        verb = VERBS.get(" ".join(words[:size]).lower()) if len(words) >= size else None
        if verb is not None:
            return verb, words[size:]
    return None, words


def _overview(ctx: Context, networks: list[str]) -> None:
    """Every network (or one) with the people who moderate its questions here: by its name
    and the id /moderators takes; and that the programme's moderator, who leads the
    meetings, is not one of them until named (QA 43 read "none yet" as a mistake)."""
    heading = escape(ctx._("Question moderators"))
    nobody = escape(ctx._("none yet"))
    known = ctx.programme.networks if ctx.programme else {}
    lines = [f"<b>{heading}</b>"] if len(networks) != 1 else []
    for network in networks:
        names = ", ".join(person(ctx, u) for u in ctx.assistant.roles.moderators(network))
        label = escape(network) if network not in known else \
            f"{escape(text(known[network].name, ctx.lang))} ({escape(network)})"
        lines.append(f"{label}: {names or nobody}")
    lines += ["", ctx._("They approve, hide and merge the questions people send to the "
                        "network's meetings; organisers moderate every meeting. The moderator "
                        "named in the programme leads the meeting and moderates questions here "
                        "only once named. Name others with /moderators NETWORK add USER.")]
    ctx.reply("\n".join(lines))


def _lookup(ctx: Context, raw: str) -> int | None:
    """A user who has written to the bot, by numeric id or @username."""
    users = ctx.assistant.users
    if (number := whole_number(raw, digits=15)) is not None:
        return number if users.known(number) else None
    wanted = raw.lstrip("@").lower()
    for user_id in users.all_ids():
        username = users.get(user_id).username
        if username and username.lower() == wanted:
            return user_id
    return None


def person(ctx: Context, user_id: int) -> str:
    """A user's name and handle for organisers, escaped."""
    user = ctx.assistant.users.get(user_id)
    handle = f" @{user.username}" if user.username else ""
    return escape(f"{user.full_name}{handle} ({user_id})")


def _tell_new_moderator(ctx: Context, user_id: int, network: str) -> None:
    """Let the new moderator know what they can do now."""
    programme = ctx.programme
    networks = programme.networks if programme else {}

    def build(target: Context) -> None:
        name = text(networks[network].name, target.lang) if network in networks else network
        target.reply(target._("You now moderate the questions of {network}. Send /moderate to "
                              "see a meeting's questions.", network=escape(name)))
    ctx.send_to(user_id, build)
