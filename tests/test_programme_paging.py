"""/programme on a festival-sized programme: pages of meetings with ‹ Earlier / Later ›."""
from __future__ import annotations

from pathlib import Path

from plugins.programme.listing import PAGE_SIZE

PLUGINS = ["plugins.basics", "plugins.programme"]
SVEN, EMMA = 10, 11


def festival(path: Path, events: int) -> Path:
    """Two networks, `events` meetings a day apart from 1 July 2027."""
    lines = ["timezone: Europe/Stockholm", "venues: {hall: {name: Hall}}",
             "defaults: {venue: hall}", "networks:",
             "  a: {name: {sv: Nätverk A, en: Network A}}",
             "  b: {name: {sv: Nätverk B, en: Network B}}", "events:"]
    for n in range(events):
        lines += [f"  - id: m{n:03d}", f"    networks: [{'a' if n % 2 == 0 else 'b'}]",
                  f"    title: Meeting {n:03d}",
                  f"    start: 2027-07-{1 + n % 28:02d} {8 + n // 28:02d}:00",
                  f"    end: 2027-07-{1 + n % 28:02d} {8 + n // 28:02d}:45"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def start(mingel_chat, tmp_path: Path, events: int):
    chat = await mingel_chat(PLUGINS, env={"MINGEL_PROGRAMME": str(festival(
        tmp_path / "festival.yaml", events))}, now="2027-06-01T08:00:00+00:00")
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    return chat


async def test_a_long_programme_is_shown_a_page_at_a_time(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path, 60)
    replies = await chat.send("/programme", EMMA)
    text, buttons = chat.text(replies), chat.buttons(replies)
    assert text.count("Meeting ") == PAGE_SIZE
    assert f"Meetings 1–{PAGE_SIZE} of 60." in text
    assert buttons[-1] == "Later ›" and "‹ Earlier" not in buttons
    second = await chat.press("Later ›", EMMA)
    text, buttons = chat.text(second), chat.buttons(second)
    assert f"Meetings {PAGE_SIZE + 1}–{2 * PAGE_SIZE} of 60." in text
    assert buttons[-2:] == ["‹ Earlier", "Later ›"]
    last = await chat.press("Later ›", EMMA)
    assert f"Meetings {2 * PAGE_SIZE + 1}–60 of 60." in chat.text(last)
    assert "Later ›" not in chat.buttons(last)


async def test_every_meeting_appears_once_across_the_pages(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path, 60)
    seen, replies = [], await chat.send("/programme alla", SVEN)
    while True:
        seen += [line for line in chat.text(replies).splitlines() if "Meeting " in line]
        if "Senare ›" not in chat.buttons(replies):
            break
        replies = await chat.press("Senare ›", SVEN)
    assert len(seen) == len(set(seen)) == 60
    assert "Träffarna 51–60 av 60." in chat.text(replies)


async def test_a_short_programme_has_no_page_buttons(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path, PAGE_SIZE)
    replies = await chat.send("/programme", EMMA)
    assert "Later ›" not in chat.buttons(replies)
    assert "Meetings 1–" not in chat.text(replies)


async def test_a_forged_page_button_changes_nothing(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path, 60)
    for data in ("programme:page:up:-5", "programme:page:x:0", "programme:page:up:9999999",
                 "programme:page:up:²"):
        assert chat.text(await chat.press_data(data, EMMA)) == ""
    far = await chat.press_data("programme:page:up:500", EMMA)
    assert "Meetings 1–" in chat.text(far)


async def test_search_results_are_paged_with_earlier_and_later(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path, 150)
    replies = await chat.send("/search meeting", SVEN)
    text, buttons = chat.text(replies), chat.buttons(replies)
    assert text.startswith("150 träffar matchar ”meeting”:")
    assert "Träffarna 1–25 av 150." in text
    assert buttons[-1] == "Senare ›" and len(buttons) == PAGE_SIZE + 1
    seen = [line for line in text.splitlines() if "Meeting " in line]
    while "Senare ›" in chat.buttons(replies):
        replies = await chat.press("Senare ›", SVEN)
        seen += [line for line in chat.text(replies).splitlines() if "Meeting " in line]
    assert len(seen) == len(set(seen)) == 150
    assert "Träffarna 126–150 av 150." in chat.text(replies)
    back = await chat.press("‹ Tidigare", SVEN)
    assert "Träffarna 101–125 av 150." in chat.text(back)


async def test_a_long_query_survives_in_the_page_buttons(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path, 60)
    query = "meeting " * 12
    replies = await chat.send(f"/search {query}", EMMA)
    assert "Meetings 1–25 of 60." in chat.text(replies)
    assert all(len(b.data.encode()) <= 64 for row in replies[0].buttons for b in row)
    later = await chat.press("Later ›", EMMA)
    assert "Meetings 26–50 of 60." in chat.text(later)
    other = await chat.send("/search meeting", SVEN)
    assert "Träffarna 1–25 av 60." in chat.text(other)
    assert "Meetings 51–60 of 60." in chat.text(await chat.press("Later ›", EMMA))


async def test_a_number_in_a_search_is_a_whole_number(mingel_chat, tmp_path) -> None:
    chat = await start(mingel_chat, tmp_path, 150)
    replies = await chat.send("/search Meeting 7", EMMA)
    assert chat.text(replies).startswith("1 meeting matches “Meeting 7”:")
    assert [line for line in chat.text(replies).splitlines() if "Meeting" in line][1:] == [
        "Thu 8 Jul 08:00 · Meeting 007"]
    alone = chat.text(await chat.send("/search 14", SVEN))
    assert alone.startswith("1 träff matchar ”14”:") and "Meeting 014" in alone


async def test_page_headings_count_in_the_readers_language(mingel_chat, tmp_path) -> None:
    path = tmp_path / "big.yaml"
    lines = ["timezone: Europe/Stockholm", "venues: {hall: {name: Hall}}",
             "defaults: {venue: hall, networks: [a]}", "networks:",
             "  a: {name: {sv: Nätverk A, en: Network A}}", "events:"]
    for n in range(1100):
        lines += [f"  - id: m{n:04d}", f"    title: Meeting {n:04d}",
                  f"    start: 2027-07-{1 + n % 28:02d} {8 + n // 112:02d}:{n // 28 % 4 * 15:02d}",
                  f"    end: 2027-07-{1 + n % 28:02d} {8 + n // 112:02d}:{n // 28 % 4 * 15 + 10:02d}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    chat = await mingel_chat(PLUGINS, env={"MINGEL_PROGRAMME": str(path)},
                             now="2027-06-01T08:00:00+00:00")
    chat.user(SVEN, "Sven", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    assert "Träffarna 1–25 av 1\xa0100." in chat.text(await chat.send("/programme", SVEN))
    assert "Meetings 1–25 of 1,100." in chat.text(await chat.send("/programme all", EMMA))
