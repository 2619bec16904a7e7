"""A date and time written as people write them ("fredag 14 maj 2027 10.00", "21/9/2027 12:30",
an end of "12:30") gets a problem that names the exact value to type, in `mingel check` and,
end to end through PTB and the Bot API stub, in the chat, in the organiser's language."""
from __future__ import annotations

import pytest

from plugins.programme.humandates import misdated, rewrite
from tests.e2e_reload import organised
from tests.test_gathering_moves import GATHERING
from tests.test_programme_hints import swedish
from tests.test_programme_loader import doc, event_yaml, line_of, only, problems
from tests.test_rsvp_support import ORGANISER


@pytest.mark.parametrize(("text", "fixed"), [
    ("fredag 14 maj 2027 10.00", "2027-05-14 10:00"),
    ("fredagen den 14 maj 2027, kl. 10.00", "2027-05-14 10:00"),
    ("2 september 2027 09.30", "2027-09-02 09:30"),
    ("2 sept. 2027 kl 9", "2027-09-02 09:00"),
    ("21/9/2027 12:30", "2027-09-21 12:30"),
    ("21.9.2027 12.30", "2027-09-21 12:30"),
    ("2027-09-02 kl. 09:30", "2027-09-02 09:30"),
    ("Thursday, September 2, 2027 9:30", "2027-09-02 09:30"),
    ("on the 2nd September 2027 at 9.30", "2027-09-02 09:30"),
])
def test_a_date_and_time_as_people_write_them_is_rewritten(text: str, fixed: str) -> None:
    assert rewrite(text) == fixed


@pytest.mark.parametrize("text", [
    "torsdag 15 oktober 2027 09:30",  # 15 October 2027 is a Friday: which one is meant?
    "31 september 2027 09:30", "2 september 2027 25:00", "16 december 09:30",
    "2 september 2027", "12:30", "onsdag", "snart", "2 smörgåsar 2027 09:30",
])
def test_a_text_that_is_no_certain_date_and_time_is_not_rewritten(text: str) -> None:
    assert rewrite(text) is None


def test_a_time_alone_is_on_the_day_given() -> None:
    from datetime import date
    assert rewrite("12.30", date(2027, 9, 2)) == "2027-09-02 12:30"
    assert rewrite("fredag 12:30", date(2027, 9, 2)) is None


def test_the_problem_names_the_value_to_write_at_its_line() -> None:
    source = doc(event_yaml(start="fredag 14 maj 2027 10.00", end="2027-05-14 11:00"))
    problem = only(source)
    assert problem.line == line_of(source, "start:")
    assert problem.message == ("event 'am-1': start must be written 2027-05-14 10:00 "
                               "(year-month-day and the time), not 'fredag 14 maj 2027 10.00'")
    assert swedish(problem) == (f"prog.yaml:{problem.line}: träff ”am-1”: start ska skrivas "
                                "2027-05-14 10:00 (år-månad-dag och klockslaget), inte "
                                "”fredag 14 maj 2027 10.00”")


def test_an_end_of_a_time_alone_is_put_on_the_start_day_even_a_mistyped_one() -> None:
    good = only(doc(event_yaml(end="12:30")))
    assert good.message == ("event 'am-1': end must be written 2027-09-02 12:30 "
                            "(year-month-day and the time), not '12:30'")
    [start, end] = problems(doc(event_yaml(start="3 september 2027 9.30", end="12.30")))
    assert "start must be written 2027-09-03 09:30" in start.message
    assert "end must be written 2027-09-03 12:30" in end.message


def test_an_end_before_its_start_in_the_file_gets_no_day_of_another_meeting() -> None:
    source = doc(event_yaml(id="a") + event_yaml(id="b", start=None, end="12:30")
                 + "  start: 2027-09-09 09:30\n")
    assert only(source).message == ("event 'b': end must be a date and time like "
                                    "2027-09-02 09:30, not '12:30'")


async def test_a_swedish_organisers_reload_shows_the_value_to_write_as_code(
        telegram_bot, tmp_path) -> None:
    bot, path, _ = await organised(telegram_bot, tmp_path, GATHERING)
    written = GATHERING.replace("start: 2027-09-02 10:00", "start: torsdag 2 sep 2027 10.00")
    assert written != GATHERING
    path.write_text(written, encoding="utf-8")
    [reply] = await bot.say(ORGANISER, "/läsom", language_code="sv")
    line = line_of(written, "torsdag 2 sep")
    assert (f"programme.yaml:{line}: träff ”web”: start ska skrivas 2027-09-02 10:00 "
            "(år-månad-dag och klockslaget), inte ”torsdag 2 sep 2027 10.00”"
            ) in reply.plain_text.splitlines()
    assert "<code>2027-09-02 10:00</code>" in (reply.text or "")


def test_a_weekday_that_is_not_its_dates_is_named_with_the_fix_for_the_date() -> None:
    """"torsdag 15 oktober 2027" fell back to the general example on another day: it now says
    that 15 October 2027 is a Friday, and what to write for that date, in each language."""
    from datetime import date
    assert misdated("torsdag 15 oktober 2027 09.30") == (date(2027, 10, 15), 3,
                                                          "2027-10-15 09:30")
    assert misdated("fredag 15 oktober 2027 09.30") is None
    assert misdated("15 oktober 2027 09.30") is None
    source = doc(event_yaml(start="torsdag 15 oktober 2027 09.30", end="2027-10-15 12:00"))
    problem = only(source)
    assert problem.line == line_of(source, "start:")
    assert problem.message == ("event 'am-1': start: 15 October 2027 is a Friday, not a "
                               "Thursday: for that date write 2027-10-15 09:30, not "
                               "'torsdag 15 oktober 2027 09.30'")
    assert swedish(problem) == (f"prog.yaml:{problem.line}: träff ”am-1”: start: 15 oktober "
                                "2027 är en fredag, inte en torsdag: för det datumet skriv "
                                "2027-10-15 09:30, inte ”torsdag 15 oktober 2027 09.30”")


def test_mingel_check_names_the_weekday_in_the_terminals_language(tmp_path, monkeypatch,
                                                                  capsys) -> None:
    from assistant import cli
    path = tmp_path / "prog.yaml"
    path.write_text(doc(event_yaml(start="Thursday, October 15, 2027 9:30",
                                   end="2027-10-15 12:00")), encoding="utf-8")
    monkeypatch.setenv("MINGEL_LOCALE", "sv")
    monkeypatch.setenv("MINGEL_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["check", str(path)]) == 1
    assert "15 oktober 2027 är en fredag, inte en torsdag: för det datumet skriv " \
        "2027-10-15 09:30, inte ”Thursday, October 15, 2027 9:30”" in capsys.readouterr().out
