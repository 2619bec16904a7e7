"""A newcomer invited to an invite-only roundtable: what they see first, and a withdrawn link
they had already used."""
from __future__ import annotations

from tests.test_invitations import ENV, LINK
from tests.test_rsvp_support import NOW, ORGANISER, ProgrammeStub, plugins


async def start(mingel_chat, programme: ProgrammeStub | None = None):
    chat = await mingel_chat([*plugins(programme), "plugins.privacy"], organisers=[ORGANISER],
                             now=NOW, env=ENV)
    chat.user(ORGANISER, "Org")
    return chat


async def invite(chat, args: str = "") -> str:
    [reply] = await chat.send(f"/invite secret {args}".strip(), ORGANISER)
    return LINK.search(reply.text).group(1)


async def test_a_newcomer_learns_who_writes_how_to_answer_and_how_to_switch_language(
        mingel_chat) -> None:
    """Opening the link is the newcomer's first message to the bot: the greeting says what
    Mingel is, that the buttons under the meeting answer it, and how to switch language; in
    Swedish too. Opening it again is only the short greeting."""
    chat = await start(mingel_chat)
    payload = await invite(chat)
    nina = chat.user(2, "Nina", lang="en")
    welcome, card = await chat.send(f"/start {payload}", nina)
    assert welcome.text.splitlines() == [
        "You're invited! Here is the meeting: answer with the buttons under it.",
        ("I'm Mingel, the assistant for your network's meetings: /help shows everything I can "
         "do. Svenska eller English? Send /language to switch.")]
    assert chat.buttons([card]) == ["Coming in person", "Maybe", "Can't come"]
    again, _card = await chat.send(f"/start {payload}", nina)
    assert again.text == "You're invited! Here is the meeting:"
    anna = chat.user(3, "Anna", lang="sv")
    welcome, _card = await chat.send(f"/start {payload}", anna)
    assert welcome.text.splitlines() == [
        "Du är inbjuden! Här är träffen: svara med knapparna under den.",
        ("Jag är Mingel, assistenten för ditt nätverks träffar: /help visar allt jag kan göra. "
         "Svenska eller English? Skicka /language för att byta.")]


async def test_a_guest_who_reopens_a_withdrawn_link_still_sees_the_meeting(mingel_chat) -> None:
    """Withdrawing a link keeps the people it let in: one of them who taps it again (say, from
    the e-mail) gets the meeting, not "withdrawn, ask for a new one"; a stranger is refused."""
    chat = await start(mingel_chat)
    payload = await invite(chat)
    nina = chat.user(2, "Nina")
    await chat.send(f"/start {payload}", nina)
    await chat.press("Coming in person", nina)
    await chat.send("/invite secret revoke", ORGANISER)
    again, card = await chat.send(f"/start {payload}", nina)
    assert again.text == "You're invited! Here is the meeting:"
    assert "✓ Coming in person" in chat.buttons([card])
    refused, _welcome = await chat.send(f"/start {payload}", chat.user(3, "Bo"))
    assert refused.text == ("This invitation link has been withdrawn. Please ask the organisers "
                            "for a new one.")
