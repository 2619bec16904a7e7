"""The assistant: plugins, storage and languages wired together, and one update handled.

Every update goes the same way whatever the transport: the user is recorded, flood
control is asked, the update is routed to a command, a button action, an awaited
answer, a document or free-text hook; then storage is committed and only then are
the replies returned for the adapter to send (an answer is acknowledged only after
it is stored).
"""
from __future__ import annotations

import asyncio
import difflib
import inspect
import logging
import unicodedata
import weakref
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from .auditlog import AuditLog
from .buttons import fits, well_formed
from .clock import Clock
from .config import Config, ConfigError
from .context import BUTTON_GONE, JOB_PAUSE, JOB_SLICE, JOB_WAIT, Context
from .flood import FloodControl
from .hooks import Hooks
from .i18n import ALIASES_LANGUAGE, LOCALES_DIR, Catalogues
from .lull import Answering
from .outbox import Outbox
from .plugins import build_plugin_manager
from .roles import Roles
from .storage import SaveFailed, Store
from .text import escape
from .types import Action, Command, Export, Incoming, Reply, User
from .users import Users

CORE = "assistant"
GUESS_CUTOFF = 0.75
SCRUB, SCRUB_EVERY = "scrub", timedelta(hours=1)
log = logging.getLogger("assistant")


class Assistant:
    """One configured assistant: its own plugin manager, store, catalogues and clock."""

    def __init__(self, config: Config | None = None, *,
                 plugins: Sequence[str | ModuleType | object] | None = None,
                 entry_points: bool = True, store: Store | None = None,
                 clock: Clock | None = None) -> None:
        self.config = config or Config.from_env()
        self.clock = clock or Clock()
        self.pm = build_plugin_manager(self.config.disabled_plugins, plugins, entry_points)
        self.hooks = Hooks(self)
        self.catalogues = Catalogues([LOCALES_DIR, *self._plugin_locale_dirs()])
        self.store = store if store is not None else Store(self.config.data_dir)
        self.auditlog = AuditLog(self.store)
        self.users = Users(self)
        self.roles = Roles(self)
        self.outbox = Outbox(self)
        self.flood = FloodControl()
        self.organisers: set[int] = set(self.config.organisers)
        self.settings: dict[str, Any] = self._parse_settings()
        self.commands: dict[str, Command] = {}
        self.actions: dict[tuple[str, str], Action] = {}
        self.exports: dict[str, Export] = {e.name: e for e in self.hooks.register_exports()}
        self.started = False
        self.job_slice, self.job_pause, self.job_wait = JOB_SLICE, JOB_PAUSE, JOB_WAIT
        self.answering = Answering()
        self.turns: weakref.WeakKeyDictionary[asyncio.Task, float] = \
            weakref.WeakKeyDictionary()
        self._warming: asyncio.Task | None = None
        self._scrubbed: datetime | None = None
        self.scrub_every = SCRUB_EVERY
        self._reading: asyncio.Task | None = None
        self.bot_username: str | None = None
        self.erasers: list[Callable[[int], None]] = []
        """What an adapter keeps about people outside the store (the terminal chat's saved
        files): each is called with a forgotten user's id by `forget_user`."""
        self.openers: list[Callable[[], None]] = []
        """What an adapter records once the store is open, before the plugins start (the
        terminal chat's user, whose language what `startup` queues for them is built in)."""

    def _plugin_locale_dirs(self) -> list[Path]:
        dirs = []
        for _name, plugin in self.pm.list_name_plugin():
            file = getattr(plugin, "__file__", None)
            if file:
                dirs.append(Path(file).resolve().parent / "locales")
        return dirs

    def _parse_settings(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for setting in self.hooks.register_settings():
            raw = self.config.env.get(setting.env) or setting.default
            if raw is None:
                values[setting.env] = None
                continue
            try:
                values[setting.env] = setting.parse(raw)
            except (ValueError, TypeError) as exc:
                raise ConfigError(f"{setting.env}: {exc}") from None
        return values

    def plugin_names(self) -> list[str]:
        """Loaded plugins, in registration order."""
        return [name for name, plugin in self.pm.list_name_plugin() if plugin is not None]

    def context(self, plugin: str = CORE, user: User | None = None, **kwargs: Any) -> Context:
        """A context for a plugin, for a user or (user None) for system work."""
        lang = kwargs.pop("lang", None) or (self.users.language(user.id) if user else None)
        return Context(self, plugin, user=user, lang=lang, **kwargs)

    async def start(self) -> None:
        """Open storage, collect declarations, and tell plugins we are up."""
        if self.started:
            return
        self.store.open()
        for opened in self.openers:
            opened()
        _ = self.context()._  # the operator reads it in the language a refused start speaks
        for cmd in self.hooks.register_commands():
            for name in map(command_key, (cmd.name, *cmd.aliases)):
                if name in self.commands:
                    raise ConfigError(_(
                        "the plugins {first} and {second} both declare the command /{command}: "
                        "switch one off with MINGEL_DISABLED_PLUGINS, or uninstall it",
                        first=self.commands[name].plugin, second=cmd.plugin, command=name))
                self.commands[name] = cmd
        for action in self.hooks.register_actions():
            if (action.plugin, action.name) in self.actions:
                raise ConfigError(_(
                    "the plugin {plugin} declares the button action {action} twice: fix it, or "
                    "switch it off with MINGEL_DISABLED_PLUGINS={plugin}",
                    plugin=action.plugin, action=action.name))
            self.actions[(action.plugin, action.name)] = action
        self.started = True
        await self.hooks.startup(self.context())
        await self.store.commit()
        self._warming = asyncio.create_task(self.store.warm(), name="mingel-warm")
        self._reading = asyncio.create_task(
            self.catalogues.warm([CORE, *self.plugin_names()]), name="mingel-catalogues")
        self._reading.add_done_callback(_log_failure)

    async def stop(self) -> None:
        """Let plugins finish, flush and close storage."""
        if not self.started:
            return
        for task in (self._warming, self._reading):
            if task is not None:
                task.cancel()
                await asyncio.wait([task])
        try:
            await self.hooks.shutdown(self.context())
        finally:
            self.started = False
            await self.store.aclose()

    async def tick(self) -> None:
        """Time-driven work: plugins' tick hooks, daily retention, outbox pruning; the first
        waits until the indexes are built, so that it does not build them all on the loop."""
        if (warming := self._warming) is not None:
            if not warming.done():
                await asyncio.wait([warming])
            self._warming = None
            if not warming.cancelled() and (error := warming.exception()) is not None:
                log.error("building indexes ahead failed", exc_info=error)
        now = self.clock.now()
        context = self.context(shared={"now": now})
        await self.hooks.tick(context, now)
        last = self.store.get_meta("retention_sweep")
        if last is None or now - datetime.fromisoformat(last) >= timedelta(hours=23):
            await context.give_way()
            cutoff, held = now - self.config.retention, self.store.documents()
            await self.hooks.trim_past(self.context(), cutoff)
            self.auditlog.trim(cutoff)
            self.store.set_meta("retention_sweep", now.isoformat())
            if self.store.documents() < held:
                self.scrub()
        await context.give_way()
        if self.outbox.prune(now):
            self.scrub()
        await self.store.commit()
        due = self._scrubbed is None or now - self._scrubbed >= self.scrub_every
        if due and self.store.get_meta(SCRUB):
            # Cleared before the rewrite copies the data, so that a deletion made while it
            # runs asks again; a failed one (a full disk) is tried again in an hour, not at
            # every tick.
            self._scrubbed = now
            self.store.set_meta(SCRUB, False)
            if not await self.store.acompact():
                self.scrub()
            await self.store.commit()

    def scrub(self) -> None:
        """Have deleted data leave the disk at the tick's next compaction (`Context.scrub`);
        kept in the store, so a restart before it still compacts."""
        if not self.store.get_meta(SCRUB):
            self.store.set_meta(SCRUB, True)

    async def forget_user(self, user_id: int) -> list[str]:
        """Delete a user from every plugin and from the core; returns plugins that failed."""
        failed = await self.hooks.forget_user(self.context(), user_id)
        for erase in self.erasers:
            try:
                erase(user_id)
            except Exception:  # the rest is still deleted, and the user is told
                log.exception("erasing user %s outside the store failed", user_id)
                failed.append(getattr(erase, "__qualname__", "adapter"))
        self.outbox.forget_chat(user_id)
        for network in self.roles.moderated_networks(user_id):
            self.roles.remove_moderator(network, user_id)
        self.auditlog.forget(self.users.get(user_id))
        self.users.forget(user_id)
        self.flood.forget(user_id)
        return failed

    def audit(self, user: User | None, action: str, details: str = "",
              values: dict[str, Any] | None = None) -> None:
        """Append to the audit log: who, what, when; `details` in plain English for whoever
        reads the table, `values` for the recording plugin to describe the entry in the
        reader's language (the `audit_text` hook)."""
        self.auditlog.record(self.clock.now(), user, action, details, values)

    def visible_commands(self, user_id: int) -> list[Command]:
        """Commands this user may use, once each, for /help and the menu."""
        seen: dict[str, Command] = {}
        for cmd in self.commands.values():
            if cmd.name not in seen and self.roles.may(user_id, cmd.role):
                seen[cmd.name] = cmd
        return list(seen.values())

    async def handle(self, incoming: Incoming) -> tuple[list[Reply], str | None]:
        """Handle one update; returns the replies and an optional button notice."""
        user = incoming.user
        allowed, warn = self.flood.allow(user.id)
        if not allowed:
            ctx = self.context(CORE, user, chat=incoming.chat, incoming=incoming)
            if warn:
                ctx.reply(ctx._("You're sending messages very quickly. I'll answer again in a "
                                "few seconds."))
            return ctx.replies, None
        newcomer = not self.users.known(user.id)
        ctx = Context(self, CORE, user=user, chat=incoming.chat, incoming=incoming,
                      lang=self.users.language_of(self.users.seen(user)),
                      shared={"newcomer": True} if newcomer else None)
        try:
            await self._route(ctx, incoming)
        except Exception:
            log.exception("unexpected error while handling an update")
            del ctx.replies[:]
            ctx.reply(ctx._("Sorry, something went wrong on my side. Please try again."))
        try:
            await self.store.commit()
        except SaveFailed:
            log.error("could not save; the change was rolled back and the user told")
            del ctx.replies[:]
            ctx.shared.pop("toast", None)
            ctx.reply(ctx._("Sorry, I can't save anything right now, so nothing was changed. "
                            "Please try again in a little while."))
        ctx.release()
        return ctx.replies, ctx.shared.get("toast")

    async def _route(self, ctx: Context, incoming: Incoming) -> None:
        if incoming.callback_data is not None:
            await self._button(ctx, incoming.callback_data)
        elif incoming.document is not None:
            if not await self.hooks.document_received(ctx):
                ctx.reply(ctx._("I don't know what to do with this file. Send /help to see "
                                "what I can do."))
        elif incoming.text and incoming.text.startswith("/"):
            await self._command(ctx, incoming.text)
        elif incoming.text and (route := self.users.expected(incoming.user.id)):
            self.users.expect(incoming.user.id, None)
            plugin, _, rest = route.partition(":")
            name, *args = rest.split(":") if rest else ("",)
            action = self.actions.get((plugin, name))
            if action is None or not self.roles.may(incoming.user.id, action.role):
                await self._unknown_text(ctx)
            else:
                await self._run(action.handler, ctx.for_plugin(plugin), args, incoming.text)
        else:
            await self._unknown_text(ctx)

    async def _unknown_text(self, ctx: Context) -> None:
        if not await self.hooks.text_received(ctx):
            ctx.reply(ctx._("I didn't understand that. Send /help to see what I can do."))

    async def _command(self, ctx: Context, text: str) -> None:
        head, _, rest = text.partition(" ")
        name = command_key(head[1:].split("@", 1)[0])
        cmd = self.commands.get(name)
        if cmd is None:
            if guess := self._guess(ctx, name):
                ctx.reply(ctx._("I don't know the command /{name}. Did you mean /{guess}? Send "
                                "/help to see what I can do.", name=escape(name[:32]), guess=guess))
            else:
                ctx.reply(ctx._("I don't know the command /{name}. Send /help to see what I "
                                "can do.", name=escape(name[:32])))
            return
        if not self.roles.may(ctx.user.id, cmd.role):
            ctx.reply(ctx._("Sorry, only organisers can use /{name}.", name=name)
                      if cmd.role == "organiser"
                      else ctx._("Sorry, only moderators and organisers can use /{name}.",
                                 name=name))
            return
        self.users.expect(ctx.user.id, None)
        await self._run(cmd.handler, ctx.for_plugin(cmd.plugin), rest.split(), rest.strip())

    def _guess(self, ctx: Context, name: str) -> str | None:
        """The command a typo most likely meant (/programe, /serch, /hjälpp), among those this
        user may use; between names as close, the one written as the user writes (with or
        without å, ä, ö), then a Swedish alias for a Swedish user (/kalendar: /kalender) and
        the English name for others (/calendar)."""
        typed = name[:32]
        matcher = difflib.SequenceMatcher(b=typed)
        best: tuple[float, bool, bool] | None = None
        guess = None
        for known, cmd in self.commands.items():
            matcher.set_seq1(known)
            if matcher.real_quick_ratio() < GUESS_CUTOFF or matcher.quick_ratio() < GUESS_CUTOFF \
                    or (score := matcher.ratio()) < GUESS_CUTOFF \
                    or not self.roles.may(ctx.user.id, cmd.role):
                continue
            rank = (score, known.isascii() == typed.isascii(),
                    (known == cmd.name) != (ctx.lang == ALIASES_LANGUAGE))
            if best is None or rank > best:
                best, guess = rank, known
        return guess

    async def _button(self, ctx: Context, data: str) -> None:
        plugin, _, rest = data.partition(":")
        name, *args = rest.split(":")
        action = self.actions.get((plugin, name))
        if action is None:
            ctx.refuse(ctx._("This button no longer works. Send /help to see what I can do."))
            return
        if not self.roles.may(ctx.user.id, action.role):
            ctx.toast(ctx._("Sorry, you can't do that."))
            return
        if not (well_formed(data) and fits(action, args)):  # forged: no button of ours
            ctx.refuse(self.catalogues.text(CORE, ctx.lang, BUTTON_GONE))
            return
        self.users.expect(ctx.user.id, None)
        await self._run(action.handler, ctx.for_plugin(plugin), args, "")

    def _take_back(self, undo: Callable[[], int]) -> int:
        """A failed handler's writes undone; the outbox reads its queue again, since queued
        or dropped messages may be among them."""
        try:
            taken = undo()
        except Exception:
            log.exception("could not take back a failed handler's changes")
            return 0
        if taken:
            self.outbox.resync()
        return taken

    async def _run(self, handler: Any, ctx: Context, args: list[str], text: str) -> None:
        ctx.args = args
        ctx.shared["text"] = text
        with self.store.undoable() as undo:
            try:
                result = handler(ctx)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                ctx.log.exception("handler %s failed (%d changes taken back)",
                                  getattr(handler, "__name__", handler), self._take_back(undo))
                ctx.shared.pop("toast", None)
                del ctx.replies[:]
                ctx.replies.append(Reply(self.catalogues.gettext(
                    CORE, ctx.lang, "Sorry, something went wrong on my side. Please try again.")))


def command_key(name: str) -> str:
    """A command's name as it is looked up: lower case, and å, ä, ö as one character each
    whichever way the keyboard composed them."""
    return unicodedata.normalize("NFC", name).lower()


def _log_failure(task: asyncio.Task) -> None:
    """A background start-up task's failure, logged when it happens (what it would have made
    ahead is then made on first use)."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("%s failed", task.get_name(), exc_info=error)

