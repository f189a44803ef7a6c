"""Collector numbers of printed forms and a year that is not a collector's number (made-up labels)."""

from herbproc.fields import extract_fields


def _value(lines: list[str], key: str) -> str:
    field = extract_fields(lines).get(key)
    return field.value if field else ""


def test_hash_number_with_series_and_part_read_whole() -> None:
    lines = ["FLORA OF OREGON", "Collector: Peter Wilson", "#SM82-114", "Date: 12 Jun 1985"]
    assert _value(lines, "recordNumber") == "SM82-114"


def test_hash_glued_to_the_name() -> None:
    lines = ["FLORA OF IDAHO", "Collector: Peter Wilson# 84012-13", "Date: 3 Aug 1984"]
    assert _value(lines, "recordNumber") == "84012-13"


def test_year_under_a_det_caption_is_no_number() -> None:
    lines = ["FLORA OF OREGON", "Collector: Peter Wilson", "Date: 12 Jun 1985", "Det.", "Mary R. Clark 1986"]
    assert _value(lines, "recordNumber") != "1986"
    assert _value(lines, "recordedBy") == "Peter Wilson"


def test_names_under_coll_and_det_captions_are_the_collectors() -> None:
    lines = ["FLORA OF IDAHO", "Coll:", "Det:", "Peter Wilson & Anne Moss", "#412", "3 May 1987"]
    assert _value(lines, "recordedBy") != ""
    assert _value(lines, "recordNumber") == "412"


def test_deposit_year_is_no_date_and_makes_no_number_of_a_year() -> None:
    lines = ["LICHENS OF MAINE", "COLLECTED BY J. R. Morton", "1903", "HERBARIUM OF", "DEPOSITED NY 1975"]
    assert _value(lines, "recordNumber") == ""
    assert _value(lines, "eventDate") == "1903"


def test_year_over_a_determined_caption_is_no_number() -> None:
    lines = ["LICHENS OF OREGON", "R.Smith", "1990", "(Determined)", "(Year)", "P.Jones", "4 Aug 1989", "(Collector)"]
    assert _value(lines, "recordNumber") != "1990"


def test_number_after_a_colon_closing_the_names() -> None:
    lines = ["FLORA OF ROSAVILLE", "Collector", "A.B.Elmton:16204", "12 Aug. 1974"]
    assert _value(lines, "recordNumber") == "16204"
    assert _value(lines, "recordedBy") == "A.B. Elmton"


def test_a_colon_and_a_year_after_the_names_make_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "Collector", "A. Bell: 1974"]
    assert _value(lines, "recordNumber") == ""


def test_a_decimal_measure_after_the_names_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "A. Bell, 12.5 km N of Elmton", "12 Aug. 1974"]
    assert _value(lines, "recordNumber") == ""


def test_metres_glued_to_their_figure_are_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "A. Bell 1450m", "12 Aug. 1974"]
    assert _value(lines, "recordNumber") == ""


def test_a_coordinate_after_the_names_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "A. Bell 12°30'N", "12 Aug. 1974"]
    assert _value(lines, "recordNumber") == ""


def test_a_date_with_its_short_year_after_the_names_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "A. Bell 7/25/74"]
    assert _value(lines, "recordNumber") == ""


def test_thousands_set_apart_by_a_space_make_no_short_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "A. Bell 1 234", "12 Aug. 1974"]
    assert _value(lines, "recordNumber") == ""


def test_a_day_before_the_year_its_month_lost_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "A. Bell 12 1974"]
    assert _value(lines, "recordNumber") == ""
    assert _value(["FLORA OF ROSAVILLE", "A. Bell 123 1974"], "recordNumber") == "123"


def test_a_percentage_after_the_names_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "A. Bell 45%", "12 Aug. 1974"]
    assert _value(lines, "recordNumber") == ""


def test_the_year_of_the_date_beside_the_names_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "Elmton, in woods", "A. Bell 1974", "12 Aug 1974"]
    assert _value(lines, "recordNumber") == ""
    assert _value(lines, "eventDate") == "1974-08-12"
    assert _value(["FLORA OF ROSAVILLE", "Elmton, in woods", "A. Bell 1811", "12 Aug 1974"], "recordNumber") == "1811"


def test_a_measure_under_its_caption_is_no_number() -> None:
    lines = ["FLORA OF ROSAVILLE", "Elmton, in woods", "A. Bell", "Alt.", "1450", "12 Aug 1974"]
    assert _value(lines, "recordNumber") == ""


def test_bis_and_ter_after_the_number_are_part_of_it() -> None:
    assert _value(["Quercus alba L.", "Rosaville", "A. Bell 1234 bis", "Apr. 12, 1912"], "recordNumber") == "1234 bis"
    assert _value(["Quercus alba L.", "Rosaville", "A. Bell No. 1234 ter"], "recordNumber") == "1234 ter"
    assert _value(["Quercus alba L.", "Rosaville", "A. Bell 1234 Bisbee"], "recordNumber") == ""


def test_a_number_after_the_names_and_a_spaced_dash() -> None:
    assert _value(["Quercus alba L.", "Rosaville", "A. Bell - 1234"], "recordNumber") == "1234"
    assert _value(["Quercus alba L.", "Rosaville", "A. Bell – 1234, 3 May 1912"], "recordNumber") == "1234"
    assert _value(["Quercus alba L.", "Rosaville", "A. Bell - 1234 m"], "recordNumber") == ""


def test_a_number_with_a_fraction_is_not_read_with_the_fractions_digit() -> None:
    for line in ("A. Bell 1234½", "A. Bell No. 1234½"):
        assert _value(["Quercus alba L.", "Rosaville", line], "recordNumber") == "", line
