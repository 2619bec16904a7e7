"""One bot process for the benchmark: Mingel (its own storage or the naive one) or a bare PTB bot.

    python -m bench.bot mingel|naive|bare-one|bare-mirror

Reads the same environment as `mingel run` (TELEGRAM_BOT_TOKEN, TELEGRAM_API_URL,
MINGEL_DATA_DIR, MINGEL_PROGRAMME, MINGEL_SEND_RATE), BENCH_MORNING=1 to run on the
festival's first morning and BENCH_OUTBOX_RATE=30 to pace the outbox alone at Telegram's
rate (answers to participants not held to it). Prints one line
`BENCH {"start_seconds": …}` once Assistant.start() has returned, then long-polls until
SIGTERM; Mingel also prints `BENCH {"meter": n, "handler_cpu_s": …, "journal_cpu_s": …,
"gc_cpu_s": […]}` on SIGUSR1 (bench/meter.py: its own code's CPU, measured in the process,
and the cyclic collector's per generation). `bare-one` answers every update with one sendMessage and stores nothing (PTB's defaults);
`bare-mirror` makes the same Bot API calls as Mingel (a button press: answerCallbackQuery
and editMessageText; a message: one sendMessage with buttons) the way Mingel's adapter
makes them (its HTTP client and connection pool, its number of updates at once, its
plain-JSON calls), so the only difference left is Mingel's storage and plugins.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

BARE_KEYBOARD = [[("In person", "b:a:1"), ("Online", "b:a:2")],
                 [("Maybe", "b:a:3"), ("Can't come", "b:a:4")]]
BARE_TEXT = ("<b>Seminar on the labour market</b>\nMon 28 Jun 2027 09:30–11:00\n📍 Scen 1, "
             "Strandgatan 1, Visby\nYour answer: Coming in person · 12 of 40 seats left")


def report(**values: Any) -> None:
    """One line the bench reads from stdout (with the CPUs this process may use)."""
    print("BENCH " + json.dumps({**values, "cpus": sorted(os.sched_getaffinity(0))}), flush=True)


def _morning_clock() -> Any:
    """With BENCH_MORNING=1: the real clock, moved once the programme is read to three hours
    before the festival's first meeting, so that reminders fall due as on its first morning."""
    from assistant.clock import Clock

    class Morning(Clock):
        offset = timedelta(0)

        def now(self) -> datetime:
            return super().now() + self.offset

    return Morning() if os.environ.get("BENCH_MORNING") == "1" else None


def _outbox_pacer() -> Any:
    """With BENCH_OUTBOX_RATE: the outbox paced as Telegram would take it, while answers to
    participants go at once. Mingel's own pacer counts those answers too (Telegram limits
    them as well), and the bench's 50 updates a second need more than 30 messages a second,
    so with it the answers themselves would queue; the stub has no limits to enforce."""
    rate = os.environ.get("BENCH_OUTBOX_RATE")
    if not rate:
        return None
    from assistant.pacing import Pacer

    class OutboxOnly(Pacer):
        def __init__(self, rate: float) -> None:
            super().__init__(rate)
            self._answers: set[asyncio.Task[Any] | None] = set()

        async def acquire(self, chat_id: int, urgent: bool = False) -> None:
            if urgent:
                self._answers.add(asyncio.current_task())
                return
            await super().acquire(chat_id)

        def release(self, chat_id: int) -> None:
            task = asyncio.current_task()
            if task in self._answers:
                self._answers.discard(task)
                return
            super().release(chat_id)

    return OutboxOnly(float(rate))


def run_mingel(naive: bool) -> None:
    """`mingel run` (its logging too), with Assistant.start() timed (and the naive store when
    asked)."""
    from assistant.adapters.telegram import TelegramAdapter
    from assistant.config import Config
    from assistant.core import Assistant
    from assistant.logs import setup_logging
    from assistant.storefiles import StoreFiles
    from bench.meter import Meter

    config = Config.from_env()
    setup_logging(config.token)
    store = None
    if naive:
        from bench.naive import NaiveStore
        store = NaiveStore(config.data_dir)
    clock = _morning_clock()
    assistant = Assistant(config, store=store, clock=clock)
    if (pacer := _outbox_pacer()) is not None:
        assistant.outbox.pacer = pacer
    start = assistant.start
    meter = Meter()
    meter.watch_collector()
    assistant.handle = meter.timed(assistant.handle)  # type: ignore[method-assign]
    if isinstance(store := assistant.store, StoreFiles):
        store._append = meter.threaded(store._append,  # type: ignore[method-assign]
                                       stalls=True)
        journal, write = store._journal, store._journal.write
        journal.write = lambda data, done: write(  # type: ignore[method-assign]
            data, meter.threaded(done))
    readings = itertools.count(1)

    def read_meter() -> None:
        report(meter=next(readings), handler_cpu_s=meter.handlers, journal_cpu_s=meter.journal,
               gc_cpu_s=meter.collections, journal_stalls_s=meter.stalls)

    async def timed_start() -> None:
        began = time.perf_counter()
        await start()
        if clock is not None and (programme := assistant.hooks.programme()) is not None:
            clock.offset = min(e.start for e in programme.events) - timedelta(hours=3) \
                - datetime.now(UTC)
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, read_meter)
        report(start_seconds=time.perf_counter() - began)

    assistant.start = timed_start  # type: ignore[method-assign]
    TelegramAdapter(assistant, config.token, config.api_url).run()


def run_bare(mirror: bool) -> None:
    """A bare python-telegram-bot Application: one handler, nothing stored (PTB's defaults;
    the mirror uses Mingel's connection pool so that only storage and plugins differ)."""
    from telegram import Update
    from telegram.constants import ParseMode
    from telegram.ext import (
        ApplicationBuilder,
        CallbackQueryHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

    api = os.environ["TELEGRAM_API_URL"]
    from assistant.adapters import telegram as adapter
    from assistant.adapters.request import BotRequest
    from assistant.types import Button

    keyboard = adapter.markup([[Button(t, d) for t, d in row] for row in BARE_KEYBOARD])
    edits = itertools.count(1)

    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not mirror:
            await context.bot.send_message(update.effective_chat.id, BARE_TEXT,
                                           parse_mode=ParseMode.HTML)
            return
        await adapter.call(context.bot, "sendMessage", chat_id=update.effective_chat.id,
                           text=BARE_TEXT, parse_mode=ParseMode.HTML, reply_markup=keyboard)

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if not mirror:
            await context.bot.send_message(query.message.chat.id, BARE_TEXT,
                                           parse_mode=ParseMode.HTML)
            return
        await query.answer("Saved")
        await adapter.call(context.bot, "editMessageText", chat_id=query.message.chat.id,
                           message_id=query.message.message_id, parse_mode=ParseMode.HTML,
                           text=f"{BARE_TEXT} ({next(edits)})", reply_markup=keyboard)

    async def ready(_app: Any) -> None:
        report(start_seconds=0.0)

    builder = (ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
               .base_url(f"{api}/bot").base_file_url(f"{api}/file/bot")
               .concurrent_updates(256).post_init(ready))
    if mirror:
        builder = (builder.concurrent_updates(adapter.UPDATES_AT_ONCE)
                   .request(BotRequest(adapter.CONNECTIONS, 15.0))
                   .get_updates_request(BotRequest(1, 20.0)))
    app = builder.build()
    app.add_handler(MessageHandler(filters.ALL, on_message))
    app.add_handler(CallbackQueryHandler(on_button))
    app.run_polling(allowed_updates=["message", "callback_query"], timeout=10, poll_interval=0.0)


def main() -> None:
    """Keep to the CPUs the bench gave (before any thread starts), dispatch on the kind."""
    if cpus := os.environ.get("BENCH_BOT_CPUS"):
        os.sched_setaffinity(0, {int(cpu) for cpu in cpus.split(",")})
    kind = sys.argv[1] if len(sys.argv) > 1 else "mingel"
    if kind in ("mingel", "naive"):
        run_mingel(kind == "naive")
    elif kind in ("bare-one", "bare-mirror"):
        run_bare(kind == "bare-mirror")
    else:
        raise SystemExit(f"unknown bot kind {kind!r}")


if __name__ == "__main__":
    main()
