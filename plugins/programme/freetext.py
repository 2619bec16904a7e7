"""Free text nobody else took: a question the programme can answer, or a pointer to it.

People write "when is the next meeting?" or "när är nästa träff?" instead of a command.
The matching is deliberately simple: the text is split into words, folded (lower case,
no diacritics, so "nasta traff" counts too), and

- a word for *next* or *when* together with a word for *a meeting* answers as /next does;
- else a word for *the programme* (or for *meetings*, plural) answers as /programme does;
- anything else gets a pointer to /next, /programme and /help.

The hook runs last (`trylast`), and the core offers it only text that no command and no
awaited answer (`ctx.expect_text`) took, so it never takes another plugin's text.
"""
from __future__ import annotations

import re

from assistant.context import Context
from assistant.text import escape

from .listing import show_next, show_programme
from .render import fold

NEXT_WORDS = frozenset({"next", "when", "nasta", "nar"})
"""next, when; nästa, när (folded)."""
MEETING_WORDS = frozenset({"meeting", "meetup", "traff", "traffen", "mote", "motet"})
"""One meeting: meeting, meetup; träff, träffen, möte, mötet (folded)."""
PROGRAMME_WORDS = frozenset({"programme", "program", "programmet", "schedule", "schema",
                             "schemat", "meetings", "meetups", "traffar", "traffarna", "moten",
                             "motena"})
"""The programme or meetings in the plural, in English and Swedish (folded)."""
_WORD = re.compile(r"\w+")


def words(text: str) -> set[str]:
    """The folded words of a text."""
    return set(_WORD.findall(fold(text)))


async def answer(ctx: Context) -> bool:
    """Answer free text as /next or /programme would, or point to them."""
    said = words(ctx.text)
    if said & NEXT_WORDS and said & MEETING_WORDS:
        await show_next(ctx)
    elif said & PROGRAMME_WORDS:
        await show_programme(ctx)
    else:
        ctx.reply(escape(ctx._("I didn't understand that. Send /next for the next meeting, "
                               "/programme for all meetings, or /help for everything I can do.")))
    return True
