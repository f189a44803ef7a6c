"""The recognition engines on rendered lines, line cropping, and the ensemble's choice between readings."""

from __future__ import annotations

import os
import shutil

import cv2
import numpy as np
import pytest
from ocr_models import build_tiny_trocr, render_line
from rapidfuzz.distance import Levenshtein

from herbproc.fields import TaxonIndex
from herbproc.ocr.engines import EngineError, build_engines, member_names
from herbproc.ocr.engines.base import Reading
from herbproc.ocr.engines.ensemble import EnsembleEngine, choose
from herbproc.ocr.engines.ppocr import get_ppocr
from herbproc.ocr.lines import crop_line
from herbproc.ocr.settings import ocr_settings

LINES = [
    "Carex crinita Lam.",
    "Middlesex Co., Concord, Massachusetts",
    "Coll. M. L. Fernald No. 1234",
    "12 June 1912",
    "PLANTS OF CONNECTICUT",
]


def cer(ref: str, hyp: str) -> float:
    return Levenshtein.distance(ref, hyp) / len(ref)


def test_ppocr_reads_printed_lines():
    engine = get_ppocr(1, 4)
    crops = [render_line(t) for t in LINES]
    readings = engine.read(crops)
    assert [r.engine for r in readings] == ["ppocr"] * len(LINES)
    assert sum(cer(t, r.text) for t, r in zip(LINES, readings, strict=True)) / len(LINES) <= 0.02
    assert all(0.8 <= r.confidence <= 1.0 for r in readings)
    # batching and order do not change a reading
    again = engine.read(crops[::-1])[::-1]
    assert [r.text for r in again] == [r.text for r in readings]


def test_ppocr_reads_a_line_alike_alone_and_among_others():
    """A line's reading does not hang on which lines share its batch (a sheet alone, among a batch's sheets, or
    after a resumed shard): lines are padded to their own width, rounded up, not to the batch's widest."""
    engine = get_ppocr(1, 16)
    crops = [render_line(t) for t in LINES] + [render_line("Viburnum lentago L. " * 4)]
    alone = [engine.read([c])[0] for c in crops]
    together = engine.read(crops)
    assert [(r.text, round(r.confidence, 3)) for r in together] == [(r.text, round(r.confidence, 3)) for r in alone]


def test_ppocr_latin_alphabet_and_tiny_crops():
    engine = get_ppocr(1, 4)
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 255, size=(40, 200, 3), dtype=np.uint8)
    text = engine.read([noise])[0].text
    assert all(engine.allowed[engine.characters.index(ch)] for ch in text)
    assert all(ord(ch) < 0x3000 for ch in text), f"a CJK character came out of a Latin-only reader: {text!r}"
    tiny, empty = np.zeros((2, 2, 3), np.uint8), np.zeros((0, 5, 3), np.uint8)
    assert [(r.text, r.confidence) for r in engine.read([tiny, empty])] == [("", 0.0), ("", 0.0)]
    with pytest.raises(ValueError, match="uint8"):
        engine.read([np.zeros((10, 10, 3), np.float32)])


@pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract-ocr is not installed (scripts/setup.sh)"
)
def test_tesseract_reads_printed_lines():
    from herbproc.ocr.engines.tesseract import TesseractEngine

    engine = TesseractEngine("eng")
    crops = [render_line(t) for t in LINES]
    readings = engine.read(crops)
    assert len(readings) == len(LINES)
    assert sum(cer(t, r.text) for t, r in zip(LINES, readings, strict=True)) / len(LINES) <= 0.05
    assert all(r.engine == "tesseract" and 0.5 <= r.confidence <= 1.0 for r in readings)
    with pytest.raises(EngineError, match="no language data for xyz"):
        TesseractEngine("xyz")


def test_crop_line_levels_a_turned_line():
    line = render_line("Quercus alba L. var. latiloba", size=30)
    h, w = line.shape[:2]
    canvas = np.full((400, 600, 3), 242, np.uint8)
    canvas[180 : 180 + h, 100 : 100 + w] = line
    angle = 12.0
    turn = cv2.getRotationMatrix2D((300, 200), angle, 1.0)
    turned = cv2.warpAffine(canvas, turn, (600, 400), borderValue=(242, 242, 242))
    corners = np.array([[100, 180], [100 + w, 180], [100 + w, 180 + h], [100, 180 + h]], np.float32)
    quad = cv2.transform(corners[None], turn)[0]
    crop = crop_line(turned, quad, pad=0.05, min_height=32, max_height=96)
    assert abs(crop.shape[0] - (h * 1.1)) <= 2, "level crop: the line's own height plus the margin"
    assert get_ppocr(1, 4).read([crop])[0].text == "Quercus alba L. var. latiloba"
    small = crop_line(turned, quad * 1.0, pad=0.0, min_height=80, max_height=96)
    assert small.shape[0] == 80, "short lines are enlarged to min_height"
    assert crop_line(turned, np.zeros((4, 2), np.float32)).size == 0


# --------------------------------------------------------------------------------------------- TrOCR


@pytest.fixture(scope="module")
def tiny_trocr(tmp_path_factory):
    return build_tiny_trocr(tmp_path_factory.mktemp("trocr") / "tiny")


def test_trocr_engine_code_path(tiny_trocr):
    import torch
    from PIL import Image
    from transformers import AutoProcessor

    from herbproc.ocr.engines.trocr import TrOCREngine

    engine = TrOCREngine(str(tiny_trocr), device="cpu", max_new_tokens=10, batch_size=2, name="trocr-printed")
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    crops = [render_line(t) for t in LINES] + [np.zeros((2, 2, 3), np.uint8)]
    readings = engine.read(crops)
    assert len(readings) == len(crops) and readings[-1] == Reading("", 0.0, "trocr-printed")
    assert all(isinstance(r.text, str) and 0.0 < r.confidence <= 1.0 for r in readings[:-1])
    # batch size does not change what is read
    engine.batch_size = 5
    assert [(r.text, round(r.confidence, 3)) for r in engine.read(crops)] == [
        (r.text, round(r.confidence, 3)) for r in readings
    ]
    # the engine's preprocessing is the checkpoint processor's, to rounding
    processor = AutoProcessor.from_pretrained(str(tiny_trocr), local_files_only=True)
    ref = processor(images=[Image.fromarray(c) for c in crops[:3]], return_tensors="pt").pixel_values
    mine = engine.pixel_values(engine.prepare(crops[:3]))
    assert torch.allclose(ref, mine.float(), atol=1.01 / 127.5)
    # confidence = geometric mean of the generated tokens' probabilities, by a teacher-forced forward pass
    with torch.inference_mode():
        seq = engine.model.generate(pixel_values=mine[:1], max_new_tokens=10, max_length=None)
        logits = engine.model(pixel_values=mine[:1], decoder_input_ids=seq[:, :-1]).logits
    logp = logits.log_softmax(-1).gather(-1, seq[:, 1:, None])[0, :, 0]
    eos = engine.model.generation_config.eos_token_id
    stop = (seq[0, 1:] == eos).nonzero()
    n = int(stop[0]) + 1 if len(stop) else len(logp)
    assert readings[0].confidence == pytest.approx(float(logp[:n].mean().exp()), abs=2e-3)
    assert readings[0].text == engine.tokenizer.decode(seq[0], skip_special_tokens=True).strip()


def test_trocr_beam_search(tiny_trocr):
    from herbproc.ocr.engines.trocr import TrOCREngine

    engine = TrOCREngine(str(tiny_trocr), device="cpu", num_beams=3, max_new_tokens=6)
    readings = engine.read([render_line(t) for t in LINES[:2]])
    assert len(readings) == 2 and all(0.0 < r.confidence <= 1.0 for r in readings)


def test_trocr_checkpoint_errors(tmp_path, tiny_trocr):
    from herbproc.ocr.engines.trocr import TrOCREngine

    with pytest.raises(EngineError, match="checkpoint folder not found"):
        TrOCREngine(str(tmp_path / "nowhere" / "model"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(EngineError, match="no config.json"):
        TrOCREngine(str(tmp_path / "empty"))
    (tmp_path / "file.bin").write_bytes(b"x")
    with pytest.raises(EngineError, match="is a file"):
        TrOCREngine(str(tmp_path / "file.bin"))
    with pytest.raises(EngineError, match="nothing is downloaded"):
        TrOCREngine("microsoft/trocr-base-printed-not-cached-here")
    broken = tmp_path / "broken"
    shutil.copytree(tiny_trocr, broken)
    (broken / "model.safetensors").write_bytes(b"not weights")
    with pytest.raises(EngineError, match="cannot load the TrOCR checkpoint"):
        TrOCREngine(str(broken))
    with pytest.raises(EngineError, match="device"):
        TrOCREngine(str(tiny_trocr), device="tpu")


def test_engine_choice_from_settings(tiny_trocr):
    assert member_names(ocr_settings(engine="ensemble", ensemble=["tesseract", "ppocr"])) == [
        "tesseract",
        "ppocr",
    ]
    with pytest.raises(ValueError, match="ocr.engine"):
        ocr_settings(engine="abbyy")
    with pytest.raises(ValueError, match="ocr.ensemble"):
        ocr_settings(engine="ensemble", ensemble=["ppocr", "gpt"])
    with pytest.raises(EngineError, match="needs a checkpoint"):
        build_engines(ocr_settings(engine="trocr"))
    engines = build_engines(ocr_settings(engine="trocr", trocr={"printed": str(tiny_trocr), "device": "cpu"}))
    assert [e.name for e in engines] == ["trocr-printed"]
    both = ocr_settings(engine="ensemble", ensemble=["ppocr", "trocr"],
                        trocr={"printed": str(tiny_trocr), "handwritten": str(tiny_trocr), "device": "cpu"})  # fmt: skip
    assert [e.name for e in build_engines(both)] == ["ppocr", "trocr-printed", "trocr-handwritten"]


# --------------------------------------------------------------------------------------------- ensemble


class FixedEngine:
    def __init__(self, name: str, texts: list[tuple[str, float]]):
        self.name, self.texts = name, texts

    def read(self, crops):
        assert len(crops) == len(self.texts)
        return [Reading(t, c, self.name) for t, c in self.texts]


def test_ensemble_keeps_the_reading_that_reads_like_a_label():
    index = TaxonIndex(["Carex crinita Lam.", "Carex lurida Wahlenb.", "Quercus alba L."])
    a = FixedEngine("a", [("Carex crinjta Lam.", 0.97), ("12 Jnne 1912", 0.95), ("Goll. Fernald", 0.9)])
    b = FixedEngine("b", [("Carex crinita Lam.", 0.90), ("12 June 1912", 0.90), ("Coll. Fernald", 0.85)])
    ensemble = EnsembleEngine([a, b], index)
    chosen = ensemble.read([np.zeros((20, 80, 3), np.uint8)] * 3)
    assert [r.text for r in chosen] == ["Carex crinita Lam.", "12 June 1912", "Coll. Fernald"]
    assert [r.engine for r in chosen] == ["b", "b", "b"]
    # where neither reading says anything, the more confident engine wins
    assert choose([Reading("xq zv", 0.6, "a"), Reading("xq zw", 0.7, "b")]).engine == "b"
    assert choose([]) == Reading("", 0.0, "")
    with pytest.raises(ValueError, match="at least one engine"):
        EnsembleEngine([])
