"""Classification measures from counts and per-image predictions (numpy), and their figures.

Counts are what DDP ranks can sum (``all_reduce``): per-class true positives, false positives and false
negatives give macro-F1 and per-class accuracy without gathering predictions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


def confusion(target: np.ndarray, pred: np.ndarray, num_classes: int) -> np.ndarray:
    """(C, C) counts, rows = true class, columns = predicted class."""
    target, pred = np.asarray(target, np.int64), np.asarray(pred, np.int64)
    flat = np.bincount(target * num_classes + pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def f1_counts(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[float, np.ndarray]:
    """Macro-F1 over the classes that occur as truth or prediction (scikit-learn's default), and per-class F1."""
    tp, fp, fn = (np.asarray(a, np.float64) for a in (tp, fp, fn))
    denom = 2 * tp + fp + fn
    per_class = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    seen = denom > 0
    return (float(per_class[seen].mean()) if seen.any() else 0.0), per_class


def counts_from_confusion(cm: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp = np.diag(cm).astype(np.int64)
    return tp, cm.sum(0) - tp, cm.sum(1) - tp


def per_class_accuracy(cm: np.ndarray) -> np.ndarray:
    """Recall of each class (NaN for classes absent from the split)."""
    support = cm.sum(1).astype(np.float64)
    return np.divide(np.diag(cm), support, out=np.full(len(cm), np.nan), where=support > 0)


@dataclass
class Calibration:
    ece: float
    bin_edges: np.ndarray
    bin_confidence: np.ndarray  # mean confidence per bin (NaN: empty)
    bin_accuracy: np.ndarray
    bin_count: np.ndarray


def calibration(confidence: np.ndarray, correct: np.ndarray, bins: int = 15) -> Calibration:
    """Expected calibration error over equal-width confidence bins (the usual 15), and the reliability table."""
    confidence = np.asarray(confidence, np.float64)
    correct = np.asarray(correct, np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    count = np.bincount(which, minlength=bins)
    conf_sum = np.bincount(which, weights=confidence, minlength=bins)
    acc_sum = np.bincount(which, weights=correct, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.where(count > 0, conf_sum / np.maximum(count, 1), np.nan)
        mean_acc = np.where(count > 0, acc_sum / np.maximum(count, 1), np.nan)
    n = max(1, len(confidence))
    ece = float(np.nansum(count / n * np.abs(mean_acc - mean_conf)))
    return Calibration(ece, edges, mean_conf, mean_acc, count)


# --------------------------------------------------------------------------------------------- figures


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def confusion_figure(cm: np.ndarray, names: list[str], path: Path, max_labels: int = 40) -> Path:
    """Row-normalised confusion matrix; class names on the axes when there are at most ``max_labels``."""
    plt = _plt()
    rows = cm.sum(1, keepdims=True).astype(np.float64)
    norm = np.divide(cm, rows, out=np.zeros(cm.shape), where=rows > 0)
    n = len(cm)
    side = min(12.0, 3.0 + 0.25 * min(n, max_labels))
    fig, ax = plt.subplots(figsize=(side, side * 0.9), dpi=110)
    im = ax.imshow(norm, cmap="viridis", vmin=0, vmax=1, interpolation="nearest")
    if n <= max_labels:
        ax.set_xticks(range(n), [s[:28] for s in names], rotation=90, fontsize=7)
        ax.set_yticks(range(n), [s[:28] for s in names], fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    fig.colorbar(im, ax=ax, fraction=0.046, label="share of the true class")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def reliability_figure(cal: Calibration, path: Path) -> Path:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(4.2, 4.0), dpi=110)
    centers = (cal.bin_edges[:-1] + cal.bin_edges[1:]) / 2
    width = cal.bin_edges[1] - cal.bin_edges[0]
    ok = cal.bin_count > 0
    ax.bar(centers[ok], cal.bin_accuracy[ok], width=width * 0.9, color="#4c7a5a", label="accuracy")
    ax.plot([0, 1], [0, 1], "--", color="grey", lw=1, label="perfect calibration")
    ax.plot(cal.bin_confidence[ok], cal.bin_accuracy[ok], "o", color="#b5523b", ms=3, label="bin mean")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence (top-1 probability)")
    ax.set_ylabel("accuracy")
    ax.set_title(f"ECE {cal.ece:.3f}")
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def curves_figure(history: list[dict], path: Path) -> Path | None:
    """Training loss and validation accuracy per epoch."""
    if not history:
        return None
    plt = _plt()
    epochs = [h["epoch"] for h in history]
    fig, (a, b) = plt.subplots(1, 2, figsize=(8, 2.8), dpi=110)
    a.plot(epochs, [h["train_loss"] for h in history], "-o", ms=3, label="train")
    if any(h.get("val_loss") is not None for h in history):
        a.plot(epochs, [h.get("val_loss") for h in history], "-o", ms=3, label="val")
    a.set_xlabel("epoch")
    a.set_ylabel("loss")
    a.legend(fontsize=7)
    b.plot(epochs, [h["train_top1"] for h in history], "-o", ms=3, label="train top-1")
    if any(h.get("val_top1") is not None for h in history):
        b.plot(epochs, [h.get("val_top1") for h in history], "-o", ms=3, label="val top-1")
    b.set_ylim(0, 1)
    b.set_xlabel("epoch")
    b.set_ylabel("accuracy")
    b.legend(fontsize=7)
    for ax in (a, b):
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
