"""The programme in use, remembered in the store, so that a restart never puts an edited
file in use unannounced: a file changed while the bot was stopped waits for /reload and
Confirm like one edited while it runs.

The table `programme_in_use` holds one document: the fingerprint of the text in use and the
text itself, zlib-compressed (a festival's 2.5 MB of YAML is 180 kB stored). It is written
at the first start and by every Confirm, in the same commit as the notices of that change.
At start-up only the fingerprints are compared; the text is unpacked when the file differs.
"""
from __future__ import annotations

import base64
import binascii
import zlib
from dataclasses import dataclass
from typing import Any

from assistant.context import Context
from assistant.storage import Table
from assistant.text import escape

from . import source
from .source import Loaded
from .yamlnodes import Problem, ProgrammeError

KEY = 1
"""The one document's id."""


@dataclass(frozen=True)
class Remembered:
    """The programme in use at the last commit: its fingerprint and packed text."""

    fingerprint: str
    packed: str

    def text(self) -> str:
        """The exact text; raises ProgrammeError when the stored copy is damaged."""
        try:
            return zlib.decompress(base64.b64decode(self.packed)).decode("utf-8")
        except (binascii.Error, zlib.error, UnicodeDecodeError) as exc:
            raise ProgrammeError([Problem("programme_in_use", 0,
                                          f"the remembered programme is damaged: {exc}")]
                                 ) from None


def _table(ctx: Context) -> Table:
    return ctx.table("in_use")


def pack(content: str) -> dict[str, Any]:
    """The document remembering a programme text (20 ms for a festival's: off the loop)."""
    return {"fingerprint": source.fingerprint(content), "size": len(content),
            "text": base64.b64encode(zlib.compress(content.encode("utf-8"))).decode("ascii")}


def recall(ctx: Context) -> Remembered | None:
    """The programme remembered in use, None before the first start of this version."""
    doc = _table(ctx).get(KEY)
    if doc is None or not isinstance(doc.get("fingerprint"), str) \
            or not isinstance(doc.get("text"), str):
        return None
    return Remembered(doc["fingerprint"], doc["text"])


def remember(ctx: Context, packed: dict[str, Any]) -> None:
    """Record a packed programme as the one in use; saved with the caller's commit."""
    _table(ctx).put(KEY, packed)


def start(ctx: Context) -> Loaded:
    """The programme to use at start-up: the file's, unless it differs from the programme in
    use at the last stop; then that one stays and the organisers are told. Raises
    ProgrammeError when there is no usable programme."""
    assistant, path = ctx.assistant, source.path_of(ctx.assistant)
    kept = recall(ctx)
    unreadable = ""
    try:
        content: str | None = source.read_text(assistant)
    except ProgrammeError as exc:
        if kept is None:
            raise
        content, unreadable = None, f" ({'; '.join(str(p) for p in exc.problems)})"
    if content is not None and (kept is None or source.fingerprint(content) == kept.fingerprint):
        loaded = source.parse_cached(assistant, content, str(path))
        if kept is None:
            remember(ctx, pack(content))
        return loaded
    assert kept is not None  # an unreadable file without a remembered programme raised
    try:
        loaded = source.parse_cached(assistant, kept.text(), str(path))
    except ProgrammeError as exc:
        if content is None:
            raise
        ctx.log.warning("the programme in use at the last stop cannot be read again (%s); "
                        "using %s", "; ".join(str(p) for p in exc.problems), path)
        loaded = source.parse_cached(assistant, content, str(path))
        remember(ctx, pack(content))
        return loaded
    ctx.log.warning("the programme file %s differs from the programme in use at the last "
                    "stop%s: keeping the programme in use until an organiser confirms the "
                    "file's changes with /reload (check it with `mingel check %s`)",
                    path, unreadable, path)
    _tell_organisers(ctx, path.name, f"{kept.fingerprint}:{source.fingerprint(content or '')}")
    return loaded


def _tell_organisers(ctx: Context, name: str, versions: str) -> None:
    """Each organiser, in their language, once per programme in use and version of the file
    (a restart with the same file again tells nobody twice)."""

    def build(target: Context) -> None:
        target.reply("⚠️ " + escape(target._(
            "The programme file {name} differs from the programme in use: it was probably "
            "changed while I was stopped. I'm still using the programme the participants have seen, "
            "and nobody has been told about the changes. Send /reload to see what the file "
            "changes (or what is wrong with it) and confirm it; then everyone concerned is "
            "told.", name=name)))

    for organiser in sorted(ctx.assistant.organisers):
        ctx.send_to(organiser, build, key=f"file-changed:{versions}:{organiser}")
