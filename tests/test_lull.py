"""Participants first: long jobs and the outbox wait while an update is being answered
(`assistant.lull`), but never for longer than `Assistant.job_wait`."""
from __future__ import annotations

import asyncio
import contextlib
import time
import types

import pytest

from assistant import N_, hookimpl
from assistant.lull import WINDOW, Answering, Busy
from assistant.outbox import IN_FLIGHT, IN_FLIGHT_BUSY
from assistant.types import Command, Reply


async def test_a_lull_comes_when_the_last_update_is_answered() -> None:
    answering = Answering()
    assert await answering.lull(0.0), "nothing being answered: no wait at all"
    with answering:
        assert not await answering.lull(0.0)
        began = time.perf_counter()
        assert not await answering.lull(0.05), "the wait is bounded"
        assert time.perf_counter() - began >= 0.04
        waiting = asyncio.create_task(answering.lull(5.0))
        with answering:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
        assert not waiting.done(), "one of two answered: still busy"
    assert await asyncio.wait_for(waiting, 1.0) is True
    assert answering.count == 0
    with answering:
        assert await answering.lull(5.0, own=1), "a job inside its own update: no wait"
        inside = asyncio.create_task(answering.lull(5.0, own=1))
        with answering:
            await asyncio.sleep(0.01)
            assert not inside.done()
        assert await asyncio.wait_for(inside, 1.0) is True, "woken when the other one ends"


async def test_a_job_cancelled_as_its_lull_comes_is_cancelled() -> None:
    """Quitting the terminal chat right after /start cancelled the outbox just as the /start's
    end released its wait: the wait swallowed the cancellation and the chat never quit."""
    answering = Answering()
    with answering:
        waiting = asyncio.create_task(answering.lull(5.0))
        await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(waiting, 1.0)


def waiting_plugin(release: asyncio.Event, entered: asyncio.Event) -> types.ModuleType:
    """/slow: an answer that takes as long as the test says (as a slow Bot API call would)."""
    module = types.ModuleType("slowpoke")
    module.NAME = "slowpoke"

    async def slow(ctx):
        entered.set()
        await release.wait()
        ctx.reply("done")

    module.register_commands = hookimpl(lambda: [Command("slow", slow, N_("Slow"))])
    return module


async def test_a_long_job_and_the_outbox_wait_while_a_participant_is_answered(
        telegram_bot) -> None:
    release, entered = asyncio.Event(), asyncio.Event()
    bot = await telegram_bot(["plugins.basics", waiting_plugin(release, entered)])
    assistant = bot.assistant
    assistant.job_slice, assistant.job_pause, assistant.job_wait = 0.0, 0.0, 10.0
    steps: list[str] = []
    at_gate, go_on = asyncio.Event(), asyncio.Event()

    async def job() -> None:
        ctx = assistant.context()
        for n in range(4):
            steps.append(f"item {n}")
            if n == 1:
                at_gate.set()
                await go_on.wait()
            await ctx.give_way()

    await bot.stub.send_text(40, "/start")
    await bot.stub.wait_sent(40, 1)
    running = asyncio.create_task(job())
    try:
        await asyncio.wait_for(at_gate.wait(), 5)
        await bot.stub.send_text(41, "/slow")
        await asyncio.wait_for(entered.wait(), 5)
        go_on.set()
        assistant.context().send_to(40, lambda target: target.reply("queued for 40"))
        await asyncio.sleep(0.3)
        assert steps == ["item 0", "item 1"], "the job waits for the answer in progress"
        assert not [m for m in bot.stub.sent if "queued for 40" in (m.plain_text or "")], \
            "the outbox starts nothing while an answer is in progress"
        release.set()
        [answer] = await bot.stub.wait_sent(41, 1)
        assert answer.plain_text == "done"
        await asyncio.wait_for(running, 5)
        assert steps == ["item 0", "item 1", "item 2", "item 3"]
        await bot.stub.wait_until(
            lambda: any("queued for 40" in (m.plain_text or "") for m in bot.stub.sent), 5)
    finally:
        release.set()
        go_on.set()
        running.cancel()


async def test_a_job_still_goes_on_while_the_bot_is_never_idle(telegram_bot) -> None:
    release, entered = asyncio.Event(), asyncio.Event()
    bot = await telegram_bot(["plugins.basics", waiting_plugin(release, entered)])
    assistant = bot.assistant
    assistant.job_slice, assistant.job_pause, assistant.job_wait = 0.0, 0.0, 0.05
    await bot.stub.send_text(42, "/slow")
    await asyncio.wait_for(entered.wait(), 5)
    ctx = assistant.context()

    async def job() -> int:
        for _ in range(5):
            await ctx.give_way()
        return 5

    try:
        assert await asyncio.wait_for(job(), 2) == 5, "each turn waits at most job_wait"
    finally:
        release.set()
    await bot.stub.wait_sent(42, 1)


def queuing_plugin() -> types.ModuleType:
    """/queue: a handler that queues a lot itself, as a broadcast sent by a tap does."""
    module = types.ModuleType("queuer")
    module.NAME = "queuer"

    async def queue(ctx):
        for n in range(20):
            ctx.send_to(50, lambda target, n=n: target.reply(f"item {n}"), key=f"item:{n}")
            await asyncio.sleep(0.01)
            await ctx.give_way()
        ctx.reply("queued")

    module.register_commands = hookimpl(lambda: [Command("queue", queue, N_("Queue"))])
    return module


async def test_a_job_run_by_an_update_does_not_wait_for_that_update(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics", queuing_plugin()])
    bot.assistant.job_slice, bot.assistant.job_pause, bot.assistant.job_wait = 0.0, 0.0, 10.0
    await bot.stub.send_text(50, "/start")
    await bot.stub.wait_sent(50, 1)
    began = time.perf_counter()
    [done] = await bot.say(51, "/queue", timeout=5)
    assert done.plain_text == "queued"
    assert time.perf_counter() - began < 3, "20 turns, none of them waiting 10 s for itself"


async def test_a_second_tap_waiting_behind_a_job_does_not_hold_the_job_up(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics", queuing_plugin()])
    bot.assistant.job_slice, bot.assistant.job_pause, bot.assistant.job_wait = 0.0, 0.0, 10.0
    began = time.perf_counter()
    await bot.stub.send_text(52, "/queue")
    await bot.stub.send_text(52, "/help")
    first, second = await bot.stub.wait_sent(52, 2, timeout=8)
    assert first.plain_text == "queued" and "/language" in second.plain_text
    assert time.perf_counter() - began < 3, "the /help waiting for the chat is not answered yet"


def test_busy_is_the_share_of_the_time_the_thread_ran() -> None:
    """Read over stretches of at least `WINDOW`: a reading sooner keeps the last share."""
    now = {"wall": 100.0, "cpu": 7.0}
    busy = Busy(clock=lambda: now["wall"], cpu=lambda: now["cpu"])
    assert busy.share() == 0.0, "nothing measured yet"
    now["wall"] += 0.010
    now["cpu"] += 0.009
    assert busy.share() == pytest.approx(0.9)
    now["wall"] += WINDOW / 2
    assert busy.share() == pytest.approx(0.9), "too short a stretch to judge"
    now["wall"] += 0.020
    now["cpu"] += 0.001
    assert busy.share() == pytest.approx(0.001 / (0.020 + WINDOW / 2))


class Gated:
    """A transport whose sends wait until the test lets them go; counts them in flight."""

    def __init__(self) -> None:
        self.going = asyncio.Event()
        self.now = self.most = self.sent = 0

    async def send(self, chat_id: int, reply: object) -> None:
        self.now += 1
        self.most = max(self.most, self.now)
        try:
            await self.going.wait()
        finally:
            self.now -= 1
        self.sent += 1


@pytest.mark.parametrize(("share", "most"), [(0.0, IN_FLIGHT), (0.9, IN_FLIGHT_BUSY)])
async def test_the_outbox_keeps_fewer_sends_going_while_the_loop_is_busy(
        mingel_chat, share: float, most: int) -> None:
    """Eight sends at once to a Bot API that answers at once put eight sends' steps between
    each step of an answer; while the loop's thread is mostly running, two go at a time,
    and everything is still sent."""
    chat = await mingel_chat(["plugins.basics"])
    outbox = chat.assistant.outbox
    outbox.busy = types.SimpleNamespace(share=lambda: share)
    for user in range(500, 520):
        outbox.enqueue(user, [Reply(f"reminder for {user}")])
    await chat.assistant.store.commit()
    transport = Gated()
    sender = asyncio.create_task(outbox.run(transport))
    try:
        for _ in range(100):
            await asyncio.sleep(0.01)
            if transport.now >= most:
                break
        await asyncio.sleep(0.05)
        assert transport.most == most
        transport.going.set()
        for _ in range(200):
            if transport.sent == 20:
                break
            await asyncio.sleep(0.01)
        assert transport.sent == 20 and transport.most == most
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender


async def test_a_busy_loop_keeps_the_sends_the_paced_rate_needs_over_the_round_trip(
        mingel_chat) -> None:
    """Against Telegram's round trip the sends mostly wait, so a busy loop keeps as many as
    30 a second need (100 ms: four); against a Bot API that answers at once, two; and
    unpaced, two."""
    chat = await mingel_chat(["plugins.basics"], env={"MINGEL_SEND_RATE": "30"})
    outbox = chat.assistant.outbox
    share = {"now": 0.9}
    outbox.busy = types.SimpleNamespace(share=lambda: share["now"])
    rooms = {}
    for trip in (0.0, 0.002, 0.1, 0.3):
        outbox.trip = trip
        rooms[trip] = outbox._room()
    assert rooms == {0.0: IN_FLIGHT_BUSY, 0.002: IN_FLIGHT_BUSY, 0.1: 4, 0.3: IN_FLIGHT}
    share["now"] = 0.2
    assert outbox._room() == IN_FLIGHT, "time to spare: all of them"
    share["now"] = 0.9
    outbox.pacer.rate = 0
    assert outbox._room() == IN_FLIGHT_BUSY


async def test_the_round_trip_is_measured_from_the_sends(mingel_chat) -> None:
    chat = await mingel_chat(["plugins.basics"])
    outbox = chat.assistant.outbox

    class Slow:
        async def send(self, chat_id: int, reply: object) -> None:
            await asyncio.sleep(0.03)

    for user in (600, 601, 602):
        outbox.enqueue(user, [Reply("hej")])
    await chat.assistant.store.commit()
    assert outbox.trip == 0.0
    await outbox.drain(Slow())
    assert 0.025 <= outbox.trip < 1.0
