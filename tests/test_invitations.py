"""Invitations with the chat harness: links, uses, revocation, and invite-only meetings hidden."""
from __future__ import annotations

import io
import re
from datetime import datetime

from assistant.adapters.terminal import TerminalChat
from assistant.types import User
from tests.test_health_support import programme_file
from tests.test_rsvp_support import (
    NOW,
    NOW_INVITE_ONLY,
    ONE_SEAT,
    ORGANISER,
    PROGRAMME,
    ProgrammeStub,
    plugins,
)

ENV = {"MINGEL_BOT_USERNAME": "MingelBot"}
LINK = re.compile(r"https://t\.me/MingelBot\?start=(inv-[A-Za-z0-9_-]{22})")


async def start(mingel_chat):
    chat = await mingel_chat(plugins(), organisers=[ORGANISER], now=NOW, env=ENV)
    chat.user(ORGANISER, "Org")
    return chat


async def invite(chat, args: str = "") -> str:
    """The organiser makes a link; returns its /start payload."""
    [reply] = await chat.send(f"/invite secret {args}".strip(), ORGANISER)
    return LINK.search(reply.text).group(1)


async def test_deep_link_lets_the_guest_see_and_answer_the_meeting(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    [reply] = await chat.send("/invite secret", ORGANISER)
    text = chat.text([reply])
    assert text.startswith("🔗 Invitation to Roundtable (Thursday, 14 October 2027, 09:30–11:00)")
    assert "This is link 1." in text
    assert ("It lets in any number of people, including anyone it is passed on to, until you "
            "withdraw it: /invite secret revoke 1") in text
    payload = LINK.search(reply.text).group(1)
    assert f"/start {payload}" in text

    welcome, card = await chat.send(f"/start {payload}", emma)
    assert welcome.text.startswith("You're invited! Here is the meeting: answer with")
    assert card.text.startswith("<b>Roundtable</b>")
    assert chat.buttons([card]) == ["Coming in person", "Maybe", "Can't come"]
    replies = await chat.press("Coming in person", emma)
    assert "Your answer: Coming in person · 11 of 12 seats left" in chat.text(replies)
    replies = await chat.send("/rsvp secret", emma)
    assert "✓ Coming in person" in chat.buttons(replies)
    assert await chat.send("/my", emma)


async def test_nobody_else_can_see_find_or_answer_an_invite_only_meeting(mingel_chat) -> None:
    chat = await start(mingel_chat)
    olle = chat.user(3, "Olle", lang="sv")
    replies = await chat.send("/rsvp secret", olle)
    assert chat.text(replies).startswith("Jag hittar ingen träff med id:t secret.")
    for data in ("rsvp:a:secret:in_person", "rsvp:d:secret:2027-10-14", "rsvp:show:secret"):
        replies = await chat.press_data(data, olle)
        assert chat.text(replies) == ("Jag hittar ingen träff med id:t secret. Skicka /programme "
                                      "för att se träffarna.")
        assert chat.toasts[olle.id] is None
    assert chat.assistant.store.table("rsvp_answers").all() == []
    event = chat.assistant.hooks.programme().event("secret")
    hooks = chat.assistant.hooks
    assert hooks.event_visible(chat.assistant.context("x", chat.user(3, "Olle")), event) is False
    organiser = chat.assistant.context("x", chat.user(ORGANISER, "Org"))
    assert hooks.event_visible(organiser, event) is True
    public = chat.assistant.hooks.programme().event("hybrid")
    assert hooks.event_visible(chat.assistant.context("x", chat.user(3, "Olle")), public) is True


async def test_revoked_and_unknown_links_are_refused(mingel_chat) -> None:
    chat = await start(mingel_chat)
    payload = await invite(chat)
    [reply] = await chat.send("/invite secret revoke", ORGANISER)
    assert reply.text == "1 link withdrawn. People already invited stay invited."
    refused, _welcome = await chat.send(f"/start {payload}", chat.user(2, "Emma"))
    assert refused.text == ("This invitation link has been withdrawn. Please ask the organisers "
                            "for a new one.")
    refused, welcome = await chat.send("/start inv-AAAAAAAAAAAAAAAAAAAAAA",
                                       chat.user(3, "Olle", lang="sv"))
    assert refused.text == "Den här inbjudningslänken fungerar inte. Be arrangörerna om en ny."
    assert welcome.text.startswith("Hej Olle! Jag är Mingel")  # new to the bot: the welcome too
    [refused] = await chat.send(f"/start {payload}", 2)  # Emma has written before
    assert refused.text.startswith("This invitation link has been withdrawn.")
    replies = await chat.send("/rsvp secret", 2)
    assert "I can't find a meeting" in chat.text(replies)


async def test_a_link_limited_in_uses_admits_that_many_and_lists_them(mingel_chat) -> None:
    chat = await start(mingel_chat)
    payload = await invite(chat, "2")
    for user in (2, 3):
        welcome, _card = await chat.send(f"/start {payload}", chat.user(user, "Guest"))
        assert welcome.text.startswith("You're invited!")
    refused, _welcome = await chat.send(f"/start {payload}", chat.user(4, "Late"))
    assert "already been used as many times as it allows" in refused.text
    again, _card = await chat.send(f"/start {payload}", 2)
    assert again.text.startswith("You're invited!")
    await invite(chat)
    await chat.send("/invite secret revoke 2", ORGANISER)
    [listing] = await chat.send("/invite secret list", ORGANISER)
    lines = chat.text([listing]).splitlines()
    assert lines[:2] == ["Invitation links: Roundtable",
                         f"1. {payload[:8]}… – 2 of 2 uses – used up"]
    assert re.fullmatch(r"2\. inv-[\w-]{4}… – 0 uses – revoked", lines[2])
    assert lines[3:] == ["2 people invited in all."]


async def test_tokens_are_stored_hashed_and_the_organiser_actions_audited(mingel_chat) -> None:
    chat = await start(mingel_chat)
    payload = await invite(chat, "5")
    token = payload.removeprefix("inv-")
    [link] = chat.assistant.store.table("invitations_links").all()
    assert token not in str(dict(link)) and link["hint"] == token[:4]
    assert link["max_uses"] == 5
    await chat.send("/invite secret revoke", ORGANISER)
    audit = [(a["action"], a["details"]) for a in
             chat.assistant.store.table("assistant_audit").all()]
    assert audit == [("invitations.create", "secret link 1 uses=5"),
                     ("invitations.revoke", "secret link all: 1")]


async def test_only_organisers_invite_and_the_command_explains_itself(mingel_chat) -> None:
    chat = await start(mingel_chat)
    [refused] = await chat.send("/invite secret", chat.user(2, "Emma"))
    assert "inv-" not in refused.text and "/invite" in refused.text
    [usage] = await chat.send("/invite", ORGANISER)
    assert usage.text.splitlines()[2] == ("/invite ID – a new invitation link to the meeting, for "
                                          "any number of people")
    [usage] = await chat.send("/invite secret sometimes", ORGANISER)
    assert "/invite ID 5" in usage.text
    [unknown] = await chat.send("/invite nope", ORGANISER)
    assert unknown.text == ("I can't find a meeting with the id nope. Send /programme to see "
                            "the meetings.")
    [over] = await chat.send("/invite past", ORGANISER)
    assert over.text == "This meeting is over; there is nothing to invite to."
    sv = chat.user(ORGANISER, "Org", lang="sv")
    [reply] = await chat.send("/invite secret 1", sv)
    assert ("Den som öppnar länken kan se träffen och svara. Den släpper in 1 person, sedan "
            "slutar den fungera.") in reply.text


async def test_privacy_hooks_list_and_forget_invitations(mingel_chat) -> None:
    chat = await start(mingel_chat)
    payload = await invite(chat)
    await chat.send(f"/start {payload}", chat.user(2, "Emma"))
    ctx = chat.assistant.context("assistant")
    data = chat.assistant.hooks.user_data(ctx, 2)["invitations"]
    assert data == {"invited_to": [{"event": "secret", "title": "Roundtable",
                                    "when": "Thursday, 14 October 2027, 09:30–11:00", "link": 1,
                                    "at": NOW}], "links_made": []}
    assert chat.assistant.hooks.user_data(ctx, ORGANISER)["invitations"]["links_made"] == [
        {"event": "secret", "title": "Roundtable",
         "when": "Thursday, 14 October 2027, 09:30–11:00", "link": 1, "at": NOW}]
    assert "Invitations" in dict(chat.assistant.hooks.privacy_notice(ctx))["invitations"]
    await chat.assistant.hooks.forget_user(ctx, 2)
    await chat.assistant.store.commit()
    assert chat.assistant.hooks.user_data(ctx, 2)["invitations"]["invited_to"] == []
    replies = await chat.send("/rsvp secret", 2)
    assert "I can't find a meeting" in chat.text(replies)


async def test_forget_gives_back_the_use_of_a_one_use_link(mingel_chat) -> None:
    """After /forget nothing says that Emma opened the link she was given: a link for one
    person no longer reads "1 of 1 use – used up" (that would name her to whoever she got it
    from); it is active again, and lets her in anew if she comes back. Bo's use of the
    other link stays, as a count without a name."""
    chat = await mingel_chat([*plugins(), "plugins.privacy"], organisers=[ORGANISER],
                             now=NOW, env=ENV)
    chat.user(ORGANISER, "Org")
    once, shared = await invite(chat, "1"), await invite(chat)
    emma = chat.user(4242, "Emma")
    await chat.send(f"/start {once}", emma)
    await chat.send(f"/start {shared}", emma)
    await chat.send(f"/start {shared}", chat.user(3, "Bo"))
    await chat.press("Coming in person", emma)
    [listing] = await chat.send("/invite secret list", ORGANISER)
    assert "1 of 1 use – used up" in chat.text([listing])
    [notice] = await chat.send("/privacy", emma)
    assert ("how many people used each link, but not who. This is deleted when the meeting "
            "leaves the programme" in notice.text)
    assert "with /forget, which also takes you off the count of the link you used." in notice.text
    await chat.send("/forget", emma)
    [done] = await chat.press("Yes, delete everything", emma)
    assert chat.text([done]).startswith("Done.")
    [listing] = await chat.send("/invite secret list", ORGANISER)
    lines = chat.text([listing]).splitlines()
    assert lines[1:] == [f"1. {once[:8]}… – 0 of 1 use – active",
                         f"2. {shared[:8]}… – 1 use – active", "1 person invited in all."]
    stored = [dict(d) for name in ("links", "guests")
              for d in chat.assistant.store.table(f"invitations_{name}").all()]
    assert stored and not any(4242 in doc.values() for doc in stored)
    welcome, _card = await chat.send(f"/start {once}", chat.user(4242, "Emma"))
    assert welcome.text.startswith("You're invited! Here is the meeting: answer with")


async def test_retention_and_removal_forget_links_and_guests(mingel_chat) -> None:
    chat = await start(mingel_chat)
    payload = await invite(chat)
    await chat.send(f"/start {payload}", chat.user(2, "Emma"))
    ctx = chat.assistant.context("assistant")
    await chat.assistant.hooks.trim_past(ctx, datetime.fromisoformat("2027-10-01T00:00:00+00:00"))
    assert len(chat.assistant.store.table("invitations_guests").all()) == 1
    await chat.assistant.hooks.trim_past(ctx, datetime.fromisoformat("2027-10-15T00:00:00+00:00"))
    assert chat.assistant.store.table("invitations_guests").all() == []
    assert chat.assistant.store.table("invitations_links").all() == []



async def test_who_answered_keeps_a_meeting_that_becomes_invite_only_and_is_told(
        mingel_chat) -> None:
    """Answers given while the meeting was public count as an invitation: the people keep
    seeing, changing and withdrawing them, and they hear that it is now invite-only; someone
    who never answered still finds nothing, not even with a forged button."""
    programme = ProgrammeStub(ONE_SEAT)
    chat = await mingel_chat(plugins(programme), organisers=[ORGANISER], now=NOW, env=ENV)
    emma, olle, per = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv"), chat.user(4, "Per")
    for user, label in ((emma, "Coming in person"), (olle, "Kommer på plats"),
                        (per, "Coming online")):
        await chat.send("/rsvp hybrid", user)
        await chat.press(label, user)
    await programme.change(chat.assistant, NOW_INVITE_ONLY)
    await chat.tick(minutes=3)

    [note] = chat.sent_to(emma)
    assert note.text.splitlines()[1:] == [
        ("The meeting is now by invitation only. You had already answered, so you keep your "
         "answer and your place.")]
    [sv] = chat.sent_to(olle)
    assert sv.text.splitlines()[1] == ("Träffen är nu bara för inbjudna. Du hade redan svarat, så "
                                       "du behåller ditt svar och din plats på väntelistan.")
    assert len(chat.sent_to(per)) == 1

    assert "The labour market after corona" in chat.text(await chat.send("/my", emma))
    replies = await chat.send("/rsvp hybrid", emma)
    assert "Your answer: Coming in person" in chat.text(replies)
    replies = await chat.press("Can't come", emma)
    assert "Your answer: Can't come" in chat.text(replies)
    promoted = await chat.deliver()
    assert promoted[3][0].text.startswith("Goda nyheter!")
    replies = await chat.send("/rsvp hybrid", emma)
    assert "✓ Can't come" in chat.buttons(replies)
    replies = await chat.press("Coming in person", emma)
    assert "waiting list, place 1" in chat.text(replies)

    kim = chat.user(5, "Kim")
    assert "I can't find a meeting" in chat.text(await chat.send("/rsvp hybrid", kim))
    replies = await chat.press_data("rsvp:a:hybrid:in_person", kim)
    assert chat.text(replies) == ("I can't find a meeting with the id hybrid. Send /programme to "
                                  "see the meetings.")
    assert [d["user"] for d in chat.assistant.store.table("rsvp_answers").all()
            if d["event"] == "hybrid"] == [2, 3, 4]

    await programme.change(chat.assistant, ONE_SEAT)
    await chat.tick(minutes=3)
    assert chat.sent_to(per)[-1].text.splitlines()[1:] == [
        "The meeting is now open to everyone, not only to those invited."]


async def test_wrong_words_and_link_numbers_are_named(mingel_chat) -> None:
    chat = await start(mingel_chat)
    chat.assistant.flood.burst = 10_000
    [none] = await chat.send("/invite secret revoke 9", ORGANISER)
    assert none.text == "There is no link 9; the meeting has no invitation links yet."
    await invite(chat, "1")
    await invite(chat)
    [missing] = await chat.send("/invite secret revoke 9", ORGANISER)
    assert missing.text == ("There is no link 9. This meeting has links 1 and 2; see "
                            "/invite secret list.")
    [done] = await chat.send("/invite secret revoke 2", ORGANISER)
    assert done.text == "1 link withdrawn. People already invited stay invited."
    [again] = await chat.send("/invite secret revoke 2", ORGANISER)
    assert again.text == "Link 2 was already withdrawn."
    [zero] = await chat.send("/invite secret 0", ORGANISER)
    assert zero.text.splitlines()[0] == "A link can work for 1 to 10,000 people, so 0 won't do."
    assert "/invite ID 5 – a link that works for 5 people" in zero.text
    [word] = await chat.send("/invite secret abc", ORGANISER)
    assert word.text.splitlines()[0] == ("I don't understand “abc”. After the meeting's id "
                                         "write a number of uses (1 to 10,000), list or revoke.")
    [extra] = await chat.send("/invite secret 5 <b>", ORGANISER)
    assert extra.text.startswith("I don't understand “&lt;b&gt;”.")
    [revoke] = await chat.send("/invite secret revoke all", ORGANISER)
    assert revoke.text.startswith("After revoke write a link's number, or nothing to withdraw "
                                  "all of the meeting's links.")
    assert [a["details"] for a in chat.assistant.store.table("assistant_audit").all()
            if a["action"] == "invitations.revoke"] == ["secret link 2: 1"]
    sv = chat.user(ORGANISER, "Org", lang="sv")
    [listing] = await chat.send("/invite secret list", sv)
    lines = chat.text([listing]).splitlines()
    assert lines[1].endswith("– 0 av 1 användning – aktiv")
    assert lines[2].endswith("– 0 användningar – tillbakadragen")
    [zero] = await chat.send("/invite secret 0", sv)
    assert zero.text.splitlines()[0] == ("En länk kan fungera för 1 till 10\u00a0000 personer, så 0 "
                                         "går inte.")


SECRET_CANCELLED = PROGRAMME.replace("    invite_only: true\n",
                                    "    invite_only: true\n    cancelled: true\n")
"""The programme after the organisers cancelled the invite-only meeting."""


async def test_a_cancelled_meeting_gets_no_new_link_and_its_old_links_say_it_is_cancelled(
        mingel_chat) -> None:
    programme = ProgrammeStub()
    chat = await mingel_chat(plugins(programme), organisers=[ORGANISER], now=NOW, env=ENV)
    chat.user(ORGANISER, "Org")
    payload = await invite(chat)
    await programme.change(chat.assistant, SECRET_CANCELLED)
    [refused] = await chat.send("/invite secret", ORGANISER)
    assert refused.text == ("This meeting is cancelled, so there is nothing to invite to. Its "
                            "links are still in /invite secret list.")
    assert [d["number"] for d in chat.assistant.store.table("invitations_links").all()] == [1]
    opened, _welcome = await chat.send(f"/start {payload}", chat.user(2, "Emma"))
    assert chat.text([opened]) == ("The meeting this invitation was for, Roundtable (Thursday, "
                                   "14 October 2027, 09:30–11:00), is cancelled: it will not "
                                   "take place.")
    assert chat.assistant.store.table("invitations_guests").all() == []
    [listing] = await chat.send("/invite secret list", ORGANISER)
    assert listing.text.splitlines()[0] == "❌ <b>Cancelled: this meeting will not take place.</b>"
    assert "– 0 uses – active" in listing.text
    [revoked] = await chat.send("/invite secret revoke", ORGANISER)
    assert revoked.text == "1 link withdrawn. People already invited stay invited."
    [none] = await chat.send("/invite secret revoke", ORGANISER)
    assert none.text == "There are no active links to withdraw; see /invite secret list."
    [refused] = await chat.send("/invite off", chat.user(ORGANISER, "Org", lang="sv"))
    assert refused.text == ("Träffen är inställd, så det finns inget att bjuda in till. Dess "
                            "länkar finns kvar i /invite off lista.")


async def test_one_word_too_many_and_odd_digits_are_named(mingel_chat) -> None:
    """`/invite ID 1 2` is not told that 2 is out of range, `5 lista` not that lista is
    unknown, and a superscript two is a word like any other (it crashed `int`)."""
    chat = await start(mingel_chat)
    chat.assistant.flood.burst = 10_000
    one_thing = ("Write just one thing after the meeting's id: a number of uses (1 to 10,000), "
                 "list or revoke.")
    for args in ("1 2", "5 6", "5 lista", "list 2"):
        [reply] = await chat.send(f"/invite secret {args}", ORGANISER)
        assert reply.text.splitlines()[0] == one_thing, args
    [reply] = await chat.send("/invite secret ²", ORGANISER)
    assert reply.text.splitlines()[0].startswith("I don't understand “²”.")
    [reply] = await chat.send("/invite secret revoke ²", ORGANISER)
    assert reply.text.startswith("After revoke write a link's number")
    [reply] = await chat.send("/invite secret 5 20000", ORGANISER)
    assert reply.text.splitlines()[0] == one_thing
    assert chat.assistant.store.table("invitations_links").all() == []


async def test_swedish_messages_name_the_swedish_keywords(mingel_chat) -> None:
    chat = await start(mingel_chat)
    sv = chat.user(ORGANISER, "Org", lang="sv")
    [reply] = await chat.send("/invite secret abc", sv)
    assert reply.text.splitlines() == [
        ("Jag förstår inte ”abc”. Skriv efter träffens id hur många gånger länken ska kunna "
        "användas (1 till 10\u00a0000), lista eller återkalla."), "",
        "/invite ID – en ny inbjudningslänk till träffen, för hur många som helst",
        "/invite ID 5 – en länk som fungerar för 5 personer",
        "/invite ID lista – träffens länkar och hur ofta de har använts",
        ("/invite ID återkalla – dra tillbaka alla träffens länkar (eller: återkalla 2 – bara "
        "länk 2)"),
        "/invite lista – länkarna till alla kommande träffar"]
    [reply] = await chat.send("/invite secret återkalla x", sv)
    assert reply.text.startswith("Skriv en länks nummer efter återkalla,")
    await invite(chat)
    await invite(chat)
    [reply] = await chat.send("/invite secret återkalla 9", sv)
    assert reply.text == ("Det finns ingen länk 9. Träffen har länk 1 och 2; se /invite secret "
                          "lista.")
    [helped] = await chat.send("/help", sv)
    lines = helped.text.splitlines()
    assert "/inbjudan, /invite [ID [ANTAL|lista|återkalla]] – Skapa, lista eller dra tillbaka "\
        "inbjudningslänkar till en träff" in lines
    assert "/osa, /rsvp [ID] – Svara om du kommer till en träff" in lines
    assert any(line.startswith("/deltagare, /attendees [ID] – ") for line in lines)


async def test_invite_without_an_id_offers_the_meetings_a_link_can_be_made_for(
        mingel_chat) -> None:
    """Upcoming meetings, the invite-only ones first, then the others in the programme's order,
    not the cancelled or past ones; a tap makes the link, and only for an organiser."""
    chat = await start(mingel_chat)
    [picker] = await chat.send("/invite", ORGANISER)
    assert picker.text.splitlines()[0] == "Which meeting would you like a new invitation link for?"
    assert chat.buttons([picker]) == [
        "Thu 14 Oct 09:30 · Roundtable", "Fri 20 Aug 10:00 · Webinar",
        "Thu 2 Sept 09:30 · The labour market after corona",
        "Tue 21 Sept 09:30 · Small meeting", "Wed 10 Nov 10:00 · Labour-market days"]
    [made] = await chat.press("Roundtable", ORGANISER)
    assert made.text.startswith("🔗 <b>Invitation to Roundtable</b>")
    welcome, _card = await chat.send(f"/start {LINK.search(made.text).group(1)}",
                                     chat.user(2, "Emma"))
    assert welcome.text.startswith("You're invited! Here is the meeting: answer with")
    replies = await chat.press_data("invitations:new:secret", chat.user(3, "Olle"))
    assert "inv-" not in chat.text(replies)
    assert len(chat.assistant.store.table("invitations_links").all()) == 1


WITH_MAP = PROGRAMME.replace('f7: {name: F7, address: "Fleminggatan 7, Stockholm"}',
                             'f7: {name: F7, address: "Fleminggatan 7, Stockholm", '
                             'latitude: 59.3326, longitude: 18.0419}')


async def test_an_opened_link_sends_the_card_and_map_pin_as_event_does(mingel_chat) -> None:
    chat = await mingel_chat(["plugins.basics", "plugins.programme", "plugins.invitations",
                              "plugins.rsvp"], organisers=[ORGANISER], now=NOW,
                             env={**ENV, "MINGEL_PROGRAMME": programme_file(WITH_MAP)})
    chat.user(ORGANISER, "Org")
    payload = await invite(chat)
    anna = chat.user(2, "Anna", lang="sv")
    welcome, *opened = await chat.send(f"/start {payload}", anna)
    assert welcome.text.startswith("Du är inbjuden! Här är träffen: svara med")
    shown = await chat.send("/event secret", anna)
    assert opened == shown
    card, pin = opened
    assert card.text.startswith("<b>Rundabordssamtal</b>")
    assert (pin.venue.title, pin.venue.address) == ("F7", "Fleminggatan 7, Stockholm")
    assert (pin.venue.latitude, pin.venue.longitude) == (59.3326, 18.0419)


async def test_a_new_link_says_how_many_it_lets_in_and_how_to_limit_or_withdraw_it(
        mingel_chat) -> None:
    """A link for anyone says so, also that a forwarded link lets in whoever gets it, and
    names the commands for a link for a set number and for withdrawing it; those commands
    do what it says."""
    chat = await start(mingel_chat)
    [reply] = await chat.send("/invite secret", ORGANISER)
    lines = chat.text([reply]).splitlines()
    assert lines[-3:] == [
        "This is link 1. I show it only now; I keep just a fingerprint of it.",
        ("Whoever opens it can see the meeting and answer. It lets in any number of people, "
         "including anyone it is passed on to, until you withdraw it: /invite secret revoke 1"),
        ("For a link for a set number of people, put the number after the id: /invite secret 2 "
         "makes a link for 2 people.")]
    [limited] = await chat.send("/invite secret 2", ORGANISER)
    assert chat.text([limited]).splitlines()[-2:] == [
        ("Whoever opens it can see the meeting and answer. It lets in 2 people; then it stops "
         "working."),
        "To withdraw it sooner: /invite secret revoke 2"]
    [listing] = await chat.send("/invite secret list", ORGANISER)
    assert "0 of 2 uses – active" in chat.text([listing])
    [withdrawn] = await chat.send("/invite secret revoke 1", ORGANISER)
    assert withdrawn.text == "1 link withdrawn. People already invited stay invited."
    [listing] = await chat.send("/invite secret list", ORGANISER)
    assert "revoked" in chat.text([listing]).splitlines()[1]

    sv = chat.user(ORGANISER, "Org", lang="sv")
    [reply] = await chat.send("/invite secret", sv)
    assert chat.text([reply]).splitlines()[-2:] == [
        ("Den som öppnar länken kan se träffen och svara. Den släpper in hur många som helst, "
         "även alla som den skickas vidare till, tills du drar tillbaka den: /invite secret "
         "återkalla 3"),
        ("För en länk till ett bestämt antal personer skriver du antalet efter id:t: /invite "
         "secret 2 ger en länk för 2 personer.")]
    [one] = await chat.send("/invite secret 1", sv)
    assert chat.text([one]).splitlines()[-2:] == [
        ("Den som öppnar länken kan se träffen och svara. Den släpper in 1 person, sedan slutar "
         "den fungera."),
        "Vill du dra tillbaka den innan dess: /invite secret återkalla 4"]
    [withdrawn] = await chat.send("/invite secret återkalla 4", sv)
    assert withdrawn.text == ("1 länk har dragits tillbaka. De som redan är inbjudna förblir "
                              "inbjudna.")


async def test_a_link_typed_in_the_terminal_chat_opens_the_invitation(mingel_chat,
                                                                     tmp_path) -> None:
    """The terminal has no link to tap: the link typed as a line is opened as Telegram opens
    it, `/start` with its parameter."""
    chat = await start(mingel_chat)
    payload = await invite(chat)
    terminal = TerminalChat(chat.assistant, User(2, "Emma", language_code="en"),
                            downloads=tmp_path, out=io.StringIO())
    await terminal.handle_line(f"https://t.me/MingelBot?start={payload}")
    out = terminal.out.getvalue()
    assert out.startswith("\nYou're invited! Here is the meeting"), out
    assert "[1] Coming in person" in out and "I didn't understand" not in out


SEASON = PROGRAMME.replace("  - id: secret\n", "".join(
    f"  - id: s{day}\n    title: Meeting {day}\n    start: 2027-09-{day:02d} 09:30\n"
    f"    end: 2027-09-{day:02d} 12:30\n" for day in range(3, 13)) + "  - id: secret\n")
"""A season of two networks' worth: a dozen public meetings before the roundtable."""


async def test_invite_alone_offers_the_roundtable_first_in_a_long_season(mingel_chat) -> None:
    """QA 43: the meetings that need links are the invite-only ones; with a dozen public
    meetings before it, the roundtable was not among the ten /invite offered. The others are
    a "Show more" away, ten a page as in every picker."""
    chat = await mingel_chat(plugins(ProgrammeStub(SEASON)), organisers=[ORGANISER], now=NOW,
                             env=ENV)
    chat.user(ORGANISER, "Org")
    [picker] = await chat.send("/invite", ORGANISER)
    offered = chat.buttons([picker])
    assert offered[0] == "Thu 14 Oct 09:30 · Roundtable"
    days = [("Fri", 3), ("Sat", 4), ("Sun", 5), ("Mon", 6), ("Tue", 7), ("Wed", 8), ("Thu", 9)]
    assert offered[1:] == [
        "Fri 20 Aug 10:00 · Webinar", "Thu 2 Sept 09:30 · The labour market after corona",
        *[f"{weekday} {day} Sept 09:30 · Meeting {day}" for weekday, day in days], "Show more"]
    [more] = await chat.press("Show more", ORGANISER, [picker])
    assert more.edit and more.text == picker.text
    assert chat.buttons([more]) == [
        "Fri 10 Sept 09:30 · Meeting 10", "Sat 11 Sept 09:30 · Meeting 11",
        "Sun 12 Sept 09:30 · Meeting 12", "Tue 21 Sept 09:30 · Small meeting",
        "Wed 10 Nov 10:00 · Labour-market days", "‹ Earlier"], "every meeting is reachable"
    [back] = await chat.press("‹ Earlier", ORGANISER, [more])
    assert chat.buttons([back]) == offered
    [made] = await chat.press("Roundtable", ORGANISER, [picker])
    assert made.text.startswith("🔗 <b>Invitation to Roundtable</b> (Thursday, 14 October 2027, "
                                "09:30–11:00)")


WITH_CONTACT = PROGRAMME.replace("timezone: Europe/Stockholm\n",
                                 "timezone: Europe/Stockholm\ncontact: natverk@example.se\n", 1)


async def test_a_refused_link_says_how_to_reach_the_organisers(mingel_chat) -> None:
    """QA 43: "Please ask the organisers for a new one" left a stranger with no way to ask;
    the programme's contact follows, in their language."""
    chat = await mingel_chat(plugins(ProgrammeStub(WITH_CONTACT)), organisers=[ORGANISER],
                             now=NOW, env=ENV)
    chat.user(ORGANISER, "Org")
    once = await invite(chat, "1")
    await chat.send(f"/start {once}", chat.user(2, "Emma"))
    used, _welcome = await chat.send(f"/start {once}", chat.user(3, "Olle", lang="sv"))
    assert used.text == ("Den här inbjudningslänken har redan använts så många gånger som den "
                         "får. Be arrangörerna om en ny.\nDu når dem på natverk@example.se.")
    unknown, _welcome = await chat.send("/start inv-AAAAAAAAAAAAAAAAAAAAAA", chat.user(4, "Ann"))
    assert unknown.text == ("This invitation link doesn't work. Please ask the organisers for a "
                            "new one.\nYou can reach them at natverk@example.se.")
