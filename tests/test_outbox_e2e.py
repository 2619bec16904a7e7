"""The outbox end to end: the real PTB bot against the Bot API stub (429, 403, flood limits,
a slow chat, interactive replies during a broadcast, a restart)."""
from __future__ import annotations

from collections import Counter

from assistant.clock import FakeClock
from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN, running_bot
from assistant.types import Reply


def texts(bot, chat_id: int) -> list[str]:
    return [r.plain_text for r in bot.stub.messages_to(chat_id)]


async def queue(bot, chat_id: int, *lines: str, key: str | None = None) -> bool:
    bot.stub.add_user(chat_id)
    ok = bot.assistant.outbox.enqueue(chat_id, [Reply(line) for line in lines], key=key)
    await bot.assistant.store.commit()
    return ok


async def test_a_429_is_obeyed_and_the_message_goes_once(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    bot.stub.fail_next(1, 429, methods=["sendMessage"])
    await queue(bot, 70, "after the flood")
    await bot.stub.wait_until(lambda: texts(bot, 70) == ["after the flood"])
    assert [c.status for c in bot.stub.calls("sendMessage")] == [429, 200]
    assert bot.assistant.outbox.stats["retry_after"] == 1


async def test_a_blocked_user_is_dropped_and_welcomed_back_after_start(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    bot.stub.add_user(71)
    bot.stub.block(71)
    await queue(bot, 71, "you blocked me")
    await bot.stub.wait_until(lambda: not bot.assistant.users.reachable(71))
    assert await queue(bot, 71, "not queued while unreachable") is False
    [item, *_] = bot.assistant.outbox.table.find(chat=71)
    assert item["state"] == "dropped" and item["error"] == "unreachable"
    [hello] = await bot.say(71, "/start", language_code="en")
    assert hello.plain_text.startswith("Hi")
    assert bot.assistant.users.reachable(71)
    assert await queue(bot, 71, "welcome back") is True
    await bot.stub.wait_until(lambda: texts(bot, 71)[-1:] == ["welcome back"])


async def test_flood_limits_are_respected_overall_and_per_chat(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"], env={"MINGEL_SEND_RATE": "30"})
    bot.stub.set_flood_limits(True)
    users = range(100, 115)
    for n in range(3):
        for user in users:
            await queue(bot, user, f"message {n}")
    await bot.stub.wait_until(lambda: all(len(texts(bot, u)) == 3 for u in users), timeout=15)
    assert bot.stub.flood_errors == 0
    assert all(texts(bot, u) == ["message 0", "message 1", "message 2"] for u in users)


async def test_an_answer_is_not_stuck_behind_a_long_broadcast(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"], env={"MINGEL_SEND_RATE": "30"})
    bot.stub.set_flood_limits(True)
    for user in range(200, 260):
        await queue(bot, user, "news for everyone")
    await bot.stub.wait_until(lambda: len(bot.stub.sent) > 10)
    [reply] = await bot.say(72, "/help", language_code="en")
    assert "/language" in reply.plain_text
    delivered = sum(1 for r in bot.stub.sent if r.chat_id in range(200, 260))
    assert delivered < 60
    await bot.stub.wait_until(lambda: all(texts(bot, u) for u in range(200, 260)), timeout=15)
    assert bot.stub.flood_errors == 0


async def test_a_slow_chat_does_not_hold_up_the_others(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    bot.stub.delay_next(1, 2.0, methods=["sendMessage"])
    await queue(bot, 80, "slow")
    await bot.stub.wait_until(lambda: len(bot.stub.requests) and
                              bot.assistant.outbox._busy.get(80) is not None)
    for user in range(81, 86):
        await queue(bot, user, "fast")
    await bot.stub.wait_until(lambda: all(texts(bot, u) == ["fast"] for u in range(81, 86)))
    assert texts(bot, 80) == []
    await bot.stub.wait_until(lambda: texts(bot, 80) == ["slow"])


async def test_after_a_restart_unsent_items_go_out_once(tmp_path) -> None:
    clock = FakeClock("2027-08-01T08:00:00+00:00")
    async with BotApiStub(token=TOKEN) as stub:
        async with running_bot(tmp_path, ["plugins.basics"], clock=clock, stub=stub) as bot:
            await queue(bot, 90, "sent before the restart", key="t:1:90")
            await stub.wait_until(lambda: texts(bot, 90) == ["sent before the restart"])
            stub.go_offline()
            await queue(bot, 91, "queued while Telegram was down", key="t:1:91")
            await stub.wait_until(lambda: bot.assistant.outbox.table.first(key="t:1:91")
                                  ["attempts"] >= 1)
        stub.go_online()
        clock.advance(minutes=1)
        async with running_bot(tmp_path, ["plugins.basics"], clock=clock, stub=stub) as bot:
            await stub.wait_until(lambda: texts(bot, 91) == ["queued while Telegram was down"])
            assert await queue(bot, 91, "again", key="t:1:91") is False
        sends = Counter(r.chat_id for r in stub.sent if r.method == "sendMessage")
        assert sends[90] == 1 and sends[91] == 1


async def test_a_message_that_never_went_out_leaves_no_text_on_disk(telegram_bot,
                                                                     tmp_path) -> None:
    """A message Telegram refused (400) and one to a user who blocked the bot are recorded
    as failed and dropped, without what they said: after compaction no file in the data
    directory holds the private link they carried."""
    bot = await telegram_bot(["plugins.basics"])
    bot.stub.add_user(73)
    bot.stub.block(73)
    bot.stub.fail_next(1, 400, description="Bad Request: can't parse entities",
                       methods=["sendMessage"])
    await queue(bot, 74, "Join at https://meet.example/j/secret-room", key="test:1:74")
    await queue(bot, 73, "Join at https://meet.example/j/secret-room", key="test:1:73")
    outbox = bot.assistant.outbox
    await bot.stub.wait_until(lambda: outbox.tally("test:1")["pending"] == 0)
    [refused] = outbox.table.find(chat=74)
    [dropped] = outbox.table.find(chat=73)
    assert (refused["state"], dropped["state"], dropped["error"]) == (
        "failed", "dropped", "unreachable")
    assert refused["replies"] == dropped["replies"] == "[]"
    assert await bot.assistant.store.acompact()
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert files and not any(b"secret-room" in p.read_bytes() for p in files)


async def test_after_an_upgrade_an_old_dropped_message_leaves_no_text_on_disk(tmp_path) -> None:
    """Review: a message an earlier version dropped kept its text, a private join link among
    it, for 30 days. Started again, the bot empties it at its first tick: after compaction no
    file of the data directory holds the link, and the record that it existed stays."""
    clock = FakeClock("2027-08-01T08:00:00+00:00")
    async with BotApiStub(token=TOKEN) as stub:
        async with running_bot(tmp_path, ["plugins.basics"], clock=clock, stub=stub) as bot:
            await queue(bot, 92, "Join at https://meet.example/j/secret-room", key="t:2:92")
            outbox = bot.assistant.outbox
            await stub.wait_until(lambda: outbox.table.first(key="t:2:92")["state"] == "sent")
            item = outbox.table.first(key="t:2:92")
            outbox.table.update(item.doc_id, {"state": "dropped", "error": "cancelled"})
            await bot.assistant.store.commit()  # as an earlier version left a dropped message
        clock.advance(minutes=1)
        async with running_bot(tmp_path, ["plugins.basics"], clock=clock, stub=stub) as bot:
            await bot.assistant.tick()
            item = bot.assistant.outbox.table.first(key="t:2:92")
            assert (item["state"], item["replies"]) == ("dropped", "[]")
            assert await bot.assistant.store.acompact()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files and not any(b"secret-room" in p.read_bytes() for p in files)
