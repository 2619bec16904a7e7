"""End to end through PTB and the Bot API stub: the /reload preview says under each changed,
cancelled or removed meeting how many of its participants will be told (or that nobody is),
and under an added invite-only meeting that only the people invited see it, in the
organiser's language: an organiser who cancels a meeting knows whether anyone hears of it."""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_gathering_moves import GATHERING
from tests.test_rsvp_support import ORGANISER

DORA, EVA = 24, 26
SECRET = """\
  - id: secret
    title: {sv: Rundabord, en: Roundtable}
    start: 2027-10-14 09:30
    end: 2027-10-14 11:00
    invite_only: true
"""
EDITED = (GATHERING.replace("    online_capacity: 1\n", "    online_capacity: 1\n    cancelled: true\n")
          .replace("en: Autumn days}", "en: Autumn days (new title)}") + SECRET)


def lines_under(text: str, meeting: str) -> list[str]:
    """The indented lines under the preview's line of one meeting."""
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if f"({meeting})" in line)
    below = []
    for line in lines[at + 1:]:
        if not line.startswith("    "):
            break
        below.append(line.strip())
    return below


async def test_the_preview_says_per_meeting_who_is_told(telegram_bot, tmp_path) -> None:
    bot, path, _ = await organised(telegram_bot, tmp_path, GATHERING)
    for user in (DORA, EVA):
        [card] = await bot.say(user, "/rsvp web", language_code="en")
        await bot.tap(user, card.message_id, "Coming online")
    preview = await reload(bot, path, EDITED)
    text = preview.plain_text
    assert lines_under(text, "web") == ["✉️ 2 participants of it will be told."]
    assert lines_under(text, "days") == ["Title (en): Autumn days → Autumn days (new title)",
                                         "✉️ Nobody is told of it."]
    assert lines_under(text, "secret") == [
        ("🔒 By invitation only: not listed, so only the people you invite (/invite secret) "
        "see it.")]
    assert text.splitlines()[-1] == ("Confirm to put it in use. 2 participants of the changed "
                                     "meetings will be told.")

    [swedish] = await bot.say(ORGANISER, "/läsom", language_code="sv")
    assert lines_under(swedish.plain_text, "web") == ["✉️ 2 deltagare på den får besked."]
    assert lines_under(swedish.plain_text, "days")[-1] == "✉️ Ingen får besked om den."
    assert lines_under(swedish.plain_text, "secret") == [
        ("🔒 Endast för inbjudna: den syns inte i programmet, bara de du bjuder in (/invite "
        "secret) ser den.")]
