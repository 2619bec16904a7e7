"""What an operator sees when `mingel run` starts: what runs where, and a start Telegram refuses
said in one line, without the token and without a traceback."""
from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.stub import BotApiStub
from assistant.stub.bot import TOKEN

ROOT = Path(__file__).resolve().parent.parent
WRONG = "987654321:AAWrongTokenWrongTokenWrongToken99"
ODD = "4242:local-api-secret"
"""A token of another shape than Telegram's (a short id and secret)."""


def mingel_run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m assistant.cli run` with only these settings, to its end."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    clean.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), "MINGEL_SEND_RATE": "0",
                  "PYTHONPATH": str(ROOT), **env})  # this tree's code, not an installed copy
    return subprocess.run([sys.executable, "-m", "assistant.cli", "run"], env=clean, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_token_telegram_refuses_is_named_without_printing_it(tmp_path) -> None:
    stub = BotApiStub(token=TOKEN).run_in_thread()
    try:
        done = mingel_run(tmp_path, TELEGRAM_BOT_TOKEN=WRONG, TELEGRAM_API_URL=stub.url)
    finally:
        stub.stop_thread()
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert WRONG.split(":")[1] not in out
    assert "Traceback" not in out
    assert out.rstrip().splitlines()[-1] == (
        f"configuration error: TELEGRAM_BOT_TOKEN: the Bot API at {stub.url} refused the token; "
        "copy it again from @BotFather (/mybots, API Token)")


def test_a_bot_api_out_of_reach_at_start_is_said_in_one_line(tmp_path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    done = mingel_run(tmp_path, TELEGRAM_BOT_TOKEN=WRONG, TELEGRAM_API_URL=url)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "Traceback" not in out and WRONG.split(":")[1] not in out
    last = out.rstrip().splitlines()[-1]
    assert last.startswith(f"cannot start: cannot reach the Bot API at {url} (")
    assert last.endswith("); check the network (and TELEGRAM_API_URL) and start again")


async def test_the_start_is_logged_with_what_runs_where(tmp_path, telegram_bot, caplog) -> None:
    caplog.set_level(logging.INFO, logger="assistant.telegram")
    bot = await telegram_bot(["plugins.basics", "plugins.programme"])
    [line] = [r.getMessage() for r in caplog.records if "started as" in r.getMessage()]
    assert line == (f"Mingel 0.1.0 started as @{bot.stub.bot_username} (Bot API {bot.stub.url}): "
                    f"data in {(tmp_path / 'data').resolve()}, 0 organisers, "
                    "plugins: basics, programme")
    assert TOKEN not in caplog.text
    [warning] = [r for r in caplog.records
                 if r.name == "assistant.telegram" and r.levelno == logging.WARNING]
    assert warning.getMessage().startswith("no organisers (MINGEL_ORGANISERS is empty)")


@pytest.mark.parametrize("token", [WRONG, ODD])
def test_an_unexpected_error_is_logged_without_the_token(monkeypatch, capsys, token) -> None:
    """Also a token not shaped like one of @BotFather's (a local Bot API server's own): the
    setting itself is taken out, not only what looks like a token."""
    from assistant import cli

    def broken(config, args):
        raise RuntimeError(f"request to https://api.telegram.org/bot{config.token}/getMe failed")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", token)
    monkeypatch.setattr(cli, "cmd_plugins", broken)
    assert cli.main(["plugins"]) == 1
    err = capsys.readouterr().err
    assert "CRITICAL assistant.cli: mingel stopped on an unexpected error" in err
    assert "RuntimeError: request to https://api.telegram.org/bot<token>/getMe failed" in err
    assert token.split(":")[1] not in err


def test_a_broken_programme_at_the_first_start_is_said_once_with_file_and_line(tmp_path) -> None:
    broken = tmp_path / "programme.yaml"
    broken.write_text("networks:\n  a: {name: A}\nevents:\n  - id: x\n    networks: a\n"
                      "    title: X\n    start: 2030-02-30 18:00\n    end: 2030-03-01 20:00\n"
                      "    online: https://zoom.us/j/1\n")
    stub = BotApiStub(token=TOKEN).run_in_thread()
    try:
        done = mingel_run(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=stub.url,
                          MINGEL_PROGRAMME=str(broken))
    finally:
        stub.stop_thread()
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert out.count("The programme file has problems") == 1, out
    assert out.startswith("cannot start: The programme file has problems, so Mingel will not "
                          "start."), out
    assert f"{broken}:7: event 'x': start must be a date and time" in out
