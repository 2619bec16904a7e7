"""Simulated participants pushing realistic updates into the Bot API stub, and what they saw.

Each of `slots` concurrent participants runs short sessions, one update at a time (the
next once the bot answered the previous): open a meeting's card with /event and tap an
answer (sometimes changing it), browse /programme and open a card, look at /my, or ask
the speaker a question (/ask ID, the text, then "Ask anonymously"). "Coming in person" at
a meeting that requires a health declaration, by someone who has not made one, goes
through it as a person would: "Fill in health declaration" on the card (or, when the card
does not offer it, the tap the gate refuses and then /health ID), "No" to each question,
"I will follow these", then "Coming in person". Every session is a randomly chosen
participant of the prefilled festival who is not in a session already and has room for a
whole session in Mingel's per-user flood control (which answers nobody who sends dozens of
updates a second, so the session would wait for nothing); meetings are picked by the same
power law as the prefill.

Updates are pushed straight into the stub's queue (the stub's own `send_text` helpers
scan everything sent so far, which would make the load generator the bottleneck); the
answer is recognised from the stub's record of the Bot API call: the first sendMessage
to that chat, or for a button press the editMessageText / sendMessage that follows it.
"""
from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.flood import FloodControl
from assistant.stub import BotApiStub, SentRecord, StoredMessage
from assistant.stub.markdown import _detect_commands

from .festival import USER_BASE, FestivalEvent, allowed, popularity

SESSIONS = (("rsvp", 45), ("browse", 10), ("my", 15), ("ask", 15), ("event", 15))
ANSWER_TIMEOUT = 60.0
STOP_GRACE = 5.0
UPDATES_PER_SESSION = 2.0
"""About how many updates a session sends, by SESSIONS' weights."""
SESSION_ROOM = 4
"""Flood-control room a session needs: its most updates (three), plus one for the bot
counting them a little later than they were sent."""
DECLARING = 6
"""Updates of a health declaration: "Fill in" (the card's button or /health ID), three
questions (the programme's default ones), the rules and "Coming in person"."""
ROOM = {"rsvp": 1 + DECLARING + 1}
"""Sessions that need more room than SESSION_ROOM: an answer session may open the card and
declare. A declaration that would go further (after a first change, or after a tap the
gate refused) is begun only while the participant has room for it, as `DECLARING + 1`."""
HEALTH = " (health)"
"""Added to the kind of a card's updates at a meeting that requires a declaration (its card
lines and the gate are the health plugin's), so they are counted on their own."""
PICK_TRIES = 64
PICK_WAIT = 0.01
SETTLED = 1.0
"""Seconds after a session before its messages leave the stub (which would otherwise keep
every message of a long run): a bot may still send or edit after the answer the session
waited for (the double-booking note comes after the card's edit), and an edit of a message
already gone was refused with a 400 that no bot would meet."""
Window = Callable[[bool], Awaitable[None]]
"""Called with True just before the measured window opens and False just after it closes."""


@dataclass
class Stats:
    """What the participants measured."""

    latencies: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    done: int = 0
    timeouts: int = 0
    measuring: bool = False
    calls: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    spans: list[tuple[float, float]] = field(default_factory=list)

    def summary(self, seconds: float) -> dict[str, Any]:
        """Updates per second and latency percentiles over the measured window."""
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")
        return {"updates": self.done, "seconds": round(seconds, 2),
                "updates_per_s": round(self.done / seconds, 1) if seconds else 0.0,
                "p50_ms": round(pct(0.50), 1), "p90_ms": round(pct(0.90), 1),
                "p99_ms": round(pct(0.99), 1),
                "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else float("nan"),
                "timeouts": self.timeouts, "mix": dict(self.kinds),
                "api_calls_per_update": round(sum(self.calls.values()) / max(1, self.done), 2),
                "api_calls": dict(self.calls.most_common()),
                "p50_p99_ms_by_kind": {
                    kind: [round(1000 * v[len(v) // 2], 1), round(1000 * v[int(0.99 * len(v))], 1)]
                    for kind, v in ((k, sorted(x)) for k, x in self.by_kind.items())},
                "alone": alone(self.spans)}


def counted_as(base: str, event: FestivalEvent) -> str:
    """The kind an update is counted as: a card's at a health meeting on its own."""
    return base + HEALTH if event.health else base


def alone(spans: list[tuple[float, float]]) -> dict[str, Any]:
    """Latency of the answers to updates that found the bot idle (nothing else unanswered
    when pushed), and of those that also had it to themselves until answered: the bot's
    own spread without a queue. The second set leans to quick answers (a slow one is more
    likely to see another update arrive), the first includes later arrivals sharing the
    bot with it; the truth lies between."""
    spans = sorted(spans)
    idle: list[float] = []
    lone: list[float] = []
    busy_until = float("-inf")
    for i, (began, done) in enumerate(spans):
        if busy_until < began:
            idle.append(done - began)
            following = spans[i + 1][0] if i + 1 < len(spans) else float("inf")
            if done < following:
                lone.append(done - began)
        busy_until = max(busy_until, done)
    return {**_spread(lone, len(spans)), "found_idle": _spread(idle, len(spans))}


def _spread(lat: list[float], of: int) -> dict[str, Any]:
    if not lat:
        return {"updates": 0}
    lat.sort()
    p50, p99 = (lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 for q in (0.5, 0.99))
    return {"updates": len(lat), "share": round(len(lat) / of, 2), "p50_ms": round(p50, 1),
            "p99_ms": round(p99, 1)}


class Participants:
    """The load generator: owns the stub's record hook and the participants' sessions."""

    def __init__(self, stub: BotApiStub, events: list[FestivalEvent], users: int,
                 seed: int = 5, flood: FloodControl | None = None) -> None:
        self.stub = stub
        self.flood = flood or FloodControl()
        self.events = events
        self.users = users
        self.rng = random.Random(seed)
        self.weights = list(itertools.accumulate(popularity(len(events))))
        self.stats = Stats()
        self._waiting: dict[int, tuple[Callable[[SentRecord], bool], asyncio.Future]] = {}
        self._busy: set[int] = set()
        self._finished: deque[tuple[float, int, int]] = deque()
        self._cleared: dict[int, int] = {}
        self._questions = itertools.count(1)
        stub._record = self._record  # type: ignore[method-assign]
        for user_id in range(USER_BASE, USER_BASE + users):
            self.user(user_id)

    def _record(self, record: SentRecord) -> None:
        """The stub's record hook: hand the answer to whoever waits for it (nothing is kept)."""
        waiter = self._waiting.get(record.chat_id)
        if waiter is not None and not waiter[1].done() and waiter[0](record):
            waiter[1].set_result((time.perf_counter(), record))

    def user(self, user_id: int) -> Any:
        """The stub's user (a third write in English). Every participant is known from the
        start: each of them started the bot when they answered, so Telegram takes the bot's
        messages to them (reminders, seat notices); the stub refuses unknown chats with 400."""
        user = self.stub.users.get(user_id)
        if user is None:
            n = user_id - USER_BASE
            user = self.stub.add_user(user_id, first_name=f"Deltagare{n}", username=f"d{n}",
                                      language_code="sv" if n % 3 else "en")
        return user

    def push_text(self, user_id: int, text: str) -> None:
        """A message from a participant, as Telegram would deliver it."""
        user = self.user(user_id)
        message = StoredMessage(chat=dict(self.stub.chats[user_id]),
                                message_id=self.stub._next_message_id(user_id),
                                sender=user.to_api(), from_bot=False, date=int(time.time()),
                                text=text, entities=_detect_commands(text), source_text=text)
        self.stub._push({"message": message.to_api()})

    def push_tap(self, user_id: int, message_id: int, data: str) -> None:
        """A button press on one of the bot's messages."""
        user = self.user(user_id)
        message = self.stub._messages[(user_id, message_id)]
        query_id = str(next(self.stub._ids) * 7919 + 4_000_000_000)
        self.stub._queries[query_id] = {"chat_id": user_id, "message_id": message_id,
                                        "data": data, "answer": None}
        self.stub._push({"callback_query": {"id": query_id, "from": user.to_api(),
                                            "message": message.to_api(),
                                            "chat_instance": str(user_id), "data": data}})

    async def _answer(self, user_id: int, kind: str, push: Callable[[], None],
                      accept: Callable[[SentRecord], bool]) -> SentRecord | None:
        """Push one update and wait for its answer; counts it when measuring."""
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiting[user_id] = (accept, future)
        self.flood.allow(user_id)
        began = time.perf_counter()
        push()
        try:
            at, record = await asyncio.wait_for(future, ANSWER_TIMEOUT)
        except TimeoutError:
            self.stats.timeouts += 1
            return None
        finally:
            self._waiting.pop(user_id, None)
        if self.stats.measuring:
            self.stats.latencies.append(at - began)
            self.stats.by_kind.setdefault(kind, []).append(at - began)
            self.stats.spans.append((began, at))
            self.stats.done += 1
            self.stats.kinds[kind] += 1
        return record

    async def say(self, user_id: int, text: str, kind: str) -> SentRecord | None:
        """A message; the answer is the bot's next sendMessage to the chat."""
        return await self._answer(user_id, kind, lambda: self.push_text(user_id, text),
                                  lambda r: r.method == "sendMessage")

    async def tap(self, user_id: int, message_id: int, data: str,
                  kind: str) -> SentRecord | None:
        """A button press; the answer is the edit (or a new message) that follows it."""
        return await self._answer(
            user_id, kind, lambda: self.push_tap(user_id, message_id, data),
            lambda r: r.method in ("editMessageText", "sendMessage"))

    def pick_event(self) -> FestivalEvent:
        """A meeting, crowded ones more often."""
        return self.events[self.rng.choices(range(len(self.events)), cum_weights=self.weights)[0]]

    async def pick_user(self, room: int = SESSION_ROOM) -> int:
        """A participant not in a session right now, with `room` for a whole session; with
        few participants and a fast bot, wait until one has calmed down."""
        while True:
            for _ in range(PICK_TRIES):
                user_id = USER_BASE + self.rng.randrange(self.users)
                if user_id not in self._busy and self.flood.room(user_id) >= room:
                    return user_id
            await asyncio.sleep(PICK_WAIT)

    @staticmethod
    def buttons(record: SentRecord | None, prefix: str) -> list[str]:
        """Callback data of the answer's buttons that start with a prefix."""
        if record is None or not record.reply_markup:
            return []
        return [b["callback_data"] for row in record.reply_markup.get("inline_keyboard", [])
                for b in row if b.get("callback_data", "").startswith(prefix)]

    @staticmethod
    def current_answer(record: SentRecord | None, event_id: str) -> str | None:
        """The answer ticked on a card (tapping it again changes nothing, so no edit comes)."""
        if record is None or not record.reply_markup:
            return None
        return next((b["callback_data"].rsplit(":", 1)[1]
                     for row in record.reply_markup.get("inline_keyboard", []) for b in row
                     if b.get("callback_data", "").startswith(f"rsvp:a:{event_id}:")
                     and b["text"].startswith("✓")), None)

    async def session(self) -> None:
        """One participant does one thing, start to finish."""
        kind = self.rng.choices(*zip(*SESSIONS, strict=True))[0]
        user_id = await self.pick_user(ROOM.get(kind, SESSION_ROOM))
        self._busy.add(user_id)
        try:
            await getattr(self, f"_{kind}")(user_id)
        finally:
            self._busy.discard(user_id)
            self._finished.append((time.perf_counter(), user_id,
                                   self.stub._last_message_id[user_id]))
            self._clear_settled()

    def _clear_settled(self) -> None:
        """Drop the stub's messages of sessions that ended SETTLED seconds ago, up to the last
        one each had (a later session's are newer), by key: no scan of the stub's messages."""
        settled = time.perf_counter() - SETTLED
        while self._finished and self._finished[0][0] < settled:
            _at, user_id, last = self._finished.popleft()
            for message_id in range(self._cleared.get(user_id, 0) + 1, last + 1):
                self.stub._messages.pop((user_id, message_id), None)
            self._cleared[user_id] = max(last, self._cleared.get(user_id, 0))

    async def _rsvp(self, user_id: int) -> None:
        event = self.pick_event()
        card = await self.say(user_id, f"/event {event.id}", counted_as("/event", event))
        if card is None:
            return
        choices = [a for a, _ in allowed(event.mode)]
        for _ in range(2 if self.rng.random() < 0.3 else 1):
            current = self.current_answer(card, event.id)
            answer = self.rng.choice([a for a in choices if a != current] or choices)
            if answer == "in_person" and event.health:
                edited = await self._in_person(user_id, event, card)
            else:
                edited = await self.tap(user_id, card.message_id,
                                        self.answer_button(card, event.id, answer),
                                        counted_as("rsvp tap", event))
            if edited is None or edited.method != "editMessageText":
                return
            card = edited

    def answer_button(self, card: SentRecord, event_id: str, answer: str) -> str:
        """The callback data of an answer's button on a card."""
        return next((d for d in self.buttons(card, f"rsvp:a:{event_id}:")
                     if d.endswith(f":{answer}")), f"rsvp:a:{event_id}:{answer}")

    async def _in_person(self, user_id: int, event: FestivalEvent,
                         card: SentRecord) -> SentRecord | None:
        """"Coming in person" at a meeting that requires a health declaration: the card asks
        for it while it is missing ("Fill in health declaration"), so the participant fills it
        in; where the card does not ask (after "Can't come"), the tap itself, which the gate
        refuses with a pointer to /health. The card edited after a tap that took the answer,
        else None (the session ends)."""
        fill_in = self.buttons(card, "health:start:")
        if not fill_in:
            tapped = await self.tap(user_id, card.message_id,
                                    self.answer_button(card, event.id, "in_person"),
                                    counted_as("rsvp tap", event))
            if tapped is None or tapped.method == "editMessageText":
                return tapped  # declared before: a seat, or the waiting list
        if self.flood.room(user_id) < DECLARING + 1:
            return None  # no room left in the flood control: another time
        if fill_in:
            form = await self.tap(user_id, card.message_id, fill_in[0], "health: fill in")
        else:
            form = await self.say(user_id, f"/health {event.id}", "health: fill in")
        await self.declare(user_id, form)
        return None

    async def declare(self, user_id: int, form: SentRecord | None) -> None:
        """The declaration from its first question on: "No" to each, "I will follow these",
        then "Coming in person" (each press edits the same message)."""
        while form is not None and (no := [d for d in self.buttons(form, "health:q:")
                                           if d.endswith(":no")]):
            form = await self.tap(user_id, form.message_id, no[0], "health: question")
        for prefix, step in (("health:rules:", "health: rules"),
                             ("health:inperson:", "health: in person")):
            if form is None or not (press := self.buttons(form, prefix)):
                return
            form = await self.tap(user_id, form.message_id, press[0], step)

    async def _browse(self, user_id: int) -> None:
        listing = await self.say(user_id, "/programme", "/programme")
        cards = self.buttons(listing, "programme:card:")
        if listing is not None and cards:
            await self.tap(user_id, listing.message_id, self.rng.choice(cards), "card button")

    async def _my(self, user_id: int) -> None:
        await self.say(user_id, "/my", "/my")

    async def _event(self, user_id: int) -> None:
        event = self.pick_event()
        await self.say(user_id, f"/event {event.id}", counted_as("/event", event))

    async def _ask(self, user_id: int) -> None:
        event = self.pick_event()
        prompt = await self.say(user_id, f"/ask {event.id}", "/ask")
        if prompt is None:
            return
        n = next(self._questions)
        draft = await self.say(user_id, f"Hur påverkar förslaget kommunerna? (fråga {n})",
                               "question text")
        sends = [d for d in self.buttons(draft, "questions:send:") if d.endswith(":anonymous")]
        if draft is not None and sends:
            await self.tap(user_id, draft.message_id, sends[0], "ask anonymously")

    def count_calls(self) -> None:
        """Tally the stub's request log (while measuring) and empty it, so it stays small."""
        if self.stats.measuring:
            self.stats.calls.update(c.method if c.status == 200 else f"{c.method} {c.status}"
                                    for c in self.stub.requests)
        self.stub.requests.clear()

    async def run(self, slots: int, warmup: float, seconds: float,
                  window: Window | None = None) -> dict[str, Any]:
        """Keep `slots` sessions going: warm up, then measure for `seconds`; `window(True)`
        is awaited just before the measured window opens and `window(False)` just after it
        closes (the sessions go on meanwhile)."""
        stop = asyncio.Event()

        async def slot() -> None:
            while not stop.is_set():
                await self.session()

        async def trim() -> None:
            while not stop.is_set():
                self.count_calls()
                await asyncio.sleep(0.5)

        tasks = [asyncio.create_task(slot()) for _ in range(slots)]
        tasks.append(asyncio.create_task(trim()))
        try:
            await asyncio.sleep(warmup)
            if window is not None:
                await window(True)
            self.count_calls()
            self.stats.measuring = True
            began = time.perf_counter()
            await asyncio.sleep(seconds)
            self.count_calls()
            self.stats.measuring = False
            elapsed = time.perf_counter() - began
            if window is not None:
                await window(False)
        finally:
            stop.set()
            await asyncio.wait(tasks, timeout=STOP_GRACE)
            for task in tasks:
                task.cancel()
        return self.stats.summary(elapsed)

    async def run_rate(self, rate: float, warmup: float, seconds: float,
                       window: Window | None = None) -> dict[str, Any]:
        """Open loop: sessions start at random (Poisson) moments, about `rate` updates a
        second in all, whether or not the bot keeps up; latency at a load people produce.
        The window opens after `warmup` on a task of its own, so `window` never holds up
        the arrivals, and it opens even when no session happens to start then."""
        sessions: set[asyncio.Task] = set()
        opened: list[float] = []

        async def open_window() -> None:
            await asyncio.sleep(warmup)
            if window is not None:
                await window(True)
            self.count_calls()
            self.stats.measuring = True
            opened.append(time.perf_counter())

        def left() -> float:
            """Seconds until the window closes (the slice to wait while it is not open)."""
            if opening.done() and not opened:
                opening.result()  # the window failed to open: say why
            return opened[0] + seconds - time.perf_counter() if opened else 0.05

        opening = asyncio.create_task(open_window())
        try:
            while left() > 0:
                task = asyncio.create_task(self.session())
                sessions.add(task)
                task.add_done_callback(sessions.discard)
                gap = self.rng.expovariate(rate / UPDATES_PER_SESSION)
                while gap > 0 and (remaining := left()) > 0:
                    step = min(gap, remaining)
                    await asyncio.sleep(step)
                    gap -= step
        finally:
            opening.cancel()
        self.count_calls()
        self.stats.measuring = False
        elapsed = time.perf_counter() - opened[0]
        if window is not None:
            await window(False)
        if sessions:
            await asyncio.wait(sessions, timeout=STOP_GRACE)
        for task in sessions:
            task.cancel()
        return self.stats.summary(elapsed)

    async def run_count(self, slots: int, updates: int, budget: float) -> dict[str, Any]:
        """For the slow baseline: measure a fixed number of updates or a time budget."""
        stop = asyncio.Event()
        began = time.perf_counter()

        async def slot() -> None:
            while not stop.is_set():
                await self.session()
                if self.stats.done >= updates:
                    stop.set()

        async def trim() -> None:
            while not stop.is_set():
                self.count_calls()
                await asyncio.sleep(0.5)

        self.count_calls()
        self.stats.measuring = True
        tasks = [asyncio.create_task(slot()) for _ in range(slots)]
        tasks.append(asyncio.create_task(trim()))
        try:
            await asyncio.wait_for(stop.wait(), budget)
        except TimeoutError:
            pass
        self.count_calls()
        self.stats.measuring = False
        elapsed = time.perf_counter() - began
        stop.set()
        await asyncio.wait(tasks, timeout=STOP_GRACE)
        for task in tasks:
            task.cancel()
        return self.stats.summary(elapsed)
