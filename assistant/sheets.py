"""CSV files that organisers open in a spreadsheet, written the way Excel reads them in
their language. Every export (attendees, questions, a plugin's own) goes through here."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from .i18n import locale_of

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """Text a spreadsheet shows as typed, never runs as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def separator(lang: str) -> str:
    """Excel takes its list separator from the region: ';' where decimals are written with a
    comma (Swedish and most of Europe), ',' elsewhere; a file with the other one opens with
    every row in one column."""
    return ";" if locale_of(lang).number_symbols["latn"]["decimal"] == "," else ","


def csv_bytes(lang: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A header and rows as CSV in UTF-8 with a byte-order mark (without it Excel reads
    å, ä and ö as Latin-1), separated for `lang`. Every field is quoted: a file opened in an
    Excel that splits on the other separator (an English organiser's ',' file in a Swedish
    Excel) must not cut "Anna;=1+1" into a cell that starts a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator(lang), quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
