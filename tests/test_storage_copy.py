"""Tests for the snapshot's binary copy (`mingel.cache`) and for index memory: the copy gives
exactly what parsing the JSON gives, anything wrong with it falls back to the JSON, damaged
JSON is still refused, and shared values never leak a change from one document to another."""
from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from assistant import snapshot, storefiles
from assistant.snapshot import COPY
from assistant.storage import JOURNAL, SNAPSHOT, CorruptData, SaveFailed, Store
from tests.test_storage import caught_up


def opened(path: Path, **kwargs: Any) -> Store:
    """A store that is already open."""
    store = Store(path, **kwargs)
    store.open()
    return store


def crash(store: Store) -> None:
    """Drop the store the way a killed process would."""
    store._release()


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types (1, 1.0 and True differ) and the same key order."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if type(a) is list:
        return len(a) == len(b) and all(map(same, a, b))
    return a == b


def parsed(path: Path) -> tuple[dict, dict]:
    """What the JSON snapshot holds: its header and its tables."""
    data = json.loads((path / SNAPSHOT).read_bytes())
    return data.pop("_meta"), data


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every time a store parses its JSON snapshot instead of loading the copy."""
    seen: list[Path] = []
    original = Store._parse_snapshot

    def spy(self: Store, path: Path) -> Any:
        seen.append(path)
        return original(self, path)

    monkeypatch.setattr(Store, "_parse_snapshot", spy)
    return seen


def fill(path: Path) -> None:
    """A store with every kind of value, several document shapes and an irregular table."""
    with Store(path, compact_bytes=1 << 30) as store:
        rsvp = store.table("demo_rsvp")
        for n in range(300):
            rsvp.insert({"event": f"e{n % 7}", "user": 10_000_000 + n % 11, "answer": "yes",
                         "at": f"2027-05-01T09:{n % 60:02d}", "seq": n, "waiting": n % 2 == 0,
                         "days": [], "moves": 0, "score": n / 3})
        rsvp.update(5, {"note": "a later field"})
        rsvp.put(400, {"answer": "no", "event": "e1"})
        rsvp.insert({})
        rsvp.remove(7)
        odd = store.table("demo_odd")
        for n in range(snapshot.MAX_SHAPES + 5):
            odd.insert({f"f{n}": n, "nested": {"list": [1, 2.5, None, True, {"deep": "ü€"}]}})
        store.table("demo_big").insert({"big": 10**40, "neg": -5, "float": -0.0, "t": "\ud800"})
        store.set_meta("demo", {"x": [1, "2"]})
        store.commit_sync()
        store.compact()


def test_open_loads_the_copy_and_gets_what_the_json_holds(tmp_path: Path, parses: list) -> None:
    fill(tmp_path)
    assert (tmp_path / COPY).exists()
    header, tables = parsed(tmp_path)
    store = opened(tmp_path)
    assert not parses, "the copy was not used"
    assert same(store._data, tables) and same(store._meta, header["values"])
    assert store._seq == header["seq"]
    docs = store._data["demo_rsvp"]
    assert docs["1"]["event"] is docs["8"]["event"], "repeated values are kept once"
    assert docs["1"]["user"] is docs["12"]["user"]
    crash(store)
    (tmp_path / COPY).unlink()
    store = opened(tmp_path)
    assert parses == [tmp_path / SNAPSHOT]
    assert same(store._data, tables) and same(store._meta, header["values"])
    crash(store)
    store = opened(tmp_path)
    assert len(parses) == 1, "the copy made on that open is used by the next one"
    assert same(store._data, tables)
    crash(store)


def damage(path: Path, how: str) -> None:
    """Spoil the copy in one of the ways a crash, a disk or an upgrade could."""
    copy = path / COPY
    data = bytearray(copy.read_bytes())
    if how == "missing":
        copy.unlink()
    elif how == "empty":
        copy.write_bytes(b"")
    elif how == "truncated":
        copy.write_bytes(data[:len(data) // 2])
    elif how == "flipped":
        data[-10] ^= 0x40
        copy.write_bytes(data)
    elif how == "garbage":
        copy.write_bytes(os.urandom(len(data)))
    elif how == "other_python":
        copy.write_bytes(data.replace(snapshot._PYTHON, b"x" * len(snapshot._PYTHON), 1))
    elif how == "stale":
        old = data
        with Store(path) as store:
            store.table("demo_rsvp").update(1, {"answer": "changed"})
            store.commit_sync()
            store.compact()
        copy.write_bytes(old)
    elif how == "unloadable":
        head, payload = data[:snapshot._HEAD.size], b"not marshal data"
        fields = list(snapshot._HEAD.unpack_from(head))
        fields[-2:] = [len(payload), snapshot.zlib.crc32(payload)]
        copy.write_bytes(snapshot._HEAD.pack(*fields) + payload)


@pytest.mark.parametrize("how", ["missing", "empty", "truncated", "flipped", "garbage",
                                 "other_python", "stale", "unloadable"])
def test_a_bad_copy_means_parsing_the_json(tmp_path: Path, parses: list, how: str) -> None:
    fill(tmp_path)
    damage(tmp_path, how)
    (tmp_path / (COPY + ".tmp")).write_bytes(b"left by a crash")
    header, tables = parsed(tmp_path)
    store = opened(tmp_path)
    assert parses == [tmp_path / SNAPSHOT]
    assert same(store._data, tables) and same(store._meta, header["values"])
    if how == "stale":
        assert store.table("demo_rsvp").get(1)["answer"] == "changed"
    crash(store)
    assert not (tmp_path / (COPY + ".tmp")).exists()
    store = opened(tmp_path)
    assert len(parses) == 1, "the copy was written again"
    assert same(store._data, tables)
    crash(store)


def test_damaged_json_is_refused_although_a_copy_exists(tmp_path: Path, parses: list) -> None:
    fill(tmp_path)
    snap, copy = tmp_path / SNAPSHOT, tmp_path / COPY
    text, copied = snap.read_bytes(), copy.read_bytes()
    broken = text.replace(b'"answer":"no"', b'"answer":"no",,', 1)
    snap.write_bytes(broken)
    with pytest.raises(CorruptData) as info:
        opened(tmp_path)
    line = next(n for n, row in enumerate(broken.split(b"\n"), 1) if b",," in row)
    assert info.value.path == snap and info.value.line == line
    assert snap.read_bytes() == broken and copy.read_bytes() == copied, "nothing was touched"
    snap.write_bytes(text.replace(b'"answer":"no"', b'"answer":"maybe"', 1))
    store = opened(tmp_path)
    assert store.table("demo_rsvp").get(400)["answer"] == "maybe", "the JSON wins, not the copy"
    crash(store)


def test_compaction_and_close_refresh_the_copy(tmp_path: Path, parses: list,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path, compact_bytes=2000)
    t = store.table("demo_c")
    for i in range(60):
        t.insert({"i": i, "secret": f"SECRET{i}", "pad": "p" * 20})
        store.commit_sync()
    for i in range(1, 61):
        t.remove(i)
    t.insert({"i": "last"})
    store.close()
    assert b"SECRET" not in (tmp_path / COPY).read_bytes()
    assert not isinstance(snapshot.read(tmp_path, snapshot.file_digest(tmp_path / SNAPSHOT)), str)
    store = opened(tmp_path, compact_bytes=2000)
    assert not parses and [d["i"] for d in store.table("demo_c")] == ["last"]
    monkeypatch.setattr(snapshot, "write", fail)
    t = store.table("demo_c")
    for i in range(40):
        t.insert({"i": i, "pad": "q" * 40})
        store.commit_sync()
    caught_up(store)
    assert not (tmp_path / COPY).exists(), "a compaction whose copy failed leaves none behind"
    crash(store)
    monkeypatch.undo()
    store = opened(tmp_path)
    assert [d["i"] for d in store.table("demo_c")] == ["last", *range(40)]
    crash(store)


def fail(*args: object) -> None:
    """A copy write that fails like a full disk."""
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


async def test_an_async_compaction_writes_the_copy(tmp_path: Path, parses: list) -> None:
    store = opened(tmp_path, compact_bytes=1500)
    t = store.table("demo_a")
    for i in range(40):
        t.insert({"i": i, "pad": "a" * 30})
        await store.commit()
    await store.idle()
    caught_up(store)
    assert (tmp_path / JOURNAL).stat().st_size < 1500 + 200
    header, tables = parsed(tmp_path)
    loaded = snapshot.read(tmp_path, snapshot.file_digest(tmp_path / SNAPSHOT))
    assert not isinstance(loaded, str), loaded
    assert same(loaded[1], tables) and same(loaded[0], header)
    crash(store)
    store = opened(tmp_path)
    assert not parses and [d["i"] for d in store.table("demo_a")] == list(range(40))
    crash(store)


def test_shared_values_never_carry_a_change_to_another_document(tmp_path: Path,
                                                                parses: list) -> None:
    with Store(tmp_path) as store:
        t = store.table("demo_share")
        for n in range(50):
            t.insert({"event": "e1", "user": 123_456_789, "days": [], "tags": {"a": []}})
        shared_list, shared_dict = [], {"k": []}
        t.tinydb.update({"aliased": shared_list, "nested": shared_dict, "tuple": (1, "x")})
        store.commit_sync()
        store.compact()
    store = opened(tmp_path)
    assert not parses
    t = store.table("demo_share", indexes=("event",))
    raw = store._data["demo_share"]
    assert raw["1"]["event"] is raw["2"]["event"] and raw["1"]["user"] is raw["2"]["user"]
    assert raw["1"]["tuple"] == [1, "x"], "as parsing the JSON gives it"
    def mutate(doc: dict) -> None:
        doc["days"].append(1)
        doc["aliased"].append(2)
        doc["nested"]["k"].append(3)
        doc["tags"]["a"].append(4)

    t.tinydb.update(mutate, doc_ids=[1])
    t.update(2, {"event": "e2"})
    assert [d.doc_id for d in t.find(event="e1")] == [1, *range(3, 51)]
    first, second = t.get(1), t.get(3)
    assert first["days"] == [1] and first["aliased"] == [2] and first["nested"] == {"k": [3]}
    assert first["tags"] == {"a": [4]}
    assert second == {"event": "e1", "user": 123_456_789, "days": [], "tags": {"a": []},
                      "aliased": [], "nested": {"k": []}, "tuple": [1, "x"]}
    assert t.get(2)["event"] == "e2" and raw["3"]["event"] == "e1"
    crash(store)


def test_indexes_with_far_apart_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = opened(tmp_path)
    t = store.table("demo_sparse", indexes=("event", "user"))
    for n in range(20):
        t.insert({"event": f"e{n % 3}", "user": n % 4})
    store.commit_sync()
    assert [d.doc_id for d in t.find(event="e1")] == [2, 5, 8, 11, 14, 17, 20]
    assert set(t._indexes) == {"event", "user"}, "one pass builds every wanted index"
    t.put(10**12, {"event": "e1", "user": 9})
    t.put(3000, {"event": "e2", "user": 9})
    t.remove(5)
    t.update(8, {"event": "e0"})
    assert [d.doc_id for d in t.find(event="e1")] == [2, 11, 14, 17, 20, 10**12]
    assert [d.doc_id for d in t.find(user=9)] == [3000, 10**12]
    store.commit_sync()
    monkeypatch.setattr(storefiles, "_write_all", fail)
    t.remove(10**12)
    t.insert({"event": "e1", "user": 9})
    with pytest.raises(SaveFailed):
        store.commit_sync()
    assert [d.doc_id for d in t.find(event="e1")] == [2, 11, 14, 17, 20, 10**12]
    assert [d.doc_id for d in t.find(user=9)] == [3000, 10**12]
    crash(store)
