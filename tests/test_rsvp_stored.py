"""What an answer costs in storage: the fields at their defaults are left out, and answers
stored with every field by an older version lose them once, keeping their places."""
from __future__ import annotations

from datetime import datetime, timedelta

from assistant.storage import Store
from plugins.rsvp import evenings, seating, seats
from tests.test_rsvp_support import NOW, ORGANISER, plugins
from tests.test_rsvp_tally import meeting, table

WHEN = datetime(2026, 3, 1, 9, 0)


def fields(table, user: int) -> dict:
    doc = table.first(user=user)
    return {key: value for key, value in doc.items() if key not in ("at", "seq")}


def test_an_answer_is_stored_without_its_defaults_and_keeps_what_differs() -> None:
    answers, event = table(), meeting(capacity=1, online=None)
    seating.answer(answers, event, 1, "in_person", WHEN)
    seating.answer(answers, event, 2, "in_person", WHEN + timedelta(minutes=1))
    assert fields(answers, 1) == {"event": "m1", "user": 1, "answer": "in_person"}
    assert fields(answers, 2) == {"event": "m1", "user": 2, "answer": "in_person",
                                  "waiting": True}

    _before, _after, moves = seating.answer(answers, event, 1, "no", WHEN + timedelta(minutes=2))
    assert [(m.user_id, m.kind) for m in moves] == [(2, "promoted")]
    assert fields(answers, 2) == {"event": "m1", "user": 2, "answer": "in_person", "moves": 1}
    assert seats.moves_counter(answers, "m1", 2) == 1
    assert seats.current(answers, "m1", 2).waiting is False


def test_chosen_days_are_stored_every_day_again_is_left_out_and_each_change_counted() -> None:
    answers, event = table(), meeting(capacity=5, days=2)
    seating.answer(answers, event, 1, "in_person", WHEN)
    first = seats.event_days(event)[0]
    seating.choose_days(answers, event, 1, [first])
    assert answers.first(user=1)["days"] == [first]
    seating.choose_days(answers, event, 1, [first])
    assert answers.first(user=1)["days_revision"] == 1
    seating.choose_days(answers, event, 1, seats.event_days(event))
    assert "days" not in answers.first(user=1)
    assert seats.current(answers, "m1", 1).days == ()
    assert seats.current(answers, "m1", 1).days_revision == 2
    seating.choose_days(answers, event, 1, [first])
    seating.answer(answers, event, 1, "no", WHEN + timedelta(minutes=1))
    assert "days" not in answers.first(user=1)
    assert seats.current(answers, "m1", 1).days_revision == 4


async def test_answers_stored_with_every_field_lose_their_defaults_and_keep_their_places(
        mingel_chat, tmp_path) -> None:
    data = tmp_path / "data"
    old = [(2, "in_person", False, 0), (3, "in_person", False, 2), (4, "in_person", True, 0),
           (5, "maybe", False, 0)]
    with Store(data) as store:
        answers = store.table("rsvp_answers", indexes=("event", "user"))
        for seq, (user, answer, waiting, moves) in enumerate(old, 1):
            answers.insert({"event": "hybrid", "user": user, "answer": answer, "seq": seq,
                            "at": f"2027-07-0{seq}T10:00:00+00:00", "waiting": waiting,
                            "days": [], "moves": moves})
        store.commit_sync()

    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW, data_dir=data)
    waiting = await chat.send("/rsvp hybrid", chat.user(4, "Kim"))
    assert "Your answer: Coming in person – waiting list, place 1 · no in-person seats left" in chat.text(
        waiting)
    stored = {d["user"]: d for d in chat.assistant.store.table("rsvp_answers").all()}
    assert [sorted(stored[user]) for user in (2, 3, 4, 5)] == [
        ["answer", "at", "event", "seq", "user"], ["answer", "at", "event", "moves", "seq", "user"],
        ["answer", "at", "event", "seq", "user", "waiting"], ["answer", "at", "event", "seq", "user"]]
    assert stored[3]["moves"] == 2 and stored[4]["waiting"] is True

    emma = chat.user(2, "Emma")
    await chat.send("/rsvp hybrid", emma)
    await chat.press("Can't come", emma)
    delivered = await chat.deliver()
    assert delivered[4][0].text.startswith("Good news!")
    await chat.stop()
    with Store(data) as store:
        assert store.get_meta("version:rsvp") == evenings.VERSION, "and the evenings' days"
        assert sorted(store.table("rsvp_answers").first(user=4)) == [
            "answer", "at", "event", "moves", "seq", "user"]
