"""What the health texts say: the card of a full required meeting, the thanks after a
declaration (seat, free seat, full meeting), the bot speaking as "I", and unknown ids."""
from __future__ import annotations

from tests.test_health_support import (
    PROGRAMME,
    answer_all,
    attendance,
    coming_in_person,
    declare,
    make,
    plugins,
    programme_file,
)
from tests.test_health_waiting import FULL


async def test_the_card_of_a_full_required_meeting_says_the_waiting_list_needs_no_declaration(
        mingel_chat) -> None:
    chat = await make(mingel_chat, FULL)
    emma, olle, sam = (chat.user(2, "Emma", lang="en"), chat.user(3, "Olle", lang="sv"),
                       chat.user(4, "Sam", lang="en"))
    await chat.tick(days=7)
    card = await chat.send("/event required", olle)
    assert "För att komma på plats behöver du först fylla i en hälsodeklaration." \
        in chat.text(card).splitlines()
    await declare(chat, emma, "required", "nnn")
    await chat.press("Coming in person", emma)
    card = await chat.send("/event required", olle)
    assert ("För att komma på plats behöver du först fylla i en hälsodeklaration. Alla platser "
            "är dock tagna, och för att ställa dig på väntelistan behöver du ingen – du fyller i "
            "den när du har fått en plats.") in chat.text(card).splitlines()
    card = await chat.send("/event required", sam)
    assert ("Coming in person requires a health declaration first. Every seat is taken, though, "
            "and the waiting list needs none: you fill it in when a seat is yours.") \
        in chat.text(card).splitlines()
    waiting = await chat.press("Coming in person", sam)
    assert "Coming in person – waiting list, place 1" in chat.text(waiting)


async def test_the_thanks_promise_the_meeting_only_to_someone_with_a_seat(mingel_chat) -> None:
    chat = await make(mingel_chat, FULL)
    eva, olle = chat.user(5, "Eva", lang="en"), chat.user(3, "Olle", lang="en")
    await coming_in_person(chat, eva)
    await declare(chat, eva, "hybrid", "nnn")
    done = chat.last[eva.id]
    assert chat.text(done).endswith(
        "✅ Thank you! Your health declaration is done – welcome to the meeting.")
    assert chat.buttons(done) == []
    await declare(chat, olle, "hybrid", "nnn")
    done = chat.last[olle.id]
    assert chat.text(done).endswith(
        "✅ Thank you! Your health declaration is done. Every seat is taken right now, so "
        "“Coming in person” puts you on the waiting list; I'll tell you as soon as a seat is "
        "yours.")
    assert "welcome" not in chat.text(done) and "see you" not in chat.text(done)
    assert chat.buttons(done) == ["Coming in person"]
    waiting = await chat.press("Coming in person", olle)
    assert chat.text(waiting).endswith(
        "Your answer to The hybrid meeting is now: Coming in person – waiting list, place 1.")
    assert attendance(chat, "hybrid", 3).waiting


async def test_the_thanks_in_swedish_for_a_free_seat_and_a_full_meeting(mingel_chat) -> None:
    chat = await make(mingel_chat, FULL)
    sven, stina = chat.user(6, "Sven", lang="sv"), chat.user(7, "Stina", lang="sv")
    await coming_in_person(chat, sven, "hybrid")
    await chat.send("/health hybrid", sven)
    await answer_all(chat, sven, "nnn")
    done = await chat.press("Jag följer reglerna", sven)
    assert chat.text(done).endswith("✅ Tack! Din hälsodeklaration är klar – välkommen till "
                                    "träffen.")
    await chat.tick(days=7)
    await chat.send("/health required", sven)
    await answer_all(chat, sven, "nnn")
    done = await chat.press("Jag följer reglerna", sven)
    assert chat.text(done).endswith("✅ Tack! Din hälsodeklaration är klar. Tryck på ”Kommer på "
                                    "plats” för att boka din plats.")
    assert "vi ses" not in chat.text(done)
    await chat.press("Kommer på plats", sven)
    assert attendance(chat, "required", 6).in_person
    await chat.send("/health required", stina)
    await answer_all(chat, stina, "nnn")
    done = await chat.press("Jag följer reglerna", stina)
    assert chat.text(done).endswith(
        "✅ Tack! Din hälsodeklaration är klar. Just nu är alla platser tagna, så med ”Kommer på "
        "plats” hamnar du på väntelistan – jag säger till så fort du har fått en plats.")


async def test_the_health_texts_speak_as_the_bot_does(mingel_chat) -> None:
    chat = await mingel_chat([*plugins(), "plugins.privacy"], now="2027-08-01T08:00:00+00:00",
                             flood_control=False, env={"MINGEL_PROGRAMME": programme_file()})
    sv, en = chat.user(6, "Sven", lang="sv"), chat.user(5, "Eva", lang="en")
    privacy = chat.text(await chat.send("/privacy", sv))
    assert ("Hälsodeklarationer: för träffar som kräver en sparar jag bara om du får komma på "
            "plats (eller bör stanna hemma) och när du svarade – aldrig dina svar – så att "
            "arrangörerna vet vilka som får komma. Arrangörerna ser det på dörrlistan. Jag "
            "raderar det automatiskt 14 dagar efter träffen.") in privacy
    privacy = chat.text(await chat.send("/privacy", en))
    assert ("Health declarations: for meetings that ask for one, I keep only whether you may "
            "come in person (fine or stay at home) and when you answered – never your answers – "
            "so that the organisers know who may come. The organisers see it on the door list. "
            "I delete it automatically 14 days after the meeting.") in privacy
    first = chat.text(await chat.send("/health hybrid", sv))
    assert ("För att arrangörerna ska veta vilka som får komma på plats sparar jag bara om du "
            "får komma och när du svarade – inte dina svar – och raderar det automatiskt 14 "
            "dagar efter träffen.") in first
    home = chat.text(await answer_all(chat, sv, "ynn"))
    assert ("Tack för dina svar. Arrangörerna ber dig att stanna hemma den här gången – för din "
            "egen och alla andras skull.") in home
    for text in (first, home):
        assert not {"vi", "oss", "vår"} & set(text.lower().replace(".", " ").split())


async def test_door_list_with_an_unknown_id_answers_as_the_other_commands(mingel_chat) -> None:
    chat = await make(mingel_chat, PROGRAMME)
    org = chat.user(1, "Org", lang="sv")
    replies = await chat.send("/doorlist nope", org)
    assert chat.text(replies) == ("Jag hittar ingen träff med id:t nope. Skicka /programme för "
                                  "att se träffarna.")
    forged = await chat.press_data("health:door:gone", org)
    assert chat.text(forged) == ("Jag hittar ingen träff med id:t gone. Skicka /programme för "
                                 "att se träffarna.")
    assert chat.toasts[1] is None  # a message, with a command to tap: not a notice as well
    picker = await chat.send("/doorlist", org)
    assert chat.text(picker) == "Vilken träff vill du se dörrlistan för?"
