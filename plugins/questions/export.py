"""The questions of a meeting as CSV, for the speaker's follow-up (chat and `mingel export`).

Published and waiting questions are listed, most upvoted first; hidden and merged ones
are left out. The asker's name is given only for questions asked with the name shown;
anonymous questions say "anonymous" for everyone, organisers included.
"""
from __future__ import annotations

from datetime import datetime

from assistant.context import Context
from assistant.i18n import Formatter
from assistant.model import Event
from assistant.sheets import cell, csv_bytes
from assistant.types import Document

from . import data, render


def export_questions(ctx: Context, event_id: str) -> Document:
    """`mingel export questions ID`: the CSV (also for a meeting no longer in the programme)."""
    programme = ctx.programme
    event = programme.event(event_id) if programme else None
    if event is None and not data.items(ctx).count(event=event_id):
        raise LookupError(f"no meeting with the id {event_id!r} in the programme "
                          "and no questions for it")
    ctx.audit("export", event_id, event=event_id)
    return questions_csv(ctx, event) if event is not None else _csv(ctx, event_id, ctx.fmt())


def questions_csv(ctx: Context, event: Event) -> Document:
    """One row per question: text, votes, asker, status and times."""
    return _csv(ctx, event.id, ctx.fmt_event(event), over=ctx.now >= event.end_utc)


def _csv(ctx: Context, event_id: str, fmt: Formatter, over: bool = True) -> Document:
    """The rows; once the meeting is `over`, the question last taken up reads as answered
    (the moderator seldom presses Answered for the last one, and the speaker reads the file
    afterwards), without an answer time nobody gave."""
    docs = [d for d in data.items(ctx).find(event=event_id)
            if d["status"] != data.HIDDEN and not d.get("merged_into")]
    rows = []
    numbers = data.numbers(ctx, event_id)
    for doc, count in data.ranked(ctx, docs):
        name = ctx._("anonymous") if doc.get("anonymous") else doc.get("name") or ""
        rows.append([numbers[doc.doc_id], cell(doc["text"]), count, cell(name),
                     render.status_label(ctx, data.ANSWERED if over and doc["status"]
                                         == data.ANSWERING else doc["status"]),
                     _time(fmt, doc.get("at")), _time(fmt, doc.get("answered_at"))])
    header = [ctx._("number"), ctx._("question"), ctx._("votes"), ctx._("asker"),
              ctx._("status"), ctx._("asked at"), ctx._("answered at")]
    return Document(f"questions-{event_id}.csv", csv_bytes(ctx.lang, header, rows), "text/csv")


def _time(fmt: Formatter, stamp: str | None) -> str:
    return fmt.datetime(datetime.fromisoformat(stamp), "yyyy-MM-dd HH:mm") if stamp else ""
