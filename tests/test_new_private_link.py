"""A private join link the organisers change: everyone who had it (or is owed it now) and
still has an online place gets the new one, once, right after the notice that says it
changed; whoever's last reminder is still ahead gets it with that reminder; nobody in person
gets one, and the notice promises each reader only what they will get. The old link used to
be the last word: the reminder that brought it had the same key as one with the new link."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.test_notice_before_link import START
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_online_only import LAST_HOUR, answer
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME

OLD_URL = "https://zoom.us/j/1"
NEW_LINK = PROGRAMME.replace(OLD_URL, "https://zoom.us/j/999", 1)
NEWER_LINK = PROGRAMME.replace(OLD_URL, "https://zoom.us/j/777", 1)
TEAMS = PROGRAMME.replace(f'{{platform: Zoom, url: "{OLD_URL}"',
                          '{platform: Teams, url: "https://teams.example/l/999"', 1)
PUBLIC_NEW_LINK = PROGRAMME.replace(f'url: "{OLD_URL}", private: true',
                                    'url: "https://zoom.us/j/999"', 1)
TITLE = "<b>The labour market after corona</b>"
CHANGED = (f"The link to join {TITLE} online has changed. Here is the new one, which replaces "
           "the one I sent you before.")
ANDRAD = ("Länken för att delta online i <b>Arbetsmarknaden efter corona</b> har ändrats. Här "
          "är den nya, som ersätter den jag skickade tidigare.")


def kind(reply) -> str:
    """What a message is, as its reader sees it at a glance."""
    if reply.document is not None:
        return "calendar file"
    if reply.text.startswith("✏️"):
        return "change notice"
    if "/999" in reply.text or "/777" in reply.text:
        return "new link"
    if OLD_URL in reply.text:
        return "old link"
    return "other"


async def start(mingel_chat, tmp_path, data_dir=None):
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat([*REAL, "plugins.reminders"], organisers=[ORGANISER], now=NOW,
                             data_dir=data_dir, env={"MINGEL_PROGRAMME": str(path),
                                                     "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.user(ORGANISER, "Org")
    return chat, path


async def change_at(chat, path, when: datetime, source: str) -> None:
    """The organiser edits the programme at `when` and confirms the preview."""
    chat.clock.set(when)
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", ORGANISER)
    await chat.press("✅ Confirm", ORGANISER)


async def every_half_minute(chat, minutes: float) -> list[tuple[int, int, str]]:
    """Tick as the bot does, every 30 seconds: (tick, user, what they got) in order."""
    got = []
    for number in range(int(minutes * 2)):
        chat.clock.advance(seconds=30)
        await chat.assistant.tick()
        for user, replies in (await chat.deliver()).items():
            got += [(number, user, kind(reply)) for reply in replies]
    return got


def of(got, user) -> list[tuple[int, str]]:
    return [(tick, what) for tick, to, what in got if to == user.id]


async def reminded_online(chat):
    """Bo (English) and Sara (Swedish) come online; their last reminder brings the link."""
    bo, sara = chat.user(2, "Bo"), chat.user(3, "Sara", lang="sv")
    await answer(chat, bo, "Coming online")
    await answer(chat, sara, "Deltar online")
    chat.clock.set(LAST_HOUR)
    await chat.tick()
    assert [kind(m) for m in chat.sent_to(bo)] == ["old link"]
    assert [kind(m) for m in chat.sent_to(sara)] == ["old link"]
    return bo, sara


async def test_a_link_changed_after_the_last_reminder_follows_the_notice(mingel_chat,
                                                                         tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    bo, sara = await reminded_online(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=5), NEW_LINK)
    got = await every_half_minute(chat, 5)

    for user in (bo, sara):
        mine = of(got, user)
        assert [what for _tick, what in mine] == ["change notice", "calendar file", "new link"]
        assert mine[0][0] == mine[2][0], "the link comes in the same tick as the notice"
    note, _ics, link = chat.sent_to(bo)[1:]
    assert note.text.splitlines()[1] == "New online link: you'll get it in a moment."
    assert link.text.startswith(CHANGED + " It starts in")
    assert "💻 Join online: <a href=\"https://zoom.us/j/999\">Zoom</a>" in link.text
    note, _ics, link = chat.sent_to(sara)[1:]
    assert note.text.splitlines()[1] == "Ny länk för att delta online: du får den om en liten stund."
    assert link.text.startswith(ANDRAD + " Träffen börjar om")


async def test_a_link_changed_before_the_last_reminder_comes_with_it_once(mingel_chat,
                                                                          tmp_path) -> None:
    """Bo's last reminder is still ahead: he is told it comes shortly before the meeting, and
    it does, in that reminder, and in no message of its own. Emma, coming in person, and Ali,
    who may come, are not promised a link they would never get."""
    chat, path = await start(mingel_chat, tmp_path)
    bo, emma, ali = chat.user(2, "Bo"), chat.user(4, "Emma"), chat.user(5, "Ali")
    await answer(chat, bo, "Coming online")
    await answer(chat, emma, "Coming in person")
    await answer(chat, ali, "Maybe")
    await change_at(chat, path, LAST_HOUR - timedelta(hours=3), NEW_LINK)
    got = await every_half_minute(chat, 3)
    chat.clock.set(LAST_HOUR)
    got += await every_half_minute(chat, 60)

    assert [what for _tick, what in of(got, bo)] == ["change notice", "calendar file",
                                                     "other", "new link"]
    assert chat.sent_to(bo)[0].text.splitlines()[1] == (
        "New online link: you'll get it shortly before the meeting.")
    assert "The link to join online comes with the last reminder." in chat.sent_to(bo)[-2].text
    assert chat.sent_to(bo)[-1].text.startswith(f"⏰ Reminder: {TITLE} starts in 1 hour.")
    for user in (emma, ali):
        [note] = [m for m in chat.sent_to(user) if kind(m) == "change notice"]
        assert note.text.splitlines()[1] == (
            "New online link: I send it to everyone coming online.")
        assert not [m for m in chat.sent_to(user) if "zoom.us" in (m.text or "")]


@pytest.mark.parametrize(("source", "line", "rad"), [
    (NEW_LINK, "New online link: you'll get it in a moment.",
     "Ny länk för att delta online: du får den om en liten stund."),
    (TEAMS, "Now online via Teams: you'll get the link in a moment.",
     "Nu online via Teams: du får länken om en liten stund.")], ids=["same platform", "Teams"])
async def test_a_link_changed_after_the_start_is_told_at_once_and_follows(
        mingel_chat, tmp_path, source, line, rad) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    bo, sara = await reminded_online(chat)
    await change_at(chat, path, START + timedelta(minutes=5), source)
    got = await every_half_minute(chat, 2)

    assert of(got, bo) == [(0, "change notice"), (0, "calendar file"), (0, "new link")]
    note, _ics, link = chat.sent_to(bo)[1:]
    assert note.text.splitlines()[1] == line
    assert link.text.startswith(CHANGED + " It has already begun.")
    note, _ics, link = chat.sent_to(sara)[1:]
    assert note.text.splitlines()[1] == rad
    assert link.text.startswith(ANDRAD + " Träffen har redan börjat.")


async def test_nobody_in_person_gets_the_new_link(mingel_chat, tmp_path) -> None:
    """Cleo had the old link and then switched to in person; Emma always came in person:
    both are told about the new link without being promised it, and neither gets it."""
    chat, path = await start(mingel_chat, tmp_path)
    cleo, emma = chat.user(6, "Cleo"), chat.user(4, "Emma")
    await answer(chat, emma, "Coming in person")
    await answer(chat, cleo, "Coming online")
    bo, _sara = await reminded_online(chat)
    assert kind(chat.sent_to(cleo)[-1]) == "old link"
    await answer(chat, cleo, "Coming in person")
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=5), NEW_LINK)
    got = await every_half_minute(chat, 10)

    assert "new link" in [what for _tick, what in of(got, bo)]
    for user in (cleo, emma):
        assert [what for _tick, what in of(got, user)] == ["change notice", "calendar file"]
        assert chat.sent_to(user)[-2].text.splitlines()[1] == (
            "New online link: I send it to everyone coming online.")


async def test_a_public_link_is_given_in_the_notice_and_a_private_one_after_it(
        mingel_chat, tmp_path) -> None:
    """A public link is in the notice itself, as before, and nothing follows it; made private
    (another link) afterwards, the link no longer in any message comes after the notice."""
    chat, path = await start(mingel_chat, tmp_path)
    bo, _sara = await reminded_online(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=5), PUBLIC_NEW_LINK)
    got = await every_half_minute(chat, 5)
    assert [what for _tick, what in of(got, bo)] == ["change notice", "calendar file"]
    assert chat.sent_to(bo)[1].text.splitlines()[1] == "New online link: https://zoom.us/j/999"

    await change_at(chat, path, chat.clock.now(), NEWER_LINK)
    got = await every_half_minute(chat, 5)
    assert [what for _tick, what in of(got, bo)] == ["change notice", "calendar file",
                                                     "new link"]
    assert chat.sent_to(bo)[-1].text.startswith(CHANGED)
    assert 'href="https://zoom.us/j/777"' in chat.sent_to(bo)[-1].text


@pytest.mark.parametrize("on_disk", [True, False])
async def test_the_new_link_goes_once_across_restarts_and_again_for_the_next_change(
        mingel_chat, tmp_path, on_disk) -> None:
    chat, path = await start(mingel_chat, tmp_path, tmp_path / "data" if on_disk else None)
    bo, _sara = await reminded_online(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=5), NEW_LINK)
    got = await every_half_minute(chat, 5)
    assert [what for _tick, what in of(got, bo)].count("new link") == 1

    await chat.restart()
    got = await every_half_minute(chat, 5)
    assert of(got, bo) == []

    await change_at(chat, path, chat.clock.now(), NEWER_LINK)
    got = await every_half_minute(chat, 5)
    assert [what for _tick, what in of(got, bo)] == ["change notice", "calendar file",
                                                     "new link"]
    assert 'href="https://zoom.us/j/777"' in chat.sent_to(bo)[-1].text
    await chat.restart()
    assert of(await every_half_minute(chat, 5), bo) == []


async def test_a_link_set_back_to_an_earlier_one_goes_again(mingel_chat, tmp_path) -> None:
    """The organiser changes the link and then puts the first one back: Bo and Sara had the
    wrong one last, so the first one comes again, told as the one that replaces it, and Bo's
    card says it is in the chat only once it is. It used to be told "in a moment" and never
    come: a message with that link had gone before."""
    chat, path = await start(mingel_chat, tmp_path)
    bo, sara = await reminded_online(chat)
    await change_at(chat, path, LAST_HOUR + timedelta(minutes=5), NEW_LINK)
    await every_half_minute(chat, 3)
    assert kind(chat.sent_to(bo)[-1]) == "new link"

    await change_at(chat, path, LAST_HOUR + timedelta(minutes=10), PROGRAMME)
    got = await every_half_minute(chat, 3)
    for user in (bo, sara):
        assert [what for _tick, what in of(got, user)] == [
            "change notice", "calendar file", "old link"]
    note, link = chat.sent_to(bo)[-3], chat.sent_to(bo)[-1]
    assert note.text.splitlines()[1] == "New online link: you'll get it in a moment."
    assert link.text.startswith(CHANGED)
    assert f'href="{OLD_URL}"' in link.text
    assert "I've sent you the link to join in the chat." in chat.text(
        await chat.send("/event hybrid", bo))
    got = await every_half_minute(chat, 60)
    assert not of(got, bo), "and only once"
