"""The core's audit log: who did what and when, kept for the retention period and
scrubbed of a person who asks to be forgotten."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from .storage import Store
from .types import User

AUDIT_TABLE = "assistant_audit"
FORGOTTEN = "[forgotten]"


class AuditLog:
    """One table in the store, written by `Assistant.audit` for every plugin."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, at: datetime, user: User | None, action: str, details: str = "",
               values: dict[str, Any] | None = None) -> None:
        """Append an entry: `details` in plain English for whoever reads the table, `values`
        for the recording plugin to describe it in the reader's language (`audit_text`)."""
        entry = {"at": at.isoformat(), "user": user.id if user else None,
                 "name": user.full_name if user else "system", "action": action,
                 "details": details}
        if values:
            entry["values"] = values
        self.store.table(AUDIT_TABLE).insert(entry)

    def trim(self, cutoff: datetime) -> None:
        """Drop the entries older than the retention period allows."""
        audit = self.store.table(AUDIT_TABLE)
        for entry in audit.all():
            if datetime.fromisoformat(entry["at"]) < cutoff:
                audit.remove(entry.doc_id)

    def forget(self, user: User) -> None:
        """Every entry by or naming `user` keeps its action but not the person: their id,
        names and username become "[forgotten]"."""
        marks = {str(user.id), *(n for n in (user.first_name, user.last_name, user.username) if n)}
        audit = self.store.table(AUDIT_TABLE)
        for entry in audit.all():
            values = _forgotten(entry.get("values") or {}, user.id, marks)
            if entry.get("user") == user.id or any(m in entry.get("details", "") for m in marks) \
                    or values != (entry.get("values") or {}):
                fields: dict[str, Any] = {"details": _scrubbed(entry.get("details", ""), marks)}
                if values:
                    fields["values"] = values
                if entry.get("user") == user.id:
                    fields.update(user=None, name=FORGOTTEN)
                audit.update(entry.doc_id, fields)


def _scrubbed(text: str, marks: set[str]) -> str:
    for mark in sorted(marks, key=len, reverse=True):
        text = text.replace(mark, FORGOTTEN)
    return text


def _forgotten(values: dict[str, Any], user_id: int, marks: set[str]) -> dict[str, Any]:
    """An audit entry's values without a forgotten person: their id, or a text naming them,
    becomes "[forgotten]"."""
    def clean(value: Any) -> Any:
        if value == user_id and type(value) is int:
            return FORGOTTEN
        return _scrubbed(value, marks) if isinstance(value, str) else value
    return {key: clean(value) for key, value in values.items()}
