"""Place conventions of herbarium labels of any country: a range named after a US state, a department named
before a province, a zero read as the letter O in an elevation. Made-up label lines."""

from __future__ import annotations

import pytest

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


def with_country_from_state(lines: list[str]) -> dict[str, str]:
    from herbproc.fields.place_lines import country_from_state

    fields = extract_fields(lines)
    country_from_state(fields)
    return {k: f.value for k, f in fields.items()}


def test_a_state_named_alone_gives_its_country_only_when_asked() -> None:
    lines = ["FLORA OF TENNESSEE", "Swain Co.: Elm Gap", "K. Mwangi 4411"]
    assert "country" not in read(lines) and read(lines)["countryCode"] == "US"  # the default: not on the label
    assert with_country_from_state(lines)["country"] == "United States"
    assert with_country_from_state(["PLANTS OF ONTARIO", "Elm Lake", "K. Mwangi 4411"])["country"] == "Canada"
    named = with_country_from_state(["MEXICO: Prov. Jalisco, near Elm", "K. Mwangi 4411"])
    assert named["country"] == "Mexico"  # a country read stays as read
    assert "country" not in with_country_from_state(["Near Elm Pond, 200 ft", "K. Mwangi 4411"])  # no state


def through_the_reader(texts: tuple[str, ...], **settings: object) -> dict[str, str]:
    """One sheet's lines read as ``texts`` by a LabelReader with these ocr settings, finished as read_many does."""
    import numpy as np

    from herbproc.ocr.engines.base import Reading
    from herbproc.ocr.reader import LabelReader, finish_fields
    from herbproc.ocr.settings import ocr_settings

    box = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], dtype=float)
    reader = LabelReader(ocr_settings(**settings), engines=[])
    readings = [[Reading(t, 0.9, "ppocr")] for t in texts]
    lines = [type("Line", (), {"label": 0, "line": k, "polygon": box})() for k in range(len(texts))]
    result = reader._sheet((100, 100, 3), [], lines, readings, None)
    finish_fields(result.fields, reader.settings, None, reader.names is not None, result.texts)
    return result.darwin_core()


def test_the_reader_writes_the_states_country_with_the_setting() -> None:
    texts = ("FLORA OF TENNESSEE", "Swain Co.: Elm Gap", "K. Mwangi 4411")
    assert through_the_reader(texts)["country"] == ""
    assert through_the_reader(texts, country_from_state=True)["country"] == "United States"


def with_places_as_printed(lines: list[str]) -> dict[str, str]:
    from herbproc.fields.place_lines import places_as_printed

    fields = extract_fields(lines)
    places_as_printed(fields, lines)
    return {k: f.value for k, f in fields.items()}


@pytest.mark.parametrize(
    ("lines", "printed", "standard", "code"),
    [(["Rep. Dominicana: Prov. Samaná, near Elm"], "Rep. Dominicana", "Dominican Republic", "DO"),
     (["PLANTS OF PORTO RICO", "Mun. Cayey"], "PORTO RICO", "Puerto Rico", "PR"),
     (["DOMINICA, LESSER ANTILLES", "Elm Valley"], "DOMINICA", "Dominica", "DM"),  # the region is no part of it
     (["JAMAICA, W. I.", "St. Ann Parish"], "JAMAICA", "Jamaica", "JM"),
     (["PUERTO RICO, U.S.A.", "Mun. Cayey"], "PUERTO RICO", "Puerto Rico", "PR"),  # the territory's own name
     (["DominicanRepublic: Elm"], "Dominican Republic", "Dominican Republic", "DO"),  # two words read glued
     (["PLANTAE CUBENSES", "Coll. C. Wright"], "Cuba", "Cuba", "CU"),  # a Latin header: no name printed
     (["BAHAMA ISLANDS", "Andros"], "BAHAMA ISLANDS", "Bahamas", "BS")],
)  # fmt: skip
def test_the_country_as_the_label_prints_it_when_asked(
    lines: list[str], printed: str, standard: str, code: str
) -> None:
    got = with_places_as_printed(lines)
    assert (got["country"], got["countryCode"]) == (printed, code), got
    assert (read(lines)["country"], read(lines)["countryCode"]) == (standard, code)  # the default


def test_the_reader_writes_the_places_as_printed_with_the_setting() -> None:
    texts = ("PLANTS OF PORTO RICO", "Mun. Cayey, roadside", "K. Mwangi 4411")
    default, printed = through_the_reader(texts), through_the_reader(texts, places_as_printed=True)
    assert (default["country"], default["countryCode"]) == ("Puerto Rico", "PR")
    assert (printed["country"], printed["countryCode"]) == ("PORTO RICO", "PR")


@pytest.mark.parametrize(
    ("lines", "printed", "standard"),
    [(["PLANTS OF BARBADOS", "St. George: Elm Gully"], "St. George", "Saint George"),
     (["Sevier Co., Tenn.", "Elm Gap"], "Tenn.", "Tennessee"),
     (["R.I.: Newport, Elm Lane"], "R.I.", "Rhode Island"),
     (["JAMAICA", "ST. JAMES PARISH", "Elm Hill"], "ST. JAMES PARISH", "Saint James"),  # its word printed with it
     (["PLANTS OF MASSACHIUSETTS", "Elm Pond"], "Massachusetts", "Massachusetts")],  # a misreading put right
)  # fmt: skip
def test_the_state_as_the_label_prints_it_when_asked(lines: list[str], printed: str, standard: str) -> None:
    assert with_places_as_printed(lines)["stateProvince"] == printed
    assert read(lines)["stateProvince"] == standard  # the default


def test_a_country_from_the_state_keeps_its_standard_name_as_printed() -> None:
    from herbproc.fields.place_lines import country_from_state, places_as_printed

    lines = ["FLORA OF TENNESSEE", "Swain Co.: Elm Gap", "K. Mwangi 4411"]
    fields = extract_fields(lines)
    country_from_state(fields)
    places_as_printed(fields, lines)
    got = {k: f.value for k, f in fields.items()}
    assert (got["country"], got["countryCode"], got["stateProvince"]) == ("United States", "US", "TENNESSEE")


@pytest.mark.parametrize("key", ["country_from_state", "places_as_printed"])
def test_a_country_switch_that_is_not_true_or_false_is_refused_in_one_line(key: str) -> None:
    from herbproc.ocr.settings import ocr_settings

    with pytest.raises(ValueError) as err:
        ocr_settings(**{key: "yes"})
    assert f"'ocr.{key}'" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("place", "state", "locality"),
    [("Block Island, Bhode Island", "Rhode Island", "Block Island"),
     ("Elm Pond, Massachusets.", "Massachusetts", "Elm Pond"),
     ("Near Elm Lake, Nerth Carolina", "North Carolina", "Near Elm Lake")],
)  # fmt: skip
def test_a_state_misread_by_a_letter_closing_the_place_line_is_the_state(place: str, state: str, locality: str) -> None:
    got = read(["PLANTS OF SOUTHERN NEW ENGLAND", "Impatiens capensis Meerb.", place, "28 September 1975"])
    assert (got["stateProvince"], got["countryCode"], got["locality"]) == (state, "US", locality)


@pytest.mark.parametrize(
    "place", ["Elm Pond, Massachusetts Avenue", "Elm Pond, Georgiana", "Elm Pond", "Massachusets", "Elm Pond, Ohioo"]
)
def test_no_state_from_a_last_part_that_is_more_than_a_letter_off_or_alone(place: str) -> None:
    assert "stateProvince" not in read(["Impatiens capensis Meerb.", place, "28 September 1975"])


@pytest.mark.parametrize("header", ["LICHENS DU NOUVEAU-QUEBEC", "Flore du Nouveau-Québec"])
def test_nouveau_quebec_the_old_name_of_northern_quebec_is_the_province(header: str) -> None:
    got = read([header, "Alectoria ochroleuca (Ehrh.) Nyl", "LAC ELMO, Toundra.", "Albert Bellamy 8017"])
    assert (got["stateProvince"], got["countryCode"]) == ("Quebec", "CA")
