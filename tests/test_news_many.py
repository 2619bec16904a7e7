"""The news of new meetings lists at most ten in one message, across every network a
follower follows: what a follower of five networks gets when a reload adds fifteen (harness,
and end to end through PTB and the Bot API stub)."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_new_meetings_news import BASE, meeting, started
from tests.test_rsvp_support import ORGANISER

ANNA, SVEN = 31, 32
NETWORKS = ("ut", "ha", "ku", "am", "bo")
FIVE = BASE.replace("networks:\n", "networks:\n"
                    "  ut: {name: {sv: Utbildningsnätverket, en: Education network}}\n"
                    "  ha: {name: {sv: Hälsonätverket, en: Health network}}\n"
                    "  ku: {name: {sv: Kulturnätverket, en: Culture network}}\n")
MANY = FIVE + "".join(meeting(f"{network}{n}", network, f"2027-10-{3 * i + n + 1:02d} 09:30")
                      for i, network in enumerate(NETWORKS) for n in range(3))
"""Fifteen new meetings, three in each of five networks (in the file's order of networks)."""
SVEN_GETS = [
    "🆕 Nytt i Utbildningsnätverket:",
    "• fre 1 okt. 09:30 · Ut0 (sv)", "• lör 2 okt. 09:30 · Ut1 (sv)",
    "• sön 3 okt. 09:30 · Ut2 (sv)", "",
    "🆕 Nytt i Hälsonätverket:",
    "• mån 4 okt. 09:30 · Ha0 (sv)", "• tis 5 okt. 09:30 · Ha1 (sv)",
    "• ons 6 okt. 09:30 · Ha2 (sv)", "",
    "🆕 Nytt i Kulturnätverket:",
    "• tors 7 okt. 09:30 · Ku0 (sv)", "• fre 8 okt. 09:30 · Ku1 (sv)",
    "• lör 9 okt. 09:30 · Ku2 (sv)", "",
    "🆕 Nytt i Arbetsmarknadspolitiskt nätverk:",
    "• sön 10 okt. 09:30 · Am0 (sv)",
    "… och 2 till: /programme am", "",
    "🆕 Nytt i Bostadspolitiskt nätverk:",
    "3 nya träffar: /programme bo", "",
    "Du får höra om nya träffar eftersom du följer de här nätverken; /unfollow stoppar det."]


async def test_a_follower_of_five_networks_gets_ten_meetings_and_the_way_to_the_rest(
        mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path, FIVE)
    for network in ("ut", "ha", "ku"):
        await chat.send(f"/följ {network}", SVEN)
    await chat.deliver()
    path.write_text(MANY, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick()
    [sven] = chat.sent_to(SVEN)
    assert chat.text([sven]).splitlines() == SVEN_GETS
    assert len(chat.buttons([sven])) == 10
    [anna] = chat.sent_to(ANNA)
    assert chat.text([anna]).splitlines()[:4] == [
        "🆕 New in Labour-market policy network:", "• Sun 10 Oct 09:30 · Am0",
        "• Mon 11 Oct 09:30 · Am1", "• Tue 12 Oct 09:30 · Am2"]
    await chat.tick(minutes=1)
    assert len(chat.sent_to(SVEN)) == 1, "one message, however many meetings"


async def test_ten_of_fifteen_meetings_in_telegram(telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, FIVE)
    for network in NETWORKS:
        await bot.say(SVEN, f"/följ {network}", language_code="sv")
    before = len(bot.stub.messages_to(SVEN))
    preview = await reload(bot, path, MANY)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()
    [sven] = bot.stub.messages_to(SVEN)[before:]
    assert sven.plain_text.splitlines() == SVEN_GETS
    assert len(sven.buttons) == 10 and sven.buttons[-1] == "sön 10 okt. 09:30 · Am0 (sv)"
    card, *_ = await bot.tap(SVEN, sven.message_id, "sön 10 okt. 09:30 · Am0 (sv)")
    assert card.plain_text.startswith("Am0 (sv)")
