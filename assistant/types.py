"""The core's own small types: what crosses the boundary between plugins and transports.

Plugins never see python-telegram-bot objects; the Telegram adapter, the terminal chat
and the test harness all translate to and from these.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from .text import typed

if TYPE_CHECKING:
    from .context import Context

Role = Literal["everyone", "moderator", "organiser"]


@dataclass(frozen=True)
class User:
    """A person talking to the assistant."""

    id: int
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        """The name to show to organisers."""
        return " ".join(p for p in (self.first_name, self.last_name) if p) or str(self.id)


@dataclass(frozen=True)
class Chat:
    """Where a conversation happens; private chats have the user's id."""

    id: int
    type: str = "private"


@dataclass(frozen=True)
class Button:
    """An inline button: either callback data for a plugin action, or a URL."""

    text: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Document:
    """A file sent or received (calendar files, CSV exports, programme uploads)."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"
    caption: str | None = None


@dataclass(frozen=True)
class Venue:
    """A place on the map, shown natively where the transport can."""

    title: str
    address: str
    latitude: float
    longitude: float


@dataclass
class Reply:
    """One message from the assistant. `text` is Telegram HTML: escape user text."""

    text: str = ""
    buttons: list[list[Button]] = field(default_factory=list)
    document: Document | None = None
    venue: Venue | None = None
    edit: bool = False


@dataclass(frozen=True)
class Incoming:
    """One update from a user: a text, a button press or a document."""

    user: User
    chat: Chat
    text: str | None = None
    callback_data: str | None = None
    callback_id: str | None = None
    message_id: int | None = None
    document: Document | None = None
    html: str | None = None
    """The text as Telegram HTML when the user formatted it (bold, links…) in their app."""

    def __post_init__(self) -> None:
        """The text, its HTML and the sender's names without control characters or direction
        overrides (`text.typed`), whichever transport made it: no plugin stores or echoes
        them (a name is shown to organisers and in lists)."""
        for name in ("text", "html"):
            if (value := getattr(self, name)) and (clean := typed(value)) != value:
                object.__setattr__(self, name, clean)
        user = self.user
        names = (user.first_name, user.last_name, user.username)
        if (clean_names := tuple(typed(n) if n else n for n in names)) != names:
            first, last, username = clean_names
            object.__setattr__(self, "user", replace(user, first_name=first or "",
                                                     last_name=last, username=username))


Handler = Callable[["Context"], Awaitable[None] | None]


@dataclass(frozen=True)
class Command:
    """A slash command a plugin declares; `help` and `args` (what to type after it, in
    /help) are marked with N_ and translated on display; `aliases` are its Swedish names,
    the word first ("nästa") and its ASCII spelling, which Telegram makes clickable ("nasta")."""

    name: str
    handler: Handler
    help: str
    role: Role = "everyone"
    aliases: tuple[str, ...] = ()
    args: str = ""
    menu: bool = True
    plugin: str = ""


@dataclass(frozen=True)
class Action:
    """A button or awaited-text handler, addressed as `<plugin>:<name>:<args…>`; `arity`
    (least, most) the arguments its buttons carry: a button with more or fewer is refused
    before the handler runs; `typed`, an awaited message's handler only (`ctx.expect_text`),
    which no button carries: a press is refused."""

    name: str
    handler: Handler
    role: Role = "everyone"
    plugin: str = ""
    arity: tuple[int, int] | None = None
    typed: bool = False


@dataclass(frozen=True)
class Notice:
    """A paragraph of /privacy (`privacy_notice`) that concerns one role only: shown to those
    `Roles.may` lets have it (organisers see every one), so a participant reads what is theirs."""

    text: str
    role: Role = "everyone"


@dataclass(frozen=True)
class Setting:
    """An environment variable a plugin reads, parsed and checked at start-up."""

    env: str
    parse: Callable[[str], object]
    default: str | None
    help: str = ""


FieldKind = Literal["bool", "count", "string", "text"]
FIELD_KINDS: tuple[FieldKind, ...] = ("bool", "count", "string", "text")


@dataclass(frozen=True)
class EventField:
    """A field a plugin adds to the meetings of the programme file (`lunch: true`), read and
    checked with the others: `kind` is "bool" (true/false), "count" (a positive whole
    number), "string" or "text" (one text, or one per language); `help` (N_) names it in
    the organisers' change preview. Named `<plugin>` or `<plugin>_<what>`."""

    name: str
    kind: FieldKind
    help: str = ""
    plugin: str = ""


@dataclass(frozen=True)
class Export:
    """A CSV (or other file) a plugin can produce for organisers: `/…` in chat, `mingel export`."""

    name: str
    handler: Callable[[Context, str], Document]
    help: str
    role: Role = "organiser"
    plugin: str = ""


@dataclass(frozen=True)
class CliCommand:
    """A `mingel <name>` subcommand a plugin adds; `run` returns the exit status."""

    name: str
    help: str
    add_arguments: Callable[[object], None]
    run: Callable[[object], int]
