"""Fields plugins add to the programme's meetings (register_event_fields, QA 42): organisers
write `lunch: true`, the file is checked as for Mingel's own fields, the plugin reads it in
`Event.extra`, a change is a changed field of its name, and `mingel check` knows it too."""
from __future__ import annotations

import types
from pathlib import Path

import pytest

from assistant import N_, hookimpl
from assistant.clock import FakeClock
from assistant.plugins import StartupError
from assistant.types import Command, EventField
from plugins.programme import check

ORG = 1
NOW = "2027-08-01T08:00:00+00:00"
HEAD = """\
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: Fleminggatan 7}
networks:
  am: {name: {sv: Arbetsmarknad, en: Labour market}}
"""
EVENTS = """\
events:
  - id: lunch-1
    networks: [am]
    title: {sv: Lunchseminarium, en: Lunch seminar}
    start: 2027-09-02 11:30
    end: 2027-09-02 13:30
    venue: f7
    lunch: LUNCH
  - id: morning-1
    networks: [am]
    title: {sv: Frukostmöte, en: Breakfast meeting}
    start: 2027-09-09 08:00
    end: 2027-09-09 09:00
    venue: f7
"""


def programme(lunch: str = "true", defaults: str = "") -> str:
    """The test's programme, with `lunch:` of the first meeting as given."""
    return HEAD + defaults + EVENTS.replace("LUNCH", lunch)


def lunch_plugin(fields: list[EventField] | None = None) -> types.ModuleType:
    """A plugin declaring the field `lunch`; /served lists what each meeting has, and it
    keeps the fields every event_changed told it."""
    module = types.ModuleType("lunch_probe")
    module.NAME = "lunch"
    module.changed = []

    async def served(ctx):
        ctx.reply("\n".join(f"{e.id}: {e.extra.get('lunch')}" for e in ctx.programme.events))

    @hookimpl
    def register_commands():
        return [Command("served", served, N_("Which meetings serve lunch"))]

    @hookimpl
    def register_event_fields():
        return fields if fields is not None else [EventField("lunch", "bool", N_("Lunch served"))]

    @hookimpl
    async def event_changed(before, after, fields):
        module.changed.append((after.id, fields))

    module.register_commands = register_commands
    module.register_event_fields = register_event_fields
    module.event_changed = event_changed
    return module


async def start(mingel_chat, tmp_path: Path, text: str, plugin: types.ModuleType):
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    chat = await mingel_chat(["plugins.basics", "plugins.programme", plugin], organisers=[ORG],
                             env={"MINGEL_PROGRAMME": str(path)}, now=NOW, data_dir=tmp_path)
    return chat, path


async def test_the_plugin_reads_its_field_from_the_file(mingel_chat, tmp_path: Path) -> None:
    chat, _ = await start(mingel_chat, tmp_path, programme(), lunch_plugin())
    assert chat.text(await chat.send("/served", ORG)) == "lunch-1: True\nmorning-1: None"


async def test_defaults_give_the_field_to_every_meeting(mingel_chat, tmp_path: Path) -> None:
    text = programme("false", defaults="defaults:\n  lunch: true\n")
    chat, _ = await start(mingel_chat, tmp_path, text, lunch_plugin())
    assert chat.text(await chat.send("/served", ORG)) == "lunch-1: False\nmorning-1: True"


async def test_a_wrong_value_is_a_problem_on_its_line(mingel_chat, tmp_path: Path) -> None:
    chat, path = await start(mingel_chat, tmp_path, programme(), lunch_plugin())
    path.write_text(programme("ja"), encoding="utf-8")
    replies = await chat.send("/reload", chat.user(ORG, "Org", lang="en"))
    assert "programme.yaml:13: event 'lunch-1': lunch must be true or false, not 'ja'" \
        in chat.text(replies)


async def test_without_the_plugin_the_field_is_unknown(mingel_chat, tmp_path: Path) -> None:
    """Switched off or uninstalled, the file that still has its field does not start: the
    problem says why a field that worked yesterday is unknown today."""
    path = tmp_path / "programme.yaml"
    path.write_text(programme(), encoding="utf-8")
    with pytest.raises(StartupError) as refused:
        await mingel_chat(["plugins.basics", "plugins.programme"], now=NOW,
                          env={"MINGEL_PROGRAMME": str(path)})
    assert "programme.yaml:13: event 'lunch-1': unknown field 'lunch' (no plugin that is " \
           "switched on adds it: a plugin's field is known while the plugin is installed and " \
           "not in MINGEL_DISABLED_PLUGINS)" in str(refused.value)


async def test_a_change_is_shown_in_the_preview_and_told_by_its_name(mingel_chat,
                                                                     tmp_path: Path) -> None:
    plugin = lunch_plugin()
    chat, path = await start(mingel_chat, tmp_path, programme(), plugin)
    path.write_text(programme("false"), encoding="utf-8")
    sven = chat.user(ORG, "Sven", lang="sv")
    preview = chat.text(await chat.send("/reload", sven))
    assert "Lunch served: ja → nej" in preview  # the plugin has no Swedish catalogue
    await chat.press("Bekräfta", ORG)
    assert plugin.changed == [("lunch-1", ("lunch",))]
    assert chat.text(await chat.send("/served", ORG)) == "lunch-1: False\nmorning-1: None"


@pytest.mark.parametrize(("field", "why"), [
    (EventField("dessert", "bool"), "a plugin's field is named after it, 'lunch' or 'lunch_…'"),
    (EventField("lunch", "date"), "of the kind 'date': the kinds are bool, count, string, text"),
])
async def test_a_field_that_cannot_be_stops_the_start(mingel_chat, tmp_path: Path,
                                                      field: EventField, why: str) -> None:
    with pytest.raises(StartupError, match="the plugin lunch declares the programme field") as e:
        await start(mingel_chat, tmp_path, programme(), lunch_plugin([field]))
    assert why in str(e.value)


def test_mingel_check_knows_the_fields_of_the_plugins(tmp_path: Path, capsys,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.plugins
    path = tmp_path / "programme.yaml"
    path.write_text(programme(), encoding="utf-8")
    real = assistant.plugins.build_plugin_manager
    for plugins, status, said in ((["plugins.basics"], 1, "unknown field 'lunch'"),
                                  (["plugins.basics", lunch_plugin()], 0, "ok – 2 events")):
        monkeypatch.setattr(assistant.plugins, "build_plugin_manager",
                            lambda disabled=(), plugins=plugins, **kw: real(
                                disabled, plugins, entry_points=False, tolerant=True))
        assert check.run(types.SimpleNamespace(files=[str(path)])) == status
        assert said in capsys.readouterr().out


async def test_end_to_end_the_preview_names_the_plugins_field(telegram_bot,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(programme("false"), encoding="utf-8")
    bot = await telegram_bot(["plugins.basics", "plugins.programme", lunch_plugin()],
                             clock=FakeClock(NOW),
                             env={"MINGEL_ORGANISERS": str(ORG), "MINGEL_PROGRAMME": str(path)})
    path.write_text(programme("true"), encoding="utf-8")
    [preview] = await bot.say(ORG, "/reload", language_code="en")
    assert "Lunch served: no → yes" in preview.plain_text
    [done] = await bot.tap(ORG, preview.message_id, "Confirm")
    assert done.method == "editMessageText"
    [served] = await bot.say(ORG, "/served")
    assert served.plain_text == "lunch-1: True\nmorning-1: None"
