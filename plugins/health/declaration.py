"""The declaration itself: purpose, yes/no questions, the rules, and what follows.

The answers are never stored: each press only moves the in-memory `Pending` on and
remembers whether any answer so far was "yes". The outcome and its time are stored
when the declaration is complete. Every press is checked against that state, so stale
or forged buttons (another question, another meeting) change nothing.
"""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from assistant import pickday
from assistant.model import text
from assistant.text import escape, to_plain

from .card import (
    answer_of,
    fill_in_button,
    full,
    later_day,
    opens_on,
    seat_of,
    viewer,
    waiting_text,
    withdraw_prompts,
)
from .records import (
    FINE,
    RETENTION,
    STAY_HOME,
    WINDOW,
    Pending,
    applies,
    in_progress,
    outcome,
    record,
    window,
)

if TYPE_CHECKING:
    from assistant.context import Context
    from assistant.model import Event
    from assistant.types import Button

AGAIN = "again"
"""The second argument of the start button that replaces a declaration already made."""


def find_event(ctx: Context, event_id: str,
               declaring: bool = True) -> tuple[Event | None, str | None]:
    """The meeting to declare for (with `declaring`, only with a seat or none asked for yet:
    not on its waiting list), or a friendly reason why not now."""
    event = ctx.event(event_id)
    if event is None:
        return None, ctx.unknown_meeting(event_id)
    if event.cancelled:
        return None, ctx._("This meeting is cancelled.")
    if not applies(event):
        return None, ctx._("This meeting has no health declaration.")
    state = window(ctx, event, viewer(ctx))
    if state == "over":
        return None, ctx._("This meeting is over.")
    if state == "early":
        title, when = escape(text(event.title, ctx.lang)), escape(opens_on(ctx, event, lead=False))
        before = escape(ctx.fmt_event(event).duration(ctx.setting(WINDOW)))
        if later_day(ctx, event):
            return None, ctx._("The health declaration for {title} opens {when}, {before} before "
                               "your first day in person. Please come back then!",
                               title=title, when=when, before=before)
        return None, ctx._("The health declaration for {title} opens {when}, {before} before "
                           "the meeting. Please come back then!", title=title, when=when,
                           before=before)
    if declaring and (waiting := waiting_text(ctx, event)) is not None:
        return None, waiting
    return event, None


def header(ctx: Context, event: Event) -> list[str]:
    """The declaration's title, the meeting and its date, each on its own line (a title may
    end in a question mark)."""
    title = ctx._("Health declaration")
    when = ctx.fmt_event(event).range(event.start, event.end, zone=event.online is not None)
    return [f"<b>{escape(title)}</b>", escape(text(event.title, ctx.lang)), escape(when), ""]


def retention_words(ctx: Context) -> str:
    """The retention period in words, e.g. '14 days'."""
    retention = ctx.setting(RETENTION)
    if retention.total_seconds() % 86400 == 0:
        days = int(retention.total_seconds() // 86400)
        return ctx.ngettext("{n} day", "{n} days", days)
    return ctx.fmt().duration(retention)


def step_view(ctx: Context, event: Event, state: Pending,
              intro: bool = False) -> tuple[str, list[list[Button]]]:
    """The current question with Yes/No, or the rules to acknowledge."""
    lines = header(ctx, event)
    if intro:
        lines += [escape(ctx._("So that the organisers know who may come in person, I keep only "
                               "whether you may come and when you answered – not your answers – "
                               "and delete it automatically {retention} after the meeting.",
                               retention=retention_words(ctx))), ""]
    programme = ctx.programme
    if state.step < state.total:
        question = text(programme.health_questions[state.step], ctx.lang)
        label = ctx._("Question {n} of {total}", n=state.step + 1, total=state.total)
        lines += [f"<b>{escape(label)}</b>", escape(question)]
        buttons = [[ctx.button(ctx._("Yes"), "q", event.id, state.step, "yes"),
                    ctx.button(ctx._("No"), "q", event.id, state.step, "no")]]
        return "\n".join(lines), buttons
    label = ctx._("At the meeting")
    lines += [f"<b>{escape(label)}</b>", escape(text(programme.health_rules, ctx.lang))]
    return "\n".join(lines), [[ctx.button(ctx._("I will follow these"), "rules", event.id)]]


async def open_declaration(ctx: Context) -> None:
    """/health ID: start the declaration (someone coming online is told first that they need
    none); /health DAY (`/hälsa fredag`): choose among that day's meetings; /health alone:
    choose the meeting."""
    if not ctx.args:
        list_meetings(ctx)
        return
    event = ctx.event(ctx.args[0])
    if event is not None and (told := online_text(ctx, event)) is not None:
        ctx.reply(*told)
        return
    if event is not None or not ((day := pickday.asked(ctx)) and list_meetings(ctx, day=day)):
        begin(ctx, ctx.args[0])


def online_text(ctx: Context, event: Event) -> tuple[str, list[list[Button]]] | None:
    """For someone whose answer is "Coming online" (every day online) and who declared nothing:
    that they need no declaration, as their card says by showing none, and, should they want to
    come in person, when it opens (counted as the gate counts it, from the first day that
    answer would bring them) or a button that fills it in now. None for everyone else, and
    where the meeting asks for none or is over (`find_event` says so)."""
    if answer_of(ctx, event) != "online" or not applies(event) \
            or outcome(ctx, event.id, ctx.user.id) is not None:
        return None
    state = window(ctx, event, viewer(ctx))
    if state == "over":
        return None
    title = escape(text(event.title, ctx.lang))
    line = ctx._("You're coming online to {title}, so you need no health declaration: it is "
                 "only for coming in person.", title=title)
    if state == "early":
        return line + " " + ctx._("If you'd like to come in person, you can fill it in from "
                                  "{when}.", when=escape(opens_on(ctx, event, lead=False))), []
    return line + " " + ctx._("If you'd like to come in person, fill it in first:"), \
        [[fill_in_button(ctx, event)]]


async def start_pressed(ctx: Context) -> None:
    """The "Fill in health declaration" button on a card or reminder, or "Fill it in again"."""
    begin(ctx, ctx.args[0] if ctx.args else "", again=ctx.args[1:2] == [AGAIN])


def list_meetings(ctx: Context, offset: int = 0, day: date | None = None) -> bool:
    """Upcoming meetings with a declaration, as buttons, a page at a time (another replaces it
    in place); not those the user only waits for, nor those they come to online. With a day,
    that day's, and False when it has none."""
    events = ctx.upcoming(pickday.on(day, lambda e: applies(e) and seat_of(ctx, e) != "waiting"
                                     and online_text(ctx, e) is None), offset=offset)
    if not events and day is not None:
        return False
    if not events:
        waited = ctx.upcoming(applies, 1)
        told = online_text(ctx, waited[0]) if waited else None
        if told is not None:
            ctx.reply(*told)
            return False
        ctx.reply(waiting_text(ctx, waited[0]) if waited else
                  ctx._("No upcoming meeting asks for a health declaration."))
        return False
    ctx.edit(pickday.heading(ctx, day, ctx._("Which meeting is the health declaration for?")),
             ctx.meeting_buttons(events, "start", more=pickday.more("pick", day), offset=offset))
    return True


async def press_pick(ctx: Context) -> None:
    """'Show more' or '‹ Earlier' under /health's picker (of a day's meetings, or all)."""
    day, offset = pickday.paged(ctx.args)
    if not list_meetings(ctx, offset, day) and day is not None:
        list_meetings(ctx)  # the day's meetings are over meanwhile


def begin(ctx: Context, event_id: str, again: bool = False) -> None:
    """Explain what is kept, then ask the first question (a new message); a declaration
    already made is said first, with a button to make a new one, which replaces it."""
    event, problem = find_event(ctx, event_id)
    if event is None:
        ctx.refuse(problem)
        return
    if not again and (state := outcome(ctx, event.id, ctx.user.id)) is not None:
        made, buttons = already_made(ctx, event, state)
        ctx.reply(made + " " + ctx._("A new declaration replaces it."),
                  [*buttons, [ctx.button(ctx._("Fill it in again"), "start", event.id, AGAIN)]])
        return
    state = Pending(event.id, len(ctx.programme.health_questions), since=ctx.now)
    in_progress(ctx)[ctx.user.id] = state
    body, buttons = step_view(ctx, event, state, intro=True)
    ctx.reply(body, buttons)


def already_made(ctx: Context, event: Event, state: str) -> tuple[str, list[list[Button]]]:
    """What the declaration already made says, worded like the thanks (`done_text`): a
    welcome only with a seat; without one how to book it, with the button that does."""
    title = escape(text(event.title, ctx.lang))
    if state != FINE:
        return ctx._("🏠 You have already filled in the health declaration for <b>{title}</b>: "
                     "it asks you to stay at home this time.", title=title), []
    if seat_of(ctx, event) == "in_person":
        return ctx._("✅ You have already filled in the health declaration for <b>{title}</b>: "
                     "you're welcome in person.", title=title), []
    book = [[ctx.button(ctx._("Coming in person"), "inperson", event.id)]]
    if full(ctx, event):
        return ctx._("✅ You have already filled in the health declaration for <b>{title}</b>. "
                     "Every seat is taken right now, so “Coming in person” puts you on the "
                     "waiting list.", title=title), book
    return ctx._("✅ You have already filled in the health declaration for <b>{title}</b>. Tap "
                 "“Coming in person” to book your seat.", title=title), book


def _current(ctx: Context, event_id: str, step: str) -> Pending | None:
    """The declaration in progress if this press belongs to it, else None."""
    state = in_progress(ctx).get(ctx.user.id)
    if state is None or state.event != event_id or str(state.step) != step:
        return None
    return state


def _stale(ctx: Context) -> None:
    ctx.toast(ctx._("This question is no longer open. Send /health to start again."))


async def answer_question(ctx: Context) -> None:
    """A Yes/No press: remember only whether any answer was yes, then go on."""
    if len(ctx.args) != 3 or ctx.args[2] not in ("yes", "no"):
        _stale(ctx)
        return
    event_id, step, answer = ctx.args
    state = _current(ctx, event_id, step)
    if state is None or state.step >= state.total:
        _stale(ctx)
        return
    event, problem = find_event(ctx, event_id)
    if event is None or len(ctx.programme.health_questions) != state.total:
        in_progress(ctx).pop(ctx.user.id, None)
        problem = problem or ctx._("The questions have changed. Please start again.")
        ctx.edit(problem)
        return
    state.any_yes = state.any_yes or answer == "yes"
    state.step += 1
    if state.step < state.total:
        ctx.edit(*step_view(ctx, event, state))
    elif state.any_yes:
        stay_home(ctx, event)
    elif not text(ctx.programme.health_rules, ctx.lang):
        declared_fine(ctx, event)
    else:
        ctx.edit(*step_view(ctx, event, state))


async def accept_rules(ctx: Context) -> None:
    """"I will follow these": the declaration is complete and fine."""
    event_id = ctx.args[0] if ctx.args else ""
    state = in_progress(ctx).get(ctx.user.id)
    if (state is None or state.event != event_id or state.step != state.total
            or state.any_yes):
        _stale(ctx)
        return
    event, problem = find_event(ctx, event_id)
    if event is None:
        in_progress(ctx).pop(ctx.user.id, None)
        ctx.edit(problem)
        return
    declared_fine(ctx, event)


def declared_fine(ctx: Context, event: Event) -> None:
    """Store "fine" and confirm; offer "Coming in person" to someone not yet coming."""
    in_progress(ctx).pop(ctx.user.id, None)
    record(ctx, event.id, ctx.user.id, FINE)
    withdraw_prompts(ctx, event, ctx.user.id)
    lines = [*header(ctx, event), done_text(ctx, event)]
    buttons = []
    if answer_of(ctx, event) != "in_person":
        buttons = [[ctx.button(ctx._("Coming in person"), "inperson", event.id)]]
    ctx.edit("\n".join(lines), buttons)


def done_text(ctx: Context, event: Event) -> str:
    """The thanks, worded for where the person stands: a welcome only with a seat; without
    one, how to book it, or that every seat is taken and "Coming in person" means the
    waiting list."""
    if seat_of(ctx, event) == "in_person":
        return ctx._("✅ Thank you! Your health declaration is done – welcome to the meeting.")
    if full(ctx, event):
        return ctx._("✅ Thank you! Your health declaration is done. Every seat is taken right "
                     "now, so “Coming in person” puts you on the waiting list; I'll tell you as "
                     "soon as a seat is yours.")
    return ctx._("✅ Thank you! Your health declaration is done. Tap “Coming in person” to "
                 "book your seat.")


def stay_home_text(ctx: Context, event: Event) -> list[str]:
    """Ask kindly to stay at home; online where possible; whom to ask."""
    lines = [*header(ctx, event), ctx._("Thank you for answering. Please stay at home this "
                                        "time – for your own sake and everyone else's.")]
    if event.online is not None:
        lines.append(ctx._("You're very welcome to join the meeting online instead."))
    contact = ctx.programme.contact if ctx.programme else None
    if contact:
        lines.append(ctx._("Questions? Contact the organisers: {contact}",
                           contact=escape(contact)))
    return lines


def stay_home_buttons(ctx: Context, event: Event) -> list[list[Button]]:
    """One tap to "Coming online" (where the meeting has it) or to "Can't come"."""
    answer = answer_of(ctx, event)
    buttons = []
    if event.online is not None and answer != "online":
        buttons.append([ctx.button(ctx._("Coming online"), "online", event.id)])
    if answer not in (None, "no"):
        buttons.append([ctx.button(ctx._("Can't come"), "cancel", event.id)])
    return buttons


def stay_home(ctx: Context, event: Event) -> None:
    """Store "stay at home" and ask kindly to stay away, with the one-tap switches."""
    in_progress(ctx).pop(ctx.user.id, None)
    record(ctx, event.id, ctx.user.id, STAY_HOME)
    withdraw_prompts(ctx, event, ctx.user.id)
    ctx.edit("\n".join(stay_home_text(ctx, event)), stay_home_buttons(ctx, event))


def _after(ctx: Context, wanted: str) -> Event | None:
    """The meeting of a follow-up button, if this user's outcome allows it now."""
    event, problem = find_event(ctx, ctx.args[0] if ctx.args else "", declaring=False)
    if event is None:
        ctx.toast(to_plain(problem))
        return None
    if outcome(ctx, event.id, ctx.user.id) != wanted:
        ctx.toast(ctx._("This button no longer works."))
        return None
    return event


async def _change(ctx: Context, event: Event, answer: str, lines: list[str],
                  retry: list[list[Button]]) -> None:
    """Change the RSVP answer through its plugin; keep the buttons if it was refused. The
    confirmation comes before the files the change brings (the calendar entry), as after a
    tap on the card."""
    mark = len(ctx.replies)
    line = await ctx.hooks.change_attendance(ctx, event, answer)
    files = ctx.replies[mark:]
    del ctx.replies[mark:]
    done = answer_of(ctx, event) == answer
    ctx.edit("\n".join([*lines, "", line or ctx._("Sorry, I couldn't change your answer. "
                                                    "Please use the meeting's card.")]),
             [] if done else retry)
    ctx.replies.extend(files)


async def switch_online(ctx: Context) -> None:
    """"Coming online" after a stay-at-home outcome."""
    event = _after(ctx, STAY_HOME)
    if event is None:
        return
    if event.online is None:
        ctx.toast(ctx._("This meeting has no online participation."))
        return
    await _change(ctx, event, "online", stay_home_text(ctx, event),
                  stay_home_buttons(ctx, event))


async def cancel(ctx: Context) -> None:
    """"Can't come" after a stay-at-home outcome."""
    event = _after(ctx, STAY_HOME)
    if event is not None:
        await _change(ctx, event, "no", stay_home_text(ctx, event),
                      stay_home_buttons(ctx, event))


async def come_in_person(ctx: Context) -> None:
    """"Coming in person" after a fine declaration (the RSVP gate lets it through now)."""
    event = _after(ctx, FINE)
    if event is not None:
        retry = [[ctx.button(ctx._("Coming in person"), "inperson", event.id)]]
        await _change(ctx, event, "in_person", header(ctx, event)[:2], retry)
