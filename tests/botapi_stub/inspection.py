"""Looking at what the bot sent, and faults Telegram can have (blocks, errors, outages)."""
from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import Any

from .records import ApiCall, SentRecord, StoredFile, StoredMessage, _Fault


class Inspection:
    """Assertions' view of the stub's state, and fault injection."""

    # ------------------------------------------------------------------ inspection

    def messages_to(self, chat_id: int) -> list[SentRecord]:
        """New messages (not edits, actions or answers) the bot sent to a chat, in order."""
        return [r for r in self.sent if r.chat_id == chat_id and r.is_new_message]

    def last_to(self, chat_id: int) -> SentRecord | None:
        """The most recent new message the bot sent to a chat."""
        messages = self.messages_to(chat_id)
        return messages[-1] if messages else None

    def message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        """Current state of any message in a chat (text and buttons after edits)."""
        return self._messages.get((chat_id, message_id))

    def bot_messages(self, chat_id: int) -> list[StoredMessage]:
        """Current, undeleted bot messages in a chat, oldest first."""
        return sorted(
            (
                m
                for (cid, _), m in self._messages.items()
                if cid == chat_id and m.from_bot and not m.deleted
            ),
            key=lambda m: m.message_id,
        )

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard the user currently sees in a chat, if any."""
        return self._reply_keyboards.get(chat_id)

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """How the bot answered a callback query (text, show_alert, url), None if unanswered."""
        query = self._queries.get(query_id)
        return None if query is None else query["answer"]

    def commands(self, lang: str = "", scope: dict[str, Any] | None = None) -> list[dict[str, str]]:
        """Commands set via setMyCommands for a language ("" = default) and scope."""
        return [dict(c) for c in self._commands.get((self._scope_key(scope), lang), [])]

    def file(self, file_id: str) -> StoredFile:
        """A stored file by id (uploads by the bot and documents pushed by users)."""
        return self.files[file_id]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot."""
        return [u for _, u in self._updates]

    def calls(self, method: str) -> list[ApiCall]:
        """All requests for a method name (case-insensitive), including failed ones."""
        return [c for c in self.requests if c.method.lower() == method.lower()]

    # ------------------------------------------------------------------ fault injection

    def block(self, user_id: int) -> None:
        """Make every outgoing call to this user's chat answer 403 "bot was blocked by the user"."""
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        """Undo block()."""
        self._blocked.discard(user_id)

    def fail_next(
        self,
        n: int = 1,
        status: int = 500,
        *,
        description: str | None = None,
        methods: Iterable[str] | None = None,
    ) -> None:
        """Answer the next n outgoing calls (or calls of ``methods``) with an HTTP error."""
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._faults.extend(_Fault(status, description, None, wanted) for _ in range(n))

    def delay_next(self, n: int, seconds: float, *, methods: Iterable[str] | None = None) -> None:
        """Hold the next n outgoing calls (or calls of ``methods``) before processing them."""
        wanted = None if methods is None else frozenset(m.lower() for m in methods)
        self._faults.extend(_Fault(200, None, seconds, wanted) for _ in range(n))

    def go_offline(self, seconds: float | None = None) -> None:
        """Answer 502 Bad Gateway to everything (including held long polls) for a while."""
        self._offline_until = math.inf if seconds is None else time.monotonic() + seconds
        self._threadsafe(self._notify)

    def go_online(self) -> None:
        """End go_offline() early."""
        self._offline_until = None
        self._threadsafe(self._notify)

    def set_flood_limits(
        self,
        enabled: bool = True,
        *,
        global_rate: int | None = None,
        per_chat_rate: float | None = None,
        per_chat_burst: int | None = None,
        group_rate: int | None = None,
    ) -> None:
        """Switch flood control and optionally change its rates; resets the counting windows."""
        self.flood_limits = enabled
        if global_rate is not None:
            self.global_rate = global_rate
        if per_chat_rate is not None:
            self.per_chat_rate = per_chat_rate
        if per_chat_burst is not None:
            self.per_chat_burst = per_chat_burst
        if group_rate is not None:
            self.group_rate = group_rate
        self._global_sends.clear()
        self._chat_sends.clear()
