from __future__ import annotations

from dataclasses import dataclass

SECTION = "evaluate"


@dataclass
class Settings:
    """stage=evaluate: the trained model on one labelled split (docs/training.md)."""

    checkpoint: str | None = None  # a model file (train/model.pt or a resumable checkpoint); None: the run's
    split: str = "test"  # test | val | train | all
    batch_size: int = 64
    topk: int = 5  # top-k accuracy
    calibration_bins: int = 15  # reliability diagram / ECE bins
    worst_classes: int = 8  # classes shown in the report with sample images
    samples_per_class: int = 3
    device: str = "auto"  # auto | cpu | cuda
    workers: int = 2
