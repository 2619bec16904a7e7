"""The programme's search texts and lists made ahead, after a start and after a confirmed
change, with a /search in between answered as ever, and the job stopped at shutdown."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from plugins.programme import index
from tests.test_programme_days import PLUGINS, festival, meetings

ORG, SVEN = 1, 10


@pytest.fixture
def start(mingel_chat, tmp_path: Path):
    async def make(data_dir: Path | None = None):
        chat = await mingel_chat(PLUGINS, organisers=[ORG], now="2027-06-01T08:00:00+00:00",
                                 data_dir=data_dir,
                                 env={"MINGEL_PROGRAMME": str(festival(tmp_path / "f.yaml"))})
        chat.user(SVEN, "Sven", lang="sv")
        return chat
    return make


def made(chat) -> index.Index:
    """The index of the programme in use (as a search would ask for it)."""
    return index.index(chat.assistant.hooks.programme())


async def built(chat) -> None:
    """Wait for the job making the index ahead."""
    from plugins.programme import ahead
    task = ahead.building(chat.assistant)
    assert task is not None
    await asyncio.wait_for(task, 10)


def fold_fails(*args: object) -> str:
    raise AssertionError("a search folded a meeting's text")


async def test_a_start_makes_the_search_texts_and_lists_without_a_search(
        start, monkeypatch: pytest.MonkeyPatch) -> None:
    chat = await start()
    await chat.tick()
    for _ in range(1000):  # others' turns, as between updates
        await asyncio.sleep(0)
    idx = made(chat)
    assert {"grouped", "by_day", "by_network", "invite_only"} <= vars(idx).keys()
    monkeypatch.setattr(index, "fold", fold_fails)
    found = chat.text(await chat.send("/search vård tisdag", SVEN))
    assert found.startswith("1 träff matchar ”vård tisdag”:") and "Samtal tue1" in found


async def test_a_search_while_the_texts_are_being_made_finds_every_meeting(
        start, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.programme import ahead
    monkeypatch.setattr(ahead, "TEXT_STEP", 1)
    chat = await start()
    idx = made(chat)
    while idx.texts_made < 5:
        await asyncio.sleep(0)
    assert idx.texts_made < 34, "the job is still at it"
    found = chat.text(await chat.send("/search klimat", SVEN))
    assert found.startswith("17 träffar matchar ”klimat”:")
    assert meetings(found)[0] == "mån 28 juni 09:00 · Samtal mon1"
    await built(chat)
    assert [event.id for event, _text, _numbers in idx.texts] \
        == [event.id for event in chat.assistant.hooks.programme().events]
    assert chat.text(await chat.send("/search klimat", SVEN)) == found


async def test_a_confirmed_change_makes_the_new_programmes_index(
        start, tmp_path: Path) -> None:
    from plugins.programme import ahead
    chat = await start()
    await built(chat)
    before = ahead.building(chat.assistant)
    path = tmp_path / "f.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Samtal wed00", "Samtal nytt"),
                    encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    assert ahead.building(chat.assistant) is not before
    await built(chat)
    idx = made(chat)
    assert idx.texts_made == 34
    assert "Samtal nytt" in chat.text(await chat.send("/search nytt", SVEN))


async def test_stopping_during_the_job_stops_it(start, monkeypatch) -> None:
    from plugins.programme import ahead
    monkeypatch.setattr(ahead, "TEXT_STEP", 1)
    chat = await start()
    task = ahead.building(chat.assistant)
    assert task is not None and not task.done()
    await chat.stop()
    assert task.cancelled()
    assert made(chat).texts_made < 34


def cached(chat) -> list[str]:
    return sorted(p.name for p in chat.assistant.store.directory.glob("programme*.cache"))


async def test_the_programme_read_at_a_start_is_cached_after_its_index(
        start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickling a festival's programme takes a tenth of a second that only the next start
    needs: it is written once the index is made, not before the first answer."""
    from plugins.programme import ahead, source
    monkeypatch.setattr(ahead, "TEXT_STEP", 1)
    chat = await start(tmp_path / "data")
    assert ahead.building(chat.assistant) is not None
    assert cached(chat) == []
    await built(chat)
    assert len(cached(chat)) == 1
    parsed: list[str] = []
    monkeypatch.setattr(source, "parse", lambda *args: parsed.append("yaml"))
    await chat.restart()
    assert "Samtal mon1" in chat.text(await chat.send("/search mon1", SVEN))
    assert parsed == []


async def test_a_stop_before_the_index_is_made_still_caches_the_programme(
        start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plugins.programme import ahead, source
    monkeypatch.setattr(ahead, "TEXT_STEP", 1)
    chat = await start(tmp_path / "data")
    assert cached(chat) == []
    await chat.stop()
    assert len(cached(chat)) == 1
    parsed: list[str] = []
    monkeypatch.setattr(source, "parse", lambda *args: parsed.append("yaml"))
    chat = await start(tmp_path / "data")
    assert "Samtal mon1" in chat.text(await chat.send("/search mon1", SVEN))
    assert parsed == []
