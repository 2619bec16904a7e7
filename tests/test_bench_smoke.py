"""The benchmark's code runs at a tiny size: festival data, the naive store, one measured
Mingel run, one kill -9 round and the summary. No timing is asserted here; the figures
come from `make bench` (docs/benchmarks.md)."""
from __future__ import annotations

import asyncio
import gc
import os
import re
import subprocess
from pathlib import Path

import pytest

from assistant.storage import Store
from bench import crash, handler, index_ahead, memory, scale, stalls
from bench.driver import Participants, alone
from bench.festival import festival_events, prefill, programme_yaml
from bench.meter import Meter
from bench.naive import NaiveStore, from_mingel
from bench.report import summary, targets, uniform_spread
from bench.scale import Case, measure, startup
from plugins.programme.loader import parse_programme

EVENTS, NETWORKS, RSVPS, USERS = 30, 4, 200, 60


@pytest.fixture
def festival(tmp_path: Path) -> tuple[Path, Path, list]:
    events = festival_events(EVENTS, NETWORKS)
    programme = tmp_path / "festival.yaml"
    programme.write_text(programme_yaml(EVENTS, NETWORKS, venues=3))
    prefill(tmp_path / "data", events, RSVPS, USERS)
    return programme, tmp_path / "data", events


def test_the_festival_programme_and_answers_are_what_mingel_reads(festival) -> None:
    """Every tenth meeting at a venue requires a health declaration, and everyone with an
    in-person seat there has declared "fine", as the gate made them (nobody else has)."""
    programme, data, events = festival
    parsed = parse_programme(programme.read_text(), str(programme))
    assert len(parsed.events) == EVENTS and len(parsed.networks) == NETWORKS
    assert {e.id for e in parsed.events} == {e.id for e in events}
    required = {e.id for e in parsed.events if e.health_required}
    assert required == {e.id for e in events if e.health}
    assert all(parsed.event(i).venue is not None for i in required)
    assert 0 < len(required) <= EVENTS // 10
    with Store(data) as store:
        answers = store.table("rsvp_answers", indexes=("event",))
        assert len(answers) == RSVPS
        assert len(store.table("assistant_users")) == USERS
        declared = {(d["event"], d["user"]): d["outcome"]
                    for d in store.table("health_outcomes")}
        seated_at_health = set()
        for event in events:
            seated = [d for d in answers.find(event=event.id)
                      if d["answer"] == "in_person" and not d.get("waiting")]
            assert event.capacity is None or len(seated) <= event.capacity
            if event.id in required:
                seated_at_health |= {(event.id, d["user"]) for d in seated}
        assert seated_at_health and declared == dict.fromkeys(seated_at_health, "fine")


def test_the_naive_store_offers_everything_mingel_s_does() -> None:
    """A method the naive store lacks makes its bot fail where Mingel's works (its tick
    failed on `Table.values`), and the baseline measures less work than Mingel does."""
    from assistant.storage import Store, Table
    from bench.naive import NaiveTable

    for ours, theirs in ((Table, NaiveTable), (Store, NaiveStore)):
        public = {name for name in dir(ours) if not name.startswith("_")}
        assert public - set(dir(theirs)) == set(), theirs


def test_the_naive_store_answers_like_mingel_s(festival, tmp_path: Path) -> None:
    _programme, data, events = festival
    from_mingel(data, tmp_path / "naive")
    naive = NaiveStore(tmp_path / "naive")
    naive.open()
    with Store(data) as real:
        for store in (naive, real):
            table = store.table("rsvp_answers", indexes=("event", "user"))
            new = table.insert({"event": events[0].id, "user": 1, "answer": "maybe"})
            table.update(new, {"answer": "no"})
            table.put(new + 1, {"event": events[0].id, "user": 2, "answer": "online"})
            table.remove(new + 1)
            store.set_meta("probe", 3)
            store.commit_sync()
        mine, theirs = real.table("rsvp_answers"), naive.table("rsvp_answers")
        assert mine.find(event=events[0].id) == theirs.find(event=events[0].id)
        assert mine.count() == theirs.count() == RSVPS + 1
        assert naive.get_meta("probe") == real.get_meta("probe") == 3
    naive.close()
    assert (tmp_path / "naive" / "naive.json").stat().st_size > 0


async def test_a_measured_run_and_a_kill_round_complete(festival) -> None:
    programme, data, events = festival
    mine = os.sched_getaffinity(0)
    run = await measure(Case("mingel", data, programme, events, USERS, slots=4, warmup=0.5,
                             seconds=1.0))
    assert run["timeouts"] == 0 and "exit" not in run
    assert os.sched_getaffinity(0) == mine
    if len(mine) > 1:
        bench_cpus, bot_cpus = run["cpus"]["bench"], run["cpus"]["bot"]
        assert run["bot_cpus"] == bot_cpus and not set(bench_cpus) & set(bot_cpus)
        assert set(bench_cpus) | set(bot_cpus) == mine
    else:
        assert run["cpus"] is None and run["bot_cpus"] == sorted(mine)
    assert {"updates_per_s", "p50_ms", "p99_ms", "peak_rss_mb", "startup_s",
            "bot_cpu_ms_per_update", "data_bytes", "alone"} <= run.keys()
    assert run["alone"]["updates"] <= run["updates"]
    assert 0 < run["own_cpu_ms_per_update"] < run["bot_cpu_ms_per_update"]
    assert 0 < run["own_cpu_share"] < 1
    assert 0 < run["journal_cpu_ms_per_update"] < run["own_cpu_ms_per_update"]
    assert run["journal_stalls"]["over_ms"] == 20 and run["journal_stalls"]["count"] >= 0
    young, middle, full = run["gc_cpu_ms_per_update"]
    assert min(young, middle, full) >= 0 and young + middle + full < run["bot_cpu_ms_per_update"]
    [killed] = await crash.run(data, programme, events, USERS, rounds=1, slots=4)
    assert killed["lost"] == 0
    results = {"mingel": run, "mingel_steady": run, "mingel_light": run, "mirror_light": run,
               "crash": [killed],
               "curve": {"100": run, "200": run}, "total_seconds": 1}
    text = summary(results)
    assert "mingel" in text and "kill -9" in text and "bare-mirror, light load" in text
    assert "mingel, steady state" in text
    assert "bare-mirror at a quarter of its throughput" in text
    assert [name for name, _ok, _why in targets(results)][-1].startswith("every acknowledged")


async def test_start_up_also_times_the_first_card_after_the_first_answer(festival) -> None:
    """The first card after a start is the first answer that needs the answers' indexes,
    which /start, the start-up figure, does not: both are measured and reported."""
    programme, data, events = festival
    started = await startup("mingel", data, programme, card=events[0].id)
    assert 0 < started["startup_s"] and 0 < started["first_card_s"] < 60
    [(_name, ok, why)] = [t for t in targets({"startup_warm": started}) if "start-up" in t[0]]
    assert ok is (started["startup_s"] < 2)
    assert f"a meeting's card asked for then took {started['first_card_s']:.2f} s" in why
    assert f"then {started['first_card_s']:.2f} s for the first meeting's card" in summary(
        {"startup_warm": started})


@pytest.mark.parametrize(("key", "env", "row"), [
    ("mingel_morning", {}, "mingel, light, festival morning"),
    ("mingel_morning_paced", {"BENCH_OUTBOX_RATE": "30"}, "mingel, light, morning, outbox paced"),
])
async def test_a_light_run_on_the_festivals_first_morning_completes(festival, key, env,
                                                                   row) -> None:
    """Reminders go out while participants write, the outbox unpaced or paced at Telegram's
    rate with the answers not held to it; the stub knows every participant, so none of the
    bot's messages is refused (they were, and the run measured 400s, not reminders)."""
    programme, data, events = festival
    run = await measure(Case("mingel", data, programme, events, USERS, warmup=0.5,
                             seconds=1.5, rate=10,
                             env={"BENCH_MORNING": "1", **env}))
    assert run["timeouts"] == 0 and "exit" not in run and not run.get("log_errors")
    assert not [call for call in run["api_calls"]  # no 400 "chat not found"
                if " " in call and not call.endswith("(not modified)")]
    text = summary({key: run})
    assert row in text
    assert "p99 ≤ 3× p50 (light load, festival morning" in text


async def test_mingel_on_the_naive_store_answers_every_kind_of_session(festival, tmp_path,
                                                                        caplog) -> None:
    """The baseline must do the work it is compared on, not fail fast."""
    programme, data, events = festival
    from_mingel(data, tmp_path / "naive")
    result = await handler.run(tmp_path / "naive", programme, 40, USERS, events=events,
                               warmup=0, store=NaiveStore(tmp_path / "naive"))
    assert {"/event", "rsvp tap"} <= set(result["by_kind"])
    assert not [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    naive = NaiveStore(tmp_path / "naive")
    naive.open()
    assert len(naive.table("rsvp_answers")) > RSVPS, "taps were stored"
    naive.close()


async def test_the_handler_bench_counts_only_the_measured_updates(festival,
                                                                  monkeypatch) -> None:
    """`--instructions`: counting is switched on after the warm-up and off before the
    assistant stops; without callgrind it says what it needs instead of a traceback."""
    programme, data, events = festival
    seen: list[tuple[bool, int]] = []
    real_session = handler.Sessions.session
    measured = 0

    async def session(self: handler.Sessions) -> None:
        nonlocal measured
        await real_session(self)
        measured = sum(map(len, self.cpu.values()))

    monkeypatch.setattr(handler.Sessions, "session", session)
    result = await handler.run(data, programme, 30, USERS, events=events, warmup=10,
                               counting=lambda on: seen.append((on, measured)))
    assert [on for on, _ in seen] == [True, False]
    assert seen[0][1] >= 10 and seen[1][1] == result["updates"] >= 30
    not_there = subprocess.CompletedProcess([], 0, "Error: Callgrind task with PID/name '1' "
                                                   "not detected.\n", "")
    monkeypatch.setattr(handler.subprocess, "run", lambda *args, **kwargs: not_there)
    with pytest.raises(SystemExit, match="--instr-atstart=no .*not detected"):
        handler.callgrind(True)


async def test_the_handler_bench_runs_every_kind_of_session(festival) -> None:
    programme, data, events = festival
    with Store(data) as store:
        before = {d.doc_id: (d["answer"], d["at"]) for d in store.table("rsvp_answers")}
    result = await handler.run(data, programme, 60, USERS, events=events, warmup=10)
    assert result["updates"] >= 60
    assert {"/event", "rsvp tap", "/my", "/ask", "question text"} <= set(result["by_kind"])
    with Store(data) as store:
        after = {d.doc_id: (d["answer"], d["at"]) for d in store.table("rsvp_answers")}
    assert after != before, "the taps were answered and stored"
    own = result["cpu_ms_per_update"]
    for http, met in ((own * 10, True), (own * 2, False)):
        results = {"handlers": result, "ceiling": {
            "bare-one": {"bot_cpu_ms_per_update": http * 2},
            "bare-mirror": {"bot_cpu_ms_per_update": http}}}
        [(name, ok, why)] = targets(results)
        assert name.startswith("storage and plugins") and ok is met
        assert f"bench.handler {own:.2f} ms" in why and "of bare-one's" in why
        assert "Storage and plugins alone" in summary(results)
    cheap = {"handlers": result, "ceiling": {"bare-mirror": {"bot_cpu_ms_per_update": own * 10}}}
    for share, met in ((0.2, False), (0.15, True)):
        mingel = {"own_cpu_ms_per_update": 0.5, "own_cpu_share": share}
        [(_name, ok, why)] = [t for t in targets({**cheap, "mingel": mingel})
                              if t[0].startswith("storage")]
        assert ok is met, "Mingel's own process decides, when it was measured"
        assert why.startswith(f"in Mingel's process 0.50 CPU ms/update against "
                              f"{0.5 / share - 0.5:.2f}")


HEALTH_KINDS = {"health: fill in", "health: question", "health: rules", "health: in person"}


async def test_the_handler_bench_declares_health_before_a_seat_where_it_is_required(
        festival) -> None:
    """At a meeting that requires a health declaration, "Coming in person" goes through it:
    the declaration's steps are counted as kinds of their own, a "fine" outcome is stored
    and the seat follows (the bench once could not see a costly health card line)."""
    programme, data, events = festival
    health = [e for e in events if e.health]
    assert health, "the festival has meetings that require a health declaration"
    with Store(data) as store:
        before = {(d["event"], d["user"]) for d in store.table("health_outcomes")}
    result = await handler.run(data, programme, 60, USERS, events=health, warmup=0)
    assert HEALTH_KINDS | {"/event (health)", "rsvp tap (health)"} <= set(result["by_kind"])
    assert "/event" not in result["by_kind"], "a health meeting's card is counted on its own"
    with Store(data) as store:
        declared = {(d["event"], d["user"]) for d in store.table("health_outcomes")
                    if d["outcome"] == "fine"} - before
        answers = store.table("rsvp_answers", indexes=("event", "user"))
        assert declared, "declarations were made and stored"
        assert "in_person" in {answers.first(event=event_id, user=user)["answer"]
                               for event_id, user in declared}, "and the seats taken"


async def test_participants_declare_their_health_through_the_bot(festival, monkeypatch) -> None:
    """The driver finds the declaration's buttons on the bot's messages, presses them as a
    person would, and each press counts once its answer is recorded (none times out)."""
    from bench import driver

    programme, data, events = festival
    monkeypatch.setattr(driver, "SESSIONS", (("rsvp", 1),))
    health = [e for e in events if e.health]
    run = await measure(Case("mingel", data, programme, health, USERS, slots=4, warmup=0.5,
                             seconds=3.0))
    assert run["timeouts"] == 0 and "exit" not in run and not run.get("log_errors")
    assert HEALTH_KINDS <= set(run["mix"]), run["mix"]
    assert HEALTH_KINDS <= set(run["p50_p99_ms_by_kind"])
    text = summary({"mingel": run, "total_seconds": 1})
    assert re.search(r"^health: in person +\d", text, re.MULTILINE), text


def test_two_checkouts_are_compared_side_by_side(festival, tmp_path: Path, capsys) -> None:
    """`bench.handler --against`: both versions measured at once, on alternating CPUs, the
    other one from its own directory (here a stand-in that reports 1000 ms an update)."""
    programme, data, _events = festival
    other = tmp_path / "other"
    (other / "bench").mkdir(parents=True)
    (other / "bench" / "__init__.py").write_text("")
    (other / "bench" / "handler.py").write_text("print({'cpu_ms_per_update': 1000.0})\n")
    ratios = handler.side_by_side(data, programme, other, rounds=2,
                                  extra=("--updates", "100", "--users", str(USERS)))
    printed = capsys.readouterr().out.splitlines()
    assert len(ratios) == 2 and all(0 < ratio < 0.1 for ratio in ratios)
    assert [line.split(":")[0] for line in printed[:2]] == ["round 1", "round 2"]
    assert all("other 1000.0 ms" in line for line in printed[:2])
    cpus = [re.findall(r"CPU (\d+)", line) for line in printed[:2]]
    if len(os.sched_getaffinity(0)) > 1:
        assert cpus[0] == cpus[1][::-1] and cpus[0][0] != cpus[0][1]
    assert printed[2].startswith("median this/other")


def test_a_failing_checkout_stops_the_comparison(festival, tmp_path: Path) -> None:
    programme, data, _events = festival
    (tmp_path / "broken" / "bench").mkdir(parents=True)
    (tmp_path / "broken" / "bench" / "__init__.py").write_text("")
    (tmp_path / "broken" / "bench" / "handler.py").write_text("raise SystemExit(3)\n")
    with pytest.raises(SystemExit, match="failed in .*broken"):
        handler.side_by_side(data, programme, tmp_path / "broken", rounds=1,
                             extra=("--updates", "10", "--users", str(USERS)))


def test_the_light_load_line_says_what_the_queue_alone_would_make_of_the_spread() -> None:
    """Random arrivals at a third of the bot's time put p99 near 3× p50 even for a bot whose
    updates all cost the same; time spent outside the bot narrows it; the report gives it
    beside the measured ratio."""
    assert uniform_spread(0.05) < 2 < uniform_spread(0.25) < 3 < uniform_spread(0.34)
    assert uniform_spread(0.34) < uniform_spread(0.44) and uniform_spread(1.0) == float("inf")
    assert 2.9 < uniform_spread(0.34, outside=0.1) < uniform_spread(0.34)
    light = {"p50_ms": 5.5, "p99_ms": 20.8, "bot_cpu_ms_per_update": 4.4, "updates_per_s": 77.1,
             "alone": {"found_idle": {"share": 0.64, "p50_ms": 4.84, "p99_ms": 10.1}}}
    [(_name, ok, why)] = [t for t in targets({"mingel_light": light}) if "light" in t[0]]
    assert ok is False
    assert f"busy 34% of the time as this one was, with as much time outside it: " \
           f"{uniform_spread(77.1 * 4.4 / 1000, 0.1):.1f}×" in why


async def test_the_meter_counts_an_update_only_while_its_coroutine_runs() -> None:
    """Handling that waits lets other updates run: their time is not the waiting one's."""
    clock = [0.0]
    meter = Meter(lambda: clock[0])

    async def handle(cost: float, then: float) -> str:
        clock[0] += cost
        await asyncio.sleep(0)
        clock[0] += then
        return "answered"

    async def other() -> None:
        clock[0] += 100.0

    timed = meter.timed(handle)
    results = await asyncio.gather(timed(1.0, 2.0), other(), timed(4.0, 8.0))
    assert results == ["answered", None, "answered"]
    assert meter.handlers == 15.0
    write = meter.threaded(lambda size: clock.__setitem__(0, clock[0] + size))
    await asyncio.to_thread(write, 0.5)
    assert meter.journal == 0.5

    async def failing() -> None:
        clock[0] += 3.0
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        await meter.timed(failing)()
    assert meter.handlers == 18.0


async def test_the_meter_keeps_the_journal_writes_that_stalled_on_the_disk() -> None:
    """A light-load tail that comes from fsync stalls is told apart from one the code made:
    the appends over SLOW_WRITE on the wall clock are kept, and reported per window."""
    clock, wall = [0.0], [0.0]
    meter = Meter(lambda: clock[0], lambda: wall[0])

    def append(cpu: float, took: float) -> None:
        clock[0] += cpu
        wall[0] += took

    write = meter.threaded(append, stalls=True)
    for took in (0.0004, 0.175, 0.0006, 0.05, 0.019):
        await asyncio.to_thread(write, 0.0001, took)
    meter.threaded(append)(0.0001, 0.3)
    assert meter.stalls == pytest.approx([0.175, 0.05])
    assert meter.journal == pytest.approx(0.0006)
    assert scale.stalls(meter.stalls) == {"over_ms": 20, "count": 2, "longest_ms": 175.0,
                                          "total_ms": 225.0}
    light = {"p50_ms": 3.0, "p99_ms": 13.0, "journal_stalls": scale.stalls(meter.stalls)}
    [(_name, ok, why)] = [t for t in targets({"mingel_light": light}) if "light" in t[0]]
    assert ok is False
    assert "journal appends (lock, write and fsync) over 20 ms: 2, the longest 175 ms" in why


def test_the_meter_sums_the_collector_per_generation() -> None:
    """The cyclic collector's passes are summed by generation, from its own callbacks."""
    clock = [0.0]
    meter = Meter(lambda: clock[0])
    meter.watch_collector()
    try:
        for generation, cost in ((0, 0.25), (1, 2.0), (0, 0.5), (2, 40.0)):
            meter._collected("start", {"generation": generation})
            clock[0] += cost
            meter._collected("stop", {"generation": generation})
        assert meter.collections == [0.75, 2.0, 40.0]
        assert meter._collected in gc.callbacks
    finally:
        gc.callbacks.remove(meter._collected)


async def test_festival_time_jobs_are_measured_and_reported(festival) -> None:
    """bench/stalls.py: reminder ticks, a programme change and a broadcast to everyone."""
    programme, data, _events = festival
    before = sorted(p.name for p in data.iterdir())
    jobs = await stalls.run(data, programme)
    assert list(jobs) == ["reminder tick after a start", "reminder tick 30 s later",
                          "programme upload: preview", "programme upload: Confirm",
                          "tick telling the moved meeting's people", "broadcast to everyone"]
    assert all(job["seconds"] > 0 and job["longest_wait_ms"] > 0 for job in jobs.values())
    assert jobs["broadcast to everyone"]["people"] == USERS + 1
    assert sorted(p.name for p in data.iterdir()) == before, "the festival's data untouched"
    assert "broadcast to everyone" in summary({"stalls": jobs, "total_seconds": 1})


async def test_the_search_index_is_measured_in_one_go_and_made_ahead(festival) -> None:
    """bench/index_ahead.py: folding every text at once, then in a bot, ahead of a search."""
    programme, _data, _events = festival
    assert index_ahead.in_one_go(programme)["meetings"] == EVENTS
    waits = await index_ahead.in_a_bot(programme)
    assert list(waits) == ["made ahead after a start", "first /search"]
    assert all(wait["longest_wait_ms"] > 0 for wait in waits.values())


def test_every_meeting_seen_is_measured_in_a_process_of_its_own(festival) -> None:
    """bench/memory.py: each meeting's card opened and answered in both languages."""
    programme, data, events = festival
    before = sorted(p.name for p in data.iterdir())
    seen = memory.run(data, programme)
    assert seen["meetings"] == len(events)
    assert seen["updates"] == 4 * len(events), "a card and a tap per meeting and language"
    assert seen["rss_all_seen_mb"] > seen["rss_started_mb"] > 20
    assert sorted(p.name for p in data.iterdir()) == before, "the festival's data untouched"
    assert f"{len(events):,} meetings in both languages" in summary(
        {"memory": seen, "total_seconds": 1})


def test_answers_alone_are_those_that_overlapped_no_other_update() -> None:
    """What the bot does by itself, told apart from waiting behind other updates."""
    spans = [(0.000, 0.004), (0.010, 0.030), (0.012, 0.014), (0.040, 0.046), (0.045, 0.050),
             (0.100, 0.112)]
    found = alone(spans)
    assert found["updates"] == 2 and found["share"] == 0.33
    assert (found["p50_ms"], found["p99_ms"]) == (12.0, 12.0)
    idle = found["found_idle"]
    assert idle["updates"] == 4 and (idle["p50_ms"], idle["p99_ms"]) == (12.0, 20.0)
    light = {"p50_ms": 6.0, "p99_ms": 24.0, "alone": {**found, "p50_ms": 4.0}}
    [(name, ok, why)] = targets({"mingel_light": light})
    assert name == "p99 ≤ 3× p50 (light load)" and ok is False
    assert "67% of answers that found the bot idle: p50 12.0 ms, p99 20.0 ms = 1.7×" in why
    assert ("33% of answers that had it to themselves until answered: p50 4.0 ms, p99 12.0 ms "
            "= 3.0×") in why


def test_the_summary_points_at_a_run_whose_bot_logged_errors() -> None:
    failing = {"updates_per_s": 250.0, "log_errors": 40,
               "log_problems": ["2026-11-22 ERROR assistant: unexpected error"] * 20}
    text = summary({"naive": failing, "mingel": {"updates_per_s": 200.0}})
    assert "Errors in the bots' logs" in text and "naive: 40, e.g." in text
    assert "Errors in the bots' logs" not in summary({"mingel": {"updates_per_s": 200.0}})


def test_the_curve_runs_every_size_there_and_back_on_fresh_data(tmp_path: Path,
                                                                monkeypatch) -> None:
    """The machine drifts by a fifth within minutes, so a curve measured once from small to
    large can look steep or flat by chance: each size runs twice, there and back, each time
    on an untouched copy of its data, and the report compares the means."""
    import bench.__main__ as bench_main

    seen: list[int] = []
    costs = iter([2.0, 2.2, 2.6, 2.5, 2.1, 1.8])

    def prefill_(target: Path, _events: object, rsvps: int, _users: int) -> None:
        target.mkdir(parents=True)
        (target / "answers").write_text(str(rsvps))

    async def measure_(case: Case) -> dict[str, object]:
        answers = case.data_dir / "answers"
        seen.append(int(answers.read_text()))  # fails on data an earlier run changed
        answers.write_text("changed by the run")
        return {"bot_cpu_ms_per_update": next(costs), "updates_per_s": 100.0, "p99_ms": 9}

    monkeypatch.setattr(bench_main, "prefill", prefill_)
    monkeypatch.setattr(bench_main, "measure", measure_)
    plan = {**bench_main.QUICK, "curve": (1_000, 10_000, 200_000), "events": 8, "networks": 2}
    run = bench_main.Bench(plan, tmp_path, None, pin=False)
    run.curve()
    assert seen == [1_000, 10_000, 200_000, 200_000, 10_000, 1_000]
    curve = run.results["curve"]
    assert list(curve) == ["1000", "10000", "200000"]
    assert curve["1000"]["bot_cpu_ms_per_update"] == pytest.approx(1.9)
    assert curve["200000"]["bot_cpu_ms_per_update"] == pytest.approx(2.55)
    assert curve["10000"]["runs_cpu_ms_per_update"] == [2.2, 2.1]
    verdict = [t for t in targets(run.results) if t[0].startswith("flat")]
    assert verdict and verdict[0][1] is False, "2.55 against 1.90 is 1.34×"
    failed = bench_main._mean_of([{"bot_cpu_ms_per_update": 2.0, "log_problems": ["x ERROR y"],
                                   "log_errors": 1, "exit": 1},
                                  {"bot_cpu_ms_per_update": None}])
    assert failed.items() >= {"bot_cpu_ms_per_update": None, "log_errors": 1,
                              "exit": 1}.items(), "a failed run is not hidden by the other"


@pytest.mark.parametrize("open_loop", [False, True])
async def test_cpu_is_read_as_the_counted_window_opens_and_closes(open_loop) -> None:
    """CPU per update divides the CPU of the window whose updates are counted: the warm-up's
    first-time work (an empty cache, a group built) is not spread over the window."""
    from assistant.stub import BotApiStub
    participants = Participants(BotApiStub(token="1:x"), festival_events(4, 2), users=2)
    seen: list[tuple[int, bool, int]] = []
    started = finished = 0
    held: list[int] = []

    async def session() -> None:
        nonlocal started, finished
        started += 1
        await asyncio.sleep(0.005)
        finished += 1
        if participants.stats.measuring:
            participants.stats.done += 1

    async def window(opening: bool) -> None:
        if opening:
            before = started
            await asyncio.sleep(0.03)  # the meter answering the bench's signal
            held.append(started - before)
        seen.append((finished, participants.stats.measuring, participants.stats.done))

    participants.session = session  # type: ignore[method-assign]
    if open_loop:
        load = await participants.run_rate(400, 0.05, 0.1, window)
    else:
        load = await participants.run(2, 0.05, 0.1, window)
    (warmed, _, counted_before), (_, measuring, counted) = seen
    assert warmed > 0, "the window opens after the warm-up"
    assert counted_before == 0 and not measuring and counted == load["updates"] > 0
    if open_loop:
        assert held[0] > 0, "sessions keep arriving while the window opens"


async def test_an_open_loop_window_opens_and_closes_without_arrivals() -> None:
    """So sparse that no session starts in the window: it still opens and closes once each
    (the report then has 0 updates, not a crash)."""
    from assistant.stub import BotApiStub
    participants = Participants(BotApiStub(token="1:x"), festival_events(4, 2), users=2)
    calls: list[bool] = []

    async def session() -> None:
        return None

    async def window(opening: bool) -> None:
        calls.append(opening)

    participants.session = session  # type: ignore[method-assign]
    participants.rng.expovariate = lambda _rate: 3600.0  # type: ignore[method-assign]
    load = await participants.run_rate(0.01, 0.05, 0.1, window)
    assert calls == [True, False] and load["updates"] == 0 and 0.1 <= load["seconds"] < 1


def test_the_gloss_needs_the_steady_state_too() -> None:
    """Mingel's own CPU against the rest, right after a start and at steady state: both must
    be at most a fifth, and both are shown."""
    cold = {"own_cpu_ms_per_update": 0.4, "own_cpu_share": 0.16}
    warm = {"own_cpu_ms_per_update": 0.6, "own_cpu_share": 0.24}
    unread = {"updates_per_s": 300.0}  # the meter did not answer
    cheap = {"handlers": {"cpu_ms_per_update": 0.1},
             "ceiling": {"bare-mirror": {"bot_cpu_ms_per_update": 2.0}}}
    for mingel, steady, met in ((cold, cold, True), (cold, warm, False), (warm, cold, False),
                                (cold, unread, False), (unread, warm, False)):
        [(_name, ok, why)] = [t for t in targets({**cheap, "mingel": mingel,
                                                  "mingel_steady": steady}) if "1/5" in t[0]]
        assert ok is met and "at steady state" in why, (mingel, steady, why)
    [(_name, ok, why)] = [t for t in targets({**cheap, "mingel": unread}) if "1/5" in t[0]]
    assert ok is True and "bench.handler" in why, "bench.handler decides only when unmeasured"


def test_memory_is_judged_at_steady_state_too() -> None:
    """Caches fill over the first minutes: the steady run's peak counts as well."""
    for steady, met in ((280.0, True), (310.0, False)):
        [(_name, ok, why)] = [t for t in targets({"mingel": {"peak_rss_mb": 258.0},
                                                  "mingel_steady": {"peak_rss_mb": steady}})
                              if t[0].startswith("RSS")]
        assert ok is met and f"{steady:.0f} MB at steady state" in why


async def test_participants_never_send_faster_than_mingel_s_flood_control(monkeypatch) -> None:
    """Few participants against a fast bot: each waits until it has room for a session, so
    none is refused (Mingel then answers nothing, and the session would hang until its
    timeout; a smoke run with 60 participants measured no update at all)."""
    from assistant.flood import FloodControl
    from assistant.stub import BotApiStub, SentRecord
    from bench import driver

    monkeypatch.setattr(driver, "SESSIONS", (("my", 1),))
    monkeypatch.setattr(driver, "ANSWER_TIMEOUT", 0.3)
    participants = Participants(BotApiStub(token="1:x"), festival_events(4, 2), users=2,
                                flood=FloodControl(rate=40))
    bot_side, refused = FloodControl(rate=40), []
    loop = asyncio.get_running_loop()

    def push(update: dict) -> None:
        chat_id = update["message"]["chat"]["id"]
        if bot_side.allow(chat_id)[0]:
            loop.call_soon(participants._record, SentRecord("sendMessage", chat_id, 1))
        else:
            refused.append(chat_id)

    participants.stub._push = push  # type: ignore[method-assign]
    load = await participants.run(2, 0.0, 0.5)
    assert refused == [] and load["timeouts"] == 0
    assert load["updates"] > 2 * 8, "the participants came back once they had calmed down"
