"""The terminal chat, driven through its stdin as a person would type."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.adapters.terminal import TerminalChat, start_line, start_parameter
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


async def test_a_link_the_assistant_asked_for_is_text_not_opened(mingel_chat,
                                                                 tmp_path: Path) -> None:
    """Review: an organiser who pastes the invitation link /invite gave as the message of a
    broadcast gets its preview, as in Telegram, where a link sent is text; the terminal chat
    opened it instead ("This invitation link doesn't work" with the invitations plugin)."""
    chat, _fixture = await broadcast_setup(mingel_chat)
    terminal = TerminalChat(chat.assistant, User(ORGANISER, "Olga", language_code="en"),
                            downloads=tmp_path / "downloads", out=io.StringIO())
    link = "https://t.me/MingelBot?start=inv-4iKBubpoLRbyQdSDWYTBNw"
    for line in ("/broadcast", "3", link):
        await terminal.handle_line(line)
    out = terminal.out.getvalue()
    assert "Preview: this is what 5 people will get" in out and f"\n{link}\n" in out
    await terminal.handle_line(link)  # nothing asked for now: the link opens, as a tap does
    assert "Hi Olga!" in terminal.out.getvalue().split(f"\n{link}\n", 1)[1]


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


def chat_as(lines: list[str], tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`mingel chat ARGS` in this tree, typing the lines, on tmp_path's data directory."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))
               and k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    environ.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          env=environ, cwd=tmp_path, timeout=60, check=False)


def test_the_banner_names_the_roles_the_user_really_has(tmp_path: Path) -> None:
    """A moderator named with /moderators is called one, in the terminal's language; an
    organiser an organiser, anyone else a participant."""
    first = chat_as(["/help"], tmp_path, "chat", "--user", "200", "--name", "Karin",
                    MINGEL_ORGANISERS="1", MINGEL_LOCALE="en")
    assert "as Karin (user 200, participant)" in first.stdout, first.stdout
    organiser = chat_as(["/moderators arbetsmarknad add 200"], tmp_path, "chat", "--user", "1",
                        MINGEL_ORGANISERS="1", MINGEL_LOCALE="en")
    assert "(user 1, organiser)" in organiser.stdout, organiser.stdout
    karin = chat_as(["/help"], tmp_path, "chat", "--user", "200", "--name", "Karin",
                    MINGEL_ORGANISERS="1", LANG="sv_SE.UTF-8")
    assert ("Mingels terminalchatt, som Karin (användare 200, moderator för "
            "Arbetsmarknadspolitiskt nätverk)"
            in karin.stdout), karin.stdout


def test_chat_at_a_moment_starts_the_clock_there_and_shows_what_is_due(tmp_path: Path) -> None:
    """`mingel chat --at` tries another day: an answer given three days before a meeting, then
    the chat opened the morning before it shows the reminder due then, before the prompt."""
    before = chat_as(["/rsvp am-2027-09-02", "1"], tmp_path, "chat", "--at", "2027-08-30 12:00",
                     MINGEL_LOCALE="en")
    assert before.returncode == 0, before.stderr
    assert ("The clock starts at Monday, 30 August 2027 at 12:00 (Europe/Stockholm) and runs on "
            "from there.") in before.stdout
    assert "Your answer: Coming in person" in before.stdout
    morning = chat_as(["/help"], tmp_path, "chat", "--at", "2027-09-01T08:00+00:00",
                      MINGEL_LOCALE="en")
    assert "at 10:00 (Europe/Stockholm)" in morning.stdout
    reminder = morning.stdout.index("⏰ Reminder: The labour market after corona")
    assert "starts in 23 hours" in morning.stdout
    assert reminder < morning.stdout.index("> ")


def test_chat_at_another_day_works_on_a_copy_and_leaves_the_real_data_alone(
        tmp_path: Path) -> None:
    """A moved clock stores what is done as done then, and its ticks delete what is past
    retention by it: `--at` works on `data-at`, made from the real data and kept for the
    next such chat, while the real data stays as it was."""
    real = chat_as(["/rsvp am-2027-09-02", "1"], tmp_path, "chat", MINGEL_LOCALE="en")
    assert "Your answer: Coming in person" in real.stdout, real.stdout
    later = chat_as(["/rsvp am-2027-09-21", "1"], tmp_path, "chat", "--at",
                    "2027-08-30 12:00", MINGEL_LOCALE="en")
    assert f"a copy of the data, {tmp_path / 'data-at'}" in later.stdout, later.stdout
    again = chat_as(["/my"], tmp_path, "chat", "--at", "2027-08-31 12:00", MINGEL_LOCALE="en")
    assert "Flexicurity" in again.stdout, "the copy is kept from one such chat to the next"
    far = chat_as(["/help"], tmp_path, "chat", "--at", "2029-06-01 08:00", MINGEL_LOCALE="en")
    assert far.returncode == 0, far.stderr
    back = chat_as(["/my"], tmp_path, "chat", MINGEL_LOCALE="en")
    assert "The labour market after corona" in back.stdout and "Flexicurity" not in back.stdout


def test_chat_at_refuses_a_time_it_cannot_read_and_run_has_no_clock_option(
        tmp_path: Path) -> None:
    bad = chat_as(["/help"], tmp_path, "chat", "--at", "tomorrow 8", LANG="sv_SE.UTF-8")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "--at tomorrow 8: det kan jag inte läsa som en tidpunkt. Skriv en dag och en tid som "
        "2027-09-21 08:30 (tiden i Europe/Stockholm), eller en tid med sin tidsförskjutning som "
        "2027-09-21T08:30+02:00.")
    assert bad.stdout == "" and not (tmp_path / "data").exists()
    month = chat_as(["/help"], tmp_path, "chat", "--at", "2027-13-01 08:00", MINGEL_LOCALE="en")
    assert month.returncode == 2 and "--at 2027-13-01 08:00: I can't read this as a time" in \
        month.stderr
    run = chat_as(["/help"], tmp_path, "run", "--at", "2027-09-01 08:00")
    assert run.returncode == 2 and "unrecognized arguments: --at" in run.stderr


def test_the_warning_that_the_programme_file_differs_speaks_the_terminals_language(
        tmp_path: Path) -> None:
    """The start-up warning about a programme file edited between two chats is in Swedish
    under LANG=sv_SE.UTF-8, as a refused start is, not English."""
    sample = (ROOT / "plugins" / "programme" / "sample.yaml").read_text(encoding="utf-8")
    path = tmp_path / "programme.yaml"
    path.write_text(sample.replace("Fleminggatan 7, Stockholm", "Fleminggatan 9, Stockholm"),
                    encoding="utf-8")
    env = {"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": "1", "LANG": "sv_SE.UTF-8"}
    first = chat_as(["/help"], tmp_path, "chat", "--user", "2", **env)
    assert first.returncode == 0 and "WARNING" not in first.stderr, first.stderr
    path.write_text(sample.replace("Fleminggatan 7, Stockholm", "Fleminggatan 8, Stockholm"),
                    encoding="utf-8")
    again = chat_as(["/help"], tmp_path, "chat", "--user", "2", **env)
    assert (f"programfilen {path} skiljer sig från programmet som användes vid förra stoppet: "
            "programmet som används behålls tills en arrangör bekräftar filens ändringar med "
            f"/reload (kontrollera den med `mingel check {path}`)") in again.stderr, again.stderr
    assert "differs from" not in again.stderr


def test_the_organiser_at_the_terminal_reads_the_changed_file_warning_once(
        tmp_path: Path) -> None:
    """QA: the organiser who opened the chat after editing the programme file read the same
    warning twice, as a log line and as the message for organisers. The message is theirs
    (in the chat, with /reload to press on); the log line is kept for a chat that does not
    show it: someone else at the terminal, or a later start once the organisers were told."""
    sample = (ROOT / "plugins" / "programme" / "sample.yaml").read_text(encoding="utf-8")
    path = tmp_path / "programme.yaml"
    path.write_text(sample, encoding="utf-8")
    env = {"MINGEL_PROGRAMME": str(path), "LANG": "sv_SE.UTF-8"}
    assert chat_as([], tmp_path, "chat", **env).returncode == 0
    path.write_text(sample.replace("Fleminggatan 7, Stockholm", "Fleminggatan 8, Stockholm"),
                    encoding="utf-8")
    told = chat_as([], tmp_path, "chat", **env)
    assert told.stdout.count("skiljer sig från programmet som används") == 1, told.stdout
    assert "skiljer sig" not in told.stderr, told.stderr
    again = chat_as([], tmp_path, "chat", **env)
    assert "skiljer sig" not in again.stdout
    assert again.stderr.count(f"programfilen {path} skiljer sig") == 1, again.stderr


def test_a_newcomer_opening_an_invitation_link_sees_only_the_invitation(tmp_path: Path) -> None:
    """Review: `mingel chat` welcomed a newcomer before the invitation they came with; in
    Telegram the link's /start is the chat's first message, so only the invitation greets
    them. `--start` takes the link, or what follows start= in it; a link typed in the chat
    opens it too."""
    env = {"MINGEL_ORGANISERS": "1", "MINGEL_LOCALE": "en", "MINGEL_BOT_USERNAME": "MingelBot"}
    made = chat_as(["/invite am-2027-10-14-rundabord"], tmp_path, "chat", "--user", "1", **env)
    [link] = re.findall(r"https://t\.me/MingelBot\?start=(\S+)", made.stdout)
    link = f"https://t.me/MingelBot?start={link}"
    for user, given in (("7", link), ("8", link.split("start=")[1])):
        bo = chat_as([], tmp_path, "chat", "--user", user, "--name", "Bo", "--start", given, **env)
        assert bo.returncode == 0, bo.stderr
        first = bo.stdout.split("\n\n", 2)[1]
        assert first.startswith("You're invited! Here is the meeting"), bo.stdout
        assert "Hi Bo!" not in bo.stdout and "[1] Coming in person" in bo.stdout
    typed = chat_as([link], tmp_path, "chat", "--user", "9", "--name", "Ea", **env)
    assert "Hi Ea!" in typed.stdout, "a newcomer without a link is welcomed as before"
    assert "You're invited! Here is the meeting" in typed.stdout.split("> ", 1)[1]


def test_a_chat_opened_from_a_link_is_the_guest_s_even_without_named_organisers(
        tmp_path: Path) -> None:
    """QA: with no MINGEL_ORGANISERS whoever opens the chat is an organiser, so a chat
    opened with an invitation link showed the organiser's short text, not what the invited
    person sees. A chat from a link is the guest's: a participant."""
    env = {"MINGEL_LOCALE": "en", "MINGEL_BOT_USERNAME": "MingelBot"}
    made = chat_as(["/invite am-2027-10-14-rundabord"], tmp_path, "chat", **env)
    [code] = re.findall(r"https://t\.me/MingelBot\?start=(\S+)", made.stdout)
    guest = chat_as(["/help"], tmp_path, "chat", "--user", "7", "--name", "Bo", "--start", code,
                    **env)
    assert "(user 7, participant)" in guest.stdout, guest.stdout
    assert guest.stdout.split("\n\n", 2)[1].startswith("You're invited! Here is the meeting")
    assert "/broadcast" not in guest.stdout


@pytest.mark.parametrize(("given", "line"), [
    ("https://t.me/MingelBot?start=inv-abc_1", "/start inv-abc_1"),
    ("t.me/MingelBot?start=inv-abc", "/start inv-abc"),
    ("https://telegram.me/MingelBot?start=x", "/start x"),
    ("inv-abc", "/start inv-abc"),
    ("/start inv-abc", "/start inv-abc"),
])
def test_a_link_to_the_bot_starts_with_its_parameter(given: str, line: str) -> None:
    assert start_line(given) == line


@pytest.mark.parametrize("line", ["https://example.org/?start=x", "https://t.me/MingelBot",
                                  "see t.me/MingelBot?start=x", "https://t.me/a/b?start=x",
                                  "http://[t.me/x?start=y", "t.me/MingelBot?start="])
def test_other_lines_are_no_link_to_the_bot(line: str) -> None:
    assert start_parameter(line) is None


async def test_forget_deletes_the_files_the_terminal_chat_saved_for_me(mingel_chat,
                                                                       tmp_path: Path) -> None:
    """Quixotella's calendar file and her /mydata copy of everything were saved for her by
    the terminal chat; /forget deletes them with the rest. Bo's calendar file, saved on the
    same data directory, stays (and hers did not overwrite it)."""
    chat = await mingel_chat(now="2027-08-25T08:00:00+00:00")
    downloads = tmp_path / "downloads"
    eva = TerminalChat(chat.assistant, User(7, "Quixotella", language_code="en"),
                       downloads=downloads, out=io.StringIO())
    bo = TerminalChat(chat.assistant, User(8, "Bo", language_code="en"),
                      downloads=downloads, out=io.StringIO())
    await bo.handle_line("/calendar am-2027-09-02")
    await eva.handle_line("/calendar am-2027-09-02")
    await eva.handle_line("/mydata")
    saved = [Path(p) for p in re.findall(r"📎 (\S+)", eva.out.getvalue())]
    [bos] = [Path(p) for p in re.findall(r"📎 (\S+)", bo.out.getvalue())]
    assert len(saved) == 2 and all(p.is_file() for p in saved) and bos not in saved
    assert b"Quixotella" in saved[1].read_bytes()
    await eva.handle_line("/forget")
    await eva.handle_line("1")
    assert "Done. I have deleted everything I kept about you." in eva.out.getvalue()
    assert not any(p.exists() for p in saved)
    assert bos.is_file() and b"BEGIN:VCALENDAR" in bos.read_bytes()
    assert not any(b"Quixotella" in p.read_bytes() for p in downloads.rglob("*") if p.is_file())


def test_forget_in_the_terminal_chat_leaves_no_file_of_mine_in_the_data_directory(
        tmp_path: Path) -> None:
    """The real `chat` command: after /forget, the file /mydata saved is gone from the
    data directory's downloads, and another user's saved file is still there."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))}
    environ.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), "MINGEL_LOCALE": "en",
                    "PYTHONPATH": str(ROOT)})

    def chat(user: int, name: str, *lines: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "chat", "--user", str(user), "--name", name],
            input="\n".join(lines) + "\n", capture_output=True, text=True, env=environ,
            cwd=tmp_path, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        return result.stdout

    chat(2, "Bo", "/mydata")
    out = chat(3, "Zyzzyvaston", "/mydata", "/forget", "1")
    assert "Done. I have deleted everything I kept about you." in out
    downloads = tmp_path / "data" / "downloads"
    files = [p for p in downloads.rglob("*") if p.is_file()]
    assert [p.relative_to(downloads).parts for p in files] == [("2", "mingel-my-data.json")]
    assert b"Zyzzyvaston" not in files[0].read_bytes()


async def test_files_that_cannot_be_deleted_are_not_called_deleted(mingel_chat, tmp_path: Path,
                                                                   monkeypatch) -> None:
    """When the saved files cannot be deleted (a read-only folder), /forget deletes the rest
    but does not say "Done": the user is asked to try again."""
    import assistant.adapters.terminal as terminal_module

    def refused(path: Path) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    chat = await mingel_chat(now="2027-08-25T08:00:00+00:00")
    eva = TerminalChat(chat.assistant, User(7, "Quixotella", language_code="en"),
                       downloads=tmp_path / "downloads", out=io.StringIO())
    await eva.handle_line("/mydata")
    monkeypatch.setattr(terminal_module.shutil, "rmtree", refused)
    await eva.handle_line("/forget")
    await eva.handle_line("1")
    out = eva.out.getvalue()
    assert "I deleted most of your data, but something went wrong." in out
    assert "Done." not in out and not chat.assistant.users.known(7)


def test_a_cards_meeting_link_is_shown_once_in_the_terminal(tmp_path: Path) -> None:
    """QA 43: the card's "Online via Zoom: https://zoom.us/j/1 (https://zoom.us/j/1)"."""
    programme = tmp_path / "programme.yaml"
    programme.write_text(
        "networks:\n  am: {name: Arbetsmarknad}\nevents:\n  - id: web\n    networks: am\n"
        "    title: Webbinarium\n    start: 2099-09-02 10:00\n    end: 2099-09-02 11:00\n"
        "    online: https://zoom.us/j/61234567890\n", encoding="utf-8")
    out = run_chat(["/event web"], tmp_path, MINGEL_PROGRAMME=str(programme))
    assert "💻 Online via Zoom: https://zoom.us/j/61234567890\n" in out


def test_the_changed_file_message_speaks_the_language_the_organiser_chats_in_now(
        tmp_path: Path) -> None:
    """QA: an organiser who chatted in Swedish, edited the file and came back with an English
    terminal read the message about the changed file in Swedish (their previous session's
    language, as stored until they typed); it is in the language they chat in now."""
    sample = (ROOT / "plugins" / "programme" / "sample.yaml").read_text(encoding="utf-8")
    path = tmp_path / "programme.yaml"
    path.write_text(sample, encoding="utf-8")
    env = {"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": "1"}
    assert chat_as(["/help"], tmp_path, "chat", LANG="sv_SE.UTF-8", **env).returncode == 0
    path.write_text(sample.replace("Fleminggatan 7, Stockholm", "Fleminggatan 8, Stockholm"),
                    encoding="utf-8")
    told = chat_as([], tmp_path, "chat", LANG="en_GB.UTF-8", **env)
    assert told.stdout.count("⚠️ The programme file programme.yaml differs from the programme "
                             "in use") == 1, told.stdout
    assert "skiljer sig" not in told.stdout + told.stderr


def test_a_chat_without_a_name_never_takes_the_login_name(tmp_path: Path) -> None:
    """QA: `mingel chat --user 3` without --name took the machine's login name, which then
    stood in the organisers' lists and exports for every such user. Someone new is "User N"
    ("Användare N") until they give a name; a later chat without --name keeps the name
    they gave before, as a Telegram profile does."""
    env = {"MINGEL_ORGANISERS": "1", "LOGNAME": "zelda", "USER": "zelda"}
    new = chat_as(["/osa am-2027-09-02", "1"], tmp_path, "chat", "--user", "3",
                  LANG="sv_SE.UTF-8", **env)
    assert "Mingels terminalchatt, som Användare 3 (användare 3, deltagare)" in new.stdout
    assert "Hej Användare 3!" in new.stdout and "(Sparat: Kommer på plats)" in new.stdout
    organiser = chat_as(["/attendees am-2027-09-02"], tmp_path, "chat", "--user", "1",
                        LANG="en_GB.UTF-8", **env)
    assert "as User 1 (user 1, organiser)" in organiser.stdout, organiser.stdout
    sheet = (tmp_path / "data" / "downloads" / "1" / "attendees-am-2027-09-02.csv").read_text(
        encoding="utf-8-sig")
    assert "Användare 3" in sheet and "Zelda" not in sheet + new.stdout + organiser.stdout
    chat_as(["/my"], tmp_path, "chat", "--user", "3", "--name", "Bo", LANG="sv_SE.UTF-8", **env)
    again = chat_as(["/my"], tmp_path, "chat", "--user", "3", LANG="sv_SE.UTF-8", **env)
    assert "som Bo (användare 3, deltagare)" in again.stdout, again.stdout
    organiser = chat_as(["/attendees am-2027-09-02"], tmp_path, "chat", "--user", "1",
                        LANG="en_GB.UTF-8", **env)
    assert "Bo" in (tmp_path / "data" / "downloads" / "1" /
                    "attendees-am-2027-09-02.csv").read_text(encoding="utf-8-sig")
