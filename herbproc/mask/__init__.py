"""Masking of labels, stamps, barcodes, rulers and colour charts on herbarium sheets (docs/mask.md).

from herbproc.mask import detect, mask_image
det = detect(rgb)                     # Detections: regions (kind, polygon, score) and text lines
for region, lines in det.label_lines():   # what the OCR stage reads, in reading order
    ...
result = mask_image(rgb)              # result.masked, result.mask (255 = masked), result.detections
"""

from herbproc.mask.fill import apply_fill, draw_mask
from herbproc.mask.masker import MaskResult, mask_image
from herbproc.schema.mask import settings_from
from herbproc.sheet.detect import Detections, TextLine, detect
from herbproc.sheet.regions import Region

__all__ = [
    "Detections",
    "MaskResult",
    "Region",
    "TextLine",
    "apply_fill",
    "detect",
    "draw_mask",
    "mask_image",
    "settings_from",
]
