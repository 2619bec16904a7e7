"""The tick's rewrite of the store's files after a deletion (`Assistant.scrub`): a deletion
made while it runs still leaves the disk, and a rewrite that fails is not tried again at every
tick (review of QA 39)."""
from __future__ import annotations

import logging

from tests.test_health_privacy import on_disk, stored
from tests.test_health_support import declare, make


async def test_a_declaration_deleted_while_the_files_are_rewritten_still_leaves_the_disk(
        mingel_chat, tmp_path) -> None:
    """Sven's "stay at home" is deleted while the tick rewrites the files for an earlier
    deletion: the new snapshot was copied before it, and the request his deletion made was
    cleared when the rewrite finished, so the outcome stayed on disk until the journal next
    grew large (months, on a small network)."""
    data = tmp_path / "data"
    chat = await make(mingel_chat, data_dir=data)
    await declare(chat, chat.user(5, "Eva"), "hybrid", "nnn")
    await declare(chat, chat.user(6, "Sven"), "hybrid", "ynn")
    await chat.tick()
    store, health = chat.assistant.store, chat.context("health")
    copy_state = store._start_compaction

    def copied_then_deleted() -> None:
        copy_state()
        outcomes = health.table("outcomes")
        [sven] = outcomes.find(user=6)
        outcomes.remove(sven.doc_id)
        health.scrub()

    store._start_compaction = copied_then_deleted
    health.scrub()  # an earlier deletion asked for the rewrite
    await chat.tick()
    del store._start_compaction
    assert stored(chat) == [("hybrid", 5, "fine")]
    assert '"stay_home"' in on_disk(data), "the rewrite copied the files before the deletion"
    await chat.tick(minutes=61)
    assert '"stay_home"' not in on_disk(data)


async def test_a_rewrite_that_fails_is_tried_again_within_the_hour_not_at_every_tick(
        mingel_chat, tmp_path, caplog) -> None:
    """A nearly full disk: the rewrite fails (logged). It was tried again at every tick, a
    copy of the whole store written each 30 s and a warning each time; now once an hour,
    and it still happens once it can."""
    caplog.set_level(logging.WARNING)
    data = tmp_path / "data"
    chat = await make(mingel_chat, data_dir=data)
    await declare(chat, chat.user(6, "Sven"), "hybrid", "ynn")
    await chat.tick()
    store, health = chat.assistant.store, chat.context("health")

    def disk_full(*args, **kwargs) -> None:
        raise OSError(28, "No space left on device")

    store._install_snapshot = disk_full
    outcomes = health.table("outcomes")
    outcomes.remove(outcomes.find(user=6)[0].doc_id)
    health.scrub()
    await chat.tick()
    for _ in range(10):
        await chat.tick(minutes=5)

    def failures() -> int:
        return sum("compaction failed" in r.getMessage() for r in caplog.records)

    assert failures() == 1
    del store._install_snapshot
    assert '"stay_home"' in on_disk(data)
    await chat.tick(minutes=11)
    assert failures() == 1 and '"stay_home"' not in on_disk(data)
