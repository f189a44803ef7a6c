"""A form's collector number and collection date on one line ("No. 17021   8 Feb. 1968"): both are read."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, to_darwin_core


@pytest.mark.parametrize(
    ("lines", "number", "date"),
    [
        (["Collectors: R. A. Howard, E. S. Howard & J. Smith", "No. 17021   8 Feb. 1968"], "17021", "1968-02-08"),
        (["Collected by L. H. Bailey", "No. 342. Date 3 Jan 1921"], "342", "1921-01-03"),
        (["Coll. A. Gray", "Nr. 88   Datum: 3.7.1912"], "88", "1912-07-03"),
    ],
)
def test_a_cued_number_and_a_date_on_one_line(lines: list[str], number: str, date: str) -> None:
    row = to_darwin_core(extract_fields(lines))
    assert (row["recordNumber"], row["eventDate"]) == (number, date)


@pytest.mark.parametrize(
    "lines",
    [
        ["Collected by L. H. Bailey", "342 3 Jan 1921"],  # uncued: the number may belong to the date
        ["Collected by L. H. Bailey", "No. 12 May 1921"],  # the cue's number is the date's day
    ],
)
def test_no_number_where_the_date_may_hold_it(lines: list[str]) -> None:
    assert to_darwin_core(extract_fields(lines))["recordNumber"] == ""


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("Collector: B. C. Tharp 4455      Date: 4/12/1941", "4455"),
        ("Coll. J. Smith 4455 Fecha: 3 mayo 1950", "4455"),
        ("Coll. J. Smith, Date: Jan 3 1925, 1234", "1234"),
        ("Coll. J. Smith Date: 3 Jan 1925", ""),
    ],
)
def test_a_collectors_number_before_or_after_a_captioned_date(line: str, number: str) -> None:
    assert to_darwin_core(extract_fields([line]))["recordNumber"] == number
