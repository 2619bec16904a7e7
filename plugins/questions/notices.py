"""Messages to people other than the moderator who acted, all through the outbox, each sent once."""
from __future__ import annotations

from collections.abc import Callable

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event
from assistant.types import Button

from . import data, meeting, render


def now_answering(ctx: Context, event: Event, doc: Document) -> int:
    """Tell the asker that their question is being answered now, and the askers of the
    duplicates merged into it that theirs is with it (each quoted their own question, as when
    it has been answered), then everyone else following the meeting's questions which one it
    is. One notice each, once per question: an asker who follows gets theirs alone."""
    told, sent = _tell_askers(ctx, doc, "answering", lambda q: _asked(event, doc, q))
    for user_id in data.follower_ids(ctx, event.id):
        if user_id in told:
            continue

        def build(target: Context) -> None:
            title = f"<b>{meeting.title(target, event)}</b>"
            target.reply("\n".join([target._("🎤 Now answering at {title}:", title=title), "",
                                    render.clipped(doc["text"])]), _see(target, event))
        sent += ctx.send_to(user_id, build, key=f"answering:{doc.doc_id}:{user_id}")
    return sent


def _see(target: Context, event: Event) -> list[list[Button]]:
    """The button under a "now answering" notice: the meeting's questions."""
    return [[target.button(target._("💬 See the questions"), "list", event.id, 0)]]


def _asked(event: Event, doc: Document, question: Document) -> Callable[[Context], None]:
    """The notice to the asker of `question` that `doc` (itself, or the one it was merged
    into) is being answered now, with the button to the meeting's questions."""
    def heading(target: Context, title: str) -> str:
        return (target._("🎤 Your question at {title} is being answered now:", title=title)
                if question.doc_id == doc.doc_id else
                target._("🎤 Your question at {title} is being answered now, together with a "
                         "similar question, #{number}:", title=title,
                         number=data.number(target, doc)))
    return _quoting(event, question, heading, see=True)


def _quoting(event: Event, question: Document, heading: Callable[[Context, str], str],
             see: bool = False) -> Callable[[Context], None]:
    """A notice to an asker that quotes their own question under its heading (the question
    taken up may be someone else's, in another language)."""
    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        target.reply("\n".join([heading(target, title), "", render.clipped(question["text"])]),
                     _see(target, event) if see else None)
    return build


def answered(ctx: Context, event: Event, doc: Document) -> None:
    """Tell the asker that the question was answered, and the askers of the duplicates merged
    into it that theirs was answered with it: each is quoted their own question (the text
    answered may be someone else's, in another language), and each notice belongs to the
    question it quotes, so that a /forget of one asker takes none of the others'. Answered
    with another (`:via:`) and answered on its own after a merge was undone are two
    notices, each sent once."""
    _tell_askers(ctx, doc, "answered", lambda q: _answered(event, doc, q))


def _tell_askers(ctx: Context, doc: Document, kind: str,
                 notice: Callable[[Document], Callable[[Context], None]]) -> tuple[set[int], int]:
    """Send `notice` of each question, `doc` and the duplicates merged into it, to its asker
    (once each, not to whoever acted), keyed by the question it quotes; who was told and how
    many notices were queued."""
    told = {ctx.user.id} if ctx.user else set()
    sent = 0
    for question in (doc, *data.duplicates_of(ctx, doc)):
        user_id = question.get("user")
        if user_id is None or user_id in told:
            continue
        told.add(user_id)
        via = "" if question.doc_id == doc.doc_id else f":via:{doc.doc_id}"
        sent += ctx.send_to(user_id, notice(question),
                            key=f"{kind}:{question.doc_id}:{user_id}{via}")
    return told, sent


def _answered(event: Event, doc: Document, question: Document) -> Callable[[Context], None]:
    """The notice to the asker of `question` that `doc` (itself, or the one it was merged
    into) was answered."""
    def heading(target: Context, title: str) -> str:
        return (target._("✅ Your question at {title} has been answered:", title=title)
                if question.doc_id == doc.doc_id else
                target._("✅ Your question at {title} has been answered together with a "
                         "similar question, #{number}:", title=title,
                         number=data.number(target, doc)))
    return _quoting(event, question, heading)


def merged(ctx: Context, event: Event, duplicate: Document, target_doc: Document,
           key: str | None = None) -> None:
    """Tell the asker of a duplicate where their question went. The notice's key says which
    question it quotes (`quoted`): `merged:D` the one D was merged into, `merged:D:Q` the
    question Q that stood for it when the one quoted before was deleted (see `heirs.py`).
    A duplicate merged into a question of the same asker is told so, with no word of a vote:
    nobody backs their own question. One merged into a question still waiting for approval is
    quoted its own question, not that one (nobody but the moderators has read it), and told
    that its vote counts there once a moderator publishes it: until then it counts nowhere."""
    user_id = duplicate.get("user")
    if user_id is None or (ctx.user and user_id == ctx.user.id):
        return
    own = target_doc.get("user") == user_id
    answered = target_doc["status"] == data.ANSWERED

    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        quoted = target_doc
        if own:
            heading = target._("Your question at {title} was merged with a similar question "
                               "you also asked:", title=title)
            last = (target._("It has already been answered.") if answered else
                    target._("I'll tell you when it has been answered."))
        elif target_doc["status"] == data.PENDING:
            heading, last = unpublished(target, title, target_doc)
            quoted = duplicate
        else:
            heading = target._("Your question at {title} was merged with a similar one:",
                               title=title)
            last = (target._("Your vote now counts for it; it has already been answered.")
                    if answered else target._("Your vote now counts for it, and I'll tell you "
                                              "when it has been answered."))
        target.reply("\n".join([heading, "", render.clipped(quoted["text"]), "", last]))
    ctx.send_to(user_id, build, key=key or f"merged:{duplicate.doc_id}")


def unpublished(target: Context, title: str, stands: Document,
                deleted: bool = False) -> tuple[str, str]:
    """The heading and last line telling an asker that their question (quoted under the
    heading: the other one waits for approval, so nobody but the moderators has read it) now
    counts for a similar question that a moderator has not published yet (since the one it was
    merged with was `deleted`): their vote is on it and counts once it is published."""
    number = data.number(target, stands)
    heading = (target._("Your question at {title} had been merged with a question that has "
                        "since been deleted. It now counts for a similar question, #{number}, "
                        "that a moderator has not published yet:", title=title, number=number)
               if deleted else
               target._("Your question at {title} was merged with a similar question, "
                        "#{number}, that a moderator has not published yet:", title=title,
                        number=number))
    return heading, target._("Once a moderator publishes it, your vote counts for it, and I'll "
                             "tell you when it has been answered.")


def told(ctx: Context, duplicate: Document) -> tuple[Document, int | None] | None:
    """The notice that told (or is to tell) the asker of a duplicate where it went, and the
    id of the question it quotes; None when there is none."""
    outbox, key = ctx.assistant.outbox, f"{ctx.plugin}:merged:{duplicate.doc_id}"
    found = outbox.table.first(key=key)
    if found is not None:
        return found, duplicate.get("merged_into")
    for item in outbox.table.find(group=key):
        return item, int(item["key"].rpartition(":")[2])
    return None


def heard(duplicate: Document, notice: tuple[Document, int | None] | None) -> bool:
    """Whether the asker of a duplicate has heard of its merge: its notice (`told`) reached
    them, or one that did was replaced, after a /forget, by one that has not yet
    (`merge_heard`, see `heirs.tell`)."""
    return bool(duplicate.get("merge_heard")) or (notice is not None
                                                  and notice[0]["state"] == "sent")


def unmerged(ctx: Context, event: Event, duplicate: Document) -> None:
    """A merge undone: a notice of it still waiting is dropped, so the asker never hears of
    it; one already sent (or one sent before it, which a /forget replaced) is put right by a
    single correction. Either way a later merge tells them anew."""
    outbox = ctx.assistant.outbox
    found = told(ctx, duplicate)
    outbox.erase(f"{ctx.plugin}:merged:{duplicate.doc_id}")
    user_id = duplicate.get("user")
    if not heard(duplicate, found) or user_id is None:
        return
    outbox.erase(f"{ctx.plugin}:unmerged:{duplicate.doc_id}")

    now = data.items(ctx).get(duplicate.doc_id) or duplicate

    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        target.reply("\n".join([
            target._("Correction: your question at {title} was not merged after all. It waits "
                     "for a moderator's approval on its own again:", title=title)
            if now["status"] == data.PENDING else
            target._("Correction: your question at {title} was not merged after all. It is "
                     "listed on its own again:", title=title), "",
            render.clipped(duplicate["text"]), "",
            target._("I'll tell you when it has been answered.")]))
    ctx.send_to(user_id, build, key=f"unmerged:{duplicate.doc_id}")
