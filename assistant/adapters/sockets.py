"""httpcore's sockets on plain asyncio: the same HTTP client (httpx, httpcore, h11) without
anyio's cancel scope per read and write and its attribute lookups (a `getpeername` per
pooled connection per request), which cost more CPU than Mingel's plugins (docs/benchmarks.md).

httpcore documents network backends as its extension point; this one keeps what arrives in
a buffer, so "is this idle connection readable" (asked of every pooled connection on every
request) is a flag instead of a system call.
"""
from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore

READ_LIMIT = 1 << 16
"""Bytes buffered before the socket stops being read (flow control)."""
HAPPY_EYEBALLS = 0.25
"""Seconds before trying the next address (IPv4 when IPv6 is silently dropped), as anyio."""


class _Protocol(asyncio.Protocol):
    """Buffers incoming bytes and wakes the one reader or writer that waits."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.eof = self.closed = False
        self.error: Exception | None = None
        self.reading_paused = self.writing_paused = False
        self.waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) > READ_LIMIT and not self.reading_paused and self.transport:
            self.transport.pause_reading()
            self.reading_paused = True
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        """`exc` is None for a clean close (the end of the stream), else a reset or an error."""
        self.eof = self.closed = True
        self.error = exc
        self._wake()

    def pause_writing(self) -> None:
        self.writing_paused = True

    def resume_writing(self) -> None:
        self.writing_paused = False
        self._wake()

    def _wake(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    async def wait(self, timeout: float | None) -> None:
        """Until the next event (data, end, drained), or TimeoutError."""
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(timeout):
                await self.waiter
        finally:
            self.waiter = None


class AsyncioStream(httpcore.AsyncNetworkStream):
    """One connection, as httpcore reads and writes it."""

    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport, self._protocol = transport, protocol
        self._unsent: list[bytes] = []

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        p = self._protocol
        if self._unsent:
            with contextlib.suppress(httpcore.WriteError):
                await self._flush(timeout)  # the server answered or closed early: read that
        if not p.buffer and not p.eof:
            try:
                await p.wait(timeout)
            except TimeoutError as exc:
                raise httpcore.ReadTimeout("timed out reading") from exc
        if not p.buffer:
            if p.error is not None:
                raise httpcore.ReadError(str(p.error)) from p.error
            return b""
        if len(p.buffer) <= max_bytes:
            data = bytes(p.buffer)
            p.buffer.clear()
        else:
            data = bytes(p.buffer[:max_bytes])
            del p.buffer[:max_bytes]
        if p.reading_paused and len(p.buffer) <= READ_LIMIT:
            p.reading_paused = False
            self._transport.resume_reading()
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Held until the answer is read (or 64 KiB wait), so a request's head and body
        leave in one system call and one packet."""
        if not buffer:
            return
        if self._protocol.closed or self._transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self._unsent.append(buffer)
        if sum(map(len, self._unsent)) >= READ_LIMIT:
            await self._flush(timeout)

    async def _flush(self, timeout: float | None) -> None:
        p = self._protocol
        data = b"".join(self._unsent)
        self._unsent.clear()
        if p.closed or self._transport.is_closing():
            raise httpcore.WriteError("the connection is closed")
        self._transport.write(data)
        while p.writing_paused and not p.closed:
            try:
                await p.wait(timeout)
            except TimeoutError as exc:
                raise httpcore.WriteTimeout("timed out writing") from exc
        if p.closed:
            raise httpcore.WriteError(str(p.error or "the connection was closed"))

    async def aclose(self) -> None:
        self._unsent.clear()
        self._transport.close()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                transport = await loop.start_tls(self._transport, self._protocol, ssl_context,
                                                 server_hostname=server_hostname)
        except TimeoutError as exc:
            self._transport.close()
            raise httpcore.ConnectTimeout("timed out in the TLS handshake") from exc
        except (OSError, ssl.SSLError) as exc:
            self._transport.close()
            raise httpcore.ConnectError(str(exc)) from exc
        if transport is None:
            raise httpcore.ConnectError("the TLS handshake did not complete")
        self._protocol.transport = transport  # type: ignore[assignment]
        return AsyncioStream(transport, self._protocol)  # type: ignore[arg-type]

    def get_extra_info(self, info: str) -> Any:
        p = self._protocol
        if info == "is_readable":
            return p.eof or bool(p.buffer)
        names = {"ssl_object": "ssl_object", "client_addr": "sockname",
                 "server_addr": "peername", "socket": "socket"}
        return self._transport.get_extra_info(names[info]) if info in names else None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    """Connections for httpcore's pool, straight from the running asyncio loop."""

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None,
                          ) -> httpcore.AsyncNetworkStream:
        local = (local_address, 0) if local_address else None
        return await self._connect(timeout, socket_options, lambda loop: loop.create_connection(
            _Protocol, host, port, local_addr=local, happy_eyeballs_delay=HAPPY_EYEBALLS,
            interleave=1))

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: Iterable[Any] | None = None,
                                  ) -> httpcore.AsyncNetworkStream:
        return await self._connect(timeout, socket_options, lambda loop: loop.create_unix_connection(
            _Protocol, path))

    @staticmethod
    async def _connect(timeout: float | None, socket_options: Iterable[Any] | None,
                       opening: Any) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                transport, protocol = await opening(asyncio.get_running_loop())
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout("timed out connecting") from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = transport.get_extra_info("socket")
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(transport, protocol)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
