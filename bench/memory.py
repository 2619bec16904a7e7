"""RSS once every meeting has been asked for: over a festival day each meeting's card, tally,
group of answers and calendar file is made in both languages and kept (every such cache is
bounded, and sized to hold a festival), while the load runs' 90 s see mostly the popular ones.

    python -m bench --only memory        # or: python -m bench.memory DATA PROGRAMME

In a process of its own, on a copy of the festival's data, no Telegram: start (and wait for
the indexes to be built), then for each meeting and language a participant opens its card
and taps an answer. RSS after the start and after every meeting was seen.
"""
from __future__ import annotations

import asyncio
import gc
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from assistant.config import Config
from assistant.core import Assistant
from assistant.types import Chat, Incoming, User

from .festival import SETTINGS, USER_BASE

LANGUAGES = ("sv", "en")
SETTLE = 4.0
"""Seconds after the start for the background index build (`Table.warm`) to finish."""


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines()
                    if line.startswith("VmRSS")).split()[1]) / 1024


async def _tour(data: Path, programme: Path) -> dict[str, Any]:
    assistant = Assistant(Config.from_env({"MINGEL_DATA_DIR": str(data),
                                           "MINGEL_PROGRAMME": str(programme),
                                           "MINGEL_SEND_RATE": "0", **SETTINGS}))
    await assistant.start()
    await asyncio.sleep(SETTLE)
    gc.collect()
    started = _rss_mb()
    events = assistant.hooks.programme().events
    updates = 0
    for n, (lang, event) in enumerate((lang, e) for lang in LANGUAGES for e in events):
        user_id = USER_BASE + n
        user = User(id=user_id, first_name=f"Deltagare{n}", language_code=lang)
        replies, _ = await assistant.handle(Incoming(user=user, chat=Chat(user_id),
                                                     message_id=n, text=f"/event {event.id}"))
        taps = [b.data for r in replies for row in r.buttons for b in row
                if b.data and b.data.startswith(f"rsvp:a:{event.id}:")]
        updates += 1
        if taps:
            await assistant.handle(Incoming(user=user, chat=Chat(user_id), message_id=n,
                                            callback_data=taps[0], callback_id="q"))
            updates += 1
    gc.collect()
    seen = _rss_mb()
    await assistant.stop()
    return {"meetings": len(events), "updates": updates, "rss_started_mb": round(started, 1),
            "rss_all_seen_mb": round(seen, 1), "growth_mb": round(seen - started, 1)}


def run(data: Path, programme: Path) -> dict[str, Any]:
    """The tour in a fresh process (so that its RSS is the bot's alone) on a copy of `data`."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data, copy, ignore=shutil.ignore_patterns("mingel.lock"))
        done = subprocess.run([sys.executable, "-m", "bench.memory", str(copy), str(programme)],
                              capture_output=True, text=True, check=True,
                              cwd=Path(__file__).resolve().parents[1])
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_tour(Path(sys.argv[1]), Path(sys.argv[2])))))
