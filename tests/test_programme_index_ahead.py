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


async def test_a_change_confirmed_before_the_index_is_made_caches_only_the_new_programme(
        start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The programme read at the start is no longer in use: its cache file would only take
    2.6 MB of a festival's disk until the next start, and its meetings memory meanwhile."""
    from assistant.context import Context
    from plugins.programme import ahead, source

    async def busy(self: Context) -> bool:  # participants keep the loop busy meanwhile
        await asyncio.sleep(0.02)
        return True

    monkeypatch.setattr(ahead, "TEXT_STEP", 1)
    monkeypatch.setattr(Context, "give_way", busy)
    chat = await start(tmp_path / "data")
    first = chat.assistant.hooks.programme()
    assert not ahead.building(chat.assistant).done()
    path = tmp_path / "f.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Samtal wed00", "Samtal nytt"),
                    encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    assert chat.assistant.hooks.programme() is not first
    assert not ahead.building(chat.assistant).done()
    await built(chat)
    await chat.stop()
    assert cached(chat) == [f"programme-{source.fingerprint(path.read_text('utf-8'))}.cache"]


def test_a_part_file_being_written_by_this_process_is_not_pruned(tmp_path: Path) -> None:
    """A /reload reading another file must not delete the cache file the start-up's thread
    is writing; a part-file left by an earlier process goes."""
    import os

    from plugins.programme import source
    ours = tmp_path / f"programme-0123456789abcdef.cache.{os.getpid()}.140.tmp"
    left = tmp_path / "programme-0123456789abcdef.cache.4242.tmp"
    ours.write_bytes(b"being written")
    left.write_bytes(b"cut short")
    source._prune(tmp_path, set())
    assert [p.name for p in tmp_path.iterdir()] == [ours.name]


def test_a_meeting_pickles_its_fields_alone_while_a_card_works_out_its_days(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache file is pickled on a worker thread while cards and lists work out a
    meeting's days and times: the pickle never reads the dict they add to."""
    import pickle

    from assistant.translated import FrozenMap
    from plugins.programme.loader import load_programme
    event = load_programme(festival(tmp_path / "f.yaml")).events[0]
    real = FrozenMap.__reduce__

    def meanwhile(self: FrozenMap) -> tuple[object, ...]:
        _ = event.all_day, event.days(), event.end_utc  # a card, between two of the pickler's steps
        return real(self)

    monkeypatch.setattr(FrozenMap, "__reduce__", meanwhile)
    copy = pickle.loads(pickle.dumps(event, pickle.HIGHEST_PROTOCOL))
    assert not {"all_day", "_days", "end_utc", "start_utc"} & vars(copy).keys()
    assert copy == event and copy.days() == event.days() and copy.all_day == event.all_day


async def test_a_stop_while_the_cache_file_is_written_waits_for_it(
        start, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stop that returned while the worker thread still wrote the cache left a part-file
    in the data directory after shutdown: a backup or a check of the directory then saw a
    file vanish (a health privacy test failed on it)."""
    import threading

    from plugins.programme import source
    writing, go_on = threading.Event(), threading.Event()
    save = source._save

    def slow_save(*args: object) -> None:
        writing.set()
        go_on.wait(5)
        save(*args)

    monkeypatch.setattr(source, "_save", slow_save)
    chat = await start(tmp_path / "data")
    while not writing.is_set():
        await asyncio.sleep(0.01)
    stopping = asyncio.ensure_future(chat.stop())
    await asyncio.sleep(0.05)
    assert not stopping.done(), "the stop waits for the file being written"
    go_on.set()
    await asyncio.wait_for(stopping, 5)
    directory = tmp_path / "data"
    assert [p.name for p in directory.glob("programme*.tmp")] == []
    assert len(list(directory.glob("programme*.cache"))) == 1
