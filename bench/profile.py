"""Summarise a py-spy raw (collapsed stacks) profile: where the bot's time goes.

    python -m bench.profile FILE [--top 30] [--match TEXT]

Prints the functions with the most samples on the stack (inclusive) and at the top of
the stack (self), as percentages of all samples, so hot spots can be compared between
runs. `--match` keeps only stacks that contain TEXT.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE = re.compile(r"^(.*) (\d+)$")


def load(path: Path, match: str | None = None) -> tuple[Counter[str], Counter[str], int]:
    """(inclusive, self, total) sample counts per frame name without its line number."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        found = _LINE.match(line)
        if not found or (match and match not in found.group(1)):
            continue
        count = int(found.group(2))
        frames = [re.sub(r":\d+\)$", ")", f) for f in found.group(1).split(";")]
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    return inclusive, own, total


def main(argv: list[str] | None = None) -> int:
    """Print the summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match")
    args = parser.parse_args(argv)
    inclusive, own, total = load(args.file, args.match)
    for title, counter in (("inclusive", inclusive), ("self", own)):
        print(f"--- {title} ({total} samples)")
        for frame, count in counter.most_common(args.top):
            print(f"{100 * count / max(total, 1):5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
