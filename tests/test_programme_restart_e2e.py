"""End to end: a programme file edited while the bot was stopped, through the real PTB bot
and the Bot API stub; a restart is a new bot on the same data directory."""
from __future__ import annotations

from assistant.clock import FakeClock
from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN, running_bot
from tests.test_rsvp_support import NOW, PROGRAMME

ORG, EMMA, OLLE = 1, 2, 3
REAL = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar"]
MOVED = (PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00")
         .replace("    capacity: 2\n", "    capacity: 1\n"))


async def test_an_edit_while_stopped_is_announced_only_once_confirmed(tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    env = {"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)}
    clock = FakeClock(NOW)
    async with BotApiStub(token=TOKEN) as stub:
        async with running_bot(tmp_path, REAL, env=env, clock=clock, stub=stub) as bot:
            await bot.say(ORG, "/start", language_code="en")
            for user, lang, label in ((EMMA, "en", "Coming in person"),
                                      (OLLE, "sv", "Kommer på plats")):
                [card] = await bot.say(user, "/rsvp hybrid", language_code=lang)
                await bot.tap(user, card.message_id, label, count=2)
            await bot.outbox()
        assert len(stub.messages_to(ORG)) == 1  # the first start: only the answer to /start

        path.write_text(MOVED, encoding="utf-8")
        async with running_bot(tmp_path, REAL, env=env, clock=clock, stub=stub) as bot:
            [told] = await stub.wait_sent(ORG, since=1)
            assert told.plain_text.startswith("⚠️ The programme file programme.yaml differs "
                                              "from the programme in use")
            before = {user: len(stub.messages_to(user)) for user in (EMMA, OLLE)}
            [card] = await bot.say(EMMA, "/event hybrid")
            assert "Thursday, 2 September 2027, 09:30–12:30" in card.plain_text
            await bot.assistant.tick()
            await bot.outbox()
            assert len(stub.messages_to(OLLE)) == before[OLLE]

            [preview] = await bot.say(ORG, "/reload")
            assert "Time: starts 09:30 → 10:00" in preview.plain_text
            assert "Seats at the venue: 2 → 1" in preview.plain_text
            [done] = await bot.tap(ORG, preview.message_id, "✅ Confirm")
            assert done.plain_text.startswith("Done: the new programme is in use (1 changed).")
            await bot.outbox()
            assert len(stub.messages_to(OLLE)) == before[OLLE]  # not before the change notice
            clock.advance(minutes=3)
            await bot.assistant.tick()
            changed, waiting, removal = await stub.wait_sent(OLLE, 3, since=before[OLLE])
            assert changed.plain_text.startswith("✏️ Nytt om")
            assert "står du nu på väntelistan, plats 1" in waiting.plain_text
            assert removal.method == "sendDocument" and b"METHOD:CANCEL" in removal.document_bytes
            note, ics = await stub.wait_sent(EMMA, 2, since=before[EMMA] + 1)
            assert note.plain_text.splitlines()[1:] == ["Time changed: 09:30–12:30 → 10:00–12:30"]
            assert b"DTSTART;TZID=Europe/Stockholm:20270902T100000" in ics.document_bytes
            assert [m.method for m in stub.messages_to(OLLE)[before[OLLE]:]] == [
                "sendMessage", "sendMessage", "sendDocument"]  # waiting: no file to add


async def test_a_waiting_edit_is_told_once_however_many_restarts_and_each_new_one_again(
        tmp_path) -> None:
    """Each restart is a new bot on the same data; a month later the outbox has forgotten the
    warning it sent, and the organiser is still not told twice of the same file."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    env = {"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)}
    clock = FakeClock(NOW)

    async def restart(stub: BotApiStub) -> list[str]:
        async with running_bot(tmp_path, REAL, env=env, clock=clock, stub=stub) as bot:
            if not stub.messages_to(ORG):
                await bot.say(ORG, "/start", language_code="en")
            await bot.assistant.tick()
            await bot.outbox()
        clock.advance(days=20)
        return [m.plain_text for m in stub.messages_to(ORG)
                if (m.plain_text or "").startswith("⚠️ The programme file programme.yaml")]

    async with BotApiStub(token=TOKEN) as stub:
        assert await restart(stub) == []
        path.write_text(MOVED, encoding="utf-8")
        for _ in range(4):
            assert len(await restart(stub)) == 1
        path.write_text(PROGRAMME.replace("    capacity: 2\n", "    capacity: 3\n"),
                        encoding="utf-8")
        assert len(await restart(stub)) == 2
        assert len(await restart(stub)) == 2
