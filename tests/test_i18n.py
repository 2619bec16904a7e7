"""Languages: choice of language, catalogues, and Babel formatting in the event's zone."""
from __future__ import annotations

import ast
import asyncio
import gettext
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from assistant import i18n, i18n_tool
from assistant.i18n import Catalogues, Formatter, pick_language, terminal_language
from assistant.i18n_tool import missing

ROOT = Path(__file__).resolve().parent.parent
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_language_from_telegram_code() -> None:
    assert pick_language("sv") == "sv"
    assert pick_language("sv-SE") == "sv"
    assert pick_language("en-GB") == "en"
    assert pick_language("de") == "en"
    assert pick_language("de", default="sv") == "sv"
    assert pick_language(None, default="sv") == "sv"


def test_the_terminal_speaks_mingel_locale_else_the_locale_as_gettext_reads_it() -> None:
    """What the terminal chat and `mingel check` speak: MINGEL_LOCALE wins; then LC_ALL,
    LC_MESSAGES and LANG in gettext's order, LANGUAGE's list first unless the locale is C."""
    assert terminal_language({"LANG": "sv_SE.UTF-8"}) == "sv"
    assert terminal_language({"LANG": "sv_SE.UTF-8", "MINGEL_LOCALE": "en"}) == "en"
    assert terminal_language({"LANG": "en_GB.UTF-8", "LC_ALL": "sv_SE.UTF-8"}) == "sv"
    assert terminal_language({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "sv_FI"}) == "sv"
    assert terminal_language({"LANG": "sv_SE.UTF-8", "LC_ALL": "C.UTF-8"}) is None
    assert terminal_language({"LANG": "de_DE.UTF-8", "LANGUAGE": "fr:sv:en"}) == "sv"
    assert terminal_language({"LANG": "C", "LANGUAGE": "sv"}) is None
    assert terminal_language({"LANG": "de_DE.UTF-8"}) == "de"
    assert terminal_language({}) is None


def test_every_string_has_a_swedish_translation() -> None:
    assert missing("sv") == []


def test_no_translation_call_hides_inside_an_f_string() -> None:
    offenders = []
    for path in [*ROOT.glob("assistant/**/*.py"), *ROOT.glob("plugins/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and getattr(call.func, "attr",
                                                              getattr(call.func, "id", "")) in (
                            "_", "ngettext", "N_"):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_catalogue_translates_and_fills_values() -> None:
    catalogues = Catalogues()
    assert catalogues.gettext("assistant", "sv", "I don't know the command /{name}. Send /help "
                              "to see what I can do.", name="x").startswith(
        "Jag känner inte till kommandot /x.")
    assert catalogues.gettext("assistant", "en", "Sorry, you can't do that.") == \
        "Sorry, you can't do that."
    assert catalogues.gettext("no-such-domain", "sv", "Plain") == "Plain"


def test_texts_kept_per_catalogue_stay_right_and_bounded(tmp_path: Path, monkeypatch) -> None:
    """Kept translations: the same answer on the second ask, each language its own, a plugin
    directory added later taking effect, and texts made at run time not kept without end."""
    monkeypatch.setattr(i18n, "TEXTS_KEPT", 3)
    catalogues = Catalogues()
    sorry = "Sorry, you can't do that."
    swedish = catalogues.gettext("assistant", "sv", sorry)
    assert swedish != sorry and catalogues.gettext("assistant", "sv", sorry) == swedish
    assert catalogues.gettext("assistant", "en", sorry) == sorry
    assert [catalogues.gettext("assistant", "sv", f"run time {n}") for n in range(10)] == [
        f"run time {n}" for n in range(10)]
    assert catalogues.gettext("assistant", "sv", sorry) == swedish
    assert all(len(texts) <= 3 for texts in catalogues._texts.values())
    assert catalogues.gettext("extra", "sv", "Hello") == "Hello"
    (tmp_path / "sv" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "sv" / "LC_MESSAGES" / "extra.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hello"\nmsgstr "Hej"\n', encoding="utf-8")
    catalogues.add_directory(tmp_path)
    assert catalogues.gettext("extra", "sv", "Hello") == "Hej"


def test_dates_in_both_languages() -> None:
    start = datetime(2027, 9, 2, 9, 30, tzinfo=STOCKHOLM)
    end = start.replace(hour=12, minute=30)
    assert Formatter("sv", STOCKHOLM).range(start, end) == "torsdag 2 september 2027, 09:30–12:30"
    assert Formatter("en", STOCKHOLM).range(start, end) == \
        "Thursday, 2 September 2027, 09:30–12:30"


def test_times_follow_the_zone_across_the_autumn_change() -> None:
    fmt = Formatter("sv", STOCKHOLM)
    before = datetime(2027, 10, 28, 7, 30, tzinfo=ZoneInfo("UTC"))
    after = datetime(2027, 11, 2, 8, 30, tzinfo=ZoneInfo("UTC"))
    assert fmt.time(before) == "09:30"
    assert fmt.time(after) == "09:30"


def test_multi_day_range_names_both_days() -> None:
    start = datetime(2027, 10, 14, 9, 0, tzinfo=STOCKHOLM)
    text = Formatter("en", STOCKHOLM).range(start, start + timedelta(days=1, hours=7))
    assert "14 – Friday, 15 October" in text and "09:00–16:00" in text


def test_a_gathering_with_the_same_hours_each_day_says_so() -> None:
    """Thursday 09:30 to Friday 15:00 is two days of 09:30–15:00, as the calendar file
    shows it: a reader coming on Friday learns when Friday starts (QA 40). A span through
    the night (13:00 to 12:00 the next day) stays two points in time."""
    start = datetime(2027, 10, 14, 9, 30, tzinfo=STOCKHOLM)
    end = datetime(2027, 10, 15, 15, 0, tzinfo=STOCKHOLM)
    daily = ("{date} at {time}", "{date}, {start}–{end}", "{days}, {start}–{end} each day")
    assert Formatter("en", STOCKHOLM, *daily).range(start, end) == \
        "Thursday, 14 – Friday, 15 October 2027, 09:30–15:00 each day"
    through = Formatter("en", STOCKHOLM, *daily).range(start.replace(hour=13),
                                                       end.replace(hour=12))
    assert through == "Thursday, 14 October 2027 at 13:30 – Friday, 15 October 2027 at 12:00"


def test_a_value_that_ends_a_sentence_is_not_followed_by_another_mark() -> None:
    from assistant.i18n import fill
    title = "<b>Flexicurity i Danmark – något vi kan lära av i Sverige?</b>"
    assert fill("Vilken fråga vill du ställa inför {title}?", {"title": title}) == \
        f"Vilken fråga vill du ställa inför {title}"
    assert fill("Din fråga inför {title}:", {"title": title}) == f"Din fråga inför {title}"
    assert fill("Kanske till <b>{t}</b>. Det börjar {w}.", {"t": "Nu?", "w": "snart"}) == \
        "Kanske till <b>Nu?</b> Det börjar snart."
    assert fill("Sparat: {x}.", {"x": "m.m."}) == "Sparat: m.m."
    assert fill("Sparat: {x}:", {"x": "m.m."}) == "Sparat: m.m.:"
    assert fill("Till {t}.", {"t": "Framtiden"}) == "Till Framtiden."
    assert fill("{n} platser kvar.", {"n": 3}) == "3 platser kvar."
    assert fill("{t}, {w}", {"t": "Vad händer nu?", "w": "söndag 4 juli"}) == \
        "Vad händer nu? söndag 4 juli"
    assert fill("{t}, {w}", {"t": "m.m.", "w": "i dag"}) == "m.m., i dag"
    assert fill("Tack för deklarationen för {t}: du är välkommen.", {"t": "Vad nu?"}) == \
        "Tack för deklarationen för Vad nu? Du är välkommen."
    assert fill("Till {t}: åtta platser.", {"t": "Hur?"}) == "Till Hur? Åtta platser."
    assert fill("Till {t}: 8 platser.", {"t": "Hur?"}) == "Till Hur? 8 platser."
    assert fill("Till {t}: du.", {"t": "Nu"}) == "Till Nu: du."


def _swedish_entries() -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """(file, msgid forms, msgstr forms) of every Swedish catalogue, core and example plugins."""
    entries = []
    for path in sorted([*ROOT.glob("locales/sv/LC_MESSAGES/*.po"),
                        *ROOT.glob("examples/*/*/locales/sv/LC_MESSAGES/*.po")]):
        with path.open("rb") as f:
            for m in read_po(f, locale="sv"):
                if m.id:
                    ids = m.id if isinstance(m.id, tuple) else (m.id,)
                    strings = m.string if isinstance(m.string, tuple) else (m.string,)
                    entries.append((path.name, ids, strings))
    return entries


def test_swedish_keeps_every_placeholder_and_tag_of_the_english() -> None:
    """A lost {title} or <b> shows the user a gap or a stray tag; an extra one breaks format."""
    names, tags = re.compile(r"\{(\w*)\}"), re.compile(r"</?\w+")
    problems = []
    for file, ids, strings in _swedish_entries():
        wanted = sorted(set(names.findall(" ".join(ids))))
        for string in strings:
            if sorted(set(names.findall(string))) != wanted or \
                    sorted(tags.findall(string)) != sorted(tags.findall(ids[-1])):
                problems.append(f"{file}: {string!r}")
    assert problems == []


def test_swedish_uses_one_word_for_each_thing() -> None:
    """The glossary in docs/translations.md: a meeting is a "träff" (never "möte"), taking part
    online is "online" (never "digitalt", as the answer buttons say), to answer is "svara"
    (never "anmäla sig"), a venue is a "lokal" (a "plats" is a seat), and quotes are ”…” (but
    for the straight quotes a programme file needs, which the English shows too)."""
    banned = {"möte": re.compile(r"\bmöte", re.IGNORECASE),
              "digital": re.compile(r"\bdigital", re.IGNORECASE),
              "anmäla": re.compile(r"\banmäl", re.IGNORECASE),
              "straight or English quotes": re.compile(r"[“„]|\"(?![^<]*>)")}
    problems = [f"{file}: {word}: {string!r}" for file, ids, strings in _swedish_entries()
                for string in strings for word, pattern in banned.items()
                if pattern.search(string) and not (word.startswith("straight") and '"' in ids[0])]
    problems += [f"{file}: venue is not lokal: {string!r}" for file, ids, strings in
                 _swedish_entries() if "venue" in ids[0].lower()
                 for string in strings if "lokal" not in string.lower()]
    assert problems == []


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["extrat"], ["fill", "assistant"]])
def test_the_translation_tool_prints_usage_and_writes_nothing(monkeypatch, tmp_path, capsys,
                                                              argv) -> None:
    monkeypatch.setattr(i18n_tool, "LOCALES_DIR", tmp_path)
    status = i18n_tool.main(argv)
    out, err = capsys.readouterr()
    assert "python -m assistant.i18n_tool extract" in out + err
    assert status == (0 if argv[0].startswith("-") else 2)
    assert list(tmp_path.iterdir()) == []


def _english_gaps(path: Path) -> list[str]:
    """Entries of an English catalogue whose msgstr is not the msgid (plural forms too)."""
    with path.open("rb") as f:
        return [f"{path.name}: {m.id!r}" for m in read_po(f, locale="en")
                if m.id and (tuple(m.string) if isinstance(m.id, tuple) else m.string)
                != m.id]


def test_english_catalogues_say_msgstr_is_msgid_as_documented() -> None:
    """docs/translations.md: English is the source language, msgstr = msgid, in the plural
    forms too (Poedit and Weblate would list an empty one as untranslated); the example
    plugins' catalogues, kept with `i18n_tool --plugin`, too."""
    gaps = [gap for path in sorted([*ROOT.glob("locales/en/LC_MESSAGES/*.po"),
                                    *ROOT.glob("examples/*/*/locales/en/LC_MESSAGES/*.po")])
            for gap in _english_gaps(path)]
    assert gaps == []


def test_update_fills_english_msgstr_from_the_msgid_where_pybabel_left_it_empty(
        tmp_path: Path) -> None:
    """A catalogue `pybabel init -l en` wrote has every msgstr empty; `update` fills them."""
    po = tmp_path / "en" / "LC_MESSAGES" / "demo.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                  'msgid "Hello"\nmsgstr ""\n\n'
                  'msgid "{n} seat"\nmsgid_plural "{n} seats"\nmsgstr[0] ""\nmsgstr[1] ""\n',
                  encoding="utf-8")
    template = i18n_tool.Catalog(domain="demo")
    template.add("Hello")
    template.add(("{n} seat", "{n} seats"))
    template.add("Bye")
    i18n_tool.update(template, "demo", "en", tmp_path)
    assert _english_gaps(po) == []
    with po.open("rb") as f:
        assert {m.id: m.string for m in read_po(f, locale="en") if m.id} == {
            "Hello": "Hello", ("{n} seat", "{n} seats"): ("{n} seat", "{n} seats"), "Bye": "Bye"}



def test_update_keeps_an_english_plural_form_written_by_hand() -> None:
    """Only the empty form of a half-filled English plural is filled from its msgid."""
    catalog = i18n_tool.Catalog(locale="en", domain="demo")
    catalog.add(("{n} seat left", "{n} seats left"), ("just one seat left", ""))
    assert i18n_tool.as_source(catalog) == 1
    assert catalog[("{n} seat left", "{n} seats left")].string == ("just one seat left",
                                                                   "{n} seats left")

DEMO = '''"""A plugin of a third-party developer, for the translation workflow."""
from assistant import N_, hookimpl
from assistant.types import Command

NAME = "tooldemo"


async def seats(ctx):
    ctx.reply(ctx._("Hello from the demo.") + " "
              + ctx.ngettext("{n} seat left.", "{n} seats left.", 2))


@hookimpl
def register_commands():
    return [Command("tooldemo", seats, N_("Try the demo"))]
'''
DEMO_SV = {"Hello from the demo.": "Hej från demot.",
           "{n} seat left.": ["{n} plats kvar.", "{n} platser kvar."], "Try the demo": "Prova demot"}


@pytest.fixture
def demo_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A third-party plugin's package, outside the project, importable as mingel_tooldemo."""
    package = tmp_path / "mingel-tooldemo" / "mingel_tooldemo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(DEMO, encoding="utf-8")
    monkeypatch.syspath_prepend(str(package.parent))
    yield package
    import sys
    sys.modules.pop("mingel_tooldemo", None)


async def test_the_tool_keeps_a_third_party_plugins_catalogues_in_its_package(
        demo_plugin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        mingel_chat) -> None:
    """docs/plugins.md's workflow: update, missing, fill with --plugin write the plugin's own
    locales/, English msgstr = msgid, and the bot then speaks the Swedish filled in."""
    project = sorted(p.read_bytes() for p in (ROOT / "locales").rglob("*.po*"))
    locales = demo_plugin / "locales"
    assert i18n_tool.main(["update", "--plugin", str(demo_plugin)]) == 0
    assert (locales / "tooldemo.pot").is_file()
    assert _english_gaps(locales / "en" / "LC_MESSAGES" / "tooldemo.po") == []
    with (locales / "en" / "LC_MESSAGES" / "tooldemo.po").open("rb") as f:
        assert ("mingel_tooldemo/__init__.py", 9) in next(
            m for m in read_po(f) if m.id == "Hello from the demo.").locations
    capsys.readouterr()
    assert i18n_tool.main(["missing", "sv", "--plugin", "mingel_tooldemo"]) == 1
    assert capsys.readouterr().out.count("tooldemo: mingel_tooldemo/__init__.py:") == 3
    translations = tmp_path / "sv.json"
    translations.write_text(json.dumps(DEMO_SV), encoding="utf-8")
    assert i18n_tool.main(["fill", "tooldemo", "sv", str(translations),
                           f"--plugin={locales}"]) == 0
    assert capsys.readouterr().out == "3 translations set\n"
    assert i18n_tool.main(["missing", "--plugin", str(demo_plugin / "__init__.py")]) == 0
    assert capsys.readouterr().out == "all translated\n"
    assert sorted(p.read_bytes() for p in (ROOT / "locales").rglob("*.po*")) == project
    chat = await mingel_chat(["plugins.basics", "mingel_tooldemo"])
    replies = await chat.send("/tooldemo", chat.user(5, "Åsa", lang="sv"))
    assert replies[0].text == "Hej från demot. 2 platser kvar."


def test_the_tool_refuses_a_plugin_it_cannot_find_or_another_plugins_domain(
        demo_plugin: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert i18n_tool.main(["update", "--plugin", str(tmp_path / "nothing_here")]) == 2
    assert "no plugin at" in capsys.readouterr().err
    assert i18n_tool.main(["update", "--plugin", str(demo_plugin)]) == 0
    assert i18n_tool.main(["fill", "feedback", "sv", str(tmp_path / "x.json"), "--plugin",
                           str(demo_plugin)]) == 2
    assert "is 'tooldemo', not 'feedback'" in capsys.readouterr().err


async def test_a_start_reads_every_catalogue_before_the_first_answers_need_it(
        mingel_chat, monkeypatch) -> None:
    """The first answer in each language after a start waits for no catalogue to be read."""
    chat = await mingel_chat()
    await asyncio.wait([chat.assistant._reading])
    read: list[tuple[str, str]] = []
    monkeypatch.setattr(Catalogues, "_load", lambda self, domain, lang:
                        read.append((domain, lang)) or gettext.NullTranslations())
    for user in (chat.user(5, "Eva", lang="sv"), chat.user(6, "Ann", lang="en")):
        for text in ("/start", "/help", "/programme", "/my", "/privacy"):
            assert chat.text(await chat.send(text, user))
    assert read == []


def test_a_value_cut_with_an_ellipsis_takes_no_full_stop_after_it() -> None:
    """"…." read as a typo: a value shortened with "…" (or a title ending in one) ends the
    sentence itself; a comma, colon or question mark after it stays."""
    from assistant.i18n import fill
    from assistant.text import shorten
    cut = shorten("blah " * 30, 20)
    assert fill("There's no network called {name}.", {"name": cut}) == \
        f"There's no network called {cut}"
    assert fill("To <b>{t}</b>. It starts soon.", {"t": "What next…"}) == \
        "To <b>What next…</b> It starts soon."
    assert fill("{t}, {w}", {"t": "What next…", "w": "today"}) == "What next…, today"
    assert fill("Did you mean {t}?", {"t": "What next…"}) == "Did you mean What next…?"
