"""`python -m bench` (`make bench`): Mingel at festival size against the Bot API stub.

Steps (docs/benchmarks.md explains each figure and how to reproduce it):
  festival  generate the programme and prefill the store (4,000 meetings, 40,000 people,
            200,000 answers); start-up without and with the programme cache
  ceiling   bare python-telegram-bot bots: one message per update (PTB defaults), and the
            same Bot API calls as Mingel (bare-mirror), measured before and after Mingel
  mingel    Mingel at festival size: updates/s, latency, memory, data size, its own code's
            CPU inside its process (bench/meter.py); then latency
            at a quarter of that throughput (sessions arriving at random, open loop), the
            same on the festival's first morning (reminders due, BENCH_MORNING=1), once
            with the outbox unpaced and once paced at 30 a second (BENCH_OUTBOX_RATE), and
            the mirror bot's at a quarter of its own, for reference; then storage and
            plugins alone (bench/handler.py: the same sessions, no Telegram)
  naive     the same workload on plain TinyDB (JSONStorage rewrite per commit)
  curve     cost per update at 1k, 10k, 50k and 200k answers
  crash     `mingel run` killed with SIGKILL during a burst; acknowledged answers checked
  stalls    festival-time jobs (reminder ticks, a programme change, a broadcast to everyone):
            how long each holds the event loop up (bench/stalls.py)
  memory    RSS once every meeting's card was opened and answered in both languages, as
            over a festival day (bench/memory.py)
  outbox    bench/outbox_bench.py, when present (its own figures)

    python -m bench [--quick] [--only STEP,STEP] [--work DIR] [--json FILE] [--profile DIR]
                    [--shared-cpus]

With two CPUs or more, the stub and the participants keep to one half of them and each bot
to the other (`--shared-cpus` to measure without).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import crash, handler, memory, stalls
from .festival import data_size, festival_events, prefill, programme_yaml
from .naive import from_mingel
from .report import summary
from .scale import Case, compile_bytecode, cpu_split, measure, startup

STEPS = ("festival", "ceiling", "mingel", "naive", "curve", "crash", "stalls", "memory",
         "outbox")
FULL: dict[str, Any] = {
    "events": 4000, "networks": 40, "rsvps": 200_000, "users": 40_000, "slots": 64,
    "warmup": 5.0, "seconds": 30.0, "ceiling_seconds": 20.0, "naive_count": 40,
    "naive_budget": 120.0, "curve": (1_000, 10_000, 50_000, 200_000), "curve_seconds": 15.0,
    "crash_rounds": 3, "handler_updates": 3000, "steady_warmup": 90.0}
QUICK: dict[str, Any] = {
    "events": 400, "networks": 20, "rsvps": 20_000, "users": 4_000, "slots": 32,
    "warmup": 1.0, "seconds": 4.0, "ceiling_seconds": 3.0, "naive_count": 6,
    "naive_budget": 10.0, "curve": (1_000, 20_000), "curve_seconds": 3.0,
    "crash_rounds": 1, "handler_updates": 300, "steady_warmup": 2.0}


def log(message: str) -> None:
    """Progress on stderr; the summary goes to stdout."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    """Every step, sharing one work directory and one results dict."""

    def __init__(self, plan: dict[str, Any], work: Path, profile: Path | None,
                 pin: bool = True) -> None:
        self.plan, self.work, self.profile, self.pin = plan, work, profile, pin
        self.events = festival_events(plan["events"], plan["networks"])
        self.programme = work / "festival.yaml"
        self.base = work / "festival"
        self.results: dict[str, Any] = {"plan": {k: v for k, v in plan.items()}}

    def case(self, kind: str, data_dir: Path, **kwargs: Any) -> Case:
        """A run against this festival's programme."""
        plan = self.plan
        profile = self.profile / f"{kind}-{len(self.results)}.txt" if self.profile else None
        return Case(kind, data_dir, self.programme, self.events, plan["users"], **{
            "slots": plan["slots"], "warmup": plan["warmup"], "profile": profile,
            "seconds": plan["seconds"], "pin": self.pin, **kwargs})

    def festival(self) -> None:
        """Programme file, prefilled store, and start-up cold (parsing) and warm (cached)."""
        plan = self.plan
        if not self.base.exists():
            began = time.perf_counter()
            self.programme.write_text(programme_yaml(plan["events"], plan["networks"]))
            prefill(self.base, self.events, plan["rsvps"], plan["users"])
            shutil.copytree(self.base, self.work / "naive-source")
            log(f"prefilled {plan['rsvps']} answers in {time.perf_counter() - began:.1f}s")
        self.results["festival"] = {"programme_bytes": self.programme.stat().st_size,
                                    "data_bytes": data_size(self.base), **{
                                        k: plan[k] for k in ("events", "users", "rsvps")}}
        for cached in self.base.glob("programme*.cache"):
            cached.unlink()
        self.results["cpus"] = cpu_split(self.pin)
        for label in ("startup_cold", "startup_warm"):
            self.results[label] = asyncio.run(startup("mingel", self.base, self.programme,
                                                      self.pin, card=self.events[0].id))

    def ceiling(self, label: str = "ceiling") -> None:
        """The bare bots."""
        seconds = self.plan["ceiling_seconds"]
        self.results.setdefault(label, {})
        for kind in ("bare-one", "bare-mirror"):
            log(f"{label}: {kind}")
            self.results[label][kind] = asyncio.run(measure(self.case(
                kind, self.work / "bare", seconds=seconds)))

    def mingel(self) -> None:
        """Mingel at festival size, between two measurements of the mirror bot."""
        log("mingel at festival size")
        self.results["mingel"] = asyncio.run(measure(self.case("mingel", self.base)))
        warmup = self.plan["steady_warmup"]
        log(f"mingel at steady state ({warmup:.0f} s of warm-up first, on a copy of the data)")
        steady = self.work / "steady"
        shutil.rmtree(steady, ignore_errors=True)
        shutil.copytree(self.base, steady, ignore=shutil.ignore_patterns("mingel.lock"))
        self.results["mingel_steady"] = asyncio.run(measure(self.case(
            "mingel", steady, warmup=warmup)))
        shutil.rmtree(steady, ignore_errors=True)
        rate = round(self.results["mingel"]["updates_per_s"] / 4, 1)
        log(f"mingel at a quarter of its throughput ({rate} updates/s, open loop)")
        self.results["mingel_light"] = asyncio.run(measure(self.case(
            "mingel", self.base, rate=rate)))
        log("ceiling again (bare-mirror)")
        self.results["ceiling_after"] = asyncio.run(measure(self.case(
            "bare-mirror", self.work / "bare", seconds=self.plan["ceiling_seconds"])))
        mirror = round(self.results["ceiling_after"]["updates_per_s"] / 4, 1)
        log(f"bare-mirror at a quarter of its throughput ({mirror} updates/s, open loop)")
        self.results["mirror_light"] = asyncio.run(measure(self.case(
            "bare-mirror", self.work / "bare", rate=mirror)))
        log(f"mingel on the festival's first morning ({rate} updates/s, reminders going out)")
        morning = self.work / "morning"
        shutil.rmtree(morning, ignore_errors=True)
        shutil.copytree(self.base, morning, ignore=shutil.ignore_patterns("mingel.lock"))
        self.results["mingel_morning"] = asyncio.run(measure(self.case(
            "mingel", morning, rate=rate, env={"BENCH_MORNING": "1"})))
        log("the same with the outbox paced at Telegram's 30 messages a second")
        shutil.rmtree(morning, ignore_errors=True)
        shutil.copytree(self.base, morning, ignore=shutil.ignore_patterns("mingel.lock"))
        self.results["mingel_morning_paced"] = asyncio.run(measure(self.case(
            "mingel", morning, rate=rate, env={"BENCH_MORNING": "1", "BENCH_OUTBOX_RATE": "30"})))
        shutil.rmtree(morning, ignore_errors=True)
        log("storage and plugins alone (bench.handler, no Telegram)")
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "data"
            shutil.copytree(self.base, copy, ignore=shutil.ignore_patterns("mingel.lock"))
            updates = self.plan["handler_updates"]
            self.results["handlers"] = asyncio.run(handler.run(
                copy, self.programme, updates, self.plan["users"], events=self.events,
                warmup=updates // 10))

    def naive(self) -> None:
        """Plain TinyDB: a fixed number of updates or a time budget."""
        target = self.work / "naive"
        if not target.exists():
            from_mingel(self.work / "naive-source", target)
        log(f"naive TinyDB baseline ({self.plan['naive_count']} updates or "
            f"{self.plan['naive_budget']:.0f}s)")
        self.results["naive"] = asyncio.run(measure(self.case(
            "naive", target, count=self.plan["naive_count"], budget=self.plan["naive_budget"],
            slots=8)))

    def curve(self) -> None:
        """Cost per update as the number of answers grows (same programme): each size twice,
        smallest to largest and back, each run on a fresh copy of its data, so that the
        machine's drift during the curve (a fifth within minutes) falls on both ends alike."""
        caches = list(self.base.glob("programme*.cache"))
        sizes = self.plan["curve"]
        runs: dict[int, list[dict[str, Any]]] = {}
        fresh = self.work / "curve-run"
        for rsvps in [*sizes, *reversed(sizes)]:
            target = self.work / f"curve-{rsvps}"
            if not target.exists():
                prefill(target, self.events, rsvps, max(200, rsvps // 5))
            for cache in caches:
                shutil.copy(cache, target / cache.name)
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.copytree(target, fresh, ignore=shutil.ignore_patterns("mingel.lock"))
            log(f"curve: {rsvps} answers ({len(runs.get(rsvps, [])) + 1} of 2)")
            runs.setdefault(rsvps, []).append(asyncio.run(measure(self.case(
                "mingel", fresh, seconds=self.plan["curve_seconds"]))))
            self.results["curve"] = {str(size): _mean_of(both) for size, both in runs.items()}
        shutil.rmtree(fresh, ignore_errors=True)

    def crash(self) -> None:
        """kill -9 during a burst, at festival size."""
        target = self.work / "crash"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(self.base, target)
        log(f"crash: {self.plan['crash_rounds']} kill -9 rounds")
        self.results["crash"] = asyncio.run(crash.run(
            target, self.programme, self.events, self.plan["users"], self.plan["crash_rounds"]))

    def stalls(self) -> None:
        """Festival-time jobs (reminders, a programme change, a broadcast to everyone): how
        long each holds the event loop up."""
        log("festival-time jobs: how long each holds everyone up")
        self.results["stalls"] = asyncio.run(stalls.run(self.base, self.programme))

    def memory(self) -> None:
        """RSS after every meeting was seen in both languages (each per-meeting cache full)."""
        log("memory: every meeting's card and an answer, in both languages")
        self.results["memory"] = memory.run(self.base, self.programme)

    def outbox(self, quick: bool) -> None:
        """The outbox benchmark another engineer owns, when it exists."""
        script = Path(__file__).with_name("outbox_bench.py")
        if not script.exists():
            return
        log("outbox benchmark (bench/outbox_bench.py)")
        argv = [sys.executable, "-m", "bench.outbox_bench"]
        if quick and "--quick" in script.read_text():
            argv.append("--quick")
        done = subprocess.run(argv, cwd=Path(__file__).resolve().parent.parent,
                              capture_output=True, text=True, timeout=900, check=False)
        self.results["outbox"] = {"exit": done.returncode, "output": done.stdout[-4000:]}
        if done.returncode:
            self.results["outbox"]["stderr"] = done.stderr[-2000:]


MEANS = ("updates_per_s", "p50_ms", "p99_ms", "bot_cpu_ms_per_update", "own_cpu_ms_per_update")


def _mean_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One size's runs as one: the mean of the figures the curve compares (None unless every
    run has it, so a failed run is not hidden behind the other), the peak RSS and store
    size at their largest, every run's log problems, and each run's CPU ms per update under
    `runs_cpu_ms_per_update`."""
    mean = dict(runs[-1])
    for key in MEANS:
        values = [run.get(key) for run in runs]
        mean[key] = (None if None in values
                     else round(sum(values) / len(values), 3))  # type: ignore[arg-type]
    for key in ("peak_rss_mb", "rss_mb", "data_bytes"):
        mean[key] = max((run[key] for run in runs if run.get(key) is not None), default=None)
    if (cpu := mean["bot_cpu_ms_per_update"]) and (own := mean["own_cpu_ms_per_update"]):
        mean["own_cpu_share"] = round(own / cpu, 3)
    problems = [line for run in runs for line in run.get("log_problems", [])]
    if problems:
        mean["log_problems"] = problems[-20:]
        mean["log_errors"] = sum(run.get("log_errors", 0) for run in runs)
    exits = [run["exit"] for run in runs if "exit" in run]
    if exits:
        mean["exit"] = exits[0]
    mean["runs_cpu_ms_per_update"] = [run.get("bot_cpu_ms_per_update") for run in runs]
    return mean


def main(argv: list[str] | None = None) -> int:
    """Run the steps and print the summary."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small run (under 2 minutes)")
    parser.add_argument("--only", help=f"comma-separated steps out of {', '.join(STEPS)}")
    parser.add_argument("--work", type=Path, help="work directory (kept; default: a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", type=Path, help="py-spy each measured run into this dir")
    parser.add_argument("--shared-cpus", action="store_true",
                        help="let the bots share CPUs with the stub (the kernel's choice)")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    steps = args.only.split(",") if args.only else list(STEPS)
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    work = args.work or Path(tempfile.mkdtemp(prefix="mingel-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    bench = Bench(plan, work, args.profile, pin=not args.shared_cpus)
    began = time.perf_counter()
    compile_bytecode()
    try:
        bench.festival()
        for step in steps:
            if step == "ceiling":
                bench.ceiling()
            elif step == "outbox":
                bench.outbox(args.quick)
            elif step != "festival":
                getattr(bench, step)()
            (work / "results.json").write_text(json.dumps(bench.results, indent=1, default=str))
    finally:
        bench.results["total_seconds"] = round(time.perf_counter() - began, 1)
        text = json.dumps(bench.results, indent=1, default=str)
        (work / "results.json").write_text(text)
        if args.json:
            args.json.write_text(text)
        if not args.work:
            for path in work.iterdir():
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
    print(summary(bench.results))
    log(f"results: {work / 'results.json'} ({bench.results['total_seconds']}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
