"""Partial evidence (herbproc.fields.resolve_partial): a genus read with an illegible epithet, or an epithet with a
misread genus, supports the names it fits, and the image prior chooses among them; a prior whose favourite the
text does not support leaves the name empty."""

from __future__ import annotations

import pytest

from herbproc.fields import TaxonIndex, resolve_partial, resolve_taxon

INDEX = TaxonIndex(
    ["Viburnum lentago L.", "Viburnum acerifolium L.", "Viburnum dentatum L.", "Salix lentago Sm.",
     "Carex crinita Lam.", "Quercus alba L."]
)  # fmt: skip
GENUS_ONLY = ["PLANTS OF VERMONT", "Viburnum xqzrtw L.", "Coll. J. Smith"]  # the epithet illegible
EPITHET_ONLY = ["Qxhqrzz lentago"]  # the genus illegible


def test_the_text_alone_names_nothing() -> None:
    for lines in (GENUS_ONLY, EPITHET_ONLY):
        assert resolve_taxon(lines, INDEX, none_similarity=0.7).name is None
    # the names each supports (the reader asks for these only with a prior: alone they are a guess)
    assert {c.name for c in resolve_partial(GENUS_ONLY, INDEX).candidates} >= {
        "Viburnum lentago L.", "Viburnum dentatum L.", "Viburnum acerifolium L."}  # fmt: skip
    assert {c.name for c in resolve_partial(EPITHET_ONLY, INDEX).candidates} >= {
        "Viburnum lentago L.", "Salix lentago Sm."}  # fmt: skip
    assert resolve_partial(GENUS_ONLY, INDEX).confidence < 0.6


@pytest.mark.parametrize(
    "favoured", ["Viburnum lentago L.", "Viburnum dentatum L.", "Viburnum acerifolium L."]
)
def test_a_readable_genus_lets_the_prior_choose_the_species(favoured: str) -> None:
    others = [
        n for n in ("Viburnum lentago L.", "Viburnum dentatum L.", "Viburnum acerifolium L.") if n != favoured
    ]
    prior = {favoured: 0.8, others[0]: 0.1, others[1]: 0.05}
    found = resolve_partial(GENUS_ONLY, INDEX, prior)
    assert (found.name, found.evidence) == (favoured, "partial")
    assert found.confidence > 0.45 and found.line == 1


@pytest.mark.parametrize("favoured", ["Viburnum lentago L.", "Salix lentago Sm."])
def test_a_readable_epithet_lets_the_prior_choose_the_genus(favoured: str) -> None:
    other = "Salix lentago Sm." if favoured.startswith("Viburnum") else "Viburnum lentago L."
    assert resolve_partial(EPITHET_ONLY, INDEX, {favoured: 0.8, other: 0.1}).name == favoured


def test_the_prior_cannot_name_what_the_text_does_not_support() -> None:
    # the classifier is sure of a name the label does not fit: no name (not its favourite, not a guess)
    found = resolve_partial(GENUS_ONLY, INDEX, {"Carex crinita Lam.": 0.9, "Quercus alba L.": 0.05})
    assert found.name is None
    # a supported name still wins over a favourite the text rules out, when the text is clear about it
    found = resolve_partial(GENUS_ONLY, INDEX, {"Salix lentago Sm.": 0.8, "Viburnum lentago L.": 0.1})
    assert found.name == "Viburnum lentago L."
    assert (
        resolve_partial(["PLANTS OF VERMONT", "Coll. J. Smith"], INDEX, {"Carex crinita Lam.": 0.9}).name
        is None
    )


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="weight"):
        resolve_partial(GENUS_ONLY, INDEX, {"Viburnum lentago L.": 0.5}, weight=-1)
    with pytest.raises(ValueError, match="sum to"):
        resolve_partial(GENUS_ONLY, INDEX, {"Viburnum lentago L.": 0.8, "Viburnum dentatum L.": 0.5})
    assert resolve_partial([], INDEX, {"Viburnum lentago L.": 0.5}).name is None


def test_a_partial_name_less_sure_than_the_floor_is_left_empty() -> None:
    """ocr.min_taxon_confidence holds on this path too: the text half-supports a name the prior barely favours
    (a real sheet's case: many near-miss congeners share the epithet read, the prior is flat over them)."""
    prior = {"Salix lentago Sm.": 0.8, "Viburnum lentago L.": 0.1}
    unsure = resolve_partial(GENUS_ONLY, INDEX, prior)
    assert unsure.name == "Viburnum lentago L." and unsure.confidence < 0.5
    floored = resolve_partial(GENUS_ONLY, INDEX, prior, min_confidence=0.5)
    assert (floored.name, floored.line, floored.evidence) == (None, None, "partial")
    assert floored.confidence == pytest.approx(unsure.confidence)  # the confidence is still told
    sure = resolve_partial(GENUS_ONLY, INDEX, {"Viburnum dentatum L.": 0.8, "Viburnum lentago L.": 0.1},
                           min_confidence=0.5)  # fmt: skip
    assert sure.name == "Viburnum dentatum L." and sure.confidence >= 0.5
    with pytest.raises(ValueError, match="min_confidence"):
        resolve_partial(GENUS_ONLY, INDEX, prior, min_confidence=1.5)


def test_the_reader_floors_partial_names_at_its_minimum_confidence() -> None:
    import numpy as np

    from herbproc.ocr import ocr_settings
    from herbproc.ocr.engines.base import Reading
    from herbproc.ocr.reader import LabelReader, LineResult

    box = np.array([[0, 0], [10, 0], [10, 5], [0, 5]], dtype=float)
    lines = [LineResult(0, k, box, t, 0.9, "ppocr", [Reading(t, 0.9, "ppocr")]) for k, t in enumerate(GENUS_ONLY)]
    prior = {"Salix lentago Sm.": 0.8, "Viburnum lentago L.": 0.1}  # its favourite is not what the genus says

    def reader(**settings):
        return LabelReader(ocr_settings(**settings), names=INDEX, engines=[])

    assert reader(min_taxon_confidence=0.0).resolve(lines, prior).name == "Viburnum lentago L."
    assert reader().resolve(lines, prior).name is None  # the default floor (0.5)
    assert reader().resolve(lines, {"Viburnum dentatum L.": 0.8}).name == "Viburnum dentatum L."
