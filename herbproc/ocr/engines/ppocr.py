"""The PP-OCRv6 text recogniser that ships inside the ``rapidocr`` wheel, run with onnxruntime directly.

Lines are scaled to 48 pixels high (PaddleOCR's recogniser input), padded to the widest line of their batch
(lines are sorted by aspect ratio first, so padding stays small) and decoded greedily (CTC: repeats merged,
blanks dropped). The character list is stored in the model's metadata. Nothing is downloaded.

The model reads Chinese too (18,000 characters); labels here are in Latin script, so by default only Latin
letters, digits, punctuation and a few symbols may be chosen (``alphabet="latin"``): a smudge then reads as the
nearest Latin character instead of a CJK one.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Sequence

import numpy as np

from herbproc.ocr.engines.base import EngineError, Reading, check_crop, resize_to_height, usable
from herbproc.schema.ocr import ALPHABETS
from herbproc.sheet.textdet import model_path

REC_MODEL = "PP-OCRv6_rec_small.onnx"
HEIGHT = 48
MAX_WIDTH = 48 * 50  # a line longer than 50 x its height is squeezed rather than fed whole
PAD_STEP = 64  # a line is padded to its width rounded up to this (the model's input width stays a multiple of 8)
MIN_WIDTH = 320  # ... and to at least this: PaddleOCR's recogniser input (3 x 48 x 320), short lines padded so
EXTRA_SYMBOLS = set("°′″×±–—‘’“”…·§¶©®")


def is_latin(ch: str) -> bool:
    """Letters of the Latin script, digits, ASCII and Latin-1 punctuation, and a few label symbols."""
    if ch == " " or ch in EXTRA_SYMBOLS or (ord(ch) < 0x250 and ch.isprintable()):
        return True
    return unicodedata.name(ch, "").startswith("LATIN")


class PPOCREngine:
    name = "ppocr"

    def __init__(self, threads: int = 1, batch_size: int = 8, alphabet: str = "latin"):
        try:
            import onnxruntime as ort
        except ImportError as e:
            raise EngineError("onnxruntime is not installed (pip install onnxruntime)") from e
        try:
            path = model_path(REC_MODEL)
        except RuntimeError as e:
            raise EngineError(str(e)) from None
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = max(1, int(threads))
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.input_name = self.session.get_inputs()[0].name
        characters = self.session.get_modelmeta().custom_metadata_map.get("character")
        if not characters:
            raise EngineError(f"{path} carries no character list in its metadata")
        # index 0 is the CTC blank; the model's last class is the space
        self.characters = ["", *characters.splitlines(), " "]
        if alphabet not in ALPHABETS:
            raise EngineError(f"unknown PP-OCR alphabet '{alphabet}' (choices: {', '.join(ALPHABETS)})")
        # classes that may be chosen (the blank always may); the model may have a class or two beyond the list
        self.allowed = np.ones(len(self.characters) + 2, bool)
        if alphabet == "latin":
            self.allowed[1 : len(self.characters)] = [is_latin(c) for c in self.characters[1:]]
        self.batch_size = max(1, int(batch_size))
        self._lock = threading.Lock()

    def read(self, crops: Sequence[np.ndarray]) -> list[Reading]:
        """One reading per crop. A line is padded to its own width rounded up to PAD_STEP (MIN_WIDTH at least), and batched only with
        lines padded alike, so its reading does not depend on which other lines (of which sheets) it was read
        with: a sheet reads the same alone, in a batch, or after a resumed shard."""
        crops = [check_crop(c) for c in crops]
        out = [Reading("", 0.0, self.name)] * len(crops)
        scaled = {i: resize_to_height(c, HEIGHT, MAX_WIDTH) for i, c in enumerate(crops) if usable(c)}
        groups: dict[int, list[int]] = {}
        for i, s in scaled.items():
            groups.setdefault(min(MAX_WIDTH, max(MIN_WIDTH, -(-s.shape[1] // PAD_STEP) * PAD_STEP)), []).append(i)
        for width, members in sorted(groups.items()):
            for start in range(0, len(members), self.batch_size):
                chunk = members[start : start + self.batch_size]
                for i, reading in zip(chunk, self._read_batch([scaled[i] for i in chunk], width), strict=True):
                    out[i] = reading
        return out

    def _read_batch(self, scaled: list[np.ndarray], width: int) -> list[Reading]:
        batch = np.zeros((len(scaled), 3, HEIGHT, width), np.float32)  # zero = mid-grey after normalising
        for k, s in enumerate(scaled):
            bgr = s[:, :, ::-1]  # PaddleOCR models were trained on OpenCV's BGR images
            batch[k, :, :, : s.shape[1]] = bgr.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0
        with self._lock:
            probs = self.session.run(None, {self.input_name: batch})[0]
        return [self._decode(p) for p in probs]

    def _decode(self, probs: np.ndarray) -> Reading:
        allowed = self.allowed[: probs.shape[1]]
        if len(allowed) < probs.shape[1]:
            allowed = np.concatenate([allowed, np.ones(probs.shape[1] - len(allowed), bool)])
        best = np.where(allowed, probs, -1.0).argmax(axis=1)
        keep = np.ones(len(best), bool)
        keep[1:] = best[1:] != best[:-1]
        keep &= best != 0
        chars = [self.characters[k] if k < len(self.characters) else "" for k in best[keep]]
        confidence = float(probs[np.arange(len(best)), best][keep].mean()) if keep.any() else 0.0
        return Reading("".join(chars).strip(), round(confidence, 4), self.name)


@functools.lru_cache(maxsize=4)
def get_ppocr(threads: int = 1, batch_size: int = 8, alphabet: str = "latin") -> PPOCREngine:
    """The process's recogniser (an onnxruntime session takes a fraction of a second to build)."""
    return PPOCREngine(threads, batch_size, alphabet)
