"""Text lines of a sheet's labels, cut out for recognition.

The mask stage's detector (``herbproc.sheet.detect``) finds the label regions and their text lines in reading
order, in full-resolution pixels; when the mask stage has run, its detections are read back from the store
instead of detecting again. Each line is cut out of the full-resolution sheet along its own direction (so turned
labels come out level), with a margin of ``pad`` line heights, and enlarged when its text is smaller than
``min_height`` pixels (cubic interpolation: small scans read better enlarged once, here, than twice).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from herbproc.sheet.detect import Detections, TextLine

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (x1, y1 exclusive), full-resolution pixels


@dataclass(frozen=True)
class LabelLine:
    """One text line of one label: where it is, and the crops to read."""

    label: int  # index of the label on the sheet (labels in reading order)
    line: int  # index of the line within its label (reading order)
    polygon: (
        np.ndarray
    )  # 4 x 2 float32, full-resolution pixels: top-left, top-right, bottom-right, bottom-left
    crops: tuple[np.ndarray, ...]  # one RGB crop per margin of ``crop_pads`` (the variants read)
    detail: bool = False  # found by the last pass over the label (herbproc.sheet.detail), not by ``detect``

    @property
    def box(self) -> Box:
        return polygon_box(self.polygon)


@dataclass(frozen=True)
class Label:
    index: int
    kind: str
    polygon: np.ndarray
    score: float

    @property
    def box(self) -> Box:
        return polygon_box(self.polygon)


def polygon_box(polygon: np.ndarray) -> Box:
    x0, y0 = np.floor(np.asarray(polygon).min(axis=0))
    x1, y1 = np.ceil(np.asarray(polygon).max(axis=0))
    return int(x0), int(y0), int(x1), int(y1)


def crop_line(
    image: np.ndarray, polygon: np.ndarray, *, pad: float = 0.0, min_height: int = 32, max_height: int = 96
) -> np.ndarray:
    """The line inside ``polygon`` (top-left, top-right, bottom-right, bottom-left along the text), level, with
    ``pad`` line heights of margin on every side, scaled so that the line is ``min_height``..``max_height``
    pixels tall."""
    q = np.asarray(polygon, np.float32).reshape(4, 2)
    along, down = q[1] - q[0], q[3] - q[0]
    width, height = float(np.linalg.norm(along)), float(np.linalg.norm(down))
    if width < 1 or height < 1:
        return np.zeros((0, 0, 3), np.uint8)
    u, v = along / width, down / height
    margin = pad * height
    src = np.stack(
        [q[0] - (u + v) * margin, q[1] + (u - v) * margin, q[2] + (u + v) * margin, q[3] - (u - v) * margin]
    ).astype(np.float32)
    scale = min(max(1.0, min_height / height), max_height / height) if height > 0 else 1.0
    out_w = max(1, int(round((width + 2 * margin) * scale)))
    out_h = max(1, int(round((height + 2 * margin) * scale)))
    dst = np.array([[0, 0], [out_w, 0], [out_w, out_h], [0, out_h]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_LINEAR
    return cv2.warpPerspective(
        image, matrix, (out_w, out_h), flags=interpolation, borderMode=cv2.BORDER_REPLICATE
    )


def label_regions(
    detections: Detections, kinds: Sequence[str] = ("label",)
) -> list[tuple[Label, list[TextLine]]]:
    """The regions of ``kinds`` that hold text lines, kind by kind in the order of ``kinds``, then top to bottom
    and left to right, with their lines in the detector's reading order."""
    found = []
    for i in detections.of_kind(*kinds):
        region = detections.regions[i]
        lines = [detections.lines[k] for k in region.lines]
        if lines:
            found.append((region, lines))
    rank = {k: n for n, k in enumerate(kinds)}
    found.sort(key=lambda rl: (rank[rl[0].kind], rl[0].box[1], rl[0].box[0]))
    return [
        (Label(n, r.kind, np.asarray(r.polygon, np.float32), float(r.score)), lines)
        for n, (r, lines) in enumerate(found)
    ]


def label_lines(
    image: np.ndarray,
    detections: Detections,
    *,
    kinds: Sequence[str] = ("label",),
    pads: Sequence[float] = (0.0,),
    min_height: int = 32,
    max_height: int = 96,
) -> tuple[list[Label], list[LabelLine]]:
    """Labels and their lines (label by label, reading order), each line cut out once per margin in ``pads``."""
    labels, lines = [], []
    for label, text_lines in label_regions(detections, kinds):
        labels.append(label)
        for k, tl in enumerate(text_lines):
            crops = tuple(
                crop_line(image, tl.polygon, pad=p, min_height=min_height, max_height=max_height)
                for p in pads
            )
            lines.append(LabelLine(label.index, k, np.asarray(tl.polygon, np.float32), crops, tl.detail))
    return labels, lines
