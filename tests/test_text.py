"""Escaping and splitting of Telegram HTML."""
from __future__ import annotations

import html

from assistant.text import LIMIT, escape, split_message, to_plain


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
