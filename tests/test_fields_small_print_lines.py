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


# the number stands more lines above the collector than a bare number is taken from without its caption
_FORM = ["FLORA OF BERMUDA", "{n}", "Quercus alba L.", "Shaded ravine", "near the shore", "Elmton", "J. SMITH",
         "COLLECTORS", "SEPT. 1913", "{c}"]  # fmt: skip


@pytest.mark.parametrize("caption", ["No.", "No", "Coll. No.", "N°", "Número:"])
@pytest.mark.parametrize("number", ["4471", "1674"])
def test_a_number_written_into_an_empty_caption_and_read_apart(caption: str, number: str) -> None:
    got = _fields([line.format(n=number, c=caption) for line in _FORM])
    assert got["recordNumber"] == number and got["eventDate"] == "1913-09"


def test_without_the_caption_a_far_number_is_taken_only_under_the_title() -> None:
    form = [line.format(n="4471", c="Det. K. Doe") for line in _FORM]
    assert _fields(form)["recordNumber"] == "4471"  # the form's number at its head
    among_places = [form[0], form[2], form[3], form[1], *form[4:6], "on wet rocks", *form[6:]]
    assert "recordNumber" not in _fields(among_places)


def test_no_number_for_an_empty_caption_when_two_numbers_could_fill_it() -> None:
    lines = [line.format(n="4471", c="No.") for line in _FORM]
    assert "recordNumber" not in _fields(lines[:2] + ["3380"] + lines[2:])


def test_a_year_alone_is_no_number_when_the_label_has_no_other_date() -> None:
    got = _fields([line.format(n="1913", c="No.") for line in _FORM if line != "SEPT. 1913"])
    assert "recordNumber" not in got and got["eventDate"] == "1913"
