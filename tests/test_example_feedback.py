"""The example third-party plugin examples/feedback: asked once the day after, rated, summed up.

It is installed by its own pyproject (`make` runs `pip install -e examples/feedback`).
The people who came come from a tiny stand-in plugin below that answers the
`programme` and `attendees` hooks, so these tests do not depend on the rsvp plugin.
"""
from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import types
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import mingel_feedback
import pytest

from assistant import hookimpl
from assistant.clock import FakeClock
from assistant.model import Attendance, Event
from assistant.testing import ChatHarness, untranslated
from plugins.programme.loader import parse_programme

ROOT = Path(__file__).resolve().parent.parent
ORGANISER, MODERATOR = 1, 50
SVEN, EMMA, OLLE, MAJA, KIM, LISA = 11, 12, 13, 14, 15, 16
# 2 September 2027, 09:30–12:30 in Stockholm (UTC+2): asked on 3 September at 10:00 = 08:00 UTC.
JUST_BEFORE = "2027-09-03T07:59:00+00:00"

PROGRAMME = parse_programme("""
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  arbetsmarknad: {name: {sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}}
  bostad: {name: {sv: Bostadspolitiskt nätverk, en: Housing policy network}}
defaults:
  networks: [arbetsmarknad]
  venue: f7
events:
  - id: am-09-02
    title: {sv: Arbetsmarknaden efter corona, en: The labour market after corona}
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    online: {platform: Zoom, url: "https://zoom.us/j/61234567890"}
  - id: bo-09-02
    networks: [bostad]
    title: {sv: Bostadsbristen, en: The housing shortage}
    start: 2027-09-02 13:30
    end: 2027-09-02 15:00
  - id: am-cancelled
    title: Inställt möte
    start: 2027-09-02 09:30
    end: 2027-09-02 12:30
    cancelled: true
  - id: gathering
    title: {sv: Höstträff, en: Autumn gathering}
    start: 2027-11-10 10:00
    end: 2027-11-11 15:00
""", "test-programme.yaml")

ANSWERS = {
    "am-09-02": [(SVEN, "in_person", False), (EMMA, "online", False), (OLLE, "maybe", False),
                 (MAJA, "no", False), (KIM, "in_person", True)],
    "bo-09-02": [(LISA, "in_person", False)],
    "am-cancelled": [(SVEN, "in_person", False)],
    "gathering": [(SVEN, "in_person", False)],
}


def attendance_plugin() -> types.ModuleType:
    """Stands in for the programme and rsvp plugins: fixed meetings and answers."""
    module = types.ModuleType("fake_rsvp")
    module.NAME = "fake_rsvp"

    def programme():
        return PROGRAMME

    def attendees(ctx, event: Event) -> list[Attendance]:
        at = datetime.fromisoformat("2027-08-01T10:00:00+00:00")
        return [Attendance(event.id, user, answer, at, waiting=waiting)
                for user, answer, waiting in ANSWERS.get(event.id, [])]

    module.programme = hookimpl(programme)
    module.attendees = hookimpl(attendees)
    return module


async def feedback_chat(mingel_chat, now: str = JUST_BEFORE, **kwargs) -> ChatHarness:
    chat = await mingel_chat(["plugins.basics", attendance_plugin(), mingel_feedback],
                             organisers=[ORGANISER], now=now, **kwargs)
    for user_id, name, lang in ((SVEN, "Sven", "sv"), (EMMA, "Emma", "en"), (OLLE, "Olle", "sv"),
                                (MAJA, "Maja", "sv"), (KIM, "Kim", "en"), (LISA, "Lisa", "sv"),
                                (ORGANISER, "Org", "en"), (MODERATOR, "Mona", "sv")):
        await chat.send("/start", chat.user(user_id, name, lang=lang))
    return chat


async def rate(chat: ChatHarness, user: int, rating: str, comment: str | None = None) -> None:
    await chat.press(rating, user, replies=chat.sent_to(user))
    if comment is not None:
        await chat.send(comment, user)


async def test_people_who_came_are_asked_at_ten_the_day_after(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick()
    assert not chat.outbox.sent
    await chat.tick(minutes=1)
    assert set(chat.outbox.sent) == {SVEN, EMMA, LISA}, "not maybe, no, or the waiting list"
    [sv] = chat.sent_to(SVEN)
    assert chat.text([sv]).startswith("Tack för att du var med!\nArbetsmarknaden efter corona\n"
                                      "torsdag 2 september 2027\n\n")
    assert "Tryck på ett betyg från 1 (dåligt) till 5 (utmärkt)." in chat.text([sv])
    assert chat.buttons([sv]) == ["1", "2", "3", "4", "5"]
    [en] = chat.sent_to(EMMA)
    assert chat.text([en]).startswith("Thank you for taking part!\nThe labour market after "
                                      "corona\nThursday, 2 September 2027\n\n")
    assert "without your name" in chat.text([en])


async def test_a_title_that_asks_a_question_reads_well(mingel_chat, monkeypatch) -> None:
    """QA 35: no "?)!" or "learn from? on Tuesday…!" after a title that ends a sentence itself:
    the title stands on its own line, with nothing after it, in both languages."""
    asking = {"sv": "Flexicurity i Danmark – något vi kan lära av i Sverige?",
              "en": "Flexicurity in Denmark – something Sweden can learn from?"}
    events = tuple(replace(e, title=asking) if e.id == "am-09-02" else e
                   for e in PROGRAMME.events)
    monkeypatch.setitem(globals(), "PROGRAMME", replace(PROGRAMME, events=events))
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    [sv], [en] = chat.sent_to(SVEN), chat.sent_to(EMMA)
    assert chat.text([sv]).startswith(f"Tack för att du var med!\n{asking['sv']}\ntorsdag 2 "
                                      "september 2027\n\nHur var det?")
    assert chat.text([en]).startswith(f"Thank you for taking part!\n{asking['en']}\nThursday, "
                                      "2 September 2027\n\nHow was it?")
    assert f"<b>{asking['sv']}</b>" in sv.text


@pytest.mark.parametrize("on_disk", [True, False])
async def test_the_question_goes_once_even_across_restarts(mingel_chat, tmp_path,
                                                           on_disk: bool) -> None:
    chat = await feedback_chat(mingel_chat, data_dir=tmp_path / "data" if on_disk else None)
    await chat.tick(minutes=1)
    await chat.tick(minutes=30)
    await chat.restart()
    await chat.tick(hours=2)
    assert len(chat.sent_to(SVEN)) == 1 and len(chat.sent_to(EMMA)) == 1
    ctx = chat.context("feedback")
    for table in (ctx.table("rounds"), ctx.table("responses")):
        table.truncate()
    await chat.tick(minutes=1)
    assert len(chat.sent_to(SVEN)) == 1, "the outbox key still guards the question"


async def test_rating_then_a_comment_reaches_the_organisers_escaped(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    [edited] = await chat.press("4", SVEN, replies=chat.sent_to(SVEN))
    assert edited.edit
    assert chat.text([edited]).startswith("Tack! Du gav Arbetsmarknaden efter corona 4 av 5.")
    assert chat.buttons([edited]) == ["Hoppa över"]
    [thanks] = await chat.send("Bra <b>samtal</b> & gott kaffe", SVEN)
    assert chat.text([thanks]) == "Tack! Din kommentar går till arrangörerna utan ditt namn."
    [summary] = await chat.send("/feedback am-09-02", ORGANISER)
    assert chat.text([summary]).splitlines()[:2] == [
        "Feedback: The labour market after corona",
        "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"]  # joined online too
    assert "2 people were asked." in chat.text([summary])
    assert "1 rating, average 4.0 of 5." in chat.text([summary])
    assert "• Bra &lt;b&gt;samtal&lt;/b&gt; &amp; gott kaffe" in summary.text
    assert "Sven" not in summary.text
    assert chat.buttons([summary]) == ["Download CSV"]


async def test_skip_ends_the_question_and_the_next_message_is_not_a_comment(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    await rate(chat, EMMA, "5")
    [done] = await chat.press("Skip", EMMA)
    assert chat.text([done]) == "Thank you for your rating!" and not done.buttons
    [reply] = await chat.send("hello there", EMMA)
    assert "didn't understand" in chat.text([reply])
    [doc] = [d for d in chat.table("feedback", "responses") if d["user"] == EMMA]
    assert (doc["user"], doc["rating"], doc["comment"]) == (EMMA, 5, None)


async def test_a_command_instead_of_a_comment_keeps_the_rating(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    await rate(chat, SVEN, "2")
    await chat.send("/help", SVEN)
    await chat.send("hej", SVEN)
    [doc] = [d for d in chat.table("feedback", "responses") if d["user"] == SVEN]
    assert (doc["rating"], doc["comment"]) == (2, None)


async def test_an_overlong_comment_is_refused_and_the_question_stays_open(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    await rate(chat, EMMA, "3")
    [reply] = await chat.send("x" * 1001, EMMA)
    assert "please keep it under 1000 characters" in chat.text([reply])
    [reply] = await chat.send("Shorter.", EMMA)
    assert "Your comment goes to the organisers" in chat.text([reply])


async def test_forged_and_stale_buttons_change_nothing(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    sven_doc = next(d for d in chat.table("feedback", "responses") if d["user"] == SVEN)
    for data in (f"feedback:rate:{sven_doc.doc_id}:5", "feedback:rate:999:5", "feedback:rate:x:5",
                 f"feedback:skip:{sven_doc.doc_id}"):
        replies = await chat.press_data(data, EMMA)
        assert chat.toasts[EMMA] == "This question is closed."
        assert chat.text(replies) == "This question is closed, so nothing was saved."
    for data in ("feedback:rate", f"feedback:rate:{sven_doc.doc_id}", f"feedback:skip:{sven_doc.doc_id}:5"):
        assert await chat.press_data(data, EMMA) == []  # no button of ours: the core refuses it
        assert chat.toasts[EMMA] == "This button no longer works."
    for rating in ("9", "²", "٣", "05"):  # digits to `str.isdigit`, but no rating of ours
        assert await chat.press_data(f"feedback:rate:{sven_doc.doc_id}:{rating}", SVEN) == []
        assert chat.toasts[SVEN] == "Den här knappen fungerar inte längre."
    assert all(d["rating"] is None for d in chat.table("feedback", "responses"))
    await chat.press_data("feedback:csv:am-09-02", SVEN)
    assert chat.toasts[SVEN] == "Tyvärr, det får du inte göra."


async def test_summary_distribution_average_and_csv(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    await rate(chat, SVEN, "5", "=HYPERLINK(\"http://evil\")")
    await rate(chat, EMMA, "4", "Good speakers,\nbad coffee")
    [refused] = await chat.send("/feedback am-09-02", MODERATOR)
    assert chat.text([refused]).startswith("Tyvärr kan bara moderatorer")
    chat.assistant.roles.add_moderator("arbetsmarknad", MODERATOR)
    [summary] = await chat.send("/feedback am-09-02", MODERATOR)
    text = chat.text([summary])
    assert "2 betyg, i snitt 4,5 av 5." in text
    assert "5 ★ ██████████ 1\n4 ★ ██████████ 1\n3 ★  0\n2 ★  0\n1 ★  0" in text
    assert "2 kommentarer" in text and "• Good speakers, bad coffee" in text
    [file] = chat.documents(await chat.press("Ladda ner CSV", MODERATOR))
    assert file.filename == "feedback-am-09-02.csv" and file.mime_type == "text/csv"
    rows = list(csv.reader(io.StringIO(file.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["meeting", "title", "date", "rating", "comment", "answered"]
    assert [r[3] for r in rows[1:]] == ["5", "4"]
    assert rows[1][4] == "'=HYPERLINK(\"http://evil\")"
    assert rows[2][4] == "Good speakers,\nbad coffee"
    assert rows[1][1] == "Arbetsmarknaden efter corona" and rows[1][2] == "2027-09-02"


async def test_only_organisers_and_the_networks_moderators_see_feedback(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    [refused] = await chat.send("/feedback am-09-02", SVEN)
    assert chat.text([refused]) == "Tyvärr kan bara moderatorer och arrangörer använda /feedback."
    chat.assistant.roles.add_moderator("bostad", MODERATOR)
    [refused] = await chat.send("/feedback am-09-02", MODERATOR)
    assert "Bara arrangörerna och nätverkets moderatorer" in chat.text([refused])
    [own] = await chat.send("/feedback bo-09-02", MODERATOR)
    assert "Återkoppling: Bostadsbristen" in chat.text([own])
    [listing] = await chat.send("/feedback", MODERATOR)
    assert chat.buttons([listing]) == ["tors 2 sep. 13:30 · Bostadsbristen"]
    [unknown] = await chat.send("/feedback <nope>", ORGANISER)
    assert chat.text([unknown]) == "There is no meeting <nope>. Send /feedback to choose one."
    await chat.press_data("feedback:show:am-09-02", MODERATOR)
    assert chat.toasts[MODERATOR] == "Tyvärr, det får du inte göra."


async def test_the_list_shows_ended_meetings_newest_first_with_buttons(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    [nothing] = await chat.send("/feedback", ORGANISER)
    assert chat.text([nothing]).startswith("Feedback on the latest meetings")
    await chat.tick(minutes=1)
    await rate(chat, SVEN, "3")
    [listing] = await chat.send("/feedback", ORGANISER)
    text = chat.text([listing])
    assert "• Thu 2 Sept 13:30 · The housing shortage: 0 ratings" in text
    assert "• Thu 2 Sept 09:30 · The labour market after corona: 1 rating, average 3.0" in text
    assert chat.buttons([listing]) == ["Thu 2 Sept 13:30 · The housing shortage",
                                       "Thu 2 Sept 09:30 · The labour market after corona"], \
        "two meetings of a day, told apart by the time they start"
    assert "Inställt" not in text and "gathering" not in text
    assert text.index("housing") < text.index("labour")
    [summary] = await chat.press("labour market", ORGANISER)
    assert "1 rating, average 3.0 of 5." in chat.text([summary])
    for network in ("arbetsmarknad", "bostad"):
        chat.assistant.roles.add_moderator(network, MODERATOR)
    [swedish] = await chat.send("/feedback", MODERATOR)
    assert "• tors 2 sep. 09:30 · Arbetsmarknaden efter corona: 1 betyg, snitt 3,0" in \
        chat.text([swedish])
    assert chat.text([swedish]).endswith("\n\nTiderna anges i Sverigetid."), "as on its card"
    assert chat.buttons([swedish]) == ["tors 2 sep. 13:30 · Bostadsbristen",
                                       "tors 2 sep. 09:30 · Arbetsmarknaden efter corona"]


async def test_before_the_question_goes_the_summary_says_when_it_goes(mingel_chat) -> None:
    """During the meeting, and after it until 10:00 the day after, nobody has been asked: the
    summary said "0 people were asked. No ratings yet." and the list "0 ratings", as if
    nobody had answered; they say when the question goes, in the reader's language."""
    chat = await feedback_chat(mingel_chat, now="2027-09-02T08:00:00+00:00")  # 10:00 there
    [during] = await chat.send("/feedback am-09-02", ORGANISER)
    assert chat.text([during]) == (
        "Feedback: The labour market after corona\n"
        "Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)\n\n"
        "Nobody has been asked yet: those who come get the question on Friday, 3 September "
        "2027 at 10:00.")
    assert chat.buttons([during]) == []
    chat.clock.set(datetime.fromisoformat(JUST_BEFORE))
    for network in ("arbetsmarknad", "bostad"):
        chat.assistant.roles.add_moderator(network, MODERATOR)
    [swedish] = await chat.send("/feedback am-09-02", MODERATOR)
    assert chat.text([swedish]).endswith(
        "Ingen har fått frågan än: de som kommer får den fredag 3 september 2027 kl. 10:00.")
    [listing] = await chat.send("/feedback", ORGANISER)
    assert "• Thu 2 Sept 09:30 · The labour market after corona: asked Fri 3 Sept 10:00" in \
        chat.text([listing])
    [listed] = await chat.send("/feedback", MODERATOR)
    assert "• tors 2 sep. 13:30 · Bostadsbristen: frågan går ut fre 3 sep. 10:00" in \
        chat.text([listed])
    await chat.tick(minutes=1)
    [asked] = await chat.send("/feedback am-09-02", ORGANISER)
    assert "2 people were asked.\nNo ratings yet." in chat.text([asked])
    [listing] = await chat.send("/feedback", ORGANISER)
    assert "The labour market after corona: 0 ratings" in chat.text([listing])


async def test_a_cancelled_or_long_past_meeting_is_not_said_to_be_asked_later(
        mingel_chat) -> None:
    """A meeting whose moment passed with the window (the assistant was down) will never be
    asked: nothing promises it; a cancelled meeting neither."""
    chat = await feedback_chat(mingel_chat, now="2027-09-07T08:00:00+00:00")
    [late] = await chat.send("/feedback am-09-02", ORGANISER)
    assert "0 people were asked.\nNo ratings yet." in chat.text([late])
    chat.clock.set(datetime.fromisoformat("2027-09-02T08:00:00+00:00"))
    [cancelled] = await chat.send("/feedback am-cancelled", ORGANISER)
    assert "0 people were asked." in chat.text([cancelled])


async def test_a_long_title_is_shortened_on_its_button_as_in_every_picker(
        mingel_chat, monkeypatch) -> None:
    """The button was cut at 60 characters with nothing to show it ("… och regerin"); it is
    shortened with "…", as the meeting pickers of /rsvp and /ask shorten it."""
    long = {"sv": "Arbetsmarknaden efter corona och regeringens arbetsmarknadspolitik framåt",
            "en": "The labour market after corona and the government's policy ahead"}
    events = tuple(replace(e, title=long) if e.id == "am-09-02" else e
                   for e in PROGRAMME.events)
    monkeypatch.setitem(globals(), "PROGRAMME", replace(PROGRAMME, events=events))
    chat = await feedback_chat(mingel_chat)
    chat.assistant.roles.add_moderator("arbetsmarknad", MODERATOR)
    [listing] = await chat.send("/feedback", MODERATOR)
    [label] = chat.buttons([listing])
    assert label == "tors 2 sep. 09:30 · Arbetsmarknaden efter corona och regeri…", label
    [summary] = await chat.press(label, MODERATOR)
    assert chat.text([summary]).startswith(f"Återkoppling: {long['sv']}")


async def test_nothing_to_list_before_any_meeting_has_ended(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat, now="2027-08-01T08:00:00+00:00")
    [reply] = await chat.send("/feedback", ORGANISER)
    assert chat.text([reply]) == "No meeting has ended yet, so there is no feedback to show."


async def test_after_downtime_the_question_still_goes_within_the_window(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat, now="2027-09-05T09:00:00+00:00")
    await chat.tick()
    assert set(chat.outbox.sent) == {SVEN, EMMA, LISA}


async def test_too_late_after_downtime_nobody_is_asked(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat, now="2027-09-06T08:00:00+00:00")
    await chat.tick()
    assert not chat.outbox.sent


async def test_settings_choose_the_moment(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat, now="2027-09-02T11:59:00+00:00",
                               env={"MINGEL_FEEDBACK_DAYS_AFTER": "0",
                                    "MINGEL_FEEDBACK_ASK_AT": "14:00"})
    await chat.tick()
    assert not chat.outbox.sent
    await chat.tick(minutes=1)
    assert set(chat.outbox.sent) == {SVEN, EMMA}, "14:00 in Stockholm"
    await chat.tick(hours=1)
    assert LISA in chat.outbox.sent, "asked as soon as the afternoon meeting ended"


def test_a_bad_setting_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="MINGEL_FEEDBACK_ASK_AT"):
        ChatHarness([mingel_feedback], env={"MINGEL_FEEDBACK_ASK_AT": "ten o'clock"})


async def test_a_multi_day_gathering_is_asked_about_after_its_last_day(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat, now="2027-11-11T08:00:00+00:00")
    await chat.tick()
    assert SVEN not in chat.outbox.sent
    await chat.tick(days=1)
    assert SVEN not in chat.outbox.sent, "10:00 in Stockholm is 09:00 UTC in November"
    await chat.tick(hours=1)
    assert "Höstträff" in chat.text(chat.sent_to(SVEN))


async def test_without_anyone_answering_attendees_nothing_happens(mingel_chat) -> None:
    programme_only = types.ModuleType("programme_only")
    programme_only.programme = hookimpl(lambda: PROGRAMME)
    chat = await mingel_chat(["plugins.basics", programme_only, mingel_feedback],
                             now="2027-09-03T08:00:00+00:00")
    await chat.tick()
    assert not chat.outbox.sent


async def test_privacy_notice_data_forgetting_and_expiry(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    await rate(chat, SVEN, "4", "Bra!")
    ctx = chat.context("privacy", SVEN)
    notices = dict(chat.assistant.hooks.privacy_notice(ctx))
    notice = notices["feedback"]
    assert notice.startswith("Återkoppling: dagen efter en träff du var på")
    assert notice.endswith("De raderas ett år efter träffen."), "as the other paragraphs say"
    data = chat.assistant.hooks.user_data(ctx, SVEN)["feedback"]
    assert data == [{"meeting": "am-09-02", "title": "Arbetsmarknaden efter corona",
                     "when": "torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)", "asked": "2027-09-03T08:00:00+00:00", "rating": 4,
                     "comment": "Bra!", "answered": "2027-09-03T08:00:00+00:00"}]
    assert await chat.assistant.hooks.forget_user(ctx, SVEN) == []
    assert "feedback" not in chat.assistant.hooks.user_data(ctx, SVEN)
    assert SVEN not in [d["user"] for d in chat.table("feedback", "responses")]
    await chat.tick(days=364)
    assert [d["user"] for d in chat.table("feedback", "responses")] != []
    await chat.tick(days=2)
    assert chat.table("feedback", "responses") == [] and chat.table("feedback", "rounds") == []


async def test_export_as_on_the_command_line(mingel_chat) -> None:
    chat = await feedback_chat(mingel_chat)
    await chat.tick(minutes=1)
    await rate(chat, EMMA, "5", "Great")
    document = await chat.export("feedback", "am-09-02")
    assert b"Great" in document.content
    with pytest.raises(LookupError, match="nope"):
        await chat.export("feedback", "nope")


def test_every_string_has_a_swedish_translation_in_the_package() -> None:
    assert untranslated(mingel_feedback, "sv") == []
    assert (Path(mingel_feedback.__file__).parent / "locales" / "sv" / "LC_MESSAGES"
            / "feedback.po").is_file()


def test_installed_by_its_own_distribution_and_can_be_disabled(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    env["MINGEL_DATA_DIR"] = str(tmp_path / "data")
    run = [sys.executable, "-m", "assistant.cli", "plugins"]
    out = subprocess.run(run, env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    [line] = [line for line in out.splitlines() if line.startswith("feedback ")]
    assert "mingel-feedback 0.1.0" in line and "tick" in line and "forget_user" in line
    env["MINGEL_DISABLED_PLUGINS"] = "feedback"
    out = subprocess.run(run, env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert not any(line.startswith("feedback ") for line in out.splitlines())
    assert "disabled: feedback" in out


async def test_end_to_end_the_list_buttons_name_the_day_and_time(telegram_bot) -> None:
    """Through Telegram: the two meetings of 2 September are told apart by their start
    times, in the organiser's language, and a tap opens the right one."""
    bot = await telegram_bot(["plugins.basics", attendance_plugin(), mingel_feedback],
                             env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-03T08:01:00+00:00"))
    [listing] = await bot.say(ORGANISER, "/feedback", first_name="Org", language_code="sv")
    assert listing.buttons == ["tors 2 sep. 13:30 · Bostadsbristen",
                               "tors 2 sep. 09:30 · Arbetsmarknaden efter corona"]
    [summary] = await bot.tap(ORGANISER, listing.message_id,
                              "tors 2 sep. 09:30 · Arbetsmarknaden efter corona")
    assert summary.plain_text.startswith("Återkoppling: Arbetsmarknaden efter corona\n"
                                         "torsdag 2 september 2027 kl. 09:30–12:30")


async def test_end_to_end_through_telegram(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics", attendance_plugin(), mingel_feedback],
                             env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=(clock := FakeClock(JUST_BEFORE)))
    await bot.say(SVEN, "/start", first_name="Sven", language_code="sv")
    await bot.say(ORGANISER, "/start", first_name="Org", language_code="en")
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()
    [question] = await bot.stub.wait_sent(SVEN)
    assert question.plain_text.startswith("Tack för att du var med!\nArbetsmarknaden efter corona")
    assert question.buttons == ["1", "2", "3", "4", "5"]
    [edited] = await bot.tap(SVEN, question.message_id, "5")
    assert edited.method == "editMessageText" and edited.buttons == ["Hoppa över"]
    [thanks] = await bot.say(SVEN, "Mycket <i>givande</i>!")
    assert thanks.plain_text == "Tack! Din kommentar går till arrangörerna utan ditt namn."
    [summary] = await bot.say(ORGANISER, "/feedback am-09-02")
    assert "1 rating, average 5.0 of 5." in summary.plain_text
    assert "• Mycket <i>givande</i>!" in summary.plain_text
    [file] = await bot.tap(ORGANISER, summary.message_id, "Download CSV")
    assert file.document_name == "feedback-am-09-02.csv"
    assert "Mycket <i>givande</i>!" in file.document_bytes.decode("utf-8-sig")


async def test_end_to_end_during_the_meeting_the_summary_says_when_people_are_asked(
        telegram_bot) -> None:
    """Through Telegram, during the meeting: when the question goes, not "0 people were
    asked"."""
    bot = await telegram_bot(["plugins.basics", attendance_plugin(), mingel_feedback],
                             env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-02T08:00:00+00:00"))
    [summary] = await bot.say(ORGANISER, "/feedback am-09-02", first_name="Org",
                              language_code="sv")
    assert summary.plain_text == (
        "Återkoppling: Arbetsmarknaden efter corona\n"
        "torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)\n\n"
        "Ingen har fått frågan än: de som kommer får den fredag 3 september 2027 kl. 10:00.")
    assert summary.buttons == []


def test_the_terminal_chat_at_a_moment_before_during_and_after_a_meeting(
        tmp_path: Path) -> None:
    """`mingel chat --at`, as the README tries another day: Bo answers the day before, the
    organiser looks during the meeting (in Swedish), Bo is asked at 10:00 the day after and
    rates it (in English), and the organiser sees the rating."""
    from tests.test_terminal_chat import chat_as

    def chat(at: str, user: str, lines: list[str], lang: str) -> str:
        done = chat_as(lines, tmp_path, "chat", "--user", user, "--name", "Bo" if user == "2"
                       else "Olga", "--at", at, MINGEL_ORGANISERS="1", LANG=lang)
        assert done.returncode == 0, done.stderr
        return done.stdout

    before = chat("2027-09-01 10:00", "2", ["/feedback", "/rsvp am-2027-09-02", "1"],
                  "en_GB.UTF-8")
    assert "can use /feedback." in before and "Feedback on" not in before, "organisers' only"
    during = chat("2027-09-02 10:00", "1", ["/feedback am-2027-09-02"], "sv_SE.UTF-8")
    assert ("Ingen har fått frågan än: de som kommer får den fredag 3 september 2027 kl. "
            "10:00.") in during
    after = chat("2027-09-03 10:01", "2", ["4", "Bra <b>samtal</b>"], "en_GB.UTF-8")
    assert after.index("Thank you for taking part!") < after.index("> ")
    assert "You rated The labour market after corona" in after
    assert "Thank you! Your comment goes to the organisers without your name." in after
    seen = chat("2027-09-03 12:00", "1", ["/feedback am-2027-09-02", "/feedback"], "en_GB.UTF-8")
    assert "1 person was asked.\n1 rating, average 4.0 of 5." in seen
    assert "• Bra <b>samtal</b>" in seen
    assert re.search(r"\[1\] Thu 2 Sept 09:30 · The labour market after corona[^\n]*…\n", seen)
