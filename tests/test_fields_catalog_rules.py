"""catalogNumber label conventions: barcodes of herbaria not in the table, which bare number is the barcode.
Made-up label lines."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields
from herbproc.fields.institutions import find_catalog_number


def read(lines: list[str]) -> dict[str, str]:
    return {k: f.value for k, f in extract_fields(lines).items()}


@pytest.mark.parametrize(
    ("line", "number", "prefix"),
    [("QRST04321", "QRST04321", "QRST"), ("XYZ.067890", "XYZ.067890", "XYZ"), ("Z0099887K", "Z0099887K", "Z")],
)
def test_barcodes_of_herbaria_not_in_the_table(line: str, number: str, prefix: str) -> None:
    found = find_catalog_number(line)
    assert found is not None and (found.number, found.prefix, found.code, found.cued) == (number, prefix, "", False)


@pytest.mark.parametrize("line", ["NO.45678", "ALT.12000", "TOWN122", "J72000RSA", "ABC 1234567", "QRST04321 Smith"])
def test_capitals_and_digits_that_are_not_barcodes(line: str) -> None:
    assert find_catalog_number(line) is None


def test_a_coded_barcode_wins_over_a_bare_stamped_number() -> None:
    got = read(["Viola sp.", "4471925", "QRST04321"])
    assert got["catalogNumber"] == "QRST04321"


def test_a_zero_padded_barcode_wins_over_a_bare_number() -> None:
    assert read(["Viola sp.", "3318820", "00412377"])["catalogNumber"] == "00412377"


def test_two_different_bare_numbers_give_no_catalog_number() -> None:
    assert "catalogNumber" not in read(["Flora of Idaho", "Salix sp.", "5531872", "2209461"])


@pytest.mark.parametrize(
    ("line", "number"), [("010130C2", "01013002"), ("0O812345", "00812345"), ("0SB12345", "05812345")]
)
def test_a_padded_barcode_number_with_a_digit_read_as_its_lookalike_letter(line: str, number: str) -> None:
    assert read(["University of Elmton Herbarium", line])["catalogNumber"] == number


@pytest.mark.parametrize("line", ["010130CC2X", "01O1OO02", "C0123456", "0123456R", "BOTANICAL"])
def test_letters_at_an_end_or_more_than_two_are_no_misread_barcode(line: str) -> None:
    found = find_catalog_number(line)
    assert found is None or found.number == line  # read as written or not at all, never "repaired"


@pytest.mark.parametrize("line", ["ELM-L-0000012", "Herbarium ELM-L-0000012"])
def test_a_collections_letters_between_code_and_digits_are_no_herbarium_code(line: str) -> None:
    got = read(["Lichens of Rosaville", line])
    assert got["catalogNumber"] == "ELM-L-0000012" and got.get("institutionCode") != "L"  # "L" is Leiden's


def test_a_known_code_before_a_collections_letters_is_the_institution() -> None:
    found = find_catalog_number("NY-L-0012345")
    assert found is not None and (found.number, found.code, found.prefix) == ("NY-L-0012345", "NY", "NY-L")


@pytest.mark.parametrize("stamp", [["No", "ELMTON MUSEUM", "OF", "NATURAL HISTORY", "2228497"], ["1362777"]])
def test_a_bare_unpadded_number_is_an_accession_stamps_not_the_catalogue_number(stamp: list[str]) -> None:
    got = read(["FLORA OF ROSA", "Carex elmensis Bell", "A. Bell 1234", *stamp])
    assert "catalogNumber" not in got and got.get("recordNumber") == "1234"
