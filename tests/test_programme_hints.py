"""Programme problems that tell a newcomer how to fix the file (QA pass 29): a comma in a
one-line text, a quoted true or number, a speaker written "Name: role", a date field.

The files in tests/fixtures/qa29 are the ones a new Swedish organiser wrote."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from assistant.i18n import Catalogues
from plugins.programme.loader import BOOL_FIELDS, Problem, ProgrammeError, parse_programme
from tests.test_programme_chat import ORG, ORG_SV, PLUGINS, PROGRAMME, SVEN
from tests.test_programme_loader import HEAD, doc, event_yaml, line_of, only, problems

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "qa29"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "programme.md"
CATALOGUES = Catalogues()


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def swedish(problem: Problem) -> str:
    """The problem as `mingel check` prints it in a Swedish terminal."""
    return problem.render(lambda text: CATALOGUES.text("programme", "sv", text))


def file_problems(name: str) -> list[Problem]:
    with pytest.raises(ProgrammeError) as info:
        parse_programme(fixture(name), name)
    return info.value.problems


def at(found: list[Problem], line: int) -> list[Problem]:
    return [p for p in found if p.line == line]


# --- 1. a comma in a one-line text ---------------------------------------------------------

COMMA_SV = ("v2-comma.yaml:{line}: träff ”{id}”: talare 1: role: texten innehåller ett "
            "kommatecken och måste därför stå inom citattecken (till exempel "
            "{{sv: \"…, …\", en: \"…\"}}); utan dem läses ”{tail}” som en språkkod")
COMMA_EN = ("v2-comma.yaml:{line}: event '{id}': speaker 1: role: the text has a comma, so it "
            "must be put in quotes, like {{sv: \"…, …\", en: \"…\"}}; without them, '{tail}' is "
            "read as a language code")


def test_a_comma_in_a_one_line_text_is_one_problem_that_says_to_quote_it() -> None:
    """Both the Swedish and the English text of a role split at their commas: one problem
    for the role, not one "is not a language code" per stray piece."""
    found = file_problems("v2-comma.yaml")
    values = [(63, "am-2026-12-01", "Aalborgs universitet"),
              (74, "am-2026-12-07", "Swedish National Agency for Education")]
    assert [str(p) for p in found] == [COMMA_EN.format(line=line, id=eid, tail=tail)
                                       for line, eid, tail in values]
    assert [swedish(p) for p in found] == [COMMA_SV.format(line=line, id=eid, tail=tail)
                                           for line, eid, tail in values]


@pytest.mark.parametrize("role, tail", [
    ("{sv: Lektor, Aalborg, en: Lecturer}", "Aalborg"),
    ("{sv: Lektor vid, Aalborgs universitet: Danmark, en: Lecturer}", "Aalborgs universitet"),
    ("{en: Director-General, Swedish National Agency for Education}",
     "Swedish National Agency for Education"),
])
def test_every_shape_of_a_text_split_at_a_comma_says_to_quote_it(role: str, tail: str) -> None:
    source = doc(event_yaml(speakers=f"[{{name: Mads, role: {role}}}]"))
    problem = only(source)
    assert problem.message == (f"event 'am-1': speaker 1: role: the text has a comma, so it must "
                               f"be put in quotes, like {{sv: \"…, …\", en: \"…\"}}; without "
                               f"them, '{tail}' is read as a language code")


def test_a_wrong_language_code_is_still_called_one() -> None:
    """A key that is a word of its own (SV, or a name on its own line) is not a comma's tail."""
    flow = only(doc(event_yaml(title="{SV: Möte, en: Meeting}")))
    assert flow.message == "event 'am-1': title: 'SV' is not a language code (such as sv or en)"
    block = only(doc(event_yaml(title="\n    sv: Möte\n    Svenska titeln: Möte")))
    assert block.message == ("event 'am-1': title: 'Svenska titeln' is not a language code "
                             "(such as sv or en)")


SHORT_TAILS = [
    ("{sv: Kaffe, te, en: Coffee}", "te"),  # the review's probe
    ("{en: Coffee, tea}", "tea"),
    ("{sv: Jobb, bo, en: Jobs}", "bo"),
    ("{sv: Lunch, fika, en: Lunch, fika}", "fika"),
    ("{sv: Kaffe, te, en: Coffee, tea}", "te"),
    ("{sv: Kaffe, te: , en: Coffee}", "te"),
]


@pytest.mark.parametrize("title, tail", SHORT_TAILS)
def test_a_short_word_after_the_comma_says_to_quote_the_text(title: str, tail: str) -> None:
    """A short lower-case word cut off at the comma reads as a language code with no text;
    the organiser is told about the comma once, at the title's line, in both languages."""
    source = doc(event_yaml(title=title))
    problem = only(source)
    assert problem.line == line_of(source, "title:")
    assert str(problem) == (f"prog.yaml:{problem.line}: event 'am-1': title: the text has a "
                            f"comma, so it must be put in quotes, like {{sv: \"…, …\", en: "
                            f"\"…\"}}; without them, '{tail}' is read as a language code")
    assert swedish(problem) == (f"prog.yaml:{problem.line}: träff ”am-1”: title: texten "
                                f"innehåller ett kommatecken och måste därför stå inom "
                                f"citattecken (till exempel {{sv: \"…, …\", en: \"…\"}}); utan "
                                f"dem läses ”{tail}” som en språkkod")


@pytest.mark.parametrize("title, english, swedish_text", [
    ("{sv: Kaffe, en: }", "the 'en' text is empty", "texten på ”en” är tom"),
    ("{sv: Kaffe, en}", "the 'en' text is empty", "texten på ”en” är tom"),
    ("{sv: Kaffe, de: ~}", "the 'de' text is empty", "texten på ”de” är tom"),
    ("{te, sv: Kaffe}", "the 'te' text is empty", "texten på ”te” är tom"),
    ("{sv: Kaffe, SV: Kaffe}", "'SV' is not a language code (such as sv or en)",
     "”SV” är ingen språkkod (som sv eller en)"),
])
def test_a_language_written_with_a_wrong_or_missing_text_keeps_its_problem(
        title: str, english: str, swedish_text: str) -> None:
    """An empty text in a language Mingel speaks, one emptied with ~, a first entry (no comma
    before it) and a wrong code with a text are not commas."""
    problem = only(doc(event_yaml(title=title)))
    assert problem.message == f"event 'am-1': title: {english}"
    assert swedish(problem).endswith(f"träff ”am-1”: title: {swedish_text}")


def test_a_text_in_a_language_mingel_does_not_speak_is_still_read() -> None:
    """de: Kaffee is German text, not the tail of a comma."""
    programme = parse_programme(doc(event_yaml(title="{sv: Kaffe, de: Kaffee}")), "prog.yaml")
    assert dict(programme.events[0].title) == {"sv": "Kaffe", "de": "Kaffee"}


def test_the_quoted_comma_text_of_the_documentation_reads_as_written() -> None:
    """The example's one-line texts include one with a comma, quoted, so a copy with real
    titles keeps working."""
    example = DOCS.read_text(encoding="utf-8").split("## A complete example", 1)[1]
    block = example.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert re.search(r'\{sv: "[^"]*, [^"]*", en: "[^"]*, [^"]*"\}', block)
    programme = parse_programme(block, "programme.md")
    roles = [dict(p.role) for e in programme.events for p in e.speakers if p.role]
    assert {"sv": "Docent i arbetsmarknadspolitik, Aalborgs universitet",
            "en": "Associate professor, Aalborg University"} in roles


# --- 2. a quoted true or number ----------------------------------------------------------

QUOTED = [(name, '"true"', "true or false") for name in BOOL_FIELDS] + [
    ("invite_only", "'no'", "true or false"),
    ("capacity", '"30"', "a positive whole number"),
    ("online_capacity", "'120'", "a positive whole number"),
]


@pytest.mark.parametrize("key, value, expected", QUOTED)
def test_a_quoted_true_or_number_says_to_remove_the_quotes(key: str, value: str,
                                                           expected: str) -> None:
    online = {"online": "https://zoom.us/j/1"} if key == "online_capacity" else {}
    source = doc(event_yaml(**{key: value}, **online))
    problem = only(source)
    assert problem.line == line_of(source, f"{key}: {value}")
    assert problem.message == (f"event 'am-1': {key} must be {expected}, not the text "
                               f"'{value[1:-1]}' in quotes; remove the quotes")


def test_quoted_private_and_coordinates_say_to_remove_the_quotes() -> None:
    source = textwrap.dedent("""\
        venues:
          f7: {name: F7, latitude: "59.33", longitude: 18.04}
        networks:
          am: {name: A}
        events:
          - id: a
            networks: [am]
            title: T
            start: 2027-09-02 09:30
            end: 2027-09-02 10:30
            online: {url: "https://zoom.us/j/1", private: 'true'}
        """)
    assert [(p.line, p.message) for p in problems(source)] == [
        (2, ("venue 'f7': latitude must be a number between -90 and 90, not the text '59.33' "
             "in quotes; remove the quotes")),
        (11, ("event 'a': online: private must be true or false, not the text 'true' in "
              "quotes; remove the quotes"))]


@pytest.mark.parametrize("key, value, kind", [
    ("invite_only", '"ja"', "'ja'"),
    ("capacity", '"0"', "'0'"),
    ("capacity", "'30 platser'", "'30 platser'"),
])
def test_quotes_are_not_blamed_when_the_value_is_wrong_without_them(key: str, value: str,
                                                                     kind: str) -> None:
    problem = only(doc(event_yaml(**{key: value})))
    assert problem.message.endswith(f", not {kind}")


def test_the_quoted_true_of_the_qa_file_in_both_languages() -> None:
    [problem] = at(file_problems("v3.yaml"), 24)
    assert str(problem) == ("v3.yaml:24: event 'a2': health_required must be true or false, "
                            "not the text 'true' in quotes; remove the quotes")
    assert swedish(problem) == ("v3.yaml:24: träff ”a2”: health_required måste vara true eller "
                                "false, inte texten ”true” inom citattecken; ta bort "
                                "citattecknen")


# --- 3. a speaker or moderator written "Name: role" --------------------------------------

SPEAKER_SV = ("v1.yaml:40: träff ”am-flexicurity”: talare 1: namnet och rollen skrivs i var "
              "sitt fält: skriv - name: Mads Peter Klindt och, på nästa rad i linje med name, "
              "role: lektor i arbetsmarknadspolitik vid universitetet i Aalborg")


def test_a_speaker_written_name_colon_role_gets_one_problem_with_the_right_form() -> None:
    [problem] = at(file_problems("v1.yaml"), 40)
    assert str(problem) == (
        "v1.yaml:40: event 'am-flexicurity': speaker 1: the name and the role go in fields of "
        "their own: write - name: Mads Peter Klindt and, on the next line lined up with name, "
        "role: lektor i arbetsmarknadspolitik vid universitetet i Aalborg")
    assert swedish(problem) == SPEAKER_SV


def test_a_moderator_written_name_colon_role_gets_the_same_help() -> None:
    source = textwrap.dedent("""\
        networks:
          am:
            name: A
            moderator:
              Emelie Fågelstedt: samtalsledare
        """)
    problem = only(source)
    assert (problem.line, problem.message) == (5, (
        "network 'am': moderator: the name and the role go in fields of their own: write "
        "name: Emelie Fågelstedt and, on the next line lined up with name, role: "
        "samtalsledare"))


def test_a_speaker_with_a_role_in_two_languages_after_the_colon_gets_the_same_help() -> None:
    source = doc(event_yaml(speakers=(
        '\n      - Roger Mörtvik: {sv: Statssekreterare, en: "State Secretary, Labour"}')))
    problem = only(source)
    assert (problem.line, problem.message) == (line_of(source, "Roger"), (
        "event 'am-1': speaker 1: the name and the role go in fields of their own: write "
        "- name: Roger Mörtvik and, on the next line lined up with name, role: {sv: "
        'Statssekreterare, en: "State Secretary, Labour"}'))


@pytest.mark.parametrize("key", ["nmae", "Name"])
def test_a_misspelt_person_field_keeps_its_did_you_mean(key: str) -> None:
    """One mistake, one problem: the did-you-mean says the name is missing (QA 43 read
    four mistakes as "5 fel" when each misspelt required field was also "missing")."""
    found = problems(doc(event_yaml(speakers=f"[{{{key}: Mads}}]")))
    assert [p.message for p in found] == [
        f"event 'am-1': speaker 1: unknown field '{key}' (did you mean 'name'?)"]


def test_a_misspelt_required_field_of_a_meeting_is_one_problem() -> None:
    source = doc(event_yaml(title=None, titel="{sv: Möte, en: Meeting}", start=None,
                            strat="2027-09-02 09:30"))
    assert [(p.line, p.message) for p in problems(source)] == [
        (line_of(source, "titel:"), "event 'am-1': unknown field 'titel' (did you mean 'title'?)"),
        (line_of(source, "strat:"), "event 'am-1': unknown field 'strat' (did you mean 'start'?)")]
    assert [p.message for p in problems(doc(event_yaml(title=None)))] == [
        "event 'am-1': missing required field 'title'"]


# --- 4. a date field ---------------------------------------------------------------------

DATE_HINT = ("(a meeting's date and time are written as start: 2026-12-16 09:30 and "
             "end: 2026-12-16 12:30)")
"""The hint for the QA file's `date: 2026-12-16`: the example is written on that day."""


@pytest.mark.parametrize("key", ["date", "time", "datum", "tid", "when", "day", "Datum"])
def test_a_date_field_points_to_start_and_end(key: str) -> None:
    source = doc(event_yaml(**{key: "2026-12-16"}))
    problem = only(source)
    assert problem.line == line_of(source, f"{key}:")
    assert problem.message == f"event 'am-1': unknown field '{key}' {DATE_HINT}"


@pytest.mark.parametrize(("value", "day"), [
    ("2027-03-04 kl 10", "2027-03-04"), ("'2026-12-01'", "2026-12-01"), ("10.00", "2027-09-02"),
    ("2027-02-30", "2027-09-02"), ("onsdag", "2027-09-02")])
def test_the_date_fields_example_is_on_the_day_it_names_or_else_on_an_example_day(
        value: str, day: str) -> None:
    assert only(doc(event_yaml(datum=value))).message == (
        f"event 'am-1': unknown field 'datum' (a meeting's date and time are written as "
        f"start: {day} 09:30 and end: {day} 12:30)")


@pytest.mark.parametrize(("start", "example"), [
    ("2026-12-16 kl 25", "2026-12-16 09:30"), ("2026-12-16 25:00", "2026-12-16 09:30"),
    ("16 december", "2027-09-02 09:30"), ("2026-13-01 09:30", "2027-09-02 09:30")])
def test_a_start_that_is_no_date_and_time_is_shown_how_to_write_it_on_its_own_day(
        start: str, example: str) -> None:
    problem = only(doc(event_yaml(start=start)))
    assert problem.message.startswith(
        f"event 'am-1': start must be a date and time like {example}, not ")


def test_a_misspelt_field_near_date_still_gets_its_did_you_mean() -> None:
    assert only(doc(event_yaml(nte="x"))).message == (
        "event 'am-1': unknown field 'nte' (did you mean 'note'?)")


def test_the_date_field_of_the_qa_file_in_both_languages() -> None:
    [problem] = at(file_problems("v3.yaml"), 32)
    assert str(problem) == f"v3.yaml:32: event 'a3': unknown field 'date' {DATE_HINT}"
    assert swedish(problem) == ("v3.yaml:32: träff ”a3”: okänt fält ”date” (en träffs datum och "
                                "tid skrivs som start: 2026-12-16 09:30 och end: "
                                "2026-12-16 12:30)")


# --- 5. a meeting's own moderator (QA 43) -------------------------------------------------

MODERATOR_HINT = ("(a meeting shows the moderators of its networks: write moderator: {who} "
                  "under the network, in networks)")


@pytest.mark.parametrize("key", ["moderator", "moderators", "Moderator", "samtalsledare"])
def test_a_meetings_moderator_is_pointed_to_its_network(key: str) -> None:
    """A second moderator for a joint meeting, written under the meeting: that was "did you
    mean 'description'?", a field that has nothing to do with it."""
    source = doc(event_yaml(networks="[arbetsmarknad, bostad]", **{key: "Lena Ek"}))
    problem = only(source)
    assert problem.line == line_of(source, f"{key}:")
    assert problem.message == (f"event 'am-1': unknown field '{key}' "
                               + MODERATOR_HINT.format(who="Lena Ek"))
    assert swedish(problem) == (
        f"prog.yaml:{problem.line}: träff ”am-1”: okänt fält ”{key}” (en träff visar sina "
        "nätverks samtalsledare: skriv moderator: Lena Ek under nätverket, i networks)")


def test_a_moderator_in_defaults_or_as_a_mapping_is_pointed_to_the_network_too() -> None:
    source = doc(event_yaml(moderator="{name: Lena Ek, role: Samtalsledare}"))
    assert only(source).message == ("event 'am-1': unknown field 'moderator' "
                                    + MODERATOR_HINT.format(who="Emelie Fågelstedt"))
    source = HEAD.replace("events:\n", "defaults:\n  moderator: Lena Ek\nevents:\n") + \
        textwrap.indent(event_yaml(), "  ")
    assert only(source).message == ("defaults: unknown field 'moderator' "
                                    + MODERATOR_HINT.format(who="Lena Ek"))


# --- in the chat ---------------------------------------------------------------------------

@pytest.fixture
def programme_file(tmp_path: Path) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return path


@pytest.fixture
def start(mingel_chat, programme_file):
    async def make() -> Any:
        chat = await mingel_chat(PLUGINS, organisers=[ORG, ORG_SV],
                                 env={"MINGEL_PROGRAMME": str(programme_file)})
        chat.user(ORG, "Olga", lang="en")
        chat.user(ORG_SV, "Oskar", lang="sv")
        chat.user(SVEN, "Sven", lang="sv")
        return chat
    return make


async def test_a_swedish_organisers_upload_gets_the_fixes_in_swedish_with_code(start) -> None:
    """The upload path: each message names the file and line, in Swedish, and the YAML to
    write is code, ready to copy."""
    chat = await start()
    [comma] = await chat.upload("v2-comma.yaml", fixture("v2-comma.yaml").encode(), ORG_SV)
    assert chat.text([comma]).splitlines()[2:] == [
        COMMA_SV.format(line=63, id="am-2026-12-01", tail="Aalborgs universitet"),
        COMMA_SV.format(line=74, id="am-2026-12-07", tail="Swedish National Agency for Education")]
    assert ("(till exempel <code>{sv: &quot;…, …&quot;, en: &quot;…&quot;}</code>)"
            in comma.text)
    [newcomer] = await chat.upload("v1.yaml", fixture("v1.yaml").encode(), ORG_SV)
    assert [line for line in chat.text([newcomer]).splitlines() if ":40:" in line] == [
        SPEAKER_SV]
    assert "skriv <code>- name: Mads Peter Klindt</code> och" in newcomer.text
    [v3] = await chat.upload("v3.yaml", fixture("v3.yaml").encode(), ORG_SV)
    lines = chat.text([v3]).splitlines()
    assert ("v3.yaml:24: träff ”a2”: health_required måste vara true eller false, inte texten "
            "”true” inom citattecken; ta bort citattecknen") in lines
    assert ("v3.yaml:32: träff ”a3”: okänt fält ”date” (en träffs datum och tid skrivs som "
            "start: 2026-12-16 09:30 och end: 2026-12-16 12:30)") in lines
    assert "Arbetsmarknaden efter corona" in chat.text(await chat.send("/programme", SVEN))


async def test_an_english_organisers_reload_gets_the_fixes_in_english(start,
                                                                      programme_file) -> None:
    chat = await start()
    programme_file.write_text(fixture("v3.yaml"), encoding="utf-8")
    lines = chat.text(await chat.send("/reload", ORG)).splitlines()
    assert ("programme.yaml:24: event 'a2': health_required must be true or false, not the "
            "text 'true' in quotes; remove the quotes") in lines
    assert f"programme.yaml:32: event 'a3': unknown field 'date' {DATE_HINT}" in lines
    programme_file.write_text(fixture("v2-comma.yaml"), encoding="utf-8")
    lines = chat.text(await chat.send("/reload", ORG)).splitlines()
    assert lines[2:] == [COMMA_EN.format(line=63, id="am-2026-12-01",
                                         tail="Aalborgs universitet").replace("v2-comma.yaml",
                                                                              "programme.yaml"),
                         COMMA_EN.format(line=74, id="am-2026-12-07",
                                         tail="Swedish National Agency for Education"
                                         ).replace("v2-comma.yaml", "programme.yaml")]


async def test_a_swedish_organisers_reload_calls_a_short_word_after_a_comma_a_comma(
        start, programme_file) -> None:
    """"Kaffe, te" in an unquoted one-line title: one problem, in Swedish, at the title's
    line, and the programme in use stays the old one."""
    chat = await start()
    broken = PROGRAMME.replace("{sv: Vårens avslutning, en: End of spring}",
                               "{sv: Avslutning, te, en: End of spring, tea}")
    assert broken != PROGRAMME
    programme_file.write_text(broken, encoding="utf-8")
    title_line = line_of(broken, "Avslutning, te")
    lines = chat.text(await chat.send("/reload", ORG_SV)).splitlines()
    assert [line for line in lines if line.startswith("programme.yaml:")] == [
        (f"programme.yaml:{title_line}: träff ”am-juni”: title: texten innehåller ett "
         "kommatecken och måste därför stå inom citattecken (till exempel {sv: \"…, …\", en: "
         "\"…\"}); utan dem läses ”te” som en språkkod")]
    assert "Vårens avslutning" in chat.text(await chat.send("/programme alla", SVEN))
