"""Helpers for the health plugin's tests: a small programme run by the real programme and
RSVP plugins, and a few steps of the flow; no tests of its own."""
from __future__ import annotations

import atexit
import shutil
import tempfile
import types
from pathlib import Path

from assistant import hookimpl
from plugins.programme.loader import parse_programme

NOW = "2027-08-01T08:00:00+00:00"
"""10:00 in Stockholm: the window (48 h) for "hybrid" is open, for "required" not yet."""

PROGRAMME = """
timezone: Europe/Stockholm
contact: natverk@example.org
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknad, en: Labour market}}
health:
  questions:
    - {sv: "Har du feber i dag?", en: "Do you have a fever today?"}
    - {sv: "Har du varit i ett riskområde?", en: "Have you been in a risk area?"}
    - {sv: "Har du träffat någon som är smittad?", en: "Have you met someone who is infected?"}
  rules:
    sv: Använd handsprit och hoppa över handskakningar och kramar.
    en: Use hand sanitiser and skip handshakes and hugs.
defaults:
  networks: [am]
  venue: f7
  online: {platform: Zoom, url: "https://zoom.us/j/61234567890", private: true}
  health_declaration: true
events:
  - id: hybrid
    title: {sv: Hybridmötet, en: The hybrid meeting}
    start: 2027-08-03 09:30
    end: 2027-08-03 12:30
  - id: plain
    title: {sv: Vanliga mötet, en: The plain meeting}
    start: 2027-08-04 09:30
    end: 2027-08-04 12:30
    health_declaration: false
  - id: required
    title: {sv: Tvådagarsträffen, en: The two-day gathering}
    start: 2027-08-10 10:00
    end: 2027-08-11 15:00
    online: null
    health_required: true
  - id: secret
    title: Roundtable
    start: 2027-08-03 14:00
    end: 2027-08-03 16:00
    invite_only: true
"""
QUESTIONS_EN = ("Do you have a fever today?", "Have you been in a risk area?",
                "Have you met someone who is infected?")
QUESTIONS_SV = ("Har du feber i dag?", "Har du varit i ett riskområde?",
                "Har du träffat någon som är smittad?")


def fake_programme(source: str = PROGRAMME) -> types.ModuleType:
    """A stand-in programme plugin whose programme a test can replace (`.current`), to change
    the questions in the middle of a declaration."""
    module = types.ModuleType("fakeprogramme")
    module.NAME = "fakeprogramme"
    module.current = parse_programme(source, "test.yaml")
    module.programme = hookimpl(lambda assistant: module.current)
    return module


def programme_file(source: str = PROGRAMME) -> str:
    """The programme written to a file for MINGEL_PROGRAMME (one per text, reused)."""
    path = _FILES.get(source)
    if path is None:
        directory = tempfile.mkdtemp(prefix="mingel-health-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        path = Path(directory) / "programme.yaml"
        path.write_text(source, encoding="utf-8")
        _FILES[source] = path
    return str(path)


_FILES: dict[str, Path] = {}


def plugins(health: bool = True) -> list[str]:
    """The real plugins a participant meets: basics, programme, RSVP, and health."""
    return ["plugins.basics", "plugins.programme", "plugins.rsvp",
            *(["plugins.health"] if health else [])]


async def make(mingel_chat, source: str = PROGRAMME, env: dict[str, str] | None = None,
               **kwargs):
    """A harness with the real plugins on `source`, organiser 1, at NOW, without flood
    control."""
    env = {"MINGEL_PROGRAMME": programme_file(source), **(env or {})}
    return await mingel_chat(plugins(), organisers=[1], now=NOW, flood_control=False, env=env,
                             **kwargs)


def attendance(chat, event_id: str, user_id: int):
    """The user's RSVP answer as the hooks report it."""
    ctx = chat.context("health", user_id)
    return chat.assistant.hooks.attendance(ctx, ctx.programme.event(event_id), user_id)


async def coming_in_person(chat, user, event_id: str = "hybrid") -> None:
    """The user opens the card and answers "Coming in person"."""
    card = await chat.send(f"/event {event_id}", user)
    label = "Kommer på plats" if "Kan inte komma" in chat.buttons(card) else "Coming in person"
    await chat.press(label, user)


async def answer_all(chat, user, answers: str) -> list:
    """Press Yes (y) / No (n) for each question; returns the last replies."""
    labels = {"y": ("Yes", "Ja"), "n": ("No", "Nej")}
    replies = chat.last[user.id]
    for a in answers:
        label = next(l for l in labels[a] if l in chat.buttons(replies))
        replies = await chat.press(label, user)
    return replies


async def declare(chat, user, event_id: str, answers: str) -> None:
    """A whole declaration with /health; rules acknowledged when every answer is no. Someone
    coming online, told they need none, fills it in with the button that offers it."""
    replies = await chat.send(f"/health {event_id}", user)
    if chat.buttons(replies) == ["Fill in health declaration"]:
        await chat.press("Fill in health declaration", user)
    await answer_all(chat, user, answers)
    if "y" not in answers:
        await chat.press("I will follow", user)
