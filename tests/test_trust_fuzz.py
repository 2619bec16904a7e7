"""Hostile and broken input: floods, thousands of random updates, markup in names and texts.

Property: whatever arrives — random texts and commands with odd arguments, 4,096
characters of anything, callback data of any shape (random, and mutations of real
buttons' data), random files and broken programme files from an organiser — no handler
fails (no ERROR record), every reply is valid for Telegram (strict HTML, ≤ 4,096 UTF-16
units per message after splitting, callback data ≤ 64 bytes, non-empty labels, captions
≤ 1,024, notices ≤ 200), and the data directory reopens afterwards. Every plugin in
BUILTINS (and installed ones) takes part.

MINGEL_FUZZ_EXAMPLES (default 400 examples of 1–25 updates, about 2,200 updates) raises
the count; MINGEL_FUZZ_E2E (default 200) the updates sent through the real PTB
Application; MINGEL_FUZZ_SEED picks the end-to-end sequence.
"""
from __future__ import annotations

import asyncio
import logging
import os
import random
import re
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.config import SAMPLE_PROGRAMME
from assistant.flood import FloodControl
from assistant.storage import Store
from assistant.stub import parse_html, utf16_len
from assistant.testing import ChatHarness
from assistant.text import split_message
from assistant.types import Reply
from tests.conftest import MINGEL_PLUGINS

EXAMPLES = int(os.environ.get("MINGEL_FUZZ_EXAMPLES", "400"))
E2E_UPDATES = int(os.environ.get("MINGEL_FUZZ_E2E", "200"))
ORGANISER, MODERATOR = 1, 2
USERS = (ORGANISER, MODERATOR, 11, 12, 13)
SAMPLE = SAMPLE_PROGRAMME.read_text(encoding="utf-8")
EVENT_IDS = re.findall(r"^  - id: ([\w-]+)", SAMPLE, flags=re.MULTILINE)
NETWORKS = ("arbetsmarknad", "utbildning", "bostad")
ODD = ["", " ", "0", "-1", "99999999999999999999", "1e309", "nan", ".*", "(", "[a-", "\\",
       "^$", "a|b", "%s", "{0}", "{name}", "<b>", "</b>", "<b>x", "&", "&amp;", "&#0;", "<script>",
       "*bold*", "_it_", "`code`", "[x](tg://user?id=1)", "\u202e", "\x00", "🙂" * 40, "ä" * 70,
       "inv-", "inv-AAAA", "add", "remove", "revoke", "list", "all", "close", "now", "off",
       "48h,2h", "1m", "999d", "sv", "en", "de", "@nobody", "@", "::", ":", "\n", "\t",
       *EVENT_IDS, *NETWORKS]
FIRST_NAMES = ["Anna", "<b>Bo</b> & *Co*", "<script>alert(1)</script>", "_Ulla_ `x`", "",
               "\u202eevil", "🙂" * 30, "Åsa-Märta", "&lt;ok&gt;", "O'Brien \"Q\""]
log = logging.getLogger(__name__)


class ErrorRecords(logging.Handler):
    """Collects ERROR records from the assistant and its plugins."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def problems(replies: Iterable[Reply], toast: str | None = None) -> list[str]:
    """Everything Telegram would refuse in these replies."""
    found = []
    for reply in replies:
        if not reply.text and reply.document is None and reply.venue is None:
            found.append("an empty message")
        for part in split_message(reply.text) if reply.text else []:
            try:
                plain, _ = parse_html(part)
            except ValueError as exc:
                found.append(f"HTML: {exc}: {part[:300]!r}")
                continue
            if utf16_len(plain.strip()) > 4096:
                found.append(f"too long after splitting: {utf16_len(plain)}")
            if not plain.strip():
                found.append(f"a message part that is empty once parsed: {part[:80]!r}")
        if reply.document is not None:
            if not reply.document.filename:
                found.append("a file without a name")
            if reply.document.caption:
                try:
                    plain, _ = parse_html(reply.document.caption)
                    if utf16_len(plain) > 1024:
                        found.append("caption too long")
                except ValueError as exc:
                    found.append(f"caption HTML: {exc}")
        for row in reply.buttons:
            for button in row:
                if not button.text.strip():
                    found.append(f"a button without a label: {button}")
                if button.data is not None and not 1 <= len(button.data.encode()) <= 64:
                    found.append(f"callback data of {len(button.data.encode())} bytes")
                if (button.data is None) == (button.url is None):
                    found.append(f"a button with neither or both data and url: {button}")
    if toast is not None and len(toast) > 200:
        found.append(f"a notice of {len(toast)} characters")
    return found


def mutate(data: str, rnd: random.Random) -> str:
    """Real callback data bent out of shape: swapped ids, odd numbers, cut, extended."""
    parts = data.split(":")
    how = rnd.randrange(7)
    if how == 0 and len(parts) > 2:
        parts[rnd.randrange(2, len(parts))] = rnd.choice(ODD).replace(":", "")
    elif how == 1:
        parts = parts[: rnd.randrange(1, len(parts) + 1)]
    elif how == 2:
        parts.append(rnd.choice(ODD))
    elif how == 3 and len(parts) > 2:
        parts[2] = rnd.choice(EVENT_IDS)
    elif how == 4:
        parts[1] = rnd.choice(["a", "mod", "send", "confirm", "forget", "door", "rate", "x"])
    elif how == 5:
        parts = [p if not p.isdigit() else str(rnd.choice([0, -1, int(p) + 1, 10**12]))
                 for p in parts]
    else:
        parts[0] = rnd.choice(["rsvp", "questions", "broadcast", "programme", "health",
                               "feedback", "privacy", "basics", "nope"])
    return ":".join(parts).encode()[:64].decode(errors="ignore")


def broken_yaml(rnd: random.Random) -> bytes:
    """The sample programme, damaged the way a hurried edit would."""
    text = SAMPLE
    how = rnd.randrange(5)
    at = rnd.randrange(len(text))
    if how == 0:
        text = text[:at]
    elif how == 1:
        text = text[:at] + rnd.choice(["\t", ": :", "- [", "{", "&a *a", "\x00", "!!python/obj:os.system"]) \
            + text[at:]
    elif how == 2:
        lines = text.split("\n")
        i = rnd.randrange(len(lines))
        lines[i] = rnd.choice(["  - id: am-2027-09-02", "start: 2027-13-45 25:61", "   x", ""])
        text = "\n".join(lines)
    elif how == 3:
        text = text.replace("2027-09-02 09:30", rnd.choice(["tomorrow", "2027-09-02 13:30",
                                                            "2027-02-30 09:30"]), 1)
    else:
        text = "".join(rnd.choice(string.printable) for _ in range(rnd.randrange(200)))
    return text.encode()


def random_update(rnd: random.Random, pool: list[str], commands: list[str]) -> tuple[Any, ...]:
    """One update: text, command, button press, file or time passing."""
    user = rnd.choice(USERS)
    kind = rnd.choices(["text", "command", "press", "mutated", "upload", "tick"],
                       weights=[3, 8, 3, 6, 1, 1])[0]
    if kind == "text":
        return "text", user, rnd.choice([
            "".join(rnd.choice(ODD) for _ in range(rnd.randrange(1, 6))),
            rnd.choice(["🙂", "<b>", "a", "&", "ö", "\n"]) * rnd.randrange(1, 4097)])
    if kind == "command":
        args = " ".join(rnd.choice(ODD) for _ in range(rnd.randrange(0, 4)))
        return "text", user, f"/{rnd.choice(commands)} {args}".rstrip()
    if kind == "press" or not pool:
        size = rnd.randrange(0, 65)
        return "press", user, "".join(rnd.choice(string.printable + "åä🙂") for _ in range(size))
    if kind == "mutated":
        return "press", user, rnd.choice([rnd.choice(pool), mutate(rnd.choice(pool), rnd)])
    if kind == "upload":
        if user == ORGANISER and rnd.random() < 0.8:
            return "upload", user, rnd.choice(["programme.yaml", "p.yml"]), broken_yaml(rnd)
        content = bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 300)))
        return "upload", user, rnd.choice(["x.yaml", "a.txt", "", "../../etc/passwd.yaml",
                                           "ÅÄÖ.YML"]), content
    return "tick", rnd.choice([0.5, 1, 6, 24])


class Fuzzer:
    """One assistant (all plugins, a data directory) and what it was sent so far."""

    def __init__(self, data_dir: Path) -> None:
        self.chat = ChatHarness(MINGEL_PLUGINS, organisers=[ORGANISER],
                                data_dir=data_dir, flood_control=False)
        self.pool: list[str] = []
        self.sent = 0
        self.failures: list[str] = []
        for user_id in USERS:
            self.chat.user(user_id, random.Random(user_id).choice(FIRST_NAMES),
                           lang=random.Random(user_id).choice(["sv", "en", "de", None]),
                           username=f"user{user_id}")

    async def start(self) -> None:
        await self.chat.start()
        await self.chat.send(f"/moderators arbetsmarknad add {MODERATOR}", ORGANISER)
        for text in ("/programme all", "/networks", f"/event {EVENT_IDS[1]}", "/broadcast",
                     f"/moderate {EVENT_IDS[1]}", "/reminders", "/language"):
            self.check(await self.chat.send(text, ORGANISER), text, ORGANISER)

    def check(self, replies: list[Reply], what: Any, user: int | None = None) -> None:
        toast = self.chat.toasts.get(user) if user is not None else None
        for problem in problems(replies, toast):
            self.failures.append(f"{problem}\n   after {what!r}")
        for reply in replies:
            for row in reply.buttons:
                self.pool.extend(b.data for b in row if b.data and b.data not in self.pool)
        del self.pool[:-400]

    async def run(self, update: tuple[Any, ...]) -> None:
        kind, *rest = update
        self.sent += 1
        if kind == "text":
            user, text = rest
            self.check(await self.chat.send(text, user), update, user)
        elif kind == "press":
            user, data = rest
            self.check(await self.chat.press_data(data, user), update, user)
        elif kind == "upload":
            user, name, content = rest
            self.check(await self.chat.upload(name, content, user), (kind, user, name), user)
        else:
            self.chat.clock.advance(hours=rest[0])
            await self.chat.assistant.tick()
        for user, replies in (await self.chat.deliver()).items():
            self.check(replies, ("outbox", update), None)


def test_thousands_of_random_updates_break_nothing(tmp_path: Path) -> None:
    fuzzer = Fuzzer(tmp_path / "data")
    errors = ErrorRecords()
    loop = asyncio.new_event_loop()
    logging.getLogger("assistant").addHandler(errors)
    try:
        loop.run_until_complete(fuzzer.start())
        commands = sorted(fuzzer.chat.assistant.commands) + ["nosuchcommand", "help@mingel_bot"]

        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(seeds=st.lists(st.integers(0, 2**32), min_size=1, max_size=25))
        def random_updates(seeds: list[int]) -> None:
            for seed in seeds:
                update = random_update(random.Random(seed), fuzzer.pool, commands)
                loop.run_until_complete(fuzzer.run(update))
            failed = [f"{r.name}: {r.getMessage()}\n{r.exc_text or ''}" for r in errors.records]
            assert not failed, failed[0]
            assert not fuzzer.failures, fuzzer.failures[0]

        random_updates()
        chat = fuzzer.chat
        loop.run_until_complete(chat.stop())
        with Store(tmp_path / "data") as store:
            assert len(store.table("assistant_users")) >= len(USERS)
        loop.run_until_complete(chat.restart())
        assert "/programme" in chat.text(loop.run_until_complete(chat.send("/help", 11)))
        loop.run_until_complete(chat.stop())
    finally:
        logging.getLogger("assistant").removeHandler(errors)
        loop.close()
    log.warning("fuzz: %d random updates through the harness", fuzzer.sent)
    assert fuzzer.sent >= EXAMPLES


# ---------------------------------------------------------------- through the real bot


async def test_random_updates_through_the_real_bot_and_strict_html(telegram_bot, caplog) -> None:
    bot = await telegram_bot(None, env={"MINGEL_ORGANISERS": str(ORGANISER)})
    bot.assistant.flood = FloodControl(burst=10**9)
    stub = bot.stub
    rnd = random.Random(int(os.environ.get("MINGEL_FUZZ_SEED", "8")))
    commands = sorted(bot.assistant.commands)
    last_message: dict[int, int] = {}
    for user_id in USERS:
        await stub.send_text(user_id, "/programme", first_name=rnd.choice(FIRST_NAMES),
                             language_code=rnd.choice(["sv", "en", "de"]))
        [reply] = await stub.wait_sent(user_id, 1, timeout=10)
        last_message[user_id] = reply.message_id
    pool = [b["callback_data"] for m in stub.bot_messages(ORGANISER) for row in m.buttons
            for b in row if "callback_data" in b]
    for _ in range(E2E_UPDATES):
        update = random_update(rnd, pool, commands)
        kind, *rest = update
        if kind == "text":
            await stub.send_text(rest[0], rest[1])
        elif kind == "press":
            messages = stub.bot_messages(rest[0])
            target = messages[-1].message_id if messages else last_message[rest[0]]
            if rest[1]:
                await stub.press(rest[0], target, rest[1], check=False)
        elif kind == "upload":
            await stub.send_document(rest[0], rest[1] or "file", rest[2])
        for user_id in USERS:
            for message in stub.bot_messages(user_id)[-3:]:
                pool.extend(b["callback_data"] for row in message.buttons for b in row
                            if "callback_data" in b and b["callback_data"] not in pool)
    for user_id in USERS:
        before = len(stub.messages_to(user_id))
        await stub.send_text(user_id, "/help")
        await stub.wait_until(lambda u=user_id, n=before: any(
            "/help" in (r.plain_text or "") for r in stub.messages_to(u)[n:]), timeout=30)
    await bot.outbox()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [f"{r.name}: {r.getMessage()}" for r in errors][:3]
    rejected = [r for r in caplog.records if "rejected" in r.getMessage()]
    assert not rejected, [r.getMessage() for r in rejected][:3]
    assert not stub.internal_errors
    bad = [c for c in stub.requests if c.status >= 400 and c.method.lower() != "getupdates"
           and "query is too old" not in (c.description or "")]
    assert not bad, [(c.method, c.status, c.description) for c in bad][:3]


# ---------------------------------------------------------------- flood control


async def test_a_flooding_user_is_slowed_politely_and_nobody_else_notices(mingel_chat) -> None:
    chat = await mingel_chat(None, organisers=[ORGANISER])
    now = [1000.0]
    chat.assistant.flood = FloodControl(clock=lambda: now[0])
    flood = [await chat.send("/help", 21) for _ in range(50)]
    answered = [r for r in flood if r and "/programme" in chat.text(r)]
    notices = [r for r in flood if r and "very quickly" in chat.text(r)]
    assert len(notices) == 1 and len(answered) == 8
    assert sum(1 for r in flood if not r) == 50 - 9
    assert "/programme" in chat.text(await chat.send("/help", 22))
    now[0] += 0.5
    assert await chat.send("/help", 21) == []
    for _ in range(3):
        now[0] += 1
        assert "/programme" in chat.text(await chat.send("/help", 21))
        assert await chat.send("/help", 21) == []
    assert sum("very quickly" in chat.text(r) for r in chat.last.values()) == 0
    now[0] += 30
    assert "/programme" in chat.text(await chat.send("/help", 21))


def test_flood_room_says_what_a_user_may_still_send_without_using_it() -> None:
    """The bench's participants ask before they start a session; asking spends nothing."""
    now = [0.0]
    flood = FloodControl(burst=3, rate=2.0, clock=lambda: now[0])
    assert flood.room(7) == flood.room(7) == 3
    for _ in range(3):
        assert flood.allow(7) == (True, False)
    assert flood.room(7) == 0 and flood.allow(7) == (False, True)
    now[0] += 0.25
    assert flood.room(7) == 0.5 and flood.room(8) == 3
    now[0] += 10
    assert flood.room(7) == 3


async def test_a_flood_through_telegram_slows_only_the_flooder(telegram_bot) -> None:
    bot = await telegram_bot(None)
    now = [1000.0]
    flood = FloodControl(clock=lambda: now[0])
    asked: list[int] = []
    allow = flood.allow
    flood.allow = lambda user_id: (asked.append(user_id), allow(user_id))[1]  # type: ignore
    bot.assistant.flood = flood
    stub = bot.stub
    for _ in range(50):
        await stub.send_text(31, "/help", language_code="en")
    [help_] = await bot.say(32, "/help", language_code="en")
    assert "/programme" in help_.plain_text
    await stub.wait_until(lambda: asked.count(31) == 50, timeout=10)
    now[0] += 60
    await stub.send_text(31, "/language en")
    await stub.wait_until(lambda: any("I'll speak English" in (r.plain_text or "")
                                      for r in stub.messages_to(31)), timeout=10)
    received = stub.messages_to(31)
    assert sum("very quickly" in r.plain_text for r in received) == 1
    assert sum("/programme" in r.plain_text for r in received) == 8
    assert len(received) == 10


# ---------------------------------------------------------------- markup comes out as typed


async def tap(bot: Any, user: int, message: Any, part: str, count: int = 1) -> list[Any]:
    """Press the button whose label contains `part`."""
    label = next(b for b in message.buttons if part.lower() in b.lower())
    return await bot.tap(user, message.message_id, label, count=count)


TYPED = "<b>Bo</b> & <script>alert('x')</script> *Co* _x_ `y` [l](http://e.x) &amp; 1<2>3"


async def test_markup_in_names_and_texts_arrives_exactly_as_typed(telegram_bot) -> None:
    bot = await telegram_bot(None, env={"MINGEL_ORGANISERS": str(ORGANISER)})
    bot.assistant.flood = FloodControl(burst=10**9)
    name = "<b>Bo</b> & <script>x</script> *Co*"
    [hello] = await bot.say(41, "/start", first_name=name, language_code="en")
    assert hello.plain_text.startswith(f"Hi {name}!")
    event = EVENT_IDS[1]
    [card] = await bot.say(41, f"/rsvp {event}")
    await tap(bot, 41, card, "Coming in person", count=2)
    replies = await bot.say(41, f"/ask {event} {TYPED}")
    assert TYPED in replies[0].plain_text
    [sent] = await tap(bot, 41, replies[0], "Show my name")
    assert TYPED in sent.plain_text
    await bot.say(ORGANISER, "/start", first_name="Olga", language_code="en")
    queue = await bot.say(ORGANISER, f"/moderate {event}", count=2)
    assert TYPED in queue[1].plain_text and name in queue[1].plain_text
    await tap(bot, ORGANISER, queue[1], "Approve")
    listing = await bot.say(42, f"/questions {event}", language_code="en")
    assert TYPED in listing[0].plain_text
    [attendees, _csv] = await bot.say(ORGANISER, f"/attendees {event}", count=2)
    assert name in attendees.plain_text
    [found] = await bot.say(42, "/search <b>Bo</b> & <script> *Co*")
    assert "“<b>Bo</b> & <script> *Co*”" in found.plain_text
    [menu] = await bot.say(ORGANISER, "/broadcast")
    await tap(bot, ORGANISER, menu, "Everyone")
    typed = "Plain <script>alert(1)</script> & *stars* _under_ `tick` 2 < 3"
    preview = await bot.say(ORGANISER, typed, count=2)
    assert typed in preview[1].plain_text
