"""Every command sent without a meeting's id offers the meetings the same way: ten a page, in
each command's own order, "Show more" for the next page and "‹ Earlier" back, so that someone
with many meetings reaches every one of them (before, /broadcast and /attendees offered twenty
and the others ten, and none the rest)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.testing import ChatHarness

ORGANISER, ANNA = 1, 10
NOW = "2027-09-01T07:00:00+00:00"
COUNT = 23
"""Meetings in the programme: two full pages and a third of three."""


def season(path: Path) -> Path:
    """One network's season: COUNT meetings at a venue, each asking for a health declaration."""
    lines = ["timezone: Europe/Stockholm", "venues: {hall: {name: Hall}}",
             "networks: {am: {name: {sv: Nätverket, en: The network}}}",
             "health:", "  questions: [{sv: Feber?, en: Fever?}]",
             "  rules: {sv: Tvätta händerna., en: Wash your hands.}",
             "defaults: {networks: [am], venue: hall, health_declaration: true}", "events:"]
    for n in range(1, COUNT + 1):
        lines += [f"  - id: m{n:02d}", f"    title: {{sv: Träff {n}, en: Meeting {n}}}",
                  f"    start: 2027-10-{n:02d} 09:30", f"    end: 2027-10-{n:02d} 11:00"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def label(n: int, lang: str = "en") -> str:
    """A meeting as the picker names it."""
    day = ("Fri", "Sat", "Sun", "Mon", "Tue", "Wed", "Thu")[(n - 1) % 7]
    if lang == "sv":
        day = ("fre", "lör", "sön", "mån", "tis", "ons", "tors")[(n - 1) % 7]
        return f"{day} {n} okt. 09:30 · Träff {n}"
    return f"{day} {n} Oct 09:30 · Meeting {n}"


@pytest.fixture
async def chat(mingel_chat, tmp_path) -> ChatHarness:
    chat = await mingel_chat(None, organisers=[ORGANISER], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": str(season(tmp_path / "season.yaml"))})
    chat.user(ORGANISER, "Olga", lang="en")
    chat.user(ANNA, "Anna", lang="en")
    return chat


async def pages(chat: ChatHarness, replies, user: int, more: str = "Show more",
                back: str = "‹ Earlier") -> list[list[str]]:
    """The meetings on each page of a picker, pressing "Show more" to the last; each page
    after the first is the same message, edited, with a way back, and the way back shows the
    page before again."""
    found: list[list[str]] = []
    while True:
        labels = chat.buttons(replies)
        found.append([b for b in labels if b not in (more, back, "Cancel")])
        if len(found) > 1:
            assert replies[0].edit and labels.count(back) == 1
        if more not in labels:
            break
        previous, replies = replies, await chat.press(more, user, replies)
    if len(found) > 1:
        earlier = await chat.press(back, user, replies)
        assert chat.buttons(earlier) == chat.buttons(previous)
    return found


EVERY = [label(n) for n in range(1, COUNT + 1)]
PAGED = [EVERY[:10], EVERY[10:20], EVERY[20:]]


@pytest.mark.parametrize("command", ["/event", "/rsvp", "/attendees", "/health", "/doorlist",
                                     "/calendar", "/invite", "/ask", "/questions", "/moderate"])
async def test_every_picker_pages_ten_meetings_at_a_time_to_the_last(chat, command) -> None:
    user = ORGANISER if command in ("/attendees", "/doorlist", "/invite", "/moderate") else ANNA
    assert await pages(chat, await chat.send(command, user), user) == PAGED


async def test_the_broadcasts_meeting_choice_pages_alike_and_keeps_cancel(chat) -> None:
    await chat.send("/broadcast", ORGANISER)
    choice = await chat.press("Participants of a meeting", ORGANISER)
    assert chat.buttons(choice)[-2:] == ["Show more", "Cancel"]
    assert await pages(chat, choice, ORGANISER) == PAGED
    await chat.press("Show more", ORGANISER, choice)
    chosen = await chat.press("Meeting 15", ORGANISER)
    assert "Which participants of Meeting 15?" in chat.text(chosen)


async def test_a_swedish_reader_pages_with_swedish_words_and_the_users_own_come_first(
        chat) -> None:
    """Sven's own meeting (he is coming to the 22nd) comes first, marked ✓, as before; the
    others follow in the programme's order, each once: in /ask's and /questions' pickers too,
    which kept date order (what he is coming to is what he asks about)."""
    sven = chat.user(11, "Sven", lang="sv")
    await chat.send("/rsvp m22", sven)
    await chat.press("Kommer på plats", sven)
    for command in ("/event", "/fråga", "/frågor"):
        found = await pages(chat, await chat.send(command, sven), sven.id, "Visa fler",
                            "‹ Tidigare")
        assert [b for page in found for b in page] == [
            "✓ " + label(22, "sv"), *(label(n, "sv") for n in range(1, COUNT + 1) if n != 22)], \
            command


async def test_a_stale_or_forged_page_shows_the_first(chat) -> None:
    """A "Show more" past the end (the meetings ended meanwhile) or with a made-up place
    shows the first page again rather than nothing."""
    for data in ("programme:pick:990", "programme:pick:x", "questions:pick:ask:990",
                 "questions:pick:nothing:10"):
        replies = await chat.press_data(data, ANNA)
        if data.endswith("nothing:10"):
            assert chat.text(replies) == "No meeting takes questions right now."
        else:
            assert chat.buttons(replies)[:10] == EVERY[:10], data
