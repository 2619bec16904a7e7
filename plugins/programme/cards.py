"""A meeting's card: everything a participant needs to know, plus other plugins' lines and buttons.

The card is what the `event_card` hook returns, so RSVP and the other plugins can redraw
it in place; the map pin of the venue goes as a second message after it.
"""
from __future__ import annotations

from datetime import date

from assistant import pickday
from assistant.context import Context
from assistant.derived import Derived
from assistant.model import Event, Person, text
from assistant.text import escape
from assistant.types import Button, Venue

from .render import is_past, join_names, network_name, title

BUTTONS_PER_ROW = 2


def _person(ctx: Context, person: Person) -> str:
    """"Name – role" with the role in the reader's language."""
    role = text(person.role, ctx.lang)
    return f"{escape(person.name)} – {escape(role)}" if role else escape(person.name)


def _link(url: str) -> str:
    return f'<a href="{escape(url)}">{escape(url)}</a>'


def _where(ctx: Context, event: Event, over: bool, sent: bool = False) -> list[str]:
    """Venue, online platform and link (unless private: promised, or said to be in the chat
    when it was `sent` to this reader), and how one takes part; for a meeting that is `over`
    (past or cancelled) only where it was, with no invitation to take part and no link,
    promised or given."""
    lines = []
    if event.venue is not None:
        venue = event.venue
        place = f"{venue.name}, {venue.address}" if venue.address else venue.name
        lines.append(f"📍 {escape(place)}")
    if event.online is not None:
        platform = escape(event.online.platform)
        if over:
            lines.append("💻 " + ctx._("Online via {platform}", platform=platform))
        elif event.online.private and sent:
            lines.append("💻 " + ctx._("Online via {platform}: I've sent you the link to join "
                                      "in the chat.", platform=platform))
        elif event.online.private:
            lines.append("💻 " + ctx._("Online via {platform}: if you're coming online, I send "
                                      "you the link in the chat shortly before the meeting.",
                                      platform=platform))
        else:
            lines.append("💻 " + ctx._("Online via {platform}: {link}", platform=platform,
                                      link=_link(event.online.url)))
    if over:
        return lines
    if event.mode == "hybrid":
        lines.append(escape(ctx._("Come in person or take part online.")))
    elif event.mode == "online":
        lines.append(escape(ctx._("Online only.")))
    return lines


def _people(ctx: Context, event: Event) -> list[str]:
    """Speakers with their roles, then the networks' moderators not among them (the
    programme often lists the moderator with the speakers, as "Samtalsledare")."""
    lines = []
    if event.speakers:
        heading = escape(ctx.ngettext("Speaker", "Speakers", len(event.speakers)))
        lines += ["", f"<b>{heading}</b>", *(f"• {_person(ctx, p)}" for p in event.speakers)]
    programme = ctx.programme
    moderators: dict[str, Person] = {}
    listed = {person.name for person in event.speakers}
    for network_id in event.networks:
        network = programme.networks.get(network_id) if programme else None
        if network is not None and network.moderator is not None and \
                network.moderator.name not in listed:
            moderators.setdefault(network.moderator.name, network.moderator)
    if moderators:
        names = join_names(ctx, [m.name for m in moderators.values()])
        lines += ["", escape(ctx.ngettext("Moderator: {names}", "Moderators: {names}",
                                          len(moderators), names=names))]
    return lines


FACTS_KEPT = 8192
"""Cards' fixed parts kept, by meeting and language: a festival's 4,000 meetings in two
languages. Kept as UTF-8, 450 bytes a card where its lines took 2 KB (one emoji makes a
line four bytes a character), so all of them take what 2,048 did, and a card is not made
again for half the `/event`s."""
_facts: Derived[bytes] = Derived(FACTS_KEPT)


def event_card(ctx: Context, event: Event) -> tuple[str, list[list[Button]]]:
    """The full card for this user: the `event_card` hook."""
    lines = [_fixed(ctx, event)]
    details = ctx.hooks.event_details(ctx, event)
    if details:
        lines += ["", *details]
    extra = ctx.hooks.event_buttons(ctx, event)
    rows = [extra[i:i + BUTTONS_PER_ROW] for i in range(0, len(extra), BUTTONS_PER_ROW)]
    return "\n".join(lines), rows


def _fixed(ctx: Context, event: Event) -> str:
    """The lines that are the same for every reader of a language, made once per version of
    the programme (and once more when the meeting is over)."""
    past = is_past(event, ctx.now)
    sent = _link_sent(ctx, event, past)
    return _facts.get((ctx.programme, event), (ctx.lang, past, sent),
                      lambda: "\n".join(_facts_of(ctx, event, past, sent)).encode()).decode()


def _link_sent(ctx: Context, event: Event, past: bool) -> bool:
    """Whether this reader has the meeting's private link in the chat already (the plugin
    that sends it knows, `private_link_sent`): the card then no longer promises it."""
    online = event.online
    return online is not None and online.private and not (event.cancelled or past) \
        and ctx.user is not None and ctx.hooks.private_link_sent(ctx, event, ctx.user.id)


def _facts_of(ctx: Context, event: Event, past: bool, sent: bool = False) -> list[str]:
    """The card's lines from the programme. A cancelled meeting says so first and a past
    one that it is over; neither keeps the note ("Subject to change") nor the invitation to
    take part and the online link, which speak of a meeting still to come."""
    lines = []
    if event.cancelled:
        notice = escape(ctx._("Cancelled: this meeting will not take place."))
        lines.append(f"❌ <b>{notice}</b>")
    elif past:
        over = escape(ctx._("This meeting is over."))
        lines.append(f"⌛ <b>{over}</b>")
    lines.append(f"<b>{escape(title(ctx, event))}</b>")
    names = [network_name(ctx, ctx.programme, n) for n in event.networks]
    if event.is_joint:
        lines.append(escape(ctx._("Joint meeting of {networks}", networks=join_names(ctx, names))))
    elif names:
        lines.append(escape(names[0]))
    lines += ["", f"🗓 {escape(_span(ctx, event))}", *_where(ctx, event, event.cancelled or past, sent)]
    if event.invite_only:
        lines.append("🔒 " + escape(ctx._("By invitation only.")))
    lines += _people(ctx, event)
    description = text(event.description, ctx.lang).strip()
    if description:
        lines += ["", escape(description)]
    note = "" if event.cancelled or past else text(event.note, ctx.lang)
    if note.strip():
        lines += ["", *(f"<i>{escape(line)}</i>" for line in note.splitlines() if line.strip())]
    if event.url:
        lines.append(ctx._("More about the meeting: {link}", link=_link(event.url)))
    return lines


def _span(ctx: Context, event: Event) -> str:
    """When, with a gathering's number of days and, for a meeting joined online, the zone,
    in one bracket: '… varje dag (2 dagar, Sverigetid)', not two in a row."""
    fmt, days = ctx.fmt_event(event), len(event.days())
    span = fmt.range(event.start, event.end)
    count = (ctx.ngettext("{n} evening", "{n} evenings", days) if event.of_evenings
             else ctx.ngettext("{n} day", "{n} days", days) if event.is_multi_day else None)
    zoned = event.online is not None and not event.all_day  # whole days have no hours
    if count is None:
        return fmt.zoned(span) if zoned else span
    return f"{span} ({count}, {fmt.zone()})" if zoned else f"{span} ({count})"


def send_card(ctx: Context, event: Event, intro: str = "") -> None:
    """Reply with the card (as other plugins may have extended it) and then the map pin, for
    a meeting still to go to."""
    card = ctx.hooks.event_card(ctx, event) or event_card(ctx, event)
    body, buttons = card
    ctx.reply(f"{intro}\n\n{body}" if intro else body, buttons)
    venue = event.venue
    if venue is not None and venue.latitude is not None and venue.longitude is not None \
            and not event.cancelled and event.end_utc > ctx.now:
        ctx.reply(venue=Venue(venue.name, venue.address or venue.name, venue.latitude,
                              venue.longitude))


def no_such_meeting(ctx: Context, event_id: str) -> None:
    """A friendly answer for an unknown, hidden or forged meeting id."""
    ctx.reply(ctx.unknown_meeting(event_id))


async def show_event(ctx: Context) -> None:
    """/event ID: the meeting's card."""
    if not ctx.args:
        pick_meeting(ctx)
        return
    event = ctx.event(ctx.args[0])
    if event is not None:
        send_card(ctx, event)
    elif not ((day := pickday.asked(ctx)) and pick_meeting(ctx, day=day)):
        no_such_meeting(ctx, ctx.args[0])


def pick_meeting(ctx: Context, offset: int = 0, day: date | None = None) -> bool:
    """/event alone: the next meetings as buttons that open their cards, a page at a time
    (another page replaces it in place); /event DAY (`/event 2 sep`) that day's, and False
    when it has none to pick."""
    events = ctx.upcoming(pickday.on(day), offset=offset)
    if not events and day is not None:
        return False
    if not events:
        ctx.reply(ctx._("There are no upcoming meetings. Send /programme to see the programme."))
        return False
    ctx.edit(pickday.heading(ctx, day, ctx._("Which meeting? Pick one, or see them all in "
                                             "/programme.")),
             ctx.meeting_buttons(events, "card", more=pickday.more("pick", day), offset=offset))
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under /event's picker (of a day's meetings, or all)."""
    day, offset = pickday.paged(ctx.args)
    if not pick_meeting(ctx, offset, day) and day is not None:
        pick_meeting(ctx)  # the day's meetings are over meanwhile


async def open_card(ctx: Context) -> None:
    """A meeting's button in a list: the card as a new message, so the list stays."""
    event_id = ctx.args[0] if ctx.args else ""
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(ctx.unknown_meeting(event_id))
        return
    send_card(ctx, event)
