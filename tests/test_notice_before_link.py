"""A meeting made online only inside its last reminder's hour: the notice that someone's answer
became "Coming online" reaches them before the private link, never after it (the link waited
for nothing and went on the next tick, up to two minutes before the notice), and the link is
not held back any longer than the notice is, nor for anyone the change did not move."""
from __future__ import annotations

from datetime import timedelta

from tests.test_rsvp_online_only import LAST_HOUR, ONLINE_ONLY, answer, start
from tests.test_rsvp_support import ORGANISER


def kind(reply) -> str:
    """What a message is, as its reader sees it at a glance."""
    if reply.document is not None:
        return "calendar file"
    if reply.text.startswith("✏️"):
        return "change notice"
    if "zoom.us/j/1" in reply.text:
        return "link"
    return reply.text


async def every_half_minute(chat, minutes: int) -> list[tuple[int, int, str]]:
    """Tick as the bot does, every 30 seconds: (tick, user, what they got) in order."""
    got = []
    for number in range(minutes * 2):
        chat.clock.advance(seconds=30)
        await chat.assistant.tick()
        for user, replies in (await chat.deliver()).items():
            got += [(number, user, kind(reply)) for reply in replies]
    return got


async def test_the_change_notice_comes_before_the_link_it_explains(mingel_chat,
                                                                   tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    emma, sara = chat.user(4, "Emma"), chat.user(3, "Sara", lang="sv")
    await answer(chat, emma, "Coming in person")
    await answer(chat, sara, "Kommer på plats")
    chat.clock.set(LAST_HOUR)
    await chat.tick()
    [reminder] = chat.sent_to(emma)
    assert "📍 F7, Fleminggatan 7, Stockholm" in reminder.text
    assert "zoom.us" not in reminder.text

    chat.clock.advance(minutes=5)
    path.write_text(ONLINE_ONLY, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    got = await every_half_minute(chat, 4)

    for user in (emma, sara):
        mine = [(tick, what) for tick, to, what in got if to == user.id]
        assert [what for _tick, what in mine] == ["change notice", "calendar file", "link"]
        assert mine[0][0] == mine[2][0], "the link comes in the same tick as the notice"
    note, _ics, link = chat.sent_to(emma)[1:]
    assert "your answer is now “Coming online”" in note.text
    assert link.text.startswith("Here is the link to join <b>The labour market after "
                                "corona</b> online.")
    assert "ditt svar är nu ”Deltar online”" in chat.sent_to(sara)[1].text


async def test_someone_the_change_did_not_move_is_reminded_while_the_notice_waits(
        mingel_chat, tmp_path) -> None:
    """Bo answers "Coming online" just after the change, inside the last hour: nothing waits to
    be told to him about his answer, so his link comes at once, before the notice about the
    venue does; Emma's waits for hers."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, bo = chat.user(4, "Emma"), chat.user(2, "Bo")
    await answer(chat, emma, "Coming in person")
    chat.clock.set(LAST_HOUR + timedelta(minutes=5))
    path.write_text(ONLINE_ONLY, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    await answer(chat, bo, "Coming online")
    got = await every_half_minute(chat, 4)

    bo_got = [(tick, what) for tick, to, what in got if to == bo.id]
    assert bo_got[0] == (0, "link")
    emma_got = [what for _tick, to, what in got if to == emma.id]
    assert emma_got == ["change notice", "calendar file", "link"]
