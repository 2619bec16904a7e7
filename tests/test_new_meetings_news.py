"""Followers hear of new meetings: a confirmed change that adds meetings to a network sends
each of its followers one message, at the next tick and through the outbox, listing the new
meetings of the networks they follow with a button to each card, in their language; never
invite-only, cancelled or past ones, moved meetings, or the first programme."""
from __future__ import annotations

import asyncio

from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER

ANNA, SVEN, BO, NILS = 31, 32, 33, 34
BASE = """\
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  am: {name: {sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}}
  bo: {name: {sv: Bostadspolitiskt nätverk, en: Housing policy network}}
defaults:
  venue: f7
events:
  - id: first
    title: {sv: Första träffen, en: First meeting}
    networks: [am]
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
"""


def meeting(event_id: str, networks: str, start: str, extra: str = "",
            title: str | None = None) -> str:
    """One meeting of the programme file, three hours from `start`."""
    day, time = start.split()
    end = f"{int(time[:2]) + 3:02d}{time[2:]}"
    name = title or event_id.capitalize()
    return (f"  - id: {event_id}\n    title: {{sv: {name} (sv), en: {name}}}\n"
            f"    networks: [{networks}]\n    start: {start}\n    end: {day} {end}\n{extra}")


ADDED = BASE + "".join([
    meeting("jobs", "am", "2027-09-20 09:30"),
    meeting("joint", "am, bo", "2027-09-22 13:00"),
    meeting("house", "bo", "2027-09-23 10:00"),
    meeting("round", "am", "2027-09-24 10:00", "    invite_only: true\n"),
    meeting("gone", "am", "2027-09-25 10:00", "    cancelled: true\n"),
    meeting("spring", "am", "2027-05-04 10:00"),
])
"""Three new meetings followers hear of, and an invite-only, a cancelled and a past one."""


async def started(mingel_chat, tmp_path, text: str = BASE, plugins: tuple[str, ...] = ()):
    """The bot on `text`; Anna (English) follows am, Sven (Swedish) both, Bo (English) bo,
    Nils nothing."""
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    chat = await mingel_chat([*REAL, *plugins], organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ORGANISER, "Org")
    for user, name, lang, follows in ((ANNA, "Anna", "en", ["am"]), (SVEN, "Sven", "sv", ["am", "bo"]),
                                      (BO, "Bo", "en", ["bo"]), (NILS, "Nils", "en", [])):
        chat.user(user, name, lang=lang)
        for network in follows:
            await chat.send(f"/follow {network}", user)
    await chat.deliver()
    return chat, path


async def confirmed(chat, path, text: str) -> tuple[str, str]:
    """The organiser's /reload of `text` and Confirm: the preview and the answer."""
    path.write_text(text, encoding="utf-8")
    preview = chat.text(await chat.send("/reload", ORGANISER))
    done = chat.text(await chat.press("✅ Confirm", ORGANISER))
    return preview, done


def lines_under(text: str, meeting_id: str) -> list[str]:
    """The indented lines under one meeting's line of the preview."""
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if f"({meeting_id})" in line)
    below = []
    for line in lines[at + 1:]:
        if not line.startswith("    "):
            break
        below.append(line.strip())
    return below


async def test_each_follower_gets_one_message_with_the_new_meetings_of_their_networks(
        mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    await confirmed(chat, path, ADDED)
    assert not any(chat.outbox.sent.get(u) for u in (ANNA, SVEN, BO, NILS)), \
        "nothing before the tick"
    sent = await chat.deliver()
    assert not any(sent.get(u) for u in (ANNA, SVEN, BO)), "Confirm queued nothing itself"
    await chat.tick()
    [anna] = chat.sent_to(ANNA)
    assert chat.text([anna]).splitlines() == [
        "🆕 New in Labour-market policy network:",
        "• Mon 20 Sept 09:30 · Jobs",
        "• Wed 22 Sept 13:00 · Joint",
        "",
        "You hear of new meetings because you follow this network; /unfollow stops it."]
    assert chat.buttons([anna]) == ["Mon 20 Sept 09:30 · Jobs", "Wed 22 Sept 13:00 · Joint"]
    [sven] = chat.sent_to(SVEN)
    assert chat.text([sven]).splitlines() == [
        "🆕 Nytt i Arbetsmarknadspolitiskt nätverk:",
        "• mån 20 sep. 09:30 · Jobs (sv)",
        "• ons 22 sep. 13:00 · Joint (sv)",
        "",
        "🆕 Nytt i Bostadspolitiskt nätverk:",
        "• tors 23 sep. 10:00 · House (sv)",
        "",
        "Du får höra om nya träffar eftersom du följer de här nätverken; /unfollow stoppar det."]
    [bo] = chat.sent_to(BO)
    assert chat.text([bo]).splitlines()[:3] == [
        "🆕 New in Housing policy network:", "• Wed 22 Sept 13:00 · Joint",
        "• Thu 23 Sept 10:00 · House"]
    assert not chat.outbox.sent.get(NILS)
    for text in (chat.text([anna]), chat.text([sven]), chat.text([bo])):
        for hidden in ("Round", "Gone", "Spring"):
            assert hidden not in text
    await chat.tick(minutes=1)
    assert [len(chat.sent_to(u)) for u in (ANNA, SVEN, BO)] == [1, 1, 1], "told once"


async def test_the_buttons_open_the_cards(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    await confirmed(chat, path, ADDED)
    await chat.tick()
    [sven] = chat.sent_to(SVEN)
    assert [b.data for row in sven.buttons for b in row] == [
        "programme:card:jobs", "programme:card:joint", "programme:card:house"]
    card = await chat.press("Joint", SVEN, replies=[sven])
    assert "Joint (sv)" in chat.text(card) and "Kommer på plats" in chat.buttons(card)


async def test_the_preview_and_confirm_count_the_followers_told(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    preview, done = await confirmed(chat, path, ADDED)
    assert lines_under(preview, "jobs") == [
        "✉️ 2 followers of Labour-market policy network will be told of it."]
    assert lines_under(preview, "joint") == [
        ("✉️ 3 followers of Labour-market policy network and Housing policy network will be "
         "told of it.")]
    assert lines_under(preview, "round")[0].startswith("🔒 By invitation only")
    assert len(lines_under(preview, "round")) == 1
    assert lines_under(preview, "gone") == []
    assert lines_under(preview, "spring") == [
        ("⚠️ Already over by its date and time: please check them. Nobody can answer a "
         "meeting that is over.")]
    assert preview.splitlines()[-1] == ("Confirm to put it in use. 3 followers of their "
                                        "networks will each get one message about the new "
                                        "meetings.")
    assert "not told" not in preview
    assert done.splitlines()[-1] == ("3 followers of their networks are being told of the new "
                                     "meetings.")


async def test_swedish_preview_and_a_network_nobody_follows(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    chat.user(ORGANISER, "Org", lang="sv")
    path.write_text(BASE.replace("networks:\n", "networks:\n  ny: {name: {sv: Nya nätverket, "
                                 "en: New network}}\n")
                    + meeting("jobs", "am", "2027-09-20 09:30")
                    + meeting("fresh", "ny", "2027-09-21 09:30"), encoding="utf-8")
    preview = chat.text(await chat.send("/läsom", ORGANISER))
    assert lines_under(preview, "jobs") == [
        "✉️ 2 som följer Arbetsmarknadspolitiskt nätverk får besked om den."]
    assert lines_under(preview, "fresh") == [
        "✉️ Ingen följer Nya nätverket än, så ingen får besked om den."]
    assert preview.splitlines()[-1] == ("Bekräfta för att börja använda det nya programmet. 2 som följer deras "
                                        "nätverk får var sitt meddelande om de nya träffarna.")


async def test_a_moved_or_changed_meeting_is_no_news(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    moved = BASE.replace("start: 2027-09-02 09:30", "start: 2027-09-03 09:30") \
        .replace("end: 2027-09-02 12:30", "end: 2027-09-03 12:30") \
        .replace("en: First meeting", "en: The first meeting")
    preview, done = await confirmed(chat, path, moved)
    assert "follower" not in preview and "follower" not in done
    await chat.tick(minutes=5)
    assert not any(chat.outbox.sent.get(u) for u in (ANNA, SVEN, BO))


async def test_a_meeting_removed_or_cancelled_before_the_tick_is_not_told(
        mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    await confirmed(chat, path, BASE + meeting("jobs", "am", "2027-09-20 09:30")
                    + meeting("house", "bo", "2027-09-23 10:00"))
    await confirmed(chat, path, BASE + meeting("house", "bo", "2027-09-23 10:00",
                                               "    cancelled: true\n"))
    await chat.tick()
    assert not any(chat.outbox.sent.get(u) for u in (ANNA, SVEN, BO))


async def test_more_than_a_handful_points_to_the_networks_list(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    many = "".join(meeting(f"m{n}", "am", f"2027-10-{n + 1:02d} 09:30") for n in range(7))
    await confirmed(chat, path, BASE + many + meeting("house", "bo", "2027-09-23 10:00"))
    await chat.tick()
    [anna] = chat.sent_to(ANNA)
    lines = chat.text([anna]).splitlines()
    assert lines[0] == "🆕 New in Labour-market policy network:"
    assert lines[1:7] == [*(f"• {day} Oct 09:30 · M{n}" for n, day in
                            enumerate(["Fri 1", "Sat 2", "Sun 3", "Mon 4", "Tue 5"])),
                          "… and 2 more: /programme am"]
    assert len(chat.buttons([anna])) == 5
    [sven] = chat.sent_to(SVEN)
    assert "• tors 23 sep. 10:00 · House (sv)" in chat.text([sven])
    assert "… och 2 till: /programme am" in chat.text([sven])


async def test_the_first_programme_tells_nobody(mingel_chat, tmp_path) -> None:
    """A fresh installation on the bundled sample: the organiser's own file, sent in the
    chat, is the first real programme, and its meetings are not news."""
    chat = await mingel_chat(REAL, organisers=[ORGANISER], now=NOW)
    chat.user(ORGANISER, "Org")
    chat.user(ANNA, "Anna")
    await chat.send("/follow arbetsmarknad", ANNA)
    own = BASE.replace("  am: {", "  arbetsmarknad: {").replace("[am]", "[arbetsmarknad]")
    preview = chat.text(await chat.upload("programme.yaml", own.encode(), ORGANISER))
    assert "First meeting (first)" in preview and "follower is being told" not in preview
    assert "Followers of the networks are not told of the new meetings: this replaces the " \
           "bundled sample programme." in preview
    done = chat.text(await chat.press("✅ Confirm", ORGANISER))
    assert done.startswith("Done: the new programme is in use") and "follower" not in done
    await chat.tick(minutes=5)
    assert not chat.outbox.sent.get(ANNA)


async def test_others_are_answered_while_thousands_are_queued(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    ctx = chat.assistant.context("programme")
    for user in range(1000, 1300):
        ctx.table("follows", indexes=("user", "network")).insert(
            {"user": user, "network": "am", "since": NOW})
    await chat.assistant.store.commit()
    await confirmed(chat, path, BASE + meeting("jobs", "am", "2027-09-20 09:30"))
    turns = [0]

    async def someone_else() -> None:
        while True:
            turns[0] += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(someone_else())
    try:
        await chat.assistant.tick()
    finally:
        other.cancel()
    assert turns[0] >= 300, "the loop was given up between followers"
    assert chat.assistant.outbox.waiting("programme:new:") == 302


async def test_the_privacy_notice_and_networks_say_followers_hear_of_new_meetings(
        mingel_chat, tmp_path) -> None:
    chat, _ = await started(mingel_chat, tmp_path, plugins=("plugins.privacy",))
    privacy = chat.text(await chat.send("/privacy", ANNA))
    assert "you hear when the organisers add a meeting to them" in privacy
    assert "/unfollow also stops the news of new meetings" in privacy
    swedish = chat.text(await chat.send("/privacy", SVEN))
    assert "du får veta när arrangörerna lägger till en träff i dem" in swedish
    networks = chat.text(await chat.send("/networks", ANNA))
    assert networks.endswith("Follow networks: /next shows their next meeting, and I tell you "
                             "when a meeting is added to them.")


async def test_an_online_meeting_names_the_zone_of_its_time(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    online = '    venue: null\n    online: {url: "https://zoom.us/j/3"}\n'
    await confirmed(chat, path, BASE + meeting("web", "am", "2027-09-20 09:30", online))
    await chat.tick()
    [anna] = chat.sent_to(ANNA)
    assert chat.text([anna]).splitlines()[1:4] == [
        "• Mon 20 Sept 09:30 · Web", "", "Times are given in Sweden Time."]
