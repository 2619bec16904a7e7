"""The Bot API methods about the bot itself: identity, updates, commands, settings, files."""
from __future__ import annotations

import json
import re
from typing import Any

from .markup import ApiError, _bad


class BotMethods:
    """getMe, getUpdates, setMyCommands and the other bot-level methods."""

    # ------------------------------------------------------------------ bot-level methods

    def _m_get_me(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _m_log_out(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return True

    def _m_close(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return True

    def _m_set_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self.webhook_url = str(params.get("url") or "")
        if self._bool_param(params, "drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_delete_webhook(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if self._bool_param(params, "drop_pending_updates"):
            self._updates.clear()
            self._notify()
        return True

    def _m_get_webhook_info(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _m_get_updates(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = self._int_param(params, "offset")
        limit = min(max(self._int_param(params, "limit", 100) or 100, 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = self._json_param(params, "allowed_updates")
        if allowed is not None:
            self._allowed_updates = [str(kind) for kind in allowed]
        self._poll_generation += 1
        generation = self._poll_generation
        self._confirm(offset)
        self._notify()
        loop = self._require_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if self._is_offline():
                raise ApiError(502, "Bad Gateway")
            if self._updates or self._closing:
                return [json.loads(json.dumps(u)) for _, u in self._updates[:limit]]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._changed(min(remaining, 0.5))

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [(uid, u) for uid, u in self._updates if uid >= offset]

    @staticmethod
    def _scope_key(scope: Any) -> str:
        return json.dumps(scope or {"type": "default"}, sort_keys=True)

    def _m_set_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        commands = self._json_param(params, "commands")
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        cleaned = []
        for command in commands:
            if not isinstance(command, dict):
                raise _bad("can't parse BotCommand JSON object")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _commands_key(self, params: dict[str, Any]) -> tuple[str, str]:
        language = str(params.get("language_code") or "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("LANGUAGE_CODE_INVALID")
        return self._scope_key(self._json_param(params, "scope")), language

    def _m_get_my_commands(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> list[dict[str, str]]:
        return [dict(c) for c in self._commands.get(self._commands_key(params), [])]

    def _m_delete_my_commands(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _set_setting(self, kind: str, params: dict[str, Any]) -> bool:
        self.settings[kind][str(params.get("language_code") or "")] = params.get(kind) or ""
        return True

    def _get_setting(self, kind: str, params: dict[str, Any]) -> dict[str, str]:
        return {kind: self.settings[kind].get(str(params.get("language_code") or ""), "")}

    def _m_set_my_description(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return self._set_setting("description", params)

    def _m_get_my_description(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, str]:
        return self._get_setting("description", params)

    def _m_set_my_short_description(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return self._set_setting("short_description", params)

    def _m_get_my_short_description(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, str]:
        return self._get_setting("short_description", params)

    def _m_set_my_name(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        return self._set_setting("name", params)

    def _m_get_my_name(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, str]:
        return self._get_setting("name", params)

    def _m_set_chat_menu_button(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        key = str(params.get("chat_id") or "")
        self.settings["menu_button"][key] = self._json_param(params, "menu_button") or {
            "type": "default"
        }
        return True

    def _m_get_chat_menu_button(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        key = str(params.get("chat_id") or "")
        return self.settings["menu_button"].get(key) or {"type": "default"}

    def _m_get_chat(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        return {
            **self.chats[chat_id],
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _m_get_file(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise _bad("invalid file_id")
        return stored.file_api()

