"""A question's text as people read it: cleaned, compared and counted.

Two questions that differ in case, spacing or punctuation only are the same question
(`normalise`), a question has a few letters at least (`MIN_LETTERS`), and the limits
count characters as a reader sees them (`length`), an emoji
made of many parts as one, and as Telegram counts them (`MAX_UNITS`). `data.problem` says
why a text cannot be asked.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

MAX_LENGTH = 1000
"""Characters as a reader counts them (`length`): what participants are told."""
MIN_LETTERS = 3
"""Letters (of any alphabet) a question needs to be one: "5", "ok", "???" or 😀😀 cannot
tell a speaker what is asked; "Why?" or "Varför?" can."""
MAX_UNITS = 3000
"""UTF-16 units of the escaped text, as Telegram counts them: the most a question takes in a
message, so that it always fits one (4096) with the lines around it."""
_WORDS = re.compile(r"\w+")
_KEYCAP = re.compile("[#*0-9]\ufe0f?\u20e3")
"""A keycap emoji (#️⃣, *️⃣, 1️⃣): a digit, # or * in a key's frame."""


def clean(text: str) -> str:
    """The text as it will be stored: unified line ends, no surrounding blanks."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise(text: str) -> str:
    """The comparable form of a question: case, spacing and punctuation do not matter (a
    question without words, emoji only, is compared by what it shows)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORDS.findall(folded)) or visible(folded)


_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols that show nothing (Hangul fillers, the blank Braille pattern)."""


def _extends(char: str) -> bool:
    """Whether the character belongs to the one before it on screen: a combining mark, a
    variation selector, a skin tone, an emoji tag."""
    code = ord(char)
    return (0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F
            or 0xE0100 <= code <= 0xE01EF or unicodedata.category(char)[0] == "M")


def _shows(char: str) -> bool:
    """Whether the character says something on its own: a letter, a digit, a symbol or an
    emoji (one newer than Python's tables too), not blanks, invisible marks or punctuation."""
    category = unicodedata.category(char)
    return ((category[0] in "LNS" or category == "Cn") and char not in _BLANKS
            and not _extends(char))


def letters(text: str) -> int:
    """How many letters the text has, of any alphabet (digits, emoji, punctuation and the
    blank fillers are none)."""
    return sum(1 for c in text if c.isalpha() and c not in _BLANKS)


def showing(text: str) -> Iterator[str]:
    """The characters that show something, one by one (`data.problem` needs only the first)."""
    return (c for i, c in enumerate(text) if _shows(c) or _KEYCAP.match(text, i))


def visible(text: str) -> str:
    """The characters that show something, the # or * of a keycap emoji among them."""
    return "".join(showing(text))


def length(text: str) -> int:
    """Characters as a reader counts them (about Unicode's grapheme clusters, without a
    dependency): an emoji family joined by ZWJ, a flag, a skin tone or an accent is one."""
    if not text or max(text) < "\u0300":
        return len(text)  # below the combining marks every character stands alone
    count = 0
    joined = flag = False
    for char in text:
        if char == "\u200d":
            joined = True
        elif joined or _extends(char):
            joined = False
        elif "\U0001f1e6" <= char <= "\U0001f1ff" and flag:
            flag = False
        else:
            flag = "\U0001f1e6" <= char <= "\U0001f1ff"
            count += 1
    return count
