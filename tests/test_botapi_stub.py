"""The Bot API stub must fool a real PTB Application, or end-to-end tests prove nothing."""

from __future__ import annotations

import asyncio
import datetime as dtm
import threading
import time
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from assistant.stub import BotApiStub, parse_html, parse_markdown_v2, utf16_len

TOKEN = "987654321:AAH-stub-test-token"
USER = 4242


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes", callback_data="yes"),
                InlineKeyboardButton("No", callback_data="no"),
            ]
        ]
    )
    await update.effective_message.reply_text(
        "<b>Join?</b>", parse_mode="HTML", reply_markup=keyboard
    )


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"got {query.data}")
    await query.edit_message_text(f"You chose {query.data}")


async def _document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    document = update.effective_message.document
    data = await (await document.get_file()).download_as_bytearray()
    await update.effective_message.reply_document(
        InputFile(bytes(data).upper(), filename=f"upper-{document.file_name}"),
        caption=f"{len(data)} bytes",
    )


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    async with BotApiStub(TOKEN) as running:
        yield running


@pytest.fixture
async def app(stub: BotApiStub) -> AsyncIterator[Application]:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{stub.url}/bot")
        .base_file_url(f"{stub.url}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    application.add_handler(MessageHandler(filters.Document.ALL, _document))
    application.add_handler(CallbackQueryHandler(_pressed))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


@pytest.fixture
async def bot(stub: BotApiStub) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=stub.base_url, base_file_url=stub.base_file_url) as client:
        stub.add_user(USER)
        yield client


async def test_long_polling_delivers_message_and_reply_arrives(
    stub: BotApiStub, app: Application
) -> None:
    message_id = await stub.send_text(USER, "hello there", first_name="Anna")
    [reply] = await stub.wait_sent(USER)
    assert (reply.method, reply.text, reply.chat_id) == ("sendMessage", "hello there", USER)
    assert reply.message_id == message_id + 1
    stored = stub.message(USER, reply.message_id)
    assert stored is not None and stored.from_bot and stored.text == "hello there"
    await stub.wait_updates_consumed()
    assert stub.calls("getMe") and stub.calls("deleteWebhook")

    await stub.send_text(USER, "second")
    [again] = await stub.wait_sent(USER)
    assert again.text == "second"


async def test_command_keyboard_press_reaches_callback_handler(
    stub: BotApiStub, app: Application
) -> None:
    await stub.send_text(USER, "/start")
    [menu] = await stub.wait_sent(USER)
    assert menu.plain_text == "Join?" and menu.parse_mode == "HTML"
    assert menu.buttons == ["Yes", "No"]
    assert stub.message(USER, menu.message_id).entities == [
        {"type": "bold", "offset": 0, "length": 5}
    ]

    query_id = await stub.press_button(USER, menu.message_id, "Yes")
    edit = await stub.wait_for(lambda r: r.method == "editMessageText")
    assert edit.text == "You chose yes"
    await stub.wait_until(lambda: stub.callback_answer(query_id) is not None)
    assert stub.callback_answer(query_id)["text"] == "got yes"
    current = stub.message(USER, menu.message_id)
    assert current.text == "You chose yes" and current.buttons == [] and current.edits == 1

    with pytest.raises(LookupError):
        await stub.press(USER, menu.message_id, "no")


async def test_document_upload_and_download_round_trip(stub: BotApiStub, app: Application) -> None:
    await stub.send_document(USER, "agenda.txt", b"talks at nine\n")
    [reply] = await stub.wait_sent(USER)
    assert reply.method == "sendDocument"
    assert (reply.document_name, reply.document_bytes) == ("upper-agenda.txt", b"TALKS AT NINE\n")
    assert reply.caption == "14 bytes"
    stored = stub.message(USER, reply.message_id)
    assert stored.document is not None and stored.document.mime_type == "text/plain"

    file = await app.bot.get_file(stored.document.file_id)
    assert await file.download_as_bytearray() == bytearray(b"TALKS AT NINE\n")


async def test_bad_html_is_rejected_like_telegram(stub: BotApiStub, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)can't parse entities: unsupported start tag"):
        await bot.send_message(USER, "<p>hi</p>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)can't parse entities: unmatched end tag"):
        await bot.send_message(USER, "<b><i>x</b></i>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(USER, "Q&A for a < b", parse_mode="HTML")
    ok = await bot.send_message(
        USER, '<a href="https://x.se/?a=1&amp;b=2">Q&amp;A</a> &lt;3 &#128512;', parse_mode="HTML"
    )
    assert ok.text == "Q&A <3 \N{GRINNING FACE}"
    assert ok.entities[0].url == "https://x.se/?a=1&b=2"
    assert stub.last_to(USER).plain_text == ok.text
    with pytest.raises(BadRequest, match="(?i)can't parse entities: character '.' is reserved"):
        await bot.send_message(USER, "Hi.", parse_mode="MarkdownV2")


async def test_text_limits(stub: BotApiStub, bot: Bot) -> None:
    await bot.send_message(USER, "x" * 4096)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "x" * 4097)
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "\N{GRINNING FACE}" * 2049)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await bot.send_document(USER, InputFile(b"x", filename="a.txt"), caption="c" * 1025)
    assert len(stub.messages_to(USER)) == 2


async def test_keyboard_and_edit_validation(stub: BotApiStub, bot: Bot) -> None:
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "pick", reply_markup=too_long)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("a", callback_data="a")]])
    sent = await bot.send_message(USER, "pick", reply_markup=keyboard)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("pick", USER, sent.message_id, reply_markup=keyboard)
    edited = await bot.edit_message_text("pick", USER, sent.message_id)
    assert edited.reply_markup is None and stub.message(USER, sent.message_id).buttons == []
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(777, "who?")
    assert await bot.delete_message(USER, sent.message_id)
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


async def test_venue_location_action_reply_and_reply_keyboard(stub: BotApiStub, bot: Bot) -> None:
    venue = await bot.send_venue(USER, 59.33, 18.07, "Hall A", "Main street 1")
    assert venue.venue.title == "Hall A" and venue.location.latitude == pytest.approx(59.33)
    where = await bot.send_location(USER, 59.0, 18.0, reply_to_message_id=venue.message_id)
    assert where.reply_to_message.message_id == venue.message_id
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(USER, "re", reply_to_message_id=999)
    assert await bot.send_chat_action(USER, "typing")
    assert [r.method for r in stub.messages_to(USER)] == ["sendVenue", "sendLocation"]
    assert stub.sent[-1].method == "sendChatAction"

    menu = await bot.send_message(USER, "Menu", reply_markup=ReplyKeyboardMarkup([["Agenda"]]))
    assert menu.reply_markup is None and stub.reply_keyboard(USER) is not None
    await stub.press_button(USER, menu.message_id, "agenda")
    [update] = await bot.get_updates(timeout=0)
    assert update.message.text == "Agenda"


async def test_blocked_user_gets_forbidden(stub: BotApiStub, bot: Bot) -> None:
    stub.block(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "still there?")
    stub.unblock(USER)
    await bot.send_message(USER, "welcome back")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_limits_answer_retry_after(stub: BotApiStub, bot: Bot) -> None:
    stub.set_flood_limits(True, per_chat_rate=1, per_chat_burst=3, global_rate=4)
    for n in range(3):
        await bot.send_message(USER, f"burst {n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "one too many")
    retry = caught.value.retry_after
    seconds = retry.total_seconds() if isinstance(retry, dtm.timedelta) else retry
    assert 1 <= seconds <= 3
    stub.add_user(USER + 1)
    stub.add_user(USER + 2)
    await bot.send_message(USER + 1, "other chat")
    with pytest.raises(RetryAfter):
        await bot.send_message(USER + 2, "global cap of 4 per second reached")
    assert stub.flood_errors == 2
    body = stub.calls("sendMessage")[-1]
    assert body.status == 429 and body.description.startswith("Too Many Requests: retry after ")


async def test_commands_stored_per_language_and_scope(stub: BotApiStub, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    await bot.set_my_commands([BotCommand("start", "Starta")], language_code="sv")
    assert [c["command"] for c in stub.commands()] == ["start", "help"]
    assert stub.commands("sv") == [{"command": "start", "description": "Starta"}]
    assert [c.description for c in await bot.get_my_commands(language_code="sv")] == ["Starta"]
    await bot.delete_my_commands(language_code="sv")
    assert stub.commands("sv") == []
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_token_is_checked(stub: BotApiStub) -> None:
    async with Bot(TOKEN, base_url=stub.base_url) as good:
        assert good.username == "mingel_test_bot"
    with pytest.raises(InvalidToken):
        async with Bot("111:wrong", base_url=stub.base_url):
            pass
    assert stub.requests[-1].status == 401


async def test_long_poll_holds_until_update_and_honours_offset(stub: BotApiStub, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=0) == ()
    poll = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.2)
    assert not poll.done()
    await stub.send_text(USER, "ping")
    updates = await poll
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates] == ["ping"]
    await stub.send_text(USER, "/pong")
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id, updates[0].update_id + 1]
    assert again[1].message.entities[0].type == "bot_command"
    rest = await bot.get_updates(offset=again[1].update_id, timeout=0, limit=5)
    assert len(rest) == 1 and stub.pending_updates[0]["message"]["text"] == "/pong"
    assert await bot.get_updates(offset=again[1].update_id + 1, timeout=0) == ()

    await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
    await stub.send_text(USER, "filtered out")
    assert stub.pending_updates == []


async def test_second_poller_conflicts(stub: BotApiStub, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=3))
    await asyncio.sleep(0.1)
    async with Bot(TOKEN, base_url=stub.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict):
        await first


async def test_fault_injection(stub: BotApiStub) -> None:
    request = HTTPXRequest(read_timeout=0.3)
    async with Bot(TOKEN, base_url=stub.base_url, request=request) as bot:
        stub.add_user(USER)
        stub.fail_next(1)
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(USER, "boom")
        await bot.send_message(USER, "recovered")
        stub.delay_next(1, 1.0)
        with pytest.raises(TimedOut):
            await bot.send_message(USER, "slow")
        stub.go_offline(0.3)
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.get_updates(timeout=0)
        await asyncio.sleep(0.35)
        assert await bot.get_updates(timeout=0) == ()
    assert [r.text for r in stub.messages_to(USER)] == ["recovered"]


async def test_threaded_stub_drives_from_any_loop() -> None:
    stub = BotApiStub(TOKEN).run_in_thread()
    try:
        assert stub._loop is not asyncio.get_running_loop()
        async with Bot(TOKEN, base_url=stub.base_url) as bot:
            await stub.send_text(USER, "from the test loop")
            worker = threading.Thread(target=stub.sync.send_text, args=(USER, "from a thread"))
            worker.start()
            worker.join()
            updates = await bot.get_updates(timeout=1)
            assert [u.message.text for u in updates] == ["from the test loop", "from a thread"]
            await bot.send_message(USER, "hi", read_timeout=2)
            [record] = await stub.wait_sent(USER)
            assert record.text == "hi"
    finally:
        stub.stop_thread()


def test_parsers_match_telegram_rules() -> None:
    assert parse_html("<b>a</b><i>b</i>") == (
        "ab",
        [{"type": "bold", "offset": 0, "length": 1}, {"type": "italic", "offset": 1, "length": 1}],
    )
    assert parse_html("a > b", strict=False)[0] == "a > b"
    assert parse_html("Möte 😀 <b>å😀 &amp; ö</b> &lt;x&gt; <i>sv</i>") == (
        "Möte 😀 å😀 & ö <x> sv",
        [{"type": "bold", "offset": 8, "length": 7}, {"type": "italic", "offset": 20, "length": 2}],
    ), "text runs and entity offsets are counted in UTF-16 code units"
    assert parse_markdown_v2("*b* \\.")[0] == "b ."
    assert utf16_len("\N{GRINNING FACE}a") == 3


# --------------------------------------------------------------------------- shipped with Mingel


async def test_the_stub_listens_on_this_machine_only() -> None:
    async with BotApiStub(TOKEN) as stub:
        assert stub.url.startswith("http://127.0.0.1:")
        site = stub._site
        assert site is not None and site.name.startswith("http://127.0.0.1:")


def test_without_aiohttp_the_stub_says_how_to_get_it() -> None:
    """A plugin's tests installed with plain `mingel` lack aiohttp: the import error names the
    extra that brings it, not just the missing module."""
    import subprocess
    import sys
    code = "import sys; sys.modules['aiohttp'] = None; import assistant.stub"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert 'needs aiohttp: pip install "mingel[testing]"' in done.stderr


def test_a_button_is_found_by_part_of_its_label_when_only_one_has_it() -> None:
    """As the chat harness's `press` finds it: "Confirm" presses "✅ Confirm"; a part that
    several labels have presses none (the LookupError then lists them)."""
    from assistant.stub import StoredMessage
    markup = {"inline_keyboard": [[{"text": "✅ Confirm", "callback_data": "ok"},
                                   {"text": "Cancel", "callback_data": "no"}]]}
    message = StoredMessage({}, 0, {}, True, 0, reply_markup=markup)
    assert message.button("Confirm")["callback_data"] == "ok"
    assert message.button("cancel")["callback_data"] == "no"
    assert message.button("c") is None
    assert message.button("Publish") is None


def test_the_stub_is_the_one_written_with_the_tests_and_imported_by_one_name() -> None:
    """The stub lives in tests/botapi_stub/ and ships as `assistant.stub` through a link: a
    test importing it as `tests.botapi_stub` would make a second copy of every class (a
    stub that is not the stub its fixtures check)."""
    import re
    from pathlib import Path

    import assistant.stub
    here = Path(__file__).parent
    assert Path(assistant.stub.__file__).resolve().parent == (here / "botapi_stub").resolve()
    wrong = re.compile(r"^\s*(from|import)\s+tests\.botapi_stub", re.MULTILINE)
    assert [p.name for p in here.rglob("*.py") if wrong.search(p.read_text("utf-8"))] == []
