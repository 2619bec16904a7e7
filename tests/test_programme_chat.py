"""The programme in the chat (harness): listing, cards, networks, search, reload and uploads."""
from __future__ import annotations

import argparse
import asyncio
import io
import sys
import textwrap
import types
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from assistant import hookimpl
from assistant.model import Attendance
from bench.festival import programme_yaml
from plugins.programme import check
from plugins.programme.source import BrokenProgramme

ORG, ORG_SV, SVEN, EMMA = 1, 2, 10, 11
PLUGINS = ["plugins.basics", "plugins.programme"]

PROGRAMME = textwrap.dedent("""\
    timezone: Europe/Stockholm
    contact: natverk@example.se
    venues:
      f7:
        name: F7
        address: Fleminggatan 7, Stockholm
        latitude: 59.3326
        longitude: 18.0419
      hus:
        name: Bostadshuset
        address: Storgatan 1, Stockholm
    networks:
      arbetsmarknad:
        name: {sv: Arbetsmarknadspolitiskt nätverk, en: Labour-market policy network}
        description:
          sv: Vi går djupare än den dagliga politiska debatten.
          en: We go deeper than the day-to-day political debate.
        moderator:
          name: Emelie Fågelstedt
          role: {sv: Samtalsledare, en: Moderator}
      bostad:
        name: {sv: Bostadspolitiskt nätverk, en: Housing policy network}
        description: {sv: Bostadsbyggande och hyresmarknad., en: House building and rents.}
    defaults:
      networks: [arbetsmarknad]
      venue: f7
      note: {sv: Med förbehåll för ändringar, en: Subject to change}
    events:
      - id: am-juni
        title: {sv: Vårens avslutning, en: End of spring}
        start: 2027-06-10 09:30
        end: 2027-06-10 12:30
      - id: am-sep
        title: {sv: Arbetsmarknaden efter corona, en: The labour market after corona}
        description:
          sv: Vi tittar på den arbetsmarknadspolitiska agendan.
          en: We look at the labour-market policy agenda.
        start: 2027-09-02 09:30
        end: 2027-09-02 12:30
        online: {platform: Zoom, url: "https://zoom.us/j/61234567890", private: true}
        speakers:
          - name: Roger Mörtvik
            role: {sv: Statssekreterare, en: State Secretary}
      - id: am-online
        title: {sv: Digitalt samtal om kompetens, en: Online talk on skills}
        start: 2027-09-16 10:00
        end: 2027-09-16 11:00
        venue: null
        online: https://zoom.us/j/69876543210
      - id: am-oktober
        title: {sv: Flexicurity i Danmark, en: Flexicurity in Denmark}
        start: 2027-10-05 09:30
        end: 2027-10-05 12:30
        cancelled: true
      - id: am-rundabord
        title: {sv: Rundabordssamtal om Arbetsförmedlingen, en: Roundtable on the Employment Service}
        start: 2027-10-14 09:30
        end: 2027-10-14 11:00
        invite_only: true
      - id: am-dagarna
        title: {sv: Arbetsmarknadsdagarna, en: Labour-market days}
        start: 2027-11-10 10:00
        end: 2027-11-11 15:00
      - id: gemensam
        networks: [arbetsmarknad, bostad]
        title: {sv: Arbete med arbetsmiljön, en: Working on the work environment}
        start: 2027-11-24 09:30
        end: 2027-11-24 15:00
        speakers: [Erna Zelmin-Ekenhem]
      - id: bo-dec
        networks: [bostad]
        venue: hus
        title: {sv: Hyresmarknaden, en: The rental market}
        start: 2027-12-01 09:30
        end: 2027-12-01 12:30
    """)


def edited(text: str = PROGRAMME) -> str:
    """The programme after the organisers' edit: a time, a venue, a cancellation, one in, one out."""
    text = text.replace("start: 2027-09-02 09:30", "start: 2027-09-02 10:00")
    text = text.replace("    online: https://zoom.us/j/69876543210\n",
                        "    online: https://zoom.us/j/69876543210\n    cancelled: true\n")
    text = text.replace("    speakers: [Erna Zelmin-Ekenhem]\n",
                        "    speakers: [Erna Zelmin-Ekenhem]\n    venue: hus\n")
    head, _, _ = text.partition("  - id: bo-dec\n")
    return head + ("  - id: am-ny\n"
                   "    title: {sv: Nytt möte, en: New meeting}\n"
                   "    start: 2027-12-08 09:30\n"
                   "    end: 2027-12-08 12:30\n")


def line_of(needle: str, text: str = PROGRAMME) -> int:
    """The line of the programme's only line that contains `needle`."""
    [line] = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return line


BROKEN = PROGRAMME.replace("venue: hus", "venue: huss").replace(
    "end: 2027-09-16 11:00", "end: 2027-09-16 09:00")


def recorder() -> tuple[types.ModuleType, list[tuple[str | None, str | None, tuple[str, ...]]]]:
    """A tiny plugin that records every event_changed call."""
    calls: list[tuple[str | None, str | None, tuple[str, ...]]] = []
    module = types.ModuleType("test_plugins.recorder")
    module.NAME = "recorder"

    async def event_changed(ctx: Any, before: Any, after: Any, fields: tuple[str, ...]) -> None:
        calls.append((before.id if before else None, after.id if after else None, tuple(fields)))

    module.event_changed = hookimpl(event_changed)
    return module, calls


def extras() -> types.ModuleType:
    """A plugin adding a line and a button to every card, as RSVP does."""
    module = types.ModuleType("test_plugins.extras")
    module.NAME = "extras"
    module.event_details = hookimpl(lambda ctx, event: f"<i>Seats left: 12 ({event.id})</i>")
    module.event_buttons = hookimpl(lambda ctx, event: [ctx.button("Coming", "rsvp", event.id)])
    return module


@pytest.fixture
def programme_file(tmp_path: Path) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return path


@pytest.fixture
def start(mingel_chat, programme_file):
    async def make(*extra: Any, path: Path | None = None, **kwargs: Any) -> Any:
        chat = await mingel_chat([*PLUGINS, *extra], organisers=[ORG, ORG_SV],
                                 env={"MINGEL_PROGRAMME": str(path or programme_file)}, **kwargs)
        chat.user(ORG, "Olga", lang="en")
        chat.user(ORG_SV, "Oskar", lang="sv")
        chat.user(SVEN, "Sven", lang="sv")
        chat.user(EMMA, "Emma", lang="en")
        return chat
    return make


async def test_programme_lists_upcoming_meetings_by_network_in_swedish(start) -> None:
    chat = await start()
    replies = await chat.send("/programme", SVEN)
    text = chat.text(replies)
    lines = text.splitlines()
    assert lines[0] == "Kommande träffar"
    assert "Vårens avslutning" not in text
    assert "Rundabordssamtal" not in text
    am = lines.index("Arbetsmarknadspolitiskt nätverk")
    bo = lines.index("Bostadspolitiskt nätverk")
    assert lines[am + 1] == "tors 2 sep. 09:30 · Arbetsmarknaden efter corona"
    assert lines[am + 2] == "tors 16 sep. 10:00 · Digitalt samtal om kompetens"
    assert lines[am + 3] == "tis 5 okt. 09:30 · Flexicurity i Danmark inställd"
    assert "<s>tis 5 okt. 09:30 · Flexicurity i Danmark</s> <b>inställd</b>" in replies[0].text
    assert lines[am + 4] == "ons 10 nov. 10:00 – tors 11 nov. 15:00 · Arbetsmarknadsdagarna"
    assert lines[am + 5] == ("ons 24 nov. 09:30 · Arbete med arbetsmiljön "
                             "(tillsammans med Bostadspolitiskt nätverk)")
    assert lines[bo + 1] == "ons 1 dec. 09:30 · Hyresmarknaden"
    assert chat.buttons(replies) == [
        "tors 2 sep. 09:30 · Arbetsmarknaden efter corona",
        "tors 16 sep. 10:00 · Digitalt samtal om kompetens",
        "❌ tis 5 okt. 09:30 · Flexicurity i Danmark", "ons 10 nov. 10:00 · Arbetsmarknadsdagarna",
        "ons 24 nov. 09:30 · Arbete med arbetsmiljön", "ons 1 dec. 09:30 · Hyresmarknaden"]
    assert "Skicka /programme alla för att se hela säsongen" in text


async def test_a_networks_list_says_which_meetings_are_joint_and_with_whom(start) -> None:
    """/programme NETWORK lists a joint meeting "together with" the other network, as the
    full programme does: Sven reading Bostad's list learns it is shared with Arbetsmarknad,
    Emma reading Arbetsmarknad's season that it is shared with Housing."""
    chat = await start()
    sv = chat.text(await chat.send("/programme bostad", SVEN)).splitlines()
    assert sv[0] == "Kommande träffar i Bostadspolitiskt nätverk"
    assert sv[2:4] == [("ons 24 nov. 09:30 · Arbete med arbetsmiljön (tillsammans med "
                        "Arbetsmarknadspolitiskt nätverk)"), "ons 1 dec. 09:30 · Hyresmarknaden"]
    en = chat.text(await chat.send("/programme arbetsmarknad all", EMMA)).splitlines()
    assert ("Wed 24 Nov 09:30 · Working on the work environment (together with Housing policy "
            "network)") in en
    assert "Thu 10 Jun 09:30 · End of spring (past)" in en, "not joint: nothing added"


async def test_browsing_writes_nothing_to_disk(start, tmp_path) -> None:
    """Reading the programme is not a change: no journal entry, no fsync per tap."""
    chat = await start(data_dir=tmp_path)
    await chat.send("/programme", SVEN)
    journal = tmp_path / "mingel.journal"
    before = journal.read_bytes()
    replies = await chat.send("/programme", SVEN)
    await chat.press(chat.buttons(replies)[0], SVEN)
    await chat.send("/help", SVEN)
    assert journal.read_bytes() == before


async def test_programme_all_marks_past_meetings_and_keeps_local_times_across_dst(start) -> None:
    chat = await start()
    text = chat.text(await chat.send("/program all", EMMA))
    assert text.startswith("The whole season")
    assert "Thu 10 Jun 09:30 · End of spring (past)" in text
    assert "Thu 2 Sept 09:30 · The labour market after corona" in text
    assert "Wed 24 Nov 09:30 · Working on the work environment (together with Housing" in text
    assert "Wed 1 Dec 09:30 · The rental market" in text
    sv = chat.text(await chat.send("/programme alla", SVEN))
    assert "tors 10 juni 09:30 · Vårens avslutning (har varit)" in sv
    card = chat.text(await chat.send("/event gemensam", SVEN))
    assert "onsdag 24 november 2027 kl. 09:30–15:00" in card


async def test_past_meetings_leave_the_list_as_time_passes(start) -> None:
    chat = await start()
    chat.clock.advance(days=100)
    text = chat.text(await chat.send("/programme", EMMA))
    assert "The labour market after corona" not in text
    assert "Working on the work environment" in text
    chat.clock.advance(days=60)
    assert chat.text(await chat.send("/programme", EMMA)) == (
        "There are no upcoming meetings. Send /programme all to see the whole season.")



async def test_a_listed_meeting_is_marked_past_once_it_is_over(start) -> None:
    """List lines are kept between requests; the kept line must not outlive the meeting."""
    chat = await start()
    before = chat.text(await chat.send("/programme all", EMMA))
    assert "Thu 2 Sept 09:30 · The labour market after corona\n" in before
    chat.clock.advance(days=100)
    after = chat.text(await chat.send("/programme all", EMMA))
    assert "Thu 2 Sept 09:30 · The labour market after corona (past)" in after
    assert chat.buttons(await chat.send("/programme all", SVEN))[1].startswith("tors 2 sep.")

async def test_card_of_a_hybrid_meeting_with_a_private_link_and_the_map(start) -> None:
    chat = await start()
    replies = await chat.send("/event am-sep", SVEN)
    card = chat.text(replies[:1])
    assert card.splitlines()[:2] == ["Arbetsmarknaden efter corona",
                                     "Arbetsmarknadspolitiskt nätverk"]
    for part in ("🗓 torsdag 2 september 2027 kl. 09:30–12:30", "📍 F7, Fleminggatan 7, Stockholm",
                 ("💻 Online via Zoom: deltar du online skickar jag länken i chatten strax "
                  "före träffen."),
                 "Kom på plats eller delta online.", "• Roger Mörtvik – Statssekreterare",
                 "Samtalsledare: Emelie Fågelstedt",
                 "Vi tittar på den arbetsmarknadspolitiska agendan.",
                 "Med förbehåll för ändringar"):
        assert part in card
    assert "zoom.us/j/61234567890" not in card
    assert replies[1].text == "" and replies[1].venue is not None
    assert (replies[1].venue.title, replies[1].venue.latitude) == ("F7", 59.3326)
    english = chat.text((await chat.send("/event am-sep", EMMA))[:1])
    assert "Thursday, 2 September 2027, 09:30–12:30" in english
    assert "Online via Zoom: if you're coming online, I send you the link in the chat" in english
    assert "• Roger Mörtvik – State Secretary" in english
    assert chat.text((await chat.send("/event am-sep", SVEN))[:1]) == card, "a kept card"


async def test_card_of_an_online_only_meeting_shows_its_public_link(start) -> None:
    chat = await start()
    replies = await chat.send("/event am-online", EMMA)
    assert len(replies) == 1 and replies[0].venue is None
    text = chat.text(replies)
    assert "💻 Online via Zoom: https://zoom.us/j/69876543210" in text
    assert '<a href="https://zoom.us/j/69876543210">' in replies[0].text
    assert "Online only." in text and "📍" not in text


async def test_cards_of_joint_multi_day_and_cancelled_meetings(start) -> None:
    chat = await start()
    joint = chat.text(await chat.send("/event gemensam", EMMA))
    assert ("Joint meeting of Labour-market policy network and Housing policy network"
            in joint)
    assert "• Erna Zelmin-Ekenhem" in joint
    days = chat.text(await chat.send("/event am-dagarna", SVEN))
    assert "onsdag 10 – torsdag 11 november 2027 kl. 10:00–15:00 varje dag (2 dagar)" in days, \
        "a gathering's daily hours, as its calendar file repeats them (QA 40)"
    replies = await chat.send("/event am-oktober", SVEN)
    assert len(replies) == 1
    assert chat.text(replies).startswith("❌ Inställd: den här träffen blir inte av.")
    english = chat.text(await chat.send("/event am-oktober", EMMA))
    assert english.startswith("❌ Cancelled: this meeting will not take place.")


async def test_cancelled_and_past_cards_say_so_without_the_note_for_what_is_to_come(
        start) -> None:
    """"Subject to change" speaks of a meeting still to come: a cancelled or past meeting's
    card leaves it out, and a past one says first that it is over."""
    chat = await start()
    cancelled = chat.text(await chat.send("/event am-oktober", EMMA))
    assert "Subject to change" not in cancelled
    past = chat.text((await chat.send("/event am-juni", EMMA))[:1])
    assert past.splitlines()[:2] == ["⌛ This meeting is over.", "End of spring"]
    assert "Subject to change" not in past
    sv = chat.text((await chat.send("/event am-juni", SVEN))[:1])
    assert sv.startswith("⌛ Träffen är över.\nVårens avslutning")
    coming = chat.text((await chat.send("/event am-sep", EMMA))[:1])
    assert "Subject to change" in coming and "over" not in coming
    assert any(reply.venue for reply in await chat.send("/event am-sep", EMMA))
    chat.clock.set(datetime(2027, 9, 2, 10, 31, tzinfo=UTC))
    replies = await chat.send("/event am-sep", EMMA)
    ended = chat.text(replies[:1])
    assert ended.startswith("⌛ This meeting is over.\nThe labour market after corona")
    assert "Subject to change" not in ended
    assert not any(reply.venue for reply in replies)  # no map to a meeting that is over


async def test_past_and_cancelled_cards_invite_no_one_and_promise_no_link(start,
                                                                         tmp_path) -> None:
    """A meeting that is over or cancelled names its platform only: no "Come in person or
    take part online.", no link sent "shortly before the meeting", no link at all."""
    path = tmp_path / "programme.yaml"
    path.write_text(PROGRAMME.replace("    online: https://zoom.us/j/69876543210\n",
                                      "    online: https://zoom.us/j/69876543210\n"
                                      "    cancelled: true\n"), encoding="utf-8")
    chat = await start(path=path)
    cancelled = await chat.send("/event am-online", EMMA)
    assert "💻 Online via Zoom" in chat.text(cancelled).splitlines()
    assert "zoom.us" not in cancelled[0].text and "Online only." not in chat.text(cancelled)
    chat.clock.set(datetime(2027, 9, 2, 10, 31, tzinfo=UTC))
    for user, gone in ((SVEN, ("länken", "Kom på plats eller delta online.")),
                       (EMMA, ("link", "Come in person or take part online."))):
        ended = chat.text((await chat.send("/event am-sep", user))[:1])
        assert "📍 F7, Fleminggatan 7, Stockholm" in ended
        assert "💻 Online via Zoom" in ended.splitlines()
        assert not any(words in ended for words in gone), ended


async def test_an_unknown_or_hidden_id_reads_as_everywhere_else(start) -> None:
    chat = await start()
    for meeting in ("nosuch", "am-rundabord"):
        assert chat.text(await chat.send(f"/event {meeting}", EMMA)) == (
            f"I can't find a meeting with the id {meeting}. Send /programme to see the "
            "meetings.")


async def test_card_carries_other_plugins_lines_and_buttons_and_is_the_event_card_hook(
        start) -> None:
    chat = await start(extras())
    replies = await chat.send("/event am-sep", EMMA)
    assert "Seats left: 12 (am-sep)" in chat.text(replies)
    assert chat.buttons(replies) == ["Coming"]
    ctx = chat.assistant.context("extras", chat.user(EMMA, "Emma", lang="en"))
    text, buttons = chat.assistant.hooks.event_card(ctx, ctx.programme.event("am-sep"))
    assert text == replies[0].text and buttons[0][0].data == "extras:rsvp:am-sep"


async def test_meeting_buttons_open_cards_and_unknown_ids_get_a_friendly_answer(start) -> None:
    chat = await start()
    await chat.send("/programme", EMMA)
    replies = await chat.press("Working on the work", EMMA)
    assert replies[0].edit is False
    assert chat.text(replies[:1]).startswith("Working on the work environment")
    assert replies[1].venue is not None
    unknown = chat.text(await chat.send("/event nope<b>", SVEN))
    assert unknown == ("Jag hittar ingen träff med id:t nope<b>. Skicka /programme för att se "
                       "träffarna.")
    assert "Which meeting?" in chat.text(await chat.send("/event", EMMA))


async def test_invite_only_meeting_is_hidden_from_participants_but_shown_to_organisers(
        start) -> None:
    chat = await start()
    for command in ("/programme all", "/search rundabord", "/event am-rundabord"):
        assert "Rundabord" not in chat.text(await chat.send(command, SVEN))
    forged = await chat.press_data("programme:card:am-rundabord", SVEN)
    assert "Jag hittar ingen träff med id:t am-rundabord" in chat.text(forged)
    assert chat.toasts[SVEN] is None
    listing = chat.text(await chat.send("/programme", ORG))
    assert "Thu 14 Oct 09:30 · Roundtable on the Employment Service (by invitation)" in listing
    card = chat.text(await chat.send("/event am-rundabord", ORG))
    assert "🔒 By invitation only." in card
    assert "Roundtable" in chat.text(await chat.send("/search roundtable", ORG))


async def test_invitations_plugin_decides_invite_only_visibility_when_loaded(start) -> None:
    invitations = types.ModuleType("test_plugins.invitations")
    invitations.NAME = "invitations"
    invitations.event_visible = hookimpl(
        lambda ctx, event: None if not event.invite_only else ctx.user.id == SVEN)
    chat = await start(invitations)
    assert "Rundabordssamtal" in chat.text(await chat.send("/programme", SVEN))
    assert "Roundtable" not in chat.text(await chat.send("/programme", EMMA))


async def test_without_invitations_who_answered_keeps_a_meeting_made_invite_only(start) -> None:
    """Sven answered before the roundtable became invite-only: he still sees it; Emma did not."""
    answers = types.ModuleType("test_plugins.answers")
    answers.NAME = "answers"
    answers.attendance = hookimpl(lambda ctx, event, user_id: Attendance(
        event.id, user_id, "maybe", datetime(2027, 6, 1, tzinfo=UTC)) if user_id == SVEN else None)
    chat = await start(answers)
    assert "Rundabordssamtal" in chat.text(await chat.send("/event am-rundabord", SVEN))
    assert "Rundabordssamtal" in chat.text(await chat.send("/programme", SVEN))
    assert "Roundtable" not in chat.text(await chat.send("/programme all", EMMA))
    assert "I can't find" in chat.text(await chat.send("/event am-rundabord", EMMA))


async def test_next_shows_the_next_meeting_of_followed_networks_or_of_all(start) -> None:
    chat = await start()
    replies = await chat.send("/next", EMMA)
    text = chat.text(replies)
    assert text.startswith("The next meeting (follow networks in /networks to see only theirs):")
    assert "The labour market after corona" in text
    assert replies[-1].venue is not None
    await chat.send("/follow bostad", EMMA)
    text = chat.text(await chat.send("/next", EMMA))
    assert text.startswith("The next meeting of the networks you follow:")
    assert "Working on the work environment" in text
    chat.clock.advance(days=120)
    text = chat.text(await chat.send("/next", EMMA))
    assert "The rental market" in text
    chat.clock.advance(days=30)
    assert "None of the networks you follow has an upcoming meeting" in chat.text(
        await chat.send("/next", EMMA))
    sv = chat.text(await chat.send("/next", SVEN))
    assert sv == "Det finns inga kommande träffar."


async def test_networks_follow_and_unfollow_with_buttons(start) -> None:
    chat = await start()
    replies = await chat.send("/networks", SVEN)
    text = chat.text(replies)
    assert "Arbetsmarknadspolitiskt nätverk\nSamtalsledare: Emelie Fågelstedt\nVi går djupare" \
        in text
    assert "4 kommande träffar" in text and "2 kommande träffar" in text
    assert chat.buttons(replies) == ["Följ Arbetsmarknadspolitiskt nätverk",
                                     "Följ Bostadspolitiskt nätverk"]
    edited_ = await chat.press("Följ Bostad", SVEN)
    assert edited_[0].edit is True
    assert chat.toasts[SVEN] == "Nu följer du Bostadspolitiskt nätverk."
    assert "Du följer det här nätverket." in chat.text(edited_)
    assert chat.buttons(edited_)[1] == "Sluta följa Bostadspolitiskt nätverk"
    ctx = chat.assistant.context("programme")
    assert chat.assistant.hooks.followers(ctx, "bostad") == [SVEN]
    again = await chat.press("Sluta följa Bostad", SVEN)
    assert chat.buttons(again)[1] == "Följ Bostadspolitiskt nätverk"
    assert chat.assistant.hooks.followers(ctx, "bostad") == []
    english = await chat.send("/networks", EMMA)
    assert chat.buttons(english)[0] == "Follow Labour-market policy network"


async def test_follow_and_unfollow_commands_by_id_or_name(start) -> None:
    chat = await start()
    assert chat.text(await chat.send("/follow Bostadspolitiskt nätverk", SVEN)) == (
        "Nu följer du Bostadspolitiskt nätverk. /next visar nätverkets nästa träff, och jag "
        "säger till när en träff läggs till i det.")
    assert chat.text(await chat.send("/follow bostad", SVEN)) == (
        "Du följer redan Bostadspolitiskt nätverk.")
    assert chat.text(await chat.send("/follow labour", EMMA)).startswith(
        "You now follow Labour-market policy network.")
    reply = chat.text(await chat.send("/follow bostadd", EMMA))
    assert reply.startswith("There's no network called “bostadd”. Did you mean Housing policy")
    offered = await chat.send("/unfollow", EMMA)
    assert chat.buttons(offered) == ["Unfollow Labour-market policy network"]
    assert chat.text(await chat.send("/unfollow arbetsmarknad", EMMA)) == (
        "You no longer follow Labour-market policy network.")
    assert chat.text(await chat.send("/unfollow arbetsmarknad", EMMA)) == (
        "You don't follow Labour-market policy network.")


async def test_a_network_named_by_a_whole_word_is_not_taken_for_a_longer_one(
        start, tmp_path) -> None:
    """At a festival "Network 4" is also the start of "Network 40": the whole words decide."""
    path = tmp_path / "numbered.yaml"
    path.write_text(PROGRAMME.replace("en: Labour-market policy network", "en: Network 4 (labour)")
                    .replace("en: Housing policy network", "en: Network 40 (housing)"),
                    encoding="utf-8")
    chat = await start(path=path)
    assert chat.text(await chat.send("/follow Network 4", EMMA)).startswith(
        "You now follow Network 4 (labour).")
    assert chat.text(await chat.send("/follow network 40", EMMA)).startswith(
        "You now follow Network 40 (housing).")


async def test_unfollow_alone_offers_only_what_one_follows(start) -> None:
    """/unfollow without a name: nothing to unfollow is said as such, with where to look;
    otherwise an Unfollow button for each network followed (never a Follow button)."""
    chat = await start()
    nothing = await chat.send("/unfollow", EMMA)
    assert chat.text(nothing) == ("You don't follow any network. Send /networks to see them "
                                  "and follow one, or /follow and a network's name.")
    assert chat.buttons(nothing) == []
    swedish = await chat.send("/unfollow", SVEN)
    assert chat.text(swedish).startswith("Du följer inget nätverk. Skicka /networks")
    await chat.send("/follow bostad", EMMA)
    offered = await chat.send("/unfollow", EMMA)
    assert chat.text(offered) == ("Which network do you want to stop following? Send /unfollow "
                                  "and its name, or tap a button:")
    assert chat.buttons(offered) == ["Unfollow Housing policy network"]
    done = await chat.press("Unfollow Housing policy network", EMMA)
    assert chat.toasts[EMMA] == "You no longer follow Housing policy network."
    assert "You follow this network." not in chat.text(done)


async def test_a_tap_on_the_unfollow_offer_keeps_the_offer(start) -> None:
    """The offer of /unfollow alone stays that offer after a tap, with the networks still
    followed (it used to turn into the whole /networks list with Follow buttons)."""
    chat = await start()
    for network in ("bostad", "arbetsmarknad"):
        await chat.send(f"/follow {network}", SVEN)
    offered = await chat.send("/unfollow", SVEN)
    assert chat.buttons(offered) == ["Sluta följa Bostadspolitiskt nätverk",
                                     "Sluta följa Arbetsmarknadspolitiskt nätverk"]
    [kept] = await chat.press("Sluta följa Bostadspolitiskt nätverk", SVEN)
    assert kept.edit
    assert chat.text([kept]) == ("Vilket nätverk vill du sluta följa? Skicka /unfollow och "
                                 "nätverkets namn, eller tryck på en knapp:")
    assert chat.buttons([kept]) == ["Sluta följa Arbetsmarknadspolitiskt nätverk"]
    [none] = await chat.press("Sluta följa Arbetsmarknadspolitiskt nätverk", SVEN)
    assert none.edit and chat.buttons([none]) == []
    assert chat.text([none]).startswith("Du följer inget nätverk. Skicka /networks")
    listing = await chat.send("/networks", SVEN)
    await chat.press("Följ Bostadspolitiskt nätverk", SVEN, replies=listing)
    [still] = await chat.press("Sluta följa Bostadspolitiskt nätverk", SVEN)
    assert chat.text([still]).startswith("Nätverk"), "/networks stays /networks"
    assert "Följ Bostadspolitiskt nätverk" in chat.buttons([still])


async def test_help_shows_the_network_of_unfollow_as_optional(start) -> None:
    chat = await start()
    assert "/unfollow [NETWORK]" in chat.text(await chat.send("/help", EMMA))
    assert "/unfollow [NÄTVERK]" in chat.text(await chat.send("/help", SVEN))


async def test_follows_in_privacy_hooks(start) -> None:
    chat = await start()
    await chat.send("/follow bostad", SVEN)
    ctx = chat.assistant.context("programme", chat.user(SVEN, "Sven", lang="sv"))
    notices = dict(chat.assistant.hooks.privacy_notice(ctx))
    follows, searches = notices["programme"].split("\n\n")
    assert searches.startswith("<b>Sökningar</b>: dina senaste sökningar")
    assert follows.startswith("<b>Nätverk du följer</b>: vilka nätverk du följer")
    assert "Bara jag använder listan" in follows and "programfil" not in follows
    await chat.send("/hjälp", ORG_SV)
    organiser = chat.assistant.context("programme", chat.user(ORG_SV, "Oskar", lang="sv"))
    *_, files = dict(chat.assistant.hooks.privacy_notice(organiser))["programme"].split("\n\n")
    assert files == ("<b>Programfiler</b> (arrangörer): en programfil du har skickat sparas "
                     "tills du bekräftar eller avbryter den."), "only organisers send them"
    data = chat.assistant.hooks.user_data(ctx, SVEN)["programme"]
    assert data == {"follows": [{"network": "bostad", "since": "2027-08-01T08:00:00+00:00"}]}
    await chat.assistant.hooks.forget_user(ctx, SVEN)
    assert chat.assistant.hooks.followers(ctx, "bostad") == []
    assert "programme" not in chat.assistant.hooks.user_data(ctx, SVEN)


async def test_search_ignores_diacritics_and_looks_in_both_languages(start) -> None:
    chat = await start()
    replies = await chat.send("/search mortvik", SVEN)
    assert chat.text(replies).startswith("1 träff matchar ”mortvik”:")
    assert chat.buttons(replies) == ["tors 2 sep. 09:30 · Arbetsmarknaden efter corona"]
    assert "Arbetsmarknaden efter corona" in chat.text(await chat.send("/search STATE secretary",
                                                                       SVEN))
    found = chat.text(await chat.send("/search agenda", EMMA))
    assert found.startswith("1 meeting matches “agenda”:")
    many = chat.text(await chat.send("/search arbetsmiljon", EMMA))
    assert "Working on the work environment" in many
    assert "(past)" in chat.text(await chat.send("/search spring", EMMA))
    assert chat.text(await chat.send("/search <zz>", EMMA)) == (
        "No meeting matches “<zz>”. Send /programme to see them all.")
    assert "What should I look for?" in chat.text(await chat.send("/search", EMMA))


async def test_reload_shows_changes_and_fires_event_changed_once_per_meeting(
        start, programme_file) -> None:
    module, calls = recorder()
    chat = await start(module)
    assert "📍 F7, Fleminggatan 7" in chat.text(await chat.send("/event gemensam", SVEN))
    programme_file.write_text(edited(), encoding="utf-8")
    replies = await chat.send("/reload", ORG)
    text = chat.text(replies)
    assert text.startswith("What programme.yaml changes")
    assert "1 new meeting\n• Wed 8 Dec 09:30 · New meeting (am-ny)" in text
    assert "1 meeting removed\n• Wed 1 Dec 09:30 · The rental market (bo-dec)" in text
    assert "1 meeting cancelled\n• Thu 16 Sept 10:00 · Online talk on skills (am-online)" in text
    assert "Time: starts 09:30 → 10:00 (now Thursday, 2 September 2027, 10:00–12:30)" in text
    assert "Venue: F7, Fleminggatan 7, Stockholm → Bostadshuset, Storgatan 1, Stockholm" in text
    assert chat.buttons(replies) == ["✅ Confirm", "Cancel"]
    assert calls == []
    assert "Arbetsmarknaden efter corona" in chat.text(await chat.send("/programme", SVEN))
    done = await chat.press("Confirm", ORG)
    assert done[0].edit is True
    assert chat.text(done).startswith("Done: the new programme is in use (1 new, 1 removed, "
                                      "1 cancelled, 2 changed).")
    assert sorted(calls, key=str) == sorted([
        (None, "am-ny", ()), ("bo-dec", None, ()), ("am-online", "am-online", ("cancelled",)),
        ("am-sep", "am-sep", ("time",)), ("gemensam", "gemensam", ("venue",))], key=str)
    listing = chat.text(await chat.send("/programme", SVEN))
    assert "tors 2 sep. 10:00 · Arbetsmarknaden efter corona" in listing
    card = chat.text(await chat.send("/event gemensam", SVEN))
    assert "📍 Bostadshuset, Storgatan 1" in card and "F7" not in card, "the card is redrawn"
    assert "Hyresmarknaden" not in listing
    audit = [(a["action"], a["details"]) for a in chat.assistant.store.table("assistant_audit")]
    assert ("programme.event_changed", "am-sep: time") in audit
    assert ("programme.event_added", "am-ny") in audit
    assert any(action == "programme.programme_applied" for action, _ in audit)


async def test_reload_in_swedish_and_when_nothing_changed(start, programme_file) -> None:
    chat = await start()
    assert chat.text(await chat.send("/reload", ORG_SV)) == (
        "Inget har ändrats: programme.yaml stämmer med programmet som används nu.")
    programme_file.write_text(edited(), encoding="utf-8")
    text = chat.text(await chat.send("/reload", ORG_SV))
    assert text.startswith("Det här ändras i programme.yaml")
    assert "Tid: börjar 09:30 → 10:00 (nu torsdag 2 september 2027 kl. 10:00–12:30)" in text
    assert "1 träff inställd" in text and "Bekräfta för att börja använda det nya programmet." in text
    cancelled = await chat.press("Avbryt", ORG_SV)
    assert chat.text(cancelled) == "Avbrutet. Programmet som används är oförändrat."
    assert "09:30 · Arbetsmarknaden" in chat.text(await chat.send("/programme", SVEN))


async def test_reload_of_a_broken_file_lists_problems_and_keeps_the_programme(
        start, programme_file) -> None:
    chat = await start()
    programme_file.write_text(BROKEN, encoding="utf-8")
    text = chat.text(await chat.send("/reload", ORG))
    assert text.startswith("This programme file has 2 problems, so I'm keeping the programme "
                           "in use.")
    assert "\nprogramme.yaml:72: event 'bo-dec': unknown venue 'huss' (did you mean 'hus'?)" \
        in text
    assert "\nprogramme.yaml:47: event 'am-online': end (2027-09-16 09:00) must be after start" \
        in text
    assert str(programme_file.parent) not in text
    assert "Hyresmarknaden" in chat.text(await chat.send("/programme", SVEN))


async def test_a_swedish_organiser_gets_the_problems_in_swedish(start, programme_file) -> None:
    """Every problem in the organiser's language, the file named as in the preview (not the
    server's path), at its line; values from the file escaped for Telegram's HTML."""
    chat = await start()
    programme_file.write_text(BROKEN.replace("timezone: Europe/Stockholm",
                                             "timezone: Europe/Stokholm").replace(
         "invite_only: true", "invite_only: <ja>"), encoding="utf-8")
    [reply] = await chat.send("/reload", ORG_SV)
    text = chat.text([reply])
    assert text.splitlines() == [
        ("Programfilen har 4 fel, så jag behåller programmet som används nu. Rätta felen och "
         "försök igen:"),
        "",
        ("programme.yaml:1: timezone: okänd tidszon ”Europe/Stokholm” (menade du "
         "”Europe/Stockholm”?)"),
        ("programme.yaml:47: träff ”am-online”: slutet (2027-09-16 09:00) måste komma efter "
         "början (2027-09-16 10:00)"),
        (f"programme.yaml:{line_of('invite_only')}: träff ”am-rundabord”: invite_only måste "
         "vara true eller false, inte ”<ja>”"),
        "programme.yaml:72: träff ”bo-dec”: okänd lokal ”huss” (menade du ”hus”?)",
    ]
    assert "&lt;ja&gt;" in reply.text


async def test_reload_and_uploads_are_refused_politely_for_participants(start) -> None:
    chat = await start()
    assert chat.text(await chat.send("/reload", SVEN)) == (
        "Tyvärr kan bara arrangörer använda /reload.")
    refused = await chat.upload("programme.yaml", edited().encode(), SVEN)
    assert chat.text(refused) == "Tack, men bara arrangörerna kan ändra programmet."
    other = await chat.upload("photo.jpg", b"\xff\xd8", EMMA)
    assert "I don't know what to do with this file" in chat.text(other)
    assert "Arbetsmarknaden efter corona" in chat.text(await chat.send("/programme", SVEN))
    assert chat.assistant.store.table("programme_pending").count() == 0


async def test_upload_of_a_broken_yaml_lists_problems_with_line_numbers(start) -> None:
    chat = await start()
    text = chat.text(await chat.upload("nytt program.yml", BROKEN.encode(), ORG_SV))
    assert text.startswith("Programfilen har 2 fel, så jag behåller programmet som används nu.")
    assert "nytt program.yml:72: träff ”bo-dec”: okänd lokal ”huss” (menade du ”hus”?)" in text
    syntax = chat.text(await chat.upload("x.yaml", b"events: [\n  - id: a\n", ORG))
    assert "x.yaml:1: the [ on this line is never closed" in syntax
    latin1 = chat.text(await chat.upload("x.yaml", "titel: Mörtvik".encode("latin-1"), ORG))
    assert "x.yaml: the file is not UTF-8 text; save it as UTF-8" in latin1
    colon = chat.text(await chat.upload("x.yaml", b"events:\n  - id: a\n    title: Tema: "
                                        b"arbete\n", ORG_SV))
    assert "x.yaml:3: en text som inneh\u00e5ller \": \" m\u00e5ste st\u00e5 inom citattecken " \
           "(till exempel \"Tema: arbete\")" in colon
    assert "Hyresmarknaden" in chat.text(await chat.send("/programme", SVEN))


async def test_an_example_to_type_is_set_as_code_in_the_chat_and_plain_in_the_terminal(
        start, tmp_path, capsys, monkeypatch) -> None:
    """The YAML an organiser should write ("Tema: arbete", "@…", namn: värde) is code in the
    chat, easy to copy, with the rest of the message still escaped; `mingel check` prints
    the same text without tags."""
    chat = await start()
    broken = b"events:\n  - id: a\n    title: Tema: arbete\n"
    [colon] = await chat.upload("<x>.yaml", broken, ORG_SV)
    assert ("&lt;x&gt;.yaml:3: en text som innehåller &quot;: &quot; måste stå inom "
            "citattecken (till exempel <code>&quot;Tema: arbete&quot;</code>)") in colon.text
    [at] = await chat.upload("x.yaml", b"events:\n  - id: a\n    title: @hem\n", ORG)
    assert "must be put in quotes, like <code>&quot;@…&quot;</code>" in at.text
    [name] = await chat.upload("x.yaml", b"events:\n  - id: a\n    title: x\n    note\n"
                               b"    url: z\n", ORG_SV)
    assert "raden saknar &quot;:&quot; efter namnet; skriv <code>namn: värde</code>" in name.text
    [date] = await chat.upload("x.yaml", PROGRAMME.replace("start: 2027-09-02 09:30",
                                                           "start: 2027-09-31 09:30").encode(),
                               ORG)
    assert "must be a date and time like <code>2027-09-02 09:30</code>, not" in date.text
    path = tmp_path / "colon.yaml"
    path.write_bytes(broken)
    monkeypatch.setenv("MINGEL_LOCALE", "sv")
    assert check.run(argparse.Namespace(files=[str(path)])) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{path}:3: en text som innehåller \": \" måste stå inom citattecken (till exempel "
        "\"Tema: arbete\")")


async def test_organisers_other_files_get_a_note(start) -> None:
    chat = await start()
    assert "only read a programme file ending in .yaml or .yml" in chat.text(
        await chat.upload("programme.xlsx", b"PK", ORG))
    assert "empty or too large" in chat.text(await chat.upload("programme.yaml", b"", ORG))


async def test_upload_confirmed_is_written_atomically_with_a_backup(start, programme_file) -> None:
    module, calls = recorder()
    chat = await start(module)
    replies = await chat.upload("programme-v2.yaml", edited().encode(), ORG)
    assert chat.text(replies).startswith("What programme-v2.yaml changes")
    programme_file.write_text(PROGRAMME + "\n# edited on the server meanwhile\n",
                              encoding="utf-8")
    await chat.press("Confirm", ORG)
    assert programme_file.read_text(encoding="utf-8") == edited()
    assert (programme_file.parent / "programme.yaml.bak").read_text(encoding="utf-8") \
        .endswith("# edited on the server meanwhile\n")
    assert sorted(p.name for p in programme_file.parent.iterdir()) == [
        "programme.yaml", "programme.yaml.bak"]
    assert len(calls) == 5
    assert chat.assistant.store.table("programme_pending").count() == 0


async def test_participants_are_answered_while_a_festival_programme_is_read(start) -> None:
    """Reading 800 meetings takes a while: an organiser's upload, /reload and Confirm read
    off the event loop, so other people's taps and commands don't wait for it."""
    chat = await start()
    festival = programme_yaml(800, 8, venues=3)
    finished: list[str] = []

    async def organiser(step: Any) -> None:
        await step
        finished.append("organiser")

    async def participant() -> None:
        await asyncio.sleep(0)
        assert "/programme" in chat.text(await chat.send("/help", SVEN))
        finished.append("participant")

    await asyncio.gather(organiser(chat.upload("festival.yaml", festival.encode(), ORG)),
                         participant())
    assert finished == ["participant", "organiser"]
    assert chat.text(chat.last[ORG]).startswith("What festival.yaml changes")
    finished.clear()
    await asyncio.gather(organiser(chat.press("Confirm", ORG)), participant())
    assert finished == ["participant", "organiser"]
    assert chat.text(chat.last[ORG]).startswith("Done: the new programme is in use")
    assert len(chat.assistant.hooks.programme().events) == 800


async def test_upload_cancelled_changes_nothing(start, programme_file) -> None:
    module, calls = recorder()
    chat = await start(module)
    preview = await chat.upload("programme.yaml", edited().encode(), ORG)
    await chat.press("Cancel", ORG)
    await chat.press("Confirm", ORG, replies=preview)
    assert chat.toasts[ORG] == "This change is no longer waiting for you to confirm it."
    assert programme_file.read_text(encoding="utf-8") == PROGRAMME
    assert calls == []
    assert "The rental market" in chat.text(await chat.send("/programme", EMMA))


async def test_forged_and_stale_buttons_change_nothing(start, programme_file) -> None:
    module, calls = recorder()
    chat = await start(module)
    preview = await chat.upload("programme.yaml", edited().encode(), ORG)
    token = chat.find_button("Confirm", preview).data.split(":")[2]
    await chat.press_data(f"programme:confirm:{token}", SVEN)
    assert chat.toasts[SVEN] == "Tyvärr, det får du inte göra."
    await chat.press_data(f"programme:confirm:{token}", ORG_SV)
    assert chat.toasts[ORG_SV] == "Den här ändringen väntar inte längre på din bekräftelse."
    await chat.press_data("programme:confirm:deadbeef", ORG)
    await chat.press_data("programme:cancel:", ORG)
    assert chat.toasts[ORG] == "This change is no longer waiting for you to confirm it."
    await chat.press_data("programme:follow:nope", EMMA)
    assert chat.toasts[EMMA] == "This network is not in the programme any more."
    await chat.press_data("programme:card:" + "x" * 40, EMMA)
    assert calls == [] and programme_file.read_text(encoding="utf-8") == PROGRAMME
    assert chat.assistant.store.table("programme_follows").count() == 0
    await chat.press("Confirm", ORG, replies=preview)
    assert len(calls) == 5


async def test_second_upload_replaces_the_first_and_old_buttons_go_stale(start) -> None:
    chat = await start()
    first = await chat.upload("a.yaml", edited().encode(), ORG)
    second = await chat.upload("b.yaml", edited().replace("Nytt möte", "Annat möte").encode(),
                               ORG)
    await chat.press("Confirm", ORG, replies=first)
    assert chat.toasts[ORG] == "This change is no longer waiting for you to confirm it."
    await chat.press("Confirm", ORG, replies=second)
    assert "Annat möte" in chat.text(await chat.send("/programme", SVEN))


async def test_confirm_after_someone_else_changed_the_programme_shows_it_again(
        start, programme_file) -> None:
    module, calls = recorder()
    chat = await start(module)
    mine = await chat.upload("mine.yaml", edited().encode(), ORG)
    theirs = PROGRAMME.replace("Hyresmarknaden", "Hyror").replace("The rental market", "Rents")
    await chat.upload("theirs.yaml", theirs.encode(), ORG_SV)
    await chat.press("Bekräfta", ORG_SV)
    assert calls == [("bo-dec", "bo-dec", ("title",))]
    again = await chat.press("Confirm", ORG, replies=mine)
    assert chat.text(again).startswith("The programme in use changed in the meantime.")
    assert "1 meeting removed\n• Wed 1 Dec 09:30 · Rents (bo-dec)" in chat.text(again)
    await chat.press("Confirm", ORG)
    assert len(calls) == 6


async def test_confirm_of_a_reload_after_the_file_changed_again_shows_the_new_changes(
        start, programme_file) -> None:
    chat = await start()
    programme_file.write_text(edited(), encoding="utf-8")
    await chat.send("/reload", ORG)
    programme_file.write_text(PROGRAMME.replace("Hyresmarknaden", "Hyror"), encoding="utf-8")
    again = await chat.press("Confirm", ORG)
    text = chat.text(again)
    assert text.startswith("The file changed since I showed you the changes.")
    assert "Title (sv): Hyresmarknaden → Hyror" in text
    await chat.press("Confirm", ORG)
    assert "Hyror" in chat.text(await chat.send("/programme", SVEN))


async def test_a_waiting_upload_survives_a_restart(mingel_chat, programme_file,
                                                   tmp_path) -> None:
    env = {"MINGEL_PROGRAMME": str(programme_file)}
    data = tmp_path / "data"
    first = await mingel_chat(PLUGINS, organisers=[ORG], env=env, data_dir=data)
    preview = await first.upload("programme.yaml", edited().encode(), ORG)
    data_ = first.find_button("Confirm", preview).data
    await first.stop()
    second = await mingel_chat(PLUGINS, organisers=[ORG], env=env, data_dir=data)
    done = await second.press_data(data_, ORG)
    assert second.text(done).startswith("Done: the new programme is in use")
    assert programme_file.read_text(encoding="utf-8") == edited()


async def test_the_bundled_sample_is_never_overwritten_and_an_upload_outlives_a_restart(
        mingel_chat) -> None:
    from assistant.config import SAMPLE_PROGRAMME
    before = SAMPLE_PROGRAMME.read_bytes()
    chat = await mingel_chat(PLUGINS, organisers=[ORG])
    await chat.upload("programme.yaml", PROGRAMME.encode(), ORG)
    done = chat.text(await chat.press("Confirm", ORG))
    assert "didn't save your file" in done
    assert SAMPLE_PROGRAMME.read_bytes() == before
    assert "The rental market" in chat.text(await chat.send("/programme", ORG))
    await chat.restart()  # the upload stays in use; the organisers hear of the sample
    assert SAMPLE_PROGRAMME.read_bytes() == before
    assert "The rental market" in chat.text(await chat.send("/programme", ORG))


async def test_a_broken_programme_at_start_up_refuses_to_start(mingel_chat, tmp_path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(BrokenProgramme) as raised:
        await mingel_chat(PLUGINS, env={"MINGEL_PROGRAMME": str(path)})
    assert "Mingel will not start" in str(raised.value)
    assert f"{path}:72: event 'bo-dec': unknown venue 'huss'" in str(raised.value)


async def test_help_mentions_the_programme_commands(start) -> None:
    chat = await start()
    participant = chat.text(await chat.send("/help", EMMA))
    assert ("/programme [DAY | MONTH | NETWORK | all] – Upcoming meetings; add a day "
            "(wednesday, tomorrow, 30/6), a month (september), a network, or “all” for the "
            "whole season") in participant
    assert "/reload" not in participant and "Organisers:" not in participant
    organiser = chat.text(await chat.send("/help", ORG_SV))
    assert "/reload – Läs om programfilen" in organiser
    assert "Arrangörer: skicka programfilen" in organiser


def test_mingel_check_prints_every_problem_and_exits_1(tmp_path, capsys) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN.replace("cancelled: true", "canceled: true"), encoding="utf-8")
    assert check.run(argparse.Namespace(files=[str(broken)])) == 1
    out = capsys.readouterr().out
    assert f"{broken}:72: event 'bo-dec': unknown venue 'huss' (did you mean 'hus'?)" in out
    assert f"{broken}:47: event 'am-online': end (2027-09-16 09:00) must be after start" in out
    assert "unknown field 'canceled' (did you mean 'cancelled'?)" in out
    assert out.rstrip().endswith(f"{broken}: 3 problems")


def test_mingel_check_summarises_a_valid_file_and_exits_0(programme_file, capsys) -> None:
    assert check.run(argparse.Namespace(files=[str(programme_file)])) == 0
    assert capsys.readouterr().out == f"{programme_file}: ok – 8 events, 2 networks\n"


def test_mingel_check_speaks_mingel_locale(tmp_path, programme_file, capsys,
                                           monkeypatch) -> None:
    """Like `mingel export`, in MINGEL_LOCALE: the problems, and summaries with plurals."""
    monkeypatch.setenv("MINGEL_LOCALE", "sv")
    one = tmp_path / "en.yaml"
    head, _, _ = PROGRAMME.partition("  - id: am-sep\n")
    one.write_text(head.replace("  bostad:\n    name: {sv: Bostadspolitiskt nätverk, en: "
                                "Housing policy network}\n    description: {sv: Bostadsbyggande "
                                "och hyresmarknad., en: House building and rents.}\n", ""),
                   encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN.replace("cancelled: true", "canceled: true"), encoding="utf-8")
    paths = ["programme.yaml", str(one), str(broken)]
    monkeypatch.chdir(programme_file.parent)
    assert check.run(argparse.Namespace(files=paths)) == 1
    assert capsys.readouterr().out.splitlines() == [
        "programme.yaml: ok – 8 träffar, 2 nätverk",
        f"{one}: ok – 1 träff, 1 nätverk",
        (f"{broken}:47: träff ”am-online”: slutet (2027-09-16 09:00) måste komma efter början "
         "(2027-09-16 10:00)"),
        (f"{broken}:{line_of('cancelled')}: träff ”am-oktober”: okänt fält ”canceled” "
         "(menade du ”cancelled”?)"),
        f"{broken}:72: träff ”bo-dec”: okänd lokal ”huss” (menade du ”hus”?)",
        f"{broken}: 3 fel",
    ]
    monkeypatch.setenv("MINGEL_LOCALE", "en")
    broken.write_text(BROKEN.replace("venue: huss", "venue: hus"), encoding="utf-8")
    assert check.run(argparse.Namespace(files=[str(broken), str(one)])) == 1
    assert capsys.readouterr().out.splitlines()[1:] == [
        f"{broken}: 1 problem", f"{one}: ok – 1 event, 1 network"]


def test_mingel_check_speaks_the_terminals_language_as_the_chat_does(programme_file, capsys,
                                                                    monkeypatch) -> None:
    """Without MINGEL_LOCALE, a Swedish terminal (LANG=sv_SE.UTF-8, or LC_ALL) gets Swedish,
    as in the terminal chat; MINGEL_LOCALE still wins, and a language Mingel does not speak
    is English."""
    monkeypatch.delenv("MINGEL_LOCALE", raising=False)
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    files = argparse.Namespace(files=[str(programme_file)])
    assert check.run(files) == 0
    assert capsys.readouterr().out == f"{programme_file}: ok – 8 träffar, 2 nätverk\n"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert check.run(files) == 0
    assert capsys.readouterr().out == f"{programme_file}: ok – 8 events, 2 networks\n"
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    assert check.run(files) == 0
    assert capsys.readouterr().out == f"{programme_file}: ok – 8 events, 2 networks\n"
    monkeypatch.setenv("LC_ALL", "sv_SE.UTF-8")
    monkeypatch.setenv("MINGEL_LOCALE", "en")
    assert check.run(files) == 0
    assert capsys.readouterr().out == f"{programme_file}: ok – 8 events, 2 networks\n"


def test_mingel_check_refuses_a_character_no_message_can_carry(tmp_path, monkeypatch) -> None:
    """"\\ud83d" in double quotes is valid YAML but a lone surrogate no message (and no UTF-8
    terminal) can carry: it is a problem at its line, and echoing it never crashes."""
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8"))
    title = tmp_path / "title.yaml"
    title.write_text(PROGRAMME.replace("{sv: Vårens avslutning, en: End of spring}",
                                       '{sv: "Vårens \\ud83d avslutning", en: End of spring}'),
                     encoding="utf-8")
    zone = tmp_path / "zone.yaml"
    zone.write_text('timezone: "Europe/\\ud800"\nevents: []\n', encoding="utf-8")
    assert check.run(argparse.Namespace(files=[str(title), str(zone)])) == 1
    sys.stdout.flush()
    assert out.getvalue().decode("utf-8").splitlines() == [
        (f"{title}:{line_of('Vårens')}: a text on this line contains a character that cannot "
         "be sent in a message (U+D83D); remove it"),
        f"{title}: 1 problem",
        (f"{zone}:1: a text on this line contains a character that cannot be sent in a message "
         "(U+D800); remove it"),
        f"{zone}:1: timezone: unknown time zone 'Europe/\\ud800' (did you mean 'Europe/Rome'?)",
        f"{zone}: 2 problems",
    ]


async def test_two_assistants_in_one_process_each_keep_their_programme(start, tmp_path) -> None:
    """The programme plugin remembers the last assistant it served; the other must not get
    that one's programme."""
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(PROGRAMME.replace("End of spring", "Spring finale"), encoding="utf-8")
    one, two = await start(), await start(path=renamed)
    for _ in range(2):
        assert "End of spring" in one.text(await one.send("/programme all", EMMA))
        assert "Spring finale" in two.text(await two.send("/programme all", EMMA))


async def test_a_moderator_listed_with_the_speakers_is_not_named_twice(start, programme_file
                                                                       ) -> None:
    title = "  - id: am-juni\n    title: {sv: Vårens avslutning, en: End of spring}\n"
    assert title in PROGRAMME
    programme_file.write_text(PROGRAMME.replace(title, title + (
        "    speakers:\n"
        "      - name: Emelie Fågelstedt\n"
        "        role: {sv: Samtalsledare, en: Moderator}\n")), encoding="utf-8")
    chat = await start(now="2027-06-01T08:00:00+00:00")
    card = chat.text((await chat.send("/event am-juni", SVEN))[:1])
    assert "• Emelie Fågelstedt – Samtalsledare" in card
    assert "Samtalsledare: Emelie Fågelstedt" not in card
    other = chat.text((await chat.send("/event am-sep", SVEN))[:1])
    assert "Samtalsledare: Emelie Fågelstedt" in other


async def test_event_without_an_id_offers_the_next_meetings_to_pick(start) -> None:
    """/event alone lists the upcoming meetings this user may see as buttons (not the past,
    cancelled or invite-only ones), and a tap opens the card."""
    chat = await start(now="2027-08-01T08:00:00+00:00")
    picker = await chat.send("/event", EMMA)
    assert chat.text(picker) == "Which meeting? Pick one, or see them all in /programme."
    assert chat.buttons(picker) == [
        "Thu 2 Sept 09:30 · The labour market after corona",
        "Thu 16 Sept 10:00 · Online talk on skills", "Wed 10 Nov 10:00 · Labour-market days",
        "Wed 24 Nov 09:30 · Working on the work environment",
        "Wed 1 Dec 09:30 · The rental market"]
    card = await chat.press("Wed 10 Nov 10:00 · Labour-market days", EMMA)
    assert chat.text(card[:1]).startswith("Labour-market days")
    swedish = await chat.send("/event", SVEN)
    assert chat.text(swedish) == "Vilken träff? Välj en här, eller se alla i /programme."
    assert "ons 10 nov. 10:00 · Arbetsmarknadsdagarna" in chat.buttons(swedish)
    assert any("Roundtable" in b for b in chat.buttons(await chat.send("/event", ORG)))


async def test_a_meeting_id_typed_in_capitals_opens_its_card(start) -> None:
    """Phone keyboards capitalise the first letter of /event Am-sep."""
    chat = await start()
    for typed in ("Am-sep", "AM-SEP"):
        card = await chat.send(f"/event {typed}", EMMA)
        assert chat.text(card[:1]).startswith("The labour market after corona")
    assert "Jag hittar ingen träff" in chat.text(await chat.send("/event AM-RUNDABORD", SVEN))


async def test_audit_reads_in_the_readers_language_and_keeps_old_entries(
        start, programme_file) -> None:
    chat = await start("plugins.audit")
    chat.assistant.store.table("assistant_audit").insert({
        "at": "2027-08-01T06:00:00+00:00", "user": ORG, "name": "Olga",
        "action": "programme.event_added", "details": "am-old"})
    programme_file.write_text(edited(), encoding="utf-8")
    await chat.send("/reload", ORG)
    await chat.press("Confirm", ORG)
    shown = chat.text(await chat.send("/audit", ORG_SV)).splitlines()
    assert shown[0] == "Arrangörernas senaste åtgärder"
    lines = [line.split(" · ", 2)[2] for line in shown[1:]]
    assert "Nytt program från programme.yaml: 1 tillagd, 1 borttagen, 1 inställd, " \
           "2 ändrade" in lines
    assert "Träff ändrad: am-sep (Tid)" in lines
    assert "Träff tillagd: am-ny" in lines
    assert "Träff borttagen: bo-dec" in lines
    assert "Träff ändrad: am-online (Inställd)" in lines
    assert lines[-1] == "programme.event_added – am-old", "an entry from before stays readable"
    english = chat.text(await chat.send("/audit", ORG))
    assert "New programme from programme.yaml: 1 added, 1 removed, 1 cancelled, 2 changed" \
        in english
    assert "Meeting changed: am-sep (Time)" in english
