from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from herbproc.schema.build import section_settings
from herbproc.schema.loop import DEVICES  # TrOCR runs where a model does
from herbproc.schema.mask import TARGETS

SECTION = "ocr"
ENGINES = ("ppocr", "tesseract", "trocr", "ensemble")
MEMBERS = ("ppocr", "tesseract", "trocr")  # the engines an ensemble may combine
DTYPES = ("auto", "bf16", "fp16", "fp32")
ALPHABETS = ("latin", "all")
SIMILARITIES = ("plain", "confusion")  # herbproc.fields.taxon.SIMILARITIES  # PP-OCR's output characters
REREAD_ENGINES = ("ppocr", "tesseract")  # the engines that may re-read a sheet's taxon lines
REGION_KINDS = tuple(kind for kinds in TARGETS.values() for kind in kinds)


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

    def __post_init__(self) -> None:
        def bad(key: str, value: Any, why: str) -> ValueError:
            return ValueError(f"wrong value for 'ocr.trocr.{key}': {value!r} ({why})")

        if self.device not in DEVICES:
            raise bad("device", self.device, f"choices: {', '.join(DEVICES)}")
        if self.dtype not in DTYPES:
            raise bad("dtype", self.dtype, f"choices: {', '.join(DTYPES)}")
        for key in ("num_beams", "max_new_tokens", "batch_size"):
            if getattr(self, key) < 1:
                raise bad(key, getattr(self, key), "must be at least 1")


@dataclass
class Settings:
    """stage=ocr and ``herbproc ocr``: read the labels' text lines, turn them into Darwin Core fields, resolve
    the taxon against the run's names with the classifier's top-k as a prior (docs/ocr.md)."""

    engine: str = "ppocr"  # ppocr | tesseract | trocr | ensemble
    ensemble: list[str] = field(default_factory=lambda: ["ppocr", "tesseract"])  # engines of engine=ensemble
    trocr: TrOCRSettings = field(default_factory=TrOCRSettings)
    tesseract_lang: str = "eng"
    names_file: str | None = None  # taxonomy, one name per line; None: the manifest's scientificName values
    # a record kept without a name (ingest.keep_unnamed) is read without the taxonomy, as herbproc ocr without
    # names reads (its name need not be in the list: docs/ocr.md); true reads it against the taxonomy too
    unnamed_taxonomy: bool = False
    # ... and where its record gives a genus, a name read whose genus is a near misreading of it ("Cetaria" on a
    # Cetraria record) is written with the record's genus (herbproc.fields.record_genus)
    record_genus: bool = True
    # the herbarium's collectors, one person (or a record's recordedBy) per line: a collector read with a slip is
    # written as the list writes them, one the rules missed is found by name (herbproc.fields.collectors)
    collectors_file: str | None = None
    record_collectors: bool = False  # no collectors_file: the run's records' recordedBy values are the list
    predictions: str | None = None  # classifier top-k Parquet; None: <run_dir>/predict/predictions.parquet
    use_prior: bool = True  # fuse the classifier's top-k when predictions exist
    prior_weight: float = 1.0  # exponent of the prior (0 = OCR alone)
    none_similarity: float = 0.7  # a name must read about this well to beat "none of these" (docs/ocr.md)
    temperature: float = (
        0.015  # sharpness of the OCR likelihood (herbproc.fields); larger lets the prior weigh more
    )
    name_similarity: str = "plain"  # plain | confusion: readings vs names (herbproc.fields.taxon.ConfusionCosts)
    taxon_calibration: bool = True  # the taxon confidence is the calibrated probability of its margin
    min_taxon_confidence: float = 0.5  # ... and a name less sure than this is left empty (docs/ocr.md)
    # the rest of the label votes among close candidates: a listed authorship read, a genus's family read, a
    # determination slip, an epithet read near a genus read alone
    label_evidence: bool = True
    name_windows: bool = True  # no name found: try again on 2- and 3-word spans of every reading
    partial_names: bool = (
        True  # still none: a genus or an epithet read supports its names (the prior chooses)
    )
    image_fallback: bool = False  # no name from the label: the classifier's top-1, flagged (docs/ocr.md)
    image_fallback_min: float = 0.5  # ... when the classifier is at least this sure
    region_kinds: list[str] = field(default_factory=lambda: ["label", "barcode"])  # mask region kinds read
    barcodes: bool = True  # decode the sheet's barcodes: catalogNumber as the symbol encodes it (docs/ocr.md)
    # a last text pass over each label at this scale of full resolution, for small print a large scan's
    # detection passes saw too small (herbproc.sheet.detail); 0 = off; no effect where they saw it finer
    label_detail: float = 1.0
    label_detail_min: float = 0.9  # ... and its lines are kept only when read at least this sure
    # ... over each label's box widened by this many text-line heights, boxes that then overlap joined: a label
    # whose card edge was not found is only its text blocks, and the print between or beside them is searched
    label_detail_margin: float = 2.0
    crop_pads: list[float] = field(default_factory=lambda: [0.0, 0.1])  # line margins read, in line heights
    retry_below: float = 0.97  # the other margins are read only where the best reading is less sure than this
    # a line read with a printed form's dotted leader ("Loc....e...ae"): read again with the leader's dots
    # painted out of its crop (herbproc.ocr.leaders), the readings compared as the margins' are
    leaders: bool = True
    # a line read as something and a collectors' caption whose crop holds two rows of names and a brace
    # ("N. L. BRITTON / ARTHUR HOLLICK } COLLECTORS"): read again row by row (herbproc.ocr.stacked)
    stacked_rows: bool = True
    # the taxon still unsure after the first reading (no name, or less sure than reread_below): the lines that
    # read most like a name, and their neighbours, read again at other scales and by other engines (docs/ocr.md)
    reread: bool = True
    reread_below: float = 0.5  # 0.5 = min_taxon_confidence: the sheets the label gives no name
    reread_scales: list[float] = field(default_factory=lambda: [1.0, 1.5, 2.0])  # x the first line height
    reread_engines: list[str] = field(default_factory=lambda: ["ppocr", "tesseract"])  # ppocr | tesseract
    reread_lines: int = 2  # the lines of this many best candidates, each with the line above and below
    # a line that gives a year and no day of it, with a word beside the year (a month misread on a thumbnail):
    # read again at reread_scales by reread_engines, its date taken from them where they agree on more (docs/ocr.md)
    reread_dates: bool = True
    min_line_height: int = 32  # smaller lines are enlarged to this many pixels before reading
    max_line_height: int = 96  # larger lines are shrunk to this
    min_confidence: float = 0.0  # fields below this are left empty in occurrences.csv
    # a label that names a state or province and no country: write the state's country too (off: a value not on
    # the label stays empty, as issue 12 asks; countryCode is the state's either way)
    country_from_state: bool = False
    # country and stateProvince as the label prints them ("Rep. Dominicana", "PORTO RICO", "Tenn.", "St. George"),
    # as transcribers write them, not their standard names ("Dominican Republic", "Tennessee"); countryCode is the
    # ISO code either way
    places_as_printed: bool = False
    # what a field's confidence means: default (the packaged table: the share of values read that way that were
    # right on real labels, herbproc.fields.calibration) | off (the rules' own scores) | a table's path
    field_calibration: str | bool = "default"
    # ... and a calibrated field less likely right than this is left empty, as a name below min_taxon_confidence
    # is; 0 keeps every value read. The real-download data profiles (data=gbif, gbif_small) set 0.5: the table
    # describes real labels, and the synthetic demo's read better than real ones off lines read as surely
    min_field_probability: float = 0.0
    batch_size: int = 4  # sheets read together (their lines share engine batches), then journaled
    ppocr_batch_size: int = 16  # lines per PP-OCR recogniser call
    ppocr_alphabet: str = (
        "latin"  # latin (Latin script, digits, punctuation) | all (the model's 18,000 characters)
    )
    threads: int = 0  # onnxruntime threads (0: stage.cpus)
    max_pixels: int = 150_000_000  # larger sheets fail with reason too_large (refused before decoding)
    reuse_detections: bool = True  # read the mask stage's detections from the store when it has them
    report_samples: int = 6  # sheets shown with their label crops in the run report

    def __post_init__(self) -> None:
        if isinstance(self.trocr, dict):
            self.trocr = TrOCRSettings(**self.trocr)
        check(self)


def ocr_settings(source: Any = None, **overrides: Any) -> Settings:
    """A checked ``Settings`` from None (defaults), a ``Settings``, a mapping or DictConfig of the ``ocr`` keys, or
    a whole run configuration (its ``ocr`` section); keyword arguments override single keys."""
    return section_settings(Settings, SECTION, source, **overrides)


def check(s: Settings) -> None:
    """Raise ValueError naming the first bad ``ocr.*`` value and what would be valid."""

    def bad(key: str, value: Any, why: str) -> ValueError:
        return ValueError(f"wrong value for 'ocr.{key}': {value!r} ({why})")

    if s.engine not in ENGINES:
        raise bad("engine", s.engine, f"choices: {', '.join(ENGINES)}")
    members = list(s.ensemble)
    if not members or any(m not in MEMBERS for m in members):
        raise bad("ensemble", members, f"a non-empty list of {', '.join(MEMBERS)}")
    if not 0.0 < s.none_similarity < 1.0:
        raise bad("none_similarity", s.none_similarity, "must lie strictly between 0 and 1")
    if not 0.001 <= s.temperature <= 1.0:
        raise bad("temperature", s.temperature, "must lie between 0.001 and 1")
    if s.name_similarity not in SIMILARITIES:
        raise bad("name_similarity", s.name_similarity, f"choices: {', '.join(SIMILARITIES)}")
    if not 0.0 <= s.min_taxon_confidence <= 1.0:
        raise bad("min_taxon_confidence", s.min_taxon_confidence, "must lie between 0 and 1")
    if not (math.isfinite(s.prior_weight) and s.prior_weight >= 0):
        raise bad("prior_weight", s.prior_weight, "must be a number >= 0")
    unknown = [k for k in s.region_kinds if k not in REGION_KINDS]
    if not s.region_kinds or unknown:
        raise bad("region_kinds", list(s.region_kinds), f"a non-empty list of {', '.join(REGION_KINDS)}")
    if not 0.0 <= s.label_detail <= 2.0:
        raise bad("label_detail", s.label_detail, "a scale of full resolution from 0 (off) to 2")
    if not 0.0 <= s.label_detail_margin <= 10.0:
        raise bad("label_detail_margin", s.label_detail_margin, "text-line heights from 0 to 10")
    if not 0.0 <= s.label_detail_min <= 1.0:
        raise bad("label_detail_min", s.label_detail_min, "must lie between 0 and 1")
    if not s.crop_pads or any(not 0.0 <= p <= 2.0 for p in s.crop_pads):
        raise bad("crop_pads", list(s.crop_pads), "a non-empty list of margins from 0 to 2 line heights")
    if not 8 <= s.min_line_height <= s.max_line_height <= 512:
        raise ValueError(
            f"wrong values for 'ocr.min_line_height'/'ocr.max_line_height': {s.min_line_height}/"
            f"{s.max_line_height} (8 <= min <= max <= 512 pixels)"
        )
    if not 0.0 <= s.retry_below <= 1.0:
        raise bad("retry_below", s.retry_below, "must lie between 0 (never) and 1 (always)")
    if not 0.0 <= s.reread_below <= 1.0:
        raise bad("reread_below", s.reread_below, "must lie between 0 (never) and 1 (always)")
    if not s.reread_scales or any(not 0.25 <= float(x) <= 4.0 for x in s.reread_scales):
        raise bad("reread_scales", list(s.reread_scales), "a non-empty list of scales from 0.25 to 4")
    engines = list(s.reread_engines)
    if not engines or any(e not in REREAD_ENGINES for e in engines):
        raise bad("reread_engines", engines, f"a non-empty list of {', '.join(REREAD_ENGINES)}")
    if not 1 <= s.reread_lines <= 20:
        raise bad("reread_lines", s.reread_lines, "must lie between 1 and 20")
    if not 0.0 <= s.image_fallback_min <= 1.0:
        raise bad("image_fallback_min", s.image_fallback_min, "must lie between 0 and 1")
    if not 0.0 <= s.min_confidence <= 1.0:
        raise bad("min_confidence", s.min_confidence, "must lie between 0 and 1")
    if not 0.0 <= s.min_field_probability <= 1.0:
        raise bad("min_field_probability", s.min_field_probability, "must lie between 0 and 1")
    for key in ("batch_size", "ppocr_batch_size"):
        if getattr(s, key) < 1:
            raise bad(key, getattr(s, key), "must be at least 1")
    if s.ppocr_alphabet not in ALPHABETS:
        raise bad("ppocr_alphabet", s.ppocr_alphabet, f"choices: {', '.join(ALPHABETS)}")
    if s.threads < 0:
        raise bad("threads", s.threads, "must be 0 (stage.cpus) or more")
    if s.max_pixels < 10_000:
        raise bad("max_pixels", s.max_pixels, "must be at least 10000")
    if s.report_samples < 0:
        raise bad("report_samples", s.report_samples, "must not be negative")
    if not isinstance(s.field_calibration, bool | str) or s.field_calibration in ("", "on"):
        raise bad("field_calibration", s.field_calibration, "default, off or a table's path")
    if s.field_calibration not in (True, False, "default", "off"):
        from herbproc.fields.calibration import calibration_for

        try:
            calibration_for(s.field_calibration)
        except ValueError as e:
            raise bad("field_calibration", s.field_calibration, str(e)) from None
    for key in ("names_file", "collectors_file", "predictions"):
        value = getattr(s, key)
        if value is not None and not Path(value).expanduser().is_file():
            raise bad(key, value, "no such file")
