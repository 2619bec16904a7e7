"""`mingel new-plugin NAME`: a package that works at once: its tests, `mingel plugins`, chat."""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from assistant.scaffold import new_plugin

PROBE = "scaffoldprobe"


def test_creates_a_complete_package(tmp_path: Path, capsys) -> None:
    assert new_plugin("room_booking", tmp_path) == 0
    root = tmp_path / "mingel-room_booking"
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert files == ["README.md", "mingel_room_booking/__init__.py",
                     "mingel_room_booking/locales/en/LC_MESSAGES/room_booking.po",
                     "mingel_room_booking/locales/sv/LC_MESSAGES/room_booking.po",
                     "pyproject.toml", "tests/test_room_booking.py"]
    pyproject = (root / "pyproject.toml").read_text()
    assert '[project.entry-points."mingel.plugins"]\nroom_booking = "mingel_room_booking"' \
        in pyproject
    assert 'name = "mingel-room_booking"' in pyproject
    assert 'NAME = "room_booking"' in (root / "mingel_room_booking" / "__init__.py").read_text()
    with (root / "mingel_room_booking/locales/sv/LC_MESSAGES/room_booking.po").open("rb") as f:
        swedish = {m.id: m.string for m in read_po(f) if m.id}
    assert swedish["Say hello from this plugin"] == "Säg hej från det här tillägget"
    out = capsys.readouterr().out
    assert "pip install -e" in out and "mingel plugins" in out


@pytest.mark.parametrize("name", ["Hello", "1st", "my-plugin", "a" * 33, "", "hello world"])
def test_refuses_invalid_names(tmp_path: Path, capsys, name: str) -> None:
    assert new_plugin(name, tmp_path) == 2
    assert "not a valid plugin name" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("name, why", [("rsvp", "taken by Mingel itself"),
                                       ("basics", "taken by Mingel itself"),
                                       ("assistant", "taken by Mingel itself"),
                                       ("feedback", "already an installed plugin"),
                                       ("help", "/help is already a command of the basics")])
def test_refuses_names_already_in_use(tmp_path: Path, capsys, name: str, why: str) -> None:
    assert new_plugin(name, tmp_path) == 2
    assert why in capsys.readouterr().err


def test_never_overwrites(tmp_path: Path, capsys) -> None:
    (tmp_path / "mingel-hello").mkdir()
    (tmp_path / "mingel-hello" / "mine.txt").write_text("keep me")
    assert new_plugin("hello", tmp_path) == 1
    assert "already exists" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "mingel-hello").iterdir()] == ["mine.txt"]


def test_the_cli_dispatches_to_the_scaffold(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "assistant.cli", "new-plugin", "hello", "--dir", "sub"]
    done = subprocess.run(command, env=_clean_env(tmp_path), cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sub" / "mingel-hello" / "mingel_hello" / "__init__.py").is_file()


@pytest.fixture
def generated(tmp_path: Path) -> Iterator[Path]:
    """A generated package importable in this process, removed from sys.modules afterwards."""
    assert new_plugin("hello", tmp_path) == 0
    root = tmp_path / "mingel-hello"
    sys.path.insert(0, str(root))
    try:
        yield root
    finally:
        sys.path.remove(str(root))
        sys.modules.pop("mingel_hello", None)


async def test_the_generated_tests_pass_in_process(generated: Path, mingel_chat,
                                                   telegram_bot) -> None:
    spec = importlib.util.spec_from_file_location("generated_test_hello",
                                                  generated / "tests" / "test_hello.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    tests = [f for name, f in vars(module).items() if name.startswith("test_")]
    assert len(tests) == 4
    fixtures = {"mingel_chat": mingel_chat, "telegram_bot": telegram_bot}
    for test in tests:
        arguments = {name: fixtures[name] for name in inspect.signature(test).parameters}
        result = test(**arguments)
        if inspect.isawaitable(result):
            await result


async def test_the_generated_plugin_runs_with_the_builtins(generated: Path, mingel_chat) -> None:
    plugin = importlib.import_module("mingel_hello")
    chat = await mingel_chat(["plugins.basics", "plugins.privacy", plugin])
    assert "hello" in chat.assistant.plugin_names()
    replies = await chat.send("/hello", chat.user(5, "Åsa <3", lang="sv"))
    assert replies[0].text == "Hej Åsa &lt;3! Tillägget hello är installerat och fungerar."


def _ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_generated_package_passes_ruff_wherever_it_is_put(tmp_path: Path) -> None:
    """Under this repository's examples/ or plugins/ `assistant` is first-party and the new
    package third-party; in the package's own checkout the other way round."""
    assert new_plugin("hello", tmp_path) == 0
    root = tmp_path / "mingel-hello"
    repo = Path(__file__).resolve().parent.parent
    as_in_the_repo = _ruff("--config", str(repo / "pyproject.toml"), str(root), cwd=repo)
    assert as_in_the_repo.returncode == 0, as_in_the_repo.stdout + as_in_the_repo.stderr
    on_its_own = _ruff(".", cwd=root)
    assert on_its_own.returncode == 0, on_its_own.stdout + on_its_own.stderr


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    env.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), **extra})
    return env


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def _uninstall_probe() -> None:
    try:
        distribution(f"mingel-{PROBE}")
    except PackageNotFoundError:
        return
    result = _pip("uninstall", "-y", f"mingel-{PROBE}")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pip_install_makes_it_live_in_plugins_and_chat(tmp_path: Path) -> None:
    _uninstall_probe()  # a leftover of an interrupted run would point at a deleted directory
    assert new_plugin(PROBE, tmp_path) == 0
    root = tmp_path / f"mingel-{PROBE}"
    try:
        result = _pip("install", "--quiet", "--no-deps", "-e", str(root))
        assert result.returncode == 0, result.stdout + result.stderr
        mingel = [sys.executable, "-m", "assistant.cli"]
        runs = {  # independent of each other: run side by side
            "plugins": (mingel + ["plugins"], "", tmp_path, {}),
            "chat": (mingel + ["chat", "--name", "Sven"], f"/{PROBE}\n/help\n", tmp_path,
                     {"MINGEL_LOCALE": "sv"}),
            "pytest": ([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], "", root,
                       {}),
        }
        procs = {name: subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, cwd=cwd,
                                        env=_clean_env(tmp_path / name, **extra))
                 for name, (cmd, _, cwd, extra) in runs.items()}
        out = {}
        for name, proc in procs.items():
            stdout, stderr = proc.communicate(runs[name][1], timeout=120)
            assert proc.returncode == 0, f"{name}: {stdout}{stderr}"
            out[name] = stdout
        [line] = [x for x in out["plugins"].splitlines() if x.startswith(f"{PROBE} ")]
        assert f"mingel-{PROBE} 0.1.0" in line and "register_commands" in line
        assert f"Hej Sven! Tillägget {PROBE} är installerat och fungerar." in out["chat"]
        assert f"/{PROBE} – Säg hej från det här tillägget" in out["chat"]
        assert "4 passed" in out["pytest"]  # one through the Bot API stub
    finally:
        _uninstall_probe()
    with pytest.raises(PackageNotFoundError):
        distribution(f"mingel-{PROBE}")
