"""The terminal chat: talk to the assistant without Telegram (`mingel chat`, `make run`).

Buttons show as numbered choices (type the number to press; a number with no button, say
one from an earlier session, is told so); files the assistant sends are saved and their
path printed; messages the outbox has for this user appear too. Those for other users stay
queued until they open the chat (`--user N`) or `mingel run` sends them: several people
can try the assistant on one data directory one after another.
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from ..core import Assistant
from ..text import shorten, to_plain
from ..types import Chat, Incoming, Reply, User


class TerminalChat:
    """A line-based chat between one local user and an Assistant."""

    def __init__(self, assistant: Assistant, user: User, *, downloads: Path,
                 out: TextIO = sys.stdout, inp: TextIO = sys.stdin,
                 tick_seconds: float = 30.0) -> None:
        self.assistant = assistant
        self.user = user
        self.downloads = downloads
        self.out, self.inp = out, inp
        self.tick_seconds = tick_seconds
        self._buttons: dict[int, tuple[str, int]] = {}
        self._message_id = 0

    def reaches(self, chat_id: int) -> bool:
        """Only the user at the terminal: the outbox keeps other users' messages for their
        own chat instead of marking them sent here."""
        return chat_id == self.user.id

    async def send(self, chat_id: int, reply: Reply) -> None:
        """The outbox's transport: show a message for the user at the terminal."""
        self._show(reply)

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _show(self, reply: Reply, edited: bool = False) -> None:
        self._message_id += 1
        if reply.text:
            prefix = "(updated) " if edited else ""
            self._print("\n" + prefix + to_plain(reply.text))
        if reply.venue:
            v = reply.venue
            self._print(f"📍 {v.title}, {v.address} – https://www.openstreetmap.org/"
                        f"?mlat={v.latitude}&mlon={v.longitude}#map=17/{v.latitude}/{v.longitude}")
        if reply.document:
            self.downloads.mkdir(parents=True, exist_ok=True)
            path = self.downloads / Path(reply.document.filename).name
            path.write_bytes(reply.document.content)
            caption = f" – {to_plain(reply.document.caption)}" if reply.document.caption else ""
            self._print(f"📎 {path}{caption}")
        if reply.buttons:
            self._buttons = {}
            for row in reply.buttons:
                for button in row:
                    if button.url:
                        self._print(f"  🔗 {button.text}: {button.url}")
                    else:
                        number = len(self._buttons) + 1
                        self._buttons[number] = (button.data or "", self._message_id)
                        self._print(f"  [{number}] {button.text}")

    async def handle_line(self, line: str) -> None:
        """Turn one typed line into an update (a number presses a button)."""
        line = line.strip()
        if not line:
            return
        chat = Chat(self.user.id)
        number = line.isascii() and line.isdecimal()
        if number and len(line) <= 6 and int(line) in self._buttons:
            data, message_id = self._buttons[int(line)]
            incoming = Incoming(self.user, chat, callback_data=data, callback_id=line,
                                message_id=message_id)
        elif number and not self.assistant.users.expected(self.user.id):
            self._no_button(line)
            return
        else:
            incoming = Incoming(self.user, chat, text=line, message_id=self._message_id)
        with self.assistant.answering:
            replies, toast = await self.assistant.handle(incoming)
            self._buttons = {}
            if toast:
                self._print(f"  ({to_plain(toast)})")
            for reply in replies:
                self._show(reply, edited=reply.edit)

    def _no_button(self, number: str) -> None:
        """A number with no button of its own (typed from an earlier session, or out of
        range): said plainly, not "I didn't understand", and the buttons shown stay."""
        _ = self.assistant.context(user=self.user)._
        number = shorten(number, 12)
        self._print("\n" + (_("There is no button {number} here: type a number from 1 to "
                              "{last}.", number=number, last=len(self._buttons))
                           if self._buttons else
                           _("There is no button {number} here. Send /help to see what I "
                             "can do.", number=number)))

    async def run(self, banner: str = "") -> None:
        """Chat until end of input or Ctrl-C, with the outbox and ticker running; someone new
        to this data directory is welcomed (/start), someone who has chatted before is not
        (they send /start to see it again), as in Telegram."""
        await self.assistant.start()
        tasks = [asyncio.create_task(self.assistant.outbox.run(self)),
                 asyncio.create_task(self._ticker())]
        try:
            if banner:
                self._print(banner)
            if not self.assistant.users.known(self.user.id):
                await self.handle_line("/start")  # the welcome, once, as Telegram shows it
            loop = asyncio.get_running_loop()
            while True:
                self.out.write("> ")
                self.out.flush()
                line = await loop.run_in_executor(None, self.inp.readline)
                if not line:
                    break
                await self.handle_line(line)
                await asyncio.sleep(0)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self.assistant.stop()
            self._print("")

    async def _ticker(self) -> None:
        while True:
            await self.assistant.tick()
            await asyncio.sleep(self.tick_seconds)
