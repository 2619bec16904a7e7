"""End to end: invitation links through the real PTB Application against the Bot API stub."""
from __future__ import annotations

import re

from assistant.clock import FakeClock
from tests.test_health_support import programme_file
from tests.test_invitations import SEASON, WITH_CONTACT, WITH_MAP
from tests.test_rsvp_support import (
    NOW,
    NOW_INVITE_ONLY,
    ONE_SEAT,
    ORGANISER,
    PROGRAMME,
    ProgrammeStub,
    plugins,
)

TWO_NETWORKS = PROGRAMME.replace(
    "networks:\n", "networks:\n  edu: {name: {sv: Utbildningsnätverket, en: Education network}}\n",
    1)
"""The season with a second network, which has no meeting of its own."""
LINK = re.compile(r"https://t\.me/mingel_test_bot\?start=(inv-[A-Za-z0-9_-]{22})")


async def start(telegram_bot):
    return await telegram_bot(plugins(), env={"MINGEL_ORGANISERS": str(ORGANISER)},
                              clock=FakeClock(NOW))


async def invite(bot, args: str = "") -> str:
    [reply] = await bot.say(ORGANISER, f"/invite secret {args}".strip(), language_code="en")
    return LINK.search(reply.plain_text).group(1)


async def test_deep_link_shows_the_meeting_and_the_guest_answers(telegram_bot) -> None:
    bot = await start(telegram_bot)
    payload = await invite(bot)
    welcome, card = await bot.say(2, f"/start {payload}", count=2, language_code="sv")
    assert welcome.plain_text.startswith("Du är inbjuden! Här är träffen: svara med")
    assert card.plain_text.startswith("Rundabordssamtal")
    assert card.buttons == ["Kommer på plats", "Kanske", "Kan inte komma"]
    edited, _ics = await bot.tap(2, card.message_id, "Kommer på plats", count=2)
    assert "Ditt svar: Kommer på plats · 11 av 12 platser kvar" in edited.plain_text


async def test_forged_button_for_an_invite_only_meeting_is_refused(telegram_bot) -> None:
    bot = await start(telegram_bot)
    [reply] = await bot.say(3, "/rsvp secret", language_code="en")
    assert reply.plain_text.startswith("I can't find a meeting with the id secret.")
    await bot.stub.press(3, reply.message_id, "rsvp:a:secret:in_person", check=False)
    [refused] = await bot.stub.wait_sent(3)
    assert refused.plain_text == ("I can't find a meeting with the id secret. Send /programme to "
                                  "see the meetings.")
    assert bot.assistant.store.table("rsvp_answers").all() == []


async def test_revoked_and_used_up_links_are_refused(telegram_bot) -> None:
    bot = await start(telegram_bot)
    revoked = await invite(bot)
    await bot.say(ORGANISER, "/invite secret revoke")
    [reply] = await bot.say(4, f"/start {revoked}", language_code="en")
    assert "has been withdrawn" in reply.plain_text

    once = await invite(bot, "1")
    welcome, _card = await bot.say(5, f"/start {once}", count=2, language_code="en")
    assert welcome.plain_text.startswith("You're invited!")
    [reply] = await bot.say(6, f"/start {once}", language_code="en")
    assert "already been used as many times as it allows" in reply.plain_text
    [listing] = await bot.say(ORGANISER, "/invite secret list")
    assert "2. inv-" in listing.plain_text and "1 of 1 use – used up" in listing.plain_text


async def test_who_answered_keeps_a_meeting_made_invite_only(telegram_bot) -> None:
    programme = ProgrammeStub(ONE_SEAT)
    clock = FakeClock(NOW)
    bot = await telegram_bot(plugins(programme), env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=clock)
    [card] = await bot.say(2, "/rsvp hybrid", language_code="sv")
    await bot.tap(2, card.message_id, "Kommer på plats", count=2)
    await programme.change(bot.assistant, NOW_INVITE_ONLY)
    clock.advance(minutes=3)
    before = len(bot.stub.messages_to(2))
    await bot.assistant.tick()
    [note] = await bot.stub.wait_sent(2, since=before)
    assert note.plain_text.splitlines()[1:] == [
        ("Träffen är nu bara för inbjudna. Du hade redan svarat, så du behåller ditt svar och din "
        "plats.")]

    [mine] = await bot.say(2, "/my", language_code="sv")
    assert "Arbetsmarknaden efter corona" in mine.plain_text
    [card] = await bot.say(2, "/rsvp hybrid", language_code="sv")
    assert "Ditt svar: Kommer på plats" in card.plain_text
    [edited] = await bot.tap(2, card.message_id, "Kan inte komma")
    assert "Ditt svar: Kan inte komma" in edited.plain_text

    [unknown] = await bot.say(3, "/rsvp hybrid", language_code="en")
    assert unknown.plain_text.startswith("I can't find a meeting with the id hybrid.")
    await bot.stub.press(3, unknown.message_id, "rsvp:a:hybrid:in_person", check=False)
    [refused] = await bot.stub.wait_sent(3)
    assert refused.plain_text == ("I can't find a meeting with the id hybrid. Send /programme to "
                                  "see the meetings.")


async def test_invite_picker_one_word_too_many_and_a_cancelled_meeting(telegram_bot) -> None:
    """Through Telegram: /invite alone offers the meetings and a tap makes the link; extra or
    odd words are named; a cancelled meeting gets no new link."""
    bot = await start(telegram_bot)
    [picker] = await bot.say(ORGANISER, "/invite", language_code="en")
    assert picker.plain_text.startswith("Which meeting would you like a new invitation link for?")
    assert "❌ Fri 1 Oct 09:30 · Called-off meeting" not in picker.buttons
    [made] = await bot.tap(ORGANISER, picker.message_id, "Thu 14 Oct 09:30 · Roundtable")
    payload = LINK.search(made.plain_text).group(1)
    welcome, _card = await bot.say(2, f"/start {payload}", count=2, language_code="en")
    assert welcome.plain_text.startswith("You're invited! Here is the meeting: answer with")
    [extra] = await bot.say(ORGANISER, "/invite secret 1 2")
    assert extra.plain_text.startswith("Write just one thing after the meeting's id:")
    [odd] = await bot.say(ORGANISER, "/invite secret revoke ²")
    assert odd.plain_text.startswith("After revoke write a link's number")
    [refused] = await bot.say(ORGANISER, "/invite off")
    assert refused.plain_text == ("This meeting is cancelled, so there is nothing to invite to. "
                                  "Its links are still in /invite off list.")


async def test_an_opened_link_sends_the_map_pin_after_the_card(telegram_bot) -> None:
    bot = await telegram_bot(["plugins.basics", "plugins.programme", "plugins.invitations",
                              "plugins.rsvp"],
                             env={"MINGEL_ORGANISERS": str(ORGANISER),
                                  "MINGEL_PROGRAMME": programme_file(WITH_MAP)},
                             clock=FakeClock(NOW))
    payload = await invite(bot)
    welcome, card, pin = await bot.say(2, f"/start {payload}", count=3, language_code="sv")
    assert welcome.plain_text.startswith("Du är inbjuden! Här är träffen: svara med")
    assert card.method == "sendMessage" and card.plain_text.startswith("Rundabordssamtal")
    assert pin.method == "sendVenue" and pin.plain_text == "F7\nFleminggatan 7, Stockholm"
    assert pin.params["latitude"] in (59.3326, "59.3326")


async def test_after_forget_a_one_use_link_is_no_longer_used_up(telegram_bot) -> None:
    """The guest of a one-use link asks to be forgotten: the organiser's list no longer says
    "used up" (which would tell them who had opened it), and the link lets someone in again."""
    bot = await telegram_bot([*plugins(), "plugins.privacy"],
                             env={"MINGEL_ORGANISERS": str(ORGANISER)}, clock=FakeClock(NOW))
    once = await invite(bot, "1")
    await bot.say(5, f"/start {once}", count=2, language_code="en")
    [prompt] = await bot.say(5, "/forget")
    [done] = await bot.tap(5, prompt.message_id, "Yes, delete everything")
    assert done.plain_text.startswith("Done. I have deleted everything")
    [listing] = await bot.say(ORGANISER, "/invite secret list")
    assert "0 of 1 use – active" in listing.plain_text
    assert "0 people invited in all." in listing.plain_text
    welcome, _card = await bot.say(6, f"/start {once}", count=2, language_code="en")
    assert welcome.plain_text.startswith("You're invited!")


async def test_invite_alone_offers_the_roundtable_of_a_long_season(telegram_bot) -> None:
    """QA 43, through Telegram: with a dozen public meetings before it, the roundtable is the
    first meeting /invite offers, and its button makes its link."""
    bot = await telegram_bot(plugins(ProgrammeStub(SEASON)),
                             env={"MINGEL_ORGANISERS": str(ORGANISER)}, clock=FakeClock(NOW))
    [picker] = await bot.say(ORGANISER, "/invite", language_code="sv")
    assert picker.buttons[0] == "tors 14 okt. 09:30 · Rundabordssamtal"
    assert len(picker.buttons) == 11 and picker.buttons[-1] == "Visa fler", "ten, then more"
    [made] = await bot.tap(ORGANISER, picker.message_id, "tors 14 okt. 09:30 · Rundabordssamtal")
    assert made.plain_text.startswith("🔗 Inbjudan till Rundabordssamtal (torsdag 14 oktober 2027")
    _welcome, card = await bot.say(2, f"/start {LINK.search(made.plain_text).group(1)}", count=2,
                                  language_code="sv")
    assert card.plain_text.startswith("Rundabordssamtal")


async def test_a_withdrawn_link_names_the_programmes_contact(telegram_bot) -> None:
    """QA 43, through Telegram: the refusal of a withdrawn link says where to ask."""
    bot = await telegram_bot(plugins(ProgrammeStub(WITH_CONTACT)),
                             env={"MINGEL_ORGANISERS": str(ORGANISER)}, clock=FakeClock(NOW))
    revoked = await invite(bot)
    await bot.say(ORGANISER, "/invite secret revoke")
    [reply] = await bot.say(4, f"/start {revoked}", language_code="sv")
    assert reply.plain_text == ("Den här inbjudningslänken har dragits tillbaka. Be arrangörerna "
                                "om en ny.\nDu når dem på natverk@example.se.")


async def test_an_invite_only_meeting_is_shown_to_its_own_networks_moderators_only(
        telegram_bot) -> None:
    """Staff see an invite-only meeting without a link: the organisers and the moderators of
    its networks, not someone who moderates another network; a link lets them in as a guest."""
    bot = await telegram_bot(plugins(ProgrammeStub(TWO_NETWORKS)),
                             env={"MINGEL_ORGANISERS": str(ORGANISER)}, clock=FakeClock(NOW))
    bot.assistant.roles.add_moderator("am", 7)
    bot.assistant.roles.add_moderator("edu", 8)
    [own] = await bot.say(7, "/rsvp secret", language_code="en")
    assert own.plain_text.startswith("Roundtable"), own.plain_text
    [other] = await bot.say(8, "/rsvp secret", language_code="en")
    assert other.plain_text.startswith("I can't find a meeting with the id secret."), \
        other.plain_text
    welcome, card = await bot.say(8, f"/start {await invite(bot)}", count=2)
    assert welcome.plain_text.startswith("You're invited! Here is the meeting")
    assert card.plain_text.startswith("Roundtable")
