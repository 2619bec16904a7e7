"""Mingel's asyncio sockets under httpx: keep-alive, a server that hangs up, timeouts, big
bodies, refused connections and TLS (the Bot API is HTTPS), against local servers."""
from __future__ import annotations

import asyncio
import json
import shutil
import socket
import ssl
import struct
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from assistant.adapters import sockets
from assistant.adapters.request import BotRequest, PoolTransport, pool

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], object]


async def _read_request(reader: asyncio.StreamReader) -> bytes | None:
    """One HTTP/1.1 request's head and body (Content-Length only, as httpx sends JSON)."""
    head = await reader.readuntil(b"\r\n\r\n") if not reader.at_eof() else b""
    if not head:
        return None
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    return await reader.readexactly(length)


def _response(body: bytes, close: bool = False) -> bytes:
    extra = b"Connection: close\r\n" if close else b""
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n"
            % (len(body), extra)) + body


class Server:
    """A tiny HTTP/1.1 server counting connections; `behaviour` answers each request."""

    def __init__(self, behaviour: str = "echo", tls: ssl.SSLContext | None = None) -> None:
        self.behaviour, self.tls = behaviour, tls
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while (body := await _read_request(reader)) is not None:
                if self.behaviour == "hang":
                    await asyncio.sleep(30)
                elif self.behaviour == "big":
                    writer.write(_response(b"x" * 1_000_000))
                elif self.behaviour == "close-after":
                    writer.write(_response(b'{"ok":true}'))
                    await writer.drain()
                    break
                else:
                    writer.write(_response(json.dumps({"echo": body.decode()}).encode()))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"{'https' if self.tls else 'http'}://localhost:{port}/"


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., object]]:
    servers: list[asyncio.Server] = []

    async def start(behaviour: str = "echo", tls: ssl.SSLContext | None = None) -> Server:
        server = Server(behaviour, tls)
        server.server = await asyncio.start_server(server.handle, "127.0.0.1", 0, ssl=tls)
        servers.append(server.server)
        return server

    yield start
    for server in servers:
        server.close()


def client(verify: ssl.SSLContext | bool = True, **kwargs: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=PoolTransport(pool(2, verify)), **kwargs)


async def test_requests_reuse_one_connection(serve) -> None:
    server = await serve()
    async with client() as http:
        for n in range(5):
            answer = await http.post(server.url, json={"n": n})
            assert json.loads(answer.json()["echo"]) == {"n": n}
    assert server.connections == 1


async def test_a_connection_the_server_closed_is_not_reused(serve) -> None:
    server = await serve("close-after")
    async with client() as http:
        for _ in range(3):
            assert (await http.post(server.url, json={})).json() == {"ok": True}
            await asyncio.sleep(0.05)
    assert server.connections == 3


async def test_a_big_answer_arrives_whole(serve) -> None:
    server = await serve("big")
    async with client() as http:
        answer = await http.post(server.url, json={})
    assert answer.content == b"x" * 1_000_000


async def test_a_silent_server_times_out(serve) -> None:
    server = await serve("hang")
    async with client(timeout=0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.post(server.url, json={})


async def test_a_refused_connection_is_a_connect_error() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    async with client() as http:
        with pytest.raises(httpx.ConnectError):
            await http.post(f"http://127.0.0.1:{port}/", json={})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost (openssl, as on any Linux machine)."""
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a test certificate"
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


async def test_https_is_verified_and_works(serve, certificate) -> None:
    cert, key = certificate
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    server = await serve(tls=tls)
    async with client(verify=ssl.create_default_context(cafile=str(cert))) as http:
        for n in range(3):
            answer = await http.post(server.url, json={"n": n})
            assert json.loads(answer.json()["echo"]) == {"n": n}
    assert server.connections == 1
    async with client() as http:
        with pytest.raises(httpx.ConnectError):
            await http.post(server.url, json={})


async def test_bot_calls_are_json_posts_through_one_pool(serve) -> None:
    server = await serve()
    request = BotRequest(2, read_timeout=5)
    await request.initialize()
    try:
        for n in range(3):
            status, body = await request.do_request(
                server.url, "POST", RequestData([RequestParameter.from_input("chat_id", n),
                                                 RequestParameter.from_input("text", "Hej & välkommen")]))
            assert status == 200
            assert json.loads(json.loads(body)["echo"]) == {"chat_id": n,
                                                            "text": "Hej & välkommen"}
    finally:
        await request.shutdown()
    assert server.connections == 1


async def test_bot_calls_map_failures_to_ptb_errors(serve) -> None:
    silent = await serve("hang")
    request = BotRequest(1, read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(silent.url, "POST", RequestData([]))
        with pytest.raises(NetworkError, match="ConnectError"):
            await request.do_request("http://127.0.0.1:9/", "POST", RequestData([]))
    finally:
        await request.shutdown()
    await request.initialize()
    try:
        server = await serve()
        status, _ = await request.do_request(server.url, "POST", RequestData([]))
        assert status == 200
    finally:
        await request.shutdown()


async def test_a_request_leaves_in_one_write_when_its_answer_is_awaited() -> None:
    """httpcore writes a request's head and body separately; they go out together."""

    class Wire:
        def __init__(self) -> None:
            self.writes: list[bytes] = []

        def write(self, data: bytes) -> None:
            self.writes.append(data)

        def is_closing(self) -> bool:
            return False

    wire, protocol = Wire(), sockets._Protocol()
    stream = sockets.AsyncioStream(wire, protocol)  # type: ignore[arg-type]
    await stream.write(b"POST / HTTP/1.1\r\n\r\n")
    await stream.write(b'{"chat_id": 1}')
    assert wire.writes == []
    protocol.data_received(b"HTTP/1.1 200 OK\r\n")
    assert await stream.read(100) == b"HTTP/1.1 200 OK\r\n"
    assert wire.writes == [b'POST / HTTP/1.1\r\n\r\n{"chat_id": 1}']


async def test_a_reset_in_the_middle_of_an_answer_is_an_error_not_an_ending() -> None:
    """A body that ends when the server closes is whole only if the close was clean."""

    async def reset(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npartial-")
        await writer.drain()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    async def clean(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nwhole body")
        await writer.drain()
        writer.close()

    for handler, expected in ((clean, b"whole body"), (reset, None)):
        server = await asyncio.start_server(handler, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        async with client() as http:
            if expected is None:
                with pytest.raises(httpx.ReadError):
                    await http.post(url, json={})
            else:
                assert (await http.post(url, json={})).content == expected
        server.close()


async def test_downloads_are_plain_gets_and_odd_text_still_goes_out() -> None:
    """A file download is a GET without a body; a lone surrogate in a text (which UTF-8
    cannot hold) is sent escaped instead of failing before it leaves."""
    seen: list[bytes] = []

    async def record(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while not reader.at_eof():
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            seen.append(head.split(b"\r\n", 1)[0] + b" " + await reader.readexactly(length))
            writer.write(_response(b'{"ok":true}'))
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(record, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/file"
    request = BotRequest(1, read_timeout=5)
    await request.initialize()
    try:
        assert (await request.do_request(url, "GET"))[0] == 200
        odd = RequestData([RequestParameter.from_input("text", "Hej \ud800 då")])
        assert (await request.do_request(url, "POST", odd))[0] == 200
    finally:
        await request.shutdown()
        server.close()
    assert seen[0] == b"GET /file HTTP/1.1 "
    method, body = seen[1].split(b" ", 3)[0], seen[1].split(b" ", 3)[3]
    assert method == b"POST" and json.loads(body) == {"text": "Hej \ud800 då"}


async def test_an_upload_is_one_multipart_body_through_the_pool(monkeypatch) -> None:
    """A calendar file goes as one multipart body made here, not through httpx's client,
    and Telegram (the stub, aiohttp's form parser) reads the same name, bytes and caption;
    a file read from a handle still goes PTB's way."""
    from telegram import Bot, InputFile

    from assistant.stub import BotApiStub

    stub = BotApiStub(token="123:abc").run_in_thread()
    stub.add_user(7, first_name="Karin")
    through_httpx: list[str] = []
    send = httpx.AsyncClient.send

    async def counted(self: httpx.AsyncClient, request: httpx.Request, **kwargs: object) -> object:
        through_httpx.append(request.url.path)
        return await send(self, request, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "send", counted)
    bot = Bot("123:abc", base_url=stub.base_url, request=BotRequest(2, read_timeout=5),
              get_updates_request=BotRequest(1, read_timeout=5))
    await bot.initialize()
    content = b"BEGIN:VCALENDAR\r\nSUMMARY:M\xc3\xb6te\r\nEND:VCALENDAR\r\n"
    name = 'am-2027-09-03 "Möte" \\ 1.ics'
    try:
        await bot.send_document(7, InputFile(content, filename=name),
                                caption='Öppna filen <b>"nu"</b>', parse_mode="HTML")
        with (Path(__file__).parent / "conftest.py").open("rb") as handle:
            await bot.send_document(7, InputFile(handle, filename="conftest.py",
                                                 read_file_handle=False))
    finally:
        await bot.shutdown()
        stub.stop_thread()
    first, second = [r for r in stub.sent if r.method == "sendDocument"]
    assert first.document_bytes == content
    assert first.document_name == name.replace('"', "%22")  # as browsers and httpx send it
    assert first.caption == 'Öppna filen <b>"nu"</b>' and first.parse_mode == "HTML"
    assert second.document_bytes == (Path(__file__).parent / "conftest.py").read_bytes()
    assert through_httpx == ["/bot123:abc/sendDocument"]


def test_the_multipart_body_is_byte_for_byte_what_httpx_would_send() -> None:
    """The body made by hand is httpx's (field order, quoting of names and file names, the
    file's type), so Telegram reads it as it read PTB's uploads."""
    from assistant.adapters.request import multipart

    fields = {"chat_id": "7", "caption": 'Öppna "nu" \\ <b>här</b>', "parse_mode": "HTML",
              "document": "attach://document"}
    files = {"document": ('möte "1"\\\n.ics', b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                          "text/calendar")}
    body, kind = multipart(fields, files)
    assert kind.startswith(b"multipart/form-data; boundary=")
    theirs = httpx.Request("POST", "http://127.0.0.1/", data=fields, files=files,
                           headers={"Content-Type": kind.decode()}).read()
    assert body == theirs
