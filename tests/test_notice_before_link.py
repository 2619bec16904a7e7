"""A meeting made online only inside its last reminder's hour: the notice that someone's answer
became "Coming online" reaches them before the private link, never after it (the link waited
for nothing and went on the next tick, up to two minutes before the notice), and the link is
not held back any longer than the notice is, nor for anyone the change did not move."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from plugins.rsvp import changed
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


START = datetime.fromisoformat("2027-09-02T07:30:00+00:00")
"""When the hybrid meeting begins (09:30 in Stockholm)."""


async def made_online_only_at(chat, path, when: datetime):
    """Emma (reminded at the venue an hour before) and Sara are coming in person; the
    organiser makes the meeting online only at `when`."""
    emma, sara = chat.user(4, "Emma"), chat.user(3, "Sara", lang="sv")
    await answer(chat, emma, "Coming in person")
    await answer(chat, sara, "Kommer på plats")
    chat.clock.set(LAST_HOUR)
    await chat.tick()
    chat.clock.set(when)
    path.write_text(ONLINE_ONLY, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    return emma, sara


async def test_a_change_90_seconds_before_the_start_is_told_with_the_link_before_it(
        mingel_chat, tmp_path) -> None:
    """The organisers' quiet time would end after the start: the notice goes before it all
    the same, and the link with it (it never came: the started meeting was no longer
    reminded of)."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, sara = await made_online_only_at(chat, path, START - timedelta(seconds=90))
    got = await every_half_minute(chat, 4)

    for user in (emma, sara):
        mine = [(tick, what) for tick, to, what in got if to == user.id]
        assert [what for _tick, what in mine] == ["change notice", "calendar file", "link"]
        assert mine[0][0] == mine[2][0] == 0, "notice and link on the next tick, before 09:30"
    assert "It starts in 1 minute." in chat.sent_to(emma)[-1].text


@pytest.mark.parametrize("when", [START - timedelta(seconds=10), START + timedelta(minutes=5)])
async def test_a_change_at_or_after_the_start_is_told_at_once_and_the_link_follows(
        mingel_chat, tmp_path, when) -> None:
    """Too late for any quiet time: the notice goes on the next tick and the link right after
    it, although the meeting has begun by then."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, sara = await made_online_only_at(chat, path, when)
    got = await every_half_minute(chat, 4)

    mine = [(tick, what) for tick, to, what in got if to == emma.id]
    assert mine == [(0, "change notice"), (0, "calendar file"), (0, "link")]
    note = chat.sent_to(emma)[1].text
    assert note.endswith("your answer is now “Coming online”. The meeting has begun: you'll "
                         "get the link to join in a moment.")
    link = chat.sent_to(emma)[-1].text
    assert link.startswith("Here is the link to join <b>The labour market after corona</b> "
                           "online. It has already begun.")
    assert chat.sent_to(sara)[-1].text.startswith(
        "Här är länken för att delta online i <b>Arbetsmarknaden efter corona</b>. Träffen har "
        "redan börjat.")


async def test_a_notice_that_keeps_failing_holds_the_link_back_only_a_minute(
        mingel_chat, tmp_path, monkeypatch, caplog) -> None:
    """A bug in the notice about one meeting: the notice about another goes all the same, and
    the link of the one that fails comes on the first tick more than a minute after that
    notice's time (06:42, the third tick), instead of never."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, bo = chat.user(4, "Emma"), chat.user(2, "Bo")
    await answer(chat, emma, "Coming in person")
    await answer(chat, bo, "Coming in person", "small")
    chat.clock.set(LAST_HOUR)
    await chat.tick()
    chat.clock.advance(minutes=5)
    describe = changed.describe

    def failing(target, event, fields, entry=None):
        if event.id == "hybrid":
            raise RuntimeError("a bug in one notice")
        describe(target, event, fields, entry)
    monkeypatch.setattr(changed, "describe", failing)
    path.write_text(ONLINE_ONLY.replace("en: Small meeting", "en: Smaller meeting"), encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)
    got = await every_half_minute(chat, 6)

    assert [(tick, what) for tick, to, what in got if to == emma.id] == [(6, "link")]
    assert [(tick, what) for tick, to, what in got if to == bo.id] == [
        (3, "change notice"), (3, "calendar file")]
    assert "the change notice about hybrid failed" in caplog.text


@pytest.mark.parametrize(("when", "en", "sv"), [
    (LAST_HOUR + timedelta(minutes=5), "You'll get the link to join in a moment.",
     "Länken för att delta får du om en liten stund."),
    (START - timedelta(seconds=90), "You'll get the link to join in a moment.",
     "Länken för att delta får du om en liten stund."),
    (LAST_HOUR - timedelta(hours=3), "You'll get the link to join shortly before the meeting.",
     "Länken för att delta får du strax före träffen.")],
    ids=["in the last hour", "90 s before", "3 hours before"])
async def test_made_online_only_says_truly_when_the_link_comes(mingel_chat, tmp_path, when, en,
                                                               sv) -> None:
    """Moved online inside the last reminder's hour, the link follows the notice at once, and
    the notice says so ("in a moment", as for a new link); earlier, it comes with the last
    reminder. The notice used to say "shortly before the meeting" in every case."""
    chat, path = await start(mingel_chat, tmp_path)
    emma, sara = await made_online_only_at(chat, path, when)
    got = await every_half_minute(chat, 4)

    for user, line in ((emma, en), (sara, sv)):
        [note] = [m for m in chat.sent_to(user) if kind(m) == "change notice"]
        assert note.text.endswith(line)
        follows = [what for _tick, to, what in got if to == user.id][-1] == "link"
        assert follows == (when > LAST_HOUR)
