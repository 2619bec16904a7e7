"""The `mingel` command: run the bot, chat in the terminal, list plugins, check, export and back up."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Config, ConfigError
from .i18n import LANGUAGES, Catalogues, pick_language, terminal_language
from .logs import redact, setup_logging
from .model import text as localised
from .plugins import (
    PluginsBroken,
    StartupError,
    broken_plugins,
    build_plugin_manager,
    plugin_hooks,
    plugin_origins,
)
from .storage import StorageError
from .storefiles import SNAPSHOT

if TYPE_CHECKING:
    from .clock import Clock
    from .core import Assistant
    from .types import User

log = logging.getLogger("assistant.cli")
TERMINAL_USER_ID = 1


def _assistant(config: Config, clock: Clock | None = None) -> Assistant:
    from .core import Assistant
    return Assistant(config, clock=clock)


def cmd_run(config: Config, args: argparse.Namespace) -> int:
    """The Telegram bot, or the terminal chat when no token is set."""
    if not config.token:
        print("No TELEGRAM_BOT_TOKEN set: opening the terminal chat. "
              "To connect Telegram, set TELEGRAM_BOT_TOKEN (e.g. in .env) and run `mingel run`.")
        return cmd_chat(config, args)
    from .adapters.telegram import TelegramAdapter
    assistant = _assistant(config)
    TelegramAdapter(assistant, config.token, config.api_url).run()
    return 0


def cmd_chat(config: Config, args: argparse.Namespace) -> int:
    """Chat with the assistant in this terminal (from `--at`, on a clock set to that moment)."""
    from .adapters.terminal import TerminalChat
    from .clock import StartedClock, moment
    from .flood import FloodControl
    from .types import User
    spoken = terminal_language(os.environ)
    if spoken in LANGUAGES and not os.environ.get("MINGEL_LOCALE"):
        config = dataclasses.replace(config, locale=spoken)  # who is told before they type
    at = getattr(args, "at", None)
    clock = None
    if at is not None:
        try:
            clock = StartedClock(moment(at, config.timezone))
        except ValueError:
            _ = translator(config)
            print(_(
                "--at {value}: I can't read this as a time. Write a day and a time such as "
                "2027-09-21 08:30 (the time in {zone}), or a time with its offset such as "
                "2027-09-21T08:30+02:00.", value=at, zone=str(config.timezone)),
                file=sys.stderr)
            return 2
        config = dataclasses.replace(config, data_dir=trial_copy(config.data_dir))
    assistant = _assistant(config, clock)
    assistant.flood = FloodControl(burst=10**9)
    user_id = getattr(args, "user", None) or TERMINAL_USER_ID
    if not config.organisers and not getattr(args, "start", None):  # a link's guest: participant
        assistant.organisers.add(user_id)
    user = User(id=user_id, first_name=(getattr(args, "name", None) or "").strip(),
                language_code=terminal_language(os.environ))  # no name: `TerminalChat.arrive`
    chat = TerminalChat(assistant, user, downloads=(config.data_dir or Path("data")) / "downloads")
    try:
        asyncio.run(chat.run(lambda: banner(assistant, chat.user, clock),
                             start=getattr(args, "start", None) or ""))
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def trial_copy(data_dir: Path | None) -> Path | None:
    """The data a chat on another day (`--at`) works on: a copy next to the real data
    (`data-at` beside `data`), made on first use and kept for the next such chat, since a
    moved clock stores what is done as done then and its ticks delete what is past their
    retention by it."""
    if data_dir is None:
        return None
    trial = data_dir.parent / f"{data_dir.name}-at"
    if not trial.exists():
        if (data_dir / SNAPSHOT).is_file():
            from .backup import backup
            backup(data_dir, trial)  # safe while `mingel run` writes to the real data
        else:
            trial.mkdir(parents=True)
    return trial


def banner(assistant: Assistant, user: User, clock: Clock | None) -> str:
    """The chat's first line, in the user's language, once the store is open: who they are,
    with the roles they really have (organiser, moderator of named networks, else a
    participant), and the moment the clock was set to by `--at`."""
    ctx = assistant.context(user=user, lang=assistant.users.language_for(user))
    _ = ctx._
    programme = ctx.programme
    known = programme.networks if programme is not None else {}
    networks = sorted(localised(known[n].name, ctx.lang) if n in known else n
                      for n in assistant.roles.moderated_networks(user.id))
    if assistant.roles.is_organiser(user.id):
        role = _("organiser")
    elif networks:
        role = _("moderator of {networks}", networks=", ".join(networks))
    else:
        role = _("participant")
    lines = [_("Mingel terminal chat, as {name} (user {id}, {role}). Type /help; a number "
               "presses a button; Ctrl-D quits.", name=user.first_name, id=user.id, role=role)]
    if clock is not None:
        fmt = ctx.fmt(assistant.config.timezone)
        start = clock.now()
        lines.append(_("The clock starts at {when} ({zone}) and runs on from there.",
                       when=fmt.at.format(date=fmt.date(start), time=fmt.time(start)),
                       zone=str(assistant.config.timezone)))
        if (trial := assistant.config.data_dir) is not None:
            lines.append(_("This chat works on a copy of the data, {copy}, so the real data "
                           "stays as it was. Delete the copy to start again from the real "
                           "data.", copy=str(trial)))
    return "\n".join(lines)


def cmd_plugins(config: Config, args: argparse.Namespace) -> int:
    """Every plugin: name, origin, hooks; a broken one with what is wrong (then 1)."""
    pm = build_plugin_manager(config.disabled_plugins, tolerant=True)
    origins = plugin_origins(pm)
    for name, plugin in pm.list_name_plugin():
        if plugin is None:
            continue
        print(f"{name:12} {origins.get(name, '?'):24} {', '.join(plugin_hooks(pm, plugin))}")
    broken = broken_plugins(pm)
    for item in broken:
        print(f"{item.name:12} {item.origin:24} BROKEN: {item.reason()}")
    blocked = sorted(config.disabled_plugins)
    if blocked:
        print(f"disabled: {', '.join(blocked)}")
    if broken:
        refuse(config, PluginsBroken(broken))
        return 1
    return 0


def translator(config: Config) -> Callable[..., str]:
    """The core's texts in the language of whoever reads this terminal (MINGEL_LOCALE, else
    the locale's), as `mingel check` and the terminal chat speak."""
    lang, catalogues = pick_language(terminal_language(os.environ), config.locale), Catalogues()
    return lambda text, **values: catalogues.gettext("assistant", lang, text, **values)


def refuse(config: Config, exc: PluginsBroken) -> None:
    """Say which plugins are broken and what to do; their tracebacks go to the debug log."""
    for item in exc.broken:
        if item.error is not None:
            log.debug("plugin %s (%s):\n%s", item.name, item.origin, item.trace())
    print(exc.render(translator(config)), file=sys.stderr)


def cmd_export(config: Config, args: argparse.Namespace) -> int:
    """Write an organiser export (e.g. attendees of a meeting) as a file, in the language of
    whoever runs it (as `mingel check` answers): a Swedish terminal gets the Swedish headings
    and the `;` a Swedish Excel splits columns at."""
    assistant = _assistant(config)
    export = assistant.exports.get(args.kind)
    if export is None:
        print(f"unknown export {args.kind!r}; available: {', '.join(sorted(assistant.exports))}",
              file=sys.stderr)
        return 2

    async def produce() -> int:
        await assistant.start()
        try:
            ctx = assistant.context(export.plugin, lang=pick_language(
                terminal_language(os.environ), config.locale))
            try:
                document = export.handler(ctx, args.arg)
            except LookupError as exc:
                print(str(exc.args[0] if exc.args else exc), file=sys.stderr)
                return 1
        finally:
            await assistant.stop()
        out = Path(args.output or document.filename)
        out.write_bytes(document.content)
        print(out)
        return 0
    return asyncio.run(produce())


def cmd_backup(config: Config, args: argparse.Namespace) -> int:
    """Copy the data directory to a new one and check that the copy opens (the bot may run)."""
    from .backup import backup
    if config.data_dir is None:
        raise ConfigError("MINGEL_DATA_DIR: no data directory to back up")
    done = backup(config.data_dir, Path(args.dest))
    print(f"{done.path}: a copy of {config.data_dir} that opens, {done.documents} documents "
          f"in {done.tables} tables")
    return 0


def build_parser(config: Config | None) -> argparse.ArgumentParser:
    """The argument parser, with plugin subcommands when plugins could be loaded."""
    parser = argparse.ArgumentParser(prog="mingel", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the Telegram bot (terminal chat without a token)")
    chat = sub.add_parser("chat", help="chat with the assistant in the terminal")
    chat.add_argument("--user", type=int, help="your user id (default 1)")
    chat.add_argument("--name", help="your first name (default: the one you chatted under "
                                     "before, else \"User N\")")
    chat.add_argument("--at", metavar="TIME",
                      help="set the clock to this moment, which runs on from there, to try "
                           "another day: '2027-09-21 08:30' (in MINGEL_TIMEZONE) or ISO 8601 "
                           "with an offset; the terminal chat only")
    chat.add_argument("--start", metavar="LINK",
                      help="open the chat from a link to the bot, as Telegram does: "
                           "https://t.me/<bot>?start=inv-… (an invitation) or just what "
                           "follows start=; no welcome before it")
    sub.add_parser("plugins", help="list loaded plugins, where they come from, their hooks")
    export = sub.add_parser("export", help="write an organiser export, e.g. attendees ID")
    kind = export.add_argument("kind", help="what to export (the plugins' exports)")
    export.add_argument("arg", help="what it is of, e.g. a meeting's id")
    export.add_argument("-o", "--output", help="file to write (default: a name it chooses)")
    saved = sub.add_parser("backup", help="copy the data directory to a new directory, also "
                                           "while the bot runs, and check that the copy opens")
    saved.add_argument("dest", metavar="DIR", help="the new directory (must not exist yet)")
    new = sub.add_parser("new-plugin", help="create a ready plugin package",
                         description="Write DIR/mingel-NAME: a plugin distribution that works "
                                     "at once (its command, catalogues, tests, README); "
                                     "docs/plugins.md is the guide.")
    new.add_argument("name", help="the plugin's one name: entry point, NAME, tables, catalogue, "
                                  "callback data (a-z, 0-9, _)")
    new.add_argument("--dir", default=".", help="where to create mingel-NAME (default: here)")
    if config is not None:
        from .hooks import Hooks
        try:  # a broken plugin is left out here: its name and remedy come with the command
            pm = build_plugin_manager(config.disabled_plugins, tolerant=True)
        except Exception as exc:  # noqa: BLE001 - reported, core commands still work
            print(f"warning: plugins could not be loaded: {exc}", file=sys.stderr)
            return parser
        hooks = Hooks(type("A", (), {"pm": pm})())  # type: ignore[arg-type]
        kind.help = "one of: " + "; ".join(
            f"{e.name} – {e.help}".replace("%", "%%")
            for e in sorted(hooks.register_exports(), key=lambda e: e.name))
        for cli in hooks.register_cli():
            p = sub.add_parser(cli.name, help=cli.help)
            cli.add_arguments(p)
            p.set_defaults(plugin_cli=cli)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `mingel` command."""
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    parser = build_parser(config)
    args = parser.parse_args(argv)
    setup_logging(config.token, logging.DEBUG if args.verbose else logging.INFO)
    if args.command in (None, "chat", "backup") or (args.command == "run" and not config.token):
        logging.getLogger().setLevel(logging.WARNING if not args.verbose else logging.DEBUG)
    commands = {"run": cmd_run, "chat": cmd_chat, "plugins": cmd_plugins, "export": cmd_export,
                "backup": cmd_backup}
    try:
        if getattr(args, "plugin_cli", None):
            return args.plugin_cli.run(args)
        if args.command == "new-plugin":
            from .scaffold import new_plugin
            return new_plugin(args.name, Path(args.dir))
        return commands.get(args.command or "run", cmd_run)(config, args)
    except ConfigError as exc:
        print(redact(f"configuration error: {exc}", config.token), file=sys.stderr)
        return 2
    except StorageError as exc:
        print(redact(f"storage error: {exc}", config.token), file=sys.stderr)
        return 3
    except StartupError as exc:
        print(redact(f"cannot start: {exc}", config.token), file=sys.stderr)
        return 1
    except PluginsBroken as exc:
        refuse(config, exc)
        return 1
    except Exception:  # logged, so redacted: Python's own traceback would print the token
        log.critical("mingel stopped on an unexpected error", exc_info=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
