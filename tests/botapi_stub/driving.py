"""Driving the stub as Telegram's users would: messages, files, button presses, waiting."""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .markdown import _detect_commands
from .markup import DEFAULT_EXCLUDED_UPDATES
from .records import SentRecord, StoredMessage, StubUser, _on_loop


class Driving:
    """What a test does as a user, and waiting for the bot's answers."""

    # ------------------------------------------------------------------ test driving API

    def add_user(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> StubUser:
        """Register (or update) a user with a private chat, as if they had pressed Start."""
        user = self.users.get(user_id)
        if user is None:
            user = StubUser(user_id)
            self.users[user_id] = user
        if first_name is not None:
            user.first_name = first_name
        if last_name is not None:
            user.last_name = last_name
        if username is not None:
            user.username = username
        if language_code is not None:
            user.language_code = language_code
        self.chats[user_id] = user.chat_api()
        return user

    def add_chat(
        self,
        chat_id: int,
        *,
        type: str = "group",
        title: str = "Test group",
        username: str | None = None,
    ) -> dict[str, Any]:
        """Register a group/supergroup/channel the bot is a member of."""
        chat: dict[str, Any] = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        self.chats[chat_id] = chat
        return chat

    def _drive(
        self, user_id: int, chat_id: int | None, profile: dict[str, Any]
    ) -> tuple[StubUser, int]:
        """Common bookkeeping before a user action: profile, chat, unblock, cursors."""
        user = self.add_user(user_id, **profile)
        target = user_id if chat_id is None else chat_id
        if target not in self.chats:
            raise LookupError(f"unknown chat {target}; register groups with add_chat()")
        self._blocked.discard(user_id)
        self._cursor = len(self.sent)
        self._chat_cursors[target] = len(self.messages_to(target))
        return user, target

    def _push(self, update: dict[str, Any]) -> int | None:
        kind = next(iter(update))
        allowed = self._allowed_updates
        if (allowed and kind not in allowed) or (not allowed and kind in DEFAULT_EXCLUDED_UPDATES):
            return None
        update_id = next(self._update_ids)
        self._updates.append((update_id, {"update_id": update_id, **update}))
        self._notify()
        return update_id

    @_on_loop
    async def push_update(self, update: dict[str, Any]) -> int | None:
        """Queue an arbitrary update body (e.g. {"my_chat_member": {...}}); returns its update_id."""
        return self._push(update)

    @_on_loop
    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """Push a message from a user (private chat unless chat_id); returns its message_id.

        A new user defaults to first_name "Anna" and language_code "sv"; later calls keep the
        profile unless given. Writing to the bot unblocks it, as a Telegram client does.
        """
        user, target = self._drive(
            user_id,
            chat_id,
            {
                "first_name": first_name,
                "last_name": last_name,
                "username": username,
                "language_code": language_code,
            },
        )
        return self._from_user(user, target, text=text, entities=_detect_commands(text),
                               source_text=text)

    def _from_user(self, user: StubUser, target: int, **content: Any) -> int:
        """A user's message in `target`, stored and pushed as an update; its message_id."""
        message = StoredMessage(
            chat=dict(self.chats[target]),
            message_id=self._next_message_id(target),
            sender=user.to_api(),
            from_bot=False,
            date=int(time.time()),
            **content,
        )
        self._messages[(target, message.message_id)] = message
        self._push({"message": message.to_api()})
        return message.message_id

    @_on_loop
    async def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        first_name: str | None = None,
        language_code: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """Push a message with a document the bot can download via getFile; returns message_id."""
        user, target = self._drive(
            user_id, chat_id, {"first_name": first_name, "language_code": language_code}
        )
        stored = self._new_file(bytes(content), filename, mime_type, "documents")
        return self._from_user(user, target, caption=caption,
                               caption_entities=_detect_commands(caption or ""), document=stored)

    @_on_loop
    async def press(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        check: bool = True,
    ) -> str:
        """Push a callback_query for a button on a bot message; returns the query id.

        With ``check`` the message must currently carry a button with that callback_data;
        pass ``check=False`` to simulate a stale client pressing an outdated button.
        """
        user, target = self._drive(user_id, chat_id, {})
        message = self._messages.get((target, message_id))
        if message is None or message.deleted or not message.from_bot:
            raise LookupError(f"no bot message {message_id} in chat {target}")
        if check and not any(
            b.get("callback_data") == data for row in message.buttons for b in row
        ):
            raise LookupError(
                f"message {message_id} has no button with callback_data {data!r}; "
                f"buttons: {[(b['text'], b.get('callback_data')) for row in message.buttons for b in row]}"
            )
        query_id = str(next(self._ids) * 7919 + 4_000_000_000)
        self._queries[query_id] = {
            "chat_id": target,
            "message_id": message_id,
            "data": data,
            "answer": None,
        }
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_api(),
                    "message": message.to_api(),
                    "chat_instance": str(abs(hash((self.bot_id, target))) % 10**18),
                    "data": data,
                }
            }
        )
        return query_id

    @_on_loop
    async def press_button(
        self, user_id: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> str | int:
        """Press the button labelled ``text``: callback buttons yield a query id, reply-keyboard
        buttons send their text as a message (returns its message_id)."""
        target = user_id if chat_id is None else chat_id
        message = self._messages.get((target, message_id))
        if message is None or message.deleted:
            raise LookupError(f"no message {message_id} in chat {target}")
        button = message.button(text)
        if button is None and target in self._reply_keyboards:
            current = StoredMessage({}, 0, {}, True, 0, reply_markup=self._reply_keyboards[target])
            if current.button(text) is not None:
                return await self.send_text(user_id, current.button(text)["text"], chat_id=chat_id)
        if button is None:
            raise LookupError(
                f"no button {text!r} on message {message_id}; has {message.button_texts}"
            )
        if "callback_data" in button:
            return await self.press(user_id, message_id, button["callback_data"], chat_id=chat_id)
        if "keyboard" in (message.reply_markup or {}):
            return await self.send_text(user_id, button["text"], chat_id=chat_id)
        raise ValueError(f"button {text!r} is not pressable by the stub: {button}")

    # ------------------------------------------------------------------ waiting

    @_on_loop
    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``condition()`` holds, re-checking whenever the stub's state changes."""
        loop = self._require_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met within {timeout}s; sent: {self._describe()}")
            await self._changed(min(remaining, 0.05))

    @_on_loop
    async def wait_for(
        self,
        predicate_or_count: Callable[[SentRecord], bool] | int,
        timeout: float = 5.0,
        *,
        since: int | None = None,
    ) -> Any:
        """Wait for outgoing calls recorded after the cursor (moved by each user action).

        With a count, returns the next ``count`` records and advances the cursor past them;
        with a predicate, returns the first matching record (cursor unchanged).
        """
        start = self._cursor if since is None else since
        if isinstance(predicate_or_count, int):
            count = predicate_or_count
            await self.wait_until(lambda: len(self.sent) - start >= count, timeout)
            records = self.sent[start : start + count]
            if since is None:
                self._cursor = start + count
            return records
        predicate = predicate_or_count
        found: list[SentRecord] = []

        def match() -> bool:
            found[:] = [r for r in self.sent[start:] if predicate(r)][:1]
            return bool(found)

        await self.wait_until(match, timeout)
        return found[0]

    @_on_loop
    async def wait_sent(
        self, chat_id: int, count: int = 1, timeout: float = 5.0, *, since: int | None = None
    ) -> list[SentRecord]:
        """Wait for the next ``count`` new messages to a chat; consumes them.

        The per-chat cursor jumps to the end whenever the test acts in that chat, so this
        returns the bot's reaction to the latest action; ``since`` overrides the cursor.
        """
        start = self._chat_cursors[chat_id] if since is None else since
        await self.wait_until(lambda: len(self.messages_to(chat_id)) - start >= count, timeout)
        records = self.messages_to(chat_id)[start : start + count]
        if since is None:
            self._chat_cursors[chat_id] = start + count
        return records

    @_on_loop
    async def wait_updates_consumed(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed (via offset) every pushed update."""
        await self.wait_until(lambda: not self._updates, timeout)

    def _describe(self) -> str:
        return (
            "; ".join(
                f"{r.method}(chat={r.chat_id}, text={(r.plain_text or r.text or '')[:60]!r})"
                for r in self.sent[-10:]
            )
            or "nothing"
        )

