"""The python-telegram-bot adapter: long polling in, the core's types out, and back.

Nothing outside this module imports telegram. Updates from one chat are handled one at
a time (in order) while different chats run concurrently; immediate replies are sent
directly, everything else goes through the outbox; a reply that cannot be sent because
the Bot API is down is handed to the outbox so it is not lost.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InputFile,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBDeprecationWarning, PTBUserWarning

from .. import __version__
from ..config import ConfigError
from ..core import Assistant
from ..delivery import Blocked, Rejected, RetryLater, parts
from ..i18n import LANGUAGES
from ..lull import Answering
from ..plugins import StartupError
from ..text import counted, split_message
from ..types import Button, Chat, Document, Incoming, Reply, User
from .request import BotRequest

log = logging.getLogger("assistant.telegram")
TICK_SECONDS = 30.0
MAX_DOCUMENT_BYTES = 1_000_000
FORMATTING = frozenset({"bold", "italic", "underline", "strikethrough", "text_link", "spoiler",
                        "code", "pre", "blockquote"})
CONNECTIONS = 8
"""Keep-alive connections to the Bot API. PTB's default of 256 costs CPU on every request
(httpcore walks all of them), far more than it gains (docs/benchmarks.md); requests
beyond 8 wait for a free connection instead of failing after PTB's 1 s pool timeout."""
UPDATES_AT_ONCE = 8
"""Updates handled at the same time; the rest wait in arrival order. More would not finish
sooner (the work is on one CPU), but would let requests queue inside httpcore, whose cost
grows with queued requests times connections, and would spread latency (docs/benchmarks.md)."""
NO_PREVIEW = {"is_disabled": True}
UPLOADS_KEPT = 8192
"""File ids remembered for files sent again: a festival's calendar files, one per meeting and
language (a key and an id take about 250 bytes)."""
# Replies go out through `Bot.do_api_request` with plain JSON (`call`): no PTB objects built
# for keyboards and no `Message` parsed from answers nobody reads (0.6 ms a call). PTB warns
# that named methods exist for these; that is known and wanted.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.(sendMessage|editMessageText|"
                        r"answerCallbackQuery|sendDocument)'",
                        category=PTBUserWarning)
# PTB 22.2+ warns about `retry_after` becoming a timedelta whenever it builds a RetryAfter
# (its own constructor reads the attribute); `_wait` reads both types.
warnings.filterwarnings("ignore", message=r".*attribute `retry_after` will be of type",
                        category=PTBDeprecationWarning)


class PerChatProcessor(BaseUpdateProcessor):
    """Concurrent across chats, in order within one chat (conversations stay coherent)."""

    def __init__(self, answering: Answering,
                 max_concurrent_updates: int = UPDATES_AT_ONCE) -> None:
        super().__init__(max_concurrent_updates)
        self._answering = answering
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update under its chat's lock, marked as being answered once it has the lock
        (`assistant.lull`: long jobs wait for it; a second tap waiting behind a broadcast the
        first one queues must not make that broadcast wait for it)."""
        chat = getattr(getattr(update, "effective_chat", None), "id", 0) or 0
        lock = self._locks[chat]
        async with lock:
            with self._answering:
                await coroutine
        if not lock.locked() and len(self._locks) > 10_000:
            self._locks.pop(chat, None)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


def markup(buttons: list[list[Button]]) -> dict[str, Any] | None:
    """The core's buttons as Telegram's inline keyboard (Bot API JSON)."""
    if not buttons:
        return None
    return {"inline_keyboard": [[{"text": b.text, "url": b.url} if b.url else
                                 {"text": b.text, "callback_data": b.data}
                                 for b in row] for row in buttons]}


async def call(bot: Any, method: str, **params: Any) -> Any:
    """One Bot API call with plain JSON in and out (None values left out, as PTB does)."""
    return await bot.do_api_request(method, api_kwargs={k: v for k, v in params.items()
                                                        if v is not None})


def to_user(tg_user: Any) -> User:
    """Telegram's user as the core's."""
    return User(id=tg_user.id, first_name=tg_user.first_name or "", last_name=tg_user.last_name,
                username=tg_user.username, language_code=tg_user.language_code)


def _log_failure(task: asyncio.Task[None]) -> None:
    """A background task's failure, logged when it happens (not when it is collected)."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("%s failed", task.get_coro().__qualname__, exc_info=error)


class TelegramAdapter:
    """Runs an Assistant as a Telegram bot."""

    def __init__(self, assistant: Assistant, token: str, api_url: str | None = None,
                 poll_timeout: int = 10, tick_seconds: float = TICK_SECONDS,
                 request_timeout: float = 15.0) -> None:
        self.assistant = assistant
        self.api_url = api_url or "https://api.telegram.org"
        self.poll_timeout = poll_timeout
        self.tick_seconds = tick_seconds
        builder = ApplicationBuilder().token(token)
        if api_url:
            builder = builder.base_url(f"{api_url}/bot").base_file_url(f"{api_url}/file/bot")
        self.app: Application = (builder.concurrent_updates(PerChatProcessor(assistant.answering))
                                 .post_init(self._setup).post_shutdown(self._teardown)
                                 .request(BotRequest(CONNECTIONS, request_timeout))
                                 .get_updates_request(BotRequest(1, poll_timeout + 10))
                                 .build())
        self.app.add_handler(MessageHandler(filters.ALL, self._on_update))
        self.app.add_handler(CallbackQueryHandler(self._on_update))
        self.app.add_error_handler(self._on_error)
        self._tasks: list[asyncio.Task[None]] = []
        self._menus_set: asyncio.Task[None] | None = None
        self.transport = BotTransport(self)

    def run(self) -> None:
        """Long-poll until SIGINT/SIGTERM, then flush and exit cleanly; a token Telegram
        refuses or a Bot API out of reach at start-up is said in one line, without the
        token (PTB's own exception prints it) and without a traceback."""
        try:
            self.app.run_polling(allowed_updates=["message", "callback_query"],
                                 timeout=self.poll_timeout, poll_interval=0.0)
        except InvalidToken:
            raise ConfigError(f"TELEGRAM_BOT_TOKEN: the Bot API at {self.api_url} refused the "
                              "token; copy it again from @BotFather (/mybots, API Token)"
                              ) from None
        except NetworkError as exc:
            raise StartupError(f"cannot reach the Bot API at {self.api_url} ({exc.message}); "
                               "check the network (and TELEGRAM_API_URL) and start again"
                               ) from None

    async def __aenter__(self) -> TelegramAdapter:  # noqa: PYI034
        await self.app.initialize()
        await self._setup(self.app)
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0.0, timeout=self.poll_timeout,
                                             allowed_updates=["message", "callback_query"])
        await asyncio.wait([self._menus_set])  # in-process, start with the menus in place
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.app.updater.running:
            await self.app.updater.stop()
        await self.app.stop()
        await self._teardown(self.app)
        await self.app.shutdown()

    async def _setup(self, _app: Application) -> None:
        self.assistant.bot_username = self.app.bot.username
        await self.assistant.start()
        self._log_started()
        self._menus_set = asyncio.create_task(self.set_command_menus())
        self._menus_set.add_done_callback(_log_failure)
        self._tasks = [self._menus_set,
                       asyncio.create_task(self.assistant.outbox.run(self.transport)),
                       asyncio.create_task(self._ticker())]

    def _log_started(self) -> None:
        """One line that tells the operator what runs where (never the token), and a warning
        when nobody may change the programme."""
        config, organisers = self.assistant.config, self.assistant.organisers
        data = config.data_dir.resolve() if config.data_dir is not None else "memory only"
        log.info("Mingel %s started as @%s (Bot API %s): data in %s, %s, plugins: %s",
                 __version__, self.app.bot.username, self.api_url, data,
                 counted(len(organisers), "organiser"),
                 ", ".join(self.assistant.plugin_names()))
        if not organisers:
            log.warning("no organisers (MINGEL_ORGANISERS is empty): nobody can /reload the "
                        "programme, send /broadcast or see /attendees")

    async def _teardown(self, _app: Application) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        await self.assistant.stop()

    async def _ticker(self) -> None:
        while True:
            try:
                await self.assistant.tick()
            except Exception:
                log.exception("tick failed")
            await asyncio.sleep(self.tick_seconds)

    async def set_command_menus(self) -> None:
        """Telegram's command menu per language, and a fuller one for each organiser; set
        while the first updates are answered (each is a round trip that long polling need
        not wait for), each on its own, so a menu Telegram refuses leaves the others set."""
        catalogues = self.assistant.catalogues
        everyone = [c for c in self.assistant.visible_commands(0) if c.menu]
        for lang in (*LANGUAGES, None):
            shown = lang or self.assistant.config.locale
            cmds = [BotCommand(c.name, catalogues.gettext(c.plugin, shown, c.help)[:256])
                    for c in everyone]
            await self._menu(cmds, BotCommandScopeDefault(), lang, logging.WARNING,
                             f"the {shown} command menu")
        for user_id in self.assistant.organisers:
            lang = self.assistant.users.language(user_id)
            cmds = [BotCommand(c.name, catalogues.gettext(c.plugin, lang, c.help)[:256])
                    for c in self.assistant.visible_commands(user_id) if c.menu]
            await self._menu(cmds, BotCommandScopeChat(user_id), None, logging.INFO,
                             f"the organiser menu of {user_id}")

    async def _menu(self, cmds: list[BotCommand], scope: Any, lang: str | None, level: int,
                    which: str) -> None:
        """One menu; a refusal is logged at `level` (an organiser who has not written to
        the bot yet has no chat for a menu: "chat not found")."""
        try:
            await self.app.bot.set_my_commands(cmds, scope=scope, language_code=lang)
        except TelegramError as exc:
            log.log(level, "%s not set: %s", which, exc.message)

    async def _to_incoming(self, update: Update) -> Incoming | None:
        if update.callback_query and update.callback_query.from_user:
            q = update.callback_query
            if q.message and q.message.chat.type != "private":
                return None
            chat_id = q.message.chat.id if q.message else q.from_user.id
            return Incoming(user=to_user(q.from_user), chat=Chat(chat_id), callback_data=q.data or "",
                            callback_id=q.id,
                            message_id=q.message.message_id if q.message else None)
        msg = update.effective_message
        if msg is None or update.effective_user is None or update.effective_chat is None:
            return None
        if update.effective_chat.type != "private":
            return None
        document = None
        if msg.document:
            content = b""
            if (msg.document.file_size or 0) <= MAX_DOCUMENT_BYTES:
                file = await msg.document.get_file()
                content = bytes(await file.download_as_bytearray())
            document = Document(msg.document.file_name or "file", content,
                                msg.document.mime_type or "application/octet-stream",
                                msg.caption)
        formatted = msg.text is not None and any(e.type in FORMATTING for e in msg.entities)
        return Incoming(user=to_user(update.effective_user), chat=Chat(update.effective_chat.id),
                        text=msg.text, message_id=msg.message_id, document=document,
                        html=msg.text_html if formatted else None)

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        incoming = await self._to_incoming(update)
        if incoming is None:
            return
        replies, toast = await self.assistant.handle(incoming)
        if incoming.callback_id is None:
            await self.deliver(incoming, replies)
            return
        answering = asyncio.create_task(self._answer_press(incoming.callback_id, toast))
        try:
            await self.deliver(incoming, replies)
        except asyncio.CancelledError:
            answering.cancel()
            raise
        await answering

    async def _answer_press(self, query_id: str, toast: str | None) -> None:
        """Stop the button's spinner (and show the toast) while the card is being edited."""
        try:
            await call(self.app.bot, "answerCallbackQuery", callback_query_id=query_id,
                       text=toast)
        except TelegramError as exc:
            log.info("could not answer a button press: %s", exc.message)

    async def deliver(self, incoming: Incoming, replies: list[Reply]) -> None:
        """Send immediate replies; what fails for a network reason goes to the outbox, except
        an edit, which is left undone (a second copy of the card below would be worse)."""
        chat = incoming.chat.id
        for i, reply in enumerate(replies):
            editing = bool(reply.edit and incoming.message_id and not reply.document
                           and len(split_message(reply.text)) == 1)
            try:
                if editing:
                    try:
                        await self._edit(chat, incoming.message_id, reply)
                    except Rejected as exc:
                        log.info("could not edit a message (%s); sending it anew", exc)
                        await self._send_now(chat, reply)
                else:
                    await self._send_now(chat, reply)
            except Blocked:
                self.assistant.users.set_reachable(chat, False)
                self.assistant.outbox.drop_chat(chat)
                await self.assistant.store.commit()
                return
            except Rejected as exc:
                log.error("Telegram rejected a reply: %s", exc)
            except (RetryLater, NetworkError) as exc:
                if editing:
                    log.warning("could not edit a message (%s); it stays as it was", exc)
                    continue
                log.warning("Bot API unreachable; %s handed to the outbox",
                            counted(len(replies) - i, "reply", "replies"))
                self.assistant.outbox.enqueue(chat, replies[i:])
                await self.assistant.store.commit()
                return

    async def _send_now(self, chat: int, reply: Reply) -> None:
        """Each part of a reply, paced."""
        for part in parts(reply):
            await self._paced(chat, lambda part=part: self.transport.send(chat, part))

    async def _edit(self, chat: int, message_id: int, reply: Reply) -> None:
        """A card changed in place, paced like a send."""
        await self._paced(chat, lambda: self._edit_once(chat, message_id, reply))

    async def _paced(self, chat: int, send: Callable[[], Awaitable[None]]) -> None:
        """First in line at the outbox's pacer, so a broadcast never delays an answer; after
        a 429 the pacer holds every send for retry_after and this one is tried once more,
        then RetryLater tells `deliver` to hand it to the outbox (or leave an edit undone)."""
        pacer = self.assistant.outbox.pacer
        for attempt in (1, 2):
            await pacer.acquire(chat, urgent=True)
            try:
                await send()
                return
            except RetryLater as exc:
                if not exc.flood or attempt == 2:
                    raise
                pacer.pause(exc.seconds)
            finally:
                pacer.release(chat)

    async def _edit_once(self, chat: int, message_id: int, reply: Reply) -> None:
        try:
            await call(self.app.bot, "editMessageText", chat_id=chat, message_id=message_id,
                       text=reply.text, parse_mode=ParseMode.HTML,
                       reply_markup=markup(reply.buttons), link_preview_options=NO_PREVIEW)
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise Rejected(exc.message) from exc
        except Forbidden as exc:
            raise Blocked(exc.message) from exc
        except RetryAfter as exc:
            raise RetryLater(_wait(exc)) from exc

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("error while handling an update: %s", context.error,
                  exc_info=context.error if not isinstance(context.error, NetworkError) else None)


def _wait(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait: PTB 22.2+ warns that `retry_after` will become a
    timedelta; both are read, so the warning says nothing here."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)


class BotTransport:
    """Sends one core Reply through the Bot API, mapping Telegram's errors to the outbox's."""

    def __init__(self, adapter: TelegramAdapter) -> None:
        self.adapter = adapter
        self._uploaded: OrderedDict[tuple[str, bytes], str] = OrderedDict()

    async def _send_document(self, bot: Any, chat_id: int, document: Document,
                             keyboard: dict[str, Any] | None) -> None:
        """Upload a file once and send the same bytes again by Telegram's file_id (a meeting's
        calendar file goes to everyone who answers Coming): a small JSON call, not a
        multipart upload. A file_id Telegram no longer knows is uploaded anew."""
        key = (document.filename, hashlib.blake2b(document.content, digest_size=16).digest())
        options = {"caption": document.caption, "parse_mode": ParseMode.HTML,
                   "reply_markup": keyboard}
        if (file_id := self._uploaded.get(key)) is not None:
            try:
                await call(bot, "sendDocument", chat_id=chat_id, document=file_id, **options)
                self._uploaded.move_to_end(key)
                return
            except BadRequest as exc:
                log.info("sending a file by its file_id failed (%s); uploading it", exc.message)
                self._uploaded.pop(key, None)
        sent = await call(bot, "sendDocument", chat_id=chat_id, **options,
                          document=InputFile(document.content, filename=document.filename))
        if isinstance(sent, dict) and (file_id := sent.get("document", {}).get("file_id")):
            self._uploaded[key] = file_id
            while len(self._uploaded) > UPLOADS_KEPT:
                self._uploaded.popitem(last=False)

    @staticmethod
    def parts(reply: Reply) -> list[Reply]:
        """One reply as single Bot API calls, so the outbox paces and marks each."""
        return parts(reply)

    async def send(self, chat_id: int, reply: Reply) -> None:
        """Deliver a reply (split when long), translating errors."""
        bot = self.adapter.app.bot
        try:
            if reply.venue:
                v = reply.venue
                await bot.send_venue(chat_id, v.latitude, v.longitude, v.title, v.address)
            if reply.document:
                await self._send_document(bot, chat_id, reply.document,
                                          markup(reply.buttons) if not reply.text else None)
            if reply.text:
                parts = split_message(reply.text)
                for n, part in enumerate(parts):
                    last = n == len(parts) - 1
                    await call(bot, "sendMessage", chat_id=chat_id, text=part,
                               parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW,
                               reply_markup=markup(reply.buttons) if last else None)
        except Forbidden as exc:
            raise Blocked(exc.message) from exc
        except RetryAfter as exc:
            raise RetryLater(_wait(exc)) from exc
        except BadRequest as exc:
            raise Rejected(exc.message) from exc
        except NetworkError as exc:
            raise RetryLater(5.0, flood=False) from exc
