"""eventDate label conventions: two-digit years. Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.dates import find_dates, parse_date


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("6-21-78", "1978-06-21"),  # month first with a dash, as with four-digit years
        ("6-21.78", "1978-06-21"),  # a dash read as a dot
        ("21.6.78", "1978-06-21"),  # dots: day first
        ("Date: 3-Mar-59", "1959-03-03"),
        ("DATE 30 Sept 67", "1967-09-30"),
        ("July 4, '66", "1966-07-04"),
        ("9.XI.71", "1971-11-09"),
    ],
)
def test_two_digit_years_filling_their_line_are_read_as_19yy(text: str, iso: str) -> None:
    (found,) = find_dates(text)
    assert (found.iso, found.two_digit_year) == (iso, True)


@pytest.mark.parametrize(
    "text",
    [
        "6-21-08",  # 1908 or 2008: not guessed
        "6/12/12",
        "6-21-78 m",  # a measure
        "Plot 6-21-78",  # not the whole line
        "13-14-78",  # no month
        "No. 6-21-78",
    ],
)
def test_two_digit_years_not_read(text: str) -> None:
    assert parse_date(text) is None


def test_a_two_digit_year_beside_a_nineteenth_century_year_is_not_read() -> None:
    got = read(["Flora of Ohio, 1884", "Viola sp.", "5-3-79"])
    assert got.get("eventDate") != "1879-05-03" and got.get("eventDate") != "1979-05-03"


def test_a_two_digit_year_is_read_on_a_label() -> None:
    got = read(["PLANTS OF GEORGIA", "Quercus alba L.", "Dry ridge, Pike Co.", "6-21-78"])
    assert got["eventDate"] == "1978-06-21"
