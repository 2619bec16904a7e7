"""Feedback after the meeting: a third-party Mingel plugin, installed by its own pyproject.

The day after a meeting (10:00 local time by default) everyone who came, in person or
online, gets one short question: a rating from 1 to 5, then an optional comment.
Organisers and the network's moderators see the summary with /feedback and download
it as CSV (also `mingel export feedback MEETING-ID`). README.md describes it for users.

It knows the other plugins only through hooks: the meetings come from `programme`
(ctx.programme), the people who came from `attendees`.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from assistant import N_, hookimpl
from assistant.config import parse_duration
from assistant.context import Context
from assistant.types import Action, Command, Export, Setting

from . import report, survey

NAME = "feedback"


def parse_clock(value: str) -> time:
    """'10:00' → 10:00, the local time of day the question goes out."""
    try:
        parsed = time.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a time of day like 10:00") from None
    return parsed.replace(tzinfo=None)


def parse_days(value: str) -> int:
    """How many days after the meeting to ask: 0 (the same day) or more."""
    days = int(value)
    if days < 0:
        raise ValueError(f"{value!r} must be 0 or more days")
    return days


@hookimpl
def register_settings() -> list[Setting]:
    """When to ask, and for how long a late start may still ask."""
    return [
        Setting(survey.ASK_AT, parse_clock, "10:00",
                "local time of day to ask, e.g. 10:00"),
        Setting(survey.DAYS_AFTER, parse_days, "1",
                "days after the meeting's last day to ask (0: the same day, once it has ended)"),
        Setting(survey.WINDOW, parse_duration, "3d",
                "how long after that moment the question may still go out (e.g. after downtime)"),
    ]


@hookimpl
def register_commands() -> list[Command]:
    """/feedback for organisers and moderators."""
    return [Command("feedback", report.show_feedback,
                    N_("See how participants rated a meeting"), role="moderator",
                    args="[ID]")]


@hookimpl
def register_actions() -> list[Action]:
    """The rating and skip buttons, the awaited comment, and the organisers' buttons."""
    return [
        Action("rate", survey.rate_meeting, arity=(2, 2)),
        Action("comment", survey.write_comment, arity=(1, 1), typed=True),
        Action("skip", survey.skip_comment, arity=(1, 1)),
        Action("show", report.show_meeting, role="moderator", arity=(1, 1)),
        Action("csv", report.download_csv, role="moderator", arity=(1, 1)),
    ]


@hookimpl
def register_exports() -> list[Export]:
    """The CSV of one meeting's ratings and comments."""
    return [Export("feedback", report.export_csv,
                   N_("Ratings and comments of a meeting (CSV)"), role="moderator")]


@hookimpl
async def tick(ctx: Context, now: datetime) -> None:
    """Ask about the meetings whose moment has come."""
    survey.ask_due(ctx, now)


@hookimpl
async def trim_past(ctx: Context, before: datetime) -> None:
    """Retention (MINGEL_RETENTION): forget the feedback on meetings that ended before."""
    survey.trim(ctx, before)


@hookimpl
def privacy_notice(ctx: Context) -> str:
    """What this plugin keeps, why, for how long, and who sees it."""
    return ctx._("Feedback: the day after a meeting you came to, I ask you once for a rating "
                 "from 1 to 5 and an optional comment, so the organisers can make the next "
                 "meetings better. Organisers and the network's moderators see the ratings "
                 "and comments without your name. They are deleted {keep} after the meeting.",
                 keep=kept_for(ctx, ctx.assistant.config.retention))


def kept_for(ctx: Context, keep: timedelta) -> str:
    """The retention in words as the other paragraphs of /privacy put it: "a year" (Babel
    says "12 months"), whole years as years, else Babel's words."""
    days, rest = divmod(keep, timedelta(days=1))
    if rest or days < 365 or days % 365 > days // 365:
        return ctx.fmt().duration(keep)
    years = days // 365
    return ctx._("a year") if years == 1 else ctx.ngettext("{n} year", "{n} years", years)


@hookimpl
def user_data(ctx: Context, user_id: int) -> list[dict[str, Any]] | None:
    """Every question asked to this user and their answers."""
    return survey.user_answers(ctx, user_id) or None


@hookimpl
async def forget_user(ctx: Context, user_id: int) -> None:
    """Delete the user's ratings and comments."""
    survey.forget(ctx, user_id)
