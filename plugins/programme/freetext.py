"""Free text nobody else took: a question the programme can answer, or a pointer to it.

People write "when is the next meeting?" or "när är nästa träff?" instead of a command.
The matching is deliberately simple and errs towards the pointer, since a card or a list
in answer to "I can't come to the meeting next week" or "thanks, the programme was great!" is
worse than a hint. The text is split into words, folded (lower case, no diacritics, so
"nasta traff" counts too), and only a question (it ends with "?") or a message of at most
four words is answered:

- a word for *next* together with a word for *a meeting* answers as /next does;
- else a day ("onsdag", "tomorrow", "30 juni") together with a word for *the programme*
  or *meeting(s)*, a question that begins "what"/"vad"/"vilka", or one that asks what is *on* ("what's on
  tomorrow?", "vad händer på fredag?"), answers with that day's meetings, as
  /programme DAY does;
- else a word for *the programme*, or a question that begins "which"/"vilka" and names
  *meetings* in the plural, answers as /programme does;
- anything else gets a pointer to /next, /programme and /help.

The hook runs last (`trylast`), and the core offers it only text that no command and no
awaited answer (`ctx.expect_text`) took, so it never takes another plugin's text.
"""
from __future__ import annotations

import re

from assistant.context import Context
from assistant.text import escape

from .listing import choose_day, show_day, show_next, show_upcoming
from .render import fold

NEXT_WORDS = frozenset({"next", "nasta"})
"""next; nästa (folded). Not *when*: "when will the slides from the meeting be shared?" is
not about the next meeting."""
MEETING_WORDS = frozenset({"meeting", "meetup", "traff", "traffen", "mote", "motet"})
"""One meeting: meeting, meetup; träff, träffen, möte, mötet (folded)."""
PROGRAMME_WORDS = frozenset({"programme", "program", "programmet", "schedule", "schemat"})
"""The programme, in English and Swedish (folded); not "schema", which is also a database's."""
MEETINGS_WORDS = frozenset({"meetings", "meetups", "traffar", "traffarna", "moten", "motena"})
"""Meetings in the plural, which ask for the programme only after WHICH_WORDS."""
WHICH_WORDS = frozenset({"which", "what", "vilka", "vad"})
"""How a question for the list begins: "which meetings are there?", "vilka träffar finns"."""
ON_WORDS = frozenset({"on", "happening", "hander", "hande", "finns", "ar", "gar"})
"""What is *on*: what's on, what's happening; vad händer, vad finns, vad är det, vad går
(folded); with a day, a question for that day's list."""
SHORT = 4
"""Words (as the text is spaced) up to which a message that is not a question is answered."""
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def asking(text: str) -> bool:
    """A question, or a message short enough to be one ("nästa träff")."""
    return text.rstrip(" !.").endswith("?") or len(text.split()) <= SHORT


async def answer(ctx: Context) -> bool:
    """Answer free text as /next or /programme would, or point to them."""
    ordered = words(ctx.text)
    said = set(ordered)
    if asking(ctx.text) and said & NEXT_WORDS and said & MEETING_WORDS:
        await show_next(ctx)
    elif asking(ctx.text) and ctx.programme is not None \
            and (said & PROGRAMME_WORDS or said & ON_WORDS or said & MEETINGS_WORDS
                 or said & MEETING_WORDS
                 or ordered[:1] and ordered[0] in WHICH_WORDS) \
            and (day := choose_day(ctx, ctx.programme, ctx.text)) is not None:
        show_day(ctx, day)
    elif asking(ctx.text) and (said & PROGRAMME_WORDS
                               or ordered[:1] and ordered[0] in WHICH_WORDS
                               and said & MEETINGS_WORDS):
        show_upcoming(ctx)
    else:
        ctx.reply(escape(ctx._("I didn't understand that. Send /next for the next meeting, "
                               "/programme for all meetings, or /help for everything I can do.")))
    return True
