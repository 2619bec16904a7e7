"""End to end: a Swedish user meets the same words for the same thing in every plugin."""
from __future__ import annotations

PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar",
           "plugins.questions", "plugins.invitations"]
NOT_FOUND = "Jag hittar ingen träff med id:t x. Skicka /programme för att se träffarna."


async def test_an_unknown_meeting_id_reads_the_same_in_every_command(telegram_bot) -> None:
    bot = await telegram_bot(PLUGINS, env={"MINGEL_ORGANISERS": "5"})
    await bot.say(5, "/start", first_name="Olga", language_code="sv")
    answers = {command: [reply.plain_text for reply in await bot.say(5, f"/{command} x")]
               for command in ("event", "rsvp", "calendar", "ask", "questions", "moderate")}
    assert answers == {command: [NOT_FOUND] for command in answers}
    [invite] = await bot.say(5, "/invite x")
    assert invite.plain_text == "Jag hittar ingen träff med id:t x."


async def test_help_keeps_only_keywords_that_work_in_swedish(telegram_bot) -> None:
    bot = await telegram_bot(PLUGINS)
    await bot.say(1, "/start", language_code="sv")
    [help_text] = await bot.say(1, "/help")
    assert "/programme [all] – Kommande träffar (lägg till ”all” eller ”alla” för hela " \
        "säsongen)" in help_text.plain_text
    [season] = await bot.say(1, "/programme alla")
    [english_word] = await bot.say(1, "/programme all")
    assert season.plain_text == english_word.plain_text
    assert "Hela säsongen" in season.plain_text
