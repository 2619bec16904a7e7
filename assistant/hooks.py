"""Calling plugins: `Hooks`, one typed method per hook and the only code that calls them.

It binds each call's context to the implementing plugin, awaits coroutines, logs a failing
notification under the plugin's name and goes on, and fails closed for gates: the machinery
is `HookCalls` (`assistant.hookcalls`). Finding the plugins is `assistant.plugins`.
"""
from __future__ import annotations

import inspect
from datetime import date
from typing import TYPE_CHECKING, Any

from .hookcalls import COLLECTING, NO_ARGUMENTS, Call, HookCalls

if TYPE_CHECKING:
    from .context import Context
    from .model import Attendance, Event, Programme
    from .pickday import NoSuchDay
    from .types import Action, Button, CliCommand, Command, Document, EventField, Export, Setting

__all__ = ["COLLECTING", "Call", "HookCalls", "Hooks"]


class Hooks(HookCalls):
    """The typed wrapper: one method per hook, and the only code that calls plugins."""

    def register_commands(self) -> list[Command]:
        """Every command, stamped with the plugin that declared it."""
        return self._stamped("register_commands")

    def register_actions(self) -> list[Action]:
        """Every button/text action, stamped with its plugin."""
        return self._stamped("register_actions")

    def register_exports(self) -> list[Export]:
        """Every export, stamped with its plugin."""
        return self._stamped("register_exports")

    def register_event_fields(self) -> list[EventField]:
        """Every field plugins add to the programme's meetings, stamped with its plugin."""
        return self._stamped("register_event_fields")

    def register_cli(self) -> list[CliCommand]:
        """Every plugin-provided `mingel` subcommand."""
        return self._sync("register_cli", None, flat=True)

    def register_settings(self) -> list[Setting]:
        """Every plugin's environment variables."""
        return self._sync("register_settings", None, flat=True)

    async def startup(self, ctx: Context) -> None:
        """Tell plugins the assistant is ready."""
        await self._async("startup", ctx)

    async def shutdown(self, ctx: Context) -> None:
        """Tell plugins the assistant is stopping."""
        await self._async("shutdown", ctx)

    async def tick(self, ctx: Context, now: Any) -> None:
        """Let plugins do time-driven work."""
        await self._async("tick", ctx, now=now)

    def programme(self) -> Programme | None:
        """The current programme, if a plugin provides one (asked a few times an update, so
        without the list `_sync` builds)."""
        for plugin, call in self._calls("programme"):
            try:
                programme = call(None, NO_ARGUMENTS)
                if programme is not None and not self._awaitable(plugin, "programme", programme):
                    return programme
            except Exception:  # noqa: BLE001 - one plugin failing must not stop the others
                self._log(plugin).exception("hook programme failed")
        return None

    def help_sections(self, ctx: Context) -> list[str]:
        """Extra help paragraphs."""
        return self._sync("help_sections", ctx, flat=True)

    async def start_payload(self, ctx: Context, payload: str) -> bool | None:
        """Offer a deep-link payload to plugins: True handled, False a dead link of theirs
        (said so; a newcomer is welcomed too), None nobody's."""
        found = await self._async("start_payload", ctx, first=True, payload=payload)
        return bool(found[0][1]) if found else None

    async def document_received(self, ctx: Context) -> bool:
        """Offer a received file to plugins."""
        return bool(await self._async("document_received", ctx, first=True))

    async def text_received(self, ctx: Context) -> bool:
        """Offer unclaimed free text to plugins."""
        return bool(await self._async("text_received", ctx, first=True))

    def event_visible(self, ctx: Context, event: Event) -> bool:
        """False when any plugin hides the event from this user (a failing check hides it)."""
        kwargs = {"event": event}
        for plugin, call in self._calls("event_visible"):
            try:
                if (visible := call(ctx, kwargs)) is False or self._awaitable(
                        plugin, "event_visible", visible):
                    return False
            except Exception:  # noqa: BLE001 - one plugin failing must not stop the others
                self._log(plugin).exception("hook event_visible failed")
                return False
        return True

    def named_day(self, ctx: Context, text: str) -> date | NoSuchDay | None:
        """The day words name where a meeting id was expected (a plugin reads days)."""
        return self._first("named_day", ctx, None, text=text)

    def event_card(self, ctx: Context, event: Event) -> tuple[str, list[list[Button]]] | None:
        """The card of an event as the programme plugin renders it."""
        return self._first("event_card", ctx, None, event=event)

    def audit_text(self, ctx: Context, action: str, values: dict[str, Any]) -> str | None:
        """An audit entry (`<plugin>.<action>`) described by the plugin that recorded it;
        None when it does not (an older plugin, an unknown action)."""
        plugin, _, name = action.partition(".")
        for implementer, call in self._calls("audit_text"):
            if implementer != plugin:
                continue
            try:
                return call(ctx, {"action": name, "values": values})
            except Exception:  # noqa: BLE001 - the entry is then shown as recorded
                self._log(plugin).exception("hook audit_text failed")
        return None

    def send_card(self, ctx: Context, event: Event) -> bool:
        """Reply with an event's card and what goes with it, as /event does; False when no
        plugin sends cards."""
        return bool(self._sync("send_card", ctx, first=True, event=event))

    def attachments(self, ctx: Context, event: Event, reason: str) -> list[Document]:
        """Files to go with a message about an event."""
        return self._sync("attachments", ctx, event=event, reason=reason, flat=True)

    def event_details(self, ctx: Context, event: Event) -> list[str]:
        """Card lines from every plugin."""
        return self._sync("event_details", ctx, event=event, flat=True)

    def event_buttons(self, ctx: Context, event: Event) -> list[Button]:
        """Card buttons from every plugin."""
        return self._sync("event_buttons", ctx, event=event, flat=True)

    async def rsvp_gate(self, ctx: Context, event: Event, answer: str,
                        waiting: bool = False, day: str | None = None) -> str | None:
        """The first veto, if any; a crashing gate refuses (fails closed)."""
        try:
            results = await self._async("rsvp_gate", ctx, gate=True, event=event, answer=answer,
                                        waiting=waiting, day=day)
        except Exception:  # noqa: BLE001 - one plugin failing must not stop the others
            return ctx._("This answer can't be checked right now. Please try again later.")
        return results[0][1] if results else None

    async def rsvp_changed(self, ctx: Context, event: Event, user_id: int,
                           before: Attendance | None, after: Attendance | None) -> None:
        """Tell plugins an answer changed."""
        await self._async("rsvp_changed", ctx, event=event, user_id=user_id,
                          before=before, after=after)

    def attendance(self, ctx: Context, event: Event, user_id: int) -> Attendance | None:
        """One user's answer."""
        return self._first("attendance", ctx, None, event=event, user_id=user_id)

    def answers_of(self, ctx: Context, user_id: int) -> list[Attendance]:
        """Every answer one user gave; `[]` when no plugin stores answers."""
        return self._first("answers_of", ctx, [], user_id=user_id)

    def attendees(self, ctx: Context, event: Event) -> list[Attendance]:
        """All answers for an event."""
        return list(self._first("attendees", ctx, [], event=event))

    def places_left(self, ctx: Context, event: Event, answer: str) -> int | None:
        """Free places of a kind on the meeting's fullest day (None: no limit, or nobody keeps
        seats)."""
        return self._first("places_left", ctx, None, event=event, answer=answer)

    async def change_attendance(self, ctx: Context, event: Event, answer: str) -> str | None:
        """Change the user's answer through whichever plugin stores answers."""
        results = await self._async("change_attendance", ctx, first=True, event=event,
                                    answer=answer)
        return results[0][1] if results else None

    async def event_changed(self, ctx: Context, before: Event | None, after: Event | None,
                            fields: tuple[str, ...]) -> None:
        """Tell plugins the programme changed an event."""
        await self._async("event_changed", ctx, before=before, after=after, fields=fields)

    def change_audience(self, ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> set[int]:
        """Everyone some plugin will tell about a change to an event, each once. A plugin may
        answer with any iterable of user ids (a list, a set, a generator); one whose answer is
        not that is logged under its name and left out, so the preview still comes."""
        return self._user_ids("change_audience", self._sync(
            "change_audience", ctx, before=before, after=after, fields=fields))

    def awaiting_notice(self, ctx: Context, event: Event) -> set[int]:
        """Everyone whose answer or place a change to the meeting moved before a notice told
        them so: what builds on their answer (a reminder) waits for that notice."""
        return self._user_ids("awaiting_notice", self._sync("awaiting_notice", ctx, event=event))

    def private_link_due(self, ctx: Context, event: Event, user_id: int) -> bool:
        """Whether some plugin sends this person the meeting's private link right away."""
        return self._any("private_link_due", ctx, event=event, user_id=user_id)

    def private_link_sent(self, ctx: Context, event: Event, user_id: int) -> bool:
        """Whether some plugin has sent this person the meeting's current private link."""
        return self._any("private_link_sent", ctx, event=event, user_id=user_id)

    def change_effects(self, ctx: Context, before: Event | None, after: Event | None,
                       fields: tuple[str, ...]) -> list[str]:
        """Every plugin's lines on what a change does to people, for the organiser's preview."""
        return self._sync("change_effects", ctx, before=before, after=after, fields=fields,
                          flat=True)

    def reminder_details(self, ctx: Context, event: Event, last: bool) -> list[str]:
        """Reminder lines from every plugin."""
        return self._sync("reminder_details", ctx, event=event, last=last, flat=True)

    def reminder_buttons(self, ctx: Context, event: Event, last: bool) -> list[Button]:
        """Reminder buttons from every plugin."""
        return self._sync("reminder_buttons", ctx, event=event, last=last, flat=True)

    def followers(self, ctx: Context, network: str) -> list[int]:
        """Followers of a network."""
        return list(self._first("followers", ctx, [], network=network))

    def privacy_notice(self, ctx: Context) -> list[tuple[str, str]]:
        """Each plugin's privacy paragraphs for this user, with its name: a `Notice` for a
        role only when the user has that role."""
        found = []
        for plugin, answer in self._sync("privacy_notice", ctx):
            shown = [part if isinstance(part, str) else part.text
                     for part in (answer if isinstance(answer, list | tuple) else [answer])
                     if isinstance(part, str) or ctx.may(part.role)]
            if shown:
                found.append((plugin, "\n\n".join(shown)))
        return found

    def user_data(self, ctx: Context, user_id: int) -> dict[str, Any]:
        """Everything stored about a user, keyed by plugin."""
        return dict(self._sync("user_data", ctx, user_id=user_id))

    async def forget_user(self, ctx: Context, user_id: int) -> list[str]:
        """Delete a user everywhere; returns the plugins that failed."""
        failed = []
        kwargs = {"user_id": user_id}
        for plugin, call in self._calls("forget_user"):
            try:
                result = call(ctx, kwargs)
                if inspect.isawaitable(result):
                    await result
            except Exception:  # noqa: BLE001 - one plugin failing must not stop the others
                self._log(plugin).exception("hook forget_user failed")
                failed.append(plugin)
        return failed

    async def trim_past(self, ctx: Context, before: Any) -> None:
        """Ask every plugin to drop data about meetings that ended before a moment."""
        await self._async("trim_past", ctx, before=before)
