"""ocr.reread: a sheet whose taxon the first reading leaves unsure has its taxon lines read again (other scales,
PP-OCR and Tesseract), and the name comes from all readings; a sure sheet is not read again; the setting
turns it off; bad values are refused in one line.

The first reading is made unsure on purpose: it is PP-OCR's, with the word after any word that reads like the
sheet's genus blotted out (``Blotting``), as an illegible word would be. The re-reads are the real engines'."""

from __future__ import annotations

import shutil

import pytest
from rapidfuzz import fuzz

from herbproc.fields import TaxonIndex, parse_name
from herbproc.ocr import LabelReader, ocr_settings
from herbproc.ocr.engines import Reading
from herbproc.ocr.engines.ppocr import get_ppocr
from herbproc.ocr.evaluate import same_taxon
from herbproc.synth import make_world, render_sheet

WORLD = {"species": 3, "sheets_per_species": 1, "width": 1000, "height": 1500, "handwriting_share": 0.0}
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed (scripts/setup.sh)"
)


class Blotting:
    """PP-OCR whose readings lose the word after ``genus`` (the first engine, under another name so that the
    re-reads use the real engines)."""

    name = "first"

    def __init__(self, genus: str | None):
        self.genus = genus
        self.engine = get_ppocr(2, 16, "latin")

    def read(self, crops):
        out = []
        for r in self.engine.read(crops):
            words = r.text.split()
            if self.genus:
                for i, w in enumerate(words[:-1]):
                    if fuzz.ratio(w.lower(), self.genus.lower()) >= 70:  # the slip's handwriting too
                        words[i + 1] = "#" * len(words[i + 1])
            out.append(Reading(" ".join(words), r.confidence, self.name))
        return out


@pytest.fixture(scope="module")
def sheet():
    world = make_world(WORLD, seed=0)
    names = sorted({r["scientificName"] for r in world.records()})
    s = render_sheet(world, 0)
    return TaxonIndex(names), s.image, s.truth["species"]["scientificName"]


def read(sheet, genus, **settings):
    names, image, _ = sheet
    reader = LabelReader(ocr_settings(**settings), names=names, engines=[Blotting(genus)], threads=2)
    return reader.read(image)


@needs_tesseract
def test_an_unsure_name_is_read_again_and_found(sheet):
    names, _, truth = sheet
    genus = parse_name(truth).genus
    result = read(sheet, genus, reread=True, reread_scales=[1.0, 1.5])
    assert result.rereads > 0
    engines = {r.engine for ln in result.lines for r in ln.readings}
    assert {"ppocr@1.5x", "tesseract", "tesseract@1.5x"} <= engines, engines
    assert result.taxon is not None and result.taxon.evidence == "label"
    assert same_taxon(result.taxon.name, truth), (result.taxon, result.texts)
    assert result.taxon.confidence >= 0.5
    assert same_taxon(result.darwin_core()["scientificName"], truth)
    # only the taxon lines and their neighbours were read again, not the whole sheet
    reread_lines = [ln for ln in result.lines if any(r.engine != "first" for r in ln.readings)]
    assert 0 < len(reread_lines) < len(result.lines)
    assert all(ln.engine == "first" for ln in result.lines)  # the fields keep the first reading's choice


def test_without_reread_the_blotted_name_stays_unsure(sheet):
    _, _, truth = sheet
    result = read(sheet, parse_name(truth).genus, reread=False)
    assert result.rereads == 0
    assert all(r.engine == "first" for ln in result.lines for r in ln.readings)
    assert result.taxon is None or not same_taxon(result.taxon.name or "", truth)


def test_a_sure_name_is_not_read_again(sheet):
    _, _, truth = sheet
    result = read(sheet, None, reread=True)  # nothing blotted: the first reading is sure
    assert same_taxon(result.taxon.name, truth) and result.taxon.confidence >= 0.9
    assert result.rereads == 0
    assert all(r.engine == "first" for ln in result.lines for r in ln.readings)


def test_reread_only_with_ppocr_at_another_scale(sheet):
    _, _, truth = sheet
    result = read(sheet, parse_name(truth).genus, reread_engines=["ppocr"], reread_scales=[1.5])
    assert result.rereads > 0
    assert {r.engine for ln in result.lines for r in ln.readings} == {"first", "ppocr@1.5x"}


@pytest.mark.parametrize(
    "key, value",
    [
        ("reread_below", 1.5),
        ("reread_below", -0.1),
        ("reread_scales", []),
        ("reread_scales", [1.0, 9.0]),
        ("reread_engines", ["trocr"]),
        ("reread_engines", []),
        ("reread_lines", 0),
    ],
)
def test_bad_reread_settings_are_refused_in_one_line(key, value):
    with pytest.raises(ValueError) as err:
        ocr_settings(**{key: value})
    message = str(err.value)
    assert f"'ocr.{key}'" in message and "\n" not in message


def test_a_missing_tesseract_is_told_before_a_run(monkeypatch):
    from herbproc.ocr.engines import EngineError, check_engines

    monkeypatch.setattr(shutil, "which", lambda name: None if name == "tesseract" else "/bin/true")
    with pytest.raises(EngineError, match=r"ocr.reread_engines names tesseract"):
        check_engines(ocr_settings(reread=True))
    check_engines(ocr_settings(reread=False, reread_dates=False))
    check_engines(ocr_settings(reread_engines=["ppocr"]))
