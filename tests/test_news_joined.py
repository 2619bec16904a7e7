"""A meeting made joint with another network is news to that network's followers who follow
none of the networks it had (they never heard of it), not to those who did: harness and end
to end through PTB and the Bot API stub. (QA: Bostadspolitiskt nätverk's followers never
heard of the meeting their network now shared, and the preview said nobody is told.)"""
from __future__ import annotations

from tests.e2e_reload import organised, reload
from tests.test_new_meetings_news import BASE, confirmed, lines_under, meeting, started
from tests.test_rsvp_support import ORGANISER

ANNA, SVEN, BO, NILS = 31, 32, 33, 34
JOINT = BASE.replace("    networks: [am]\n", "    networks: [am, bo]\n")
"""The first meeting, of am, made joint with bo."""


async def test_followers_of_the_added_network_hear_of_the_joint_meeting(mingel_chat,
                                                                        tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    preview, done = await confirmed(chat, path, JOINT)
    assert lines_under(preview, "first") == [
        ("Networks: Labour-market policy network → Labour-market policy network and Housing "
         "policy network"),
        "✉️ 1 follower of Housing policy network will be told of it.",
        "✉️ Nobody who answered it is told."]
    assert preview.splitlines()[-1] == ("Confirm to put it in use. 1 follower of their networks "
                                        "will get one message about the new meetings.")
    assert done.splitlines()[-1] == ("1 follower of their networks is being told of the new "
                                     "meetings.")
    await chat.tick()
    [bo] = chat.sent_to(BO)
    assert chat.text([bo]).splitlines() == [
        "🆕 New in Housing policy network:",
        "• Thu 2 Sept 09:30 · First meeting",
        "",
        "You hear of new meetings because you follow this network; /unfollow stops it."]
    assert chat.buttons([bo]) == ["Thu 2 Sept 09:30 · First meeting"]
    assert not chat.sent_to(ANNA), "follows am: knew of it"
    assert not chat.sent_to(SVEN), "follows am and bo: knew of it through am"
    assert not chat.sent_to(NILS)
    await chat.tick(minutes=1)
    assert len(chat.sent_to(BO)) == 1, "told once"


async def test_the_swedish_preview_names_only_the_added_network(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path)
    chat.user(ORGANISER, "Org", lang="sv")
    path.write_text(JOINT, encoding="utf-8")
    preview = chat.text(await chat.send("/läsom", ORGANISER))
    assert lines_under(preview, "first")[-2:] == [
        "✉️ 1 som följer Bostadspolitiskt nätverk får besked om den.",
        "✉️ Ingen som har svarat om den får besked."]


async def test_a_network_taken_away_is_no_news(mingel_chat, tmp_path) -> None:
    chat, path = await started(mingel_chat, tmp_path, JOINT)
    preview, _ = await confirmed(chat, path, BASE)
    assert "follower" not in preview
    await chat.tick(minutes=5)
    assert not any(chat.sent_to(u) for u in (ANNA, SVEN, BO, NILS))


async def test_a_meeting_made_joint_is_news_in_telegram(telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, BASE)
    await bot.say(ANNA, "/follow am", language_code="en")
    await bot.say(BO, "/följ bostadspolitiskt", language_code="sv")
    before = {user: len(bot.stub.messages_to(user)) for user in (ANNA, BO)}
    preview = await reload(bot, path, JOINT)
    assert "✉️ 1 follower of Housing policy network will be told of it." in preview.plain_text
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=1)
    await bot.assistant.tick()
    await bot.outbox()
    [bo] = bot.stub.messages_to(BO)[before[BO]:]
    assert bo.plain_text.splitlines()[:2] == ["🆕 Nytt i Bostadspolitiskt nätverk:",
                                              "• tors 2 sep. 09:30 · Första träffen"]
    card, *_ = await bot.tap(BO, bo.message_id, "tors 2 sep. 09:30 · Första träffen")
    assert card.plain_text.startswith("Första träffen")
    assert len(bot.stub.messages_to(ANNA)) == before[ANNA]


KIM, LEA = 35, 36


async def answered_and_joint(mingel_chat, tmp_path):
    """Bo (coming in person) and Kim (can't come) answered the first meeting before it is
    made joint with bo, which they and Lea follow; Lea did not answer."""
    chat, path = await started(mingel_chat, tmp_path)
    for user, name in ((KIM, "Kim"), (LEA, "Lea")):
        chat.user(user, name, lang="en")
        await chat.send("/follow bo", user)
    for user, answer in ((BO, "Coming in person"), (KIM, "Can't come")):
        await chat.send("/rsvp first", user)
        await chat.press(answer, user)
    await chat.deliver()
    return chat, path


async def test_who_answered_the_meeting_is_not_told_of_it_as_new(mingel_chat,
                                                                 tmp_path) -> None:
    chat, path = await answered_and_joint(mingel_chat, tmp_path)
    before = {user: len(chat.sent_to(user)) for user in (BO, KIM, LEA)}
    preview, done = await confirmed(chat, path, JOINT)
    assert lines_under(preview, "first")[-2:] == [
        "✉️ 1 follower of Housing policy network will be told of it.",
        "✉️ Nobody who answered it is told."]
    assert preview.splitlines()[-1] == ("Confirm to put it in use. 1 follower of their networks "
                                        "will get one message about the new meetings.")
    assert done.splitlines()[-1] == ("1 follower of their networks is being told of the new "
                                     "meetings.")
    await chat.tick(minutes=5)
    [lea] = chat.sent_to(LEA)[before[LEA]:]
    assert chat.text([lea]).splitlines()[:2] == ["🆕 New in Housing policy network:",
                                                 "• Thu 2 Sept 09:30 · First meeting"]
    assert chat.sent_to(BO)[before[BO]:] == [], "answered: knows of it, and nothing changed for him"
    assert chat.sent_to(KIM)[before[KIM]:] == [], "can't come is an answer too"


async def test_one_who_answers_after_confirm_is_not_told_either(mingel_chat,
                                                                tmp_path) -> None:
    chat, path = await answered_and_joint(mingel_chat, tmp_path)
    await confirmed(chat, path, JOINT)
    await chat.send("/rsvp first", LEA)
    await chat.press("Maybe", LEA)
    await chat.deliver()
    before = len(chat.sent_to(LEA))
    await chat.tick(minutes=5)
    assert chat.sent_to(LEA)[before:] == []


async def test_followers_who_all_answered_are_not_called_nobody(mingel_chat,
                                                                tmp_path) -> None:
    chat, path = await answered_and_joint(mingel_chat, tmp_path)
    await chat.send("/unfollow bo", LEA)
    chat.user(ORGANISER, "Org", lang="sv")
    path.write_text(JOINT, encoding="utf-8")
    preview = chat.text(await chat.send("/läsom", ORGANISER))
    assert lines_under(preview, "first")[-2:] == [
        ("✉️ De som följer Bostadspolitiskt nätverk känner redan till den, så ingen av dem "
         "får besked."),
        "✉️ Ingen som har svarat om den får besked."]
    assert preview.splitlines()[-1] == "Bekräfta för att börja använda det nya programmet."


async def test_who_answered_a_meeting_made_joint_hears_nothing_in_telegram(
        telegram_bot, tmp_path) -> None:
    bot, path, clock = await organised(telegram_bot, tmp_path, BASE)
    await bot.say(BO, "/följ bostadspolitiskt", language_code="sv")
    await bot.say(KIM, "/follow bo", language_code="en")
    [card] = await bot.say(BO, "/osa first", language_code="sv")
    await bot.tap(BO, card.message_id, "Kommer på plats")
    await bot.stub.wait_until(lambda: any(m.method == "sendDocument"  # his calendar file
                                          for m in bot.stub.messages_to(BO)), 5)
    await bot.outbox()
    before = {user: len(bot.stub.messages_to(user)) for user in (BO, KIM)}
    preview = await reload(bot, path, JOINT)
    assert "✉️ 1 follower of Housing policy network will be told of it." in preview.plain_text
    assert preview.plain_text.endswith("1 follower of their networks will get one message about "
                                       "the new meetings.")
    await bot.tap(ORGANISER, preview.message_id, "✅ Confirm")
    clock.advance(minutes=5)
    await bot.assistant.tick()
    await bot.outbox()
    [kim] = bot.stub.messages_to(KIM)[before[KIM]:]
    assert kim.plain_text.startswith("🆕 New in Housing policy network:")
    assert bot.stub.messages_to(BO)[before[BO]:] == []


async def test_a_meeting_made_joint_is_listed_with_the_new_ones_in_time_order(
        mingel_chat, tmp_path) -> None:
    """QA (session 42): the message listed a later new meeting before the earlier one made
    joint (recorded after the added ones), "Wed 20 Oct" above "Thu 2 Sept"."""
    chat, path = await started(mingel_chat, tmp_path)
    later = JOINT + meeting("house", "bo", "2027-10-20 09:30", title="Housing shortage")
    await confirmed(chat, path, later)
    await chat.tick()
    [bo] = chat.sent_to(BO)
    assert chat.text([bo]).splitlines()[:3] == ["🆕 New in Housing policy network:",
                                                "• Thu 2 Sept 09:30 · First meeting",
                                                "• Wed 20 Oct 09:30 · Housing shortage"]
    assert chat.buttons([bo]) == ["Thu 2 Sept 09:30 · First meeting",
                                  "Wed 20 Oct 09:30 · Housing shortage"]
