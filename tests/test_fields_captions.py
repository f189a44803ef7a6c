"""A printed form's captions misread at a thumbnail's size ("LOCALY:", "MABITAT:"), and a number cue's dot read as
a comma ("No, 2634"): the lines stay what they are on the form."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.captions import repaired_caption, repaired_kind_words
from herbproc.fields.misread_states import misread_country_first


@pytest.mark.parametrize(
    ("line", "repaired"),
    [
        ("LOCALY: Elm Hill, by the road", "LOCALITY: Elm Hill, by the road"),
        ("MABITAT: Cultivated.", "HABITAT: Cultivated."),
        ("Abitat: on rocks", "Habitat: on rocks"),
        ("Altitnde : 300 m", "Altitude : 300 m"),
        ("DESCRIPTON: shrub 2 m", "DESCRIPTION: shrub 2 m"),
    ],
)
def test_a_misread_caption_before_its_colon_is_the_caption(line: str, repaired: str) -> None:
    assert repaired_caption(line) == repaired


@pytest.mark.parametrize(
    "line",
    [
        "Paris: near the river",  # a place near a place's caption (Parish): never taken for it
        "Habana: Guanabacoa",  # a place no caption is near
        "MATANZAS: entre Matanzas y Varadero",
        "Habitat: on rocks",  # the caption spelt right
        "Abitat on rocks",  # no colon: no caption
        "Colour: white",  # a word of its own
        "Hab: rocks",  # under six letters
    ],
)
def test_places_words_and_captions_spelt_right_stay_as_read(line: str) -> None:
    assert repaired_caption(line) == line


@pytest.mark.parametrize("line", [None, 12, ""])
def test_no_text_is_left_as_it_is(line: object) -> None:
    assert repaired_caption(line) == line  # type: ignore[arg-type]


def _locality(lines: list[str]) -> str:
    got = extract_fields(lines)
    return got["locality"].value if "locality" in got else ""


def test_the_locality_under_a_misread_caption_ends_at_the_next_misread_caption() -> None:
    lines = ["PUERTO RICO", "Gramineae", "Bambusa vulgaris Schrad.", "LOCALY: Elmton: Federal Experiment Station",
             "MABITAT: Cultivated.", "DESCRiPTION: Clump dense, erect culms", "COLL: Ana Ruiz", "NO:2647"]  # fmt: skip
    assert _locality(lines) == "Elmton: Federal Experiment Station"


@pytest.mark.parametrize("number", ["No. 2634", "No, 2634"])
def test_a_number_line_whose_cues_dot_is_a_comma_is_no_part_of_the_locality(number: str) -> None:
    lines = ["FLORA OF ELM ISLAND", "Carex alba L.", "Area around the Elm Motel.", number, "June 13, 1987",
             "Col. & Det. by D. L. Rosa"]  # fmt: skip
    got = extract_fields(lines)
    assert got["locality"].value == "Area around the Elm Motel" and got["recordNumber"].value == "2634"


@pytest.mark.parametrize(
    ("line", "repaired"),
    [
        ("Santa Clara Peovince", "Santa Clara Province"),
        ("Elm Provisce, near the river", "Elm Province, near the river"),
        ("ST. ANN PARIsS. Rosa Road", "ST. ANN PARISH. Rosa Road"),
        ("Dapartment Rosa", "Department Rosa"),
    ],
)
def test_a_divisions_kind_word_one_letter_misread_is_the_word(line: str, repaired: str) -> None:
    assert repaired_kind_words(line) == repaired


@pytest.mark.parametrize(
    "line",
    ["Perish the thought", "Santa Clara Province", "Provence, near Aix", "Departement Rosa", "Elm Prvince", "Parishes of Elm", ""],
)
def test_words_of_their_own_and_other_lengths_are_no_misread_kind_word(line: str) -> None:
    assert repaired_kind_words(line) == line


def test_a_former_province_with_its_kind_word_misread_is_the_province() -> None:
    got = extract_fields(["THE NEW YORK BOTANICAL GARDEN", "Carex alba L.", "Santa Clara Peovince", "J. Smith 2113"])
    assert (got["stateProvince"].value, got["countryCode"].value) == ("Santa Clara", "CU")


@pytest.mark.parametrize("line", [None, 12, ""])
def test_no_text_has_no_kind_word_or_misread_country(line: object) -> None:
    assert repaired_kind_words(line) == line  # type: ignore[arg-type]
    assert misread_country_first(line) is None  # type: ignore[arg-type]
