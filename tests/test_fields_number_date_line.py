"""A collector's number beside a captioned date on one line ("B. C. Tharp 4455   Date: 4/12/1941") is read; no
number where the date may hold it."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, to_darwin_core


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


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("No. 1234  Feb. 12, 1912", "1234"),  # the date's caption not printed
        ("Feb. 12, 1912   No. 1234", "1234"),  # the date first
        ("Date Feb. 12, 1912   Number 1234", "1234"),  # the date first with its caption, "Number" the cue
        ("No. 12 May 1912", ""),  # the number is the date's day
        ("No. 12 1912", ""),  # no date to tell the number from a year
        ("No. 17  3 Jan 1921", ""),  # short, without the date's caption: perhaps a sheet's count
    ],
)
def test_a_cued_number_beside_an_uncaptioned_date(line: str, number: str) -> None:
    lines = ["Flora of Elmton", "Rosaville", "A. Bell & C. Dunn", line]
    assert to_darwin_core(extract_fields(lines))["recordNumber"] == number


@pytest.mark.parametrize(
    ("title", "number"),
    [
        ("PLANTS OF ELMTON            No. 1234", "1234"),  # the form's number printed at the title's end
        ("FLORA OF ROSAVILLE, No. 4521", "4521"),
        ("HERBARIUM OF ELMTON COLLEGE No. 1234", ""),  # a herbarium's accession number
        ("PLANTS OF ELMTON No. 1912", ""),  # a year
    ],
)
def test_a_cued_number_ending_the_title_line(title: str, number: str) -> None:
    lines = [title, "Rosaville, in woods", "A. Bell", "Feb. 12, 1912"]
    assert to_darwin_core(extract_fields(lines))["recordNumber"] == number


def test_a_partys_nos_cue_on_a_line_of_its_own() -> None:
    lines = ["Flora of Elmton", "Rosaville", "A. Bell & C. Dunn", "Nos. 1234", "Feb. 12, 1912"]
    assert to_darwin_core(extract_fields(lines))["recordNumber"] == "1234"


@pytest.mark.parametrize(
    ("place", "number"),
    [
        ("Vicinity of Elmton   No. 1234", "1234"),  # the form's "No." read into the line beside it
        ("Elmton, Route No. 112", ""),  # a road's number
        ("Elmton No. 12", ""),  # too short to tell from a plot's or a sheet's
    ],
)
def test_a_cued_number_ending_the_place_line(place: str, number: str) -> None:
    lines = ["PLANTS OF ROSAVILLE", place, "A. Bell", "Feb. 12, 1912"]
    fields = to_darwin_core(extract_fields(lines))
    assert fields["recordNumber"] == number
    if number:
        assert fields["locality"] == "Vicinity of Elmton"  # the number is no part of the place
