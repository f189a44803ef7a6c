"""Whole labels → Darwin Core fields (herbproc.fields.extract_fields / to_darwin_core)."""

from __future__ import annotations

import random

import pytest

from herbproc.fields import DWC_TERMS, Field, TaxonIndex, extract_fields, to_darwin_core

# Transcribed from the label of shared/fixtures/real_sheets/LM_Validate_LowRes_1.jpg, line by line.
CASTANEA_LABEL = [
    "Castanea dentata (Marsh.) Borkh.",
    "McNairy County, Tennessee, U.S.A.",
    "FAGACEAE",
    "sensu Flora of North America",
    "Laport #BHPSP5, collected by R. Laport, D. Smith, J. Ng May 12, 2019",
    "Growing in upland forest on the Dogwood Point Trail in Big Hill Pond State Park",
    "~1.75km S of railroad tracks adjacent to Cypress Cr. Swamp. With Asimina triloba,",
    "Quercus rubra, Fagus grandifolia, Carya spp.",
    "1 stem along trail on SE slope, DBH ~ 2.5cm, Height ~3.0m, non-reproductive",
    "N35° 01.535' W088° 44.316' +/-3m. WGS 84. Elev. 127m, GPS determination",
    "Duplicate deposited at SWMT",
]
# Transcribed from "Carex crinita var. brevicrinis Fernald34.jpeg" (label, stamp and barcode).
CAREX_LABEL = [
    "PLANTS OF CONNECTICUT",
    "Carex crinita Lam. var. brevicrinis Fern.",
    "NEW LONDON CO: Groton. Scattered around the",
    "edges of a cluster of small unnamed ponds",
    "41.348214°N",
    "-71.996600°W",
    "Elev. 34 ft.",
    "Douglas McGrady and Charles Boos July 30 2019",
    "NEW ENGLAND BOTANICAL CLUB",
    "00812345",
]
GRAY_LABEL = [
    "GRAY HERBARIUM OF HARVARD UNIVERSITY",
    "Aster novae-angliae L.",
    "Middlesex Co., Mass.",
    "Concord, roadside near the river",
    "Coll. M. L. Fernald No. 1234",
    "Sept. 12, 1912",
    "GH00012345",
]
TAXONOMY = TaxonIndex(
    ["Castanea dentata (Marsh.) Borkh.", "Carex crinita Lam.", "Carex crinita var. brevicrinis Fernald",
     "Quercus rubra L.", "Asimina triloba (L.) Dunal", "Aster novae-angliae", "Carex lurida Wahlenb."]
)  # fmt: skip


def values(fields: dict[str, Field]) -> dict[str, str]:
    return {k: f.value for k, f in fields.items()}


def test_castanea_label() -> None:
    got = values(extract_fields(CASTANEA_LABEL))
    assert got["scientificName"] == "Castanea dentata (Marsh.) Borkh."
    assert got["scientificNameAuthorship"] == "(Marsh.) Borkh."
    assert (got["genus"], got["specificEpithet"], got["taxonRank"]) == ("Castanea", "dentata", "species")
    assert got["family"] == "Fagaceae"
    assert got["recordedBy"] == "R. Laport | D. Smith | J. Ng"
    assert got["recordNumber"] == "BHPSP5"
    assert got["eventDate"] == "2019-05-12"
    assert got["verbatimEventDate"] == "May 12, 2019"
    assert (got["country"], got["countryCode"], got["stateProvince"], got["county"]) == (
        "United States", "US", "Tennessee", "McNairy")  # fmt: skip
    assert got["locality"].startswith("Growing in upland forest on the Dogwood Point Trail")
    assert "Cypress Cr. Swamp" in got["locality"]
    assert "Fagus grandifolia" not in got["locality"]  # associated species list
    assert "DBH" not in got["locality"] and "N35°" not in got["locality"]  # description, coordinates


def test_carex_label_with_and_without_taxonomy() -> None:
    plain = extract_fields(CAREX_LABEL)
    got = values(plain)
    assert got["scientificName"] == "Carex crinita var. brevicrinis Fern."
    assert (got["infraspecificEpithet"], got["verbatimTaxonRank"], got["taxonRank"]) == (
        "brevicrinis", "var.", "variety")  # fmt: skip
    assert got["stateProvince"] == "Connecticut" and got["county"] == "New London"
    assert got["locality"] == "Groton. Scattered around the edges of a cluster of small unnamed ponds"
    assert got["recordedBy"] == "Douglas McGrady | Charles Boos"
    assert got["eventDate"] == "2019-07-30"
    assert got["institutionCode"] == "NEBC" and got["catalogNumber"] == "00812345"
    assert "recordNumber" not in got

    indexed = extract_fields(CAREX_LABEL, TAXONOMY)
    assert indexed["scientificName"].value == "Carex crinita var. brevicrinis Fernald"
    assert indexed["scientificName"].line == 1
    # the taxonomy backs the reading up: more confident than the rules alone
    assert indexed["scientificName"].confidence > plain["scientificName"].confidence


def test_gray_herbarium_label() -> None:
    got = values(extract_fields(GRAY_LABEL, TAXONOMY))
    assert got["institutionCode"] == "GH"
    assert got["catalogNumber"] == "GH00012345"
    assert got["recordedBy"] == "M. L. Fernald" and got["recordNumber"] == "1234"
    assert got["eventDate"] == "1912-09-12"
    assert (got["stateProvince"], got["county"], got["countryCode"]) == ("Massachusetts", "Middlesex", "US")
    assert got["locality"] == "Concord, roadside near the river"
    # the taxonomy has no authorship for this name: it is taken from the label
    assert got["scientificName"] == "Aster novae-angliae L."
    assert got["scientificNameAuthorship"] == "L."


def test_ocr_noise_lowers_confidence_but_keeps_fields() -> None:
    noisy = [
        "GRAY HERBAR1UM OF HARVARD UNIVERSlTY",
        "Aster novae-angIiae L.",
        "Middlesex Co., Mass. ~~",
        "Coll. M. L. Fernald No. 1234 |",
        "Sept. 12, l912",
        "}{|~^ ¦¦ ~~ ^^",
    ]
    clean = extract_fields(GRAY_LABEL, TAXONOMY)
    got = extract_fields(noisy, TAXONOMY)
    assert got["scientificName"].value == "Aster novae-angliae L."
    assert got["eventDate"].value == "1912-09-12"
    assert got["eventDate"].confidence < clean["eventDate"].confidence
    assert got["stateProvince"].value == "Massachusetts"
    assert got["stateProvince"].confidence < clean["stateProvince"].confidence
    assert got["recordedBy"].value == "M. L. Fernald"


def test_prior_reaches_the_scientific_name() -> None:
    taxonomy = TaxonIndex(["Carex crinita Lam.", "Carex crinata Lam."])
    degraded = ["Carex crinjta Lam.", "Middlesex Co., Mass."]
    a = extract_fields(degraded, taxonomy, prior={"Carex crinata": 0.9, "Carex crinita": 0.05})
    b = extract_fields(degraded, taxonomy, prior={"Carex crinita": 0.9, "Carex crinata": 0.05})
    assert a["scientificName"].value == "Carex crinata Lam."
    assert b["scientificName"].value == "Carex crinita Lam."


def test_canadian_label() -> None:
    got = values(extract_fields(["Flora of Quebec", "Carex lurida Wahlenb.", "Ste-Foy, Qué.",
                                 "leg. J. Rousseau 2345", "12.VI.1935"]))  # fmt: skip
    assert (got["stateProvince"], got["countryCode"]) == ("Quebec", "CA")
    assert "country" not in got  # the label does not write it
    assert got["recordedBy"] == "J. Rousseau" and got["recordNumber"] == "2345"
    assert got["eventDate"] == "1935-06-12"


def test_determination_is_not_the_collection() -> None:
    got = values(extract_fields(["Carex lurida Wahlenb.", "Coll. J. Smith 12, June 3, 1901",
                                 "Det. A. A. Reznicek 1985"]))  # fmt: skip
    assert got["recordedBy"] == "J. Smith" and got["recordNumber"] == "12"
    assert got["eventDate"] == "1901-06-03"
    assert got["identifiedBy"] == "A. A. Reznicek" and got["dateIdentified"] == "1985"


def test_years_that_are_numbers_are_not_dates() -> None:
    got = extract_fields(["Elev. 1912 ft.", "Carex lurida Wahlenb."])
    assert "eventDate" not in got


def test_sources_and_confidences() -> None:
    fields = extract_fields(CASTANEA_LABEL)
    for name, f in fields.items():
        assert 0.0 < f.confidence <= 1.0, name
        assert f.line is not None and 0 <= f.line < len(CASTANEA_LABEL), name
    assert fields["recordedBy"].line == 4 and fields["county"].line == 1


def test_to_darwin_core_has_every_column_and_applies_min_confidence() -> None:
    fields = extract_fields(CAREX_LABEL)
    row = to_darwin_core(fields)
    assert list(row) == list(DWC_TERMS)
    assert all(isinstance(v, str) for v in row.values())
    assert row["stateProvince"] == "Connecticut" and row["recordNumber"] == ""
    assert "institutionName" not in row  # not a Darwin Core term (kept in the fields)
    strict = to_darwin_core(fields, min_confidence=0.7)
    assert strict["catalogNumber"] == ""  # a bare barcode line is only 0.5
    assert strict["stateProvince"] == "Connecticut"


@pytest.mark.parametrize(
    "lines", [[], [""], ["   ", "\t"], ["~|^}{ ¦¦", "@@@@", "x"], None, [None, 12, b"x"]]
)
def test_garbage_gives_empty_fields(lines) -> None:
    assert extract_fields(lines) == {}
    assert set(to_darwin_core(extract_fields(lines)).values()) == {""}


def test_text_with_newlines_is_split_into_lines() -> None:
    assert extract_fields("Coll. J. Smith\nJune 3, 1901")["eventDate"].value == "1901-06-03"


def test_lines_of_the_wrong_type_fail_clearly() -> None:
    with pytest.raises(TypeError, match="list of strings"):
        extract_fields(12)


def test_random_text_never_crashes() -> None:
    rng = random.Random(7)
    alphabet = (
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-/#()&'°éü×|~^{}\"\t\x00\u200b漢"
    )
    words = ("Coll. leg. No. # Co. County Mass. N.H. June Sept. 1912 12 VI var. subsp. f. Carex crinita Lam. "
             "Herbarium of Gray GH00012345 s.n. Det. CT , 31 13/13/1912").split()  # fmt: skip
    for n in range(150):
        lines = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
            if rng.random() < 0.5
            else " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
            for _ in range(rng.randint(0, 8))
        ]
        fields = extract_fields(lines, TAXONOMY if n % 2 else None)
        for f in fields.values():
            assert f.value and 0.0 < f.confidence <= 1.0
        assert set(to_darwin_core(fields)) == set(DWC_TERMS)


def test_the_library_root_exports_every_documented_name_lazily():
    import subprocess
    import sys

    import herbproc.fields as fields

    assert all(callable(getattr(fields, name)) or name == "DWC_TERMS" for name in fields.__all__)
    code = "import sys, herbproc.fields, herbproc.fields.condition; print('rapidfuzz' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Coll. R. A. Howard 9350", "Sept. 2,", "1946"], "1946-09-02"),
        (["June 12-15,", "1912"], "1912-06-12/1912-06-15"),
        (["12.VI.", "1912"], "1912-06-12"),
        (["Plants 12", "1912"], "1912"),  # no month: not a date wrapped before its year
    ],
)
def test_a_date_whose_year_wrapped_to_the_next_line(lines: list[str], expected: str) -> None:
    assert extract_fields(lines)["eventDate"].value == expected


def test_a_date_range_is_the_event_date() -> None:
    fields = extract_fields(["STEWARDSON BROWN", "Collectors, AUG. 31-SEPT. 20,1905"])
    assert fields["eventDate"].value == "1905-08-31/1905-09-20"
