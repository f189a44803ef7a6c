"""``mask_image(image, settings) -> MaskResult``: detect, draw the mask, fill. The original is never changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from herbproc.mask.fill import apply_fill, draw_mask
from herbproc.schema.mask import Settings
from herbproc.sheet.detect import Detections, detect
from herbproc.sheet.textdet import TextDetector


@dataclass
class MaskResult:
    masked: np.ndarray  # H x W x 3 uint8 RGB: the sheet with the mask filled
    mask: np.ndarray  # H x W uint8: 255 where pixels were replaced
    detections: Detections
    targeted: list[int]  # indices of the regions that were masked
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def masked_share(self) -> float:
        return float(np.count_nonzero(self.mask)) / max(1, self.mask.size)


def mask_image(
    image: np.ndarray, settings: Settings | None = None, detector: TextDetector | None = None
) -> MaskResult:
    s = settings or Settings()
    t0 = time.perf_counter()
    det = detect(image, s, detector)
    t1 = time.perf_counter()
    layers = draw_mask(det, s)
    masked = apply_fill(image, layers.mask, s, det.work)
    t2 = time.perf_counter()
    det.work = {}  # the working copy is not needed any more; keep results light
    return MaskResult(masked, layers.mask, det, layers.targeted, {"detect": t1 - t0, "fill": t2 - t1})
