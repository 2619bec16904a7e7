"""The health declaration with the chat harness: the flows in both languages, the window,
the gate, the reminder lines and the privacy hooks (issue: health declarations)."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from assistant.config import ConfigError
from assistant.model import DEFAULT_HEALTH_QUESTIONS
from tests.test_health_support import (
    NOW,
    PROGRAMME,
    QUESTIONS_SV,
    answer_all,
    attendance,
    coming_in_person,
    declare,
    make,
    plugins,
    programme_file,
)

PURPOSE_EN = ("So that the organisers know who may come in person, I keep only whether you may "
              "come and when you answered – not your answers – and delete it automatically 14 "
              "days after the meeting.")


async def test_all_no_and_rules_make_the_declaration_done_on_the_card(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    card = await chat.send("/event hybrid", eva)
    assert "Health declaration missing – please fill it in before you come." in chat.text(card)
    first = await chat.press("Fill in health declaration", eva)
    assert not first[0].edit
    assert PURPOSE_EN in chat.text(first)
    assert "Question 1 of 3\nDo you have a fever today?" in chat.text(first)
    assert chat.buttons(first) == ["Yes", "No"]
    second = await chat.press("No", eva)
    assert second[0].edit and PURPOSE_EN not in chat.text(second)
    assert "Question 2 of 3\nHave you been in a risk area?" in chat.text(second)
    rules = await answer_all(chat, eva, "nn")
    assert "Use hand sanitiser and skip handshakes and hugs." in chat.text(rules)
    assert chat.buttons(rules) == ["I will follow these"]
    done = await chat.press("I will follow these", eva)
    assert done[0].edit
    assert "Thank you! Your health declaration is done" in chat.text(done)
    assert chat.buttons(done) == []
    card = await chat.send("/event hybrid", eva)
    assert "✅ Health declaration done" in chat.text(card)
    assert "Fill in health declaration" not in chat.buttons(card)


async def test_the_declaration_in_swedish(mingel_chat) -> None:
    chat = await make(mingel_chat)
    sven = chat.user(6, "Sven", lang="sv")
    await coming_in_person(chat, sven)
    card = await chat.send("/event hybrid", sven)
    assert "Hälsodeklaration saknas" in chat.text(card)
    first = await chat.press("Fyll i hälsodeklaration", sven)
    assert ("sparar jag bara om du får komma och när du svarade – inte dina svar – och raderar "
            "det automatiskt 14 dagar efter träffen") in chat.text(first)
    assert f"Fråga 1 av 3\n{QUESTIONS_SV[0]}" in chat.text(first)
    assert chat.buttons(first) == ["Ja", "Nej"]
    rules = await answer_all(chat, sven, "nnn")
    assert "Använd handsprit och hoppa över handskakningar och kramar." in chat.text(rules)
    done = await chat.press("Jag följer reglerna", sven)
    assert "hälsodeklaration är klar" in chat.text(done)
    card = await chat.send("/event hybrid", sven)
    assert "✅ Hälsodeklarationen är klar" in chat.text(card)


async def test_any_yes_asks_to_stay_home_and_switches_to_online_in_one_tap(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await chat.send("/health hybrid", eva)
    home = await answer_all(chat, eva, "nyn")
    text = chat.text(home)
    assert "Please stay at home this time" in text
    assert "You're very welcome to join the meeting online instead." in text
    assert "Contact the organisers: natverk@example.org" in text
    assert chat.buttons(home) == ["Coming online", "Can't come"]
    switched = await chat.press("Coming online", eva)
    assert chat.text(switched).endswith(
        "Your answer to The hybrid meeting is now: Coming online.")
    assert chat.buttons(switched) == []
    assert attendance(chat, "hybrid", 5).answer == "online"


async def test_stay_home_in_swedish_and_cancel(mingel_chat) -> None:
    chat = await make(mingel_chat)
    sven = chat.user(6, "Sven", lang="sv")
    await coming_in_person(chat, sven)
    await chat.send("/health hybrid", sven)
    home = await answer_all(chat, sven, "ynn")
    assert "stanna hemma den här gången" in chat.text(home)
    assert "Kontakta arrangörerna: natverk@example.org" in chat.text(home)
    assert chat.buttons(home) == ["Deltar online", "Kan inte komma"]
    await chat.press("Kan inte komma", sven)
    assert attendance(chat, "hybrid", 6).answer == "no"
    card = await chat.send("/event hybrid", sven)
    assert "hälsodeklaration" not in chat.text(card).lower()


async def test_stay_home_shows_on_the_card_of_someone_still_coming(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "yyy")
    card = await chat.send("/event hybrid", eva)
    assert "Your health declaration asks you to stay at home this time." in chat.text(card)
    assert attendance(chat, "hybrid", 5).answer == "in_person"


async def test_outside_the_window_a_friendly_message_says_when_it_opens(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    replies = await chat.send("/health required", eva)
    assert chat.text(replies) == ("The health declaration for The two-day gathering opens "
                                  "Sunday, 8 August 2027 at 10:00, 2 days before the meeting. "
                                  "Please come back then!")
    assert chat.buttons(replies) == []
    sv = await chat.send("/health required", chat.user(6, "Sven", lang="sv"))
    assert "öppnas söndag 8 augusti 2027 kl. 10:00" in chat.text(sv)
    await chat.tick(days=7)
    assert "Question 1 of 3" in chat.text(await chat.send("/health required", eva))
    await chat.tick(days=4)
    assert chat.text(await chat.send("/health required", eva)) == "This meeting is over."


async def test_the_window_is_configurable_and_checked(mingel_chat) -> None:
    chat = await make(mingel_chat, env={"MINGEL_HEALTH_WINDOW": "10d"})
    assert "Question 1 of 3" in chat.text(await chat.send("/health required", 5))
    with pytest.raises(ConfigError, match="MINGEL_HEALTH_WINDOW"):
        await make(mingel_chat, env={"MINGEL_HEALTH_WINDOW": "soon"})
    with pytest.raises(ConfigError, match="MINGEL_HEALTH_RETENTION"):
        await make(mingel_chat, env={"MINGEL_HEALTH_RETENTION": "two weeks"})


async def test_questions_and_rules_default_when_the_programme_has_none(mingel_chat) -> None:
    source = PROGRAMME.split("health:\n")[0] + "defaults:" + PROGRAMME.split("defaults:")[1]
    chat = await make(mingel_chat, source=source)
    eva = chat.user(5, "Eva", lang="en")
    first = await chat.send("/health hybrid", eva)
    assert DEFAULT_HEALTH_QUESTIONS[0]["en"] in chat.text(first)
    rules = await answer_all(chat, eva, "nnn")
    assert "no hugs or handshakes" in chat.text(rules)


async def test_meetings_without_a_declaration_or_hidden_ones_cannot_be_declared(mingel_chat):
    chat = await make(mingel_chat)
    assert chat.text(await chat.send("/health plain", 5)) == \
        "This meeting has no health declaration."
    for hidden in ("secret", "nope"):
        assert chat.text(await chat.send(f"/health {hidden}", 5)) == (
            f"I can't find a meeting with the id {hidden}. Send /programme to see the meetings.")
    listing = await chat.send("/health", chat.user(5, "Eva", lang="en"))
    assert chat.buttons(listing) == ["Tue 3 Aug 09:30 · The hybrid meeting",
                                     "Tue 10 Aug 10:00 · The two-day gathering"]
    first = await chat.press("hybrid meeting", 5)
    assert "Question 1 of 3" in chat.text(first)
    card = await chat.send("/event plain", 5)
    assert "health" not in chat.text(card).lower()
    assert chat.buttons(card) == ["Coming in person", "Coming online", "Maybe", "Can't come"]


async def test_a_declaration_can_be_made_again_when_things_change(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "nnn")
    await chat.press("I will follow these", eva)
    await chat.send("/health hybrid", eva)
    await chat.press("Fill it in again", eva)
    await answer_all(chat, eva, "nny")
    assert [d["outcome"] for d in chat.table("health", "outcomes")] == ["stay_home"]


async def test_the_last_reminder_carries_the_declaration(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva, olle = chat.user(5, "Eva", lang="en"), chat.user(7, "Olle", lang="en")
    await coming_in_person(chat, eva)
    await chat.send("/event hybrid", olle)
    await chat.press("Coming online", olle)
    hooks, ctx = chat.assistant.hooks, chat.context("reminders", eva)
    event = ctx.programme.event("hybrid")
    assert hooks.reminder_details(ctx, event, True) == [
        "⚠️ Health declaration missing – please fill it in before you come."]
    [button] = hooks.reminder_buttons(ctx, event, True)
    assert (button.text, button.data) == ("Fill in health declaration", "health:start:hybrid")
    assert hooks.reminder_details(ctx, event, False) == []
    assert hooks.reminder_buttons(ctx, event, False) == []
    olle_ctx = chat.context("reminders", olle)
    assert hooks.reminder_details(olle_ctx, event, True) == []
    assert hooks.reminder_buttons(olle_ctx, event, True) == []
    first = await chat.press_data(button.data, eva)
    assert "Question 1 of 3" in chat.text(first)
    await answer_all(chat, eva, "nnn")
    await chat.press("I will follow these", eva)
    assert hooks.reminder_details(ctx, event, True) == ["✅ Health declaration done"]
    assert hooks.reminder_buttons(ctx, event, True) == []


async def test_privacy_notice_user_data_and_forgetting(mingel_chat) -> None:
    chat = await make(mingel_chat, env={"MINGEL_HEALTH_RETENTION": "7d"})
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "nyn")
    hooks, ctx = chat.assistant.hooks, chat.context("privacy", eva)
    notice = dict(hooks.privacy_notice(ctx))["health"]
    assert "never your answers" in notice and "delete it automatically 7 days after the meeting" in notice
    assert hooks.user_data(ctx, 5)["health"] == [
        {"event": "hybrid", "title": "The hybrid meeting",
         "when": "Tuesday, 3 August 2027, 09:30–12:30 (Sweden Time)", "outcome": "stay_home",
         "at": "2027-08-01T08:00:00+00:00"}]
    await chat.send("/help", chat.user(6, "Sven", lang="sv"))
    sv = chat.context("privacy", 6)
    assert "aldrig dina svar" in dict(hooks.privacy_notice(sv))["health"]
    await hooks.forget_user(ctx, 5)
    assert chat.table("health", "outcomes") == []
    assert "health" not in hooks.user_data(ctx, 5)


async def test_a_meeting_moved_later_needs_a_new_declaration(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await declare(chat, eva, "hybrid", "nnn")
    ctx = chat.context("programme")
    before = ctx.programme.event("hybrid")
    same_day = replace(before, end=before.end + timedelta(hours=1))
    await chat.assistant.hooks.event_changed(ctx, before, same_day, ("time",))
    assert [d["outcome"] for d in chat.table("health", "outcomes")] == ["fine"]
    week_later = replace(before, start=before.start + timedelta(days=7),
                         end=before.end + timedelta(days=7))
    await chat.assistant.hooks.event_changed(ctx, before, week_later, ("time",))
    assert chat.table("health", "outcomes") == []


async def test_the_reminders_plugin_sends_the_declaration_with_the_last_reminder(mingel_chat):
    chat = await mingel_chat([*plugins(), "plugins.reminders"], now=NOW, flood_control=False,
                             env={"MINGEL_PROGRAMME": programme_file()})
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    await chat.tick(hours=23.5)
    [first] = chat.sent_to(5)
    assert "health" not in chat.text([first]).lower()
    assert "Fill in health declaration" not in chat.buttons([first])
    await chat.tick(hours=23)
    [last] = chat.sent_to(5)[1:]
    assert "starts in 1 hour" in chat.text([last])
    assert "⚠️ Health declaration missing – please fill it in before you come." in \
        chat.text([last])
    question = await chat.press("Fill in health declaration", eva, [last])
    assert "Question 1 of 3" in chat.text(question)


async def test_no_declaration_is_asked_of_someone_on_the_waiting_list(mingel_chat) -> None:
    """Without a seat there is nothing to declare yet: the card of a person on the waiting
    list has no "missing" warning and no button, until a seat is theirs."""
    source = PROGRAMME.replace("    end: 2027-08-03 12:30\n",
                               "    end: 2027-08-03 12:30\n    capacity: 1\n", 1)
    chat = await make(mingel_chat, source)
    eva, sven = chat.user(5, "Eva", lang="en"), chat.user(6, "Sven", lang="sv")
    await coming_in_person(chat, eva)
    await coming_in_person(chat, sven)
    assert attendance(chat, "hybrid", 6).waiting
    card = await chat.send("/event hybrid", sven)
    assert "Kommer på plats – väntelista, plats 1" in chat.text(card)
    assert "Hälsodeklaration" not in chat.text(card)
    assert "Fyll i hälsodeklaration" not in chat.buttons(card)
    ctx = chat.context("health", 6)
    event = ctx.programme.event("hybrid")
    assert not any("Hälsodeklaration" in line
                   for line in chat.assistant.hooks.reminder_details(ctx, event, True))
    await chat.send("/event hybrid", eva)
    await chat.press("Can't come", eva)
    assert not attendance(chat, "hybrid", 6).waiting
    card = await chat.send("/event hybrid", sven)
    assert "⚠️ Hälsodeklaration saknas" in chat.text(card)
    assert "Fyll i hälsodeklaration" in chat.buttons(card)
    assert any("Hälsodeklaration saknas" in line
               for line in chat.assistant.hooks.reminder_details(chat.context("health", 6),
                                                                 event, True))


async def test_a_meeting_id_typed_in_capitals_opens_the_declaration(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    first = await chat.send("/health Hybrid", eva)
    assert "Question 1 of 3\nDo you have a fever today?" in chat.text(first)
    door = await chat.send("/doorlist HYBRID", 1)
    assert "Eva" in chat.text(door)
