"""The organisers switch a meeting's health declaration on or off in the programme (QA 39, a
covid wave). On: whoever already holds an in-person seat is told at once, in their language,
with the button (they used to hear of it first from the last reminder, an hour before the
meeting, too late to stay at home after a risk area). Off, or the meeting made online only:
the outcomes given for it are deleted at once (they used to stay 14 days after the meeting,
with no door list left to need them)."""
from __future__ import annotations

from tests.test_health_opening import reload
from tests.test_health_support import PROGRAMME, answer_all, coming_in_person, declare, make

OFF = PROGRAMME.replace("""    end: 2027-08-03 12:30
""", """    end: 2027-08-03 12:30
    capacity: 2
    health_declaration: false
""", 1)
"""The hybrid meeting (two seats) before the organisers ask for a declaration."""
ON = OFF.replace("    health_declaration: false\n", "", 1)
ONLINE_ONLY = PROGRAMME.replace("""    end: 2027-08-03 12:30
""", """    end: 2027-08-03 12:30
    venue: null
""", 1)


def asked(chat, user) -> list:
    """The messages that told the user the meeting now asks for a declaration."""
    return [m for m in chat.sent_to(user) if m.text.startswith("📋")]


async def test_seat_holders_are_told_when_the_declaration_is_switched_on(mingel_chat,
                                                                         tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(OFF, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    karin, john, lars = (chat.user(5, "Karin", lang="sv"), chat.user(6, "John", lang="en"),
                         chat.user(7, "Lars", lang="sv"))
    for user in (karin, john, lars):
        await coming_in_person(chat, user)  # Lars is on the waiting list
    path.write_text(ON, encoding="utf-8")
    preview = await chat.send("/reload", 1)
    assert "2 participants of the changed meetings will be told" in chat.text(preview)
    await chat.press("Confirm", 1)
    await chat.deliver()
    [sv] = asked(chat, karin)
    assert sv.text == (
        "📋 Till <b>Hybridmötet</b> (tisdag 3 augusti 2027 kl. 09:30–12:30, Sverigetid) behöver nu "
        "alla som kommer på plats fylla i en hälsodeklaration. Fyll i den nu – det tar en "
        "minut.")
    assert chat.buttons([sv]) == ["Fyll i hälsodeklaration"]
    [en] = asked(chat, john)
    assert en.text.startswith("📋 <b>The hybrid meeting</b> (Tuesday, 3 August 2027, "
                              "09:30–12:30, Sweden Time) now asks everyone coming in person "
                              "for a health declaration. Please fill it in now")
    assert asked(chat, lars) == [], "the waiting list has nothing to declare yet"
    question = await chat.press("Fill in health declaration", john, replies=[en])
    assert "Question 1 of 3" in chat.text(question)

    await chat.deliver()
    assert len(asked(chat, karin)) == 1, "told once"
    await answer_all(chat, john, "nnn")
    await chat.tick(minutes=5)
    await reload(chat, path, OFF)
    await chat.tick(minutes=5)
    await reload(chat, path, ON)
    await chat.deliver()
    assert len(asked(chat, john)) == 2, "his declaration went with the switch-off: told anew"
    assert len(asked(chat, karin)) == 2


async def test_before_the_window_they_are_told_when_it_opens(mingel_chat, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(OFF, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    chat.clock.set("2027-07-25T08:00:00+00:00")
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await reload(chat, path, ON.replace("    capacity: 2\n", "    capacity: 2\n"
                                        "    health_required: true\n", 1))
    await chat.deliver()
    [told] = asked(chat, eva)
    assert told.text.endswith("now requires a health declaration from everyone coming in "
                              "person. You can fill it in from Sunday, 1 August 2027 at 09:30 "
                              "(Sweden Time).")
    assert told.buttons == []


async def test_online_only_deletes_the_declarations(mingel_chat, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    karin = chat.user(5, "Karin", lang="sv")
    await coming_in_person(chat, karin)
    await chat.send("/health hybrid", karin)
    await answer_all(chat, karin, "nnn")
    await chat.press("Jag följer reglerna", karin)
    assert len(chat.table("health", "outcomes")) == 1
    await reload(chat, path, ONLINE_ONLY)
    assert chat.table("health", "outcomes") == []


async def test_switched_off_deletes_them_and_cancelled_keeps_them(mingel_chat,
                                                                  tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await declare(chat, eva, "hybrid", "nnn")
    await reload(chat, path, PROGRAMME.replace("""    end: 2027-08-03 12:30
""", """    end: 2027-08-03 12:30
    cancelled: true
""", 1))
    assert len(chat.table("health", "outcomes")) == 1, "a cancelled meeting may be put back on"
    await reload(chat, path, PROGRAMME.replace("""    end: 2027-08-03 12:30
""", """    end: 2027-08-03 12:30
    health_declaration: false
""", 1))
    assert chat.table("health", "outcomes") == []
