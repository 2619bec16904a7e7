"""A programme file edited while the bot was stopped (harness): the programme in use stays
until an organiser sees the changes with /reload and confirms them, as for a live edit."""
from __future__ import annotations

from pathlib import Path

from assistant.outbox import TABLE as OUTBOX
from plugins.programme import remembered
from tests.test_rsvp_support import NOW, PROGRAMME

ORG, ORG_SV, EMMA, OLLE = 1, 4, 2, 3
REAL = ["plugins.basics", "plugins.programme", "plugins.rsvp", "plugins.calendar"]

EDITED = (PROGRAMME
          .replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00")
          .replace("    capacity: 2\n", "    capacity: 1\n")
          .replace("    end: 2027-09-21 12:30\n", "    end: 2027-09-21 12:30\n    cancelled: true\n"))
FILE_CHANGED = ("⚠️ The programme file programme.yaml differs from the programme in use: it was "
                "probably changed while I was stopped.")


async def start(mingel_chat, tmp_path: Path, text: str = PROGRAMME):
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    chat = await mingel_chat(REAL, organisers=[ORG, ORG_SV], now=NOW, data_dir=tmp_path / "data",
                             env={"MINGEL_PROGRAMME": str(path)})
    chat.user(ORG, "Olga", lang="en")
    chat.user(ORG_SV, "Oskar", lang="sv")
    chat.user(EMMA, "Emma", lang="en")
    chat.user(OLLE, "Olle", lang="sv")
    return chat, path


async def answer(chat, user: int, event_id: str, label: str) -> None:
    await chat.send(f"/rsvp {event_id}", user)
    await chat.press(label, user)


async def test_an_edit_while_stopped_waits_for_reload_and_confirm(mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    await answer(chat, EMMA, "hybrid", "Coming in person")
    await answer(chat, OLLE, "hybrid", "Kommer på plats")
    await answer(chat, EMMA, "small", "Coming in person")
    await chat.send("/start", ORG_SV)
    await chat.deliver()
    await chat.stop()
    path.write_text(EDITED, encoding="utf-8")

    await chat.restart()
    await chat.tick(minutes=5)
    assert chat.sent_to(EMMA) == [] and chat.sent_to(OLLE) == []
    card = chat.text(await chat.send("/event hybrid", EMMA))
    assert "09:30–12:30" in card and "Cancelled" not in chat.text(
        await chat.send("/event small", EMMA))
    [told] = chat.sent_to(ORG)
    assert told.text.startswith(FILE_CHANGED)
    assert "Send /reload to see what the file changes" in told.text
    [told_sv] = chat.sent_to(ORG_SV)
    assert told_sv.text.startswith("⚠️ Programfilen programme.yaml skiljer sig från programmet "
                                   "som används")

    preview = chat.text(await chat.send("/reload", ORG))
    assert "Time: starts 09:30 → 10:00" in preview
    assert "Seats at the venue: 2 → 1" in preview
    assert "1 meeting cancelled\n• Tue 21 Sept 09:30 · Small meeting (small)" in preview
    await chat.press("Confirm", ORG)
    await chat.tick(minutes=3)
    cancelled, cancel_ics, changed, changed_ics = chat.sent_to(EMMA)
    assert cancelled.text.startswith("❌ <b>Cancelled:</b> Small meeting")
    assert b"METHOD:CANCEL" in cancel_ics.document.content
    assert changed.text.splitlines()[1:] == ["Time changed: 09:30–12:30 → 10:00–12:30"]
    assert b"DTSTART;TZID=Europe/Stockholm:20270902T100000" in changed_ics.document.content
    olle = chat.text(chat.sent_to(OLLE))
    assert "står du nu på väntelistan, plats 1" in olle
    assert "Ny tid: 09:30–12:30 → 10:00–12:30" in olle
    audit = [e["action"] for e in chat.table("assistant", "audit")]
    assert audit.count("programme.event_changed") == 2

    await chat.restart()  # what was confirmed is the programme in use now
    await chat.deliver()
    assert len(chat.sent_to(ORG)) == 1
    assert "10:00–12:30" in chat.text(await chat.send("/event hybrid", EMMA))


async def test_the_first_start_remembers_the_file_and_a_restart_keeps_it(mingel_chat,
                                                                         tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    assert "09:30–12:30" in chat.text(await chat.send("/event hybrid", EMMA))
    await chat.deliver()
    assert chat.sent_to(ORG) == []
    assert chat.text(await chat.send("/reload", ORG)).startswith("Nothing changed")
    await chat.restart()
    await chat.deliver()
    assert chat.sent_to(ORG) == []
    path.write_text(EDITED, encoding="utf-8")
    await chat.restart()
    await chat.deliver()
    assert "09:30–12:30" in chat.text(await chat.send("/event hybrid", EMMA))
    assert chat.sent_to(ORG)[0].text.startswith(FILE_CHANGED)
    await chat.restart()  # the same edit again: the organisers were told already
    await chat.deliver()
    assert len(chat.sent_to(ORG)) == 1


async def test_a_file_broken_while_stopped_keeps_the_programme_in_use(mingel_chat,
                                                                       tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(PROGRAMME.replace("venue: f7", "venue: f8"), encoding="utf-8")
    await chat.restart()
    await chat.deliver()
    assert "F7, Fleminggatan 7" in chat.text(await chat.send("/event hybrid", EMMA))
    assert chat.sent_to(ORG)[0].text.startswith(FILE_CHANGED)
    problems = chat.text(await chat.send("/reload", ORG))
    assert problems.startswith("This programme file has 1 problem, so I'm keeping the programme in "
                               "use. Fix it and try again:")
    assert f"{path.name}:9: defaults: unknown venue 'f8'" in problems
    assert str(path.parent) not in problems
    path.unlink()
    await chat.restart()
    assert "F7, Fleminggatan 7" in chat.text(await chat.send("/event hybrid", EMMA))


async def test_a_file_whose_changes_say_nothing_new_is_taken_after_reload(
        mingel_chat, tmp_path, caplog) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text("# tidied up\n" + PROGRAMME, encoding="utf-8")
    with caplog.at_level("WARNING"):
        await chat.restart()
    assert "differs from the programme in use at the last stop" in caplog.text
    await chat.deliver()
    assert len(chat.sent_to(ORG)) == 1
    assert chat.text(await chat.send("/reload", ORG)).startswith("Nothing changed")
    caplog.clear()
    with caplog.at_level("WARNING"):
        await chat.restart()
    assert "differs" not in caplog.text


async def test_a_damaged_remembered_programme_gives_way_to_the_file(mingel_chat, tmp_path,
                                                                    caplog) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    chat.assistant.store.table("programme_in_use").put(1, {"fingerprint": "0", "text": "!"})
    await chat.assistant.store.commit()
    path.write_text(EDITED, encoding="utf-8")
    with caplog.at_level("WARNING"):
        await chat.restart()
    assert "the remembered programme is damaged" in caplog.text
    assert "10:00–12:30" in chat.text(await chat.send("/event hybrid", EMMA))
    assert chat.text(await chat.send("/reload", ORG)).startswith("Nothing changed")


async def test_the_start_logs_its_counts_in_good_english(mingel_chat, tmp_path, caplog) -> None:
    """'1 network', not '1 networks' (QA 30, finding 10)."""
    chat, path = await start(mingel_chat, tmp_path)
    caplog.clear()
    with caplog.at_level("INFO"):
        await chat.restart()
    assert f"programme {path}: 7 events, 1 network\n" in caplog.text


async def test_a_copy_of_the_sample_in_use_keeps_its_edits_for_reload(mingel_chat,
                                                                      tmp_path) -> None:
    """An organiser starts from a copy of the bundled sample at a path of their own and people
    answer its meetings: an edit made while stopped waits for /reload and is told once
    confirmed, as for any file; it is not taken as a first start after the sample."""
    sample = (Path(__file__).parent.parent / "plugins" / "programme" / "sample.yaml").read_text(
        encoding="utf-8")
    chat, path = await start(mingel_chat, tmp_path, sample)
    await answer(chat, EMMA, "am-2027-09-02", "Coming in person")
    await chat.stop()
    path.write_text(sample.replace(
        "  - id: am-2027-09-02               # Thursday 3 September 2020\n",
        "  - id: am-2027-09-02               # Thursday 3 September 2020\n"
        "    note: {sv: Vi är i Stora salen, en: We are in the Large Hall}\n", 1),
        encoding="utf-8")
    await chat.restart()
    await chat.tick(minutes=5)
    assert "Large Hall" not in chat.text(await chat.send("/event am-2027-09-02", EMMA))
    [told] = chat.sent_to(ORG)
    assert told.text.startswith(FILE_CHANGED)
    assert "We are in the Large Hall" in chat.text(await chat.send("/reload", ORG))
    await chat.press("Confirm", ORG)
    await chat.tick(minutes=3)
    assert "New note: “We are in the Large Hall”" in chat.text(chat.sent_to(EMMA))


async def warnings_after_restart(chat, org: int = ORG) -> int:
    """Restart as after a deploy: how many start-up warnings the organiser has had so far."""
    await chat.restart()
    await chat.deliver()
    return sum(1 for m in chat.sent_to(org) if (m.text or "").startswith("⚠️"))


async def test_each_version_of_an_edited_file_is_told_once_however_many_restarts(
        mingel_chat, tmp_path) -> None:
    """Review: the warning was remembered only by its outbox key, which is forgotten a month
    after it was sent, so a file waiting for /reload was told again then; and a file edited
    back to a version told before was not told at all."""
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(EDITED, encoding="utf-8")
    assert await warnings_after_restart(chat) == 1
    assert await warnings_after_restart(chat) == 1
    chat.clock.advance(days=40)
    await chat.tick()  # the outbox forgets what it sent more than a month ago
    assert await warnings_after_restart(chat) == 1, "the same file, told once"
    assert await warnings_after_restart(chat, ORG_SV) == 1

    again = EDITED.replace("    capacity: 1\n", "    capacity: 3\n", 1)
    path.write_text(again, encoding="utf-8")
    assert await warnings_after_restart(chat) == 2, "another text: told again"
    assert await warnings_after_restart(chat) == 2
    path.write_text(EDITED, encoding="utf-8")
    assert await warnings_after_restart(chat) == 3, "back to the first edit: changed since told"
    assert await warnings_after_restart(chat, ORG_SV) == 3

    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    assert await warnings_after_restart(chat) == 3
    path.write_text(again, encoding="utf-8")
    assert await warnings_after_restart(chat) == 4, "an edit after Confirm is told"
    assert await warnings_after_restart(chat) == 4


async def test_a_file_set_back_and_edited_again_is_told_again(mingel_chat, tmp_path) -> None:
    """Told of an edit, the organisers see the file set back to the programme in use, then
    edited the same way again: it changed since they were told, so they are told again."""
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(EDITED, encoding="utf-8")
    assert await warnings_after_restart(chat) == 1
    path.write_text(PROGRAMME, encoding="utf-8")
    assert await warnings_after_restart(chat) == 1
    path.write_text(EDITED, encoding="utf-8")
    assert await warnings_after_restart(chat) == 2


async def test_an_organiser_who_used_forget_is_told_again(mingel_chat, tmp_path) -> None:
    """/forget deletes that the warning reached them too."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat([*REAL, "plugins.privacy"], organisers=[ORG, ORG_SV], now=NOW,
                             data_dir=tmp_path / "data", env={"MINGEL_PROGRAMME": str(path)})
    path.write_text(EDITED, encoding="utf-8")
    assert await warnings_after_restart(chat) == 1
    await chat.send("/forget", ORG)
    await chat.press("Yes, delete everything", ORG)
    assert await warnings_after_restart(chat) == 2
    assert await warnings_after_restart(chat, ORG_SV) == 1


async def test_a_warning_sent_before_versions_were_kept_is_not_sent_again(mingel_chat,
                                                                          tmp_path) -> None:
    """After an upgrade, the warning an older Mingel sent (known by its outbox key alone) is
    not sent again for the same file."""
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(EDITED, encoding="utf-8")
    assert await warnings_after_restart(chat) == 1
    store = chat.assistant.store
    store.table("programme_in_use").remove(remembered.TOLD)
    outbox = store.table(OUTBOX)
    for doc in outbox.all():
        if doc["key"].startswith("programme:file-changed:"):
            kind, versions, _count, organiser = doc["key"].rsplit(":", 3)
            outbox.update(doc.doc_id, {"key": f"{kind}:{versions}:{organiser}"})
    await store.commit()
    assert await warnings_after_restart(chat) == 1
    assert await warnings_after_restart(chat, ORG_SV) == 1


async def test_a_version_told_before_is_told_again_after_reloads_in_between(mingel_chat,
                                                                           tmp_path) -> None:
    """Told about an edit, the organiser confirms it with /reload, later sets the file back
    and confirms that too; an edit to the first version while stopped is told again (the
    programme in use moved on twice since that warning)."""
    chat, path = await start(mingel_chat, tmp_path)
    await chat.send("/start", ORG)
    await chat.deliver()
    await chat.stop()
    path.write_text(EDITED, encoding="utf-8")
    await chat.restart()
    await chat.deliver()
    for text in (EDITED, PROGRAMME):
        path.write_text(text, encoding="utf-8")
        await chat.send("/reload", ORG)
        await chat.press("Confirm", ORG)
        await chat.tick(minutes=3)
    await chat.stop()
    path.write_text(EDITED, encoding="utf-8")
    await chat.restart()
    await chat.deliver()
    assert "09:30–12:30" in chat.text(await chat.send("/event hybrid", EMMA))
    assert sum(m.text.startswith(FILE_CHANGED) for m in chat.sent_to(ORG) if m.text) == 2


async def test_the_start_log_names_the_programme_kept_not_the_file_waiting(
        mingel_chat, tmp_path, caplog) -> None:
    """An operator reading the log after an edit while stopped learns that the counts are
    those of the programme in use, not of the file that waits for /reload (QA 37)."""
    chat, path = await start(mingel_chat, tmp_path)
    path.write_text(EDITED.replace("  - id: small\n", "  - id: smaller\n"), encoding="utf-8")
    caplog.clear()
    with caplog.at_level("INFO"):
        await chat.restart()
    assert "programme in use at the last stop: 7 events, 1 network\n" in caplog.text
    assert f"programme {path}:" not in caplog.text
