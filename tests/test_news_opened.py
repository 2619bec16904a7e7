"""A meeting made public after being invite-only is news to the followers of its networks who
could not see it, but not to those already invited (nor whoever answered): harness and end to
end through PTB and the Bot API stub."""
from __future__ import annotations

import asyncio
import re

from assistant import hookimpl
from tests.e2e_reload import organised, reload
from tests.test_new_meetings_news import BASE, lines_under, meeting
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER

ANNA, SVEN, BO = 31, 32, 33
LINK = re.compile(r"https://t\.me/\w+\?start=(inv-[A-Za-z0-9_-]{22})")
CLOSED = BASE + meeting("round", "am", "2027-09-24 10:00", "    invite_only: true\n")
OPENED = BASE + meeting("round", "am", "2027-09-24 10:00")


async def test_followers_not_invited_hear_of_a_meeting_made_public(mingel_chat, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(CLOSED, encoding="utf-8")
    chat = await mingel_chat(REAL, organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.user(ORGANISER, "Org")
    for user, name, lang, network in ((ANNA, "Anna", "en", "am"), (SVEN, "Sven", "sv", "am"),
                                      (BO, "Bo", "en", "bo")):
        chat.user(user, name, lang=lang)
        await chat.send(f"/follow {network}", user)
    [link] = await chat.send("/invite round", ORGANISER)
    await chat.send(f"/start {LINK.search(link.text)[1]}", SVEN)
    await chat.deliver()
    path.write_text(OPENED, encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORGANISER))
    assert "✉️ 1 follower of Labour-market policy network will be told of it." in \
        lines_under(preview, "round")
    assert preview.splitlines()[-1].endswith("1 follower of their networks will get one "
                                             "message about the new meetings.")
    await chat.press("✅ Confirm", ORGANISER)
    await chat.tick()
    [anna] = chat.sent_to(ANNA)
    assert chat.text([anna]).splitlines()[:2] == ["🆕 New in Labour-market policy network:",
                                                  "• Fri 24 Sept 10:00 · Round"]
    assert chat.buttons([anna]) == ["Fri 24 Sept 10:00 · Round"]
    assert not chat.sent_to(SVEN), "invited: knew of it already"
    assert not chat.sent_to(BO), "follows another network"


async def test_a_meeting_made_public_is_news_in_telegram(telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, CLOSED)
    await bot.say(ANNA, "/follow am", language_code="en")
    await bot.say(SVEN, "/följ am", language_code="sv")
    [link] = await bot.say(ORGANISER, "/invite round", language_code="en")
    await bot.say(SVEN, f"/start {LINK.search(link.text)[1]}", count=2)
    before = {user: len(bot.stub.messages_to(user)) for user in (ANNA, SVEN)}
    preview = await reload(bot, path, OPENED)
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()
    [anna] = bot.stub.messages_to(ANNA)[before[ANNA]:]
    assert anna.plain_text.splitlines()[:2] == ["🆕 New in Labour-market policy network:",
                                                "• Fri 24 Sept 10:00 · Round"]
    card, *_ = await bot.tap(ANNA, anna.message_id, "Fri 24 Sept 10:00 · Round")
    assert card.plain_text.startswith("Round")
    assert len(bot.stub.messages_to(SVEN)) == before[SVEN]


class Probe:
    """Counts the visibility checks (deciding nothing)."""

    NAME = "probe"

    def __init__(self) -> None:
        self.asked = 0

    @hookimpl
    def event_visible(self, ctx, event) -> None:
        self.asked += 1


async def test_the_preview_of_a_meeting_made_public_lets_others_be_answered_meanwhile(
        mingel_chat, tmp_path) -> None:
    """Who of a festival's followers could not see a meeting made public was checked one by
    one without giving way (`Followers.unaware`): the /reload preview held the loop for all
    of them. It gives way like the broadcast preview; someone else is answered meanwhile."""
    path = tmp_path / "programme.yaml"
    path.write_text(CLOSED, encoding="utf-8")
    probe = Probe()
    chat = await mingel_chat([*REAL, probe], organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ORGANISER, "Org")
    chat.user(ANNA, "Anna", lang="en")
    follows = chat.assistant.store.table("programme_follows")
    for user_id in range(1000, 2200):
        follows.insert({"user": user_id, "network": "am", "since": NOW})
    await chat.assistant.store.commit()
    chat.assistant.job_slice = chat.assistant.job_pause = 0.0
    path.write_text(OPENED, encoding="utf-8")
    probe.asked, seen = 0, []

    async def organiser() -> None:
        preview = chat.text(await chat.send("/reload", ORGANISER))
        assert "✉️ 1200 followers of Labour-market policy network will be told of it." in \
            lines_under(preview, "round")

    async def someone_else() -> None:
        while not probe.asked:
            await asyncio.sleep(0)
        assert "/reload" not in chat.text(await chat.send("/help", ANNA))
        seen.append(probe.asked)

    await asyncio.gather(organiser(), someone_else())
    assert seen[0] < 1200, "answered only once every follower was checked"
