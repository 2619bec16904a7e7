"""Finding plugins: built-ins, installed entry points, and the names switched off.

One pluggy manager per `Assistant`. Built-ins come from a tuple of modules under
`plugins/`, third-party plugins from the entry-point group `mingel.plugins`;
`MINGEL_DISABLED_PLUGINS` blocks names. Each is checked as it is loaded
(`assistant.loading`): a broken one stops the start with its name and the way out. Only
`assistant.hooks.Hooks` calls hook implementations.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import ModuleType

import pluggy

from . import hookspecs
from .loading import (
    ENTRY_POINT_GROUP,
    Broken,
    Manager,
    PluginsBroken,
    load_entry_points,
    load_modules,
    plugin_name,
)

__all__ = ["BUILTINS", "ENTRY_POINT_GROUP", "Broken", "PluginError", "PluginsBroken",
           "StartupError", "broken_plugins", "build_plugin_manager", "plugin_hooks", "plugin_name",
           "plugin_origins"]
BUILTINS: tuple[str, ...] = (
    "plugins.basics",
    "plugins.programme",
    "plugins.invitations",
    "plugins.rsvp",
    "plugins.calendar",
    "plugins.reminders",
    "plugins.broadcast",
    "plugins.health",
    "plugins.questions",
    "plugins.privacy",
    "plugins.audit",
)


class PluginError(Exception):
    """A plugin could not be loaded or declares something wrong."""


class StartupError(Exception):
    """Raised by a plugin's startup hook when the assistant must not run (e.g. a broken
    programme file); the message is shown to the operator as it is, without a traceback."""


def build_plugin_manager(disabled: Iterable[str] = (),
                         modules: Sequence[str | ModuleType | object] | None = None,
                         entry_points: bool = True, *, tolerant: bool = False) -> Manager:
    """Register built-ins (or the given modules) and installed plugins, minus disabled ones.
    A plugin that cannot be loaded raises `PluginsBroken`, naming it; with `tolerant` (for
    `mingel plugins` and the CLI's own commands) it is left out and kept in `pm.broken`."""
    pm = Manager()
    pm.add_hookspecs(hookspecs)
    for name in disabled:
        pm.set_blocked(name)
    taken: dict[str, str] = {}
    load_modules(pm, BUILTINS if modules is None else modules, taken)
    if entry_points:
        load_entry_points(pm, taken)
    if pm.broken and not tolerant:
        raise PluginsBroken(pm.broken)
    pm.check_pending()
    return pm


def plugin_origins(pm: pluggy.PluginManager) -> dict[str, str]:
    """Where each plugin comes from: 'built-in', 'local' (a module given in a test) or the
    distribution that installed it, with its version."""
    return dict(getattr(pm, "origins", {}))


def broken_plugins(pm: pluggy.PluginManager) -> list[Broken]:
    """The plugins a tolerant manager left out, for `mingel plugins`."""
    return list(getattr(pm, "broken", ()))


def plugin_hooks(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """The hook names a plugin implements, for `mingel plugins`."""
    return sorted(caller.name for caller in pm.get_hookcallers(plugin) or ())
