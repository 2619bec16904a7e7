"""What people and organisers are told when the programme changes: a moved gathering's days
per answer, a meeting made invite-only per answer, a new online platform, and how many
participants the organiser's reload will reach (QA pass 29, findings 3, 6, 9 and 10)."""
from __future__ import annotations

from tests.test_gathering_moves import GATHERING, MOVED
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_support import (
    NOW,
    NOW_INVITE_ONLY,
    ONE_SEAT,
    ORGANISER,
    PROGRAMME,
    ProgrammeStub,
    plugins,
)

ANNA, BEN, CLEO, DORA = 21, 22, 23, 24
WAITING_CHECK = ("The days have changed: please check the days you come on the meeting's card "
                 "(/rsvp days).")


async def answer(chat, user: int, label: str, event_id: str) -> None:
    await chat.send(f"/rsvp {event_id}", user)
    await chat.press(label, user)


async def test_a_moved_gathering_tells_each_answer_what_it_means_for_the_days(
        mingel_chat) -> None:
    """Two seats: Ben and Cleo come on every day (no days chosen), Dora waits, Anna said maybe.
    The seat holders hear their new days, Dora is asked to check hers, Anna hears no days."""
    programme = ProgrammeStub(GATHERING)
    chat = await mingel_chat(plugins(programme), organisers=[ORGANISER], now=NOW,
                             env={"MINGEL_CHANGE_DELAY": "2m"})
    for user, name, lang in ((ANNA, "Anna", "sv"), (BEN, "Ben", "en"), (CLEO, "Cleo", "sv"),
                             (DORA, "Dora", "en")):
        chat.user(user, name, lang=lang)
    await answer(chat, BEN, "Coming in person", "days")
    await answer(chat, CLEO, "Kommer på plats", "days")
    await answer(chat, DORA, "Coming in person", "days")
    await answer(chat, ANNA, "Kanske", "days")
    await chat.deliver()
    await programme.change(chat.assistant, MOVED)
    await chat.tick(minutes=3)

    ben = chat.text(chat.sent_to(BEN))
    assert ("The days have changed: you're down for Thu 25 Nov, Fri 26 Nov. Please check your "
            "days on the meeting's card (/rsvp days).") in ben
    assert WAITING_CHECK not in ben
    assert ("Dagarna har ändrats: du är uppskriven på tors 25 nov., fre 26 nov. Kolla dina dagar "
            "på träffens kort (/rsvp days).") in chat.text(chat.sent_to(CLEO))
    anna = chat.text(chat.sent_to(ANNA))
    assert anna.startswith("✏️ Nytt om Höstdagarna")
    assert "Dagarna har ändrats" not in anna and "vilka dagar du kommer" not in anna
    assert WAITING_CHECK in chat.text(chat.sent_to(DORA))


async def test_a_meeting_made_invite_only_says_what_each_answer_keeps(mingel_chat) -> None:
    """One seat: Emma holds it, Olle waits for it, Per and Stina said maybe; only Emma is told
    she keeps a place."""
    programme = ProgrammeStub(ONE_SEAT)
    chat = await mingel_chat(plugins(programme), organisers=[ORGANISER], now=NOW)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv")
    per, stina = chat.user(4, "Per"), chat.user(5, "Stina", lang="sv")
    for user, label in ((emma, "Coming in person"), (olle, "Kommer på plats"), (per, "Maybe"),
                        (stina, "Kanske")):
        await answer(chat, user, label, "hybrid")
    await chat.deliver()
    await programme.change(chat.assistant, NOW_INVITE_ONLY)
    await chat.tick(minutes=3)

    def told(user):
        [note] = chat.sent_to(user)
        return note.text.splitlines()[1]

    assert told(emma) == ("The meeting is now by invitation only. You had already answered, so "
                          "you keep your answer and your place.")
    assert told(olle) == ("Träffen är nu bara för inbjudna. Du hade redan svarat, så du behåller "
                          "ditt svar och din plats på väntelistan.")
    assert told(per) == ("The meeting is now by invitation only. You had already answered, so "
                         "you keep your answer and can still change it.")
    assert told(stina) == ("Träffen är nu bara för inbjudna. Du hade redan svarat, så du behåller "
                           "ditt svar och kan fortfarande ändra det.")


TEAMS = PROGRAMME.replace('online: {url: "https://zoom.us/j/2"}',
                          'online: {platform: Teams, url: "https://teams.microsoft.com/l/m/abc"}') \
    .replace('online: {platform: Zoom, url: "https://zoom.us/j/1", private: true}',
             'online: {platform: Teams, url: "https://teams.microsoft.com/l/m/1", private: true}')
"""The webinar's public Zoom link and the hybrid meeting's private one, both moved to Teams."""


async def test_a_new_online_platform_is_named_in_the_notice(mingel_chat) -> None:
    programme = ProgrammeStub()
    chat = await mingel_chat(plugins(programme), organisers=[ORGANISER], now=NOW)
    dora, eva = chat.user(DORA, "Dora"), chat.user(25, "Eva", lang="sv")
    for user, label in ((dora, "Coming online"), (eva, "Deltar online")):
        await answer(chat, user, label, "web")
        await answer(chat, user, label, "hybrid")
    await chat.deliver()
    await programme.change(chat.assistant, TEAMS)
    await chat.tick(minutes=3)

    def lines(user) -> set[str]:
        return {line for note in chat.sent_to(user) if note.text
                for line in note.text.splitlines()[1:]}

    assert lines(dora) == {"Now online via Teams: https://teams.microsoft.com/l/m/abc",
                           "Now online via Teams: you'll get the link shortly before the meeting."}
    assert lines(eva) == {"Nu online via Teams: https://teams.microsoft.com/l/m/abc",
                          "Nu online via Teams: du får länken strax före träffen."}

    told = len(chat.sent_to(dora))
    await programme.change(chat.assistant, TEAMS.replace("l/m/abc", "l/m/def"))
    await chat.tick(minutes=3)
    assert chat.sent_to(dora)[told].text.splitlines()[1] == \
        "New online link: https://teams.microsoft.com/l/m/def"


async def reload(chat, path, source: str, organiser: int = ORGANISER) -> tuple[str, str]:
    """The organiser edits the file, sends /reload and confirms: the preview and the
    confirmation."""
    path.write_text(source, encoding="utf-8")
    preview = chat.text(await chat.send("/reload", organiser))
    done = chat.text(await chat.press("✅ Confirm" if organiser == ORGANISER else "✅ Bekräfta",
                                      organiser))
    return preview, done


async def test_the_organiser_hears_how_many_participants_a_reload_tells(mingel_chat,
                                                                        tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(REAL, organisers=[ORGANISER, 9], now=NOW,
                             env={"MINGEL_PROGRAMME": str(path),
                                  "MINGEL_BOT_USERNAME": "MingelBot"})
    chat.user(ORGANISER, "Org")
    chat.user(9, "Sara", lang="sv")
    for user, label, event_id in ((ANNA, "Coming in person", "hybrid"),
                                  (BEN, "Coming in person", "hybrid"),
                                  (CLEO, "Maybe", "hybrid"), (DORA, "Can't come", "hybrid"),
                                  (ANNA, "Coming in person", "small")):
        chat.user(user, str(user))
        await answer(chat, user, label, event_id)
    await chat.deliver()

    extra = PROGRAMME + """\
  - id: extra
    title: {sv: Extraträff, en: Extra meeting}
    start: 2027-09-30 09:30
    end: 2027-09-30 12:30
"""
    preview, done = await reload(chat, path, extra)
    assert "1 new meeting" in preview
    assert preview.endswith("Confirm to put it in use.")
    assert "told" not in done
    assert done == "Done: the new programme is in use (1 new)."

    later = extra.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00") \
        .replace("start: 2027-09-21 09:30", "start: 2027-09-21 10:00")
    preview, done = await reload(chat, path, later)
    assert preview.endswith("Confirm to put it in use. 3 participants of the changed meetings "
                            "will be told.")
    assert done.endswith("3 participants of the changed meetings are being told.")

    preview, done = await reload(chat, path, extra, organiser=9)
    assert preview.endswith("Bekräfta för att börja använda det nya programmet.")
    assert "besked" not in done
    await chat.tick(minutes=3)
    assert await chat.deliver() == {}

    fewer = extra.replace("    capacity: 2\n", "    capacity: 1\n", 1)
    preview, done = await reload(chat, path, fewer, organiser=9)
    assert preview.endswith("Bekräfta för att börja använda det nya programmet. 1 deltagare på "
                            "de ändrade träffarna får besked.")
    assert done.endswith("1 deltagare på de ändrade träffarna får besked.")
    assert list(await chat.deliver()) == [BEN]
