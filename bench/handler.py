"""Mingel's own cost per update, without Telegram: the bench's sessions straight into
`Assistant.handle`, one at a time, on a copy of the festival's data.

    python -m bench.handler DATA_DIR PROGRAMME [--updates 3000] [--profile FILE]
    python -m bench.handler DATA_DIR PROGRAMME --against OTHER_TREE [--rounds 6]
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/dev/null \
        python -m bench.handler DATA_DIR PROGRAMME --updates 3000 --instructions

What the full bench measures as "CPU ms per update" is this plus PTB and HTTP; this part
is the one storage and plugins decide, so it is the quick loop for changing them. Prints
CPU ms per update in all and per kind of update (once the work a start leaves to tasks of
its own is done, after a warm-up of 300 updates).

`--against` compares two versions of the code (another checkout, say `git worktree add
/tmp/old HEAD~1`): both run at once, each on its own CPU, swapping CPUs every round, and
the ratio of each round is printed. The machine's speed drifts by a quarter within
minutes, so runs one after another cannot show a change of a few per cent; two runs side
by side share the drift.

`--instructions`, under callgrind started with its instrumentation off, switches it on for
the measured updates only (`callgrind_control`): callgrind's "Collected" count is then
the instructions of those updates alone, the same to 0.03 % from run to run of one
checkout, where counting the whole process varied by 4-5 % of a 6,000-update run with the
start-up's share. Valgrind is not a dependency; this is for comparing checkouts by hand.
"""
from __future__ import annotations

import argparse
import ast
import asyncio
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.config import Config
from assistant.core import Assistant
from assistant.types import Chat, Incoming, Reply, User

from .driver import DECLARING, PICK_TRIES, ROOM, SESSION_ROOM, SESSIONS, counted_as
from .festival import SETTINGS, USER_BASE, festival_events, popularity

WARMUP = 300


class Sessions:
    """The driver's sessions (bench/driver.py), as direct calls."""

    def __init__(self, assistant: Assistant, events: list[Any], users: int) -> None:
        self.assistant, self.events, self.users = assistant, events, users
        self.rng = random.Random(5)
        self.weights = list(itertools.accumulate(popularity(len(events))))
        self.cpu: defaultdict[str, list[float]] = defaultdict(list)
        self.wall: list[float] = []
        self.messages = itertools.count(1)
        self.questions = itertools.count(1)

    async def _handle(self, kind: str, user_id: int, **fields: Any) -> list[Reply]:
        n = user_id - USER_BASE
        user = User(id=user_id, first_name=f"Deltagare{n}", username=f"d{n}",
                    language_code="sv" if n % 3 else "en")
        began, wall = time.process_time(), time.perf_counter()
        replies, _toast = await self.assistant.handle(Incoming(
            user=user, chat=Chat(user_id), message_id=next(self.messages), **fields))
        self.cpu[kind].append(time.process_time() - began)
        self.wall.append(time.perf_counter() - wall)
        return replies

    def _event(self) -> Any:
        return self.events[self.rng.choices(range(len(self.events)),
                                            cum_weights=self.weights)[0]]

    @staticmethod
    def _data(replies: list[Reply], prefix: str) -> list[str]:
        return [b.data for r in replies for row in r.buttons for b in row
                if b.data and b.data.startswith(prefix)]

    async def _in_person(self, user_id: int, event: Any, card: list[Reply],
                         tap: str) -> list[Reply]:
        """The driver's "Coming in person" at a health meeting (`Participants._in_person`):
        the card's "Fill in health declaration", or the tap and then /health ID, then the
        declaration; the replies to go on with (none once declared)."""
        fill_in = self._data(card, "health:start:")
        if not fill_in:
            tapped = await self._handle(counted_as("rsvp tap", event), user_id,
                                        callback_data=tap, callback_id="q")
            if any(r.edit for r in tapped):
                return tapped  # declared before: the card, edited (the gate refused none)
        if self.assistant.flood.room(user_id) < DECLARING + 1:
            return []
        if fill_in:
            form = await self._handle("health: fill in", user_id, callback_data=fill_in[0],
                                      callback_id="q")
        else:
            form = await self._handle("health: fill in", user_id, text=f"/health {event.id}")
        while no := [d for d in self._data(form, "health:q:") if d.endswith(":no")]:
            form = await self._handle("health: question", user_id, callback_data=no[0],
                                      callback_id="q")
        for prefix, step in (("health:rules:", "health: rules"),
                             ("health:inperson:", "health: in person")):
            if not (press := self._data(form, prefix)):
                break
            form = await self._handle(step, user_id, callback_data=press[0], callback_id="q")
        return []

    def _user(self, room: int) -> int:
        """A participant with `room` for the session in Mingel's flood control, as the
        driver picks them (`Participants.pick_user`), or the last one tried."""
        for _ in range(PICK_TRIES):
            user_id = USER_BASE + self.rng.randrange(self.users)
            if self.assistant.flood.room(user_id) >= room:
                break
        return user_id

    async def session(self) -> None:
        """One participant does one thing."""
        kind = self.rng.choices(*zip(*SESSIONS, strict=True))[0]
        user_id = self._user(ROOM.get(kind, SESSION_ROOM))
        if kind in ("rsvp", "event"):
            event = self._event()
            card = await self._handle(counted_as("/event", event), user_id,
                                      text=f"/event {event.id}")
            for _ in range((2 if self.rng.random() < 0.3 else 1) if kind == "rsvp" else 0):
                taps = [d for d in self._data(card, f"rsvp:a:{event.id}:")]
                if not taps:
                    return
                tap = self.rng.choice(taps)
                if tap.endswith(":in_person") and event.health:
                    card = await self._in_person(user_id, event, card, tap)
                else:
                    card = await self._handle(counted_as("rsvp tap", event), user_id,
                                              callback_data=tap, callback_id="q")
        elif kind == "browse":
            listing = await self._handle("/programme", user_id, text="/programme")
            if cards := self._data(listing, "programme:card:"):
                await self._handle("card button", user_id, callback_data=self.rng.choice(cards),
                                   callback_id="q")
        elif kind == "my":
            await self._handle("/my", user_id, text="/my")
        else:
            event = self._event()
            await self._handle("/ask", user_id, text=f"/ask {event.id}")
            draft = await self._handle("question text", user_id,
                                       text=f"Hur påverkar förslaget kommunerna? "
                                            f"(fråga {next(self.questions)})")
            if sends := [d for d in self._data(draft, "questions:send:")
                         if d.endswith(":anonymous")]:
                await self._handle("ask anonymously", user_id, callback_data=sends[0],
                                   callback_id="q")


def programme_events(programme: Path) -> list[Any]:
    """The festival's meetings, as many as its programme file has (`--quick` writes 400):
    sessions at meetings the file lacks would measure "I can't find a meeting"."""
    meetings = len(re.findall(r"^  - id: ", programme.read_text(encoding="utf-8"), re.MULTILINE))
    return festival_events(meetings, 40)


async def _settled(assistant: Assistant) -> None:
    """Wait for what a start leaves to tasks of its own (the answers' indexes and the
    catalogues read ahead, the programme's index, and the cache file of a programme read
    anew): a bot that runs for days does it once, so it is no update's cost."""
    from plugins.programme import ahead
    started = [assistant._warming, assistant._reading, ahead.building(assistant)]
    if tasks := [task for task in started if task is not None]:
        await asyncio.wait(tasks)


async def run(data: Path, programme: Path, updates: int, users: int,
              profile: Path | None = None, events: list[Any] | None = None,
              warmup: int = WARMUP, store: Any = None,
              counting: Callable[[bool], None] | None = None) -> dict[str, Any]:
    """Warm up, then measure `updates` updates; CPU ms per update in all and per kind
    (`store`: another store than Mingel's on `data`, such as the naive one; `counting`:
    told True just before the measured updates and False just after)."""
    config = Config.from_env({"MINGEL_DATA_DIR": str(data), "MINGEL_PROGRAMME": str(programme),
                              "MINGEL_SEND_RATE": "0", **SETTINGS})
    assistant = Assistant(config, store=store)
    await assistant.start()
    try:
        await _settled(assistant)
        sessions = Sessions(assistant, events or programme_events(programme), users)
        while sum(map(len, sessions.cpu.values())) < warmup:
            await sessions.session()
        sessions.cpu.clear()
        sessions.wall.clear()
        profiler = None
        if profile:
            import cProfile
            profiler = cProfile.Profile()
            profiler.enable()
        if counting:
            counting(True)
        while sum(map(len, sessions.cpu.values())) < updates:
            await sessions.session()
        if counting:
            counting(False)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
    finally:
        await assistant.stop()
    every = [t for times in sessions.cpu.values() for t in times]
    wall = sorted(sessions.wall)
    return {"updates": len(every), "cpu_ms_per_update": round(1000 * sum(every) / len(every), 3),
            "wall_ms_p50_p99_max": [round(1000 * wall[int(q * (len(wall) - 1))], 2)
                                    for q in (0.5, 0.99, 1.0)],
            "by_kind": {k: [len(v), round(1000 * sum(v) / len(v), 3)]
                        for k, v in sorted(sessions.cpu.items())}}


def callgrind(on: bool) -> None:
    """Switch callgrind's instrumentation of this process on or off."""
    try:
        done = subprocess.run(["callgrind_control", "-i", "on" if on else "off",
                               str(os.getpid())], check=False, capture_output=True, text=True,
                              timeout=60)
        said = (done.stdout + done.stderr).strip()
        problem = said if done.returncode or "Error" in said else ""
    except (OSError, subprocess.SubprocessError) as exc:
        problem = str(exc)
    if problem:
        raise SystemExit("--instructions needs valgrind's callgrind_control and this process "
                         f"started under valgrind --tool=callgrind --instr-atstart=no ({problem})")


def main() -> None:
    """Copy the data, run, print."""
    parser = argparse.ArgumentParser(prog="python -m bench.handler", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("programme", type=Path)
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--users", type=int, default=40_000)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the measured part here")
    parser.add_argument("--against", type=Path, help="another checkout to compare with, side by side")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--instructions", action="store_true",
                        help="under callgrind (--instr-atstart=no): count the measured "
                             "updates' instructions only")
    args = parser.parse_args()
    if args.against:
        side_by_side(args.data, args.programme, args.against, args.rounds,
                     ("--updates", str(args.updates), "--users", str(args.users)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(args.data, copy, ignore=shutil.ignore_patterns("mingel.lock"))
        result = asyncio.run(run(copy, args.programme, args.updates, args.users, args.profile,
                                 counting=callgrind if args.instructions else None))
    print(result)


def side_by_side(data: Path, programme: Path, other: Path, rounds: int = 6,
                 extra: tuple[str, ...] = ()) -> list[float]:
    """This checkout and another at the same time, each on its own CPU (both on one when
    there is one; Linux only), with this environment's Python and packages; prints and
    returns this/other's CPU per update, round by round."""
    mine = Path(__file__).resolve().parent.parent
    cpus = sorted(os.sched_getaffinity(0))

    def start(tree: Path, cpu: int) -> subprocess.Popen[str]:
        command = [sys.executable, "-m", "bench.handler", str(data.resolve()),
                   str(programme.resolve()), *extra]
        run = subprocess.Popen(command, cwd=tree, text=True, stdout=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(tree)})
        os.sched_setaffinity(run.pid, {cpu})
        return run

    def result(run: subprocess.Popen[str], tree: Path) -> float:
        out = run.communicate()[0].splitlines()
        if run.returncode or not out:
            for left in runs:
                left.kill()
            raise SystemExit(f"bench.handler failed in {tree} (exit {run.returncode})")
        return float(ast.literal_eval(out[-1])["cpu_ms_per_update"])

    ratios = []
    for round_ in range(rounds):
        first, second = cpus[round_ % 2 % len(cpus)], cpus[(1 - round_ % 2) % len(cpus)]
        runs = start(mine, first), start(other.resolve(), second)
        this, that = result(runs[0], mine), result(runs[1], other)
        ratios.append(this / that)
        print(f"round {round_ + 1}: this {this} ms (CPU {first}), other {that} ms "
              f"(CPU {second}), this/other {this / that:.3f}", flush=True)
    print(f"median this/other {statistics.median(ratios):.3f} over {len(ratios)} rounds")
    return ratios

if __name__ == "__main__":
    main()
