"""Invitations: deep links that let people see and answer invite-only meetings.

An organiser sends /invite ID and gets `https://t.me/<bot>?start=inv-<token>`; whoever
opens it is invited to that meeting. Invite-only meetings stay hidden from everyone else
(`event_visible`), so nobody can find or answer them, not even with a forged button; who
answered a meeting before it became invite-only counts as invited.
docs/invitations.md describes it for organisers.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.lists import format_list

from assistant import N_, hookimpl, pickday
from assistant.context import PICKED, Context
from assistant.i18n import locale_of
from assistant.i18n import number as fmt_number
from assistant.model import Event
from assistant.text import escape, whole_number
from assistant.types import Action, Command, Setting

from . import links
from .listing import every_list, list_links
from .listing import title as _title

NAME = "invitations"
MAX_USES = 10_000
LIST_WORDS = ("list", "lista")
REVOKE_WORDS = ("revoke", "återkalla")


def _event(ctx: Context, event_id: str) -> Event | None:
    programme = ctx.programme
    return programme.event(event_id) if programme else None


def _when(ctx: Context, event: Event, bracketed: bool = False) -> str:
    """The meeting's date and time, naming the zone of one that can be joined online as its
    card does; `bracketed` inside a sentence's own brackets."""
    return ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None,
                                      bracketed=bracketed)


def bot_username(ctx: Context) -> str | None:
    """The bot's username as Telegram reported it at start-up, else MINGEL_BOT_USERNAME."""
    name = getattr(ctx.assistant, "bot_username", None) or ctx.setting("MINGEL_BOT_USERNAME")
    return name.lstrip("@") if name else None


async def invite(ctx: Context) -> None:
    """/invite ID [N | list | revoke [N]]: make, list or withdraw invitation links; without an
    id, the meetings a link can still be made for, as buttons (with a day, that day's)."""
    if not ctx.args:
        pick(ctx)
        return
    event = _event(ctx, ctx.args[0])
    if event is None and len(ctx.args) == 1 and ctx.args[0].lower() in LIST_WORDS:
        every_list(ctx)
        return
    if event is None:
        if not ((day := pickday.asked(ctx)) and pick(ctx, day=day)):
            ctx.reply(ctx.unknown_meeting(ctx.args[0]))
        return
    rest = [a.lower() for a in ctx.args[1:]]
    if rest and rest[0] in LIST_WORDS and len(rest) == 1:
        list_links(ctx, event)
    elif rest and rest[0] in REVOKE_WORDS:
        revoke_links(ctx, event, rest[1:])
    elif not rest or (len(rest) == 1 and _uses(rest[0])):
        make_link(ctx, event, whole_number(rest[0]) if rest else None)
    else:
        ctx.reply(wrong(ctx, rest) + "\n\n" + usage(ctx))


def pick(ctx: Context, offset: int = 0, day: date | None = None) -> bool:
    """/invite alone: what it takes, and the meetings a link can be made for, a page at a time
    (another replaces it in place); /invite DAY (`/inbjudan 2 sep`) that day's, and False
    when it has none."""
    events = invite_choices(ctx, offset, day)
    if day is not None and not events:
        return False
    ctx.edit(pickday.heading(ctx, day, (ctx._(
        "Which meeting would you like a new invitation link for?") + "\n\n"
        if events else "") + usage(ctx)),
             ctx.meeting_buttons(events, "new", more=pickday.more("pick", day), offset=offset))
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under /invite's picker (of a day's meetings, or all)."""
    day, offset = pickday.paged(ctx.args)
    if not pick(ctx, offset, day) and day is not None:
        pick(ctx)  # the day's meetings are over meanwhile


def invite_choices(ctx: Context, offset: int = 0, day: date | None = None) -> list[Event]:
    """What `/invite` alone offers (or `/invite DAY`, of that day), as far as the page from
    `offset` needs: the invite-only meetings first, as they are the ones that need links (a
    season of two networks has a dozen public meetings, and a roundtable late in it was never
    among the first ten), then the others, in the programme's order."""
    hidden = ctx.upcoming(pickday.on(day, lambda e: e.invite_only), offset=offset)
    others = ctx.upcoming(pickday.on(day, lambda e: not e.invite_only), offset=offset)
    return (hidden + others)[:offset + PICKED + 1]


def _uses(word: str) -> bool:
    """Whether a word is a number of uses a link may have."""
    number = whole_number(word)
    return number is not None and 0 < number <= MAX_USES


def wrong(ctx: Context, rest: list[str]) -> str:
    """What was wrong with the words after the meeting's id: the word that does not fit, or
    that it is one too many."""
    first = rest[0]
    if len(rest) > 1 and (_uses(first) or first in LIST_WORDS):
        if whole_number(rest[1]) is not None or rest[1] in LIST_WORDS + REVOKE_WORDS:
            return ctx._("Write just one thing after the meeting's id: a number of uses "
                         "(1 to {max}), list or revoke.", max=fmt_number(MAX_USES, ctx.lang))
        first = rest[1]
    if first.isascii() and first.isdecimal():
        return ctx._("A link can work for 1 to {max} people, so {n} won't do.",
                     max=fmt_number(MAX_USES, ctx.lang), n=escape(first[:12]))
    return ctx._("I don't understand “{word}”. After the meeting's id write a number of uses "
                 "(1 to {max}), list or revoke.", word=escape(first[:40]),
                 max=fmt_number(MAX_USES, ctx.lang))


def usage(ctx: Context) -> str:
    """How /invite is used."""
    return "\n".join([
        ctx._("/invite ID – a new invitation link to the meeting, for any number of people"),
        ctx._("/invite ID 5 – a link that works for 5 people"),
        ctx._("/invite ID list – the meeting's links and how often they were used"),
        ctx._("/invite ID revoke – withdraw all its links (or: revoke 2 – only link 2)"),
        ctx._("/invite list – the links of every upcoming meeting"),
    ])


def make_link(ctx: Context, event: Event, max_uses: int | None) -> None:
    """Create a link and show it once (only its hash is kept)."""
    if event.end_utc <= ctx.now:
        ctx.reply(ctx._("This meeting is over; there is nothing to invite to."))
        return
    if event.cancelled:
        ctx.reply(ctx._("This meeting is cancelled, so there is nothing to invite to. Its links "
                        "are still in /invite {id} list.", id=escape(event.id)))
        return
    token, number = links.create(ctx, event, max_uses)
    payload = links.PREFIX + token
    username = bot_username(ctx)
    lines = [ctx._("🔗 <b>Invitation to {title}</b> ({when})", title=_title(ctx, event),
                   when=_when(ctx, event, bracketed=True))]
    if username:
        lines.append(escape(f"https://t.me/{username}?start={payload}"))
    else:
        lines.append(ctx._("(I don't know my Telegram username yet; set MINGEL_BOT_USERNAME to "
                           "get a link.)"))
    lines += [ctx._("Or in the chat with me: <code>/start {payload}</code>", payload=payload), "",
              ctx._("This is link {number}. I show it only now; I keep just a fingerprint "
                    "of it.", number=number), *admits(ctx, event, number, max_uses)]
    if not event.invite_only:
        lines.append(ctx._("Note: this meeting is public anyway; the link opens its card."))
    ctx.reply("\n".join(lines))
    ctx.audit("create", f"{event.id} link {number} uses={max_uses or 'unlimited'}",
              event=event.id, link=number, uses=max_uses or 0)


def admits(ctx: Context, event: Event, number: int, max_uses: int | None) -> list[str]:
    """How many people a new link lets in, said plainly (a forwarded link admits whoever it
    reaches), and the commands that withdraw it or make one for a set number."""
    revoke = ctx._("/invite {id} revoke {number}", id=escape(event.id), number=number)
    if max_uses:
        return [ctx.ngettext("Whoever opens it can see the meeting and answer. It lets in {n} "
                             "person; then it stops working.",
                             "Whoever opens it can see the meeting and answer. It lets in {n} "
                             "people; then it stops working.", max_uses),
                ctx._("To withdraw it sooner: {command}", command=revoke)]
    return [ctx._("Whoever opens it can see the meeting and answer. It lets in any number of "
                  "people, including anyone it is passed on to, until you withdraw it: "
                  "{command}", command=revoke),
            ctx._("For a link for a set number of people, put the number after the id: "
                  "{command} makes a link for 2 people.",
                  command=escape(f"/invite {event.id} 2"))]


def revoke_links(ctx: Context, event: Event, rest: list[str]) -> None:
    """Withdraw one link by number, or all of the meeting's links."""
    number = whole_number(rest[0]) if len(rest) == 1 else None
    if rest and number is None:
        ctx.reply(ctx._("After revoke write a link's number, or nothing to withdraw all of "
                        "the meeting's links.") + "\n\n" + usage(ctx))
        return
    numbers = [d["number"] for d in links.links(ctx).find(event=event.id)]
    if number is not None and number not in numbers:
        ctx.reply(_no_such_link(ctx, event, number, numbers))
        return
    if number is not None and links.links(ctx).first(event=event.id, number=number)["revoked"]:
        ctx.reply(ctx._("Link {number} was already withdrawn.", number=number))
        return
    count = links.revoke(ctx, event.id, number)
    if not count:
        ctx.reply(ctx._("There are no active links to withdraw; see /invite {id} list.",
                        id=escape(event.id)))
        return
    ctx.reply(ctx.ngettext("{n} link withdrawn. People already invited stay invited.",
                           "{n} links withdrawn. People already invited stay invited.", count))
    ctx.audit("revoke", f"{event.id} link {number or 'all'}: {count}", event=event.id,
              link=number or 0, count=count)


def _no_such_link(ctx: Context, event: Event, number: int, numbers: list[int]) -> str:
    """A link number the meeting does not have: which ones it has."""
    if not numbers:
        return ctx._("There is no link {number}; the meeting has no invitation links yet.",
                     number=number)
    return ctx.ngettext(
        "There is no link {number}. This meeting has link {numbers}; see /invite {id} list.",
        "There is no link {number}. This meeting has links {numbers}; see /invite {id} list.",
        len(numbers), number=number,
        numbers=format_list([str(n) for n in sorted(numbers)], locale=locale_of(ctx.lang)),
        id=escape(event.id))


@hookimpl
def register_commands() -> list[Command]:
    """/invite, for organisers."""
    return [Command("invite", invite, N_("Make, list or withdraw invitation links to a meeting"),
                    role="organiser", args=N_("[ID [N|list|revoke]]"),
                    aliases=("inbjudan",))]


@hookimpl
def register_actions() -> list[Action]:
    """A meeting's button in the /invite picker: a new link to it."""
    return [Action("new", invite, role="organiser", arity=(1, 1)),
            Action("pick", press_pick, role="organiser", arity=(1, 2))]


@hookimpl
def register_settings() -> list[Setting]:
    """The bot's username, for links when Telegram has not told it (terminal, tests)."""
    return [Setting("MINGEL_BOT_USERNAME", str, None,
                    N_("The bot's Telegram username, for invitation links (normally learnt "
                       "from Telegram at start-up)."))]


@hookimpl
async def start_payload(ctx: Context, payload: str) -> bool | None:
    """Someone opened an invitation link: let them in and show the meeting; a link that no
    longer works is said to be dead (False: someone new to the bot is welcomed after it)."""
    if not payload.startswith(links.PREFIX):
        return None
    link = links.find(ctx, payload[len(links.PREFIX):])
    event = _event(ctx, link["event"]) if link else None
    if link is None:
        ctx.reply(ctx._("This invitation link doesn't work. Please ask the organisers for a new "
                        "one.") + _reach(ctx))
        return False
    if event is None or event.end_utc <= ctx.now:
        ctx.reply(ctx._("The meeting this invitation was for is over or no longer in the "
                        "programme."))
        return False
    if event.cancelled:
        ctx.reply(ctx._("The meeting this invitation was for, {title} ({when}), is cancelled: it "
                        "will not take place.", title=_title(ctx, event),
                        when=_when(ctx, event, bracketed=True)))
        return False
    outcome = "again" if _staff(ctx, event) else links.admit(ctx, link, ctx.user.id, ctx.now)
    if outcome == "revoked":
        ctx.reply(ctx._("This invitation link has been withdrawn. Please ask the organisers for "
                        "a new one.") + _reach(ctx))
        return False
    if outcome == "used up":
        ctx.reply(ctx._("This invitation link has already been used as many times as it "
                        "allows. Please ask the organisers for a new one.") + _reach(ctx))
        return False
    if outcome == "admitted":
        ctx.reply("\n".join([
            ctx._("You're invited! Here is the meeting: answer with the buttons under it."),
            ctx._("I'm Mingel, the assistant for your network's meetings: /help shows "
                  "everything I can do. Svenska eller English? Send /language to switch.")]))
    else:
        ctx.reply(ctx._("You're invited! Here is the meeting:"))
    if outcome in ("admitted", "again") and not ctx.hooks.send_card(ctx, event):
        card = ctx.hooks.event_card(ctx, event)
        ctx.reply(*(card or (f"<b>{_title(ctx, event)}</b>\n{_when(ctx, event)}", [])))
    return True


def _reach(ctx: Context) -> str:
    """How to ask the organisers for a new link: the programme's contact, on a line of its
    own, when it has one; a stranger whose link failed has no other way to reach them."""
    contact = ctx.programme.contact if ctx.programme else None
    return "\n" + ctx._("You can reach them at {contact}.", contact=escape(contact)) \
        if contact else ""


def _staff(ctx: Context, event: Event) -> bool:
    return ctx.may("organiser") or ctx.may("moderator", networks=event.networks)


@hookimpl
def event_visible(ctx: Context, event: Event) -> bool | None:
    """Invite-only meetings: only for the invited, the organisers and the network's moderators,
    and whoever answered before the meeting became invite-only (they were let in then, and
    must still be able to see, change or withdraw that answer)."""
    if not event.invite_only or ctx.user is None:
        return None
    return (_staff(ctx, event) or links.invited(ctx, event.id, ctx.user.id)
            or ctx.hooks.attendance(ctx, event, ctx.user.id) is not None)


@hookimpl
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """A removed meeting takes its links and guest list with it."""
    if after is None and before is not None:
        links.forget_event(ctx, before.id)


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What invitations keep."""
    return ctx._("<b>Invitations</b>: which invite-only meetings you were let in to, through "
                 "which link and when, so that you can see and answer them. The organisers see "
                 "how many people used each link, but not who. This is deleted when the meeting "
                 "leaves the programme or when the retention period after it has passed (a year "
                 "unless the organisers set another), and at once with /forget, which also "
                 "takes you off the count of the link you used.")


@hookimpl
def user_data(ctx: Context, user_id: int) -> dict[str, Any]:
    """The meetings the user was invited to, and links they made."""
    return {"invited_to": [{"event": d["event"], **ctx.named(d["event"]), "link": d["link"],
                            "at": d["at"]} for d in links.guests(ctx).find(user=user_id)],
            "links_made": [{"event": d["event"], **ctx.named(d["event"]), "link": d["number"],
                            "at": d["created_at"]}
                           for d in links.links(ctx).find(created_by=user_id)]}


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Remove the user's invitations and the uses they counted; links they made stay,
    without their name."""
    links.forget_guest(ctx, user_id)
    for doc in links.links(ctx).find(created_by=user_id):
        links.links(ctx).update(doc.doc_id, {"created_by": None})


@hookimpl
async def trim_past(ctx: Context, before: datetime) -> None:
    """Retention: forget the links and guests of meetings that ended before the cut-off."""
    programme = ctx.programme
    for event in programme.events if programme else ():
        if event.end_utc < before:
            links.forget_event(ctx, event.id)


@hookimpl
def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """Links made and withdrawn in /audit, in the reader's language."""
    event, link = escape(str(values.get("event", ""))), values.get("link") or 0
    if action == "create":
        uses = values.get("uses") or 0
        reach = ctx.ngettext("for {n} person", "for {n} people", uses) if uses else \
            ctx._("for any number of people")
        return ctx._("Invitation link {link} to {event} made, {reach}", link=link,
                     event=event, reach=reach)
    if action == "revoke":
        count = values.get("count", 0)
        if link:
            return ctx._("Invitation link {link} to {event} withdrawn", link=link, event=event)
        return ctx.ngettext("{n} invitation link to {event} withdrawn",
                            "{n} invitation links to {event} withdrawn", count, event=event)
    return None
