"""kill -9 during a burst of RSVPs and programme changes: every acknowledged answer survives.

The real `python -m assistant.cli run` process talks to the Bot API stub (in a thread).
Each round starts the bot, pushes a burst of answer buttons from forty people (and,
in some rounds, an organiser uploading and confirming a new programme), kills the bot
with SIGKILL at a random moment (while it starts and replays its journal in one round out
of five, otherwise up to 1.5 s into the burst), and then checks the data directory: it opens, every
answer the bot confirmed to its user (the stub recorded "Saved: …" on the button) is
stored — or a later answer of the same person that the bot was handling when it died —
and the programme file is at least the last version whose confirmation the organiser
saw. A final clean run answers whatever was still waiting and checks once more.

MINGEL_CRASH_ROUNDS (default 10) sets the number of kills; MINGEL_CRASH_SEED repeats a run.
"""
from __future__ import annotations

import logging
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from assistant.storage import Store
from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("MINGEL_CRASH_ROUNDS", "10"))
SEED = int(os.environ.get("MINGEL_CRASH_SEED", str(time.time_ns() % 10**9)))
ORGANISER = 1
PEOPLE = tuple(range(101, 141))
EVENTS = ("e1", "e2", "e3")
ANSWERS = ("in_person", "online", "maybe", "no")
ACKED = ("Saved:", "You're on the waiting list")
log = logging.getLogger(__name__)


def programme(version: int) -> str:
    """A small programme; each version renames e1 and changes its seats."""
    return f"""\
timezone: Europe/Stockholm
venues:
  f7: {{name: F7, address: "Fleminggatan 7, Stockholm"}}
networks:
  alpha: {{name: Alpha network}}
defaults:
  networks: [alpha]
  venue: f7
  online: {{platform: Zoom, url: "https://zoom.us/j/1"}}
events:
  - id: e1
    title: Version {version}
    start: 2030-09-02 09:30
    end: 2030-09-02 12:30
    capacity: {2 + version % 3}
  - id: e2
    title: Second
    start: 2030-09-09 09:30
    end: 2030-09-09 12:30
  - id: e3
    title: Third
    start: 2030-09-16 09:30
    end: 2030-09-16 12:30
    capacity: 3
"""


@dataclass
class Press:
    """One answer button pressed, and whether the bot confirmed it."""

    user: int
    event: str
    answer: str
    query: str
    acked: bool = False


class Organiser(threading.Thread):
    """Uploads the next programme version and confirms it, while the bot may die any moment."""

    def __init__(self, stub: BotApiStub, version: int) -> None:
        super().__init__(daemon=True)
        self.stub, self.version, self.acked = stub, version, False

    def run(self) -> None:
        sync = self.stub.sync
        try:
            start = len(self.stub.sent)
            sync.send_document(ORGANISER, "programme.yaml", programme(self.version).encode())
            preview = sync.wait_for(lambda r: r.chat_id == ORGANISER and any(
                "Confirm" in b for b in r.buttons), timeout=4, since=start)
            message = self.stub.message(ORGANISER, preview.message_id)
            data = next(b["callback_data"] for row in message.buttons for b in row
                        if "Confirm" in b["text"])
            start = len(self.stub.sent)
            sync.press(ORGANISER, preview.message_id, data, check=False)
            sync.wait_for(lambda r: r.chat_id == ORGANISER and "the new programme is in use"
                          in (r.plain_text or ""), timeout=4, since=start)
            self.acked = True
        except (TimeoutError, LookupError, StopIteration):
            pass


def launch(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", "run"], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def stored_answers(data_dir: Path) -> dict[tuple[int, str], str]:
    """Open the data directory as a restarted bot would, and read every answer."""
    with Store(data_dir) as store:
        return {(d["user"], d["event"]): d["answer"] for d in store.table("rsvp_answers").all()}


def file_version(path: Path) -> int:
    match = re.search(r"title: Version (\d+)", path.read_text(encoding="utf-8"))
    assert match, path.read_text(encoding="utf-8")[:300]
    return int(match.group(1))


def check(presses: dict[tuple[int, str], list[Press]], stored: dict[tuple[int, str], str],
          where: str) -> None:
    """Each person's answer is their last confirmed one, or one they gave after it."""
    for key, sequence in presses.items():
        acked = [i for i, p in enumerate(sequence) if p.acked]
        if not acked:
            assert stored.get(key) in {None, *(p.answer for p in sequence)}, (where, key)
            continue
        allowed = {p.answer for p in sequence[acked[-1]:]}
        assert stored.get(key) in allowed, \
            f"{where}: {key} stored {stored.get(key)!r}, confirmed {sequence[acked[-1]].answer!r}"


def test_kill_9_during_a_burst_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    rnd = random.Random(SEED)
    data_dir, programme_file = tmp_path / "data", tmp_path / "programme.yaml"
    programme_file.write_text(programme(0), encoding="utf-8")
    stub = BotApiStub(token=TOKEN).run_in_thread()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    env.update({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": stub.url,
                "MINGEL_DATA_DIR": str(data_dir), "MINGEL_SEND_RATE": "0",
                "MINGEL_PROGRAMME": str(programme_file), "MINGEL_ORGANISERS": str(ORGANISER),
                "PYTHONPATH": str(ROOT)})
    presses: dict[tuple[int, str], list[Press]] = defaultdict(list)
    cards: dict[int, int] = {}
    version, confirmed, crashes, pushed = 0, 0, 0, 0
    try:
        proc = launch(env, tmp_path)
        try:
            for person in (*PEOPLE, ORGANISER):
                stub.sync.send_text(person, "/rsvp e2", language_code="en", first_name=f"P{person}")
                [card] = stub.sync.wait_sent(person, 1, timeout=30)
                cards[person] = card.message_id
        finally:
            proc.kill()
            proc.wait()
        for round_no in range(ROUNDS):
            starts = len(stub.calls("deleteWebhook"))
            proc = launch(env, tmp_path)
            if rnd.random() < 0.2:
                kill_at = time.monotonic() + rnd.uniform(0, 1.5)
            else:
                stub.sync.wait_until(lambda n=starts: len(stub.calls("deleteWebhook")) > n,
                                     timeout=60)
                kill_at = time.monotonic() + rnd.uniform(0.05, 1.5)
            organiser = None
            if rnd.random() < 0.4:
                version += 1
                organiser = Organiser(stub, version)
                organiser.start()
            burst: list[Press] = []
            while time.monotonic() < kill_at:
                person, event = rnd.choice(PEOPLE), rnd.choice(EVENTS)
                answer = rnd.choice(ANSWERS)
                query = stub.sync.press(person, cards[person], f"rsvp:a:{event}:{answer}",
                                        check=False)
                burst.append(Press(person, event, answer, query))
                presses[(person, event)].append(burst[-1])
                pushed += 1
                time.sleep(rnd.choice([0, 0, 0.005, 0.02, 0.1]))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            crashes += 1
            if organiser is not None:
                organiser.join(10)
                if organiser.acked:
                    confirmed = max(confirmed, organiser.version)
            for press in burst:
                answer = stub.callback_answer(press.query) or {}
                press.acked = (answer.get("text") or "").startswith(ACKED)
            check(presses, stored_answers(data_dir), f"round {round_no} (seed {SEED})")
            assert file_version(programme_file) >= confirmed, (round_no, SEED)
        proc = launch(env, tmp_path)
        try:
            for person in PEOPLE:
                seen = len(stub.messages_to(person))
                stub.sync.send_text(person, "/my")
                stub.sync.wait_until(lambda p=person, n=seen: any(
                    re.search(r"Your meetings|haven't answered", r.plain_text or "")
                    for r in stub.messages_to(p)[n:]), timeout=60)
            for burst_press in (p for seq in presses.values() for p in seq):
                answer = stub.callback_answer(burst_press.query) or {}
                burst_press.acked = burst_press.acked or (answer.get("text") or "").startswith(
                    ACKED)
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err.decode()[-2000:]
        check(presses, stored_answers(data_dir), f"after the last clean run (seed {SEED})")
        assert file_version(programme_file) >= confirmed
        acknowledged = sum(p.acked for seq in presses.values() for p in seq)
        log.warning("crash test: %d kills survived, %d presses, %d acknowledged, %d programme "
                    "versions confirmed (seed %d)", crashes, pushed, acknowledged, confirmed, SEED)
        assert crashes == ROUNDS and acknowledged > 0
    finally:
        stub.stop_thread()

