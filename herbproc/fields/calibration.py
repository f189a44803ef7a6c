"""Field confidences as probabilities: how often a value given at a rule's confidence was right.

Each way of reading a field has a base confidence (``label.CONFIDENCE``), times the text quality of its line. Those
numbers order a field's candidates; they are not probabilities (a bare collector at 0.45 is right far more often
than a locality at 0.55). The table maps, per term, a raw confidence to the share of values given at it that were
right on gold-transcribed real labels, shrunk towards the term's overall share where few were seen. It is fitted
by ``bench/fieldcal.py fit`` on the hackathon's dev halves (docs/benchmarks.md) and checked on other sheets.

A term the table does not hold keeps its rule confidence (no gold says how often it is right); a raw confidence
the table never saw takes the term's overall share.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from herbproc.fields.label import Field

TABLE = Path(__file__).with_name("data") / "field_calibration.json"
NEAREST = 0.025  # a raw confidence this close to one the table saw takes its share
SHRINK = 5.0  # values of the term's overall share added to each raw confidence's count (a Beta prior)
# terms written from another's value share its calibration
COMPANIONS = {"countryCode": "country", "verbatimEventDate": "eventDate"}


@dataclass(frozen=True)
class FieldCalibration:
    """Per term: its overall share of right values and the share at each raw confidence seen."""

    overall: Mapping[str, float]
    shares: Mapping[str, Mapping[float, float]]
    fitted_on: str = ""

    def probability(self, term: str, raw: float) -> float | None:
        """The calibrated confidence of ``term`` read at ``raw``; None when the table does not hold the term."""
        term = COMPANIONS.get(term, term)
        if term not in self.overall:
            return None
        seen = self.shares.get(term, {})
        near = min(seen, key=lambda c: abs(c - raw), default=None)
        if near is not None and abs(near - raw) <= NEAREST:
            return seen[near]
        return self.overall[term]

    def apply(self, fields: dict[str, Field]) -> None:
        """``fields``' confidences replaced, in place, by their calibrated ones where the table holds the term."""
        for term, f in list(fields.items()):
            p = self.probability(term, f.confidence)
            if p is not None:
                fields[term] = replace(f, confidence=p)

    def to_json(self) -> dict[str, object]:
        return {
            "fitted_on": self.fitted_on,
            "overall": dict(self.overall),
            "shares": {t: {f"{c:.2f}": p for c, p in sorted(s.items())} for t, s in self.shares.items()},
        }


def fit(samples: Iterable[tuple[str, float, bool]], fitted_on: str = "") -> FieldCalibration:
    """The table from (term, raw confidence, right?) samples: per term and raw confidence (to 2 decimals), the
    right share with ``SHRINK`` values of the term's overall share added (that share itself with one right and
    one wrong value added: no term is certain)."""
    counts: dict[str, dict[float, list[int]]] = {}
    for term, raw, right in samples:
        cell = counts.setdefault(term, {}).setdefault(round(float(raw), 2), [0, 0])
        cell[0] += bool(right)
        cell[1] += 1
    overall, shares = {}, {}
    for term, by_raw in counts.items():
        right = sum(r for r, _ in by_raw.values())
        given = sum(n for _, n in by_raw.values())
        overall[term] = round((right + 1) / (given + 2), 4)  # never quite certain
        shares[term] = {
            c: round((r + SHRINK * overall[term]) / (n + SHRINK), 4) for c, (r, n) in sorted(by_raw.items())
        }
    return FieldCalibration(overall, shares, fitted_on)


def from_json(data: object, source: str = "field calibration") -> FieldCalibration:
    """The table of ``to_json``'s layout; ValueError saying what is wrong in one line."""
    if not isinstance(data, dict) or not isinstance(data.get("overall"), dict):
        raise ValueError(f"{source}: expected an object with 'overall' and 'shares'")
    overall = {str(t): _share(p, source, t) for t, p in data["overall"].items()}
    raw_shares = data.get("shares", {})
    if not isinstance(raw_shares, dict):
        raise ValueError(f"{source}: 'shares' must map each term to {{confidence: share}}")
    shares: dict[str, dict[float, float]] = {}
    for term, by_raw in raw_shares.items():
        if term not in overall or not isinstance(by_raw, dict):
            raise ValueError(f"{source}: 'shares' of {term!r} must be an object of a term in 'overall'")
        shares[term] = {_raw(c, source, term): _share(p, source, term) for c, p in by_raw.items()}
    return FieldCalibration(overall, shares, str(data.get("fitted_on", "")))


def _share(p: object, source: str, term: str) -> float:
    if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= float(p) <= 1.0:
        raise ValueError(f"{source}: {term!r} has share {p!r}, not a number from 0 to 1")
    return float(p)


def _raw(c: object, source: str, term: str) -> float:
    try:
        raw = float(c)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raw = math.nan
    if not 0.0 <= raw <= 1.0:
        raise ValueError(f"{source}: {term!r} has confidence key {c!r}, not a number from 0 to 1")
    return raw


@lru_cache(maxsize=4)
def load(path: str | None = None) -> FieldCalibration:
    """The table at ``path`` (None: the packaged one); ValueError in one line when it cannot be read."""
    where = Path(path).expanduser() if path else TABLE
    try:
        data = json.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"field calibration {where}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"field calibration {where}: not a JSON table ({e.__class__.__name__})") from None
    return from_json(data, f"field calibration {where}")


def calibration_for(setting: str | bool) -> FieldCalibration | None:
    """``ocr.field_calibration``: ``default`` or true (the packaged table), ``off`` or false (None: the rules'
    own confidences), or a table's path. ValueError in one line when the table cannot be read."""
    if setting is False or setting == "off":
        return None
    return load(None if setting is True or setting == "default" else str(setting))
