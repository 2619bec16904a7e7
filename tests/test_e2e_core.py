"""End to end: the real PTB Application against the local Bot API stub (issue: the core)."""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

from assistant import N_, hookimpl
from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN, running_bot
from assistant.types import Action, Command

ROOT = Path(__file__).resolve().parent.parent


def crashing_plugin() -> types.ModuleType:
    module = types.ModuleType("crashy")
    module.NAME = "crashy"

    async def crash(ctx):
        raise RuntimeError("plugin bug")

    async def halfway(ctx):
        ctx.table("notes").insert({"user": ctx.user.id, "saved": True})
        ctx.send_to(99, lambda target: target.reply("Someone saved a note"))
        await ctx.assistant.store.commit()
        ctx.table("notes").insert({"user": ctx.user.id, "after": "commit"})
        ctx.send_to(99, lambda target: target.reply("A second note"))
        raise RuntimeError("plugin bug after writing")

    module.register_commands = hookimpl(lambda: [Command("crash", crash, N_("Crash")),
                                                 Command("halfway", halfway, N_("Crash"))])
    return module


async def test_start_greets_in_the_users_telegram_language(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    [sv] = await bot.say(10, "/start", first_name="Sven", language_code="sv")
    assert sv.plain_text.startswith("Hej Sven! Jag är Mingel")
    [en] = await bot.say(11, "/start", first_name="Emma", language_code="en-GB")
    assert en.plain_text.startswith("Hi Emma! I'm Mingel")
    [de] = await bot.say(12, "/start", first_name="Dieter", language_code="de")
    assert de.plain_text.startswith("Hi Dieter!")


async def test_first_names_with_markup_arrive_exactly_as_typed(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    [reply] = await bot.say(13, "/start", first_name="<b>Bo</b> & *Co*", language_code="en")
    assert reply.plain_text.startswith("Hi <b>Bo</b> & *Co*!")


async def test_help_language_and_unknown_command(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    [help_] = await bot.say(20, "/help", language_code="en")
    assert "/language" in help_.plain_text and "/help" in help_.plain_text
    [menu] = await bot.say(20, "/language")
    assert menu.buttons == ["Svenska", "✓ English"]
    [edited] = await bot.tap(20, menu.message_id, "Svenska")
    assert edited.method == "editMessageText"
    assert edited.plain_text == "Jag pratar svenska med dig från och med nu."
    [help_sv] = await bot.say(20, "/help")
    assert "Byt mellan svenska och engelska" in help_sv.plain_text
    [unknown] = await bot.say(20, "/frobnicate")
    assert unknown.plain_text == ("Jag känner inte till kommandot /frobnicate. Skicka /help för "
                                  "att se vad jag kan göra.")
    [typo] = await bot.say(20, "/langauge")
    assert typo.plain_text == ("Jag känner inte till kommandot /langauge. Menade du /language? "
                               "Skicka /help för att se vad jag kan göra.")


async def test_language_takes_names_as_typed_and_explains_the_rest(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    [refused] = await bot.say(21, "/language de", language_code="de")
    assert refused.plain_text == ("I don't know the language “de”: I speak Swedish and "
                                  "English.\nChoose your language:")
    assert refused.buttons == ["Svenska", "✓ English"]
    [switched] = await bot.say(21, "/language Svenska")
    assert switched.plain_text == "Jag pratar svenska med dig från och med nu."
    [menu] = await bot.say(21, "/language")
    assert menu.plain_text == "Välj språk:" and menu.buttons == ["✓ Svenska", "English"]
    [back] = await bot.say(21, "/language engelska")
    assert back.plain_text == "I'll speak English with you from now on."


async def test_command_menus_are_set_per_language(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    sv = {c["command"]: c["description"] for c in bot.stub.commands("sv")}
    en = {c["command"]: c["description"] for c in bot.stub.commands("en")}
    assert sv["language"] == "Byt mellan svenska och engelska"
    assert en["language"] == "Switch between Swedish and English"
    assert "start" not in sv


async def test_the_first_answer_does_not_wait_for_the_command_menus(tmp_path) -> None:
    """After a restart people are answered at once; the menus follow (each is a round trip)."""
    async with BotApiStub(token=TOKEN) as stub:
        stub.delay_next(1, 3.0, methods=["setMyCommands"])
        await stub.send_text(21, "/help", language_code="en")
        manager = running_bot(tmp_path, ["plugins.basics"], stub=stub)
        starting = asyncio.create_task(manager.__aenter__())
        await stub.wait_until(lambda: stub.messages_to(21), timeout=10)
        assert "/language" in stub.messages_to(21)[0].plain_text
        assert not stub.calls("setMyCommands")  # the first menu is still on its way
        await starting
        assert len(stub.calls("setMyCommands")) == 3 and stub.commands("en")
        await manager.__aexit__(None, None, None)


async def test_a_refused_command_menu_leaves_the_others_and_the_bot_running(
        tmp_path, caplog) -> None:
    async with BotApiStub(token=TOKEN) as stub:
        stub.fail_next(1, 400, description="Bad Request: BOT_COMMAND_INVALID",
                       methods=["setMyCommands"])
        async with running_bot(tmp_path, ["plugins.basics"], stub=stub) as bot:
            [help_] = await bot.say(22, "/help", language_code="en")
            assert "/language" in help_.plain_text
            assert stub.commands("en") and stub.commands("")
    assert any("command menu not set" in r.getMessage() and r.levelno == logging.WARNING
               for r in caplog.records)


async def test_crashing_plugin_apologises_and_the_bot_keeps_serving(telegram_bot, caplog) -> None:
    bot = await telegram_bot(["plugins.basics", crashing_plugin()])
    [sorry] = await bot.say(30, "/crash", language_code="sv")
    assert sorry.plain_text == "Förlåt, något gick fel hos mig. Försök igen."
    assert any(r.name == "assistant.plugins.crashy" and r.levelno == logging.ERROR
               for r in caplog.records)
    [help_] = await bot.say(30, "/help")
    assert "/language" in help_.plain_text


async def test_a_handler_failing_half_way_takes_back_what_it_wrote_since_it_committed(
        telegram_bot) -> None:
    """The user is told it failed, and it did: the note written after the handler's own commit
    and its second notice to someone else are gone; what was committed stays."""
    bot = await telegram_bot(["plugins.basics", crashing_plugin()])
    bot.stub.add_user(99)
    [sorry] = await bot.say(31, "/halfway", language_code="en")
    assert sorry.plain_text == "Sorry, something went wrong on my side. Please try again."
    notes = bot.assistant.store.table("crashy_notes")
    assert [d.get("saved") for d in notes.all()] == [True]
    await bot.outbox()
    assert [r.plain_text for r in bot.stub.sent if r.chat_id == 99] == ["Someone saved a note"]
    assert [i["state"] for i in bot.assistant.outbox.table.all()] == ["sent"]


async def test_garbage_and_forged_buttons_get_friendly_answers(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    [menu] = await bot.say(40, "/language", language_code="en")
    await bot.stub.press(40, menu.message_id, "programme:delete:everything", check=False)
    [reply] = await bot.stub.wait_sent(40)
    assert "no longer works" in reply.plain_text
    [reply] = await bot.say(40, "\x00\u202e🙂" * 50)
    assert "didn't understand" in reply.plain_text
    [reply] = await bot.say(40, "/pro<b>gramme")
    assert reply.plain_text.startswith("I don't know the command /pro<b>gramme.")


def test_mingel_run_process_stops_cleanly_on_sigterm_and_never_logs_the_token(tmp_path) -> None:
    stub = BotApiStub(token=TOKEN).run_in_thread()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
        env.update({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": stub.url,
                    "MINGEL_DATA_DIR": str(tmp_path / "data"), "MINGEL_SEND_RATE": "0"})
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "-v", "run"], env=env,
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        try:
            stub.sync.send_text(50, "/language sv", language_code="en")
            [reply] = stub.sync.wait_sent(50, 1, timeout=20)
            assert reply.plain_text == "Jag pratar svenska med dig från och med nu."
            proc.send_signal(signal.SIGTERM)
            out, _ = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, out
        assert TOKEN not in out and TOKEN.split(":")[1] not in out
        assert "getUpdates" in out or "Application started" in out or "assistant" in out
    finally:
        stub.stop_thread()
    time.sleep(0.1)
    stub2 = BotApiStub(token=TOKEN).run_in_thread()
    try:
        env["TELEGRAM_API_URL"] = stub2.url
        proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "run"], env=env,
                                cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        try:
            stub2.sync.send_text(50, "/help", language_code="en")
            [reply] = stub2.sync.wait_sent(50, 1, timeout=20)
            assert "Det här kan jag" in reply.plain_text
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=20)
    finally:
        stub2.stop_thread()


def test_second_process_on_the_same_data_dir_is_refused(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    env["MINGEL_DATA_DIR"] = str(tmp_path / "data")
    first = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat"], env=env, cwd=tmp_path,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        first.stdout.readline()
        second = subprocess.run([sys.executable, "-m", "assistant.cli", "chat"], env=env, check=False,
                                cwd=tmp_path, input="", capture_output=True, text=True, timeout=30)
        assert second.returncode == 3
        assert "storage error" in second.stderr and str(tmp_path / "data") in second.stderr
    finally:
        first.communicate("", timeout=20)


def waiting_plugin() -> types.ModuleType:
    module = types.ModuleType("waiter")
    module.NAME = "waiter"

    async def wait(ctx):
        ctx.expect_text("got")
        ctx.reply("Send me a word.")

    async def got(ctx):
        ctx.reply(f"Got {ctx.text}")

    module.register_commands = hookimpl(lambda: [Command("wait", wait, N_("Wait"))])
    module.register_actions = hookimpl(lambda: [Action("got", got)])
    return module


async def test_pressing_a_button_cancels_a_pending_question(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics", waiting_plugin()])
    [menu] = await bot.say(60, "/language", language_code="en")
    await bot.say(60, "/wait")
    await bot.tap(60, menu.message_id, "✓ English")
    [reply] = await bot.say(60, "hello")
    assert "didn't understand" in reply.plain_text
    await bot.say(60, "/wait")
    [reply] = await bot.say(60, "hello")
    assert reply.plain_text == "Got hello"


async def test_a_photo_gets_a_friendly_answer(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics"])
    await bot.say(61, "/help", language_code="sv")
    await bot.stub.push_update({"message": {
        "message_id": 500, "date": 1_800_000_000,
        "chat": {"id": 61, "type": "private", "first_name": "Anna"},
        "from": {"id": 61, "is_bot": False, "first_name": "Anna", "language_code": "sv"},
        "photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 10, "height": 10}]}})
    [reply] = await bot.stub.wait_sent(61)
    assert reply.plain_text.startswith("Det förstod jag inte.")


def long_texts_plugin() -> types.ModuleType:
    module = types.ModuleType("longtexts")
    module.NAME = "longtexts"

    async def show(ctx):
        ctx.reply("A meeting:", [[ctx.button("Arbetsmarknadspolitiskt nätverk: " + "lång " * 20,
                                             "press")]])

    async def press(ctx):
        ctx.toast("Hälsodeklarationen öppnas senare. " * 8)

    module.register_commands = hookimpl(lambda: [Command("show", show, N_("Show"))])
    module.register_actions = hookimpl(lambda: [Action("press", press)])
    return module


async def test_long_button_labels_and_notices_are_cut_with_an_ellipsis(telegram_bot) -> None:
    """Telegram refuses a button press's notice over 200 characters (the press then keeps
    spinning) and shows a long label cut without a mark."""
    bot = await telegram_bot(["plugins.basics", long_texts_plugin()])
    [card] = await bot.say(62, "/show", language_code="sv")
    [label] = card.buttons
    assert len(label) == 60 and label.endswith("…") and "  " not in label
    await bot.tap(62, card.message_id, label, count=0)
    await bot.stub.wait_until(lambda: bot.stub.calls("answerCallbackQuery"))
    [answer] = [r for r in bot.stub.sent if r.method == "answerCallbackQuery"]
    assert len(answer.text) == 200 and answer.text.endswith("…")
    assert answer.text.startswith("Hälsodeklarationen öppnas senare.")
