"""How hooks are called: `HookCalls`, the machinery under `Hooks` (`assistant.hooks`).

It finds each hook's implementations in pluggy's order, binds each call's context to the
implementing plugin (a call made once per hook, not per call), awaits coroutines where the
core awaits, logs a failing implementation under its plugin's name and goes on, and fails
closed for gates; `Hooks` adds one typed method per hook on top.
"""
from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from types import CoroutineType
from typing import TYPE_CHECKING, Any

from .plugins import StartupError

if TYPE_CHECKING:
    from .context import Context
    from .core import Assistant

Call = Callable[["Context | None", dict[str, Any]], Any]
NO_ARGUMENTS: dict[str, Any] = {}
COLLECTING = frozenset({"register_commands", "register_actions", "register_settings",
                        "register_exports", "register_cli", "help_sections", "event_details",
                        "event_buttons", "reminder_details", "reminder_buttons", "attachments",
                        "privacy_notice", "user_data", "change_audience",
                        "change_effects"})


class HookCalls:
    """Calling one hook's implementations; the typed methods are `Hooks`'."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.pm = assistant.pm
        self._order: dict[str, list[Any]] = {}
        self._callers: dict[str, list[tuple[str, Call]]] = {}

    def _impls(self, name: str) -> list[Any]:
        """Implementations in pluggy's calling order for first-result hooks (last registered
        first, tryfirst before all); hooks that collect answers go in registration order.
        Worked out on a hook's first call and kept: the plugins are fixed when the assistant
        is made (their commands and actions are read when it starts)."""
        impls = self._order.get(name)
        if impls is None:
            impls = getattr(self.pm.hook, name).get_hookimpls()
            impls = self._order[name] = impls if name in COLLECTING else impls[::-1]
        return impls

    def _args(self, impl: Any, ctx: Context | None, kwargs: dict[str, Any]) -> list[Any]:
        """What the implementation asks for: its own view of `ctx`, the hook's arguments, the
        assistant."""
        args = []
        for name in impl.argnames:
            if name == "ctx" and ctx is not None:
                args.append(ctx.for_plugin(impl.plugin_name))
            elif name in kwargs:
                args.append(kwargs[name])
            elif name == "assistant":
                args.append(self.assistant)
            else:
                raise KeyError(name)
        return args

    def _calls(self, name: str) -> list[tuple[str, Call]]:
        """Each implementation's plugin and a call that takes the context and the hook's
        arguments, made once per hook: a card calls a dozen hooks, and matching argument
        names on every call was a sixth of their cost."""
        calls = self._callers.get(name)
        if calls is None:
            calls = self._callers[name] = [(impl.plugin_name, self._caller(impl))
                                           for impl in self._impls(name)]
        return calls

    def _caller(self, impl: Any) -> Call:
        function, plugin, names = impl.function, impl.plugin_name, tuple(impl.argnames)
        if not names:
            return lambda ctx, kwargs: function()
        if names == ("assistant",):
            assistant = self.assistant
            return lambda ctx, kwargs: function(assistant)
        if names[0] == "ctx" and "assistant" not in names:
            if len(names) == 1:
                return lambda ctx, kwargs: function(ctx.for_plugin(plugin))
            if len(names) == 2:
                first = names[1]
                return lambda ctx, kwargs: function(ctx.for_plugin(plugin), kwargs[first])
            rest = names[1:]
            return lambda ctx, kwargs: function(ctx.for_plugin(plugin),
                                                *map(kwargs.__getitem__, rest))
        return lambda ctx, kwargs: function(*self._args(impl, ctx, kwargs))

    def _sync(self, name: str, ctx: Context | None, *, first: bool = False, flat: bool = False,
              **kwargs: Any) -> list[Any]:
        """Each answering plugin and its answer; with `flat`, only the answers, a list or
        tuple answer adding its items (card lines and buttons, asked for on every card)."""
        results: list[Any] = []
        for plugin, call in self._calls(name):
            try:
                result = call(ctx, kwargs)
            except Exception:  # noqa: BLE001 - one plugin failing must not stop the others
                self._log(plugin).exception("hook %s failed", name)
                continue
            if result is None or self._awaitable(plugin, name, result):
                continue
            if flat:
                if isinstance(result, list | tuple):
                    results.extend(result)
                else:
                    results.append(result)
                continue
            results.append((plugin, result))
            if first:
                break
        return results

    async def _async(self, name: str, ctx: Context | None, *, first: bool = False,
                     gate: bool = False, **kwargs: Any) -> list[tuple[str, Any]]:
        results = []
        for plugin, call in self._calls(name):
            try:
                result = call(ctx, kwargs)
                if inspect.isawaitable(result):
                    result = await result
            except StartupError:
                raise
            except Exception:
                self._log(plugin).exception("hook %s failed", name)
                if gate:
                    raise
                continue
            if result is not None:
                results.append((plugin, result))
                if first:
                    break
        return results

    @staticmethod
    def _log(plugin: str) -> logging.Logger:
        return logging.getLogger(f"assistant.plugins.{plugin}")

    def _awaitable(self, plugin: str, name: str, result: Any) -> bool:
        """True, after logging it under the plugin's name, when a hook the core does not
        await answered with a coroutine (an `async def` loading did not catch): that answer
        is left out, and the other plugins' still count."""
        if type(result) is not CoroutineType:
            return False  # a type check, not isawaitable's ABC one: hooks answer often
        result.close()  # never awaited, on purpose: no warning blaming the caller
        self._log(plugin).error("hook %s must be a plain def, not async def: its answer is "
                                "left out", name)
        return True

    def _stamped(self, name: str) -> list[Any]:
        """Every declaration of a register_* hook, stamped with the plugin that made it."""
        from dataclasses import replace
        return [replace(d, plugin=plugin) for plugin, ds in self._sync(name, None) for d in ds]

    def _any(self, name: str, ctx: Context, **kwargs: Any) -> bool:
        return any(answer for _plugin, answer in self._sync(name, ctx, **kwargs))

    def _first(self, name: str, ctx: Context, default: Any, **kwargs: Any) -> Any:
        results = self._sync(name, ctx, first=True, **kwargs)
        return results[0][1] if results else default

    def _user_ids(self, name: str, answers: list[tuple[str, Any]]) -> set[int]:
        """The user ids the plugins answered, each once; an answer that is not an iterable of
        ints is logged under its plugin's name and left out."""
        people: set[int] = set()
        for plugin, answer in answers:
            try:
                ids = set(answer)
                if not set(map(type, ids)) <= {int}:
                    raise TypeError("not user ids")
            except Exception:  # noqa: BLE001 - one plugin's bad answer must not stop the others
                self._log(plugin).exception("hook %s answered %.80r", name, answer)
                continue
            people |= ids
        return people
