"""Reading a Bot API call's parameters, flood control and the stub's message state."""
from __future__ import annotations

import hashlib
import json
import math
import mimetypes
import re
import time
from typing import Any

from .markdown import _strip_text, parse_markdown, parse_markdown_v2
from .markup import (
    _INLINE_BUTTON_ACTIONS,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    ApiError,
    EntityParseError,
    _bad,
    parse_html,
    utf16_len,
)
from .records import SentRecord, StoredFile, StoredMessage


class Params:
    """Parameter parsing, flood limits and stored messages, for the method handlers."""

    # ------------------------------------------------------------------ parameter helpers

    @staticmethod
    def _json_param(params: dict[str, Any], name: str, what: str | None = None) -> Any:
        value = params.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError as exc:
                raise _bad(f"can't parse {what or name} JSON object") from exc
        return value

    @staticmethod
    def _int_param(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
        value = params.get(name)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise _bad(f'field "{name}" must be of type Integer') from exc

    @staticmethod
    def _float_param(params: dict[str, Any], name: str) -> float:
        value = params.get(name)
        try:
            return float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise _bad(f'field "{name}" must be of type Number') from exc

    @staticmethod
    def _bool_param(params: dict[str, Any], name: str) -> bool:
        value = params.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def _chat_id(self, params: dict[str, Any]) -> int:
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad("chat_id is empty")
        if isinstance(raw, str) and raw.startswith("@"):
            for chat_id, chat in self.chats.items():
                if chat.get("username", "").lower() == raw[1:].lower():
                    return chat_id
            raise _bad("chat not found")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError) as exc:
            raise _bad("chat not found") from exc
        if chat_id not in self.chats:
            raise _bad("chat not found")
        return chat_id

    def _target_chat(self, params: dict[str, Any]) -> int:
        """Resolve chat_id for an outgoing call and refuse it for users who blocked the bot."""
        chat_id = self._chat_id(params)
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _format(
        self, params: dict[str, Any], text_key: str, entities_key: str
    ) -> tuple[str, list[dict[str, Any]], str | None, str | None]:
        """Apply parse_mode or explicit entities the way Telegram does; returns plain + entities."""
        source = params.get(text_key)
        source = "" if source is None else str(source)
        parse_mode = params.get("parse_mode") or None
        try:
            if parse_mode:
                mode = str(parse_mode).lower()
                if mode == "html":
                    plain, entities = parse_html(source, strict=self.strict_html)
                elif mode == "markdownv2":
                    plain, entities = parse_markdown_v2(source)
                elif mode == "markdown":
                    plain, entities = parse_markdown(source)
                else:
                    raise _bad("unsupported parse_mode")
            else:
                plain = source
                entities = list(self._json_param(params, entities_key) or [])
        except EntityParseError as exc:
            raise _bad(f"can't parse entities: {exc}") from exc
        plain, entities = _strip_text(plain, entities)
        return plain, entities, source, parse_mode

    def _message_text(
        self, params: dict[str, Any]
    ) -> tuple[str, list[dict[str, Any]], str, str | None]:
        plain, entities, source, parse_mode = self._format(params, "text", "entities")
        if not plain:
            raise _bad("message text is empty")
        if utf16_len(plain) > MAX_TEXT_LENGTH:
            raise _bad("message is too long")
        return plain, entities, source or "", parse_mode

    def _caption(self, params: dict[str, Any]) -> tuple[str | None, list[dict[str, Any]]]:
        if not params.get("caption"):
            return None, []
        plain, entities, _, _ = self._format(params, "caption", "caption_entities")
        if utf16_len(plain) > MAX_CAPTION_LENGTH:
            raise _bad("message caption is too long")
        return plain or None, entities

    def _markup(
        self, params: dict[str, Any], *, inline_only: bool = False
    ) -> dict[str, Any] | None:
        markup = self._json_param(params, "reply_markup", "reply keyboard markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays'
                )
            for row in rows:
                for button in row:
                    self._check_inline_button(button)
            return markup if any(rows) else None
        if inline_only:
            raise _bad("inline keyboard expected")
        if "keyboard" in markup:
            rows = markup["keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise _bad(
                    'field "keyboard" of the ReplyKeyboardMarkup should be an Array of Arrays'
                )
            return markup
        if markup.get("remove_keyboard") or markup.get("force_reply"):
            return markup
        raise _bad("can't parse reply keyboard markup JSON object")

    @staticmethod
    def _check_inline_button(button: Any) -> None:
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad('can\'t parse inline keyboard button: Field "text" must be of type String')
        if not any(key in button for key in _INLINE_BUTTON_ACTIONS):
            raise _bad(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                raise _bad("BUTTON_DATA_INVALID")
        if "url" in button:
            url = str(button["url"])
            if not re.match(r"^(https?|tg)://[^\s/?#]+\S*$", url, re.IGNORECASE):
                raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")

    # ------------------------------------------------------------------ flood control

    def _flood_check(self, chat_id: int) -> None:
        if not self.flood_limits:
            return
        now = time.monotonic()
        waits: list[float] = []
        while self._global_sends and now - self._global_sends[0] >= 1.0:
            self._global_sends.popleft()
        if len(self._global_sends) >= self.global_rate:
            waits.append(self._global_sends[0] + 1.0 - now)
        is_group = self.chats[chat_id].get("type") != "private"
        window = self.per_chat_burst / self.per_chat_rate
        sends = self._chat_sends[chat_id]
        while sends and now - sends[0] >= max(window, 60.0 if is_group else 0.0):
            sends.popleft()
        recent = [t for t in sends if now - t < window]
        if len(recent) >= self.per_chat_burst:
            waits.append(recent[0] + window - now)
        if is_group and len(sends) >= self.group_rate:
            waits.append(sends[-self.group_rate] + 60.0 - now)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            self.flood_errors += 1
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )

    def _flood_note(self, chat_id: int) -> None:
        now = time.monotonic()
        self._global_sends.append(now)
        self._chat_sends[chat_id].append(now)

    # ------------------------------------------------------------------ state helpers

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _next_message_id(self, chat_id: int) -> int:
        self._last_message_id[chat_id] += 1
        return self._last_message_id[chat_id]

    def _new_file(
        self, data: bytes, file_name: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        number = next(self._ids)
        digest = hashlib.sha1(data + str(number).encode()).hexdigest()[:16]
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1]
        elif folder == "photos":
            ext = ".jpg"
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        stored = StoredFile(
            file_id=f"BQACAgIAAx{number:06d}{digest}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=f"{folder}/file_{number}{ext}",
            data=data,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def _input_file(
        self,
        params: dict[str, Any],
        files: dict[str, tuple[str, bytes, str]],
        name: str,
        folder: str,
    ) -> StoredFile:
        """Resolve an InputFile parameter: multipart upload, attach://, file_id or URL."""
        if name in files:
            file_name, data, content_type = files[name]
            return self._new_file(data, file_name, self._mime(content_type, file_name), folder)
        value = params.get(name)
        if not value:
            raise _bad(f"there is no {name} in the request")
        value = str(value)
        if value.startswith("attach://"):
            part = value[len("attach://") :]
            if part not in files:
                raise _bad(f"wrong HTTP URL specified: attached file {part} not found")
            file_name, data, content_type = files[part]
            return self._new_file(data, file_name, self._mime(content_type, file_name), folder)
        if value in self.files:
            return self.files[value]
        if re.match(r"^https?://", value):
            stored = self._new_file(b"", value.rsplit("/", 1)[-1] or None, None, folder)
            stored.url = value
            return stored
        raise _bad("wrong file identifier/HTTP URL specified")

    @staticmethod
    def _mime(content_type: str | None, file_name: str | None) -> str | None:
        if content_type and content_type != "application/octet-stream":
            return content_type
        guessed = mimetypes.guess_type(file_name or "")[0]
        return guessed or content_type

    def _record(self, record: SentRecord) -> None:
        self.sent.append(record)
        self._notify()

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> StoredMessage | None:
        """Resolve reply_parameters like Telegram, refusing replies to unknown messages."""
        reply = self._json_param(params, "reply_parameters", "reply parameters")
        if not isinstance(reply, dict) or not reply.get("message_id"):
            return None
        target_chat = reply.get("chat_id", chat_id)
        original = self._messages.get((int(target_chat), int(reply["message_id"])))
        if original is None or original.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise _bad("message to be replied not found")
        return original

    def _store_bot_message(self, chat_id: int, **fields: Any) -> StoredMessage:
        message = StoredMessage(
            chat=dict(self.chats[chat_id]),
            message_id=self._next_message_id(chat_id),
            sender=self._bot_user(),
            from_bot=True,
            date=int(time.time()),
            **fields,
        )
        self._messages[(chat_id, message.message_id)] = message
        return message

    def _track_reply_keyboard(self, chat_id: int, markup: dict[str, Any] | None) -> None:
        if not markup:
            return
        if "keyboard" in markup:
            self._reply_keyboards[chat_id] = markup
        elif markup.get("remove_keyboard"):
            self._reply_keyboards.pop(chat_id, None)

    def _editable(self, params: dict[str, Any]) -> StoredMessage:
        if params.get("inline_message_id"):
            raise _bad("MESSAGE_ID_INVALID")
        chat_id = self._target_chat(params)
        message_id = self._int_param(params, "message_id")
        message = self._messages.get((chat_id, message_id or 0))
        if message is None or message.deleted:
            raise _bad("message to edit not found")
        if not message.from_bot:
            raise _bad("message can't be edited")
        return message

