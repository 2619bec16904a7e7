"""A broken plugin is named at start, with the way out (QA 32): one that does not import, a
misspelt hook or argument, `async def` for a hook the core does not await, a name taken
twice or unfit, two actions of one name. The rest of the CLI still works."""
from __future__ import annotations

import asyncio
import importlib.metadata
import types
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import N_, cli, hookimpl
from assistant.config import ConfigError
from assistant.plugins import PluginsBroken, build_plugin_manager, plugin_origins
from assistant.types import Action, Command

CARD = "/event am-2027-09-02"


def make_plugin(name: str, module: str | None = None, **hooks: object) -> types.ModuleType:
    plugin = types.ModuleType(module or f"test_loading.{name}")
    plugin.NAME = name
    for hook, fn in hooks.items():
        setattr(plugin, hook, hookimpl(fn))
    return plugin


class FakeEntryPoint:
    """An installed plugin's entry point, as importlib.metadata gives it."""

    group = "mingel.plugins"

    def __init__(self, name: str, load: Callable[[], object], value: str = "") -> None:
        self.name, self._load, self.value = name, load, value or f"mingel_{name}"

    def load(self) -> object:
        return self._load()


def install(monkeypatch: pytest.MonkeyPatch, *dists: tuple[str, list[FakeEntryPoint]]) -> None:
    """Pretend these distributions (name, entry points) are all that is installed."""
    fakes = [types.SimpleNamespace(entry_points=eps, metadata={"name": name}, version="1.0")
             for name, eps in dists]
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: list(fakes))


def missing_dependency() -> object:
    import not_installed_dependency  # type: ignore[import-not-found]  # noqa: F401
    raise AssertionError("unreachable")


def refusal(**kwargs: object) -> str:
    """The refusal build_plugin_manager raises, as the operator reads it (in English)."""
    with pytest.raises(PluginsBroken) as caught:
        build_plugin_manager(**kwargs)  # type: ignore[arg-type]
    return str(caught.value)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """`mingel …` run in-process, in English, on an empty data directory."""
    for key in ("MINGEL_LOCALE", "MINGEL_PROGRAMME", "MINGEL_DISABLED_PLUGINS", "LC_ALL",
                "LC_MESSAGES", "LANGUAGE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.setenv("MINGEL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_plugin_that_does_not_import_is_named_with_the_way_out(monkeypatch) -> None:
    install(monkeypatch, ("mingel-broken", [FakeEntryPoint("broken", missing_dependency)]))
    message = refusal()
    assert message.splitlines()[0] == (
        "The plugin broken (mingel-broken 1.0) cannot be loaded: ModuleNotFoundError: "
        "No module named 'not_installed_dependency'")
    assert "MINGEL_DISABLED_PLUGINS=broken" in message
    pm = build_plugin_manager({"broken"})
    assert pm.get_plugin("basics") is not None and pm.get_plugin("broken") is None


async def test_the_cli_refuses_in_a_few_lines_and_its_own_commands_still_work(
        monkeypatch, cli_env, capsys) -> None:
    install(monkeypatch, ("mingel-broken", [FakeEntryPoint("broken", missing_dependency)]))
    assert await asyncio.to_thread(cli.main, ["chat"]) == 1
    err = capsys.readouterr().err
    assert "The plugin broken (mingel-broken 1.0) cannot be loaded" in err
    assert "MINGEL_DISABLED_PLUGINS=broken" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) <= 4

    assert await asyncio.to_thread(cli.main, ["plugins"]) == 1
    out = capsys.readouterr().out
    assert any(line.startswith("broken ") and "mingel-broken 1.0" in line and "BROKEN" in line
               and "not_installed_dependency" in line for line in out.splitlines())
    assert any(line.startswith("programme ") and "built-in" in line for line in out.splitlines())

    assert await asyncio.to_thread(cli.main, ["-v", "plugins"]) == 1
    assert "Traceback" in capsys.readouterr().err, "the traceback is there when asked for"

    sample = Path(__file__).resolve().parent.parent / "plugins" / "programme" / "sample.yaml"
    assert await asyncio.to_thread(cli.main, ["check", str(sample)]) == 0
    assert "ok" in capsys.readouterr().out

    monkeypatch.setenv("MINGEL_DISABLED_PLUGINS", "broken")
    assert await asyncio.to_thread(cli.main, ["plugins"]) == 0


async def test_the_refusal_speaks_the_terminals_language(monkeypatch, cli_env, capsys) -> None:
    install(monkeypatch, ("mingel-broken", [FakeEntryPoint("broken", missing_dependency)]))
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    assert await asyncio.to_thread(cli.main, ["run"]) == 1
    err = capsys.readouterr().err
    assert "Tillägget broken (mingel-broken 1.0) kan inte läsas in" in err
    assert "Stäng av det med MINGEL_DISABLED_PLUGINS=broken" in err


@pytest.mark.parametrize(("hooks", "problem"), [
    ({"event_detail": lambda ctx, event: "typo"},
     "unknown hook event_detail (misspelt? docs/plugins.md lists every hook)"),
    ({"event_details": lambda ctx, evt: "bad"},
     "event_details takes evt, which the hook does not give (it gives ctx, event)"),
])
def test_a_misspelt_hook_or_argument_names_the_plugin_and_the_hook(monkeypatch, hooks,
                                                                   problem) -> None:
    plugin = make_plugin("broken", **hooks)
    install(monkeypatch, ("mingel-broken", [FakeEntryPoint("broken", lambda: plugin)]))
    assert refusal().splitlines()[0] == (
        f"The plugin broken (mingel-broken 1.0) cannot be loaded: {problem}")


def test_async_def_for_a_hook_that_is_not_awaited_is_refused_at_load() -> None:
    async def event_details(ctx, event):
        return "async line"

    async def startup(ctx):  # awaited by the core: either kind is right
        return None

    fine = make_plugin("fine", startup=startup)
    assert build_plugin_manager(modules=[fine], entry_points=False).get_plugin("fine") is fine
    message = refusal(modules=[make_plugin("coffee", event_details=event_details)],
                      entry_points=False)
    assert ("The plugin coffee (local) cannot be loaded: event_details must be a plain def, "
            "not async def") in message


async def test_an_answer_to_await_from_a_card_hook_is_left_out_and_blamed(mingel_chat,
                                                                          caplog) -> None:
    """What loading cannot see (a plain def handing back a coroutine) is caught when the
    card is made: the card comes, with the other plugins' lines, and the log names the
    plugin at fault."""
    async def later(ctx, event):
        return "never shown"

    chat = await mingel_chat(["plugins.basics", "plugins.programme",
                              make_plugin("good", event_details=lambda ctx, event: "Good line"),
                              make_plugin("sneaky",
                                          event_details=lambda ctx, event: later(ctx, event))])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # "coroutine … was never awaited"
        replies = await chat.send(CARD)
    text = chat.text(replies)
    assert "Good line" in text and "never shown" not in text
    assert "went wrong" not in text and "gick fel" not in text
    blamed = [r for r in caplog.records if "event_details" in r.getMessage()]
    assert blamed and {r.name for r in blamed} == {"assistant.plugins.sneaky"}


async def test_a_card_hook_handing_back_a_coroutine_spares_the_card_e2e(telegram_bot) -> None:
    async def later(ctx, event):
        return "never shown"

    bot = await telegram_bot(["plugins.basics", "plugins.programme",
                              make_plugin("good", event_details=lambda ctx, event: "Good line"),
                              make_plugin("sneaky",
                                          event_details=lambda ctx, event: later(ctx, event))])
    card, *_rest = await bot.say(10, CARD, count=2, language_code="en")
    assert "Good line" in card.plain_text and "never shown" not in card.plain_text


def test_an_installed_plugin_may_not_take_a_built_in_name(monkeypatch) -> None:
    mine = make_plugin("calendar", module="mingel_calendar")
    install(monkeypatch, ("mingel-calendar", [FakeEntryPoint("calendar", lambda: mine)]))
    message = refusal()
    assert message.splitlines()[0] == (
        "The plugin calendar (mingel-calendar 1.0) cannot be loaded: the name calendar is "
        "already taken by the plugin from built-in")
    assert "MINGEL_DISABLED_PLUGINS" not in message, "it would switch off the built-in too"
    assert "Uninstall it, or rename it." in message


def test_two_installed_plugins_of_one_name_are_refused_but_one_found_twice_is_not(
        monkeypatch) -> None:
    one, two = make_plugin("coffee", "mingel_coffee"), make_plugin("coffee", "other_coffee")
    found = FakeEntryPoint("coffee", lambda: one)
    install(monkeypatch, ("mingel-coffee", [found]), ("mingel-coffee", [found]))
    pm = build_plugin_manager()
    assert pm.get_plugin("coffee") is one and plugin_origins(pm)["coffee"] == "mingel-coffee 1.0"
    install(monkeypatch, ("mingel-coffee", [found]),
            ("other-coffee", [FakeEntryPoint("coffee", lambda: two, "other_coffee")]))
    assert refusal().splitlines()[0] == (
        "The plugin coffee (other-coffee 1.0) cannot be loaded: the name coffee is already "
        "taken by the plugin from mingel-coffee 1.0")


async def test_two_test_modules_with_one_name_are_refused(mingel_chat) -> None:
    with pytest.raises(PluginsBroken, match="the name two is already taken"):
        await mingel_chat([make_plugin("two", "first.two"), make_plugin("two", "second.two")])


@pytest.mark.parametrize(("attributes", "problem"), [
    ({"NAME": "brokn"}, "its NAME is brokn, but its entry point is broken: they must be equal"),
    ({}, 'it has no NAME: set NAME = "broken", its entry point\'s name'),
])
def test_name_and_entry_point_must_agree(monkeypatch, attributes, problem) -> None:
    plugin = types.ModuleType("mingel_broken")
    for key, value in attributes.items():
        setattr(plugin, key, value)
    install(monkeypatch, ("mingel-broken", [FakeEntryPoint("broken", lambda: plugin)]))
    assert refusal().splitlines()[0] == (
        f"The plugin broken (mingel-broken 1.0) cannot be loaded: {problem}")


@pytest.mark.parametrize("name", ["Coffee-Break:x", "coffee:x", "9lives", "x" * 33])
def test_a_name_that_would_break_buttons_or_tables_is_refused(name) -> None:
    message = refusal(modules=[make_plugin(name)], entry_points=False)
    assert f"“{name}” cannot be a plugin's name" in message.splitlines()[0]


async def test_one_plugin_declaring_an_action_twice_is_refused(mingel_chat) -> None:
    async def go(ctx):
        ctx.toast("went")

    twice = make_plugin("twice", register_actions=lambda: [Action("go", go), Action("go", go)])
    with pytest.raises(ConfigError, match="the plugin twice declares the button action go twice"):
        await mingel_chat([twice])


async def test_a_command_clash_speaks_the_operators_language(mingel_chat) -> None:
    async def hello(ctx):
        ctx.reply("hello")

    clash = make_plugin("clash", register_commands=lambda: [Command("event", hello, N_("x"))])
    with pytest.raises(ConfigError) as caught:
        await mingel_chat(["plugins.programme", clash], env={"MINGEL_LOCALE": "sv"})
    assert str(caught.value).startswith(
        "både tillägget programme och tillägget clash har kommandot /event")
