"""Outbox benchmarks against the Bot API stub with Telegram's flood limits switched on.

    python -m bench.outbox_bench            # 1,000-recipient broadcast, kill -9 half-way,
                                            # 10,000 reminders due in the same minute
    python -m bench.outbox_bench --quick    # the same with smaller numbers (about a minute)

Each scenario prints the sustained send rate (recipients after the first, divided by the
time from the first to the last message the stub accepted; for the killed runs this
includes the restart), the 429 answers the stub had to give, and how many recipients got
the message exactly once. A kill right after Telegram accepted a message and before the
bot heard back repeats that message (and any other in flight, at most IN_FLIGHT) after
the restart: the window docs/outbox.md documents. Everyone else must get it exactly
once, or the benchmark exits 1. docs/benchmarks.md keeps the figures.
"""
from __future__ import annotations

import argparse
import asyncio
import atexit
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from assistant import hookimpl
from assistant.adapters.telegram import TelegramAdapter
from assistant.config import Config
from assistant.core import Assistant
from assistant.model import Attendance, Event, Programme
from assistant.outbox import IN_FLIGHT
from assistant.plugins import BUILTINS, plugin_name
from assistant.storage import Store
from assistant.stub import BotApiStub
from assistant.types import User
from plugins.programme.loader import parse_programme

TOKEN = "123456789:AAEbenchTOKENbenchTOKENbenchTOKEN12"
RATE = 30.0
ORGANISER = 1
FIRST_USER = 10_000
ROOT = Path(__file__).resolve().parent.parent


async def seed_users(data_dir: Path, count: int) -> list[int]:
    """Users who once wrote to the bot (so "everyone" means them), stored before it starts."""
    ids = list(range(FIRST_USER, FIRST_USER + count))
    assistant = Assistant(Config.from_env({"MINGEL_DATA_DIR": str(data_dir)}), plugins=[],
                          entry_points=False, store=Store(data_dir))
    await assistant.start()
    for user_id in [ORGANISER, *ids]:
        assistant.users.seen(User(user_id, f"User {user_id}", language_code="en"))
    await assistant.stop()
    return ids


def outcome(stub: BotApiStub, recipients: list[int], started: float | None = None) -> dict:
    """Rate, 429s and exactly-once from what the stub accepted."""
    wanted = set(recipients)
    records = [r for r in stub.sent if r.method == "sendMessage" and r.chat_id in wanted]
    counts = Counter(r.chat_id for r in records)
    first = records[0].time if started is None else started
    span = records[-1].time - first if records else 0.0
    return {"recipients": len(wanted), "messages": len(records),
            "exactly_once": sum(1 for c in wanted if counts[c] == 1),
            "missing": sum(1 for c in wanted if counts[c] == 0),
            "twice_or_more": sum(1 for c in wanted if counts[c] > 1),
            "seconds": round(span, 1),
            "rate": round((len(records) - 1) / span, 2) if span else 0.0,
            "of_limit": f"{(len(records) - 1) / span / RATE:.1%}" if span else "-",
            "429": stub.flood_errors}


def fresh_dir() -> Path:
    """A data directory for one scenario, removed when the benchmark ends."""
    directory = tempfile.mkdtemp(prefix="mingel-bench-")
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return Path(directory) / "data"


def reached(stub: BotApiStub, recipients: list[int]) -> int:
    """How many of the recipients got at least one message."""
    sent = list(stub.sent)
    return len({r.chat_id for r in sent if r.method == "sendMessage"} & set(recipients))


def env_for(stub: BotApiStub, data_dir: Path, keep: tuple[str, ...]) -> dict[str, str]:
    """The environment of a bot that loads only the plugins a scenario needs."""
    disabled = [plugin_name(__import__(m, fromlist=["NAME"])) for m in BUILTINS]
    return {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": stub.url,
            "MINGEL_DATA_DIR": str(data_dir), "MINGEL_SEND_RATE": str(RATE),
            "MINGEL_ORGANISERS": str(ORGANISER),
            "MINGEL_DISABLED_PLUGINS": ",".join(n for n in disabled if n not in keep)}


def start_broadcast(stub: Any) -> None:
    """The organiser's taps, through the stub (stub.sync from another thread)."""
    stub.send_text(ORGANISER, "/broadcast", language_code="en")
    [menu] = stub.wait_sent(ORGANISER, 1, timeout=30)
    stub.press_button(ORGANISER, menu.message_id, "Everyone who has written to me")
    stub.wait_for(lambda r: r.method == "editMessageText", timeout=30)
    stub.send_text(ORGANISER, "The meeting moves to room <b>F8</b>.")
    _preview, message = stub.wait_sent(ORGANISER, 2, timeout=30)
    label = next(b for b in message.buttons if b.startswith("Send to"))
    stub.press_button(ORGANISER, message.message_id, label)


async def broadcast(count: int) -> dict:
    """A broadcast to `count` people through the running bot, in this process."""
    data_dir = fresh_dir()
    recipients = await seed_users(data_dir, count)
    stub = BotApiStub(token=TOKEN, flood_limits=True).run_in_thread()
    for user_id in [ORGANISER, *recipients]:
        stub.add_user(user_id)
    config = Config.from_env(env_for(stub, data_dir, ("basics", "broadcast")))
    assistant = Assistant(config, plugins=["plugins.basics", "plugins.broadcast"],
                          entry_points=False, store=Store(data_dir))
    try:
        async with TelegramAdapter(assistant, TOKEN, stub.url, poll_timeout=1):
            await asyncio.to_thread(start_broadcast, stub.sync)
            await asyncio.to_thread(wait, lambda: reached(stub, recipients) == count,
                                    count / RATE * 2 + 30)
    finally:
        await asyncio.to_thread(stub.stop_thread)
    return outcome(stub, recipients)


def killed_broadcast(count: int, moment: str) -> dict:
    """The same broadcast by `mingel run`, killed with SIGKILL half-way and restarted.

    moment "between": between two sends (12 ms after Telegram's last answer, when its mark
    is written). moment "accepted": inside the stub, right after it accepted the message
    that reaches half of the recipients and before it answers - the window docs/outbox.md
    describes, so that message is sent again after the restart.
    """
    data_dir = fresh_dir()
    recipients = asyncio.run(seed_users(data_dir, count))
    wanted = set(recipients)
    stub = BotApiStub(token=TOKEN, flood_limits=True).run_in_thread()
    for user_id in [ORGANISER, *recipients]:
        stub.add_user(user_id)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))},
           **env_for(stub, data_dir, ("basics", "broadcast"))}
    reached: set[int] = set()
    proc: subprocess.Popen | None = None
    record = stub._record

    def note(sent: Any) -> None:
        record(sent)
        if sent.method == "sendMessage" and sent.chat_id in wanted:
            reached.add(sent.chat_id)
            if moment == "accepted" and len(reached) == count // 2 and proc is not None:
                proc.send_signal(signal.SIGKILL)

    log = data_dir.parent / "bot.log"

    def run() -> subprocess.Popen:
        with log.open("a") as out:
            return subprocess.Popen([sys.executable, "-m", "assistant.cli", "run"], env=env,
                                    cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)

    def done() -> bool:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the bot exited with {proc.returncode}:\n"
                               + log.read_text()[-2000:])
        return len(reached) == count

    def quiet() -> bool:
        last = max((r.time for r in stub.sent if r.method == "sendMessage"), default=0.0)
        return len(reached) >= count // 2 and time.time() - last >= 0.012

    stub._record = note
    proc = run()
    try:
        start_broadcast(stub.sync)
        if moment == "between":
            wait(quiet, count / RATE + 60)
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=count / RATE + 60)
        at_kill = len(reached)
        proc = run()
        wait(done, count / RATE * 2 + 60)
        time.sleep(1)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        stub.stop_thread()
    return {**outcome(stub, recipients), "reached_when_killed": at_kill}


def wait(condition: Callable[[], bool], timeout: float) -> None:
    """Poll until the condition holds (the stub lives in another thread)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark did not finish in time")
        time.sleep(0.01)


class Crowd:
    """A programme with one meeting and `count` people coming, for the reminders scenario."""

    NAME = "crowd"

    def __init__(self, count: int, start: datetime) -> None:
        self.current = parse_programme(f"""
timezone: UTC
venues: {{f7: {{name: F7, address: "Fleminggatan 7, Stockholm"}}}}
networks: {{am: {{name: Labour market}}}}
events:
  - id: crowd
    networks: [am]
    title: The crowded meeting
    start: {start.strftime("%Y-%m-%d %H:%M:%S")}
    end: {(start + timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S")}
    venue: f7
""", "bench.yaml")
        answered = start - timedelta(days=7)
        self.people = [Attendance("crowd", FIRST_USER + n, "in_person", answered)
                       for n in range(count)]

    @hookimpl
    def programme(self) -> Programme:
        """The one-meeting programme."""
        return self.current

    @hookimpl
    def attendees(self, event: Event) -> list[Attendance]:
        """Everyone is coming."""
        return self.people


async def reminders(count: int) -> dict:
    """`count` reminders due in the same minute, sent by the running bot."""
    data_dir = fresh_dir()
    start = (datetime.now(UTC) + timedelta(minutes=59)).replace(microsecond=0)
    crowd = Crowd(count, start)
    recipients = [a.user_id for a in crowd.people]
    stub = BotApiStub(token=TOKEN, flood_limits=True).run_in_thread()
    for user_id in recipients:
        stub.add_user(user_id)
    config = Config.from_env(env_for(stub, data_dir, ("reminders",)))
    assistant = Assistant(config, plugins=["plugins.reminders", crowd], entry_points=False,
                          store=Store(data_dir))
    began = time.time()
    try:
        async with TelegramAdapter(assistant, TOKEN, stub.url, poll_timeout=1):
            await asyncio.to_thread(wait, lambda: reached(stub, recipients) == count,
                                    count / RATE * 2 + 60)
            queued = time.time()
    finally:
        await asyncio.to_thread(stub.stop_thread)
    result = outcome(stub, recipients)
    return {**result, "first_after_start": round(stub.sent[0].time - began, 1),
            "done_after_start": round(queued - began, 1)}


def show(name: str, figures: dict) -> None:
    """One scenario's figures, one per line."""
    print(f"\n{name}")
    for key, value in figures.items():
        print(f"  {key:22} {value}")


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios; exit 1 when a recipient did not get exactly one message."""
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller numbers, about a minute")
    args = parser.parse_args(argv)
    sizes = (300, 200, 1000) if args.quick else (1000, 1000, 10_000)
    results = {
        f"broadcast to {sizes[0]} recipients": asyncio.run(broadcast(sizes[0])),
        f"broadcast to {sizes[1]}, kill -9 half-way between two sends, restart":
            killed_broadcast(sizes[1], "between"),
        f"broadcast to {sizes[1]}, kill -9 right after Telegram accepted one, restart":
            killed_broadcast(sizes[1], "accepted"),
        f"{sizes[2]} reminders due in the same minute": asyncio.run(reminders(sizes[2])),
    }
    for name, figures in results.items():
        show(name, figures)
    window = [f for name, f in results.items() if "accepted" in name]
    once = [f for name, f in results.items() if "accepted" not in name]
    ok = all(f["exactly_once"] == f["recipients"] for f in once) and \
        all(f["missing"] == 0 and f["twice_or_more"] <= IN_FLIGHT for f in window)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
