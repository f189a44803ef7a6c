"""From per-label probabilities to a state, a confidence, and whether to abstain.

The state is decided over the *state labels* (``phenology.state_labels``, default flowers and fruits: buds
are small and often not recorded; their probability is still given): every state label whose probability is
at least 0.5 ("flowers; fruits"), or, when there is none, "sterile" (all three labels decided) or "no flowers
or fruits". Its confidence is the probability of that whole assignment with the labels taken as independent:
the product over the state labels of ``max(p, 1 - p)``. A sheet is predicted when its confidence reaches the
threshold, else the model abstains.

The threshold is chosen on validation sheets whose record states at least one label: sorted by confidence,
the lowest threshold (the most sheets kept) at which the kept sheets' accuracy still reaches the target.
A sheet counts as correct when every label its record states is predicted right (labels the record leaves
unknown are not scored). Equal confidences are kept or dropped together.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from herbproc.fields.condition_targets import LABELS

STERILE = "sterile"


def predicted_labels(probs: np.ndarray) -> np.ndarray:
    return np.asarray(probs, dtype=np.float64) >= 0.5


def confidence(probs: np.ndarray) -> np.ndarray:
    p = np.asarray(probs, dtype=np.float64)
    return np.prod(np.maximum(p, 1.0 - p), axis=1)


def state_text(flags: np.ndarray, names: tuple[str, ...] | list[str] = LABELS) -> str:
    """The state labels set ("flowers; fruits"); none set: "sterile" when ``names`` are all labels, else
    "no flowers or fruits"."""
    present = [lb for lb, on in zip(names, flags, strict=True) if on]
    if present:
        return "; ".join(present)
    return STERILE if set(names) >= set(LABELS) else "no " + " or ".join(names)


def sheet_correct(probs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per sheet: True / False when its known labels are all right / not; NaN where no label is known.
    ``targets`` holds 1, 0 and NaN (unknown), as ``herbproc.fields.condition_targets.label_table``."""
    targets = np.asarray(targets, dtype=np.float64)
    known = ~np.isnan(targets)
    ok = (predicted_labels(probs) == (targets == 1)) | ~known
    out = ok.all(axis=1).astype(np.float64)
    out[~known.any(axis=1)] = np.nan
    return out


@dataclass(frozen=True)
class Threshold:
    threshold: float  # inf: abstain on every sheet (no threshold reaches the target)
    target: float
    coverage: float  # share of the scored sheets kept
    accuracy: float | None  # accuracy of the kept sheets (None when none is kept)
    kept: int
    scored: int

    def to_json(self) -> dict:
        d = asdict(self)
        if math.isinf(self.threshold):
            d["threshold"] = None
        return d


def coverage_curve(conf: np.ndarray, correct: np.ndarray) -> pd.DataFrame:
    """Per distinct confidence (high to low): the threshold, how many sheets it keeps, their share, accuracy."""
    conf = np.asarray(conf, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    scored = ~np.isnan(correct)
    conf, correct = conf[scored], correct[scored]
    if not len(conf):
        return pd.DataFrame(columns=["threshold", "kept", "coverage", "accuracy"])
    order = np.argsort(-conf, kind="stable")
    conf, correct = conf[order], correct[order]
    hits = np.cumsum(correct)
    kept = np.arange(1, len(conf) + 1)
    last_of_tie = np.r_[conf[1:] < conf[:-1], True]  # a threshold keeps every sheet of equal confidence
    return pd.DataFrame(
        {
            "threshold": conf[last_of_tie],
            "kept": kept[last_of_tie],
            "coverage": kept[last_of_tie] / len(conf),
            "accuracy": hits[last_of_tie] / kept[last_of_tie],
        }
    )


def choose_threshold(conf: np.ndarray, correct: np.ndarray, target: float) -> Threshold:
    """The lowest confidence threshold whose kept sheets are at least ``target`` accurate (the most coverage)."""
    if not 0.0 < target <= 1.0:
        raise ValueError(f"wrong value for 'phenology.target_accuracy': {target} (must be in (0, 1])")
    curve = coverage_curve(conf, correct)
    scored = int(curve["kept"].iloc[-1]) if len(curve) else 0
    good = curve[curve["accuracy"] >= target - 1e-12]
    if not len(good):
        return Threshold(math.inf, target, 0.0, None, 0, scored)
    best = good.iloc[-1]  # the curve runs from high to low thresholds: the last one kept the most sheets
    return Threshold(
        float(best["threshold"]),
        target,
        float(best["coverage"]),
        float(best["accuracy"]),
        int(best["kept"]),
        scored,
    )


def at_threshold(conf: np.ndarray, correct: np.ndarray, threshold: float) -> dict:
    """Coverage and accuracy of a given threshold on other sheets (test split, ground truth)."""
    conf = np.asarray(conf, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    scored = ~np.isnan(correct)
    kept = scored & (conf >= threshold)
    n, k = int(scored.sum()), int(kept.sum())
    return {
        "scored": n,
        "kept": k,
        "coverage": (k / n) if n else None,
        "accuracy": float(correct[kept].mean()) if k else None,
        "accuracy_all": float(correct[scored].mean()) if n else None,
    }
