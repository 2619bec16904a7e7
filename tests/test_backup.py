"""`mingel backup`: a copy taken while the bot writes and compacts holds everything saved before
it, opens, and is refused over an existing directory or from damaged data; a restored copy
starts the bot with the answers it had."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.backup import BackupFailed, backup
from assistant.storage import Store

ROOT = Path(__file__).resolve().parent.parent


def writer(directory: Path, saved: list[int], stop: threading.Event) -> None:
    """Save a document a commit with a tiny compaction threshold, as a busy bot."""
    with Store(directory, fsync=False, compact_bytes=3_000) as store:
        table = store.table("counter")
        n = 0
        while not stop.is_set():
            n += 1
            table.put(n, {"n": n, "pad": "x" * 100})  # each commit's own document
            store.commit_sync()
            saved.append(n)


def test_a_backup_taken_while_the_store_writes_and_compacts_holds_all_saved_before(
        tmp_path, monkeypatch) -> None:
    data, saved, stop = tmp_path / "data", [0], threading.Event()
    copy_file = shutil.copyfile

    def slow_copy(source: Path, target: Path) -> None:
        """Copy, then leave the writer time for commits and compactions before the next file."""
        copy_file(source, target)
        stop.wait(0.02)
    monkeypatch.setattr("assistant.backup.shutil.copyfile", slow_copy)
    thread = threading.Thread(target=writer, args=(data, saved, stop), daemon=True)
    thread.start()
    try:
        while saved[-1] < 200:
            stop.wait(0.01)
        for i in range(25):
            before = saved[-1]
            done = backup(data, tmp_path / f"backup-{i}")
            assert sorted(p.name for p in done.path.iterdir()) == [
                "mingel.cache", "mingel.journal", "mingel.json"]
            with Store(done.path) as copy:
                ids = set(copy.table("counter").ids())
            assert ids >= set(range(1, before + 1))
    finally:
        stop.set()
        thread.join()
    assert saved[-1] > before


def test_a_backup_never_overwrites_and_refuses_damaged_data(tmp_path) -> None:
    data = tmp_path / "data"
    with Store(data) as store:
        store.table("t").insert({"a": 1})
        store.commit_sync()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "keep").write_text("mine")
    with pytest.raises(BackupFailed, match="already exists; give a new directory"):
        backup(data, tmp_path / "old")
    assert (tmp_path / "old" / "keep").read_text() == "mine"
    with pytest.raises(BackupFailed, match="holds no Mingel data"):
        backup(tmp_path / "nowhere", tmp_path / "b1")
    journal = data / "mingel.journal"
    journal.write_bytes(b'{"t":"t","id":2,"d":{"a":2}}\n\x00garbage\n' + journal.read_bytes())
    with pytest.raises(BackupFailed, match=r"mingel.journal, line 2: not a valid journal record. .*may be damaged"):
        backup(data, tmp_path / "b2")
    assert not (tmp_path / "b2").exists() and not (tmp_path / "b2.partial").exists()


def mingel(tmp_path: Path, data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    env.update({"MINGEL_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "LANG": "en_GB.UTF-8"})
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], input=stdin, env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)


def test_backup_and_restore_as_the_readme_says(tmp_path) -> None:
    data = tmp_path / "data"
    answered = mingel(tmp_path, data, "chat", stdin="/rsvp am-2027-09-02\n1\n")
    assert "Saved: Coming in person" in answered.stdout, answered.stdout + answered.stderr
    done = mingel(tmp_path, data, "backup", str(tmp_path / "backup"))
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(rf"{re.escape(str(tmp_path / 'backup'))}: a copy of "
                        rf"{re.escape(str(data))} that opens, \d+ documents in \d+ tables\n",
                        done.stdout)
    (data / "mingel.json").write_bytes(b"\x00\xff damaged")
    refused = mingel(tmp_path, data, "chat", stdin="/my\n")
    assert refused.returncode == 3
    assert "Keep this directory aside and put your last backup in its place" in refused.stderr
    assert (data / "mingel.json").read_bytes() == b"\x00\xff damaged"
    data.rename(tmp_path / "data-damaged")
    (tmp_path / "backup").rename(data)
    mine = mingel(tmp_path, data, "chat", stdin="/my\n")
    assert "Coming in person" in mine.stdout, mine.stdout + mine.stderr
