"""Dates whose year is written short or with the month's number: a two-digit year after an apostrophe
("June 4, '32", "'32 June 4", "Sept 1-3 '64") or after a day and a Roman month ("4.VI.32") wherever it stands on
its line, and a month's number with the year ("7/1941"). Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.dates import find_dates, parse_date


def event_date(lines: list[str]) -> str | None:
    found = extract_fields(lines).get("eventDate")
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("June 4, '32", "1932-06-04"),
        ("4 June '32", "1932-06-04"),
        ("'32 June 4", "1932-06-04"),
        ("Sept 1-3 '64", "1964-09-01/1964-09-03"),
        ("Aug. 3 ’71", "1971-08-03"),
        ("June '32", "1932-06"),
        ("4.VI.32", "1932-06-04"),
        ("17-XI-48", "1948-11-17"),
        ("7/1941", "1941-07"),
        ("12/1899", "1899-12"),
    ],
)
def test_short_forms_of_a_date(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text",
    [
        "'32",  # a year alone needs its four digits
        "Summer '32",
        "June 4, '12",  # 1912 or 2012
        "4.VI.12",
        "4.XIV.32",  # no Roman month
        "Fred's 32",
        "13/1941",  # no month
        "No. 7/1941",  # a collector's number
        "34,1.1995",  # a dot: a Roman month misread ("1.V.1995"), not January
    ],
)
def test_no_date_from_a_short_form_that_is_not_sure(text: str) -> None:
    assert parse_date(text) is None


def test_the_short_date_keeps_its_place_on_the_line() -> None:
    line = "J. Smith 22   4.VI.32"
    (d,) = find_dates(line)
    assert line[d.start : d.end] == "4.VI.32" and d.two_digit_year
    line = "Coll. June 4, '32, by J. Smith"
    (d,) = find_dates(line)
    assert line[d.start : d.end] == "June 4, '32"


@pytest.mark.parametrize(
    ("lines", "iso"),
    [
        (["J. Smith 22   4.VI.32"], "1932-06-04"),
        (["Coll. J. Smith 22", "7/1941"], "1941-07"),
        (["Coll. J. Smith 22", "'32 June 4"], "1932-06-04"),
        (["J. Smith 22", "Sept 1-3 '64"], "1964-09-01/1964-09-03"),
        (["Leg. K. Braun 118", "Alpenwiese, 12.VII.58"], "1958-07-12"),
    ],
)
def test_a_short_date_on_a_label(lines: list[str], iso: str) -> None:
    assert event_date(lines) == iso


def test_a_short_year_beside_a_year_before_1900_is_not_read() -> None:
    # the label writes 1884 elsewhere: '79 may be 1879
    assert event_date(["Herb. J. Smith 1884", "Coll. K. Jones 12", "June 4, '79"]) != "1979-06-04"
