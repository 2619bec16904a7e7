"""The programme's index made ahead, so that the first /search after a start or a reload
does not stop everyone while every meeting's text is folded (a quarter of a second and
more at festival size, docs/programme.md); then the cache file of a programme parsed at
start-up, which only the next start reads (source.save_later).

When a programme is put in use (at start, after a confirmed change), a task per assistant
folds the search texts TEXT_STEP meetings at a time, then works out each meeting's times
and days and makes the lists, giving way between steps (`Context.give_way`: participants
first, as for any long job). A /search or a list that comes first makes whatever is still
missing itself, as before; the task then finds it made. Putting another programme in use
stops the task for the old one, and `stop` (at shutdown) stops it for good, waiting for a
cache file being written, which no cancellation can stop half-way.
"""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from assistant.context import Context
from assistant.model import Programme

from . import source
from .index import TEXT_STEP, index, kept

if TYPE_CHECKING:
    from assistant.core import Assistant

LISTS = ("grouped", "invite_only", "by_day", "by_network")
"""The lists a page asks for, each made at once (a few ms at festival size, once each
meeting's times and days are worked out)."""
_tasks: WeakKeyDictionary[Assistant, asyncio.Task[None]] = WeakKeyDictionary()


def start(ctx: Context) -> None:
    """Make the index of the programme in use ahead, in a task of its own (stopping the
    one for an earlier programme)."""
    assistant = ctx.assistant
    if (earlier := _tasks.pop(assistant, None)) is not None:
        earlier.cancel()
    if (loaded := source.current(assistant)) is None:
        return
    job = assistant.context(ctx.plugin)
    task = asyncio.create_task(_build(job, loaded.programme), name="mingel-programme-index")
    task.add_done_callback(lambda done: _failed(job, done))
    _tasks[assistant] = task


def building(assistant: Assistant) -> asyncio.Task[None] | None:
    """The task making the index ahead, if one was started (done or not)."""
    return _tasks.get(assistant)


async def stop(assistant: Assistant) -> None:
    """Stop the task, if it is still making the index (at shutdown)."""
    if (task := _tasks.pop(assistant, None)) is not None:
        task.cancel()
        await asyncio.wait([task])


def _failed(ctx: Context, task: asyncio.Task[None]) -> None:
    """Log a failure when it happens (a /search would then make the index itself)."""
    if not task.cancelled() and (error := task.exception()) is not None:
        ctx.log.error("making the programme's index ahead failed", exc_info=error)


async def _build(ctx: Context, programme: Programme) -> None:
    """Fold the search texts, then each meeting's times and days, then the lists, giving
    way between steps; stop when another programme is put in use."""
    idx = index(programme)

    async def go_on() -> bool:
        await ctx.give_way()
        return kept(idx) and ctx.programme is programme

    while not idx.fold_texts(TEXT_STEP):
        if not await go_on():
            return
    events = programme.events
    for first in range(0, len(events), TEXT_STEP):
        if not await go_on():
            return
        for event in events[first:first + TEXT_STEP]:
            _ = event.start_utc, event.end_utc, event.days()  # worked out once per meeting
    for name in LISTS:
        if not await go_on():
            return
        getattr(idx, name)
    idx.upcoming_count(ctx.now)
    if await go_on():
        saving = asyncio.ensure_future(
            asyncio.to_thread(source.save_later, ctx.assistant, programme))
        try:
            await asyncio.shield(saving)
        except asyncio.CancelledError:  # a stop waits: a thread still writing outlives it
            await saving
            raise
