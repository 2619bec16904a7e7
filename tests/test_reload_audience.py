"""The reload preview's count of the people told (review 29, findings 2 and 5): it lets others'
updates in between meetings, Confirm says the count the preview worked out without asking the
plugins again, and one plugin's odd answer (a set, a generator, nonsense) breaks no reload."""
from __future__ import annotations

import asyncio
import logging
import types

from assistant import hookimpl
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME

LATER = PROGRAMME.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00") \
    .replace("start: 2027-09-21 09:30", "start: 2027-09-21 10:00") \
    .replace("start: 2027-11-10 10:00", "start: 2027-11-10 10:30")
"""Three meetings to come start later."""


def wishes_plugin(answer, asked: list[str] | None = None) -> types.ModuleType:
    """A third-party plugin that tells its own people of moved meetings: `answer(event)` is
    what its change_audience gives; each meeting it is asked about goes into `asked`."""
    module = types.ModuleType("wishes")
    module.NAME = "wishes"

    @hookimpl
    def change_audience(before, after, fields):
        if after is None or "time" not in fields:
            return None
        if asked is not None:
            asked.append(after.id)
        return answer(after)

    module.change_audience = change_audience
    return module


async def started(mingel_chat, tmp_path, plugin):
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat([*REAL, plugin], organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ORGANISER, "Org")
    path.write_text(LATER, encoding="utf-8")
    return chat


async def test_others_are_answered_while_the_preview_counts_meeting_by_meeting(
        mingel_chat, tmp_path) -> None:
    turns = [0]
    seen: list[int] = []
    chat = await started(mingel_chat, tmp_path, wishes_plugin(
        lambda event: seen.append(turns[0]) or [7]))
    chat.assistant.job_slice, chat.assistant.job_pause = 0.0, 0.0

    async def someone_else() -> None:
        while True:
            turns[0] += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(someone_else())
    try:
        preview = chat.text(await chat.send("/reload", ORGANISER))
    finally:
        other.cancel()
    assert preview.endswith("1 participant of the changed meetings will be told.")
    assert len(seen) == 3 and len(set(seen)) == 3, "others ran between the meetings counted"


async def test_confirm_says_the_count_of_the_preview_without_asking_again(
        mingel_chat, tmp_path) -> None:
    asked: list[str] = []
    chat = await started(mingel_chat, tmp_path, wishes_plugin(
        lambda event: [7, 8] if event.id == "hybrid" else [8, 9], asked))
    preview = chat.text(await chat.send("/reload", ORGANISER))
    assert preview.endswith("3 participants of the changed meetings will be told.")
    assert sorted(asked) == ["days", "hybrid", "small"]
    done = chat.text(await chat.press("✅ Confirm", ORGANISER))
    assert done.endswith("3 participants of the changed meetings are being told.")
    assert sorted(asked) == ["days", "hybrid", "small"], "Confirm asked every plugin again"


async def test_a_change_waiting_from_before_an_upgrade_is_still_counted_at_confirm(
        mingel_chat, tmp_path) -> None:
    chat = await started(mingel_chat, tmp_path, wishes_plugin(lambda event: [7, 8]))
    await chat.send("/reload", ORGANISER)
    pending = chat.assistant.store.table("programme_pending")
    waiting = dict(pending.get(ORGANISER))
    del waiting["told"]  # as an earlier version stored it
    pending.put(ORGANISER, waiting)
    done = chat.text(await chat.press("✅ Confirm", ORGANISER))
    assert done.endswith("2 participants of the changed meetings are being told.")


async def test_a_plugin_may_answer_with_a_set_or_a_generator(mingel_chat, tmp_path) -> None:
    chat = await started(mingel_chat, tmp_path, wishes_plugin(
        lambda event: {7, 8} if event.id == "hybrid" else (n for n in (8, 9))))
    preview = chat.text(await chat.send("/reload", ORGANISER))
    assert preview.endswith("3 participants of the changed meetings will be told.")
    done = chat.text(await chat.press("✅ Confirm", ORGANISER))
    assert done.endswith("3 participants of the changed meetings are being told.")


async def test_a_plugin_that_answers_nonsense_is_left_out_and_logged(
        mingel_chat, tmp_path, caplog) -> None:
    answers = {"hybrid": [[7]], "small": "12", "days": 5}
    chat = await started(mingel_chat, tmp_path, wishes_plugin(lambda event: answers[event.id]))
    with caplog.at_level(logging.ERROR, logger="assistant.plugins.wishes"):
        preview = chat.text(await chat.send("/reload", ORGANISER))
    assert preview.endswith("Confirm to put it in use.")
    assert len([r for r in caplog.records if r.name == "assistant.plugins.wishes"]) == 3
    done = chat.text(await chat.press("✅ Confirm", ORGANISER))
    assert done.startswith("Done: the new programme is in use")
