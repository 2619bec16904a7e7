"""Escaping and splitting of Telegram HTML; what a person typed, as plugins get it."""
from __future__ import annotations

import html
import unicodedata

from assistant.text import LIMIT, escape, split_message, to_plain, typed
from assistant.types import Chat, Incoming, User


def test_escape_keeps_user_text_exactly() -> None:
    hostile = '<b>hi</b> & <script>alert(1)</script> *bold* _x_ "q"'
    assert to_plain(escape(hostile)) == hostile


def test_escape_is_html_escape_for_every_special_character_alone_or_mixed() -> None:
    samples = ["&", "<", ">", '"', "'", "plain Åsa", "", "a&b", "x'", 12, None, "é<\u00a0>"]
    assert [escape(s) for s in samples] == [html.escape(str(s), quote=True) for s in samples]


def test_long_messages_split_at_line_ends_under_the_limit() -> None:
    lines = [f"<b>{i}</b> " + "x" * 90 for i in range(200)]
    parts = split_message("\n".join(lines))
    assert len(parts) > 1
    assert all(len(p) <= LIMIT for p in parts)
    assert "\n".join(parts) == "\n".join(lines)


def test_one_huge_line_is_cut_without_breaking_tags_or_entities() -> None:
    text = "<b>" + "&amp;" * 3000 + "</b>"
    parts = split_message(text)
    assert all(len(p) <= LIMIT for p in parts)
    assert all(p.startswith("<b>") and p.endswith("</b>") for p in parts)
    assert to_plain("".join(parts)) == "&" * 3000


def test_formatting_across_lines_is_closed_and_reopened_per_line() -> None:
    from assistant.text import balance_lines
    html = "<b>bold\nstill bold</b> plain\n<i>x</i>"
    assert balance_lines(html) == "<b>bold</b>\n<b>still bold</b> plain\n<i>x</i>"
    assert to_plain(balance_lines(html)) == to_plain(html)


def test_a_typed_number_is_ascii_digits_only() -> None:
    from assistant.text import whole_number
    assert whole_number("42") == 42
    assert whole_number("²") is None and whole_number("١٢") is None
    assert whole_number("-3") is None and whole_number("1" * 10) is None


def test_the_terminal_shows_a_link_whose_text_is_its_address_once() -> None:
    """QA 43: a card's meeting link read "Online via Zoom: https://zoom.us/j/1
    (https://zoom.us/j/1)" in the terminal chat; a link with words keeps its address."""
    assert to_plain('💻 Zoom: <a href="https://zoom.us/j/1?pwd=a&amp;b=c">'
                    'https://zoom.us/j/1?pwd=a&amp;b=c</a>') == "💻 Zoom: https://zoom.us/j/1?pwd=a&b=c"
    assert to_plain('<a href="https://example.se/am">The event page</a>') == (
        "The event page (https://example.se/am)")


def test_typed_text_loses_control_characters_and_direction_overrides_only() -> None:
    unseen = [*map(chr, range(0x20)), "\x7f", *map(chr, range(0x80, 0xA0)),
              *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))]
    for char in unseen:
        kept = "\n" if char in "\r\n" else "\t" if char == "\t" else ""
        assert typed(f"a{char}b") == f"a{kept}b", hex(ord(char))
    assert typed("Line one\r\nLine two\rthree\n\nfour") == "Line one\nLine two\nthree\n\nfour"
    family, flag = "👩\u200d👩\u200d👧", "🏳\ufe0f\u200d🌈"
    hebrew = "\u05e9\u05dc\u05d5\u05dd\u200f 2027"
    for kept in (family, flag, hebrew, "Åsa\u00a0Märta", "zero\u200bwidth", "a" * 5000, ""):
        assert typed(kept) == kept
    everything = "".join(map(chr, range(0x3000)))
    left = typed(everything)
    assert not [c for c in left if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    assert len(left) == 0x3000 - len(unseen) + 3  # "\n" and "\t" stay, "\r" is a line end


def test_an_update_holds_its_text_and_names_as_typed_without_what_is_unseen() -> None:
    typing = User(7, "Eve\u202elyn\x00", "Ek\u2066", "eve", "sv")
    incoming = Incoming(typing, Chat(7), text="/ask am-1 Why\x07?\r\nNow", html="<b>Why\x1b</b>")
    user = incoming.user
    assert (user.first_name, user.last_name, user.full_name) == ("Evelyn", "Ek", "Evelyn Ek")
    assert (user.id, user.username, user.language_code) == (7, "eve", "sv")
    assert (incoming.text, incoming.html) == ("/ask am-1 Why?\nNow", "<b>Why</b>")
    assert Incoming(user, Chat(7), callback_data="x:y").text is None
