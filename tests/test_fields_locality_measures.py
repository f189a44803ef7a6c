"""A measure's zero read as the letter O in a locality ("55O METERS", "1O00 ft."): put back, and only before a
unit, so words and codes with an O stay as read. Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.locality import mend_measures


@pytest.mark.parametrize(
    ("read", "meant"),
    [("Ravine, 55O METERS ALTITUDE", "Ravine, 550 METERS ALTITUDE"), ("alt. 1O00 ft.", "alt. 1000 ft."),
     ("slopes at 3-4OO m", "slopes at 3-400 m"), ("2O mi N of Elmton", "20 mi N of Elmton"),
     ("ca. 2OO0 M.", "ca. 2000 M.")],
)  # fmt: skip
def test_a_zero_read_as_o_before_a_unit_is_mended(read: str, meant: str) -> None:
    assert mend_measures(read) == meant


@pytest.mark.parametrize("text", ["Lot 5O, Elmton", "Route 1O", "Oo m", "1500 m", "Cerro 4O de Mayo", "OOM"])
def test_what_is_no_measure_stays_as_read(text: str) -> None:
    assert mend_measures(text) == text


def test_the_locality_read_from_a_label_is_mended() -> None:
    got = extract_fields(["EXPLORATION OF JAMAICA", "BLUE MOUNTAINS, NEAR ELMTON, 55O METERS ALTITUDE", "NO.5168",
                          "J. DOE", "COLLECTOR", "MARCH 7, 1910"])  # fmt: skip
    assert got["locality"].value == "BLUE MOUNTAINS, NEAR ELMTON, 550 METERS ALTITUDE"
    got = extract_fields(["FLORA OF JAMAICA", "Blue Mountains, near Elmton, 1O00 ft.", "J. Doe 45", "March 7, 1910"])
    assert got["locality"].value == "Blue Mountains, near Elmton, 1000 ft"


@pytest.mark.parametrize(
    ("read", "meant"),
    [("Elm Bay, 0–30 m", "Elm Bay, 0-30 m"), ("alt. 1200 — 1400 ft.", "alt. 1200-1400 ft."),
     ("Elm Bay – Rosaville", "Elm Bay – Rosaville")],
)  # fmt: skip
def test_a_range_of_numbers_typeset_with_a_dash_is_written_with_a_hyphen(read: str, meant: str) -> None:
    assert mend_measures(read) == meant


def test_the_mc_of_a_name_read_mo_is_mended() -> None:
    assert mend_measures("east of Lake MoDonald") == "east of Lake McDonald"
    assert mend_measures("Mount Morris, Moss Lake") == "Mount Morris, Moss Lake"
