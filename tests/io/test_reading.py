"""Reading CSV files as spreadsheet programs save them."""

from __future__ import annotations

from datetime import date

import pytest

from service.io.reading import BadCell, parse_date, parse_yes_no, read_sheet

COLUMNS = {"required": ("name", "sector"), "optional": ("since",)}


def test_a_byte_order_mark_is_not_part_of_the_first_column() -> None:
    with_bom = read_sheet("a.csv", "\ufeffName,Sector\nFood Bank,vcse\n".encode(), **COLUMNS)
    without = read_sheet("b.csv", b"Name,Sector\nFood Bank,vcse\n", **COLUMNS)

    assert with_bom.problems == without.problems == []
    assert with_bom.records[0].cells == without.records[0].cells == {"name": "Food Bank", "sector": "vcse"}


def test_headers_are_matched_ignoring_case_spaces_and_hyphens() -> None:
    sheet = read_sheet("a.csv", b" NAME , Sector ,Since\nX,vcse,2024-01-01\n", **COLUMNS)

    assert sheet.columns == ("name", "sector", "since")
    assert sheet.records[0].get("since") == "2024-01-01"


def test_rows_are_numbered_by_the_line_they_start_on_past_blank_lines_and_multiline_cells() -> None:
    data = b'name,sector\n"Food\nBank",vcse\n\n,\nCouncil,public\n'
    sheet = read_sheet("a.csv", data, **COLUMNS)

    assert [(r.line, r.get("name")) for r in sheet.records] == [(2, "Food\nBank"), (6, "Council")]


def test_a_missing_column_is_a_problem_of_the_header_line_naming_what_is_required() -> None:
    sheet = read_sheet("a.csv", b"name,since\nX,2024-01-01\n", **COLUMNS)

    assert sheet.records == []
    (problem,) = sheet.problems
    assert (problem.file, problem.line, problem.column, problem.problem) == (
        "a.csv",
        1,
        "sector",
        "this column is missing",
    )
    assert "name, sector" in problem.allowed


def test_a_file_that_is_not_utf8_is_reported_at_the_line_of_the_first_bad_byte() -> None:
    sheet = read_sheet("latin1.csv", "name,sector\nCafé,vcse\n".encode("latin-1"), **COLUMNS)

    (problem,) = sheet.problems
    assert (problem.line, problem.problem) == (2, "the file is not UTF-8 text")
    assert "UTF-8" in problem.allowed


def test_semicolon_separated_files_are_read_too() -> None:
    sheet = read_sheet("a.csv", b"name;sector\nFood Bank;vcse\n", **COLUMNS)

    assert sheet.records[0].cells == {"name": "Food Bank", "sector": "vcse"}


def test_a_row_with_more_cells_than_columns_is_reported_not_cut_short() -> None:
    sheet = read_sheet("a.csv", b"name,sector\nFood, Bank,vcse\n", **COLUMNS)

    assert sheet.records == []
    assert "3 cells but the header has 2 columns" in sheet.problems[0].problem


def test_unknown_columns_are_listed_as_not_used() -> None:
    sheet = read_sheet("a.csv", b"name,sector,colour\nX,vcse,red\n", **COLUMNS)

    assert sheet.ignored == ("colour",)
    assert "colour" not in sheet.records[0].cells


@pytest.mark.parametrize(
    ("written", "expected"),
    [("2024-03-01", date(2024, 3, 1)), ("01/03/2024", date(2024, 3, 1)), ("1/3/2024", date(2024, 3, 1))],
)
def test_dates_are_read_as_iso_or_day_month_year(written: str, expected: date) -> None:
    assert parse_date("due", written) == expected


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("03/01/24", "not a date"),
        ("2024-3-1", "not a date"),
        ("31/02/2024", "no such day"),
        ("March 1", "not a date"),
    ],
)
def test_other_dates_are_bad_cells_saying_what_is_allowed(written: str, problem: str) -> None:
    with pytest.raises(BadCell) as raised:
        parse_date("due", written)

    assert (raised.value.column, raised.value.problem) == ("due", problem)
    assert raised.value.allowed == "a date as YYYY-MM-DD or DD/MM/YYYY"


def test_yes_and_no_are_read_in_their_usual_spellings() -> None:
    assert [parse_yes_no("held", w) for w in ("Yes", "y", "TRUE", "1", "no", "N", "false", "0")] == [
        True
    ] * 4 + [False] * 4
    with pytest.raises(BadCell):
        parse_yes_no("held", "maybe")
