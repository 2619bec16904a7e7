"""`mingel new-plugin NAME`: a ready plugin distribution to start from.

It writes DIR/mingel-NAME/ with a pyproject declaring the `mingel.plugins` entry point,
a package `mingel_NAME` with one command answering in the user's language, Swedish and
English catalogues inside the package (where the core looks for them), passing tests
with the chat harness and one end to end through the Bot API stub, and a README. `pip install -e DIR/mingel-NAME` makes it live.
"""
from __future__ import annotations

import sys
from importlib.metadata import entry_points
from pathlib import Path
from string import Template

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import write_po

from .i18n import LANGUAGES, SOURCE_LANGUAGE
from .loading import NAME_PATTERN
from .plugins import BUILTINS, ENTRY_POINT_GROUP

RESERVED = frozenset({"assistant", "core", "mingel", "plugins"})
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}

PYPROJECT = """\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "mingel-$name"
version = "0.1.0"
description = "A Mingel plugin: $name"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["mingel"]

[project.optional-dependencies]
# Mingel's testing extra: pytest, pytest-asyncio and aiohttp for the Bot API stub.
test = ["mingel[testing]"]

# The entry point's name is the plugin's one name: NAME in the module, its tables
# ${name}_…, its gettext domain, its callback data $name:…, MINGEL_DISABLED_PLUGINS.
[project.entry-points."mingel.plugins"]
$name = "mingel_$name"

[tool.setuptools]
packages = ["mingel_$name"]

[tool.setuptools.package-data]
mingel_$name = ["locales/*/LC_MESSAGES/*.po"]

[tool.pytest.ini_options]
asyncio_mode = "auto"
asyncio_default_fixture_loop_scope = "function"
"""

MODULE = '''\
"""The $name plugin for Mingel. Say here, in one line, what it is for.

Mingel's docs/plugins.md describes every hook a plugin may implement; its
plugins/basics.py is a small complete plugin to imitate.
"""
from __future__ import annotations

from assistant import N_, hookimpl
from assistant.context import Context
from assistant.text import escape
from assistant.types import Command

NAME = "$name"


async def greet(ctx: Context) -> None:
    """/$name: say hello in the user's language."""
    name = escape(ctx.user.first_name or ctx.user.username or "")
    ctx.reply(ctx._("Hello {name}! The {plugin} plugin is installed and working.",
                    name=name, plugin=NAME))


@hookimpl
def register_commands() -> list[Command]:
    """The plugin's commands, with their help for /help and the menu."""
    return [Command(NAME, greet, N_("Say hello from this plugin"))]
'''

SWEDISH = {
    "Hello {name}! The {plugin} plugin is installed and working.":
        "Hej {name}! Tillägget {plugin} är installerat och fungerar.",
    "Say hello from this plugin": "Säg hej från det här tillägget",
}

TEST = '''\
"""The $name plugin, tested with Mingel's chat harness (no Telegram, no network) and once
end to end: the real python-telegram-bot Application against Mingel's Bot API stub on
127.0.0.1 (the fixture `telegram_bot`)."""
from __future__ import annotations

from assistant.testing import untranslated

PLUGIN = "mingel_$name"
"""The plugin by its module's name: an import of it would sort among the third-party or
the first-party ones depending on where the package is put, and fail one check or the other."""


async def test_greets_in_swedish(mingel_chat) -> None:
    chat = await mingel_chat(["plugins.basics", PLUGIN])
    replies = await chat.send("/$name", chat.user(7, "Sven", lang="sv"))
    assert chat.text(replies) == "Hej Sven! Tillägget $name är installerat och fungerar."


async def test_greets_in_english_and_is_listed_in_help(mingel_chat) -> None:
    chat = await mingel_chat(["plugins.basics", PLUGIN])
    emma = chat.user(8, "Emma", lang="en")
    replies = await chat.send("/$name", emma)
    assert chat.text(replies) == "Hello Emma! The $name plugin is installed and working."
    replies = await chat.send("/help", emma)
    assert "/$name – Say hello from this plugin" in chat.text(replies)


async def test_answers_through_telegram(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics", PLUGIN])
    [reply] = await bot.say(7, "/$name", first_name="Sven", language_code="sv")
    assert reply.plain_text == "Hej Sven! Tillägget $name är installerat och fungerar."


def test_every_string_has_a_swedish_translation() -> None:
    assert untranslated(PLUGIN, "sv") == []
'''

README = """\
# mingel-$name

A plugin for Mingel — replace this line with what it does.
It adds the command `/$name`, which greets the user in Swedish or English.

## Try it

```
pip install -e ".[test]"    # into the same environment as Mingel, with its test tools
mingel plugins              # $name   mingel-$name 0.1.0   register_commands
mingel chat                 # type /$name
python -m pytest            # its tests: Mingel's chat harness (fixture mingel_chat) and,
                            # end to end through Telegram's Bot API, telegram_bot
```

`MINGEL_DISABLED_PLUGINS=$name` turns it off without uninstalling it.

## Layout

| file | what it is for |
|---|---|
| `pyproject.toml` | the distribution; the entry point `$name = "mingel_$name"` in the group `mingel.plugins` |
| `mingel_$name/__init__.py` | `NAME = "$name"` and the hook implementations |
| `mingel_$name/locales/{sv,en}/LC_MESSAGES/$name.po` | translations; the core finds them next to the module |
| `tests/test_$name.py` | tests with the chat harness, and one through the Bot API stub |

## Translations

After adding or changing strings (`ctx._("…")`, `ctx.ngettext(…)`, `N_("…")`):

```
python -m assistant.i18n_tool update --plugin mingel_$name    # template, sv and en catalogues
python -m assistant.i18n_tool missing --plugin mingel_$name   # the Swedish still to write
```

then write the Swedish in `mingel_$name/locales/sv/LC_MESSAGES/$name.po` (or
`python -m assistant.i18n_tool fill $name sv sv.json --plugin mingel_$name` from a JSON map
of msgid to Swedish); the test
`test_every_string_has_a_swedish_translation` fails until every string is translated.

Mingel's `docs/plugins.md` explains every hook, tables, settings, buttons, the outbox,
privacy hooks and how to publish.
"""


def problem_with(name: str) -> str | None:
    """Why NAME cannot be a new plugin's name, or None when it can."""
    if not NAME_PATTERN.fullmatch(name):
        return (f"{name!r} is not a valid plugin name: use a lowercase letter, then lowercase "
                "letters, digits or _ (at most 32 characters), e.g. 'feedback' or 'room_booking'")
    builtins = {module.rsplit(".", 1)[-1] for module in BUILTINS}
    if name in RESERVED or name in builtins:
        taken = ", ".join(sorted(builtins))
        return f"{name!r} is taken by Mingel itself (built-in plugins: {taken})"
    installed = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    if name in installed:
        return f"{name!r} is already an installed plugin ({installed[name]})"
    owner = _command_owner(name)
    if owner:
        return f"/{name} is already a command of the {owner} plugin"
    return None


def _command_owner(name: str) -> str | None:
    """The plugin that already declares the command /NAME, if any."""
    from .hooks import Hooks
    from .plugins import build_plugin_manager
    try:
        pm = build_plugin_manager()
        holder = type("Assistant", (), {"pm": pm})()
        commands = Hooks(holder).register_commands()  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a broken plugin elsewhere must not block scaffolding
        return None
    return next((c.plugin for c in commands if name in (c.name, *c.aliases)), None)


def _catalogue(name: str, package: Path, lang: str) -> Catalog:
    """The plugin's catalogue for one language, from the strings in its source."""
    catalog = Catalog(locale=lang, domain=name, project=f"mingel-{name}", charset="utf-8",
                      fuzzy=False)
    for file in sorted(package.rglob("*.py")):
        for lineno, message, comments, context in extract_from_file(
                "python", str(file), keywords=KEYWORDS):
            string = message if lang == SOURCE_LANGUAGE else SWEDISH.get(message, "")
            catalog.add(message, string, [(str(file.relative_to(package.parent)), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def write_plugin(name: str, target: Path) -> list[Path]:
    """Write the files of a new plugin into `target` (which must not exist yet)."""
    package = target / f"mingel_{name}"
    files = {
        target / "pyproject.toml": PYPROJECT,
        target / "README.md": README,
        package / "__init__.py": MODULE,
        target / "tests" / f"test_{name}.py": TEST,
    }
    target.mkdir(parents=True)
    written = []
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(template).substitute(name=name), encoding="utf-8")
        written.append(path)
    for lang in LANGUAGES:
        po = package / "locales" / lang / "LC_MESSAGES" / f"{name}.po"
        po.parent.mkdir(parents=True)
        with po.open("wb") as f:
            write_po(f, _catalogue(name, package, lang), width=100)
        written.append(po)
    return written


def new_plugin(name: str, directory: Path) -> int:
    """Create DIR/mingel-NAME/; 0 when done, 1 when it exists, 2 for a bad name."""
    problem = problem_with(name)
    if problem:
        print(f"mingel new-plugin: {problem}", file=sys.stderr)
        return 2
    target = directory / f"mingel-{name}"
    if target.exists():
        print(f"mingel new-plugin: {target} already exists; not overwriting it", file=sys.stderr)
        return 1
    written = write_plugin(name, target)
    print(f"Created the plugin {name!r} in {target}:")
    for path in written:
        print(f"  {path.relative_to(target)}")
    print(f"\nNext:\n  pip install -e {target}\n  mingel plugins      # lists {name}\n"
          f"  mingel chat         # type /{name}\n  cd {target} && python -m pytest\n"
          "The guide: docs/plugins.md in Mingel.")
    return 0
