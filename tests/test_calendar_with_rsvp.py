"""The calendar plugin with the real programme and RSVP plugins: files where people expect them."""
from __future__ import annotations

from datetime import UTC
from pathlib import Path

from assistant.testing import ChatHarness
from tests.test_calendar import NOW, PROGRAMME, events_of, validate

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar"]


async def start(mingel_chat, tmp_path: Path) -> tuple[ChatHarness, Path]:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, organisers=[1], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_CHANGE_DELAY": "1m"})
    chat.user(1, "Olle", lang="en")
    chat.user(7, "Eva", lang="en")
    chat.user(8, "Sven", lang="sv")
    return chat, path


def documents(replies: list) -> list:
    return [r.document for r in replies if r.document is not None]


async def test_answering_coming_brings_the_file_and_the_card_button(mingel_chat,
                                                                    tmp_path: Path) -> None:
    chat, _ = await start(mingel_chat, tmp_path)
    await chat.send("/event nov", 8)
    assert "📅 Lägg till i kalendern" not in chat.buttons(chat.last[8])
    [document] = documents(await chat.press("Kommer på plats", 8))
    cal = validate(document.content)
    assert document.filename == "nov.ics"
    assert events_of(cal)["nov"]["SUMMARY"] == "Arbete med arbetsmiljön"
    card = await chat.send("/event nov", 8)
    assert "📅 Lägg till i kalendern" in chat.buttons(card)
    [again] = documents(await chat.press("Lägg till i kalendern", 8))
    assert again.filename == "nov.ics"
    [mine] = documents(await chat.send("/calendar", 8))
    assert list(events_of(validate(mine.content))) == ["nov"]


async def test_a_moved_meeting_reaches_participants_with_a_newer_file(mingel_chat,
                                                                      tmp_path: Path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    await chat.send("/event nov", 7)
    [first] = documents(await chat.press("Coming in person", 7))
    uid = events_of(validate(first.content))["nov"]["UID"]
    path.write_text(PROGRAMME.replace("2027-11-02 09:30", "2027-11-02 10:00"), encoding="utf-8")
    await chat.send("/reload", 1)
    await chat.press("Confirm", 1)
    await chat.tick(minutes=5)
    [changed] = documents(chat.sent_to(7))
    event = events_of(validate(changed.content))["nov"]
    assert (event["UID"], event["SEQUENCE"]) == (uid, 1)
    assert event.start.astimezone(UTC).hour == 9


async def test_the_file_with_a_change_notice_updates_the_meeting_in_the_calendar(
        mingel_chat, tmp_path: Path) -> None:
    """The first file adds the meeting; the one with a change notice replaces it, and says so:
    surely for someone with a place, with an "if" for a maybe (who may never have taken one)."""
    chat, path = await start(mingel_chat, tmp_path)
    await chat.send("/event nov", 7)
    [first] = documents(await chat.press("Coming in person", 7))
    assert first.caption == "Open the file to add the meeting to your calendar."
    await chat.send("/event nov", 8)
    await chat.press("Kanske", 8)
    path.write_text(PROGRAMME.replace("2027-11-02 09:30", "2027-11-02 10:00"), encoding="utf-8")
    await chat.send("/reload", 1)
    await chat.press("Confirm", 1)
    await chat.tick(minutes=5)
    [coming] = documents(chat.sent_to(7))
    assert coming.caption == "Open the file to update the meeting in your calendar."
    [maybe] = documents(chat.sent_to(8))
    assert maybe.caption == ("Om träffen finns i din kalender öppnar du filen för att uppdatera "
                             "den.")
