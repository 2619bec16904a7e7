"""Tests for the programme file loader: line-numbered problems, times, and the bundled sample."""

from __future__ import annotations

import gc
import random
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.model import Event, Programme, freeze_text, text
from plugins.programme.loader import (
    Problem,
    ProgrammeError,
    check_file,
    load_programme,
    parse_programme,
)

SAMPLE = Path(__file__).resolve().parents[1] / "plugins" / "programme" / "sample.yaml"
STOCKHOLM = ZoneInfo("Europe/Stockholm")

HEAD = """\
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm"}
networks:
  arbetsmarknad: {name: {sv: Arbetsmarknad, en: Labour market}}
  bostad: {name: Bostad}
events:
"""
FIRST_EVENT_LINE = len(HEAD.splitlines()) + 1


def doc(body: str, head: str = HEAD) -> str:
    """A programme document: the common head plus dedented event lines (indented as a list)."""
    return head + textwrap.indent(textwrap.dedent(body), "  ")


def event_yaml(**fields: str) -> str:
    """One valid event; a keyword replaces a field, and the value None removes it."""
    base = {"id": "am-1", "networks": "[arbetsmarknad]", "title": "{sv: Möte, en: Meeting}",
            "start": "2027-09-02 09:30", "end": "2027-09-02 12:30", "venue": "f7"}
    base.update(fields)
    lines = [f"{k}: {v}" for k, v in base.items() if v is not None]
    return "- " + "\n  ".join(lines) + "\n"


def problems(source: str, **kwargs: str) -> list[Problem]:
    with pytest.raises(ProgrammeError) as info:
        parse_programme(source, "prog.yaml", **kwargs)
    return info.value.problems


def line_of(source: str, needle: str) -> int:
    """1-based line of the only line containing needle."""
    hits = [n for n, line in enumerate(source.splitlines(), 1) if needle in line]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def only(source: str, **kwargs: str) -> Problem:
    found = problems(source, **kwargs)
    assert len(found) == 1, found
    return found[0]


def parse(source: str, **kwargs: str) -> Programme:
    return parse_programme(source, "prog.yaml", **kwargs)


# --- a valid file -------------------------------------------------------------------------

def test_minimal_programme_builds_model() -> None:
    programme = parse(doc(event_yaml()))
    (event,) = programme.events
    assert event.id == "am-1" and event.networks == ("arbetsmarknad",)
    assert event.venue is not None and event.venue.address == "Fleminggatan 7, Stockholm"
    assert event.mode == "in_person" and event.online is None
    assert event.start == datetime(2027, 9, 2, 9, 30, tzinfo=STOCKHOLM)
    assert event.question_mode == "approval" and event.questions and not event.cancelled
    assert programme.timezone == STOCKHOLM and programme.source == "prog.yaml"
    assert programme.event("am-1") is event and programme.event("nope") is None
    assert len(programme.health_questions) == 3
    hash(programme.events)


def test_text_fallback() -> None:
    programme = parse(doc(event_yaml(title="Bara svenska")))
    title = programme.events[0].title
    assert text(title, "en") == "Bara svenska" == text(title, "sv")
    network = programme.networks["arbetsmarknad"]
    assert text(network.name, "sv") == "Arbetsmarknad"
    assert text(network.name, "de") == "Labour market"
    assert text(freeze_text({"sv": "Hej"}), "fi") == "Hej"
    assert text(freeze_text({"sv": "Hej", "en": "Hi"}), "sv-FI") == "Hej"
    assert text(freeze_text({"fi": "Moi"}), "de") == "Moi"
    assert text(None, "en") == "" and text({}, "sv") == ""


def test_full_event_fields() -> None:
    source = doc(event_yaml(
        networks="[arbetsmarknad, bostad]",
        online="{url: 'https://zoom.us/j/1', private: true}",
        speakers="[{name: Roger Mörtvik, role: {sv: statssekreterare, en: state secretary}}, Anna]",
        capacity="40", online_capacity="100", invite_only="true", health_required="true",
        question_mode="live", cancelled="yes", note="{sv: Med förbehåll, en: Subject to change}",
        url="https://example.se/am-1",
    ))
    event = parse(source).events[0]
    assert event.mode == "hybrid" and event.online is not None
    assert event.online.platform == "Zoom" and event.online.private
    assert [s.name for s in event.speakers] == ["Roger Mörtvik", "Anna"]
    assert text(event.speakers[0].role, "en") == "state secretary"
    assert (event.capacity, event.online_capacity) == (40, 100)
    assert event.invite_only and event.health_required and event.health_declaration
    assert event.question_mode == "live" and event.cancelled
    assert text(event.note, "en") == "Subject to change" and event.url == "https://example.se/am-1"


# --- every problem kind, with its line ---------------------------------------------------

def test_yaml_syntax_error_line() -> None:
    source = doc(event_yaml()) + "  - id: [unclosed\n    title: x\n"
    problem = only(source)
    assert (problem.line, problem.message) == (line_of(source, "[unclosed"),
                                               "the [ on this line is never closed")


@pytest.mark.parametrize("mistake, needle, message", [
    ("    title: Tema\n      start: 2027-09-02 09:30\n", "      start:",
     "wrong indentation: this line is indented further than the lines it belongs with"),
    ("    title: Tema\n   start: 2027-09-02 09:30\n", "   start:",
     "wrong indentation: this line does not line up with the lines it belongs with"),
    ("    title: Tema\n - id: b\n", " - id: b",
     "wrong indentation: this line does not line up with the lines it belongs with"),
    ("    title: Tema: arbete\n", "Tema: arbete",
     'a text containing ": " must be put in quotes, like "Theme: work"'),
    ("    title: {sv: Tema: arbete, en: Theme}\n", "Tema: arbete",
     'a text inside {…} containing ": " must be put in quotes'),
    ("    title: @hem\n", "@hem", 'a text that starts with @ must be put in quotes, like "@…"'),
    ("    title: *stjärna\n", "stjärna",
     'a text that starts with * must be put in quotes, like "*…"'),
    ("    title: *star\n", "star",
     ("*star stands for an anchor &star that is not defined above it; a text that "
     'starts with * must be put in quotes, like "*…"')),
    ("    title: [Ny] träff\n", "[Ny]", ("a text that starts with a quote or a bracket must "
     "also end with it; put the whole text in quotes")),
    ("    title: x\n\tnote: y\n", "note:",
     "a tab is used for indentation here; indent with spaces only"),
    ("    title: 'Om\n    note: y\n    url: z\n", "title: 'Om",
     "the quote that starts on this line is never closed"),
    ("    networks: [a, b\n    note: y\n", "networks: [a",
     "the [ on this line is never closed"),
    ("    title: x\n    note\n    url: z\n", "    note",
     'this line has no ":" after its name; write name: value'),
    ("    title: \"a\\qb\"\n", "title:", ("in double quotes a \\ starts a code such as \\n; "
     "write \\\\ for a backslash, or put the text in single quotes")),
    ("    title:\n     sv: Tema\n      en: Theme\n    start: 2027-09-02 09:30\n", "     sv:",
     "wrong indentation: this line does not line up with the lines it belongs with"),
    ("    title:\n      sv: Tema\n        en: Theme\n", "        en:",
     "wrong indentation: this line is indented further than the lines it belongs with"),
    ("    speakers:\n     - name: Mads\n        role: Lektor\n", "     - name:",
     "wrong indentation: this line does not line up with the lines it belongs with"),
    ("    speakers:\n      - name: Mads\n          role: Lektor\n", "          role:",
     "wrong indentation: this line is indented further than the lines it belongs with"),
    ("    description: A long text\n      that goes on, and has this: a colon\n", "has this:",
     ('a text containing ": " must be put in quotes from where it starts (line 3), like '
     '"Theme: work"')),
    ("    title: x\n---\nevents: []\n", "---",
     'a second document starts here ("---"), but a programme file holds one; remove this line'),
    ("    title: x\n...\nevents: []\n", "...",
     'the line "..." ends the document, so what follows it cannot be read; remove this line'),
    ("    title: x\n    note: &n a\n    url: &n b\n", "url:",
     "the anchor &n is already defined on line 4; give this one another name"),
    ("    description: | Om träffen\n", "description:",
     "nothing may follow | or > on its line; start the text on the next line, indented"),
    ("    title: x\n%YAML 1.1\n", "%YAML", ("the file is not valid YAML here; the YAML reader "
     "says (in English): expected '<document start>', but found '<stream end>'")),
])
def test_yaml_mistakes_in_plain_words_at_their_line(mistake: str, needle: str,
                                                    message: str) -> None:
    """The parser's jargon ("expected <block end>, but found '<block mapping start>'")
    becomes what to do, at the line to fix."""
    source = "events:\n  - id: a\n" + mistake
    problem = only(source)
    assert (problem.line, problem.message) == (line_of(source, needle), message)


def test_syntax_error_exact_line() -> None:
    source = "timezone: Europe/Stockholm\ncontact: a\n  bad: indent\n"
    assert only(source).line == 3


def test_not_a_mapping() -> None:
    problem = only("- just\n- a list\n")
    assert problem.line == 1 and "must be a mapping" in problem.message


def test_empty_file_is_a_problem_of_the_file_as_a_whole() -> None:
    problem = only("# nothing yet\n")
    assert problem.line == 0 and "empty" in problem.message
    assert str(problem).startswith("prog.yaml: the file is empty")


def test_every_problem_of_an_event_names_it_the_same_way() -> None:
    """By its id when it has one (also when its title is missing), else by its place."""
    source = doc(event_yaml(id=None, title=None) + event_yaml(id="b-1", title=None,
                                                              networks=None))
    assert [p.message for p in problems(source)] == [
        "event no. 1: missing required field 'id'",
        "event no. 1: missing required field 'title'",
        "event 'b-1': missing required field 'title'",
        "event 'b-1': missing required field 'networks'",
    ]


def test_unknown_venue_with_suggestion() -> None:
    source = doc(event_yaml(venue="f8"))
    problem = only(source)
    assert problem.line == line_of(source, "venue: f8")
    assert "unknown venue 'f8'" in problem.message and "did you mean 'f7'?" in problem.message


def test_unknown_network_with_suggestion() -> None:
    source = doc(event_yaml(networks="[arbetsmarknad, bostäd]"))
    problem = only(source)
    assert problem.line == line_of(source, "bostäd")
    assert "unknown network 'bostäd'" in problem.message
    assert "did you mean 'bostad'?" in problem.message


NAMED = HEAD.replace("bostad: {name: Bostad}", "bostad: {name: Bostadspolitiskt nätverk}")


@pytest.mark.parametrize(("written", "meant"), [
    ("Bostadspolitiskt nätverk", "bostad"), ("bostadspolitiskt nätverk", "bostad"),
    ("Labour market", "arbetsmarknad"), ("Arbetsmarknad", "arbetsmarknad"),
    ("Bostadspolitiska nätverket", "bostad")])
def test_a_network_written_by_its_name_is_pointed_to_its_id(written: str, meant: str) -> None:
    """People write the name they know from the web page; the hint gives the id to write."""
    source = doc(event_yaml(networks=f"[{written}]"), head=NAMED)
    problem = only(source)
    assert problem.message == (f"event 'am-1': unknown network '{written}' "
                               f"(did you mean '{meant}'?)")


def test_a_venue_written_by_its_name_or_in_capitals_is_pointed_to_its_id() -> None:
    head = HEAD.replace("f7: {name: F7,", "f7: {name: Fleminggatan 7,")
    assert only(doc(event_yaml(venue="Fleminggatan 7"), head=head)).message == (
        "event 'am-1': unknown venue 'Fleminggatan 7' (did you mean 'f7'?)")
    assert only(doc(event_yaml(venue="F7"), head=head)).message == (
        "event 'am-1': unknown venue 'F7' (did you mean 'f7'?)")


def test_a_name_like_no_network_gets_no_hint() -> None:
    assert only(doc(event_yaml(networks="[Migration och integration]"))).message == (
        "event 'am-1': unknown network 'Migration och integration'")


@pytest.mark.parametrize("end", ["2027-09-02 09:00", "2027-09-02 09:30"])
def test_end_not_after_start(end: str) -> None:
    source = doc(event_yaml(end=end))
    problem = only(source)
    assert problem.line == line_of(source, "end:") and "must be after start" in problem.message


def test_duplicate_event_id() -> None:
    source = doc(event_yaml() + event_yaml(title="Två"))
    lines = [n for n, line in enumerate(source.splitlines(), 1) if "id: am-1" in line]
    problem = only(source)
    assert problem.line == lines[1]
    assert problem.message == f"duplicate event id 'am-1' (first used on line {lines[0]})"


@pytest.mark.parametrize("bad", ["Am-1", "am_1", "möte", "-am"])
def test_bad_id_characters(bad: str) -> None:
    source = doc(event_yaml(id=bad))
    problem = only(source)
    assert problem.line == line_of(source, f"id: {bad}") and "may only contain" in problem.message


def test_bad_venue_and_network_ids() -> None:
    head = "venues:\n  F7: {name: F7}\nnetworks:\n  am_x: {name: A}\n"
    found = problems(head)
    assert [(p.line, "venue id 'F7'" in p.message or "network id 'am_x'" in p.message)
            for p in found] == [(2, True), (4, True)]


@pytest.mark.parametrize("bad", ["2027-09-02", "2027-13-02 09:30", "2027-09-02 25:00",
                                 "i morgon", "2027-09-31 09:30:00", "2027-09-02 09:٣٠"])
def test_bad_time(bad: str) -> None:
    source = doc(event_yaml(start=bad if bad != "2027-09-02" else "[2027-09-02]"))
    problem = only(source)
    assert problem.line == line_of(source, "start:")
    assert "must be a date and time" in problem.message


def test_unknown_time_zone() -> None:
    source = "timezone: Europe/Stokholm\n" + doc(event_yaml())
    problem = only(source)
    assert problem.line == 1 and "unknown time zone 'Europe/Stokholm'" in problem.message
    assert "did you mean 'Europe/Stockholm'?" in problem.message


def test_unknown_default_time_zone() -> None:
    problem = only(doc(event_yaml()), default_timezone="Mars/Olympus")
    assert problem.line == 0 and "MINGEL_TIMEZONE" in problem.message


@pytest.mark.parametrize("key, value, suggestion", [
    ("titel", "Möte", "title"),
    ("capasity", "40", "capacity"),
    ("healt_declaration", "true", "health_declaration"),
    ("colour", "red", None),
])
def test_unknown_event_field(key: str, value: str, suggestion: str | None) -> None:
    source = doc(event_yaml(**{key: value}))
    problem = only(source)
    assert problem.line == line_of(source, f"{key}:")
    assert f"unknown field '{key}'" in problem.message
    if suggestion:
        assert problem.message.endswith(f"(did you mean '{suggestion}'?)")
    else:
        assert "did you mean" not in problem.message


def test_unknown_fields_at_every_level() -> None:
    source = textwrap.dedent("""\
        timezon: Europe/Stockholm
        venues:
          f7: {name: F7, adress: x}
        networks:
          am:
            name: A
            moderator: {name: Emelie, abut: x}
        health:
          question: []
        events:
          - id: a
            networks: [am]
            title: T
            start: 2027-09-02 09:30
            end: 2027-09-02 10:30
            online: {url: "https://zoom.us/j/1", privat: true}
            speakers: [{name: X, rol: y}]
        """)
    found = [(p.line, p.message) for p in problems(source)]
    expected = [(1, "timezone"), (3, "address"), (7, "about"), (9, "questions"),
                (16, "private"), (17, "role")]
    assert len(found) == len(expected)
    assert [(line, f"(did you mean '{hint}'?)" in msg) for (line, msg), (_, hint)
            in zip(found, expected, strict=True)] == [(line, True) for line, _ in expected]


@pytest.mark.parametrize("key, value, expected", [
    ("capacity", "forty", "a positive whole number"),
    ("capacity", "0", "a positive whole number"),
    ("capacity", "-5", "a positive whole number"),
    ("capacity", "12.5", "a positive whole number"),
    ("online_capacity", "[1]", "a positive whole number"),
    ("invite_only", "ja", "true or false"),
    ("cancelled", "1", "true or false"),
    ("questions", "'true'", "true or false"),
    ("title", "[a, b]", "text or a mapping"),
    ("networks", "{am: 1}", "must be a list"),
])
def test_wrong_types(key: str, value: str, expected: str) -> None:
    online = "{url: 'https://zoom.us/j/1'}" if key == "online_capacity" else None
    source = doc(event_yaml(**{key: value}, **({"online": online} if online else {})))
    problem = only(source)
    assert problem.line == line_of(source, f"{key}: {value}") and expected in problem.message


def test_wrong_coordinates() -> None:
    source = "venues:\n  f7: {name: F7, latitude: 95, longitude: 18}\n  g: {name: G, latitude: 1}\n"
    found = problems(source)
    assert [(p.line, p.message) for p in found] == [
        (2, "venue 'f7': latitude must be a number between -90 and 90, not '95'"),
        (3, "venue 'g': give both latitude and longitude, or neither"),
    ]


@pytest.mark.parametrize("field", ["id", "title", "start", "end", "networks"])
def test_missing_required_field(field: str) -> None:
    source = doc(event_yaml(**{field: None}))
    problem = only(source)
    assert problem.line == FIRST_EVENT_LINE
    assert f"missing required field '{field}'" in problem.message


def test_required_field_without_value() -> None:
    source = doc(event_yaml(title=""))
    problem = only(source)
    assert problem.line == line_of(source, "title:") and "'title' has no value" in problem.message


def test_neither_venue_nor_online() -> None:
    source = doc(event_yaml(venue=None))
    problem = only(source)
    assert problem.line == FIRST_EVENT_LINE
    assert "needs a venue, an online link, or both" in problem.message


@pytest.mark.parametrize("url", ["ftp://example.se/x", "zoom.us/j/1", "javascript:alert(1)"])
def test_online_url_must_be_web(url: str) -> None:
    source = doc(event_yaml(venue=None, online=f"{{platform: Zoom, url: '{url}'}}"))
    problem = only(source)
    assert problem.line == line_of(source, "online:") and "https://" in problem.message


def test_question_mode() -> None:
    source = doc(event_yaml(question_mode="approve"))
    problem = only(source)
    assert problem.line == line_of(source, "question_mode")
    assert "'approval' or 'live'" in problem.message
    assert "did you mean 'approval'" in problem.message


def test_capacity_without_venue() -> None:
    source = doc(event_yaml(venue=None, online="{url: 'https://zoom.us/j/1'}", capacity="40"))
    problem = only(source)
    assert problem.line == line_of(source, "capacity") and "no venue" in problem.message


def test_duplicate_key() -> None:
    source = doc(event_yaml(title="A") + "  title: B\n")
    problem = only(source)
    assert problem.line == line_of(source, "title: B") and "appears twice" in problem.message


def test_bad_language_code() -> None:
    source = doc(event_yaml(title="{sv: Möte, English: Meeting}"))
    assert "'English' is not a language code" in only(source).message


def test_many_problems_at_once() -> None:
    source = doc(
        event_yaml(venue="f9", capacity="many")
        + event_yaml(id="am-2", end="2027-09-01 10:00", question_mode="open")
        + event_yaml(id="Am 3", titel="x")
    )
    found = problems(source)
    assert len(found) == 6
    assert [p.line for p in found] == sorted(p.line for p in found)
    message = str(ProgrammeError(found))
    assert message.count("\n") == 5 and message.startswith("prog.yaml:")
    assert all(str(p).startswith(f"prog.yaml:{p.line}: ") for p in found)


# --- times -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "2027-09-02 09:30", "2027-09-02T09:30", "2027-09-02 09:30:00", "2027-09-02T09:30:00",
    "'2027-09-02 09:30'", "2027-09-02 9:30", "2027-09-02 09.30", "2027-09-02T07:30:00Z",
    "2027-09-02T09:30+02:00", "2027-09-02 07:30Z",
])
def test_time_formats(value: str) -> None:
    event = parse(doc(event_yaml(start=value))).events[0]
    assert event.start == datetime(2027, 9, 2, 9, 30, tzinfo=STOCKHOLM)
    assert event.start.tzinfo == STOCKHOLM


def test_dates_mean_whole_days() -> None:
    event = parse(doc(event_yaml(start="2027-09-02", end="2027-09-03"))).events[0]
    assert event.start == datetime(2027, 9, 2, tzinfo=STOCKHOLM)
    assert event.end == datetime(2027, 9, 4, tzinfo=STOCKHOLM)
    assert event.days() == [date(2027, 9, 2), date(2027, 9, 3)] and event.is_multi_day


def test_a_date_with_an_offset_but_no_time_is_the_whole_day() -> None:
    event = parse(doc(event_yaml(start="2027-09-02 +02:00", end="2027-09-02"))).events[0]
    assert (event.start, event.end) == (datetime(2027, 9, 2, tzinfo=STOCKHOLM),
                                        datetime(2027, 9, 3, tzinfo=STOCKHOLM))


def test_values_are_typed_as_pyyamls_own_safe_loader_types_them() -> None:
    """libyaml's loader tells each distinct plain value's type once (a festival has 197,000
    values, 19,000 different): the tree is the one the pure-Python safe loader composes."""
    import yaml

    from plugins.programme.yamlnodes import FastLoader
    assert FastLoader is not None, "PyYAML ships libyaml in its wheels for this machine"
    values = ["yes", "no", "true", "True", "~", "null", "", "1", "01", "0x1f", "1_000",
              "1.5", ".inf", "-.5e3", "2027-09-02", "2027-09-02 09:30", "2027-09-02 09:30:00",
              "'true'", '"1"', "sv", "Kaffe", "<<", "=", "0o17", "+1"]
    text = SAMPLE.read_text(encoding="utf-8") + "\nextra:\n" + "".join(
        f"  - {{v: {value}, again: {value}}}\n" for value in values)

    def tags(node: yaml.Node) -> list[tuple[int, str, object]]:
        found, todo = [], [node]
        while todo:
            node = todo.pop()
            if isinstance(node, yaml.ScalarNode):
                found.append((node.start_mark.line, node.tag, node.value))
            elif isinstance(node, yaml.MappingNode):
                todo.extend(part for pair in node.value for part in pair)
            else:
                todo.extend(node.value)
        return found

    fast, slow = yaml.compose(text, Loader=FastLoader), yaml.compose(text, Loader=yaml.SafeLoader)
    assert tags(fast) == tags(slow)
    assert {tag for _, tag, _ in tags(fast)} >= {
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:str"}


def test_autumn_dst_change() -> None:
    source = doc(
        event_yaml(id="before", start="2027-10-28 09:30", end="2027-10-28 12:30")
        + event_yaml(id="after", start="2027-11-02 09:30", end="2027-11-02 12:30")
        + event_yaml(id="across", start="2027-10-30 10:00", end="2027-10-31 10:00")
    )
    programme = parse(source)
    before, across, after = (programme.event(i) for i in ("before", "across", "after"))
    assert before.start.astimezone(UTC) == datetime(2027, 10, 28, 7, 30, tzinfo=UTC)
    assert after.start.astimezone(UTC) == datetime(2027, 11, 2, 8, 30, tzinfo=UTC)
    assert across.duration == timedelta(hours=25)
    assert across.days() == [date(2027, 10, 30), date(2027, 10, 31)]


def test_ambiguous_and_skipped_local_times() -> None:
    source = doc(
        event_yaml(id="fold", start="2027-10-31 02:30", end="2027-10-31 04:00")
        + event_yaml(id="gap", start="2027-03-28 02:30", end="2027-03-28 04:00")
    )
    programme = parse(source)
    fold, gap = programme.event("fold"), programme.event("gap")
    assert fold.start.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert gap.start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert gap.start.hour == 3


def test_timezone_from_file_and_default() -> None:
    source = doc(event_yaml())
    assert parse(source, default_timezone="Europe/Helsinki").events[0].start.utcoffset() == \
        timedelta(hours=3)
    helsinki = parse("timezone: America/New_York\n" + source).events[0]
    assert helsinki.start.astimezone(UTC).hour == 13


# --- defaults -------------------------------------------------------------

def test_defaults_apply_and_null_overrides() -> None:
    head = HEAD.replace("events:\n", textwrap.dedent("""\
        defaults:
          networks: [arbetsmarknad]
          venue: f7
          online: {url: "https://zoom.us/j/1", private: true}
          capacity: 40
          note: Med förbehåll för ändringar
        events:
        """))
    source = doc(event_yaml(networks=None) + event_yaml(id="online", networks=None, venue="null"),
                 head=head)
    programme = parse(source)
    hybrid, online = programme.event("am-1"), programme.event("online")
    assert hybrid.mode == "hybrid" and hybrid.capacity == 40 and hybrid.online.private
    assert online.mode == "online" and online.capacity is None
    assert text(online.note, "sv") == "Med förbehåll för ändringar"


def test_merge_keys_are_refused() -> None:
    source = HEAD.replace("events:\n", "x: &d\n  venue: f7\nevents:\n") + "  - <<: *d\n"
    found = problems(source)
    assert any(p.line == line_of(source, "<<") and "use 'defaults'" in p.message for p in found)


def test_a_merge_key_tagged_as_a_language_is_refused_in_a_text() -> None:
    source = doc(event_yaml(title="{!!merge sv: Kaffe, en: Coffee}"))
    problem = only(source)
    assert problem.line == line_of(source, "title:") and "use 'defaults'" in problem.message


# --- files -------------------------------------------------------------------------------

def test_load_and_check_file(tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(doc(event_yaml(capacity="x")), encoding="utf-8")
    (problem,) = check_file(path)
    assert problem.file == str(path) and problem.line == line_of(path.read_text(), "capacity")
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ProgrammeError) as info:
        load_programme(missing)
    assert info.value.problems[0].line == 0 and str(info.value).startswith(f"{missing}: ")


def test_sample_is_valid() -> None:
    assert check_file(SAMPLE) == []


def test_sample_programme() -> None:
    programme = load_programme(SAMPLE)
    assert programme.contact == "natverk@altinget.se"
    assert set(programme.networks) == {"arbetsmarknad", "utbildning", "bostad"}
    moderator = programme.networks["arbetsmarknad"].moderator
    assert moderator is not None and moderator.name == "Emelie Fågelstedt"
    assert "Svenska Nomader" in text(moderator.about, "sv")
    assert "digital nomad" in text(moderator.about, "en")
    f7 = programme.venues["f7"]
    assert f7.address == "Fleminggatan 7, Stockholm"
    assert abs(f7.latitude - 59.3326) < 0.01 and abs(f7.longitude - 18.0419) < 0.01
    assert len(programme.events) == 9
    weekdays = {e.id: e.start.strftime("%A %Y-%m-%d %H:%M") for e in programme.events}
    assert weekdays == {
        "am-2027-08-20-online": "Friday 2027-08-20 10:00",
        "am-2027-09-02": "Thursday 2027-09-02 09:30",
        "am-2027-09-21": "Tuesday 2027-09-21 09:30",
        "am-2027-10-04": "Monday 2027-10-04 09:30",
        "am-2027-10-14-rundabord": "Thursday 2027-10-14 09:30",
        "am-2027-11-10-dagarna": "Wednesday 2027-11-10 10:00",
        "am-2027-11-23": "Tuesday 2027-11-23 09:30",
        "am-2027-11-24": "Wednesday 2027-11-24 09:30",
        "am-2027-12-08": "Wednesday 2027-12-08 09:30",
    }
    joint = {e.id: e.networks for e in programme.events if e.is_joint}
    assert joint == {"am-2027-10-04": ("arbetsmarknad", "utbildning"),
                     "am-2027-11-24": ("arbetsmarknad", "bostad")}
    assert programme.event("am-2027-11-24").end.hour == 15
    modes = {e.id: e.mode for e in programme.events}
    assert modes["am-2027-08-20-online"] == "online" and modes["am-2027-09-02"] == "hybrid"
    assert [e.id for e in programme.events if e.invite_only] == ["am-2027-10-14-rundabord"]
    assert [e.id for e in programme.events if e.is_multi_day] == ["am-2027-11-10-dagarna"]
    speakers = {s.name for e in programme.events for s in e.speakers}
    assert {"Roger Mörtvik", "Mads Peter Klindt", "Peter Fredriksson", "Erna Zelmin-Ekenhem",
            "Mikael Witterblad"} <= speakers
    for event in programme.events:
        assert text(event.note, "sv") == "Med förbehåll för ändringar"
        assert text(event.note, "en") == "Subject to change"
        assert event.title.keys() >= {"sv", "en"} and event.description.keys() >= {"sv", "en"}
        assert all(s.role.keys() >= {"sv", "en"} for s in event.speakers)
        if event.mode != "online":
            assert event.capacity and event.health_declaration
    assert len(programme.health_questions) == 3
    assert "handskakningar" in text(programme.health_rules, "sv")
    assert "handshakes" in text(programme.health_rules, "en")


# --- model behaviour the other plugins rely on -------------------------------------------

def test_upcoming_and_recently_ended_match_a_full_scan() -> None:
    """Bisection finds the same meetings a scan would, multi-day gatherings included."""
    rng = random.Random(7)
    base = datetime(2027, 6, 1, 9, 30, tzinfo=STOCKHOLM)
    events = []
    for n in range(300):
        start = base + timedelta(hours=rng.randrange(0, 24 * 60))
        length = timedelta(hours=rng.choice((1, 3, 3, 3, 26, 50)))
        events.append(Event(id=f"e{n}", networks=("am",), title="Möte", start=start,
                            end=start + length))
    programme = Programme(timezone=STOCKHOLM, events=tuple(events))
    for _ in range(200):
        now = base + timedelta(minutes=rng.randrange(-600, 24 * 60 * 62))
        after = now - timedelta(hours=rng.randrange(0, 100))
        assert programme.upcoming(now) == [e for e in programme.events if e.end > now]
        assert programme.ended_between(after, now) == [
            e for e in programme.events if after < e.end <= now]
    assert Programme(timezone=STOCKHOLM).upcoming(base) == []
    autumn = datetime(2027, 10, 30, 12, 0, tzinfo=STOCKHOLM)
    fest = Event(id="fest", networks=("am",), title="Fest", start=autumn,
                 end=autumn + timedelta(hours=26))
    over_the_change = Programme(timezone=STOCKHOLM, events=(fest,))
    last_hour = datetime(2027, 10, 31, 13, 30, tzinfo=STOCKHOLM).astimezone(UTC)
    assert fest.duration == timedelta(hours=27)
    assert over_the_change.upcoming(last_hour) == [fest]
    assert over_the_change.ended_between(last_hour, last_hour + timedelta(hours=1)) == [fest]


def test_meetings_in_the_repeated_autumn_hour_end_by_the_instant_not_the_clock_face() -> None:
    """Times are compared with the clock as instants in UTC (`start_utc`, `end_utc`): at
    02:45 the first time round, a meeting ending at 02:30 the second time has not ended,
    though its clock face reads earlier."""
    first_round = datetime(2027, 10, 31, 2, 45, tzinfo=STOCKHOLM)
    second_end = datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=STOCKHOLM)
    night = Event(id="natt", networks=("am",), title="Nattmöte",
                  start=datetime(2027, 10, 31, 1, 0, tzinfo=STOCKHOLM), end=second_end)
    assert night.end_utc == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    assert night.start_utc == datetime(2027, 10, 30, 23, 0, tzinfo=UTC)
    assert night.end_utc.tzinfo is UTC and night.start_utc.tzinfo is UTC
    late = Event(id="sen", networks=("am",), title="Sent möte",
                 start=datetime(2027, 10, 31, 2, 15, fold=1, tzinfo=STOCKHOLM),
                 end=datetime(2027, 10, 31, 4, 0, tzinfo=STOCKHOLM))
    early = Event(id="tidig", networks=("am",), title="Tidigt möte", start=first_round,
                  end=datetime(2027, 10, 31, 3, 0, tzinfo=STOCKHOLM))
    programme = Programme(timezone=STOCKHOLM, events=(late, night, early))
    assert programme.events == (night, early, late), "in order of the instant they start"
    programme = Programme(timezone=STOCKHOLM, events=(night, late))
    for now in (first_round, first_round.astimezone(UTC)):
        assert programme.upcoming(now) == [night, late]
        assert programme.began_between(now - timedelta(hours=3), now) == [night]
        assert programme.ended_between(now - timedelta(hours=1), now) == []
    after = datetime(2027, 10, 31, 2, 31, fold=1, tzinfo=STOCKHOLM)
    assert programme.upcoming(after) == [late]
    assert programme.ended_between(first_round, after) == [night]
    assert programme.began_between(first_round - timedelta(hours=3), first_round) == [night]


def test_a_lead_time_counts_days_by_the_calendar_and_hours_in_real_time() -> None:
    """`Event.ahead`, used for reminders and the health window: a day before is the same
    clock time the day before, an hour before is an hour of real time, on both nights the
    clocks change (Sunday 28 March and Sunday 31 October 2027 in Stockholm)."""
    def meeting(start: datetime) -> Event:
        return Event(id="m", networks=("am",), title="Möte", start=start,
                     end=start + timedelta(hours=1))
    sunday_morning = meeting(datetime(2027, 3, 28, 9, 30, tzinfo=STOCKHOLM))
    saturday = sunday_morning.ahead(timedelta(days=1))
    assert saturday.astimezone(STOCKHOLM) == datetime(2027, 3, 27, 9, 30, tzinfo=STOCKHOLM)
    assert sunday_morning.start_utc - saturday == timedelta(hours=23)
    autumn = meeting(datetime(2027, 10, 31, 9, 30, tzinfo=STOCKHOLM))
    assert autumn.start_utc - autumn.ahead(timedelta(days=2)) == timedelta(hours=49)
    night = meeting(datetime(2027, 3, 28, 3, 30, tzinfo=STOCKHOLM))
    assert night.ahead(timedelta(hours=1)) == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    assert night.ahead(timedelta(hours=1)).astimezone(STOCKHOLM).hour == 1
    assert night.ahead(timedelta(days=1, hours=1)) == datetime(2027, 3, 27, 1, 30, tzinfo=UTC)
    ordinary = meeting(datetime(2027, 9, 2, 9, 30, tzinfo=STOCKHOLM))
    assert ordinary.start_utc - ordinary.ahead(timedelta(days=1)) == timedelta(days=1)
    assert ordinary.ahead(timedelta(minutes=90)).tzinfo is UTC


def test_model_helpers() -> None:
    programme = load_programme(SAMPLE)
    now = datetime(2027, 11, 23, 11, 0, tzinfo=STOCKHOLM)
    assert [e.id for e in programme.upcoming(now)] == ["am-2027-11-23", "am-2027-11-24",
                                                       "am-2027-12-08"]
    assert programme.upcoming(now.replace(tzinfo=None)) == programme.upcoming(now)
    assert [e.id for e in programme.for_network("bostad")] == ["am-2027-11-24"]
    assert len({*programme.events}) == 9
    start = datetime(2027, 9, 2, 18, tzinfo=STOCKHOLM)
    evening = Event(id="x", networks=["am"], title="Mingel", start=start,
                    end=datetime(2027, 9, 3, tzinfo=STOCKHOLM))
    assert evening.days() == [date(2027, 9, 2)] and not evening.is_multi_day
    assert evening.networks == ("am",) and text(evening.title, "sv") == "Mingel"
    with pytest.raises(ValueError):
        Event(id="y", networks=("am",), title="x", start=datetime(2027, 9, 2, 9),
              end=datetime(2027, 9, 2, 10))


def test_documentation_example_is_valid() -> None:
    docs = SAMPLE.parents[2] / "docs" / "programme.md"
    example = docs.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    programme = parse(example)
    assert {e.mode for e in programme.events} == {"in_person", "hybrid", "online"}


def test_online_shorthand_and_platform_from_link() -> None:
    source = doc(event_yaml(venue=None, online="https://teams.microsoft.com/l/meetup-join/1"))
    online = parse(source).events[0].online
    assert online is not None and online.platform == "Teams" and not online.private


def test_empty_list_items() -> None:
    source = doc(event_yaml(networks="[]", speakers="[~]"))
    assert [(p.line, p.message.split(": ", 1)[1]) for p in problems(source)] == [
        (line_of(source, "networks: []"), "networks: list at least one network"),
        (line_of(source, "speakers"), "speaker 1 has no name"),
    ]


def test_reading_a_festival_programme_runs_no_garbage_collection(monkeypatch) -> None:
    """A festival's nodes are hundreds of thousands of containers, none cyclic: collecting
    while reading took more than half of it and held every thread up for a third of a second
    (a reload is read beside the event loop). Broken or not, the collector is left as it was
    found."""
    from bench.festival import programme_yaml
    from plugins.programme import loader

    festival = programme_yaml(300, 4, venues=2)
    reading, collections = [False], []
    parse = loader._parse

    def watched(*args: object) -> Programme:
        reading[0] = True
        try:
            return parse(*args)
        finally:
            reading[0] = False

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and reading[0]:
            collections.append(info["generation"])

    monkeypatch.setattr(loader, "_parse", watched)
    gc.callbacks.append(count)
    try:
        programme = parse_programme(festival, "festival.yaml")
        assert len(programme.events) == 300 and collections == []
        with pytest.raises(ProgrammeError):
            parse_programme("events: [\n  - id: a\n", "broken.yaml")
        assert gc.isenabled()
        gc.disable()
        parse_programme(programme_yaml(5, 1, venues=1), "small.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(count)


@pytest.mark.parametrize("field", ["venues", "networks"])
def test_venues_or_networks_that_are_not_a_mapping_are_a_problem(field: str) -> None:
    """Reported at their line, where the loader used to stop with an AttributeError."""
    assert [(p.line, p.message) for p in problems(f"{field}: [f7, am]\nevents: []\n")] == [
        (1, f"{field} must be a mapping (name: value lines), not a list")]
