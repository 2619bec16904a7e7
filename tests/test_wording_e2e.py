"""End to end: a Swedish user meets the same words for the same thing in every plugin."""
from __future__ import annotations

from assistant.clock import FakeClock

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar",
           "plugins.questions", "plugins.invitations", "plugins.health"]
NOT_FOUND = "Jag hittar ingen träff med id:t x. Skicka /programme för att se träffarna."


async def test_an_unknown_meeting_id_reads_the_same_in_every_command(telegram_bot) -> None:
    bot = await telegram_bot(PLUGINS, env={"MINGEL_ORGANISERS": "5,6"})
    await bot.say(5, "/start", first_name="Olga", language_code="sv")
    await bot.say(6, "/start", first_name="Per", language_code="sv")
    answers = {command: [reply.plain_text for reply in await bot.say(5, f"/{command} x")]
               for command in ("event", "rsvp", "calendar", "ask", "questions", "moderate")}
    answers |= {command: [reply.plain_text for reply in await bot.say(6, f"/{command} x")]
                for command in ("invite", "attendees", "health", "doorlist")}
    assert answers == {command: [NOT_FOUND] for command in answers}


async def test_an_unknown_or_hidden_meeting_reads_the_same_in_english_everywhere(
        telegram_bot) -> None:
    """/event said "called", /rsvp "see what's on": every command now says one sentence, and
    an invite-only meeting one is not invited to reads as unknown in each of them."""
    bot = await telegram_bot(PLUGINS, env={"MINGEL_ORGANISERS": "5"})
    for user, meeting in ((6, "nosuch"), (7, "am-2027-10-14-rundabord")):
        await bot.say(user, "/start", first_name="Per", language_code="en")
        answers = {command: [reply.plain_text for reply in
                             await bot.say(user, f"/{command} {meeting}")]
                   for command in ("event", "rsvp", "calendar", "ask", "questions")}
        expected = (f"I can't find a meeting with the id {meeting}. Send /programme to see the "
                    "meetings.")
        assert answers == {command: [expected] for command in answers}


async def test_help_keeps_only_keywords_that_work_in_swedish(telegram_bot) -> None:
    bot = await telegram_bot([*PLUGINS, "plugins.reminders"], env={"MINGEL_ORGANISERS": "5"})
    await bot.say(1, "/start", language_code="sv")
    [help_text] = await bot.say(1, "/help")
    assert ("/programme [DAG | MÅNAD | NÄTVERK | alla] – Kommande träffar; lägg till en dag "
            "(onsdag, imorgon, 30/6), en månad (september), ett nätverk eller ”alla” för hela "
            "säsongen") in help_text.plain_text
    for usage in ("/follow NÄTVERK – ", "/search ORD – ", "/reminders [2 dagar, 2 timmar | av] – "):
        assert usage in help_text.plain_text, "times in words, as a person types them"
    [as_hinted] = await bot.say(1, "/reminders 2 dagar, 2 timmar")
    assert as_hinted.plain_text.startswith("Jag påminner dig 2 dagar före och 2 timmar före")
    [organiser_help] = await bot.say(5, "/help", language_code="sv")
    assert "/invite [ID [ANTAL|lista|återkalla]] – " in organiser_help.plain_text
    [switched_off] = await bot.say(1, "/reminders av")
    assert switched_off.plain_text.startswith("Påminnelserna är avstängda")
    [season] = await bot.say(1, "/programme alla")
    [english_word] = await bot.say(1, "/programme all")
    assert season.plain_text == english_word.plain_text
    assert "Hela säsongen" in season.plain_text


async def test_the_broadcast_preview_names_its_audience_without_nested_brackets(
        telegram_bot) -> None:
    bot = await telegram_bot([*PLUGINS, "plugins.broadcast"], env={"MINGEL_ORGANISERS": "5"},
                             clock=FakeClock("2027-09-01T07:00:00+00:00"))
    await bot.say(5, "/start", first_name="Olga", language_code="sv")
    [card] = await bot.say(6, "/rsvp am-2027-09-02", first_name="Per", language_code="sv")
    await bot.tap(6, card.message_id, "Kommer på plats", count=2)
    [menu] = await bot.say(5, "/broadcast")
    [events] = await bot.tap(5, menu.message_id, "Deltagarna på en träff")
    assert events.plain_text == "Vilken träff?"
    [which] = await bot.tap(5, events.message_id, events.buttons[1])
    title = "Arbetsmarknaden efter corona och regeringens arbetsmarknadspolitik framåt"
    assert which.plain_text == f"Vilka deltagare på {title}?"
    [ask] = await bot.tap(5, which.message_id, "Alla (1)")
    assert ask.plain_text.startswith(
        f"Skriv nu meddelandet till alla deltagare på {title}.")
    preview, _ = await bot.say(5, "Välkomna!", count=2)
    assert preview.plain_text == (
        f"Förhandsvisning: så här ser det ut för 1 mottagare, alla deltagare på {title}.")
