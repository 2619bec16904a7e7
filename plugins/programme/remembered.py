"""The programme in use, remembered in the store, so that a restart never puts an edited
file in use unannounced: a file changed while the bot was stopped waits for /reload and
Confirm like one edited while it runs.

The table `programme_in_use` holds the fingerprint of the text in use and the text itself,
zlib-compressed (a festival's 2.5 MB of YAML is 180 kB stored), and where it came from
(`origin`: the file's absolute path, SAMPLE or UPLOAD; missing in documents written before
origins were kept). It is written at the first start and by every Confirm, in the same
commit as the notices of that change. At start-up only the fingerprints are compared; the
text is unpacked when the file differs. A bundled sample in use gives way to the configured
file at once (it is nobody's real programme); a file named by a changed MINGEL_PROGRAMME
waits for /reload like an edited one, with a message that says so. A second document
(`TOLD`) remembers the version of the differing file the organisers were told of, so that
each version is told once however many restarts follow (the outbox forgets its keys after a
month), and a version told before is told again once the file said something else meanwhile.
"""
from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant import N_, logs
from assistant.context import Context
from assistant.storage import Table
from assistant.text import escape

from . import source
from .problems import Problem, ProgrammeError, msg
from .source import Loaded

if TYPE_CHECKING:
    from assistant.core import Assistant

KEY = 1
"""The programme in use's document."""
TOLD = 2
"""The document saying which version of a differing file the organisers were told of
(`version`: the kind of message, the fingerprints of the programme in use and of the file,
and the file's origin), whom (`to`) and how many versions were told so far (`count`, in the outbox keys)."""
SAMPLE = "sample"
"""The origin of the bundled sample programme (whichever checkout it lies in)."""
SHIPPED_SAMPLES = frozenset({"8e40cc71770a9dc5"})
"""Fingerprints of the sample programme as Mingel ships it (`plugins/programme/sample.yaml`;
a release that changes it adds the new one, and a test checks the current one is here).
Only these give way to a configured file at start-up: a sample edited in place is
somebody's real programme, and its edits wait for /reload like any file's."""
UPLOAD = "upload"
"""The origin of a file sent in the chat while the bundled sample is configured, so kept
only here."""


@dataclass(frozen=True)
class Remembered:
    """The programme in use at the last commit: its fingerprint and packed text."""

    fingerprint: str
    packed: str
    origin: str | None = None
    """SAMPLE, UPLOAD or the file's absolute path; None when written without it."""

    def text(self) -> str:
        """The exact text; raises ProgrammeError when the stored copy is damaged."""
        try:
            return zlib.decompress(base64.b64decode(self.packed)).decode("utf-8")
        except (binascii.Error, zlib.error, UnicodeDecodeError) as exc:
            raise ProgrammeError([Problem("programme_in_use", 0, msg(N_(
                "the remembered programme is damaged ({error})"), error=str(exc)))]) from None


def _table(ctx: Context) -> Table:
    return ctx.table("in_use")


def origin_of(assistant: Assistant, content: str | None) -> str:
    """Where the configured programme's text comes from: SAMPLE for the bundled sample as
    shipped, else the file's absolute path (the sample's too, once edited in place)."""
    if source.is_bundled(assistant) and content is not None \
            and source.fingerprint(content) in SHIPPED_SAMPLES:
        return SAMPLE
    return str(source.path_of(assistant).resolve())


def pack(content: str, origin: str) -> dict[str, Any]:
    """The document remembering a programme text (20 ms for a festival's: off the loop)."""
    return {"fingerprint": source.fingerprint(content), "size": len(content), "origin": origin,
            "text": base64.b64encode(zlib.compress(content.encode("utf-8"))).decode("ascii")}


def recall(ctx: Context) -> Remembered | None:
    """The programme remembered in use, None before the first start of this version."""
    doc = _table(ctx).get(KEY)
    if doc is None or not isinstance(doc.get("fingerprint"), str) \
            or not isinstance(doc.get("text"), str):
        return None
    origin = doc.get("origin")
    return Remembered(doc["fingerprint"], doc["text"],
                      origin if isinstance(origin, str) else None)


def remember(ctx: Context, packed: dict[str, Any]) -> None:
    """Record a packed programme as the one in use; saved with the caller's commit. A
    warning told about the file against the programme in use before is settled with it: a
    /reload confirmed and a later edit while stopped, even to a version told before, is
    told again."""
    _table(ctx).put(KEY, packed)
    _settled(ctx)


def _known_origin(kept: Remembered) -> str | None:
    """The remembered programme's origin: the file it came from, a copy of the sample at a
    path of its own included (people answered its meetings: its edits are told, not taken
    as a first start); SAMPLE only for a shipped sample's text in use as the sample or in a
    document written without an origin; else None when unknown."""
    if kept.origin is not None and kept.origin != SAMPLE:
        return kept.origin
    return SAMPLE if kept.fingerprint in SHIPPED_SAMPLES else None


def _describe(ctx: Context, origin: str | None) -> str:
    """An origin for the start-up warning."""
    return {SAMPLE: ctx._("the bundled sample"), UPLOAD: ctx._("a file sent in the chat"),
            None: ctx._("an unknown file")}.get(origin, origin or "")


def start(ctx: Context) -> tuple[Loaded, bool]:
    """The programme to use at start-up, and whether it is not the file's: the file's, unless
    it differs from the programme in use at the last stop (and that was not the bundled
    sample); then that one stays and the organisers are told. Raises ProgrammeError when
    there is no usable programme."""
    assistant, path = ctx.assistant, source.path_of(ctx.assistant)
    kept = recall(ctx)
    content: str | None = None
    try:
        content = source.read_text(assistant)
    except ProgrammeError as exc:
        unreadable: ProgrammeError | None = exc
    else:
        unreadable = None
    origin = origin_of(assistant, content)
    if content is not None and (kept is None or source.fingerprint(content) == kept.fingerprint):
        loaded = source.parse_cached(assistant, content, str(path), later=True)
        if kept is None:
            remember(ctx, pack(content, origin))
        elif kept.origin != origin:  # the same text, now read from here
            _table(ctx).put(KEY, {**(_table(ctx).get(KEY) or {}), "origin": origin})
        _settled(ctx)
        return loaded, False
    was = _known_origin(kept) if kept else None
    if kept is None or was == SAMPLE:
        return _first_start(ctx, content, unreadable, kept), False
    try:
        loaded = source.parse_cached(assistant, kept.text(), str(path), later=True,
                                     keep=[source.fingerprint(content)] if content else [])
    except ProgrammeError as exc:
        if content is None:
            raise
        ctx.log.warning("%s", ctx._(
            "the programme in use at the last stop cannot be read again ({problems}); using "
            "{path}", problems="; ".join(p.render(ctx._) for p in exc.problems), path=path))
        loaded = source.parse_cached(assistant, content, str(path), later=True)
        remember(ctx, pack(content, origin))
        return loaded, False
    problems = (" ({})".format("; ".join(p.render(ctx._) for p in unreadable.problems))
                if unreadable else "")
    switched = was is not None and was != origin and not (was == UPLOAD and origin == SAMPLE)
    if switched:
        warning = ctx._(
            "the programme file setting changed: MINGEL_PROGRAMME is now {path}{problems}, but "
            "the programme in use at the last stop came from {was}: keeping it until an "
            "organiser confirms the new file's changes with /reload (check it with `mingel "
            "check {path}`)", path=path, problems=problems, was=_describe(ctx, was))
    else:
        warning = ctx._(
            "the programme file {path} differs from the programme in use at the last "
            "stop{problems}: keeping the programme in use until an organiser confirms the "
            "file's changes with /reload (check it with `mingel check {path}`)",
            path=path, problems=problems)
    if not assistant.organisers:
        warning += ctx._("; no organisers are configured (MINGEL_ORGANISERS), so nobody can "
                         "confirm it")
    told = _tell_organisers(ctx, path.name,
                            f"{kept.fingerprint}:{source.fingerprint(content or '')}",
                            switched, origin)
    ctx.log.warning("%s", warning, extra={logs.TOLD: told})  # in MINGEL_LOCALE, as a refused
    return loaded, True  # start is said; an organiser's terminal chat shows it once


def _first_start(ctx: Context, content: str | None, unreadable: ProgrammeError | None,
                 kept: Remembered | None) -> Loaded:
    """The file, read as at a first start (a broken one stops the bot) and remembered: when
    nothing is remembered or the bundled sample was in use, which no participant should
    keep seeing once the operator names a file of their own."""
    assistant, path = ctx.assistant, source.path_of(ctx.assistant)
    if content is None:
        assert unreadable is not None
        raise unreadable
    loaded = source.parse_cached(assistant, content, str(path), later=True)
    if kept is not None:
        ctx.log.warning("%s", ctx._(
            "the programme in use at the last stop was the bundled sample: now using {path}, "
            "as at a first start (nobody is told about the sample's meetings)", path=path))
    remember(ctx, pack(content, origin_of(assistant, content)))
    return loaded


def _settled(ctx: Context) -> None:
    """The file says the same as the programme in use again: a later edit is told, even one
    back to a version told before."""
    told = _table(ctx).get(TOLD)
    if told is not None and told.get("version") is not None:
        _table(ctx).put(TOLD, {**told, "version": None, "to": []})


def _tell_organisers(ctx: Context, name: str, versions: str, switched: bool,
                     origin: str) -> frozenset[int]:
    """Each organiser, in their language, once per programme in use and version of the file:
    a restart with the same file again tells nobody twice (remembered in `TOLD`, saved in
    the start's commit with the messages), one with another text tells everyone again.
    Returns who is told now."""

    def build(target: Context) -> None:
        if switched:
            text = target._(
                "The programme file setting changed while I was stopped: it now names {name}, "
                "not the file the programme in use came from. I'm still using the programme "
                "the participants have seen, and nobody has been told about any changes. Send "
                "/reload to see what {name} changes (or what is wrong with it) and confirm it; "
                "then everyone concerned is told.", name=name)
        else:
            text = target._(
                "The programme file {name} differs from the programme in use: it was probably "
                "changed while I was stopped. I'm still using the programme the participants "
                "have seen, and nobody has been told about the changes. Send /reload to see "
                "what the file changes (or what is wrong with it) and confirm it; then "
                "everyone concerned is told.", name=name)
        target.reply("⚠️ " + escape(text))

    kind = "file-switched" if switched else "file-changed"
    version = f"{kind}:{versions}:{origin}"
    told = dict(_table(ctx).get(TOLD) or {})
    count = told.get("count", 0)
    if told.get("version") != version:
        count, told = count + 1, {"version": version, "to": []}
    already = set(told["to"]) | {  # told before versions were kept, by the key alone
        organiser for organiser in ctx.assistant.organisers
        if ctx.assistant.outbox.has(f"{ctx.plugin}:{kind}:{versions}:{organiser}")}
    for organiser in sorted(ctx.assistant.organisers - already):
        ctx.send_to(organiser, build, key=f"{kind}:{versions}:{count}:{organiser}")
    _table(ctx).put(TOLD, {"version": version, "count": count,
                           "to": sorted(already | ctx.assistant.organisers)})
    return frozenset(ctx.assistant.organisers - already)


def forget_organiser(ctx: Context, user_id: int) -> None:
    """/forget: the warning told to this organiser is no longer remembered (the next start
    with the file still differing tells them again)."""
    told = _table(ctx).get(TOLD)
    if told is not None and user_id in told.get("to", []):
        _table(ctx).put(TOLD, {**told, "to": [u for u in told["to"] if u != user_id]})
