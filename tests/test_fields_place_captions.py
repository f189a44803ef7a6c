"""Printed forms whose captions have no colon ("Locality St. Andrew Parish, Grenada", "Habitat Wet ravine") and a
herbarium's stamp read twice ("MISSOURI" / "MISSOURI BOTANICAL GARDEN"): the caption is no part of a place, the
place line is no herbarium's name, the stamp's words are no state. Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, places
from herbproc.fields.county_names import find_county


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_a_caption_without_its_colon_is_not_the_countys_name() -> None:
    county = places.find_county("Locality Grand Bois Parish, somewhere")
    assert county is not None and county.name == "Grand Bois"


def test_a_parish_and_its_country_after_a_caption_without_colon() -> None:
    got = read(["Family Rubiaceae", "Locality St. Andrew Parish, Grenada", "Habitat Roadside bank",
                "Collector K. Mwangi", "Date Mar. 3, 1958"])  # fmt: skip
    assert (got["country"], got["stateProvince"]) == ("Grenada", "Saint Andrew")
    assert "county" not in got
    assert got["locality"] == "St. Andrew Parish, Grenada"  # neither caption is in it


def test_a_country_after_a_county_is_a_town_unless_it_ends_the_line_after_a_comma() -> None:
    assert "country" not in read(["Oxford Co.: Norway", "Psychotria nervosa Sw."])


def test_a_locality_line_naming_an_institute_is_a_place_not_the_herbarium() -> None:
    got = read(["Scientific Name Psychotria nervosa", "Locality Hope Gardens, College of Agriculture",
                "Grenada W.I.", "Habitat Wet ravine", "Collector K. Mwangi"])  # fmt: skip
    assert got["country"] == "Grenada"
    assert got["locality"].startswith("Hope Gardens, College of Agriculture")
    assert "Habitat" not in got["locality"]


def test_a_stamps_first_words_read_again_beside_it_are_no_state() -> None:
    lines = ["FLORA OF THE LESSER ANTILLES", "Psychotria nervosa Sw.", "Moist ravine above the old mill.",
             "K. Mwangi 4411"]  # fmt: skip
    assert "stateProvince" not in read([*lines, "MISSOURI", "MISSOURI BOTANICAL GARDEN", "BOTANICAL", "GARDEN"])
    assert "stateProvince" not in read([*lines, "MISSOURI BOTANICAL GARDEN", "MISSOURI", "BOTANICAL", "GARDEN"])
    # a state line under a herbarium's name, no stamp's words read apart beside it: the place
    assert read(["MISSOURI STATE UNIVERSITY HERBARIUM", "MISSOURI", *lines[1:]])["stateProvince"] == "Missouri"
    assert read(["PLANTS OF MISSOURI", *lines[1:], "MISSOURI BOTANICAL GARDEN"])["stateProvince"] == "Missouri"


def test_a_province_word_on_the_country_line_names_the_province_not_the_town_before_it() -> None:
    got = read(["PLANTS OF NICARAGUA", "SAN JACINTO, CHINANDEGA, PROVINCE OF OCOTAL, NICARAGUA", "No. 4410",
                "Psychotria nervosa Sw."])  # fmt: skip
    assert (got["country"], got["stateProvince"]) == ("Nicaragua", "Ocotal")


def test_a_province_line_under_a_collected_for_line_is_a_place() -> None:
    got = read(["PLANTS OF NICARAGUA", "Psychotria nervosa Sw.", "Wet ravine above the old mill.",
                "Collected for the Botanical Institute of the State Museum in", "Ocotal Province"])  # fmt: skip
    assert got["stateProvince"] == "Ocotal"


def test_a_municipio_is_the_first_level_only_where_iso_lists_none_below_the_country() -> None:
    got = read(["PLANTS OF PUERTO RICO", "Puerto Rico: Municipio Lares: Barrio Piletas, roadside bank.",
                "K. Mwangi 4411", "Psychotria nervosa Sw."])  # fmt: skip
    assert got["stateProvince"] == "Lares"
    assert "stateProvince" not in read(["PUERTO RICO", "Barrio Piletas near Lares, roadside bank."])  # no word
    mexico = read(["PLANTAS DE MEXICO", "Municipio de Tlaquiltenango: cerro al sur del pueblo.", "K. Mwangi 4411"])
    assert mexico.get("stateProvince") != "Tlaquiltenango"  # a second level there


def test_a_form_row_of_state_and_county_captions_read_as_one_line() -> None:
    got = read(["State: Vermont  County: Lamoille", "Locality: Mt. Rosa, summit ridge", "Coll.: A. Bell 5"])
    assert (got["stateProvince"], got["county"]) == ("Vermont", "Lamoille")
    assert got["locality"] == "Mt. Rosa, summit ridge"


def test_a_forms_next_caption_under_the_locality_blank_is_not_the_place_going_on() -> None:
    got = read(["Herb. Univ. of Elmton", "Lichens", "Locality: Rosa Lake, 5 mi N of Elmton", "State: Wisconsin",
                "A. Bell"])  # fmt: skip
    assert (got["locality"], got["stateProvince"]) == ("Rosa Lake, 5 mi N of Elmton", "Wisconsin")


def test_a_county_slot_ends_at_the_next_caption() -> None:
    for line in ("Co. Elmwood  State Tenn.", "County: Elmwood Coll.: A. Bell No.: 1234", "Co. Elmwood  Loc. Rosaville"):
        county = places.find_county(line)
        assert county is not None and county.name == "Elmwood", line


def test_a_county_slot_heading_its_line_before_the_places_colon() -> None:
    county = places.find_county("Co. Elmwood: Rosaville, on oak bark.")
    assert county is not None and county.name == "Elmwood"
    assert places.find_county("County Elm Rd: 3 mi. N of Rosaville") is None  # a county road, no county


def test_a_county_slot_opening_the_collectors_line() -> None:
    got = read(["LICHENS", "Parmelia sulcata Taylor", "On oak bark near Rosaville.",
                "County: Elmwood Coll.: A. Bell No.: 1234"])  # fmt: skip
    assert (got["county"], got["recordedBy"], got["recordNumber"]) == ("Elmwood", "A. Bell", "1234")


def test_county_abbreviated_cty() -> None:
    for line in ("Elmwood Cty., on oak bark", "ELMWOOD CNTY.: Rosaville"):
        county = places.find_county(line)
        assert county is not None and county.name == "Elmwood", line
    assert places.find_county("Elm City, Tenn.") is None


def test_a_county_and_the_collector_read_as_one_line() -> None:
    got = read(["LICHENS", "Parmelia sulcata Taylor", "On oak bark near Rosaville.", "Elmwood Co.   A. Bell 1234"])
    assert (got["county"], got["recordedBy"], got["recordNumber"]) == ("Elmwood", "A. Bell", "1234")


def test_a_county_slot_heading_its_line_before_a_comma() -> None:
    for line in ("Co. Elmwood, Tenn.", "CO. ELMWOOD, Rosaville"):
        county = places.find_county(line)
        assert county is not None and county.name == "Elmwood", line


def test_a_county_before_the_collectors_caption() -> None:
    got = read(["LICHENS", "Parmelia sulcata Taylor", "On oak bark near Rosaville.", "Elmwood Co.   Leg. A. Bell"])
    assert (got["county"], got["recordedBy"]) == ("Elmwood", "A. Bell")


@pytest.mark.parametrize(
    ("line", "county"), [("County: Cocke.", "Cocke"), ("County Thunder Bay Dist.", "Thunder Bay Dist.")]
)
def test_a_countys_full_stop_is_left_off_an_abbreviations_kept(line: str, county: str) -> None:
    found = find_county(line)
    assert found is not None and found.name == county
