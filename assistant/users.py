"""What the core keeps about each user: name, language, reachability, an awaited answer."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .i18n import LANGUAGES, pick_language
from .types import User

if TYPE_CHECKING:
    from .core import Assistant

TABLE = "assistant_users"


class Users:
    """User profiles keyed by Telegram id; written only when something changed."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    @property
    def _table(self):
        return self.assistant.store.table(TABLE)

    def seen(self, user: User) -> dict[str, Any]:
        """Record who wrote, keeping the stored profile in step with Telegram's; returns a
        private copy of the profile as stored now."""
        doc: dict[str, Any] | None = self._table.get(user.id)
        if doc is not None and doc.get("first_name") == user.first_name \
                and doc.get("last_name") == user.last_name \
                and doc.get("username") == user.username \
                and doc.get("tg_lang") == user.language_code:
            return doc
        fields = {"first_name": user.first_name, "last_name": user.last_name,
                  "username": user.username, "tg_lang": user.language_code}
        if doc is None:
            doc = {**fields, "lang": None, "reachable": True, "expect": None}
            self._table.put(user.id, dict(doc))
        else:
            self._table.update(user.id, fields)
            doc = {**doc, **fields}
        return doc

    def get(self, user_id: int) -> User:
        """A user as last seen (id only if never seen)."""
        doc = self._table.get(user_id) or {}
        return User(id=user_id, first_name=doc.get("first_name") or "",
                    last_name=doc.get("last_name"), username=doc.get("username"),
                    language_code=doc.get("tg_lang"))

    def known(self, user_id: int) -> bool:
        """Has this user ever written to the assistant?"""
        return self._table.get(user_id) is not None

    def language(self, user_id: int) -> str:
        """Chosen language, else Telegram's, else MINGEL_LOCALE."""
        return self.language_of(self._table.get(user_id) or {})

    def language_for(self, user: User) -> str:
        """The language this user's next message will be answered in (chosen, else the one
        their app names now, else MINGEL_LOCALE), without recording them: for what is said
        before they write (the terminal chat's banner)."""
        profile = self._table.get(user.id) or {}
        return self.language_of({**profile, "tg_lang": user.language_code})

    def language_of(self, profile: dict[str, Any]) -> str:
        """`language` for a profile already read (`seen` gives it)."""
        return profile.get("lang") or pick_language(profile.get("tg_lang"),
                                                    self.assistant.config.locale)

    def set_language(self, user_id: int, lang: str) -> None:
        """Remember an explicit choice from /language."""
        if lang not in LANGUAGES:
            raise ValueError(lang)
        self._table.update(user_id, {"lang": lang})

    def expect(self, user_id: int, route: str | None) -> None:
        """Route the next plain message to a plugin action (None to stop waiting)."""
        doc = self._table.get(user_id)
        if doc is not None and doc.get("expect") != route:
            self._table.update(user_id, {"expect": route})

    def expected(self, user_id: int) -> str | None:
        """The action waiting for this user's next message."""
        doc = self._table.get(user_id)
        return doc.get("expect") if doc else None

    def reachable(self, user_id: int) -> bool:
        """False once Telegram said the user blocked the bot."""
        doc = self._table.get(user_id)
        return doc is None or doc.get("reachable", True)

    def set_reachable(self, user_id: int, value: bool) -> None:
        """Mark a user (un)reachable after a 403 or a fresh /start."""
        doc = self._table.get(user_id)
        if doc is None:
            self._table.put(user_id, {"reachable": value})
        elif doc.get("reachable", True) != value:
            self._table.update(user_id, {"reachable": value})

    def all_ids(self) -> list[int]:
        """Everyone who ever wrote (copying no profile: a festival has 40,000)."""
        return self._table.ids()

    def forget(self, user_id: int) -> None:
        """Remove the profile entirely."""
        if self._table.get(user_id) is not None:
            self._table.remove(user_id)
