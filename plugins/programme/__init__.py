"""The programme: organisers' YAML file in, meetings, cards, networks and follows out.

Reads MINGEL_PROGRAMME at the first start (refusing to start when it is broken), later
keeps the programme last confirmed until a changed file is confirmed, and provides it
through the `programme` hook; participants browse it with /programme, /next, /event,
/search and /networks; organisers change it with /reload or by sending a new file, see
what changes and confirm. docs/programme.md describes the file and the chat.

Modules: source (the programme in use), remembered (the programme in use across restarts),
render (shared texts), cards (a meeting's card), listing (/programme, /next), search
(/search), days (days as people write them), index (lists and search texts per programme
version), ahead (the index made when a programme is put in use), follows (/networks and
follows), changes (what a new programme changes), reload (/reload, uploads, confirm), news
(followers told of new meetings), freetext (free text: "when is the next meeting?"), check
(`mingel check`); loader (with moments and people), yamlnodes and diff read and compare
programme files, problems and yamlsyntax say what is wrong with one.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from assistant import N_, hookimpl, pickday
from assistant.context import Context
from assistant.model import Event, Programme
from assistant.plugins import StartupError
from assistant.text import counted, escape
from assistant.types import Action, Button, CliCommand, Command, Notice

from . import (
    ahead,
    cards,
    check,
    extra,
    follows,
    freetext,
    listing,
    news,
    reload,
    remembered,
    search,
    source,
)
from .problems import ProgrammeError

if TYPE_CHECKING:
    from assistant.core import Assistant

NAME = "programme"


@hookimpl
def register_commands() -> list[Command]:
    """Declare the programme's commands."""
    return [
        Command("programme", listing.show_programme,
                N_("Upcoming meetings; add a day (wednesday, tomorrow, 30/6), a month "
                   "(september), a network, or “all” for the whole season"),
                aliases=("program",), args=N_("[DAY | MONTH | NETWORK | all]")),
        Command("next", listing.show_next, N_("Your next meeting"), aliases=("nästa", "nasta")),
        Command("event", cards.show_event, N_("One meeting in detail"), args=N_("[ID]"), menu=False,
                aliases=("träff", "traff")),
        Command("networks", follows.show_networks, N_("See the networks and follow them"),
                aliases=("nätverk", "natverk")),
        Command("follow", follows.follow_network, N_("Follow a network"), args=N_("NETWORK"),
                menu=False, aliases=("följ", "folj")),
        Command("unfollow", follows.unfollow_network, N_("Stop following a network"),
                args=N_("[NETWORK]"), menu=False, aliases=("avfölj", "avfolj")),
        Command("search", search.search, N_("Find meetings by topic, speaker or network; add a day to narrow"),
                args=N_("WORDS"), aliases=("sök", "sok")),
        Command("reload", reload.reload_programme,
                N_("Re-read the programme file and show what changes"), role="organiser",
                aliases=("läsom", "lasom")),
    ]


@hookimpl
def register_actions() -> list[Action]:
    """Declare the buttons: meeting cards, follows, confirming a new programme."""
    return [
        Action("card", cards.open_card, arity=(1, 1)),
        Action("pick", cards.press_pick, arity=(1, 2)),
        Action("page", listing.press_page, arity=(2, 3)),
        Action("found", search.press_page, arity=(2, 2)),
        Action("follow", follows.press_follow, arity=(1, 1)),
        Action("unfollow", follows.press_unfollow, arity=(1, 2)),
        Action("confirm", reload.confirm, role="organiser", arity=(1, 1)),
        Action("cancel", reload.cancel, role="organiser", arity=(1, 1)),
    ]


@hookimpl
def register_cli() -> list[CliCommand]:
    """`mingel check FILE`."""
    return [check.COMMAND]


@hookimpl(tryfirst=True)
async def startup(ctx: Context) -> None:
    """Load the programme before other plugins start: the one in use at the last stop (a
    file edited meanwhile waits for /reload), or the file at the first start, when a
    broken file stops the bot, as does a field a plugin cannot add to meetings."""
    try:
        extra.declared(ctx.assistant)
    except extra.FieldError as exc:
        raise StartupError(ctx._(exc.text, **exc.values)) from None
    try:
        loaded, kept = remembered.start(ctx)
    except ProgrammeError as exc:
        message = "\n".join([ctx._("The programme file has problems, so Mingel will not "
                                   "start. Fix them (check with `mingel check FILE`) and "
                                   "start again:"), *(p.render(ctx._) for p in exc.problems)])
        raise source.BrokenProgramme(message) from None  # `mingel` prints it, once
    source.install(ctx.assistant, loaded)
    ahead.start(ctx)
    programme = loaded.programme
    ctx.log.info("programme %s: %s, %s",
                 "in use at the last stop" if kept else programme.source,
                 counted(len(programme.events), "event"),
                 counted(len(programme.networks), "network"))


@hookimpl
async def shutdown(ctx: Context) -> None:
    """Stop making the programme's index ahead, if it is not made yet, and write the
    programme's cache file if that was left for later, so the next start is quick."""
    await ahead.stop(ctx.assistant)
    if (in_use := source.current(ctx.assistant)) is not None:
        source.save_later(ctx.assistant, in_use.programme)


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Tell the followers of networks of the new meetings a confirmed change added."""
    await news.send_due(ctx, now)


@hookimpl
def programme(assistant: Assistant) -> Programme | None:
    """The programme in use."""
    loaded = source.current(assistant)
    return loaded.programme if loaded else None


@hookimpl
def event_card(ctx: Context, event: Event) -> tuple[str, list[list[Button]]]:
    """A meeting's card for this user."""
    return cards.event_card(ctx, event)


@hookimpl
def audit_text(ctx: Context, action: str, values: dict[str, Any]) -> str | None:
    """The programme's entries in /audit, in the reader's language."""
    return reload.audit_text(ctx, action, values)


@hookimpl
def send_card(ctx: Context, event: Event) -> bool:
    """The card and the map pin, as /event sends them, for other plugins (an invitation)."""
    cards.send_card(ctx, event)
    return True


@hookimpl
def event_visible(ctx: Context, event: Event) -> bool | None:
    """Hide invite-only meetings from non-organisers when no invitations plugin decides;
    whoever answered before the meeting became invite-only keeps it."""
    if event.invite_only and ctx.assistant.pm.get_plugin("invitations") is None \
            and not ctx.may("organiser") \
            and (ctx.user is None or ctx.hooks.attendance(ctx, event, ctx.user.id) is None):
        return False
    return None


@hookimpl
def named_day(ctx: Context, text: str) -> date | pickday.NoSuchDay | None:
    """A day where a command expects a meeting id (`/osa 2 sep`), as /programme DAY reads it."""
    return listing.named_day(ctx, text)


@hookimpl
def followers(ctx: Context, network: str) -> list[int]:
    """Who follows a network."""
    return follows.followers(ctx, network)


@hookimpl
async def document_received(ctx: Context) -> bool | None:
    """An organiser's new programme file."""
    return await reload.receive_document(ctx)


@hookimpl(trylast=True)
async def text_received(ctx: Context) -> bool:
    """Free text nobody else took: "when is the next meeting?" as /next, "the programme?"
    as /programme, anything else a pointer to both; last, so any other plugin goes first."""
    return await freetext.answer(ctx)


@hookimpl
def help_sections(ctx: Context) -> list[str]:
    """How to find meetings, and for organisers how to change the programme."""
    sections = [escape(ctx._("Tip: follow your networks in /networks; then /next shows your "
                             "next meeting. /search finds meetings by topic or speaker."))]
    if ctx.may("organiser"):
        sections.append(escape(ctx._("Organisers: send me the programme file (.yaml) or edit "
                                     "it and send /reload; I show what changes before it is "
                                     "published.")))
    return sections


@hookimpl
def privacy_notice(ctx: Context) -> list[str | Notice]:
    """What the programme plugin keeps about a user."""
    return follows.privacy_notice(ctx)


@hookimpl
def user_data(ctx: Context, user_id: int) -> dict[str, Any] | None:
    """The user's follows and kept searches, and an organiser's change waiting for
    confirmation."""
    data = {**(follows.user_data(ctx, user_id) or {}),
            **(search.user_data(ctx, user_id) or {}),
            **({"pending_change": pending} if (pending := reload.user_data(ctx, user_id))
               else {})}
    return data or None


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user's follows, kept searches, waiting change and that a start-up warning
    reached them."""
    follows.forget_user(ctx, user_id)
    search.forget_user(ctx, user_id)
    reload.forget_user(ctx, user_id)
    remembered.forget_organiser(ctx, user_id)
