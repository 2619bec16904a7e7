"""PTB's HTTP client for Mingel: httpx's, minus the layers the Bot API does not use.

A Bot API call is a POST whose answer is read whole. httpx's client layer (URL merging,
cookies, auth and redirect handling) and anyio's socket layer cost more CPU per call than
Mingel's plugins do per update (docs/benchmarks.md), so calls go straight to httpcore's
connection pool on asyncio sockets (`sockets.py`): without files as JSON (which the Bot API
takes for every call without files; PTB form-encodes, character by character in Python),
with files in memory (a calendar file) as one multipart body made here. Files read from a
handle, downloads (GET) and set-ups with a proxy in the environment keep PTB's own path
through httpx.
"""
from __future__ import annotations

import functools
import json
import re
import secrets
import ssl
import urllib.request
from typing import Any

import httpcore
import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from .sockets import AsyncioBackend

KEEPALIVE_SECONDS = 5.0
JSON = b"application/json"
_FAILURES = (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol,
             httpcore.ProxyError)


@functools.cache
def _context(verify: bool) -> ssl.SSLContext:
    """httpx's TLS set-up, made once for every pool: loading the certificate store takes
    30 ms, and the calls and the long poll each have a pool."""
    return httpx.create_ssl_context(verify)


def pool(connections: int, verify: ssl.SSLContext | bool = True) -> httpcore.AsyncConnectionPool:
    """Keep-alive connections on asyncio sockets, with httpx's certificate checks."""
    context = verify if isinstance(verify, ssl.SSLContext) else _context(verify)
    return httpcore.AsyncConnectionPool(
        ssl_context=context, max_connections=connections,
        max_keepalive_connections=connections, keepalive_expiry=KEEPALIVE_SECONDS,
        network_backend=AsyncioBackend())


class PoolTransport(httpx.AsyncBaseTransport):
    """httpx over a given httpcore pool (the upload path shares the calls' connections)."""

    def __init__(self, connections: httpcore.AsyncConnectionPool) -> None:
        self.connections = connections

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            answer = await self.connections.request(
                request.method, str(request.url), headers=request.headers.raw,
                content=await request.aread(), extensions=request.extensions)
        except (httpcore.TimeoutException, *_FAILURES) as exc:
            same = getattr(httpx, type(exc).__name__, httpx.TransportError)
            raise same(str(exc), request=request) from exc
        return httpx.Response(answer.status, headers=answer.headers, content=answer.content)

    async def aclose(self) -> None:
        await self.connections.aclose()


class BotRequest(HTTPXRequest):
    """HTTPXRequest whose calls without files skip httpx's client layer."""

    def __init__(self, connections: int, read_timeout: float, pool_timeout: float = 60.0,
                 connect_timeout: float = 10.0, verify: ssl.SSLContext | bool = True) -> None:
        self._connections, self._verify = connections, verify
        self._pool = pool(connections, verify)
        self._direct = not {k for k in urllib.request.getproxies() if k != "no"}
        kwargs: dict[str, Any] = {"transport": PoolTransport(self._pool)} if self._direct else {}
        super().__init__(connection_pool_size=connections, connect_timeout=connect_timeout,
                         read_timeout=read_timeout, write_timeout=read_timeout,
                         pool_timeout=pool_timeout, httpx_kwargs=kwargs)

    async def initialize(self) -> None:
        """A fresh pool after a shutdown (PTB may initialise a request again)."""
        if self._direct and self._client.is_closed:
            self._pool = pool(self._connections, self._verify)
            self._client_kwargs["transport"] = PoolTransport(self._pool)
        await super().initialize()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        """Post the parameters as JSON, or with their files as multipart, through the pool."""
        files = request_data.multipart_data if request_data is not None else None
        if not self._direct or method != "POST" or request_data is None \
                or files and not all(isinstance(f[1], bytes) for f in files.values()):
            return await super().do_request(url, method, request_data, read_timeout,
                                            write_timeout, connect_timeout, pool_timeout)
        if self._client.is_closed:
            raise RuntimeError("This BotRequest is not initialized!")
        defaults = self._client.timeout
        timeout = {"connect": _given(connect_timeout, defaults.connect),
                   "read": _given(read_timeout, defaults.read),
                   "write": _given(write_timeout, defaults.write),
                   "pool": _given(pool_timeout, defaults.pool)}
        if files:
            body, kind = multipart(request_data.json_parameters, files)
        else:
            body, kind = _json(request_data.parameters), JSON
        headers = [(b"User-Agent", self.USER_AGENT.encode()), (b"Content-Type", kind)]
        try:
            answer = await self._pool.request(method, url, headers=headers, content=body,
                                              extensions={"timeout": timeout})
        except httpcore.PoolTimeout as exc:
            raise TimedOut("Pool timeout: every connection to the Bot API is busy; the "
                           "request was not sent.") from exc
        except httpcore.TimeoutException as exc:
            raise TimedOut from exc
        except _FAILURES as exc:
            raise NetworkError(f"httpcore.{type(exc).__name__}: {exc}") from exc
        return answer.status, answer.content


def _given(value: Any, default: float | None) -> float | None:
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


def _json(parameters: dict[str, Any]) -> bytes:
    """UTF-8 JSON; a text with a lone surrogate (which UTF-8 cannot hold) goes escaped, so
    Telegram judges it rather than the encoder failing on every retry."""
    try:
        return json.dumps(parameters, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        return json.dumps(parameters).encode()


_QUOTED = {'"': "%22", "\\": "\\\\"} | {chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B}
_TO_QUOTE = re.compile("|".join(re.escape(c) for c in _QUOTED))


def _param(name: str, value: str) -> bytes:
    """`name="value"` in a part's header, quoted as browsers and httpx quote form fields."""
    return f'{name}="{_TO_QUOTE.sub(lambda m: _QUOTED[m.group(0)], value)}"'.encode()


def multipart(fields: dict[str, str], files: dict[str, Any]) -> tuple[bytes, bytes]:
    """A multipart/form-data body of text fields and in-memory files (name: (filename,
    bytes, MIME type)), as httpx would encode it, and its Content-Type."""
    boundary = secrets.token_hex(16).encode()
    parts: list[bytes] = []
    for name, value in fields.items():
        parts += [b"--", boundary, b"\r\nContent-Disposition: form-data; ", _param("name", name),
                  b"\r\n\r\n", value.encode(), b"\r\n"]
    for name, (filename, content, mime) in files.items():
        parts += [b"--", boundary, b"\r\nContent-Disposition: form-data; ", _param("name", name),
                  b"; ", _param("filename", filename or name), b"\r\nContent-Type: ",
                  (mime or "application/octet-stream").encode(), b"\r\n\r\n", content, b"\r\n"]
    parts += [b"--", boundary, b"--\r\n"]
    return b"".join(parts), b"multipart/form-data; boundary=" + boundary
