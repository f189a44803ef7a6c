"""Several readings of one line (engines x crop margins): keep the one that reads most like a label.

hespi's idea: where OCR engines disagree, the reading that matches the taxonomy (and, here, the patterns of the
Darwin Core fields: dates, collectors and numbers, places, institutions) is more often the right one. A reading
scores

    engine confidence x text quality
    + TAXON_WEIGHT x max(0, similarity to the nearest taxonomy name - TAXON_FLOOR)
    + FIELD_WEIGHT x (sum of the confidences of the fields ``extract_fields`` finds in it alone, at most 1)

and the highest score wins (the earlier engine on a tie). ``EnsembleEngine`` wraps engines behind the plain
engine interface; the stage uses ``choose`` directly because it also keeps every reading for the taxon.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from herbproc.fields import TaxonIndex, extract_fields
from herbproc.fields.text import clean_line, text_quality
from herbproc.ocr.engines.base import Engine, Reading

TAXON_WEIGHT = 2.0
TAXON_FLOOR = 0.7  # below this a name match says nothing (names of other taxa read about this close)
FIELD_WEIGHT = 0.3
IGNORED_FIELDS = {"verbatimEventDate", "institutionName", "countryCode"}  # echo another field


def reading_score(reading: Reading, index: TaxonIndex | None = None) -> float:
    text = clean_line(reading.text)
    if not text:
        return 0.0
    score = float(reading.confidence) * text_quality(text)
    if index is not None and len(index):
        found = index.match([text], limit=1)
        if found:
            score += TAXON_WEIGHT * max(0.0, found[0].similarity - TAXON_FLOOR)
    fields = extract_fields([text])
    found_fields = sum(f.confidence for k, f in fields.items() if k not in IGNORED_FIELDS)
    return score + FIELD_WEIGHT * min(found_fields, 1.0)


def choose(readings: Sequence[Reading], index: TaxonIndex | None = None) -> Reading:
    """The best of several readings of one line (an empty reading when there are none)."""
    if not readings:
        return Reading("", 0.0, "")
    if len(readings) == 1:
        return readings[0]
    scores = [reading_score(r, index) for r in readings]
    return readings[int(np.argmax(scores))]


class EnsembleEngine:
    """Engines behind one interface: every member reads every line, ``choose`` keeps one reading per line."""

    def __init__(self, members: Sequence[Engine], index: TaxonIndex | None = None):
        if not members:
            raise ValueError("an ensemble needs at least one engine")
        self.members = list(members)
        self.index = index
        self.name = "+".join(m.name for m in self.members)

    def read_all(self, crops: Sequence[np.ndarray]) -> list[list[Reading]]:
        """Every member's reading of every line: one list per line, members in order."""
        per_engine = [m.read(crops) for m in self.members]
        return [list(rs) for rs in zip(*per_engine, strict=True)] if per_engine else []

    def read(self, crops: Sequence[np.ndarray]) -> list[Reading]:
        return [choose(rs, self.index) for rs in self.read_all(crops)]
