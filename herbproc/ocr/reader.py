"""Reading sheets: label lines → readings → one text per line → Darwin Core fields and the taxon.

    reader = LabelReader(ocr_settings, names=TaxonIndex(names))
    result = reader.read(image, prior={"Carex crinita": 0.8, "Carex lurida": 0.1})
    result.darwin_core()        # {"scientificName": ..., "recordedBy": ..., "eventDate": ..., ...}

``read_many`` reads several sheets at once: their lines share the engines' batches. Every line is read by every
engine of ``ocr.engine`` on the first crop margin of ``ocr.crop_pads`` (and on the others where that reading is
unsure: ``ocr.retry_below``); ``engines.ensemble.choose`` keeps one
reading per line for the fields (``herbproc.fields.extract_fields``), and the taxon is resolved over *all*
readings (``herbproc.fields.resolve_taxon``: each name keeps its best reading), with the image prior.

Where that name is unsure (none, or less sure than ``ocr.reread_below``) and ``ocr.reread`` is on, the lines
that read most like a name (those of the ``ocr.reread_lines`` best candidates, whole or partial, and the lines
above and below them) are cut again at the ``ocr.reread_scales`` and read by the ``ocr.reread_engines`` (each
pair not read already); their readings join the lines' others and the taxon is resolved again over them all.
The fields keep the first readings' choice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from herbproc.fields import (
    DWC_TERMS,
    Field,
    TaxonIndex,
    TaxonResolution,
    extract_fields,
    parse_name,
    resolve_partial,
    resolve_taxon,
)
from herbproc.fields.calibration import calibration_for
from herbproc.fields.collectors import CollectorIndex, apply_collectors
from herbproc.fields.names import qualifier_in
from herbproc.fields.people_lines import collector_on_the_name_line
from herbproc.fields.place_lines import country_from_state, places_as_printed
from herbproc.fields.record_genus import respell_genus
from herbproc.fields.taxon import load_confusions
from herbproc.fields.text import clean_line
from herbproc.ocr.barcode_match import matched_number
from herbproc.ocr.barcodes import catalogue_number, read_barcodes
from herbproc.ocr.date_rereads import more_precise, unsure_date
from herbproc.ocr.engines import Engine, Reading, build_engines, member_names
from herbproc.ocr.engines.base import EngineError
from herbproc.ocr.engines.ensemble import choose
from herbproc.ocr.leaders import typed_on_leader, without_leaders
from herbproc.ocr.lines import Label, LabelLine, crop_line, label_lines
from herbproc.ocr.stacked import caption_read, joined_reading, names_beside_caption, stacked_rows
from herbproc.sheet.detail import with_label_detail
from herbproc.sheet.detect import Detections, detect
from herbproc.sheet.textdet import get_detector

log = logging.getLogger("herbproc.ocr")
BARCODE_CONFIDENCE = 0.99  # a decoded symbol carries its own checks
TAXON_TERMS = (
    "scientificName", "scientificNameAuthorship", "genus", "specificEpithet", "infraspecificEpithet",
    "taxonRank", "verbatimTaxonRank", "identificationQualifier",
)  # fmt: skip
WINDOW_SIZES = (2, 3)


@dataclass
class LineResult:
    label: int
    line: int
    polygon: np.ndarray
    text: str  # the chosen reading
    confidence: float
    engine: str
    readings: list[Reading] = field(default_factory=list)  # margin by margin, engine by engine

    @property
    def box(self) -> tuple[int, int, int, int]:
        x0, y0 = np.floor(self.polygon.min(axis=0))
        x1, y1 = np.ceil(self.polygon.max(axis=0))
        return int(x0), int(y0), int(x1), int(y1)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "line": self.line,
            "box": list(self.box),
            "polygon": np.round(self.polygon.astype(np.float64), 1).tolist(),
            "text": self.text,
            "confidence": round(float(self.confidence), 4),
            "engine": self.engine,
            "readings": [
                {"text": r.text, "confidence": r.confidence, "engine": r.engine} for r in self.readings
            ],
        }


@dataclass
class SheetResult:
    width: int
    height: int
    labels: list[Label]
    lines: list[LineResult]
    fields: dict[str, Field]
    taxon: TaxonResolution | None = None  # with the prior (when one was given)
    taxon_ocr: TaxonResolution | None = None  # the text alone
    prior_used: bool = False
    rereads: int = 0  # readings added by ``ocr.reread`` (lines x scales x engines)
    date_rereads: int = 0  # readings made by ``ocr.reread_dates`` (lines x scales x engines)
    barcodes: list[str] = field(default_factory=list)  # decoded on the sheet (``ocr.barcodes``)
    # (the catalogue number OCR read, the number the undecoded barcode's bars fit better): ``barcode_match``
    bars_fit: tuple[str, str] | None = None
    collector_source: str = ""  # what the herbarium's list of collectors did to recordedBy (collectors.FOUND, ...)
    genus_from_record: str = ""  # the record's genus, written for a misreading of it (fields.record_genus)

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]

    @property
    def taxon_source(self) -> str:
        """Where scientificName came from: label (a whole name read), label+image (the prior chose among names
        the label fits), partial (a genus or an epithet read, no prior), image (the classifier alone), rules (no
        taxonomy: the name the rules read on the label), "" none."""
        t = self.taxon
        if t is None and "scientificName" in self.fields:
            return "rules"
        if t is None or t.name is None:
            return ""
        if t.evidence == "image":
            return "image"
        if t.evidence == "partial":
            return "label+image" if self.prior_used else "partial"
        return "label"

    @property
    def identification_remarks(self) -> str:
        """Darwin Core identificationRemarks for names the label did not give whole (empty otherwise)."""
        t, source = self.taxon, self.taxon_source
        if source == "rules" and self.genus_from_record:
            return (f"scientificName as the label prints it, its genus misread and written as the record gives it "
                    f"({self.genus_from_record}); not matched to a list of names "
                    f"(p={self.fields['scientificName'].confidence:.2f})")  # fmt: skip
        if source == "rules":
            return (f"scientificName as the label prints it, not matched to a list of names "
                    f"(p={self.fields['scientificName'].confidence:.2f})")  # fmt: skip
        if t is None or source in ("", "label"):
            return ""
        if source == "image":
            return (f"scientificName predicted from the specimen image by the classifier (p={t.confidence:.2f}); "
                    "the label's name was not legible")  # fmt: skip
        if source == "label+image":
            return (f"label name partly legible; the image classifier chose among the names it fits "
                    f"(p={t.confidence:.2f})")  # fmt: skip
        return f"label name partly legible; the name that fits it best (p={t.confidence:.2f})"

    def darwin_core(self, min_confidence: float = 0.0) -> dict[str, str]:
        return {
            t: (f.value if (f := self.fields.get(t)) and f.confidence >= min_confidence else "")
            for t in DWC_TERMS
        }

    def confidences(self) -> dict[str, float]:
        return {t: round(float(f.confidence), 4) if (f := self.fields.get(t)) else 0.0 for t in DWC_TERMS}

    def to_json(self) -> dict[str, Any]:
        """Everything worth keeping, as JSON-able data (the stage's journal and results table)."""

        def resolution(r: TaxonResolution | None) -> dict[str, Any] | None:
            if r is None:
                return None
            top = [{"name": c.name, "similarity": round(c.similarity, 4), "probability": round(c.probability, 4),
                    "prior": None if c.prior_probability is None else round(c.prior_probability, 4)}
                   for c in r.candidates[:3]]  # fmt: skip
            return {
                "name": r.name,
                "confidence": round(r.confidence, 4),
                "candidates": top,
                "evidence": r.evidence,
            }

        return {
            "width": self.width,
            "height": self.height,
            "labels": [
                {"index": lb.index, "kind": lb.kind, "box": list(lb.box), "score": round(lb.score, 3)}
                for lb in self.labels
            ],  # fmt: skip
            "lines": [ln.to_json() for ln in self.lines],
            "fields": self.darwin_core(),
            "confidence": self.confidences(),
            "taxon": resolution(self.taxon),
            "taxon_ocr": resolution(self.taxon_ocr),
            "prior_used": self.prior_used,
            "rereads": self.rereads,
            "date_rereads": self.date_rereads,
            "barcodes": self.barcodes,
            "bars_fit": list(self.bars_fit) if self.bars_fit else None,
            "taxon_source": self.taxon_source,
            "identificationRemarks": self.identification_remarks,
            "collector_source": self.collector_source,
        }


class LabelReader:
    """Reads sheets with the engines the ``ocr`` settings name; ``names`` is the run's taxonomy (or None),
    ``collectors`` the herbarium's collectors (default: ``ocr.collectors_file``'s, or None)."""

    def __init__(
        self,
        settings: Any,
        *,
        names: TaxonIndex | None = None,
        collectors: CollectorIndex | None = None,
        mask_settings: Any = None,
        engines: Sequence[Engine] | None = None,
        threads: int = 1,
    ):
        from herbproc.schema.mask import settings_from

        self.settings = settings
        self.names = names if names is not None and len(names) else None
        if collectors is None and settings.collectors_file:
            collectors = CollectorIndex.from_file(settings.collectors_file)
        self.collectors = collectors
        self.mask_settings = settings_from(mask_settings, threads=max(1, int(threads)))
        member_names(settings)  # a wrong ocr.engine fails here, before any model is loaded
        self.engines = list(engines) if engines is not None else build_engines(settings, max(1, int(threads)))
        self.engine_name = "+".join(e.name for e in self.engines)
        self.threads = max(1, int(threads))
        self._reread_engines: dict[str, Engine] = {
            e.name: e for e in self.engines if e.name in ("ppocr", "tesseract")
        }
        rereading = (settings.reread and self.names is not None) or settings.reread_dates
        if rereading and "tesseract" in settings.reread_engines:
            try:  # a missing program fails here, before any sheet is read
                self.reread_engine("tesseract")
            except EngineError as e:
                raise EngineError(
                    f"ocr.reread_engines names tesseract: {e} (or ocr.reread_engines=[ppocr], "
                    "or ocr.reread=false ocr.reread_dates=false)"
                ) from None
        self.pads = [float(p) for p in settings.crop_pads] or [0.0]
        self.kinds = list(settings.region_kinds)

    def detect(self, image: np.ndarray) -> Detections:
        return detect(image, self.mask_settings)

    def with_record_genus(self, result: SheetResult, genus: str) -> SheetResult:
        """``result`` of a record kept without a name that gives ``genus``: a name the rules read (no taxonomy)
        whose genus is a near misreading of it, written with the record's genus (``herbproc.fields.record_genus``;
        ``ocr.record_genus``)."""
        if self.settings.record_genus and result.taxon is None and respell_genus(result.fields, genus):
            result.genus_from_record = genus.strip()
        return result

    def read(
        self,
        image: np.ndarray,
        prior: Mapping[str, float] | None = None,
        detections: Detections | None = None,
    ) -> SheetResult:
        return self.read_many([image], [prior], [detections])[0]

    def read_many(
        self,
        images: Sequence[np.ndarray],
        priors: Sequence[Mapping[str, float] | None] | None = None,
        detections: Sequence[Detections | None] | None = None,
    ) -> list[SheetResult]:
        priors = list(priors) if priors is not None else [None] * len(images)
        detections = list(detections) if detections is not None else [None] * len(images)
        sheets = []
        for image, det in zip(images, detections, strict=True):
            det = det if det is not None else self.detect(image)
            det = self.with_label_detail(image, det)
            labels, lines = label_lines(
                image,
                det,
                kinds=self.kinds,
                pads=self.pads,
                min_height=int(self.settings.min_line_height),
                max_height=int(self.settings.max_line_height),
            )
            sheets.append((image.shape, labels, lines))
        readings = self._read_lines([ln for _, _, lines in sheets for ln in lines])
        out, kept, start = [], [], 0
        for (shape, labels, lines), prior in zip(sheets, priors, strict=True):
            mine = readings[start : start + len(lines)]
            start += len(lines)
            lines, mine = self._sure_detail(lines, mine)
            kept.append(lines)
            out.append(self._sheet(shape, labels, lines, mine, prior))
        self._reread(images, kept, out, priors)
        if self.settings.barcodes:
            for image, result in zip(images, out, strict=True):
                result.barcodes = read_barcodes(image)
                set_catalogue_number(result.fields, result.barcodes, result.texts)
                if not result.barcodes and (read := result.fields.get("catalogNumber")) is not None:
                    if (fits := matched_number(image, read.value)) is not None and fits != read.value:
                        result.bars_fit = (read.value, fits)
                        apply_bars_fit(result.fields, result.bars_fit)
        for result in out:
            read_collector = "recordedBy" in result.fields
            finish_fields(
                result.fields,
                self.settings,
                [ln.confidence for ln in result.lines],
                self.names is not None,
                result.texts,
            )
            result.collector_source = apply_collectors(
                result.fields, result.texts, self.collectors, find=not read_collector
            )
        return out

    def _sure_detail(
        self, lines: list[LabelLine], readings: list[list[Reading]]
    ) -> tuple[list[LabelLine], list[list[Reading]]]:
        """The lines without those of the last pass over the labels read less sure than
        ``ocr.label_detail_min``: what that pass adds beyond small print is mostly handwriting read as noise."""
        floor = float(self.settings.label_detail_min)
        keep = [
            k
            for k, ln in enumerate(lines)
            if not ln.detail or max((r.confidence for r in readings[k]), default=0.0) >= floor
        ]
        return [lines[k] for k in keep], [readings[k] for k in keep]

    def with_label_detail(self, image: np.ndarray, det: Detections) -> Detections:
        """``det`` with the small print its labels hold that ``detect`` saw too small to find (``ocr.label_detail``:
        a last text pass over each label at that scale of full resolution; 0 = off)."""
        scale = float(self.settings.label_detail)
        if scale <= 0 or "label" not in self.kinds:
            return det
        return with_label_detail(
            image,
            det,
            get_detector(self.threads),
            kinds=("label",),
            scale=scale,
            pixel_threshold=float(self.mask_settings.pixel_threshold),
            line_threshold=float(self.mask_settings.line_threshold),
            margin=float(self.settings.label_detail_margin),
        )

    def unsure(self, result: SheetResult) -> bool:
        """The label did not give a name at least ``ocr.reread_below`` sure (an image or partial name counts
        as unsure)."""
        t = result.taxon
        return (
            t is None
            or t.name is None
            or t.evidence != "label"
            or t.confidence < float(self.settings.reread_below)
        )

    def taxon_lines(self, lines: list[LineResult]) -> list[int]:
        """The lines that read most like a name: those of the ``ocr.reread_lines`` best candidates (whole names,
        then partial ones), each with the lines above and below it on the same label, in reading order."""
        assert self.names is not None
        texts, origin = every_reading(lines)
        found = self.names.match(texts, limit=20) + self.names.partial_match(texts, limit=20)
        best: list[int] = []
        for c in found:
            k = origin[c.line] if c.line is not None else None
            if k is not None and k not in best:
                best.append(k)
            if len(best) >= int(self.settings.reread_lines):
                break
        chosen = set()
        for k in best:
            for j in (k - 1, k, k + 1):
                if 0 <= j < len(lines) and lines[j].label == lines[k].label:
                    chosen.add(j)
        return sorted(chosen)

    def reread_engine(self, name: str) -> Engine:
        if name not in self._reread_engines:
            if name == "ppocr":
                from herbproc.ocr.engines.ppocr import get_ppocr

                self._reread_engines[name] = get_ppocr(
                    self.threads, int(self.settings.ppocr_batch_size), self.settings.ppocr_alphabet
                )
            elif name == "tesseract":
                from herbproc.ocr.engines.tesseract import TesseractEngine

                self._reread_engines[name] = TesseractEngine(self.settings.tesseract_lang)
            else:
                raise EngineError(
                    f"wrong value for 'ocr.reread_engines': {name!r} (choices: ppocr, tesseract)"
                )
        return self._reread_engines[name]

    def _read_again(
        self, images: Sequence[np.ndarray], lines: list[list[LabelLine]], todo: list[tuple[int, int]]
    ) -> Iterator[tuple[tuple[int, int], Reading]]:
        """Lines ``todo`` ((sheet, line) pairs) cut again at each of ``ocr.reread_scales`` and read by each of
        ``ocr.reread_engines``, every pair the first reading did not make (one engine call per pair for the whole
        batch): ((sheet, line), reading tagged ``tesseract``, ``ppocr@1.5x`` …) one by one."""
        first = {e.name for e in self.engines}
        passes = [
            (float(scale), name)
            for scale in self.settings.reread_scales
            for name in dict.fromkeys(self.settings.reread_engines)
            if not (float(scale) == 1.0 and name in first)
        ]
        if not todo:
            return
        min_h, max_h = int(self.settings.min_line_height), int(self.settings.max_line_height)
        for scale in dict.fromkeys(sc for sc, _ in passes):
            lo = max(8, round(min_h * scale))
            hi = max(lo, round(max_h * scale))
            crops = [
                crop_line(images[s], lines[s][k].polygon, pad=self.pads[0], min_height=lo, max_height=hi)
                for s, k in todo
            ]
            for name in (n for sc, n in passes if sc == scale):
                tag = name if scale == 1.0 else f"{name}@{scale:g}x"
                for key, reading in zip(todo, self.reread_engine(name).read(crops), strict=True):
                    yield key, Reading(reading.text, reading.confidence, tag)

    def _reread(
        self,
        images: Sequence[np.ndarray],
        lines: list[list[LabelLine]],
        results: list[SheetResult],
        priors: Sequence[Mapping[str, float] | None],
    ) -> None:
        """The lines of a batch worth reading again, read again (``_read_again``). ``ocr.reread_dates``: the lines
        that give a year and no day of it (``date_rereads.unsure_date``); a line whose re-readings agree on a more
        precise date of the same year takes that date's stretch from them, and its sheet's fields are extracted
        again. ``ocr.reread``: the taxon lines of the sheets whose name is unsure, their re-readings added to the
        line's others and the taxon resolved again over all readings."""
        if self.settings.reread_dates:
            todo = [
                (s, k) for s, r in enumerate(results) for k, ln in enumerate(r.lines) if unsure_date(ln.text)
            ]
            texts: dict[tuple[int, int], list[str]] = {key: [] for key in todo}
            for key, reading in self._read_again(images, lines, todo):
                texts[key].append(clean_line(reading.text))
                results[key[0]].date_rereads += 1
            changed = set()
            for (s, k), rereadings in texts.items():
                line = results[s].lines[k]
                if (mended := more_precise(line.text, rereadings)) is not None:
                    line.text = mended
                    changed.add(s)
            for s in sorted(changed):
                r = results[s]
                r.fields = extract_fields(
                    r.texts,
                    self.names,
                    prior=priors[s],
                    prior_weight=float(self.settings.prior_weight),
                    labels=[ln.label for ln in r.lines],
                )
                r.taxon, r.taxon_ocr = self._taxon(r.fields, r.lines, priors[s])
        if self.settings.reread and self.names is not None:
            todo = [
                (s, k) for s, r in enumerate(results) if self.unsure(r) for k in self.taxon_lines(r.lines)
            ]
            for (s, k), reading in self._read_again(images, lines, todo):
                results[s].lines[k].readings.append(reading)
                results[s].rereads += 1
            for s in dict.fromkeys(s for s, _ in todo):
                r = results[s]
                r.taxon, r.taxon_ocr = self._taxon(r.fields, r.lines, priors[s])

    def _read_lines(self, lines: list[LabelLine]) -> list[list[Reading]]:
        """Every engine on the first crop of every line; the crops with the other margins only for lines whose
        best reading so far is less sure than ``ocr.retry_below``. Per line: readings margin by margin, engine
        by engine."""
        readings: list[list[Reading]] = [[] for _ in lines]
        todo = list(range(len(lines)))
        retry_below = float(self.settings.retry_below)
        for j in range(len(self.pads)):
            if j:
                todo = [k for k in todo if max(r.confidence for r in readings[k]) < retry_below]
            if not todo:
                break
            crops = [lines[k].crops[j] for k in todo]
            for engine in self.engines:
                for k, reading in zip(todo, engine.read(crops), strict=True):
                    readings[k].append(reading)
        if self.settings.leaders:
            self._read_without_leaders(lines, readings)
        if self.settings.stacked_rows:
            self._read_stacked_rows(lines, readings)
        return readings

    def _read_stacked_rows(self, lines: list[LabelLine], readings: list[list[Reading]]) -> None:
        """``ocr.stacked_rows``: a line read as something and a collectors' caption, whose first crop holds two
        or three rows of names and a brace before the caption (herbproc.ocr.stacked), read again part by part;
        the parts' readings, joined, stand for the line's (the whole was several lines read as one)."""
        found = []
        for k, ln in enumerate(lines):
            if ln.crops and any(names_beside_caption(r.text) for r in readings[k]):
                if (rows := stacked_rows(ln.crops[0])) is not None:
                    found.append((k, rows.crops(ln.crops[0])))
        if not found:
            return
        joined: dict[int, list[Reading]] = {}
        for engine in self.engines:
            parts = iter(engine.read([part for _, crops in found for part in crops]))
            for k, crops in found:
                *names, caption = [next(parts) for _ in crops]
                if caption_read(caption.text) and all(name.text.strip() for name in names):
                    text = joined_reading([name.text for name in names], caption.text)
                    sure = min(part.confidence for part in (*names, caption))
                    joined.setdefault(k, []).append(Reading(text, sure, f"{engine.name}-rows"))
        for k, rs in joined.items():
            readings[k] = rs

    def _read_without_leaders(self, lines: list[LabelLine], readings: list[list[Reading]]) -> None:
        """``ocr.leaders``: the lines whose readings show a form's dotted leader read again, every engine, from the
        first margin's crop with the leader's dots painted out; the readings added to theirs."""
        cleaned = []
        for k, ln in enumerate(lines):
            if ln.crops and any(typed_on_leader(r.text) for r in readings[k]):
                crop, dots = without_leaders(ln.crops[0])
                if dots:
                    cleaned.append((k, crop))
        if not cleaned:
            return
        for engine in self.engines:
            for (k, _), reading in zip(cleaned, engine.read([c for _, c in cleaned]), strict=True):
                readings[k].append(Reading(reading.text, reading.confidence, f"{engine.name}-leaders"))

    def _sheet(
        self,
        shape: tuple[int, ...],
        labels: list[Label],
        lines: list[LabelLine],
        readings: list[list[Reading]],
        prior: Mapping[str, float] | None,
    ) -> SheetResult:
        results = []
        for ln, rs in zip(lines, readings, strict=True):
            best = choose(rs, self.names)
            results.append(LineResult(ln.label, ln.line, ln.polygon, clean_line(best.text), best.confidence,
                                      best.engine, rs))  # fmt: skip
        texts = [r.text for r in results]
        weight = float(self.settings.prior_weight)
        cards = [r.label for r in results]
        fields = extract_fields(texts, self.names, prior=prior, prior_weight=weight, labels=cards)
        taxon, taxon_ocr = self._taxon(fields, results, prior)
        return SheetResult(
            int(shape[1]), int(shape[0]), labels, results, fields, taxon, taxon_ocr, bool(prior)
        )

    def _taxon(
        self, fields: dict[str, Field], results: list[LineResult], prior: Mapping[str, float] | None
    ) -> tuple[TaxonResolution | None, TaxonResolution | None]:
        """(the taxon, with the prior and the image fallback; the taxon from the text alone); the taxon's
        fields set from the first."""
        taxon = taxon_ocr = None
        if self.names is not None:
            taxon_ocr = self.resolve(results, None)
            taxon = self.resolve(results, prior) if prior else taxon_ocr
        if taxon is None or taxon.name is None:
            taxon = self.image_fallback(prior) or taxon
        if taxon is not None:
            set_taxon_fields(fields, taxon, self.names, [r.text for r in results])
        return taxon, taxon_ocr

    def resolve(self, lines: list[LineResult], prior: Mapping[str, float] | None) -> TaxonResolution:
        """The taxon over every reading of every line (``every_reading``, ``resolve_readings``)."""
        assert self.names is not None
        texts, origin = every_reading(lines)
        return resolve_readings(texts, origin, self.names, self.settings, prior)

    def image_fallback(self, prior: Mapping[str, float] | None) -> TaxonResolution | None:
        """The classifier's top-1 as the sheet's name, flagged (``evidence="image"``), when ``ocr.image_fallback``
        is on and it is at least ``ocr.image_fallback_min`` sure; None otherwise."""
        if not (self.settings.image_fallback and prior):
            return None
        name, p = max(prior.items(), key=lambda kv: kv[1])
        if p < float(self.settings.image_fallback_min):
            return None
        known = self.names.lookup(name) if self.names is not None else None
        return TaxonResolution(
            known or " ".join(str(name).split()), float(p), [], 1.0 - float(p), None, "image"
        )


def every_reading(lines: Sequence[LineResult]) -> tuple[list[str], list[int]]:
    """The chosen reading of every line, in order, then the lines' other readings; with the line each came
    from."""
    texts = [ln.text for ln in lines]
    origin = list(range(len(lines)))
    for k, ln in enumerate(lines):
        for alt in dict.fromkeys(clean_line(r.text) for r in ln.readings):
            if alt and alt != ln.text:
                texts.append(alt)
                origin.append(k)
    return texts, origin



def resolve_readings(
    texts: Sequence[str],
    origin: Sequence[int],
    names: TaxonIndex,
    settings: Any,
    prior: Mapping[str, float] | None = None,
) -> TaxonResolution:
    """The taxon over a sheet's readings (``every_reading``: the chosen reading of every line first, their
    positions the lines' own, so names near the top keep their small advantage, then the other readings, with
    ``origin`` the line each came from); when nothing reads as a name, again with 2- and 3-word spans of every
    reading (a misread word no longer drags the whole line down). The resolution's line is the sheet's line."""
    texts, origin = list(texts), list(origin)
    kwargs = {
        "weight": float(settings.prior_weight),
        "none_similarity": float(settings.none_similarity),
        "temperature": float(settings.temperature),
        "similarity": str(settings.name_similarity),
        "calibration": (
            load_confusions()["calibration"][settings.name_similarity] if settings.taxon_calibration else None
        ),
        "min_confidence": float(settings.min_taxon_confidence),
        "label_evidence": bool(settings.label_evidence),
    }
    found = resolve_taxon(texts, names, prior, **kwargs)
    if found.name is None and settings.name_windows:
        spans, span_origin = word_windows(texts, origin)
        windows = resolve_taxon(texts + spans, names, prior, **kwargs)
        if windows.name is not None:
            found, origin = windows, origin + span_origin
    if found.name is None and prior and settings.partial_names:
        spans, span_origin = word_windows(texts, origin)
        found = resolve_partial(texts + spans, names, prior, weight=kwargs["weight"],
                                min_confidence=kwargs["min_confidence"])  # fmt: skip
        origin = origin + span_origin
    line = origin[found.line] if found.line is not None else None
    return replace(found, line=line)

def word_windows(texts: Sequence[str], origin: Sequence[int]) -> tuple[list[str], list[int]]:
    spans, where = [], []
    for text, k in zip(texts, origin, strict=True):
        words = text.split()
        for n in WINDOW_SIZES:
            for i in range(len(words) - n + 1 if len(words) > n else 0):
                spans.append(" ".join(words[i : i + n]))
                where.append(k)
    return spans, where


def finish_fields(
    fields: dict[str, Field],
    settings: Any,
    line_confidences: Sequence[float] | None = None,
    taxonomy: bool = True,
    texts: Sequence[str] | None = None,
) -> None:
    """The last steps over a sheet's fields, in place: their confidences calibrated (``ocr.field_calibration``;
    ``line_confidences``: the reading confidence of each line, None where not known) and the values less likely
    right than ``ocr.min_field_probability`` left out, then a state's country where ``ocr.country_from_state``
    asks for it (at the state's calibrated confidence), and the country and state as the label's ``texts`` print
    them where ``ocr.places_as_printed`` asks for that. With a ``taxonomy`` the name keeps the confidence its
    resolution gave (``ocr.taxon_calibration``); without one, the name the rules read is calibrated too, and left
    out below ``ocr.min_taxon_confidence`` as a resolved one is."""
    table = calibration_for(settings.field_calibration)
    if table is not None:
        skip = TAXON_TERMS if taxonomy else ()
        table.apply(fields, line_confidences, float(settings.min_field_probability), skip)
        name = fields.get("scientificName")
        calibrated = not taxonomy and name is not None and table.probability("scientificName", 0.5) is not None
        if calibrated and name.confidence < float(settings.min_taxon_confidence):  # type: ignore[union-attr]
            for term in TAXON_TERMS:
                fields.pop(term, None)
    if settings.country_from_state:
        country_from_state(fields)
    if settings.places_as_printed and texts is not None:
        places_as_printed(fields, texts)


def set_catalogue_number(fields: dict[str, Field], barcodes: Sequence[str], texts: Sequence[str]) -> None:
    """catalogNumber from the sheet's barcode where one decodes (``catalogue_number``): exact where the digits
    printed under it may be misread; what OCR read stays otherwise."""
    number = catalogue_number(barcodes, texts)
    if number:
        fields["catalogNumber"] = Field(number, BARCODE_CONFIDENCE, None)


def apply_bars_fit(fields: dict[str, Field], bars_fit: Sequence[str] | None) -> None:
    """catalogNumber as the barcode's bars fit it (``barcode_match``), where OCR read it as ``bars_fit[0]``."""
    if not bars_fit or (read := fields.get("catalogNumber")) is None or read.value != bars_fit[0]:
        return
    fields["catalogNumber"] = replace(read, value=bars_fit[1])


def set_taxon_fields(
    fields: dict[str, Field], taxon: TaxonResolution | None, names: TaxonIndex | None, texts: Sequence[str] = ()
) -> None:
    """Replace the name ``extract_fields`` found by the resolution over all readings (or drop it: none), and
    drop a bare collector read on the name's own line as that name; ``texts``: the sheet's lines, where the
    name's line may qualify it (``Carex cf. alba``)."""
    for term in TAXON_TERMS:
        fields.pop(term, None)
    if taxon is None or taxon.name is None:
        return
    parsed = (names.parsed_name(taxon.name) if names is not None else None) or parse_name(taxon.name)
    if parsed is None:
        return
    confidence = round(float(taxon.confidence), 4)
    line = texts[taxon.line] if taxon.line is not None and 0 <= taxon.line < len(texts) else ""
    for term, value in parsed.darwin_core(taxon.name, parsed.qualifier or qualifier_in(line)):
        if value:
            fields[term] = Field(value, confidence, taxon.line)
    if taxon.evidence == "label":
        collector_on_the_name_line(fields, taxon.name, taxon.line)
