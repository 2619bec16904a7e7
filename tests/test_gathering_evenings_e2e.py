"""End to end: a gathering of evenings through the real PTB Application and the Bot API stub."""
from __future__ import annotations

from pathlib import Path

from assistant.clock import FakeClock
from tests.test_calendar import events_of, validate
from tests.test_gathering_days import occurrences
from tests.test_gathering_evenings import EMMA, NOW, ORG, PLUGINS, PROGRAMME, SVEN


async def test_the_card_has_two_evenings_and_saturday_takes_saturdays_seat_only(
        telegram_bot, tmp_path: Path) -> None:
    """Friday 18:00 to Sunday 02:00 with one seat: Sven chooses Saturday evening; Emma still
    has Friday's seat, and the calendar file repeats nothing but Saturday 18:00–02:00."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    bot = await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    [card] = await bot.say(SVEN, "/rsvp fest", first_name="Sven", language_code="sv")
    assert "fredag 15 – lördag 16 oktober 2027 kl. 18:00–02:00 varje kväll (2 kvällar)" \
        in card.plain_text
    edited, _ics = await bot.tap(SVEN, card.message_id, "Kommer på plats", count=2)
    assert [b for b in edited.buttons if b[:1] in "☐☑"] == ["☑ fre 15 okt.", "☑ lör 16 okt."]
    edited, ics = await bot.tap(SVEN, card.message_id, "☑ fre 15 okt.", count=2)
    assert "Dina dagar: lör 16 okt." in edited.plain_text
    event = events_of(validate(ics.document_bytes))["fest"]
    assert [(s.day, s.hour, e.day, e.hour) for s, e in occurrences(event)] == [(16, 18, 17, 2)]

    [card] = await bot.say(EMMA, "/rsvp fest", first_name="Emma", language_code="en")
    assert "Fri 15 Oct: 1 of 1 seat left, Sat 16 Oct: fully booked" in card.plain_text
    [edited] = await bot.tap(EMMA, card.message_id, "Coming in person")
    assert "waiting list, place 1" in edited.plain_text
    edited, seated, ics = await bot.tap(EMMA, card.message_id, "☑ Sat 16 Oct", count=3)
    assert seated.plain_text == "You have a seat at Evening festival now, for Fri 15 Oct."
    assert "Your answer: Coming in person" in edited.plain_text
    assert "waiting list" not in edited.plain_text
    event = events_of(validate(ics.document_bytes))["fest"]
    assert [(s.day, s.hour, e.day, e.hour) for s, e in occurrences(event)] == [(15, 18, 16, 2)]
    listing, _csv = await bot.say(ORG, "/attendees fest", count=2, first_name="Olle",
                                  language_code="en")
    lines = listing.plain_text.splitlines()
    assert "Fri 15 Oct – In person: 1" in lines and "Sat 16 Oct – In person: 1" in lines
