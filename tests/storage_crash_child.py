"""Helper for the kill -9 test: commit forever, printing "ack <n>" once commit n is durable.

Usage: python tests/storage_crash_child.py DATA_DIR COMPACT_BYTES
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.storage import Store


async def run(directory: str, compact_bytes: int) -> None:
    """Insert, update and delete in a loop so every kind of record is in flight when killed."""
    store = Store(directory, compact_bytes=compact_bytes)
    store.open()
    items = store.table("crash_items", indexes=("n",))
    state = store.table("crash_state")
    scratch = store.table("crash_scratch")
    n = (state.get(1) or {}).get("last", 0)
    while True:
        n += 1
        doc_id = items.insert({"n": n, "pad": "x" * 40})
        state.put(1, {"last": n})
        if n % 3 == 0:
            items.update(doc_id, {"touched": n, "list": [n, {"deep": n}]})
        scratch.put(n % 5 + 1, {"n": n})
        if n % 4 == 0:
            scratch.remove((n + 2) % 5 + 1)
        if n % 5 == 0:
            store.commit_sync()
        else:
            await store.commit()
        print(f"ack {n}", flush=True)


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1], int(sys.argv[2])))
