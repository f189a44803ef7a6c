"""Confusion-aware name matching and the calibrated taxon confidence (herbproc.fields.taxon)."""

from __future__ import annotations

import itertools

import pytest
from rapidfuzz import fuzz

import herbproc.fields.taxon as taxon
from herbproc.fields.taxon import ConfusionCosts, TaxonIndex, calibrated, load_confusions, resolve_taxon
from herbproc.ocr.settings import ocr_settings

PAIRS = [("palustris", "palnttal"), ("viburnum opulus", "flbarmum opules"), ("corylus avellana", "coryhar amsdlae"),
         ("pistia stratiotes", "piatua sirales"), ("", "abc"), ("abc", ""), ("carex", "carex")]  # fmt: skip


def test_the_shipped_table_loads_and_is_small():
    data = load_confusions()
    assert 10 <= len(data["costs"]) <= 200
    assert all(0 < c <= 1 for c in data["costs"].values())
    for similarity in ("plain", "confusion"):
        assert {"a", "c", "d"} <= set(data["calibration"][similarity])
    assert "bench/confusions.py" in data["about"], "says how to regenerate it"


def test_without_confusions_it_is_rapidfuzz_ratio_and_with_them_never_below():
    plain, learned = ConfusionCosts({}), taxon.confusion_costs()
    for truth, reading in PAIRS:
        assert plain.similarity(truth, reading) == pytest.approx(fuzz.ratio(truth, reading) / 100)
        assert learned.similarity(truth, reading) >= plain.similarity(truth, reading) - 1e-12
    common = [k for k, v in load_confusions()["costs"].items() if v < 0.8]
    assert common, "some confusions of the reader are cheaper than a generic edit"


def test_a_confusion_consistent_name_beats_a_plain_tie():
    costs, plain = ConfusionCosts({"u>n": 0.3, "s>t": 0.4}), ConfusionCosts({})
    reading = "palnstris"  # palustris with u→n, as the reader does; palostris would need o→n, never seen
    assert plain.similarity("palustris", reading) == pytest.approx(plain.similarity("palostris", reading))
    assert costs.similarity("palustris", reading) > costs.similarity("palostris", reading)
    # two confusions (u→n, s→t) against one generic substitution: the confusions win
    assert plain.similarity("palustris", "palnttris") < plain.similarity("palnotris", "palnttris")
    assert costs.similarity("palustris", "palnttris") > costs.similarity("palnotris", "palnttris")


def test_the_setting_switches_the_similarity_and_the_tie_is_broken(monkeypatch):
    monkeypatch.setattr(taxon, "confusion_costs", lambda path=None: ConfusionCosts({"u>n": 0.2}))
    index = TaxonIndex(["Caltha palustris L.", "Caltha palostris Sm.", "Quercus alba L."])
    lines = ["Caltha palnstris"]
    calibration = load_confusions()["calibration"]["plain"]
    plain = resolve_taxon(lines, index, similarity="plain", calibration=calibration, min_confidence=0.5)
    assert plain.name is None, "two names read equally well: a coin toss is not a name"
    assert plain.confidence <= 0.5
    conf = resolve_taxon(lines, index, similarity="confusion", calibration=calibration, min_confidence=0.5)
    assert conf.name == "Caltha palustris L."
    assert conf.confidence > 0.5
    with pytest.raises(ValueError, match="similarity"):
        resolve_taxon(lines, index, similarity="fuzzy")
    assert ocr_settings(name_similarity="confusion").name_similarity == "confusion"
    assert ocr_settings().name_similarity == "plain"
    with pytest.raises(ValueError, match="name_similarity"):
        ocr_settings(name_similarity="fuzzy")
    with pytest.raises(ValueError, match="min_taxon_confidence"):
        ocr_settings(min_taxon_confidence=1.5)


def test_the_calibration_is_monotone_and_a_probability():
    grid = [x / 20 for x in range(-20, 21)]
    for none_margin in grid:
        values = [calibrated(m, none_margin) for m in grid]
        assert all(0.0 <= v <= 1.0 for v in values)
        assert values == sorted(values)
    for margin in grid:
        values = [calibrated(margin, n) for n in grid]
        assert values == sorted(values)
    assert calibrated(0.0, 1.0) <= 0.5, "a tie between two names is at most a coin toss"
    assert calibrated(1.0, 1.0) > 0.95
    assert calibrated(-1.0, -1.0) < 0.05
    for a, c, d in itertools.product((0.0, 5.0, 50.0), (0.0, 10.0), (-3.0, 0.0, 3.0)):
        assert 0.0 <= calibrated(0.3, -0.2, {"a": a, "c": c, "d": d}) <= 1.0


def test_nothing_that_reads_as_a_name_still_abstains():
    index = TaxonIndex(["Caltha palustris L.", "Corylus avellana L.", "Pistia stratiotes L."])
    calibration = load_confusions()["calibration"]["plain"]
    for similarity in ("plain", "confusion"):
        found = resolve_taxon(["Collected by J. Smith 1923", "Middlesex County"], index, similarity=similarity,
                              calibration=calibration, min_confidence=0.5)  # fmt: skip
        assert found.name is None
    found = resolve_taxon(["Corylus avellana L."], index, calibration=calibration, min_confidence=0.5)
    assert found.name == "Corylus avellana L." and found.confidence > 0.9
    assert resolve_taxon(["Corylus avellana L."], index, calibration=calibration, min_confidence=1.0).name is None


def test_a_name_broken_over_two_lines_is_read_whole():
    # a genus-rank distractor of the same genus must not win when the epithet opens the next line
    index = TaxonIndex(["Anthurium b.", "Anthurium hookeri Kunth", "Anthurium acaule (Jacq.) Schott", "Quercus alba L."])
    calibration = load_confusions()["calibration"]["plain"]
    found = resolve_taxon(["Plants of Dominica", "Anthurium", "nookeri Kunth det. T. Croat"], index,
                          calibration=calibration, min_confidence=0.5)  # fmt: skip
    assert found.name == "Anthurium hookeri Kunth"
    assert found.line == 1
    # the same words on one line still read as before; a next line that is not an epithet adds nothing
    assert resolve_taxon(["Anthurium hookeri Kunth"], index).name == "Anthurium hookeri Kunth"
    alone = resolve_taxon(["Anthurium", "Collected 1923"], index)
    assert alone.name == "Anthurium b."


@pytest.mark.parametrize("similarity", ["plain", "confusion"])
def test_a_genus_cut_over_two_lines_is_read_joined(similarity):
    # the reader cut "Actinogyra" in two lines; the tail alone reads as another genus with the same epithet
    index = TaxonIndex(["Actinogyra muhlenbergii (Ach.) Schol.", "Bryeria muhlenbergii", "Bryeria trichodes"])
    found = resolve_taxon(["Lichens", "Adtin", "yra müihlenbergii", "No. 12"], index, similarity=similarity)
    assert (found.name, found.line) == ("Actinogyra muhlenbergii (Ach.) Schol.", 1)
    # a genus alone over its epithet's line, and a genus read whole on the tail's line, are read as before
    alone = resolve_taxon(["Bryeria", "muhlenbergii"], index, similarity=similarity)
    assert alone.name == "Bryeria muhlenbergii"
    found = resolve_taxon(["Lichens", "Adtin", "bryeria muhlenbergii"], index, similarity=similarity)
    assert found.name == "Bryeria muhlenbergii"


def test_the_reader_uses_the_settings():
    import numpy as np

    from herbproc.ocr.engines.base import Reading
    from herbproc.ocr.reader import LabelReader, LineResult

    index = TaxonIndex(["Caltha palustris L.", "Caltha palostris Sm.", "Quercus alba L."])

    def lines(*texts):
        box = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], dtype=float)
        return [LineResult(0, k, box, t, 0.9, "ppocr", [Reading(t, 0.9, "ppocr")]) for k, t in enumerate(texts)]

    def reader(**settings):
        return LabelReader(ocr_settings(**settings), names=index, engines=[])

    sure = lines("Quercus alba L.", "Collected 1923")
    found = reader().resolve(sure, None)
    assert found.name == "Quercus alba L." and 0.9 < found.confidence < 1.0, "calibrated: not a softmax's 1.0"
    assert reader(min_taxon_confidence=1.0).resolve(sure, None).name is None
    assert reader(taxon_calibration=False).resolve(sure, None).confidence > found.confidence
    tie = lines("Caltha palnstris")  # u→n or o→n: the plain ratio cannot tell, a coin toss
    assert reader().resolve(tie, None).name is None
    assert reader(taxon_calibration=False, min_taxon_confidence=0.0).resolve(tie, None).name is not None


def test_a_variety_on_the_line_below_its_species_is_read_whole():
    # the rank and infraspecific epithet often open the next line; a look-alike genus with the same epithet
    # must not win over the variety whose species the first line reads exactly
    index = TaxonIndex(["Salix alba var. vitellina (L.) Stokes", "Scilla alba", "Quercus alba L."])
    calibration = load_confusions()["calibration"]["plain"]
    found = resolve_taxon(["Plants of Oregon", "Salix alba", "var. vitellina (L.)", "Marion Co."], index,
                          calibration=calibration, min_confidence=0.5)  # fmt: skip
    assert found.name == "Salix alba var. vitellina (L.) Stokes"
    assert found.line == 1
    # without the rank line below, the variety is not read from its species alone
    alone = resolve_taxon(["Salix alba", "Marion Co."], index)
    assert alone.name != "Salix alba var. vitellina (L.) Stokes"


def test_a_variety_below_its_species_and_its_authorship_is_read_whole():
    # "Genus epithet (Author) Author" / "var. infra": the species' authorship between the two; read apart, the
    # rank's line alone was a look-alike genus with the variety's epithet ("var. scabrellum" → Carex scabrellum)
    index = TaxonIndex(["Bulbophyllum scabrellum (Rolfe) Bolus var. scabrellum", "Carex scabrellum",
                        "Agrostis scabrellum", "Bulbophyllum pallidum"])  # fmt: skip
    calibration = load_confusions()["calibration"]["plain"]
    lines = ["Orchidaceae", "Balbophyllun scabrellum (Relfe) Boles", "var. scabrelum", "Primary rain forest"]
    found = resolve_taxon(lines, index, calibration=calibration, min_confidence=0.5)
    assert found.name == "Bulbophyllum scabrellum (Rolfe) Bolus var. scabrellum" and found.line == 1


def test_a_line_opening_with_a_rank_is_not_read_whole_as_a_name():
    index = TaxonIndex(["Carex scabrellum", "Agrostis scabrellum", "Quercus alba L."])
    assert index.match(["Elmton", "var. scabrelum"]) == []  # its rank's word is no genus
    assert index.match(["Elmton", "Carex scabrelum"])[0].name == "Carex scabrellum"


def test_a_label_header_is_not_read_whole_as_a_name():
    # "LAN FLORA" (a header cut short) shares its letters with a longer name: read whole it used to be that name
    index = TaxonIndex(["Lantana biflora", "Lantana camara L.", "Quercus alba L."])
    for similarity in ("plain", "confusion"):
        calibration = load_confusions()["calibration"][similarity]
        for header in ("LAN FLORA.", "TAN FLORA", "HERBARIUM OF LANTANA"):
            found = resolve_taxon(["Coll. J. Doe 12", header], index, similarity=similarity,
                                  calibration=calibration, min_confidence=0.5)  # fmt: skip
            assert found.name is None, (header, similarity, found.candidates)
        # a name on a header line is still found by its genus; a damaged name on its own line still reads whole
        for line in ("Flora of Ohio: Lantana biflora", "Lantna biflra"):
            found = resolve_taxon([line], index, similarity=similarity, calibration=calibration, min_confidence=0.5)
            assert found.name == "Lantana biflora", (line, similarity)


def test_closest_needs_the_similarity_and_the_margin():
    costs = ConfusionCosts({})  # plain Indel similarity: hampden 0.92, camden 0.83 to "hamden"
    keys = ["hampden", "camden", "boston"]
    assert costs.closest("hamden", keys, 0.8, 0.05) == ("hampden", costs.similarity("hampden", "hamden"))
    assert costs.closest("hamden", keys, 0.8, 0.1)[0] is None  # camden is too near behind
    assert costs.closest("hamden", keys, 0.95, 0.0)[0] is None  # not similar enough
    assert costs.closest("xyz", [], 0.8, 0.0) == (None, 0.0)


def test_distance_with_unit_substitutions_is_levenshtein_and_a_confusion_costs_less():
    from rapidfuzz.distance import Levenshtein

    plain = ConfusionCosts({})
    for a, b in PAIRS:
        assert plain.distance(a, b, substitution=1.0) == Levenshtein.distance(a, b)
        assert plain.distance(a, b) == Levenshtein.distance(a, b, weights=(1, 1, 2))
    assert ConfusionCosts({"u>n": 0.5}).distance("july", "jnly", substitution=1.0) == 0.5


def test_an_epithet_read_above_its_genus_alone_is_read_with_it():
    # the reader took the lines out of order: the epithet and its authorship first, the genus under them
    index = TaxonIndex(["Elmia muricata (Ach.) Bell", "Elmia flava", "Elmia lanea", "Quercus alba L."])
    calibration = load_confusions()["calibration"]["plain"]
    lines = ["FLORA OF ELMTON", "wuricata", "(Ach.) Bel1", "Elmia", "Location Rosa Island"]
    found = resolve_taxon(lines, index, calibration=calibration, min_confidence=0.5, label_evidence=True)
    assert found.name == "Elmia muricata (Ach.) Bell"
    # a capitalised word above (a place, a title) is no epithet
    lines = ["FLORA OF ELMTON", "Muricata", "Elmia", "Location Rosa Island"]
    found = resolve_taxon(lines, index, calibration=calibration, min_confidence=0.5, label_evidence=True)
    assert found.name != "Elmia muricata (Ach.) Bell"


def test_an_epithet_above_an_abbreviated_authorship_alone_on_its_line_is_read_with_the_genus():
    index = TaxonIndex(["Elmia muricata Bell.", "Elmia flava", "Elmia lanea", "Quercus alba L."])
    calibration = load_confusions()["calibration"]["plain"]

    def name(lines: list[str]) -> str | None:
        return resolve_taxon(lines, index, calibration=calibration, min_confidence=0.5, label_evidence=True).name

    assert name(["FLORA OF ELMTON", "wuricata", "Bell,", "Elmia", "Location Rosa Island"]) == "Elmia muricata Bell."
    # a capitalised word that is no abbreviation (a place, a title) stands between: no epithet above
    assert name(["FLORA OF ELMTON", "wuricata", "Rosaville", "Elmia", "Location Rosa Island"]) != "Elmia muricata Bell."
