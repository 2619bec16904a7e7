"""Test doubles for the RSVP and invitation tests: a small programme, a card, a calendar.

`ProgrammeStub` stands in for the programme plugin (the `programme` and `event_card`
hooks, and `change()` to publish a new version and fire `event_changed` as a reload
does); `CalendarStub` for the calendar plugin's `attachments`. No tests live here.
"""
from __future__ import annotations

from typing import Any

from assistant import hookimpl
from assistant.model import Event, text
from assistant.text import escape
from assistant.types import Document
from plugins.programme.diff import diff_programmes
from plugins.programme.loader import parse_programme

NOW = "2027-08-01T08:00:00+00:00"
ORGANISER = 1
PROGRAMME = """\
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
  kth: {name: KTH, address: "Valhallavägen 79, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknadsnätverket, en: Labour-market network}}
defaults:
  networks: [am]
  venue: f7
events:
  - id: hybrid
    title: {sv: Arbetsmarknaden efter corona, en: The labour market after corona}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    online: {platform: Zoom, url: "https://zoom.us/j/1", private: true}
    speakers: [Roger Mörtvik]
    capacity: 2
  - id: small
    title: {sv: Litet möte, en: Small meeting}
    start: 2027-09-21 09:30
    end: 2027-09-21 12:30
    capacity: 1
  - id: web
    title: {sv: Webbinarium, en: Webinar}
    venue: null
    online: {url: "https://zoom.us/j/2"}
    start: 2027-08-20 10:00
    end: 2027-08-20 11:00
  - id: days
    title: {sv: Arbetsmarknadsdagarna, en: Labour-market days}
    start: 2027-11-10 10:00
    end: 2027-11-11 15:00
    capacity: 1
  - id: past
    title: {sv: Vårmöte, en: Spring meeting}
    start: 2027-05-01 09:30
    end: 2027-05-01 12:30
  - id: off
    title: {sv: Inställt möte, en: Called-off meeting}
    start: 2027-10-01 09:30
    end: 2027-10-01 12:30
    cancelled: true
  - id: secret
    title: {sv: Rundabordssamtal, en: Roundtable}
    start: 2027-10-14 09:30
    end: 2027-10-14 11:00
    capacity: 12
    invite_only: true
"""

ONE_SEAT = PROGRAMME.replace("    capacity: 2\n", "    capacity: 1\n", 1)
"""The programme with a single seat at the hybrid meeting."""
NOW_INVITE_ONLY = ONE_SEAT.replace("    capacity: 1\n", "    capacity: 1\n    invite_only: true\n", 1)
"""The same, after the organisers made the hybrid meeting invite-only."""


class ProgrammeStub:
    """The programme plugin's part in these flows: the programme, the card, reloads."""

    NAME = "testprogramme"

    def __init__(self, source: str = PROGRAMME) -> None:
        self.current = parse_programme(source, "test.yaml")

    @hookimpl
    def programme(self) -> Any:
        return self.current

    @hookimpl
    def event_card(self, ctx: Any, event: Event) -> tuple[str, list[list[Any]]]:
        """As the programme plugin's card: a cancelled or past meeting says so first."""
        lines = ["❌ Cancelled: this meeting will not take place."] if event.cancelled else \
            ["⌛ This meeting is over."] if event.end_utc <= ctx.now else []
        lines += [f"<b>{escape(text(event.title, ctx.lang))}</b>",
                  ctx.fmt_event(event).range(event.start, event.end)]
        lines += ctx.hooks.event_details(ctx, event)
        buttons = ctx.hooks.event_buttons(ctx, event)
        return "\n".join(lines), [buttons[i:i + 2] for i in range(0, len(buttons), 2)]

    async def change(self, assistant: Any, source: str) -> None:
        """Publish a new programme and tell the plugins, as the programme plugin's reload."""
        old, self.current = self.current, parse_programme(source, "test.yaml")
        diff = diff_programmes(old, self.current)
        ctx = assistant.context("testprogramme")
        for event in diff.removed:
            await assistant.hooks.event_changed(ctx, event, None, ())
        for change in (*diff.cancelled, *diff.changed):
            await assistant.hooks.event_changed(ctx, change.before, change.after, change.fields)
        await assistant.store.commit()


class CalendarStub:
    """The calendar plugin's `attachments`: a small .ics naming the reason."""

    NAME = "testcalendar"

    @hookimpl
    def attachments(self, event: Event, reason: str) -> Document:
        method = "CANCEL" if reason == "cancelled" else "PUBLISH"
        body = f"BEGIN:VCALENDAR\r\nMETHOD:{method}\r\nX-REASON:{reason}\r\nUID:{event.id}\r\n"
        return Document(f"{event.id}.ics", (body + "END:VCALENDAR\r\n").encode(), "text/calendar")


def plugins(programme: ProgrammeStub | None = None) -> list[Any]:
    """The plugins of a participant's world: basics, programme, invitations, RSVP, calendar."""
    return ["plugins.basics", programme or ProgrammeStub(), "plugins.invitations",
            "plugins.rsvp", CalendarStub()]


def documents(replies: list[Any]) -> list[Any]:
    """The files among some replies."""
    return [r.document for r in replies if r.document is not None]
