"""Whole-label evidence (``resolve_taxon(label_evidence=True)``, ``ocr.label_evidence``): the authorship and the
family read elsewhere on the label vote among candidates the name line alone cannot tell apart."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from herbproc.fields.taxon import (
    AUTHOR_EVIDENCE,
    FAMILY_EVIDENCE,
    Candidate,
    TaxonIndex,
    load_confusions,
    resolve_taxon,
)
from herbproc.ocr.engines.base import Reading
from herbproc.ocr.inputs import genus_families, taxonomy
from herbproc.ocr.reader import LabelReader, LineResult
from herbproc.ocr.settings import ocr_settings

CALIBRATION = load_confusions()["calibration"]["plain"]
TWINS = TaxonIndex(["Carex crinita Lam.", "Carex crinata Boott", "Quercus alba L."])
GENERA = TaxonIndex(
    ["Rubus hispidus L.", "Rumex hispidus L."], families={"Rubus": "Rosaceae", "Rumex": "Polygonaceae"}
)


def resolve(lines: list[str], index: TaxonIndex = TWINS, evidence: bool = True):
    return resolve_taxon(lines, index, calibration=CALIBRATION, min_confidence=0.5, label_evidence=evidence)


def test_an_authorship_on_the_next_line_chooses_between_congeners_that_read_alike() -> None:
    lines = ["Carex crinlta", "Boott", "Coll. J. Smith 12"]  # crinlta: one letter from crinita and crinata
    assert resolve(lines, evidence=False).name is None  # a tie: the calibrated floor abstains
    found = resolve(lines)
    assert found.name == "Carex crinata Boott" and found.confidence > 0.5
    assert resolve(["Carex crinlta", "Lam.", "x"]).name == "Carex crinita Lam."  # a short one, exactly below


def test_a_long_authorship_counts_anywhere_on_the_label_a_short_one_only_near_the_name() -> None:
    index = TaxonIndex(["Carex crinita Lam.", "Carex crinata Fernald"])
    assert resolve(["Carex crinlta", "Pine barrens", "Fernald 1850"], index).name == "Carex crinata Fernald"
    assert resolve(["Carex crinlta", "Pine barrens", "Lam. 1850"], index).name is None


def test_a_name_broken_after_its_genus_has_its_short_authorship_below_the_epithet() -> None:
    index = TaxonIndex(["Carex crinita Lam.", "Carex crinata Boott"])
    assert resolve(["Carex", "crinlta", "Lam.", "Pine barrens"], index).name == "Carex crinita Lam."
    assert resolve(["Carex", "crinlta", "Pine barrens", "Lam."], index).name is None  # too far below


def test_a_taxon_listed_again_with_another_authorship_counts_both() -> None:
    index = TaxonIndex(["Carex crinita Lam.", "Carex crinata Boott", "Carex crinita Lamarck"])
    assert len(index) == 2 and index.lookup("Carex crinita") == "Carex crinita Lam."  # the first listing
    found = resolve(["Carex crinlta", "Pine barrens", "Lamarck 1850"], index)
    assert found.name == "Carex crinita Lam."  # the second listing's authorship read on the label


def test_the_family_line_chooses_between_genera() -> None:
    ties = ["Rubus hispidus L.", "Rumex hispidus L."]
    candidates = [Candidate(n, 0.9, 0, 0.9) for n in ties]
    voted = {c.name: c.score for c in GENERA.label_evidence(["Rubeo hispidus", "ROSACEAE"], candidates)}
    assert voted == {"Rubus hispidus L.": 0.9, "Rumex hispidus L.": pytest.approx(0.9 - FAMILY_EVIDENCE)}
    assert resolve(["Rubeo hispidus", "POLYGONACEAE"], GENERA).name == "Rumex hispidus L."
    assert resolve(["Rubeo hispidus", "ROSACEAE"], GENERA).name == "Rubus hispidus L."
    assert resolve(["Rubeo hispidus"], GENERA).name is None  # no family read: the tie stays


def test_evidence_every_candidate_shares_changes_nothing_and_never_beats_none() -> None:
    index = TaxonIndex(["Carex crinita L.", "Carex crinata L."])
    lines = ["Carex crinlta L.", "Fernald"]
    assert resolve(lines, index) == resolve(lines, index, evidence=False)
    weak = ["Cxrqx crxnltq", "Boott"]  # reads below "none of these" however the authorship reads
    assert resolve(weak, evidence=False).name is None and resolve(weak).name is None
    candidates = [Candidate("Carex crinata Boott", 0.7, 0, 0.7), Candidate("Carex crinita Lam.", 0.7, 0, 0.7)]
    best = TWINS.label_evidence(["Carex crinlta", "Boott"], candidates)
    assert best[0].score == 0.7 and best[1].score == pytest.approx(0.7 - AUTHOR_EVIDENCE)


def test_a_reading_with_the_author_on_the_name_line_is_surer_with_evidence() -> None:
    plain, voted = resolve(["Carex crinlta Boott"], evidence=False), resolve(["Carex crinlta Boott"])
    assert plain.name == voted.name == "Carex crinata Boott" and voted.confidence > plain.confidence


def test_the_reader_setting_and_the_manifest_families() -> None:
    box = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], dtype=float)
    texts = ("Carex crinlta", "Boott")
    lines = [LineResult(0, k, box, t, 0.9, "ppocr", [Reading(t, 0.9, "ppocr")]) for k, t in enumerate(texts)]

    def reader(**kw: object) -> LabelReader:
        return LabelReader(ocr_settings(**kw), names=TWINS, engines=[])

    assert ocr_settings().label_evidence is True  # the default (docs/benchmarks.md)
    assert reader(label_evidence=False).resolve(lines, None).name is None
    assert reader().resolve(lines, None).name == "Carex crinata Boott"
    manifest = pd.DataFrame({"scientificName": ["Rubus hispidus L.", "Rumex hispidus L.", "Rubus idaeus L."],
                             "genus": ["Rubus", "Rumex", "Rubus"],
                             "family": ["Rosaceae", "Polygonaceae", "Rosaceae"]})  # fmt: skip
    assert genus_families(manifest) == {"Rubus": "Rosaceae", "Rumex": "Polygonaceae"}
    assert taxonomy(None, manifest).families == {"rubus": "rosaceae", "rumex": "polygonaceae"}
    assert genus_families(manifest[["scientificName"]]) == {} and genus_families(None) == {}


def test_an_autonym_counts_its_species_authorship() -> None:
    index = TaxonIndex(["Daucus carota L. subsp. carota", "Daucus carota L.", "Daucus carota subsp. sativus Hoffm."])
    assert index.author_keys == [("l",), ("l",), ("hoffm",)]
    candidates = [Candidate(n, 1.0, 0, 1.0) for n in index.names[:2]]
    assert index.label_evidence(["Daucus carota L. subsp. carota"], candidates) == candidates  # both read


def test_a_determination_slip_names_the_current_taxon_over_the_label() -> None:
    """The label's original name and a slip's later one, both listed and read equally well: the slip's, the
    current determination."""
    index = TaxonIndex(["Quercus rugosa Née", "Quercus laurina Bonpl.", "Quercus alba L."])
    label = ["PLANTS OF OAXACA", "Quercus rugosa Née", "Sierra Norte, 12 km N of Ixtepeji", "J. Doe 1234"]
    for slip in (["det. A. Roe, 1999", "Quercus laurina Bonpl."], ["Quercus laurina Bonpl.", "Determined by A. Roe"],
                 ["ANNOTATION LABEL", "Quercus laurina Bonpl.", "A. Roe 1999"]):  # fmt: skip
        # without the slip's vote the name read first, the label's original, wins
        assert resolve(label + slip, index, evidence=False).name == "Quercus rugosa Née"
        found = resolve(label + slip, index)
        assert found.name == "Quercus laurina Bonpl." and found.confidence > 0.5, slip
    # a slip that confirms the label's name changes nothing; a name read alone is not helped by a cue
    assert resolve(["Quercus rugosa Née", "det. A. Roe"], index).name == "Quercus rugosa Née"
    assert resolve(label + ["Detailed map on file", "Quercus laurina Bonpl."], index).name == "Quercus rugosa Née"


def test_an_annotation_slip_without_a_cue_names_the_current_taxon() -> None:
    """A revision's slip as herbaria print them: the institution, the name, the reviser and the year."""
    index = TaxonIndex(["Quercus rugosa Née", "Quercus laurina Bonpl.", "Quercus alba L."])
    label = ["PLANTS OF OAXACA", "Quercus rugosa Née", "Sierra Norte, 12 km N of Ixtepeji", "J. Doe 1234"]
    slip = ["Elmton Museum of Natural History", "Quercus laurina Bonpl.", "Ann B. Roe", "March 2006"]
    found = resolve(label + slip, index)
    assert found.name == "Quercus laurina Bonpl." and found.confidence > 0.5
    # a collection's header over the name heads a label; a slip without its year is not told from one: the name
    # read first, the label's, stays
    for other in (["Herbarium of the University of Elmton", *slip[1:]], [*slip[:2], "Ann B. Roe"]):
        assert resolve(label + other, index).name == "Quercus rugosa Née", other


def test_the_genus_read_alone_chooses_no_epithet_by_its_length() -> None:
    """A genus alone on its line is nearer the binomial with the shortest epithet by the string similarity; that
    is no evidence for it: no name. The epithet read within two lines (above it, in some reading orders) names it."""
    from herbproc.ocr.reader import resolve_readings

    epithets = ["indicum DC.", "pilosa", "spicata", "typhina", "scoparia", "squarrosa", "typhinoides"]
    index = TaxonIndex([f"Heliophytum {e}" for e in epithets] + ["Carex typhina Michx.", "Carex pilosa"])
    lines = ["HERBARIUM", "Wellesley College", "14102", "HERBARIUM OF HARVARD UNIVERSITY.", "Presented by",
             "DR. ASA GRAY.", "EX HERB. J. ROE.", "heliophytum", "Dallas, Texas.", "oclob. 187", "448"]  # fmt: skip

    def name(texts: list[str], evidence: bool = True) -> str | None:
        settings = ocr_settings(label_evidence=evidence)
        return resolve_readings(texts, list(range(len(texts))), index, settings).name

    assert name(lines, evidence=False) == "Heliophytum pilosa"  # the shortest epithet, at a calibrated 0.5+
    assert name(lines) is None
    for read in (["heliophytum", "indicum DC.", "Dallas"], ["indicum DC.", "heliophytum", "Dallas"]):
        assert name(read) == "Heliophytum indicum DC.", read
