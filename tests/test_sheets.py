"""CSV exports open in a spreadsheet in the organiser's language: UTF-8 with a BOM, the
list separator Excel uses there, every field quoted, no formulas."""
from __future__ import annotations

import csv
import io

from assistant.sheets import cell, csv_bytes, separator


def test_swedish_files_use_semicolons_and_english_ones_commas() -> None:
    assert separator("sv") == ";" and separator("en") == ","
    swedish = csv_bytes("sv", ["namn", "svar"], [["Åsa; Öst", "kanske"], ["Per", "1,5"]])
    assert swedish.startswith(b"\xef\xbb\xbf")
    text = swedish.decode("utf-8-sig")
    assert text == '"namn";"svar"\r\n"Åsa; Öst";"kanske"\r\n"Per";"1,5"\r\n'
    assert list(csv.reader(io.StringIO(text), delimiter=";"))[1] == ["Åsa; Öst", "kanske"]
    english = csv_bytes("en", ["name"], [["Smith, Ann"]]).decode("utf-8-sig")
    assert english == '"name"\r\n"Smith, Ann"\r\n'


def test_a_cell_never_starts_a_formula() -> None:
    assert [cell(v) for v in ("=1+1", "+46 70", "-x", "@SUM(A1)", "\tx", "Anna", None, 3)] == [
        "'=1+1", "'+46 70", "'-x", "'@SUM(A1)", "'\tx", "Anna", "", "3"]


def test_a_file_read_with_the_other_separator_still_starts_no_formula() -> None:
    """Review: an English organiser's ',' file opened in a Swedish Excel, which splits on ';',
    cut an unquoted "Anna;=HYPERLINK(…)" into a second cell starting with '='."""
    for lang, other in (("en", ";"), ("sv", ",")):
        name = f"Anna{other}=1+1{other}@SUM(A1)"
        text = csv_bytes(lang, ["name", "answer"], [[cell(name), "yes"]]).decode("utf-8-sig")
        for reader in (csv.reader(io.StringIO(text), delimiter=separator(lang)),
                       csv.reader(io.StringIO(text), delimiter=other)):
            rows = list(reader)
            assert all(not value.startswith(("=", "+", "-", "@")) for row in rows
                       for value in row), rows
