"""Loading plugins one at a time, so that a broken one is named with the way out.

A plugin that cannot be imported, whose `NAME` differs from its entry point's name or
cannot be a name, whose name another plugin has already taken, that implements a hook
that does not exist or with an argument the hook does not give, or that writes a hook
the core calls without awaiting as `async def`, is left out and reported as `Broken`.
`assistant.plugins.build_plugin_manager` refuses to start with one (`PluginsBroken`);
`mingel plugins` and the CLI's own commands list it and go on.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

import pluggy

from . import N_
from .i18n import fill

ENTRY_POINT_GROUP = "mingel.plugins"
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
"""A plugin's name: it prefixes table names and callback data (`name:action:…`)."""
Translate = Callable[..., str]


def english(text: str, **values: object) -> str:
    """The untranslated text with its values, for logs and `str()`."""
    return fill(text, values) if values else text


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and its message, whitespace folded."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())


@dataclass(frozen=True)
class Broken:
    """A plugin left out: its name, where it comes from, what is wrong (a text to translate
    and its values) and, when it raised, the exception with its traceback."""

    name: str
    origin: str
    problem: str
    values: dict[str, str] = field(default_factory=dict)
    error: BaseException | None = None
    switch_off: bool = True
    """Whether MINGEL_DISABLED_PLUGINS=name helps (not when the name is another's too)."""

    def reason(self, _: Translate = english) -> str:
        """What is wrong, in one line."""
        return _(self.problem, **self.values)

    def trace(self) -> str:
        """The full traceback of the error, for the debug log."""
        if self.error is None:
            return ""
        return "".join(traceback.format_exception(self.error))


class PluginsBroken(Exception):
    """One or more plugins cannot be loaded: Mingel does not start with them."""

    def __init__(self, broken: Sequence[Broken]) -> None:
        super().__init__(broken)
        self.broken = list(broken)

    def render(self, _: Translate = english) -> str:
        """The refusal: one line per plugin, then what to do."""
        lines = [_("The plugin {name} ({origin}) cannot be loaded: {problem}", name=b.name,
                   origin=b.origin, problem=b.reason(_)) for b in self.broken]
        off = sorted({b.name for b in self.broken if b.switch_off})
        if off:
            lines.append(_("Mingel does not start with a broken plugin. Switch it off with "
                           "MINGEL_DISABLED_PLUGINS={names}, or fix or uninstall it.",
                           names=",".join(off)))
        else:
            lines.append(_("Mingel does not start with a broken plugin. Uninstall it, or "
                           "rename it."))
        if any(b.error is not None for b in self.broken):
            lines.append(_("`mingel -v plugins` shows the traceback."))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class Manager(pluggy.PluginManager):
    """Pluggy's manager, knowing where each plugin comes from and which were left out."""

    def __init__(self) -> None:
        super().__init__("mingel")
        self.origins: dict[str, str] = {}
        self.broken: list[Broken] = []


def hook_problems(pm: pluggy.PluginManager, plugin: object) -> tuple[str, dict[str, str]] | None:
    """The first hook implementation the core could not call as written, if any."""
    for attr in sorted(dir(plugin)):
        opts = pm.parse_hookimpl_opts(plugin, attr)
        if opts is None:
            continue
        hook = opts.get("specname") or attr
        caller = getattr(pm.hook, hook, None)
        if caller is None or not caller.has_spec() or caller.spec is None:
            if opts.get("optionalhook"):
                continue
            return N_("unknown hook {hook} (misspelt? docs/plugins.md lists every hook)"), \
                {"hook": hook}
        function = getattr(plugin, attr)
        given = set(caller.spec.argnames) | set(caller.spec.kwargnames)
        wanted = [p.name for p in inspect.signature(function).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                  and p.default is p.empty]
        unknown = [name for name in wanted if name not in given]
        if unknown:
            return N_("{hook} takes {names}, which the hook does not give (it gives {given})"), \
                {"hook": hook, "names": ", ".join(unknown), "given": ", ".join(caller.spec.argnames)}
        synchronous = not inspect.iscoroutinefunction(caller.spec.function)
        if synchronous and (inspect.iscoroutinefunction(function)
                            or inspect.isasyncgenfunction(function)):
            return N_("{hook} must be a plain def, not async def: Mingel calls it without "
                      "awaiting it"), {"hook": hook}
    return None


def plugin_name(plugin: ModuleType | object) -> str:
    """A plugin's one name: its NAME attribute, else its module's last component."""
    name = getattr(plugin, "NAME", None)
    if name:
        return str(name)
    return getattr(plugin, "__name__", type(plugin).__name__).rsplit(".", 1)[-1]


def _register(pm: Manager, name: str, plugin: object, origin: str) -> None:
    """Register one plugin, or record it as broken and leave it out."""
    try:
        problem = hook_problems(pm, plugin)
        if problem is not None:
            pm.broken.append(Broken(name, origin, *problem))
            return
        pm.register(plugin, name=name)
    except Exception as exc:  # noqa: BLE001 - whatever pluggy refuses is reported
        pm.broken.append(Broken(name, origin, "{error}", {"error": one_line(exc)}, exc))
        return
    pm.origins[name] = origin


def _check_name(pm: Manager, name: str, origin: str, taken: dict[str, str]) -> bool:
    """Whether a name may be registered; a bad or taken one is recorded as broken."""
    if not NAME_PATTERN.fullmatch(name):
        pm.broken.append(Broken(name, origin, N_(
            "“{name}” cannot be a plugin's name: it must be a-z, digits and _, starting with "
            "a letter, at most 32 characters"), {"name": name}))
        return False
    if name in taken:
        pm.broken.append(Broken(name, origin, N_(
            "the name {name} is already taken by the plugin from {other}"),
            {"name": name, "other": taken[name]}, switch_off=False))
        return False
    taken[name] = origin
    return True


def load_modules(pm: Manager, modules: Iterable[str | ModuleType | object],
                 taken: dict[str, str]) -> None:
    """Built-ins (or the modules a test gives): imported and registered one at a time."""
    for item in modules:
        origin = "built-in" if isinstance(item, str) and item.startswith("plugins.") else "local"
        if isinstance(item, str):
            if pm.is_blocked(item.rsplit(".", 1)[-1]):
                continue
            try:
                module: object = importlib.import_module(item)
            except Exception as exc:  # noqa: BLE001 - reported with the plugin's name
                name = item.rsplit(".", 1)[-1]
                pm.broken.append(Broken(name, origin, "{error}", {"error": one_line(exc)}, exc))
                continue
        else:
            module = item
            origin = "built-in" if getattr(item, "__name__", "").startswith("plugins.") else origin
        name = plugin_name(module)
        if pm.is_blocked(name) or pm.get_plugin(name) is module:
            continue
        if _check_name(pm, name, origin, taken):
            _register(pm, name, module, origin)


def load_entry_points(pm: Manager, taken: dict[str, str]) -> None:
    """Installed plugins: each entry point imported and registered on its own."""
    seen: set[tuple[str, str, str]] = set()
    for dist in list(importlib.metadata.distributions()):
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP or pm.is_blocked(ep.name):
                continue
            origin = f"{dist.metadata['name']} {dist.version}"
            if (ep.name, ep.value, origin) in seen:
                continue  # one distribution found twice on the path (an editable install)
            seen.add((ep.name, ep.value, origin))
            if not _check_name(pm, ep.name, origin, taken):
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # noqa: BLE001 - reported with the plugin's name
                pm.broken.append(Broken(ep.name, origin, "{error}", {"error": one_line(exc)},
                                        exc))
                continue
            own = plugin_name(plugin)
            if own != ep.name:
                problem = (N_("its NAME is {own}, but its entry point is {name}: they must be "
                              "equal") if getattr(plugin, "NAME", None) else
                           N_("it has no NAME: set NAME = \"{name}\", its entry point's name"))
                pm.broken.append(Broken(ep.name, origin, problem, {"own": own, "name": ep.name}))
                continue
            _register(pm, ep.name, plugin, origin)
