"""The plugin mechanism: discovery, blocking, misspelt hooks, isolation of failures."""
from __future__ import annotations

import types
from datetime import timedelta

import pytest

from assistant import N_, hookimpl
from assistant.plugins import PluginsBroken, build_plugin_manager, plugin_hooks, plugin_origins
from assistant.types import Command


def make_plugin(name: str, **hooks: object) -> types.ModuleType:
    module = types.ModuleType(f"test_plugins.{name}")
    module.NAME = name
    for hook, fn in hooks.items():
        setattr(module, hook, hookimpl(fn))
    return module


def test_builtins_are_registered_by_name() -> None:
    pm = build_plugin_manager(entry_points=False)
    assert pm.get_plugin("basics") is not None
    assert plugin_origins(pm)["basics"] == "built-in"
    assert "register_commands" in plugin_hooks(pm, pm.get_plugin("basics"))


def test_disabled_plugin_is_not_loaded() -> None:
    pm = build_plugin_manager({"basics"}, entry_points=False)
    assert pm.get_plugin("basics") is None
    assert pm.is_blocked("basics")


def test_misspelt_hook_is_caught_at_start() -> None:
    bad = make_plugin("bad", register_comands=lambda assistant: [])
    with pytest.raises(PluginsBroken, match="unknown hook register_comands"):
        build_plugin_manager(modules=[bad], entry_points=False)


def test_two_managers_do_not_share_plugins() -> None:
    one = build_plugin_manager(modules=[make_plugin("one")], entry_points=False)
    two = build_plugin_manager(modules=[make_plugin("two")], entry_points=False)
    assert one.get_plugin("two") is None and two.get_plugin("one") is None


async def test_failing_notification_hook_is_logged_and_others_still_run(mingel_chat, caplog):
    calls: list[str] = []

    def broken_startup(ctx):
        raise RuntimeError("boom")

    def good_startup(ctx):
        calls.append(ctx.plugin)

    chat = await mingel_chat([make_plugin("broken", startup=broken_startup),
                              make_plugin("good", startup=good_startup)])
    assert calls == ["good"]
    assert any(r.name == "assistant.plugins.broken" and "startup" in r.getMessage()
               for r in caplog.records)
    assert chat.assistant.started


async def test_crashing_gate_refuses(mingel_chat) -> None:
    def gate(ctx, event, answer):
        raise RuntimeError("health service down")

    chat = await mingel_chat([make_plugin("gatekeeper", rsvp_gate=gate)])
    ctx = chat.assistant.context("rsvp", chat.default_user)
    reason = await chat.assistant.hooks.rsvp_gate(ctx, object(), "in_person")
    assert reason and "can't be checked" in reason


async def test_each_hook_gets_a_context_bound_to_its_plugin(mingel_chat) -> None:
    seen: dict[str, str] = {}

    def details(ctx, event):
        seen[ctx.plugin] = ctx.table("x").name
        return f"line from {ctx.plugin}"

    chat = await mingel_chat([make_plugin("alpha", event_details=details),
                              make_plugin("beta", event_details=details)])
    ctx = chat.assistant.context("programme", chat.default_user)
    lines = chat.assistant.hooks.event_details(ctx, object())
    assert sorted(lines) == ["line from alpha", "line from beta"]
    assert seen == {"alpha": "alpha_x", "beta": "beta_x"}


async def test_implementations_take_any_of_a_hooks_arguments_in_any_order(mingel_chat) -> None:
    """As in pluggy: an implementation names the arguments it wants, in its own order."""
    event = object()

    def reordered(reason, ctx, event):
        return f"{ctx.plugin} {reason} {event is not None}"

    chat = await mingel_chat([
        make_plugin("bare", attachments=lambda: "bare"),
        make_plugin("reason", attachments=lambda reason: f"only {reason}"),
        make_plugin("ctx", attachments=lambda ctx: f"ctx {ctx.plugin}"),
        make_plugin("two", attachments=lambda ctx, reason: f"{ctx.plugin} {reason}"),
        make_plugin("order", attachments=reordered),
        make_plugin("swap", attachments=lambda ctx, reason, event: f"{reason} {event is not None}"),
        make_plugin("broken", attachments=lambda ctx, event, reason: 1 / 0),
        make_plugin("all", attachments=lambda ctx, event, reason: f"{ctx.plugin} {reason}")])
    ctx = chat.assistant.context("programme", chat.default_user)
    files = chat.assistant.hooks.attachments(ctx, event, "confirmed")
    assert files == ["bare", "only confirmed", "ctx ctx", "two confirmed", "order confirmed True",
                     "confirmed True", "all confirmed"]


async def test_a_first_answer_hook_stops_at_the_first_answer(mingel_chat) -> None:
    """firstresult hooks as docs/plugins.md says: the plugin asked first that answers wins
    and the others are not asked (a plugin taking over the card spares the built-in's)."""
    asked: list[str] = []

    def card(name, answer):
        return lambda ctx, event: asked.append(name) or answer

    chat = await mingel_chat([make_plugin("builtin", event_card=card("builtin", ("b", []))),
                              make_plugin("silent", event_card=card("silent", None)),
                              make_plugin("override", event_card=card("override", ("o", [])))])
    ctx = chat.assistant.context("programme", chat.default_user)
    assert chat.assistant.hooks.event_card(ctx, object()) == ("o", [])
    assert asked == ["override"]


async def test_the_programme_comes_from_the_first_plugin_that_has_one(mingel_chat,
                                                                    caplog) -> None:
    """A failing programme hook is logged and the next plugin asked; the first answer wins."""
    asked: list[str] = []
    mine = object()

    def broken(assistant):
        asked.append("broken")
        raise RuntimeError("no file")

    def offered(name, answer):
        return lambda: asked.append(name) or answer

    chat = await mingel_chat([make_plugin("first", programme=offered("first", mine)),
                              make_plugin("none", programme=offered("none", None)),
                              make_plugin("broken", programme=broken)])
    asked.clear()
    assert chat.assistant.hooks.programme() is mine
    assert asked == ["broken", "none", "first"]
    assert any(r.name == "assistant.plugins.broken" and "programme" in r.getMessage()
               for r in caplog.records)


async def test_crashing_command_apologises_in_the_users_language(mingel_chat, caplog) -> None:
    async def explode(ctx):
        ctx.reply("half-done")
        raise ValueError("bug")

    plugin = make_plugin("crashy", register_commands=lambda: [
        Command("explode", explode, N_("Explode"))])
    chat = await mingel_chat(["plugins.basics", plugin])
    swede = chat.user(5, "Sven", lang="sv")
    replies = await chat.send("/explode", swede)
    assert chat.text(replies) == "Förlåt, något gick fel hos mig. Försök igen."
    assert any(r.name == "assistant.plugins.crashy" for r in caplog.records)
    replies = await chat.send("/help", swede)
    assert "/language" in chat.text(replies)


async def test_duplicate_command_names_are_refused(mingel_chat) -> None:
    async def noop(ctx):
        pass
    one = make_plugin("one", register_commands=lambda: [Command("same", noop, "x")])
    two = make_plugin("two", register_commands=lambda: [Command("same", noop, "x")])
    with pytest.raises(Exception, match="/same"):
        await mingel_chat([one, two])


async def test_one_interaction_sees_one_moment_however_long_it_takes(mingel_chat) -> None:
    """A card and the check behind its buttons must agree on whether a meeting has started
    or closed, so every plugin handling one update sees the same "now"; the next update
    sees time move on."""
    async def when(ctx) -> None:
        first = ctx.now
        ctx.assistant.clock.advance(minutes=5)
        ctx.reply(f"{first.isoformat()} {ctx.now == first} {ctx.for_plugin('basics').now == first}")

    chat = await mingel_chat(plugins=["plugins.basics", make_plugin(
        "clocked", register_commands=lambda: [Command("when", when, N_("When"))])])
    before = chat.clock.now()
    first = (await chat.send("/when"))[0].text
    assert first == f"{before.isoformat()} True True"
    later = (await chat.send("/when"))[0].text
    assert later.split()[0] == (before + timedelta(minutes=5)).isoformat()


async def test_one_interaction_gives_each_plugin_one_view_whoever_asks(mingel_chat) -> None:
    """A card asks every plugin's hooks, and those hooks ask others' (RSVP asks whether the
    meeting is visible): each plugin's view is made once per interaction, not once per
    plugin that asks, and it is that plugin's (its catalogue, its tables)."""
    chat = await mingel_chat()
    ctx = chat.assistant.context(lang="sv")
    rsvp, calendar = ctx.for_plugin("rsvp"), ctx.for_plugin("calendar")
    assert rsvp.for_plugin("calendar") is calendar and calendar.for_plugin("rsvp") is rsvp
    assert (rsvp.plugin, calendar.plugin) == ("rsvp", "calendar")
    assert calendar.for_plugin("rsvp").replies is ctx.replies
    other = chat.assistant.context(lang="sv")
    assert other.for_plugin("rsvp") is not rsvp


async def test_buttons_are_kept_but_still_refuse_data_telegram_would_refuse(mingel_chat) -> None:
    chat = await mingel_chat()
    ctx = chat.assistant.context(lang="sv").for_plugin("rsvp")
    assert ctx.button("Ja", "a", "m1", "in_person") is ctx.button("Ja", "a", "m1", "in_person")
    assert ctx.button("Ja", "a", "m1", "in_person").data == "rsvp:a:m1:in_person"
    for _ in range(2):
        with pytest.raises(ValueError, match="64 bytes"):
            ctx.button("Ja", "a", "x" * 60)
    assert ctx.button("Ja", "a", ["unhashable"]).data == "rsvp:a:['unhashable']"
    assert ctx.button("Ja", "a", 1).data == "rsvp:a:1"
    assert ctx.button("Ja", "a", True).data == "rsvp:a:True", "1 == True, but not as data"


async def test_other_plugins_speak_the_language_the_user_just_chose(mingel_chat) -> None:
    """Each plugin's view of an interaction is made once, but a language switched during the
    interaction (as /language does) is the one every plugin answers in from then on."""
    async def switch(ctx) -> None:
        before = ctx.hooks.help_sections(ctx)
        ctx.lang = "sv" if ctx.lang == "en" else "en"
        ctx.reply(" ".join([*before, *ctx.hooks.help_sections(ctx)]))

    chat = await mingel_chat(plugins=[
        make_plugin("switcher", register_commands=lambda: [Command("switch", switch, N_("S"))]),
        make_plugin("speaker", help_sections=lambda ctx: [f"{ctx.plugin}:{ctx.lang}"])])
    chat.user(7, "Eva", lang="en")
    assert (await chat.send("/switch", 7))[0].text == "speaker:en speaker:sv"


async def test_a_tick_hook_sees_the_moment_it_was_given(mingel_chat) -> None:
    """A tick hook gets `now`; its context must not read the clock anew and disagree."""
    seen: list[bool] = []

    def tick(ctx, now) -> None:
        ctx.assistant.clock.advance(minutes=1)
        seen.append(ctx.now == now)

    chat = await mingel_chat(plugins=["plugins.basics", make_plugin("ticking", tick=tick)])
    await chat.tick()
    assert seen == [True]


class _BrokenEntryPoint:
    """An installed plugin whose import fails, as a broken third-party package would."""

    group, name, value = "mingel.plugins", "broken", "broken_plugin"

    def load(self) -> object:
        raise ImportError("broken_plugin needs a module that is not installed")


def _install_broken_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    dist = types.SimpleNamespace(entry_points=[_BrokenEntryPoint()], metadata={"name": "broken"},
                                 version="1.0")
    monkeypatch.setattr(importlib.metadata, "distributions", lambda: [dist])


def test_a_broken_installed_plugin_stops_the_start_until_it_is_disabled(monkeypatch) -> None:
    _install_broken_plugin(monkeypatch)
    with pytest.raises(PluginsBroken, match="broken_plugin needs a module"):
        build_plugin_manager()
    pm = build_plugin_manager({"broken"})
    assert pm.get_plugin("basics") is not None and pm.is_blocked("broken")
