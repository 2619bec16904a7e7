"""Tests for the storage engine: durability, crash safety, rollback, indexes and group commit."""
from __future__ import annotations

import asyncio
import copy
import errno
import gc
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import anyio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import Query
from tinydb.operations import add

from assistant import compaction, documents, indexes, storage, storefiles
from assistant import tables as storage_tables
from assistant.storage import (
    JOURNAL,
    SNAPSHOT,
    CorruptData,
    DataDirLocked,
    SaveFailed,
    StorageError,
    Store,
)

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "storage_crash_child.py"


def opened(path: Path | None, **kwargs: object) -> Store:
    """A store that is already open."""
    store = Store(path, **kwargs)  # type: ignore[arg-type]
    store.open()
    return store


def crash(store: Store) -> None:
    """Drop the store the way a killed process would: no flush, no compaction."""
    store._release()


def caught_up(store: Store) -> None:
    """Wait for the compaction the store started beside the commits, then run the one its
    next commit would start: on a busy machine the compaction lags behind the writes, and
    the journal's bound holds once it has caught up."""
    assert store._compacting is not None, "the store never started a compaction itself"
    store._wait_compaction()
    if store._compaction_due():
        store._start_compaction()
        store._wait_compaction()


def journal_size(path: Path) -> int:
    """Bytes in the journal."""
    return (path / JOURNAL).stat().st_size


def test_memory_store_api() -> None:
    store = Store(None)
    t = store.table("demo_things", indexes=("kind",))
    assert store.table("demo_things") is t
    a = t.insert({"kind": "x", "n": 1, "tags": ["a"]})
    b = t.insert({"kind": "y", "n": 2})
    t.put(10, {"kind": "x", "n": 3})
    assert t.insert({"kind": "z"}) == 11
    doc = t.get(a)
    assert doc == {"kind": "x", "n": 1, "tags": ["a"]} and doc.doc_id == a
    doc["tags"].append("mutated")
    assert t.get(a)["tags"] == ["a"]
    t.update(b, {"n": 20})
    assert t.get(b)["n"] == 20
    with pytest.raises(KeyError):
        t.update(999, {"n": 1})
    assert [d.doc_id for d in t.find(kind="x")] == [a, 10]
    assert t.first(kind="x", n=3).doc_id == 10
    assert t.count(kind="x") == 2 and t.count() == len(t) == 4
    t.remove(a)
    t.remove(a)
    assert t.get(a) is None and [d.doc_id for d in t] == [b, 10, 11]
    assert store.table_names() == ["demo_things"]
    t.truncate()
    assert t.all() == [] and store.dirty
    with pytest.raises(ValueError):
        store.table("_private")


def test_a_big_index_is_kept_out_of_the_cyclic_collectors_way() -> None:
    """A full collection must not walk a season's index: it would stall every answer."""
    store = Store(None)
    small, big = store.table("demo_small", indexes=("kind",)), store.table("demo_big",
                                                                            indexes=("kind",))
    for n in range(100):
        small.insert({"kind": n % 3})
    for n in range(storage_tables.LASTING):
        big.insert({"kind": n % 7})
    gc.unfreeze()
    try:
        assert len(small.find(kind=1)) == 33
        assert gc.get_freeze_count() == 0
        assert len(big.find(kind=1)) == len(range(1, storage_tables.LASTING, 7))
        frozen = gc.get_freeze_count()
        assert frozen > storage_tables.LASTING
    finally:
        gc.unfreeze()


def test_an_opened_store_makes_full_collections_rarer_but_never_more_frequent(
        tmp_path: Path) -> None:
    """A full collection walks everything the bot keeps; under light load with CPython's
    default it ran every half minute and held up the answers waiting meanwhile."""
    before = gc.get_threshold()
    generational = sys.version_info < (3, 14)  # 3.14's incremental collector has no third
    try:
        gc.set_threshold(before[0], before[1], 10)
        unset = gc.get_threshold()
        with Store(tmp_path / "a"):
            assert gc.get_threshold() == ((before[0], before[1],
                                           storefiles.FULL_COLLECTION_AFTER)
                                          if generational else unset)
        gc.set_threshold(before[0], before[1], 5000)
        higher = gc.get_threshold()
        with Store(tmp_path / "b"):
            assert gc.get_threshold() == higher
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


async def test_undo_takes_back_one_tasks_writes_but_not_what_others_wrote_since(
        tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.open()
    t = store.table("demo_things", indexes=("n",))
    for n in (1, 2, 3):
        t.insert({"n": n})
    store.set_meta("mood", "calm")
    store.commit_sync()
    halfway, other_done = asyncio.Event(), asyncio.Event()
    taken: list[int] = []

    async def failing_handler() -> None:
        with store.undoable() as undo:
            t.update(1, {"n": 10})
            t.update(2, {"n": 20})
            t.remove(3)
            t.insert({"n": 4})
            store.set_meta("mood", "busy")
            halfway.set()
            await other_done.wait()
            taken.append(undo())

    async def other_task() -> None:
        await halfway.wait()
        t.update(2, {"n": 22})
        t.insert({"n": 5})
        other_done.set()

    await asyncio.gather(failing_handler(), other_task())
    assert taken == [4]
    expected = {1: 1, 2: 22, 3: 3, 5: 5}
    assert {d.doc_id: d["n"] for d in t.all()} == expected
    assert [d.doc_id for d in t.find(n=10)] == [] and [d.doc_id for d in t.find(n=3)] == [3]
    assert t.get(4) is None and store.get_meta("mood") == "calm"
    await store.commit()
    store.close()
    again = Store(tmp_path)
    again.open()
    assert {d.doc_id: d["n"] for d in again.table("demo_things").all()} == expected
    assert again.get_meta("mood") == "calm"
    again.close()


async def test_undo_leaves_what_a_commit_took_and_what_others_wrote_in_between(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Saved is saved: a handler's failure never takes back a committed write, nor brings back
    a value a failed commit rolled back; tasks it started leave nothing behind."""
    store = opened(tmp_path)
    t = store.table("demo_things")
    t.insert({"n": 0})
    store.commit_sync()
    a_wrote, b_saved = asyncio.Event(), asyncio.Event()

    async def handler() -> int:
        with store.undoable() as undo:
            t.update(1, {"n": 1})
            a_wrote.set()
            await b_saved.wait()
            t.update(1, {"n": 3})
            return undo()

    async def other() -> None:
        await a_wrote.wait()
        t.update(1, {"n": 2})
        await store.commit()
        b_saved.set()

    taken, _ = await asyncio.gather(handler(), other())
    assert taken == 1 and t.get(1)["n"] == 2

    t.update(1, {"n": 4})
    with store.undoable() as undo:
        t.update(1, {"n": 5})
        monkeypatch.setattr(storefiles, "_write_all", fail_writes(errno.ENOSPC))
        with pytest.raises(SaveFailed):
            store.commit_sync()
        monkeypatch.undo()
        assert undo() == 0
    assert t.get(1)["n"] == 2

    store.commit_sync()
    with store.undoable() as undo:
        t.update(1, {"n": 6})
        with store.undoable():  # another handler writing the same document in between
            t.update(1, {"n": 7})
        t.update(1, {"n": 8})
        assert undo() == 1
    assert t.get(1)["n"] == 7

    async def child() -> None:
        await asyncio.sleep(0.01)
        t.insert({"n": 9})

    with store.undoable():
        started = asyncio.create_task(child())
    await started
    await store.commit()
    assert store._scopes._owner == {}
    store.close()


def test_rejects_values_json_cannot_hold() -> None:
    t = Store(None).table("demo_bad")
    with pytest.raises(TypeError):
        t.insert({"when": object()})
    with pytest.raises(TypeError):
        t.insert({1: "int key"})
    with pytest.raises(ValueError):
        t.insert({"x": float("nan")})
    assert len(t) == 0


def test_first_through_an_index_is_the_lowest_matching_id_whatever_the_set_order() -> None:
    t = Store(None).table("demo_first", indexes=("kind",))
    for doc_id, n in ((16, "a"), (8, "b"), (1, "b"), (24, "a")):
        t.put(doc_id, {"kind": "x", "n": n})
    assert t.first(kind="x").doc_id == 1
    assert next(iter(t._indexes["kind"]["x"])) != 1
    assert t.first(kind="x", n="b").doc_id == 1
    assert t.first(kind="x", n="a").doc_id == 16
    assert t.first(kind="x", n="c") is None and t.first(kind="y") is None
    assert t.first(n="a").doc_id == 16


def test_lookups_by_several_indexed_fields_match_a_scan_through_changes() -> None:
    """Ids every indexed field allows are intersected from the indexes; what comes back must
    be what checking each document would give, as answers are changed and withdrawn."""
    rng = random.Random(7)
    store = Store(None)
    t = store.table("demo_pairs", indexes=("event", "user", "kind", "tags"))

    def scan(**equals: object) -> list[int]:
        return [doc.doc_id for doc in t if all(doc.get(k) == v for k, v in equals.items())]

    for _ in range(600):
        doc_id = rng.randrange(1, 300)
        if rng.random() < 0.15:
            t.remove(doc_id)
        else:
            doc = {"event": f"e{rng.randrange(12)}", "user": rng.randrange(40),
                   "kind": rng.choice(["in_person", "online", 1, True, None]),
                   "note": rng.choice(["a", "b"]), "tags": rng.choice([{"a": 1, "b": 2}, [1]])}
            if rng.random() < 0.1:
                del doc["user"]
            with store.undoable() as undo:
                t.put(doc_id, doc)
                if rng.random() < 0.1:
                    undo()
        equals = {"event": f"e{rng.randrange(12)}", "user": rng.randrange(40)}
        for extra in ({}, {"kind": "online"}, {"note": "a"}, {"kind": 1, "note": "b"},
                      {"kind": None}, {"tags": {"b": 2, "a": 1}}, {"tags": [1.0]}):
            asked = {**equals, **extra}
            want = sorted(scan(**asked))
            found = t.first(**asked)
            assert (found.doc_id if found else None) == (want[0] if want else None), asked
            assert [d.doc_id for d in t.find(**asked)] == want
            assert t.count(**asked) == len(want)


def test_a_tables_memo_is_emptied_by_every_change_and_every_rollback() -> None:
    store = Store(None)
    t = store.table("demo_memo")
    t.memo()["seen"] = 1
    assert t.memo() == {"seen": 1}, "kept while nothing changes"
    t.insert({"n": 1})
    assert t.memo() == {}
    t.memo()["seen"] = 2
    t.update(1, {"n": 2})
    assert t.memo() == {}
    with store.undoable() as undo:
        t.update(1, {"n": 3})
        t.memo()["seen"] = 3
        undo()
    assert t.memo() == {} and t.get(1)["n"] == 2
    store.table("demo_other").insert({"n": 1})
    t.memo()["seen"] = 4
    store.table("demo_other").insert({"n": 2})
    assert t.memo() == {"seen": 4}, "another table's change keeps it"


def test_round_trip_through_close_and_open(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        t = store.table("demo_people", indexes=("city",))
        t.insert({"name": "Åsa", "city": "Lund", "nested": {"a": [1, 2.5, None, True]}})
        t.put(7, {"name": "Bo", "city": "Malmö"})
        store.set_meta("greeting", {"text": "hej"})
    with Store(tmp_path) as store:
        t = store.table("demo_people", indexes=("city",))
        assert t.get(1) == {"name": "Åsa", "city": "Lund", "nested": {"a": [1, 2.5, None, True]}}
        assert t.first(city="Malmö").doc_id == 7
        assert t.insert({"name": "Cia"}) == 8
        assert store.get_meta("greeting") == {"text": "hej"}
        assert store.get_meta("missing", 5) == 5


def test_a_closed_store_hands_out_no_table(tmp_path: Path) -> None:
    store = opened(tmp_path)
    assert store.table("demo_x", indexes=("k",)) is store.table("demo_x")
    store.close()
    for ask in (lambda: store.table("demo_x"), lambda: store.table("demo_y")):
        with pytest.raises(StorageError, match="not open"):
            ask()


def test_first_insert_after_open_follows_the_highest_id(tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        t = store.table("demo_ids", indexes=("k",))
        for doc_id in (3, 12, 5):
            t.put(doc_id, {"k": doc_id})
    with Store(tmp_path) as store:
        t = store.table("demo_ids", indexes=("k",))
        assert [t.insert({"k": "a"}), t.insert({"k": "b"})] == [13, 14]
    with Store(tmp_path) as store:
        t = store.table("demo_ids", indexes=("k",))
        assert t.first(k=12).doc_id == 12
        assert [t.insert({"k": "c"}), t.insert({"k": "d"})] == [15, 16]
        assert [d["k"] for d in t.find(k="a")] == ["a"]


def test_journal_replay_after_crash(tmp_path: Path) -> None:
    store = opened(tmp_path)
    t = store.table("demo_items")
    for i in range(20):
        t.insert({"i": i})
        store.commit_sync()
    t.update(3, {"i": 300})
    t.remove(4)
    store.commit_sync()
    t.insert({"i": "never committed"})
    crash(store)
    assert journal_size(tmp_path) > 0
    store = opened(tmp_path)
    t = store.table("demo_items")
    assert len(t) == 19 and t.get(3)["i"] == 300 and t.get(4) is None
    assert t.count(i="never committed") == 0
    crash(store)


def test_writes_through_tinydb_are_tracked(tmp_path: Path) -> None:
    store = opened(tmp_path)
    t = store.table("demo_tiny", indexes=("k",))
    tiny, q = t.tinydb, Query()
    tiny.insert_multiple([{"k": i % 3, "v": i} for i in range(9)])
    assert len(tiny.search(q.k == 1)) == 3
    tiny.update({"k": 5}, q.v == 1)
    assert len(tiny.search(q.k == 1)) == 2
    assert t.count(k=5) == 1
    tiny.remove(q.k == 0)
    tiny.upsert({"k": 9, "v": 99}, q.v == 99)
    store.commit_sync()
    crash(store)
    store = opened(tmp_path)
    tiny = store.table("demo_tiny").tinydb
    assert sorted(d["v"] for d in tiny.all()) == [1, 2, 4, 5, 7, 8, 99]
    assert tiny.get(q.v == 1)["k"] == 5
    store.close()


def test_compaction_then_reopen(tmp_path: Path) -> None:
    store = opened(tmp_path, compact_bytes=2000)
    t = store.table("demo_log")
    for i in range(300):
        t.insert({"i": i, "pad": "p" * 20})
        if i % 2:
            t.remove(i)
        store.commit_sync()
    caught_up(store)
    assert journal_size(tmp_path) <= 2000 + 200
    assert json.loads((tmp_path / SNAPSHOT).read_text())["_meta"]["seq"] > 0
    crash(store)
    store = opened(tmp_path)
    t = store.table("demo_log")
    assert [d["i"] for d in t.all()] == list(range(1, 300, 2))
    store.close()


def test_crash_between_snapshot_and_journal_reset_is_harmless(tmp_path: Path) -> None:
    store = opened(tmp_path, compact_bytes=1000)
    t = store.table("demo_c")
    for i in range(5):
        t.insert({"i": i})
        store.commit_sync()
    t.update(1, {"i": "last"})
    store.commit_sync()
    old_journal = (tmp_path / JOURNAL).read_bytes()
    store.close()
    assert journal_size(tmp_path) == 0
    (tmp_path / JOURNAL).write_bytes(old_journal)
    store = opened(tmp_path)
    assert [d["i"] for d in store.table("demo_c")] == ["last", 1, 2, 3, 4]
    store.close()


async def test_compact_on_request_removes_deleted_data_from_disk(tmp_path: Path) -> None:
    store = opened(tmp_path)
    t = store.table("demo_private")
    secret = t.insert({"phone": "+46 70 SECRET"})
    t.insert({"phone": "public"})
    await store.commit()
    t.remove(secret)
    await store.commit()
    assert b"SECRET" in (tmp_path / JOURNAL).read_bytes()
    assert store.compact()
    assert journal_size(tmp_path) == 0
    assert not any(b"SECRET" in p.read_bytes() for p in tmp_path.iterdir())
    store._busy = True
    assert not store.compact()
    store._busy = False
    t.insert({"phone": "later"})
    await store.commit()
    await store.idle()
    assert journal_size(tmp_path) == 0
    crash(store)
    store = opened(tmp_path)
    assert [d["phone"] for d in store.table("demo_private")] == ["public", "later"]
    store.close()
    assert Store(None).compact()


async def test_deleting_on_request_beside_the_loop_leaves_nothing_on_disk(
        tmp_path: Path) -> None:
    store = opened(tmp_path)
    t = store.table("demo_private")
    secret = t.insert({"phone": "+46 70 SECRET"})
    await store.commit()
    t.remove(secret)
    await store.commit()
    assert await store.acompact()
    assert journal_size(tmp_path) == 0
    assert not any(b"SECRET" in p.read_bytes() for p in tmp_path.iterdir())
    store.close()


def held_serializing(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Make compactions wait, once they have their copy of the data, until `release` is set."""
    started, release, real = threading.Event(), threading.Event(), compaction._serialize

    def held(*args: object) -> tuple[object, bytes | None]:
        started.set()
        assert release.wait(10)
        return real(*args)  # type: ignore[arg-type]
    monkeypatch.setattr(compaction, "_serialize", held)
    return started, release


async def commit_until_compacting(store: Store, t: storage.Table,
                                  started: threading.Event) -> int:
    """Insert and commit until a compaction has begun; how many were inserted."""
    n = 0
    while not started.is_set():
        t.insert({"i": n, "pad": "x" * 40})
        n += 1
        await store.commit()
        assert n < 500, "no compaction began"
    return n


def commit_markers(path: Path) -> list[int]:
    """The commit numbers in the journal, in order."""
    lines = (path / JOURNAL).read_bytes().splitlines()
    return [m["commit"] for m in map(json.loads, lines) if "commit" in m]


async def test_commits_go_on_and_survive_while_a_compaction_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path, compact_bytes=1500)
    started, release = held_serializing(monkeypatch)
    t = store.table("demo_side")
    n = await commit_until_compacting(store, t, started)
    for i in range(n, n + 20):
        t.insert({"i": i, "pad": "y" * 40})
        await asyncio.wait_for(store.commit(), 5)
    t.remove(1)
    await asyncio.wait_for(store.commit(), 5)
    release.set()
    await store.idle()
    seq = json.loads((tmp_path / SNAPSHOT).read_bytes())["_meta"]["seq"]
    assert len(commit_markers(tmp_path)) == 21 and min(commit_markers(tmp_path)) == seq + 1
    crash(store)
    store = opened(tmp_path)
    assert [d["i"] for d in store.table("demo_side")] == list(range(1, n + 20))
    store.close()


async def test_a_compaction_failing_half_way_loses_nothing_and_is_tried_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = opened(tmp_path, compact_bytes=1500)
    started, release = held_serializing(monkeypatch)
    t = store.table("demo_half")
    (tmp_path / (JOURNAL + ".tmp")).mkdir()  # the new journal cannot be written
    n = await commit_until_compacting(store, t, started)
    t.insert({"i": n})
    await store.commit()
    release.set()
    await store.idle()
    assert "compaction failed" in caplog.text
    t.insert({"i": n + 1})
    await store.commit()
    (tmp_path / (JOURNAL + ".tmp")).rmdir()
    whole = commit_markers(tmp_path)
    assert whole == list(range(1, len(whole) + 1)), "the journal was left whole"
    crash(store)
    store = opened(tmp_path, compact_bytes=1500)
    t = store.table("demo_half")
    assert [d["i"] for d in t] == list(range(n + 2))
    for i in range(n + 2, n + 60):
        t.insert({"i": i, "pad": "z" * 40})
        await store.commit()
    await store.idle()
    caught_up(store)
    assert journal_size(tmp_path) < 1500 + 200, "compacted once the disk had room"
    store.close()


async def test_a_compaction_asked_for_while_one_fails_still_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path, compact_bytes=1 << 30)
    t = store.table("demo_ask")
    t.insert({"secret": "SECRET"})
    await store.commit()
    started, release = held_serializing(monkeypatch)
    (tmp_path / (SNAPSHOT + ".tmp")).mkdir()
    first = asyncio.create_task(store.acompact())
    await anyio.to_thread.run_sync(started.wait, 5)
    t.remove(1)
    await store.commit()
    assert not store.compact(), "one is running: later"
    release.set()
    assert not await first
    (tmp_path / (SNAPSHOT + ".tmp")).rmdir()
    t.insert({"n": 2})
    await store.commit()
    await store.idle()
    assert journal_size(tmp_path) == 0
    assert not any(b"SECRET" in p.read_bytes() for p in tmp_path.iterdir())
    store.close()


@pytest.mark.parametrize("count", [0, 1, compaction.CHUNK, compaction.CHUNK + 1,
                                   2 * compaction.CHUNK + 3])
def test_a_snapshot_written_in_parts_is_the_same_json(count: int) -> None:
    """Compaction writes the snapshot a chunk of documents at a time (never the whole text in
    memory); the file is the same JSON as encoding everything at once."""
    docs = {str(i): {"n": i, "name": f"Åsa {i}", "tags": ["a", i]} for i in range(1, count + 1)}
    header = {"format": 1, "seq": 3, "values": {}}
    parts = list(compaction._json_parts(header, {"answers": docs, "other": {"1": {"x": 1}}}))
    assert len(parts) >= 2 + count // compaction.CHUNK
    dumps = documents._dumps
    assert b"".join(parts) == (
        f'{{\n{dumps(storefiles.META)}:{dumps(header)},\n"answers":{dumps(docs)},\n"other":'
        f'{dumps({"1": {"x": 1}})}\n}}\n').encode()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None, database=None)
@given(JSON_VALUES)
def test_journal_lines_are_the_json_the_standard_library_writes(value: object) -> None:
    expected = json.dumps(value, separators=(",", ":"), allow_nan=False)
    assert documents._dumps(value) == expected
    assert json.loads(documents._dumps(value)) == json.loads(expected)


def test_the_journal_encoder_refuses_what_json_refuses() -> None:
    with pytest.raises(ValueError):
        documents._dumps({"x": [float("inf")]})
    with pytest.raises(TypeError):
        documents._dumps({"when": object()})


def brute(t: storage.Table, **equals: object) -> list[int]:
    """What find() must return, by looking at every document."""
    return sorted(d.doc_id for d in t.all() if all(k in d and d[k] == v for k, v in equals.items()))


def test_indexes_stay_right_through_updates_removes_and_rollback(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path)
    t = store.table("demo_rsvp", indexes=("event", "user"))
    rng = random.Random(7)
    for _ in range(200):
        t.insert({"event": rng.choice("abc"), "user": rng.randint(1, 5)})
    assert [d.doc_id for d in t.find(event="a")] == brute(t, event="a")
    store.commit_sync()
    for _ in range(300):
        op, doc_id = rng.random(), rng.randint(1, 220)
        if op < 0.4 and t.get(doc_id):
            t.update(doc_id, {"user": rng.randint(1, 5), "event": rng.choice("abcd")})
        elif op < 0.6:
            t.remove(doc_id)
        elif op < 0.8:
            t.put(doc_id, {"event": rng.choice("ab"), "user": [1]} if op < 0.65 else {"x": 1})
        else:
            t.insert({"event": "d", "user": rng.randint(1, 5)})
    for event in "abcd":
        for user in (1, 2, 3, [1]):
            assert [d.doc_id for d in t.find(event=event, user=user)] == \
                brute(t, event=event, user=user)
    snapshot = {d.doc_id: dict(d) for d in t}
    store.commit_sync()
    t.truncate()
    t.insert({"event": "a", "user": 1})
    t.tinydb.update({"event": "zzz"})
    monkeypatch.setattr(storefiles, "_write_all", fail_writes(errno.ENOSPC))
    with pytest.raises(SaveFailed):
        store.commit_sync()
    assert {d.doc_id: dict(d) for d in t} == snapshot
    for event in "abcdz":
        assert [d.doc_id for d in t.find(event=event)] == brute(t, event=event)
    assert t.insert({"event": "new"}) > max(snapshot)
    crash(store)


def by_n(doc: dict) -> int:
    return doc["n"]


def grouped(t: storage.Table, event: object, order: Callable | None = None
            ) -> list[tuple[int, dict]]:
    return [(d.doc_id, dict(d)) for d in t.group("event", event, order)]


def truth(t: storage.Table, event: object, order: Callable | None = None
          ) -> list[tuple[int, dict]]:
    docs = [(i, dict(t.get(i) or {})) for i in brute(t, event=event)]
    return docs if order is None else sorted(docs, key=lambda pair: order(pair[1]))


@pytest.mark.parametrize("budget", [10_000, 30])
def test_groups_follow_every_write_and_rollback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                budget: int) -> None:
    """group() keeps the stored documents between reads: they must match the data after any
    change, also when groups are dropped for room (budget 30) and after a failed commit."""
    monkeypatch.setattr(storage_tables, "GROUP_DOCS", budget)
    store = opened(tmp_path)
    t = store.table("demo_groups", indexes=("event",))
    rng = random.Random(11)
    for _ in range(120):
        t.insert({"event": rng.choice("abc"), "n": rng.randint(1, 9), "days": []})
    store.commit_sync()
    before = t.group("event", "a")
    frozen = copy.deepcopy([(d.doc_id, dict(d)) for d in before])
    for round_ in range(200):
        op, doc_id = rng.random(), rng.randint(1, 130)
        if op < 0.1 and t.get(doc_id) and "days" in t.get(doc_id):
            t.tinydb.update(add("days", [round_]), doc_ids=[doc_id])
        elif op < 0.4 and t.get(doc_id):
            t.update(doc_id, {"n": rng.randint(1, 9), "event": rng.choice("abcd")})
        elif op < 0.6:
            t.remove(doc_id)
        elif op < 0.8:
            t.put(doc_id, {"event": rng.choice("ab"), "n": 0})
        else:
            t.insert({"event": "d", "n": rng.randint(1, 9)})
        if round_ % 7 == 0:
            event = rng.choice("abcd")
            assert grouped(t, event) == truth(t, event)
            assert grouped(t, event, by_n) == truth(t, event, by_n), "ties stay in id order"
    assert [(d.doc_id, dict(d)) for d in before] == frozen, "a list handed out never changes"
    for event in "abcd":
        assert grouped(t, event) == truth(t, event)
        assert grouped(t, event, by_n) == truth(t, event, by_n)
    store.commit_sync()
    saved = {event: truth(t, event) for event in "abcd"}
    t.tinydb.update({"event": "a"})
    t.insert({"event": "b", "n": 1})
    assert grouped(t, "a") == truth(t, "a") and not grouped(t, "c")
    monkeypatch.setattr(storefiles, "_write_all", fail_writes(errno.ENOSPC))
    with pytest.raises(SaveFailed):
        store.commit_sync()
    assert {event: grouped(t, event) for event in "abcd"} == saved
    with pytest.raises(ValueError, match="indexed"):
        t.group("n", 1)
    crash(store)


def test_a_groups_documents_are_the_stored_ones_and_refuse_changes(tmp_path: Path) -> None:
    """A group copies nothing, so a reader changing one of its documents would change the
    data behind the journal's back: the change is refused, and what is saved and read back
    after a restart is what was written through the table."""
    store = opened(tmp_path)
    t = store.table("demo_shared", indexes=("event",))
    first = t.insert({"event": "a", "n": 1, "days": ["x"]})
    t.insert({"event": "a", "n": 2})
    store.commit_sync()
    rows = t.group("event", "a")
    assert rows[0] is t._raw()[str(first)], "the stored document itself, not a copy"
    for change in (lambda d: d.__setitem__("n", 9), lambda d: d.update(n=9),
                   lambda d: d.pop("n"), lambda d: d.setdefault("m", 1), lambda d: d.clear(),
                   lambda d: d.__delitem__("n"), lambda d: d.popitem()):
        with pytest.raises(TypeError, match="shared"):
            change(rows[0])
    private, shallow, deep = t.get(first), copy.copy(rows[0]), copy.deepcopy(rows[0])
    for mine in (private, shallow, deep):
        mine["n"] = 5
        mine["days"].append("y")
        assert mine.doc_id == first
    assert dict(rows[0]) == {"event": "a", "n": 1, "days": ["x"]}, "a copy is free to change"
    t.update(first, {"n": 3})
    t.tinydb.update(add("days", ["z"]), doc_ids=[first])
    assert dict(rows[0]) == {"event": "a", "n": 1, "days": ["x"]}, "the list handed out stays"
    assert [dict(d) for d in t.group("event", "a")] == [
        {"event": "a", "n": 3, "days": ["x", "z"]}, {"event": "a", "n": 2}]
    store.commit_sync()
    store.close()
    again = opened(tmp_path).table("demo_shared", indexes=("event",))
    assert [dict(d) for d in again.find(event="a")] == [
        {"event": "a", "n": 3, "days": ["x", "z"]}, {"event": "a", "n": 2}]


def test_a_sort_key_that_fails_is_the_readers_error_never_the_writers() -> None:
    store = Store(None)
    t = store.table("demo_keys", indexes=("ev", "user"))
    t.insert({"ev": 1, "user": 1, "seq": 1})
    assert [d["user"] for d in t.group("ev", 1, by_seq)] == [1]
    t.insert({"ev": 1, "user": 2})
    assert [d.doc_id for d in t.find(user=2)] == [2], "the write and its indexes stand"
    with pytest.raises(KeyError):
        t.group("ev", 1, by_seq)
    t.update(2, {"seq": 0})
    assert [d["user"] for d in t.group("ev", 1, by_seq)] == [2, 1]
    t.remove(2)
    assert [d["user"] for d in t.group("ev", 1, by_seq)] == [1] and t.find(user=2) == []
    t.insert({"ev": 2, "user": 3})
    t.insert({"ev": 2, "user": 4})
    assert [d["user"] for d in t.group("ev", 2, lambda doc: doc.get("seq"))] == [3, 4], \
        "keys that are equal but cannot be ordered (None) stay in id order"
    for _ in range(10):
        t.group("ev", 1, lambda doc: -doc["seq"])
    assert len(t._groups["ev", 1]._lists) <= indexes.ORDERS_KEPT, "new key functions"


def by_seq(doc: dict) -> int:
    return doc["seq"]


def test_distinct_gives_the_values_an_indexed_field_has_now(tmp_path: Path) -> None:
    """A job deciding per meeting reads the meetings from the index, through every write."""
    store = opened(tmp_path)
    t = store.table("demo_distinct", indexes=("event",))
    a = t.insert({"event": "a"})
    t.insert({"event": "b"})
    t.insert({"event": "b"})
    t.insert({"event": {"x": [1]}})
    assert sorted(map(str, t.distinct("event"))) == ["a", "b", "{'x': [1]}"]
    t.remove(a)
    store.commit_sync()
    assert sorted(map(str, t.distinct("event"))) == ["b", "{'x': [1]}"]
    assert {"x": [1]} in t.distinct("event")
    with pytest.raises(ValueError, match="indexed"):
        t.distinct("n")
    crash(store)


def test_stamp_changes_exactly_when_a_group_does(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """What a caller derived from a group (seat counts) stays valid while the stamp holds."""
    store = opened(tmp_path)
    t = store.table("demo_stamps", indexes=("event",))
    a1 = t.insert({"event": "a", "n": 1})
    t.insert({"event": "b", "n": 1})
    store.commit_sync()
    seen = {e: t.stamp("event", e) for e in "abc"}

    def moved() -> set[str]:
        now = {e: t.stamp("event", e) for e in "abc"}
        changed = {e for e in "abc" if now[e] != seen[e]}
        seen.update(now)
        return changed

    t.insert({"event": "b", "n": 2})
    assert moved() == {"b"}
    t.update(a1, {"n": 5})
    assert moved() == {"a"}
    t.update(a1, {"event": "c"})
    assert moved() == {"a", "c"}
    t.tinydb.update(add("n", 1), doc_ids=[a1])
    assert moved() == {"c"}
    store.commit_sync()
    t.remove(a1)
    assert moved() == {"c"}
    monkeypatch.setattr(storefiles, "_write_all", fail_writes(errno.ENOSPC))
    with pytest.raises(SaveFailed):
        store.commit_sync()
    assert moved() == {"c"} and t.group("event", "c")[0]["n"] == 6, "rolled back"
    with pytest.raises(ValueError, match="indexed"):
        t.stamp("n", 1)
    crash(store)


def fail_writes(code: int, after: int = 0) -> Callable[[int, bytes, int], None]:
    """A _write_all that writes a little (a torn write) and then fails like a full disk."""
    def write(fd: int, data: bytes, offset: int) -> None:
        os.pwrite(fd, data[:after or len(data) // 2], offset)
        raise OSError(code, os.strerror(code))
    return write


def test_disk_full_rolls_back_and_recovers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path)
    t = store.table("demo_full", indexes=("state",))
    t.insert({"state": "saved"})
    store.set_meta("counter", 1)
    store.commit_sync()
    size = journal_size(tmp_path)
    t.update(1, {"state": "unsaved"})
    t.insert({"state": "unsaved"})
    store.set_meta("counter", 2)
    store.set_meta("new_key", True)
    real = storefiles._write_all
    monkeypatch.setattr(storefiles, "_write_all", fail_writes(errno.ENOSPC))
    with pytest.raises(SaveFailed) as info:
        store.commit_sync()
    assert isinstance(info.value.__cause__, OSError)
    assert [dict(d) for d in t] == [{"state": "saved"}] and t.count(state="unsaved") == 0
    assert store.get_meta("counter") == 1 and store.get_meta("new_key") is None
    assert not store.dirty and journal_size(tmp_path) == size
    monkeypatch.setattr(storefiles, "_write_all", real)
    t.insert({"state": "after"})
    store.commit_sync()
    crash(store)
    store = opened(tmp_path)
    assert [d["state"] for d in store.table("demo_full")] == ["saved", "after"]
    store.close()


async def test_disk_full_during_async_commit_fails_every_affected_task(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path)
    t = store.table("demo_async", indexes=("v",))
    t.insert({"v": 0})
    await store.commit()
    started, release = threading.Event(), threading.Event()

    def slow_failing_write(fd: int, data: bytes, offset: int) -> None:
        started.set()
        release.wait(5)
        raise OSError(errno.ENOSPC, "No space left on device")

    async def change(fields: dict, commit_now: bool = True) -> None:
        t.update(1, fields)
        t.insert({"v": fields["v"]})
        if commit_now:
            await store.commit()

    async def bystander() -> None:
        await store.commit()

    monkeypatch.setattr(storefiles, "_write_all", slow_failing_write)
    first = asyncio.create_task(change({"v": 1}))
    await asyncio.to_thread(started.wait, 5)
    late = asyncio.create_task(change({"v": 2}, commit_now=False))
    await late
    second = asyncio.create_task(change({"v": 3}))
    watcher = asyncio.create_task(bystander())
    await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(first, second, return_exceptions=True)
    assert all(isinstance(r, SaveFailed) for r in results), results
    await watcher  # changed nothing, so nothing of its was lost
    assert [dict(d) for d in t] == [{"v": 0}] and t.find(v=1) == t.find(v=3) == []
    monkeypatch.undo()
    await store.commit()
    t.update(1, {"v": 4})
    await store.commit()
    crash(store)
    store = opened(tmp_path)
    assert [dict(d) for d in store.table("demo_async")] == [{"v": 4}]
    store.close()


async def test_rolled_back_task_is_told_on_its_next_commit(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path)
    t = store.table("demo_told")
    gate = asyncio.Event()

    async def slow_handler() -> None:
        t.insert({"who": "slow"})
        await gate.wait()
        await store.commit()

    slow = asyncio.create_task(slow_handler())
    await asyncio.sleep(0)
    monkeypatch.setattr(storefiles, "_write_all", fail_writes(errno.ENOSPC))
    t.insert({"who": "fast"})
    with pytest.raises(SaveFailed):
        await store.commit()
    monkeypatch.undo()
    gate.set()
    with pytest.raises(SaveFailed, match="No space"):
        await slow
    assert len(t) == 0
    await store.commit()
    crash(store)


async def test_group_commit_shares_fsyncs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path)
    t = store.table("demo_group")
    calls = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real_fsync(fd)))

    async def handler(i: int) -> None:
        await asyncio.sleep(random.random() / 1000)
        t.insert({"i": i})
        await store.commit()

    await asyncio.gather(*(handler(i) for i in range(50)))
    assert 1 <= len(calls) <= 10, len(calls)
    monkeypatch.undo()
    crash(store)
    store = opened(tmp_path)
    assert sorted(d["i"] for d in store.table("demo_group")) == list(range(50))
    store.close()


def write_journal_groups(tmp_path: Path) -> tuple[Store, list[bytes]]:
    """A store with three committed groups, crashed; returns the journal's lines."""
    store = opened(tmp_path)
    t = store.table("demo_j")
    for i in range(3):
        t.insert({"i": i})
        t.insert({"i": i, "second": True})
        store.commit_sync()
    crash(store)
    return store, (tmp_path / JOURNAL).read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize("cut", ["no_marker", "half_line", "garbage_tail"])
def test_torn_final_group_is_dropped(tmp_path: Path, cut: str) -> None:
    _, lines = write_journal_groups(tmp_path)
    assert len(lines) == 9
    kept = b"".join(lines[:6])
    tail = {"no_marker": b"".join(lines[6:8]), "half_line": lines[6][:10],
            "garbage_tail": lines[6] + b"\0\0\0\0\n\0\0"}[cut]
    (tmp_path / JOURNAL).write_bytes(kept + tail)
    store = opened(tmp_path)
    assert [d["i"] for d in store.table("demo_j")] == [0, 0, 1, 1]
    assert (tmp_path / JOURNAL).read_bytes() == kept
    assert [p.read_bytes() for p in tmp_path.glob(JOURNAL + ".torn-*")] == [tail]
    store.table("demo_j").insert({"i": "later"})
    store.commit_sync()
    crash(store)
    store = opened(tmp_path)
    assert store.table("demo_j").count(i="later") == 1
    crash(store)


@pytest.mark.parametrize("damage", ["garbage_line", "flipped_value", "dropped_line"])
def test_damage_inside_the_journal_refuses_to_start(tmp_path: Path, damage: str) -> None:
    _, lines = write_journal_groups(tmp_path)
    if damage == "garbage_line":
        lines[3] = b"this is not json\n"
    elif damage == "flipped_value":
        lines[3] = lines[3].replace(b'"i":1', b'"i":7')
    else:
        del lines[3]
    broken = b"".join(lines)
    (tmp_path / JOURNAL).write_bytes(broken)
    with pytest.raises(CorruptData) as info:
        opened(tmp_path)
    assert info.value.path == tmp_path / JOURNAL
    assert info.value.line == 4
    assert str(tmp_path / JOURNAL) in str(info.value) and "line 4" in str(info.value)
    assert (tmp_path / JOURNAL).read_bytes() == broken
    assert not list(tmp_path.glob(JOURNAL + ".torn-*"))
    opened(tmp_path / "other").close()
    with pytest.raises(CorruptData):
        opened(tmp_path)


def test_invalid_snapshot_refuses_to_start(tmp_path: Path) -> None:
    with Store(tmp_path, compact_bytes=100) as store:
        store.table("demo_s").insert({"a": 1})
    snap = tmp_path / SNAPSHOT
    text = snap.read_bytes()
    broken = text.replace(b'"a":1', b'"a":1,,', 1)
    snap.write_bytes(broken)
    with pytest.raises(CorruptData) as info:
        opened(tmp_path)
    assert info.value.path == snap and info.value.line == broken.split(b"\n").index(
        next(line for line in broken.split(b"\n") if b",," in line)) + 1
    assert str(snap) in str(info.value)
    assert snap.read_bytes() == broken
    snap.write_bytes(b'{"_meta": {"format": 1, "seq": 0, "values": {}},\n"demo_s": [1]\n}\n')
    with pytest.raises(CorruptData) as info:
        opened(tmp_path)
    assert info.value.line == 2


def test_a_journal_without_its_snapshot_refuses_to_start_and_is_left_as_it_was(
        tmp_path: Path) -> None:
    """The snapshot gone (deleted by hand, lost in a copy) while a journal holds what came
    after it: starting afresh would replay only the journal's changes over an empty store
    and write a new snapshot, losing everything before it without a word."""
    _, lines = write_journal_groups(tmp_path)
    (tmp_path / SNAPSHOT).unlink()
    journal = b"".join(lines)
    with pytest.raises(CorruptData) as info:
        opened(tmp_path)
    assert info.value.path == tmp_path / SNAPSHOT
    assert "snapshot is missing" in str(info.value)
    assert not (tmp_path / SNAPSHOT).exists()
    assert (tmp_path / JOURNAL).read_bytes() == journal
    with pytest.raises(CorruptData):
        opened(tmp_path)


def test_second_store_on_same_directory_is_refused(tmp_path: Path) -> None:
    store = opened(tmp_path)
    with pytest.raises(DataDirLocked) as info:
        opened(tmp_path)
    assert info.value.pid == os.getpid() and str(tmp_path) in str(info.value)
    code = ("import sys\nfrom assistant.storage import Store, DataDirLocked\n"
            "try:\n    Store(sys.argv[1]).open()\nexcept DataDirLocked as e:\n"
            "    print(e.pid, e); sys.exit(3)\n")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=ROOT, check=False,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 3, result.stderr
    assert result.stdout.startswith(f"{os.getpid()} ") and str(tmp_path) in result.stdout
    store.close()
    opened(tmp_path).close()


def test_schema_version_and_migrations(tmp_path: Path) -> None:
    runs = []

    def add_field(store: Store) -> None:
        runs.append(1)
        t = store.table("demo_m")
        for doc in t:
            t.update(doc.doc_id, {"added": True})

    def broken(store: Store) -> None:
        store.table("demo_m").insert({"half": "done"})
        raise RuntimeError("migration bug")

    with Store(tmp_path) as store:
        assert store.get_meta("schema") == storage.SCHEMA_VERSION
        store.table("demo_m").insert({"a": 1})
        assert store.migrate("demo", 1, add_field)
        assert not store.migrate("demo", 1, add_field)
        with pytest.raises(RuntimeError):
            store.migrate("demo", 2, broken)
        assert store.table("demo_m").count(half="done") == 0
    with Store(tmp_path) as store:
        assert not store.migrate("demo", 1, add_field)
        assert store.get_meta("version:demo") == 1
        assert store.table("demo_m").get(1) == {"a": 1, "added": True}
        store.set_meta("schema", storage.SCHEMA_VERSION + 1)
    assert runs == [1]
    with pytest.raises(StorageError, match="newer"):
        opened(tmp_path)
    opened(tmp_path / "fresh").close()


def test_single_doc_commit_cost_does_not_grow_with_data(tmp_path: Path) -> None:
    store = opened(tmp_path, compact_bytes=1 << 40)
    t = store.table("demo_scale", indexes=("i",))
    raw = store._data.setdefault("demo_scale", {})
    growth = {}
    for target in (1_000, 50_000):
        while len(t) < target:
            t.insert({"i": len(t), "pad": "x" * 20})
        store.commit_sync()
        before = journal_size(tmp_path)
        t.update(7, {"i": -target})
        store.commit_sync()
        growth[target] = journal_size(tmp_path) - before
        assert t.first(i=-target).doc_id == 7
    assert store._data["demo_scale"] is raw
    assert growth[1_000] + 3 >= growth[50_000] < 200
    crash(store)


def test_kill_9_never_loses_an_acknowledged_commit(tmp_path: Path) -> None:
    rounds = int(os.environ.get("MINGEL_CRASH_ROUNDS", "5"))
    seed = int(os.environ.get("MINGEL_CRASH_SEED", str(time.time_ns())))
    rng = random.Random(seed)
    acked: set[int] = set()
    for round_no in range(rounds):
        proc = subprocess.Popen([sys.executable, str(CHILD), str(tmp_path), "3000"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None
        want = rng.randint(1, 150)
        for _ in range(want):
            line = proc.stdout.readline()
            assert line.startswith(b"ack "), (seed, proc.stderr.read() if proc.poll() else line)
            acked.add(int(line.split()[1]))
        time.sleep(rng.random() / 50)
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        acked.update(int(line.split()[1]) for line in rest.splitlines(keepends=True)
                     if line.endswith(b"\n"))
        store = opened(tmp_path)
        items = store.table("crash_items", indexes=("n",))
        missing = [n for n in sorted(acked) if not items.find(n=n)]
        assert not missing, (seed, round_no, missing[:10])
        assert (store.table("crash_state").get(1) or {}).get("last", 0) >= max(acked)
        assert len(items) == len({d["n"] for d in items}) >= len(acked)
        if round_no % 2:
            store.close()
        else:
            crash(store)


@pytest.mark.parametrize("fails", [False, True])
def test_a_commit_whose_task_is_cancelled_mid_write_is_still_settled(tmp_path: Path,
                                                                     fails: bool) -> None:
    """Shutdown may cancel a handler while its commit is on the journal's thread: the write
    still ends as saved (or, failing, rolled back), and the store takes the next commit."""
    async def main() -> None:
        store = Store(tmp_path)
        store.open()
        table = store.table("demo_cancel")
        started, release = threading.Event(), threading.Event()
        real = store._append

        def slow(data: bytes) -> None:
            started.set()
            release.wait(5)
            if fails:
                raise OSError(errno.EIO, "disk gone")
            real(data)

        store._append = slow  # type: ignore[method-assign]
        table.insert({"n": 1})
        task = asyncio.create_task(store.commit())
        await asyncio.to_thread(started.wait, 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        release.set()
        await store.idle()
        assert [d["n"] for d in table.all()] == ([] if fails else [1]) and not store.dirty
        store._append = real  # type: ignore[method-assign]
        table.insert({"n": 2})
        if fails:
            with pytest.raises(SaveFailed, match="disk gone"):
                await store.commit()
        else:
            await store.commit()
        await store.aclose()

    asyncio.run(main())
    with Store(tmp_path) as again:
        assert sorted(d["n"] for d in again.table("demo_cancel").all()) == ([2] if fails else [1, 2])


def test_a_commit_that_cannot_reach_the_journal_thread_fails_and_the_store_goes_on(
        tmp_path: Path) -> None:
    """No thread to write with (the process is out of threads): the batch is refused and
    rolled back like a failed write, instead of leaving every later commit waiting."""
    async def main() -> None:
        store = Store(tmp_path)
        store.open()
        table = store.table("demo_nothread")
        real = store._journal.write

        def no_thread(data: bytes, done: Callable[[Exception | None], None]) -> None:
            raise RuntimeError("can't start new thread")

        store._journal.write = no_thread  # type: ignore[method-assign]
        table.insert({"n": 1})
        with pytest.raises(SaveFailed, match="new thread"):
            await store.commit()
        assert len(table) == 0 and not store._busy
        store._journal.write = real  # type: ignore[method-assign]
        table.insert({"n": 2})
        await store.commit()
        await store.aclose()

    asyncio.run(asyncio.wait_for(main(), 10))
    with Store(tmp_path) as again:
        assert [d["n"] for d in again.table("demo_nothread").all()] == [2]
