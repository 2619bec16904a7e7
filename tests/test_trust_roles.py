"""Roles: who may do what, checked against docs/roles.md and against forged commands and buttons.

Every plugin in BUILTINS (and any installed through entry points) is loaded, so a plugin
added later is covered without touching this file. docs/roles.md is checked row by row
against the live declarations; every privileged command and every privileged button
(with real callback data, collected by walking the organiser's own buttons) is refused
for an ordinary user and changes nothing; every organiser action is in the audit log.

`python -m tests.test_trust_roles` prints the tables of docs/roles.md from the live
declarations, to paste when a plugin adds or changes a command.
"""
from __future__ import annotations

import asyncio
import copy
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from assistant.auditlog import AUDIT_TABLE
from assistant.config import SAMPLE_PROGRAMME
from assistant.core import Assistant
from assistant.testing import ChatHarness
from assistant.types import Reply
from tests.conftest import MINGEL_PLUGINS as MINGEL

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "roles.md"
ORGANISER = 1
EVENT = "am-2027-09-02"
NETWORK = "arbetsmarknad"
OTHER_NETWORK = "bostad"
INVITE_ONLY = "am-2027-10-14-rundabord"
COMMAND_ROW = re.compile(r"^\|\s*`/(\w+)`\s*\|\s*([\w-]+)\s*\|\s*(everyone|moderator|"
                         r"organiser)\s*\|", re.MULTILINE)
BUTTON_ROW = re.compile(r"^\|\s*`([\w-]+):([\w-]+)(?::[^`]*)?`\s*\|\s*([\w-]+)\s*\|\s*"
                        r"(everyone|moderator|organiser)\s*\|", re.MULTILINE)
EXPORT_ROW = re.compile(r"^\|\s*`mingel export ([\w-]+)[^`]*`\s*\|\s*([\w-]+)\s*\|\s*"
                        r"(everyone|moderator|organiser)\s*\|", re.MULTILINE)
REFUSED_BUTTON = "Sorry, you can't do that."
NEVER_PRESSED = {("privacy", "forget")}
CLOSING = {"cancel", "drop", "off", "send", "confirm"}


def snapshot(assistant: Assistant) -> dict[str, dict[int, Any]]:
    """A deep copy of every table except the users' profiles (refreshed by every update)."""
    store = assistant.store
    return {name: {doc.doc_id: copy.deepcopy(dict(doc)) for doc in store.table(name).all()}
            for name in store.table_names() if name != "assistant_users"}


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The tables whose documents differ."""
    return sorted(n for n in set(before) | set(after) if before.get(n, {}) != after.get(n, {}))


def audit_entries(assistant: Assistant) -> list[dict[str, Any]]:
    return [dict(d) for d in assistant.store.table(AUDIT_TABLE).all()]


def documents(replies: list[Reply]) -> list[Any]:
    return [r.document for r in replies if r.document is not None]


def changed_sample(title: str) -> bytes:
    """The bundled programme with one meeting's English title changed."""
    text = SAMPLE_PROGRAMME.read_text(encoding="utf-8")
    new = re.sub(r"(- id: am-2027-09-02.*?\n\s+en: )([^\n]+)", lambda m: m.group(1) + title,
                 text, count=1, flags=re.DOTALL)
    assert new != text
    return new.encode()


async def scenario(mingel_chat: Any) -> ChatHarness:
    """The sample programme with some life in it: answers, questions, a moderator."""
    chat = await mingel_chat(MINGEL, organisers=[ORGANISER],
                             flood_control=False)
    chat.user(ORGANISER, "Olga", lang="en")
    for user_id, name in ((201, "Pia"), (202, "Per"), (203, "Mona")):
        chat.user(user_id, name, lang="en", username=name.lower())
        await chat.send("/start", user_id)
        await chat.send(f"/follow {NETWORK}", user_id)
        await chat.send(f"/rsvp {EVENT}", user_id)
        await chat.press("Coming in person", user_id)
    await chat.send(f"/ask {EVENT} How will the reform be financed?", 201)
    await chat.press("Show my name", 201)
    await chat.send(f"/ask {EVENT} What about young people?", 202)
    await chat.press("anonymously", 202)
    await chat.send(f"/moderators {OTHER_NETWORK} add 203", ORGANISER)
    chat.user(300, "Vera", lang="en")
    await chat.send("/start", 300)
    await chat.deliver()
    return chat


def buttons_of(replies: list[Reply]) -> list[str]:
    return [b.data for r in replies for row in r.buttons for b in row if b.data]


async def crawl(chat: ChatHarness, user: int, starts: list[str | tuple[str, bytes]],
                limit: int = 150, per_action: int = 3) -> dict[tuple[str, str], list[str]]:
    """Walk the buttons a user is shown, pressing up to `per_action` of each kind (new kinds
    first, closing ones like Cancel last); returns every callback data seen, by (plugin,
    action). Awaited texts are answered with a message."""
    seen: dict[tuple[str, str], list[str]] = defaultdict(list)
    queue: list[str] = []
    pressed: dict[tuple[str, str], int] = defaultdict(int)

    def kind(data: str) -> tuple[str, str]:
        plugin, _, rest = data.partition(":")
        return plugin, rest.split(":")[0]

    async def answer(replies: list[Reply]) -> None:
        if chat.assistant.users.expected(user):
            replies = replies + await chat.send("Hello <b>everyone</b> & welcome", user)
        for data in buttons_of(replies):
            if data not in seen[kind(data)]:
                seen[kind(data)].append(data)
                queue.append(data)

    def priority(data: str) -> tuple[bool, int]:
        return kind(data)[1] in CLOSING, pressed[kind(data)]

    for start in starts:
        if isinstance(start, tuple):
            await answer(await chat.upload(start[0], start[1], user))
        else:
            await answer(await chat.send(start, user))
    for _ in range(limit):
        queue = [d for d in queue if pressed[kind(d)] < per_action and kind(d) not in NEVER_PRESSED]
        if not queue:
            break
        data = min(queue, key=priority)
        queue.remove(data)
        pressed[kind(data)] += 1
        await answer(await chat.press_data(data, user))
    await chat.deliver()
    return seen


def organiser_starts() -> list[str | tuple[str, bytes]]:
    return ["/broadcast", f"/moderate {EVENT}", "/doorlist", f"/doorlist {EVENT}", "/feedback",
            f"/feedback {EVENT}", f"/questions {EVENT}", "/programme", f"/event {EVENT}",
            f"/attendees {EVENT}", f"/invite {INVITE_ONLY}", "/reminders", "/networks",
            ("programme.yaml", changed_sample("The labour market, revised"))]


def plausible_args(spec: str, user_id: int) -> str:
    """Arguments for a command from its declared usage, e.g. 'ID [N|list|revoke]'."""
    values = {"ID": EVENT, "NETWORK": NETWORK, "USER": str(user_id), "N": "5", "WORDS": "reform"}
    words = []
    for token in spec.split():
        first = token.strip("[]").split("|")[0]
        words.append(values.get(first, first))
    return " ".join(words)


def live_tables(assistant: Assistant) -> str:
    """The tables of docs/roles.md as the plugins declare them now."""
    cats = assistant.catalogues
    lines = ["| command | plugin | who may use it | what it does |", "|---|---|---|---|"]
    for name, cmd in sorted(assistant.commands.items()):
        what = cats.gettext(cmd.plugin, "en", cmd.help)
        if name != cmd.name:
            what = f"same as /{cmd.name}"
        args = cmd.args.replace("|", "\\|")
        usage = f" `{args}`" if cmd.args and name == cmd.name else ""
        lines.append(f"| `/{name}` | {cmd.plugin} | {cmd.role} | {what}{usage} |")
    lines += ["", "| button (callback data) | plugin | who may press it | handler |",
              "|---|---|---|---|"]
    for (plugin, name), action in sorted(assistant.actions.items()):
        if action.role != "everyone":
            handler = getattr(action.handler, "__name__", "?")
            lines.append(f"| `{plugin}:{name}:…` | {plugin} | {action.role} | `{handler}` |")
    lines += ["", "| export | plugin | who may run it | what it gives |", "|---|---|---|---|"]
    for name, export in sorted(assistant.exports.items()):
        what = cats.gettext(export.plugin, "en", export.help)
        lines.append(f"| `mingel export {name} ID` | {export.plugin} | {export.role} | {what} |")
    return "\n".join(lines)


# ---------------------------------------------------------------- docs/roles.md is true


async def test_roles_doc_lists_every_command_button_and_export_with_its_role(mingel_chat) -> None:
    chat = await mingel_chat(MINGEL)
    assistant = chat.assistant
    loaded = set(assistant.plugin_names())
    text = DOC.read_text(encoding="utf-8")

    documented = {m[0]: (m[1], m[2]) for m in COMMAND_ROW.findall(text)}
    live = {name: (cmd.plugin, cmd.role) for name, cmd in assistant.commands.items()}
    missing = sorted(set(live) - set(documented))
    assert not missing, f"commands missing from docs/roles.md: {missing}\n{live_tables(assistant)}"
    wrong = {n: (documented[n], live[n]) for n in live if documented[n] != live[n]}
    assert not wrong, f"docs/roles.md says (plugin, role) … but the code says …: {wrong}"
    gone = sorted(n for n, (plugin, _) in documented.items() if plugin in loaded and n not in live)
    assert not gone, f"docs/roles.md lists commands no plugin declares: {gone}"
    stale = [row for row in live_tables(assistant).splitlines()
             if row.startswith("| `/") and row not in text]
    assert not stale, f"docs/roles.md describes these commands differently now: {stale}"

    buttons = {(m[0], m[1]): m[3] for m in BUTTON_ROW.findall(text)}
    privileged = {key: a.role for key, a in assistant.actions.items() if a.role != "everyone"}
    assert {k: v for k, v in buttons.items() if k[0] in loaded and k in assistant.actions} \
        == privileged, f"privileged buttons differ from docs/roles.md:\n{live_tables(assistant)}"
    unknown = sorted(k for k in buttons if k[0] in loaded and k not in assistant.actions)
    assert not unknown, f"docs/roles.md lists buttons no plugin declares: {unknown}"

    exports = {m[0]: (m[1], m[2]) for m in EXPORT_ROW.findall(text)}
    assert {k: v for k, v in exports.items() if v[0] in loaded} == \
        {name: (e.plugin, e.role) for name, e in assistant.exports.items()}


# ---------------------------------------------------------------- forged commands and buttons


async def test_every_privileged_command_is_refused_for_an_ordinary_user(mingel_chat) -> None:
    chat = await scenario(mingel_chat)
    assistant = chat.assistant
    ordinary = 300
    privileged = sorted((name, cmd) for name, cmd in assistant.commands.items()
                        if cmd.role != "everyone")
    assert privileged, "no privileged commands at all?"
    for name, cmd in privileged:
        for args in ("", plausible_args(cmd.args, ordinary)):
            before, queued = snapshot(assistant), len(assistant.outbox.table)
            replies = await chat.send(f"/{name} {args}".strip(), ordinary)
            who = "organisers" if cmd.role == "organiser" else "moderators and organisers"
            assert chat.text(replies) == f"Sorry, only {who} can use /{name}.", (name, args)
            assert changed_tables(before, snapshot(assistant)) == [], (name, args)
            assert len(assistant.outbox.table) == queued


async def test_every_privileged_button_with_real_callback_data_is_refused(mingel_chat) -> None:
    chat = await scenario(mingel_chat)
    assistant = chat.assistant
    seen = await crawl(chat, ORGANISER, organiser_starts())
    ordinary = 300
    privileged = {key for key, a in assistant.actions.items() if a.role != "everyone"}
    tried: dict[tuple[str, str], list[str]] = {}
    for plugin, action in sorted(privileged):
        forged = [f"{plugin}:{action}:{EVENT}", f"{plugin}:{action}:1",
                  f"{plugin}:{action}:{EVENT}:1:approve"]
        tried[(plugin, action)] = seen.get((plugin, action), []) + forged
    for datas in tried.values():
        for data in datas:
            before, queued = snapshot(assistant), len(assistant.outbox.table)
            replies = await chat.press_data(data, ordinary)
            assert chat.toasts[ordinary] == REFUSED_BUTTON, data
            assert replies == [], (data, chat.text(replies))
            assert changed_tables(before, snapshot(assistant)) == [], data
            assert len(assistant.outbox.table) == queued, data
    collected = sorted(k for k in privileged if seen.get(k))
    assert len(collected) >= len(privileged) // 2, \
        f"real buttons were found for too few privileged actions: {collected}"


async def test_a_moderator_of_another_network_changes_nothing_here(mingel_chat) -> None:
    """The core lets any moderator through; the plugins narrow it to the meeting's networks."""
    chat = await scenario(mingel_chat)
    assistant = chat.assistant
    seen = await crawl(chat, ORGANISER, organiser_starts())
    other = 203
    assert assistant.roles.moderated_networks(other) == {OTHER_NETWORK}
    moderated = sorted(key for key, a in assistant.actions.items() if a.role == "moderator")
    datas = [d for key in moderated for d in seen.get(key, []) if EVENT in d or
             d.split(":")[2:3] and d.split(":")[2].isdigit()]
    assert datas, "no moderator buttons were collected"
    for data in datas:
        before, queued = snapshot(assistant), len(assistant.outbox.table)
        replies = await chat.press_data(data, other)
        assert changed_tables(before, snapshot(assistant)) == [], data
        assert len(assistant.outbox.table) == queued, data
        assert not documents(replies), f"{data} gave a file to a moderator of another network"
    for name, cmd in sorted(assistant.commands.items()):
        if cmd.role == "moderator" and name == cmd.name:
            before = snapshot(assistant)
            replies = await chat.send(f"/{name} {EVENT}", other)
            assert not documents(replies)
            assert "Sorry" in chat.text(replies) or "Only" in chat.text(replies), name
            assert changed_tables(before, snapshot(assistant)) == []


async def test_checks_inside_handlers_refuse_ordinary_users(mingel_chat) -> None:
    """Uploading a programme, and invite-only meetings seen through any command or button."""
    chat = await scenario(mingel_chat)
    assistant = chat.assistant
    ordinary = 300
    before = snapshot(assistant)
    replies = await chat.upload("programme.yaml", changed_sample("Hijacked"), ordinary)
    assert "only the organisers can change the programme" in chat.text(replies)
    for data in (f"rsvp:a:{INVITE_ONLY}:in_person", f"programme:card:{INVITE_ONLY}",
                 f"calendar:add:{INVITE_ONLY}", f"questions:ask:{INVITE_ONLY}",
                 f"health:start:{INVITE_ONLY}"):
        replies = await chat.press_data(data, ordinary)
        assert not re.search("Roundtable|Rundabord", chat.text(replies)), data
        assert not documents(replies), data
    for text in (f"/event {INVITE_ONLY}", f"/rsvp {INVITE_ONLY}", f"/calendar {INVITE_ONLY}",
                 f"/ask {INVITE_ONLY} hello?", f"/questions {INVITE_ONLY}"):
        replies = await chat.send(text, ordinary)
        assert not re.search("Roundtable|Rundabord", chat.text(replies)), text
        assert not documents(replies), text
    after = snapshot(assistant)
    assert changed_tables(before, after) in ([], ["questions_drafts"])
    assert [(d["event"], d["text"]) for d in after.get("questions_drafts", {}).values()] == \
        [("", "hello?")], "only the question typed, kept for a meeting they may see"
    card = chat.text(await chat.send(f"/event {EVENT}", ordinary))
    assert "Hijacked" not in card
    assert "Roundtable" in chat.text(await chat.send(f"/event {INVITE_ONLY}", ORGANISER))


# ---------------------------------------------------------------- the audit log


async def test_every_organiser_action_is_in_the_audit_log(mingel_chat) -> None:
    chat = await scenario(mingel_chat)
    assistant = chat.assistant

    async def audited(prefix: str, action: Any, what: str = "") -> list[Reply]:
        count = len(audit_entries(assistant))
        replies = await action()
        new = audit_entries(assistant)[count:]
        assert any(e["action"].startswith(prefix) for e in new), \
            f"no audit entry {prefix!r} for {what or prefix}: {new}"
        for entry in new:
            assert entry["at"] and entry["action"]
            assert entry["user"] in (ORGANISER, None)
        return replies

    org = ORGANISER
    preview = await chat.upload("programme.yaml", changed_sample("The labour market, revised"),
                                org)
    await audited("programme.programme_applied", lambda: chat.press("Confirm", org, preview))
    assert any(e["action"] == "programme.event_changed" and EVENT in e["details"]
               for e in audit_entries(assistant))

    await chat.send("/broadcast", org)
    await chat.press("Everyone", org)
    await chat.send("The room has changed to F7.", org)
    await audited("broadcast.send", lambda: chat.press("Send to", org))

    await audited("invitations.create", lambda: chat.send(f"/invite {INVITE_ONLY} 3", org))
    await audited("invitations.revoke", lambda: chat.send(f"/invite {INVITE_ONLY} revoke", org))
    await audited("rsvp.attendees", lambda: chat.send(f"/attendees {EVENT}", org))
    await audited("health.doorlist", lambda: chat.send(f"/doorlist {EVENT}", org))
    await audited("questions.moderator_added",
                  lambda: chat.send(f"/moderators {NETWORK} add 202", org))
    await audited("questions.moderator_removed",
                  lambda: chat.send(f"/moderators {NETWORK} remove 202", org))
    queue = await chat.send(f"/moderate {EVENT}", org)
    await audited("questions.approve", lambda: chat.press("Approve", org, queue))
    for name in sorted(assistant.exports):
        await audited("", lambda name=name: _export(chat, name, org), f"export {name}")
        await audited("", lambda name=name: _export(chat, name, None), f"mingel export {name}")

    shown = chat.text(await chat.send("/audit", org))
    for line in ("New programme from ", "Broadcast to ", "Invitation link 1 to ",
                 "Attendee list of "):
        assert line in shown
    assert "Olga" in shown


async def _export(chat: ChatHarness, name: str, user: int | None) -> list[Reply]:
    await chat.export(name, EVENT, user)
    return []


async def test_every_file_an_organiser_gets_is_audited(mingel_chat) -> None:
    """Walk every organiser and moderator button: whatever hands out a file leaves an entry."""
    chat = await scenario(mingel_chat)
    assistant = chat.assistant
    privileged = {key for key, a in assistant.actions.items() if a.role != "everyone"}
    seen = await crawl(chat, ORGANISER, organiser_starts())
    for key in sorted(privileged):
        for data in seen.get(key, [])[:3]:
            count = len(audit_entries(assistant))
            replies = await chat.press_data(data, ORGANISER)
            if documents(replies):
                assert len(audit_entries(assistant)) > count, f"{data} gave a file unaudited"
    for name, cmd in sorted(assistant.commands.items()):
        if cmd.role != "everyone":
            count = len(audit_entries(assistant))
            replies = await chat.send(f"/{name} {plausible_args(cmd.args, 202)}", ORGANISER)
            if documents(replies):
                assert len(audit_entries(assistant)) > count, f"/{name} gave a file unaudited"


async def test_forgetting_an_organiser_scrubs_their_name_from_the_audit_log(mingel_chat) -> None:
    chat = await scenario(mingel_chat)
    await chat.send(f"/attendees {EVENT}", ORGANISER)
    await chat.send("/forget", ORGANISER)
    await chat.press("Yes, delete everything", ORGANISER)
    entries = audit_entries(chat.assistant)
    assert entries and all(e["user"] != ORGANISER and "Olga" not in e["name"] for e in entries)


if __name__ == "__main__":
    async def _print() -> None:
        harness = ChatHarness(MINGEL)
        await harness.start()
        print(live_tables(harness.assistant))
        await harness.stop()
    asyncio.run(_print())


async def test_an_awaited_answer_is_checked_against_the_role_too(mingel_chat) -> None:
    """An organiser taken off MINGEL_ORGANISERS mid-broadcast can't finish it by typing."""
    chat = await scenario(mingel_chat)
    await chat.send("/broadcast", ORGANISER)
    await chat.press("Everyone", ORGANISER)
    chat.assistant.organisers.discard(ORGANISER)
    before = snapshot(chat.assistant)
    replies = await chat.send("A message nobody may send any more", ORGANISER)
    assert "didn't understand" in chat.text(replies)
    assert changed_tables(before, snapshot(chat.assistant)) == []
