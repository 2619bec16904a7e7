"""Broadcasts end to end: the real PTB bot against the Bot API stub (strict HTML parsing,
a blocked recipient, the report, refusals and forged buttons)."""
from __future__ import annotations

from assistant.clock import FakeClock
from tests.test_reminders_support import Fixture

ORGANISER = 1
PLUGINS = ["plugins.basics", "plugins.broadcast"]


def reports(bot) -> list:
    return [r for r in bot.stub.messages_to(ORGANISER) if "gone out" in (r.plain_text or "")]


async def test_a_broadcast_reaches_everyone_once_and_the_organiser_gets_a_report(
        telegram_bot) -> None:
    fixture = Fixture()
    bot = await telegram_bot([*PLUGINS, fixture], env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-01T07:00:00+00:00"))
    for user, lang in ((10, "sv"), (11, "en"), (12, "en")):
        await bot.say(user, "/start", language_code=lang)
    bot.stub.block(12)
    [menu] = await bot.say(ORGANISER, "/broadcast", language_code="en")
    assert menu.buttons[:3] == ["Participants of a meeting", "Followers of a network",
                                "Everyone who has written to me"]
    [ask] = await bot.tap(ORGANISER, menu.message_id, "Everyone who has written to me")
    assert "Now send me the message for everyone who has written to me." in ask.plain_text
    typed = 'Room <b>F8</b> & <i>coffee</b> at 9 <a href="https://example.org/map?a=1&b=2">map</a>'
    preview, swedish, message = await bot.say(ORGANISER, typed, count=3)
    assert preview.plain_text == "Preview: this is what 4 people will get – everyone who has " \
                                 "written to me."
    assert swedish.plain_text == ("In Swedish, for 1 person:\n📣 Meddelande från arrangörerna"
                                  "\n\nRoom F8 & <i>coffee</b> at 9 map")
    assert message.plain_text.startswith("In English, for 3 people:\n📣 Message from the")
    assert message.plain_text.endswith("Room F8 & <i>coffee</b> at 9 map")
    assert message.buttons == ["Send to 4 people", "Change the text", "Cancel"]
    [sending] = await bot.tap(ORGANISER, message.message_id, "Send to 4 people")
    assert sending.plain_text == message.plain_text + (
        "\n\n✅ Sending to 4 people now: 3 in English and 1 in Swedish. I'll report here when "
        "it's done.")
    [sv] = await bot.stub.wait_sent(10)
    assert sv.plain_text == ("📣 Meddelande från arrangörerna\n\n"
                             "Room F8 & <i>coffee</b> at 9 map")
    [en] = await bot.stub.wait_sent(11)
    assert en.plain_text.startswith("📣 Message from the organisers")
    await bot.stub.wait_until(lambda: not bot.assistant.users.reachable(12))
    await bot.stub.wait_until(lambda: not bot.assistant.outbox.pending())
    await bot.assistant.tick()
    await bot.stub.wait_until(lambda: reports(bot))
    [report] = reports(bot)
    assert "Your message has gone out to everyone who has written to me" in report.plain_text
    assert "Delivered: 3\nUnreachable (blocked me or left Telegram): 1\nFailed: 0" in \
        report.plain_text
    assert [c.status for c in bot.stub.calls("sendMessage") if c.status != 200] == [403]
    assert all(len(bot.stub.messages_to(u)) == 2 for u in (10, 11))


async def test_participants_are_refused_and_forged_buttons_change_nothing(telegram_bot) -> None:
    bot = await telegram_bot([*PLUGINS, Fixture()], env={"MINGEL_ORGANISERS": str(ORGANISER)})
    [refused] = await bot.say(20, "/broadcast", language_code="sv")
    assert refused.plain_text == "Tyvärr kan bara arrangörer använda /broadcast."
    [menu] = await bot.say(ORGANISER, "/broadcast", language_code="en")
    await bot.tap(ORGANISER, menu.message_id, "Everyone who has written to me")
    await bot.say(ORGANISER, "Only for the organisers' eyes", count=2)
    [doc] = bot.assistant.store.table("broadcast_messages").all()
    query = await bot.stub.press(20, refused.message_id, f"broadcast:send:{doc.doc_id}",
                                 check=False)
    await bot.stub.wait_until(lambda: bot.stub.callback_answer(query))
    assert bot.stub.callback_answer(query).get("text") == "Tyvärr, det får du inte göra."
    await bot.outbox()
    assert bot.stub.messages_to(20) == [refused]
    assert bot.assistant.store.table("broadcast_messages").all()[0]["state"] == "draft"


async def test_formatting_made_in_the_telegram_app_is_kept(telegram_bot) -> None:
    bot = await telegram_bot([*PLUGINS, Fixture()], env={"MINGEL_ORGANISERS": str(ORGANISER)})
    await bot.say(10, "/start", language_code="en")
    [menu] = await bot.say(ORGANISER, "/broadcast", language_code="en")
    await bot.tap(ORGANISER, menu.message_id, "Everyone who has written to me")
    start = len(bot.stub.sent)
    text = "Coffee <now> & cake in room F8"
    await bot.stub.push_update({"message": {
        "message_id": 900, "date": 1_800_000_000, "text": text,
        "chat": {"id": ORGANISER, "type": "private", "first_name": "Olga"},
        "from": {"id": ORGANISER, "is_bot": False, "first_name": "Olga", "language_code": "en"},
        "entities": [{"type": "bold", "offset": 0, "length": 6},
                     {"type": "text_link", "offset": 28, "length": 2,
                      "url": "https://example.org/f8"}]}})
    _preview, message = await bot.reaction(ORGANISER, start, 2)
    assert message.plain_text.endswith(text)
    assert "<b>Coffee</b> &lt;now&gt; &amp; cake in room " \
           '<a href="https://example.org/f8">F8</a>' in message.text


async def test_an_empty_audience_is_said_before_any_text_is_asked(telegram_bot) -> None:
    fixture = Fixture()
    fixture.follows["edu"] = [10]
    fixture.change("m2", cancelled=True)
    bot = await telegram_bot([*PLUGINS, fixture], env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-01T07:00:00+00:00"))
    [menu] = await bot.say(ORGANISER, "/broadcast", language_code="sv")
    [events] = await bot.tap(ORGANISER, menu.message_id, "Deltagarna på en träff")
    assert events.buttons[:2] == ["tors 2 sep. 09:30 · Framtidens arbetsmarknad",
                                  "❌ mån 20 sep. 09:30 · Skolan & AI"]
    [which] = await bot.tap(ORGANISER, events.message_id, events.buttons[0])
    [empty] = await bot.tap(ORGANISER, which.message_id, "Kanske (0)")
    assert empty.plain_text == ("Ingen har svarat Kanske på Framtidens arbetsmarknad, så "
                                "meddelandet skulle inte nå någon. Välj en annan "
                                "mottagargrupp.")
    assert "<b>Framtidens arbetsmarknad</b>" in empty.text
    assert empty.buttons == ["◀ Tillbaka", "Avbryt"]
    [back] = await bot.tap(ORGANISER, empty.message_id, "◀ Tillbaka")
    assert back.plain_text == "Vilka deltagare på Framtidens arbetsmarknad?"
    [menu] = await bot.say(ORGANISER, "/broadcast")
    [networks] = await bot.tap(ORGANISER, menu.message_id, "De som följer ett nätverk")
    assert networks.buttons == ["Arbetsmarknadsnätverket (0)", "Utbildningsnätverket (1)",
                                "Avbryt"]
    [empty] = await bot.tap(ORGANISER, networks.message_id, "Arbetsmarknadsnätverket (0)")
    assert empty.plain_text == ("Ingen följer Arbetsmarknadsnätverket just nu, så meddelandet "
                                "skulle inte nå någon. Välj en annan mottagargrupp.")
    assert not any("Skicka till" in b for m in bot.stub.messages_to(ORGANISER) for b in m.buttons)


async def test_the_preview_names_a_part_of_a_meeting_without_nested_brackets(
        telegram_bot) -> None:
    fixture = Fixture()
    fixture.answer("m1", 10, "in_person")
    fixture.answer("m1", 11, "maybe")
    bot = await telegram_bot([*PLUGINS, fixture], env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-01T07:00:00+00:00"))
    [menu] = await bot.say(ORGANISER, "/broadcast", language_code="en")
    [events] = await bot.tap(ORGANISER, menu.message_id, "Participants of a meeting")
    [which] = await bot.tap(ORGANISER, events.message_id, events.buttons[0])
    [ask] = await bot.tap(ORGANISER, which.message_id, "All of them (2)")
    assert ask.plain_text.startswith("Now send me the message for all the participants of "
                                     "The future labour market.")
    preview, _message = await bot.say(ORGANISER, "See you!", count=2)
    assert preview.plain_text == ("Preview: this is what 2 people will get – all the "
                                  "participants of The future labour market.")
    assert "<b>The future labour market</b>" in preview.text


async def test_a_meetings_broadcast_names_its_date_and_time_in_each_language(
        telegram_bot) -> None:
    fixture = Fixture()
    bot = await telegram_bot([*PLUGINS, fixture], env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-01T07:00:00+00:00"))
    for user, lang in ((10, "sv"), (11, "en")):
        await bot.say(user, "/start", language_code=lang)
        fixture.answer("m1", user, "in_person")
    [menu] = await bot.say(ORGANISER, "/broadcast", language_code="sv")
    [events] = await bot.tap(ORGANISER, menu.message_id, "Deltagarna på en träff")
    [which] = await bot.tap(ORGANISER, events.message_id,
                            "tors 2 sep. 09:30 · Framtidens arbetsmarknad")
    [_ask] = await bot.tap(ORGANISER, which.message_id, "Alla (2)")
    _preview, english, message = await bot.say(ORGANISER, "Vi börjar en timme senare.", count=3)
    about = ("Gäller: Framtidens arbetsmarknad\n"
             "🗓 torsdag 2 september 2027 kl. 09:30–12:30 (Sverigetid)")  # joined online too
    assert message.plain_text.splitlines()[2:4] == about.splitlines()
    assert english.plain_text.splitlines()[:4] == [
        "På engelska, för 1 person:", "📣 Message from the organisers",
        "About: The future labour market",
        "🗓 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"]
    assert message.plain_text.splitlines()[0] == "På svenska, för 1 person:"
    await bot.tap(ORGANISER, message.message_id, "Skicka till 2 personer")
    [sv] = await bot.stub.wait_sent(10)
    assert sv.plain_text == f"📣 Meddelande från arrangörerna\n{about}\n\nVi börjar en timme senare."
    [en] = await bot.stub.wait_sent(11)
    assert en.plain_text.splitlines()[1:3] == [
        "About: The future labour market",
        "🗓 Thursday, 2 September 2027, 09:30–12:30 (Sweden Time)"]


async def test_the_audit_shows_the_broadcast_as_read_in_telegram(telegram_bot) -> None:
    bot = await telegram_bot([*PLUGINS, "plugins.audit", Fixture()],
                             env={"MINGEL_ORGANISERS": str(ORGANISER)},
                             clock=FakeClock("2027-09-01T07:00:00+00:00"))
    [menu] = await bot.say(ORGANISER, "/utskick", language_code="sv")
    await bot.tap(ORGANISER, menu.message_id, "Alla som har skrivit till mig")
    _preview, message = await bot.say(ORGANISER, "Flyttad till <b>onsdag</b>.", count=2)
    await bot.tap(ORGANISER, message.message_id, "Skicka till 1 person")
    await bot.stub.wait_sent(ORGANISER)  # their own copy
    [audit] = await bot.say(ORGANISER, "/audit")
    assert audit.plain_text.splitlines()[1].endswith(
        "· Utskick till 1 person, alla som har skrivit till mig: Flyttad till onsdag."), \
        audit.plain_text
