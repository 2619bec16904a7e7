"""Once the private join link is in someone's chat, their card says so instead of promising
to send it "shortly before the meeting" (Bob's card on the morning still promised it, with
the link already above it); a link changed since is promised again until it went, and
everyone else's card keeps the promise."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.test_new_private_link import NEW_LINK, change_at, reminded_online
from tests.test_rsvp_integration import REAL
from tests.test_rsvp_online_only import LAST_HOUR, answer
from tests.test_rsvp_support import NOW, ORGANISER, PROGRAMME

PROMISE = ("💻 Online via Zoom: if you're coming online, I send you the link in the chat shortly "
           "before the meeting.")
SENT = "💻 Online via Zoom: I've sent you the link to join in the chat."


async def start(mingel_chat, tmp_path):
    """The real plugins and reminders on the test programme, without flood control: a card
    is looked at often here."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat([*REAL, "plugins.reminders"], organisers=[ORGANISER], now=NOW,
                             flood_control=False, env={"MINGEL_PROGRAMME": str(path)})
    return chat, path


async def card_of(chat, user) -> str:
    return chat.text(await chat.send("/event hybrid", user))


async def test_the_card_says_the_link_is_in_the_chat_once_it_went(mingel_chat, tmp_path) -> None:
    chat, path = await start(mingel_chat, tmp_path)
    emma = chat.user(4, "Emma")
    await answer(chat, emma, "Coming in person")
    bo, sara = chat.user(2, "Bo"), chat.user(3, "Sara", lang="sv")
    await answer(chat, bo, "Coming online")
    assert PROMISE in await card_of(chat, bo), "not sent yet: promised"

    bo, sara = await reminded_online(chat)
    assert SENT in await card_of(chat, bo) and PROMISE not in await card_of(chat, bo)
    assert ("Online via Zoom: jag har redan skickat länken till dig här i chatten."
            in await card_of(chat, sara))
    assert PROMISE in await card_of(chat, emma), "in person: never sent, still promised"

    await change_at(chat, path, LAST_HOUR + timedelta(minutes=5), NEW_LINK)
    assert PROMISE in await card_of(chat, bo), "the new link has not reached him yet"
    chat.clock.advance(minutes=3)
    await chat.tick()
    assert 'href="https://zoom.us/j/999"' in chat.sent_to(bo)[-1].text
    assert SENT in await card_of(chat, bo)


@pytest.mark.parametrize("now", ["Can't come", "Coming in person"])
async def test_the_card_stops_saying_so_once_they_no_longer_come_online(mingel_chat, tmp_path,
                                                                        now: str) -> None:
    """Bo had the link, then answers he can't come, or comes in person: his card no longer
    says the link is in the chat (it used to, as if it were still his to use)."""
    chat, _path = await start(mingel_chat, tmp_path)
    bo, _sara = await reminded_online(chat)
    assert SENT in await card_of(chat, bo)
    await answer(chat, bo, now)
    card = await card_of(chat, bo)
    assert SENT not in card and "Online via Zoom" in card
