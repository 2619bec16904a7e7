"""The programme in use: read from MINGEL_PROGRAMME, replaced only by a checked candidate.

Each Assistant has its own current programme (tests run several side by side), kept
together with a fingerprint of the text it was read from, so that a change shown to an
organiser can be compared with what is in use when they confirm it.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary, ref

from assistant import model
from assistant.config import SAMPLE_PROGRAMME
from assistant.model import Programme
from assistant.plugins import StartupError

from . import extra, loader, moments, people, yamlnodes
from .loader import parse_programme
from .problems import ProgrammeError

if TYPE_CHECKING:
    from assistant.core import Assistant

log = logging.getLogger("assistant.plugins.programme")
YAML_SUFFIXES = (".yaml", ".yml")
CACHE_FILES = "programme-{fingerprint}.cache"
"""Checked programmes pickled in the data directory, one file per text (parse_cached)."""


class BrokenProgramme(StartupError):
    """The programme file is broken at start-up: Mingel must not run without a programme."""


@dataclass(frozen=True)
class Loaded:
    """A valid programme and the exact text it was read from."""

    programme: Programme
    content: str

    @property
    def fingerprint(self) -> str:
        """Short hash of the text, to notice that the programme changed in between."""
        return fingerprint(self.content)


@dataclass(frozen=True)
class InUse:
    """The programme in use and its text's fingerprint: the text itself is not kept (a
    festival's is 5 MB in memory), since only a new one is compared, shown and written."""

    programme: Programme
    fingerprint: str


_current: WeakKeyDictionary[Assistant, InUse] = WeakKeyDictionary()
_unsaved: WeakKeyDictionary[Assistant, tuple[Programme, Callable[[], None]]] = \
    WeakKeyDictionary()
"""The cache file of a programme parsed at start-up, not written yet (parse_cached)."""
_latest: list[tuple[ref[Assistant], InUse]] = []
"""The last assistant asked about and its programme: every card and list asks a few times,
and there is one assistant in a process but for tests."""


def fingerprint(content: str) -> str:
    """Short hash of a programme text."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


def path_of(assistant: Assistant) -> Path:
    """The file organisers keep the programme in (MINGEL_PROGRAMME)."""
    return Path(assistant.config.programme)


def is_bundled(assistant: Assistant) -> bool:
    """Whether the bundled sample is in use, which an upload must never overwrite."""
    return path_of(assistant).resolve() == SAMPLE_PROGRAMME.resolve()


def decode(content: bytes, source: str) -> str:
    """The text of an uploaded or stored file; raises ProgrammeError when it is not UTF-8."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProgrammeError([loader.not_utf8(source)]) from None


def parse(assistant: Assistant, content: str, source: str) -> Loaded:
    """Check a programme text with the app's default time zone; raises ProgrammeError."""
    return Loaded(parse_programme(content, source, assistant.config.timezone.key,
                                  extra.kinds(assistant)), content)


def read_text(assistant: Assistant) -> str:
    """The programme file's text; raises ProgrammeError when it cannot be read."""
    path = path_of(assistant)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ProgrammeError([loader.unreadable(str(path), exc)]) from None
    return decode(content, str(path))


def read(assistant: Assistant) -> Loaded:
    """Read and check the programme file; raises ProgrammeError listing every problem."""
    return parse_cached(assistant, read_text(assistant), str(path_of(assistant)))


def _cache_key(assistant: Assistant, content: str, source: str) -> str:
    """Changes with the text, its name, the default zone, the plugins' fields and the code
    that builds programmes."""
    digest = hashlib.sha256()
    fields = repr(sorted(extra.kinds(assistant).items()))
    for part in (content, source, assistant.config.timezone.key, fields):
        digest.update(part.encode("utf-8") + b"\0")
    for module in (model, loader, moments, people, yamlnodes):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def parse_cached(assistant: Assistant, content: str, source: str,
                 keep: Iterable[str] = (), later: bool = False) -> Loaded:
    """parse(), remembered in the data directory: a festival's 4,000 meetings take a second
    to parse and a sixth of a second to load (docs/benchmarks.md). Only valid programmes
    are remembered; anything unreadable or stale is parsed again. One file per text, so that
    the programme in use and a different file (waiting for /reload) are both quick to read;
    each call deletes the others but the programme in use's and those in `keep` (a glob).
    `later` (at start-up) leaves the writing to `save_later`: pickling a festival's
    programme takes a tenth of a second, which only the next start needs."""
    directory = getattr(assistant.store, "directory", None)
    if directory is None:
        return parse(assistant, content, source)
    name = fingerprint(content)
    cache, key = Path(directory) / CACHE_FILES.format(fingerprint=name), \
        _cache_key(assistant, content, source)
    in_use = current(assistant)
    _prune(Path(directory), {name, *keep, *([in_use.fingerprint] if in_use else [])})
    with contextlib.suppress(Exception):
        stored, programme = pickle.loads(cache.read_bytes())
        if stored == key and isinstance(programme, Programme):
            return Loaded(programme, content)
    loaded = parse(assistant, content, source)
    save = partial(_save, cache, key, loaded.programme)
    if later:
        _unsaved[assistant] = (loaded.programme, save)
    else:
        save()
    return loaded


def save_later(assistant: Assistant, programme: Programme) -> None:
    """Write the cache file that start-up left for later, if it is `programme`'s: once the
    programme's index is made (on a worker thread), or at shutdown."""
    unsaved = _unsaved.get(assistant)
    if unsaved is not None and unsaved[0] is programme and \
            _unsaved.pop(assistant, None) is unsaved:  # the other thread's, if it came first
        unsaved[1]()


def _save(cache: Path, key: str, programme: Programme) -> None:
    tmp = cache.with_name(f"{cache.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_bytes(pickle.dumps((key, programme), pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, cache)
    except Exception as exc:  # the cache only saves time; a part-file must not stay behind
        if not isinstance(exc, OSError):
            log.exception("the programme's cache file %s could not be written", cache.name)
        with contextlib.suppress(OSError):
            tmp.unlink()


def _prune(directory: Path, wanted: set[str]) -> None:
    """Delete the cached programmes no longer needed (and the single `programme.cache` of
    earlier versions): a festival's is 2.6 MB."""
    keep = {CACHE_FILES.format(fingerprint=name) for name in wanted}
    ours = re.compile(rf".*\.cache\.{os.getpid()}\.\d+\.tmp")  # being written on a thread
    for path in [*directory.glob("programme*.cache"), *directory.glob("programme*.cache.*.tmp")]:
        if path.name not in keep and not ours.fullmatch(path.name):
            with contextlib.suppress(OSError):
                path.unlink()


def current(assistant: Assistant) -> InUse | None:
    """The programme in use, None before start-up."""
    if _latest and _latest[0][0]() is assistant:
        return _latest[0][1]
    loaded = _current.get(assistant)
    if loaded is not None:
        _latest[:] = [(ref(assistant), loaded)]
    return loaded


def install(assistant: Assistant, loaded: Loaded) -> None:
    """Put a checked programme in use (a programme no longer in use needs no cache file)."""
    if (unsaved := _unsaved.get(assistant)) is not None and unsaved[0] is not loaded.programme:
        _unsaved.pop(assistant, None)
    in_use = _current[assistant] = InUse(loaded.programme, loaded.fingerprint)
    _latest[:] = [(ref(assistant), in_use)]


def put_back(assistant: Assistant, in_use: InUse) -> None:
    """Put the programme that was in use back, when the change to another could not be
    saved (memory must not show what the store took back)."""
    _current[assistant] = in_use
    _latest[:] = [(ref(assistant), in_use)]


def same(old: Programme, new: Programme) -> bool:
    """Whether two programmes say the same thing, wherever they were read from."""
    return replace(new, source=old.source) == old


def write_atomically(path: Path, content: str) -> None:
    """Replace the file in one step (temp file + rename), keeping the old one as <name>.bak."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
