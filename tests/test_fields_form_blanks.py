"""A printed form's captions and the values written into their blanks, read as lines of their own: a number under
its "No." caption, a year as the form's printed century and the two digits written after it."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize(
    ("year_lines", "iso"),
    [(["19 51"], "1951-06-30"), (["19", "51"], "1951-06-30"), (["1951"], "1951-06-30"), (["18 97"], "1897-06-30")],
)  # fmt: skip
def test_a_forms_century_and_the_years_digits_written_after_it(year_lines: list[str], iso: str) -> None:
    got = read(["MOSSES OF ELMIA", "Collected by A. Bell", "No. 4411", "June 30", *year_lines, "Elmia rosea"])
    assert got.get("eventDate") == iso and got["recordNumber"] == "4411", got


@pytest.mark.parametrize("year_lines", [["19"], ["19", "12 m"], ["5 51"]])
def test_no_year_from_a_day_a_measure_or_a_stray_number(year_lines: list[str]) -> None:
    got = read(["MOSSES OF ELMIA", "Collected by A. Bell", "No. 4411", "June 30", *year_lines, "Elmia rosea"])
    assert "eventDate" not in got, got


@pytest.mark.parametrize("number", ["68-1644", "1644", "A-1234", "1644a"])
def test_a_number_under_its_caption_alone(number: str) -> None:
    assert read(["Collected by A. Bell", "No.", number, "Elmia rosea"]).get("recordNumber") == number


@pytest.mark.parametrize("value", ["12 m", "1500 ft"])
def test_a_measure_under_a_number_caption_is_no_number(value: str) -> None:
    assert "recordNumber" not in read(["Collected by A. Bell", "No.", value, "Elmia rosea"])


@pytest.mark.parametrize("day_line", ["date: July 3.", "July 3", "Fecha: 3 julio"])
def test_a_forms_year_alone_and_the_day_written_apart(day_line: str) -> None:
    got = read(["MOSSES OF ELMIA", "Collected by A. Bell", "No. 82-1049", "1982", "Elmia rosea", "Elmvale", day_line])
    assert got["eventDate"] == "1982-07-03", got


@pytest.mark.parametrize("day_lines", [["Flowers July 3"], ["Elmvale, July 3"], ["July 3", "Aug. 4"]])
def test_no_day_from_a_note_a_place_line_or_two_days(day_lines: list[str]) -> None:
    got = read(["MOSSES OF ELMIA", "Collected by A. Bell", "No. 82-1049", "1982", "Elmia rosea", *day_lines])
    assert got["eventDate"] == "1982", got


@pytest.mark.parametrize(
    ("line", "number"),
    [("Albert Bell, no. 78–2684", "78–2684"), ("A. Bell, C. Dunn, E. Fox. 4909", "4909"), ("E. Fox. 4909", "4909")],
)  # fmt: skip
def test_a_number_after_the_names_with_a_dash_or_after_their_stop(line: str, number: str) -> None:
    assert read(["Elmia rosea Bell", line]).get("recordNumber") == number


def test_no_number_after_the_stop_of_a_place_read_as_a_name() -> None:
    assert "recordNumber" not in read(["Elmia rosea Bell", "Hondo Valle. 2984"])
