"""The context a plugin's handler or hook receives: who, in which language, and how to answer.

A context is bound to one plugin: `ctx._` uses that plugin's catalogue, `ctx.table`
its tables, `ctx.button` its callback prefix, `ctx.log` its logger. The hook wrapper
rebinds it for each implementation, so plugins never reach into each other.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from . import N_, idhints
from .buttons import cached_button, callback_data
from .i18n import Formatter, fill, number
from .model import text as localised
from .text import shorten, to_plain
from .types import Button, Chat, Document, Incoming, Reply, User, Venue

if TYPE_CHECKING:
    from .core import Assistant
    from .hooks import Hooks
    from .model import Event, Programme
    from .storage import Table
    from .types import Role

AT_TIME = N_("{date} at {time}")
SPAN = N_("{date}, {start}–{end}")
"""One day's times: 'onsdag 10 november 2027 kl. 10:00–15:00'."""
DAILY = N_("{days}, {start}–{end} each day")
"""A gathering that keeps the same hours every day: 'onsdag 10 – torsdag 11 november 2027
kl. 10:00–15:00 varje dag', as its calendar file repeats the first day's hours."""
NIGHTLY = N_("{days}, {start}–{end} each evening")
"""A gathering of evenings, each into its night: '… kl. 18:00–02:00 varje kväll'."""
TIMES_IN = N_("Times are given in {zone}.")
"""Under a list of meetings one of which can be joined online: 'Tiderna anges i Sverigetid.'"""
BUTTON_GONE = N_("This button no longer works.")
"""The answer to a button that names no meeting at all (malformed callback data)."""
TOAST = 200
"""Telegram's limit for a button press's notice."""
REFUSAL_TOAST = 100
"""Characters of a refusal that a button's notice says by itself (about two lines on a
phone, gone after a few seconds); a longer one is a message, which stays."""
COMMAND = re.compile(r"(?:^|\s)/[a-z]")
"""A command named in a text ("Send /programme …"): tappable in a message, not in a notice."""
PICKED = 10
"""Meetings on a page of a picker (a command sent without an id); "Show more" for the next."""
SHOW_MORE = N_("Show more")
EARLIER = N_("‹ Earlier")
JOB_SLICE = 0.005
"""How long a long job (a broadcast, a morning's reminders) holds the event loop before
`give_way` lets others in: about one answer's worth of work."""
JOB_PAUSE = 0.002
"""How long it then leaves the loop to others: long enough for the answers in flight to take
their next steps (a Bot API round trip, a commit); a bare yield let each take one step per
slice, so an answer took as many slices as it had steps."""
JOB_WAIT = 0.1
"""How long a job (and the outbox) then also waits for no update to be answered
(`assistant.lull`): participants first, while a bot that is never idle still gives its jobs
at least a twentieth of the loop."""


class Context:
    """One plugin's view of one interaction (or of a system task when `user` is None)."""

    def __init__(self, assistant: Assistant, plugin: str, *, user: User | None = None,
                 chat: Chat | None = None, lang: str | None = None,
                 incoming: Incoming | None = None, args: Sequence[str] = (),
                 replies: list[Reply] | None = None, shared: dict[str, Any] | None = None,
                 views: dict[str, Context] | None = None) -> None:
        self.assistant = assistant
        self.plugin = plugin
        self.user = user
        self.chat = chat or (Chat(user.id) if user else None)
        self.lang = lang or assistant.config.locale
        self.incoming = incoming
        self.args = list(args)
        self.replies: list[Reply] = [] if replies is None else replies
        self.shared: dict[str, Any] = {} if shared is None else shared
        self._views: dict[str, Context] = {} if views is None else views

    def for_plugin(self, plugin: str) -> Context:
        """The same interaction seen by another plugin (its catalogue, tables, prefix); made
        once per plugin and language for the whole interaction, since a card asks each
        plugin's hooks a dozen times, and their hooks ask each other's."""
        if plugin == self.plugin:
            return self
        view = self._views.get(plugin)
        if view is None or view.lang != self.lang:
            view = self._views[plugin] = Context(
                self.assistant, plugin, user=self.user, chat=self.chat, lang=self.lang,
                incoming=self.incoming, args=self.args, replies=self.replies, shared=self.shared,
                views=self._views)
        return view

    def release(self) -> None:
        """End the interaction's views: they refer to each other through the dict they share,
        which would leave them to the cyclic collector."""
        self._views.clear()

    def for_user(self, user_id: int) -> Context:
        """A context for writing to another user, in that user's language."""
        user = self.assistant.users.get(user_id)
        return Context(self.assistant, self.plugin, user=user, chat=Chat(user_id),
                       lang=self.assistant.users.language(user_id))

    @property
    def hooks(self) -> Hooks:
        """Call other plugins through hooks, never by importing them."""
        return self.assistant.hooks

    @property
    def log(self) -> logging.Logger:
        """The plugin's logger: assistant.plugins.<name>."""
        return logging.getLogger(f"assistant.plugins.{self.plugin}")

    @property
    def text(self) -> str:
        """The text the user sent (without the command for commands)."""
        return self.shared.get("text", self.incoming.text if self.incoming else "") or ""

    @property
    def newcomer(self) -> bool:
        """Whether this is the user's first message to the assistant: a welcome is owed."""
        return bool(self.shared.get("newcomer"))

    @property
    def now(self) -> datetime:
        """The assistant's clock, read once per interaction: every check a handler makes
        (is it closed, has it started) sees the same moment, and a card asks dozens of times."""
        if (now := self.shared.get("now")) is None:
            now = self.shared["now"] = self.assistant.clock.now()
        return now

    @property
    def programme(self) -> Programme | None:
        """The current programme."""
        return self.assistant.hooks.programme()

    def event(self, event_id: str) -> Event | None:
        """The meeting with this id if it exists and this user may see it (ids are untrusted)."""
        programme = self.programme
        event = programme.event(event_id) if programme and event_id else None
        if event is None or not self.hooks.event_visible(self, event):
            return None
        return event

    def upcoming(self, keep: Callable[[Event], bool] | None = None, limit: int | None = None,
                 *, cancelled: bool = False, since: timedelta = timedelta(0),
                 offset: int = 0) -> list[Event]:
        """The next meetings this user may see, not cancelled (and that `keep` accepts): what
        a command sent without an id offers to pick from. The user's own (`mine`) come first,
        then the others, each in the programme's order: at a festival the first ten of
        everyone's are rarely hers. An organiser's command may offer the cancelled ones too
        (marked by `meeting_label`) and those that ended less than `since` ago. At most
        `limit`, by default the picker's page from `offset` (`meeting_buttons`) and one more."""
        limit = offset + PICKED + 1 if limit is None else limit
        programme = self.programme
        if programme is None:
            return []
        events = programme.upcoming(self.now - since)
        if mine := self.mine():
            events = [e for e in events if e.id in mine] + [e for e in events if e.id not in mine]
        found: list[Event] = []
        for event in events:
            if len(found) >= limit:
                break
            if ((cancelled or not event.cancelled) and (keep is None or keep(event))
                    and self.hooks.event_visible(self, event)):
                found.append(event)
        return found

    def mine(self) -> set[str]:
        """The meetings this user answered, any answer but "can't come" (`answers_of`)."""
        return set() if self.user is None else {
            a.event_id for a in self.hooks.answers_of(self, self.user.id) if a.answer != "no"}

    def unknown_meeting(self, event_id: str) -> str:
        """The one answer every command and button gives to an id that names no meeting this
        user may see (unknown, removed, hidden from them or forged), from the core's
        catalogue, so that a hidden meeting answers as no meeting at all; a button whose data
        names no id "no longer works"; a typed id close to ones they may see, "Did you mean
        …?" (`idhints`). HTML: a toast takes `to_plain` of it."""
        if not event_id:
            return self.assistant.catalogues.text("assistant", self.lang, BUTTON_GONE)
        return idhints.unknown(self, event_id)

    def meeting_start(self, event: Event) -> str:
        """When a meeting starts, short, "Thu 2 Sept 09:30", as the lists of /programme and /my
        and the pickers write it (a festival has several meetings a day, so a date alone is
        ambiguous); a meeting of whole days without a time. Not escaped."""
        fmt = self.fmt_event(event)
        start = fmt.weekday_date(event.start)
        return start if event.all_day else f"{start} {fmt.time(event.start)}"

    def meeting_label(self, event: Event) -> str:
        """A meeting as a picker names it, "Thu 2 Sept 09:30 · Title" (`meeting_start`), with
        the programme's ❌ when it is cancelled."""
        label = f"{self.meeting_start(event)} · {localised(event.title, self.lang)}"
        return f"❌ {label}" if event.cancelled else label

    def named(self, event_id: str) -> dict[str, str]:
        """A meeting as a person reading their own data (/mydata) recognises it, to put beside
        its id: its title and when it is, in their language and the meeting's zone (named for
        a meeting joined online, as on its card); nothing when the programme no longer has it
        or hides it from them (the id is the data)."""
        event = self.event(event_id)
        if event is None:
            return {}
        return {"title": localised(event.title, self.lang),
                "when": self.fmt_event(event).range(event.start, event.end,
                                                    zone=event.online is not None)}

    def times_note(self, events: Iterable[Event]) -> str | None:
        """'Times are given in Sweden Time.' under a list of meetings (/programme, /my) with
        one that can be joined online at a time of day, as its card names the zone: its
        reader may live elsewhere, and a list line is too short to name it; None when all
        are in person only or whole days. Not escaped."""
        for event in events:
            if event.online is not None and not event.all_day:
                found = self.assistant.catalogues.text("assistant", self.lang, TIMES_IN)
                return fill(found, {"zone": self.fmt_event(event).zone()})
        return None

    def meeting_buttons(self, events: Sequence[Event], action: str, *args: object,
                        more: Sequence[object] = (), offset: int = 0) -> list[list[Button]]:
        """One button per meeting, calling this plugin's action with the meeting's id (and
        `args`): the one picker every command without an id shows, PICKED meetings a page,
        from `offset` (the first page when none is there). With `more` (this plugin's action,
        and its arguments, that shows the page at the offset given after them), the pages
        after and before it are one tap away (`picker_paging`). The user's own (`mine`), first
        in `upcoming`, are marked ✓: their dates out of order looked shuffled."""
        offset, mine = (offset if offset < len(events) else 0), self.mine()
        return [*([self.button(("✓ " if e.id in mine else "") + self.meeting_label(e), action,
                               e.id, *args)] for e in events[offset:offset + PICKED]),
                *self.picker_paging(more, offset, len(events) > offset + PICKED)]

    def picker_paging(self, more: Sequence[object], offset: int,
                      further: bool) -> list[list[Button]]:
        """"‹ Earlier" and "Show more" under a picker's page at `offset` (with meetings
        `further` on): `more` with the offset to show; none for a single page."""
        label = functools.partial(self.assistant.catalogues.text, "assistant", self.lang)
        row = ([(label(EARLIER), max(0, offset - PICKED))] if offset else []) + \
            ([(label(SHOW_MORE), offset + PICKED)] if further else [])
        return [[self.button(text, str(more[0]), *more[1:], to) for text, to in row]] \
            if more and row else []

    def setting(self, env: str) -> Any:
        """A parsed value of a declared setting."""
        return self.assistant.settings[env]

    def _(self, message: str, **values: object) -> str:
        """Translate into the user's language with this plugin's catalogue."""
        text = self.assistant.catalogues.text(self.plugin, self.lang, message)
        return fill(text, values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """Translate with plural forms; the text may use {n}."""
        return self.assistant.catalogues.ngettext(self.plugin, self.lang, singular, plural, n,
                                                  **values)

    def fmt(self, tz: tzinfo | None = None) -> Formatter:
        """Dates and times in the user's language and the given (or programme's) zone."""
        if tz is None:
            programme = self.programme
            tz = programme.timezone if programme else self.assistant.config.timezone
        return Formatter(self.lang, tz, *self._patterns(), day_words=self._day_words)

    def fmt_event(self, event: Event) -> Formatter:
        """Dates and times in the user's language and the event's zone."""
        return Formatter(self.lang, event.start.tzinfo or self.assistant.config.timezone,
                         *self._patterns(), day_words=self._day_words)

    def _day_words(self, n: int) -> str:
        """Whole days in the user's language from the core's catalogue: '7 dagar' (Babel's
        Swedish says 'dygn', which Mingel's texts do not)."""
        ngettext = self.assistant.catalogues.translations("assistant", self.lang).ngettext
        return fill(ngettext("{n} day", "{n} days", n), {"n": number(n, self.lang)})

    def _patterns(self) -> tuple[str, str, str, str]:
        """How the user's language joins a date and a time, writes one day's times and a
        gathering's daily hours or evenings, from the core's catalogue."""
        text = self.assistant.catalogues.text
        return (text("assistant", self.lang, AT_TIME), text("assistant", self.lang, SPAN),
                text("assistant", self.lang, DAILY), text("assistant", self.lang, NIGHTLY))

    def may(self, role: Role, network: str | None = None, networks: tuple[str, ...] = ()) -> bool:
        """Ask the core whether this user has a role."""
        return self.user is not None and self.assistant.roles.may(self.user.id, role, network,
                                                                  networks)

    def button(self, text: str, action: str, *args: object) -> Button:
        """A button that calls this plugin's action with the given arguments."""
        return cached_button(text, callback_data(self.plugin, action, args))

    def button_for(self, plugin: str, text: str, action: str, *args: object) -> Button:
        """A button addressed to another plugin's public action."""
        return cached_button(text, callback_data(plugin, action, args))

    def table(self, name: str, indexes: Sequence[str] = ()) -> Table:
        """One of this plugin's tables, named `<plugin>_<name>`."""
        return self.assistant.store.table(f"{self.plugin}_{name}", indexes=indexes)

    def reply(self, text: str = "", buttons: Sequence[Sequence[Button]] | None = None, *,
              document: Document | None = None, venue: Venue | None = None) -> Reply:
        """Answer the user; several replies go out in order."""
        reply = Reply(text=text, buttons=[list(row) for row in buttons or []],
                      document=document, venue=venue)
        self.replies.append(reply)
        return reply

    def edit(self, text: str, buttons: Sequence[Sequence[Button]] | None = None) -> Reply:
        """Update the message whose button was pressed (a new message otherwise)."""
        reply = self.reply(text, buttons)
        reply.edit = bool(self.incoming and self.incoming.callback_data)
        return reply

    def toast(self, text: str) -> None:
        """A short notice on the pressed button (Telegram's callback answer, which refuses
        more than TOAST characters: a longer title made the whole answer fail)."""
        self.shared["toast"] = shorten(text, TOAST)

    def refuse(self, text: str, buttons: Sequence[Sequence[Button]] | None = None) -> None:
        """Say once why nothing was done, as Telegram users expect it: on a button press a
        short reason is the button's notice alone (nothing else changes); one that comes with
        a button, names a command to send or runs longer, and any answer to a typed message,
        is a message, with no notice repeating it. A reason already in the chat (a gate that
        said it with its button) is not said again. `text` is HTML."""
        if any(reply.text == text for reply in self.replies):
            return
        plain = to_plain(text)
        pressed = self.incoming is not None and self.incoming.callback_data is not None
        if pressed and not buttons and len(plain) <= REFUSAL_TOAST \
                and COMMAND.search(plain) is None:
            self.toast(plain)
            return
        self.reply(text, buttons)

    def expect_text(self, action: str, *args: object) -> None:
        """Send the user's next plain message to this plugin's action."""
        if self.user is not None:
            self.assistant.users.expect(self.user.id, ":".join([self.plugin, action,
                                                                *(str(a) for a in args)]))

    def send_to(self, user_id: int, build: Callable[[Context], None], key: str | None = None) -> bool:
        """Queue messages to a user through the outbox, built in their language; False if a
        message with this key was queued before (so it is sent once)."""
        target = self.for_user(user_id)
        build(target)
        if not target.replies:
            return False
        return self.assistant.outbox.enqueue(user_id, target.replies,
                                             key=f"{self.plugin}:{key}" if key else None)

    def scrub(self) -> None:
        """Say that what was just deleted must leave the disk soon (special-category data,
        data past its retention): the tick rewrites the store's files within the hour
        (`Assistant.scrub_every`) instead of when the journal next grows large."""
        self.assistant.scrub()

    async def give_way(self) -> bool:
        """Call between the items of a job that queues thousands of messages (a broadcast, a
        morning's reminders): once the job's task has held the loop `Assistant.job_slice`
        since its first call or its last turn, what it wrote so far is saved and other
        updates get the loop for `Assistant.job_pause`, and then until no other update
        is being answered (at most `Assistant.job_wait`; a job run by an update's own
        handler, a broadcast sent by a tap, does not wait for that update). True when they
        did: what the job read before may have changed."""
        assistant, task, now = self.assistant, asyncio.current_task(), time.perf_counter()
        if task is not None and now - assistant.turns.setdefault(task, now) < assistant.job_slice:
            return False
        await assistant.store.commit()
        await asyncio.sleep(assistant.job_pause if task is not None else 0)
        if task is not None:
            await assistant.answering.lull(assistant.job_wait, own=int(self.incoming is not None))
            assistant.turns[task] = time.perf_counter()
        return True

    def audit(self, action: str, details: str = "", **values: Any) -> None:
        """Record an organiser action: who, what, when; `values` (JSON) let this plugin's
        `audit_text` describe it in the reader's language when /audit shows it."""
        self.assistant.audit(self.user, f"{self.plugin}.{action}", details, values)
