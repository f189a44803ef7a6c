"""Label OCR: text lines of the labels (found by ``herbproc.sheet.detect``) read by PP-OCR, Tesseract or TrOCR,
turned into Darwin Core fields (``herbproc.fields``), the taxon resolved with the classifier as a prior.

    from herbproc.ocr import LabelReader, ocr_settings
    reader = LabelReader(ocr_settings(engine="ppocr"), names=TaxonIndex(names))
    result = reader.read(rgb_image, prior={"Carex crinita": 0.9})
    result.darwin_core()

The stage is ``herbproc.ocr.stage`` (``stage=ocr``); the command ``herbproc ocr`` is ``herbproc.ocr.cli``.
See docs/ocr.md.
"""

from herbproc.ocr.engines import Engine, EngineError, Reading, build_engines
from herbproc.ocr.lines import Label, LabelLine, crop_line, label_lines
from herbproc.ocr.reader import LabelReader, LineResult, SheetResult
from herbproc.ocr.settings import ocr_settings

__all__ = [
    "Engine",
    "EngineError",
    "Label",
    "LabelLine",
    "LabelReader",
    "LineResult",
    "Reading",
    "SheetResult",
    "build_engines",
    "crop_line",
    "label_lines",
    "ocr_settings",
]
