"""Meeting pickers name the time a meeting starts, as the lists of /programme and /my do; the
door list says it is by name and the attendee list that it is in the order people answered."""
from __future__ import annotations

from assistant.testing import ChatHarness

ORGANISER = 1
NOW = "2027-09-01T07:00:00+00:00"
FLEXICURITY = "tis 21 sep. 09:30 · Flexicurity i Danmark"


async def start(mingel_chat) -> ChatHarness:
    """Every built-in plugin on the bundled sample programme, an organiser who speaks Swedish."""
    chat = await mingel_chat(None, organisers=[ORGANISER], now=NOW, flood_control=False)
    chat.user(ORGANISER, "Olof", lang="sv")
    return chat


async def test_the_broadcast_and_calendar_pickers_show_the_time_as_programme_and_my_do(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    await chat.send("/broadcast", ORGANISER)
    meetings = await chat.press("Deltagarna på en träff", ORGANISER)
    assert any(label.startswith(FLEXICURITY) for label in chat.buttons(meetings))
    assert any(label.startswith("fre 20 aug. 10:00 · ONLINE") for label in chat.buttons(meetings))
    anna = chat.user(10, "Anna", lang="sv")
    picker = await chat.send("/calendar", anna)
    assert any(label.startswith(FLEXICURITY) for label in chat.buttons(picker))
    assert FLEXICURITY in chat.text(await chat.send("/programme", anna))
    await chat.send("/rsvp am-2027-09-21", anna)
    await chat.press("Kommer på plats", anna)
    assert "tis 21 sep. 09:30 – Flexicurity i Danmark" in chat.text(await chat.send("/my", anna))


async def test_the_door_list_is_by_name_and_the_attendees_in_the_order_people_answered(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    for user_id, name in ((30, "Karin"), (10, "Anna"), (20, "Cecilia")):
        chat.user(user_id, name, lang="sv")
        await chat.send("/rsvp am-2027-09-21", user_id)
        await chat.press("Kommer på plats", user_id)
    door = chat.text(await chat.send("/doorlist am-2027-09-21", ORGANISER))
    assert "3 personer kommer på plats\n" in door
    assert "Efter namn, A till Ö." in door
    assert door.index("1. Anna") < door.index("2. Cecilia") < door.index("3. Karin")
    listing = await chat.send("/attendees am-2027-09-21", ORGANISER)
    attendees = chat.text(listing[:1])
    assert "Varje lista i den ordning folk svarade." in attendees
    assert attendees.index("Karin") < attendees.index("Anna") < attendees.index("Cecilia")
