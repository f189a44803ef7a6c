"""States, provinces, countries and counties (herbproc.fields.places)."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, find_county, parse_state
from herbproc.fields.places import (
    CA_PROVINCES,
    US_STATES,
    country_code,
    find_country,
    find_cued_province,
    find_states,
    find_subdivision,
    near_state,
    subdivision_code,
)
from herbproc.fields.subdivisions import near_subdivision


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("Middlesex Co., Mass.", "Massachusetts", "US"),
        ("Hartford, Conn.", "Connecticut", "US"),
        ("Manchester, Vt.", "Vermont", "US"),
        ("Mt. Washington, N.H.", "New Hampshire", "US"),
        ("Mt. Washington, N. H.", "New Hampshire", "US"),
        ("Orono, Me.", "Maine", "US"),
        ("Providence, R.I.", "Rhode Island", "US"),
        ("Ithaca, N.Y.", "New York", "US"),
        ("Charleston, W. Va.", "West Virginia", "US"),
        ("PLANTS OF CONNECTICUT", "Connecticut", "US"),
        ("Flora of West Virginia", "West Virginia", "US"),
        ("McNairy County, Tennessee, U.S.A.", "Tennessee", "US"),
        ("Groton, CT 06340", "Connecticut", "US"),
        ("Boston, MA", "Massachusetts", "US"),
        ("Kansas City, Mo.", "Missouri", "US"),
        ("Ste-Foy, Qué.", "Quebec", "CA"),
        ("Halifax, N.S., Canada", "Nova Scotia", "CA"),
        ("Toronto, ON", "Ontario", "CA"),
        ("Vancouver, B.C.", "British Columbia", "CA"),
        ("Banff, Alta.", "Alberta", "CA"),
        ("Prince Edward Island", "Prince Edward Island", "CA"),
        ("Flora of Newfoundland", "Newfoundland and Labrador", "CA"),
    ],
)
def test_states_and_provinces(text: str, name: str, code: str) -> None:
    found = parse_state(text)
    assert found is not None, text
    assert (found.name, found.country_code) == (name, code)
    assert found.name in US_STATES or found.name in CA_PROVINCES


@pytest.mark.parametrize(
    "text",
    [
        "NEW LONDON CO: Groton.",  # CO here is "county", not Colorado
        "Washington Co.",  # a county named after a state
        "Delaware River near the falls",
        "Col. J. Smith",  # Col. = collector, not Colorado
        "Growing in woods ON the hill",  # postal codes only in address position
        "Near Boston. Collected on the shore.",
        "",
        "~|^}{",
    ],
)
def test_not_a_state(text: str) -> None:
    assert parse_state(text) is None


def test_every_state_full_name_is_found_and_every_postal_code_in_address_position() -> None:
    for table, country in ((US_STATES, "US"), (CA_PROVINCES, "CA")):
        for name, (code, _abbreviations) in table.items():
            assert parse_state(f"Plants of {name}").name == name
            assert parse_state(f"Springfield, {code}").name == name
            assert parse_state(f"Springfield, {code}").country_code == country


def test_old_abbreviations_are_case_sensitive() -> None:
    assert parse_state("Concord, Mass.") is not None
    assert parse_state("concord, mass. of rock") is None


@pytest.mark.parametrize(
    ("text", "state"),
    [("In sylvis Pennsylvaniae", "Pennsylvania"), ("IN MONTIBUS VIRGINIAE", "Virginia"),
     ("Floridae", "Florida"), ("Carex virginiae", None), ("New Carolinae", None), ("Massachusettse", None)],
)  # fmt: skip
def test_a_state_s_latin_genitive_on_old_labels(text: str, state: str | None) -> None:
    found = parse_state(text)
    assert (found.name if found else None) == state


def test_first_state_on_a_line_and_spans() -> None:
    text = "Essex Co., Mass., near the N.H. line"
    states = find_states(text)
    assert [s.name for s in states] == ["Massachusetts", "New Hampshire"]
    assert text[states[0].start : states[0].end] == "Mass."


@pytest.mark.parametrize(
    ("text", "county"),
    [
        ("Middlesex Co., Mass.", "Middlesex"),
        ("Middlesex Co Mass", "Middlesex"),
        ("Co. of Essex", "Essex"),
        ("Middlesex County", "Middlesex"),
        ("McNairy County, Tennessee, U.S.A.", "McNairy"),
        ("NEW LONDON CO: Groton.", "New London"),
        ("In Middlesex Co., Mass.", "Middlesex"),
        ("St. Tammany Parish, La.", "St. Tammany"),
        ("Prince George's Co., Md.", "Prince George's"),
        ("Plants of Connecticut", None),
        ("county road 12", None),
    ],
)
def test_counties(text: str, county: str | None) -> None:
    found = find_county(text)
    assert (found.name if found else None) == county


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("McNairy County, Tennessee, U.S.A.", "United States", "US"),
        ("United States of America", "United States", "US"),
        ("Halifax, N.S., Canada", "Canada", "CA"),
        ("Flora of México", "Mexico", "MX"),
        ("the usa river", None, None),  # lower-case "usa" is a word, not a country
        ("Lichens of Colorado, U.S.A", "United States", "US"),  # the last dot not printed, or not read
        ("Colorado, U.S.A 1956", "United States", "US"),
    ],
)
def test_countries(text: str, country: str | None, code: str | None) -> None:
    found = find_country(text)
    assert ((found.name, found.country_code) if found else (None, None)) == (country, code)


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("Kenya: Nairobi", "Kenya", "KE"),
        ("Flora of Madagascar", "Madagascar", "MG"),
        ("DOMINICAN REPUBLIC", "Dominican Republic", "DO"),
        ("Rep. Dominicana: Prov. Samaná", "Dominican Republic", "DO"),
        ("EXPLORATION OF PORTO RICO", "Puerto Rico", "PR"),  # an old form of the name
        ("PLANTS OF THE BAHAMA ISLANDS", "Bahamas", "BS"),
        ("Plants of Dominica", "Dominica", "DM"),  # not the Dominican Republic
        ("ST. LUCIA: near Soufrière", "Saint Lucia", "LC"),
        ("Plurinational State of Bolivia", "Bolivia", "BO"),
        ("Jordan Pond, Mt. Desert Island", None, None),  # a first name / pond, not the country
        ("Amman, Jordan", "Jordan", "JO"),  # in address position it is
        ("Trenton, New Jersey", None, None),  # the state's name holds no country
        ("ATLANTA, GEORGIA", None, None),
        ("ESPAÑA: Madrid", "Spain", "ES"),
        ("cultivated in Gran Cañada.", None, None),  # Spanish for a ravine, not Canada with its accent folded
        ("Cañada del Elmo, 1200 m", None, None),
    ],
)
def test_countries_of_the_world(text: str, country: str | None, code: str | None) -> None:
    found = find_country(text)
    assert ((found.name, found.country_code) if found else (None, None)) == (country, code)


@pytest.mark.parametrize(
    ("text", "country", "name", "cued"),
    [
        ("Prov. Samaná: Peninsula", "DO", "Samaná", True),
        ("Province of Puerto Plata", "DO", "Puerto Plata", True),
        ("Distrito Nacional, Santo Domingo", "DO", "Distrito Nacional", True),
        ("Parish of St. Andrew", "JM", "Saint Andrew", True),  # "St." for "Saint"
        ("Parish: St. Thomas", "JM", "Saint Thomas", True),
        ("Estado de Oaxaca: Sierra Juárez", "MX", "Oaxaca", True),
        ("near Castries", "LC", "Castries", False),
        ("near Castries", "DO", None, False),  # only the named country's subdivisions
    ],
)
def test_subdivisions_of_the_named_country(text: str, country: str, name: str | None, cued: bool) -> None:
    found = find_subdivision(text, country)
    assert (found.name if found else None) == name
    if found:
        assert found.cued is cued and found.code.startswith(country + "-")


def test_puerto_rico_is_a_country_not_a_us_state() -> None:
    assert parse_state("Mayagüez, Puerto Rico") is None
    assert find_country("Mayagüez, Puerto Rico").country_code == "PR"


def test_country_code_of_a_whole_value():
    assert [country_code(v) for v in ("PORTO RICO", "Rep. Dominicana", "BAHAMA ISLANDS", "ST. LUCIA", "U.S.A.",
                                      "U.S.A")] == ["PR", "DO", "BS", "LC", "US", "US"]  # fmt: skip
    # a region, an island, a country inside more text: no code
    assert country_code("WEST INDIES") == country_code("ST. THOMAS") == country_code("Bahamas: Abaco") == ""
    assert country_code("") == ""


@pytest.mark.parametrize(
    ("value", "code"),
    [("Congo, the Democratic Republic of the", "CD"), ("Congo, Democratic Republic of the", "CD"),
     ("Congo, Republic of the", "CG"), ("Korea, Republic of", "KR"), ("Korea, Democratic People's Republic of", "KP"),
     ("Tanzania, United Republic of", "TZ"), ("Taiwan, Province of China", "TW"), ("Bahamas, The", "BS"),
     ("Kingston, Jamaica", ""), ("Smith, John", ""), ("Paris, France", ""), ("a, b, c", "")],
)  # fmt: skip
def test_country_code_of_a_databases_name_turned_round_at_a_comma(value: str, code: str) -> None:
    # a collection database's or ISO's sorting form (a record's or a gold's country), not a place and its country
    assert country_code(value) == code


def test_subdivision_code_of_a_whole_value():
    assert subdivision_code("Prov. Samaná", ("DO",)) == "DO-20"
    assert subdivision_code("St. George", ("DM",)) == subdivision_code("Saint George", ("DM",)) == "DM-04"
    assert subdivision_code("Mass.") == subdivision_code("Massachusetts", ("US",)) == "US-MA"
    assert subdivision_code("Quebec") == "CA-QC"
    assert subdivision_code("Middlesex Co., Mass.") == ""  # more than a state
    assert subdivision_code("San Juan", ("PR",)) == ""  # Puerto Rico has no ISO 3166-2 subdivisions
    assert subdivision_code("Samaná") == ""  # no country: only the US / Canada table


def test_near_state_one_letter_off_long_names_only():
    assert near_state("MASSACHIUSETTS").name == "Massachusetts"
    assert near_state("MASSACHUSITTS.").name == "Massachusetts"
    assert near_state("Tennesse").name == "Tennessee"
    assert near_state("Minsesets") is None  # more than one letter
    assert near_state("Ohia") is None and near_state("Maime") is None  # short names: never
    assert near_state("Massachusetts Bay area") is None


@pytest.mark.parametrize("header", ["MISSOUR!", "MISSOUR1", "MISSOUR|"])
def test_near_state_with_its_capital_i_read_as_a_mark(header: str) -> None:
    assert near_state(header).name == "Missouri"
    assert extract_fields([f"FLORA OF {header}", "Athyrium pycnocarpon Spreng."])["stateProvince"].value == "Missouri"


def test_near_state_with_the_readers_confusions_when_one_state_is_clearly_nearest():
    assert near_state("MISSOVRL").name == "Missouri"  # two letters misread as the reader misreads them
    assert near_state("OKLAHQMA").name == "Oklahoma"
    assert near_state("SASKATCHEVVAN").name == "Saskatchewan"
    assert near_state("KENTVCKV") is None  # three of eight letters: too far
    assert near_state("ONTAR1O").name == "Ontario"  # its I read as a 1
    assert near_state("0NTAR1O") is None  # letters only, but for the marks an I is read as
    assert near_state("CAROLINA") is None  # North and South Carolina are equally near


def test_find_cued_province():
    assert (
        find_cued_province("Vicinity of San Francisco de Macorís, Provincia Pacificador;")[0] == "Pacificador"
    )
    assert find_cued_province("PROV. PACIFICADOR: near the river")[0] == "Pacificador"
    assert find_cued_province("Prov. de Santiago, cerca")[0] == "Santiago"
    assert find_cued_province("Pacificador Province, 3 km N")[0] == "Pacificador"
    assert find_cued_province("Herbarium, Department of Biology") is None
    assert find_cued_province("the province of the north") is None


def test_a_header_with_its_word_misread_names_its_state_only_when_the_place_is_one():
    from herbproc.fields import extract_fields

    def state(lines: list[str]) -> str:
        fields = extract_fields(lines)
        return fields["stateProvince"].value if "stateProvince" in fields else ""

    assert state(["PIANTS OF OHIO", "Wet woods along the river"]) == "Ohio"
    assert state(["FIORA OP MISSOVRL", "Wet woods along the river"]) == "Missouri"
    assert state(["PLANES OF OHIO RIVER", "Wet woods"]) == ""  # the place is more than a state
    assert state(["PIANTS OF KENTVCKV"]) == ""  # no state near enough


@pytest.mark.parametrize(
    ("name", "code"),
    [("TANGANYIKA TERRITORY", "TZ"), ("Belgian Congo", "CD"), ("Gold Coast", "GH"), ("Southern Rhodesia", "ZW"),
     ("Northern Rhodesia", "ZM"), ("Dutch East Indies", "ID"), ("Nyasaland", "MW"), ("Surinam", "SR")],
)  # fmt: skip
def test_former_country_names_give_todays_country(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize("name", ["Yugoslavia", "U.S.S.R.", "Czechoslovakia", "Indo-China", "New Guinea"])
def test_former_states_that_split_give_no_country(name: str) -> None:
    assert country_code(name) == ""



@pytest.mark.parametrize("header", ["PLANTS OF MEXICO", "Flora of Mexico", "PLANTS OF MEXICO."])
def test_a_country_spelt_right_in_a_header_is_no_state_misread(header: str) -> None:
    from herbproc.fields import extract_fields

    fields = extract_fields([header, "STATE OF JALISCO", "Dry hills near Carrow"])
    assert fields["country"].value == "Mexico"
    assert fields["stateProvince"].value == "Jalisco"  # not New Mexico
    assert near_state("MEXICO") is None and near_state("NEW MEXlCO").name == "New Mexico"


def test_a_state_joined_by_a_hyphen_to_the_word_before_is_a_compound_name() -> None:
    assert find_states("ELMTON-TENNESSEE COOPERATIVE COLLECTIONS") == []
    assert [s.name for s in find_states("Texas-Mexico border, near Rosaville")] == ["Texas"]


@pytest.mark.parametrize(
    ("text", "code", "name"),
    [("prov. San Juam", "DO", "San Juan"), ("Prov. Santiag0, Cordillera Central", "DO", "Santiago"),
     ("Parish of St Andrw", "JM", "Saint Andrew"), ("Prov. Samana Bay", "DO", "Samaná"),
     ("Parish: WESTMRELAND", "JM", "Westmoreland")],  # a form's caption and its colon
)  # fmt: skip
def test_a_division_misread_after_its_word_is_the_one_it_is_nearest(text: str, code: str, name: str) -> None:
    found = near_subdivision(text, code)
    assert found is not None and found.name == name and found.cued


@pytest.mark.parametrize(
    ("text", "code"),
    [("Prov. Pacificador", "DO"),  # a historical province no listed one is near
     ("prov. Azia", "DO"),  # too short to tell from a misreading of another (Azua)
     ("Dept. of Biology", "US"),  # an institution's department
     ("San Juam", "DO"),  # no division's word before it
     ("prov. San Juam", "")],  # no country
)  # fmt: skip
def test_no_misread_division_without_its_word_or_near_one(text: str, code: str) -> None:
    assert near_subdivision(text, code) is None


@pytest.mark.parametrize("parish", ["Parish: WESTMORELAND", "Parish: WESTMRELAND", "Parish of Westmreland"])
def test_a_parish_misread_under_its_caption_is_the_province_and_no_county(parish: str) -> None:
    got = extract_fields(["INSTITUTE OF JAMAICA", "FLORA OF JAMAICA", parish, "Locality:", "Clarks Wood district"])
    assert got["stateProvince"].value == "Westmoreland" and "county" not in got


def test_the_label_gives_a_misread_province_its_listed_name() -> None:
    lines = ["DOMINICAN REPUBLIC", "prov. San Juam", "Buchnera elongata Sw.", "Coll. R. A. Howard 9350"]
    found = extract_fields(lines)["stateProvince"]
    read_right = extract_fields(["DOMINICAN REPUBLIC", "prov. San Juan"])["stateProvince"]
    assert found.value == "San Juan" and found.confidence < read_right.confidence
