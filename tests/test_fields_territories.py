"""Territories, their sovereigns and the regions labels write beside a country: a territory with its own ISO
3166-1 code named with the state it belongs to is the country, a region after the country belongs to its name,
former names, and the first-level divisions of small countries that head a place line. Made-up label lines."""

from __future__ import annotations

from herbproc.fields import extract_fields, places

TAXON = "Coccoloba uvifera (L.) L."


def read(*lines: str) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields([TAXON, *lines]).items()}


def test_a_territory_named_with_its_sovereign_is_the_country() -> None:
    fields = read("USA, Puerto Rico. Mun. Lares. 18°20'N", "Wet forest on limestone.")
    assert (fields["country"], fields["countryCode"], fields["stateProvince"]) == (
        "Puerto Rico",
        "PR",
        "Lares",
    )
    assert read("Guam, U.S.A.", "Along road to Talofofo Falls.")["country"] == "Guam"
    assert read("France, Guadeloupe, Basse-Terre", "Forest near the river.")["country"] == "Guadeloupe"
    assert read("France, Réunion. Cirque de Cilaos, near the road.")["country"] == "Réunion"
    assert read("Martinique (France): Morne Rouge, trail to the summit.")["country"] == "Martinique"
    assert read("U.K., Anguilla. Near The Valley, dry scrub.")["countryCode"] == "AI"
    assert read("USA, Northern Mariana Islands. Rota, limestone forest.")["countryCode"] == "MP"
    fields = read("Netherlands: Aruba", "Hooiberg, rocky slope near the road.")
    assert fields["country"] == "Aruba" and "stateProvince" not in fields  # not the Netherlands' NL-AW
    found = places.find_country("Puerto Rico, USA")
    assert found is not None and found.country_code == "PR" and (found.start, found.end) == (0, 16)


def test_the_sovereign_alone_stays_the_country() -> None:
    fields = read("U.S.A., Texas", "Near the river bridge.")
    assert (fields["country"], fields["stateProvince"]) == ("United States", "Texas")
    assert read("UK, Montserrat", "Near Plymouth, dry scrub.")["country"] == "Montserrat"
    assert places.find_country("uk, along the road") is None  # "uk" in lower case is no country


def test_a_sovereign_above_and_its_territory_below() -> None:
    fields = read("U.S.A.", "Puerto Rico: Mun. Cayey, Bo. Toita, near the river.")
    assert (fields["country"], fields["stateProvince"]) == ("Puerto Rico", "Cayey")
    assert read("PUERTO RICO", "U.S.A.", "Near Cayey, along the road.")["country"] == "Puerto Rico"
    fields = read("U.S.A.", "Texas: near the Puerto Rico Street bridge.")  # a sovereign's state: no territory
    assert fields["country"] == "United States"


def test_a_territory_is_no_division_of_itself() -> None:
    fields = read("GUAM", "Along road to Talofofo Falls.")
    assert fields["country"] == "Guam" and "stateProvince" not in fields


def test_a_territory_s_division_after_its_name_and_colon() -> None:
    fields = read("Danish West Indies: St. Thomas, near Charlotte Amalie.")
    assert (fields["countryCode"], fields["stateProvince"]) == ("VI", "St. Thomas")
    fields = read("D.W.I.", "St. Croix: near Christiansted, dry hillside.")
    assert (fields["country"], fields["stateProvince"]) == ("U.S. Virgin Islands", "St. Croix")


def test_the_locality_keeps_the_initials_of_a_country() -> None:
    fields = read("U.S.A. Virgin Islands: St. John, trail to the summit.")
    assert fields["country"] == "U.S. Virgin Islands"
    assert fields["locality"].startswith("U.S.A. Virgin Islands: St. John")


def test_a_region_after_the_country_is_part_of_its_name() -> None:
    for region in ("W. I.", "B.W.I.", "West Indies"):
        fields = read(f"Jamaica, {region}", "St. Ann: Moneague, roadside bank near the church.")
        assert (fields["country"], fields["stateProvince"]) == ("Jamaica", "Saint Ann")
        assert fields["locality"] == "St. Ann: Moneague, roadside bank near the church"
    fields = read("Montserrat, B.W.I.", "Near Plymouth, dry scrub.")
    assert fields["locality"] == "Near Plymouth, dry scrub"
    fields = read("WEST INDIES", "St. Ann: Moneague, roadside bank.")  # a region alone: no country
    assert "country" not in fields
    assert places.is_place_name("Netherlands Antilles") and places.is_place_name("B.W.I.")


def test_a_country_line_ends_a_locality_blank() -> None:
    fields = read("Locality Elm River Station, Elm Institute", "Jamaica W.I.", "Habitat Open woods")
    assert fields["locality"].startswith("Elm River Station, Elm Institute Jamaica W.I")


def test_former_names() -> None:
    assert read("British Honduras", "Cayo District: Pine Ridge, near the falls.")["country"] == "Belize"
    assert read("British Guiana", "Along the river near the landing.")["country"] == "Guyana"
    assert read("Dutch Guiana", "Along the road to the airfield.")["country"] == "Suriname"
    assert read("Guyane française: along the road near Saül.")["country"] == "French Guiana"
    assert read("Virgin Islands (British): Virgin Gorda, trail to the peak.")["countryCode"] == "VG"


def test_the_netherlands_antilles_name_no_country() -> None:
    fields = read("Netherlands Antilles", "Curaçao: Christoffelberg, slope near the road.")
    assert fields["country"] == "Curaçao" and "recordedBy" not in fields
    assert read("Curaçao, Neth. Antilles", "Along the road near the bay.")["country"] == "Curaçao"
    fields = read("PLANTS OF THE NETHERLANDS ANTILLES", "Along the road near the airport.")
    assert "country" not in fields
    fields = read("Netherlands Antilles", "Bonaire: Washington Park, dry scrub near the road.")
    assert fields["country"] == "Bonaire" and "stateProvince" not in fields  # "Washington Park": no state


def test_a_district_heading_the_place_line() -> None:
    fields = read("BELIZE", "Cayo: Mountain Pine Ridge, near the falls.")
    assert (fields["country"], fields["stateProvince"]) == ("Belize", "Cayo")
    assert read("BELIZE", "Cayo District: Mountain Pine Ridge, near the falls.")["stateProvince"] == "Cayo"
    assert read("SURINAME", "Brokopondo: along the road to the dam.")["stateProvince"] == "Brokopondo"
    fields = read("ST. LUCIA", "Castries: Morne Fortune, dry scrub near the road.")
    assert (fields["country"], fields["stateProvince"]) == ("Saint Lucia", "Castries")
    assert (
        read("ST. LUCIA", "Quarter of Castries: Morne Fortune, near the road.")["stateProvince"] == "Castries"
    )
    # where ISO lists islands too, a district is the island or a part of one: labels name the island
    assert "stateProvince" not in read("BAHAMAS", "Exuma: near George Town, coppice.")


def test_a_place_line_that_opens_with_its_country_before_coordinates() -> None:
    fields = read("USA, Puerto Rico. Mun. Lares. 18°20'N", "Wet forest on limestone.")
    assert fields["locality"] == "USA, Puerto Rico. Mun. Lares"
    fields = read("Puerto Rico. 18°16'N, 66°07'W", "Along the road near Cayey.")  # the country alone: not it
    assert fields["locality"] == "Along the road near Cayey"


def test_a_territory_s_initials_in_an_address_s_place() -> None:
    fields = read("Mayagüez, P.R.", "Along the road near the river.")
    assert (fields["country"], fields["stateProvince"]) == ("Puerto Rico", "Mayagüez")
    fields = read("St. Croix, V.I.", "Along the road near the river.")
    assert (fields["countryCode"], fields["stateProvince"]) == ("VI", "St. Croix")
    assert places.find_country("Det. V. I. Grubov") is None  # a person's initials
    assert places.find_country("Cayey, P. R., along the road") is None  # not ending the place


def test_a_parish_of_a_country_iso_divides_no_further() -> None:
    fields = read("BERMUDA", "Paget Parish: Sand Hills, rocky thicket near the road.")
    assert (fields["country"], fields["stateProvince"]) == ("Bermuda", "Paget") and "county" not in fields
    fields = read("JAMAICA", "St. Ann Parish: Moneague, along the road.")  # ISO lists Jamaica's parishes
    assert fields["stateProvince"] == "Saint Ann"


def test_d_w_i_is_danish_unless_a_dutch_island_is_named() -> None:
    assert read("D.W.I.", "St. Croix: near Christiansted, dry hillside.")["countryCode"] == "VI"
    assert read("D.W.I.", "Curaçao: Christoffelberg, along the trail.")["country"] == "Curaçao"


def test_a_territory_s_island_a_header_names_with_the_territory() -> None:
    fields = read("PLANTS OF VIEQUES ISLAND, PORTO RICO", "Along the road near the shore.")
    assert (fields["country"], fields["stateProvince"]) == ("Puerto Rico", "Vieques Island")
    assert read("Flora of St. Croix, D.W.I.", "Elmton yard.")["stateProvince"] == "St. Croix"
    assert "stateProvince" not in read("PLANTS OF PUERTO RICO", "Along the road near the shore.")


def test_a_parish_under_the_country_s_line_or_named_with_a_possessive() -> None:
    fields = read("JAMAICA", "Parish St. Thomas", "Along the road near Elmton.")
    assert (fields["country"], fields["stateProvince"]) == ("Jamaica", "Saint Thomas") and "county" not in fields
    fields = read("JAMAICA", "St. Ann's Parish, near Elmton.")
    assert fields["stateProvince"] == "Saint Ann" and "county" not in fields
