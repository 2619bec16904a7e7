"""RSVP with the chat harness: answering, seats and the waiting list, days, /my, the hooks."""
from __future__ import annotations

import asyncio
import types
from datetime import datetime

from assistant import hookimpl
from tests.test_rsvp_support import (
    NOW,
    ORGANISER,
    PROGRAMME,
    ProgrammeStub,
    documents,
    plugins,
)


async def start(mingel_chat, programme=None, extra=()):
    return await mingel_chat([*plugins(programme), *extra], organisers=[ORGANISER], now=NOW)


def stored(chat, event_id):
    """(user, answer, waiting) as the attendees hook gives them, earliest first."""
    event = chat.assistant.hooks.programme().event(event_id)
    ctx = chat.assistant.context("assistant")
    return [(a.user_id, a.answer, a.waiting) for a in chat.assistant.hooks.attendees(ctx, event)]


async def test_card_offers_the_answers_the_meeting_has(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    assert chat.buttons(await chat.send("/rsvp hybrid", emma)) == [
        "Coming in person", "Coming online", "Maybe", "Can't come"]
    assert chat.buttons(await chat.send("/rsvp small", emma)) == [
        "Coming in person", "Maybe", "Can't come"]
    assert chat.buttons(await chat.send("/rsvp web", emma)) == [
        "Coming online", "Maybe", "Can't come"]
    sv = await chat.send("/rsvp hybrid")
    assert chat.buttons(sv) == ["Kommer på plats", "Deltar online", "Kanske", "Kan inte komma"]
    assert "2 av 2 platser kvar" in chat.text(sv)


async def test_one_tap_answers_and_the_card_updates_in_place_with_the_calendar_file(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    await chat.send("/rsvp hybrid", emma)
    replies = await chat.press("Coming in person", emma)
    card = replies[0]
    assert card.edit
    assert "Your answer: Coming in person · 1 of 2 seats left" in chat.text([card])
    assert "✓ Coming in person" in chat.buttons([card])
    [ics] = documents(replies)
    assert ics.filename == "hybrid.ics" and b"X-REASON:confirmed" in ics.content
    assert chat.toasts[2] == "Saved: Coming in person"
    assert stored(chat, "hybrid") == [(2, "in_person", False)]

    replies = await chat.press("Maybe", emma)
    assert "Your answer: Maybe · 2 of 2 seats left" in chat.text(replies)
    assert documents(replies) == []
    replies = await chat.press("Coming online", emma)
    assert "Your answer: Coming online" in chat.text(replies)
    assert b"X-REASON:confirmed" in documents(replies)[0].content


async def test_swedish_card_and_answer(mingel_chat) -> None:
    chat = await start(mingel_chat)
    await chat.send("/rsvp hybrid")
    replies = await chat.press("Kommer på plats")
    assert "Ditt svar: Kommer på plats · 1 av 2 platser kvar" in chat.text(replies)
    assert chat.toasts[1001] == "Sparat: Kommer på plats"


async def test_full_meeting_puts_people_on_the_waiting_list_and_promotes_the_first_once(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, olle, per = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv"), chat.user(4, "Per")
    for user in (emma, olle, per):
        await chat.send("/rsvp small", user)
    await chat.press("Coming in person", emma)
    replies = await chat.press("Kommer på plats", olle)
    assert "Kommer på plats – väntelista, plats 1" in chat.text(replies)
    assert chat.toasts[3] == "Du står på väntelistan, plats 1."
    assert documents(replies) == []
    await chat.press("Coming in person", per)
    assert chat.toasts[4] == "You're on the waiting list, place 2."

    await chat.press("Can't come", emma)
    delivered = await chat.deliver()
    assert set(delivered) == {3}
    note, ics = delivered[3]
    assert note.text.startswith("Goda nyheter! En plats har blivit ledig på <b>Litet möte</b>")
    assert "Ditt svar: Kommer på plats." in note.text
    assert ics.document.filename == "small.ics" and b"X-REASON:promoted" in ics.document.content
    await chat.tick(minutes=5)
    assert len(chat.sent_to(olle)) == 2
    assert stored(chat, "small") == [(3, "in_person", False), (4, "in_person", True),
                                     (2, "no", False)]
    my = await chat.send("/my", per)
    assert "Small meeting: Coming in person – waiting list, place 1" in chat.text(my)


async def test_the_attendees_list_gives_each_waiting_person_the_place_they_are_told(
        mingel_chat) -> None:
    """The list organisers and reminders read works out the waiting places in one pass over
    the meeting (it took one pass per waiting person); each must be the person's own."""
    source = PROGRAMME.replace("    capacity: 2\n", "    capacity: 1\n    online_capacity: 1\n", 1)
    chat = await start(mingel_chat, ProgrammeStub(source))
    taps = [(2, "Coming in person"), (3, "Coming online"), (4, "Coming online"),
            (5, "Coming in person"), (6, "Coming online"), (7, "Coming in person")]
    told = {}
    for user_id, label in taps:
        await chat.send("/rsvp hybrid", chat.user(user_id, f"P{user_id}"))
        await chat.press(label, user_id)
        told[user_id] = chat.toasts[user_id]
    event = chat.assistant.hooks.programme().event("hybrid")
    ctx = chat.assistant.context("assistant")
    places = {a.user_id: (a.answer, a.position) for a in chat.assistant.hooks.attendees(ctx, event)}
    assert places == {2: ("in_person", None), 3: ("online", None), 4: ("online", 1),
                      5: ("in_person", 1), 6: ("online", 2), 7: ("in_person", 2)}
    assert [told[u] for u in (4, 5, 6, 7)] == [
        f"You're on the waiting list, place {n}." for n in (1, 1, 2, 2)]


async def test_two_taps_for_the_last_seat_at_once_give_it_to_exactly_one(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle")
    await chat.send("/rsvp small", emma)
    await chat.send("/rsvp small", olle)
    await asyncio.gather(chat.press("Coming in person", emma), chat.press("Coming in person", olle))
    answers = stored(chat, "small")
    assert sorted(waiting for _, _, waiting in answers) == [False, True]
    waiting_user = next(user for user, _, waiting in answers if waiting)
    assert chat.toasts[waiting_user] == "You're on the waiting list, place 1."


async def test_stale_forged_and_closed_buttons_change_nothing(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    replies = await chat.send("/rsvp past", emma)
    assert chat.buttons(replies) == []
    assert chat.text(replies).startswith("⌛ This meeting is over.\nSpring meeting")
    assert chat.text(replies).count("is over") == 1  # the card says it, once
    replies = await chat.send("/rsvp off", emma)
    assert chat.buttons(replies) == []
    assert chat.text(replies).count("will not take place") == 1
    for data, why in [("rsvp:a:past:in_person", "is over"), ("rsvp:a:off:maybe", "is cancelled"),
                      ("rsvp:a:nope:maybe", "I can't find a meeting with the id nope."),
                      ("rsvp:a", "This button no longer works."),
                      ("rsvp:a:small:online", "isn't possible"),
                      ("rsvp:a:hybrid:everything", "isn't possible"),
                      ("rsvp:d:hybrid:2027-09-02", "no longer works"),
                      ("rsvp:d:days:1999-01-01", "no longer works")]:
        user = chat.user(len(chat.toasts) + 10, "Forger")
        replies = await chat.press_data(data, user)
        said = [chat.toasts[user.id] or "", chat.text(replies)]
        assert sum(why in place for place in said) == 1, data  # once: a notice or a message
    assert chat.assistant.store.table("rsvp_answers").all() == []


async def test_gate_can_refuse_and_the_changed_hook_sees_every_change(mingel_chat) -> None:
    changes = []
    gatekeeper = types.ModuleType("gatekeeper")
    gatekeeper.NAME = "gatekeeper"

    async def rsvp_gate(ctx, event, answer):
        return "Please fill in the health declaration first." if answer == "online" else None

    def rsvp_changed(event, user_id, before, after):
        changes.append((user_id, before and (before.answer, before.waiting),
                        after and (after.answer, after.waiting)))

    gatekeeper.rsvp_gate = hookimpl(rsvp_gate)
    gatekeeper.rsvp_changed = hookimpl(rsvp_changed)
    chat = await start(mingel_chat, extra=[gatekeeper])
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle")
    await chat.send("/rsvp hybrid", emma)
    assert await chat.press("Coming online", emma) == []
    assert chat.toasts[2] == "Please fill in the health declaration first."
    assert stored(chat, "hybrid") == []
    await chat.send("/rsvp small", emma)
    await chat.send("/rsvp small", olle)
    await chat.press("Coming in person", emma)
    await chat.press("Coming in person", olle)
    await chat.press("Maybe", emma)
    assert changes == [(2, None, ("in_person", False)), (3, None, ("in_person", True)),
                       (2, ("in_person", False), ("maybe", False)),
                       (3, ("in_person", True), ("in_person", False))]


async def test_multi_day_answers_count_seats_per_day(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle")
    await chat.send("/rsvp days", emma)
    replies = await chat.press("Coming in person", emma)
    assert chat.buttons(replies)[-2:] == ["☑ Wed 10 Nov", "☑ Thu 11 Nov"]
    assert "Your days: Wed 10 Nov, Thu 11 Nov" in chat.text(replies)
    replies = await chat.press("☑ Thu 11 Nov", emma)
    assert "Your days: Wed 10 Nov" in chat.text(replies)
    assert "Wed 10 Nov: fully booked, Thu 11 Nov: 1 of 1 seat left" in chat.text(replies)

    await chat.send("/rsvp days", olle)
    replies = await chat.press("Coming in person", olle)
    assert "waiting list, place 1" in chat.text(replies)
    replies = await chat.press("☑ Wed 10 Nov", olle)
    assert "Your answer: Coming in person · " in chat.text(replies)
    assert "Your days: Thu 11 Nov" in chat.text(replies)
    assert b"X-REASON:confirmed" in documents(replies)[0].content
    assert stored(chat, "days") == [(2, "in_person", False), (3, "in_person", False)]

    assert await chat.press("☐ Wed 10 Nov", olle) == []
    assert chat.toasts[3] == "There are no seats left on Wed 10 Nov."
    assert await chat.press_data("rsvp:d:days:2027-11-10", emma) == []
    assert chat.toasts[2] == "Keep at least one day, or answer “Can't come”."


async def test_my_lists_upcoming_answers_with_buttons(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    assert "You haven't answered any upcoming meeting yet." in chat.text(
        await chat.send("/my", emma))
    await chat.send("/rsvp web", emma)
    await chat.press("Coming online", emma)
    await chat.send("/rsvp small", emma)
    await chat.press("Can't come", emma)
    replies = await chat.send("/my", emma)
    assert chat.text(replies).splitlines() == [
        "Your meetings", "",
        "• Fri 20 Aug 10:00 – Webinar: Coming online", "",
        "You said you can't come to these. Tap one if you change your mind:",
        "• Tue 21 Sept 09:30 – Small meeting", "",
        "Times are given in Sweden Time."]  # the webinar is joined online
    assert chat.buttons(replies) == ["Fri 20 Aug 10:00 · Webinar",
                                     "Tue 21 Sept 09:30 · Small meeting"]
    replies = await chat.press("Webinar", emma)
    assert "✓ Coming online" in chat.buttons(replies)


async def test_my_lists_a_meeting_one_can_not_come_to_so_one_can_change_ones_mind(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    olle = chat.user(3, "Olle", lang="sv")
    await chat.send("/rsvp small", olle)
    await chat.press("Kan inte komma", olle)
    replies = await chat.send("/my", olle)
    assert chat.text(replies).splitlines() == [
        "Dina träffar", "",
        ("Du har svarat att du inte kan komma till de här träffarna. Tryck på en av dem om du "
        "ändrar dig:"),
        "• tis 21 sep. 09:30 – Litet möte"]
    replies = await chat.press("Litet möte", olle)
    assert "✓ Kan inte komma" in chat.buttons(replies)
    replies = await chat.press("Kommer på plats", olle)
    assert "Ditt svar: Kommer på plats" in chat.text(replies)
    replies = await chat.send("/my", olle)
    assert "• tis 21 sep. 09:30 – Litet möte: Kommer på plats" in chat.text(replies)
    assert "inte kan komma" not in chat.text(replies)


async def test_my_lists_cancelled_meetings_apart_without_asking_to_change_ones_mind(
        mingel_chat) -> None:
    """A cancelled meeting takes no answers: it is not among those one may change one's mind
    about, and has no button; it is listed last, so that those who said they can't come
    (who get no cancellation notice) learn it too."""
    programme = ProgrammeStub()
    chat = await start(mingel_chat, programme)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle", lang="sv")
    for user, label in ((emma, "Can't come"), (olle, "Kan inte komma")):
        await chat.send("/rsvp small", user)
        await chat.press(label, user)
    await chat.send("/rsvp hybrid", emma)
    await chat.press("Coming online", emma)
    await chat.send("/rsvp web", emma)
    await chat.press("Can't come", emma)
    off = PROGRAMME.replace("    capacity: 1\n", "    capacity: 1\n    cancelled: true\n", 1)
    await programme.change(chat.assistant, off.replace(
        "    capacity: 2\n", "    capacity: 2\n    cancelled: true\n", 1))
    replies = await chat.send("/my", emma)
    assert chat.text(replies).splitlines() == [
        "Your meetings", "",
        "You said you can't come to these. Tap one if you change your mind:",
        "• Fri 20 Aug 10:00 – Webinar", "",
        "These meetings you answered are cancelled:",
        "• Thu 2 Sept 09:30 – The labour market after corona",
        "• Tue 21 Sept 09:30 – Small meeting", "",
        "Times are given in Sweden Time."]
    assert chat.buttons(replies) == ["Fri 20 Aug 10:00 · Webinar"]
    replies = await chat.send("/my", olle)
    assert chat.text(replies).splitlines() == [
        "Dina träffar", "",
        "Du har ingen kommande träff. Skicka /programme för att se vad som är på gång.", "",
        "Den här träffen som du har svarat om är inställd:",
        "• tis 21 sep. 09:30 – Litet möte"]
    assert chat.buttons(replies) == []


async def test_rsvp_to_an_unknown_or_hidden_meeting_reads_as_every_other_command(
        mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    for meeting in ("nosuch", "secret"):
        assert chat.text(await chat.send(f"/rsvp {meeting}", emma)) == (
            f"I can't find a meeting with the id {meeting}. Send /programme to see the "
            "meetings.")


async def test_change_attendance_for_another_plugin_promotes_the_next(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle")
    await chat.send("/rsvp hybrid", emma)
    await chat.press("Coming in person", emma)
    await chat.send("/rsvp hybrid", olle)
    await chat.press("Coming in person", olle)
    await chat.send("/rsvp hybrid", 4)
    await chat.press("Coming in person", 4)
    event = chat.assistant.hooks.programme().event("hybrid")
    ctx = chat.assistant.context("assistant", emma)
    line = await chat.assistant.hooks.change_attendance(ctx, event, "online")
    await chat.assistant.store.commit()
    assert line == "Your answer to The labour market after corona is now: Coming online."
    assert stored(chat, "hybrid") == [(3, "in_person", False), (4, "in_person", False),
                                      (2, "online", False)]
    assert "Good news!" in chat.text((await chat.deliver())[4])


async def test_forgetting_a_seat_holder_promotes_the_next_and_data_is_listed(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle")
    await chat.send("/rsvp small", emma)
    await chat.press("Coming in person", emma)
    await chat.send("/rsvp small", olle)
    await chat.press("Coming in person", olle)
    ctx = chat.assistant.context("assistant")
    data = chat.assistant.hooks.user_data(ctx, 2)["rsvp"]
    assert data == [{"event": "small", "title": "Small meeting",
                     "when": "Tuesday, 21 September 2027, 09:30–12:30", "answer": "in_person",
                     "waiting": False, "days": [], "answered_at": NOW}]
    assert "Answers (RSVP)" in dict(chat.assistant.hooks.privacy_notice(ctx))["rsvp"]
    assert await chat.assistant.hooks.forget_user(ctx, 2) == []
    await chat.assistant.store.commit()
    assert stored(chat, "small") == [(3, "in_person", False)]
    assert "Good news!" in chat.text((await chat.deliver())[3])
    assert chat.assistant.hooks.user_data(ctx, 2)["rsvp"] == []


async def test_card_without_a_programme_card_plugin_still_works(mingel_chat) -> None:
    class Bare(ProgrammeStub):
        event_card = None

    chat = await mingel_chat(["plugins.basics", Bare(), "plugins.rsvp"], now=NOW)
    emma = chat.user(2, "Emma")
    replies = await chat.send("/rsvp hybrid", emma)
    assert chat.text(replies).startswith("The labour market after corona\n")
    replies = await chat.press("Maybe", emma)
    assert "Your answer: Maybe" in chat.text(replies)


async def test_retention_forgets_answers_to_meetings_long_over(mingel_chat) -> None:
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    await chat.send("/rsvp web", emma)
    await chat.press("Maybe", emma)
    await chat.send("/rsvp hybrid", emma)
    await chat.press("Maybe", emma)
    cut_off = datetime.fromisoformat("2027-09-01T00:00:00+00:00")
    await chat.assistant.hooks.trim_past(chat.assistant.context("assistant"), cut_off)
    assert [d["event"] for d in chat.assistant.store.table("rsvp_answers").all()] == ["hybrid"]


async def test_rsvp_without_an_id_offers_the_next_meetings_to_pick(mingel_chat) -> None:
    """The card shows no id, so /rsvp alone lists the upcoming meetings as buttons (not the
    past or cancelled ones), and a tap opens the card with the answers."""
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    picker = await chat.send("/rsvp", emma)
    assert chat.text(picker) == "Which meeting would you like to answer?"
    assert chat.buttons(picker) == ["Fri 20 Aug 10:00 · Webinar",
                                    "Thu 2 Sept 09:30 · The labour market after corona",
                                    "Tue 21 Sept 09:30 · Small meeting",
                                    "Wed 10 Nov 10:00 · Labour-market days"]
    card = await chat.press("Tue 21 Sept 09:30 · Small meeting", emma)
    assert chat.buttons(card) == ["Coming in person", "Maybe", "Can't come"]
    await chat.press("Coming in person", emma)
    assert stored(chat, "small") == [(2, "in_person", False)]
    assert chat.text(await chat.send("/rsvp")) == "Vilken träff vill du svara på?"


async def test_a_picker_puts_the_users_own_meetings_first(mingel_chat) -> None:
    """At a festival the first ten meetings of the programme are rarely one's own: a command
    sent without an id offers the meetings the user answered first (not those they can't come
    to), marked ✓ so that the dates' order is explained, then the others, each in the
    programme's order."""
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    await chat.send("/rsvp small", emma)
    await chat.press("Coming in person", emma)
    await chat.send("/rsvp hybrid", emma)
    await chat.press("Can't come", emma)
    assert chat.buttons(await chat.send("/rsvp", emma)) == [
        "✓ Tue 21 Sept 09:30 · Small meeting", "Fri 20 Aug 10:00 · Webinar",
        "Thu 2 Sept 09:30 · The labour market after corona",
        "Wed 10 Nov 10:00 · Labour-market days"]
    assert chat.buttons(await chat.send("/rsvp", chat.user(3, "Bo")))[0] == \
        "Fri 20 Aug 10:00 · Webinar"


async def test_a_meeting_id_typed_in_capitals_is_the_same_meeting(mingel_chat) -> None:
    """Phone keyboards capitalise the first letter: /rsvp Hybrid is /rsvp hybrid, and the
    answer is stored under the meeting's own id."""
    chat = await start(mingel_chat)
    emma = chat.user(2, "Emma")
    card = await chat.send("/rsvp Hybrid", emma)
    assert chat.buttons(card) == ["Coming in person", "Coming online", "Maybe", "Can't come"]
    await chat.press("Coming in person", emma)
    await chat.send("/rsvp SMALL", emma)
    await chat.press("Maybe", emma)
    assert stored(chat, "hybrid") == [(2, "in_person", False)]
    assert stored(chat, "small") == [(2, "maybe", False)]
    assert [d["event"] for d in chat.table("rsvp", "answers")] == ["hybrid", "small"]


async def test_organisers_may_type_a_meeting_id_in_capitals_too(mingel_chat) -> None:
    chat = await start(mingel_chat)
    await chat.send("/rsvp small", chat.user(2, "Emma"))
    await chat.press("Coming in person", 2)
    replies = await chat.send("/attendees Small", ORGANISER)
    assert "Emma" in chat.text(replies)
    assert [r.document.filename for r in replies if r.document] == ["attendees-small.csv"]


async def test_swedish_card_starts_a_line_with_a_capital_and_joins_date_and_time_with_kl(
        mingel_chat) -> None:
    """"Fullbokad" alone at the start of the line; a meeting over two days is
    "onsdag 10 – torsdag 11 november 2027 kl. 10:00–15:00 varje dag"."""
    chat = await start(mingel_chat)
    await chat.send("/rsvp small", chat.user(2, "Emma"))
    await chat.press("Coming in person", 2)
    olle = chat.user(3, "Olle", lang="sv")
    [card] = await chat.send("/rsvp small", olle)
    assert "\nFullbokad" in card.text
    [card] = await chat.send("/rsvp days", olle)
    assert card.text.splitlines()[1] == "onsdag 10 – torsdag 11 november 2027 kl. 10:00–15:00 " \
                                        "varje dag"
    [card] = await chat.send("/rsvp days", chat.user(4, "Kim"))
    assert card.text.splitlines()[1] == ("Wednesday, 10 – Thursday, 11 November 2027, "
                                         "10:00–15:00 each day")


async def test_full_seats_at_a_hybrid_meeting_say_they_are_the_in_person_ones(mingel_chat) -> None:
    """Online places are not in doubt when the seats are taken: the card says which are full."""
    chat = await start(mingel_chat)
    emma, olle, per = chat.user(2, "Emma"), chat.user(3, "Olle"), chat.user(4, "Per")
    sven = chat.user(5, "Sven", lang="sv")
    for user in (emma, olle):
        await chat.send("/rsvp hybrid", user)
        await chat.press("Coming in person", user)
    await chat.send("/rsvp hybrid", per)
    replies = await chat.press("Coming online", per)
    assert "Your answer: Coming online · no in-person seats left" in chat.text(replies)
    await chat.send("/rsvp hybrid", sven)
    replies = await chat.press("Deltar online", sven)
    assert "Ditt svar: Deltar online · fullbokat på plats" in chat.text(replies)
    await chat.send("/rsvp small", emma)
    await chat.press("Coming in person", emma)
    replies = await chat.send("/rsvp small", per)
    assert chat.text(replies).endswith("Fully booked")


async def test_forgetting_someone_tells_the_plugins_each_answer_is_gone(mingel_chat) -> None:
    """As docs/plugins.md says of `rsvp_changed`: /forget removes each answer with
    `after=None` in the core's context, then the place goes to the next in line."""
    heard = []
    listener = types.ModuleType("listener")
    listener.NAME = "listener"

    def rsvp_changed(ctx, event, user_id, before, after):
        heard.append((ctx.user, event.id, user_id, before and before.answer,
                      after and (after.answer, after.waiting)))

    listener.rsvp_changed = hookimpl(rsvp_changed)
    chat = await start(mingel_chat, extra=[listener])
    emma, olle = chat.user(2, "Emma"), chat.user(3, "Olle")
    for user in (emma, olle):
        await chat.send("/rsvp small", user)
        await chat.press("Coming in person", user)
    heard.clear()
    assert await chat.assistant.forget_user(2) == []
    assert heard == [(None, "small", 2, "in_person", None),
                     (None, "small", 3, "in_person", ("in_person", False))]
