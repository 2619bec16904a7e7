"""Reminders with the chat harness: who gets what when, personal lead times, restarts,
late ticks, moved and cancelled meetings, the hooks of other plugins, privacy."""
from __future__ import annotations

import asyncio
import json
import types
from datetime import datetime

from assistant import hookimpl
from assistant.types import Button
from plugins import reminders
from plugins.reminders import schedule
from tests.test_reminders_support import PROGRAMME, REAL_PROGRAMME, Fixture

M1_START = datetime.fromisoformat("2027-09-02T07:30:00+00:00")
DAY_BEFORE = "2027-09-01T07:00:00+00:00"


async def setup(mingel_chat, *extra, now: str = DAY_BEFORE, **kwargs):
    fixture = Fixture()
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", fixture, *extra],
                             now=now, flood_control=False, **kwargs)
    chat.user(5, "Eva", lang="en")
    chat.user(6, "Sven", lang="sv")
    chat.user(7, "Maja", lang="en")
    chat.user(8, "Olle", lang="sv")
    for user in (5, 6, 7, 8):
        await chat.send("/start", user)
    return chat, fixture


def plain(chat, user: int) -> list[str]:
    return [chat.text([r]) for r in chat.sent_to(user)]


async def test_coming_and_maybe_get_reminders_in_their_language(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat)
    fixture.answer("m1", 5, "online")
    fixture.answer("m1", 6, "in_person")
    fixture.answer("m1", 7, "maybe")
    fixture.answer("m1", 8, "in_person", waiting=True)
    await chat.tick(minutes=30)
    [online] = plain(chat, 5)
    assert online.startswith("⏰ Reminder: The future labour market starts in 1 day.")
    assert "Thursday, 2 September 2027, 09:30–12:30" in online
    assert "The link to join online comes with the last reminder." in online
    assert "zoom.us" not in online
    [in_person] = plain(chat, 6)
    assert in_person.startswith("⏰ Påminnelse: Framtidens arbetsmarknad börjar om 1 dag.")
    assert "torsdag 2 september 2027 kl. 09:30–12:30" in in_person
    assert "📍 F7, Fleminggatan 7, Stockholm" in in_person and "zoom" not in in_person
    [maybe] = plain(chat, 7)
    assert maybe.startswith("You said you might come to The future labour market. "
                            "It starts in 1 day.")
    assert plain(chat, 8) == []
    await chat.tick(hours=23)
    assert len(plain(chat, 5)) == 2
    last = chat.sent_to(5)[-1]
    assert "starts in 1 hour." in chat.text([last])
    assert '<a href="https://zoom.us/j/123">Zoom</a>' in last.text
    assert chat.buttons([last]) == ["Reminder settings"]
    await chat.tick(hours=2)
    assert len(plain(chat, 5)) == 2 and len(plain(chat, 6)) == 2


async def test_a_title_that_asks_a_question_is_not_followed_by_a_full_stop(mingel_chat) -> None:
    fixture = Fixture(PROGRAMME.replace("{sv: Framtidens arbetsmarknad, en: The future labour "
                                        "market}", "{sv: Vad händer nu?, en: What now?}"))
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", fixture], now=DAY_BEFORE,
                             flood_control=False)
    chat.user(5, "Eva", lang="en")
    chat.user(6, "Sven", lang="sv")
    for user in (5, 6):
        await chat.send("/start", user)
    fixture.answer("m1", 5, "maybe")
    fixture.answer("m1", 6, "maybe")
    await chat.tick(minutes=30)
    assert plain(chat, 5)[0].startswith("You said you might come to What now? It starts in "
                                        "1 day.")
    assert plain(chat, 6)[0].startswith("Du har svarat att du kanske kommer till Vad händer "
                                        "nu? Träffen börjar om 1 dag.")


async def test_a_public_join_link_comes_with_every_reminder(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat, now="2027-09-19T07:00:00+00:00")
    fixture.answer("m2", 5, "online")
    fixture.answer("m2", 7, "maybe")
    await chat.tick(minutes=31)
    assert "Join online: Zoom (https://zoom.us/j/456)" in plain(chat, 5)[0]
    assert "Join online: Zoom (https://zoom.us/j/456)" in plain(chat, 7)[0]


async def test_a_restart_just_before_a_reminder_still_sends_it_once(mingel_chat,
                                                                     tmp_path) -> None:
    chat, fixture = await setup(mingel_chat, data_dir=tmp_path / "data")
    fixture.answer("m1", 5, "in_person")
    await chat.tick(minutes=29)
    assert plain(chat, 5) == []
    await chat.restart()
    chat.clock.advance(minutes=1)
    await chat.tick()
    assert len(plain(chat, 5)) == 1
    await chat.restart()
    await chat.tick(minutes=1)
    assert len(plain(chat, 5)) == 1


async def test_a_queued_reminder_survives_a_restart_and_is_not_queued_again(
        mingel_chat, tmp_path) -> None:
    chat, fixture = await setup(mingel_chat, data_dir=tmp_path / "data")
    fixture.answer("m1", 5, "in_person")
    chat.clock.advance(minutes=30)
    await chat.assistant.tick()
    await chat.restart()
    await chat.tick()
    assert len(plain(chat, 5)) == 1


async def test_after_downtime_only_the_latest_reminder_goes_with_the_real_time_left(
        mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat, now="2027-09-01T06:00:00+00:00")
    fixture.answer("m1", 5, "in_person")
    fixture.answer("m1", 6, "in_person")
    chat.clock.set(datetime.fromisoformat("2027-09-02T07:10:00+00:00"))
    await chat.tick()
    [late] = plain(chat, 5)
    assert "starts in 20 minutes." in late
    assert "börjar om 20 minuter." in plain(chat, 6)[0]
    chat.clock.set(datetime.fromisoformat("2027-09-02T07:31:00+00:00"))
    await chat.tick()
    assert len(plain(chat, 5)) == 1


async def test_no_reminder_once_the_meeting_has_begun(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat)
    fixture.answer("m1", 5, "in_person")
    chat.clock.set(datetime.fromisoformat("2027-09-02T07:35:00+00:00"))
    await chat.tick()
    assert plain(chat, 5) == []


async def test_lead_times_passed_before_the_answer_are_skipped(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat, now="2027-09-02T04:00:00+00:00")
    fixture.answer("m1", 5, "in_person", at=datetime.fromisoformat("2027-09-02T04:00:00+00:00"))
    await chat.tick(minutes=1)
    assert plain(chat, 5) == []
    await chat.tick(hours=2, minutes=30)
    assert "starts in 1 hour." in plain(chat, 5)[0]


async def test_the_help_hint_is_what_reminders_takes_in_words_in_both_languages(
        mingel_chat) -> None:
    """/help showed `/reminders [48h,2h|off]`, unreadable for a participant: it now gives
    times in words, and each thing it offers is something /reminders takes as typed."""
    chat, _fixture = await setup(mingel_chat)
    english = ("I remind you 2 days before and 2 hours before", "Reminders are off")
    swedish = ("Jag påminner dig 2 dagar före och 2 timmar före", "Påminnelserna är avstängda")
    for user, hint, done in ((5, "[2 days, 2 hours | off]", english),
                             (6, "[2 dagar, 2 timmar | av]", swedish)):
        assert f"/reminders {hint} – " in chat.text(await chat.send("/help", user))
        for typed, answer in zip(hint[1:-1].split(" | "), done, strict=True):
            assert chat.text(await chat.send(f"/reminders {typed}", user)).startswith(answer)


async def test_personal_lead_times_with_buttons_and_arguments(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat, now="2027-08-26T07:00:00+00:00")
    menu = await chat.send("/reminders", 5)
    assert "I remind you 1 day before and 1 hour before each meeting" in chat.text(menu)
    assert "These are the standard times." in chat.text(menu)
    assert chat.buttons(menu) == ["1 week", "✓ 1 day", "3 hours", "✓ 1 hour", "Off",
                                  "✓ Standard times"]
    menu = await chat.press("1 week", 5)
    menu = await chat.press("1 day", 5)
    assert chat.buttons(menu)[:4] == ["✓ 1 week", "1 day", "3 hours", "✓ 1 hour"]
    assert "1 week before and 1 hour before" in chat.text(menu)
    sv = await chat.send("/reminders 48h,2h", 6)
    assert chat.text(sv) == ("Jag påminner dig 2 dagar före och 2 timmar före varje träff som du "
                             "kommer till. Har du svarat ”Kanske” får du en lite "
                             "försiktigare påminnelse.")
    off = await chat.send("/reminders off", 7)
    assert chat.text(off) == ("Reminders are off: I won't remind you before meetings. If "
                              "you're coming online to a meeting whose link is private, I "
                              "still send you the link before it starts.")
    for user in (5, 6, 7):
        fixture.answer("m1", user, "in_person",
                       at=datetime.fromisoformat("2027-08-20T07:00:00+00:00"))
    await chat.tick(minutes=31)
    assert "starts in 1 week." in plain(chat, 5)[0]
    assert plain(chat, 6) == []
    await chat.tick(days=5)
    assert "börjar om 2 dagar." in plain(chat, 6)[0]
    assert len(plain(chat, 5)) == 1 and plain(chat, 7) == []
    bad = await chat.send("/reminders soon", 8)
    assert "Jag förstod inte de tiderna" in chat.text(bad)
    assert chat.text(bad).endswith("eller /reminders av."), "the Swedish word /help shows"
    back = await chat.send("/reminders default", 7)
    assert "1 day before and 1 hour before" in chat.text(back)


async def test_lead_times_read_alike_whatever_their_value(mingel_chat) -> None:
    """Whole days are days (24h is "1 day" as 48h is "2 days"), whole weeks weeks, the rest
    hours or minutes; Swedish counts days as "dag", as the cards do."""
    chat, _ = await setup(mingel_chat)
    one_day = await chat.send("/reminders 1d", 5)
    assert chat.text(one_day).startswith("I remind you 1 day before each meeting")
    mixed = await chat.send("/reminders 48h,36h,90m,2w", 5)
    assert chat.text(mixed).startswith(
        "I remind you 2 weeks before, 2 days before, 36 hours before and 90 minutes "
        "before each meeting")
    sv = await chat.send("/reminders 24h,72h,1h", 6)
    assert chat.text(sv).startswith("Jag påminner dig 3 dagar före, 1 dag före och 1 timme före varje")
    menu = await chat.send("/reminders", 6)
    assert chat.buttons(menu)[:4] == ["1 vecka", "✓ 1 dag", "3 timmar", "✓ 1 timme"]


async def test_the_menu_marks_off_and_the_standard_times_when_they_are_chosen(
        mingel_chat) -> None:
    chat, _ = await setup(mingel_chat)
    menu = await chat.send("/reminders", 5)
    assert chat.buttons(menu)[4:] == ["Off", "✓ Standard times"]
    menu = await chat.press("Off", 5)
    assert chat.buttons(menu) == ["1 week", "1 day", "3 hours", "1 hour", "✓ Off",
                                  "Standard times"]
    assert chat.text(menu).startswith("Reminders are off")
    await chat.send("/reminders 3h", 5)
    menu = await chat.send("/reminders", 5)
    assert chat.buttons(menu) == ["1 week", "1 day", "✓ 3 hours", "1 hour", "Off",
                                  "Standard times"]
    await chat.send("/reminders av", 6)
    menu = await chat.send("/reminders", 6)
    assert chat.buttons(menu)[4:] == ["✓ Av", "Standardtider"]


async def test_a_private_link_reaches_people_online_with_reminders_off(mingel_chat) -> None:
    """Reminders off is not "no way to join": the link goes alone, with the last standard
    reminder's timing; people coming in person with reminders off get nothing."""
    chat, fixture = await setup(mingel_chat)
    await chat.send("/reminders off", 5)
    await chat.send("/reminders off", 6)
    await chat.send("/reminders off", 7)
    fixture.answer("m1", 5, "online")
    fixture.answer("m1", 6, "online")
    fixture.answer("m1", 7, "in_person")
    await chat.tick(minutes=30)
    assert plain(chat, 5) == plain(chat, 7) == []
    await chat.tick(hours=23)
    [link] = chat.sent_to(5)
    assert chat.text([link]).startswith("Here is the link to join The future labour market "
                                        "online. It starts in 1 hour.")
    assert "Thursday, 2 September 2027, 09:30–12:30" in chat.text([link])
    assert '<a href="https://zoom.us/j/123">Zoom</a>' in link.text
    assert chat.buttons([link]) == []
    assert plain(chat, 6)[-1].startswith("Här är länken för att delta online i Framtidens "
                                         "arbetsmarknad. Träffen börjar om 1 timme.")
    assert plain(chat, 7) == []
    await chat.tick(minutes=20)
    assert len(chat.sent_to(5)) == 1


async def test_answering_online_after_the_last_reminder_still_brings_the_link(
        mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat, now="2027-09-02T07:00:00+00:00")
    late = datetime.fromisoformat("2027-09-02T07:00:00+00:00")
    fixture.answer("m1", 5, "online", at=late)
    fixture.answer("m1", 7, "in_person", at=late)
    await chat.tick(minutes=1)
    [link] = plain(chat, 5)
    assert link.startswith("Here is the link to join The future labour market online. It "
                           "starts in 29 minutes.")
    assert "zoom.us/j/123" in chat.sent_to(5)[-1].text
    assert plain(chat, 7) == []
    await chat.tick(minutes=5)
    assert len(plain(chat, 5)) == 1


async def test_switching_to_online_after_the_last_reminder_brings_the_link(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat, now="2027-09-02T06:00:00+00:00")
    fixture.answer("m1", 6, "in_person")
    await chat.tick(minutes=31)
    [in_person] = plain(chat, 6)
    assert "📍 F7" in in_person and "zoom" not in in_person
    fixture.answer("m1", 6, "online", at=datetime.fromisoformat("2027-09-02T06:40:00+00:00"))
    event = fixture.current.event("m1")
    await chat.assistant.hooks.rsvp_changed(chat.context(), event, 6, None,
                                            fixture.answers[("m1", 6)])
    await chat.tick(minutes=10)
    assert plain(chat, 6)[1].startswith("Här är länken för att delta online i Framtidens "
                                        "arbetsmarknad. Träffen börjar om 49 minuter.")
    assert "zoom.us/j/123" in chat.sent_to(6)[-1].text


async def test_maybe_to_an_online_only_meeting_says_how_to_get_its_private_link(
        mingel_chat) -> None:
    fixture = Fixture(PROGRAMME + """
  - id: m3
    networks: [edu]
    title: {sv: Webbinariet, en: The webinar}
    start: 2027-09-02 09:30
    end: 2027-09-02 11:00
    online: {platform: Teams, url: "https://teams.example/m3", private: true}
""")
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", fixture], now=DAY_BEFORE,
                             flood_control=False)
    chat.user(5, "Eva", lang="en")
    fixture.answer("m3", 5, "maybe")
    await chat.tick(minutes=30)
    await chat.tick(hours=23)
    first, last = plain(chat, 5)
    for reminder in (first, last):
        assert "To get the link to join online, answer Coming online." in reminder
        assert "teams.example" not in reminder


async def test_forged_reminder_buttons_change_nothing(mingel_chat) -> None:
    chat, _fixture = await setup(mingel_chat)
    await chat.press_data("reminders:toggle:42", 5)
    assert chat.toasts[5] == "This button no longer works."
    await chat.press_data("reminders:toggle:nonsense", 5)
    await chat.press_data("reminders:toggle:" + "9" * 30, 5)
    assert chat.toasts[5] == "This button no longer works."
    assert chat.table("reminders", "prefs") == []
    menu = await chat.press_data("reminders:menu", 6)
    assert "Jag påminner dig 1 dag före och 1 timme före" in chat.text(menu)


async def test_a_moved_meeting_moves_its_reminders(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat)
    fixture.answer("m1", 5, "in_person")
    await chat.tick(minutes=30)
    assert len(plain(chat, 5)) == 1
    chat.clock.advance(hours=23)
    await chat.assistant.tick()
    before, after = fixture.change("m1", start=M1_START.replace(day=4),
                                   end=M1_START.replace(day=4, hour=10))
    await chat.assistant.hooks.event_changed(chat.context(), before, after, ("start", "end"))
    await chat.deliver()
    assert len(plain(chat, 5)) == 1
    [item] = [i for i in chat.assistant.outbox.table.all() if i["state"] == "dropped"]
    assert item["chat"] == 5
    await chat.tick(hours=1)
    assert len(plain(chat, 5)) == 1
    chat.clock.set(datetime.fromisoformat("2027-09-03T07:31:00+00:00"))
    await chat.tick()
    assert "Saturday, 4 September 2027" in plain(chat, 5)[1]
    chat.clock.set(datetime.fromisoformat("2027-09-04T06:31:00+00:00"))
    await chat.tick()
    assert "starts in 1 hour." in plain(chat, 5)[2]


async def test_a_cancelled_meeting_cancels_its_reminders(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat)
    fixture.answer("m1", 5, "in_person")
    fixture.answer("m1", 6, "online")
    chat.clock.advance(minutes=30)
    await chat.assistant.tick()
    fixture.change("m1", cancelled=True)
    await chat.tick()
    assert plain(chat, 5) == [] and plain(chat, 6) == []
    await chat.tick(hours=23)
    assert plain(chat, 5) == [] and plain(chat, 6) == []


def health_like() -> types.ModuleType:
    module = types.ModuleType("checklist")
    module.NAME = "checklist"

    def details(ctx, event, last):
        return ["✅ Declaration done" if last else "Declaration opens soon"]

    def buttons(ctx, event, last):
        return [Button("Fill in", "checklist:go")] if last else []

    module.reminder_details = hookimpl(details)
    module.reminder_buttons = hookimpl(buttons)
    return module


async def test_other_plugins_add_lines_and_buttons_to_the_last_reminder(mingel_chat) -> None:
    chat, fixture = await setup(mingel_chat, health_like())
    fixture.answer("m1", 5, "in_person")
    await chat.tick(minutes=30)
    assert "Declaration opens soon" in plain(chat, 5)[0]
    assert chat.buttons(chat.sent_to(5)) == ["Reminder settings"]
    await chat.tick(hours=23)
    last = chat.sent_to(5)[-1]
    assert "✅ Declaration done" in chat.text([last])
    assert chat.buttons([last]) == ["Fill in", "Reminder settings"]


async def test_privacy_data_and_forgetting(mingel_chat) -> None:
    chat, _fixture = await setup(mingel_chat)
    await chat.send("/reminders 3h", 5)
    ctx = chat.context("reminders", 5)
    data = chat.assistant.hooks.user_data(ctx, 5)
    assert data["reminders"] == {"reminder_times": ["PT3H"], "off": False}
    notices = dict(chat.assistant.hooks.privacy_notice(chat.context("reminders", 6)))
    assert "/reminders" in notices["reminders"]
    await chat.assistant.hooks.forget_user(ctx, 5)
    assert chat.table("reminders", "prefs") == []


async def test_a_broken_setting_is_refused_at_start(mingel_chat) -> None:
    import pytest

    from assistant.config import ConfigError
    with pytest.raises(ConfigError, match="MINGEL_REMINDERS"):
        await mingel_chat(["plugins.reminders"], env={"MINGEL_REMINDERS": "soon"})
    chat = await mingel_chat(["plugins.basics", "plugins.reminders"],
                             env={"MINGEL_REMINDERS": "2d, 30m"})
    menu = await chat.send("/reminders", chat.user(9, lang="en"))
    assert "2 days before and 30 minutes before each meeting" in chat.text(menu)



async def test_with_the_real_programme_rsvp_and_health_plugins(mingel_chat, tmp_path) -> None:
    (tmp_path / "programme.yaml").write_text(REAL_PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(["plugins.basics", "plugins.programme", "plugins.rsvp",
                              "plugins.health", "plugins.reminders"],
                             env={"MINGEL_PROGRAMME": str(tmp_path / "programme.yaml")},
                             now="2027-08-01T08:00:00+00:00", flood_control=False)
    eva, sven = chat.user(5, "Eva", lang="en"), chat.user(6, "Sven", lang="sv")
    await chat.send("/event hybrid", eva)
    await chat.press("Coming in person", eva)
    await chat.send("/event hybrid", sven)
    await chat.press("Deltar online", sven)
    await chat.deliver()
    chat.clock.set(datetime.fromisoformat("2027-08-02T07:30:00+00:00"))
    await chat.tick()
    [first] = [r for r in chat.sent_to(eva) if "⏰" in r.text]
    assert "Health declaration" not in chat.text([first])
    [first_sv] = [r for r in chat.sent_to(sven) if "⏰" in r.text]
    assert "Länken för att delta online kommer med den sista påminnelsen." in chat.text([first_sv])
    await chat.tick(hours=23)
    last = chat.sent_to(eva)[-1]
    assert "starts in 1 hour." in chat.text([last])
    assert "⚠️ Health declaration missing" in chat.text([last])
    assert chat.buttons([last]) == ["Fill in health declaration", "Reminder settings"]
    last_sv = chat.sent_to(sven)[-1]
    assert "börjar om 1 timme." in chat.text([last_sv])
    assert "https://zoom.us/j/61234567890" in last_sv.text


async def test_ticks_between_lead_times_look_at_nobodys_answers(mingel_chat, monkeypatch) -> None:
    """At a festival a day's meetings have 27,000 reminders: the first tick after a start
    looks at every meeting, later ones only where a lead time was reached since."""
    chat, fixture = await setup(mingel_chat)
    fixture.answer("m1", 5, "online")
    await chat.tick(minutes=30)
    assert len(plain(chat, 5)) == 1
    asked: list[str] = []
    attendees = chat.assistant.hooks.attendees
    monkeypatch.setattr(chat.assistant.hooks, "attendees",
                        lambda ctx, event: asked.append(event.id) or attendees(ctx, event))
    await chat.tick(seconds=30)
    await chat.tick(minutes=10)
    assert asked == []
    await chat.tick(hours=23)
    assert asked == ["m1"] and len(plain(chat, 5)) == 2


async def test_someone_moved_up_from_the_waiting_list_gets_the_reminder_now_due(
        mingel_chat, tmp_path) -> None:
    programme = REAL_PROGRAMME.replace("    end: 2027-08-03 12:30\n",
                                       "    end: 2027-08-03 12:30\n    capacity: 1\n", 1)
    (tmp_path / "programme.yaml").write_text(programme, encoding="utf-8")
    chat = await mingel_chat(["plugins.basics", "plugins.programme", "plugins.rsvp",
                              "plugins.reminders"],
                             env={"MINGEL_PROGRAMME": str(tmp_path / "programme.yaml")},
                             now="2027-08-01T08:00:00+00:00", flood_control=False)
    eva, sven = chat.user(5, "Eva", lang="en"), chat.user(6, "Sven", lang="en")
    for person in (eva, sven):
        await chat.send("/event hybrid", person)
        await chat.press("Coming in person", person)
    await chat.deliver()
    chat.clock.set(datetime.fromisoformat("2027-08-02T07:30:00+00:00"))
    await chat.tick()
    assert [r for r in chat.sent_to(sven) if "⏰" in r.text] == []
    chat.clock.set(datetime.fromisoformat("2027-08-02T07:40:00+00:00"))
    await chat.send("/event hybrid", eva)
    await chat.press("Can't come", eva)
    await chat.tick()
    assert any("starts in 23 hours" in chat.text([r]) or "starts in 1 day" in chat.text([r])
               for r in chat.sent_to(sven) if "⏰" in r.text)


async def test_a_tick_that_failed_half_way_is_looked_at_again(mingel_chat, monkeypatch) -> None:
    """Only a finished tick counts as having looked: the reminders a failure left out are
    queued by the next one, once."""
    chat, fixture = await setup(mingel_chat)
    await chat.tick()
    fixture.answer("m1", 5, "online")
    fixture.answer("m1", 6, "in_person")
    outbox = chat.assistant.outbox
    enqueue = outbox.enqueue

    def full_after_one(chat_id: int, replies: object, key: str | None = None) -> bool:
        if outbox.table.count() >= 1:
            raise OSError("disk full")
        return enqueue(chat_id, replies, key=key)

    monkeypatch.setattr(outbox, "enqueue", full_after_one)
    await chat.tick(minutes=30)
    assert len(plain(chat, 5)) + len(plain(chat, 6)) == 1
    monkeypatch.setattr(outbox, "enqueue", enqueue)
    await chat.tick(seconds=30)
    assert len(plain(chat, 5)) == 1 and len(plain(chat, 6)) == 1


async def test_many_due_at_once_are_queued_as_they_go_out_each_once(mingel_chat,
                                                                     monkeypatch) -> None:
    """A festival's first morning had 27,000 reminders due at once, all built and stored in
    one tick while everyone's answers waited; a tick now queues no more than BACKLOG."""
    monkeypatch.setattr(reminders, "BACKLOG", 3)
    chat, fixture = await setup(mingel_chat)
    people = list(range(20, 28))
    for user in people:
        chat.user(user, f"P{user}")
        await chat.send("/start", user)
        fixture.answer("m1", user, "online")
    chat.clock.advance(minutes=30)
    await chat.assistant.tick()
    assert chat.assistant.outbox.waiting("reminders:") == 3
    reached = []
    for _ in range(4):
        await chat.deliver()
        reached.append(sum(1 for user in people if plain(chat, user)))
        await chat.tick(seconds=30)
    assert reached == [3, 6, 8, 8]
    assert all(len(plain(chat, user)) == 1 for user in people)


class Counting(Fixture):
    """The fixture, counting how often each meeting's answers are read, and running
    `during[id]` (soon) when a meeting's answers are read: a change made while a tick runs."""

    def __init__(self, yaml_text: str) -> None:
        super().__init__(yaml_text)
        self.reads: list[str] = []
        self.during: dict[str, object] = {}

    @hookimpl
    def attendees(self, event):
        self.reads.append(event.id)
        if (change := self.during.pop(event.id, None)) is not None:
            asyncio.get_running_loop().call_soon(change)
        return super().attendees(event)


async def same_morning(mingel_chat, meetings: int):
    """Meetings m1… at the same time, two people coming to each; the first tick's lead time
    reached."""
    yaml = "".join(f"""
  - id: m{n}
    networks: [am]
    title: Meeting {n}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    venue: f7
""" for n in range(1, meetings + 1))
    fixture = Counting(PROGRAMME.split("events:")[0] + "events:" + yaml)
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", fixture],
                             now=DAY_BEFORE, flood_control=False)
    people = {f"m{n}": (100 + 2 * n, 101 + 2 * n) for n in range(1, meetings + 1)}
    for event_id, pair in people.items():
        for user in pair:
            chat.user(user, f"P{user}", lang="en")
            await chat.send("/start", user)
            fixture.answer(event_id, user, "in_person")
    chat.clock.advance(minutes=30)
    return chat, fixture, people


async def test_a_tick_after_a_full_backlog_goes_on_where_it_stopped(mingel_chat,
                                                                   monkeypatch) -> None:
    """On a festival morning each tick that stopped at BACKLOG used to start again from the
    first meeting, reading every answer it had already queued: quadratic over a morning.
    Now the next tick looks only at the meetings not reached, and everyone gets one."""
    monkeypatch.setattr(reminders, "BACKLOG", 3)
    chat, fixture, people = await same_morning(mingel_chat, 6)
    reads = []
    for _ in range(6):
        fixture.reads.clear()
        await chat.assistant.tick()
        reads.append(list(fixture.reads))
        await chat.deliver()
        chat.clock.advance(seconds=30)
    assert all(len(plain(chat, user)) == 1 for pair in people.values() for user in pair)
    assert reads[:4] == [["m1", "m2"], ["m2", "m3", "m4"], ["m4", "m5"], ["m5", "m6"]]
    assert reads[4:] == [[], []]


async def test_someone_moved_up_while_a_tick_reads_the_meeting_still_gets_the_reminder(
        mingel_chat, monkeypatch) -> None:
    """The tick gives way between reminders; a change made then, to a meeting it has just
    read, is looked at by the next tick (the mark was erased at the end of the tick)."""
    monkeypatch.setattr(reminders, "BACKLOG", 3)
    chat, fixture, _people = await same_morning(mingel_chat, 3)
    chat.user(300, "Late", lang="en")
    await chat.send("/start", 300)
    await chat.assistant.tick()
    await chat.deliver()
    chat.clock.advance(seconds=30)
    m2 = fixture.current.event("m2")

    def moved_up() -> None:
        fixture.answer("m2", 300, "in_person")
        asyncio.ensure_future(chat.assistant.hooks.rsvp_changed(
            chat.context(), m2, 300, None, fixture.answers["m2", 300]))

    fixture.during["m2"] = moved_up
    await chat.assistant.tick()
    await chat.deliver()
    chat.clock.advance(seconds=30)
    await chat.tick()
    [reminder] = plain(chat, 300)
    assert "Meeting 2 starts in 1 day." in reminder


async def test_a_meeting_moved_while_a_tick_runs_is_not_reminded_at_its_old_time(
        mingel_chat) -> None:
    """A tick that finds the programme changed after giving way stops; the next one, with
    the new programme, reminds of the new time."""
    chat, fixture, people = await same_morning(mingel_chat, 3)

    def move_m3() -> None:
        before, after = fixture.change("m3", start=M1_START.replace(hour=12, minute=0),
                                       end=M1_START.replace(hour=14, minute=0))
        asyncio.ensure_future(chat.assistant.hooks.event_changed(
            chat.context(), before, after, ("start", "end")))

    old = f"reminders:m3:{schedule.stamp(fixture.current.event('m3'))}:"
    fixture.during["m2"] = move_m3
    await chat.assistant.tick()
    queued = [item["key"] for item in chat.assistant.outbox.table.all()]
    assert not [key for key in queued if key.startswith(old)], "the outbox could send them"
    await chat.deliver()
    assert [plain(chat, user) for user in people["m3"]] == [[], []]
    chat.clock.advance(hours=4, minutes=30)
    await chat.tick()
    for user in people["m3"]:
        [reminder] = plain(chat, user)
        assert "Meeting 3 starts in 1 day." in reminder and "12:00–14:00" in reminder


async def test_reminders_backing_off_after_failures_hold_nobody_elses_back(mingel_chat,
                                                                          monkeypatch) -> None:
    """Items retried after a Telegram error stay pending for up to 17 minutes: they must not
    fill the backlog, or nobody else's reminder would be queued meanwhile."""
    monkeypatch.setattr(reminders, "BACKLOG", 2)
    chat, fixture = await setup(mingel_chat)
    for user in (20, 21, 22):
        chat.user(user, f"P{user}")
        await chat.send("/start", user)
        fixture.answer("m1", user, "online")
    real = chat.outbox.send

    async def send(chat_id, reply):
        if chat_id in (20, 21):
            raise RuntimeError("Bad Gateway")
        await real(chat_id, reply)
    monkeypatch.setattr(chat.outbox, "send", send)
    await chat.tick(minutes=30)
    for _ in range(10):
        await chat.tick(seconds=30)
    assert len(plain(chat, 22)) == 1


NIGHT = """
timezone: Europe/Stockholm
networks:
  am: {name: {sv: Arbetsmarknadsnätverket, en: Labour-market network}}
events:
  - id: natt
    networks: [am]
    title: {sv: Nattmöte, en: The night meeting}
    start: 2027-03-28 03:30
    end: 2027-03-28 05:00
    online: {url: "https://zoom.us/j/789"}
"""


async def test_an_hour_before_is_an_hour_before_on_the_night_the_clocks_go_forward(
        mingel_chat) -> None:
    """The clocks jump from 02:00 to 03:00: the reminder an hour before a 03:30 start comes
    at 01:30, not at the start (02:30 does not exist that night)."""
    fixture = Fixture(NIGHT)
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", fixture],
                             now="2027-03-27T23:00:00+00:00", flood_control=False)
    chat.user(5, "Eva", lang="en")
    await chat.send("/start", 5)
    fixture.answer("natt", 5, "online", at=datetime.fromisoformat("2027-03-20T10:00:00+00:00"))
    await chat.tick()
    assert len(plain(chat, 5)) == 1, "the day-before reminder, late"
    chat.clock.set(datetime.fromisoformat("2027-03-28T00:25:00+00:00"))
    await chat.tick()
    assert len(plain(chat, 5)) == 1
    chat.clock.set(datetime.fromisoformat("2027-03-28T00:31:00+00:00"))
    await chat.tick()
    assert len(plain(chat, 5)) == 2
    assert "The night meeting starts in 1 hour." in plain(chat, 5)[-1]


async def test_a_day_before_is_the_same_time_the_day_before_when_the_clocks_go_back(
        mingel_chat) -> None:
    """The night before has 25 hours: the day-before reminder of a Sunday 09:30 meeting
    comes at 09:30 on Saturday and still says 1 day."""
    fixture = Fixture(PROGRAMME.replace("2027-09-02", "2027-10-31"))
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", fixture],
                             now="2027-10-30T07:00:00+00:00", flood_control=False)
    chat.user(5, "Eva", lang="en")
    await chat.send("/start", 5)
    fixture.answer("m1", 5, "in_person", at=datetime.fromisoformat("2027-10-20T10:00:00+00:00"))
    await chat.tick(minutes=29)
    assert plain(chat, 5) == []
    await chat.tick(minutes=2)
    [day_before] = plain(chat, 5)
    assert "The future labour market starts in 1 day." in day_before
    assert "Sunday, 31 October 2027, 09:30–12:30" in day_before


async def test_maybe_to_a_hybrid_meeting_learns_how_to_join_online_too(mingel_chat) -> None:
    """Someone who might come could come either way: the venue, and for the private link how
    to get it (QA 30, finding 4); a public link itself."""
    fixture = Fixture(PROGRAMME + """
  - id: m4
    networks: [edu]
    title: {sv: Hybriden, en: The hybrid}
    start: 2027-09-02 09:30
    end: 2027-09-02 11:00
    venue: f7
    online: {platform: Teams, url: "https://teams.example/m4"}
""")
    chat = await mingel_chat(["plugins.basics", "plugins.reminders", fixture], now=DAY_BEFORE,
                             flood_control=False)
    chat.user(5, "Eva", lang="en")
    chat.user(6, "Sven", lang="sv")
    for user in (5, 6):
        await chat.send("/start", user)
        fixture.answer("m1", user, "maybe")
    fixture.answer("m4", 5, "maybe")
    await chat.tick(minutes=30)
    await chat.tick(hours=23)
    sent = plain(chat, 5)
    private = [r for r in sent if "The future labour market" in r]
    public = [r for r in sent if "The hybrid" in r]
    assert len(private) == len(public) == 2
    for reminder in private:
        assert "📍 F7, Fleminggatan 7, Stockholm" in reminder
        assert "💻 To get the link to join online, answer Coming online." in reminder
        assert "zoom.us" not in reminder
    for reminder in public:
        assert "📍 F7, Fleminggatan 7, Stockholm" in reminder
        assert "💻 Join online: Teams (https://teams.example/m4)" in reminder
    assert "💻 Svara ”Deltar online” så får du länken för att delta." in plain(chat, 6)[0]


async def test_mydata_gives_reminder_times_as_iso_8601_durations(mingel_chat) -> None:
    """Not Python's "1:19:00" (QA 30, finding 9): days apart, as the bot counts them."""
    chat, _fixture = await setup(mingel_chat, "plugins.privacy")
    await chat.send("/reminders 1w,36h,24h,79m,1h", 5)
    [copy] = chat.documents(await chat.send("/mydata", 5))
    mine = json.loads(copy.content)["plugins"]["reminders"]
    assert mine == {"reminder_times": ["P1W", "P1DT12H", "P1D", "PT1H19M", "PT1H"], "off": False}
    await chat.send("/reminders off", 5)
    [copy] = chat.documents(await chat.send("/mydata", 5))
    assert json.loads(copy.content)["plugins"]["reminders"] == {"reminder_times": [], "off": True}
