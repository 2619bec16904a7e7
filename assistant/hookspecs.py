"""The plugin contract: every hook a Mingel plugin may implement.

Naming: `register_*` declare things at start-up, nouns contribute to something the
core or another plugin builds, `*_changed` notify, `*_gate` veto. Hooks that take
`ctx` receive a context bound to the implementing plugin (its translations, tables,
logger and callback prefix). `docs/plugins.md` documents each one; a test fails when
a hook is missing there.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .context import Context
    from .core import Assistant
    from .model import Attendance, Event, Programme
    from .pickday import NoSuchDay
    from .types import (
        Action,
        Button,
        CliCommand,
        Command,
        Document,
        EventField,
        Export,
        Notice,
        Setting,
    )

hookspec = pluggy.HookspecMarker("mingel")


@hookspec
def register_commands(assistant: Assistant) -> list[Command]:
    """Slash commands the plugin offers, with their help and who may use them."""


@hookspec
def register_actions(assistant: Assistant) -> list[Action]:
    """Button and awaited-text handlers, addressed as `<plugin>:<action>:<args>`."""


@hookspec
def register_settings(assistant: Assistant) -> list[Setting]:
    """Environment variables the plugin reads, checked at start-up."""


@hookspec
def register_event_fields(assistant: Assistant) -> list[EventField]:
    """Fields the plugin adds to the programme file's meetings, read into `Event.extra`."""


@hookspec
def register_exports(assistant: Assistant) -> list[Export]:
    """Files organisers can export, in chat and with `mingel export NAME ARG`."""


@hookspec
def register_cli(assistant: Assistant) -> list[CliCommand]:
    """Extra `mingel` subcommands (e.g. `mingel check FILE`)."""


@hookspec
async def startup(ctx: Context) -> None:
    """After storage is open and all plugins are registered."""


@hookspec
async def shutdown(ctx: Context) -> None:
    """Before storage is closed; finish or persist work in flight."""


@hookspec
async def tick(ctx: Context, now: datetime) -> None:
    """Every half minute and at start: due reminders, sweeps, retention."""


@hookspec(firstresult=True)
def programme(assistant: Assistant) -> Programme | None:
    """The current programme (first plugin that has one wins)."""


@hookspec
def help_sections(ctx: Context) -> list[str] | str | None:
    """Extra paragraphs for /help and /start, in the user's language."""


@hookspec(firstresult=True)
async def start_payload(ctx: Context, payload: str) -> bool | None:
    """Handle a deep link `/start <payload>`; True when handled, False when it is yours but
    dead (you said why; a newcomer then gets the welcome too)."""


@hookspec(firstresult=True)
async def document_received(ctx: Context) -> bool | None:
    """Handle a file the user sent (`ctx.incoming.document`); True when handled."""


@hookspec(firstresult=True)
async def text_received(ctx: Context) -> bool | None:
    """Handle free text that no command or awaited answer took; True when handled."""


@hookspec
def event_visible(ctx: Context, event: Event) -> bool | None:
    """May this user see the event? Any False hides it (invite-only meetings)."""


@hookspec(firstresult=True)
def named_day(ctx: Context, text: str) -> date | NoSuchDay | None:
    """The day these words name ("2 sep", "onsdag") and nothing else, a `NoSuchDay` for a
    date that does not exist ("31/2"), or None."""


@hookspec(firstresult=True)
def event_card(ctx: Context, event: Event) -> tuple[str, list[list[Button]]] | None:
    """The full card of an event for this user (text and buttons), to send or edit in place;
    it says when the meeting is cancelled or over, so nothing sent with it repeats that."""


@hookspec(firstresult=True)
def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """One of this plugin's audit entries in the reader's language (HTML, values escaped);
    `action` without the plugin's prefix. Asked only of the plugin that recorded it."""


@hookspec(firstresult=True)
def send_card(ctx: Context, event: Event) -> bool | None:
    """Reply with an event's card as /event sends it (the card, then the venue's map pin);
    True when sent."""


@hookspec
def attachments(ctx: Context, event: Event, reason: str) -> list[Document] | Document | None:
    """Files sent with a message about the event ("confirmed", "promoted", "changed",
    "days": the user changed the days they come, "cancelled", "removed": the user no longer
    comes), e.g. the calendar entry."""


@hookspec
def event_details(ctx: Context, event: Event) -> list[str] | str | None:
    """HTML lines a plugin adds to an event card for this user."""


@hookspec
def event_buttons(ctx: Context, event: Event) -> list[Button] | None:
    """Buttons a plugin adds to an event card for this user."""


@hookspec
async def rsvp_gate(ctx: Context, event: Event, answer: str, waiting: bool,
                    day: str | None) -> str | None:
    """Veto an answer: return the reason to show the user, or None to allow. `waiting` is
    True when it would only put the user on the waiting list (every place is taken). `day`
    is the ISO date of the one day of a gathering the answer is for (a day switched to in
    person), None for the whole answer; an implementation may leave it out."""


@hookspec
async def rsvp_changed(ctx: Context, event: Event, user_id: int,
                       before: Attendance | None, after: Attendance | None) -> None:
    """After an answer is stored (or removed); `before`/`after` None when absent."""


@hookspec(firstresult=True)
def attendance(ctx: Context, event: Event, user_id: int) -> Attendance | None:
    """This user's answer for the event, from whichever plugin stores answers."""


@hookspec(firstresult=True)
def answers_of(ctx: Context, user_id: int) -> list[Attendance] | None:
    """Every answer this user gave, to any meeting, from whichever plugin stores answers:
    lists that put the user's own meetings first (/next, a command given without an id)."""


@hookspec(firstresult=True)
def attendees(ctx: Context, event: Event) -> list[Attendance] | None:
    """Every answer for the event, earliest first."""


@hookspec(firstresult=True)
def places_left(ctx: Context, event: Event, answer: str) -> int | None:
    """Places of this kind ("in_person", "online") a new answer could still get on the
    meeting's fullest day: 0 when it would only reach the waiting list, None without a limit."""


@hookspec(firstresult=True)
async def change_attendance(ctx: Context, event: Event, answer: str) -> str | None:
    """Set the user's answer on their behalf (e.g. switch to online); returns a reply line."""


@hookspec
async def event_changed(ctx: Context, before: Event | None, after: Event | None,
                        fields: tuple[str, ...]) -> None:
    """After the programme changed an event; before None when added, after None when removed."""


@hookspec
def change_audience(ctx: Context, before: Event | None, after: Event | None,
                    fields: tuple[str, ...]) -> Iterable[int] | None:
    """The people the plugin will tell about this change (as `event_changed` would get it),
    asked before it is made, so the organiser's preview can say how many will be told; any
    iterable of user ids."""


@hookspec
def change_effects(ctx: Context, before: Event | None, after: Event | None,
                   fields: tuple[str, ...]) -> list[str] | str | None:
    """What this change does to people's answers (places lost or gained, answers the meeting
    no longer offers), asked with `change_audience` before it is made: plain-text lines in
    the reader's language for the organiser's preview."""


@hookspec
def awaiting_notice(ctx: Context, event: Event) -> Iterable[int] | None:
    """The people whose answer, place or days a programme change to this meeting moved and who
    have not been told yet (their notice waits for the organisers' quiet time), or whom a notice
    still to come tells of what a message would build on (a new time or private link):
    messages that build on their answer, such as reminders, wait until the notice has gone."""


@hookspec
def private_link_due(ctx: Context, event: Event, user_id: int) -> bool | None:
    """Whether the meeting's private join link goes to this person right away (their time for
    it has come and this link has not reached them yet), rather than later or not at all: a
    notice about a new link then says it follows in a moment."""


@hookspec
def private_link_sent(ctx: Context, event: Event, user_id: int) -> bool | None:
    """Whether the meeting's current private join link has reached this person already (it
    is in their chat): a card then says so rather than promising it."""


@hookspec
def reminder_details(ctx: Context, event: Event, last: bool) -> list[str] | str | None:
    """Lines added to a reminder for this user; `last` for the final one before the meeting."""


@hookspec
def reminder_buttons(ctx: Context, event: Event, last: bool) -> list[Button] | None:
    """Buttons added to a reminder for this user."""


@hookspec(firstresult=True)
def followers(ctx: Context, network: str) -> list[int] | None:
    """User ids following a network (for broadcasts and /next)."""


@hookspec
def privacy_notice(ctx: Context) -> str | Notice | list[str | Notice] | None:
    """Paragraphs: what the plugin keeps about a user, why, how long, who sees it; a `Notice`
    with a role for what concerns only organisers or moderators."""


@hookspec
def user_data(ctx: Context, user_id: int) -> dict[str, Any] | list[Any] | None:
    """Everything the plugin stores about a user, for /mydata."""


@hookspec
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user from the plugin's tables, leaving no orphans."""


@hookspec
async def trim_past(ctx: Context, before: datetime) -> None:
    """Retention: delete what the plugin keeps about meetings that ended before `before`."""
