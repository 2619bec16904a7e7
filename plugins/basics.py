"""Greeting, help and language: the commands every user meets first."""
from __future__ import annotations

from assistant import N_, hookimpl
from assistant.context import Context
from assistant.i18n import ALIASES_LANGUAGE, LANGUAGES
from assistant.text import escape
from assistant.types import Action, Command

NAME = "basics"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}
LANGUAGE_WORDS = {"sv": "sv", "svenska": "sv", "swedish": "sv", "svensk": "sv",
                  "en": "en", "eng": "en", "english": "en", "engelska": "en", "engelsk": "en"}
"""What /language takes, lower-cased: the codes, and each language's name in both."""


async def start(ctx: Context) -> None:
    """Greet, or follow a deep link such as an invitation; one that no longer works leaves
    someone opening the bot for the first time its reason and the welcome, not the reason
    alone."""
    ctx.assistant.users.set_reachable(ctx.user.id, True)
    payload = ctx.text.strip()
    if payload and (handled := await ctx.hooks.start_payload(ctx, payload)) is not None \
            and (handled or not ctx.newcomer):
        return
    name = escape(ctx.user.first_name or ctx.user.username or "")
    lines = [ctx._("Hi {name}! I'm Mingel, the assistant for your network's meetings.", name=name),
             "",
             ctx._("I can show you the programme, take your answer to each meeting, send "
                   "calendar files and reminders, and pass your questions to the speakers."),
             "",
             ctx._("Start with /programme, or send /help to see everything I can do."),
             ctx._("Svenska eller English? Send /language to switch.")]
    ctx.reply("\n".join(lines))


async def show_help(ctx: Context) -> None:
    """List the commands this user may use, from what the plugins declare; in Swedish each
    led by its Swedish name ("/hjälp, /help – …"), the one a Swedish user remembers."""
    title = ctx._("What I can do")
    lines = [f"<b>{escape(title)}</b>", ""]
    for cmd in ctx.assistant.visible_commands(ctx.user.id):
        helptext = ctx.assistant.catalogues.gettext(cmd.plugin, ctx.lang, cmd.help)
        args = ctx.assistant.catalogues.gettext(cmd.plugin, ctx.lang, cmd.args) if cmd.args else ""
        usage = f"/{cmd.name}" + (f" {escape(args)}" if args else "")
        if cmd.aliases and ctx.lang == ALIASES_LANGUAGE:
            usage = f"/{cmd.aliases[0]}, {usage}"
        lines.append(f"{usage} – {escape(helptext)}")
    extra = ctx.hooks.help_sections(ctx)
    if extra:
        lines += ["", *extra]
    ctx.reply("\n".join(lines))


async def language(ctx: Context) -> None:
    """Offer the languages as buttons (the current one ticked), or switch directly with
    /language sv, svenska or English, as people type them; say which there are otherwise."""
    wanted = ctx.text.strip()
    lang = LANGUAGE_WORDS.get(wanted.casefold().replace("_", "-").split("-")[0]) \
        if wanted else None
    if lang is not None:
        await _switch(ctx, lang)
        return
    buttons = [[ctx.button(("✓ " if lang == ctx.lang else "") + LANGUAGE_NAMES[lang], "lang",
                           lang) for lang in LANGUAGES]]
    lines = [ctx._("Choose your language:")]
    if wanted:
        lines.insert(0, ctx._("I don't know the language “{language}”: I speak Swedish and "
                              "English.", language=escape(wanted[:40])))
    ctx.reply("\n".join(lines), buttons)


async def choose_language(ctx: Context) -> None:
    """The language button."""
    lang = ctx.args[0] if ctx.args else ""
    if lang not in LANGUAGES:
        ctx.toast(ctx._("This button no longer works."))
        return
    await _switch(ctx, lang)


async def _switch(ctx: Context, lang: str) -> None:
    ctx.assistant.users.set_language(ctx.user.id, lang)
    ctx.lang = lang
    ctx.edit(ctx._("I'll speak English with you from now on."))


@hookimpl
def register_commands() -> list[Command]:
    """Declare the basic commands."""
    return [
        Command("start", start, N_("Start and see what I can do"), aliases=("starta",),
                menu=False),
        Command("help", show_help, N_("List the commands you can use"),
                aliases=("hjälp", "hjalp")),
        Command("language", language, N_("Switch between Swedish and English"),
                aliases=("språk", "sprak"), args=N_("sv|en")),
    ]


@hookimpl
def register_actions() -> list[Action]:
    """Declare the language buttons."""
    return [Action("lang", choose_language, arity=(1, 1))]
