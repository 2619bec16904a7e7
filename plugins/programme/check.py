"""`mingel check FILE…`: validate programme files before publishing them.

Prints every problem as "file:line: message" (with "did you mean …?" for misspelt names)
and exits with status 1, or prints a one-line summary per file and exits with 0.
"""
from __future__ import annotations

import argparse
import os
from typing import Any

from assistant.types import CliCommand

from .loader import load_programme
from .yamlnodes import ProgrammeError


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def add_arguments(parser: Any) -> None:
    """The files to check."""
    parser.add_argument("files", nargs="+", metavar="FILE", help="programme files (YAML)")


def run(args: argparse.Namespace | Any) -> int:
    """Check each file; 1 when any has problems."""
    zone = os.environ.get("MINGEL_TIMEZONE", "Europe/Stockholm")
    status = 0
    for path in args.files:
        try:
            programme = load_programme(path, zone)
        except ProgrammeError as exc:
            print("\n".join(str(p) for p in exc.problems))
            print(f"{path}: {_plural(len(exc.problems), 'problem')}")
            status = 1
            continue
        print(f"{path}: ok – {_plural(len(programme.events), 'event')}, "
              f"{_plural(len(programme.networks), 'network')}")
    return status


COMMAND = CliCommand("check", "check programme files (YAML) and list every problem",
                     add_arguments, run)
