"""`Context.give_way`: long jobs hold the event loop for a slice of time, then let others in."""
from __future__ import annotations

import asyncio

from assistant import context as context_module
from assistant.core import Assistant
from assistant.storage import Store


class Clock:
    """perf_counter under the test's control."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_a_job_gives_way_once_it_has_run_its_slice_and_then_saves(monkeypatch) -> None:
    clock = Clock()
    monkeypatch.setattr(context_module.time, "perf_counter", clock)
    assistant = Assistant(plugins=["plugins.basics"], entry_points=False, store=Store(None))
    assistant.store.open()
    assistant.job_slice, assistant.job_pause = 0.005, 0.0
    ctx = assistant.context()
    table = ctx.table("items")
    turns: list[bool] = []
    others: list[int] = []

    async def someone_else() -> None:
        while True:
            others.append(len(turns))
            await asyncio.sleep(0)

    other = asyncio.create_task(someone_else())
    for n in range(8):
        table.insert({"n": n})
        turns.append(await ctx.give_way())
        clock.now += 0.002
    other.cancel()
    assert turns == [False, False, False, True, False, False, True, False]
    assert set(others) == {3, 6}  # only while the job gave way
    assert assistant.store.table("assistant_items").count() == 8


async def test_two_jobs_take_turns_and_neither_waits_for_the_other_to_finish(
        monkeypatch) -> None:
    clock = Clock()
    monkeypatch.setattr(context_module.time, "perf_counter", clock)
    assistant = Assistant(plugins=["plugins.basics"], entry_points=False, store=Store(None))
    assistant.store.open()
    assistant.job_slice, assistant.job_pause = 0.005, 0.0
    order: list[str] = []

    async def job(name: str) -> None:
        ctx = assistant.context()
        for _ in range(6):
            order.append(name)
            clock.now += 0.002
            await ctx.give_way()

    await asyncio.gather(job("a"), job("b"))
    assert order[:3] == ["a", "a", "a"] and "b" in order[3:6] and order.count("a") == 6
    assert len(assistant.turns) <= 2
