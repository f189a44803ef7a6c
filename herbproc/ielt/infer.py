"""What evaluate and predict share: load the trained model, pick its device and image variant, run batches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from herbproc.classes import ClassTable
from herbproc.models.heads import Classifier
from herbproc.schema.predict import VARIANTS
from herbproc.store.layout import StoreError
from herbproc.store.store import ImageStore
from herbproc.training.checkpoint import CheckpointError, load_model
from herbproc.training.data import Normalizer, Views
from herbproc.training.dist import pick_device


@dataclass
class Predictor:
    model: Classifier
    meta: dict[str, Any]
    classes: ClassTable
    views: Views
    device: torch.device
    normalize: Normalizer
    amp_dtype: torch.dtype | None

    @classmethod
    def load(cls, path: Path, device_choice: str = "auto", threads: int = 0) -> Predictor:
        """``threads``: torch CPU threads (0 leaves torch's default)."""
        if threads:
            torch.set_num_threads(threads)
        device = pick_device(device_choice, 0)
        model, meta = load_model(path, device)
        try:
            classes = ClassTable.from_json(meta["classes"])
            views = Views(int(meta["views"]["crop"]), int(meta["views"]["resize"]), 0.0, False)
        except (KeyError, TypeError, ValueError) as e:
            raise CheckpointError(f"{path}: incomplete model description ({e})") from None
        amp = torch.bfloat16 if device.type == "cuda" else None
        return cls(model, meta, classes, views, device, Normalizer(device), amp)

    def variant_for(self, store: ImageStore, choice: str = "auto") -> str:
        """The image variant to read: the one the model was trained on (auto), or the one asked for."""
        if choice not in VARIANTS:
            raise ValueError(f"variant '{choice}' unknown (choices: {', '.join(VARIANTS)})")
        want = self.meta.get("variant", "raw") if choice == "auto" else choice
        if want == "masked" and "image_masked" not in store.layout.arrays:
            raise StoreError(
                f"{store.path} has no masked copy but the model was trained on masked sheets: run stage=mask on "
                "it, or pass variant=raw to predict from the raw sheets"
            )
        return want

    @torch.no_grad()
    def __call__(self, images: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        """Species probabilities (B, C) float32 and each extra head's probabilities, on the CPU."""
        x = self.normalize(images)
        with torch.autocast(
            self.device.type, dtype=self.amp_dtype or torch.float32, enabled=self.amp_dtype is not None
        ):
            logits, heads = self.model.forward_all(x)
        probs = torch.softmax(logits.float(), dim=-1).cpu()
        return probs, {k: torch.softmax(v.float(), dim=-1).cpu() for k, v in heads.items()}
