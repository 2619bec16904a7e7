"""End to end: the programme plugin in the real PTB Application against the Bot API stub."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.clock import FakeClock
from tests.test_programme_chat import BROKEN, PROGRAMME, edited, recorder

ORG, SVEN, EMMA = 1, 10, 11
PLUGINS = ["plugins.basics", "plugins.programme"]
NOW = "2027-08-01T08:00:00+00:00"
ROOT = Path(__file__).resolve().parent.parent
"""This checkout, so that the `mingel` run as a command is the code under test."""


@pytest.fixture
def programme_file(tmp_path: Path) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return path


@pytest.fixture
def start(telegram_bot, programme_file):
    async def make(*extra):
        return await telegram_bot([*PLUGINS, *extra], clock=FakeClock(NOW),
                                  env={"MINGEL_PROGRAMME": str(programme_file),
                                       "MINGEL_ORGANISERS": str(ORG)})
    return make


def toasts(bot) -> list[str]:
    return [r.params.get("text") for r in bot.stub.sent if r.method == "answerCallbackQuery"]


async def test_programme_lists_meetings_and_a_tap_sends_the_card_and_the_map(start) -> None:
    bot = await start()
    [listing] = await bot.say(SVEN, "/programme", language_code="sv")
    lines = listing.plain_text.splitlines()
    assert lines[0] == "Kommande träffar"
    assert "ons 24 nov. 09:30 · Arbete med arbetsmiljön (tillsammans med Bostadspolitiskt " \
           "nätverk)" in lines
    assert "tis 5 okt. 09:30 · Flexicurity i Danmark inställd" in lines
    assert "Vårens avslutning" not in listing.plain_text
    assert len(listing.buttons) == 6
    card, venue = await bot.tap(SVEN, listing.message_id, "ons 24 nov. 09:30 · Arbete med arbetsmiljön",
                                count=2)
    assert card.method == "sendMessage" and venue.method == "sendVenue"
    assert "Gemensam träff för Arbetsmarknadspolitiskt nätverk och Bostadspolitiskt nätverk" \
        in card.plain_text
    assert "🗓 onsdag 24 november 2027 kl. 09:30–15:00" in card.plain_text
    assert venue.plain_text == "F7\nFleminggatan 7, Stockholm"
    assert venue.params["latitude"] in (59.3326, "59.3326")
    [season] = await bot.say(EMMA, "/program all", language_code="en")
    assert "Thu 10 Jun 09:30 · End of spring (past)" in season.plain_text
    assert "Wed 1 Dec 09:30 · The rental market" in season.plain_text


async def test_meeting_cards_hybrid_online_cancelled_and_unknown(start) -> None:
    bot = await start()
    card, venue = await bot.say(SVEN, "/event am-sep", count=2, language_code="sv")
    assert "🗓 torsdag 2 september 2027 kl. 09:30–12:30" in card.plain_text
    assert "deltar du online skickar jag länken i chatten strax före träffen" in card.plain_text
    assert "zoom.us" not in card.plain_text
    assert "• Roger Mörtvik – Statssekreterare" in card.plain_text
    assert venue.method == "sendVenue"
    [online] = await bot.say(EMMA, "/event am-online", language_code="en")
    assert "💻 Online via Zoom: https://zoom.us/j/69876543210" in online.plain_text
    assert "Online only." in online.plain_text
    [days] = await bot.say(EMMA, "/event am-dagarna")
    assert "Wednesday, 10 – Thursday, 11 November 2027, 10:00–15:00 each day (2 days)" \
        in days.plain_text
    [cancelled] = await bot.say(SVEN, "/event am-oktober")
    assert cancelled.plain_text.startswith("❌ Inställd: den här träffen blir inte av.")
    [unknown] = await bot.say(SVEN, "/event <script>")
    assert unknown.plain_text == ("Jag hittar ingen träff med id:t <script>. Skicka /programme "
                                  "för att se träffarna.")


async def test_past_and_cancelled_cards_say_so_and_drop_the_note(start) -> None:
    bot = await start()
    [past] = await bot.say(EMMA, "/event am-juni", language_code="en")
    assert past.plain_text.startswith("⌛ This meeting is over.\nEnd of spring")
    assert "Subject to change" not in past.plain_text
    [unknown] = await bot.say(EMMA, "/event nosuch")  # nothing more came after the card
    assert not [r for r in bot.stub.sent if r.method == "sendVenue" and r.chat_id == EMMA]
    [cancelled] = await bot.say(SVEN, "/event am-oktober", language_code="sv")
    assert "Med förbehåll för ändringar" not in cancelled.plain_text
    assert unknown.plain_text == ("I can't find a meeting with the id nosuch. Send /programme "
                                  "to see the meetings.")


async def test_a_networks_list_names_the_other_network_of_a_joint_meeting(start) -> None:
    """/programme NETWORK in Telegram: the joint meeting is "together with" the other network
    in the reader's language, and its button opens the card that says "Joint meeting of …"."""
    bot = await start()
    [listing] = await bot.say(SVEN, "/programme bostad", language_code="sv")
    assert ("ons 24 nov. 09:30 · Arbete med arbetsmiljön (tillsammans med "
            "Arbetsmarknadspolitiskt nätverk)") in listing.plain_text.splitlines()
    assert "<i>(tillsammans med Arbetsmarknadspolitiskt nätverk)</i>" in listing.text
    [en] = await bot.say(EMMA, "/programme Labour-market policy network", language_code="en")
    assert ("Wed 24 Nov 09:30 · Working on the work environment (together with Housing policy "
            "network)") in en.plain_text.splitlines()
    card, _venue = await bot.tap(EMMA, en.message_id, "Wed 24 Nov 09:30 · Working on the work "
                                 "environment", count=2)
    assert ("Joint meeting of Labour-market policy network and Housing policy network"
            in card.plain_text)


async def test_networks_follow_button_and_next(start) -> None:
    bot = await start()
    card, _venue = await bot.say(EMMA, "/next", count=2, language_code="en")
    assert "The labour market after corona" in card.plain_text
    [networks] = await bot.say(EMMA, "/networks")
    assert networks.buttons == ["Follow Labour-market policy network",
                                "Follow Housing policy network"]
    [edited_] = await bot.tap(EMMA, networks.message_id, "Follow Housing policy network")
    assert edited_.method == "editMessageText"
    assert edited_.buttons[1] == "Unfollow Housing policy network"
    assert "Nu följer" not in edited_.plain_text and "You follow this network." in \
        edited_.plain_text
    assert "You now follow Housing policy network." in toasts(bot)
    card, _venue = await bot.say(EMMA, "/next", count=2)
    assert card.plain_text.startswith("The next meeting of the networks you follow:")
    assert "Working on the work environment" in card.plain_text
    [reply] = await bot.say(SVEN, "/unfollow bostad", language_code="sv")
    assert reply.plain_text == "Du följer inte Bostadspolitiskt nätverk."
    [reply] = await bot.say(SVEN, "/follow bostadspolitiskt")
    assert reply.plain_text == ("Nu följer du Bostadspolitiskt nätverk. /next visar nätverkets "
                                "nästa träff, och jag säger till när en träff läggs till i det.")
    card, _venue = await bot.say(SVEN, "/next", count=2)
    assert card.plain_text.startswith("Nästa träff i nätverken du följer:")
    assert "🗓 onsdag 24 november 2027 kl. 09:30–15:00" in card.plain_text


async def test_unfollow_alone_offers_the_networks_one_follows(start) -> None:
    bot = await start()
    [nothing] = await bot.say(EMMA, "/unfollow", language_code="en")
    assert nothing.plain_text.startswith("You don't follow any network. Send /networks")
    assert nothing.buttons == []
    await bot.say(EMMA, "/follow arbetsmarknad")
    [offered] = await bot.say(EMMA, "/unfollow")
    assert offered.plain_text.startswith("Which network do you want to stop following?")
    assert offered.buttons == ["Unfollow Labour-market policy network"]
    [edited_] = await bot.tap(EMMA, offered.message_id, "Unfollow Labour-market policy network")
    assert edited_.method == "editMessageText" and edited_.buttons == []
    assert edited_.plain_text.startswith("You don't follow any network. Send /networks")
    assert "You no longer follow Labour-market policy network." in toasts(bot)


async def test_search_and_invite_only_visibility(start) -> None:
    bot = await start()
    [found] = await bot.say(SVEN, "/search mortvik", language_code="sv")
    assert found.plain_text.startswith("1 träff matchar ”mortvik”:")
    assert found.buttons == ["tors 2 sep. 09:30 · Arbetsmarknaden efter corona"]
    [hidden] = await bot.say(SVEN, "/search rundabord")
    assert hidden.plain_text.startswith("Ingen träff matchar")
    [listing] = await bot.say(SVEN, "/programme all")
    assert "Rundabord" not in listing.plain_text
    await bot.stub.press(SVEN, listing.message_id, "programme:card:am-rundabord", check=False)
    [forged] = await bot.stub.wait_sent(SVEN)
    assert forged.plain_text.startswith("Jag hittar ingen träff med id:t am-rundabord")
    card, _venue = await bot.say(ORG, "/event am-rundabord", count=2, language_code="en")
    assert "🔒 By invitation only." in card.plain_text
    [organiser] = await bot.say(ORG, "/search roundtable")
    assert organiser.plain_text.startswith("1 meeting matches “roundtable”:")


async def test_reload_shows_the_changes_and_confirm_tells_the_other_plugins(
        start, programme_file) -> None:
    module, calls = recorder()
    bot = await start(module)
    programme_file.write_text(edited(), encoding="utf-8")
    [refused] = await bot.say(SVEN, "/reload", language_code="sv")
    assert refused.plain_text == "Tyvärr kan bara arrangörer använda /reload."
    [preview] = await bot.say(ORG, "/reload", language_code="en")
    assert "Time: starts 09:30 → 10:00 (now Thursday, 2 September 2027, 10:00–12:30)" \
        in preview.plain_text
    assert preview.buttons == ["✅ Confirm", "Cancel"]
    [done] = await bot.tap(ORG, preview.message_id, "✅ Confirm")
    assert done.method == "editMessageText" and done.buttons == []
    assert done.plain_text.startswith("Done: the new programme is in use (1 new, 1 removed, "
                                      "1 cancelled, 2 changed).")
    assert sorted(calls, key=str) == sorted([
        (None, "am-ny", ()), ("bo-dec", None, ()), ("am-online", "am-online", ("cancelled",)),
        ("am-sep", "am-sep", ("time",)), ("gemensam", "gemensam", ("venue",))], key=str)
    [listing] = await bot.say(SVEN, "/programme")
    assert "tors 2 sep. 10:00 · Arbetsmarknaden efter corona" in listing.plain_text


async def test_a_swedish_organisers_reload_of_a_broken_file_lists_swedish_problems(
        start, programme_file) -> None:
    bot = await start()
    programme_file.write_text(BROKEN.replace("timezone: Europe/Stockholm",
                                             "timezone: Europe/Stokholm"), encoding="utf-8")
    [problems] = await bot.say(ORG, "/reload", language_code="sv")
    assert problems.params["parse_mode"] == "HTML"
    assert problems.plain_text.splitlines() == [
        ("Programfilen har 3 fel, så jag behåller programmet som används nu. Rätta felen och "
         "försök igen:"),
        "",
        ("programme.yaml:1: timezone: okänd tidszon ”Europe/Stokholm” (menade du "
         "”Europe/Stockholm”?)"),
        ("programme.yaml:47: träff ”am-online”: slutet (2027-09-16 09:00) måste komma efter "
         "början (2027-09-16 10:00)"),
        "programme.yaml:72: träff ”bo-dec”: okänd lokal ”huss” (menade du ”hus”?)",
    ]
    [listing] = await bot.say(SVEN, "/programme", language_code="sv")
    assert "Hyresmarknaden" in listing.plain_text


async def test_a_swedish_organiser_is_told_the_line_to_indent_and_what_to_do(
        start, programme_file) -> None:
    """The first name under "title:" one space short: that line is named (not the right one
    below it), with one problem in the singular."""
    bot = await start()
    wrong = PROGRAMME.replace(
        "    title: {sv: Arbetsmarknaden efter corona, en: The labour market after corona}\n",
        "    title:\n     sv: Arbetsmarknaden efter corona\n"
        "      en: The labour market after corona\n")
    assert wrong != PROGRAMME
    programme_file.write_text(wrong, encoding="utf-8")
    [problems] = await bot.say(ORG, "/reload", language_code="sv")
    row = wrong.splitlines().index("     sv: Arbetsmarknaden efter corona") + 1
    assert problems.plain_text.splitlines() == [
        ("Programfilen har 1 fel, så jag behåller programmet som används nu. Rätta felet "
         "och försök igen:"),
        "",
        f"programme.yaml:{row}: fel indrag: raden står inte i linje med raderna den hör ihop med",
    ]


async def test_the_yaml_to_write_comes_as_code_in_the_reload_message(start,
                                                                    programme_file) -> None:
    """Telegram shows the quoting example as code (one tap copies it)."""
    bot = await start()
    broken = PROGRAMME.replace("title: {sv: Arbetsmarknaden efter corona, en: The labour "
                               "market after corona}", "title: Tema: arbete")
    assert broken != PROGRAMME
    programme_file.write_text(broken, encoding="utf-8")
    [problems] = await bot.say(ORG, "/reload", language_code="sv")
    row = broken.splitlines().index("    title: Tema: arbete") + 1
    assert problems.params["parse_mode"] == "HTML"
    assert problems.plain_text.splitlines()[2:] == [
        (f"programme.yaml:{row}: en text som innehåller \": \" måste stå inom citattecken "
         "(till exempel \"Tema: arbete\")")]
    assert problems.text.endswith("(till exempel <code>&quot;Tema: arbete&quot;</code>)")


async def test_a_character_no_message_can_carry_is_refused_and_the_card_still_shows(
        start, programme_file) -> None:
    """"\\ud83d" in double quotes is a lone surrogate: a /reload that took it would break
    every message showing the title; it is a problem at its line instead."""
    bot = await start()
    broken = PROGRAMME.replace("{sv: Arbetsmarknaden efter corona,",
                               '{sv: "Arbetsmarknaden \\ud83d efter corona",')
    assert broken != PROGRAMME
    programme_file.write_text(broken, encoding="utf-8")
    [problems] = await bot.say(ORG, "/reload", language_code="sv")
    row = next(n for n, line in enumerate(broken.splitlines(), 1) if "\\ud83d" in line)
    assert problems.plain_text.splitlines()[2:] == [
        (f"programme.yaml:{row}: en text på den här raden innehåller ett tecken som inte kan "
         "skickas i ett meddelande (U+D83D); ta bort det"),
    ]
    [listing] = await bot.say(SVEN, "/programme all", language_code="sv")
    assert "Arbetsmarknaden efter corona" in listing.plain_text


async def test_uploads_broken_refused_cancelled_and_confirmed(start, programme_file) -> None:
    module, calls = recorder()
    bot = await start(module)
    await bot.stub.send_document(ORG, "programme.yaml", BROKEN.encode(), language_code="en")
    [problems] = await bot.stub.wait_sent(ORG)
    assert problems.plain_text.startswith("This programme file has 2 problems, so I'm keeping the "
                                          "programme in use.")
    assert "programme.yaml:72: event 'bo-dec': unknown venue 'huss' (did you mean 'hus'?)" \
        in problems.plain_text
    await bot.stub.send_document(SVEN, "programme.yaml", edited().encode(), language_code="sv")
    [refused] = await bot.stub.wait_sent(SVEN)
    assert refused.plain_text == "Tack, men bara arrangörerna kan ändra programmet."
    await bot.stub.send_document(ORG, "notes.pdf", b"%PDF-1.4")
    [note] = await bot.stub.wait_sent(ORG)
    assert "only read a programme file ending in .yaml or .yml" in note.plain_text
    await bot.stub.send_document(ORG, "v2.yaml", edited().encode())
    [preview] = await bot.stub.wait_sent(ORG)
    [cancelled] = await bot.tap(ORG, preview.message_id, "Cancel")
    assert cancelled.plain_text == "Cancelled. The programme in use stays as it was."
    assert programme_file.read_text(encoding="utf-8") == PROGRAMME and calls == []
    await bot.stub.send_document(ORG, "v2.yaml", edited().encode())
    [preview] = await bot.stub.wait_sent(ORG)
    assert preview.plain_text.startswith("What v2.yaml changes")
    await bot.tap(ORG, preview.message_id, "✅ Confirm")
    assert programme_file.read_text(encoding="utf-8") == edited()
    assert (programme_file.parent / "programme.yaml.bak").read_text(encoding="utf-8") == PROGRAMME
    assert len(calls) == 5


async def test_forged_callback_data_changes_nothing(start, programme_file) -> None:
    module, calls = recorder()
    bot = await start(module)
    await bot.stub.send_document(ORG, "v2.yaml", edited().encode(), language_code="en")
    [preview] = await bot.stub.wait_sent(ORG)
    [menu] = await bot.say(SVEN, "/networks", language_code="sv")
    token = next(b["callback_data"] for row in preview.reply_markup["inline_keyboard"]
                 for b in row if b["text"] == "✅ Confirm").split(":")[2]
    await bot.stub.press(SVEN, menu.message_id, f"programme:confirm:{token}", check=False)
    await bot.stub.press(ORG, preview.message_id, "programme:confirm:00000000", check=False)
    await bot.stub.press(SVEN, menu.message_id, "programme:follow:" + "z" * 40, check=False)
    await bot.stub.wait_until(lambda: len(toasts(bot)) >= 3)
    assert set(toasts(bot)) == {"Tyvärr, det får du inte göra.",
                                "This change is no longer waiting for you to confirm it.",
                                "Det här nätverket finns inte längre i programmet."}
    assert calls == [] and programme_file.read_text(encoding="utf-8") == PROGRAMME
    assert bot.assistant.store.table("programme_follows").count() == 0


def _cli(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINGEL_", "TELEGRAM_"))
           and k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env.update({"MINGEL_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT),
                "LANG": "C.UTF-8", **extra})
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, cwd=tmp_path,
                          check=False,
                          input="", capture_output=True, text=True, timeout=60)


def test_mingel_check_exit_status_and_a_broken_file_refuses_to_start(tmp_path,
                                                                     programme_file) -> None:
    good = _cli(tmp_path, "check", str(programme_file))
    assert good.returncode == 0, good.stderr
    assert good.stdout == f"{programme_file}: ok – 8 events, 2 networks\n"
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    bad = _cli(tmp_path, "check", str(broken))
    assert bad.returncode == 1
    assert f"{broken}:72: event 'bo-dec': unknown venue 'huss' (did you mean 'hus'?)" \
        in bad.stdout
    for swedish_terminal in ({"MINGEL_LOCALE": "sv"}, {"LANG": "sv_SE.UTF-8"}):
        swedish = _cli(tmp_path, "check", str(broken), str(programme_file), **swedish_terminal)
        assert swedish.returncode == 1 and swedish.stdout.splitlines()[1:] == [
            f"{broken}:72: träff ”bo-dec”: okänd lokal ”huss” (menade du ”hus”?)",
            f"{broken}: 2 fel", f"{programme_file}: ok – 8 träffar, 2 nätverk"]
    english = _cli(tmp_path, "check", str(programme_file), LANG="sv_SE.UTF-8", MINGEL_LOCALE="en")
    assert english.stdout == f"{programme_file}: ok – 8 events, 2 networks\n"
    chat = _cli(tmp_path, "chat", MINGEL_PROGRAMME=str(broken))
    assert chat.returncode != 0
    assert "Mingel will not start" in chat.stderr
    assert f"{broken}:72: event 'bo-dec': unknown venue 'huss'" in chat.stderr


async def test_a_venue_named_with_markup_characters_reaches_the_card_as_written(
        telegram_bot, tmp_path) -> None:
    """The programme's venue is text like any other: "&" and "<" in its name or address
    arrive as written (unescaped, Telegram refused the whole card)."""
    path = tmp_path / "venue.yaml"
    path.write_text(PROGRAMME.replace("name: F7\n", "name: Kafé <Tre> & Co\n", 1)
                    .replace("address: Fleminggatan 7, Stockholm", "address: Götgatan 1 & 3", 1),
                    encoding="utf-8")
    bot = await telegram_bot(PLUGINS, clock=FakeClock(NOW),
                             env={"MINGEL_PROGRAMME": str(path), "MINGEL_ORGANISERS": str(ORG)})
    card, _venue = await bot.say(EMMA, "/event am-sep", count=2, language_code="en")
    assert "📍 Kafé <Tre> & Co, Götgatan 1 & 3" in card.plain_text.splitlines()
