"""The terminal chat: talk to the assistant without Telegram (`mingel chat`, `make run`).

Buttons show as numbered choices, numbered on across every message of one answer (type
the number to press; a number with no button, say one from an earlier session, is told
so); files the assistant sends are saved in a folder of the user's own, deleted when they
are forgotten (/forget), and their path printed; messages the outbox has
for this user appear too, those that waited for them before the first prompt. Those for
other users stay queued until they open the chat (`--user N`) or `mingel run` sends them:
several people can try the assistant on one data directory one after another. A link to
the bot (`https://t.me/<bot>?start=…`), given with `--start` or typed as a line, is opened
as Telegram opens it: `/start` with the link's parameter, and no welcome before it; typed
as the answer the assistant asked for (the text of a broadcast), it is that text.
"""
from __future__ import annotations

import asyncio
import logging
import shutil
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, urlsplit

from ..core import Assistant
from ..logs import ToldInChat
from ..text import shorten, to_plain
from ..types import Chat, Incoming, Reply, User

LINK_HOSTS = frozenset({"t.me", "telegram.me", "www.t.me", "www.telegram.me"})
"""Where a link to a bot points."""


def start_parameter(line: str) -> str | None:
    """The start parameter of a link to a bot (`https://t.me/<bot>?start=inv-…`), else None."""
    line = line.strip()
    if "start=" not in line or any(c.isspace() for c in line):
        return None
    try:
        parts = urlsplit(line if "://" in line else f"https://{line}")
    except ValueError:  # "t.me/[x?start=y": not a link
        return None
    if parts.hostname not in LINK_HOSTS or parts.path.count("/") != 1:
        return None
    values = parse_qs(parts.query).get("start")
    return values[0] if values and values[0] else None


def start_line(link: str) -> str:
    """What opening `link` sends, as a Telegram app sends it: `/start` and the link's
    parameter; a parameter alone (`inv-…`) or a typed `/start …` is taken as it is."""
    link = link.strip()
    if (parameter := start_parameter(link)) is not None:
        return f"/start {parameter}"
    return link if link.startswith("/") else f"/start {link}"


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
        """Each number shown with a button: the button's data and its message's id."""
        self._next = 1
        self._message_id = 0
        self._answering = False
        self._held: list[Reply] = []
        assistant.erasers.append(self.erase_files)
        assistant.openers.append(self.arrive)

    def arrive(self) -> None:
        """The store is open: the user gets their name (`--name`, else the one they chatted
        under before, else "User N", never the machine's login name, which would end up in
        organisers' lists and exports), and someone who chatted before is recorded as now
        (name, the terminal's language), as their first line would, so that what the plugins
        queue for them as they start (the warning that the programme file changed) is in the
        language they chat in now, not the last session's."""
        users = self.assistant.users
        if not self.user.first_name:
            known = users.get(self.user.id).first_name
            _ = self.assistant.context(user=self.user, lang=users.language_for(self.user))._
            self.user = replace(self.user, first_name=known or _("User {id}", id=self.user.id))
        if users.known(self.user.id):
            users.seen(self.user)

    def files_of(self, user_id: int) -> Path:
        """The folder of the files saved for one user: each has their own, so that /forget
        can delete theirs and nobody else's."""
        return self.downloads / str(user_id)

    def erase_files(self, user_id: int) -> None:
        """A user was forgotten: the files saved for them (calendar files, /mydata's copy of
        everything) go too, not only what the store kept."""
        folder = self.files_of(user_id)
        if folder.is_dir():
            shutil.rmtree(folder)

    def reaches(self, chat_id: int) -> bool:
        """Only the user at the terminal: the outbox keeps other users' messages for their
        own chat instead of marking them sent here."""
        return chat_id == self.user.id

    async def send(self, chat_id: int, reply: Reply) -> None:
        """The outbox's transport: show a message for the user at the terminal; one that
        comes while an answer is worked on is shown after it, so that the answer's numbering
        does not take its buttons' numbers."""
        if self._answering:
            self._held.append(reply)
        else:
            self._show(reply)

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def _show(self, reply: Reply, edited: int | None = None) -> None:
        """Print one message; its buttons take the next numbers. `edited` is the id of the
        message it replaces (a pressed card updated in place), whose numbers are dropped."""
        if edited is None:
            self._message_id += 1
            message_id = self._message_id
        else:
            message_id = edited
            self._buttons = {n: b for n, b in self._buttons.items() if b[1] != edited}
        if reply.text:
            _ = self.assistant.context(user=self.user)._
            prefix = _("(updated)") + " " if edited is not None else ""
            self._print("\n" + prefix + to_plain(reply.text))
        if reply.venue:
            v = reply.venue
            self._print(f"📍 {v.title}, {v.address} – https://www.openstreetmap.org/"
                        f"?mlat={v.latitude}&mlon={v.longitude}#map=17/{v.latitude}/{v.longitude}")
        if reply.document:
            folder = self.files_of(self.user.id)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / Path(reply.document.filename).name
            path.write_bytes(reply.document.content)
            caption = f" – {to_plain(reply.document.caption)}" if reply.document.caption else ""
            self._print(f"📎 {path}{caption}")
        for row in reply.buttons:
            for button in row:
                if button.url:
                    self._print(f"  🔗 {button.text}: {button.url}")
                else:
                    self._buttons[self._next] = (button.data or "", message_id)
                    self._print(f"  [{self._next}] {button.text}")
                    self._next += 1

    def _new_answer(self) -> None:
        """Forget the numbers shown so far: the next buttons are numbered from 1 again."""
        self._buttons, self._next = {}, 1

    async def handle_line(self, line: str) -> None:
        """Turn one typed line into an update (a number presses a button). The buttons of
        every message of the answer are numbered on from 1; an answer to a press that only
        updates the pressed message keeps the other messages' numbers, and the updated
        message's buttons take new ones, so a number never comes to mean another button."""
        line = line.strip()
        if not line:
            return
        if (parameter := start_parameter(line)) is not None \
                and not self.assistant.users.expected(self.user.id):
            line = f"/start {parameter}"  # a link to the bot opens it, as a tap does; one
            # typed as the answer asked for (a broadcast's text) is text, as sent in Telegram
        chat = Chat(self.user.id)
        number = line.isascii() and line.isdecimal()
        pressed: int | None = None
        if number and len(line) <= 6 and int(line) in self._buttons:
            data, pressed = self._buttons[int(line)]
            incoming = Incoming(self.user, chat, callback_data=data, callback_id=line,
                                message_id=pressed)
        elif number and not self.assistant.users.expected(self.user.id):
            self._no_button(line)
            return
        else:
            incoming = Incoming(self.user, chat, text=line, message_id=self._message_id)
        self._answering = True
        try:
            with self.assistant.answering:
                replies, toast = await self.assistant.handle(incoming)
                if pressed is None or not all(reply.edit for reply in replies):
                    self._new_answer()
                if toast:
                    self._print(f"  ({to_plain(toast)})")
                for reply in replies:
                    self._show(reply, edited=pressed if reply.edit else None)
        finally:
            self._answering = False
            held, self._held = self._held, []
            for reply in held:
                self._show(reply)

    def _no_button(self, number: str) -> None:
        """A number with no button of its own (typed from an earlier session, or out of
        range): said plainly, not "I didn't understand", and the buttons shown stay."""
        _ = self.assistant.context(user=self.user)._
        number = shorten(number, 12)
        shown = sorted(self._buttons)
        if not shown:
            text = _("There is no button {number} here. Send /help to see what I can do.",
                     number=number)
        elif shown == list(range(shown[0], shown[-1] + 1)):
            text = _("There is no button {number} here: type a number from {first} to "
                     "{last}.", number=number, first=shown[0], last=shown[-1])
        else:
            text = _("There is no button {number} here: type one of the numbers shown with "
                     "the buttons ({numbers}).", number=number, numbers=_spans(shown))
        self._print("\n" + text)

    async def run(self, banner: str | Callable[[], str] = "", start: str = "") -> None:
        """Chat until end of input or Ctrl-C, with the outbox and ticker running; someone new
        to this data directory is welcomed (/start), someone who has chatted before is not
        (they send /start to see it again), as in Telegram. Opened from a link (`start`: the
        link or its parameter), the chat begins with what the link sends and nothing else,
        newcomer or not, as in Telegram, where such a link's /start is the chat's first
        message (an invitation greets them itself). A start-up warning they are also sent as a
        message is shown once, as the message (`logs.TOLD`). What is due for this user at the
        start (messages that waited while they were away, reminders due now) is shown before
        the first prompt, its buttons numbered, so a number typed at once presses them. The
        banner may be made once the store is open (it names the user's roles)."""
        told = ToldInChat(self.user.id)  # a warning also sent to them is shown once, sent
        handlers = list(logging.getLogger().handlers)
        for handler in handlers:
            handler.addFilter(told)
        tasks: list[asyncio.Task[None]] = []
        try:
            await self.assistant.start()
            if banner:
                self._print(banner() if callable(banner) else banner)
            if start:
                await self.handle_line(start_line(start))
            elif not self.assistant.users.known(self.user.id):
                await self.handle_line("/start")  # the welcome, once, as Telegram shows it
            await self.assistant.tick()
            await self.assistant.outbox.drain(self)
            tasks = [asyncio.create_task(self.assistant.outbox.run(self)),
                     asyncio.create_task(self._ticker())]
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
            for handler in handlers:
                handler.removeFilter(told)
            self._print("")

    async def _ticker(self) -> None:
        """Time-driven work every `tick_seconds` (the first tick ran before the prompt)."""
        while True:
            await asyncio.sleep(self.tick_seconds)
            await self.assistant.tick()


def _spans(numbers: list[int]) -> str:
    """Sorted numbers as runs, "1–5, 11–15", for a user who typed one in a gap."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)
