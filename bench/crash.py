"""kill -9 at festival size: a `mingel run` process is killed during a burst of answers, and
every answer it acknowledged must be in the store when it is opened again.

Participants open a meeting's card and tap an answer, once per (participant, meeting)
pair, so the stored answer can only be the acknowledged one. An answer is acknowledged
when the bot edits the card (the core commits before it replies), unless the edit asks
first (someone on the waiting list who taps another answer is asked on the card whether to
leave it, and nothing is stored until they do: `plugins/rsvp/respond.py`, `ask_first`). After SIGKILL the
data directory is opened with `Store` (it must open: no CorruptData) and checked.
"""
from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
import time
from pathlib import Path
from typing import Any

from assistant.storage import Store
from assistant.stub import BotApiStub

from .driver import Participants
from .festival import FestivalEvent, allowed
from .scale import ROOT, TOKEN, bot_env, first_answer

LEAVE = "leave"
"""The last part of the button that confirms leaving a waiting list (`respond.LEAVE`)."""


async def _burst(participants: Participants, acked: list[tuple[int, str, str]],
                 asked: list[tuple[int, str]], used: set[tuple[int, str]],
                 stop: asyncio.Event) -> None:
    """One participant after another: card, one tap, remember the acknowledged answer (or
    the question asked instead, which stores nothing)."""
    rng = participants.rng
    while not stop.is_set():
        user_id = await participants.pick_user()
        event = participants.pick_event()
        if (user_id, event.id) in used:
            continue
        used.add((user_id, event.id))
        participants._busy.add(user_id)
        try:
            card = await participants.say(user_id, f"/event {event.id}", "/event")
            current = participants.current_answer(card, event.id)
            choices = [a for a, _ in allowed(event.mode) if a != current]
            data = [d for d in participants.buttons(card, f"rsvp:a:{event.id}:")
                    if d.rsplit(":", 1)[1] in choices]
            if card is None or not data:
                continue
            tap = rng.choice(data)
            edited = await participants.tap(user_id, card.message_id, tap, "rsvp tap")
            if edited is None or edited.method != "editMessageText":
                continue
            if any(d.endswith(f":{LEAVE}")
                   for d in participants.buttons(edited, f"rsvp:a:{event.id}:")):
                asked.append((user_id, event.id))
            else:
                acked.append((user_id, event.id, tap.rsplit(":", 1)[1]))
        finally:
            participants._busy.discard(user_id)


async def round_(data_dir: Path, programme: Path, events: list[FestivalEvent], users: int,
                 slots: int, kill_after: float) -> dict[str, Any]:
    """One `mingel run`, one burst, one SIGKILL, one check."""
    stub = BotApiStub(token=TOKEN)
    await stub.start()
    participants = Participants(stub, events, users, seed=int(kill_after * 1000))
    env = bot_env(stub, data_dir, programme)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "assistant.cli", "run", env=env, cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    acked: list[tuple[int, str, str]] = []
    asked: list[tuple[int, str]] = []
    stop = asyncio.Event()
    try:
        await first_answer(stub, participants, 120)
        used: set[tuple[int, str]] = set()
        tasks = [asyncio.create_task(_burst(participants, acked, asked, used, stop))
                 for _ in range(slots)]
        await asyncio.sleep(kill_after)
        os.kill(process.pid, signal.SIGKILL)
        stop.set()
        await process.wait()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await stub.stop()
    began = time.perf_counter()
    store = Store(data_dir)
    store.open()
    try:
        answers = store.table("rsvp_answers", indexes=("event", "user"))
        lost = [a for a in acked
                if (doc := answers.first(event=a[1], user=a[0])) is None or doc["answer"] != a[2]]
        docs = len(answers)
    finally:
        store.close()
    return {"acknowledged": len(acked), "lost": len(lost), "lost_answers": lost[:10],
            "asked_first": len(asked),
            "docs_after": docs,
            "reopen_s": round(time.perf_counter() - began, 2), "killed_after_s": kill_after}


async def run(data_dir: Path, programme: Path, events: list[FestivalEvent], users: int,
              rounds: int, slots: int = 32, seed: int = 3) -> list[dict[str, Any]]:
    """Several rounds on the same data directory, each killed at a random moment."""
    rng = random.Random(seed)
    return [await round_(data_dir, programme, events, users, slots, round(rng.uniform(2, 6), 2))
            for _ in range(rounds)]
