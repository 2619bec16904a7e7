"""Privacy rights: /privacy, /mydata, /forget leaving no trace on disk, and retention.

Every plugin in BUILTINS and the examples (feedback, mingle) is loaded. A
person who used everything asks to be forgotten; afterwards not one byte of any file in
the data directory holds their id, names or the question they asked, and the next person on the waiting list has
their seat. With a FakeClock, data about a meeting is gone once MINGEL_RETENTION has
passed after it, and health outcomes after 14 days.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from assistant.stub import parse_html
from assistant.testing import ChatHarness
from assistant.types import Reply
from tests.conftest import MINGEL_PLUGINS

ORGANISER = 1
QUIXOTELLA = 7364021
NAMES = ("Quixotella", "Zyzzyvaston", "quixo_zyzzy", "Frobnicator")
"""Her names, and a word of the question she asked: what she wrote is hers too."""
BOB = 5550123
PROGRAMME = """\
timezone: Europe/Stockholm
venues:
  f7: {name: F7, address: "Fleminggatan 7, Stockholm", latitude: 59.3326, longitude: 18.0419}
networks:
  alpha: {name: {sv: Alfanätverket, en: Alpha network}}
  beta: {name: {sv: Betanätverket, en: Beta network}}
defaults:
  networks: [alpha]
  venue: f7
events:
  - id: m0
    title: {sv: Första mötet, en: First meeting}
    start: 2027-08-01 12:00
    end: 2027-08-01 13:00
    online: {platform: Zoom, url: "https://zoom.us/j/1"}
    health_declaration: true
    questions: true
    question_mode: live
  - id: m1
    title: {sv: Andra mötet, en: Second meeting}
    start: 2027-08-03 09:30
    end: 2027-08-03 12:30
    capacity: 1
    online: {platform: Zoom, url: "https://zoom.us/j/1"}
    health_declaration: true
    questions: true
    question_mode: live
  - id: secret
    title: {sv: Rundabord, en: Roundtable}
    start: 2027-08-05 09:30
    end: 2027-08-05 11:00
    invite_only: true
  - id: b1
    networks: [beta]
    title: {sv: Betamöte, en: Beta meeting}
    start: 2028-06-10 09:30
    end: 2028-06-10 12:30
"""


async def harness(mingel_chat: Any, tmp_path: Path, **env: str) -> ChatHarness:
    programme = tmp_path / "programme.yaml"
    programme.write_text(PROGRAMME, encoding="utf-8")
    chat = await mingel_chat(MINGEL_PLUGINS, organisers=[ORGANISER],
                             data_dir=tmp_path / "data", flood_control=False,
                             env={"MINGEL_PROGRAMME": str(programme), **env})
    chat.user(ORGANISER, "Olga", lang="en", username="olga_org")
    chat.user(QUIXOTELLA, "Quixotella", last_name="Zyzzyvaston", username="quixo_zyzzy",
              lang="en")
    chat.user(BOB, "Bob", lang="en")
    return chat


async def declare_health(chat: ChatHarness, user: int, event: str) -> None:
    replies = await chat.send(f"/health {event}", user)
    for _ in range(10):
        if not any("No" == b for b in chat.buttons(replies)):
            break
        replies = await chat.press_data(chat.find_button("No", replies).data or "", user)
    replies = await chat.press("I will follow these", user)
    assert "declaration" in chat.text(replies).lower()


async def answer(chat: ChatHarness, user: int, event: str, label: str) -> None:
    card = await chat.send(f"/rsvp {event}", user)
    await chat.press(label, user, card)


async def use_everything(chat: ChatHarness) -> None:
    """Quixotella uses every feature; Bob waits for her seat; the organiser works."""
    q, org = QUIXOTELLA, ORGANISER
    await chat.send("/start", q)
    await chat.send("/start", BOB)
    await chat.send("/start", org)
    await chat.send("/follow alpha", q)
    await answer(chat, q, "m0", "Coming in person")
    await declare_health(chat, q, "m1")
    await answer(chat, q, "m1", "Coming in person")
    await answer(chat, BOB, "m1", "Coming in person")
    assert "waiting list" in chat.text(await chat.send("/my", BOB))
    await chat.send("/ask m1 Will the Frobnicator reform be financed?", q)
    await chat.press("Show my name", q)
    await chat.send("/ask m1 What happens to apprentices?", BOB)
    await chat.press("anonymously", BOB)
    listing = await chat.send("/questions m1", q)
    for data in [b.data for r in listing for row in r.buttons for b in row]:
        if data and data.startswith("questions:up:"):
            await chat.press_data(data, q)
    listing = await chat.send("/questions m1", BOB)
    for data in [b.data for r in listing for row in r.buttons for b in row]:
        if data and data.startswith("questions:up:"):
            await chat.press_data(data, BOB)
    await chat.press_data("questions:follow:m1:0", q)
    if "mingle" in chat.assistant.plugin_names():
        await chat.send("/mingle m1 Frobnicator studies at Quixotella's lab", q)
    await chat.send("/reminders 48h,2h", q)
    await chat.send("/moderators beta add @quixo_zyzzy", org)
    invitation = chat.text(await chat.send("/invite secret", org))
    token = re.search(r"start=(inv-[\w-]+)", invitation) or re.search(r"/start (inv-[\w-]+)",
                                                                       invitation)
    assert token, invitation
    assert "Roundtable" in chat.text(await chat.send(f"/start {token.group(1)}", q))
    await chat.send("/attendees m1", org)
    await chat.send("/broadcast", org)
    await chat.press("Everyone", org)
    await chat.send("Coffee is at 09:00.", org)
    await chat.press("Send to", org)
    await chat.deliver()
    await chat.tick(hours=26)
    rating = [r for r in chat.sent_to(q) if any(b.data and b.data.startswith("feedback:rate")
                                                 for row in r.buttons for b in row)]
    if "feedback" in chat.assistant.plugin_names():
        assert rating, "the feedback question did not come"
        await chat.press("5", q, rating)
        await chat.send("Lovely venue, thanks.", q)
    await chat.tick(hours=1)


def traces(directory: Path) -> list[str]:
    """Every place in the data directory's files where Quixotella's id, a name or her
    question occurs."""
    id_pattern = re.compile(rb"(?<![0-9])" + str(QUIXOTELLA).encode() + rb"(?![0-9])")
    found = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        content = path.read_bytes()
        lowered = content.lower()
        for match in id_pattern.finditer(content):
            found.append(f"{path.name}: id at {match.start()}: "
                         f"{content[max(0, match.start() - 80):match.end() + 40]!r}")
        for name in NAMES:
            for form in {name.lower().encode(), json.dumps(name.lower())[1:-1].encode()}:
                at = lowered.find(form)
                if at >= 0:
                    found.append(f"{path.name}: {name} at {at}: "
                                 f"{content[max(0, at - 80):at + 60]!r}")
    return found


async def test_privacy_explains_every_plugin_that_keeps_something(mingel_chat, tmp_path) -> None:
    chat = await harness(mingel_chat, tmp_path)
    text = chat.text(await chat.send("/privacy", BOB))
    parse_html(chat.last[BOB][0].text)
    keeping = [name for name, plugin in chat.assistant.pm.list_name_plugin()
               if plugin is not None and hasattr(plugin, "user_data")]
    everything = dict(chat.assistant.hooks.privacy_notice(chat.context(user=ORGANISER)))
    assert set(keeping) <= set(everything), f"plugins keeping data without a notice: " \
                                            f"{set(keeping) - set(everything)}"
    notices = dict(chat.assistant.hooks.privacy_notice(chat.context(user=BOB)))
    assert "broadcast" not in notices, "only organisers broadcast: not Bob's concern"
    for notice in notices.values():
        assert chat.text([Reply(notice)]) in text
    assert "/forget" in text and "/mydata" in text
    sv = chat.text(await chat.send("/privacy", chat.user(77, "Sara", lang="sv")))
    assert "/forget" in sv and sv != text


async def test_mydata_has_everything_from_every_plugin(mingel_chat, tmp_path) -> None:
    chat = await harness(mingel_chat, tmp_path)
    await use_everything(chat)
    replies = await chat.send("/mydata", QUIXOTELLA)
    [document] = chat.documents(replies)
    data = json.loads(document.content)
    assert data["user_id"] == QUIXOTELLA
    assert data["profile"]["first_name"] == "Quixotella"
    assert data["moderator_of"] == ["beta"]
    plugins = data["plugins"]
    expected = {"programme", "rsvp", "health", "questions", "reminders", "invitations"}
    expected |= {"feedback", "mingle"} & set(chat.assistant.plugin_names())
    assert expected <= set(plugins), set(plugins)
    assert {d["event"] for d in plugins["rsvp"]} == {"m0", "m1"}
    assert "Frobnicator" in json.dumps(plugins["questions"])
    assert plugins["invitations"]["invited_to"][0]["event"] == "secret"
    for name, plugin in chat.assistant.pm.list_name_plugin():
        if plugin is not None and hasattr(plugin, "user_data") and name != "broadcast":
            assert name in plugins, f"{name} keeps data but /mydata has none of it"


async def test_forget_leaves_no_trace_on_disk_and_promotes_the_next_in_line(mingel_chat,
                                                                          tmp_path) -> None:
    chat = await harness(mingel_chat, tmp_path)
    await use_everything(chat)
    data_dir = tmp_path / "data"
    assert traces(data_dir), "the test data never reached the disk?"
    ask = await chat.send("/forget", QUIXOTELLA)
    assert "cannot be undone" in chat.text(ask)
    done = await chat.press("Yes, delete everything", QUIXOTELLA)
    assert chat.text(done).startswith("Done. I have deleted everything")
    assert traces(data_dir) == [], "gone from the disk by the time the user is told"
    delivered = await chat.deliver()
    assert any("Good news" in chat.text([r]) and "Second meeting" in chat.text([r])
               for r in delivered.get(BOB, [])), delivered.get(BOB)
    assert "waiting list" not in chat.text(await chat.send("/my", BOB))
    attendees = chat.text(await chat.send("/attendees m1", ORGANISER))
    assert "In person: 1" in attendees and "Bob" in attendees
    assert "Quixotella" not in attendees
    questions = chat.text(await chat.send("/questions m1", BOB))
    assert "Frobnicator" not in questions and "Quixotella" not in questions
    assert "What happens to apprentices?" in questions
    await chat.stop()
    assert traces(data_dir) == []
    await chat.restart()
    assert "Bob" in chat.text(await chat.send("/attendees m1", ORGANISER))


async def test_forget_says_so_when_the_files_could_not_be_rewritten(mingel_chat,
                                                                    tmp_path) -> None:
    chat = await harness(mingel_chat, tmp_path)
    await use_everything(chat)
    (tmp_path / "data" / "mingel.json.tmp").mkdir()  # the new snapshot cannot be written
    await chat.send("/forget", QUIXOTELLA)
    done = chat.text(await chat.press("Yes, delete everything", QUIXOTELLA))
    assert "something went wrong" in done and "try /forget again" in done
    (tmp_path / "data" / "mingel.json.tmp").rmdir()
    await chat.send("/forget", QUIXOTELLA)
    assert chat.text(await chat.press("Yes, delete everything", QUIXOTELLA)).startswith("Done.")
    assert traces(tmp_path / "data") == []


async def test_forget_can_be_declined(mingel_chat, tmp_path) -> None:
    chat = await harness(mingel_chat, tmp_path)
    await chat.send("/follow alpha", QUIXOTELLA)
    await chat.send("/forget", QUIXOTELLA)
    assert chat.text(await chat.press("No, keep it", QUIXOTELLA)) == "Nothing was deleted."
    assert chat.table("programme", "follows")


def about(chat: ChatHarness, event_id: str) -> dict[str, list[Any]]:
    """Every stored document (any table) that names a meeting."""
    store = chat.assistant.store
    pattern = re.compile(r"(?<![\w-])" + re.escape(event_id) + r"(?![\w-])")
    found: dict[str, list[Any]] = {}
    for name in store.table_names():
        docs = [dict(d) for d in store.table(name).all()
                if pattern.search(json.dumps(dict(d), ensure_ascii=False))]
        if docs:
            found[name] = docs
    return found


async def test_retention_trims_everything_about_a_past_meeting(mingel_chat, tmp_path) -> None:
    chat = await harness(mingel_chat, tmp_path, MINGEL_RETENTION="60d")
    org = ORGANISER
    await chat.send("/ask m0 Is there coffee?", BOB)
    await chat.press("anonymously", BOB)
    await chat.press_data("questions:follow:m0:0", BOB)
    await chat.send("/invite m0", org)
    queue = await chat.send("/moderate m0", org)
    await chat.press("Switch to approval", org, queue)
    await answer(chat, BOB, "m0", "Coming online")
    changed = PROGRAMME.replace("en: First meeting", "en: The first meeting").encode()
    await chat.upload("programme.yaml", changed, org)
    await chat.press("Confirm", org)
    await use_everything(chat)
    await chat.send("/broadcast", org)
    await chat.press("Participants of a meeting", org)
    await chat.press("first meeting", org)
    await chat.press("All", org)
    await chat.send("Thanks for coming!", org)
    await chat.press("Send to", org)
    await chat.tick(hours=1)
    assert set(about(chat, "m0")) >= {
        "rsvp_answers", "rsvp_changes", "questions_items", "questions_meetings",
        "questions_followers", "invitations_links", "broadcast_messages", "calendar_events",
        "assistant_audit"}
    for _ in range(62):
        await chat.tick(hours=24)
    left = about(chat, "m0")
    assert left == {}, f"kept after MINGEL_RETENTION: {json.dumps(left, indent=1)[:3000]}"
    assert about(chat, "b1") or chat.table("programme", "follows"), "trimmed too much"
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()
             and not p.name.startswith("programme") and "downloads" not in p.parts]
    assert not [p.name for p in files if "Is there coffee?" in p.read_text(errors="replace")], \
        "a trimmed question is still in the data files"


async def test_health_outcomes_go_14_days_after_the_meeting(mingel_chat, tmp_path) -> None:
    chat = await harness(mingel_chat, tmp_path)
    await chat.send("/start", QUIXOTELLA)
    await declare_health(chat, QUIXOTELLA, "m1")
    assert chat.table("health", "outcomes")
    chat.clock.set(chat.clock.now().replace(month=8, day=17))
    await chat.tick()
    assert chat.table("health", "outcomes"), "deleted before 14 days had passed"
    await chat.tick(hours=12)
    assert chat.table("health", "outcomes") == []
