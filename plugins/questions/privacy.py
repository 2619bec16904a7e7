"""What the questions plugin keeps about people, how they see it, how it is forgotten and aged out.

Forgetting a user deletes their questions at every meeting (the text is theirs: it may
name them or their employer), with the votes on them, and their drafts, votes and follows;
the other questions keep their numbers. Everything is deleted MINGEL_QUESTIONS_KEEP after it was written,
drafts after a day, and when a moderator was told that questions wait after the hour it
throttles further nudges. The order of a list kept for its later pages (`paging.py`: the
moderators' queue, the participants' list) names questions only and goes after a day unused.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tinydb.table import Document

from assistant.context import Context

from . import data, heirs, meeting, merges, nudges, paging

DRAFT_LIFETIME = timedelta(days=1)


def notice(ctx: Context) -> str:
    """The privacy paragraph."""
    keep = kept_for(ctx, ctx.setting(meeting.KEEP))
    return ctx._("Questions: the questions you send to speakers, whether you asked "
                 "anonymously, your upvotes and the meetings whose questions you follow. "
                 "Other participants see a question with your name only if you chose to show "
                 "it; organisers and the meeting's moderators always see who asked. An export "
                 "for the speaker lists your name only with questions you asked with your name. "
                 "Everything is deleted {keep} after it was written. If you ask me to forget "
                 "you, I delete your questions (those not yet sent too), your votes and which "
                 "meetings you follow.", keep=keep)


def kept_for(ctx: Context, keep: timedelta) -> str:
    """How long questions are kept, in words, as the other paragraphs of /privacy put it:
    "a year" (Babel says "12 months"), whole years as years, else Babel's words."""
    days, rest = divmod(keep, timedelta(days=1))
    if rest or days < 365 or days % 365 > days // 365:
        return ctx.fmt().duration(keep)
    years = days // 365
    return ctx._("a year") if years == 1 else ctx.ngettext("{n} year", "{n} years", years)


def user_data(ctx: Context, user_id: int) -> dict[str, Any]:
    """Every question, vote, follow and draft of the user; questions by the number the chat
    shows at their meeting, every time in UTC (ISO 8601)."""
    asked = [_asked(ctx, d) for d in data.items(ctx).find(user=user_id)]
    backed: dict[int, Any] = {}
    for vote in sorted(data.votes(ctx).find(user=user_id), key=_copied):
        backed.setdefault(vote["question"], vote)  # one's own and copies by merges: once
    votes = [_vote(ctx, v) for v in backed.values()]
    following = [{"event": f["event"], **ctx.named(f["event"])}
                 for f in data.followers(ctx).find(user=user_id)]
    drafts = [{"event": d["event"], **ctx.named(d["event"]), "text": d["text"],
               "at": _utc(d["at"]), **({"unfinished": True} if d.get("unfinished") else {})}
              for d in data.drafts(ctx).find(user=user_id)]
    told = [{"event": d["event"], **ctx.named(d["event"]), "at": _utc(d["at"])}
            for d in data.nudges(ctx).find(user=user_id)]
    if not (asked or votes or following or drafts or told):
        return {}
    found = {"questions": asked, "votes": votes, "following": following, "drafts": drafts}
    return {**found, "told_of_waiting_questions": told} if told else found


def _asked(ctx: Context, doc: Document) -> dict[str, Any]:
    """One question as its asker reads it: a merged one says which question it was merged
    into and how that one stands (answered, it was answered with it), not "hidden"."""
    entry = {"event": doc["event"], **ctx.named(doc["event"]), "number": data.number(ctx, doc),
             "text": doc["text"], "anonymous": doc.get("anonymous", False),
             "status": doc["status"], "at": _utc(doc["at"]),
             "answered_at": _utc(doc.get("answered_at"))}
    target = data.items(ctx).get(doc["merged_into"]) if doc.get("merged_into") else None
    if target is None:
        return entry
    stands = merges.standing(ctx, target)
    return {**entry, "status": "merged", "merged_into": data.number(ctx, target),
            "merged_into_status": stands["status"],
            "answered_at": _utc(stands.get("answered_at"))}


def _copied(vote: Document) -> bool:
    """Whether Mingel made this vote by a merge rather than the user casting it (own first)."""
    return bool(vote.get("via")) or (bool(vote.get("from")) and not vote.get("own"))


def _vote(ctx: Context, vote: Document) -> dict[str, Any]:
    """One vote; one that a merge made says so, by the questions it came through (the one
    the user voted for, or their own question, first): each by its number, or, deleted since
    (its asker used /forget; the vote stays where the merge counted it, on a question that
    carries what it asked), as "a question since deleted" in the user's language."""
    entry = {"event": vote["event"], **ctx.named(vote["event"]),
             "question": _number(ctx, vote["question"]), "at": _utc(vote["at"])}
    if _copied(vote):
        through = [_number(ctx, q) for q in vote.get("via") or vote.get("from", [])]
        entry["counted_through_merge_of"] = [
            ctx._("a question since deleted") if number is None else number
            for number in through]
    return entry


def _utc(stamp: str | None) -> str | None:
    """A stored time in UTC, as the plugin writes them: one convention in /mydata, also for
    a time stored with another offset."""
    if not stamp:
        return None
    moment = datetime.fromisoformat(stamp)
    return data.stamp_of(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _number(ctx: Context, question_id: int) -> int | None:
    """A voted question's number at its meeting, as the chat shows it (#1), not its stored id."""
    doc = data.items(ctx).get(question_id)
    return data.number(ctx, doc) if doc is not None else None


def forget(ctx: Context, user_id: int) -> None:
    """Delete the user's questions, drafts, votes and follows, at every meeting, and when they
    were told of waiting questions; a nudge to a moderator not yet sent says the new count,
    and whoever was told their question was merged into one of them hears what stands for it
    now (`heirs`)."""
    events = set()
    asked = data.items(ctx).find(user=user_id)
    told = heirs.quoted(ctx, asked)
    for doc in asked:
        events.add(doc["event"])
        merges.delete_question(ctx, doc)
    heirs.tell(ctx, told)
    for table in (data.votes(ctx), data.followers(ctx), data.drafts(ctx), data.nudges(ctx)):
        for doc in table.find(user=user_id):
            table.remove(doc.doc_id)
    for event_id in sorted(events):
        nudges.count_changed(ctx, event_id)


def sweep(ctx: Context, now: datetime) -> None:
    """Delete what is older than the retention period, and stale drafts."""
    cutoff = now - ctx.setting(meeting.KEEP)
    for doc in data.older_than(data.items(ctx), cutoff):
        for vote in data.votes(ctx).find(question=doc.doc_id):
            data.votes(ctx).remove(vote.doc_id)
        data.items(ctx).remove(doc.doc_id)
    for table in (data.votes(ctx), data.followers(ctx)):
        for doc in data.older_than(table, cutoff):
            table.remove(doc.doc_id)
    for doc in data.older_than(data.drafts(ctx), now - DRAFT_LIFETIME):
        data.drafts(ctx).remove(doc.doc_id)
    for doc in data.older_than(data.nudges(ctx), now - nudges.EVERY):
        data.nudges(ctx).remove(doc.doc_id)
    for doc in data.older_than(data.listings(ctx), now - paging.LIFETIME):
        data.listings(ctx).remove(doc.doc_id)
    events = set(data.items(ctx).distinct("event"))
    for doc in data.meetings(ctx).all():
        if doc["event"] not in events and not _upcoming(ctx, doc["event"], now):
            data.meetings(ctx).remove(doc.doc_id)


def trim(ctx: Context, before: datetime) -> None:
    """MINGEL_RETENTION: delete everything about meetings that ended before `before` (and,
    for meetings no longer in the programme, what was written before it)."""
    programme = ctx.programme
    known = {e.id: e for e in programme.events} if programme else {}
    for table in (data.votes(ctx), data.followers(ctx), data.drafts(ctx), data.items(ctx),
                  data.meetings(ctx), data.nudges(ctx), data.listings(ctx)):
        old = {d.doc_id for d in data.older_than(table, before)}
        for doc in table.all():
            event = known.get(doc.get("event", ""))
            if (event.end_utc < before) if event else doc.doc_id in old:
                table.remove(doc.doc_id)


def _upcoming(ctx: Context, event_id: str, now: datetime) -> bool:
    programme = ctx.programme
    event = programme.event(event_id) if programme else None
    return event is not None and event.end + ctx.setting(meeting.KEEP) > now
