"""End to end: a day typed where a command expects a meeting id (`/osa 2 sep`, `/event 2 sep`)
gets that day's meetings as the command's picker; before, "2" was read as the id and the
rest dropped ("I can't find a meeting with the id 2")."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock

ORGANISER, SVEN, EMMA = 1, 10, 11
NOW = "2027-09-01T07:00:00+00:00"


def festival_day(path: Path) -> Path:
    """Twelve meetings on Thursday 2 September 2027, one the day after, one invite-only."""
    lines = ["timezone: Europe/Stockholm", "venues: {hall: {name: Hall}}",
             "networks: {am: {name: {sv: Nätverket, en: The network}}}",
             "defaults: {networks: [am], venue: hall}", "events:"]
    for n in range(1, 13):
        lines += [f"  - id: d{n:02d}", f"    title: {{sv: Träff {n}, en: Meeting {n}}}",
                  f"    start: 2027-09-02 {7 + n:02d}:00", f"    end: 2027-09-02 {7 + n:02d}:45"]
    lines += ["  - id: next", "    title: {sv: Dagen efter, en: The day after}",
              "    start: 2027-09-03 09:00", "    end: 2027-09-03 10:00",
              "  - id: secret", "    title: {sv: Hemligt, en: Secret}", "    invite_only: true",
              "    start: 2027-09-02 20:00", "    end: 2027-09-02 21:00"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def start(telegram_bot, tmp_path: Path):
    return await telegram_bot(None, clock=FakeClock(NOW), env={
        "MINGEL_ORGANISERS": str(ORGANISER),
        "MINGEL_PROGRAMME": str(festival_day(tmp_path / "festival.yaml"))})


async def test_osa_and_a_day_offers_that_days_meetings_to_answer(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [picker] = await bot.say(SVEN, "/osa 2 sep", first_name="Sven", language_code="sv")
    assert picker.plain_text == "Torsdag 2 september 2027\nVilken träff vill du svara på?"
    assert picker.buttons == [f"tors 2 sep. {7 + n:02d}:00 · Träff {n}" for n in range(1, 11)] \
        + ["Visa fler"]
    [more] = await bot.tap(SVEN, picker.message_id, "Visa fler")
    assert more.buttons == ["tors 2 sep. 18:00 · Träff 11", "tors 2 sep. 19:00 · Träff 12",
                            "‹ Tidigare"]
    [card] = await bot.tap(SVEN, picker.message_id, more.buttons[1])
    assert card.plain_text.startswith("Träff 12")
    [attendees] = await bot.say(ORGANISER, "/deltagare fredag", language_code="sv")
    assert attendees.plain_text == ("Fredag 3 september 2027\nVilken träff vill du se "
                                    "deltagarlistan för?")
    assert attendees.buttons == ["fre 3 sep. 09:00 · Dagen efter"]
    [nothing] = await bot.say(SVEN, "/osa 2")
    assert nothing.plain_text.startswith("Jag hittar ingen träff med id:t 2.")


async def test_event_and_a_day_offers_that_days_cards_and_hides_what_is_hidden(
        telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [picker] = await bot.say(EMMA, "/event friday", first_name="Emma", language_code="en")
    assert picker.plain_text == ("Friday, 3 September 2027\nWhich meeting? Pick one, or see "
                                 "them all in /programme.")
    assert picker.buttons == ["Fri 3 Sept 09:00 · The day after"]
    [thursday] = await bot.say(EMMA, "/event 2 sep")
    [more] = await bot.tap(EMMA, thursday.message_id, "Show more")
    assert more.buttons == ["Thu 2 Sept 18:00 · Meeting 11", "Thu 2 Sept 19:00 · Meeting 12",
                            "‹ Earlier"]
    [organiser] = await bot.say(ORGANISER, "/attendees 2 sep", language_code="en")
    [later] = await bot.tap(ORGANISER, organiser.message_id, "Show more")
    assert later.buttons[-2:] == ["Thu 2 Sept 20:00 · Secret", "‹ Earlier"]
    assert organiser.plain_text.startswith("Thursday, 2 September 2027\n")


async def test_a_day_that_does_not_exist_is_named_as_such(telegram_bot, tmp_path) -> None:
    bot = await start(telegram_bot, tmp_path)
    [answer] = await bot.say(SVEN, "/event 31/4", first_name="Sven", language_code="sv")
    assert answer.plain_text == "Det finns ingen 31 april."
    [answer] = await bot.say(SVEN, "/program 30 februari")
    assert answer.plain_text == "Det finns ingen 30 februari."
    [answer] = await bot.say(EMMA, "/calendar 31 april", first_name="Emma", language_code="en")
    assert answer.plain_text == "There is no 31 April."
