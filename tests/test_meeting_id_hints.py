"""Did you mean …? for a mistyped meeting id (assistant.idhints): the closest visible ids,
found without asking every meeting of a festival whether the user may see it."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from assistant import hookimpl
from assistant.context import Context
from assistant.model import Event, Programme
from assistant.types import Command

STOCKHOLM = ZoneInfo("Europe/Stockholm")
BEGIN = datetime(2027, 9, 1, 9, 30, tzinfo=STOCKHOLM)


class Festival:
    """4,000 meetings m0000…m3999, m0013 invite-only and hidden; counts visibility checks."""

    NAME = "festival"

    def __init__(self) -> None:
        self.current = Programme(timezone=STOCKHOLM, events=tuple(
            Event(id=f"m{n:04d}", networks=(), title={"sv": f"Möte {n}", "en": f"Meeting {n}"},
                  start=BEGIN + timedelta(hours=n), end=BEGIN + timedelta(hours=n, minutes=45),
                  invite_only=n == 13) for n in range(4000)))
        self.checked = 0

    @hookimpl
    def programme(self) -> Programme:
        return self.current

    @hookimpl
    def event_visible(self, ctx: Context, event: Event) -> bool:
        self.checked += 1
        return not event.invite_only

    @hookimpl
    def register_commands(self) -> list[Command]:
        return [Command("card", self.card, "Show a card", args="[ID]")]

    async def card(self, ctx: Context) -> None:
        event = ctx.event(ctx.args[0])
        ctx.reply(f"card {event.id}" if event else ctx.unknown_meeting(ctx.args[0]))


async def start(mingel_chat):
    festival = Festival()
    chat = await mingel_chat(["plugins.basics", festival], now="2027-08-01T08:00:00+00:00")
    chat.user(1, "Emma", lang="en")
    return chat, festival


async def test_the_closest_id_is_suggested_after_few_visibility_checks(mingel_chat) -> None:
    chat, festival = await start(mingel_chat)
    festival.checked = 0
    [answer] = await chat.send("/card m0120x", 1)
    assert answer.text == ("I can't find a meeting with the id m0120x. Did you mean /card m0120 "
                           "(Mon 6 Sept 09:30 · Meeting 120)?")
    assert festival.checked <= 3


async def test_a_hidden_id_is_never_suggested(mingel_chat) -> None:
    """Typed exactly, the hidden m0013 is the closest id: the suggestion is the first three of
    the next closest (m0001, m0003, m0010 …), in the programme's order, as for any text."""
    chat, festival = await start(mingel_chat)
    festival.checked = 0
    [hidden] = await chat.send("/card m0013", 1)
    assert hidden.text.splitlines() == [
        "I can't find a meeting with the id m0013. Did you mean one of these?",
        "• /card m0001 (Wed 1 Sept 10:30 · Meeting 1)",
        "• /card m0003 (Wed 1 Sept 12:30 · Meeting 3)",
        "• /card m0010 (Wed 1 Sept 19:30 · Meeting 10)"]
    assert festival.checked <= 5


async def test_an_id_like_none_answers_as_before(mingel_chat) -> None:
    chat, _festival = await start(mingel_chat)
    [answer] = await chat.send("/card nosuch", 1)
    assert answer.text == ("I can't find a meeting with the id nosuch. Send /programme to see "
                           "the meetings.")


async def test_an_id_a_command_lowers_is_still_put_right_in_the_command(mingel_chat) -> None:
    """/calendar lowers the id before looking it up: the suggestion still names the command
    with the id typed replaced."""
    chat = await mingel_chat(["plugins.basics", "plugins.programme", "plugins.calendar"],
                             now="2027-08-01T08:00:00+00:00")
    chat.user(2, "Sven", lang="sv")
    [answer] = await chat.send("/kalender AM-2027-09-03", 2)
    assert answer.text.startswith("Jag hittar ingen träff med id:t am-2027-09-03. Menade du "
                                  "/kalender am-2027-09-02 (tors 2 sep. 09:30 · ")
    assert answer.text.endswith("regeringens arbetsmarknadspolitik framåt)?")  # not cut


async def test_an_id_cut_short_suggests_the_ids_it_begins(mingel_chat) -> None:
    """The sample's roundtable is am-2027-10-14-rundabord: typed as its date alone it was
    "Did you mean am-2027-10-04?", a meeting ten days before, one character away."""
    chat = await mingel_chat(["plugins.basics", "plugins.programme"], organisers=[1],
                             now="2027-08-01T08:00:00+00:00")
    chat.user(1, "Eva", lang="en")
    chat.user(2, "Sven", lang="en")
    [answer] = await chat.send("/event am-2027-10-14", 1)
    lines = answer.text.splitlines()
    assert lines[0] == "I can't find a meeting with the id am-2027-10-14. Did you mean one of these?"
    assert lines[1].startswith("• /event am-2027-10-04 (Mon 4 Oct 09:30 · ")
    assert lines[2].startswith("• /event am-2027-10-14-rundabord (Thu 14 Oct 09:30 · ")
    [hidden] = await chat.send("/event am-2027-10-14", 2)
    assert "rundabord" not in hidden.text, "an invite-only meeting is never named"
    assert "/event am-2027-10-04 " in hidden.text
