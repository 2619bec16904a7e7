"""The terminal chat, driven through its stdin as a person would type."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from assistant.adapters.terminal import TerminalChat
from assistant.types import User
from tests.test_broadcast import ORGANISER
from tests.test_broadcast import setup as broadcast_setup

ROOT = Path(__file__).resolve().parent.parent


def run_chat(lines: list[str], tmp_path: Path, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    environ.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), "MINGEL_LOCALE": "en",
                    "PYTHONPATH": str(ROOT), **env})  # this tree's code, not an installed copy
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "run"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, env=environ, cwd=tmp_path, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_quitting_at_once_on_a_fresh_data_directory_quits(tmp_path: Path) -> None:
    """Ctrl-D (end of input) right after the welcome: the chat ends instead of hanging (the
    outbox's wait for a lull swallowed the cancellation that came as /start was answered)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    environ.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)})
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "chat"], input="",
                            capture_output=True, text=True, env=environ, cwd=tmp_path, timeout=30,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "/programme" in result.stdout


def test_make_run_without_token_opens_the_terminal_chat(tmp_path: Path) -> None:
    out = run_chat(["/help", "/language", "1", "/help"], tmp_path)
    assert "No TELEGRAM_BOT_TOKEN set" in out and "mingel run" in out
    assert "Hi " in out and "/help" in out
    assert "[1] Svenska" in out and "[2] ✓ English" in out
    assert "Jag pratar svenska med dig" in out
    assert "Byt mellan svenska och engelska" in out


def test_terminal_chat_answers_garbage_kindly(tmp_path: Path) -> None:
    out = run_chat(["asdf qwer", "/doesnotexist", "99", "/language", "²"], tmp_path)
    assert "I didn't understand that" in out and "Sorry, something went wrong" not in out
    assert "I don't know the command /doesnotexist. Send /help" in out
    assert "There is no button 99 here. Send /help to see what I can do." in out
    out = run_chat(["/programe", "/serch klimat"], tmp_path)
    assert "I don't know the command /programe. Did you mean /programme?" in out
    assert "I don't know the command /serch. Did you mean /search?" in out


def test_a_button_number_from_an_earlier_session_is_told_so(tmp_path: Path) -> None:
    """Numbers press the buttons of this session only: one typed after a restart, or past
    the last button, is said so in the user's language, and the buttons shown still work."""
    first = run_chat(["/language"], tmp_path)
    assert "[2] ✓ English" in first
    out = run_chat(["2", "/language", "3", "1", "7"], tmp_path)
    assert "There is no button 2 here. Send /help to see what I can do." in out
    assert "There is no button 3 here: type a number from 1 to 2." in out
    assert "Jag pratar svenska med dig" in out
    assert "Det finns ingen knapp 7 här. Skicka /help för att se vad jag kan göra." in out
    assert "I didn't understand that" not in out and "Det förstod jag inte" not in out


async def test_a_number_the_assistant_asked_for_is_text_not_a_button(mingel_chat,
                                                                     tmp_path: Path) -> None:
    """A plugin waiting for an answer (`ctx.expect_text`) gets a typed number as the answer
    when no button has that number."""
    chat, _fixture = await broadcast_setup(mingel_chat)
    terminal = TerminalChat(chat.assistant, User(ORGANISER, "Olga", language_code="en"),
                            downloads=tmp_path / "downloads", out=io.StringIO())
    for line in ("/broadcast", "3", "2027"):
        await terminal.handle_line(line)
    out = terminal.out.getvalue()
    assert "Now send me the message for everyone who has written to me." in out
    assert "Preview: this is what 5 people will get" in out and "\n2027\n" in out
    assert "There is no button" not in out


def test_language_choice_survives_a_restart(tmp_path: Path) -> None:
    run_chat(["/language sv"], tmp_path)
    out = run_chat(["/help"], tmp_path)
    assert "Det här kan jag" in out


def test_mingel_plugins_lists_every_plugin_with_origin_and_hooks(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    environ["MINGEL_DISABLED_PLUGINS"] = "health"
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "plugins"], capture_output=True,
                            text=True, env=environ, cwd=tmp_path, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    for name in ("basics", "programme", "rsvp", "calendar", "reminders", "questions", "privacy"):
        assert "built-in" in rows[name]
    assert "register_commands" in rows["basics"]
    assert "health" not in rows and "disabled: health" in result.stdout


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("MINGEL_LOCALE=sv\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    environ["MINGEL_DATA_DIR"] = str(tmp_path / "data")
    environ["LANG"] = "C"
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "chat"], input="/help\n",
                            capture_output=True, text=True, env=environ, cwd=tmp_path, timeout=60, check=False)
    assert "Det här kan jag" in result.stdout


def test_pasted_lines_are_not_throttled_in_the_terminal(tmp_path: Path) -> None:
    out = run_chat(["/help"] * 15, tmp_path)
    assert out.count("/language") >= 15
    assert "very quickly" not in out


def test_the_terminal_user_speaks_the_language_of_the_posix_locale(tmp_path: Path) -> None:
    """LANG is the terminal's Telegram language: sv_SE.UTF-8 is Swedish, C.UTF-8 none; LC_ALL
    comes before it, as gettext reads them."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))
               and k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    environ["PYTHONPATH"] = str(ROOT)
    for lang, data, expected in (("sv_SE.UTF-8", "sv", "Det här kan jag"),
                                 ("C.UTF-8", "c", "What I can do")):
        environ.update({"LANG": lang, "MINGEL_DATA_DIR": str(tmp_path / data)})
        result = subprocess.run([sys.executable, "-m", "assistant.cli", "chat"], input="/help\n",
                                capture_output=True, text=True, env=environ, cwd=tmp_path,
                                timeout=60, check=False)
        assert expected in result.stdout, result.stdout
    environ.update({"LANG": "en_GB.UTF-8", "LC_ALL": "sv_SE.UTF-8",
                    "MINGEL_DATA_DIR": str(tmp_path / "all")})
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "chat"], input="/help\n",
                            capture_output=True, text=True, env=environ, cwd=tmp_path,
                            timeout=60, check=False)
    assert "Det här kan jag" in result.stdout, result.stdout
    journal = (tmp_path / "c" / "mingel.journal").read_text(encoding="utf-8")
    assert '"tg_lang":null' in journal and '"tg_lang":"c."' not in journal.lower()


def test_a_reader_that_stops_early_ends_the_chat_quietly_and_keeps_the_answers(
        tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    environ.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), "MINGEL_LOCALE": "en",
                    "PYTHONPATH": str(ROOT)})
    chat = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=environ, cwd=tmp_path)
    assert chat.stdin is not None and chat.stdout is not None
    chat.stdin.write(b"/language sv\n")
    chat.stdin.flush()
    while b"Jag pratar svenska" not in chat.stdout.readline():
        pass
    chat.stdout.close()  # as `mingel chat | head` does
    chat.stdin.write(b"/help\n/programme\n/help\n")
    chat.stdin.close()
    assert chat.wait(timeout=60) == 0
    assert chat.stderr is not None and b"Traceback" not in chat.stderr.read()
    assert "Det här kan jag" in run_chat(["/help"], tmp_path)


def test_the_terminal_chat_refuses_a_broken_programme_in_the_terminals_language(
        tmp_path: Path) -> None:
    """Before anyone has typed, the only reader is the terminal's: with LANG Swedish and no
    MINGEL_LOCALE, the refusal to start is in Swedish, as `mingel check` would say it."""
    broken = tmp_path / "programme.yaml"
    broken.write_text("timezone: Europe/Stokholm\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))
               and k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    environ.update({"PYTHONPATH": str(ROOT), "LANG": "sv_SE.UTF-8",
                    "MINGEL_DATA_DIR": str(tmp_path / "data"), "MINGEL_PROGRAMME": str(broken)})
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "chat"], input="/help\n",
                            capture_output=True, text=True, env=environ, cwd=tmp_path,
                            timeout=60, check=False)
    assert result.returncode == 1, result.stderr
    assert "okänd tidszon ”Europe/Stokholm”" in result.stderr, result.stderr
    environ["MINGEL_LOCALE"] = "en"
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "chat"], input="/help\n",
                            capture_output=True, text=True, env=environ, cwd=tmp_path,
                            timeout=60, check=False)
    assert "unknown time zone" in result.stderr, result.stderr


def test_the_welcome_greets_a_new_user_only_as_telegram_does(tmp_path: Path) -> None:
    """The first session on a data directory opens with the welcome; a later one does not
    greet again (the user has chatted before) until they send /start themselves."""
    assert "I'm Mingel" in run_chat(["/help"], tmp_path)
    again = run_chat(["/help"], tmp_path)
    assert "What I can do" in again and "I'm Mingel" not in again
    assert "I'm Mingel" in run_chat(["/start"], tmp_path)
