"""RSVP and invitations with the real programme and calendar plugins: the cards they draw,
the .ics files they attach, and changes published with /reload."""
from __future__ import annotations

import re

from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME, documents

REAL = ["plugins.basics", "plugins.programme", "plugins.invitations", "plugins.rsvp",
        "plugins.calendar"]


async def start(mingel_chat, tmp_path):
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(REAL, organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path),
                                  "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.user(ORGANISER, "Org")
    return chat, path


async def publish(chat, path, source: str) -> None:
    """The organiser edits the file, sends /reload and confirms."""
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("Confirm", ORGANISER)


async def test_answer_on_the_programme_card_with_the_calendar_file(mingel_chat, tmp_path) -> None:
    chat, _path = await start(mingel_chat, tmp_path)
    emma = chat.user(2, "Emma")
    replies = await chat.send("/event hybrid", emma)
    assert chat.buttons(replies)[:4] == ["Coming in person", "Coming online", "Maybe",
                                         "Can't come"]
    replies = await chat.press("Coming in person", emma)
    assert replies[0].edit
    assert "Your answer: Coming in person · 1 of 2 seats left" in chat.text(replies)
    [ics] = documents(replies)
    assert ics.filename.endswith(".ics") and b"METHOD:PUBLISH" in ics.content


async def test_reloaded_programme_edits_are_merged_into_one_notice(mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    emma = chat.user(2, "Emma")
    await chat.send("/event hybrid", emma)
    await chat.press("Coming online", emma)
    later = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00")
    await publish(chat, path, later)
    await chat.tick(minutes=1)
    await publish(chat, path, later.replace("title: {sv: Arbetsmarknaden efter corona, en: The "
                                            "labour market after corona}",
                                            "title: {sv: Arbetsmarknaden, en: The labour market}"))
    await chat.tick(minutes=3)
    note, ics = chat.sent_to(emma)
    assert note.text.splitlines()[1:] == [
        "Time changed: 09:30–12:30 → 10:00–12:30",
        "New title: The labour market after corona → The labour market"]
    assert b"METHOD:PUBLISH" in ics.document.content
    await chat.tick(minutes=5)
    assert len(chat.sent_to(emma)) == 2

    cancelled = later.replace("    capacity: 2\n", "    capacity: 2\n    cancelled: true\n")
    await publish(chat, path, cancelled)
    await chat.tick(minutes=3)
    note, ics = chat.sent_to(emma)[2:]
    assert note.text.startswith("❌ <b>Cancelled:</b> The labour market after corona")
    assert b"METHOD:CANCEL" in ics.document.content


async def test_capacity_drop_through_reload_and_promotion_with_the_calendar_file(
        mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv")
    for user, label in ((emma, "Coming in person"), (olle, "Kommer på plats")):
        await chat.send("/event hybrid", user)
        await chat.press(label, user)
    await publish(chat, path, PROGRAMME.replace("capacity: 2", "capacity: 1"))
    demoted, removal = (await chat.deliver())[3]
    assert "står du nu på väntelistan, plats 1" in demoted.text
    assert b"METHOD:CANCEL" in removal.document.content
    await chat.send("/event hybrid", emma)
    await chat.press("Can't come", emma)
    note, ics = (await chat.deliver())[3]
    assert note.text.startswith("Goda nyheter!")
    assert b"METHOD:PUBLISH" in ics.document.content


async def test_invitation_opens_the_programme_card(mingel_chat, tmp_path) -> None:
    chat, _path = await start(mingel_chat, tmp_path)
    emma = chat.user(2, "Emma")
    listing = chat.text(await chat.send("/programme", emma))
    assert "Roundtable" not in listing
    [link] = await chat.send("/invite secret", ORGANISER)
    payload = re.search(r"start=(inv-[\w-]+)", link.text).group(1)
    _welcome, card = await chat.send(f"/start {payload}", emma)
    assert card.text.startswith("<b>Roundtable</b>")
    replies = await chat.press("Coming in person", emma)
    assert "Your answer: Coming in person · 11 of 12 seats left" in chat.text(replies)
