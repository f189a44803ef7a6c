"""A herbarium's home is never the collecting place: a state after an abbreviated institution word, or after the
tail of "University" left by a stamp cut at the image's edge."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, to_darwin_core


@pytest.mark.parametrize(
    ("lines", "state"),
    [
        (["Ex Herb. Univ. Michigan, 1961", "Coll. J. Smith 22, 4 June 1932"], ""),
        (["ITY OF CONNECTICUT", "Middlesex County, Mass.", "Coll. J. Smith 22"], "Massachusetts"),
        (["ITY OF CONNECTICUT", "Coll. J. Smith 22"], ""),
        (["Plants of Michigan", "Ann Arbor, Univ. grounds"], "Michigan"),  # the header still names the state
        (["CITY OF NEW YORK", "J. Smith"], "New York"),  # a city is a place, not an institution's tail at a cut
    ],
)
def test_an_institutions_state_is_no_collecting_place(lines: list[str], state: str) -> None:
    assert to_darwin_core(extract_fields(lines))["stateProvince"] == state


def test_a_state_repeated_under_the_herbarium_s_name_is_the_label_s_state() -> None:
    lines = ["Herbarium of the University of Vermont", "VERMONT", "Orleans County", "Coll. J. Smith 22"]
    assert to_darwin_core(extract_fields(lines))["stateProvince"] == "Vermont"


def test_a_collection_title_under_a_herbarium_name_ending_in_its_town_is_no_part_of_the_name() -> None:
    fields = extract_fields(["HERBARIUM OF THE UNIVERSITY OF ELMTON", "LICHENS OF MINNESOTA", "Rosa Lake near Elmton",
                             "A. Bell 8"])  # fmt: skip
    assert fields["stateProvince"].value == "Minnesota"
    assert fields["institutionName"].value == "Herbarium of the University of Elmton"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("THE NEW YORK BOTANICAL GARGEN", "NY"),  # a letter of an institution's word misread
        ("The Uwversity of Texas Herberium (LL, TEX)", "TEX"),  # two words, one of them two letters off
        ("Universttyof North Carolina, Chapel Hill", ""),  # "of" glued to the word
        ("NERBARIM OF THE UNIVERSITY OF MICHIGAN", "MICH"),  # known, once its first word is repaired
        ("NERBARIM OF THR LNTYERSETY OF MICHIGAN", ""),  # a "Herbarium of …" whose other words are too far gone
    ],
)
def test_an_institution_read_with_its_words_misread_is_no_collecting_place(header: str, code: str) -> None:
    lines = [header, "PROVINCE OF CAMAGUEY", "Coll. J. Smith 22, 4 June 1932"]
    row = to_darwin_core(extract_fields(lines))
    assert row["stateProvince"] == "Camaguey"
    assert row["countryCode"] == "CU"
    assert row["institutionCode"] == code


def test_a_division_by_its_kind_word_under_a_generic_herbarium_is_no_part_of_its_name() -> None:
    lines = ["HERBARIUM OF THE UNIVERSITY OF ELMTON", "PROVINCE OF CAMAGUEY", "Coll. J. Smith 22, 4 June 1932"]
    fields = extract_fields(lines)
    assert fields["institutionName"].value == "Herbarium of the University of Elmton"
    assert to_darwin_core(fields)["stateProvince"] == "Camaguey"
