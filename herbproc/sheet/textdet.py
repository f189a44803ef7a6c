"""Text lines with the PP-OCR detector (the DB model that ships inside the ``rapidocr`` wheel), run through
onnxruntime directly: no download, one session per process, a fixed number of threads.

The network outputs a per-pixel text probability; a line is a connected blob of it above ``pixel_threshold``
whose mean probability reaches ``line_threshold``, turned into an oriented rectangle and grown by the DB
"unclip" distance (area x 1.6 / perimeter), as PaddleOCR's post-processing does.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

DET_MODEL = "PP-OCRv6_det_small.onnx"
UNCLIP_RATIO = 1.6
MIN_SIDE = 3.0  # blobs thinner than this (pixels of the working copy) are noise


class DetectorMissing(RuntimeError):
    """The PP-OCR detector model (inside the rapidocr wheel) or onnxruntime is not installed."""


def model_path(name: str = DET_MODEL) -> Path:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise DetectorMissing("the rapidocr package is not installed (pip install rapidocr onnxruntime)")
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / name
    if not path.exists():
        raise DetectorMissing(f"{path} is missing: the installed rapidocr does not ship {name}")
    return path


@dataclass
class Line:
    """A text line in the coordinates of the image the detector saw."""

    quad: np.ndarray  # 4 x 2 float32: top-left, top-right, bottom-right, bottom-left (along the text)
    score: float

    @property
    def centre(self) -> np.ndarray:
        return self.quad.mean(axis=0)

    @property
    def length(self) -> float:
        return float(np.linalg.norm(self.quad[1] - self.quad[0]))

    @property
    def height(self) -> float:
        return float(np.linalg.norm(self.quad[3] - self.quad[0]))

    @property
    def angle(self) -> float:
        """Direction of the text, degrees, in (-90, 90]."""
        dx, dy = self.quad[1] - self.quad[0]
        return float(np.degrees(np.arctan2(dy, dx)))


class TextDetector:
    """One onnxruntime session of the PP-OCR text detector."""

    def __init__(self, threads: int = 1, path: Path | None = None):
        try:
            import onnxruntime as ort
        except ImportError as e:
            raise DetectorMissing("onnxruntime is not installed (pip install onnxruntime)") from e
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, int(threads))
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(path or model_path()), opts, providers=["CPUExecutionProvider"]
        )
        self.input_name = self.session.get_inputs()[0].name
        self._lock = threading.Lock()  # one run at a time per session keeps the thread count honest

    def probability(self, rgb: np.ndarray) -> np.ndarray:
        """Text probability per pixel of ``rgb`` (H x W x 3 uint8), same size as the input."""
        h, w = rgb.shape[:2]
        ph, pw = -h % 32, -w % 32  # the network wants multiples of 32: pad rather than stretch
        padded = cv2.copyMakeBorder(rgb, 0, ph, 0, pw, cv2.BORDER_REPLICATE) if ph or pw else rgb
        x = padded.astype(np.float32) * np.float32(2 / 255.0) - np.float32(1.0)  # mean 0.5, std 0.5
        x = np.ascontiguousarray(x.transpose(2, 0, 1)[None])
        with self._lock:
            out = self.session.run(None, {self.input_name: x})[0]
        return out[0, 0, :h, :w]

    def lines(self, rgb: np.ndarray, pixel_threshold: float = 0.3, line_threshold: float = 0.5) -> list[Line]:
        return lines_from_probability(self.probability(rgb), pixel_threshold, line_threshold)


@functools.lru_cache(maxsize=4)
def get_detector(threads: int = 1) -> TextDetector:
    """The process's detector for a thread count (sessions are costly to build: about 0.2 s)."""
    return TextDetector(threads)


def lines_from_probability(prob: np.ndarray, pixel_threshold: float, line_threshold: float) -> list[Line]:
    bitmap = (prob > pixel_threshold).astype(np.uint8)
    bitmap = cv2.dilate(bitmap, np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(bitmap, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    out = []
    for contour in contours:
        (cx, cy), (rw, rh), ang = cv2.minAreaRect(contour)
        if min(rw, rh) < MIN_SIDE:
            continue
        quad = cv2.boxPoints(((cx, cy), (rw, rh), ang))
        score = _mean_inside(prob, quad)
        if score < line_threshold:
            continue
        grow = rw * rh * UNCLIP_RATIO / (2 * (rw + rh))
        quad = cv2.boxPoints(((cx, cy), (rw + 2 * grow, rh + 2 * grow), ang))
        out.append(Line(order_quad(quad), float(score)))
    return out


def _mean_inside(prob: np.ndarray, quad: np.ndarray) -> float:
    h, w = prob.shape
    x0, y0 = np.clip(np.floor(quad.min(axis=0)).astype(int), 0, [w - 1, h - 1])
    x1, y1 = np.clip(np.ceil(quad.max(axis=0)).astype(int), 0, [w - 1, h - 1])
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), np.uint8)
    cv2.fillPoly(mask, [np.round(quad - (x0, y0)).astype(np.int32)], 1)
    return float(cv2.mean(prob[y0 : y1 + 1, x0 : x1 + 1], mask)[0])


def order_quad(quad: np.ndarray) -> np.ndarray:
    """The rectangle's corners ordered along the text: top-left, top-right, bottom-right, bottom-left, with
    the long side first, read left to right (a line more than 45 degrees off horizontal reads upwards)."""
    q = np.asarray(quad, np.float32)
    centre = q.mean(axis=0)
    e01, e12 = q[1] - q[0], q[2] - q[1]
    along, across = (e01, e12) if np.linalg.norm(e01) >= np.linalg.norm(e12) else (e12, e01)
    length, height = float(np.linalg.norm(along)), float(np.linalg.norm(across))
    u = along / max(length, 1e-6)
    if abs(u[0]) >= abs(u[1]):
        u = u if u[0] >= 0 else -u
    else:
        u = u if u[1] <= 0 else -u
    v = np.array([-u[1], u[0]], np.float32)  # "down" for a reader of the line (image y points down)
    a, b = u * (length / 2), v * (height / 2)
    return np.stack([centre - a - b, centre + a - b, centre + a + b, centre - a + b]).astype(np.float32)
