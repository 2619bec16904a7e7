"""`mingel check FILE…`: validate programme files before publishing them.

Prints every problem as "file:line: message" (with "did you mean …?" for misspelt names)
and exits with status 1, or prints a one-line summary per file and exits with 0. Like the
terminal chat, it speaks MINGEL_LOCALE's language, else the terminal's locale's (LANG);
files are named as typed.
"""
from __future__ import annotations

import argparse
import os
from typing import Any

from assistant.config import Config, ConfigError
from assistant.i18n import SOURCE_LANGUAGE, Catalogues, pick_language, terminal_language
from assistant.types import CliCommand

from .extra import FieldError, checked
from .loader import load_programme
from .problems import ProgrammeError, sendable

DOMAIN = "programme"


def add_arguments(parser: Any) -> None:
    """The files to check."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="programme files (YAML)")


def language() -> str:
    """The CLI's language, picked as the terminal chat picks its user's: MINGEL_LOCALE, else
    the locale's (LANG=sv_SE.UTF-8 is Swedish); MINGEL_LOCALE's default, English, when
    neither names a language Mingel speaks."""
    try:
        default = Config.from_env().locale
    except ConfigError:
        default = SOURCE_LANGUAGE
    return pick_language(terminal_language(os.environ), default)


def plugin_fields() -> dict[str, str]:
    """The meeting fields of the plugins `mingel run` would load (register_event_fields), so
    that a file the bot takes passes here too; a broken plugin's are left out, as the bot's
    start names it."""
    from assistant.hooks import Hooks
    from assistant.plugins import build_plugin_manager
    try:
        pm = build_plugin_manager(Config.from_env().disabled_plugins, tolerant=True)
        hooks = Hooks(type("A", (), {"pm": pm})())  # type: ignore[arg-type]
        fields = checked(hooks.register_event_fields())
    except (ConfigError, FieldError):
        return {}
    return {name: f.kind for name, f in fields.items()}


def run(args: argparse.Namespace | Any) -> int:
    """Check each file; 1 when any has problems."""
    zone = os.environ.get("MINGEL_TIMEZONE", "Europe/Stockholm")
    lang, catalogues, fields = language(), Catalogues(), plugin_fields()

    def _(text: str, **values: object) -> str:
        return catalogues.gettext(DOMAIN, lang, text, **values)

    def ngettext(singular: str, plural: str, n: int, **values: object) -> str:
        return catalogues.ngettext(DOMAIN, lang, singular, plural, n, **values)

    status = 0
    for path in args.files:
        try:
            programme = load_programme(path, zone, fields)
        except ProgrammeError as exc:
            print("\n".join(p.render(_) for p in exc.problems))
            print(ngettext("{path}: {n} problem", "{path}: {n} problems", len(exc.problems),
                           path=sendable(path)))
            status = 1
            continue
        print(_("{path}: ok – {events}, {networks}", path=sendable(path),
                events=ngettext("{n} event", "{n} events", len(programme.events)),
                networks=ngettext("{n} network", "{n} networks", len(programme.networks))))
    return status


COMMAND = CliCommand("check", "check programme files (YAML) and list every problem",
                     add_arguments, run)
