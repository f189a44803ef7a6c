"""eventDate label conventions: two-digit years, gift stamps, a trip's year under its header, a collecting season
printed on a form. Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.dates import find_dates, parse_date


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("6-21-78", "1978-06-21"),  # month first with a dash, as with four-digit years
        ("6-21.78", "1978-06-21"),  # a dash read as a dot
        ("21.6.78", "1978-06-21"),  # dots: day first
        ("Date: 3-Mar-59", "1959-03-03"),
        ("DATE 30 Sept 67", "1967-09-30"),
        ("July 4, '66", "1966-07-04"),
        ("9.XI.71", "1971-11-09"),
    ],
)
def test_two_digit_years_filling_their_line_are_read_as_19yy(text: str, iso: str) -> None:
    (found,) = find_dates(text)
    assert (found.iso, found.two_digit_year) == (iso, True)


@pytest.mark.parametrize(
    "text",
    [
        "6-21-08",  # 1908 or 2008: not guessed
        "6/12/12",
        "6-21-78 m",  # a measure
        "Plot 6-21-78",  # not the whole line
        "13-14-78",  # no month
        "No. 6-21-78",
    ],
)
def test_two_digit_years_not_read(text: str) -> None:
    assert parse_date(text) is None


def test_a_two_digit_year_beside_a_nineteenth_century_year_is_not_read() -> None:
    got = read(["Flora of Ohio, 1884", "Viola sp.", "5-3-79"])
    assert got.get("eventDate") != "1879-05-03" and got.get("eventDate") != "1979-05-03"


def test_a_two_digit_year_is_read_on_a_label() -> None:
    got = read(["PLANTS OF GEORGIA", "Quercus alba L.", "Dry ridge, Pike Co.", "6-21-78"])
    assert got["eventDate"] == "1978-06-21"


@pytest.mark.parametrize(
    "lines",
    [
        ["FLORA OF KANSAS", "Ulmus rubra Muhl.", "GIFT OF THE ESTATE OF H. GREY", "Topeka", "March 1962"],
        ["Sedum sp.", "Rocky bank", "Presented to the", "Lakeside Natural History Society", "by Mr. O. Vance, 1931"],
        ["Saxifraga sp.", "Comm. R. Ashby, April, 1877."],
    ],
)
def test_a_gift_stamps_month_or_year_is_not_the_collection_date(lines: list[str]) -> None:
    assert "eventDate" not in read(lines)


def test_a_collection_date_to_the_day_beside_a_gift_stamp_is_kept() -> None:
    got = read(["Carex sp.", "Gift of the Brandt Herbarium", "Wet meadow, 12 June 1931"])
    assert got["eventDate"] == "1931-06-12"


def test_a_trips_year_alone_under_its_header_dates_a_yearless_day() -> None:
    got = read(["PLANTAE PERUVIANAE.", "1911.", "Lupinus sp.", "Hills near Cuzco.", "3, March."])
    assert got["eventDate"] == "1911-03-03"


def test_a_yearless_day_inside_a_printed_season_is_the_collection_date() -> None:
    lines = ["Ranunculus sp.", "Alpine meadow", "Field season 10 May - 30 Sept. 1958", "14 July", "R. Orr"]
    assert read(lines)["eventDate"] == "1958-07-14"


def test_a_yearless_day_outside_the_season_is_not_taken() -> None:
    lines = ["Ranunculus sp.", "Alpine meadow", "Field season 10 May - 30 Sept. 1958", "2 October", "R. Orr"]
    assert read(lines)["eventDate"] == "1958-05-10/1958-09-30"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Fecha: 4/9/83.-", "1983-09-04"),  # a Spanish form writes the day first; ".-" closes a typed line
        ("Datum: 4/9/83", "1983-09-04"),
        ("Date: 4/9/83", "1983-04-09"),  # an English form: month first
    ],
)
def test_a_fecha_or_datum_cue_puts_the_day_first(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("May-Sept. 1952", "1952-05/1952-09"),
        ("April to June 1952", "1952-04/1952-06"),
        ("Oct. Nov. Dec. 1952", "1952-10/1952-12"),  # months one after another: the span they cover
        ("SeptOct. 1952", "1952-09/1952-10"),  # OCR lost the dash
    ],
)
def test_a_span_of_months_is_an_interval(text: str, iso: str) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["Sept.-May 1952", "Meadow June 1952", "May Aug. 1952"])
def test_words_that_are_not_a_span_of_months_are_not_one(text: str) -> None:
    assert "/" not in (parse_date(text) or "")


def test_a_date_alone_under_a_determiners_line_is_the_determinations() -> None:
    lines = ["Sida sp.", "Det. R. Okafor", "2 May 1991", "Dry hillside", "Coll. P. Haugen 311", "17 Aug. 1962"]
    got = read(lines)
    assert (got["eventDate"], got["dateIdentified"]) == ("1962-08-17", "1991-05-02")


def test_a_year_under_a_determiners_institution_is_the_determinations() -> None:
    lines = ["Sida sp.", "det. R. Okafor", "The University of Elmshire", "1975", "PLANTS OF ROSALIA", "Coll. P. Haugen",
             "12 Aug. 1929"]  # fmt: skip
    got = read(lines)
    assert (got["eventDate"], got["dateIdentified"]) == ("1929-08-12", "1975")
    lines[2] = "Dry hillside above the creek"  # a place line between them: the year stays the collection's rival
    assert read(lines).get("dateIdentified") != "1975"


def test_a_labels_only_date_under_determined_by_is_the_collection_date() -> None:
    lines = ["Sida sp.", "Dry hillside", "P. Haugen 311", "Determined by: P. Haugen", "17 Aug. 1962"]
    assert read(lines)["eventDate"] == "1962-08-17"


@pytest.mark.parametrize(("text", "iso"), [("21 F3b. 1966", "1966-02-21"), ("4 0ct. 1966", "1966-10-04")])
def test_a_month_with_one_letter_read_as_a_digit_is_the_one_month_it_fits(text: str, iso: str) -> None:
    (found,) = find_dates(text)
    assert (found.iso, found.guessed) == (iso, True)


@pytest.mark.parametrize("text", ["21 J4n. 1966", "Plot 21 B4 1966"])  # jan or jun; no month
def test_a_month_with_a_digit_that_fits_no_one_month_is_not_read(text: str) -> None:
    assert all(d.precision == "year" for d in find_dates(text))


@pytest.mark.parametrize(
    "stamp", ["OCT 07 1931", "SEP 091948", "MAR 21 1943", "RECEIVED OCT 7 1931", "Rec'd Oct. 7, 1931"]
)  # a stamp's day has two digits: "MAR 21 1943" as "OCT 07 1931"
def test_a_date_or_received_stamp_is_not_the_collection_date(stamp: str) -> None:
    got = extract_fields([stamp, "FLORA OF THE NORTHERN RANGES", "T. V. Ambler 2281", "12 May 1927"])
    assert got["eventDate"].value == "1927-05-12"


@pytest.mark.parametrize(
    "line", ["der Wald bei Elmstadt 1902", "dct. elm 1902", "Derby. Elmstadt 1902", "der M. 1902", "Der MEYER 1902"]
)
def test_der_or_dct_opening_other_words_is_no_determination(line: str) -> None:
    from herbproc.fields.people import opens_with_determiner_cue

    assert not opens_with_determiner_cue(line)


def test_a_stamp_alone_gives_no_collection_date() -> None:
    assert "eventDate" not in extract_fields(["OCT 07 1931", "FLORA OF THE NORTHERN RANGES", "T. V. Ambler 2281"])


def test_a_printed_date_in_capitals_is_a_collection_date() -> None:
    got = extract_fields(["FLORA OF THE NORTHERN RANGES", "T. V. Ambler 2281", "OCTOBER 7, 1931"])
    assert got["eventDate"].value == "1931-10-07"


@pytest.mark.parametrize(
    "line", ["Conf A Lindqvist 2003", "Det B Ory, 1988", "Rev. by Q Ory 1971", "der. M. Ory. 2019", "dct. B. Ory 1988",
             "der M. Ory. 2019"]
)  # ("der.", "dct.": "det." as the reader misreads it on a thumbnail)
def test_a_determination_line_with_a_misread_name_gives_no_collection_year(line: str) -> None:
    got = extract_fields(["FLORA OF THE NORTHERN RANGES", "T. V. Ambler 2281", line])
    assert "eventDate" not in got
    assert got["recordNumber"].value == "2281"


@pytest.mark.parametrize("stamp", ["Mounted 3 May 1990", "Digitized 2019-05-03", "Herbarium accession 12 May 1990"])
def test_the_herbariums_handling_date_is_not_the_collection_date(stamp: str) -> None:
    assert "eventDate" not in extract_fields(["FLORA OF ROSAVILLE", "Elmton, in woods", "A. Bell 2281", stamp])


def test_a_distribution_or_purchase_year_is_not_the_collections() -> None:
    for line in ("Distributed 1913", "Purchased 1950", "Exchanged 1950", "Acquired 1950"):
        fields = extract_fields(["Quercus alba L.", "Rosaville", "A. Bell 1234", line])
        assert "eventDate" not in fields, line


def test_a_cited_works_year_after_its_volume_and_page_is_not_the_collections() -> None:
    fields = extract_fields(["Quercus alba L.", "N. Amer. Fl. 12: 34. 1912", "Rosaville", "A. Bell 1234"])
    assert "eventDate" not in fields


def test_a_date_stamped_under_an_accession_number_is_not_the_collections() -> None:
    lines = ["Acc. 12345", "Mar. 3, 1913", "PLANTS OF ROSAVILLE", "Elmton", "A. Bell 1234", "Feb. 12, 1912"]
    assert extract_fields(lines)["eventDate"].value == "1912-02-12"
    assert "eventDate" not in extract_fields(lines[:-1])  # the stamp's date alone: none


def test_the_date_of_a_chemistry_run_is_no_collection_date() -> None:
    # a lichen's TLC, run years later: "TLC, C. Dunn, 12 May 1990"
    lines = ["Parmelia sulcata", "On bark, Rosaville", "Ann Bell 1234", "TLC, C. Dunn, 12 May 1990"]
    assert "eventDate" not in extract_fields(lines)
    lines = ["Parmelia sulcata", "On bark, Rosaville", "Ann Bell 1234, 12 Aug 1974", "TLC, C. Dunn, 12 May 1990"]
    assert extract_fields(lines)["eventDate"].value == "1974-08-12"


SLIP_BESIDE = ["FLORA OF MISSOURI", "Carex rosea Dunn", "Shaded boulders on top of", "Univ. of Elmton",
               "limestone bluffs along Elm", "Carex rosea Bell", "Fork of Elm River", "Sept, 1956",
               "2 mi. N. of Elmville", "Ann B. Roe", "No. 6160", "{date}", "JULIAN A. STEYERMARK, COLLECTOR"]  # fmt: skip


@pytest.mark.parametrize("unread", ["June 24, 1038", "gune 24,1036", "Sept.1, 1008"])
def test_a_month_elsewhere_is_no_collection_date_when_the_labels_own_day_was_seen_unread(unread: str) -> None:
    # a slip beside the label, its lines read between the label's, gives a month; the label's day was written
    # with its year's 9 read as 0
    lines = [line.format(date=unread) for line in SLIP_BESIDE]
    assert "eventDate" not in extract_fields(lines)
    read = [line.format(date="June 24, 1938") for line in SLIP_BESIDE]
    assert extract_fields(read)["eventDate"].value == "1938-06-24"
    assert extract_fields([line for line in lines if line != unread])["eventDate"].value == "1956-09"


@pytest.mark.parametrize(
    "det_line",
    [
        "De: J. Williams & B.L. Turner, 30 Jul 1996",  # "Det:" with its t lost
        "Doc: J. Wllams & B.L. Turner, 30 Jul 1996",  # its letters read round
        "De: 1. Wilias & B.L. Turner, 30 Jul 1996",  # the initial read as a 1
    ],
)
def test_a_misread_det_cue_with_its_colon_keeps_its_date_for_the_determination(det_line: str) -> None:
    got = read(["Capraria biflora L.", det_line, "PLANTS OF CUBA", "Herb in wet ditches.", "R. A. Howard"])
    assert got.get("dateIdentified") == "1996-07-30"
    assert "eventDate" not in got


@pytest.mark.parametrize(
    "det_line",
    [
        "Dec A. Wellan & R. Tanner, 12 Mar 1988",  # "Det" with its t read as a c, no dot
        "Dee A. Wellan & R. Tanner, 12 Mar 1988",
        "DOT. A.B. Wellan 12 Mar 1988",  # its e read as an o
        "oet. A. Wellan, 12 Mar 1988",  # its d read as an o
    ],
)
def test_a_det_cue_one_letter_off_keeps_its_date_and_names_for_the_determination(det_line: str) -> None:
    got = read(["Capraria biflora L.", det_line, "PLANTS OF CUBA", "Herb in wet ditches.", "R. A. Howard"])
    assert got.get("dateIdentified") == "1988-03-12"
    assert "eventDate" not in got
    alone = read(["Capraria biflora L.", det_line, "NEW YORK BOTANICAL GARDEN"])
    assert "eventDate" not in alone
    assert "recordedBy" not in alone


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Bet. Albany and Troy, 12 Mar 1988", "1988-03-12"),  # "between", a place's
        ("Dec. 12, 1988", "1988-12-12"),
        ("del Museo y Pabellon Docente, 12 Mar 1988", "1988-03-12"),
        ("Dpt. Santa Cruz: Elmpampa, 12 Mar 1988", "1988-03-12"),  # a department's abbreviation
        ("Dep. Santa Cruz: Elmpampa, 12 Mar 1988", "1988-03-12"),
    ],
)
def test_a_word_one_letter_from_det_before_no_name_is_no_determination(line: str, date: str) -> None:
    from herbproc.fields.people import opens_with_determiner_cue

    assert not opens_with_determiner_cue(line)
    assert read(["Capraria biflora L.", line, "R. A. Howard 6581"]).get("eventDate") == date


@pytest.mark.parametrize("line", ["No1795", "Na1795)", "Na 1795", "Nº1795"])  # the cue glued, or its o read as an a
def test_a_number_after_its_cue_is_no_year(line: str) -> None:
    got = read(["PLANTS OF CUBA", "Capraria biflora L.", line, "Herb in wet ditches.", "R. A. Howard"])
    assert got.get("recordNumber") == "1795"
    assert "eventDate" not in got


def test_a_day_s_date_glued_to_a_cued_number_stays_a_date() -> None:
    got = read(["FLORA OF ALASKA", "Cetraria laevigata Rass.", "Coll: A. Bell", "#A91A-24 July 1982"])
    assert got.get("eventDate") == "1982-07-24"


def test_a_date_after_a_misread_date_caption_is_the_collection_s() -> None:
    got = read(["PLANTS OF CUBA", "Capraria biflora L.", "De: 1. Juli 1931", "R. A. Howard 6581"])
    assert got.get("eventDate") == "1931-07-01"


@pytest.mark.parametrize("stamp", ["DEPCSITED 1948", "DEPCEITED 1948", "RECEIVBD 1948"])
def test_a_stamps_word_misread_still_makes_its_year_no_collection_date(stamp: str) -> None:
    got = read(["MEXICAN FLORA.", "Coll. Dr. Edward Palmer", "x3633", stamp, "IN", "BOTANICAL"])
    assert "eventDate" not in got


def test_a_word_of_its_own_near_a_stamps_word_leaves_the_date() -> None:
    got = read(["MEXICAN FLORA.", "Coll. Dr. Edward Palmer", "perceived 1948"])  # a word, two letters off
    assert got.get("eventDate") == "1948"
