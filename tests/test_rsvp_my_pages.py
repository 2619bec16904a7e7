"""/my at festival size: every answered meeting is a tap away, a page at a time, dated."""
from __future__ import annotations

from assistant.flood import FloodControl
from tests.test_rsvp_support import NOW, ORGANISER, ProgrammeStub, plugins

HEAD = """\
timezone: Europe/Stockholm
venues:
  s1: {name: Scen 1}
networks:
  k: {name: {sv: Klimat, en: Climate}}
defaults:
  networks: [k]
  venue: s1
events:
"""
FESTIVAL = HEAD + "".join(
    f"  - id: m{n:02d}\n    title: {{sv: Seminarium {n}, en: Seminar {n}}}\n"
    f"    start: 2027-09-{6 + n // 8:02d} {8 + n % 8:02d}:00\n"
    f"    end: 2027-09-{6 + n // 8:02d} {8 + n % 8:02d}:45\n" for n in range(1, 16))
"""Fifteen meetings, eight a day (from 09:00 on Monday) 6 September 2027."""


async def answered(mingel_chat, user_id, lang, answer):
    chat = await mingel_chat(plugins(ProgrammeStub(FESTIVAL)), organisers=[ORGANISER], now=NOW)
    chat.assistant.flood = FloodControl(burst=10**9)
    user = chat.user(user_id, "Sanna", lang=lang)
    for n in range(1, 16):
        await chat.send(f"/rsvp m{n:02d}", user)
        await chat.press(answer if n != 13 else ("Kan inte komma" if lang == "sv"
                                                  else "Can't come"), user)
    return chat, user


async def test_my_pages_through_every_meeting_with_dated_buttons_in_swedish(mingel_chat) -> None:
    chat, sanna = await answered(mingel_chat, 1001, "sv", "Kanske")
    first = await chat.send("/my", sanna)
    assert chat.text(first).startswith("Dina träffar (1–10 av 15)")
    assert chat.buttons(first)[0] == "mån 6 sep. 09:00 · Seminarium 1"
    assert chat.buttons(first)[-1] == "Senare ›" and len(chat.buttons(first)) == 11
    second = await chat.press("Senare ›", sanna)
    assert second[0].edit and chat.text(second).startswith("Dina träffar (11–15 av 15)")
    assert "tis 7 sep. 15:00 · Seminarium 15" in chat.buttons(second)
    assert "tis 7 sep. 13:00 · Seminarium 13" in chat.buttons(second)  # can't come: still a tap
    assert chat.buttons(second)[-1] == "‹ Tidigare"
    card = await chat.press("Seminarium 15", sanna)
    assert "Ditt svar: Kanske" in chat.text(card)


async def test_my_in_english_reaches_the_last_meeting(mingel_chat) -> None:
    chat, sam = await answered(mingel_chat, 2, "en", "Coming in person")
    replies = await chat.send("/my", sam)
    assert chat.text(replies).startswith("Your meetings (1–10 of 15)")
    assert chat.buttons(replies)[1] == "Mon 6 Sept 10:00 · Seminar 2"
    replies = await chat.press("Later ›", sam)
    assert "Tue 7 Sept 15:00 · Seminar 15" in chat.buttons(replies)
    assert "You said you can't come to these." in chat.text(replies)
    replies = await chat.press("‹ Earlier", sam)
    assert chat.text(replies).startswith("Your meetings (1–10 of 15)")


async def test_a_title_that_asks_a_question_is_not_followed_by_a_colon(mingel_chat) -> None:
    """"Seminar 1 – what now?: Maybe" read badly in /my."""
    asking = FESTIVAL.replace("{sv: Seminarium 1, en: Seminar 1}",
                              "{sv: Vad nu?, en: What now?}")
    chat = await mingel_chat(plugins(ProgrammeStub(asking)), organisers=[ORGANISER], now=NOW)
    sam = chat.user(7, "Sam", lang="en")
    for n in (1, 2):
        await chat.send(f"/rsvp m{n:02d}", sam)
        await chat.press("Maybe", sam)
    lines = chat.text(await chat.send("/my", sam)).splitlines()
    assert "• Mon 6 Sept 09:00 – What now? Maybe" in lines
    assert "• Mon 6 Sept 10:00 – Seminar 2: Maybe" in lines


async def test_a_forged_page_number_shows_the_first_page(mingel_chat) -> None:
    """"²" is a digit to str.isdigit but no number to int(): the first page, no apology."""
    chat, sanna = await answered(mingel_chat, 1001, "sv", "Kanske")
    for forged in ("²", "9" * 40, "-5"):
        page = await chat.press_data(f"rsvp:my:{forged}", sanna)
        assert chat.text(page).startswith("Dina träffar (1–10 av 15)"), forged
