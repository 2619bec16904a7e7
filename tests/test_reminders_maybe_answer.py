"""A reminder to someone who answered Maybe has a button to answer: the meeting's card, where
a Maybe decides (harness; the reminders and rsvp plugins on a real programme)."""
from __future__ import annotations

from datetime import datetime

from tests.test_reminders_support import REAL_PROGRAMME

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.reminders"]


async def started(mingel_chat, tmp_path):
    (tmp_path / "programme.yaml").write_text(REAL_PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(PLUGINS, env={"MINGEL_PROGRAMME": str(tmp_path / "programme.yaml")},
                             now="2027-08-01T08:00:00+00:00", flood_control=False)
    return chat


def reminders(chat, user: int) -> list:
    """The reminders a user got (a Maybe's start "You said you might come")."""
    return [r for r in chat.sent_to(user) if "⏰" in r.text or "might come" in r.text
            or "kanske" in r.text.lower()]


async def test_a_maybe_reminder_opens_the_card_to_answer(mingel_chat, tmp_path) -> None:
    chat = await started(mingel_chat, tmp_path)
    maja, sven, eva = (chat.user(7, "Maja", lang="en"), chat.user(6, "Sven", lang="sv"),
                       chat.user(5, "Eva", lang="en"))
    for person, label in ((maja, "Maybe"), (sven, "Kanske"), (eva, "Coming in person")):
        await chat.send("/event hybrid", person)
        await chat.press(label, person)
    await chat.deliver()
    chat.clock.set(datetime.fromisoformat("2027-08-02T07:30:00+00:00"))
    await chat.tick()
    [maybe] = reminders(chat, maja.id)
    assert chat.text([maybe]).startswith("You said you might come to The hybrid meeting.")
    assert chat.buttons([maybe]) == ["Are you coming? Answer here", "Reminder settings"]
    assert chat.buttons(reminders(chat, sven.id)) == ["Kommer du? Svara här",
                                                      "Inställningar för påminnelser"]
    assert chat.buttons(reminders(chat, eva.id)) == ["Reminder settings"], \
        "someone coming has nothing to decide"
    card = await chat.press("Are you coming? Answer here", maja, [maybe])
    assert chat.text(card).startswith("The hybrid meeting")
    assert "✓ Maybe" in chat.buttons(card)
    answered = await chat.press("Coming online", maja, card)
    assert "✓ Coming online" in chat.buttons(answered)
