"""A day's programme, a network's, and /next with the user's own meetings (harness)."""
from __future__ import annotations

import types
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assistant import hookimpl
from assistant.model import Attendance

PLUGINS = ["plugins.basics", "plugins.programme"]
SVEN, EMMA = 10, 11
MONDAY, TUESDAY = "2027-06-28", "2027-06-29"


def festival(path: Path) -> Path:
    """Two networks over three days: 2 meetings on Monday, 2 on Tuesday, 30 on Wednesday
    (at 08:00, 08:00, 08:30, 08:30 …, alternating networks, listed in file order backwards)."""
    lines = ["timezone: Europe/Stockholm", "venues: {hall: {name: Hall}}",
             "defaults: {venue: hall}", "networks:",
             "  klimat: {name: {sv: Klimatnätverket, en: Climate network}}",
             "  vard: {name: {sv: Vårdnätverket, en: Care network}}", "events:"]
    meetings = [("mon1", "klimat", f"{MONDAY} 09:00"), ("mon2", "vard", f"{MONDAY} 10:00"),
                ("tue1", "vard", f"{TUESDAY} 09:00"), ("tue2", "klimat", f"{TUESDAY} 13:00")]
    meetings += [(f"wed{n:02d}", "klimat" if n % 2 else "vard",
                  f"2027-06-30 {8 + n // 4:02d}:{n // 2 % 2 * 30:02d}") for n in range(30)]
    for id_, network, start in reversed(meetings):
        lines += [f"  - id: {id_}", f"    networks: [{network}]",
                  f"    title: {{sv: Samtal {id_}, en: Talk {id_}}}",
                  f"    start: {start}", f"    end: {start[:11]}{int(start[11:13]) + 1:02d}:00"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def start(mingel_chat, tmp_path: Path):
    async def make(*extra, now: str = "2027-06-01T08:00:00+00:00"):
        chat = await mingel_chat([*PLUGINS, *extra], now=now, env={
            "MINGEL_PROGRAMME": str(festival(tmp_path / "festival.yaml"))})
        chat.user(SVEN, "Sven", lang="sv")
        chat.user(EMMA, "Emma", lang="en")
        return chat
    return make


def meetings(text: str) -> list[str]:
    return [line for line in text.splitlines() if "Samtal " in line or "Talk " in line]


async def test_a_weekday_lists_that_days_meetings_of_every_network_in_time_order(start) -> None:
    chat = await start()
    replies = await chat.send("/programme onsdag", SVEN)
    text = chat.text(replies)
    assert text.splitlines()[0] == "Onsdag 30 juni 2027"
    lines = meetings(text)
    assert len(lines) == 25 and lines[0] == "ons 30 juni 08:00 · Samtal wed00"
    assert lines[2] == "ons 30 juni 08:30 · Samtal wed02"
    assert "Träffarna 1–25 av 30." in text
    assert chat.buttons(replies)[0] == "ons 30 juni 08:00 · Samtal wed00"
    later = await chat.press("Senare ›", SVEN)
    assert meetings(chat.text(later))[-1] == "ons 30 juni 15:00 · Samtal wed29"
    assert "Träffarna 26–30 av 30." in chat.text(later)
    english = chat.text(await chat.send("/programme Wednesday", EMMA))
    assert english.splitlines()[0] == "Wednesday, 30 June 2027"
    assert "Wed 30 Jun 08:00 · Talk wed00" in english


@pytest.mark.parametrize(("user", "day"), [
    (SVEN, "29 juni"), (SVEN, "29/6"), (SVEN, "2027-06-29"), (SVEN, "tisdag"),
    (EMMA, "June 29"), (EMMA, "29 June"), (EMMA, "tuesday"), (SVEN, "imorgon"),
    (EMMA, "tomorrow"), (SVEN, "idag"), (EMMA, "today")])
async def test_a_date_lists_that_day(start, user, day) -> None:
    chat = await start(now="2027-06-28T05:00:00+00:00" if day in ("imorgon", "tomorrow")
                       else "2027-06-29T05:00:00+00:00" if day in ("idag", "today")
                       else "2027-06-01T08:00:00+00:00")
    lines = meetings(chat.text(await chat.send(f"/programme {day}", user)))
    assert [line.rsplit(" ", 1)[-1] for line in lines] == ["tue1", "tue2"]


async def test_a_network_by_id_or_name_lists_its_meetings(start) -> None:
    chat = await start()
    replies = await chat.send("/programme vardnatverket", SVEN)
    text = chat.text(replies)
    assert text.splitlines()[0] == "Kommande träffar i Vårdnätverket"
    assert "Samtal mon2" in text and "Samtal mon1" not in text
    assert "Träffarna 1–25 av 17." not in text and "Senare ›" not in chat.buttons(replies)
    assert "Talk tue2" in chat.text(await chat.send("/programme KLIMAT", EMMA))


async def test_a_word_programme_does_not_know_is_said_not_silently_ignored(start) -> None:
    chat = await start()
    text = chat.text(await chat.send("/programme blaha", SVEN))
    assert text.startswith("Jag förstod inte ”blaha”.")
    assert "/programme onsdag" in text and "Samtal" not in text
    english = chat.text(await chat.send("/programme klimta", EMMA))
    assert english.startswith("I didn't understand “klimta”.\nDid you mean Climate network?")
    assert "Talk mon1" in chat.text(await chat.send("/programme all", EMMA))


@pytest.mark.parametrize(("user", "text", "first"), [
    (SVEN, "vad händer på onsdag?", "Onsdag 30 juni 2027"),
    (SVEN, "programmet för tisdag", "Tisdag 29 juni 2027"),
    (SVEN, "vilka träffar finns det 30/6?", "Onsdag 30 juni 2027"),
    (EMMA, "what's on on wednesday?", "Wednesday, 30 June 2027"),
    (EMMA, "what's on tomorrow?", "Tuesday, 29 June 2027")])
async def test_a_question_about_a_day_answers_with_that_days_list(start, user, text,
                                                                  first) -> None:
    chat = await start(now="2027-06-28T05:00:00+00:00")
    assert chat.text(await chat.send(text, user)).splitlines()[0] == first


def answers(*given: tuple[int, str, str]) -> types.ModuleType:
    """A plugin that keeps answers (user, meeting, answer), as rsvp does, for answers_of."""
    module = types.ModuleType("test_plugins.answers")
    module.NAME = "answers"
    at = datetime(2027, 6, 1, tzinfo=UTC)

    def answers_of(ctx, user_id):
        return [Attendance(event, user, answer, at) for user, event, answer in given
                if user == user_id]

    module.answers_of = hookimpl(answers_of)
    return module


async def test_next_is_the_users_own_meeting_when_it_comes_first(start) -> None:
    chat = await start(answers((SVEN, "tue1", "in_person"), (EMMA, "wed00", "maybe"),
                               (EMMA, "mon1", "no")))
    await chat.send("/follow vard", SVEN)
    await chat.send("/follow klimat", EMMA)
    own = chat.text(await chat.send("/next", SVEN))
    assert own.startswith("Nästa träff i nätverken du följer:\n\nSamtal mon2")
    chat.clock.set(datetime(2027, 6, 28, 12, 0, tzinfo=UTC))
    own = chat.text(await chat.send("/next", SVEN))
    assert own.startswith("Din nästa träff:\n\nSamtal tue1")
    followed = chat.text(await chat.send("/next", EMMA))
    assert followed.startswith("The next meeting of the networks you follow:\n\nTalk tue2")
    chat.clock.set(datetime(2027, 6, 29, 12, 0, tzinfo=UTC))
    mine = chat.text(await chat.send("/next", EMMA))
    assert mine.startswith("Your next meeting:\n\nTalk wed00")


async def test_next_says_how_many_more_start_at_the_same_time(start) -> None:
    chat = await start(answers((SVEN, "wed03", "in_person"), (SVEN, "wed02", "online")),
                       now="2027-06-29T12:00:00+00:00")
    mine = chat.text(await chat.send("/next", SVEN))
    assert mine.startswith("Din nästa träff:\n1 till samtidigt: /programme 30/6\n\nSamtal wed02")
    await chat.send("/follow klimat", EMMA)
    await chat.send("/follow vard", EMMA)
    theirs = chat.text(await chat.send("/next", EMMA))
    assert theirs.startswith("The next meeting of the networks you follow:\n"
                             "1 more at the same time: /programme 30/6\n\nTalk wed00")
