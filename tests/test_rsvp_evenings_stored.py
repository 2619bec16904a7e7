"""Answers stored before a gathering of evenings had its evenings as its days (session 37):
Friday 18:00 to Sunday 02:00 had a third day, Sunday 00:00–02:00, and an answer could name
it. Such an answer took Sunday alone for every day (a seat on Friday and Saturday) and
Friday with Sunday for Friday alone; once, on the first start with a programme, the night
becomes the last evening, whose small hours it is now."""
from __future__ import annotations

import asyncio
import types
from pathlib import Path

import pytest

from assistant import hookimpl
from assistant.storage import Store
from assistant.testing import ChatHarness
from plugins.programme.loader import parse_programme
from plugins.rsvp import evenings, seats
from tests.test_gathering_evenings import NOW, PLUGINS, PROGRAMME

FRI, SAT, SUN = "2027-10-15", "2027-10-16", "2027-10-17"
SVEN, EMMA, EVA, BO, ORG = 2, 3, 4, 5, 1
FEST = parse_programme(PROGRAMME, "t.yaml").event("fest")


def old(user: int, seq: int, **fields) -> dict:
    """An answer to the festival as the version before stored it."""
    return {"event": "fest", "user": user, "answer": "in_person", "seq": seq,
            "at": f"2027-09-0{seq}T10:00:00+00:00", **fields}


def test_the_night_becomes_the_last_evening() -> None:
    assert evenings.evenings(old(SVEN, 1, days=[SUN]), FEST) == {"days": [SAT]}
    assert evenings.evenings(old(EMMA, 2, days=[FRI, SUN]), FEST) == {"days": []}, \
        "both evenings: every day, as choosing them stores it"
    assert evenings.evenings(old(EVA, 3, days=[SAT, SUN]), FEST) == {"days": [SAT]}


def test_answers_without_the_night_are_left_as_they_are() -> None:
    assert evenings.evenings(old(SVEN, 1), FEST) == {}
    assert evenings.evenings(old(SVEN, 1, days=[FRI]), FEST) == {}
    assert evenings.evenings(old(SVEN, 1, days=[SAT]), FEST) == {}
    programme = parse_programme(PROGRAMME, "t.yaml")
    midnight, one = programme.event("midnatt"), programme.event("kvall")
    assert seats.event_days(midnight) == ["2027-10-29", "2027-10-30"], \
        "a gathering of evenings to midnight had these days under both rules"
    assert not one.of_evenings and not one.is_multi_day


def test_the_night_followed_online_goes_with_its_evening() -> None:
    """At a hybrid gathering the old Saturday's own way wins; a night online after a
    Saturday not chosen makes Saturday online (every day online: an answer online)."""
    assert evenings.evenings(old(EVA, 1, online=[SUN]), FEST) == {
        "online": [], "online_waiting": False}
    assert evenings.evenings(old(EVA, 1, online=[SAT, SUN]), FEST) == {"online": [SAT]}
    assert evenings.evenings(old(EVA, 1, days=[FRI, SUN], online=[SUN]), FEST) == {
        "days": [], "online": [SAT]}
    assert evenings.evenings(old(EVA, 1, days=[SAT, SUN], online=[SUN], online_waiting=True),
                             FEST) == {"days": [SAT], "online": [], "online_waiting": False}
    assert evenings.evenings(old(EVA, 1, days=[FRI, SUN], online=[FRI, SUN]), FEST) == {
        "days": [], "answer": "online", "waiting": False, "online": [], "online_waiting": False}


def test_migrate_counts_and_skips_other_meetings() -> None:
    table = Store(None).table("rsvp_answers", indexes=("event", "user"))
    table.insert(old(SVEN, 1, days=[SUN]))
    table.insert(old(EMMA, 2, days=[FRI]))
    table.insert({**old(EVA, 3, days=[SUN]), "event": "other"})
    assert evenings.migrate(table, {"fest": FEST}.get) == [FEST]
    assert table.first(user=SVEN)["days"] == [SAT]
    assert table.first(user=SVEN)["days_revision"] == 1, "a new calendar file replaces the old"
    assert table.first(user=EVA)["days"] == [SUN], "not in the programme: left alone"
    assert evenings.migrate(table, {"fest": FEST}.get) == []


def write_old(data: Path) -> None:
    """Sven chose Sunday's small hours alone, Emma Friday and Sunday, Bo Saturday, under the
    rule before (the answers' stored form 1)."""
    with Store(data) as store:
        answers = store.table("rsvp_answers", indexes=("event", "user"))
        answers.insert(old(SVEN, 1, days=[SUN]))
        answers.insert(old(EMMA, 2, days=[FRI, SUN]))
        answers.insert(old(BO, 3, days=[SAT]))
        store.set_meta("version:rsvp", 1)
        store.commit_sync()


async def test_stored_answers_are_read_with_their_evenings(mingel_chat, tmp_path: Path) -> None:
    """Before, Sven's Sunday was every day (Friday's seat too) and Emma's Friday and Sunday
    Friday alone: Friday and Saturday had a seat left each. Now Sven comes on Saturday and
    Emma on both evenings: Friday has two seats left, Saturday none."""
    path, data = tmp_path / "programme.yaml", tmp_path / "data"
    path.write_text(PROGRAMME.replace("capacity: 1", "capacity: 3"), encoding="utf-8")
    write_old(data)
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             data_dir=data, env={"MINGEL_PROGRAMME": str(path)})
    sven = chat.text(await chat.send("/event fest", chat.user(SVEN, "Sven", lang="sv")))
    assert "Dina dagar: lör 16 okt." in sven
    assert "fre 15 okt.: 2 av 3 platser kvar, lör 16 okt.: fullbokad" in sven
    emma = chat.text(await chat.send("/event fest", chat.user(EMMA, "Emma", lang="en")))
    assert "Your days: Fri 15 Oct, Sat 16 Oct" in emma
    assert chat.assistant.store.get_meta("version:rsvp") == evenings.VERSION


def write_waiting(data: Path) -> None:
    """Sven chose Sunday's small hours alone, which took the one seat of both evenings; Eva
    then chose Friday and waited for it (the answers' stored form 1)."""
    with Store(data) as store:
        answers = store.table("rsvp_answers", indexes=("event", "user"))
        answers.insert(old(SVEN, 1, days=[SUN]))
        answers.insert(old(EVA, 2, days=[FRI], waiting=True))
        store.set_meta("version:rsvp", 1)
        store.commit_sync()


async def test_a_seat_the_night_no_longer_takes_goes_to_the_waiting_list(
        mingel_chat, tmp_path: Path) -> None:
    """Sven's Sunday took Friday's one seat too; as Saturday alone it frees Friday's, which
    the migration left empty while Eva waited for it, until the next change. The seats are
    settled with it: Eva has Friday's seat and is told so, once."""
    path, data = tmp_path / "programme.yaml", tmp_path / "data"
    path.write_text(PROGRAMME, encoding="utf-8")
    write_waiting(data)
    chat = await mingel_chat(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             data_dir=data, env={"MINGEL_PROGRAMME": str(path)})
    chat.user(EVA, "Eva", lang="en")
    eva = seats.current(chat.assistant.store.table("rsvp_answers"), "fest", EVA)
    assert eva is not None and not eva.waiting and eva.days == (FRI,)
    await chat.deliver()
    [told] = [chat.text([r]) for r in chat.sent_to(EVA) if r.text]
    assert told == ("Good news! A place has opened up at Evening festival and it's yours for "
                    "Fri 15 Oct. Your answer: Coming in person.")
    card = chat.text(await chat.send("/event fest", EVA))
    assert "Your answer: Coming in person" in card and "waiting" not in card.lower()


class Killed(BaseException):
    """The process dies here (no plugin or hook may catch it)."""


def dies_once_migrated(store: Store) -> None:
    """Make the store die like a killed process right after the commit that first makes the
    evenings migration durable (`version:rsvp` 2): nothing is written after it (a task still
    running in the dead process gets `Killed` too)."""
    dead = False

    def check() -> None:
        nonlocal dead
        if dead or store.get_meta("version:rsvp", 0) >= evenings.VERSION:
            if not dead:
                store._release()  # no flush, no compaction: what a kill -9 leaves
            dead = True
            raise Killed

    commit, commit_sync = store.commit, store.commit_sync

    async def dying_commit() -> None:
        if dead:
            raise Killed
        await commit()
        check()

    def dying_commit_sync() -> None:
        if dead:
            raise Killed
        commit_sync()
        check()

    store.commit, store.commit_sync = dying_commit, dying_commit_sync


async def test_a_crash_right_after_the_migration_still_tells_eva(tmp_path: Path) -> None:
    """The seats were settled and recorded, then the process died: the message telling Eva
    her seat was queued in that same commit, so the next start sends it (before, it was
    queued after the commit, and a crash in between left her never told)."""
    path, data = tmp_path / "programme.yaml", tmp_path / "data"
    path.write_text(PROGRAMME, encoding="utf-8")
    write_waiting(data)
    env = {"MINGEL_PROGRAMME": str(path)}
    first = ChatHarness(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                        data_dir=data, env=env)
    dies_once_migrated(first._store)
    with pytest.raises(Killed):
        await first.start()
    chat = await ChatHarness(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             data_dir=data, env=env).start()
    try:
        eva = seats.current(chat.assistant.store.table("rsvp_answers"), "fest", EVA)
        assert eva is not None and not eva.waiting and eva.days == (FRI,)
        await chat.deliver()
        [told] = [chat.text([r]) for r in chat.sent_to(EVA) if r.text]
        assert told.startswith("Good news! A place has opened up at Evening festival")
    finally:
        await chat.stop()


async def test_a_migration_that_fails_half_way_is_taken_back_and_done_at_the_next_start(
        tmp_path: Path, monkeypatch, caplog) -> None:
    """Telling Eva fails after her seat was settled: the answers, seats and anything queued
    are taken back (nothing of it is committed with the rest of the start-up), and the next
    start does it all, once."""
    from plugins.rsvp import seatmoves

    path, data = tmp_path / "programme.yaml", tmp_path / "data"
    path.write_text(PROGRAMME, encoding="utf-8")
    write_waiting(data)
    env = {"MINGEL_PROGRAMME": str(path)}
    tell = seatmoves.queue_moved

    def fails(ctx, event, moves):
        tell(ctx, event, moves)
        raise RuntimeError("the disk of the mind is full")

    monkeypatch.setattr(seatmoves, "queue_moved", fails)
    first = await ChatHarness(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                              data_dir=data, env=env).start()
    store = first.assistant.store
    assert "hook startup failed" in caplog.text
    assert store.get_meta("version:rsvp") == 1
    assert seats.current(store.table("rsvp_answers"), "fest", EVA).waiting
    assert first.assistant.outbox.table.count() == 0
    await first.stop()
    monkeypatch.setattr(seatmoves, "queue_moved", tell)
    chat = await ChatHarness(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             data_dir=data, env=env).start()
    try:
        assert chat.assistant.store.get_meta("version:rsvp") == evenings.VERSION
        await chat.deliver()
        assert len([r for r in chat.sent_to(EVA) if r.text]) == 1
    finally:
        await chat.stop()


def write_two_waiting(data: Path) -> None:
    """Two seats: Sven and Emma chose Sunday's small hours alone, which took both seats of
    both evenings; Eva and Bo then chose Friday and waited for it."""
    with Store(data) as store:
        answers = store.table("rsvp_answers", indexes=("event", "user"))
        answers.insert(old(SVEN, 1, days=[SUN]))
        answers.insert(old(EMMA, 2, days=[SUN]))
        answers.insert(old(EVA, 3, days=[FRI], waiting=True))
        answers.insert(old(BO, 4, days=[FRI], waiting=True))
        store.set_meta("version:rsvp", 1)
        store.commit_sync()


def yielding_plugin() -> types.ModuleType:
    """A plugin whose `rsvp_changed` awaits a commit, as one calling `ctx.give_way()` may."""
    module = types.ModuleType("yielding")
    module.NAME = "yielding"

    async def rsvp_changed(ctx, event, user_id, before, after) -> None:
        await asyncio.sleep(0)
        await ctx.assistant.store.commit()

    module.rsvp_changed = hookimpl(rsvp_changed)
    return module


async def test_a_plugin_that_commits_while_told_of_the_moves_leaves_the_migration_whole(
        tmp_path: Path) -> None:
    """Another plugin's `rsvp_changed` commits (it gives way), and the process dies right
    then: the migration, its version and both messages went in that commit whole, so the
    next start tells Eva and Bo their seats. (Before, the hooks ran between the moves: the
    commit took the changed answers and both seats without Bo's message or the version, and
    the next start found nothing left to settle: Bo had a seat and never heard of it.)"""
    path, data = tmp_path / "programme.yaml", tmp_path / "data"
    path.write_text(PROGRAMME.replace("capacity: 1", "capacity: 2"), encoding="utf-8")
    write_two_waiting(data)
    env = {"MINGEL_PROGRAMME": str(path)}
    first = ChatHarness([*PLUGINS, yielding_plugin()], organisers=[ORG], now=NOW,
                        flood_control=False, data_dir=data, env=env)
    store, commit = first._store, first._store.commit

    async def dies_after_commit() -> None:
        await commit()
        store._release()  # no flush, no compaction: what a kill -9 leaves
        raise Killed

    store.commit = dies_after_commit
    with pytest.raises(Killed):
        await first.start()
    chat = await ChatHarness(PLUGINS, organisers=[ORG], now=NOW, flood_control=False,
                             data_dir=data, env=env).start()
    try:
        assert chat.assistant.store.get_meta("version:rsvp") == evenings.VERSION
        answers = chat.assistant.store.table("rsvp_answers")
        for user in (EVA, BO):
            chat.user(user, "Eva" if user == EVA else "Bo", lang="en")
            assert not seats.current(answers, "fest", user).waiting
        await chat.deliver()
        for user in (EVA, BO):
            [told] = [chat.text([r]) for r in chat.sent_to(user) if r.text]
            assert told.startswith("Good news! A place has opened up at Evening festival")
    finally:
        await chat.stop()
