"""How well a mask hides the labels and spares the plant, on sheets with ground truth (``herbproc.synth``).

Per sheet:

- *label recall*: share of the pixels of label cards, slips, stamps and barcodes (their truth polygons) that
  are masked;
- *plant kept*: share of the plant's pixels (the truth plant mask) left untouched;
- *cards covered*: label cards and slips whose polygon is (at least ``COVERED`` of it) masked;
- *residual text*: PP-OCR (detector + recogniser, full resolution) reads the masked sheet; every recognised
  string is aligned with the truth text lines, and the truth characters it reproduces count as readable.
  ``readable / total`` characters is the leak; the same measure on the unmasked sheet shows what OCR can read
  at all (it should be most of it, or the measure would prove nothing).
"""

from __future__ import annotations

import functools
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import cv2
import numpy as np

TEXT_KINDS = ("label", "annotation", "stamp", "barcode")  # truth objects whose text must not be readable
CARD_KINDS = ("label", "annotation")
COVERED = 0.99
MIN_MATCH = 4  # a recognised string must reproduce this many characters of a line to count


@dataclass
class SheetScore:
    gbif_id: str
    label_pixels: int
    label_masked: int
    plant_pixels: int
    plant_masked: int
    cards: int
    cards_covered: int
    chars: int
    chars_readable: int
    masked_share: float
    seconds: float
    chars_readable_before: int | None = None
    kinds: dict[str, list[int]] = field(default_factory=dict)  # kind -> [pixels, masked]


@dataclass
class Summary:
    sheets: int
    label_recall: float
    plant_kept: float
    cards_covered: float
    text_unreadable: float
    text_readable_before: float | None
    masked_share: float
    seconds_per_sheet: float
    by_kind: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 5) if isinstance(v, float) else v) for k, v in asdict(self).items()}

    def lines(self) -> list[str]:
        out = [
            f"sheets                      {self.sheets}",
            f"label/stamp pixels masked   {self.label_recall:.2%}",
            f"plant pixels untouched      {self.plant_kept:.2%}",
            f"label cards fully covered   {self.cards_covered:.2%}",
            f"label text unreadable       {self.text_unreadable:.2%}",
        ]
        if self.text_readable_before is not None:
            out.append(f"  (readable before masking  {self.text_readable_before:.2%})")
        out += [
            f"sheet area masked           {self.masked_share:.2%}",
            f"seconds per sheet (mask)    {self.seconds_per_sheet:.2f}",
        ]
        out += [f"  {kind:<26}{share:.2%} masked" for kind, share in sorted(self.by_kind.items())]
        return out


def _poly_mask(shape: tuple[int, int], polygon) -> np.ndarray:
    m = np.zeros(shape, np.uint8)
    cv2.fillPoly(m, [np.round(np.asarray(polygon, np.float64) * 4).astype(np.int32)], 1, shift=2)
    return m.astype(bool)


def pixel_scores(truth: dict, plant_mask: np.ndarray, mask: np.ndarray) -> dict[str, Any]:
    """The pixel measures of one sheet (``mask``: 255 = masked, full resolution)."""
    shape = mask.shape
    masked = mask > 0
    text = np.zeros(shape, bool)
    kinds: dict[str, list[int]] = {}
    cards = covered = 0
    for obj in truth["objects"]:
        poly = _poly_mask(shape, obj["polygon"])
        k = kinds.setdefault(obj["kind"], [0, 0])
        k[0] += int(poly.sum())
        k[1] += int((poly & masked).sum())
        if obj["kind"] in TEXT_KINDS:
            text |= poly
        if obj["kind"] in CARD_KINDS:
            cards += 1
            covered += int((poly & masked).sum() >= COVERED * max(1, poly.sum()))
    plant = plant_mask > 0
    return {
        "label_pixels": int(text.sum()),
        "label_masked": int((text & masked).sum()),
        "plant_pixels": int(plant.sum()),
        "plant_masked": int((plant & masked).sum()),
        "cards": cards,
        "cards_covered": covered,
        "kinds": kinds,
    }


def truth_lines(truth: dict) -> list[str]:
    return [ln["text"] for obj in truth["objects"] if obj["kind"] in TEXT_KINDS for ln in obj["lines"]]


def _norm(text: str) -> str:
    return "".join(text.split()).casefold()


def readable_chars(truth: list[str], recognised: list[str]) -> tuple[int, int]:
    """(characters of the truth lines that the recognised strings reproduce, all truth characters).

    Each recognised string is aligned (best partial alignment) with the truth line it matches best; the
    characters of that line it reproduces in order (longest common subsequence over the aligned stretch) are
    marked readable, when there are at least MIN_MATCH of them and they make most of the recognised string."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Indel

    lines = [_norm(t) for t in truth]
    marks = [np.zeros(len(t), bool) for t in lines]
    for raw in recognised:
        r = _norm(raw)
        if len(r) < MIN_MATCH:
            continue
        best = None
        for i, t in enumerate(lines):
            if not t:
                continue
            al = fuzz.partial_ratio_alignment(r, t)
            if al is not None and (best is None or al.score > best[0]):
                best = (al.score, i, al)
        if best is None or best[0] < 60:
            continue
        _, i, al = best
        t = lines[i]
        if len(r) <= len(t):  # r aligned onto t[dest_start:dest_end]
            t0, t1, r_part = al.dest_start, al.dest_end, r[al.src_start : al.src_end]
        else:  # t is the shorter: it was aligned into r
            t0, t1, r_part = 0, len(t), r[al.dest_start : al.dest_end]
        hit = np.zeros(len(t), bool)
        for op in Indel.opcodes(r_part, t[t0:t1]):
            if op.tag == "equal":
                hit[t0 + op.dest_start : t0 + op.dest_end] = True
        if hit.sum() >= MIN_MATCH and hit.sum() >= 0.5 * len(r_part):
            marks[i] |= hit
    return int(sum(m.sum() for m in marks)), int(sum(len(t) for t in lines))


@functools.lru_cache(maxsize=2)
def ocr_engine(threads: int = 1):
    """RapidOCR (PP-OCRv6 detector and recogniser from the wheel) for reading the masked sheets."""
    from rapidocr import RapidOCR

    return RapidOCR(
        params={
            "Global.log_level": "critical",
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": int(threads),
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )


def recognise(image: np.ndarray, threads: int = 1) -> list[str]:
    """Text PP-OCR reads on ``image`` (RGB). Flags are passed on every call (they stick in rapidocr 3.10)."""
    out = ocr_engine(threads)(
        cv2.cvtColor(image, cv2.COLOR_RGB2BGR), use_det=True, use_cls=False, use_rec=True
    )
    return list(out.txts or ())


def score_sheet(
    truth: dict, plant_mask: np.ndarray, masked: np.ndarray, mask: np.ndarray, *, original: np.ndarray | None = None,
    seconds: float = 0.0, threads: int = 1,
) -> SheetScore:  # fmt: skip
    px = pixel_scores(truth, plant_mask, mask)
    lines = truth_lines(truth)
    readable, total = readable_chars(lines, recognise(masked, threads))
    before = readable_chars(lines, recognise(original, threads))[0] if original is not None else None
    return SheetScore(
        gbif_id=str(truth.get("gbifID", "")),
        chars=total,
        chars_readable=readable,
        chars_readable_before=before,
        masked_share=float(np.count_nonzero(mask)) / mask.size,
        seconds=seconds,
        **px,
    )


def summarise(scores: list[SheetScore]) -> Summary:
    def share(num: float, den: float) -> float:
        return num / den if den else 1.0

    chars = sum(s.chars for s in scores)
    before = [s.chars_readable_before for s in scores if s.chars_readable_before is not None]
    kinds: dict[str, list[int]] = {}
    for s in scores:
        for k, (n, m) in s.kinds.items():
            acc = kinds.setdefault(k, [0, 0])
            acc[0] += n
            acc[1] += m
    return Summary(
        sheets=len(scores),
        label_recall=share(sum(s.label_masked for s in scores), sum(s.label_pixels for s in scores)),
        plant_kept=1.0 - share(sum(s.plant_masked for s in scores), sum(s.plant_pixels for s in scores)),
        cards_covered=share(sum(s.cards_covered for s in scores), sum(s.cards for s in scores)),
        text_unreadable=1.0 - share(sum(s.chars_readable for s in scores), chars),
        text_readable_before=share(
            sum(before), sum(s.chars for s in scores if s.chars_readable_before is not None)
        )
        if before
        else None,
        masked_share=float(np.mean([s.masked_share for s in scores])) if scores else 0.0,
        seconds_per_sheet=float(np.mean([s.seconds for s in scores])) if scores else 0.0,
        by_kind={k: share(m, n) for k, (n, m) in kinds.items()},
    )


def synthetic_set(n: int, seed: int, width: int = 1000, height: int = 1500, **synth: Any):
    """``n`` sheets from worlds of default settings (a new world every 8 sheets, seeds ``seed``, ``seed+1``,
    ...), as (truth, plant mask, image)."""
    from herbproc.synthetic import make_world, render_sheet

    out = []
    per_world = 8
    for start in range(0, n, per_world):
        world = make_world({"species": 8, "sheets_per_species": 2, "width": width, "height": height, **synth},
                           seed=seed + start // per_world)  # fmt: skip
        for i in range(min(per_world, n - start)):
            sheet = render_sheet(world, (i * 5) % world.n_sheets)  # spread over the world's species
            out.append((sheet.truth, sheet.plant_mask, sheet.image))
    return out


def evaluate_synthetic(
    n: int, seed: int, settings=None, *, width: int = 1000, height: int = 1500, before: int = 1, threads: int = 1,
    synth: dict | None = None,
) -> tuple[Summary, list[SheetScore]]:  # fmt: skip
    """Mask ``n`` synthetic sheets and score them; OCR also reads the first ``before`` sheets unmasked."""
    from herbproc.mask.masker import mask_image

    scores = []
    for k, (truth, plant, image) in enumerate(synthetic_set(n, seed, width, height, **(synth or {}))):
        t0 = time.perf_counter()
        result = mask_image(image, settings)
        took = time.perf_counter() - t0
        scores.append(score_sheet(truth, plant, result.masked, result.mask, original=image if k < before else None,
                                  seconds=took, threads=threads))  # fmt: skip
    return summarise(scores), scores
