"""Herbaria and catalogue numbers (herbproc.fields.institutions)."""

from __future__ import annotations

import pytest

from herbproc.fields import extract_fields, institutions
from herbproc.fields.institutions import HERBARIA, find_catalog_number, find_institution


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Gray Herbarium of Harvard University", "GH"),
        ("GRAY HERBARIUM", "GH"),
        ("NEW ENGLAND BOTANICAL CLUB", "NEBC"),
        ("Harvard University Herbaria", "HUH"),
        ("Arnold Arboretum", "A"),
        ("Missouri Botanical Garden Herbarium", "MO"),
        ("University of Michigan Herbarium", "MICH"),
        ("Herbarium of the University of Kansas", ""),  # generic: name only
        ("HERBARIUM OF THE UNIVERSITY OF KANSAS", ""),
        ("Herbier du Québec", ""),
    ],
)
def test_herbaria(line: str, code: str) -> None:
    found = find_institution(line)
    assert found is not None
    assert found.code == code
    assert found.name


def test_every_name_in_the_dictionary_maps_to_its_code() -> None:
    for code, names in HERBARIA.items():
        for name in names:
            found = find_institution(f"Ex herb. {name}")
            assert found is not None and found.code == code, (name, found)


@pytest.mark.parametrize("line", ["Plants of Connecticut", "Coll. J. Smith", "the new herbarium", "", "~~~"])
def test_not_herbaria(line: str) -> None:
    assert find_institution(line) is None


@pytest.mark.parametrize(
    ("line", "number", "code", "cued"),
    [
        ("00123456", "00123456", "", False),
        ("GH00012345", "GH00012345", "GH", False),
        ("GH 00012345", "GH00012345", "GH", False),
        ("NEBC 00812345", "NEBC00812345", "NEBC", False),
        ("Catalog No. 12345", "12345", "", True),
        ("Barcode: 00812345", "00812345", "", True),
        ("Acc. No. 1234", "1234", "", True),
        ("Herbarium No. GH-123456", "GH-123456", "GH", True),
    ],
)
def test_catalog_numbers(line: str, number: str, code: str, cued: bool) -> None:
    found = find_catalog_number(line)
    assert found is not None
    assert (found.number, found.code, found.cued) == (number, code, cued)


@pytest.mark.parametrize("line", ["1912", "No. 1234", "Coll. J. Smith 12345", "ABC 1234567", "12 June 1912"])
def test_not_catalog_numbers(line: str) -> None:
    assert find_catalog_number(line) is None


def test_a_country_alone_under_a_generic_herbariums_complete_name_is_the_country() -> None:
    got = extract_fields(["Psidium guajava L.", "HERBARIUM OF THE UNIVERSITY OF VALLETTA", "CUBA",
                          "Prov. Oriente: near Baracoa"])  # fmt: skip
    assert (got["country"].value, got["stateProvince"].value) == ("Cuba", "Oriente")
    # a name that stops on "OF" goes on into the next line: the herbarium's, no place
    assert "country" not in extract_fields(["Psidium guajava L.", "HERBARIUM OF THE UNIVERSITY OF", "PUERTO RICO"])


@pytest.mark.parametrize(
    "header",
    [
        "UNIVERSIDAD DE PUERTO RICO, MAYAGÜEZ",
        "HERBARIO DE LA UNIVERSIDAD DE COSTA RICA",
        "INSTITUTO DE BOTÁNICA DE VENEZUELA",
        "MUSEO NACIONAL DE COSTA RICA",
    ],
)
def test_a_herbarium_named_in_spanish_is_no_collecting_place(header: str) -> None:
    # the herbarium's own name holds a country; the label says nothing of where the plant grew
    fields = extract_fields([header, "Quercus elmensis Bell", "Coll. A. Bell 123", "12 May 1960"])
    assert "institutionName" in fields
    assert "country" not in fields and "countryCode" not in fields


@pytest.mark.parametrize(
    ("line", "code"),
    [("University of Elmton (ELM)", "ELM"), ("Rosa State University Herbarium (ROSA)", "ROSA"),
     ("University of Elmton (LL, TEX)", ""), ("University of Elmton (Biology)", "")],
)  # fmt: skip
def test_a_herbariums_own_code_in_brackets_after_its_name(line: str, code: str) -> None:
    found = find_institution(line)
    assert found is not None and found.code == code


@pytest.mark.parametrize("line", ["THE UNIVERSITY OF ELMTON", "The University of Elmton and"])
def test_the_university_of_a_place_is_named_whole(line: str) -> None:
    found = find_institution(line)
    assert found is not None and found.name.lower() == "university of elmton"


def test_an_acronym_in_a_herbariums_name_stays_in_capitals() -> None:
    assert extract_fields(["ELMFWS HERBARIUM", "FLORA OF ROSAVILLE"])["institutionName"].value == "ELMFWS Herbarium"


@pytest.mark.parametrize(
    ("line", "repaired"),
    [
        ("THE NEW YORK BOTANICAL GARGEN", "THE NEW YORK BOTANICAL GARDEN"),
        ("Universttyof North Carolina", "University of North Carolina"),
        ("The Uwversity of Texas Herberium", "The University of Texas Herbarium"),
        ("the warden of Garten Hall", "the warden of Garten Hall"),  # words of their own
        ("Lntyersety of Michigan", "Lntyersety of Michigan"),  # too far from "university" to be taken for it
    ],
)
def test_institution_words_misread_are_repaired(line: str, repaired: str) -> None:
    text, to_line = institutions.repair_institution_words(line)
    assert text == repaired
    assert len(to_line) == len(text) + 1
    assert to_line[-1] == len(line)
    assert to_line == sorted(to_line)  # the spans found in the repaired text stay in order on the line


def test_a_misread_institutions_span_is_on_the_line_as_read() -> None:
    line = "Ex The Uwversity of Texas Herberium 1961"
    found = institutions.find_institution(line)
    assert found is not None
    assert (found.code, found.name) == ("TEX", "University of Texas Herbarium")
    assert line[found.start : found.end] == "Uwversity of Texas Herberium"
