"""Place conventions of herbarium labels of any country: a range named after a US state, a department named
before a province, a zero read as the letter O in an elevation. Made-up label lines."""

from __future__ import annotations

from herbproc.fields import extract_fields


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


def test_a_range_called_after_a_state_is_no_state() -> None:
    got = read(["España, Prov. Granada: Sierra Nevada, 2500 m", "K. Mwangi 4411"])
    assert got.get("stateProvince") != "Nevada" and got["country"] == "Spain"
    assert read(["Sierra Nevada, near Elm Lake, California", "K. Mwangi 4411"])["stateProvince"] == "California"


def test_a_department_named_before_a_province_is_the_first_level() -> None:
    got = read(["FLORA OF PERU", "Dept. Rosales, Prov. Elmira: near Rosaville, 3000 m", "K. Mwangi 4411"])
    assert got["stateProvince"] == "Rosales"
    alone = read(["FLORA OF PERU", "Prov. Elmira: near Rosaville, 3000 m", "K. Mwangi 4411"])
    assert alone["stateProvince"] == "Elmira"


def test_a_zero_read_as_o_before_a_unit_is_a_zero() -> None:
    assert read(["PLANTS OF MAINE", "Elm Pond, 1O00 ft", "K. Mwangi 4411"])["locality"] == "Elm Pond, 1000 ft"
    got = read(["PLANTS OF MAINE", "Near Elm Pond, 2,OOO feet", "K. Mwangi 4411"])
    assert got["locality"] == "Near Elm Pond, 2,000 feet"
    assert read(["PLANTS OF MAINE", "Near Elm Pond, route 1O", "K. Mwangi 4411"])["locality"].endswith("route 1O")


def test_a_series_title_in_the_country_language_names_the_country() -> None:
    assert read(["Flora von Österreich", "Bei Rosenheim, Waldrand", "K. Mwangi 4411"])["country"] == "Austria"
    assert read(["Pflanzen aus Brasilien", "K. Mwangi 4411"])["country"] == "Brazil"
    assert "country" not in read(["Flora von Österreichs Alpen", "K. Mwangi 4411"])


def test_a_district_heading_the_place_with_its_colon_is_the_county() -> None:
    got = read(["PLANTS OF ONTARIO", "Cladonia sp.", "Thunder Bay District: Rosa Lake, 5 km N of Elmton", "A. Bell 9"])
    assert (got["county"], got["locality"]) == ("Thunder Bay District", "Rosa Lake, 5 km N of Elmton")
    assert read(["Lichens of Ontario", "ALGOMA DIST.: Rosa Lake", "A. Bell 9"])["county"] == "Algoma Dist."


def test_a_french_labels_comte_is_the_county_kept_as_written() -> None:
    got = read(["LICHENS OF QUEBEC", "Cladonia sp.", "Comté de Charlevoix: Elmton, Lac Rosa", "A. Bell 1"])
    assert (got["county"], got["locality"]) == ("Comté de Charlevoix", "Elmton, Lac Rosa")
    assert read(["Lichens du Québec", "Comté de Gaspé-Nord: Mont Rosa", "A. Bell 1"])["county"] == "Comté de Gaspé-Nord"
