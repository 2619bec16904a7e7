"""Indexes built ahead of the first query after a start (`Store.warm`), what indexes cost the
cyclic collector, and `Table.values`."""
from __future__ import annotations

import asyncio
import gc
import random
import weakref
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import indexes, tables
from assistant.storage import Store


def opened(path: Path) -> Store:
    """A store that is already open."""
    store = Store(path)
    store.open()
    return store


def filled(path: Path, count: int = 40) -> None:
    """A data directory whose `demo_rows` table asked for an index on `event` once."""
    with Store(path) as store:
        t = store.table("demo_rows", indexes=("event",))
        for i in range(count):
            t.insert({"event": f"e{i % 7}", "n": i})


def no_building(monkeypatch: pytest.MonkeyPatch) -> None:
    """A query that has to build an index fails the test."""
    def build(self: tables.Table, field: str) -> None:
        raise AssertionError(f"{self.name}.{field} was built by a query")
    monkeypatch.setattr(tables.Table, "_build", build)


async def test_a_start_builds_the_indexes_asked_for_on_an_earlier_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    filled(tmp_path)
    store = opened(tmp_path)
    await store.warm()
    no_building(monkeypatch)
    t = store.table("demo_rows", indexes=("event",))
    assert [d["n"] for d in t.find(event="e3")] == [3, 10, 17, 24, 31, 38]
    assert len(t.group("event", "e0")) == 6
    store.close()


def warming(path: Path, monkeypatch: pytest.MonkeyPatch, count: int, slice_: int
            ) -> tuple[Store, tables.Table, asyncio.Task]:
    """A store whose indexes are being built `slice_` documents at a time."""
    filled(path, count)
    monkeypatch.setattr(tables, "WARM_SLICE", slice_)
    store = opened(path)
    return store, store.table("demo_rows"), asyncio.create_task(store.warm())


async def test_writes_made_while_indexes_are_built_are_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, t, warm = warming(tmp_path, monkeypatch, 200, 7)
    rng = random.Random(9)
    while not warm.done():
        doc_id = rng.randint(1, 230)
        choice = rng.random()
        if choice < 0.3:
            t.remove(doc_id)
        elif choice < 0.6 and t.get(doc_id) is not None:
            t.update(doc_id, {"event": f"e{rng.randint(0, 9)}"})
        else:
            t.put(doc_id, {"event": f"e{rng.randint(0, 9)}", "n": -doc_id})
        await asyncio.sleep(0)
    no_building(monkeypatch)
    for event in (f"e{i}" for i in range(10)):
        expected = sorted(d.doc_id for d in t.all() if d.get("event") == event)
        assert [d.doc_id for d in t.find(event=event)] == expected, event
    store.close()


async def test_a_query_that_cannot_wait_builds_the_index_itself(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, t, warm = warming(tmp_path, monkeypatch, 100, 10)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert not warm.done()
    assert len(t.find(event="e1")) == 15
    built = t._indexes["event"]
    t.insert({"event": "e1", "n": 100})
    await warm
    assert t._indexes["event"] is built, "the warm-up stepped aside"
    assert len(t.find(event="e1")) == 16
    store.close()


def test_values_reads_a_few_fields_of_many_documents_without_sharing_them() -> None:
    store = Store(None)
    t = store.table("demo_vals", indexes=("state",))
    t.insert({"state": "pending", "chat": 5, "tags": ["a"]})
    t.insert({"state": "sent", "chat": 6})
    t.insert({"state": "pending", "chat": 7})
    assert t.values(("chat", "tags"), state="pending") == [(1, (5, ["a"])), (3, (7, None))]
    t.values(("tags",))[0][1][0].append("changed")
    assert t.get(1)["tags"] == ["a"]


def test_ids_lists_everyone_in_order_including_ids_past_nine() -> None:
    """A broadcast to everyone lists 40,000 ids; in id order, not the stored keys' text order."""
    store = Store(None)
    t = store.table("demo_ids")
    for n in (12, 3, 100):
        t.put(n, {"name": f"P{n}"})
    t.remove(3)
    assert t.ids() == [12, 100]


def test_documents_with_unique_keys_cost_the_collector_nothing() -> None:
    """The outbox indexes each message's unique key: a festival's 67,000 keys were as many
    sets, walked by every full collection."""
    store = Store(None)
    t = store.table("demo_keys", indexes=("key",))
    assert t.count(key="none") == 0
    gc.collect()
    before = len(gc.get_objects())
    for i in range(2000):
        t.insert({"key": f"k{i}", "n": i})
    gc.collect()
    assert len(gc.get_objects()) - before < 100
    t.insert({"key": "k5", "n": "again"})
    assert [d["n"] for d in t.find(key="k5")] == [5, "again"]
    t.remove(6)
    assert [d["n"] for d in t.find(key="k5")] == ["again"]
    t.update(2001, {"key": "k7"})
    assert [d["n"] for d in t.find(key="k7")] == [7, "again"] and t.count(key="k5") == 0
    assert [d["n"] for d in t.group("key", "k7")] == [7, "again"]


class Cyclic:
    """Garbage only the cyclic collector frees (an exception and its traceback, say)."""

    me: Cyclic


async def test_the_warm_up_leaves_the_collector_on_and_freezes_no_garbage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "LASTING", 100)
    store, _t, warm = warming(tmp_path, monkeypatch, 300, 10)
    await asyncio.sleep(0.005)
    assert not warm.done() and gc.isenabled(), "everyone else runs with the collector on"
    made = Cyclic()
    made.me = made
    gone = weakref.ref(made)
    del made
    await warm
    try:
        gc.collect()
        assert gone() is None, "garbage made during the warm-up was frozen, never freed"
    finally:
        gc.unfreeze()
        store.close()


def test_the_indexes_asked_for_are_remembered_even_if_the_first_asker_failed(
        tmp_path: Path) -> None:
    with Store(tmp_path) as store:
        with store.undoable() as undo:
            store.table("demo_asked", indexes=("e",)).insert({"e": 1})
            undo()
        store.table("demo_asked", indexes=("e",)).insert({"e": 2})
    with Store(tmp_path) as store:
        assert store.get_meta("indexes", {}).get("demo_asked") == ["e"]


KEYS = (st.none() | st.integers(-2, 2) | st.sampled_from(["a", "b", "ö"])
        | st.lists(st.sampled_from(["a", "b"]), max_size=2)
        | st.dictionaries(st.just("k"), st.integers(0, 1), max_size=1))
ROWS = st.lists(st.tuples(st.integers(1, 60) | st.integers(10**6, 10**6 + 3),
                          st.dictionaries(st.sampled_from(["event", "user", "n"]), KEYS)),
                max_size=40)


def matching(t: tables.Table, field: str, value: object) -> list[int]:
    """What find() must return, from every document."""
    return sorted(d.doc_id for d in t.all() if field in d and d[field] == value)


@settings(max_examples=150, deadline=None, database=None)
@given(rows=ROWS, ahead=st.booleans(), moves=st.lists(st.tuples(st.integers(0, 39), KEYS),
                                                     max_size=5))
def test_indexes_built_at_once_or_ahead_find_what_a_scan_finds(
        rows: list[tuple[int, dict]], ahead: bool, moves: list[tuple[int, object]]) -> None:
    """Missing fields, lists and dicts as keys, ids far apart; then documents moved to other
    keys must leave their old ones."""
    store = Store(None)
    t = store.table("demo_prop", indexes=("event", "user"))
    for doc_id, doc in rows:
        t.put(doc_id, doc)
    if ahead:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tables, "WARM_SLICE", 3)
            asyncio.run(t.warm())
    ids = sorted({doc_id for doc_id, _doc in rows})
    if ids:
        t.count(event=None)  # builds them, if the warm-up did not
        for field in ("event", "user"):
            assert indexes._EMPTY not in t._indexes[field]
            assert len(t._reverse[field]._list or ()) <= 2 * len(ids) + 1024
    for n, value in moves:
        if ids:
            t.update(ids[n % len(ids)], {"event": value})
    values = [value for _i, doc in rows for value in doc.values()] + [v for _n, v in moves]
    for field in ("event", "user"):
        for value in values:
            assert [d.doc_id for d in t.find(**{field: value})] == matching(t, field, value)


@pytest.mark.parametrize("ahead", [False, True])
def test_ids_spread_far_apart_keep_the_reverse_maps_small(ahead: bool) -> None:
    """What is left of a table after most of it was deleted: ids 1, 1001, 2001... A list up
    to the last id would hold a million slots for a thousand documents."""
    store = Store(None)
    t = store.table("demo_spread", indexes=("event",))
    for n in range(1000):
        t.put(1 + 1000 * n, {"event": f"e{n % 5}"})
    if ahead:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(tables, "WARM_SLICE", 50)
            asyncio.run(t.warm())
    assert t.count(event="e3") == 200
    reverse = t._reverse["event"]
    assert reverse._list is None and len(reverse._dict) == 1000
    t.update(3001, {"event": "e0"})
    assert t.count(event="e3") == 199 and t.count(event="e0") == 201
