"""Open nomenclature ("Carex cf. alba", "aff.", "nr."): the name is the species', the qualifier is read apart, into
dwc:identificationQualifier, with or without a taxonomy; a gold name written with it is scored as its species."""

from __future__ import annotations

import pytest

from herbproc.fields import TaxonIndex, extract_fields, parse_name, resolve_taxon, to_darwin_core
from herbproc.fields.names import qualifier_in
from herbproc.fields.score import judge
from herbproc.ocr.reader import set_taxon_fields


@pytest.mark.parametrize(
    ("text", "canonical", "authorship", "qualifier"),
    [
        ("Carex cf. alba L.", "Carex alba", "L.", "cf."),
        ("Carex cf alba", "Carex alba", "", "cf."),
        ("Lecanora aff. muralis (Schreb.) Rabenh.", "Lecanora muralis", "(Schreb.) Rabenh.", "aff."),
        ("Salix nr. alba var. vitellina L.", "Salix alba var. vitellina", "L.", "nr."),
        ("Carex alba L.", "Carex alba", "L.", ""),
        ("Carex cf.", "Carex", "", ""),  # nothing to compare with: the genus alone
    ],
)
def test_a_qualifier_is_read_apart_from_the_name(text: str, canonical: str, authorship: str, qualifier: str) -> None:
    parsed = parse_name(text)
    assert parsed is not None
    assert (parsed.canonical, parsed.authorship, parsed.qualifier) == (canonical, authorship, qualifier)
    assert "cf" not in parsed.scientific_name.split()


def test_qualifier_in_a_line_needs_a_genus_before_and_an_epithet_after() -> None:
    assert qualifier_in("Det. as Carex cf. alba L., J. Doe 1974") == "cf."
    assert qualifier_in("Carex aff alba") == "aff."
    assert qualifier_in("Det. conf. R. Smith 1980") == "" and qualifier_in("cf. Fl. N. Amer. 3: 12") == ""


def test_a_qualified_label_name_resolves_to_the_listed_species_as_well_as_the_plain_one() -> None:
    index = TaxonIndex(["Carex alba L.", "Carex albula Boott", "Carex albicans Willd."])
    plain = resolve_taxon(["Carex alba L.", "Coll. J. Doe 12"], index)
    qualified = resolve_taxon(["Carex cf. alba L.", "Coll. J. Doe 12"], index)
    assert qualified.name == plain.name == "Carex alba L."
    assert qualified.confidence == pytest.approx(plain.confidence, abs=0.01), "cf. is written, not OCR debris"


def test_a_names_list_keeps_the_unqualified_entry_of_a_taxon() -> None:
    index = TaxonIndex(["Alectoria cf. nigricans", "Alectoria nigricans (Ach.) Nyl.", "Alectoria sarmentosa Ach."])
    assert index.names == ["Alectoria nigricans (Ach.) Nyl.", "Alectoria sarmentosa Ach."]


@pytest.mark.parametrize("with_index", [True, False])
def test_extract_fields_gives_the_identification_qualifier(with_index: bool) -> None:
    index = TaxonIndex(["Carex alba L.", "Carex albula Boott"]) if with_index else None
    row = to_darwin_core(extract_fields(["HERBARIUM OF OHIO", "Carex cf. alba L.", "Coll. J. Doe 12"], index))
    assert (row["scientificName"], row["identificationQualifier"]) == ("Carex alba L.", "cf.")
    row = to_darwin_core(extract_fields(["HERBARIUM OF OHIO", "Carex alba L.", "Coll. J. Doe 12"], index))
    assert row["identificationQualifier"] == ""


def test_the_readers_taxon_fields_take_the_qualifier_from_the_names_line() -> None:
    index = TaxonIndex(["Carex alba L.", "Carex albula Boott"])
    lines = ["Coll. J. Doe 12", "Carex cf. alba L."]
    taxon = resolve_taxon(lines, index)
    fields: dict = {}
    set_taxon_fields(fields, taxon, index, lines)
    assert fields["identificationQualifier"].value == "cf." and fields["scientificName"].value == "Carex alba L."
    set_taxon_fields(fields, taxon, index)  # the lines not given: no qualifier
    assert "identificationQualifier" not in fields


def test_a_gold_name_with_a_qualifier_is_scored_as_its_species() -> None:
    assert judge("scientificName", "Alectoria cf. nigricans", "Alectoria nigricans (Ach.) Nyl.") == "right"
    assert judge("scientificName", "Alectoria cf. nigricans", "Alectoria sarmentosa Ach.") == "wrong"
