"""Run one bot against the stub under load and measure it: throughput, latency, memory, start-up.

The stub and the simulated participants run in this process; the bot runs in a child
process (`python -m bench.bot KIND`), as `mingel run` would, so its memory and CPU are
its own. Start-up is measured from spawning the process to the first answer (to a
/start pushed before the process exists), and separately as Assistant.start()'s own
duration, which the child reports.
"""
from __future__ import annotations

import asyncio
import compileall
import contextlib
import gc
import json
import os
import resource
import signal
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.stub import BotApiStub

from .driver import Participants
from .festival import SETTINGS, USER_BASE, FestivalEvent, data_size
from .meter import SLOW_WRITE

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456789:AAEbenchTOKENbenchTOKENbenchTOKEN12"
PROBE_USER = USER_BASE - 1
TICKS = os.sysconf("SC_CLK_TCK")
BOT_CPUS = "BENCH_BOT_CPUS"
"""The CPUs the bot process keeps to (bench/bot.py reads it first thing)."""


@dataclass
class Case:
    """One measured run."""

    kind: str                       # mingel | naive | bare-one | bare-mirror
    data_dir: Path
    programme: Path
    events: list[FestivalEvent]
    users: int
    slots: int = 64
    warmup: float = 3.0
    seconds: float = 15.0
    count: int | None = None        # naive: stop after this many updates…
    budget: float = 60.0            # …or this many seconds
    rate: float | None = None       # open loop: this many updates a second
    profile: Path | None = None     # py-spy output (raw stacks) for the measured window
    pin: bool = True                # the bot and this process on separate CPUs
    env: dict[str, str] = field(default_factory=dict)  # more for the bot's environment


def compile_bytecode() -> None:
    """Compile the bots' own modules ahead, as installing a package does (pip writes .pyc
    files) and as a first run does where Python may write them: under
    PYTHONDONTWRITEBYTECODE (set on the machines these figures come from) an editable
    checkout is compiled again on every start, 0.15 s of a festival bot's start-up."""
    for package in ("assistant", "plugins", "bench", "examples"):
        if not compileall.compile_dir(ROOT / package, quiet=1):
            raise RuntimeError(f"{package}: some modules do not compile (above)")


def _proc(pid: int) -> dict[str, float]:
    """RSS now and at peak (MB) and CPU seconds used so far by a process."""
    status = Path(f"/proc/{pid}/status").read_text()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return {"rss_mb": int(fields["VmRSS"].split()[0]) / 1024,
            "peak_rss_mb": int(fields["VmHWM"].split()[0]) / 1024,
            "cpu_s": (int(stat[11]) + int(stat[12])) / TICKS}


def cpu_split(pin: bool = True) -> tuple[list[int], list[int]] | None:
    """Separate CPUs for this process (the stub and the participants) and for the bot; None
    with a single CPU or when not asked. Sharing CPUs, each call the bot makes wakes the
    stub, which Linux then runs on the bot's CPU in its place: writes that take 40 µs of the
    bot's CPU took 1–2.5 ms (docs/benchmarks.md, Set-up)."""
    if not pin or not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None
    return cpus[:len(cpus) // 2], cpus[len(cpus) // 2:]


def _set_cpus(cpus: Iterable[int]) -> None:
    """Every thread of this process onto these CPUs (a thread's affinity is its own)."""
    wanted = set(cpus)
    for tid in os.listdir("/proc/self/task"):
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(int(tid), wanted)


@contextlib.contextmanager
def separate_cpus(pin: bool, env: dict[str, str]) -> Iterator[dict[str, list[int]] | None]:
    """This process on its CPUs for a run, and the bot told its own (through `env`)."""
    split = cpu_split(pin)
    if split is None:
        yield None
        return
    before = os.sched_getaffinity(0)
    _set_cpus(split[0])
    env[BOT_CPUS] = ",".join(map(str, split[1]))
    try:
        yield {"bench": split[0], "bot": split[1]}
    finally:
        _set_cpus(before)


FULL_COLLECTIONS_AFTER = 1_000_000
"""Young collections before a full one while a run is measured: never, in practice."""


@contextlib.contextmanager
def _setup_frozen() -> Iterator[None]:
    """The stub's and the participants' set-up (the festival's meetings, the bot's messages)
    kept out of this process's own full collections while a run is measured: they took
    16–37 ms, and every answer due meanwhile was recorded that much late, whichever bot.
    With nothing left to count against, a full collection still came after every ten
    young ones and walked what the run had made so far (14–18 ms on a festival morning),
    so none comes until the run is over; the young generations are still collected.
    Everything frozen is released after, so no store may be open here meanwhile (none is)."""
    thresholds = gc.get_threshold()
    try:
        gc.collect()
        gc.freeze()
        gc.set_threshold(thresholds[0], thresholds[1], FULL_COLLECTIONS_AFTER)
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _lines(stream: asyncio.StreamReader, into: dict[str, Any], log: list[str]) -> None:
    """Collect the child's BENCH lines and keep the rest of its output for errors."""
    while line := await stream.readline():
        text = line.decode(errors="replace").rstrip()
        if text.startswith("BENCH "):
            into.update(json.loads(text[6:]))
        else:
            log.append(text)
            del log[:-200]


def bot_env(stub: BotApiStub, data_dir: Path, programme: Path) -> dict[str, str]:
    """The child's environment: the stub, the data, no pacing, the festival's settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MINGEL_", "TELEGRAM_")) and k != BOT_CPUS}
    return {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": stub.url,
            "MINGEL_DATA_DIR": str(data_dir), "MINGEL_PROGRAMME": str(programme),
            "MINGEL_SEND_RATE": "0", "MINGEL_ORGANISERS": "1", "PYTHONPATH": str(ROOT),
            **SETTINGS}


async def spawn(kind: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    """Start a bot process."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.bot", kind, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def profiler(pid: int, seconds: float, out: Path) -> asyncio.subprocess.Process:
    """py-spy sampling the running bot for the measured window (start-up left out)."""
    spy = Path(sys.executable).with_name("py-spy")
    return await asyncio.create_subprocess_exec(
        str(spy), "record", "--pid", str(pid), "--duration", str(max(1, int(seconds))),
        "--rate", "200", "--format", "raw", "--nonblocking", "-o", str(out),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


OWN_CPU = ("handler_cpu_s", "journal_cpu_s")


def stalls(seconds: list[float]) -> dict[str, Any]:
    """The journal appends of a window that took longer than `meter.SLOW_WRITE`: how many,
    the longest, and their time in all."""
    return {"over_ms": round(SLOW_WRITE * 1000), "count": len(seconds),
            "longest_ms": round(max(seconds, default=0.0) * 1000, 1),
            "total_ms": round(sum(seconds) * 1000, 1)}


async def read_meter(pid: int, reported: dict[str, Any], timeout: float = 5.0
                     ) -> dict[str, Any] | None:
    """Mingel's own CPU so far and the journal's stalls, as the bot reports them on SIGUSR1
    (bench/meter.py); None if it does not answer."""
    asked = reported.get("meter", 0)
    os.kill(pid, signal.SIGUSR1)
    waited = 0.0
    while reported.get("meter", 0) == asked:
        if waited >= timeout:
            return None
        await asyncio.sleep(0.01)
        waited += 0.01
    return {key: reported[key] for key in (*OWN_CPU, "gc_cpu_s", "journal_stalls_s")}


async def first_answer(stub: BotApiStub, participants: Participants, timeout: float) -> float:
    """Seconds until the probe's /start is answered."""
    future: asyncio.Future = asyncio.get_running_loop().create_future()
    participants._waiting[PROBE_USER] = (lambda r: r.method == "sendMessage", future)
    participants.user(PROBE_USER)
    participants.push_text(PROBE_USER, "/start")
    began = time.perf_counter()
    await asyncio.wait_for(future, timeout)
    participants._waiting.pop(PROBE_USER, None)
    return time.perf_counter() - began


async def stop(process: asyncio.subprocess.Process, pid: int | None = None,
               timeout: float = 60.0) -> None:
    """SIGTERM (PTB stops polling, Mingel flushes and closes storage), then SIGKILL."""
    if process.returncode is not None:
        return
    try:
        os.kill(pid or process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()


async def measure(case: Case) -> dict[str, Any]:
    """Start the stub and the bot, wait for its first answer, load it, stop it (after
    writing out what earlier steps left in the page cache, so its writeback is not
    measured)."""
    os.sync()
    stub = BotApiStub(token=TOKEN)
    await stub.start()
    participants = Participants(stub, case.events, case.users)
    env = {**bot_env(stub, case.data_dir, case.programme), **case.env}
    with separate_cpus(case.pin, env) as cpus:
        return await _measure(case, stub, participants, env, cpus)


async def _measure(case: Case, stub: BotApiStub, participants: Participants,
                   env: dict[str, str], cpus: dict[str, list[int]] | None) -> dict[str, Any]:
    reported: dict[str, Any] = {}
    log: list[str] = []
    spawned = time.perf_counter()
    process = await spawn(case.kind, env)
    reader = asyncio.create_task(_lines(process.stdout, reported, log))
    result: dict[str, Any] = {"kind": case.kind, "cpus": cpus}
    pid = None
    try:
        startup_budget = 600.0
        waited = asyncio.create_task(first_answer(stub, participants, startup_budget))
        done, _ = await asyncio.wait({waited, asyncio.create_task(process.wait())},
                                     return_when=asyncio.FIRST_COMPLETED)
        if waited not in done:
            raise RuntimeError(f"{case.kind} bot exited during start-up:\n" + "\n".join(log[-30:]))
        result["startup_s"] = round(time.perf_counter() - spawned, 2)
        result["assistant_start_s"] = round(reported.get("start_seconds", float("nan")), 2)
        result["bot_cpus"] = reported.get("cpus")
        pid = process.pid
        marks: list[tuple[dict[str, float], float, dict[str, Any] | None]] = []

        async def mark(opening: bool) -> None:
            """The bot's CPU, this process's and Mingel's own code's: read so that the
            meter's window holds the CPU's and the CPU's holds nothing outside the counted
            one (the meter answers a signal, which takes a while)."""
            meter = None
            if opening and case.kind == "mingel":
                meter = await read_meter(pid, reported)
            proc, stub_cpu = _proc(pid), _self_cpu()
            if not opening and case.kind == "mingel":
                meter = await read_meter(pid, reported)
            marks.append((proc, stub_cpu, meter))

        with _setup_frozen():
            spy = None
            if case.profile is not None:
                spy = await profiler(pid, case.warmup + case.seconds if case.count is None
                                     else case.budget, case.profile)
            if case.count is not None:
                await mark(True)
                load = await participants.run_count(case.slots, case.count, case.budget)
                await mark(False)
            elif case.rate is not None:
                load = await participants.run_rate(case.rate, case.warmup, case.seconds, mark)
            else:
                load = await participants.run(case.slots, case.warmup, case.seconds, mark)
            final = _proc(pid)
        if spy is not None:
            await spy.wait()
        result.update(load)
        result["rss_mb"] = round(final["rss_mb"], 1)
        result["peak_rss_mb"] = round(final["peak_rss_mb"], 1)
        (before, stub_before, meter_before), (after, stub_after, meter_after) = marks
        cpu = after["cpu_s"] - before["cpu_s"]
        span = load["seconds"]
        result["bot_cpu_pct"] = round(100 * cpu / span, 1) if span else 0.0
        result["stub_cpu_pct"] = round(100 * (stub_after - stub_before) / span, 1) if span else 0.0
        if load["updates"]:
            per_update = 1000 / load["updates"]
            result["bot_cpu_ms_per_update"] = round(cpu * per_update, 3)
            if meter_before and meter_after:
                spent = {k: meter_after[k] - meter_before[k] for k in OWN_CPU}
                own = sum(spent.values())
                result["own_cpu_ms_per_update"] = round(own * per_update, 3)
                result["journal_cpu_ms_per_update"] = round(spent["journal_cpu_s"] * per_update, 3)
                result["own_cpu_share"] = round(own / cpu, 3) if cpu else None
                result["gc_cpu_ms_per_update"] = [
                    round((a - b) * per_update, 3)
                    for a, b in zip(meter_after["gc_cpu_s"], meter_before["gc_cpu_s"], strict=True)]
                result["journal_stalls"] = stalls(
                    meter_after["journal_stalls_s"][len(meter_before["journal_stalls_s"]):])
    finally:
        await stop(process, pid)
        reader.cancel()
        await stub.stop()
    result["data_bytes"] = data_size(case.data_dir) if case.kind == "mingel" else sum(
        p.stat().st_size for p in case.data_dir.glob("*.json"))
    if process.returncode not in (0, -signal.SIGINT, -signal.SIGTERM):
        result["exit"] = process.returncode
        result["log_tail"] = log[-20:]
    if problems := [line for line in log if "ERROR" in line or "WARNING" in line]:
        result["log_problems"] = problems[-20:]
        result["log_errors"] = sum(" ERROR " in line for line in problems)
    return result


async def startup(kind: str, data_dir: Path, programme: Path, pin: bool = True,
                  card: str | None = None) -> dict[str, Any]:
    """Only start the bot: seconds to its first answer, Assistant.start(), memory; with
    `card`, also how long a participant then waits for that meeting's card, the first
    answer that needs the answers' indexes."""
    stub = BotApiStub(token=TOKEN)
    await stub.start()
    env = bot_env(stub, data_dir, programme)
    with separate_cpus(pin, env):
        return await _startup(kind, stub, env, card)


async def _startup(kind: str, stub: BotApiStub, env: dict[str, str],
                   card: str | None) -> dict[str, Any]:
    participants = Participants(stub, [], 1)
    reported: dict[str, Any] = {}
    log: list[str] = []
    spawned = time.perf_counter()
    process = await spawn(kind, env)
    reader = asyncio.create_task(_lines(process.stdout, reported, log))
    try:
        waited = asyncio.create_task(first_answer(stub, participants, 600))
        done, _ = await asyncio.wait({waited, asyncio.create_task(process.wait())},
                                     return_when=asyncio.FIRST_COMPLETED)
        if waited not in done:
            raise RuntimeError(f"{kind} bot exited during start-up:\n" + "\n".join(log[-30:]))
        result = {"startup_s": round(time.perf_counter() - spawned, 2),
                  "assistant_start_s": round(reported.get("start_seconds", float("nan")), 2),
                  "rss_mb": round(_proc(process.pid)["rss_mb"], 1)}
        if card is not None:
            began = time.perf_counter()
            if await participants.say(USER_BASE + 1, f"/event {card}", "first card") is None:
                raise RuntimeError(f"{kind} bot did not answer /event {card} after starting")
            result["first_card_s"] = round(time.perf_counter() - began, 4)
    finally:
        await stop(process)
        reader.cancel()
        await stub.stop()
    return result
