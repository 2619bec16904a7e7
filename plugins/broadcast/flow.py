"""The organiser's steps: /broadcast, pick the audience, write the text, preview, send.

Each step is a button (or the awaited text) carrying the draft's id; every one re-checks
that the draft exists, belongs to the organiser pressing and is still a draft, so a
forged, foreign or stale button changes nothing.
"""
from __future__ import annotations

import weakref
from typing import Any

from babel.lists import format_list

from assistant.context import PICKED, Context
from assistant.i18n import locale_of, number
from assistant.model import text
from assistant.text import balance_lines, escape, whole_number
from assistant.types import Button

from . import audience, markup

MAX_TEXT = 3500
_queuing: weakref.WeakKeyDictionary[Any, set[int]] = weakref.WeakKeyDictionary()


def table(ctx: Context) -> Any:
    """Broadcasts: owner, state (draft, queuing, sending, done, cancelled), audience, text,
    counts."""
    return ctx.table("messages", indexes=("owner", "state"))


def _draft(ctx: Context) -> Any | None:
    """The draft named by the button, if this organiser may still work on it."""
    try:
        doc = table(ctx).get(int(ctx.args[0]))
    except (IndexError, ValueError):
        doc = None
    if doc is None or doc["owner"] != ctx.user.id:
        ctx.toast(ctx._("This button no longer works."))
        ctx.reply(ctx._("This broadcast is not open any more. Start a new one with /broadcast."))
        return None
    if doc["state"] != "draft":
        ctx.toast(ctx._("This message was already sent or cancelled."))
        return None
    return doc


def _cancel_button(ctx: Context, doc_id: int) -> list[Button]:
    return [ctx.button(ctx._("Cancel"), "cancel", doc_id)]


async def start_broadcast(ctx: Context) -> None:
    """/broadcast: open a draft and ask who should get the message."""
    for old in table(ctx).find(owner=ctx.user.id, state="draft"):
        table(ctx).update(old.doc_id, {"state": "cancelled"})
    doc_id = table(ctx).insert({"owner": ctx.user.id, "state": "draft", "audience": None,
                                "text": None, "created": ctx.now.isoformat(), "sent_at": None,
                                "count": 0, "outcome": None})
    ctx.reply(ctx._("Who should get your message?"), [
        [ctx.button(ctx._("Participants of a meeting"), "to", doc_id, "event")],
        [ctx.button(ctx._("Followers of a network"), "to", doc_id, "network")],
        [ctx.button(ctx._("Everyone who has written to me"), "to", doc_id, "everyone")],
        _cancel_button(ctx, doc_id)])


async def choose_kind(ctx: Context) -> None:
    """Meeting, network or everyone."""
    if (doc := _draft(ctx)) is None:
        return
    kind = ctx.args[1] if len(ctx.args) > 1 else ""
    if kind == "everyone":
        await _ask_text(ctx, doc.doc_id, {"kind": "everyone"})
    elif kind == "event":
        _choose_meeting(ctx, doc.doc_id)
    elif kind == "network" and ctx.programme is not None:
        rows = [[ctx.button(f"{audience.network_name(ctx, n) or n} "
                            f"({len(set(ctx.hooks.followers(ctx, n)))})", "net", doc.doc_id, n)]
                for n in ctx.programme.networks]
        ctx.edit(ctx._("Which network's followers?"), [*rows, _cancel_button(ctx, doc.doc_id)])
    else:
        ctx.toast(ctx._("This button no longer works."))


def _choose_meeting(ctx: Context, doc_id: int) -> None:
    """The meetings to choose from, a page of the shared picker's size at a time: "Show more"
    and "‹ Earlier" are "Participants of a meeting" pressed again, with the page's place."""
    events = audience.events(ctx, ctx.now)
    if not events:
        ctx.edit(ctx._("There are no recent or upcoming meetings."), [_cancel_button(ctx, doc_id)])
        return
    offset = (whole_number(ctx.args[2], digits=6) or 0) if len(ctx.args) > 2 else 0
    offset = offset if offset < len(events) else 0
    rows = [[ctx.button(ctx.meeting_label(e), "ev", doc_id, e.id)]
            for e in events[offset:offset + PICKED]]
    paging = ctx.picker_paging(("to", doc_id, "event"), offset, len(events) > offset + PICKED)
    ctx.edit(ctx._("Which meeting?"), [*rows, *paging, _cancel_button(ctx, doc_id)])


async def choose_event(ctx: Context) -> None:
    """A meeting: now which of its participants."""
    if (doc := _draft(ctx)) is None:
        return
    event = audience.find_event(ctx, ctx.args[1] if len(ctx.args) > 1 else "")
    if event is None:
        ctx.toast(ctx._("This meeting is no longer in the programme."))
        return
    table(ctx).update(doc.doc_id, {"audience": {"kind": "event", "id": event.id}})
    rows = [[ctx.button(f"{audience.which_label(ctx, w)} "
                        f"({len(audience.participants(ctx, event, w))})", "who", doc.doc_id, w)]
            for w in audience.WHICH]
    question = ctx._("Which participants of <b>{title}</b>?",
                     title=escape(text(event.title, ctx.lang)))
    if event.cancelled:
        question = "❌ " + escape(ctx._("This meeting is cancelled.")) + "\n" + question
    ctx.edit(question, [*rows, _cancel_button(ctx, doc.doc_id)])


async def choose_which(ctx: Context) -> None:
    """Coming, maybe, waiting or all of a meeting's participants."""
    if (doc := _draft(ctx)) is None:
        return
    which = ctx.args[1] if len(ctx.args) > 1 else ""
    chosen = doc["audience"] or {}
    if which not in audience.WHICH or chosen.get("kind") != "event" or \
            audience.find_event(ctx, chosen["id"]) is None:
        ctx.toast(ctx._("This button no longer works."))
        return
    await _ask_text(ctx, doc.doc_id, {**chosen, "which": which})


async def choose_network(ctx: Context) -> None:
    """A network's followers."""
    if (doc := _draft(ctx)) is None:
        return
    network = ctx.args[1] if len(ctx.args) > 1 else ""
    if audience.network_name(ctx, network) is None:
        ctx.toast(ctx._("This network is no longer in the programme."))
        return
    await _ask_text(ctx, doc.doc_id, {"kind": "network", "id": network})


async def _ask_text(ctx: Context, doc_id: int, chosen: dict[str, Any] | None) -> None:
    if chosen is not None:
        table(ctx).update(doc_id, {"audience": chosen})
    chosen = chosen or table(ctx).get(doc_id)["audience"]
    if not audience.recipients(ctx, chosen):
        ctx.edit(*_nobody(ctx, doc_id, chosen))
        return
    described = audience.describe(ctx, chosen)
    ctx.edit("\n\n".join([
        ctx._("Now send me the message for {audience}.", audience=described),
        escape(ctx._('You can format it with <b>bold</b>, <i>italic</i>, <u>underline</u>, '
                     '<s>strikethrough</s> and <a href="https://example.org">links</a>; '
                     'open and close each tag on the same line.'))]),
        [_cancel_button(ctx, doc_id)])
    ctx.expect_text("text", doc_id)


def _nobody(ctx: Context, doc_id: int, chosen: dict[str, Any]) -> tuple[str, list[list[Button]]]:
    """An audience of nobody: said at once, with the way back to where it was chosen (a
    meeting's parts, the meetings when it has left the programme, or the networks;
    "everyone" always includes the organiser), so no one types a message that would reach
    no one."""
    if chosen.get("kind") == "event" and audience.find_event(ctx, chosen["id"]):
        back = [ctx.button(ctx._("◀ Back"), "ev", doc_id, chosen["id"])]
    else:
        back = [ctx.button(ctx._("◀ Back"), "to", doc_id, chosen.get("kind", "network"))]
    again = escape(ctx._("Please choose another audience."))
    return (f"{audience.nobody(ctx, chosen)} {again}",
            [back, _cancel_button(ctx, doc_id)])


async def change_text(ctx: Context) -> None:
    """"Change the text" under the preview."""
    if (doc := _draft(ctx)) is not None and doc["audience"]:
        await _ask_text(ctx, doc.doc_id, None)


def compose(ctx: Context, doc: Any) -> str:
    """The message as a recipient sees it, in their language; about a meeting, with its date
    and time in the meeting's zone on a line of their own, as its card shows them (naming the
    zone for a meeting joined online, whose reader may live elsewhere); to a network's
    followers, with the network's name (someone who follows several can tell which)."""
    lines = ["📣 <b>" + escape(ctx._("Message from the organisers")) + "</b>"]
    chosen = doc["audience"] or {}
    event = audience.find_event(ctx, chosen["id"]) if chosen.get("kind") == "event" else None
    if event is not None:
        when = ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None)
        lines += [ctx._("About: {title}", title=escape(text(event.title, ctx.lang))),
                  f"🗓 {escape(when)}"]
    name = audience.network_name(ctx, chosen["id"]) if chosen.get("kind") == "network" else None
    if name is not None:
        lines.append(ctx._("To the followers of {network}", network=escape(name)))
    return "\n".join([*lines, "", doc["text"]])


async def receive_text(ctx: Context) -> None:
    """The organiser's text: store it and show the preview with the number of recipients."""
    if (doc := _draft(ctx)) is None:
        return
    if not doc["audience"]:
        ctx.reply(ctx._("This broadcast is not open any more. Start a new one with /broadcast."))
        return
    typed = ctx.text.strip()
    if not typed or len(typed) > MAX_TEXT:
        most = ctx._("Please send a text of at most {n} characters.",
                     n=number(MAX_TEXT, ctx.lang))
        if typed:
            most = ctx._("Your text is {length} characters long; the limit is {n}.",
                         length=number(len(typed), ctx.lang), n=number(MAX_TEXT, ctx.lang))
        ctx.reply(most, [_cancel_button(ctx, doc.doc_id)])
        ctx.expect_text("text", doc.doc_id)
        return
    formatted = ctx.incoming.html if ctx.incoming and ctx.incoming.html else None
    html = balance_lines(formatted.strip()) if formatted else markup.safe_html(typed)
    table(ctx).update(doc.doc_id, {"text": html, "typed": typed})
    doc = table(ctx).get(doc.doc_id)
    people = audience.recipients(ctx, doc["audience"]) or []
    if not people:
        ctx.reply(*_nobody(ctx, doc.doc_id, doc["audience"]))
        return
    ctx.reply(ctx.ngettext("Preview: this is what {n} person will get – {audience}.",
                           "Preview: this is what {n} people will get – {audience}.",
                           len(people), audience=audience.describe(ctx, doc["audience"])))
    previews = _previews(ctx, doc, await audience.languages(ctx, people))
    for preview in previews[:-1]:
        ctx.reply(preview)
    ctx.reply(previews[-1], [
        [ctx.button(ctx.ngettext("Send to {n} person", "Send to {n} people", len(people)),
                    "send", doc.doc_id)],
        [ctx.button(ctx._("Change the text"), "edit", doc.doc_id)],
        _cancel_button(ctx, doc.doc_id)])


def _previews(ctx: Context, doc: Any, found: list[tuple[str, int, int]]) -> list[str]:
    """The message as each language's recipients get it (`found`: `audience.languages`),
    headed by the language and how many read it when any read another language than the
    organiser, theirs last (the one with the buttons): an organiser writing in Swedish sees
    the English frame too."""
    if _organisers_alone(ctx, found):
        return [compose(ctx, doc)]
    found = sorted(found, key=lambda item: item[0] == ctx.lang)
    return ["<i>" + escape(ctx.ngettext("In {language}, for {count} person:",
                                        "In {language}, for {count} people:", n,
                                        language=_language(ctx, lang),
                                        count=number(n, ctx.lang))) + "</i>\n"
            + compose(ctx.for_user(user_id) if lang != ctx.lang else ctx, doc)
            for lang, n, user_id in found]


def _organisers_alone(ctx: Context, found: list[tuple[str, int, int]]) -> bool:
    """Whether every recipient reads the organiser's language."""
    return [lang for lang, _n, _user in found] == [ctx.lang]


def _language(ctx: Context, lang: str) -> str:
    """A language's name in the organiser's language ("Swedish", "engelska")."""
    return locale_of(lang).get_language_name(locale_of(ctx.lang)) or lang


def _sending(ctx: Context, n: int, found: list[tuple[str, int, int]]) -> str:
    """What Send started, in the organiser's language: to how many, and, when any read
    another language, in which languages to how many each (most readers first)."""
    if _organisers_alone(ctx, found):
        return ctx.ngettext("✅ Sending to {n} person now. I'll report here when it's done.",
                            "✅ Sending to {n} people now. I'll report here when it's done.", n)
    if len(found) == 1:
        return ctx.ngettext(
            "✅ Sending to {count} person now, in {language}. I'll report here when it's done.",
            "✅ Sending to {count} people now, in {language}. I'll report here when it's done.",
            n, count=number(n, ctx.lang), language=_language(ctx, found[0][0]))
    each = [ctx.ngettext("{count} in {language}", "{count} in {language}", count,
                         count=number(count, ctx.lang), language=_language(ctx, lang))
            for lang, count, _user in found]
    return ctx.ngettext(
        "✅ Sending to {count} person now: {languages}. I'll report here when it's done.",
        "✅ Sending to {count} people now: {languages}. I'll report here when it's done.", n,
        count=number(n, ctx.lang), languages=format_list(each, locale=locale_of(ctx.lang)))


async def send_broadcast(ctx: Context) -> None:
    """"Send": one outbox item per recipient, keyed so each gets it once. The preview with
    the buttons then says what goes to whom: the languages and how many read each, since
    the message it shows is one language's (the organiser's, when any recipient reads it)."""
    if (doc := _draft(ctx)) is None:
        return
    people = audience.recipients(ctx, doc["audience"] or {})
    if not doc["text"] or people is None:
        ctx.toast(ctx._("This button no longer works."))
        return
    if not people:
        ctx.toast(ctx._("Nobody to send to."))
        return
    table(ctx).update(doc.doc_id, {"state": "queuing", "sent_at": ctx.now.isoformat(),
                                   "count": len(people)})
    ctx.audit("send", f"#{doc.doc_id} to {len(people)} ({_plain_audience(doc['audience'])}): "
                      f"{doc['typed'][:200]}", number=doc.doc_id, count=len(people),
              audience=doc["audience"], text=doc["typed"][:200])
    found = await queue(ctx, doc, people)
    ctx.edit(_previews(ctx, doc, found)[-1] + "\n\n" + escape(_sending(ctx, len(people), found)))


async def queue(ctx: Context, doc: Any, people: list[int]) -> list[tuple[str, int, int]]:
    """One outbox item per recipient, keyed so each gets it once, saved a lot at a time while
    other people's updates are answered (`Context.give_way`; everyone at a festival is
    40,000: 4.6 s with the event loop held up in one go). The organiser's own copy goes
    last: the outbox sends during the pauses, and their copy should not come before the
    confirmation. Then the broadcast is "sending"; one left "queuing" by a crash is queued
    again by the next tick. Returns the languages the recipients read as they were queued
    (`audience.languages`), each message being written in its reader's."""
    busy = _queuing.setdefault(ctx.assistant, set())
    readers: dict[str, list[int]] = {}
    busy.add(doc.doc_id)
    try:
        sender = ctx.user.id if ctx.user else None
        last = [sender] if sender in people else []
        for user_id in [user_id for user_id in people if user_id != sender] + last:
            await ctx.give_way()
            ctx.send_to(user_id, lambda target: target.reply(compose(target, doc)),
                        key=f"{doc.doc_id}:{user_id}")
            readers.setdefault(ctx.assistant.users.language(user_id), []).append(user_id)
        table(ctx).update(doc.doc_id, {"state": "sending"})
        return audience.ranked(readers)
    finally:
        busy.discard(doc.doc_id)


def interrupted(ctx: Context) -> list[Any]:
    """Broadcasts left "queuing" by a crash (not being queued by this process now)."""
    busy = _queuing.get(ctx.assistant, set())
    return [doc for doc in table(ctx).find(state="queuing") if doc.doc_id not in busy]


def _plain_audience(chosen: dict[str, Any]) -> str:
    return ":".join(str(chosen.get(k)) for k in ("kind", "id", "which") if chosen.get(k))


async def cancel_broadcast(ctx: Context) -> None:
    """"Cancel": nothing is sent."""
    if (doc := _draft(ctx)) is None:
        return
    table(ctx).update(doc.doc_id, {"state": "cancelled"})
    ctx.assistant.users.expect(ctx.user.id, None)
    ctx.edit(ctx._("Cancelled. Nothing was sent."))
