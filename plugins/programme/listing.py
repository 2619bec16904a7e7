"""Finding meetings: /programme (upcoming or the whole season), /next and /search.

A joint meeting is listed once, under the first of its networks, "together with" the
others, so every meeting has exactly one line and one button.
"""
from __future__ import annotations

from assistant.context import Context
from assistant.model import Event
from assistant.text import escape

from .cards import send_card
from .follows import followed
from .render import card_button, event_line, event_list, fold, network_name, visible

ALL_WORDS = ("all", "alla")
MAX_QUERY_CHARS = 60


def _no_programme(ctx: Context) -> None:
    ctx.reply(escape(ctx._("The programme isn't available right now. Please try again later.")))


async def show_programme(ctx: Context) -> None:
    """/programme [all]: upcoming meetings (or the season), grouped by network, soonest first."""
    programme = ctx.programme
    if programme is None:
        _no_programme(ctx)
        return
    season = bool(ctx.args) and fold(ctx.args[0]) in ALL_WORDS
    now = ctx.now
    events = visible(ctx, programme.events if season else programme.upcoming(now))
    if not events:
        empty = ctx._("There are no meetings in the programme yet.") if season else \
            ctx._("There are no upcoming meetings. Send /programme all to see the whole season.")
        ctx.reply(escape(empty))
        return
    groups: dict[str, list[Event]] = {n: [] for n in programme.networks}
    for event in events:
        groups.setdefault(event.networks[0], []).append(event)
    heading = escape(ctx._("The whole season") if season else ctx._("Upcoming meetings"))
    lines, buttons = [f"<b>{heading}</b>"], []
    for network_id, group in groups.items():
        if not group:
            continue
        lines += ["", f"<b>{escape(network_name(ctx, programme, network_id))}</b>"]
        for event in group:
            joint = network_id if event.is_joint else None
            lines.append(event_line(ctx, event, now, joint_from=joint))
            buttons.append([card_button(ctx, event)])
    lines += ["", escape(ctx._("Tap a meeting to see the details."))]
    if not season:
        lines.append(escape(ctx._("Send /programme all to see the whole season, past meetings "
                                  "included.")))
    ctx.reply("\n".join(lines), buttons)


async def show_next(ctx: Context) -> None:
    """/next: the next meeting of the networks the user follows, or of any network."""
    programme = ctx.programme
    if programme is None:
        _no_programme(ctx)
        return
    mine = set(followed(ctx, ctx.user.id)) & set(programme.networks)
    upcoming = [e for e in visible(ctx, programme.upcoming(ctx.now)) if not e.cancelled]
    if mine:
        upcoming = [e for e in upcoming if mine & set(e.networks)]
    if not upcoming:
        none = ctx._("None of the networks you follow has an upcoming meeting. Send /programme "
                     "to see all meetings.") if mine else ctx._("There are no upcoming meetings.")
        ctx.reply(escape(none))
        return
    if mine:
        intro = ctx._("The next meeting of the networks you follow:")
    else:
        intro = ctx._("The next meeting (follow networks in /networks to see only theirs):")
    send_card(ctx, upcoming[0], f"<i>{escape(intro)}</i>")


def _haystack(event: Event) -> str:
    """Every searchable text of a meeting in every language, folded."""
    parts = [*event.title.values(), *event.description.values()]
    for person in event.speakers:
        parts += [person.name, *person.role.values()]
    return fold(" ".join(parts))


async def search(ctx: Context) -> None:
    """/search WORDS: meetings whose title, description or speakers contain every word."""
    programme = ctx.programme
    if programme is None:
        _no_programme(ctx)
        return
    words = [fold(w) for w in ctx.text.split()]
    if not words:
        ctx.reply(escape(ctx._("What should I look for? Send /search and a word, e.g. "
                               "/search skills.")))
        return
    found = [e for e in visible(ctx, programme.events) if all(w in _haystack(e) for w in words)]
    query = escape(ctx.text.strip()[:MAX_QUERY_CHARS])
    if not found:
        ctx.reply(ctx._("No meeting matches “{query}”. Send /programme to see them all.",
                        query=query))
        return
    lines, buttons = event_list(ctx, found, ctx.now)
    heading = ctx.ngettext("{n} meeting matches “{query}”:", "{n} meetings match “{query}”:",
                           len(found), query=query)
    ctx.reply("\n".join([f"<b>{heading}</b>", "", *lines]), buttons)

