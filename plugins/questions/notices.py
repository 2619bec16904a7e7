"""Messages to people other than the moderator who acted, all through the outbox, each sent once."""
from __future__ import annotations

from collections.abc import Callable

from tinydb.table import Document

from assistant.context import Context
from assistant.model import Event
from assistant.types import Button

from . import data, meeting, merges, render


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
    for question in (doc, *merges.duplicates_of(ctx, doc)):
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
                why: str = "merged") -> tuple[str, str]:
    """The heading and last line telling an asker that their question (quoted under the
    heading: the other one waits for approval, so nobody but the moderators has read it) now
    counts for a similar question that a moderator has not published yet: since it was
    "merged" with it, since the one it was merged with was "deleted", or since that one "waits"
    again (a question it had been merged into was hidden): their vote is on it and counts once
    it is published."""
    number = data.number(target, stands)
    if why == "deleted":
        heading = target._("Your question at {title} had been merged with a question that has "
                           "since been deleted. It now counts for a similar question, #{number}, "
                           "that a moderator has not published yet:", title=title, number=number)
    elif why == "waits":
        heading = target._("Your question at {title} counts for a similar question, #{number}, "
                           "that waits for a moderator's approval again:", title=title,
                           number=number)
    else:
        heading = target._("Your question at {title} was merged with a similar question, "
                           "#{number}, that a moderator has not published yet:", title=title,
                           number=number)
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
    retell(ctx, event, duplicate, heard(duplicate, told(ctx, duplicate)), "undone")


def released(ctx: Context, event: Event | None, back: list[Document], quiet: bool) -> None:
    """A hidden question's duplicates wait on their own again (`merges.release`): each asker is
    put right as after an undo, and so is every asker whose vote lands, through merges chained
    on, on one of them that was published before its merge and waits for approval now: once
    each for the question it lands on, which is the one named (their own question backs
    nothing, so its asker hears only the correction). `quiet`: see `retell`."""
    waits: set[tuple[int, int]] = set()
    for duplicate in back:
        retell(ctx, event, duplicate, heard(duplicate, told(ctx, duplicate)), "undone", quiet)
        if merges.before_merge(ctx, duplicate) not in data.PUBLISHED:
            continue  # their notices said that it waits; it still does
        for other in merges.duplicates_of(ctx, duplicate):
            user_id = other.get("user")
            if user_id in (None, duplicate.get("user")) or (user_id, duplicate.doc_id) in waits:
                continue
            waits.add((user_id, duplicate.doc_id))
            retell(ctx, event, other, heard(other, told(ctx, other)), "waits", quiet)


def retell(ctx: Context, event: Event | None, duplicate: Document, heard: bool, why: str,
           quiet: bool = False) -> None:
    """What stands for a merged question changed — its merge was "undone" (an undo, or a hide
    of its target), the question it was merged into was "deleted" (`heirs.py`), or the one it
    counts for "waits" for approval again — and its asker hears what holds now, once. A merge
    notice not yet sent is replaced by the one that holds now (none when the question stands
    on its own: they never knew of the merge); after one that reached them (`heard`) a single
    notice says what stands for it now, their merge notice from then on. `quiet` (a meeting
    that is over, or no longer in the programme): nothing new is queued, nor to the asker who
    made the change (a moderator undoing or hiding what stood for their own question): the
    answer to their button said what holds now."""
    ctx.assistant.outbox.erase(f"{ctx.plugin}:merged:{duplicate.doc_id}")
    doc = data.items(ctx).get(duplicate.doc_id)
    user_id = duplicate.get("user")
    if doc is None or user_id is None:
        return
    stands = merges.standing(ctx, doc)
    alone = stands.doc_id == doc.doc_id
    if not heard:
        if not alone and not quiet and event is not None:
            merged(ctx, event, doc, stands, key=f"merged:{doc.doc_id}:{stands.doc_id}")
        return
    # The notice that reached them is gone; until its successor does, remember that they
    # believe their question merged, so that an undo or a further /forget still tells them.
    data.items(ctx).update(doc.doc_id, {"merge_heard": not alone or None})
    if quiet or event is None or (ctx.user is not None and user_id == ctx.user.id):
        return
    key = (f"merged:{doc.doc_id}:{stands.doc_id}" if not alone else
           f"unmerged:{doc.doc_id}" if why == "undone" else f"alone:{doc.doc_id}")
    ctx.assistant.outbox.erase(f"{ctx.plugin}:{key}")
    ctx.send_to(user_id, _standing(event, doc, stands, why), key=key)


def _standing(event: Event, doc: Document, stands: Document,
              why: str) -> Callable[[Context], None]:
    """The notice telling the asker of `doc`, who was told which question theirs was merged
    with, what stands for it now: itself, listed on its own again (or waiting for approval on
    its own), another similar one, or one they asked too (which no vote of theirs can back).
    One still waiting for approval is not quoted: nobody but the moderators has read it."""
    def build(target: Context) -> None:
        title = f"<b>{meeting.title(target, event)}</b>"
        quoted = stands
        waiting = stands["status"] == data.PENDING
        last = (target._("It has already been answered.") if stands["status"] == data.ANSWERED
                else target._("I'll tell you when it has been answered."))
        if stands.doc_id == doc.doc_id and why != "deleted":
            heading = (target._("Correction: your question at {title} was not merged after "
                                "all. It waits for a moderator's approval on its own again:",
                                title=title) if waiting else
                       target._("Correction: your question at {title} was not merged after "
                                "all. It is listed on its own again:", title=title))
        elif stands.doc_id == doc.doc_id:
            heading = (target._("Your question at {title} had been merged with a question that "
                                "has since been deleted, so yours waits for a moderator's "
                                "approval on its own again:", title=title) if waiting else
                       target._("Your question at {title} had been merged with a question that "
                                "has since been deleted, so yours is listed on its own again:",
                                title=title))
        elif stands.get("user") == doc.get("user"):
            heading = target._("Your question at {title} had been merged with a question that "
                               "has since been deleted. It is now merged with a similar question "
                               "you also asked:", title=title)
        elif waiting:
            heading, last = unpublished(target, title, stands, why)
            quoted = doc
        else:
            heading = target._("Your question at {title} had been merged with a question that "
                               "has since been deleted. Your vote now counts for this similar "
                               "one:", title=title)
        target.reply("\n".join([heading, "", render.clipped(quoted["text"]), "", last]))
    return build
