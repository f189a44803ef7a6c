"""What a finer reading of a label adds besides its small print: a number beside its caption read whole, stray
one-word lines, a barcode's code and digits (made-up labels, not copied from any
sheet). None of them may move or invent a field."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields


def _fields(lines: list[str]) -> dict[str, str]:
    return {term: f.value for term, f in extract_fields(lines).items()}


@pytest.mark.parametrize("caption", ["Núm: 4471", "Núm.: 4471", "No: 4471", "Numero: 4471"])
def test_a_caption_and_its_number_before_the_locality_are_no_place(caption: str) -> None:
    got = _fields([caption, "Familia.", "Cultivated in Elmton, Rosa, from a plant of the hills"])
    assert got["recordNumber"] == "4471"
    assert got["locality"] == "Cultivated in Elmton, Rosa, from a plant of the hills"


def test_a_place_before_a_colon_still_begins_the_locality() -> None:
    assert _fields(["Elmton: 12 km N of the bridge"])["locality"] == "Elmton: 12 km N of the bridge"


@pytest.mark.parametrize("strays", [[], ["27"], ["27", "pink"], ["W", "12", "pink"]])
def test_stray_one_word_lines_under_a_header_do_not_hide_the_place_lines(strays: list[str]) -> None:
    lines = ["EXPLORATION OF CUBA", *strays, "PROVINCE OF HAVANA", "DRY COASTAL THICKET, ELMTON"]
    assert _fields(lines)["locality"] == "PROVINCE OF HAVANA DRY COASTAL THICKET, ELMTON"


@pytest.mark.parametrize("line", ["FER 012000", "ABCD 0045121"])
def test_a_code_and_zero_padded_digits_are_no_collector_and_number(line: str) -> None:
    got = _fields(["PLANTS OF MASSACHUSETTS", line])
    assert "recordedBy" not in got and "recordNumber" not in got


def test_a_surname_and_its_number_are_still_read() -> None:
    got = _fields(["PLANTS OF MASSACHUSETTS", "MARPLE 4512"])
    assert (got["recordedBy"], got["recordNumber"]) == ("Marple", "4512")
