"""Reading a sheet's layout: the paper, shapes, label-like regions and their text lines (docs/mask.md).

The mask stage fills what this finds; the OCR stage reads the lines in it.

from herbproc.sheet import detect
det = detect(rgb)                          # Detections: regions (kind, polygon, score) and text lines
for region, lines in det.label_lines():    # in reading order
    ...
"""

from herbproc.sheet.detect import Detections, TextLine, detect
from herbproc.sheet.regions import Region

__all__ = ["Detections", "Region", "TextLine", "detect"]
