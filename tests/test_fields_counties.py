"""A county read in a US state is one of that state's counties (herbproc.fields.counties): mended when a letter
or two was misread, dropped when it is near none of them, left alone elsewhere."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.counties import check_county, us_counties


def county(lines: list[str]) -> str:
    fields = extract_fields(lines)
    return fields["county"].value if "county" in fields else ""


def test_the_gazetteer_knows_every_state_and_its_counties():
    table = us_counties()
    assert len(table) >= 51
    assert "Athens" in table["OH"].values() and "Orleans" in table["LA"].values()  # a parish without its word
    assert sum(len(c) for c in table.values()) > 3000


def test_a_misread_letter_is_mended():
    assert county(["PLANTS OF OHIO", "ATHENZ CO.: along a creek below the dam"]) == "Athens"
    assert check_county("Washtenaw", "US-MI") == "Washtenaw"
    assert check_county("Washtcnaw", "US-MI") == "Washtenaw"


def test_a_name_near_no_county_of_the_state_is_dropped():
    assert county(["PLANTS OF KANSAS", "Qwertyz Co.: dry prairie near a road"]) == ""
    assert check_county("Qwertyz", "US-KS") is None


def test_saint_and_spacing_forms_are_the_same_county():
    # a county the label names is kept as the label writes it
    assert check_county("Saint Lawrence", "US-NY") == "Saint Lawrence"
    assert check_county("De Kalb", "US-IL") == "De Kalb"
    assert check_county("Dc Kalb", "US-IL") == "DeKalb"  # misread: the gazetteer's form


def test_two_counties_equally_near_drop_the_reading():
    # Hale and Hall: no reason to pick one, and "Hal" is no county of Texas
    assert check_county("Hal", "US-TX") is None
    assert county(["FLORA OF MISSOURI", "ravine near Little Platte River, Chinton Co."]) == ""  # Clinton, Chariton


def test_outside_the_us_nothing_is_checked():
    assert check_county("Grey", "CA-ON") == "Grey"
    assert check_county("Anywhere", "") == "Anywhere"


def test_a_misread_county_word_names_the_county_only_when_the_state_has_it():
    assert county(["PLANTS OF IOWA", "Story Cuonty, wet ditch along a gravel road"]) == "Story"
    assert county(["Flora of Oregon", "Spencer Butte, LANE COUMTY, 3 mi S of Eugene"]) == "Lane"
    assert county(["PLANTS OF IOWA", "Qwerty Cuonty, wet ditch"]) == ""  # no county of Iowa
    assert county(["Plants of Texas", "Rolling Hill Country, limestone ledges"]) == ""  # a word, not a county


def test_a_misread_county_word_needs_the_state():
    assert county(["Story Cuonty, wet ditch along a gravel road"]) == ""


def state(lines: list[str]) -> str:
    fields = extract_fields(lines)
    return fields["stateProvince"].value if "stateProvince" in fields else ""


def test_a_us_territory_s_municipio_opening_a_place_line_is_its_first_level():
    assert state(["FLORA OF PUERTO RICO", "CIALES", "wet bank of a stream"]) == "Ciales"
    assert state(["Plants of Puerto Rico", "Locality: Utuado: 3 km W of the town, on limestone"]) == "Utuado"
    assert state(["Plants of Puerto Rico", "Shrub, flowers white.Cayey: Bo. Toita, roadside"]) == "Cayey"


def test_a_municipio_only_with_its_territory_named_and_only_whole():
    assert state(["CIALES", "wet bank of a stream"]) == ""  # the label names no territory
    assert state(["Plants of Puerto Rico", "Road to Ciales from the coast"]) == ""  # inside a sentence
    assert state(["Plants of Cuba", "Ciales: wet bank"]) == ""  # not a division of Cuba


def test_a_county_name_with_the_place_before_it_read_in_is_its_last_words():
    assert check_county("Stony Brook New Londn", "US-CT") == "New London"
    assert check_county("Rattlesnake Ledge Tollamd", "US-CT") == "Tolland"
    assert check_county("Pine Hill Qwxyz", "US-CT") is None


def test_a_misread_state_heading_a_county_line_gives_the_state_and_the_county():
    fields = extract_fields(["Coll. R. Marsh", "NEW HAMP SHIRE: Coos Co., along the river"])
    assert fields["stateProvince"].value == "New Hampshire" and fields["county"].value == "Coos"
    fields = extract_fields(["Coll. R. Marsh", "MISSOVRL: Boone Co., wet woods"])
    assert fields["stateProvince"].value == "Missouri" and fields["county"].value == "Boone"
    fields = extract_fields(["Coll. R. Marsh", "Near the old mill: Boone Co., wet woods"])
    assert "stateProvince" not in fields  # what heads the line is no state


def test_a_county_name_that_lost_its_capital_is_read_when_it_is_one_of_the_state_s():
    assert county(["PLANTS OF CONNECTICUT", "Rattlesnake Ledge, tolland County."]) == "Tolland"
    assert county(["PLANTS OF CONNECTICUT", "Rattlesnake Ledge, qwxyz County."]) == ""


def test_a_former_county_that_old_labels_name_is_kept():
    assert check_county("Dade", "US-FL") == "Dade"  # Miami-Dade since 1997
    assert check_county("Ormsby", "US-NV") == "Ormsby"  # Carson City since 1969
    assert check_county("Princess Anne", "US-VA") == "Princess Anne"
    assert county(["FLORA OF FLORIDA", "Dade County: pine rockland east of the road"]) == "Dade"
    assert check_county("Dade", "US-GA") == "Dade"  # Georgia's own Dade County
    assert check_county("Ormsby", "US-FL") is None  # a former county of another state is no county here


def test_a_misread_state_read_into_the_county_before_it() -> None:
    from herbproc.fields import extract_fields

    got = {k: f.value for k, f in extract_fields(["Wisconsan Dane Co., 4 km N of Elmton", "A. Bell 3"]).items()}
    assert (got["stateProvince"], got["county"]) == ("Wisconsin", "Dane")
    got = {k: f.value for k, f in extract_fields(["Louisa Elmton Co., 4 km N", "A. Bell 3"]).items()}
    assert "stateProvince" not in got  # a county's name ("Louisa"), not a misread state


def test_a_state_in_capitals_on_a_mixed_line_misread_by_one_letter() -> None:
    from herbproc.fields import extract_fields

    got = {k: f.value for k, f in extract_fields(["State of MASSACHUSITTS, Elmton", "A. Bell 3"]).items()}
    assert got["stateProvince"] == "Massachusetts"
    got = {k: f.value for k, f in extract_fields(["ELMTON, MASSACHUSITTS", "A. Bell 3"]).items()}
    assert "stateProvince" not in got  # a line in capitals: any word may be set so
    got = {k: f.value for k, f in extract_fields(["Iris VIRGINICA L.", "Elmton, wet meadow", "A. Bell 3"]).items()}
    assert "stateProvince" not in got  # an epithet set in capitals


def test_of_two_states_named_the_one_whose_county_is_read_is_the_state() -> None:
    # a printed form's state, then the state typed after it: the county tells which one the plant came from
    lines = ["FLORA OF TENNESSEE NORTH CAROLINA", "Cladonia alba Web.", "Co. Swain", "Loc. Elmton trail", "Coll. A. Bell"]
    got = {k: f.value for k, f in extract_fields(lines).items()}
    assert (got["stateProvince"], got["county"]) == ("North Carolina", "Swain")
    lines[2] = "Co. Qwertyz"  # a county of neither: dropped, the first state kept
    got = {k: f.value for k, f in extract_fields(lines).items()}
    assert (got["stateProvince"], got.get("county")) == ("Tennessee", None)


def test_the_county_word_cut_short_or_in_lower_case_before_one_of_the_states_counties() -> None:
    assert county(["FLORA OF MISSOURI", "on a ridge 4 mi. W. of Campbell, Dunklin C."]) == "Dunklin"
    assert county(["FLORA OF MISSOURI", "Swampy meadow, 7 miles S. of Owensville, basconade co"]) == "Gasconade"
    assert county(["FLORA OF MISSOURI", "Henry C. Smith's farm near Clinton"]) == ""  # a person's initial
    assert county(["FLORA OF ROSA", "along the creek, Dunklin C."]) == ""  # no gazetteer outside the US states


def test_the_county_word_wrapped_alone_without_its_dot() -> None:
    assert county(["FLORA OF MISSOURI", "along Otter Creek, sect. 28, T27 N, R.6 E, Waynt", "Co"]) == "Wayne"


def test_a_county_near_none_of_the_states_leaves_the_search_to_the_other_rules() -> None:
    # a maker's name read as a county ("… OPTICAL" / "CO"), then the county heading the place line
    lines = ["BAUSCH & LOMB", "OPTICAL", "CO", "ALASKA, U.S.A.", "Salix arctica Pall.",
             "NORTH SLOPE. Echooka River vicinity near Niviak Pass,", "11 August 1983", "D. A. Walker 83-235"]  # fmt: skip
    assert county(lines) == "North Slope"


def test_united_counties_in_a_forms_county_slot() -> None:
    assert county(["Plants of Ontario, Canada", "County: PRESCOTT & RUSSELL", "Baie des Atocas"]) == "Prescott & Russell"
    assert county(["PLANTS OF MAINE", "County: Oxford", "Elmvale"]) == "Oxford"


@pytest.mark.parametrize(
    ("line", "county", "locality"),
    [
        ("Elm Pond, 8t. Lowis Co.", "St. Louis", "Elm Pond"),  # handwriting's S read as 8, the name as Lewis's
        ("Elm Pond, 5te. Genevieve Co.", "Ste. Genevieve", "Elm Pond"),
        ("Elm Pond, 8t. Charles Co.", "St. Charles", "Elm Pond"),
    ],
)
def test_a_saint_whose_s_was_read_as_a_digit_is_the_saint(line: str, county: str, locality: str) -> None:
    fields = extract_fields(["FLORA OF MISSOURI", line, "No. 1623", "April 10, 1926"])
    assert fields["county"].value == county and fields["locality"].value == locality
    assert check_county("8t. Lawrence", "US-NY") == "St. Lawrence" and check_county("Route 28t", "US-MO") is None


@pytest.mark.parametrize(
    ("line", "county"),
    [
        ("State of OHIO Coesty: Hocking", "Hocking"),  # a form's "County:" caption misread before its colon
        ("State of OHIO Cousty: Hocking", "Hocking"),
        ("State of OHIO Colony: Elmwood", None),  # no county of the state after it
        ("State of OHIO Coast: Hocking", None),  # a word too far from "county"
        ("State of OHIO Country: Hocking", None),
    ],
)
def test_a_forms_misread_county_caption_takes_a_county_of_the_state_after_its_colon(line: str, county) -> None:
    fields = extract_fields(["Elmwood Flora Project", line, "Elmwood; Forest Park;"])
    assert (fields["county"].value if "county" in fields else None) == county
