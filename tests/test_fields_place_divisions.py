"""How labels name a country's first-level division outside the US and Canada: "Parish of …" lines, the
abbreviated division words of Spanish, French and Portuguese labels, "Mun." / "Mpio.", Latin headers, and the
islands a "Plants of …" header names for their country. Made-up label lines (the divisions are ISO 3166-2's)."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, places

NAME = "Psychotria nervosa Sw."


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_a_parish_of_line_is_its_own_place_line_not_the_end_of_the_header() -> None:
    got = read(["PLANTS OF JAMAICA", NAME, "Parish of St. Ann: Elmton, roadside bank", "K. Mwangi 4411"])
    assert (got["country"], got["stateProvince"]) == ("Jamaica", "Saint Ann")
    assert "county" not in got
    assert got["locality"] == "Elmton, roadside bank"
    dominica = read(["DOMINICA", NAME, "Parish of St. Paul: Elmton", "K. Mwangi 4411"])
    assert (dominica["stateProvince"], dominica.get("county")) == ("Saint Paul", None)


def test_a_parish_of_line_in_louisiana_is_the_county() -> None:
    got = read(["LOUISIANA", NAME, "Parish of St. Tammany: near Elmton", "K. Mwangi 4411"])
    assert (got["stateProvince"], got["county"], got["locality"]) == ("Louisiana", "St. Tammany", "near Elmton")
    county = places.find_county("Parish of Orleans: City Park")
    assert county is not None and (county.name, county.start) == ("Orleans", 0)


def test_abbreviated_division_words_cue_the_division() -> None:
    cases = [
        (["GUATEMALA", NAME, "Depto. Huehuetenango: near Elmton"], "Huehuetenango"),
        (["NICARAGUA", NAME, "Dpto. Matagalpa: Elmton ridge"], "Matagalpa"),
        (["HAITI", NAME, "Dépt. du Nord: near Elmton"], "Nord"),
        (["HAITI", NAME, "Dépt. de l'Ouest: Elmton, 1500 m"], "Ouest"),
        (["VENEZUELA", NAME, "Edo. Mérida: Páramo de Elmton"], "Mérida"),
        (["BRASIL", NAME, "Est. Minas Gerais: Elmton"], "Minas Gerais"),
    ]
    for lines, division in cases:
        assert read(lines).get("stateProvince") == division, lines
    assert places.subdivision_code("Edo. Mérida", ("VE",)) == "VE-L"


def test_a_division_line_keeps_its_locality_though_it_reads_like_a_name() -> None:
    got = read(["VENEZUELA", NAME, "Edo. Mérida: Páramo de Elmton", "K. Mwangi 4411"])
    assert got["locality"] == "Edo. Mérida: Páramo de Elmton"
    cuba = read(["CUBA", NAME, "Prov. Oriente: Sierra Elmton, Pico Ridge", "K. Mwangi 4411"])
    assert (cuba["stateProvince"], cuba["locality"]) == ("Oriente", "Prov. Oriente: Sierra Elmton, Pico Ridge")


def test_mun_and_mpio_abbreviate_municipio() -> None:
    got = read([NAME, "Puerto Rico: Mun. Utuado, Bo. Elmton", "K. Mwangi 4411"])
    assert (got["country"], got["stateProvince"]) == ("Puerto Rico", "Utuado")
    assert read(["PUERTO RICO", NAME, "Mpio. Adjuntas: Bo. Elmton"])["stateProvince"] == "Adjuntas"
    mexico = read(["MEXICO", NAME, "Mpio. Tlaquiltenango: cerro al sur del pueblo"])
    assert "stateProvince" not in mexico  # a second level there


def test_latin_headers_of_caribbean_countries() -> None:
    assert read(["PLANTAE HAITIENSES", NAME, "Dépt. de l'Ouest: Elmton"])["country"] == "Haiti"
    assert read(["PLANTAE BAHAMENSES", NAME, "Elmton, coppice"])["country"] == "Bahamas"


def test_an_island_a_header_names_gives_its_country_only_in_the_header() -> None:
    got = read(["Plants of Trinidad", NAME, "Elmton valley, along the stream"])
    assert got["country"] == "Trinidad and Tobago" and "stateProvince" not in got
    tobago = read(["Flora of Tobago", NAME, "Elmton ridge, in forest"])
    assert (tobago["country"], tobago["stateProvince"]) == ("Trinidad and Tobago", "Tobago")
    assert read(["CUBA", NAME, "Trinidad: hills above the town"])["country"] == "Cuba"  # a Cuban town
    assert "country" not in read([NAME, "Trinidad: hills above the town"])


def test_a_division_inside_the_countrys_own_name_is_none() -> None:
    got = read(["Plants of Trinidad and Tobago", NAME, "Elmton valley, along the stream"])
    assert got["country"] == "Trinidad and Tobago" and "stateProvince" not in got


def test_a_division_heading_a_place_line_before_its_colon() -> None:
    got = read(["FLORA OF JAMAICA", NAME, "St. Andrew: Elmton Gardens", "K. Mwangi 4411"])
    assert (got["stateProvince"], got["locality"]) == ("Saint Andrew", "St. Andrew: Elmton Gardens")
    assert read(["DOMINICAN REPUBLIC", NAME, "La Vega: Elmton, pine forest"])["stateProvince"] == "La Vega"
    assert read(["GUATEMALA", NAME, "Jamaica: Alta Verapaz: Elmton"]).get("stateProvince") is None
    assert read(["JAMAICA", NAME, "Jamaica: St. Ann: Elmton"])["stateProvince"] == "Saint Ann"  # after the country
    cuba = read(["PLANTAE CUBENSES", NAME, "Pinar del Río: Sierra de Elmton"])
    assert (cuba["country"], cuba["stateProvince"]) == ("Cuba", "Pinar del Río")


def test_no_division_where_the_head_is_none_or_no_country_is_named() -> None:
    assert "stateProvince" not in read(["JAMAICA", NAME, "Elmton Gardens: in the lawn"])
    assert "stateProvince" not in read([NAME, "St. Andrew: Elmton Gardens"])  # Jamaica? Grenada? Dominica?
    assert "stateProvince" not in read(["JAMAICA", NAME, "Near St. Andrew: Elmton Gardens"])  # not whole


def test_an_island_or_an_island_district_heading_a_line_is_left_to_the_island() -> None:
    for island in ("New Providence", "North Andros", "Andros", "Eleuthera"):
        assert "stateProvince" not in read(["PLANTS OF BAHAMA ISLANDS", NAME, f"{island}: near Elmton"]), island


def test_former_divisions_count_as_the_countrys() -> None:
    for province in ("Las Villas", "Oriente", "Santa Clara", "Habana", "Isla de Pinos"):
        got = read(["CUBA", NAME, f"{province}: Sierra de Elmton", "K. Mwangi 4411"])
        assert got["stateProvince"] == province
        assert got["locality"] == f"{province}: Sierra de Elmton"
    assert read(["CUBA", NAME, "ORIENTE: SIERRA DE ELMTON"])["stateProvince"] == "Oriente"
    assert "stateProvince" not in read(["MEXICO", NAME, "Oriente: Sierra de Elmton"])  # Cuba's, not Mexico's
    assert read(["CUBA", NAME, "Prov. Oriente: Sierra de Elmton"])["stateProvince"] == "Oriente"  # with its word


def test_pcia_and_dep_abbreviate_provincia_and_departement() -> None:
    assert read(["ARGENTINA", NAME, "Pcia. Jujuy: Dpto. Elmton, quebrada"])["stateProvince"] == "Jujuy"
    assert read(["FRANCE", NAME, "Dép. de l'Hérault: Elmton"])["stateProvince"] == "Hérault"


def test_a_division_named_as_its_country_counts_only_with_its_word() -> None:
    assert read(["MEXICO", NAME, "Edo. de México: Mpio. Elmton"])["stateProvince"] == "México"
    assert read(["PANAMA", NAME, "Prov. de Panamá: Cerro Elmton"])["stateProvince"] == "Panamá"
    assert "stateProvince" not in read(["MEXICO", NAME, "MEXICO: Elmton, roadside"])
    assert "stateProvince" not in read(["PANAMA", NAME, "Panamá: Cerro Elmton"])
    assert "stateProvince" not in read(["PLANTS OF ENGLAND", NAME, "Elmton Common, heath"])


def test_portuguese_and_italian_links_and_older_division_words() -> None:
    assert read(["BRASIL", NAME, "Estado do Paraná: Elmton, campo"])["stateProvince"] == "Paraná"
    assert read(["ITALIA", NAME, "Prov. di Trento: Val di Elmton"])["stateProvince"] == "Trento"
    assert read(["MEXICO", NAME, "Territorio de Quintana Roo: Elmton"])["stateProvince"] == "Quintana Roo"
    assert read(["COLOMBIA", NAME, "Intendencia del Meta: Elmton"])["stateProvince"] == "Meta"


def test_a_short_division_name_counts_only_right_after_its_word() -> None:
    assert read(["Plants of Haiti", NAME, "Massif de Elmton, Dépt. du Sud"])["stateProvince"] == "Sud"
    assert "stateProvince" not in read(["FRANCE", NAME, "Var: Elmton"])


def test_a_country_heading_its_line_before_the_parish_stays_the_country() -> None:
    got = read([NAME, "JAMAICA: Parish of St. Ann, Elmton"])
    assert (got["country"], got["stateProvince"], got["locality"]) == ("Jamaica", "Saint Ann", "Elmton")
    assert "county" not in got
    assert "country" not in read([NAME, "Norway, Oxford Co."])  # a town before its county


def test_a_former_division_after_its_word() -> None:
    assert read(["NICARAGUA", NAME, "Dept. Zelaya: Elmton, roadside"])["stateProvince"] == "Zelaya"
    assert read(["CUBA", NAME, "Provincia de Oriente: Sierra de Elmton"])["stateProvince"] == "Oriente"


def test_a_division_named_by_a_common_word_needs_its_word() -> None:
    assert "stateProvince" not in read(["GHANA", NAME, "Central: 3 km N of Elmton, forest"])
    assert read(["GHANA", NAME, "Central Region: 3 km N of Elmton"])["stateProvince"] == "Central"


@pytest.mark.parametrize(("line", "province"), [("Transvaal: near Elmsdorp", "Transvaal"), ("Natal: coast dunes", "Natal"),
                                                ("Orange Free State: Vaal banks", "Orange Free State")])  # fmt: skip
def test_south_africas_provinces_before_1994_count(line: str, province: str) -> None:
    got = extract_fields(["Psidium guajava L.", "UNION OF SOUTH AFRICA", line])
    assert (got["country"].value, got["stateProvince"].value) == ("South Africa", province)


def test_a_cued_division_without_a_country_is_the_state_province() -> None:
    got = read(["Plantae Insulares", "Prov. Barahona: Loma Elmira, 1200 m s.n.m.", "K. Mwangi 4411"])
    assert got["stateProvince"] == "Barahona" and "country" not in got
    bolivia = read(["Coll. K. Mwangi 22", "Hab. Dept. Santa Cruz, Prov. Elmira, Rosaville, 400 m"])
    assert bolivia["stateProvince"] == "Santa Cruz" and "country" not in bolivia  # the first named, the broader
    argentina = read(["Coll. K. Mwangi 22", "Prov. Salta, Dpto. Elmira: Rosaville"])
    assert argentina["stateProvince"] == "Salta"
    assert read(["Estado de Jalisco: 5 km N of Rosaville", "K. Mwangi 4411"])["stateProvince"] == "Jalisco"


def test_a_cued_division_with_its_word_after_it_or_in_an_older_spelling() -> None:
    got = read(["Coll. K. Mwangi 22", "Kwangtung Prov., Elmton Shan, in forest"])
    assert (got["stateProvince"], got["countryCode"]) == ("Guangdong", "CN") and "country" not in got
    assert read(["Coll. K. Mwangi 22", "Prov. Szechwan: Elmton, 1500 m"])["stateProvince"] == "Sichuan"
    assert read(["Coll. K. Mwangi 22", "Rosaville, Goyaz State"])["stateProvince"] == "Goiás"
    assert "stateProvince" not in read(["Coll. K. Mwangi 22", "Elmton Province: Rosaville"])


def test_a_kind_word_before_a_name_no_division_of_that_kind_has_is_no_state_province() -> None:
    assert "stateProvince" not in read(["Dept. of Botany, Elm College", "K. Mwangi 4411"])
    assert "stateProvince" not in read(["Prov. Elmira: Rosaville", "K. Mwangi 4411"])


def test_an_island_of_one_country_on_its_own_place_line_names_the_country() -> None:
    got = read([NAME, "Grand Cayman", "Elmton road, in coppice", "A. Bell 12"])
    assert (got["country"], got["countryCode"]) == ("Cayman Islands", "KY")
    caicos = read(["PLANTS OF THE WEST INDIES", NAME, "Caicos Island: Rosaville, on coppice hills", "A. Bell 3"])
    assert caicos["country"] == "Turks and Caicos Islands"
    assert read([NAME, "GRAND CAYMAN, B.W.I.", "A. Bell 4"])["country"] == "Cayman Islands"


def test_an_island_inside_a_sentence_or_beside_another_country_is_not_the_country() -> None:
    assert "country" not in read([NAME, "Along the road to Grand Cayman harbour", "A. Bell 12"])
    assert read(["PLANTS OF CUBA", NAME, "Grand Cayman", "A. Bell 12"])["country"] == "Cuba"
    assert "country" not in read(["PLANTS OF FLORIDA", NAME, "Grand Cayman", "A. Bell 12"])


def test_a_division_after_the_country_stays_over_a_province_named_below_it() -> None:
    got = read(["JAPAN. Hokkaido. Prov. Elmton: Mt. Rosa, on exposed rocks", "A. Bell 3"])
    assert (got["country"], got["stateProvince"]) == ("Japan", "Hokkaido")
    # named from the smallest up: the province word's province is the broader
    assert read(["ROSAVILLE, RIVAS, PROVINCE OF LEON, NICARAGUA", "A. Bell 3"])["stateProvince"] == "Leon"


def test_a_header_naming_a_former_division_of_one_country_gives_the_division() -> None:
    got = {k: f.value for k, f in extract_fields(
        ["PLANTS OF THE ISLE OF PINES", "Capraria biflora L.", "Nueva Rosa", "Collected by A. H. Bell", "MARCH,1904"]
    ).items()}  # fmt: skip
    assert got["stateProvince"] == "Isle of Pines" and "country" not in got  # the country is not on the label
    assert "stateProvince" not in {k for k in extract_fields(["PLANTS OF THE ISLE OF ELMS", "A. H. Bell 3"])}


def test_an_island_of_the_country_alone_on_its_place_line_is_the_state_province() -> None:
    got = read(["FLORA OF THE CAYMAN ISLANDS", "Grand Cayman", NAME, "Elmton road, in coppice", "A. Bell 12"])
    assert (got["country"], got["stateProvince"]) == ("Cayman Islands", "Grand Cayman")
    assert read([NAME, "GRAND CAYMAN ISLAND, B.W.I.", "A. Bell 4"])["stateProvince"] == "Grand Cayman Island"
    # heading a place line before its colon, the island is the place's first word, not the division
    caicos = read(["PLANTS OF THE WEST INDIES", NAME, "Caicos Island: Rosaville, on coppice hills", "A. Bell 3"])
    assert "stateProvince" not in caicos
    assert "stateProvince" not in read(["PLANTS OF CUBA", NAME, "Grand Cayman", "A. Bell 12"])  # another country's


def test_a_territory_s_island_a_header_names_is_the_state_province() -> None:
    got = read(["Flora of St. Croix, D. W. Indies.", "Collected by A. Bell.", NAME, "No. 301 Elmton yard."])
    assert (got["stateProvince"], got["countryCode"]) == ("St. Croix", "VI") and "country" not in got
    assert "stateProvince" not in read(["FLORA OF GUAM", NAME, "A. Bell 3"])  # the territory itself
    assert read(["PLANTS OF VIEQUES, W. I.", NAME, "A. Bell 3"])["stateProvince"] == "Vieques"
    assert "stateProvince" not in read(["Flora of Carolina", NAME, "A. Bell 3"])  # no region: another place


def test_an_island_a_header_names_with_its_country_is_the_state_province() -> None:
    got = read(["PLANTS OF ELEUTHERA, BAHAMAS", NAME, "Rosaville, in coppice", "A. Bell 3"])
    assert (got["country"], got["stateProvince"]) == ("Bahamas", "Eleuthera")
    assert read(["Plants of Grand Cayman, B.W.I.", NAME, "A. Bell 3"])["stateProvince"] == "Grand Cayman"
    assert "stateProvince" not in read(["PLANTS OF GRAND CAYMAN, JAMAICA", NAME, "A. Bell 3"])


def test_an_island_iso_lists_in_parts_or_as_a_district_alone_on_its_line() -> None:
    got = read(["FLORA OF THE BAHAMAS", "ANDROS", NAME, "Rosaville, in pineyard", "A. Bell 3"])
    assert got["stateProvince"] == "Andros"  # ISO lists North, South and Central Andros
    assert read(["FLORA OF THE BAHAMAS", "Long Island", NAME, "A. Bell 3"])["stateProvince"] == "Long Island"
    got = read(["BAHAMA ISLANDS", "ISLAND OF NEW PROVIDENCE", NAME, "A. Bell 3"])
    assert got["stateProvince"] == "Island of New Providence"
    assert "stateProvince" not in read(["FLORA OF GREECE", "ANDROS", NAME, "A. Bell 3"])  # another country's
    assert "stateProvince" not in read(["FLORA OF THE BAHAMAS", "Elmton Island", NAME, "A. Bell 3"])


def test_a_former_division_on_the_country_s_line() -> None:
    assert read(["ORIENTE, CUBA", "Rosaville, in thickets", NAME, "A. Bell 3"])["stateProvince"] == "Oriente"
    assert read(["Cuba. Las Villas. Elmton Mts.", NAME, "A. Bell 3"])["stateProvince"] == "Las Villas"
    assert "stateProvince" not in read(["Natal, Brazil", NAME, "A. Bell 3"])  # South Africa's, not Brazil's


def test_an_island_a_town_elsewhere_names_its_country_with_the_west_indies() -> None:
    assert read(["ANTIGUA, B.W.I.", NAME, "A. Bell 3"])["country"] == "Antigua and Barbuda"
    assert read(["Plants of Antigua", NAME, "A. Bell 3"])["country"] == "Antigua and Barbuda"
    assert "country" not in read(["Antigua", NAME, "A. Bell 3"])  # Antigua Guatemala too
    assert read(["NEVIS", NAME, "A. Bell 3"])["stateProvince"] == "Nevis"


def test_saint_islands_written_out_or_without_the_stop() -> None:
    assert places.find_country("Saint Vincent, near Elmton").name == "Saint Vincent and the Grenadines"
    assert places.find_country("St Kitts").name == "Saint Kitts and Nevis"


def test_a_former_division_a_place_line_lists_on_a_label_naming_no_country() -> None:
    got = read(["Grown at Elmton, from a plant from", "Rosa Falls. Sierra Elmira, Oriente.", NAME, "A. Bell 3"])
    assert (got["stateProvince"], got["countryCode"]) == ("Oriente", "CU") and "country" not in got
    assert "stateProvince" not in read(["Elmton, Habana", NAME, "A. Bell 3"])  # a city's name too: the town


def test_a_former_division_a_place_line_lists_on_a_label_naming_its_country_elsewhere() -> None:
    got = read(["EXPLORATION OF CUBA", "SIERRA ELMIRA, NEAR ROSAVILLE, ORIENTE", NAME, "A. BELL, COLLECTOR"])
    assert (got["country"], got["stateProvince"]) == ("Cuba", "Oriente")
    assert "stateProvince" not in read(["EXPLORATION OF CUBA", "Elmton, Habana", NAME, "A. Bell 3"])  # a town
    assert "stateProvince" not in read(["FLORA OF MEXICO", "Sierra Elmira, Oriente", NAME, "A. Bell 3"])


@pytest.mark.parametrize(
    ("line", "country"),
    [
        ("BARBADOES", "Barbados"),  # the old spelling
        ("Bermudas: Elmton Parish", "Bermuda"),
        ("Dominican Rep.: Prov. Elmira", "Dominican Republic"),
        ("TRINIDAD & TOBAGO", "Trinidad and Tobago"),
        ("Cayman Is., B.W.I.", "Cayman Islands"),
        ("Turks Island, B.W.I.", "Turks and Caicos Islands"),  # the islands named in the singular
    ],
)
def test_older_and_shortened_west_indian_country_names(line: str, country: str) -> None:
    found = places.find_country(line)
    assert found is not None and found.name == country


def test_an_island_named_after_island_of_names_its_country() -> None:
    got = read(["ISLAND OF GRAND CAYMAN", NAME, "Elmton road, coppice", "A. Bell 3"])
    assert (got["country"], got["stateProvince"]) == ("Cayman Islands", "Island of Grand Cayman")
    assert read(["PLANTS OF THE ISLAND OF NEW PROVIDENCE", NAME, "A. Bell 3"])["country"] == "Bahamas"
    assert "country" not in read(["Island of Elmton", NAME, "A. Bell 3"])


def test_more_islands_a_header_names_and_the_west_indies_after_them() -> None:
    assert read(["PLANTS OF ST. CROIX", NAME, "Elmton, near the shore"])["country"] == "U.S. Virgin Islands"
    assert read(["Plants of Saint Croix, D.W.I.", NAME, "Elmton, near the shore"])["country"] == "U.S. Virgin Islands"
    assert read(["FLORA OF VIEQUES ISLAND", NAME, "Elmton, dry scrub"])["country"] == "Puerto Rico"
    assert read(["Flora of Marie Galante", NAME, "Elmton, bord de la route"])["country"] == "Guadeloupe"
    assert "country" not in read(["PLANTS OF ST. CROIX COUNTY", NAME, "Elmton, near the river"])


@pytest.mark.parametrize(
    "first, second, state",
    [
        ("República Dominicana: Distrito", "Nacional: city of Elmton;", "Distrito Nacional"),
        ("Republica Dominicana: Prov. San Pedro de", "Macoris: center of Elmton;", "San Pedro de Macorís"),
    ],
)
def test_a_division_wrapped_over_two_lines(first: str, second: str, state: str) -> None:
    fields = extract_fields(["Quercus alba L.", first, second, "A. Bell 1234", "May 3, 1980"])
    assert fields["stateProvince"].value == state


@pytest.mark.parametrize(
    ("header", "line", "state"),
    [
        ("MOSSES OF ECUADOR", "PROV, IMBABURA: E. side of Cerro Elmo", "Imbabura"),  # the stop read as a comma
        ("PLANTAS DEL PERU", "Depto, Cusco: 3 km N of Elmira", "Cusco"),
        ("FLORA ARGENTINA", "Prov, de Salta: Elm Creek", "Salta"),
    ],
)
def test_a_division_words_stop_read_as_a_comma_still_cues_the_division(header: str, line: str, state: str) -> None:
    fields = extract_fields([header, "Carex elmensis Bell", line, "A. Bell 1234", "21 November 1978"])
    assert fields["stateProvince"].value == state


@pytest.mark.parametrize(
    ("line", "division", "country"),
    [
        ("PROVINCE OF HAVANA", "Havana", "CU"),  # a province before 1976, and a city's name
        ("Santa Clara Province", "Santa Clara", "CU"),
        ("Natal Province", "Natal", "ZA"),
    ],
)
def test_a_former_division_with_its_word_gives_its_country_on_a_label_that_names_none(
    line: str, division: str, country: str
) -> None:
    got = read(["THE NEW YORK BOTANICAL GARDEN", line, "Wet coastal savanna", "J. Smith 13350"])
    assert (got.get("stateProvince"), got.get("countryCode")) == (division, country)


def test_a_former_division_named_as_a_city_stays_no_division_without_its_word() -> None:
    got = read(["THE NEW YORK BOTANICAL GARDEN", "HAVANA", "Wet coastal savanna", "J. Smith 13350"])
    assert "stateProvince" not in got and "countryCode" not in got


@pytest.mark.parametrize(
    ("header", "country"),
    [
        ("EXPLORATION OF LAMAICA", "JM"),  # a letter of the header's country misread
        ("PLANTS OF HAITE", "HT"),
        ("EXPLORATION OF PORTO NIOO", "PR"),  # two letters in a name of eight or more
        ("EXPLORATION OP THE BAUAMAS", "BS"),  # the header's "OF" misread too
        ("PLANTS OF NEW PROVTDENCE ISLAND, BARAMAS", "BS"),  # the country after the island
        ("PLANTS OP NEW PROVTDENCE ISLAND, BARAMAS", "BS"),  # and "OF" misread
        ("PIANTS OF ANDROS ISLAND, BAUAMAS", "BS"),  # or the header's word
        ("Plasits of Poerto Bico", "PR"),  # in title case too
        ("Flats of Poerto Bico", None),  # a word of the place's, not the header's
        ("Plamts of pine woods", None),
        ("EXPGIRATION OF CURA", None),  # a name of four letters: one letter makes another word
        ("HEPATICAE OF THE NEARCTIC", None),  # no country within a letter or two
        ("PLANTS OF NEW ENGLAND", None),
    ],
)
def test_a_headers_country_misread_by_a_letter_or_two_is_the_country(header: str, country: str | None) -> None:
    got = read(["THE NEW YORK BOTANICAL GARDEN", header, "Wet coastal savanna", "J. Smith 2113"])
    assert got.get("countryCode") == country


def test_a_word_a_letter_from_a_country_outside_a_header_is_no_country() -> None:
    got = read(["THE NEW YORK BOTANICAL GARDEN", "Road to Lamaica, wet savanna", "J. Smith 2113"])
    assert "countryCode" not in got


@pytest.mark.parametrize("place", ["VIRGINIA", "VIRGINLA", "NEW ENGLAND", "CURA"])
def test_a_state_or_a_short_word_is_no_misread_country(place: str) -> None:
    assert places.near_country(place) is None  # "VIRGINIA" is two letters from "Virgin Is"


@pytest.mark.parametrize(
    ("line", "country"),
    [
        ("Rep. Dominfcana: Prov. La Vega: near Jarabacoa", "Dominican Republic"),  # a letter misread
        ("Republica Dominlcana: Prov. Samaná: Las Terrenas", "Dominican Republic"),  # one word a word of its own
        ("Lamaica: St. Andrew: Blue Mountains", "Jamaica"),
        ("Islands: 52°55'N: 172°28'E", None),  # a word of its own, not a misread country (Iceland)
        ("Portland: Blue Mountains: ridge", None),  # two letters from Poland: a parish, not a country
        ("Jamalca, Portland: Blue Mountains: ridge", None),  # the first part one place only
        ("Lamaica: Blue Mountains", None),  # one colon: not a line of places parted by colons
        ("Virginla: Elmton Co.: Rosaville", None),  # a state's name misread is no country's
    ],
)
def test_a_misread_country_opening_a_line_of_places_parted_by_colons(line: str, country: str | None) -> None:
    got = read(["THE NEW YORK BOTANICAL GARDEN", line, "J. Smith 2113", "March 3, 1970"])
    assert got.get("country") == country  # (the division's code gives countryCode either way)


def test_a_division_running_on_into_a_line_read_as_a_herbarium_s_name() -> None:
    lines = [NAME, "República Dominicana:Distrito", "Nacional:Jardín Botánico Nacional:", "en el area"]
    got = read(lines)
    assert (got["stateProvince"], got["institutionName"]) == ("Distrito Nacional", "Jardín Botánico Nacional")
    assert got["locality"].startswith("República Dominicana:Distrito Nacional:Jardín Botánico Nacional:")
    got = read([NAME, "República Dominicana:Elmton", "Jardín Botánico Nacional", "A. Bell 3"])  # none across
    assert "stateProvince" not in got and got["locality"] == "República Dominicana:Elmton"
