"""Organisers change the programme: /reload or an uploaded YAML file, shown, then confirmed.

A candidate is checked first (a broken file never replaces a good programme), then the
organiser sees what it changes and confirms or cancels. The candidate's exact text waits
in `programme_pending` (one per organiser), so a restart loses nothing and Confirm
applies exactly what was shown, with the count of people told that the preview worked out
(a meeting at a time, giving way between: a festival's take a third of a second).
Applying fires `event_changed` once per changed meeting, remembers the new text as the
programme in use (remembered.py), keeps the new meetings for their networks' followers to
hear of at the next tick (news.py) and writes an uploaded file over MINGEL_PROGRAMME (the
old one kept as <name>.bak).
"""
from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar

import anyio

from assistant import N_
from assistant.context import Context
from assistant.model import Programme
from assistant.storage import SaveFailed, Table
from assistant.text import escape

from . import ahead, changes, news, remembered, source
from .changes import audience, describe, summary
from .diff import ProgrammeDiff, diff_programmes
from .problems import Problem, ProgrammeError
from .source import YAML_SUFFIXES, Loaded

MAX_PROBLEMS = 50
T = TypeVar("T")


def _pending(ctx: Context) -> Table:
    return ctx.table("pending")


def _code(example: str) -> str:
    """An example to type, set apart (and easy to copy) in the chat."""
    return f"<code>{example}</code>"


def problems_text(ctx: Context, problems: list[Problem], name: str | None = None) -> str:
    """Every problem as "file:line: message" in the organiser's language, the file named as
    in the previews (`name`, else the file's own name, never the server's path), and that
    the programme in use stays."""
    lines = [escape(ctx.ngettext(
        "This programme file has {n} problem, so I'm keeping the programme in use. Fix it "
        "and try again:",
        "This programme file has {n} problems, so I'm keeping the programme in use. Fix them "
        "and try again:", len(problems))), ""]
    lines += [p.render(ctx._, escape, name or p.name, code=_code)
              for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS
        lines.append(escape(ctx.ngettext("… and {n} more", "… and {n} more", more)))
    return "\n".join(lines)


def _old(ctx: Context, new: Programme) -> tuple[Programme, str]:
    """The programme in use (an empty one before start-up) and its fingerprint."""
    current = source.current(ctx.assistant)
    if current is None:
        return Programme(timezone=new.timezone), ""
    return current.programme, current.fingerprint


async def propose(ctx: Context, kind: str, name: str, candidate: Loaded,
                  intro: str = "") -> None:
    """Show what the candidate changes and wait for Confirm or Cancel."""
    old, base, diff = await _compared(ctx, candidate.programme)
    head = f"<i>{escape(intro)}</i>\n\n" if intro else ""
    if base and diff is None:
        _pending(ctx).remove(ctx.user.id)
        if kind == "reload" and candidate.fingerprint != base:
            await _adopt(ctx, candidate, base)
        ctx.edit(head + escape(ctx._("Nothing changed: {name} says the same as the programme "
                                     "in use.", name=name)))
        return
    token = secrets.token_hex(4)
    _pending(ctx).put(ctx.user.id, {"kind": kind, "name": name, "content": candidate.content,
                                    "base": base, "token": token, "at": ctx.now.isoformat()})
    if diff is None:  # the same as nothing in use, before start-up
        diff = diff_programmes(old, candidate.programme)
    reached = await audience(ctx, diff, not news.first_programme(base), candidate.programme)
    if (doc := _pending(ctx).get(ctx.user.id)) is not None and doc.get("token") == token:
        _pending(ctx).put(ctx.user.id, {**doc, "told": reached.told,  # Confirm says the same
                                        "followers": reached.followers})
    preview = describe(ctx, diff, old, candidate.programme, name, reached.told, reached.effects,
                       reached.followers)
    if base and news.first_programme(base) and any(
            e.networks and news.newsworthy(e, ctx.now) for e in diff.added):
        preview += "\n" + escape(ctx._("Followers of the networks are not told of the new "
                                       "meetings: this replaces the bundled sample programme."))
    ctx.edit(head + preview, [[ctx.button("✅ " + ctx._("Confirm"), "confirm", token),
                               ctx.button(ctx._("Cancel"), "cancel", token)]])


async def _adopt(ctx: Context, candidate: Loaded, base: str) -> None:
    """Take a file that says the same as the programme in use (only comments or layout
    changed) as its text, so that the next start does not tell the organisers again."""
    packed = await _off_loop(remembered.pack, candidate.content,
                             remembered.origin_of(ctx.assistant, candidate.content))
    if _old(ctx, candidate.programme)[1] == base:
        source.install(ctx.assistant, candidate)
        ahead.start(ctx)
        remembered.remember(ctx, packed)


async def _compared(ctx: Context, new: Programme
                    ) -> tuple[Programme, str, ProgrammeDiff | None]:
    """The programme in use, its fingerprint and what `new` changes in it (None when they say
    the same), compared off the loop and again if another change was put in use meanwhile."""
    while True:
        old, base = _old(ctx, new)
        diff = await _off_loop(_difference, old, new)
        if _old(ctx, new)[0] is old:
            return old, base, diff


def _difference(old: Programme, new: Programme) -> ProgrammeDiff | None:
    return None if source.same(old, new) else diff_programmes(old, new)


async def reload_programme(ctx: Context) -> None:
    """/reload: re-read MINGEL_PROGRAMME after the organisers edited it."""
    path = source.path_of(ctx.assistant)
    try:
        candidate = await _off_loop(source.read, ctx.assistant)
    except ProgrammeError as exc:
        ctx.reply(problems_text(ctx, exc.problems))
        return
    await propose(ctx, "reload", path.name, candidate)


async def receive_document(ctx: Context) -> bool | None:
    """A file sent in the chat: an organiser's new programme (the `document_received` hook)."""
    document = ctx.incoming.document if ctx.incoming else None
    if document is None:
        return None
    name = PurePath(document.filename.replace("\\", "/")).name or "programme.yaml"
    is_yaml = name.lower().endswith(YAML_SUFFIXES)
    if not ctx.may("organiser"):
        if not is_yaml:
            return None
        ctx.reply(escape(ctx._("Thank you, but only the organisers can change the programme.")))
        return True
    if not is_yaml:
        ctx.reply(escape(ctx._("I can only read a programme file ending in .yaml or .yml. "
                               "Other files I can't use, sorry.")))
        return True
    if not document.content:
        ctx.reply(escape(ctx._("This file is empty or too large for me to read.")))
        return True
    try:
        candidate = await _off_loop(source.parse, ctx.assistant,
                                    source.decode(document.content, name), name)
    except ProgrammeError as exc:
        ctx.reply(problems_text(ctx, exc.problems))
        return True
    await propose(ctx, "upload", name, candidate)
    return True


def _waiting(ctx: Context) -> dict[str, Any] | None:
    """The organiser's pending change, if the button pressed belongs to it."""
    doc = _pending(ctx).get(ctx.user.id)
    token = ctx.args[0] if ctx.args else ""
    if doc is None or not token or doc.get("token") != token:
        ctx.toast(ctx._("This change is no longer waiting for you to confirm it."))
        return None
    return dict(doc)


async def _still_current(ctx: Context, doc: dict[str, Any]) -> Loaded | None:
    """The candidate, if nothing moved since it was shown; otherwise shows it again."""
    path = source.path_of(ctx.assistant)
    try:
        if doc["kind"] == "reload":
            candidate = await _off_loop(source.read, ctx.assistant)
            if candidate.content != doc["content"]:
                await propose(ctx, "reload", doc["name"], candidate,
                              ctx._("The file changed since I showed you the changes. This is "
                                    "what it changes now:"))
                return None
        else:
            candidate = await _off_loop(source.parse_cached, ctx.assistant, doc["content"],
                                        str(path))
    except ProgrammeError as exc:
        _pending(ctx).remove(ctx.user.id)
        ctx.edit(problems_text(ctx, exc.problems, doc["name"]))
        return None
    if _old(ctx, candidate.programme)[1] != doc["base"]:
        await propose(ctx, doc["kind"], doc["name"], candidate,
                      ctx._("The programme in use changed in the meantime. This is what "
                            "yours changes now:"))
        return None
    return candidate


async def _off_loop(work: Callable[..., T], *args: Any) -> T:
    """Read or compare programmes on a worker thread: a festival's take seconds, and
    everyone else's updates are answered meanwhile (the interpreter switches threads every
    few milliseconds)."""
    return await anyio.to_thread.run_sync(work, *args)


async def _announce(ctx: Context, diff: ProgrammeDiff) -> None:
    """Tell the other plugins, once per meeting, and record each change in the audit log."""
    for event in diff.added:
        await ctx.hooks.event_changed(ctx, None, event, ())
        ctx.audit("event_added", event.id, event=event.id)
    for event in diff.removed:
        await ctx.hooks.event_changed(ctx, event, None, ())
        ctx.audit("event_removed", event.id, event=event.id)
    for change in (*diff.cancelled, *diff.changed):
        await ctx.hooks.event_changed(ctx, change.before, change.after, change.fields)
        ctx.audit("event_changed", f"{change.after.id}: {', '.join(change.fields)}",
                  event=change.after.id, fields=list(change.fields))


async def confirm(ctx: Context) -> None:
    """The Confirm button: put the candidate in use and tell everyone affected."""
    doc = _waiting(ctx)
    candidate = await _still_current(ctx, doc) if doc else None
    if doc is None or candidate is None:
        return
    kept_file = doc["kind"] == "reload" or not source.is_bundled(ctx.assistant)
    packed = await _off_loop(remembered.pack, candidate.content,
                             remembered.origin_of(ctx.assistant, candidate.content) if kept_file
                             else remembered.UPLOAD)
    _old_programme, _base, diff = await _compared(ctx, candidate.programme)
    if diff is None:  # the same as the programme in use: nothing to tell anyone
        diff = ProgrammeDiff()
    if "told" in doc and "followers" in doc:
        told, followers = doc["told"], doc["followers"]
    else:  # shown before the counts were kept with it
        reached = await audience(ctx, diff, not news.first_programme(doc["base"]),
                                 candidate.programme)
        told, followers = doc.get("told", reached.told), reached.followers
    if _old(ctx, candidate.programme)[1] != doc["base"]:
        await propose(ctx, doc["kind"], doc["name"], candidate,
                      ctx._("The programme in use changed in the meantime. This is what yours "
                            "changes now:"))
        return
    path = source.path_of(ctx.assistant)
    if doc["kind"] == "upload" and kept_file:
        try:
            source.write_atomically(path, candidate.content)
        except OSError as exc:
            ctx.log.error("could not write %s: %s", path, exc)
            ctx.reply(escape(ctx._("I couldn't save the file ({error}), so nothing changed. "
                                   "Please tell the person who runs the bot.",
                                   error=exc.strerror or exc)))
            return
    previous = source.current(ctx.assistant)
    source.install(ctx.assistant, candidate)
    ahead.start(ctx)
    remembered.remember(ctx, packed)
    news.record(ctx, diff, doc["base"])
    _pending(ctx).remove(ctx.user.id)
    ctx.audit("programme_applied", f"{doc['kind']} {doc['name']}: {len(diff.added)} added, "
                                   f"{len(diff.removed)} removed, {len(diff.cancelled)} "
                                   f"cancelled, {len(diff.changed)} changed",
              kind=doc["kind"], file=doc["name"], added=len(diff.added),
              removed=len(diff.removed), cancelled=len(diff.cancelled),
              changed=len(diff.changed))
    await _announce(ctx, diff)
    try:
        await ctx.assistant.store.commit()
    except SaveFailed:
        if previous is not None:
            source.put_back(ctx.assistant, previous)
            ahead.start(ctx)
        ctx.log.error("programme: could not save the confirmed programme; the one in use stays")
        ctx.reply(escape(ctx._("I couldn't save the new programme, so nothing changed and "
                               "nobody was told. Please try again in a little while.")))
        return
    lines = [escape(ctx._("Done: the new programme is in use ({summary}).",
                          summary=summary(ctx, diff)))]
    if told:
        lines.append(escape(ctx.ngettext(
            "{n} participant of the changed meetings is being told.",
            "{n} participants of the changed meetings are being told.", told)))
    if followers:
        lines.append(escape(ctx.ngettext(
            "{n} follower of their networks is being told of the new meetings.",
            "{n} followers of their networks are being told of the new meetings.", followers)))
    if not kept_file:
        lines.append(escape(ctx._("Note: the bot uses the bundled sample programme, so I "
                                  "didn't save your file into it. Your programme stays in use "
                                  "after a restart, but then I'll tell you that the sample "
                                  "differs from it. Set MINGEL_PROGRAMME to a file of your own "
                                  "to keep it there.")))
    ctx.edit("\n".join(lines))


async def cancel(ctx: Context) -> None:
    """The Cancel button: forget the candidate, keep the programme in use."""
    if _waiting(ctx) is None:
        return
    _pending(ctx).remove(ctx.user.id)
    ctx.edit(escape(ctx._("Cancelled. The programme in use stays as it was.")))


def user_data(ctx: Context, user_id: int) -> dict[str, Any] | None:
    """An organiser's change waiting for confirmation, if any."""
    doc = _pending(ctx).get(user_id)
    if doc is None:
        return None
    return {"file": doc.get("name"), "kind": doc.get("kind"), "since": doc.get("at"),
            "content": doc.get("content")}


def forget_user(ctx: Context, user_id: int) -> None:
    """Drop an organiser's waiting change."""
    _pending(ctx).remove(user_id)


AUDITED = {"event_added": N_("Meeting added: {event}"),
           "event_removed": N_("Meeting removed: {event}"),
           "event_changed": N_("Meeting changed: {event} ({fields})"),
           "programme_applied": N_("New programme from {file}: {counts}")}
"""/audit's line for each entry this plugin records, with the values kept with it."""


def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """An entry of the audit log in the reader's language: field names and counts too."""
    if action not in AUDITED:
        return None
    fields = ", ".join(ctx._(changes.FIELD_LABELS.get(f, f)) for f in values.get("fields", ()))
    counts = ", ".join([
        ctx.ngettext("{n} added", "{n} added", values.get("added", 0)),
        ctx.ngettext("{n} removed", "{n} removed", values.get("removed", 0)),
        ctx.ngettext("{n} cancelled", "{n} cancelled", values.get("cancelled", 0)),
        ctx.ngettext("{n} changed", "{n} changed", values.get("changed", 0))])
    return escape(ctx._(AUDITED[action], event=values.get("event", ""), fields=fields,
                        file=values.get("file", ""), counts=counts))
