"""Organisers see who is coming: /attendees with counts, names and a CSV; `mingel export`."""
from __future__ import annotations

import asyncio
import csv
import io

from assistant import cli
from assistant.core import Assistant
from assistant.storage import Store
from tests.test_rsvp_support import NOW, ORGANISER, plugins


async def answer(chat, user, event_id, label):
    await chat.send(f"/rsvp {event_id}", user)
    return await chat.press(label, user)


async def fill(chat) -> None:
    """Five people answer the hybrid meeting (two seats)."""
    await answer(chat, chat.user(2, "Emma", last_name="<Berg>", username="emmab"), "hybrid",
                 "Coming in person")
    await answer(chat, chat.user(3, "Olle", lang="sv"), "hybrid", "Kommer på plats")
    await answer(chat, chat.user(4, "=Per"), "hybrid", "Coming in person")
    await answer(chat, chat.user(5, "Kim"), "hybrid", "Coming online")
    await answer(chat, chat.user(6, "Ada"), "hybrid", "Can't come")


def rows(content: bytes, separator: str = ",") -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=separator))


async def test_attendees_shows_counts_names_and_the_csv(mingel_chat) -> None:
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW)
    await fill(chat)
    organiser = chat.user(ORGANISER, "Org")
    summary, export = await chat.send("/attendees hybrid", organiser)
    lines = summary.text.splitlines()
    assert lines[0] == "<b>Attendees: The labour market after corona</b>"
    assert lines[2] == "In person: 2 · Online: 1 · Maybe: 0 · Waiting list: 1 · Can't come: 1"
    assert "Emma &lt;Berg&gt; (@emmab)" in lines
    assert "1. =Per – Coming in person" in lines
    assert export.document.filename == "attendees-hybrid.csv"
    assert rows(export.document.content) == [
        ["name", "Telegram username", "answer", "mode", "days", "time answered"],
        ["Emma <Berg>", "emmab", "coming", "in person", "2027-09-02", "2027-08-01 10:00"],
        ["Olle", "", "coming", "in person", "2027-09-02", "2027-08-01 10:00"],
        ["'=Per", "", "waiting list, place 1", "in person", "2027-09-02", "2027-08-01 10:00"],
        ["Kim", "", "coming", "online", "2027-09-02", "2027-08-01 10:00"],
        ["Ada", "", "can't come", "", "", "2027-08-01 10:00"]]
    audit = chat.assistant.store.table("assistant_audit").all()
    assert [(a["user"], a["action"], a["details"]) for a in audit] == [
        (ORGANISER, "rsvp.attendees", "hybrid")]


async def test_attendees_in_swedish_and_only_for_organisers(mingel_chat) -> None:
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW)
    await fill(chat)
    [refused] = await chat.send("/attendees hybrid", 3)
    assert refused.document is None and "Olle" not in refused.text
    assert "/attendees" in refused.text
    organiser = chat.user(ORGANISER, "Org", lang="sv")
    summary, export = await chat.send("/attendees hybrid", organiser)
    assert ("På plats: 2 · Online: 1 · Kanske: 0 · Väntelista: 1 · Kan inte komma: 1"
            in summary.text)
    content = export.document.content
    assert content.decode("utf-8-sig").startswith(
        '"namn";"användarnamn på Telegram";"svar";"deltagande";"dagar";"svarade"\r\n'), \
        "Excel with Swedish settings splits at ';'"
    table = rows(content, ";")
    assert ["Olle", "", "kommer", "på plats"] == table[2][:4]
    picker = await chat.send("/attendees", organiser)
    assert chat.text(picker) == ("Vilken träff vill du se deltagarlistan för? Här är träffarna "
                                 "från de senaste två veckorna och de kommande.")


async def test_an_unknown_id_is_not_found_and_a_cancelled_meeting_says_so(mingel_chat) -> None:
    """The same "not found" as /invite gives for the same id; a cancelled meeting's list is
    marked as /programme marks it."""
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW)
    organiser = chat.user(ORGANISER, "Org", lang="sv")
    [attendees] = await chat.send("/attendees nope", organiser)
    [invite] = await chat.send("/invite nope", organiser)
    assert attendees.text == invite.text == ("Jag hittar ingen träff med id:t nope. Skicka "
                                              "/programme för att se träffarna.")
    await answer(chat, chat.user(2, "Emma"), "hybrid", "Coming in person")
    summary, _export = await chat.send("/attendees off", organiser)
    assert summary.text.splitlines()[:2] == [
        "❌ <b>Inställd: den här träffen blir inte av.</b>", "<b>Deltagare: Inställt möte</b>"]
    summary, _export = await chat.send("/attendees hybrid", organiser)
    assert "Inställd" not in summary.text


async def test_mingel_export_attendees_writes_the_csv(mingel_chat, tmp_path, monkeypatch,
                                                       capsys) -> None:
    data = tmp_path / "data"
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW, data_dir=data)
    await fill(chat)
    await chat.stop()
    for key in ("MINGEL_LOCALE", "MINGEL_PROGRAMME", "MINGEL_DISABLED_PLUGINS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("MINGEL_DATA_DIR", str(data))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "_assistant", lambda config: Assistant(
        config, plugins=plugins(), entry_points=False))

    assert await asyncio.to_thread(cli.main, ["export", "attendees", "hybrid"]) == 0
    written = tmp_path / "attendees-hybrid.csv"
    assert capsys.readouterr().out.strip() == str(written.name)
    assert written.read_bytes().endswith(b"\r\n"), "the last row ends with a line end too"
    table = rows(written.read_bytes())
    assert [r[0] for r in table] == ["name", "Emma <Berg>", "Olle", "'=Per", "Kim", "Ada"]

    assert await asyncio.to_thread(cli.main, ["export", "attendees", "nope", "-o", "x.csv"]) == 1
    assert "no such meeting" in capsys.readouterr().err
    with Store(data) as store:
        audit = [(a["user"], a["action"], a["details"]) for a in store.table(
            "assistant_audit").all()]
    assert audit == [(None, "rsvp.export_attendees", "hybrid")]


async def test_attendees_without_an_id_offers_recent_and_coming_meetings(mingel_chat) -> None:
    """In the programme's order: those of the last two weeks, the coming ones, and the
    cancelled ones marked; a tap shows the list, for organisers only."""
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now="2027-09-10T08:00:00+00:00")
    organiser = chat.user(ORGANISER, "Org")
    picker = await chat.send("/attendees", organiser)
    assert chat.text(picker) == ("Which meeting would you like the attendee list for? Here are "
                                 "the meetings of the last two weeks and the coming ones.")
    assert chat.buttons(picker) == [
        "Thu 2 Sept 09:30 · The labour market after corona", "Tue 21 Sept 09:30 · Small meeting",
        "❌ Fri 1 Oct 09:30 · Called-off meeting", "Thu 14 Oct 09:30 · Roundtable",
        "Wed 10 Nov 10:00 · Labour-market days"]
    summary, export = await chat.press("The labour market after corona", organiser)
    assert summary.text.startswith("<b>Attendees: The labour market after corona</b>")
    assert export.document is not None
    refused = await chat.press_data("rsvp:attendees:hybrid", chat.user(2, "Emma"))
    assert "Attendees" not in chat.text(refused)


def test_mingel_export_help_lists_the_exports_the_plugins_offer(tmp_path, monkeypatch,
                                                                capsys) -> None:
    """An operator finds out what `mingel export` can write without reading the code (QA 37)."""
    monkeypatch.setenv("MINGEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MINGEL_DISABLED_PLUGINS", raising=False)
    try:
        cli.main(["export", "--help"])
    except SystemExit as exit_:
        assert exit_.code == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "attendees – Attendees of a meeting as CSV" in shown
    assert "questions – The questions of a meeting (CSV)" in shown
