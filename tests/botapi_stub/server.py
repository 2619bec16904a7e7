"""The stub's HTTP server: a fake Telegram Bot API on 127.0.0.1 for the real PTB stack."""
from __future__ import annotations

import asyncio
import inspect
import itertools
import re
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web

from .markup import DEFAULT_TOKEN, ApiError, _bad
from .records import ApiCall, SentRecord, StoredFile, StoredMessage, StubUser, _Fault, _SyncFacade

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder
from .driving import Driving
from .inspection import Inspection
from .messages import MessageMethods
from .methods import BotMethods
from .params import Params

# --------------------------------------------------------------------------- the server


class BotApiStub(Params, BotMethods, MessageMethods, Driving, Inspection):
    """An in-process HTTP server speaking the Telegram Bot API subset Mingel needs."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "mingel_test_bot",
        bot_first_name: str = "Mingel Test",
        flood_limits: bool = False,
        global_rate: int = 30,
        per_chat_rate: float = 1.0,
        per_chat_burst: int = 3,
        group_rate: int = 20,
        strict_html: bool = True,
    ):
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456789
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.flood_limits = flood_limits
        self.global_rate = global_rate
        self.per_chat_rate = per_chat_rate
        self.per_chat_burst = per_chat_burst
        self.group_rate = group_rate
        self.strict_html = strict_html

        self.sent: list[SentRecord] = []
        self.requests: list[ApiCall] = []
        self.flood_errors = 0
        self.internal_errors: list[Exception] = []
        self.users: dict[int, StubUser] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.webhook_url = ""
        self.settings: dict[str, dict[str, Any]] = defaultdict(dict)

        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._last_message_id: dict[int, int] = defaultdict(int)
        self._blocked: set[int] = set()
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._reply_keyboards: dict[int, dict[str, Any]] = {}
        self._queries: dict[str, dict[str, Any]] = {}
        self._updates: list[tuple[int, dict[str, Any]]] = []
        self._update_ids = itertools.count(10_000)
        self._ids = itertools.count(1)
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._faults: deque[_Fault] = deque()
        self._offline_until: float | None = None
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = defaultdict(deque)
        self._cursor = 0
        self._chat_cursors: dict[int, int] = defaultdict(int)

        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._waiters: list[asyncio.Future[None]] = []
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._port: int | None = None
        self._closing = False
        self._thread: threading.Thread | None = None
        self.sync = _SyncFacade(self)

        self._handlers: dict[str, tuple[str, Callable[..., Any]]] = {}
        for name in (
            "getMe",
            "logOut",
            "close",
            "getUpdates",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "setMyDescription",
            "getMyDescription",
            "setMyShortDescription",
            "getMyShortDescription",
            "setMyName",
            "getMyName",
            "setChatMenuButton",
            "getChatMenuButton",
            "getChat",
            "getFile",
            "sendMessage",
            "sendDocument",
            "sendPhoto",
            "sendVenue",
            "sendLocation",
            "sendChatAction",
            "editMessageText",
            "editMessageCaption",
            "editMessageReplyMarkup",
            "deleteMessage",
            "answerCallbackQuery",
        ):
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
            self._handlers[name.lower()] = (name, getattr(self, f"_m_{snake}"))

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """Root URL; PTB needs base_url=f"{url}/bot" and base_file_url=f"{url}/file/bot"."""
        if self._port is None:
            raise RuntimeError("BotApiStub is not started")
        return f"http://127.0.0.1:{self._port}"

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder.base_url()."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ApplicationBuilder.base_file_url()."""
        return f"{self.url}/file/bot"

    def application_builder(self) -> ApplicationBuilder:
        """A PTB ApplicationBuilder already pointed at this stub."""
        from telegram.ext import ApplicationBuilder

        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )

    async def start(self) -> Self:
        """Listen on a free 127.0.0.1 port inside the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5
        )
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await self._site.start()
        server = self._site._server
        assert server is not None and server.sockets
        self._port = server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Release held long polls and close the server."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def run_in_thread(self, timeout: float = 10.0) -> Self:
        """Serve from a daemon thread with its own loop (for bots in subprocesses or sync tests)."""
        ready = threading.Event()
        errors: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
                errors.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=serve, name="botapi-stub", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("BotApiStub thread did not start")
        if errors:
            raise errors[0]
        return self

    def stop_thread(self, timeout: float = 10.0) -> None:
        """Stop a stub started with run_in_thread() and join its thread."""
        loop = self._require_loop()
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _require_loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise RuntimeError("BotApiStub is not started")
        return self._loop

    def _threadsafe(self, fn: Callable[[], None]) -> None:
        """Run loop-bound bookkeeping on the stub's loop from any thread."""
        if self._loop is None or self._loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            fn()
        else:
            self._loop.call_soon_threadsafe(fn)

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def _changed(self, timeout: float) -> None:
        """Sleep until some state changes or the timeout passes."""
        waiter = self._require_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            pass

    # ------------------------------------------------------------------ HTTP layer

    def _json(self, payload: dict[str, Any], status: int = 200) -> web.Response:
        return web.json_response(payload, status=status)

    def _error(self, error: ApiError) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": error.code,
            "description": error.description,
        }
        if error.parameters:
            body["parameters"] = error.parameters
        return self._json(body, status=error.code)

    def _is_offline(self) -> bool:
        return self._offline_until is not None and time.monotonic() < self._offline_until

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        if self._is_offline():
            return self._error(ApiError(502, "Bad Gateway"))
        return self._error(ApiError(404, "Not Found"))

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if self._is_offline():
            return self._error(ApiError(502, "Bad Gateway"))
        if request.match_info["token"] != self.token:
            return self._error(ApiError(401, "Unauthorized"))
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(
                    body=stored.data, content_type=stored.mime_type or "application/octet-stream"
                )
        return self._error(ApiError(404, "Not Found"))

    async def _read_params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str]]]:
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes, str]] = {}
        if request.method == "POST" and request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError as exc:
                    raise _bad("can't parse JSON request body") from exc
                if isinstance(body, dict):
                    params.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = (value.filename, value.file.read(), value.content_type)
                    else:
                        params[key] = value
        return params, files

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        lower = method.lower()
        canonical = self._handlers.get(lower, (method, None))[0]
        params: dict[str, Any] = {}
        try:
            if self._is_offline():
                raise ApiError(502, "Bad Gateway")
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            handler = self._handlers.get(lower, (method, None))[1]
            if handler is None:
                raise ApiError(404, f"Not Found: method {method} is not implemented by BotApiStub")
            params, files = await self._read_params(request)
            fault = next((f for f in self._faults if f.matches(lower)), None)
            if fault is not None:
                self._faults.remove(fault)
                if fault.delay is not None:
                    await asyncio.sleep(fault.delay)
                else:
                    raise self._fault_error(fault)
            result = handler(params, files)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            self.requests.append(ApiCall(canonical, params, error.code, error.description))
            return self._error(error)
        except Exception as exc:  # noqa: BLE001 - surfaced to the client and kept for asserts
            self.internal_errors.append(exc)
            error = ApiError(500, f"Internal Server Error: BotApiStub bug: {exc!r}")
            self.requests.append(ApiCall(canonical, params, 500, error.description))
            return self._error(error)
        self.requests.append(ApiCall(canonical, params, 200, None))
        return self._json({"ok": True, "result": result})

    @staticmethod
    def _fault_error(fault: _Fault) -> ApiError:
        if fault.status == 429:
            return ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        try:
            phrase = HTTPStatus(fault.status).phrase
        except ValueError:
            phrase = "Error"
        return ApiError(fault.status, fault.description or phrase)

