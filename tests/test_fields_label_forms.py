"""Collectors and collector numbers as label forms write them: the date between "Collected" and "by", a form's
number with its captioned date on one line (never an exsiccata's or a distributed series' number). Made-up label
lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields


def value(lines: list[str], term: str) -> str | None:
    found = extract_fields(lines).get(term)
    return found.value if found else None


@pytest.mark.parametrize(
    ("lines", "who"),
    [
        (["Quercus alba L.", "Collected June 4, 1932 by J. Smith"], "J. Smith"),
        (["Collected 12.V.1931, by K. Jones & R. Ortiz"], "K. Jones | R. Ortiz"),
        (["Coll. 3 Aug. 1899 by Harold B. Quimby"], "Harold B. Quimby"),
    ],
)
def test_the_collector_after_a_date_and_by(lines: list[str], who: str) -> None:
    assert value(lines, "recordedBy") == who


def test_no_collector_after_by_when_no_date_stands_before_it() -> None:
    assert value(["Collected in a swamp by the road"], "recordedBy") is None


@pytest.mark.parametrize(
    ("lines", "number"),
    [
        (["Collected by L. H. Bailey", "No. 342. Date 3 Jan 1921", "Isle of Pines, Nueva Gerona"], "342"),
        (["Coll. K. Braun", "Nr. 17  Datum: 4.6.1932"], "17"),
        (["Leg. A. Souza", "No. 88 Fecha: 3 de mayo de 1950"], "88"),
    ],
)
def test_a_forms_number_and_its_captioned_date_on_one_line(lines: list[str], number: str) -> None:
    assert value(lines, "recordNumber") == number


@pytest.mark.parametrize(
    "lines",
    [
        ["LICHENES EXSICCATI", "Collected by L. H. Bailey", "No. 342. Date 3 Jan 1921"],
        ["Plantae Hispanicae Exsiccatae", "Leg. K. Braun", "No. 342. Date 3 Jan 1921"],
        ["Fasc. 7", "Coll. K. Braun", "No. 342. Date 3 Jan 1921"],
        ["Cent. III", "Coll. K. Braun", "No. 342. Date 3 Jan 1921"],
        ["Distributed by the Museum", "Coll. K. Braun", "No. 342. Date 3 Jan 1921"],
        # no caption: the number may be a series' (the date alone beside it says no form)
        ["Coll. K. Braun", "No. 17  3 Jan 1921"],
        # something else between the number and the date
        ["Coll. K. Braun", "No. 17 Plot 4 Date 3 Jan 1921"],
    ],
)
def test_no_number_from_a_series_or_an_uncaptioned_date(lines: list[str]) -> None:
    assert value(lines, "recordNumber") is None


def test_sine_numero_is_no_number() -> None:
    lines = ["PLANTS OF TRINIDAD", "Coll.: R. L. Brooks s.n.", "Sept. 1952"]
    assert value(lines, "recordNumber") is None
    assert value(lines, "recordedBy") == "R. L. Brooks"


@pytest.mark.parametrize(
    ("lines", "who", "number"),
    [
        (["Coll. J. Smith, with K. Jones 1234"], "J. Smith | K. Jones", "1234"),
        (["J. Smith & al. 1234"], "J. Smith et al.", "1234"),
        (["Leg. K. Müller & al. 55"], "K. Müller et al.", "55"),
    ],
)
def test_second_collectors_after_with_and_others_after_and_al(lines: list[str], who: str, number: str) -> None:
    assert value(lines, "recordedBy") == who
    assert value(lines, "recordNumber") == number


@pytest.mark.parametrize(
    ("lines", "number"),
    [
        (["C. G. PRINGLE,", "PLANTAE MEXICANAE.", "4579 Solanum tequilense Gray.", "Hills about Tequila."], "4579"),
        (["PLANTS OF SOUTHERN NEW ENGLAND", "38. Impatiens capensis Meerb.", "28 September 1975"], "38"),
    ],
)
def test_a_distributed_sets_number_before_the_species_name(lines: list[str], number: str) -> None:
    assert value(lines, "recordNumber") == number


@pytest.mark.parametrize(
    "lines",
    [
        ["LICHENES EXSICCATI", "17 Cladonia rangiferina (L.) Web."],  # the exsiccata's number
        ["LICHENES BOREALES", "NORTHWEST TERRITORIES", "88. Cladonia alpestris (L.) Rabh.", "J. Smith & K. Jones"],
        ["Musci Americani", "212 Bryum argenteum Hedw."],
        ["1931 Carex alba L."],  # a year
        ["12. Carex alba L.", "13. Carex nigra (L.) Reichard"],  # a list of names
    ],
)
def test_no_number_before_a_name_in_a_series_or_a_list(lines: list[str]) -> None:
    assert value(lines, "recordNumber") is None


@pytest.mark.parametrize(
    "lines",
    [
        ["LICHENES EXSICCATI", "No. 17", "Cladonia rangiferina (L.) Web.", "Leg. J. Smith"],
        ["Fasc. 3", "No. 45", "Cladonia alba Web.", "Coll. J. Smith"],
        ["RELIQUIAE SMITHIANAE", "Distributed by the Museum", "3. Usnea florida (L.) Web.", "Coll. J. Smith"],
    ],
)
def test_a_number_apart_from_the_collector_on_a_series_label_is_the_series(lines: list[str]) -> None:
    assert value(lines, "recordNumber") is None


def test_the_collectors_own_number_on_a_series_label_is_read() -> None:
    assert value(["Plantae Hispanicae Exsiccatae", "Leg. J. Smith 123"], "recordNumber") == "123"


def test_a_place_word_opening_like_a_centuria_names_no_series() -> None:
    # "Centurion", "Centerville": a place's name, not a series' "Cent." or "Centuria"
    lines = ["Four miles E of Elmton in Centurion Development.", "Collected by A. Bell", "No. 24894"]
    assert value(lines, "recordNumber") == "24894"


def test_a_forms_number_at_the_head_of_its_title() -> None:
    lines = ["No. 595 LICHENS OF ONTARIO", "Coll. H. Smith", "Aug. 1, 1957"]
    assert value(lines, "recordNumber") == "595"
    assert value(lines, "stateProvince") == "Ontario"


@pytest.mark.parametrize(
    "lines",
    [
        ["No. 1234 HERBARIUM OF THE UNIVERSITY", "Coll. H. Smith"],  # an accession number
        ["No. 17 LICHENES OF ONTARIO", "LICHENES EXSICCATI", "Coll. H. Smith"],  # a series
    ],
)
def test_no_number_from_a_herbariums_title_or_a_series(lines: list[str]) -> None:
    assert value(lines, "recordNumber") is None


@pytest.mark.parametrize(
    ("line", "who", "number"),
    [
        ("SMITH, J. 1234", "J. Smith", "1234"),
        ("Smith, J. K. 55a", "J. K. Smith", "55a"),
    ],
)
def test_a_name_turned_round_with_its_number(line: str, who: str, number: str) -> None:
    assert value([line], "recordedBy") == who
    assert value([line], "recordNumber") == number


def test_a_place_turned_round_is_no_collector() -> None:
    assert value(["JAMAICA, W. 1234"], "recordedBy") is None


@pytest.mark.parametrize("name", ["Capraria", "Capraria biflora", "Ca praria"])  # a handwritten genus in two pieces
def test_a_plain_number_under_the_title_and_the_name_written_under_it(name: str) -> None:
    lines = ["EXPLORATION OF THE ELM ISLANDS.", name, "7640", "SOUTH ELM.", "A. BELL, COLLECTOR.", "DEC. 14, 1907."]
    got = extract_fields(lines, labels=[0, 0, 0, 1, 1, 1]).get("recordNumber")  # the names on a box of their own
    assert got is not None and got.value == "7640"


def test_a_year_alone_elsewhere_leaves_the_number_under_the_title_read() -> None:
    # a determiner's year read apart from the name (",1939") is never the collector's number
    lines = ["Philip A. Munz", ",1939", "EXPLORATION OF ELMIA", "6185", "VICINITY OF ROSAVILLE", "C. DUNN", "COLLECTOR"]
    got = extract_fields(lines, labels=[0, 0, 1, 1, 1, 2, 2]).get("recordNumber")
    assert got is not None and got.value == "6185"
    assert value(["EXPLORATION OF ELMIA", "1939", "VICINITY OF ROSAVILLE"], "recordNumber") is None  # nor a year
