"""End to end through the real PTB bot and the Bot API stub: a participant whose seat a cut
takes gets the file that removes the meeting from their calendar, and the file that puts it
back when the seat is theirs again."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_calendar import events_of, validate
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME, ProgrammeStub

EMMA, OLLE = 2, 3
CUT = PROGRAMME.replace("capacity: 2", "capacity: 1")


def sequence(data: bytes) -> tuple[str, str, int]:
    """A file's METHOD, and the hybrid meeting's UID and SEQUENCE."""
    cal = validate(data)
    event = events_of(cal)["hybrid"]
    return str(cal["METHOD"]), str(event["UID"]), int(event["SEQUENCE"])


async def test_a_seat_cut_sends_the_demoted_the_file_that_removes_the_meeting(
        telegram_bot) -> None:
    programme = ProgrammeStub()
    bot = await telegram_bot(["plugins.basics", programme, "plugins.rsvp", "plugins.calendar"],
                             clock=FakeClock(NOW), env={"MINGEL_ORGANISERS": str(ORGANISER)})
    files = {}
    for user, lang, label in ((EMMA, "en", "Coming in person"), (OLLE, "sv", "Kommer på plats")):
        [card] = await bot.say(user, "/rsvp hybrid", language_code=lang)
        _edited, files[user] = await bot.tap(user, card.message_id, label, count=2)
    _, uid, first = sequence(files[OLLE].document_bytes)

    told = len(bot.stub.messages_to(OLLE))
    await programme.change(bot.assistant, CUT)
    await bot.outbox()
    demoted, removal = await bot.stub.wait_sent(OLLE, 2, since=told)
    assert "står du nu på väntelistan, plats 1" in demoted.plain_text
    assert (removal.method, removal.document_name) == ("sendDocument", "hybrid.ics")
    assert removal.caption == ("Du står på väntelistan. Om träffen finns i din kalender öppnar du "
                               "filen för att ta bort den; jag skickar en ny så fort du har fått "
                               "en plats.")
    method, same, removed = sequence(removal.document_bytes)
    assert (method, same) == ("CANCEL", uid) and removed > first
    assert b"STATUS:CANCELLED" in removal.document_bytes

    told = len(bot.stub.messages_to(OLLE))
    [card] = await bot.say(EMMA, "/rsvp hybrid", language_code="en")
    _edited, gone = await bot.tap(EMMA, card.message_id, "Can't come", count=2)
    assert gone.method == "sendDocument"
    assert sequence(gone.document_bytes)[0] == "CANCEL"
    assert sequence(gone.document_bytes)[2] > sequence(files[EMMA].document_bytes)[2]
    await bot.outbox()
    promoted, back = await bot.stub.wait_sent(OLLE, 2, since=told)
    assert promoted.plain_text.startswith("Goda nyheter!")
    method, same, restored = sequence(back.document_bytes)
    assert (method, same) == ("PUBLISH", uid) and restored > removed
