"""How long the programme's search index holds the event loop up at festival size: made in
one go by the first /search after a start (before the thirtieth pass), or ahead, in steps.

    python -m bench.index_ahead FESTIVAL.yaml

Prints what folding every meeting's text costs in one go (seconds, MB kept), the longest a
task waking every millisecond waited while the index was made ahead after a start (or, on a
commit without that, in the two seconds after a start), and the longest it waited during
the first /search after that (after a /search without words and a /programme, which load
the catalogues and make the lists).
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from assistant.config import Config
from assistant.core import Assistant
from assistant.types import Chat, Incoming, User
from plugins.programme import index

from .stalls import _longest_wait


def in_one_go(programme_path: Path) -> dict[str, float]:
    """Every meeting's search text folded at once, as the first /search did: ms and MB."""
    from plugins.programme.loader import load_programme

    programme = load_programme(programme_path)
    index.Index(programme).texts  # noqa: B018 - the events' own caches, as in a running bot
    began = time.perf_counter()
    index.Index(programme).texts  # noqa: B018 - what is measured
    took = time.perf_counter() - began
    tracemalloc.start()
    kept = index.Index(programme)
    kept.texts  # noqa: B018 - what is measured
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"meetings": len(programme.events), "ms": round(1000 * took, 1),
            "MB": round(size / 1e6, 1)}


async def in_a_bot(programme_path: Path) -> dict[str, dict[str, float]]:
    """The longest waits after a start, while the index is made, and in the first /search."""
    with tempfile.TemporaryDirectory() as tmp:
        config = Config.from_env({"MINGEL_DATA_DIR": tmp, "MINGEL_SEND_RATE": "0",
                                  "MINGEL_PROGRAMME": str(programme_path)})
        assistant = Assistant(config)
        await assistant.start()
        try:
            async def made() -> None:
                try:
                    from plugins.programme import ahead
                except ImportError:  # a commit before the index was made ahead
                    await asyncio.sleep(2)
                    return
                if (task := ahead.building(assistant)) is not None:
                    await task

            user = User(id=5, first_name="Sam", language_code="en")

            async def say(text: str) -> None:
                await assistant.handle(Incoming(user=user, chat=Chat(5), message_id=1,
                                                text=text))

            await say("/search")  # the catalogues loaded, which the first answer would do
            await say("/programme")  # the lists made, as the first /programme would

            async def search() -> None:
                await say("/search klimat")

            return {"made ahead after a start": await _longest_wait(made),
                    "first /search": await _longest_wait(search)}
        finally:
            await assistant.stop()


def main(argv: list[str]) -> None:
    """Measure and print."""
    path = Path(argv[0])
    print("in one go:", in_one_go(path))
    for name, figures in asyncio.run(in_a_bot(path)).items():
        print(f"{name}:", figures)


if __name__ == "__main__":
    main(sys.argv[1:])
