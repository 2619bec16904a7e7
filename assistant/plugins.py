"""Finding plugins: built-ins, installed entry points, and the names switched off.

One pluggy manager per `Assistant`. Built-ins come from a tuple of modules under
`plugins/`, third-party plugins from the entry-point group `mingel.plugins`;
`MINGEL_DISABLED_PLUGINS` blocks names. Only `assistant.hooks.Hooks` calls hook
implementations.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from types import ModuleType

import pluggy

from . import hookspecs

ENTRY_POINT_GROUP = "mingel.plugins"
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


def plugin_name(module: ModuleType | object) -> str:
    """A plugin's one name: its NAME attribute, else its module's last component."""
    name = getattr(module, "NAME", None)
    if name:
        return str(name)
    mod_name = getattr(module, "__name__", type(module).__name__)
    return mod_name.rsplit(".", 1)[-1]


def build_plugin_manager(disabled: Iterable[str] = (),
                         modules: Sequence[str | ModuleType | object] | None = None,
                         entry_points: bool = True) -> pluggy.PluginManager:
    """Register built-ins (or the given modules) and installed plugins, minus disabled ones."""
    pm = pluggy.PluginManager("mingel")
    pm.add_hookspecs(hookspecs)
    for name in disabled:
        pm.set_blocked(name)
    for item in BUILTINS if modules is None else modules:
        module = importlib.import_module(item) if isinstance(item, str) else item
        name = plugin_name(module)
        if not pm.is_blocked(name) and pm.get_plugin(name) is None:
            pm.register(module, name=name)
    if entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    pm.check_pending()
    return pm


def plugin_origins(pm: pluggy.PluginManager) -> dict[str, str]:
    """Where each plugin comes from: 'built-in' or the distribution that installed it."""
    dists = {id(plugin): f"{dist.metadata['name']} {dist.version}"
             for plugin, dist in pm.list_plugin_distinfo()}
    return {name: dists.get(id(plugin), "built-in" if getattr(plugin, "__name__", "")
                            .startswith("plugins.") else "local")
            for name, plugin in pm.list_name_plugin() if plugin is not None}


def plugin_hooks(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    """The hook names a plugin implements, for `mingel plugins`."""
    return sorted(caller.name for caller in pm.get_hookcallers(plugin) or ())
