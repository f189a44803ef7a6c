from __future__ import annotations

from dataclasses import dataclass, field

SECTION = "ocr"


@dataclass
class TrOCRSettings:
    """TrOCR checkpoints (folders written by ``save_pretrained``, or repository ids already in the HF cache)."""

    printed: str | None = None  # e.g. a copy of microsoft/trocr-base-printed
    handwritten: str | None = None  # e.g. a copy of microsoft/trocr-base-handwritten
    device: str = "auto"  # auto | cpu | cuda
    dtype: str = "auto"  # auto (bf16 on a GPU, fp32 on the CPU) | bf16 | fp16 | fp32
    num_beams: int = 1  # 1 = greedy
    max_new_tokens: int = 64
    batch_size: int = 64  # lines per generate call


@dataclass
class Settings:
    """stage=ocr and ``herbproc ocr``: read the labels' text lines, turn them into Darwin Core fields, resolve
    the taxon against the run's names with the classifier's top-k as a prior (docs/ocr.md)."""

    engine: str = "ppocr"  # ppocr | tesseract | trocr | ensemble
    ensemble: list[str] = field(default_factory=lambda: ["ppocr", "tesseract"])  # engines of engine=ensemble
    trocr: TrOCRSettings = field(default_factory=TrOCRSettings)
    tesseract_lang: str = "eng"
    names_file: str | None = None  # taxonomy, one name per line; None: the manifest's scientificName values
    predictions: str | None = None  # classifier top-k Parquet; None: <run_dir>/predict/predictions.parquet
    use_prior: bool = True  # fuse the classifier's top-k when predictions exist
    prior_weight: float = 1.0  # exponent of the prior (0 = OCR alone)
    none_similarity: float = 0.7  # a name must read about this well to beat "none of these" (docs/ocr.md)
    temperature: float = (
        0.015  # sharpness of the OCR likelihood (herbproc.fields); larger lets the prior weigh more
    )
    name_windows: bool = True  # no name found: try again on 2- and 3-word spans of every reading
    partial_names: bool = (
        True  # still none: a genus or an epithet read supports its names (the prior chooses)
    )
    image_fallback: bool = False  # no name from the label: the classifier's top-1, flagged (docs/ocr.md)
    image_fallback_min: float = 0.5  # ... when the classifier is at least this sure
    region_kinds: list[str] = field(default_factory=lambda: ["label", "barcode"])  # mask region kinds read
    crop_pads: list[float] = field(default_factory=lambda: [0.0, 0.1])  # line margins read, in line heights
    retry_below: float = 0.97  # the other margins are read only where the best reading is less sure than this
    min_line_height: int = 32  # smaller lines are enlarged to this many pixels before reading
    max_line_height: int = 96  # larger lines are shrunk to this
    min_confidence: float = 0.0  # fields below this are left empty in occurrences.csv
    batch_size: int = 4  # sheets read together (their lines share engine batches), then journaled
    ppocr_batch_size: int = 16  # lines per PP-OCR recogniser call
    ppocr_alphabet: str = (
        "latin"  # latin (Latin script, digits, punctuation) | all (the model's 18,000 characters)
    )
    threads: int = 0  # onnxruntime threads (0: stage.cpus)
    max_pixels: int = 150_000_000  # larger sheets fail with reason too_large (refused before decoding)
    reuse_detections: bool = True  # read the mask stage's detections from the store when it has them
    report_samples: int = 6  # sheets shown with their label crops in the run report
