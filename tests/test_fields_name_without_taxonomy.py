"""The name a label gives when no taxonomy is given (``herbproc ocr`` without ``--names``): the rules that find
it, its calibrated confidence and the floor below which it is left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from herbproc.fields import Field, extract_fields
from herbproc.fields.calibration import FieldCalibration, load
from herbproc.fields.names import find_name_in_line
from herbproc.ocr.reader import TAXON_TERMS, finish_fields
from herbproc.ocr.settings import ocr_settings


@pytest.mark.parametrize(
    ("line", "not_genus"),
    [
        ("SANTO DOMINGO, REPUBLICA DOMINICANA", "Domingo"),  # places listed, the first before a comma
        ("UNITED STATES: ALASKA: Amchitka", "United"),
        ("Political division: Bosque Insular de Guanica", "Political"),  # a caption
        ("REVISIONARY STUDIES IN LINDERNIA ALLIONI", "Revisionary"),  # a slip's header: not Latin in capitals
        ("RICHARD WILLIAM WOODWARD", "Richard"),  # a person
        ("LICHENES ARCTICI", "Lichenes"),  # an exsiccata's series
        ("Ex Museo botanico Berolinensi", "Museo"),
    ],
)
def test_a_header_a_person_or_a_list_of_places_is_no_name_without_a_taxonomy(
    line: str, not_genus: str
) -> None:
    found = find_name_in_line(line, strict=True)
    assert found is None or found.parsed.genus != not_genus


@pytest.mark.parametrize("line", ["LICHENES ARCTICI", "Ex Museo botanico Berolinensi", "MUSCI FRONDOSI"])
def test_a_series_or_a_museum_is_no_genus_for_any_rule(line: str) -> None:
    assert find_name_in_line(line) is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("CAREX CRINITA LAM.", "Carex crinita LAM."),
        ("QUERCUS ALBA L.", "Quercus alba L."),
        ("Cetraria islandica (L.) Ach.", "Cetraria islandica (L.) Ach."),
        ("Quercus rubra, Fagus grandifolia", "Quercus rubra"),  # a comma after the epithet ends the name only
    ],
)
def test_a_name_still_reads_without_a_taxonomy(line: str, name: str) -> None:
    found = find_name_in_line(line, strict=True)
    assert found is not None and found.parsed.scientific_name == name


def test_the_other_rules_still_see_a_slip_header_as_a_name_that_ends_a_locality() -> None:
    # the locality rules ask whether a line holds a name at all; a header in capitals with words after it stops
    # a locality running on into the slip
    assert find_name_in_line("REVISIONARY STUDIES IN LINDERNIA ALLIONI") is not None


def test_without_a_taxonomy_the_name_comes_from_the_label_not_its_header() -> None:
    fields = extract_fields(
        ["REVISIONARY STUDIES IN LINDERNIA ALLIONI", "Lindernia diffusa (L.) Wettst."], None
    )
    assert fields["scientificName"].value == "Lindernia diffusa (L.) Wettst."


TABLE = FieldCalibration(
    {"scientificName": 0.6, "locality": 0.7},
    {"scientificName": {0.25: 0.2, 0.56: 0.7}},
    line_edges=(0.9,),
    by_line={"scientificName": {0.25: (0.1, 0.3), 0.56: (0.3, 0.9)}},
)


def name_fields(confidence: float) -> dict[str, Field]:
    return {
        "scientificName": Field("Carex alba L.", confidence, 1),
        "genus": Field("Carex", confidence, 1),
        "specificEpithet": Field("alba", confidence, 1),
        "scientificNameAuthorship": Field("L.", confidence, 1),
        "locality": Field("Elm Gap", 0.5, 2),
    }


def test_without_a_taxonomy_the_name_and_its_parts_take_its_share(tmp_path: Path) -> None:
    table = tmp_path / "table.json"
    table.write_text(json.dumps(TABLE.to_json()))
    fields = name_fields(0.56)
    finish_fields(fields, ocr_settings(field_calibration=str(table)), [0.5, 0.99, 0.99], taxonomy=False)
    assert {t: f.confidence for t, f in fields.items()} == {
        "scientificName": 0.9, "genus": 0.9, "specificEpithet": 0.9, "scientificNameAuthorship": 0.9,
        "locality": 0.7,
    }  # fmt: skip


def test_without_a_taxonomy_a_name_less_sure_than_min_taxon_confidence_is_left_out(tmp_path: Path) -> None:
    table = tmp_path / "table.json"
    table.write_text(json.dumps(TABLE.to_json()))
    settings = ocr_settings(field_calibration=str(table))
    fields = name_fields(0.56)
    finish_fields(fields, settings, [0.5, 0.5, 0.5], taxonomy=False)  # a blurred line: 0.3
    assert set(fields) == {"locality"}
    fields = name_fields(0.56)
    finish_fields(
        fields, ocr_settings(field_calibration=str(table), min_taxon_confidence=0.2), [0.5] * 3, False
    )
    assert fields["scientificName"].confidence == 0.3


def test_a_name_the_taxonomy_resolved_keeps_its_own_confidence(tmp_path: Path) -> None:
    table = tmp_path / "table.json"
    table.write_text(json.dumps(TABLE.to_json()))
    fields = name_fields(0.25)
    finish_fields(fields, ocr_settings(field_calibration=str(table)), [0.5, 0.5, 0.5], taxonomy=True)
    assert all(fields[t].confidence == 0.25 for t in fields if t in TAXON_TERMS)


def test_a_table_without_the_name_leaves_the_rules_name_as_it_was() -> None:
    fields = name_fields(0.3)
    finish_fields(fields, ocr_settings(field_calibration=False), [0.5, 0.5, 0.5], taxonomy=False)
    assert fields["scientificName"].confidence == 0.3  # not calibrated: no floor either


def test_the_packaged_table_says_how_often_the_rules_name_is_right() -> None:
    cal = load()
    assert 0.0 < cal.overall["scientificName"] < 1.0
    # a name read off a sharp line is more often right than the same rule's off a blurred one
    low, *_, high = cal.by_line["scientificName"][0.56]
    assert low < high


def test_bench_aocr_reads_a_cached_sheet_without_a_taxonomy() -> None:
    from tests.test_bench_aocr_inputs import load_bench

    bench = load_bench()
    reading = {
        "lines": ["PLANTS OF SOUTH CAROLINA", "Silene antirrhina L.", "Swain Co."],
        "cards": [0, 0, 0],
        "taxon": {"scientificName": "Carex lurida Wahlenb."},  # a cached name from a taxonomy: not used
        "readings": [["Silene antirrhina L."], [1]],
        "line_confidences": [0.99, 0.99, 0.9],
    }
    row, confidence, confidences, on_lines = bench.replay(reading, None, ocr_settings())
    assert row["scientificName"] == "Silene antirrhina L." and confidence == confidences["scientificName"]
    assert (
        confidence == load().probability("scientificName", 0.56, 0.99) and on_lines["scientificName"] == 0.99
    )


def test_the_reader_says_the_name_came_from_the_rules_and_the_archive_what_its_confidence_is() -> None:
    from herbproc.export.dwca import confidence_meaning
    from herbproc.ocr import LabelReader
    from herbproc.ocr.engines import Reading

    class Printed:
        name = "printed"

        def read(self, crops):
            return [Reading("Silene antirrhina L.", 0.99, self.name) for _ in crops]

    from herbproc.synth import make_world, render_sheet

    world = {"species": 2, "sheets_per_species": 1, "width": 1000, "height": 1500, "handwriting_share": 0.0}
    page = render_sheet(make_world(world, seed=0), 0).image
    result = LabelReader(ocr_settings(barcodes=False), engines=[Printed()]).read(page)
    assert result.darwin_core()["scientificName"] == "Silene antirrhina L." and result.taxon_source == "rules"
    assert result.identification_remarks.startswith("scientificName as the label prints it, not matched to a list")
    run = {"field_calibration": "default", "taxon_calibration": True}
    assert "right on gold-transcribed real labels" in confidence_meaning("genus", run, "rules")
    assert "probability that the name is right" in confidence_meaning("genus", run, "label")
    assert "not a probability" in confidence_meaning("genus", {"field_calibration": "off"}, "rules")
    assert "not a probability" in confidence_meaning("family", run, "label")  # a family line's rule score


@pytest.mark.parametrize(
    ("printed", "written"),
    [
        ("MICHX.", "Michx."),
        ("(L.) BRITT.", "(L.) Britt."),
        ("ROEM. & SCHULT.", "Roem. & Schult."),
        ("McVAUGH", "McVaugh"),
        ("DC.", "DC."),
        ("H.B.K.", "H.B.K."),
        ("(Marsh.) Borkh.", "(Marsh.) Borkh."),
    ],
)
def test_an_authorship_in_capitals_is_written_as_names_write_it(printed: str, written: str) -> None:
    from herbproc.fields.names import author_case

    assert author_case(printed) == written


def test_without_a_taxonomy_a_name_printed_in_capitals_keeps_its_authors_spelling() -> None:
    fields = extract_fields(["CAREX CRINITA LAM. VAR. BREVICRINIS FERNALD", "Swain Co."], None)
    assert fields["scientificName"].value == "Carex crinita var. brevicrinis Fernald"
    assert fields["scientificNameAuthorship"].value == "Fernald"
