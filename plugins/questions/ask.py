"""Asking the speaker: type the question, see it back, choose named or anonymous, send."""
from __future__ import annotations

from tinydb.table import Document

from assistant import idhints
from assistant.context import Context
from assistant.i18n import number
from assistant.idhints import ID_SHOWN
from assistant.model import Event
from assistant.text import escape

from . import checks, data, meeting, nudges, render, withdraw


async def ask_command(ctx: Context) -> None:
    """/ask ID [question]: start asking (or ask at once when the text is given); /ask DAY
    (`/fråga 2 sep`): the picker of that day's open meetings."""
    if not ctx.args:
        meeting.chooser(ctx, "ask")
        return
    event = ctx.event(ctx.args[0])
    parts = ctx.text.split(None, 1)
    question = parts[1] if len(parts) > 1 else ""
    if event is None and meeting.day_chooser(ctx, "ask"):
        return
    if event is None and question.strip() and (close := idhints.suggested(ctx, ctx.args[0])):
        _did_you_mean(ctx, ctx.args[0], close, checks.clean(question))
        return
    if event is None and (len(ctx.args) > 1 or ctx.args[0].endswith("?")) \
            and meeting.choices(ctx, "put"):  # "/ask What is …?": no meeting named
        word = ctx.args[0]
        an_id = any(c.isdigit() or c == "-" for c in word)  # not a word of the question
        data.save_draft(ctx, "", ctx.user.id,
                        checks.clean(question if an_id and question.strip() else ctx.text))
        meeting.chooser(ctx, "put", header=ctx._(
            "I can't find a meeting with the id {id}. Which meeting is your question for? Tap "
            "it and I'll go on with your question.", id=escape(word[:ID_SHOWN]))
            if an_id else ctx._(
            "Which meeting is your question for? Tap it and I'll go on with your question."))
        return
    if event is None:
        meeting.not_found(ctx, ctx.args[0])
        return
    if question.strip():
        await _receive(ctx, event, checks.clean(question))
    else:
        _prompt(ctx, event)


def _did_you_mean(ctx: Context, typed: str, close: list[Event], question: str) -> None:
    """`/ask am-2027-09-03 Why …?` with a mistyped id: "Did you mean …?", and the meetings
    meant as buttons that go on with the question, kept meanwhile as a draft of no meeting
    yet (one per user, a day at most, as every draft): nothing typed is lost."""
    draft = data.save_draft(ctx, "", ctx.user.id, question)
    ctx.reply(idhints.unknown(ctx, typed, rest=False) + "\n" + ctx.ngettext(
        "Tap the meeting and I'll go on with your question.",
        "Tap the meeting you meant and I'll go on with your question.", len(close)),
        ctx.meeting_buttons(close, "put", draft))


async def put_question(ctx: Context) -> None:
    """A meeting's button under /ask's "Did you mean …?" (with the draft's id) or under the
    meetings offered for `/ask What is …?` (the user's draft of no meeting): the question
    typed, for that meeting, as `/ask ID question` would have taken it."""
    draft = _my_draft(ctx, 1) if len(ctx.args) > 1 else data.undecided(ctx, ctx.user.id)
    if draft is None or draft["event"]:
        ctx.toast(ctx._("This question was already sent or cancelled."))
        return
    event = ctx.event(ctx.args[0])
    if event is None:
        ctx.refuse(ctx.unknown_meeting(ctx.args[0]))
        return
    if reason := meeting.why_closed(ctx, event):  # the question stays for another meeting
        ctx.refuse(escape(reason))
        return
    data.drafts(ctx).remove(draft.doc_id)
    await _receive(ctx, event, draft["text"])


async def press_ask(ctx: Context) -> None:
    """The 'Ask the speaker' button on a meeting card or list."""
    event_id = ctx.args[0] if ctx.args else ""
    event = ctx.event(event_id)
    if event is None:
        ctx.refuse(ctx.unknown_meeting(event_id))
        return
    _prompt(ctx, event)


def _prompt(ctx: Context, event: Event) -> None:
    """Ask for the question text, if the meeting takes questions now."""
    reason = meeting.why_closed(ctx, event)
    if reason:
        ctx.reply(escape(reason))
        return
    speakers = ", ".join(escape(p.name) for p in event.speakers)
    lines = [ctx._("What would you like to ask at {title}?", title=f"<b>{meeting.title(ctx, event)}</b>")]
    if speakers:
        lines.append(ctx.ngettext("Speaker: {names}", "Speakers: {names}", len(event.speakers),
                                  names=speakers))
    lines += ["", ctx._("Send your question as one message (up to {limit} characters), or any "
                        "command to stop.", limit=_number(ctx, checks.MAX_LENGTH))]
    ctx.reply("\n".join(lines))
    ctx.expect_text("text", event.id)


async def type_question(ctx: Context) -> None:
    """The awaited message: the question itself."""
    event_id = ctx.args[0] if ctx.args else ""
    event = ctx.event(event_id)
    if event is None:
        meeting.not_found(ctx, event_id)
        return
    kept = _my_draft(ctx, 1) if len(ctx.args) > 1 else None
    if kept is None or not kept.get("unfinished") or kept["event"] != event.id:
        await _receive(ctx, event, checks.clean(ctx.text))
        return
    typed = checks.clean(ctx.text)
    whole = checks.normalise(typed).startswith(checks.normalise(kept["text"]))
    await _receive(ctx, event, typed if whole else f"{kept['text']} {typed}", kept.doc_id)


async def _receive(ctx: Context, event: Event, question: str, kept: int | None = None) -> None:
    """Check the text, keep it as a draft and ask how to send it; too short to be a question,
    keep it and wait for the rest (`kept`: the draft it completes, kept while the text fails)."""
    reason = meeting.why_closed(ctx, event)
    if reason:
        ctx.reply(escape(reason))
        return
    problem = data.problem(ctx, event.id, ctx.user.id, question)
    if problem == "short":
        _too_short(ctx, event, question)
        return
    if problem:
        _explain(ctx, problem, question)
        if problem != "repeated":
            ctx.expect_text("text", event.id, *([] if kept is None else [kept]))
        return
    draft = data.save_draft(ctx, event.id, ctx.user.id, question)
    lines = [ctx._("Your question for {title}:", title=f"<b>{meeting.title(ctx, event)}</b>"),
             "", render.clipped(question), "",
             ctx._("Shall I show your name with it, or ask anonymously?"),
             ctx._("Anonymous means other participants won't see your name. The organisers "
                   "and the meeting's moderators can still see who asked."),
             ctx._("Nothing is sent until you choose. I keep your question for a day, so these "
                   "buttons still work after other commands.")]
    ctx.reply("\n".join(lines), [
        [ctx.button(ctx._("👤 Show my name"), "send", draft, "named"),
         ctx.button(ctx._("🕶 Ask anonymously"), "send", draft, "anonymous")],
        [ctx.button(ctx._("✖ Cancel"), "drop", draft)]])


def _too_short(ctx: Context, event: Event, question: str, edit: bool = False) -> None:
    """"5" or "ok" is no question yet: kept as the meeting's draft (a day, as every draft),
    shown back, and the next message is its rest (or the whole question typed again)."""
    draft = data.save_draft(ctx, event.id, ctx.user.id, question, unfinished=True)
    (ctx.edit if edit else ctx.reply)("\n".join([
        ctx._("Your question for {title} needs a few words (at least {n} letters) to say what "
              "you ask. You wrote:", title=f"<b>{meeting.title(ctx, event)}</b>",
              n=_number(ctx, checks.MIN_LETTERS)),
        "", render.clipped(question), "",
        ctx._("Send the rest and I'll add it after that, or send the whole question again (any "
              "command stops). I keep what you wrote for a day.")]))
    ctx.expect_text("text", event.id, draft)


def _explain(ctx: Context, problem: str, question: str) -> None:
    """A clear message for an empty, too long or repeated question."""
    if problem == "empty":
        ctx.reply(ctx._("Your question is empty. Please type it as a message."))
    elif problem == "long":
        ctx.reply(ctx._("Your question is {n} characters long; the limit is {limit}. Please "
                        "shorten it and send it again.", n=_number(ctx, checks.length(question)),
                        limit=_number(ctx, checks.MAX_LENGTH)))
    elif problem == "wide":
        ctx.reply(ctx._("Your question has too many emoji or special characters to fit in one "
                        "message. Please shorten it and send it again."))
    else:
        ctx.reply(ctx._("You have already asked this question for this meeting."))


async def send(ctx: Context) -> None:
    """'Show my name' or 'Ask anonymously': the question is stored and goes to the queue."""
    draft = _my_draft(ctx)
    choice = ctx.args[1] if len(ctx.args) > 1 else ""
    if draft is None or choice not in ("named", "anonymous"):
        ctx.toast(ctx._("This question was already sent or cancelled."))
        return
    event = ctx.event(draft["event"])
    if event is not None and meeting.why_closed(ctx, event) is None and (
            draft.get("unfinished") or checks.letters(draft["text"]) < checks.MIN_LETTERS):
        _too_short(ctx, event, draft["text"], edit=True)  # kept: a forged press, an old draft
        return
    data.drafts(ctx).remove(draft.doc_id)
    if event is None:
        ctx.edit(ctx.unknown_meeting(draft["event"]))
        return
    refusal = meeting.why_closed(ctx, event)
    if refusal is None and data.problem(ctx, event.id, ctx.user.id, draft["text"]):
        refusal = ctx._("You have already asked this question for this meeting.")
    if refusal:
        ctx.edit(escape(refusal))
        return
    live = meeting.mode(ctx, event) == "live"
    question_id = data.add_question(ctx, event.id, ctx.user, draft["text"],
                                    choice == "anonymous", data.LIVE if live else data.PENDING)
    if not live:
        nudges.question_waits(ctx, event, ctx.user.id)
    title = f"<b>{meeting.title(ctx, event)}</b>"
    lines = [ctx._("Thank you! Your question for {title} is published.", title=title) if live
             else ctx._("Thank you! Your question for {title} will be shown to everyone once a "
                        "moderator has approved it.", title=title),
             "", render.clipped(draft["text"]), "",
             ctx._("You asked anonymously.") if choice == "anonymous"
             else ctx._("Your name is shown with it."),
             ctx._("I'll tell you when it has been answered. See every question with "
                   "/questions {id}.", id=escape(event.id))]
    ctx.edit("\n".join(lines), [[ctx.button(ctx._("💬 See the questions"), "list", event.id, 0)],
                                withdraw.button(ctx, question_id)])


async def drop(ctx: Context) -> None:
    """'Cancel': forget the draft."""
    draft = _my_draft(ctx)
    if draft is not None:
        data.drafts(ctx).remove(draft.doc_id)
    ctx.edit(ctx._("OK, I didn't send it."))


def _number(ctx: Context, value: int) -> str:
    """A count written the way the user's language writes numbers."""
    return number(value, ctx.lang)


def _my_draft(ctx: Context, at: int = 0) -> Document | None:
    """The draft a button names (its argument `at`), if it is this user's."""
    try:
        draft = data.drafts(ctx).get(int(ctx.args[at]))
    except (IndexError, ValueError):
        return None
    return draft if draft is not None and draft["user"] == ctx.user.id else None
