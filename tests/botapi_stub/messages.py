"""The Bot API methods that send, edit and delete messages and answer button presses."""
from __future__ import annotations

import time
from typing import Any

from .markup import _NOT_MODIFIED, CHAT_ACTIONS, MAX_CALLBACK_ANSWER_LENGTH, _bad
from .records import SentRecord, StoredMessage


class MessageMethods:
    """sendMessage, editMessageText, answerCallbackQuery and their kin."""

    # ------------------------------------------------------------------ outgoing methods

    def _m_send_message(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        plain, entities, source, parse_mode = self._message_text(params)
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        self._flood_note(chat_id)
        self._track_reply_keyboard(chat_id, markup)
        message = self._store_bot_message(
            chat_id,
            reply_to=reply_to,
            text=plain,
            entities=entities,
            source_text=source,
            parse_mode=parse_mode,
            reply_markup=markup,
        )
        return self._text_sent("sendMessage", message, chat_id, markup, params)

    def _text_sent(
        self,
        method: str,
        message: StoredMessage,
        chat_id: int,
        markup: dict[str, Any] | None,
        params: dict[str, Any],
    ) -> dict[str, Any]:
        """Record a sent or edited text message as the tests read it; the API's answer."""
        self._record(
            SentRecord(
                method,
                chat_id,
                message.message_id,
                text=message.source_text,
                parse_mode=message.parse_mode,
                reply_markup=markup,
                plain_text=message.text,
                params=params,
            )
        )
        return message.to_api()

    def _send_file(
        self, method: str, kind: str, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        caption, caption_entities = self._caption(params)
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        stored = self._input_file(
            params, files, kind, "documents" if kind == "document" else "photos"
        )
        self._flood_note(chat_id)
        self._track_reply_keyboard(chat_id, markup)
        message = self._store_bot_message(
            chat_id,
            reply_to=reply_to,
            caption=caption,
            caption_entities=caption_entities,
            parse_mode=params.get("parse_mode") or None,
            reply_markup=markup,
            **{kind: stored},
        )
        self._record(
            SentRecord(
                method,
                chat_id,
                message.message_id,
                parse_mode=params.get("parse_mode") or None,
                reply_markup=markup,
                caption=params.get("caption"),
                document_name=stored.file_name,
                document_bytes=stored.data,
                plain_text=caption,
                params={k: v for k, v in params.items() if k != kind} | {kind: stored.file_id},
            )
        )
        return message.to_api()

    def _m_send_document(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return self._send_file("sendDocument", "document", params, files)

    def _m_send_photo(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        return self._send_file("sendPhoto", "photo", params, files)

    def _location(self, params: dict[str, Any]) -> dict[str, float]:
        latitude = self._float_param(params, "latitude")
        longitude = self._float_param(params, "longitude")
        if not -90 <= latitude <= 90:
            raise _bad("wrong latitude specified")
        if not -180 <= longitude <= 180:
            raise _bad("wrong longitude specified")
        return {"latitude": latitude, "longitude": longitude}

    def _m_send_location(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        location = self._location(params)
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        self._flood_note(chat_id)
        message = self._store_bot_message(
            chat_id, reply_to=reply_to, location=location, reply_markup=markup
        )
        self._record(
            SentRecord(
                "sendLocation", chat_id, message.message_id, reply_markup=markup, params=params
            )
        )
        return message.to_api()

    def _m_send_venue(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        self._flood_check(chat_id)
        location = self._location(params)
        title = str(params.get("title") or "")
        address = str(params.get("address") or "")
        if not title:
            raise _bad("VENUE_TITLE_INVALID")
        if not address:
            raise _bad("VENUE_ADDRESS_INVALID")
        markup = self._markup(params)
        reply_to = self._reply_target(chat_id, params)
        venue: dict[str, Any] = {"location": location, "title": title, "address": address}
        for key in ("foursquare_id", "foursquare_type", "google_place_id", "google_place_type"):
            if params.get(key):
                venue[key] = str(params[key])
        self._flood_note(chat_id)
        message = self._store_bot_message(
            chat_id, reply_to=reply_to, venue=venue, reply_markup=markup
        )
        self._record(
            SentRecord(
                "sendVenue",
                chat_id,
                message.message_id,
                text=title,
                reply_markup=markup,
                plain_text=f"{title}\n{address}",
                params=params,
            )
        )
        return message.to_api()

    def _m_send_chat_action(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        chat_id = self._target_chat(params)
        action = str(params.get("action") or "")
        if action not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._record(SentRecord("sendChatAction", chat_id, text=action, params=params))
        return True

    def _m_edit_message_text(self, params: dict[str, Any], files: dict[str, Any]) -> dict[str, Any]:
        message = self._editable(params)
        if message.text is None:
            raise _bad("there is no text in the message to edit")
        plain, entities, source, parse_mode = self._message_text(params)
        markup = self._markup(params, inline_only=True)
        if (plain, entities, markup) == (message.text, message.entities, message.inline_markup):
            raise _bad(_NOT_MODIFIED)
        message.text, message.entities = plain, entities
        message.source_text, message.parse_mode = source, parse_mode
        message.set_inline_markup(markup)
        self._mark_edited(message)
        return self._text_sent("editMessageText", message, message.chat_id, markup, params)

    def _m_edit_message_caption(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        message = self._editable(params)
        if message.document is None and message.photo is None:
            raise _bad("there is no caption in the message to edit")
        caption, caption_entities = self._caption(params)
        markup = self._markup(params, inline_only=True)
        if (caption, caption_entities, markup) == (
            message.caption,
            message.caption_entities,
            message.inline_markup,
        ):
            raise _bad(_NOT_MODIFIED)
        message.caption, message.caption_entities = caption, caption_entities
        message.set_inline_markup(markup)
        self._mark_edited(message)
        self._record(
            SentRecord(
                "editMessageCaption",
                message.chat_id,
                message.message_id,
                parse_mode=params.get("parse_mode") or None,
                reply_markup=markup,
                caption=params.get("caption"),
                plain_text=caption,
                params=params,
            )
        )
        return message.to_api()

    def _m_edit_message_reply_markup(
        self, params: dict[str, Any], files: dict[str, Any]
    ) -> dict[str, Any]:
        message = self._editable(params)
        markup = self._markup(params, inline_only=True)
        if markup == message.inline_markup:
            raise _bad(_NOT_MODIFIED)
        message.set_inline_markup(markup)
        self._mark_edited(message)
        self._record(
            SentRecord(
                "editMessageReplyMarkup",
                message.chat_id,
                message.message_id,
                reply_markup=markup,
                params=params,
            )
        )
        return message.to_api()

    @staticmethod
    def _mark_edited(message: StoredMessage) -> None:
        message.edit_date = max(int(time.time()), message.date + 1)
        message.edits += 1

    def _m_delete_message(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params)
        message_id = self._int_param(params, "message_id") or 0
        message = self._messages.get((chat_id, message_id))
        if message is None or message.deleted:
            raise _bad("message to delete not found")
        if not message.from_bot and self.chats[chat_id].get("type") != "private":
            raise _bad("message can't be deleted")
        message.deleted = True
        self._record(SentRecord("deleteMessage", chat_id, message_id, params=params))
        return True

    def _m_answer_callback_query(self, params: dict[str, Any], files: dict[str, Any]) -> bool:
        query = self._queries.get(str(params.get("callback_query_id") or ""))
        if query is None or query["answer"] is not None:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        text = params.get("text") or None
        if text and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad("MESSAGE_TOO_LONG")
        query["answer"] = {
            "text": text,
            "show_alert": self._bool_param(params, "show_alert"),
            "url": params.get("url") or None,
        }
        self._record(
            SentRecord(
                "answerCallbackQuery",
                query["chat_id"],
                query["message_id"],
                text=text,
                params=params,
            )
        )
        return True

