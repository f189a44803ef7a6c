"""Collector numbers on lines apart from the collector's names (made-up labels)."""

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.number_lines import cued_number_heading, number_after_cued_names, prefixed_number


def _value(lines: list[str], key: str) -> str:
    field = extract_fields(lines).get(key)
    return field.value if field else ""


def test_cued_number_heading_the_line_under_the_collector() -> None:
    lines = ["Flora of Rosaville", "Collected by A. BELL.", "Poa annua L.", "No. 301 Elmton yard.", "May, 1896"]
    assert _value(lines, "recordNumber") == "301"


def test_cued_number_heading_no_measure_nor_date() -> None:
    assert cued_number_heading("No. 3 m tall, in clumps") is None
    assert cued_number_heading("No. 12 May 1896") is None
    assert cued_number_heading("No. 44 Elmton road") == "44"
    assert cued_number_heading("No. 5 Mine road") is None  # one digit: a mine's or a lock's number as likely


def test_cued_number_heading_far_from_the_collector_is_not_taken() -> None:
    lines = ["Coll. A. Bell", "Poa annua L.", "Dry fields", "Elmton", "No. 12 Rosaville road"]
    assert _value(lines, "recordNumber") == ""


def test_no_caption_alone_over_a_number_with_thousands() -> None:
    lines = ["PLANTS OF ROSAVILLE", "Date: Feb. 15, 1958", "Shrub 2 ft. high.", "No.", "18,186", "Collector: A. Bell"]
    assert _value(lines, "recordNumber") == "18,186"


def test_number_after_the_names_full_stop() -> None:
    lines = ["Lichens of Rosaville", "By Walter Elmton. 6157", "On rocks.", "July 18, 1937."]
    assert _value(lines, "recordNumber") == "6157"


def test_year_after_the_names_full_stop_is_no_number() -> None:
    lines = ["Lichens of Rosaville", "By Walter Elmton. 1937", "On rocks."]
    assert _value(lines, "recordNumber") == ""


def test_hash_caption_with_its_printed_prefix_and_the_digits_under_it() -> None:
    assert prefixed_number("RNFS# L-", "885") == "L-885"
    assert prefixed_number("RNFS#", "885") is None
    lines = ["LICHENS OF ROSAVILLE", "ROSAVILLE FOREST HERBARIUM", "RNFS# L-", "885", "A. Bell 1992", "(Collector)"]
    assert _value(lines, "recordNumber") == "L-885"


def test_number_after_a_full_stop_of_a_place_read_as_names_is_not_taken() -> None:
    lines = ["PLANTS OF ROSAVILLE", "Pine woods near Elmton Valle. 2984", "Coll. A. Bell 8726", "Sept. 2, 1946"]
    assert _value(lines, "recordNumber") == "8726"


def test_number_like_a_year_before_the_name_on_a_dated_label() -> None:
    lines = ["FLORA OF ROSAVILLE", "By Walter Elmton", "1730 Acarospora chlorophana(Wahlb.) Mass.", "Sept. 14, 1934."]
    assert _value(lines, "recordNumber") == "1730"


def test_year_before_the_name_on_an_undated_label_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "By Walter Elmton", "1934 Acarospora chlorophana (Wahlb.) Mass."]
    assert _value(lines, "recordNumber") == ""


def _number_on_cards(lines: list[str], cards: list[int]) -> str:
    field = extract_fields(lines, labels=cards).get("recordNumber")
    return field.value if field else ""


_HEADED = ["LICHENS OF ROSAVILLE", "3935", "Lecanora muralis (Schreb.) Rabenh.", "On granite, Elmton"]
_NAMES = ["Collected by Anne Bell", "September 1951"]


def test_number_under_the_title_in_its_own_box() -> None:
    assert _number_on_cards(_HEADED + _NAMES, [0, 0, 0, 1, 2, 2]) == "3935"


def test_number_under_the_title_not_taken_when_more_than_one_plain_number() -> None:
    lines = _HEADED + ["4412"] + _NAMES
    assert _number_on_cards(lines, [0, 0, 0, 1, 1, 2, 2]) == ""


def test_accession_stamp_of_six_digits_under_a_herbarium_is_no_number() -> None:
    lines = ["LICHENS OF ROSAVILLE", "380190", "Lecanora muralis (Schreb.) Rabenh.", "On granite, Elmton", *_NAMES]
    assert _number_on_cards(lines, [0, 0, 0, 1, 2, 2]) == ""


def test_number_over_the_title_or_under_it_on_another_card_is_not_taken() -> None:
    above = ["5820", "LICHENS OF ROSAVILLE", "Lecanora muralis (Schreb.) Rabenh.", "On granite, Elmton", *_NAMES]
    assert _number_on_cards(above, [0, 0, 0, 1, 2, 2]) == ""
    assert _number_on_cards(_HEADED + _NAMES, [0, 1, 1, 1, 2, 2]) == ""


def test_number_in_a_box_of_its_own_under_the_title() -> None:
    lines = ["FLORA OF ROSAVILLE COUNTY", "1315.", "Lecanora muralis (Schreb.) Rabenh.", *_NAMES]
    assert _number_on_cards(lines, [0, 1, 2, 3, 3]) == "1315"


@pytest.mark.parametrize("name", ["Alectoria", "Alectoria lanea (Ehrh.) Vain."])
def test_number_in_its_own_box_under_the_name_written_under_the_title(name: str) -> None:
    lines = ["ELMTON-ROSA COOPERATIVE", "BRYOGEOGRAPHIC COLLECTIONS, 1964-68", "The University of Elmton and",
             "The Rosa Botanical Laboratory", name, "4076.", "Among lichens and mosses on", "slight hummock.",
             "About 6 mi. by road W. of Elm Hill", "Coll. A. J. Bell", "2 July 1967"]  # fmt: skip
    assert _number_on_cards(lines, [0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2]) == "4076"
    lines[4] = "About 6 mi. by road W. of Rosa Hill"  # not a name: no title over the number
    assert _number_on_cards(lines, [0, 0, 0, 0, 0, 1, 2, 2, 2, 2, 2]) == ""


@pytest.mark.parametrize("title", ["JARDIN BOTANICO DE ROSAVILLE", "EXPLORATION OF ROSAVILLE"])
def test_number_at_the_head_of_the_names_card_far_above_the_names(title: str) -> None:
    lines = [title, "349", "Scrophulariaceae", "Capraria biflora L.", "Herb 25-35 cm; corolla white.",
             "Rosaville: Distrito Elmton; Ciudad", "de Elmton; in the garden's beds.", "23 Ene, 1985",
             "R. Bell, F. Dunn"]  # fmt: skip
    assert _number_on_cards(lines, [0] * len(lines)) == "349"
    assert _number_on_cards([*lines[:1], "1985", *lines[2:]], [0] * len(lines)) == ""  # a year is no number
    untitled = ["On granite, Elmton", *lines[1:]]  # no title over it: far above the names, it is not taken
    assert _number_on_cards(untitled, [0] * len(lines)) == ""


def test_zero_padded_number_under_the_title_is_a_stamp() -> None:
    lines = ["FLORA OF ROSAVILLE COUNTY", "00053", "Lecanora muralis (Schreb.) Rabenh.", *_NAMES]
    assert _number_on_cards(lines, [0, 1, 2, 3, 3]) == ""


def test_series_part_and_number_on_the_collectors_line_is_no_collector_number() -> None:
    assert _value(["Lichenes Exsiccati", "Leg. A. Bell, Fasc. 3, No. 288", "12 May 1950"], "recordNumber") == ""
    assert _value(["Lichenes Exsiccati", "Leg. A. Bell 4412, Fasc. 3, No. 288"], "recordNumber") == "4412"


def test_exsiccatas_number_before_the_collectors_names_is_the_series() -> None:
    assert _value(["Musci Americani", "No. 288 Leg. A. Bell", "12 May 1950"], "recordNumber") == ""
    assert _value(["Flora of Elmton", "No. 288 Leg. A. Bell", "12 May 1950"], "recordNumber") == "288"


def test_number_after_cued_names_read_without_their_dots() -> None:
    lines = ["Flora of Rosaville", "Shrub 3 m tall in woods", "Coll: M H Elm 64971", "30 May 2019"]
    assert _value(lines, "recordNumber") == "64971"


def test_cued_words_that_name_no_one_give_no_number() -> None:
    assert number_after_cued_names("Collected along Route 44") is None
    assert number_after_cued_names("Coll: M H Elm 1987") is None


def test_lone_number_on_a_form_with_an_accession_caption_is_not_taken() -> None:
    form = ["Name", "Cladonia rangiferina (L.) Weber", "86019", "Locality Elmton beach", "Collector", "Number"]
    assert _value(form, "recordNumber") == "86019"  # the form's only captioned number: the collector's
    assert _value([*form, "Access No."], "recordNumber") == ""


def test_accession_number_after_cued_names_is_not_the_collectors() -> None:
    assert number_after_cued_names("Coll. A. Bell Acc. No. 5521") is None
    assert number_after_cued_names("Coll. A B Elm Herb. 5521") is None


def test_number_under_a_herbariums_stamp_is_its_accession() -> None:
    lines = ["HERBARIUM OF ELMTON COLLEGE", "4521", "Lecanora muralis (Schreb.) Rabenh.", "On granite, Elmton", *_NAMES]
    assert _number_on_cards(lines, [0, 0, 1, 1, 2, 2]) == ""


def test_number_under_a_museums_expedition_title_is_taken() -> None:
    lines = ["Elmton Museum Expedition to Rosaville, 1941", "1315.", "Lecanora muralis (Schreb.) Rabenh.", *_NAMES]
    assert _number_on_cards(lines, [0, 1, 2, 3, 3]) == "1315"


_KIENER = ["FLORA OF ROSAVILLE", "COLLECTED AND DISTRIBUTED BY", "WALTER ELMTON", "3670", "Lecanora muralis (Schreb.)"]


def test_collected_and_distributed_by_names_the_collector_and_no_series() -> None:
    fields = extract_fields([*_KIENER, "July 25, 1936"])
    assert fields["recordedBy"].value == "Walter Elmton"
    assert fields["recordNumber"].value == "3670"


def test_number_heading_the_next_box_under_the_names() -> None:
    assert _number_on_cards([*_KIENER, "July 25, 1936"], [0, 0, 0, 1, 1, 1]) == "3670"
    assert _number_on_cards([*_KIENER, "July 25, 1936"], [0, 0, 0, 1, 2, 2]) == ""  # a box of its own: a stamp's


def test_a_number_alone_opening_with_the_collection_years_digits_is_the_collectors() -> None:
    lines = ["650161a", "LICHENS OF ROSAVILLE", "On rock", "Elmton Co.", "Oct. 30, 1965 Coll. A. Bell & C. Dunn"]
    assert _value(lines, "recordNumber") == "650161a"


def test_a_number_alone_of_another_year_stays_a_stamp() -> None:
    lines = ["157836", "LICHENS OF ROSAVILLE", "On rock", "Elmton Co.", "Oct. 30, 1965 Coll. A. Bell & C. Dunn"]
    assert _value(lines, "recordNumber") == ""


def test_a_cued_number_before_the_plants_name_on_its_line_is_the_collectors() -> None:
    # an expedition's form prints "No." before the blank where the name is written: both read as one line
    lines = ["EXPLORATION OF ELMIA", "No. 13350 Quercus elmensis (L.) Bell", "Muddy soil", "A. BELL", "COLLECTOR",
             "APRIL 12, 1912"]  # fmt: skip
    assert extract_fields(lines)["recordNumber"].value == "13350"
    lines[1] = "No. 13350 Muddy soil"  # a habitat after it, away from the names: no name's number
    assert "recordNumber" not in extract_fields(lines)


def test_a_cued_number_under_the_forms_det_line_right_under_the_collector() -> None:
    lines = ["Quercus alba L.", "Rosaville", "Coll. A. Bell", "Det. C. Dunn", "No. 1234"]
    assert _value(lines, "recordNumber") == "1234"


def test_a_cued_number_under_the_det_line_right_above_the_collectors_names() -> None:
    lines = ["Quercus alba L.", "Rosaville", "12 May 1965", "Det. C. Dunn", "No8017", "A. Bell, C. Rose"]
    assert _value(lines, "recordNumber") == "8017"


def test_a_cued_number_under_a_det_slip_apart_from_the_collector_is_not_his() -> None:
    lines = ["Quercus alba L.", "Coll. A. Bell", "Rosaville", "Det. C. Dunn", "No. 1234"]
    assert _value(lines, "recordNumber") == ""


def test_numero_alone_before_its_number_is_no_surname() -> None:
    lines = ["Quercus alba L.", "Rosaville", "A. Bell", "Numero 1234"]
    assert (_value(lines, "recordedBy"), _value(lines, "recordNumber")) == ("A. Bell", "1234")


def test_more_cues_of_a_number_alone_on_its_line() -> None:
    for cue in ("N.º", "Collectors' No.", "Número de colección:"):
        assert _value(["Quercus alba L.", "Rosaville", "A. Bell", f"{cue} 1234"], "recordNumber") == "1234", cue


def test_a_number_alone_with_a_unit_or_a_count_written_out_is_no_collectors() -> None:
    for line in ("1234 feet", "1234 metres", "12 sheets"):
        assert _value(["Quercus alba L.", "Rosaville", "A. Bell", line], "recordNumber") == "", line


def test_a_cued_number_before_the_determiner_on_one_line() -> None:
    # the form's "No." and "Det." blanks side by side
    fields = extract_fields(["PLANTS OF ROSAVILLE", "Elmton", "A. Bell", "No. 1234   Det. D. Hess", "Feb. 12, 1912"])
    assert fields["recordNumber"].value == "1234"
    assert fields["identifiedBy"].value == "D. Hess"


def test_a_cued_number_alone_with_its_series_letter_or_suffix() -> None:
    for written, number in [("No, 1234", "1234"), ("No. 1234-A", "1234-A"), ("No. 1234 bis", "1234 bis"),
                            ("Field No. A-1234", "A-1234"), ("No. 12 m", "")]:  # fmt: skip
        lines = ["PLANTS OF ROSAVILLE", "Elmton", "A. Bell", written, "Feb. 12, 1912"]
        assert _value(lines, "recordNumber") == number, written


def test_a_caption_glued_after_a_cued_number_is_no_suffix() -> None:
    # the form's next caption ("FAMILIA") read onto the number: its first letter is no suffix of the number
    lines = ["JARDIN BOTANICO DE ROSAVILLE", "NO.9771FAMILIA", "Araliaceae", "Elmton", "A. Bell, C. Dunn."]
    assert _value(lines, "recordNumber") == "9771"
    assert _value(["PLANTS OF ROSAVILLE", "Elmton", "A. Bell", "No. 1234a", "Feb. 12, 1912"], "recordNumber") == "1234a"


def test_a_coded_field_number_right_under_the_collectors_names() -> None:
    # a series' letters before the number and a part after the hyphen: "T1013-15"
    assert _value(["Coll:", "A. B. Bell", "T1013-15", "10 July 1981"], "recordNumber") == "T1013-15"
    assert _value(["Coll. A. Bell", "Elmton", "T1013-15"], "recordNumber") == ""  # not right under the names


@pytest.mark.parametrize("line", ["#SM97-137", "# SM97-137", "No. SM97-137"])
def test_a_cued_number_with_its_series_letters_alone_on_its_line(line: str) -> None:
    lines = ["FLORA OF ALASKA", "Location Elm Island", "Collector Stephen & Sandra Bell", line, "Det.", "J. Rosa"]
    assert _value(lines, "recordNumber") == "SM97-137"
