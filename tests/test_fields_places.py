"""States, provinces, countries and counties (herbproc.fields.places)."""

from __future__ import annotations

import pytest

from herbproc.fields import find_county, parse_state
from herbproc.fields.places import CA_PROVINCES, US_STATES, find_country, find_states, find_subdivision


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
