"""The mingle plugin, tested with Mingel's chat harness (no Telegram, no network) and end to
end: the real python-telegram-bot Application against Mingel's Bot API stub on 127.0.0.1
(the fixture `telegram_bot`).

The meetings come from the built-in programme plugin reading the YAML below, the answers
from the built-in rsvp plugin, /privacy, /mydata and /forget from the privacy plugin: the
plugin meets them only through hooks, as in production.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import mingel_mingle
import pytest

from assistant.clock import FakeClock
from assistant.testing import ChatHarness, untranslated

ANNA, BO, CARL, DORA = 10, 11, 12, 13
PLUGINS = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.privacy",
           mingel_mingle]
PROGRAMME = """
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  arbetsmarknad: {name: {sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}}
defaults:
  networks: [arbetsmarknad]
  venue: f7
events:
  - id: am-09-02
    title: {sv: Arbetsmarknaden efter corona, en: The labour market after corona}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    online: {platform: Zoom, url: "https://zoom.us/j/61234567890"}
  - id: am-10-07
    title: {sv: Unga utan jobb, en: Young and out of work}
    start: 2027-10-07 09:30
    end: 2027-10-07 12:00
  - id: am-09-09
    title: {sv: Inställd träff, en: Called-off meeting}
    start: 2027-09-09 09:30
    end: 2027-09-09 12:30
    cancelled: true
"""
ANNAS_LINE = "Economist at X, working on <youth> unemployment"


@pytest.fixture
def programme(tmp_path: Path) -> str:
    """The test's programme file."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return str(path)


async def mingle_chat(mingel_chat, programme: str, **env: str) -> ChatHarness:
    """Anna (en) and Bo (sv) come to am-09-02, Anna also to am-10-07; Carl (en) and Dora (sv)
    answered nothing."""
    chat = await mingel_chat(PLUGINS, env={"MINGEL_PROGRAMME": programme, **env},
                             flood_control=False)
    for user, name, lang in ((ANNA, "Anna", "en"), (BO, "Bo", "sv"), (CARL, "Carl", "en"),
                             (DORA, "Dora", "sv")):
        chat.user(user, name, lang=lang)
    await answer(chat, ANNA, "am-09-02", "Coming in person")
    await answer(chat, ANNA, "am-10-07", "Coming in person")
    await answer(chat, BO, "am-09-02", "Deltar online")
    return chat


async def answer(chat: ChatHarness, user: int, event_id: str, label: str) -> None:
    """The user answers on the meeting's card, as they would."""
    await chat.send(f"/rsvp {event_id}", user)
    await chat.press(label, user)


async def test_opting_in_shows_the_others_coming_who_did(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    saved, listing = await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    assert chat.text([saved]) == ("Saved. Only others coming who introduced themselves see your "
                                  "line; /mingle am-09-02 off withdraws it.")
    assert chat.text([listing]) == (
        "Mingle at The labour market after corona\n"
        "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)\n\n"
        f"Your line: {ANNAS_LINE}\n\n"
        "Nobody else coming has introduced themselves yet. Look again closer to the meeting.")
    assert chat.buttons([listing]) == ["Change my line", "Withdraw"]

    [asked] = await chat.send("/mingla am-09-02", BO)
    assert "Presentera dig på en rad med högst 140 tecken" in chat.text([asked])
    _, listing = await chat.send("Planerare   på\nBoverket", BO)
    assert chat.text([listing]).splitlines()[-2:] == [
        "1 annan som kommer har presenterat sig:", f"• Anna – {ANNAS_LINE}"]
    assert "&lt;youth&gt;" in listing.text and "<youth>" not in listing.text

    [listing] = await chat.send("/mingle am-09-02", ANNA)
    assert chat.text([listing]).splitlines()[-2:] == [
        "1 other person coming has introduced themselves:", "• Bo – Planerare på Boverket"]


async def test_only_people_coming_who_opted_in_see_anything(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    [refused] = await chat.send("/mingle am-09-02", CARL)
    assert chat.text([refused]) == ("Mingle is for people coming to The labour market after "
                                    "corona. Answer first with /rsvp am-09-02, then send "
                                    "/mingle am-09-02 again.")
    [refused] = await chat.send("/mingle am-09-02 Spy at Y", CARL)
    assert "Answer first with /rsvp am-09-02" in chat.text([refused])
    assert [d["user"] for d in chat.table("mingle", "intros")] == [ANNA]
    [asked] = await chat.send("/mingle am-09-02", BO)
    assert ANNAS_LINE not in chat.text([asked]), "coming, but not opted in: no list"

    await chat.send("/mingle am-09-02 Planerare på Boverket", BO)
    await answer(chat, BO, "am-09-02", "Kan inte komma")
    assert [d["user"] for d in chat.table("mingle", "intros")] == [ANNA], "can't come: deleted"
    [listing] = await chat.send("/mingle am-09-02", ANNA)
    assert "Nobody else coming" in chat.text([listing])


async def test_a_maybe_is_not_coming(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    await chat.send("/mingle am-09-02 Planerare på Boverket", BO)
    await answer(chat, BO, "am-09-02", "Kanske")
    replies = await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    assert "Nobody else coming" in chat.text(replies) and "Boverket" not in chat.text(replies)
    [refused] = await chat.send("/mingle am-09-02", BO)
    assert chat.text([refused]).startswith("Minglet är till för dem som kommer till ")


async def test_a_cancelled_meeting_has_no_mingle_in_either_language(mingel_chat,
                                                                    programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    [en] = await chat.send("/mingle am-09-09", CARL)
    assert chat.text([en]) == "Called-off meeting is cancelled, so there is nobody to mingle with."
    [sv] = await chat.send("/mingla am-09-09 Hej", DORA)
    assert chat.text([sv]) == "Inställd träff är inställd, så det finns ingen att mingla med."
    assert chat.table("mingle", "intros") == []


async def test_an_unknown_id_gets_a_friendly_answer_in_both_languages(mingel_chat,
                                                                      programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    [en] = await chat.send("/mingle nope", CARL)
    assert chat.text([en]) == ("I can't find a meeting with the id nope. "
                               "Send /programme to see the meetings.")
    [sv] = await chat.send("/mingla nope", DORA)
    assert chat.text([sv]) == ("Jag hittar ingen träff med id:t nope. "
                               "Skicka /programme för att se träffarna.")


async def test_withdrawing_deletes_the_line(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    [done] = await chat.send("/mingle am-09-02 off", ANNA)
    assert chat.text([done]) == ("Your line at The labour market after corona was deleted; "
                                 "you no longer see the others'.")
    assert chat.table("mingle", "intros") == []
    await chat.send("/mingla am-09-02 Planerare på Boverket", BO)
    [done] = await chat.press("Dra tillbaka", BO)
    assert done.edit and chat.text([done]).startswith("Din rad på Arbetsmarknaden efter corona")
    [again] = await chat.send("/mingla am-09-02 av", BO)
    assert chat.text([again]) == "Du har ingen presentation på Arbetsmarknaden efter corona."


async def test_a_line_too_long_is_asked_for_again(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme, MINGEL_MINGLE_MAX_LENGTH="30")
    [asked] = await chat.send("/mingle am-09-02", ANNA)
    assert "one line of at most 30 characters" in chat.text([asked])
    [again] = await chat.send("x" * 31, ANNA)
    assert chat.text([again]) == ("Please write your introduction in one line of at most 30 "
                                  "characters (this one has 31).")
    saved, _ = await chat.send("x" * 30, ANNA)
    assert chat.text([saved]).startswith("Saved.")
    [change] = await chat.press("Change my line", ANNA)
    assert "at most 30 characters" in chat.text([change])
    await chat.send("Economist", ANNA)
    assert [d["line"] for d in chat.table("mingle", "intros")] == ["Economist"]


def test_a_bad_setting_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="from 20 to 1000"):
        mingel_mingle.parse_length("five")
    with pytest.raises(ValueError, match="from 20 to 1000"):
        mingel_mingle.parse_length("5000")
    assert mingel_mingle.parse_length(" 200 ") == 200


async def test_without_an_id_the_users_own_meetings_are_buttons(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    [picker] = await chat.send("/mingle", ANNA)
    assert chat.text([picker]) == "At which meeting would you like to mingle?"
    assert chat.buttons([picker]) == ["✓ Thu 2 Sept 09:30 · The labour market after corona",
                                      "✓ Thu 7 Oct 09:30 · Young and out of work"]
    [asked] = await chat.press("Young and out of work", ANNA)
    assert asked.edit and "Introduce yourself in one line" in chat.text([asked])
    await chat.send("Economist", ANNA)
    assert [d["event"] for d in chat.table("mingle", "intros")] == ["am-10-07"]
    [picker] = await chat.send("/mingla", BO)
    assert chat.buttons([picker]) == ["✓ tors 2 sep. 09:30 · Arbetsmarknaden efter corona"]
    [none] = await chat.send("/mingle", CARL)
    assert chat.text([none]).startswith("You are not coming to any upcoming meeting.")


async def test_forged_and_stale_buttons_change_nothing(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    [reply] = await chat.press_data("mingle:show:am-nope", CARL)
    assert chat.text([reply]).startswith("I can't find a meeting with the id am-nope.")
    [reply] = await chat.press_data("mingle:show:am-09-02", CARL)
    assert "Answer first with /rsvp am-09-02" in chat.text([reply])
    assert ANNAS_LINE not in chat.text([reply])
    await chat.press_data("mingle:off:am-09-02", CARL)
    assert chat.toasts[CARL] == "You have no introduction at The labour market after corona."
    await chat.press_data("mingle:line", CARL)
    assert chat.toasts[CARL] == "This button no longer works."
    await chat.press_data("mingle:change:am-09-09", BO)
    assert chat.toasts[BO] == "Inställd träff är inställd, så det finns ingen att mingla med."
    assert [d["user"] for d in chat.table("mingle", "intros")] == [ANNA]


async def test_lines_are_deleted_some_days_after_the_meeting(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme, MINGEL_MINGLE_KEEP="3d")
    await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    await chat.send("/mingle am-10-07 Economist", ANNA)
    chat.clock.set("2027-09-05T10:29:00+00:00")      # the meeting ended 10:30 UTC on the 2nd
    await chat.tick()
    assert len(chat.table("mingle", "intros")) == 2
    [listing] = await chat.send("/mingle am-09-02", ANNA)
    assert ANNAS_LINE in chat.text([listing]), "still there just after the meeting"
    await chat.tick(minutes=1)
    assert [d["event"] for d in chat.table("mingle", "intros")] == ["am-10-07"]
    [privacy] = await chat.send("/privacy", ANNA)
    assert "deleted when you withdraw it or answer that you can't come, 3 days after the " \
           "meeting, and by /forget" in chat.text([privacy])


async def test_mydata_shows_and_forget_deletes_the_lines(mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    await chat.send("/mingla am-09-02 Planerare på Boverket", BO)
    [privacy] = await chat.send("/privacy", BO)
    assert "Minglet: presentationen på en rad" in chat.text([privacy])
    assert "7 dagar efter träffen" in chat.text([privacy])
    ctx = chat.context("mingle", BO)
    [mine] = chat.assistant.hooks.user_data(ctx, BO)["mingle"]
    assert mine["event"] == "am-09-02" and mine["line"] == "Planerare på Boverket"
    assert mine["title"] == "Arbetsmarknaden efter corona"
    replies = await chat.send("/mydata", BO)
    [data] = chat.documents(replies)
    assert json.loads(data.content)["plugins"]["mingle"][0]["line"] == "Planerare på Boverket"
    await mingel_mingle.forget_user(ctx, ANNA)
    assert len(chat.table("mingle", "intros")) == 1, "only the person's own lines"
    await mingel_mingle.forget_user(ctx, BO)
    assert chat.table("mingle", "intros") == []


async def test_a_removed_meeting_takes_its_lines_and_a_moved_one_keeps_them(
        mingel_chat, programme) -> None:
    chat = await mingle_chat(mingel_chat, programme)
    await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    await chat.send("/mingle am-10-07 Economist", ANNA)
    ctx = chat.context("mingle")
    programme_now = ctx.programme
    moved = programme_now.event("am-10-07")
    later = moved.end.replace(hour=15).astimezone(moved.end_utc.tzinfo)
    await chat.assistant.hooks.event_changed(ctx, moved, replace(moved, end=later), ("time",))
    await chat.assistant.hooks.event_changed(ctx, programme_now.event("am-09-02"), None, ())
    [doc] = chat.table("mingle", "intros")
    assert doc["event"] == "am-10-07" and doc["ended"] == later.isoformat()


def count_reads(chat: ChatHarness) -> list[int]:
    """Every tick's read of the lines' ends (`values`), counted: one per sweep."""
    table, reads = chat.assistant.store.table("mingle_intros"), []
    values = table.values

    def counted(*args, **kwargs):
        reads.append(1)
        return values(*args, **kwargs)

    table.values = counted
    return reads


async def test_a_tick_reads_no_line_until_the_earliest_is_due(mingel_chat, programme) -> None:
    """At a festival every 30-s tick read every line's end to find nothing to delete (54 ms
    for 20,000 lines); now the tick remembers the earliest end and reads nothing until it is
    due, also while people save lines, and then deletes exactly the lines due."""
    chat = await mingle_chat(mingel_chat, programme, MINGEL_MINGLE_KEEP="3d")
    await chat.send("/mingle am-10-07 Economist", ANNA)
    reads = count_reads(chat)
    await chat.tick()
    assert len(reads) == 1, "the first tick looks"
    await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)  # ends before the one it knew
    await chat.send("/mingla am-09-02 Planerare på Boverket", BO)
    await chat.send("/mingla am-09-02 off", BO)
    await chat.send("/mingla am-09-02 Planerare på Boverket", BO)
    for minutes in (1, 60 * 24, 60 * 24 * 4):
        await chat.tick(minutes=minutes)
    assert len(reads) == 1, "saves and a withdrawal told the tick what they changed"
    chat.clock.set("2027-09-05T10:29:00+00:00")  # am-09-02 ended 10:30 UTC on the 2nd
    await chat.tick()
    assert len(reads) == 1 and len(chat.table("mingle", "intros")) == 3
    await chat.tick(minutes=1)
    assert len(reads) == 2
    assert [d["event"] for d in chat.table("mingle", "intros")] == ["am-10-07"]
    await chat.tick(minutes=1)
    assert len(reads) == 2, "the next one due is am-10-07's"


async def test_a_meeting_moved_earlier_loses_its_lines_after_its_new_end(
        mingel_chat, programme) -> None:
    """The tick had remembered 7 October; the meeting now ends on 3 September, and its line
    goes three days after that."""
    chat = await mingle_chat(mingel_chat, programme, MINGEL_MINGLE_KEEP="3d")
    await chat.send("/mingle am-10-07 Economist", ANNA)
    await chat.tick()
    ctx = chat.context("mingle")
    moved = ctx.programme.event("am-10-07")
    earlier = replace(moved, start=moved.start.replace(month=9, day=3),
                      end=moved.end.replace(month=9, day=3))
    await chat.assistant.hooks.event_changed(ctx, moved, earlier, ("time",))
    chat.clock.set("2027-09-06T09:59:00+00:00")  # it now ends 10:00 UTC on the 3rd
    await chat.tick()
    assert len(chat.table("mingle", "intros")) == 1
    await chat.tick(minutes=1)
    assert chat.table("mingle", "intros") == []


async def test_after_a_restart_the_lines_still_go_when_due(mingel_chat, programme,
                                                          tmp_path: Path) -> None:
    """What the tick remembered is not stored: the first tick after a start looks again."""
    chat = await mingel_chat(PLUGINS, env={"MINGEL_PROGRAMME": programme,
                                           "MINGEL_MINGLE_KEEP": "3d"},
                             flood_control=False, data_dir=tmp_path / "data")
    chat.user(ANNA, "Anna", lang="en")
    await answer(chat, ANNA, "am-09-02", "Coming in person")
    await chat.send(f"/mingle am-09-02 {ANNAS_LINE}", ANNA)
    await chat.tick()
    await chat.restart()
    chat.clock.set("2027-09-05T10:31:00+00:00")
    await chat.tick()
    assert chat.table("mingle", "intros") == []


def test_every_string_has_a_swedish_translation() -> None:
    assert untranslated(mingel_mingle, "sv") == []


async def test_through_telegram(telegram_bot, tmp_path, programme) -> None:
    """Opting in, the list, a forged button and an unknown id, as Telegram users see them."""
    bot = await telegram_bot(PLUGINS, env={"MINGEL_PROGRAMME": programme},
                             clock=FakeClock("2027-08-01T08:00:00+00:00"))
    for user, name, lang, label in ((ANNA, "Anna", "en", "Coming in person"),
                                    (BO, "Bo", "sv", "Deltar online")):
        [card] = await bot.say(user, "/rsvp am-09-02", first_name=name, language_code=lang)
        await bot.tap(user, card.message_id, label)
    [picker] = await bot.say(ANNA, "/mingle")
    assert picker.buttons == ["✓ Thu 2 Sept 09:30 · The labour market after corona"]
    [asked] = await bot.tap(ANNA, picker.message_id, "The labour market after corona")
    assert asked.method == "editMessageText"
    assert "Introduce yourself in one line of at most 140 characters" in asked.plain_text
    [saved, listing] = await bot.say(ANNA, ANNAS_LINE, count=2)
    assert saved.plain_text.startswith("Saved.")
    assert listing.buttons == ["Change my line", "Withdraw"]
    [_, listing] = await bot.say(BO, "/mingla am-09-02 Planerare på <Boverket>", count=2)
    assert listing.plain_text.splitlines()[-1] == f"• Anna – {ANNAS_LINE}"

    await bot.stub.press(BO, listing.message_id, "mingle:off:am-nope", check=False)
    [forged] = await bot.stub.wait_sent(BO)
    assert forged.plain_text == ("Jag hittar ingen träff med id:t am-nope. "
                                 "Skicka /programme för att se träffarna.")
    assert [d["user"] for d in bot.assistant.store.table("mingle_intros").all()] == [ANNA, BO]
    [unknown] = await bot.say(ANNA, "/mingle am-nope")
    assert unknown.plain_text == ("I can't find a meeting with the id am-nope. "
                                  "Send /programme to see the meetings.")
    [unknown] = await bot.say(BO, "/mingla am-nope")
    assert unknown.plain_text.startswith("Jag hittar ingen träff med id:t am-nope.")
    [done] = await bot.tap(BO, listing.message_id, "Dra tillbaka")
    assert done.method == "editMessageText"
    assert done.plain_text.startswith("Din rad på Arbetsmarknaden efter corona")
