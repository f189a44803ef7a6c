"""eventDate conventions of labels anywhere: the order of a numeric date's day and month by the label's country or
language, Roman months, ordinal days, Spanish "7bre" months, decades, doubtful dates, OCR's usual misreadings, and
years that are not the collection's. Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.dates import find_dates, parse_date
from herbproc.fields.event_date import numeric_order
from herbproc.fields.label import Label


def event_date(lines: list[str]) -> str | None:
    found = extract_fields(lines).get("eventDate")
    return found.value if found else None


@pytest.mark.parametrize(
    ("lines", "iso"),
    [
        (["PLANTS OF CUBA", "Prov. Oriente: Loma Alta", "R. Ortiz 4418", "12/5/1931"], "1931-05-12"),
        (["JAMAICA: St. Ann Parish", "G. Lamb 1234", "3-4-1931"], "1931-04-03"),
        (["Plantas de la región", "Fecha: 12/5/1931", "Colector: R. Ortiz"], "1931-05-12"),
        (["Récolté par J. Martin 223", "Date de récolte: 3/4/1931"], "1931-04-03"),
        # a Spanish label from a US territory: the language says day first
        (["PUERTO RICO: Barrio Alto", "Localidad: orilla del río", "Fecha: 3/4/1931"], "1931-04-03"),
        (["PLANTS OF VERMONT", "Rutland Co.: near Pittsford", "J. Smith 1234", "12/5/1931"], "1931-12-05"),
        (["PUERTO RICO: near Mayagüez", "N. L. Hale 1234", "3/4/1931"], "1931-03-04"),
        # unambiguous whatever the country
        (["PLANTS OF CUBA", "R. Ortiz 4418", "5/25/1931"], "1931-05-25"),
        (["PLANTS OF OHIO", "J. Smith 55", "25/5/1931"], "1931-05-25"),
        (["BRAZIL. Minas Gerais", "leg. A. Souza 55", "25/5/1931"], "1931-05-25"),
        # dots: day first wherever
        (["J. Smith 1234", "12.5.1931"], "1931-05-12"),
    ],
)
def test_a_numeric_dates_order_follows_the_labels_country_or_language(lines: list[str], iso: str) -> None:
    assert event_date(lines) == iso


@pytest.mark.parametrize("lines", [["J. Smith 1234", "12/5/1931"], ["Dry hillside", "J. Smith 1234", "3-4-1931"]])
def test_a_numeric_date_whose_order_is_not_known_gives_nothing(lines: list[str]) -> None:
    assert event_date(lines) is None  # 12 May or 5 December: a wrong day is worse than none


@pytest.mark.parametrize(
    ("lines", "code", "order"),
    [
        (["Herb. 3 de mayo de 1931", "3/4/1931"], "US", "day"),  # another date's Spanish month word
        (["Herb. 3.V.1931", "3/4/1931"], "", "day"),  # a Roman month
        (["Herb. 3 May 1931", "3/4/1931"], "US", "month"),
        (["3/4/1931"], "CA", "unknown"),  # Canada writes both ways
        (["3/4/1931"], "MX", "day"),
        (["3/4/1931"], "GU", "month"),
    ],
)
def test_the_order_a_label_writes_numeric_dates_in(lines: list[str], code: str, order: str) -> None:
    label = Label(lines)
    found = {i: find_dates(line) for i, line in label.lines()}
    assert numeric_order(label, code, found) == order


def test_a_datum_of_a_gps_reading_is_no_language_cue() -> None:
    assert event_date(["PLANTS OF OHIO", "Datum: WGS84", "J. Smith 55", "5/6/1931"]) == "1931-05-06"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("V.12.1931", "1931-05-12"),
        ("xii-3-1904", "1904-12-03"),
        ("12.V.1931", "1931-05-12"),
        ("12-v-1931", "1931-05-12"),
        ("12 V 1931", "1931-05-12"),
        ("XII-1904", "1904-12"),
        ("the 3rd of June 1931", "1931-06-03"),
        ("1er mai 1931", "1931-05-01"),
        ("1o de mayo de 1931", "1931-05-01"),
        ("1º de mayo de 1931", "1931-05-01"),
        ("12 7bre 1931", "1931-09-12"),
        ("12 8bre 1931", "1931-10-12"),
        ("12 9bre 1931", "1931-11-12"),
        ("12 Xbre 1931", "1931-12-12"),
        ("12 Sbre 1931", "1931-09-12"),
        ("12. Okt. 1931", "1931-10-12"),
        ("12 giugno 1931", "1931-06-12"),
        ("early 1930s", "1930/1939"),
        ("1930's", "1930/1939"),
        ("May 12, 1g31", "1931-05-12"),
        ("May 12, 19 31", "1931-05-12"),
        ("May l2, 1931", "1931-05-12"),
        ("l2 May 1931", "1931-05-12"),
        ("May 1O, 1931", "1931-05-10"),
        ("between 12 and 15 May 1931", "1931-05-12/1931-05-15"),
        ("12 to 15 May 1931", "1931-05-12/1931-05-15"),
        ("1890-95", "1890/1895"),
        ("1856-7", "1856/1857"),  # the end written with its last digit only
        ("March, April and May, 1903", "1903-03/1903-05"),  # a list of the months
        ("Coll. A. Bell, 1856-7, Rosaville", "1856/1857"),
        ("1859-3", "1859"),  # no span backwards: the year alone
        ("1931-05", "1931-05"),  # ISO 8601's year-month
        ("1905-12", "1905-12"),  # not 1905 to 1912
        ("1931, May", "1931-05"),
        ("May, 12, 1931", "1931-05-12"),
        ("May the 12th, 1931", "1931-05-12"),
    ],
)
def test_label_date_forms(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["1930?", "May 12, 1931?", "ca. 1900", "c. 1900", "circa May 1900"])
def test_a_doubtful_date_gives_nothing(text: str) -> None:
    assert event_date(["J. Smith 1234", text]) is None


def test_a_misread_day_is_flagged_repaired() -> None:
    (found,) = find_dates("May l2, 1931")
    assert found.repaired


@pytest.mark.parametrize(
    "lines",
    [
        ["FLORA OF JAMAICA, 1931-1935", "J. Smith 1234", "Dry hillside"],
        ["J. Smith 1234", "cf. Fl. Bras. 6: 123. 1878"],
        ["J. Smith 1234", "Prodr. 13: 45. 1852"],
        ["Printed 1950", "J. Smith 1234"],
        ["ACCESSIONED 1952", "J. Smith 1234"],
        ["J. Smith 1234", "Verified J. Brown 1975"],
    ],
)
def test_years_that_are_not_the_collections(lines: list[str]) -> None:
    assert event_date(lines) is None


def test_a_flowers_note_before_the_year_is_no_citation() -> None:
    assert event_date(["J. Smith 1234", "Fl. white, 1931"]) == "1931"


def test_the_collection_date_beside_a_determination_and_a_series() -> None:
    assert event_date(["FLORA OF JAMAICA, 1931-1935", "J. Smith 1234", "May 12, 1931", "Det. K. Jones 1950"]) == (
        "1931-05-12"
    )


@pytest.mark.parametrize(
    ("lines", "iso"),
    [
        # a form's caption with its value written against it
        (["Coll. J. Q. Sample", "Date8 Aug 1954"], "1954-08-08"),
        (["Colector: R. Ortiz", "Fecha12 mayo 1931"], "1931-05-12"),
        (["DATEAug. 3, 1911"], "1911-08-03"),
        # a date before a line that ends with an institution word is no institution's name
        (["Elm Mountain.", "Sept.14.1934.", "University"], "1934-09-14"),
        # a deposit's year is not the collection's, nor does it make the collection year a number
        (["COLLECTED BY J. Q. Smith", "1857", "HERBARIUM OF", "JOHN DOE", "DEPOSITED NY 1982"], "1857"),
        (["J. Q. Smith 1857", "Deposited in the Elmton Herbarium 1982"], "1857"),
    ],
)
def test_captions_stamps_and_institutions_around_a_date(lines: list[str], iso: str) -> None:
    assert event_date(lines) == iso


def test_a_word_ending_like_a_caption_is_no_caption() -> None:
    assert event_date(["Update8 Aug 1954"]) == "1954-08"


@pytest.mark.parametrize(
    ("text", "iso"),
    [("12 Ma y 1931", "1931-05-12"), ("12 Jul y 1931", "1931-07-12"), ("3 Aug ust 1931", "1931-08-03"),
     ("3 de Ma yo 1931", "1931-05-03"), ("12 ft y 1931", None)],
)  # fmt: skip
def test_a_month_split_by_a_stray_space(text: str, iso: str | None) -> None:
    days = [d.iso for d in find_dates(text) if d.precision == "day"]
    assert days == ([iso] if iso else [])


@pytest.mark.parametrize(
    ("lines", "term", "iso"),
    [
        (["Carex lurida Wahlenb.", "Det. R. Jones 1975"], "dateIdentified", "1975"),  # Jones ~ June
        (["Carex lurida Wahlenb.", "det. A. B. Mayes 1962"], "dateIdentified", "1962"),  # Mayes ~ May
        (["Coll. R. Jones 1975"], "eventDate", "1975"),
    ],
)
def test_a_surname_after_an_initial_is_not_a_misread_month(lines: list[str], term: str, iso: str) -> None:
    assert extract_fields(lines)[term].value == iso


def test_a_misread_month_alone_before_a_year_still_gives_nothing() -> None:
    assert parse_date("Jones 1975") is None  # "Jones" could be "June" misread: the year alone would be wrong


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Mch. 3, 1899", "1899-03-03"), ("Apl. 12th 1870", "1870-04-12"), ("Jany 4 1870", "1870-01-04"),
     ("Feby. 1861", "1861-02"), ("Octr. 4th, 1881", "1881-10-04"), ("Septr 30 1850", "1850-09-30")],
)  # fmt: skip
def test_nineteenth_century_month_abbreviations(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("place", ["Lansing, Mich", "Maine", "Tucson, Ariz", "Knoxville, Tenn", "Omaha, Nebr"])
def test_a_state_before_the_year_is_not_a_misread_month(place: str) -> None:
    assert parse_date(f"{place} 1935") == "1935"


def test_an_old_abbreviation_is_no_target_for_a_misread_word() -> None:
    assert parse_date("Ann Arbor, Mich. 1935") == "1935"  # not March: "Mich" is Michigan, not a misread "Mch"


@pytest.mark.parametrize(
    ("place", "event_date"),
    [
        ("ELMTON, July—October.", "1886-07/1886-10"),  # the months on the place's line, the year on the collector's
        ("Near Elmton, August 27.", "1886-08-27"),
        ("Flowers July-August.", "1886"),  # a phenology note, no collecting date
    ],
)
def test_the_cued_collectors_year_completes_a_date_written_without_it(place: str, event_date: str) -> None:
    fields = extract_fields(["MEXICAN FLORA.", "Coll. Dr. A. Bell, 1886.", "No. 613.", "Elmia rosea L.", place])
    assert fields["eventDate"].value == event_date


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("A. Bell 1234 6/12/64", "1964-06-12"),  # a two-digit year closing the collector's line
        ("6/12/64 A. Bell 1234", "1964-06-12"),  # ... or opening it
        ("Coll. A. Bell 12 VI 64", "1964-06-12"),
    ],
)
def test_a_two_digit_year_beside_the_collector(line: str, iso: str) -> None:
    got = extract_fields(["LICHENS OF TENNESSEE", "Parmelia sulcata Taylor", "On oak bark near Rosaville.", line])
    assert got["recordedBy"].value == "A. Bell" and got["eventDate"].value == iso


def test_a_two_digit_year_inside_other_words_is_no_date() -> None:
    got = extract_fields(["LICHENS OF TENNESSEE", "On oak bark near Rosaville, 6/12/64 plants seen.", "A. Bell 1234"])
    assert "eventDate" not in got


@pytest.mark.parametrize(
    ("text", "iso"),
    [(".Dat2.0 July 1956", "1956-07-20"), ("2.0 July 1956", "1956-07-20"), ("Date....20 July 1956", "1956-07-20"),
     ("Dat.20 July 1956", "1956-07-20"), ("Date....2.0 July 1956", "1956-07-20")],
)  # fmt: skip
def test_a_day_after_or_split_by_a_leaders_dots_is_read_whole(text: str, iso: str) -> None:
    found = find_dates(text)
    assert [d.iso for d in found] == [iso]


@pytest.mark.parametrize("text", ["Alt. 2.5 July 1956", "12.0 July 1956", "4.5 Mayo 1956", "Update.3 May 1950"])
def test_a_measure_or_a_number_with_a_dot_before_a_month_is_no_day(text: str) -> None:
    assert [d.precision for d in find_dates(text)] == ["month"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [("8ept.18, 1938", "1938-09-18"), ("5ept. 2, 1938", "1938-09-02"), ("8ept, 4, 1938", "1938-09-04"),
     ("Sept: 2, 1938", "1938-09-02"), ("May: 12, 1931", "1931-05-12"), ("8 May 1938", "1938-05-08")],
)  # fmt: skip
def test_a_handwritten_months_s_read_as_a_digit_or_its_dot_as_a_colon(text: str, iso: str) -> None:
    assert [d.iso for d in find_dates(text)] == [iso]


@pytest.mark.parametrize("text", ["8ab 12 1938", "Lake: 2, 1938", "5ee 12, 1938"])
def test_a_digit_before_letters_that_make_no_month_is_left_as_read(text: str) -> None:
    assert [d.precision for d in find_dates(text)] == ["year"]
