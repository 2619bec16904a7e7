"""Finding meetings: /programme (upcoming or the whole season), /next and /search.

A joint meeting is listed once, under the first of its networks, "together with" the
others, so every meeting has exactly one line and one button. A long programme (a
festival has thousands of meetings) is shown PAGE_SIZE meetings at a time.
"""
from __future__ import annotations

from assistant.context import Context
from assistant.model import Event, Programme
from assistant.text import escape

from .cards import send_card
from .follows import followed
from .render import card_button, event_line, event_list, fold, network_name, visible

ALL_WORDS = ("all", "alla")
MAX_QUERY_CHARS = 60
PAGE_SIZE = 25
"""Meetings per page of /programme (Telegram allows at most 100 buttons on a message)."""
_grouping: list = []


def _no_programme(ctx: Context) -> None:
    ctx.reply(escape(ctx._("The programme isn't available right now. Please try again later.")))


async def show_programme(ctx: Context) -> None:
    """/programme [all]: upcoming meetings (or the season), grouped by network, soonest first."""
    season = bool(ctx.args) and fold(ctx.args[0]) in ALL_WORDS
    _programme_page(ctx, season, 0)


async def press_page(ctx: Context) -> None:
    """‹ Earlier / Later › under a long list: the list shows another page, in place."""
    kind, offset = (ctx.args + ["", ""])[:2]
    if kind not in ("all", "up") or not (offset.isascii() and offset.isdecimal()) or len(offset) > 6:
        ctx.toast(ctx._("This button no longer works."))
        return
    _programme_page(ctx, kind == "all", int(offset), edit=True)


def _grouped(programme: Programme) -> list[tuple[str, Event]]:
    """Every meeting under the first of its networks, networks in file order (computed once
    per programme: a festival has thousands)."""
    if _grouping and _grouping[0] is programme:
        return _grouping[1]
    groups: dict[str, list[Event]] = {n: [] for n in programme.networks}
    for event in programme.events:
        groups.setdefault(event.networks[0], []).append(event)
    _grouping[:] = [programme, [(n, e) for n, group in groups.items() for e in group]]
    return _grouping[1]


def _page(ctx: Context, programme: Programme, season: bool,
          offset: int) -> tuple[list[tuple[str, Event]], bool]:
    """The meetings of one page and whether more follow; only as many are checked for
    visibility as the page needs."""
    now, seen, items = ctx.now, 0, []
    for network_id, event in _grouped(programme):
        if (season or event.end_utc > now) and ctx.hooks.event_visible(ctx, event):
            if seen >= offset:
                if len(items) == PAGE_SIZE:
                    return items, True
                items.append((network_id, event))
            seen += 1
    return items, False


def _programme_page(ctx: Context, season: bool, offset: int, *, edit: bool = False) -> None:
    programme = ctx.programme
    if programme is None:
        _no_programme(ctx)
        return
    items, more = _page(ctx, programme, season, offset)
    if not items and offset:
        offset = 0
        items, more = _page(ctx, programme, season, offset)
    if not items:
        empty = ctx._("There are no meetings in the programme yet.") if season else \
            ctx._("There are no upcoming meetings. Send /programme all to see the whole season.")
        ctx.reply(escape(empty))
        return
    heading = escape(ctx._("The whole season") if season else ctx._("Upcoming meetings"))
    lines, buttons, shown = [f"<b>{heading}</b>"], [], None
    for network_id, event in items:
        if network_id != shown:
            lines += ["", f"<b>{escape(network_name(ctx, programme, network_id))}</b>"]
            shown = network_id
        joint = network_id if event.is_joint else None
        lines.append(event_line(ctx, event, ctx.now, joint_from=joint))
        buttons.append([card_button(ctx, event)])
    if offset or more:
        lines += ["", escape(ctx._("Meetings {first}–{last}.", first=offset + 1,
                                   last=offset + len(items)))]
        kind = "all" if season else "up"
        buttons.append(
            ([ctx.button(ctx._("‹ Earlier"), "page", kind, max(0, offset - PAGE_SIZE))]
             if offset else [])
            + ([ctx.button(ctx._("Later ›"), "page", kind, offset + PAGE_SIZE)] if more else []))
    lines += ["", escape(ctx._("Tap a meeting to see the details."))]
    if not season:
        lines.append(escape(ctx._("Send /programme all to see the whole season, past meetings "
                                  "included.")))
    (ctx.edit if edit else ctx.reply)("\n".join(lines), buttons)


async def show_next(ctx: Context) -> None:
    """/next: the next meeting of the networks the user follows, or of any network."""
    programme = ctx.programme
    if programme is None:
        _no_programme(ctx)
        return
    mine = set(followed(ctx, ctx.user.id)) & set(programme.networks)
    now = ctx.now
    upcoming = next((e for e in programme.events if e.end_utc > now and not e.cancelled
                     and (not mine or mine & set(e.networks))
                     and ctx.hooks.event_visible(ctx, e)), None)
    if upcoming is None:
        none = ctx._("None of the networks you follow has an upcoming meeting. Send /programme "
                     "to see all meetings.") if mine else ctx._("There are no upcoming meetings.")
        ctx.reply(escape(none))
        return
    if mine:
        intro = ctx._("The next meeting of the networks you follow:")
    else:
        intro = ctx._("The next meeting (follow networks in /networks to see only theirs):")
    send_card(ctx, upcoming, f"<i>{escape(intro)}</i>")


def _haystack(event: Event) -> str:
    """Every searchable text of a meeting in every language, folded."""
    parts = [*event.title.values(), *event.description.values()]
    for person in event.speakers:
        parts += [person.name, *person.role.values()]
    return fold(" ".join(parts))


SEARCH_SHOWN = 20
"""Matches shown at once: Telegram allows 100 buttons a message, people read far fewer."""


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
    lines, buttons = event_list(ctx, found[:SEARCH_SHOWN], ctx.now)
    heading = ctx.ngettext("{n} meeting matches “{query}”:", "{n} meetings match “{query}”:",
                           len(found), query=query)
    if len(found) > SEARCH_SHOWN:
        lines += ["", ctx._("These are the first {shown}; add a word to narrow the search.",
                            shown=SEARCH_SHOWN)]
    ctx.reply("\n".join([f"<b>{heading}</b>", "", *lines]), buttons)

