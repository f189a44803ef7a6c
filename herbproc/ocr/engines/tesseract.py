"""Tesseract 5 (the Debian ``tesseract-ocr`` package) through pytesseract.

Starting the program costs more than reading a line, so the lines of a call are stacked into one page (each
scaled to the same height, separated by blank bands) and read with one ``image_to_data`` call; words are put
back on their line by where they fall. Confidence: the mean word confidence of the line, over 100.

The program runs with ``OMP_THREAD_LIMIT=1``: its OpenMP threads spin on a page this small (measured on
dev-2core, 10 lines: 1.05 CPU s and 1.5 s wall per call with its default threads, 0.27 CPU s and 0.4 s with one).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence

import cv2
import numpy as np

from herbproc.ocr.engines.base import EngineError, Reading, check_crop, resize_to_height, usable

HEIGHT = 40  # Tesseract reads best with capitals about 20-30 pixels tall
GAP = 24  # blank band between stacked lines
MARGIN = 16
MAX_WIDTH = 40 * 60
LINES_PER_PAGE = 40


class TesseractEngine:
    name = "tesseract"

    def __init__(self, lang: str = "eng", timeout_s: float = 60.0, command: str = "tesseract"):
        try:
            import pytesseract
        except ImportError as e:
            raise EngineError("pytesseract is not installed (pip install pytesseract)") from e
        exe = shutil.which(command)
        if exe is None:
            raise EngineError(f"the '{command}' program is not installed (apt-get install tesseract-ocr)")
        pytesseract.pytesseract.tesseract_cmd = exe
        # pytesseract hands its module-level ``environ`` to the program (and to nothing else)
        pytesseract.pytesseract.environ = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            langs = set(pytesseract.get_languages(config=""))
        except Exception as e:  # pytesseract raises its own error types for a broken install
            raise EngineError(f"tesseract does not run: {e}") from None
        missing = [part for part in lang.split("+") if part not in langs]
        if missing:
            raise EngineError(
                f"tesseract has no language data for {', '.join(missing)} (installed: {', '.join(sorted(langs))})"
            )
        self._tess = pytesseract
        self.lang = lang
        self.timeout_s = timeout_s

    def read(self, crops: Sequence[np.ndarray]) -> list[Reading]:
        crops = [check_crop(c) for c in crops]
        out = [Reading("", 0.0, self.name)] * len(crops)
        todo = [i for i, c in enumerate(crops) if usable(c)]
        for start in range(0, len(todo), LINES_PER_PAGE):
            chunk = todo[start : start + LINES_PER_PAGE]
            for i, reading in zip(chunk, self._read_page([crops[i] for i in chunk]), strict=True):
                out[i] = reading
        return out

    def _read_page(self, crops: list[np.ndarray]) -> list[Reading]:
        grey = [cv2.cvtColor(resize_to_height(c, HEIGHT, MAX_WIDTH), cv2.COLOR_RGB2GRAY) for c in crops]
        width = max(g.shape[1] for g in grey) + 2 * MARGIN
        page = np.full((MARGIN + len(grey) * (HEIGHT + GAP) + MARGIN, width), 255, np.uint8)
        tops = []
        for k, g in enumerate(grey):
            top = MARGIN + k * (HEIGHT + GAP)
            page[top : top + HEIGHT, MARGIN : MARGIN + g.shape[1]] = g
            tops.append(top)
        data = self._tess.image_to_data(
            page, lang=self.lang, config="--psm 6", output_type=self._tess.Output.DICT, timeout=self.timeout_s
        )
        words: list[list[tuple[int, str, float]]] = [[] for _ in crops]
        for text, conf, left, top, height in zip(
            data["text"], data["conf"], data["left"], data["top"], data["height"], strict=True
        ):
            text = str(text).strip()
            if not text or float(conf) < 0:
                continue
            k = int((top + height / 2 - MARGIN + GAP / 2) // (HEIGHT + GAP))
            if 0 <= k < len(crops):
                words[k].append((int(left), text, float(conf)))
        readings = []
        for ws in words:
            ws.sort()
            text = " ".join(w for _, w, _ in ws)
            conf = sum(c for _, _, c in ws) / len(ws) / 100 if ws else 0.0
            readings.append(Reading(text, round(conf, 4), self.name))
        return readings
