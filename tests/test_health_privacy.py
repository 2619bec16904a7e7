"""Health data is special-category data: only the outcome is kept, never the answers; it is
swept after the retention (also across restarts); forged buttons change nothing; the plugin
can be switched off without a trace."""
from __future__ import annotations

import logging
from datetime import datetime

from assistant.testing import ChatHarness
from plugins.programme.loader import parse_programme
from tests.test_health_support import (
    NOW,
    PROGRAMME,
    QUESTIONS_EN,
    QUESTIONS_SV,
    answer_all,
    attendance,
    coming_in_person,
    declare,
    fake_programme,
    make,
    plugins,
    programme_file,
)

HYBRID_END = datetime.fromisoformat("2027-08-03T12:30:00+02:00")


def stored(chat) -> list[tuple[str, int, str]]:
    return sorted((d["event"], d["user"], d["outcome"]) for d in chat.table("health", "outcomes"))


async def test_the_data_directory_holds_outcomes_and_times_only(mingel_chat, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    data = tmp_path / "data"
    chat = await make(mingel_chat, data_dir=data)
    eva, sven = chat.user(5, "Eva", lang="en"), chat.user(6, "Sven", lang="sv")
    await coming_in_person(chat, eva)
    await coming_in_person(chat, sven)
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "yny")
    await chat.send("/health hybrid", sven)
    await answer_all(chat, sven, "nyn")
    await chat.stop()
    files = [p for p in data.rglob("*") if p.is_file()]
    content = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)
    assert '"stay_home"' in content
    for secret in ("health:q", '"yes"', ":yes", "any_yes", "health_pending", "health_answers"):
        assert secret not in content
    # the programme plugin caches the programme itself (questions included) in its own file
    stored_data = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files
                             if not p.name.endswith(".cache"))
    for question in (*QUESTIONS_EN, *QUESTIONS_SV):
        assert question not in stored_data
    for secret in (*QUESTIONS_EN, *QUESTIONS_SV, ":yes", ":no"):
        assert not any(secret in r.getMessage() for r in caplog.records)
    chat = await make(mingel_chat, data_dir=data)
    docs = chat.table("health", "outcomes")
    assert [set(d) for d in docs] == [{"event", "user", "outcome", "at"}] * 2
    assert stored(chat) == [("hybrid", 5, "stay_home"), ("hybrid", 6, "stay_home")]


async def test_an_unfinished_declaration_leaves_nothing_behind(mingel_chat, tmp_path):
    data = tmp_path / "data"
    chat = await make(mingel_chat, data_dir=data)
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/health hybrid", eva)
    await answer_all(chat, eva, "yn")
    await chat.stop()
    content = "\n".join(p.read_text(errors="replace") for p in data.rglob("*")
                        if p.is_file() and not p.name.endswith(".cache"))
    assert QUESTIONS_EN[0] not in content and "health:q" not in content
    chat = await make(mingel_chat, data_dir=data)
    assert stored(chat) == []


async def test_outcomes_are_deleted_14_days_after_the_meeting(mingel_chat) -> None:
    chat = await make(mingel_chat)
    await declare(chat, chat.user(5, "Eva"), "hybrid", "nnn")
    await declare(chat, chat.user(6, "Sven"), "hybrid", "ynn")
    chat.clock.set(HYBRID_END)
    await chat.tick(days=13, hours=23)
    assert stored(chat) == [("hybrid", 5, "fine"), ("hybrid", 6, "stay_home")]
    await chat.tick(days=1)
    assert stored(chat) == []
    assert "health" not in chat.assistant.hooks.user_data(chat.context("health"), 5)


async def test_the_last_reminder_does_not_keep_the_outcome_past_its_retention(
        mingel_chat, tmp_path) -> None:
    """Review: the last reminder says "Health declaration done"; the outbox kept that text a
    month after sending, two weeks past the outcome's own retention, on disk and in /mydata.
    A sent message keeps no text, so once the outcome is swept it is nowhere."""
    data = tmp_path / "data"
    env = {"MINGEL_PROGRAMME": programme_file()}
    chat = await mingel_chat([*plugins(), "plugins.reminders", "plugins.privacy"],
                             organisers=[1], now=NOW, flood_control=False, env=env,
                             data_dir=data)
    emma = chat.user(2, "Emma", lang="en")
    await declare(chat, emma, "hybrid", "nnn")
    await coming_in_person(chat, emma, "hybrid")
    for _ in range(60):
        await chat.tick(hours=1)
    assert any("declaration done" in (reply.text or "") for reply in chat.sent_to(emma))
    chat.clock.set(HYBRID_END)
    await chat.tick(days=14, hours=1)
    await chat.tick(hours=1)
    assert stored(chat) == []
    [document] = chat.documents(await chat.send("/mydata", emma))
    assert "declaration" not in document.content.decode()
    await chat.stop()
    for path in data.rglob("*"):
        assert not path.is_file() or b"declaration done" not in path.read_bytes(), path


async def test_retention_is_configurable(mingel_chat) -> None:
    chat = await make(mingel_chat, env={"MINGEL_HEALTH_RETENTION": "2d"})
    await declare(chat, chat.user(5, "Eva"), "hybrid", "nnn")
    await chat.tick(days=15)
    assert stored(chat) == []


async def test_outcomes_of_meetings_gone_from_the_programme_expire_after_storing(mingel_chat):
    chat = await make(mingel_chat)
    chat.context("health").table("outcomes").insert(
        {"event": "removed", "user": 5, "outcome": "fine", "at": NOW})
    await chat.tick(days=13)
    assert stored(chat) == [("removed", 5, "fine")]
    await chat.tick(days=1)
    assert stored(chat) == []


async def test_the_sweep_survives_a_restart(tmp_path) -> None:
    data = tmp_path / "data"
    env = {"MINGEL_PROGRAMME": programme_file()}
    async with ChatHarness(plugins(), now=NOW, data_dir=data, env=env,
                           flood_control=False) as chat:
        await declare(chat, chat.user(5, "Eva"), "hybrid", "nnn")
        assert stored(chat) == [("hybrid", 5, "fine")]
    async with ChatHarness(plugins(), now="2027-08-18T08:00:00+00:00", data_dir=data,
                           env=env) as later:
        assert stored(later) == [("hybrid", 5, "fine")]
        await later.tick()
        assert stored(later) == []
    async with ChatHarness(plugins(), now="2027-08-18T08:00:00+00:00", data_dir=data,
                           env=env) as again:
        assert stored(again) == []


async def test_forged_question_numbers_and_meetings_change_nothing(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva, olle = chat.user(5, "Eva", lang="en"), chat.user(7, "Olle", lang="en")
    await coming_in_person(chat, eva)
    first = await chat.send("/health hybrid", eva)
    for data in ("health:q:hybrid:2:no", "health:q:hybrid:3:no", "health:q:required:0:no",
                 "health:q:hybrid:0:maybe", "health:rules:hybrid", "health:q:hybrid:-1:yes",
                 "health:q:secret:0:no"):
        assert await chat.press_data(data, eva) == []
        assert chat.toasts[5] == "This question is no longer open. Send /health to start again."
    for data in ("health:q:hybrid:0", "health:q", "health:q:hybrid:0:no:x"):  # no button of ours
        assert await chat.press_data(data, eva) == []
        assert chat.toasts[5] == "This button no longer works."
    for data in ("health:q:hybrid:0:yes", "health:rules:hybrid"):
        assert await chat.press_data(data, olle) == []
    assert "Question 2 of 3" in chat.text(await chat.press("No", eva, first))
    await answer_all(chat, eva, "nn")
    await chat.press("I will follow these", eva)
    assert stored(chat) == [("hybrid", 5, "fine")]
    for data in ("health:q:hybrid:2:yes", "health:rules:hybrid", "health:online:hybrid",
                 "health:cancel:hybrid"):
        await chat.press_data(data, eva)
    assert stored(chat) == [("hybrid", 5, "fine")]
    assert attendance(chat, "hybrid", 5).answer == "in_person"
    assert chat.toasts[5] == "This button no longer works."


async def test_forged_follow_up_buttons_for_hidden_or_other_meetings(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    for data in ("health:start:secret", "health:online:secret", "health:inperson:nope",
                 "health:start:plain", "health:online:hybrid", "health:inperson:hybrid"):
        await chat.press_data(data, eva)
    assert chat.toasts[5] == "This button no longer works."
    assert stored(chat) == [] and attendance(chat, "hybrid", 5) is None
    started = await chat.press_data("health:start:secret", eva)
    assert chat.text(started) == ("I can't find a meeting with the id secret. Send /programme "
                                  "to see the meetings.")


async def test_changed_questions_mid_declaration_start_over(mingel_chat) -> None:
    programme_plugin = fake_programme()
    chat = await mingel_chat(["plugins.basics", programme_plugin, "plugins.health"], now=NOW)
    eva = chat.user(5, "Eva", lang="en")
    await chat.send("/health hybrid", eva)
    await chat.press("No", eva)
    shorter = PROGRAMME.replace(
        '    - {sv: "Har du träffat någon som är smittad?", en: "Have you met someone who is '
        'infected?"}\n', "")
    programme_plugin.current = parse_programme(shorter, "test.yaml")
    replies = await chat.press("No", eva)
    assert chat.text(replies) == "The questions have changed. Please start again."
    assert stored(chat) == []
    assert "Question 1 of 2" in chat.text(await chat.send("/health hybrid", eva))


async def test_a_disabled_plugin_leaves_no_trace(mingel_chat) -> None:
    chat = await make(mingel_chat, env={"MINGEL_DISABLED_PLUGINS": "health"})
    eva = chat.user(5, "Eva", lang="en")
    await coming_in_person(chat, eva)
    card = await chat.send("/event hybrid", eva)
    assert "health" not in chat.text(card).lower()
    assert chat.buttons(card) == ["✓ Coming in person", "Coming online", "Maybe", "Can't come"]
    help_text = chat.text(await chat.send("/help", 1)).lower()
    assert "/health" not in help_text and "/doorlist" not in help_text
    assert "health" not in help_text
    assert chat.text(await chat.send("/health hybrid", eva)).startswith(
        "I don't know the command /health")
    await chat.tick(days=1)
    assert chat.assistant.store.table("health_outcomes").all() == []
    assert "health" not in chat.assistant.plugin_names()


WIDE = {"MINGEL_HEALTH_WINDOW": "30d"}
"""Both "hybrid" (ends 3 August) and "required" (ends 11 August) open for declarations at NOW."""


async def test_a_declaration_made_after_a_sweep_still_goes_on_its_own_day(mingel_chat) -> None:
    chat = await make(mingel_chat, env=WIDE)
    await declare(chat, chat.user(5, "Eva"), "required", "nnn")
    await chat.tick()
    await declare(chat, chat.user(6, "Sven"), "hybrid", "nnn")
    chat.clock.set(HYBRID_END)
    await chat.tick(days=14, minutes=1)
    assert stored(chat) == [("required", 5, "fine")]
    chat.clock.set(datetime.fromisoformat("2027-08-25T15:01:00+02:00"))
    await chat.tick()
    assert stored(chat) == []


async def test_outcomes_written_behind_the_plugin_s_back_are_swept_too(mingel_chat) -> None:
    chat = await make(mingel_chat, env=WIDE)
    await declare(chat, chat.user(5, "Eva"), "required", "nnn")
    await chat.tick()
    chat.context("health").table("outcomes").insert(
        {"event": "removed", "user": 6, "outcome": "fine", "at": NOW})
    await chat.tick(days=14, minutes=1)
    assert stored(chat) == [("required", 5, "fine")]


async def test_a_meeting_leaving_the_programme_brings_its_outcomes_due_date_forward(
        mingel_chat) -> None:
    programme_plugin = fake_programme()
    chat = await mingel_chat(["plugins.basics", programme_plugin, "plugins.rsvp",
                              "plugins.health"], now=NOW, flood_control=False, env=WIDE)
    await declare(chat, chat.user(5, "Eva"), "required", "nnn")
    await chat.tick()
    programme_plugin.current = parse_programme(
        PROGRAMME.replace("  - id: required\n", "  - id: required-moved\n"), "test.yaml")
    await chat.tick(days=14, minutes=1)
    assert stored(chat) == []


def on_disk(data) -> str:
    """The store's files as they are on disk now (the programme's own cache left out)."""
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in data.rglob("*")
                     if p.is_file() and not p.name.startswith("programme"))


async def test_deleted_outcomes_leave_the_disk_within_the_hour(mingel_chat, tmp_path) -> None:
    """A "stay at home" deleted after its retention is gone from the data files too, not
    only from memory: the journal would otherwise keep it until it next grows large (QA 39)."""
    data = tmp_path / "data"
    chat = await make(mingel_chat, data_dir=data)
    await declare(chat, chat.user(5, "Eva"), "hybrid", "nnn")
    await declare(chat, chat.user(6, "Sven"), "hybrid", "ynn")
    await chat.tick()
    assert '"stay_home"' in on_disk(data)
    chat.clock.set(HYBRID_END)
    await chat.tick(days=14, minutes=1)
    assert stored(chat) == []
    assert '"stay_home"' not in on_disk(data) and '"fine"' not in on_disk(data)

    chat.context("health").table("outcomes").insert(
        {"event": "hybrid", "user": 7, "outcome": "stay_home", "at": NOW})
    await chat.assistant.store.commit()
    chat.context("health").table("outcomes").truncate()
    chat.context("health").scrub()
    await chat.assistant.store.commit()
    await chat.tick(minutes=30)
    assert '"stay_home"' in on_disk(data), "at most one rewrite of the files an hour"
    await chat.tick(minutes=31)
    assert '"stay_home"' not in on_disk(data)
