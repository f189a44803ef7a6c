"""Collector numbers read with letters for some digits (the reader's confusions), written back with digits."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.people import repaired_digits


@pytest.mark.parametrize(
    ("read", "number"),
    [
        ("4y18", "4718"),  # y for 7
        ("7UO3", "7603"),  # U for 6, O for 0
        ("5l2s", "5l2s"),  # ends with a letter: not between digits
        ("2s18", "2518"),
        ("9?04", "9704"),
    ],
)
def test_misread_digits_between_digits(read: str, number: str) -> None:
    assert repaired_digits(read) == number


@pytest.mark.parametrize("read", ["C 4821", "3307a", "61-402", "418?", "XY20417", "3y", "1yyy2"])
def test_series_letters_suffixes_and_doubts_stay(read: str) -> None:
    assert repaired_digits(read) == read


def _number(lines: list[str]) -> str | None:
    got = extract_fields(lines).get("recordNumber")
    return got.value if got else None


def test_cued_number_alone_on_its_line() -> None:
    lines = ["FLORA OF THE WESTERN ISLES", "No.4y18", "Dry scrub near Port Elden", "COLLECTORS", "MAY 3-5, 1931"]
    assert _number(lines) == "4718"


def test_cued_number_on_the_collector_line() -> None:
    assert _number(["Plants of Ontario", "Coll. H. T. Marsh No. 35/9", "12 June 1950"]) == "35/9"  # its part


def test_a_bare_number_is_not_repaired() -> None:
    # no cue: "4y18" is not read as a number at all
    assert _number(["Plants of Ontario", "H. T. Marsh 4y18", "12 June 1950"]) != "4718"


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("G. W. Pell, mo. 5208", "5208"),  # "no." with its n read as an m
        ("G. W. Pell, no, 5208", "5208"),  # the dot read as a comma
    ],
)
def test_misread_number_cues(line: str, number: str) -> None:
    assert _number(["Plants of Ontario", "Open bank near Port Elden.", line, "12 June 1950"]) == number


def test_missouri_is_no_cue() -> None:
    # "Mo." in capitals is the state: no collector number from the address
    assert _number(["Plants of Missouri", "Coll. G. W. Pell", "Ozark, Mo. 65721", "12 June 1950"]) != "65721"


def test_letters_alone_after_the_cue_are_no_number() -> None:
    # "NO KKOO": a number misread past reading, no digit left in it
    assert _number(["Plants of Ontario", "Open bank near Port Elden.", "COLL. G. W. PELL NO KKOO", "1950"]) is None


def test_a_lone_digit_under_the_names_is_no_number() -> None:
    lines = ["PLANTS OF ONTARIO", "Open bank near Port Elden.", "G. W. Pell", "1", "12 June 1950"]
    assert _number(lines) is None
    assert _number(lines[:3] + ["47"] + lines[4:]) == "47"


def test_a_lower_case_ell_opening_a_cued_number_is_its_one() -> None:
    field = extract_fields(["FLORA OF ROSAVILLE", "A. Bell No. l234", "12 Aug 1974"]).get("recordNumber")
    assert field is not None and field.value == "1234"


@pytest.mark.parametrize(("line", "number"), [("No.b354", "6354"), ("No. b3541", "63541"), ("No. B2734", "B2734")])
def test_a_lower_case_b_opening_a_cued_number_is_its_handwritten_six(line: str, number: str) -> None:
    field = extract_fields(["FLORA OF ROSAVILLE", "A. Bell", line, "12 Aug 1974"]).get("recordNumber")
    assert field is not None and field.value == number


def test_a_saints_s_read_as_8_ending_a_place_line_is_no_collector_number() -> None:
    # "… Lake, St." / "Louis Co": the saint's S read as 8, the name wrapped, "Lake" misread so that the place reads
    # as a name: the number is the cued one below
    lines = ["FLORA OF MISSOURI", "Carex rosea Dunn", "Hollis Moor Loke, 8t", "Louis Co", "NO.1624", "June 15, 1926",
             "JULIAN A. STEYERMARK, COLLECTOR"]  # fmt: skip
    assert extract_fields(lines)["recordNumber"].value == "1624"
    assert extract_fields(["A. Bell 8a", "Elm Lake"])["recordNumber"].value == "8a"  # a number with its letter
