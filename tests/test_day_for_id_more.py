"""A day where /calendar, /health, /doorlist, /invite, /ask, /questions and /moderate expect a
meeting id (`/kalender 2 sep`): that day's meetings as the command's own picker, whose buttons
do what the command does with an id; hidden meetings stay hidden (harness)."""
from __future__ import annotations

import pytest

from tests.test_questions_support import ANNA, MODERATOR, NOW, ORGANISER, programme_env

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.invitations",
           "plugins.calendar", "plugins.health"]
SEASON = "2027-09-01T07:00:00+00:00"
SVEN, EMMA = 10, 11


@pytest.fixture
async def chat(mingel_chat):
    chat = await mingel_chat(PLUGINS, now=SEASON, env={"MINGEL_ORGANISERS": str(ORGANISER)})
    chat.user(ORGANISER, "Olga", lang="en")
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    return chat


async def test_calendar_and_a_day_offers_that_days_files(chat) -> None:
    replies = await chat.send("/kalender 2 sep", SVEN)
    assert chat.text(replies) == ("Torsdag 2 september 2027\nVilken träff vill du ha "
                                  "kalenderfilen för?")
    assert chat.buttons(replies) == [("tors 2 sep. 09:30 · Arbetsmarknaden efter corona och "
                                      "regeri…")]
    [sent] = chat.documents(await chat.press(chat.buttons(replies)[0], SVEN))
    assert sent.filename.endswith(".ics") and b"am-2027-09-02" in sent.content
    [nothing] = await chat.send("/calendar 3 sep", EMMA)
    assert nothing.text == ("I can't find a meeting with the id 3. Send /programme to see the "
                            "meetings.")


async def test_an_invite_only_meeting_is_offered_to_organisers_only(chat) -> None:
    hidden = await chat.send("/calendar 14 oct", EMMA)
    assert chat.text(hidden).startswith("I can't find a meeting with the id 14.")
    assert not chat.buttons(hidden)
    invite = await chat.send("/invite 14 oct", ORGANISER)
    assert chat.text(invite).startswith("Thursday, 14 October 2027\nWhich meeting would you "
                                        "like a new invitation link for?")
    assert chat.buttons(invite) == [("Thu 14 Oct 09:30 · Roundtable – what next for the Public "
                                     "Em…")]
    made = await chat.press(chat.buttons(invite)[0], ORGANISER)
    assert "inv-" in chat.text(made)
    door = await chat.send("/doorlist 14 oct", ORGANISER)
    assert chat.text(door).startswith("Thursday, 14 October 2027\nWhich meeting's door list?")
    listed = await chat.press(chat.buttons(door)[0], ORGANISER)
    assert chat.text(listed).startswith("Door list – Roundtable")
    refused = await chat.send("/doorlist 14 oct", EMMA)
    assert "organisers" in chat.text(refused) and not chat.buttons(refused)


async def test_health_and_a_day_of_a_gathering_offers_it_on_each_of_its_days(chat) -> None:
    replies = await chat.send("/hälsa torsdag 11 november", SVEN)
    assert chat.text(replies) == ("Torsdag 11 november 2027\nVilken träff gäller "
                                  "hälsodeklarationen?")
    assert len(chat.buttons(replies)) == 1 and "Arbetsmarknadsdagarna" in chat.buttons(replies)[0]
    opened = await chat.press(chat.buttons(replies)[0], SVEN)
    assert "öppnas" in chat.text(opened)  # the same answer as /hälsa am-2027-11-10-dagarna
    assert chat.text(opened) == chat.text(await chat.send("/hälsa am-2027-11-10-dagarna", SVEN))


async def test_paging_a_days_picker_keeps_the_day(chat) -> None:
    """The season's first page of /health is ten meetings; the day's is its own: "Show more"
    is not there for one meeting, and a forged page of the day keeps to it."""
    replies = await chat.send("/health 2 sep", EMMA)
    assert chat.buttons(replies) == [("Thu 2 Sept 09:30 · The labour market after corona and "
                                      "the g…")]
    paged = await chat.press_data("health:pick:20270902:10", EMMA)
    assert chat.buttons(paged) == chat.buttons(replies)
    door = await chat.press_data("health:pickdoor:20270902:0", ORGANISER)
    assert chat.buttons(door) == ["Thu 2 Sept 09:30 · The labour market after corona and the g…"]


@pytest.fixture
async def questions(mingel_chat, tmp_path):
    chat = await mingel_chat(["plugins.basics", "plugins.programme", "plugins.questions"],
                             now=NOW, env=programme_env(tmp_path, MINGEL_ORGANISERS=str(ORGANISER)))
    chat.user(ANNA, "Anna", lang="en")
    chat.user(MODERATOR, "Mona", lang="sv")
    chat.user(ORGANISER, "Olga", lang="en")
    return chat


async def test_ask_questions_and_moderate_take_a_day(questions) -> None:
    chat = questions
    ask = await chat.send("/ask 2 sep", ANNA)
    assert chat.text(ask) == "Thursday, 2 September 2027\nWhich meeting?"
    assert chat.buttons(ask) == ["Thu 2 Sept 09:30 · The labour market after corona"]
    prompt = await chat.press(chat.buttons(ask)[0], ANNA)
    assert chat.text(prompt).startswith("What would you like to ask at The labour market")
    listed = await chat.send("/questions 2 sep", ANNA)
    assert chat.text(listed) == "Thursday, 2 September 2027\nWhich meeting?"
    shown = await chat.press(chat.buttons(listed)[0], ANNA)
    assert chat.text(shown).startswith("Questions for The labour market after corona")
    moderated = await chat.send("/moderate 2 sep", ORGANISER)
    assert chat.buttons(moderated) == ["Thu 2 Sept 09:30 · The labour market after corona"]
    queue = await chat.press(chat.buttons(moderated)[0], ORGANISER)
    assert "The labour market after corona" in chat.text(queue)


async def test_a_day_without_open_meetings_answers_as_an_unknown_id(questions) -> None:
    chat = questions
    hidden = await chat.send("/ask 24 sep", ANNA)  # only the invite-only meeting that day
    assert chat.text(hidden).startswith("I can't find a meeting with the id 24.")
    assert not chat.buttons(hidden)
    moderated = await chat.send("/moderate 24 sep", ORGANISER)
    assert chat.buttons(moderated) == ["Fri 24 Sept 09:30 · Secret"]
    none = await chat.send("/questions 22 sep", ANNA)  # a meeting without questions
    assert chat.text(none).startswith("I can't find a meeting with the id 22.")


async def test_a_moderator_is_offered_only_the_meetings_they_moderate(questions) -> None:
    chat = questions
    await chat.send("/start", MODERATOR)
    await chat.send(f"/moderators bostad add {MODERATOR}", ORGANISER)
    mine = await chat.send("/moderera 1 okt", MODERATOR)
    assert chat.buttons(mine) == ["fre 1 okt. 09:30 · Bostadsbristen"]
    others = await chat.send("/moderera 2 sep", MODERATOR)
    assert chat.text(others).startswith("Jag hittar ingen träff med id:t 2.")
