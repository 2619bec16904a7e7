"""How long work that grows with the festival holds the event loop up, while everyone else's
updates wait: the festival-time jobs the load runs never meet (their clock is before the
festival, and nobody changes the programme or broadcasts in them).

    python -m bench --only stalls

On a copy of the festival's data, with the clock set to the first festival morning, one
process, no Telegram: the reminder tick after a start and the next one, an organiser's
upload moving the most popular meeting (preview, then Confirm), the tick that tells its
people, and a broadcast to everyone. A task beside them wakes every millisecond; the
longest it waited is the longest any participant's update would have.
"""
from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from assistant.clock import FakeClock
from assistant.config import Config
from assistant.core import Assistant
from assistant.types import Chat, Document, Incoming, Reply, User

from .festival import SETTINGS

ORGANISER = 1


class _Organiser:
    """The organiser's side of the chat, straight into `Assistant.handle`."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant, self.messages = assistant, 0
        self.user = User(id=ORGANISER, first_name="Olga", language_code="en")

    async def send(self, **fields: Any) -> list[Reply]:
        self.messages += 1
        replies, _toast = await self.assistant.handle(Incoming(
            user=self.user, chat=Chat(ORGANISER), message_id=self.messages, **fields))
        return replies

    async def press(self, replies: list[Reply], part: str) -> list[Reply]:
        [data] = [b.data for r in replies for row in r.buttons for b in row
                  if b.data and part in b.data][:1]
        return await self.send(callback_data=data, callback_id="stalls")


async def _longest_wait(job: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    """Run a job with a task beside it that wakes every millisecond; the job's seconds and
    the longest the task waited, in ms."""
    longest = 0.0
    stop = asyncio.Event()

    async def beside() -> None:
        nonlocal longest
        while not stop.is_set():
            began = time.perf_counter()
            await asyncio.sleep(0.001)
            longest = max(longest, time.perf_counter() - began)

    watcher = asyncio.create_task(beside())
    await asyncio.sleep(0.01)
    longest, began = 0.0, time.perf_counter()
    try:
        await job()
        await asyncio.sleep(0.01)
    finally:
        stop.set()
        await watcher
    return {"seconds": round(time.perf_counter() - began, 3),
            "longest_wait_ms": round(1000 * longest, 1)}


async def run(data: Path, programme: Path) -> dict[str, dict[str, float]]:
    """Each job's duration and the longest the event loop was held up during it."""
    text = programme.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        copy, own = Path(tmp) / "data", Path(tmp) / "festival.yaml"
        shutil.copytree(data, copy, ignore=shutil.ignore_patterns("mingel.lock"))
        own.write_text(text, encoding="utf-8")
        config = Config.from_env({"MINGEL_DATA_DIR": str(copy), "MINGEL_PROGRAMME": str(own),
                                  "MINGEL_SEND_RATE": "0", "MINGEL_ORGANISERS": str(ORGANISER),
                                  **SETTINGS})
        clock = FakeClock("2000-01-01T00:00:00+00:00")
        assistant = Assistant(config, clock=clock)
        await assistant.start()
        try:
            return await _jobs(assistant, clock, own, text)
        finally:
            await assistant.stop()


async def _jobs(assistant: Assistant, clock: FakeClock, own: Path,
                text: str) -> dict[str, dict[str, float]]:
    programme = assistant.hooks.programme()
    assert programme is not None and programme.events
    clock.set(programme.events[0].start - timedelta(hours=3))
    answers = assistant.store.table("rsvp_answers", indexes=("event",))
    crowded = programme.event(Counter(d["event"] for d in answers.all()).most_common(1)[0][0])
    assert crowded is not None
    organiser = _Organiser(assistant)
    await organiser.send(text="/start")
    results: dict[str, dict[str, float]] = {}
    results["reminder tick after a start"] = await _longest_wait(assistant.tick)
    clock.advance(seconds=30)
    results["reminder tick 30 s later"] = await _longest_wait(assistant.tick)

    start = crowded.start.astimezone(crowded.timezone).strftime("%Y-%m-%d %H:%M")
    later = (crowded.start + timedelta(minutes=15)).astimezone(crowded.timezone)
    at = text.index(f"id: {crowded.id}\n")
    moved = text[:at] + text[at:].replace(f"start: {start}",
                                          f"start: {later.strftime('%Y-%m-%d %H:%M')}", 1)
    preview: list[Reply] = []

    async def upload() -> None:
        preview.extend(await organiser.send(document=Document(
            own.name, moved.encode(), "application/x-yaml")))

    results["programme upload: preview"] = await _longest_wait(upload)
    results["programme upload: Confirm"] = await _longest_wait(
        lambda: organiser.press(preview, ":confirm:"))
    clock.advance(minutes=3)
    results["tick telling the moved meeting's people"] = await _longest_wait(assistant.tick)

    async def broadcast() -> None:
        menu = await organiser.send(text="/broadcast")
        await organiser.press(menu, ":everyone")
        ready = await organiser.send(text="The festival starts today! Send /my for your day.")
        await organiser.press(ready, ":send:")

    results["broadcast to everyone"] = await _longest_wait(broadcast)
    sent = assistant.store.table("broadcast_messages").all()
    results["broadcast to everyone"]["people"] = sent[-1]["count"] if sent else 0
    return results
