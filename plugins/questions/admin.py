"""/moderators: organisers name and withdraw the people who moderate a network's questions."""
from __future__ import annotations

from assistant.context import Context
from assistant.model import text
from assistant.text import escape, whole_number


async def moderators_command(ctx: Context) -> None:
    """/moderators [NETWORK [add|remove USER]]: list, name or withdraw moderators."""
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
    verb = ctx.args[1].lower()
    if verb not in ("add", "remove") or len(ctx.args) != 3:
        ctx.reply(ctx._("Use /moderators {network} add USER or /moderators {network} remove "
                        "USER, where USER is a numeric Telegram id or an @username of someone who "
                        "has written to me.", network=escape(network)))
        return
    user_id = _lookup(ctx, ctx.args[2])
    typed = whole_number(ctx.args[2], digits=15)
    if user_id is None and verb == "remove" and typed in roles.moderators(network):
        user_id = typed
    if user_id is None:
        ctx.reply(ctx._("I don't know {user}. They need to write to me once (e.g. /start) "
                        "before you can name them; use their numeric Telegram id or "
                        "@username.", user=escape(ctx.args[2][:40])))
        return
    who = _name(ctx, user_id)
    name = escape(text(networks[network].name, ctx.lang)) if network in networks else \
        escape(network)
    if verb == "add":
        if roles.add_moderator(network, user_id):
            ctx.audit("moderator_added", f"{network} {user_id}")
            ctx.reply(ctx._("{who} now moderates the questions of {network}.", who=who,
                            network=name))
            _tell_new_moderator(ctx, user_id, network)
        else:
            ctx.reply(ctx._("{who} already moderates {network}.", who=who, network=name))
    elif roles.remove_moderator(network, user_id):
        ctx.audit("moderator_removed", f"{network} {user_id}")
        ctx.reply(ctx._("{who} no longer moderates {network}.", who=who, network=name))
    else:
        ctx.reply(ctx._("{who} is not a moderator of {network}.", who=who, network=name))


def _overview(ctx: Context, networks: list[str]) -> None:
    """Every network (or one) with its moderators."""
    heading = escape(ctx._("Moderators"))
    nobody = escape(ctx._("none yet"))
    lines = [f"<b>{heading}</b>"] if len(networks) != 1 else []
    for network in networks:
        names = ", ".join(_name(ctx, u) for u in ctx.assistant.roles.moderators(network))
        lines.append(f"{escape(network)}: {names or nobody}")
    lines += ["", ctx._("Organisers moderate every meeting. Name others with /moderators "
                        "NETWORK add USER.")]
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


def _name(ctx: Context, user_id: int) -> str:
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
