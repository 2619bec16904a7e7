"""At a `health_required` meeting "Coming in person" is refused until the declaration opens,
and the seats then go to whoever books first. Whoever was refused for that reason is told
once when it opens (in their language, with the button to fill it in), unless they have a
seat by then or said they can't come. Before, the refusal promised nothing and nobody was
told: the seats went to those who happened to look that Sunday morning."""
from __future__ import annotations

from datetime import UTC, datetime

from assistant.context import Context
from tests.test_health_support import PROGRAMME, answer_all, attendance, make
from tests.test_health_waiting import FULL

OPENS = datetime(2027, 8, 8, 8, 0, tzinfo=UTC)
"""10:00 in Stockholm on Sunday 8 August: 48 hours before the gathering ("required")."""


async def ask_too_early(chat, user) -> str:
    """The user opens the gathering's card and taps "Coming in person": the refusal."""
    card = await chat.send("/event required", user)
    label = "Kommer på plats" if any("Kanske" in b for b in chat.buttons(card)) \
        else "Coming in person"
    return chat.text(await chat.press(label, user))


def opening_messages(chat, user) -> list:
    return [m for m in chat.sent_to(user) if "is open now" in m.text or ") öppen" in m.text]


async def test_refused_too_early_then_told_once_when_booking_opens(mingel_chat) -> None:
    chat = await make(mingel_chat)
    anna, bob = chat.user(301, "Anna", lang="sv"), chat.user(302, "Bob", lang="en")
    refused = await ask_too_early(chat, anna)
    assert refused == (
        "Till den här träffen behöver du fylla i en hälsodeklaration innan du kan komma på plats. "
        "Du kan svara att du kommer på plats när deklarationen öppnas, söndag 8 augusti 2027 kl. "
        "10:00 – jag säger till då. Till dess kan du svara ”Kanske”.")
    await chat.press("Kanske", anna, replies=await chat.send("/event required", anna))
    assert attendance(chat, "required", 301).answer == "maybe"
    assert (await ask_too_early(chat, anna)).endswith("– jag säger till då."), \
        "already Maybe: nothing more to suggest"
    assert (await ask_too_early(chat, bob)).endswith(
        "Sunday, 8 August 2027 at 10:00: I'll tell you then. Until then you can answer “Maybe”.")

    chat.clock.set(datetime(2027, 8, 8, 7, 59, tzinfo=UTC))
    await chat.tick()
    assert opening_messages(chat, anna) == [] and opening_messages(chat, bob) == []
    await chat.tick(minutes=1)
    [told] = opening_messages(chat, anna)
    assert chat.text([told]) == (
        "📋 Nu är hälsodeklarationen för Tvådagarsträffen (tisdag 10 – onsdag 11 augusti 2027 "
        "kl. 10:00–15:00 varje dag) öppen, så nu kan du boka en plats. Fyll i den och "
        "tryck sedan på ”Kommer på plats” – platserna går till dem som bokar först.")
    assert chat.buttons([told]) == ["Fyll i hälsodeklaration"]
    [told_bob] = opening_messages(chat, bob)
    assert chat.text([told_bob]).startswith(
        "📋 The health declaration for The two-day gathering (Tuesday, 10 – Wednesday, "
        "11 August 2027, 10:00–15:00 each day)")
    for _ in range(3):
        await chat.tick(hours=1)
    assert len(opening_messages(chat, anna)) == 1, "once, however often she asked"
    assert chat.table("health", "opening") == [], "nothing kept once told"

    question = await chat.press("Fyll i hälsodeklaration", anna, replies=[told])
    assert "Fråga 1 av 3" in chat.text(question)
    await answer_all(chat, anna, "nnn")
    done = await chat.press("Jag följer reglerna", anna)
    await chat.press("Kommer på plats", anna, replies=done)
    assert attendance(chat, "required", 301).answer == "in_person"


async def test_nobody_is_told_who_has_a_seat_or_said_no(mingel_chat) -> None:
    chat = await make(mingel_chat)
    cecilia, david = chat.user(303, "Cecilia", lang="sv"), chat.user(304, "David", lang="en")
    await ask_too_early(chat, cecilia)
    await ask_too_early(chat, david)
    await chat.press("Can't come", david, replies=await chat.send("/event required", david))
    assert [d["user"] for d in chat.table("health", "opening")] == [303], \
        "Can't come: nothing to tell him, nothing kept"
    chat.clock.set(OPENS)
    await chat.send("/health required", cecilia)  # she looked herself, before the tick
    await answer_all(chat, cecilia, "nnn")
    await chat.press("Kommer på plats", cecilia, replies=await chat.press("Jag följer", cecilia))
    await chat.tick(minutes=1)
    assert opening_messages(chat, cecilia) == [] and opening_messages(chat, david) == []
    assert chat.table("health", "opening") == []


async def test_a_meeting_full_by_then_is_said_to_be_full(mingel_chat) -> None:
    """Eva was refused early; Bo declared and took the only seat the moment it opened, before
    the tick: Eva learns that "Coming in person" now only reaches the waiting list."""
    chat = await make(mingel_chat, FULL)
    eva, bo = chat.user(5, "Eva", lang="en"), chat.user(6, "Bo", lang="en")
    await ask_too_early(chat, eva)
    chat.clock.set(OPENS)
    await chat.send("/health required", bo)
    await answer_all(chat, bo, "nnn")
    await chat.press("Coming in person", bo, replies=await chat.press("I will follow", bo))
    await chat.tick(minutes=1)
    [told] = opening_messages(chat, eva)
    assert chat.text([told]).endswith(
        "is open now, but every seat is taken already. “Coming in person” on the meeting's card "
        "(/rsvp required) puts you on the waiting list, which needs no declaration; I'll tell "
        "you as soon as a seat is yours.")
    assert chat.buttons([told]) == []


async def test_what_is_kept_is_shown_and_forgotten(mingel_chat) -> None:
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await ask_too_early(chat, eva)
    ctx = chat.context("health", 5)
    assert chat.assistant.hooks.user_data(ctx, 5)["health"] == [
        {"event": "required", "title": "The two-day gathering",
         "when": "Tuesday, 10 – Wednesday, 11 August 2027, 10:00–15:00 each day",
         "tell_when_booking_opens": True}]
    privacy = dict(chat.assistant.hooks.privacy_notice(ctx))["health"]
    assert "If you ask for a seat in person before the declaration opens, I keep which " \
           "meeting until I've told you it has opened." in privacy
    await chat.assistant.hooks.forget_user(ctx, 5)
    assert chat.table("health", "opening") == []


async def test_a_meeting_over_or_gone_leaves_nothing_behind(mingel_chat, tmp_path) -> None:
    """Refused early, then the meeting is cancelled: nobody is told, nothing is kept."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    eva = chat.user(5, "Eva", lang="en")
    await ask_too_early(chat, eva)
    path.write_text(PROGRAMME.replace("    health_required: true\n",
                                      "    health_required: true\n    cancelled: true\n", 1),
                    encoding="utf-8")
    await chat.send("/reload", 1)
    await chat.press("Confirm", 1)
    await chat.tick(minutes=1)
    assert chat.table("health", "opening") == []
    chat.clock.set(OPENS)
    await chat.tick(minutes=1)
    assert opening_messages(chat, eva) == []


async def reload(chat, path, source: str) -> None:
    """The organiser edits the programme and confirms the preview."""
    path.write_text(source, encoding="utf-8")
    await chat.send("/reload", 1)
    await chat.press("Confirm", 1)


async def test_a_meeting_moved_after_they_were_told_tells_them_again(mingel_chat,
                                                                     tmp_path) -> None:
    """Eva was told booking opened; the gathering then moves a week later and she is refused
    again with the same promise: it is kept when the new window opens (the second message
    used to be dropped, its key taken by the first)."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    eva = chat.user(5, "Eva", lang="en")
    await ask_too_early(chat, eva)
    chat.clock.set(OPENS)
    await chat.tick(minutes=1)
    assert len(opening_messages(chat, eva)) == 1
    await reload(chat, path, PROGRAMME.replace(
        "start: 2027-08-10 10:00\n    end: 2027-08-11 15:00",
        "start: 2027-08-17 10:00\n    end: 2027-08-18 15:00"))
    assert "I'll tell you then" in await ask_too_early(chat, eva)
    chat.clock.set(datetime(2027, 8, 15, 8, 1, tzinfo=UTC))
    await chat.tick(minutes=1)
    assert len(opening_messages(chat, eva)) == 2


async def test_no_longer_required_tells_them_booking_is_open(mingel_chat, tmp_path) -> None:
    """The organisers stop requiring the declaration before it opens: booking opens at once,
    and Eva, who was promised a message, gets it then (her record used to be deleted
    untold)."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    eva = chat.user(5, "Eva", lang="en")
    await ask_too_early(chat, eva)
    await reload(chat, path, PROGRAMME.replace("    health_required: true\n", "", 1))
    await chat.tick(minutes=1)
    [told] = [m for m in chat.sent_to(eva) if "can be booked now" in m.text]
    assert told.text.startswith("📋 Seats in person at <b>")
    assert "tap “Coming in person” on the meeting's card (/rsvp required)" in told.text
    assert chat.table("health", "opening") == []
    await chat.tick(minutes=1)
    assert len([m for m in chat.sent_to(eva) if "can be booked now" in m.text]) == 1


async def test_no_longer_required_is_told_in_swedish(mingel_chat, tmp_path) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await make(mingel_chat, env={"MINGEL_PROGRAMME": str(path)})
    ella = chat.user(6, "Ella", lang="sv")
    await ask_too_early(chat, ella)
    await reload(chat, path, PROGRAMME.replace("    health_required: true\n", "", 1))
    await chat.tick(minutes=1)
    assert chat.sent_to(ella)[-1].text.startswith("📋 Nu går det att boka plats på <b>")
    assert "”Kommer på plats” på träffens kort (/rsvp required)" in chat.sent_to(ella)[-1].text


async def test_a_tick_without_programme_forgets_nobody(mingel_chat, monkeypatch) -> None:
    """A tick that finds no programme (it could not be read) keeps the records: Eva is still
    told when booking opens."""
    chat = await make(mingel_chat)
    eva = chat.user(5, "Eva", lang="en")
    await ask_too_early(chat, eva)
    with monkeypatch.context() as patch:
        patch.setattr(Context, "programme", property(lambda _: None))
        await chat.tick(minutes=1)
    assert len(chat.table("health", "opening")) == 1
    chat.clock.set(OPENS)
    await chat.tick(minutes=1)
    assert len(opening_messages(chat, eva)) == 1
