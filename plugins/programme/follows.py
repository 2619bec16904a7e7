"""Networks and who follows them: /networks, /follow, /unfollow, the follow buttons.

A follow is a row (user, network, since) in `programme_follows`. /next, the messages about
new meetings (news.py) and other plugins (through the `followers` hook, e.g. broadcasts)
use it; the privacy hooks show and delete it.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

from assistant.context import Context
from assistant.model import Network, Programme, text
from assistant.storage import Table
from assistant.text import escape, shorten
from assistant.types import Button, Notice

from .render import fold, network_name, visible

MAX_NAME_CHARS = 40


def _table(ctx: Context) -> Table:
    return ctx.table("follows", indexes=("user", "network"))


def followed(ctx: Context, user_id: int) -> list[str]:
    """The networks a user follows, in the order they chose them."""
    return [doc["network"] for doc in _table(ctx).find(user=user_id)]


def followers(ctx: Context, network: str) -> list[int]:
    """The user ids following a network: the `followers` hook."""
    return sorted({doc["user"] for doc in _table(ctx).find(network=network)})


def _follow(ctx: Context, network_id: str) -> bool:
    """Start following; False when the user already did."""
    if _table(ctx).first(user=ctx.user.id, network=network_id):
        return False
    _table(ctx).insert({"user": ctx.user.id, "network": network_id, "since": ctx.now.isoformat()})
    return True


def _unfollow(ctx: Context, network_id: str) -> bool:
    """Stop following; False when the user did not follow it."""
    docs = _table(ctx).find(user=ctx.user.id, network=network_id)
    for doc in docs:
        _table(ctx).remove(doc.doc_id)
    return bool(docs)


def _summary(ctx: Context, network: Network) -> str:
    """The first paragraph of a network's description."""
    return text(network.description, ctx.lang).strip().split("\n\n", 1)[0].strip()


def networks_view(ctx: Context) -> tuple[str, list[list[Button]]]:
    """Every network with moderator, description and a follow or unfollow button."""
    programme = ctx.programme
    if programme is None or not programme.networks:
        return escape(ctx._("There are no networks in the programme yet.")), []
    mine = set(followed(ctx, ctx.user.id))
    upcoming = visible(ctx, programme.upcoming(ctx.now))
    heading = escape(ctx._("Networks"))
    lines = [f"<b>{heading}</b>"]
    buttons = []
    for network in programme.networks.values():
        name = network_name(ctx, programme, network.id)
        lines += ["", f"<b>{escape(name)}</b>"]
        if network.moderator is not None:
            lines.append(escape(ctx._("Moderator: {name}", name=network.moderator.name)))
        if summary := _summary(ctx, network):
            lines.append(escape(summary))
        count = sum(1 for e in upcoming if network.id in e.networks and not e.cancelled)
        meetings = escape(ctx.ngettext("{n} upcoming meeting", "{n} upcoming meetings", count))
        lines.append(f"<i>{meetings}</i>")
        short = name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS - 1] + "…"
        if network.id in mine:
            lines.append("✓ " + escape(ctx._("You follow this network.")))
            buttons.append([ctx.button(ctx._("Unfollow {name}", name=short), "unfollow",
                                       network.id)])
        else:
            buttons.append([ctx.button(ctx._("Follow {name}", name=short), "follow", network.id)])
    lines += ["", escape(ctx._("Follow networks: /next shows their next meeting, and I tell "
                               "you when a meeting is added to them."))]
    return "\n".join(lines), buttons


async def show_networks(ctx: Context) -> None:
    """/networks."""
    ctx.reply(*networks_view(ctx))


def loose(value: str) -> str:
    """A name as compared: folded, and the marks between its words (a hyphen, a dash, a
    slash) a space, so that "labour market" finds "Labour-market policy network"."""
    return " ".join(word for word in re.split(r"[\W_]+", fold(value)) if word)


def resolve(ctx: Context, programme: Programme, wanted: str,
            partly: bool = True) -> tuple[str | None, str]:
    """A network from its id or (part of) its name in any language, whole words first
    ("Network 4" is not Network 40); else a suggestion. Without `partly`, only whole words
    name one: "nov" is a month, not Innovation."""
    key = loose(wanted)
    names = {nid: {loose(nid), *(loose(v) for v in n.name.values())}
             for nid, n in programme.networks.items()}
    exact = [nid for nid, forms in names.items() if key in forms]
    whole = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)")
    words = [nid for nid, forms in names.items() if any(whole.search(f) for f in forms)]
    partial = [nid for nid, forms in names.items() if any(key in f for f in forms)]
    for found in (exact, words, partial) if partly else (exact, words):
        if len(found) == 1:
            return found[0], ""
    if not partly:
        return None, ""
    choices = {form: nid for nid, forms in names.items() for form in forms}
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
    return None, network_name(ctx, programme, choices[close[0]]) if close else ""


def _from_args(ctx: Context, usage: str) -> str | None:
    """The network named after /follow or /unfollow, or None after explaining."""
    programme = ctx.programme
    if not ctx.text.strip() or programme is None:
        text_, buttons = networks_view(ctx)
        ctx.reply(escape(usage) + "\n\n" + text_, buttons)
        return None
    network_id, suggestion = resolve(ctx, programme, ctx.text)
    if network_id is None:
        wanted = escape(shorten(ctx.text.strip(), MAX_NAME_CHARS))
        # quoted, as /search and /programme read text back: a cut name ends in "…", and
        # the bare name's "…." read as a typo
        reply = ctx._("There's no network called “{name}”.", name=wanted)
        if suggestion:
            reply += " " + ctx._("Did you mean {name}?", name=escape(suggestion))
        ctx.reply(reply + "\n" + escape(ctx._("Send /networks to see them all.")))
    return network_id


async def follow_network(ctx: Context) -> None:
    """/follow NETWORK."""
    network_id = _from_args(ctx, ctx._("Which network? Send /follow and its name, or "
                                              "tap a button:"))
    if network_id is None:
        return
    name = escape(network_name(ctx, ctx.programme, network_id))
    if _follow(ctx, network_id):
        ctx.reply(ctx._("You now follow {name}. /next shows its next meeting, and I'll tell "
                        "you when a meeting is added to it.", name=name))
    else:
        ctx.reply(ctx._("You already follow {name}.", name=name))


async def unfollow_network(ctx: Context) -> None:
    """/unfollow NETWORK; alone, the networks the user follows as Unfollow buttons."""
    if not ctx.text.strip():
        _offer_unfollow(ctx)
        return
    network_id = _from_args(ctx, ctx._("Which network? Send /unfollow and its name, or "
                                       "tap a button:"))
    if network_id is None:
        return
    name = escape(network_name(ctx, ctx.programme, network_id))
    if _unfollow(ctx, network_id):
        ctx.reply(ctx._("You no longer follow {name}.", name=name))
    else:
        ctx.reply(ctx._("You don't follow {name}.", name=name))


OFFER = "offer"
"""The extra argument of the Unfollow buttons of /unfollow alone: a tap keeps that offer."""


def _offer_unfollow(ctx: Context) -> None:
    """/unfollow alone: the offer of Unfollow buttons."""
    ctx.reply(*offer_view(ctx))


def offer_view(ctx: Context) -> tuple[str, list[list[Button]]]:
    """An Unfollow button for each network the user follows, or, following none, where to
    find the networks (the Follow buttons of /networks would not fit here)."""
    programme = ctx.programme
    mine = [n for n in followed(ctx, ctx.user.id) if programme and n in programme.networks]
    if not mine:
        return escape(ctx._("You don't follow any network. Send /networks to see them and "
                            "follow one, or /follow and a network's name.")), []
    buttons = []
    for network_id in mine:
        name = network_name(ctx, programme, network_id)
        short = name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS - 1] + "…"
        buttons.append([ctx.button(ctx._("Unfollow {name}", name=short), "unfollow", network_id,
                                   OFFER)])
    return escape(ctx._("Which network do you want to stop following? Send /unfollow and "
                        "its name, or tap a button:")), buttons


def _pressed_network(ctx: Context) -> str | None:
    """The network of a follow button, if it still exists (the data is untrusted)."""
    programme = ctx.programme
    network_id = ctx.args[0] if ctx.args else ""
    if programme is None or network_id not in programme.networks:
        ctx.toast(ctx._("This network is not in the programme any more."))
        return None
    return network_id


async def press_follow(ctx: Context) -> None:
    """The Follow button under /networks."""
    network_id = _pressed_network(ctx)
    if network_id is not None:
        _follow(ctx, network_id)
        ctx.toast(ctx._("You now follow {name}.", name=network_name(ctx, ctx.programme,
                                                                     network_id)))
        ctx.edit(*networks_view(ctx))


async def press_unfollow(ctx: Context) -> None:
    """The Unfollow button under /networks, or under the offer of /unfollow alone, which
    stays that offer with the networks still followed."""
    network_id = _pressed_network(ctx)
    if network_id is not None:
        _unfollow(ctx, network_id)
        ctx.toast(ctx._("You no longer follow {name}.", name=network_name(ctx, ctx.programme,
                                                                           network_id)))
        ctx.edit(*(offer_view(ctx) if ctx.args[1:2] == [OFFER] else networks_view(ctx)))


def privacy_notice(ctx: Context) -> list[str | Notice]:
    """What is kept about follows, why, how long and who sees it; programme files only
    concern organisers."""
    return [
        ctx._("<b>Networks you follow</b>: which networks you follow and since when, so that "
              "/next shows their meetings, you hear when the organisers add a meeting to them, "
              "and messages the organisers send to a network's followers reach you. Only I use "
              "the list, to address those messages. It is kept until you unfollow (/unfollow "
              "also stops the news of new meetings), and deleted at once with /forget."),
        ctx._("<b>Searches</b>: your last few searches whose results fill more than one page, "
              "so that their ‹ Earlier / Later › buttons work. Only you see them. They are "
              "deleted at once with /forget."),
        Notice(ctx._("<b>Programme files</b> (organisers): a programme file you sent is kept "
                     "until you confirm or cancel it."), role="organiser")]


def user_data(ctx: Context, user_id: int) -> dict[str, Any] | None:
    """Everything stored about the user's follows."""
    follows = [{"network": doc["network"], "since": doc.get("since")}
               for doc in _table(ctx).find(user=user_id)]
    return {"follows": follows} if follows else None


def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user's follows."""
    for doc in _table(ctx).find(user=user_id):
        _table(ctx).remove(doc.doc_id)
