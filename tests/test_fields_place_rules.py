"""Place rules for country, stateProvince and county as herbarium labels write them: countries named in the
label's language or in a Latin header, a federation's state heading a place, postal codes only where the
layout makes them a state, field slots ("County: …", "State: …"), and no place read from a herbarium's own
name or address. Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, places
from herbproc.fields.country_forms import latin_header_country


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize(
    ("line", "code"),
    [("Brasilien: Minas Gerais, Serra do Cipó", "BR"), ("Mexique, Puebla: Tehuacán", "MX"),
     ("JAPON", "JP"), ("Nouvelle-Zélande: Otago", "NZ"), ("Schweiz", "CH"), ("Südafrika: Kapprovinz", "ZA"),
     ("Lagunas del Sur, Argentinien", "AR")],
)  # fmt: skip
def test_a_country_in_the_labels_own_language(line: str, code: str) -> None:
    found = places.find_country(line)
    assert found is not None and found.country_code == code


def test_a_foreign_country_name_inside_a_sentence_is_not_read() -> None:
    assert places.find_country("gesammelt von Brasilien kommend, am Ufer") is None
    assert places.country_code("Österreich") == "AT"  # a whole value, as the scorer reads it


def test_the_labels_country_and_its_state_in_german() -> None:
    got = read(["Frullania", "Brasilien: Bahia, Ilhéus", "leg. K. Beispiel nr. 77", "12.4.1911"])
    assert (got["country"], got["countryCode"], got["stateProvince"]) == ("Brazil", "BR", "Bahia")


@pytest.mark.parametrize(
    ("line", "code"),
    [("PLANTAE PERUVIANAE", "PE"), ("Flora Brasiliensis", "BR"), ("ITER HISPANICUM 1902", "ES"),
     ("Plantae Chinenses", "CN"), ("Salvia mexicana L.", ""), ("Plantae of the Ozarks", ""),
     ("FLORA BOREALI-AMERICANA", ""), ("Plantæ Cubenses Elmtoniana.", "CU")],  # the ligature of old print
)  # fmt: skip
def test_a_latin_collection_header_names_a_country(line: str, code: str) -> None:
    assert latin_header_country(line) == code


def test_latin_header_then_a_state_word() -> None:
    got = read(["A. B. COLLECTOR,", "PLANTAE -BRASILIENSES.", "1899.", "STATE OF GOIÁS—", "881 Vellozia sp."])
    assert (got["country"], got["stateProvince"]) == ("Brazil", "Goiás")
    assert got.get("locality") != "PLANTAE -BRASILIENSES"  # the header is no place line


def test_a_federations_state_heading_a_place_when_no_country_is_read() -> None:
    got = read(["OAXACA. 12 km NE of Ixtlán, pine forest", "5 Aug 1961", "J. Doe 123"])
    assert got["stateProvince"] == "Oaxaca" and got["countryCode"] == "MX"
    assert "country" not in got  # not on the label as read: left empty
    assert places.find_heading_subdivision("YUNNAN: Lijiang, 3000 m").name == "Yunnan"
    # not a heading: a common word, a generic Spanish name, lower case, a US state's table
    for line in ("NORTH. river bank", "SAN JUAN. roadside", "Oaxaca, near the road", "NEVADA. Reno"):
        assert places.find_heading_subdivision(line) is None
    # a label with a county is a US label: the heading rule does not run
    got = read(["DURANGO. La Plata Co., 2 mi N of town", "J. Doe 5"])
    assert got.get("countryCode") != "MX" and got["county"] == "La Plata"


@pytest.mark.parametrize(
    ("lines", "state"),
    [(["MEXICO", "Quercus rugosa Née", "MICHOACAN. 8 km S of Uruapan, pine-oak forest"], "Michoacán"),
     (["PLANTS OF MEXICO", "SAN LUIS POTOSI. 12 km E of Xilitla", "J. Doe 44"], "San Luis Potosí"),
     (["BRASIL", "BAHIA. Mun. Ilhéus, road to the coast"], "Bahia")],
)  # fmt: skip
def test_the_named_countrys_state_heading_a_place_line(lines: list[str], state: str) -> None:
    got = read(lines)
    assert got["stateProvince"] == state


def test_a_heading_that_is_no_state_of_the_named_country_is_not_one() -> None:
    for lines in (["MEXICO", "TEXAS. Near the border"], ["PLANTS OF MEXICO", "MEXICO. Near Toluca"],
                  ["MEXICO", "NORTH. river bank"]):  # fmt: skip
        assert "stateProvince" not in read(lines), lines
    assert places.find_heading_of("Michoacán, 8 km S of Uruapan", "MX") is None  # not in capitals
    assert places.find_heading_of("SAN JUAN DEL RIO. roadside", "MX") is None  # a town's name, not a state's


def test_short_forms_of_iso_subdivision_names() -> None:
    assert places.find_subdivision("Yunnan: Lijiang", "CN").name == "Yunnan"
    assert places.find_subdivision("Michoacán, 8 km S of Uruapan", "MX").code == "MX-MIC"
    assert places.subdivision_code("Coahuila", ("MX",)) == "MX-COA"


@pytest.mark.parametrize(
    ("line", "state"),
    [("Region Knoxville, Tn.", "Tennessee"), ("Flagstaff, AZ", "Arizona"), ("State: MS", "Mississippi"),
     ("State:VT", "Vermont"), ("Ames, IA 50011", "Iowa"), ("ME 04469", "Maine")],
)  # fmt: skip
def test_postal_codes_where_the_layout_makes_them_a_state(line: str, state: str) -> None:
    assert [s.name for s in places.find_states(line)] == [state]


@pytest.mark.parametrize(
    "line",
    [
        "DE",
        "IN the shade of oaks",
        "5 mi. N of Ames, In.",
        "Near Boulder, Co.",
        "GA",
        "MS 1234 page 3",
        "along the creek, Ne.",
    ],
)
def test_two_capitals_elsewhere_are_no_state(line: str) -> None:
    assert places.find_states(line) == []


def test_a_postal_code_alone_as_a_value_is_its_state() -> None:
    assert places.subdivision_code("Tn.", ("US",)) == "US-TN"
    assert places.subdivision_code("NM") == "US-NM"
    assert places.subdivision_code("Tn.", ("MX",)) == ""


def test_a_town_and_its_state_read_as_a_person_still_gives_the_state() -> None:
    got = read(["PLANTS OF _Sabino Canyon", "Tucson, AZ", "Collected by:", "Date:", "Jane Q. Public"])
    assert got["stateProvince"] == "Arizona"


def test_county_and_state_slots_of_a_printed_form() -> None:
    got = read(["Coll. No. 17", "County:Jackson", "State:MS", "Collector: A. Person"])
    assert (got["county"], got["stateProvince"]) == ("Jackson", "Mississippi")
    got = read(["FLORA OF LOUISIANA", "Parish:TERREBONNE", "Marsh edge"])
    assert got["county"] == "Terrebonne"
    got = read(["FLORA OF:", "Alabama", "County:", "Baldwin", "Sandy roadside"])
    assert (got["stateProvince"], got["county"]) == ("Alabama", "Baldwin")
    # a Caribbean parish is the first-level division, not a county
    got = read(["PLANTS OF JAMAICA", "Parish: St. Ann", "Limestone hills"])
    assert (got["stateProvince"], got.get("county")) == ("Saint Ann", None)
    assert got.get("locality") != "Parish"


def test_a_county_after_a_sentences_stop() -> None:
    assert places.find_county("KANSAS. DOUGLAS CO. 2 mi W of Lawrence").name == "Douglas"
    assert places.find_county("St. Clair Co., roadside").name == "St. Clair"


def test_no_country_from_a_road_or_an_agency() -> None:
    got = read(["Along U.S. 41, 3 mi. S of Naples", "Collier Co., Fla."])
    assert "country" not in got and got["stateProvince"] == "Florida"
    assert places.find_country("U.S. Forest Service land") is None
    assert places.find_country("Collier Co., Florida, U.S.A.").country_code == "US"


def test_no_state_or_country_from_the_herbariums_name_or_address() -> None:
    # the institution's word misread by one letter is still the institution's
    got = read(["HERBARIUM", "UNIVERSLTY OF VERMONT", "Stowe, Lamoille County", "J. Doe 4"])
    assert "stateProvince" not in got and got["county"] == "Lamoille"
    got = read(["Wet meadow, Bristol, R.I.", "HERBARIUM", "UNTVERSITY OF MAINE"])
    assert got["stateProvince"] == "Rhode Island"
    # an address's last line, the country alone, is the herbarium's
    got = read(["Sedge meadow, Hancock County", "THE EXAMPLE HERBARIUM", "OF THE STATE COLLEGE",
                "ORONO, ME 04469", "USA"])  # fmt: skip
    assert "country" not in got and "stateProvince" not in got and got["county"] == "Hancock"
    # a county under a herbarium's name is not the end of the name
    got = read(["Herbarium of the University of Georgia", "Clarke County", "Oak woods, Athens"])
    assert got["county"] == "Clarke"


def test_the_foreign_name_table_holds_whole_names() -> None:
    from herbproc.fields.country_forms import EXONYMS

    assert all(len(name) >= 4 for name in EXONYMS)  # a name in a one-item table is a tuple, not its letters
    assert places.find_country("Hibernia, near the lake") is None  # a Latin nominative that is a US town


def test_a_second_labels_collection_header_does_not_name_the_first_labels_country() -> None:
    two_labels = ["FLORA OF THE SOUTHWEST", "STATE OF JALISCO.", "Coll. A. Sample, 1886.", "No. 61.",
                  "Plantae Cubenses Exsiccatae.", "No. 3633"]  # fmt: skip
    got = read(two_labels)
    assert got["stateProvince"] == "Jalisco" and "country" not in got
    # the header above the state, or a state of the header's own country: one label, the header's country
    assert read(["Plantae Cubenses Exsiccatae.", "No. 3633", "STATE OF JALISCO."]).get("country") == "Cuba"
    got = read(["PLANTAE MEXICANAE", "STATE OF JALISCO.", "No. 61."])
    assert got["country"] == "Mexico" and got["stateProvince"] == "Jalisco"


def test_a_state_joined_by_a_hyphen_to_a_projects_name_is_no_place() -> None:
    lines = ["HATTORI-TENNESSEE COOPERATIVE", "BRYOGEOGRAPHIC COLLECTIONS, 1964-68", "Alectoria",
             "Across bay from Port Rosa, Alaska.", "Coll. A. J. Bell", "24 July 1967"]  # fmt: skip
    assert read(lines)["stateProvince"] == "Alaska"


def test_the_named_countrys_province_replaces_a_headers_state_of_another_country() -> None:
    lines = ["FLORA OF TENNESSEE", "CANADA", "Lichens", "Ontario", "Loc. Elm River, 80 mi. nw. of Rosaville",
             "Coll. A.J. Bell"]  # fmt: skip
    got = read(lines)
    assert (got["country"], got["stateProvince"]) == ("Canada", "Ontario")
    lines[3] = "Substratum"  # no province of the country on the label: none
    assert "stateProvince" not in read(lines)


def test_no_county_from_an_institutions_name_before_a_forms_co_caption() -> None:
    lines = ["FLORA OF TENNESSEE", "Lichens", "Loc. Elm River", "Coll. A.J. Bell",
             "HERBARIUM OF THE UNIVERSITY OF TENNESSEE Co."]  # fmt: skip
    assert "county" not in read(lines)


def test_a_county_written_with_a_lower_case_co() -> None:
    lines = ["Actinogyra elmii (Ach.) Llano", "U. S. A., VIRGINIA: Dickenson co:, Breaks", "Interstate Park.",
             "April 10, 1966", "Coll. A. Bell"]  # fmt: skip
    assert read(lines)["county"] == "Dickenson"


@pytest.mark.parametrize(
    ("line", "county"),
    [("TENN-L-0000087 Co. Haywood", "Haywood"), ("5E1 County Elm Bay Dist.", "Elm Bay Dist."), ("Co. Cork", "Cork")],
)
def test_a_county_slot_without_its_colon_ending_the_line(line: str, county: str) -> None:
    found = places.find_county(line)
    assert found is not None and found.name == county


@pytest.mark.parametrize("line", ["Smith & Co. Ltd", "County Road 206", "along County Line Road"])
def test_a_road_or_a_company_after_the_county_word_is_no_county(line: str) -> None:
    assert places.find_county(line) is None


def test_a_county_under_its_forms_caption_alone_on_the_line_above() -> None:
    lines = ["PLANTS OF ONTARIO", "Cetraria elmensis (W. Bell) Ach.", "County", "Elm Bay Dist.", "Collector A. Bell 12"]
    assert read(lines)["county"] == "Elm Bay Dist."
    assert places.county_under_caption("County", "Ontario") is None  # a state under the caption: no county
    assert places.county_under_caption("Habitat", "Elm Bay Dist.") is None


@pytest.mark.parametrize(
    ("lines", "state", "code"),
    [(["PLANTS OF CHINA", "Szechwan: Mt. Elmton, 1500 m", "A. Bell 12"], "Sichuan", "CN-SC"),
     (["CHINA", "Kwangtung Prov., Elmton, forest", "A. Bell 12"], "Guangdong", "CN-GD"),
     (["PLANTAE BRASILIENSES", "Goyaz State: Rosaville", "A. Bell 12"], "Goiás", "BR-GO"),
     (["BRAZIL", "Estado de Minas Geraes: Rosaville", "A. Bell 12"], "Minas Gerais", "BR-MG"),
     (["PERU", "Cuzco Dept., Prov. Urubamba: Rosaville", "A. Bell 12"], "Cusco", "PE-CUS"),
     (["MEXICO", "VERA CRUZ. Elmton, 1500 m", "A. Bell 12"], "Veracruz", "MX-VER")],
)  # fmt: skip
def test_an_older_spelling_of_a_division_gives_the_iso_name(lines: list[str], state: str, code: str) -> None:
    assert read(lines)["stateProvince"] == state
    written = lines[1].split(":")[0].split(",")[0].split(".")[0]
    assert places.subdivision_code(written, (code[:2],)) == code


def test_an_older_spelling_heads_a_place_with_no_country_named() -> None:
    got = read(["SZECHWAN: Mt. Elmton, 1500 m", "A. Bell 12"])
    assert (got["stateProvince"], got["countryCode"]) == ("Sichuan", "CN")
    assert places.is_place_name("Kweichow")


def test_a_heading_division_with_its_word_after_it() -> None:
    for line, name in (("KWANGTUNG PROV.: Elmton Shan", "Guangdong"), ("YUNNAN PROVINCE, Elmton", "Yunnan")):
        found = places.find_heading_subdivision(line)
        assert found is not None and (found.name, found.cued) == (name, True)
    assert places.find_heading_of("GOYAZ STATE. Rosaville", "BR").name == "Goiás"


def test_a_renamed_division_gives_todays_iso_name() -> None:
    got = read(["PLANTS OF MEXICO", "Distrito Federal: Elmton, lava field", "A. Bell 3"])
    assert got["stateProvince"] == "Ciudad de México"
    assert places.subdivision_code("Orissa", ("IN",)) == "IN-OD"


def test_a_states_road_names_the_state_on_a_label_that_names_none() -> None:
    got = read(["Quercus alba L.", "Lafayette County: Along Fla Hwy 51, 5.7 mi S of Rosaville", "A. Bell 3"])
    assert (got["stateProvince"], got["countryCode"]) == ("Florida", "US")
    assert got["locality"].startswith("Along Fla Hwy 51")  # the road's name stays whole
    nc = read(["Quercus alba L.", "Yancey County: N of NC Hwy 80, near Elmton", "A. Bell 3"])
    assert nc["stateProvince"] == "North Carolina"
    for road in ("Co Rd 12", "US Hwy 27"):  # a county's road, the nation's
        assert "stateProvince" not in read(
            ["Quercus alba L.", f"Elm County: {road}, 2 mi N of Elmton", "A. Bell 3"]
        )


def test_a_state_before_its_forms_county_slot() -> None:
    # a form's "State" / "County" captions: the state's name, then "County" and the county ending the line
    got = read(["Quercus alba L.", "North Carolina County Yancey", "A. Bell 3"])
    assert (got.get("stateProvince"), got.get("county")) == ("North Carolina", "Yancey")
    # a county's name and its fair: no state, since "Fair" is no county of Washington
    got = read(["Quercus alba L.", "Washington County Fair", "A. Bell 3"])
    assert "stateProvince" not in got and got["county"] == "Washington"


def test_a_province_before_a_forms_co_caption_on_a_canadian_label() -> None:
    # the form's place blank holds the province, its "Co." slot is left empty: no county named Ontario
    got = read(["FLORA OF TENNESSEE", "CANADA", "Lichens", "Ontario Co.", "Loc. Elm River, 8 mi. N of Rosaville"])
    assert (got.get("stateProvince"), got.get("county")) == ("Ontario", None)
    assert got["countryCode"] == "CA"
    # on a US label it is the county of that name
    got = read(["FLORA OF NEW YORK", "Ontario Co.", "Loc. Elm River, 8 mi. N of Rosaville"])
    assert (got.get("stateProvince"), got.get("county")) == ("New York", "Ontario")


def test_a_state_abbreviation_between_an_epithet_and_an_author_is_the_basionyms_author() -> None:
    got = read(["Lichens of the Elmton Herbarium", "=Polyblastiopsis elmensis(Mass.)A.Bell", "Coll. C. Dunn"])
    assert "stateProvince" not in got
    got = read(["Aster elmensis (Mich.) Fern.", "Elm woods near Rosaville", "A. Bell 4"])
    assert "stateProvince" not in got


def test_a_place_before_the_determiners_cue_on_its_line() -> None:
    lines = ["Verrucaria elmensis Bell", "Coll. A. Bell", "Rosaville Canal,S.C. Det. C. Dunn", "1857"]
    got = read(lines)
    assert got.get("stateProvince") == "South Carolina" and got["identifiedBy"] == "C. Dunn"


@pytest.mark.parametrize(
    ("line", "field", "value"),
    [("JAMAICA: Coll. A. Bell & C. Dunn", "country", "Jamaica"),
     ("ST. VINCENT: CoLL. A. BELL", "country", "Saint Vincent and the Grenadines"),
     ("Florida. Leg. A. Bell 1234", "stateProvince", "Florida")],
)  # fmt: skip
def test_a_country_or_state_alone_before_the_collectors_cue_on_its_line(line: str, field: str, value: str) -> None:
    got = read(["Elmia rosea Bell", line, "March, 1890"])
    assert got[field] == value and got["recordedBy"].startswith("A. Bell"), got


def test_other_words_before_the_collectors_cue_give_no_place() -> None:
    got = read(["Elmia rosea Bell", "Near Jamaica Pond: Coll. A. Bell", "March, 1890"])
    assert "country" not in got and got["recordedBy"] == "A. Bell", got


@pytest.mark.parametrize(
    ("line", "code"),
    [("ST. VINCENTS: roadside", "VC"), ("ST. KITT'S: Basseterre", "KN"), ("St. Kitt’s", "KN"), ("St Vincents", "VC")],
)  # fmt: skip
def test_older_spellings_of_saint_vincent_and_saint_kitts(line: str, code: str) -> None:
    country = places.find_country(line)
    assert country is not None and country.country_code == code


def test_a_county_in_its_forms_slot_read_on_the_line_after_the_co_caption() -> None:
    # "Elm Park ____ Co. Knox": the blank's words before the caption, the slot's value read as the next line
    lines = ["FLORA OF TENNESSEE", "Cladonia elmensis Bell", "Elm Park Co.", "", "Knox", "Loc. near Rosaville"]
    assert read(lines).get("county") == "Knox"
    # a name there that is no county of the state is not taken
    lines = ["FLORA OF TENNESSEE", "Cladonia elmensis Bell", "Elm Park Co.", "Rosaville", "Loc. near Elmton"]
    assert "county" not in read(lines)


def test_a_county_heading_a_place_line_in_capitals() -> None:
    lines = ["OREGON, U.S.A.", "Salix elmensis Bell", "LANE. Elm Creek near Rosaville, 300 m.", "A. Bell 5"]
    assert read(lines).get("county") == "Lane"
    # a heading that is no county of the state, or the state itself, is no county
    lines = ["OREGON, U.S.A.", "Salix elmensis Bell", "ELM CREEK. Sandy banks near Rosaville", "A. Bell 5"]
    assert "county" not in read(lines)
    lines = ["U.S.A.", "Salix elmensis Bell", "NEW YORK: Elm Creek near Rosaville", "A. Bell 5"]
    assert "county" not in read(lines)


@pytest.mark.parametrize(
    ("line", "county"),
    [("District de Elmont, Québec, Canada.", "District de Elmont"), ("Elm Lake, Rosa District, Ont.", "Rosa District")],
)
def test_a_canadian_district_before_the_province(line: str, county: str) -> None:
    assert read(["Cladonia elmensis Bell", line, "A. Bell 3"]).get("county") == county


@pytest.mark.parametrize(
    ("below", "county"),
    [("District of Elmont", "District of Elmont"), ("Elmont District", "Elmont District"), ("Elm Lake", None)],
)
def test_a_canadian_district_alone_under_the_province(below: str, county: str | None) -> None:
    lines = ["LICHENES ELMTONENSES", "NORTHWEST TERRITORIES", below, "Rosa Lake, on rocks", "A. Bell 3"]
    assert read(lines).get("county") == county


def test_a_town_before_the_province_is_no_district() -> None:
    assert "county" not in read(["Cladonia elmensis Bell", "Elm Lake, Rosaville, Ont.", "A. Bell 3"])


def test_the_distributors_address_is_no_place_of_collecting() -> None:
    lines = ["PLANTS OF ROSAVILLE", "No. 1234", "Quercus alba L.", "Near Elmton", "Collected by A. BELL.",
             "Distributed from the ELMTON MUSEUM, PITTSBURGH, PA."]  # fmt: skip
    assert "stateProvince" not in read(lines)
    assert read(["Near Elmton, Pennsylvania", "Collected by A. BELL."])["stateProvince"] == "Pennsylvania"


def test_a_latin_trips_title_names_the_country_it_went_through() -> None:
    got = read(["ITER PER JAMAICAM", "Psychotria nervosa Sw.", "Elmton, roadside bank", "A. Bell 1234"])
    assert got["country"] == "Jamaica"
    assert "country" not in read(["Per Elmtonam", "Psychotria nervosa Sw.", "A. Bell 1234"])


@pytest.mark.parametrize(
    ("line", "state", "code"),
    [("Nayarit: Isabel Island, E of Tres Marias Is.", "Nayarit", "MX"), ("Queensland: Cairns, rain forest", "Queensland", "AU"),
     ("Amazonas: Rio Negro near Manaus", None, None), ("Victoria: Melbourne", None, None), ("Habitat: moist woods", None, None)],
)  # fmt: skip
def test_a_federations_state_in_lower_case_before_its_colon_on_a_label_that_names_no_country(
    line: str, state: str | None, code: str | None
) -> None:
    got = read([line, "A. Bell 1234"])
    assert (got.get("stateProvince"), got.get("countryCode")) == (state, code)  # Amazonas: four countries have one
