"""End to end through PTB and the Bot API stub: an organiser's /reload that adds meetings to
a network sends its followers, at the next tick, one message in their language listing the
new meetings with buttons that open their cards; someone who follows nothing gets nothing,
an invite-only meeting is never listed, and a meeting that only moved is no news."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_new_meetings_news import BASE, meeting
from tests.test_rsvp_support import ORGANISER

ANNA, SVEN, NILS = 41, 42, 43
MOVED = BASE.replace("start: 2027-09-02 09:30", "start: 2027-09-03 09:30") \
    .replace("end: 2027-09-02 12:30", "end: 2027-09-03 12:30")


async def confirm(bot, path, text: str) -> str:
    """The organiser's edit, /reload and Confirm; the answer to Confirm."""
    preview = await reload(bot, path, text)
    [done] = await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    return done.plain_text


async def test_followers_hear_of_new_meetings_and_open_their_cards(telegram_bot,
                                                                   tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, BASE)
    await bot.say(ANNA, "/follow am", language_code="en")
    await bot.say(SVEN, "/följ arbetsmarknadspolitiskt", language_code="sv")
    await bot.say(NILS, "/programme", language_code="en")
    before = {user: len(bot.stub.messages_to(user)) for user in (ANNA, SVEN, NILS)}

    done = await confirm(bot, path, MOVED + meeting("jobs", "am", "2027-09-20 09:30")
                         + meeting("round", "am", "2027-09-24 10:00", "    invite_only: true\n"))
    assert done.splitlines()[-1] == ("2 followers of their networks are being told of the new "
                                     "meetings.")
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()

    [anna] = bot.stub.messages_to(ANNA)[before[ANNA]:]
    assert anna.plain_text.splitlines() == [
        "🆕 New in Labour-market policy network:",
        "• Mon 20 Sept 09:30 · Jobs",
        "",
        "You hear of new meetings because you follow this network; /unfollow stops it."]
    assert anna.buttons == ["Mon 20 Sept 09:30 · Jobs"]
    [sven] = bot.stub.messages_to(SVEN)[before[SVEN]:]
    assert sven.plain_text.splitlines()[:2] == ["🆕 Nytt i Arbetsmarknadspolitiskt nätverk:",
                                                "• mån 20 sep. 09:30 · Jobs (sv)"]
    assert "Round" not in sven.plain_text and "First" not in sven.plain_text
    assert len(bot.stub.messages_to(NILS)) == before[NILS]

    card, *_ = await bot.tap(SVEN, sven.message_id, "mån 20 sep. 09:30 · Jobs (sv)")
    assert card.plain_text.startswith("Jobs (sv)")
    assert "Kommer på plats" in card.buttons

    told = {user: len(bot.stub.messages_to(user)) for user in (ANNA, SVEN)}
    done = await confirm(bot, path, BASE + meeting("jobs", "am", "2027-09-21 09:30"))
    assert "follower" not in done
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()
    assert {user: len(bot.stub.messages_to(user)) for user in (ANNA, SVEN)} == told
