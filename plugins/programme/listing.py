"""Finding meetings: /programme (upcoming, the whole season, a day or a network) and /next.

A joint meeting is listed once, under the first of its networks, "together with" the
others, so every meeting has exactly one line and one button. A long programme (a
festival has thousands of meetings) is shown PAGE_SIZE meetings at a time; a day's list
(`/programme onsdag`, `/programme 30/6`) has every network's meetings of that day in time
order, a month's (`/programme september`) likewise, a network's list (`/programme klimat`)
that network's. The lists come from the
programme's index (index.py), made once per programme version.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from assistant import pickday
from assistant.context import Context
from assistant.i18n import number
from assistant.model import Event, Programme
from assistant.text import escape, shorten
from assistant.types import Button

from .cards import send_card
from .days import BEFORE, find_day, find_month, no_such_date, spelled_out, tokens, written
from .follows import followed, resolve
from .index import index
from .render import card_button, event_line, fold, network_name

ALL_WORDS = ("all", "alla")
MAX_QUERY_CHARS = 60
PAGE_SIZE = 25
"""Meetings per page of /programme (Telegram allows at most 100 buttons on a message)."""
KINDS = ("up", "all", "day", "month", "net", "neta")
"""What a list shows: upcoming, the season, a day, a month, a network's upcoming or all
meetings."""


def no_programme(ctx: Context) -> None:
    """Say the programme is missing (a broken first start is refused, so only briefly)."""
    ctx.reply(escape(ctx._("The programme isn't available right now. Please try again later.")))


def today(ctx: Context, programme: Programme) -> date:
    """Today where the programme happens."""
    return ctx.now.astimezone(programme.timezone).date()


def busy_for(ctx: Context, programme: Programme) -> Callable[[date], bool]:
    """Whether a day has meetings this user may see: a day with only invite-only meetings
    hidden from them is free, so "thursday" names the next Thursday they can see something
    on, never the day of a meeting they must not know of."""
    by_day = index(programme).by_day

    def busy(day: date) -> bool:
        return any(not e.invite_only or ctx.hooks.event_visible(ctx, e)
                   for e in by_day.get(day, ()))
    return busy


def usage(ctx: Context) -> str:
    """What /programme accepts (after a word it did not understand)."""
    return ctx._("Send /programme for the upcoming meetings, /programme all for the whole "
                 "season, /programme and a day (/programme wednesday, /programme tomorrow, "
                 "/programme 30/6), a month (/programme september) or a network (/programme "
                 "and its name).")


async def show_programme(ctx: Context) -> None:
    """/programme [all] [DAY | MONTH | NETWORK]: a page of the list asked for, or what it accepts."""
    programme = ctx.programme
    if programme is None:
        no_programme(ctx)
        return
    words = tokens(ctx.text)
    season = any(w in ALL_WORDS for w in words)
    rest = [w for w in words if w not in ALL_WORDS]
    if not rest:
        page(ctx, "all" if season else "up", "", 0)
        return
    if (found := find_day(rest, today(ctx, programme), busy_for(ctx, programme))) and not found[1]:
        page(ctx, "day", found[0].strftime("%Y%m%d"), 0)
        return
    month = find_month(rest)
    network_id, suggestion = (None, "") if set(rest) <= BEFORE else \
        _network(ctx, programme, rest, partly=month is None)
    if network_id is not None:
        page(ctx, "neta" if season else "net", network_key(programme, network_id), 0)
        return
    if month is not None:
        page(ctx, "month", which_month(ctx, programme, *month), 0)
        return
    if (spelled := spelled_out(rest)) != rest and (found := find_day(
            spelled, today(ctx, programme), busy_for(ctx, programme))) and not found[1]:
        page(ctx, "day", found[0].strftime("%Y%m%d"), 0)  # "Thu", "Thu 2 Sept": as listed
        return
    if (missing := no_such_date(spelled)) is not None:
        ctx.reply(pickday.no_such_day(ctx, pickday.NoSuchDay(*missing)) or "")
        return
    wanted = escape(shorten(ctx.text.strip(), MAX_QUERY_CHARS))
    lines = [ctx._("I didn't understand “{words}”.", words=wanted)]
    if suggestion:
        lines.append(ctx._("Did you mean {name}?", name=escape(suggestion)))
    ctx.reply("\n".join([*lines, escape(usage(ctx))]))


def _network(ctx: Context, programme: Programme, words: list[str],
             partly: bool = True) -> tuple[str | None, str]:
    """The network these words name, else as written: a name may hold a slash or a dot
    ("Klimat/energi"), which split words. Without `partly` only a name with these whole
    words, for words that also name a month."""
    network_id, suggestion = resolve(ctx, programme, " ".join(words), partly)
    as_written = " ".join(w for w in ctx.text.split() if fold(w) not in ALL_WORDS)
    if network_id is None and as_written != " ".join(words):
        network_id = resolve(ctx, programme, as_written, partly)[0]
    return network_id, suggestion


def which_month(ctx: Context, programme: Programme, month: int, year: int | None) -> str:
    """A month's key (`202709`): the year written, else the next such month from today
    with meetings this user may see, else the last one before, else simply the next one."""
    if year is None:
        now = today(ctx, programme)
        by_month = index(programme).by_month
        years = [y for (y, m), events in by_month.items() if m == month and any(
            not e.invite_only or ctx.hooks.event_visible(ctx, e) for e in events)]
        year = next((y for y in years if (y, month) >= (now.year, now.month)),
                    years[-1] if years else now.year + (month < now.month))
    return f"{year:04d}{month:02d}"


def choose_day(ctx: Context, programme: Programme, text: str) -> date | None:
    """The day a free text asks about ("what's on on wednesday?"), if it names one."""
    found = find_day(tokens(text), today(ctx, programme), busy_for(ctx, programme))
    return found[0] if found else None


def named_day(ctx: Context, text: str) -> date | pickday.NoSuchDay | None:
    """The day these words name and nothing else ("2 sep", "på onsdag"), as /programme DAY
    reads it, or the date that does not exist ("31/2"): for a command that takes a meeting
    id and was given a day (`/osa 2 sep`)."""
    programme, words = ctx.programme, tokens(text)
    found = programme and find_day(words, today(ctx, programme), busy_for(ctx, programme))
    if found and not found[1]:
        return found[0]
    missing = no_such_date(spelled_out(words))
    return pickday.NoSuchDay(*missing) if missing is not None else None


def show_upcoming(ctx: Context) -> None:
    """The first page of the upcoming meetings (free text about the programme)."""
    page(ctx, "up", "", 0)


def show_day(ctx: Context, day: date) -> None:
    """The first page of one day's meetings (free text about a day)."""
    page(ctx, "day", day.strftime("%Y%m%d"), 0)


async def press_page(ctx: Context) -> None:
    """‹ Earlier / Later › under a long list: the list shows another page, in place."""
    kind, offset, key = (ctx.args + ["", "", ""])[:3]
    if kind not in KINDS or not (offset.isascii() and offset.isdecimal()) or len(offset) > 6:
        ctx.toast(ctx._("This button no longer works."))
        return
    page(ctx, kind, key, int(offset), edit=True)


def network_key(programme: Programme, network_id: str) -> str:
    """A network in a page button: its id, or its place when the id is too long for one."""
    return network_id if len(network_id.encode()) <= 30 else f"#{list(programme.networks).index(network_id)}"


def _network_of(programme: Programme, key: str) -> str | None:
    if key.startswith("#") and key[1:].isdecimal() and int(key[1:]) < len(programme.networks):
        return list(programme.networks)[int(key[1:])]
    return key if key in programme.networks else None


def _day_of(key: str) -> date | None:
    try:
        return date(int(key[:4]), int(key[4:6]), int(key[6:8])) if len(key) == 8 else None
    except ValueError:
        return None


def _slice(ctx: Context, items: Sequence[tuple[str | None, Event]], upcoming: bool,
           offset: int) -> tuple[list[tuple[str | None, Event]], bool]:
    """The meetings of one page and whether more follow; only as many are checked for
    visibility as the page needs."""
    now, seen, shown = ctx.now, 0, []
    for network_id, event in items:
        if (not upcoming or event.end_utc > now) and ctx.hooks.event_visible(ctx, event):
            if seen >= offset:
                if len(shown) == PAGE_SIZE:
                    return shown, True
                shown.append((network_id, event))
            seen += 1
    return shown, False


def _hidden(ctx: Context, events: Sequence[Event], upcoming: bool) -> int:
    """How many of these meetings this user may not see (invite-only ones, by the hook)."""
    now = ctx.now
    return sum(1 for e in events if e.invite_only and (not upcoming or e.end_utc > now)
               and not ctx.hooks.event_visible(ctx, e))


def _listed(ctx: Context, programme: Programme, kind: str,
            key: str) -> tuple[Sequence[tuple[str | None, Event]], bool, int, str, str] | None:
    """A list's meetings, whether only upcoming ones count, their total, heading and what to
    say when it is empty; None for a day or network that no longer makes sense."""
    idx, now = index(programme), ctx.now
    if kind in ("up", "all"):
        upcoming = kind == "up"
        total = (idx.upcoming_count(now) if upcoming else len(programme.events)) \
            - _hidden(ctx, idx.invite_only, upcoming)
        if upcoming:
            return (idx.grouped, True, total, ctx._("Upcoming meetings"),
                    ctx._("There are no upcoming meetings. Send /programme all to see the "
                          "whole season."))
        return (idx.grouped, False, total, ctx._("The whole season"),
                ctx._("There are no meetings in the programme yet."))
    if kind == "day":
        if (day := _day_of(key)) is None:
            return None
        events = idx.by_day.get(day, ())
        heading = ctx.fmt(programme.timezone).date(day)
        heading = heading[:1].upper() + heading[1:]
        return ([(None, e) for e in events], False,
                len(events) - _hidden(ctx, events, False), heading,
                ctx._("There are no meetings on {day}.", day=ctx.fmt(programme.timezone).date(day)))
    if kind == "month":
        if (first := _day_of(key + "01")) is None:
            return None
        events = idx.by_month.get((first.year, first.month), ())
        heading = ctx.fmt(programme.timezone).month(first)
        return ([(None, e) for e in events], False, len(events) - _hidden(ctx, events, False),
                heading[:1].upper() + heading[1:],
                ctx._("There are no meetings in {month}.", month=heading))
    if (network_id := _network_of(programme, key)) is None:
        return None
    events = idx.by_network.get(network_id, ())
    upcoming = kind == "net"
    total = sum(1 for e in events if not upcoming or e.end_utc > now) \
        - _hidden(ctx, events, upcoming)
    name = network_name(ctx, programme, network_id)
    if upcoming:
        return ([(None, e) for e in events], True, total,
                ctx._("Upcoming meetings of {network}", network=name),
                ctx._("{network} has no upcoming meetings.", network=name))
    return ([(None, e) for e in events], False, total, ctx._("{network}: the whole season",
                                                             network=name),
            ctx._("{network} has no meetings in the programme.", network=name))


def page(ctx: Context, kind: str, key: str, offset: int, *, edit: bool = False) -> None:
    """One page of a list, with ‹ Earlier / Later › when it has more, and the zone of its
    times when a meeting on it can be joined online (`ctx.times_note`)."""
    programme = ctx.programme
    if programme is None:
        no_programme(ctx)
        return
    listed = _listed(ctx, programme, kind, key)
    if listed is None:
        ctx.toast(ctx._("This button no longer works."))
        return
    items, upcoming, total, heading, empty = listed
    shown, more = _slice(ctx, items, upcoming, offset)
    if not shown and offset:
        offset = 0
        shown, more = _slice(ctx, items, upcoming, offset)
    if not shown:
        ctx.reply(escape(empty))
        return
    lines = [f"<b>{escape(heading)}</b>"]
    network = _network_of(programme, key) if kind in ("net", "neta") else None
    lines += list_lines(ctx, programme, shown, network)
    if note := ctx.times_note(e for _, e in shown):
        lines += ["", escape(note)]
    buttons: list[list[Button]] = [[card_button(ctx, e)] for _, e in shown]
    if offset or more:
        lines += ["", escape(ctx._("Meetings {first}–{last} of {total}.",
                                   first=number(offset + 1, ctx.lang),
                                   last=number(offset + len(shown), ctx.lang),
                                   total=number(max(total, offset + len(shown)), ctx.lang)))]
        buttons.append(page_buttons(ctx, "page", offset, more, kind, key))
    lines += ["", escape(ctx._("Tap a meeting to see the details."))]
    if kind == "up":
        lines.append(escape(ctx._("Send /programme all to see the whole season, past meetings "
                                  "included.")))
    (ctx.edit if edit else ctx.reply)("\n".join(lines), buttons)


def list_lines(ctx: Context, programme: Programme, shown: Sequence[tuple[str | None, Event]],
               network: str | None = None) -> list[str]:
    """The lines of a page: under network headings when grouped, else one after another; a
    joint meeting "together with" the networks other than the one it is listed under (its
    heading, or the `network` the whole list is of)."""
    lines, heading = [] if shown and shown[0][0] is not None else [""], None
    for network_id, event in shown:
        if network_id is not None and network_id != heading:
            lines += ["", f"<b>{escape(network_name(ctx, programme, network_id))}</b>"]
            heading = network_id
        listed_under = network_id or network
        joint = listed_under if listed_under is not None and event.is_joint else None
        lines.append(event_line(ctx, event, ctx.now, joint_from=joint))
    return lines


def page_buttons(ctx: Context, action: str, offset: int, more: bool,
                 kind: str, key: str) -> list[Button]:
    """‹ Earlier and Later › for a list's page (the offset before the key, as buttons sent
    before days and networks had one)."""
    extra = (key,) if key else ()
    return (([ctx.button(ctx._("‹ Earlier"), action, kind, max(0, offset - PAGE_SIZE), *extra)]
             if offset else [])
            + ([ctx.button(ctx._("Later ›"), action, kind, offset + PAGE_SIZE, *extra)]
               if more else []))



def _first(ctx: Context, upcoming: Sequence[Event],
           keep: Callable[[Event], bool]) -> tuple[Event | None, int]:
    """The first meeting kept among the upcoming ones (in programme order: by start, a tie
    by id) and how many others kept start at the same time."""
    first, same = None, 0
    for event in upcoming:
        if first is not None and event.start_utc != first.start_utc:
            break
        if not event.cancelled and keep(event) and ctx.hooks.event_visible(ctx, event):
            if first is None:
                first = event
            else:
                same += 1
    return first, same


async def show_next(ctx: Context) -> None:
    """/next: the user's next meeting (answered coming or maybe) or the next of the networks
    they follow, whichever starts first (theirs on a tie); without either, of any network."""
    programme = ctx.programme
    if programme is None:
        no_programme(ctx)
        return
    answered = {a.event_id for a in ctx.hooks.answers_of(ctx, ctx.user.id)
                if a.coming or a.answer == "maybe"}
    follows = set(followed(ctx, ctx.user.id)) & set(programme.networks)
    upcoming = programme.upcoming(ctx.now)
    own, own_same = _first(ctx, upcoming, lambda e: e.id in answered) if answered else (None, 0)
    if follows:
        other, other_same = _first(ctx, upcoming, lambda e: not follows.isdisjoint(e.networks))
    elif own is None:
        other, other_same = _first(ctx, upcoming, lambda e: True)
    else:
        other, other_same = None, 0
    if own is not None and (other is None or own.start_utc <= other.start_utc):
        shown, same, intro = own, own_same, ctx._("Your next meeting:")
    elif other is not None:
        shown, same = other, other_same
        intro = ctx._("The next meeting of the networks you follow:") if follows else \
            ctx._("The next meeting (follow networks in /networks to see only theirs):")
    else:
        none = ctx._("None of the networks you follow has an upcoming meeting. Send /programme "
                     "to see all meetings.") if follows else \
            ctx._("There are no upcoming meetings.")
        ctx.reply(escape(none))
        return
    heading = f"<i>{escape(intro)}</i>"
    if same:
        day = written(shown.start.date(), today(ctx, programme))
        more = ctx.ngettext("{count} more at the same time: /programme {day}",
                            "{count} more at the same time: /programme {day}", same,
                            count=number(same, ctx.lang), day=day)
        heading += "\n" + escape(more)
    send_card(ctx, shown, heading)
