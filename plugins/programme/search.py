"""/search WORDS: meetings by topic, speaker, network or venue, narrowed by a day; paged.

Every word (split as days.tokens does: "<b>klimat" is klimat) must be in a meeting's text
(any language, folded); a word of digits must be a whole number there ("Talare 7" is not
Talare 17). A day among the words ("onsdag", "på onsdag", "30 juni") keeps that day's
meetings. The results are paged like /programme; the page
buttons carry a short key of the query, and the query itself is kept with the user
(`programme_searches`, the last SEARCHES_KEPT), since a query may not fit in a button.
"""
from __future__ import annotations

import hashlib
from typing import Any

from assistant.context import Context
from assistant.i18n import number
from assistant.model import Event
from assistant.storage import Table
from assistant.text import escape, shorten

from .days import find_day, tokens
from .index import index
from .listing import (
    MAX_QUERY_CHARS,
    PAGE_SIZE,
    busy_for,
    list_lines,
    no_programme,
    page_buttons,
    today,
)
from .render import card_button

SEARCHES_KEPT = 10
"""Queries kept per user, so the page buttons of the last few result lists still work."""
MAX_KEPT_CHARS = 200


def _table(ctx: Context) -> Table:
    return ctx.table("searches", indexes=("user",))


def _key(query: str) -> str:
    """A query's short key for a button (the same query, the same key)."""
    return hashlib.sha256(query.encode()).hexdigest()[:10]


def _remember(ctx: Context, query: str) -> str:
    """Keep the query with the user (newest last) and give its key."""
    key, table = _key(query), _table(ctx)
    doc = table.first(user=ctx.user.id)
    queries = {k: q for k, q in (doc["queries"] if doc else {}).items() if k != key}
    queries[key] = query
    queries = dict(list(queries.items())[-SEARCHES_KEPT:])
    if doc is None:
        table.insert({"user": ctx.user.id, "queries": queries})
    elif doc["queries"] != queries:
        table.update(doc.doc_id, {"queries": queries})
    return key


def _found(ctx: Context, query: str) -> list[Event]:
    """The meetings matching a query that the user may see, in time order."""
    programme = ctx.programme
    assert programme is not None
    idx, words = index(programme), tokens(query)
    day = None
    if found := find_day(words, today(ctx, programme), busy_for(ctx, programme)):
        day, words = found
    matches = idx.search(tuple(words)) if words else programme.events
    if day is not None:
        on_day = set(idx.by_day.get(day, ()))
        matches = [e for e in matches if e in on_day]
    return [e for e in matches if ctx.hooks.event_visible(ctx, e)]


async def search(ctx: Context) -> None:
    """/search WORDS: the first page of the meetings matching every word."""
    if ctx.programme is None:
        no_programme(ctx)
        return
    query = " ".join(ctx.text.split())[:MAX_KEPT_CHARS]
    if not tokens(query):
        ctx.reply(escape(ctx._("What should I look for? Send /search and a word, e.g. "
                               "/search skills.")))
        return
    _show(ctx, query, 0)


async def press_page(ctx: Context) -> None:
    """‹ Earlier / Later › under search results: another page, in place."""
    key, offset = (ctx.args + ["", ""])[:2]
    doc = _table(ctx).first(user=ctx.user.id)
    query = (doc["queries"] if doc else {}).get(key)
    if query is None or not (offset.isascii() and offset.isdecimal()) or len(offset) > 6:
        ctx.toast(ctx._("This button no longer works. Send the search again."))
        return
    _show(ctx, query, int(offset), edit=True)


def _show(ctx: Context, query: str, offset: int, *, edit: bool = False) -> None:
    found = _found(ctx, query)
    shown_query = escape(shorten(query, MAX_QUERY_CHARS))
    if not found:
        ctx.reply(ctx._("No meeting matches “{query}”. Send /programme to see them all.",
                        query=shown_query))
        return
    if offset >= len(found):
        offset = 0
    shown = found[offset:offset + PAGE_SIZE]
    more = offset + PAGE_SIZE < len(found)
    heading = ctx.ngettext("{count} meeting matches “{query}”:",
                           "{count} meetings match “{query}”:", len(found),
                           count=number(len(found), ctx.lang), query=shown_query)
    lines = [f"<b>{heading}</b>", *list_lines(ctx, ctx.programme, [(None, e) for e in shown])]
    if note := ctx.times_note(shown):
        lines += ["", escape(note)]
    buttons = [[card_button(ctx, e)] for e in shown]
    if offset or more:
        lines += ["", escape(ctx._("Meetings {first}–{last} of {total}.",
                                   first=number(offset + 1, ctx.lang),
                                   last=number(offset + len(shown), ctx.lang),
                                   total=number(len(found), ctx.lang)))]
        key = _remember(ctx, query)
        buttons.append(page_buttons(ctx, "found", offset, more, key, ""))
    (ctx.edit if edit else ctx.reply)("\n".join(lines), buttons)


def user_data(ctx: Context, user_id: int) -> dict[str, Any] | None:
    """The searches kept for the user's page buttons."""
    doc = _table(ctx).first(user=user_id)
    return {"searches": list(doc["queries"].values())} if doc and doc["queries"] else None


def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the searches kept for the user."""
    for doc in _table(ctx).find(user=user_id):
        _table(ctx).remove(doc.doc_id)
