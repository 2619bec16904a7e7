"""The benchmark's summary: the figures as tables, ratios from the same run, and the targets."""
from __future__ import annotations

import math
import random
from typing import Any

FLAT = 1.25
"""Cost per update counts as flat when the largest size costs at most this much more."""


def _num(value: Any, digits: int = 1) -> str:
    if isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
        return f"{value:,.{digits}f}"
    return "–"


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                     for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table, first column left-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join([_row(header, widths), _row(["-" * w for w in widths], widths),
                      *(_row(r, widths) for r in rows)])


def _run_row(name: str, run: dict[str, Any]) -> list[str]:
    return [name, _num(run.get("updates_per_s")), _num(run.get("p50_ms"), 0),
            _num(run.get("p99_ms"), 0), _num(run.get("bot_cpu_ms_per_update"), 2),
            _num(run.get("api_calls_per_update"), 2), _num(run.get("peak_rss_mb"), 0),
            _num(run.get("startup_s"), 2), str(run.get("updates", "–"))]


def uniform_spread(utilisation: float, outside: float = 0.0, answers: int = 200_000) -> float:
    """p99/p50 of the latency of an idealised bot whose every update costs the same, busy
    this share of the time, with updates arriving at random moments (an M/D/1 queue,
    simulated) and `outside` (in units of an update's cost) spent on every answer beyond
    the bot: a point of comparison for the light-load ratio, not a floor (sessions that
    chain their updates arrive less at random)."""
    if utilisation >= 1:
        return math.inf
    rng = random.Random(9)
    arrived = free = 0.0
    latencies = []
    for _ in range(answers):
        arrived += rng.expovariate(utilisation)
        free = max(arrived, free) + 1.0
        latencies.append(outside + free - arrived)
    latencies.sort()
    return latencies[int(0.99 * (answers - 1))] / latencies[answers // 2]


def _ceiling(results: dict[str, Any]) -> float | None:
    """The mirror bot's throughput: the mean of its runs before and after Mingel's."""
    runs = [results.get("ceiling", {}).get("bare-mirror"), results.get("ceiling_after")]
    values = [r["updates_per_s"] for r in runs if r and r.get("updates_per_s")]
    return sum(values) / len(values) if values else None


def _gloss(results: dict[str, Any], mingel: dict[str, Any]
           ) -> list[tuple[str, bool | None, str]]:
    """Storage and plugins against what the HTTP costs: in Mingel's own process (its own
    code's CPU against the rest of it, bench/meter.py) just after a start and at steady
    state, both at most a fifth when measured, with `bench.handler` against the bare bots'
    CPU per update beside it (the verdict only when the process was not measured)."""
    parts, ratios = [], []
    steady = results.get("mingel_steady") or {}
    for label, run in (("in Mingel's process", mingel), ("at steady state", steady)):
        if not run:
            continue
        share = run.get("own_cpu_share")
        if share is None or not 0 < share < 1:
            ratios.append(None)
            parts.append(f"{label}: not measured")
            continue
        own = run["own_cpu_ms_per_update"]
        rest = own / share - own
        ratios.append(own / rest)
        parts.append(f"{label} {own:.2f} CPU ms/update against {rest:.2f} for PTB, the "
                     f"adapter and HTTP = {own / rest:.0%}")
    alone = (results.get("handlers") or {}).get("cpu_ms_per_update")
    mirror_cpu = [r["bot_cpu_ms_per_update"] for r in (
        results.get("ceiling", {}).get("bare-mirror"), results.get("ceiling_after"))
        if r and r.get("bot_cpu_ms_per_update")]
    one = results.get("ceiling", {}).get("bare-one", {}).get("bot_cpu_ms_per_update")
    if alone and mirror_cpu:
        http = sum(mirror_cpu) / len(mirror_cpu)
        parts.append(f"bench.handler {alone:.2f} ms = {alone / http:.0%} of bare-mirror's "
                     f"{http:.2f} ms" + (f", {alone / one:.0%} of bare-one's {one:.2f} ms"
                                         if one else ""))
    if not parts:
        return []
    if any(ratio is not None for ratio in ratios):
        met: bool = all(ratio is not None and ratio <= 1 / 5 for ratio in ratios)
    else:
        met = bool(alone and mirror_cpu and alone <= sum(mirror_cpu) / len(mirror_cpu) / 5)
    return [("storage and plugins ≤ 1/5 of the HTTP cost", met, "; ".join(parts))]


def targets(results: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """(target, met?, the figures behind it); None when the step did not run."""
    out: list[tuple[str, bool | None, str]] = []
    mingel = results.get("mingel") or {}
    ups = mingel.get("updates_per_s")
    ceiling = _ceiling(results)
    if ups and ceiling:
        one = results.get("ceiling", {}).get("bare-one", {}).get("updates_per_s")
        extra = f"; {ups / one:.0%} of bare-one" if one else ""
        out.append(("≥ 80% of the transport ceiling", ups >= 0.8 * ceiling,
                    f"{ups:.1f} vs {ceiling:.1f} updates/s = {ups / ceiling:.0%} of bare-mirror"
                    + extra))
    out.extend(_gloss(results, mingel))
    naive = (results.get("naive") or {}).get("updates_per_s")
    if ups and naive:
        out.append(("≥ 50× the naive baseline", ups >= 50 * naive,
                    f"{ups:.1f} vs {naive:.2f} updates/s = {ups / naive:.0f}×"))
    for run, label in ((mingel, "saturated"), (results.get("mingel_light") or {}, "light load"),
                       (results.get("mingel_morning") or {}, "light load, festival morning"),
                       (results.get("mingel_morning_paced") or {},
                        "light load, festival morning, outbox paced")):
        if run.get("p50_ms"):
            ratio = run["p99_ms"] / run["p50_ms"]
            why = f"p50 {run['p50_ms']:.0f} ms, p99 {run['p99_ms']:.0f} ms = {ratio:.1f}×"
            mirror = results.get("mirror_light") or {}
            if label == "light load" and mirror.get("p50_ms"):
                why += (f" (bare-mirror at a quarter of its throughput: "
                        f"{mirror['p99_ms'] / mirror['p50_ms']:.1f}×)")
            cost = run.get("bot_cpu_ms_per_update")
            if label == "light load" and cost and run.get("updates_per_s"):
                busy = run["updates_per_s"] * cost / 1000
                idle = ((run.get("alone") or {}).get("found_idle") or {}).get("p50_ms", cost)
                outside = max(0.0, idle - cost) / cost
                why += (f"; a bot whose every update cost the same, busy {busy:.0%} of the "
                        f"time as this one was, with as much time outside it: "
                        f"{uniform_spread(busy, outside):.1f}×")
            lone = run.get("alone") or {}
            for part, what in ((lone.get("found_idle") or {}, "found the bot idle"),
                               (lone, "had it to themselves until answered")):
                if label == "light load" and part.get("p50_ms"):
                    why += (f"; the {part['share']:.0%} of answers that {what}: p50 "
                            f"{part['p50_ms']:.1f} ms, p99 {part['p99_ms']:.1f} ms = "
                            f"{part['p99_ms'] / part['p50_ms']:.1f}×")
            if label != "saturated" and (stall := run.get("journal_stalls")):
                why += (f"; journal appends (lock, write and fsync) over {stall['over_ms']} ms: "
                        f"{stall['count']}" + (f", the longest {stall['longest_ms']:.0f} ms"
                                               if stall["count"] else ""))
            out.append((f"p99 ≤ 3× p50 ({label})", ratio <= 3, why))
    if mingel.get("peak_rss_mb"):
        peak, why = mingel["peak_rss_mb"], f"peak {mingel['peak_rss_mb']:.0f} MB"
        if steady := (results.get("mingel_steady") or {}).get("peak_rss_mb"):
            peak, why = max(peak, steady), f"{why}, {steady:.0f} MB at steady state"
        mornings = [run["peak_rss_mb"] for key in ("mingel_morning", "mingel_morning_paced")
                    if (run := results.get(key)) and run.get("peak_rss_mb")]
        if mornings:
            peak, why = max(peak, *mornings), f"{why}, {max(mornings):.0f} MB on the festival morning"
        out.append(("RSS < 300 MB", peak < 300, why))
    warm, cold = results.get("startup_warm"), results.get("startup_cold")
    if warm:
        why = (f"process start to first answer {warm['startup_s']:.2f} s "
               f"(Assistant.start() {warm['assistant_start_s']:.2f} s)")
        if "first_card_s" in warm:
            why += f"; a meeting's card asked for then took {warm['first_card_s']:.2f} s"
        if cold:
            why += f"; first start with a new programme file {cold['startup_s']:.2f} s"
        out.append(("start-up < 2 s", warm["startup_s"] < 2, why))
    curve = results.get("curve") or {}
    costs = [(int(k), v.get("bot_cpu_ms_per_update")) for k, v in curve.items()]
    costs = [(k, c) for k, c in costs if c]
    if len(costs) > 1:
        low, high = costs[0][1], costs[-1][1]
        why = (f"{low:.2f} ms at {costs[0][0]:,} answers, {high:.2f} ms at {costs[-1][0]:,}"
               f" = {high / low:.2f}×")
        out.append((f"flat cost per update (≤ {FLAT:.2f}× from smallest to largest)",
                    high <= FLAT * low, why))
    rounds = results.get("crash")
    if rounds:
        lost = sum(r["lost"] for r in rounds)
        acked = sum(r["acknowledged"] for r in rounds)
        out.append(("every acknowledged write survives kill -9", lost == 0,
                    f"{acked} acknowledged answers in {len(rounds)} kills, {lost} lost"))
    return out


def by_kind(results: dict[str, Any]) -> str | None:
    """Each kind of update in a row of its own: how many there were and their latency under
    light load (where an answer waits least behind others; saturated when that run is
    missing), and their CPU in bench.handler, so that one step growing costlier (a card
    line at the meetings that require a health declaration, one of the declaration's
    steps) shows even where the mix as a whole hardly moves."""
    light = results.get("mingel_light")
    run = light or results.get("mingel") or {}
    latency, mix = run.get("p50_p99_ms_by_kind") or {}, run.get("mix") or {}
    cpu = (results.get("handlers") or {}).get("by_kind") or {}
    kinds = sorted(set(latency) | set(cpu))
    if not kinds:
        return None
    none = ["–", "–"]
    rows = [[kind, _num(mix.get(kind), 0), *(_num(v) for v in latency.get(kind, none)),
             _num((cpu.get(kind) or none)[0], 0), _num((cpu.get(kind) or none)[1], 2)]
            for kind in kinds]
    return (f"By kind of update (Mingel, {'light load' if light else 'saturated'}; "
            f"bench.handler):\n" + table(
                ["kind", "updates", "p50 ms", "p99 ms", "handler updates", "handler CPU ms"],
                rows))


def summary(results: dict[str, Any]) -> str:
    """Everything a reader needs, as text."""
    parts = []
    fest = results.get("festival")
    if fest:
        parts.append(f"Festival: {fest['events']:,} meetings, {fest['users']:,} people, "
                     f"{fest['rsvps']:,} answers; programme {fest['programme_bytes']:,} bytes, "
                     f"store {fest['data_bytes']:,} bytes")
    if "cpus" in results:
        cpus = results["cpus"]
        parts.append("CPUs: " + (f"stub and participants on {cpus[0]}, each bot on {cpus[1]}"
                                 if cpus else "shared (one CPU, or --shared-cpus)"))
    header = ["run", "updates/s", "p50 ms", "p99 ms", "CPU ms/update", "API calls/update",
              "peak RSS MB", "start-up s", "updates"]
    rows = []
    for kind, run in (results.get("ceiling") or {}).items():
        rows.append(_run_row(kind, run))
    if results.get("mingel"):
        rows.append(_run_row("mingel", results["mingel"]))
    if results.get("mingel_steady"):
        rows.append(_run_row("mingel, steady state", results["mingel_steady"]))
    if results.get("mingel_light"):
        rows.append(_run_row("mingel, light load", results["mingel_light"]))
    if results.get("mingel_morning"):
        rows.append(_run_row("mingel, light, festival morning", results["mingel_morning"]))
    if results.get("mingel_morning_paced"):
        rows.append(_run_row("mingel, light, morning, outbox paced",
                             results["mingel_morning_paced"]))
    if results.get("ceiling_after"):
        rows.append(_run_row("bare-mirror (after)", results["ceiling_after"]))
    if results.get("mirror_light"):
        rows.append(_run_row("bare-mirror, light load", results["mirror_light"]))
    if results.get("naive"):
        rows.append(_run_row("naive TinyDB", results["naive"]))
    if rows:
        parts.append(table(header, rows))
    own = results.get("handlers")
    if own:
        parts.append(f"Storage and plugins alone (bench.handler, {own['updates']} updates, no "
                     f"Telegram): {own['cpu_ms_per_update']:.2f} CPU ms/update; by kind: "
                     + ", ".join(f"{k} {v[1]:.2f}" for k, v in own["by_kind"].items()))
    if kinds := by_kind(results):
        parts.append(kinds)
    curve = results.get("curve")
    if curve:
        parts.append("Cost per update by size (Mingel, same programme; each size run there "
                     "and back: the mean of the two, RSS and store at their largest):\n" + table(
            ["answers", "updates/s", "p50 ms", "p99 ms", "CPU ms/update", "there, back",
             "peak RSS MB", "store bytes"],
            [[f"{int(k):,}", _num(v.get("updates_per_s")), _num(v.get("p50_ms"), 0),
              _num(v.get("p99_ms"), 0), _num(v.get("bot_cpu_ms_per_update"), 2),
              ", ".join(_num(c, 2) for c in v.get("runs_cpu_ms_per_update") or []),
              _num(v.get("peak_rss_mb"), 0), f"{v.get('data_bytes', 0):,}"]
             for k, v in curve.items()]))
    if stalled := results.get("stalls"):
        parts.append("Festival-time jobs, the event loop held up (bench/stalls.py):\n" + table(
            ["job", "seconds", "longest wait ms"],
            [[job, _num(v.get("seconds"), 2), _num(v.get("longest_wait_ms"), 0)]
             for job, v in stalled.items()]))
    if seen := results.get("memory"):
        parts.append(f"Every meeting seen (bench/memory.py): {seen['meetings']:,} meetings in "
                     f"both languages, {seen['updates']:,} updates; RSS {seen['rss_started_mb']} "
                     f"MB after the start, {seen['rss_all_seen_mb']} MB after "
                     f"(+{seen['growth_mb']} MB)")
    for key, name in (("startup_cold", "cold"), ("startup_warm", "warm")):
        if results.get(key):
            s = results[key]
            parts.append(f"Start-up ({name}): {s['startup_s']:.2f} s to the first answer, "
                         f"Assistant.start() {s['assistant_start_s']:.2f} s, RSS {s['rss_mb']} MB"
                         + (f", then {s['first_card_s']:.2f} s for the first meeting's card"
                            if "first_card_s" in s else ""))
    if results.get("crash"):
        parts.append("kill -9 rounds: " + "; ".join(
            f"{r['acknowledged']} acknowledged, {r['lost']} lost, reopened in {r['reopen_s']} s"
            for r in results["crash"]))
    if results.get("outbox"):
        parts.append("Outbox benchmark:\n" + results["outbox"]["output"].rstrip())
    runs = [*(results.get("ceiling") or {}).items(), *((k, results.get(k)) for k in (
        "mingel", "mingel_steady", "mingel_light", "mingel_morning", "ceiling_after",
        "mirror_light", "naive"))]
    if errors := [(name, run.get("log_errors", len(lines)), lines) for name, run in runs
                  if run and (lines := [p for p in run.get("log_problems", ()) if " ERROR " in p])]:
        parts.append("Errors in the bots' logs (a run whose updates failed measured nothing; "
                     "see results.json):\n" + "\n".join(
                         f"  {name}: {count}, e.g. {lines[0][:160]}"
                         for name, count, lines in errors))
    checks = targets(results)
    if checks:
        parts.append("Targets:\n" + "\n".join(
            f"  [{'met' if ok else 'NOT met' if ok is False else '?'}] {name}: {why}"
            for name, ok, why in checks))
    parts.append(f"Total time: {results.get('total_seconds', '?')} s")
    return "\n\n".join(parts)
