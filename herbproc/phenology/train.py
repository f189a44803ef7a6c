"""Training the separate phenology model with the IELT trainer's loop (``herbproc.training.trainer.Trainer``).

``PhenologyTrainer`` only swaps what differs: the views (the whole sheet), the datasets (train / val rows whose
record states at least one label), the model (a timm network, one logit per label), the loss (binary
cross-entropy over the known labels only), the step's accuracy and the validation pass. The sampler, data
loaders, DDP, mixed precision, LR schedule, checkpoints (every ``checkpoint_every`` steps, every epoch end, on a
pre-emption warning), exact resume and the metric files are the trainer's. Outputs in
``<run_dir>/phenology/train/``: ``steps.csv``, ``metrics.csv`` / ``metrics.json``, ``checkpoints/``, ``best.pt``,
``model.pt``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from omegaconf import DictConfig, OmegaConf

from herbproc.fields.condition_targets import LABELS, label_table, row_targets
from herbproc.models.heads import masked_bce
from herbproc.phenology.files import phenology_dir
from herbproc.phenology.model import PhenologyNet, SheetViews, phenology_meta
from herbproc.schema.loop import LoopSettings
from herbproc.shard import ShardError
from herbproc.store.dataset import StoreDataset
from herbproc.store.store import open_store
from herbproc.training import dist
from herbproc.training.data import SheetDataset
from herbproc.training.trainer import Trainer


def training_config(cfg: Any) -> DictConfig:
    """The run configuration with ``train.*`` replaced by the phenology model's training settings."""
    sub = OmegaConf.create(OmegaConf.to_container(cfg, resolve=True))
    for key in (f.name for f in dataclasses.fields(LoopSettings)):  # phenology.<key> -> train.<key>
        sub.train[key] = cfg.phenology[key]
    sub.train.update_warm_epochs = 0.0
    sub.train.pretrained = None
    sub.train.levels = []
    sub.train.balanced = False
    sub.train.compile = False
    sub.train.keep_best = True
    sub.train.eval_batch_size = 0
    sub.phenology.mode = "separate"  # the trainer's joint hook stays off: this model is the phenology model
    OmegaConf.set_struct(sub, True)
    return sub


class PhenologyTrainer(Trainer):
    metric_columns = ["epoch", "steps", "train_loss", "train_acc", "val_loss", "val_acc", "val_acc_flowers",
                      "val_acc_fruits", "val_acc_buds", "val_exact", "lr", "seconds", "images_per_s"]  # fmt: skip
    train_accuracy_key = "train_acc"
    val_keys = ("val_loss", "val_acc", "val_acc_flowers", "val_acc_fruits", "val_acc_buds", "val_exact")
    best_metric = "val_acc"

    def __init__(self, cfg: Any) -> None:
        self.phen = cfg.phenology
        self.unstated_negative = list(cfg.phenology.unstated_negative)
        super().__init__(training_config(cfg))

    # ----------------------------------------------------------------------------------------- hooks

    def output_dir(self) -> Path:
        return phenology_dir(self.cfg.run_dir) / "train"

    def make_views(self) -> SheetViews:
        p = self.phen
        return SheetViews.from_settings(p.img_size, p.aspect, p.color_jitter, p.hflip, p.min_scale)

    def make_datasets(self, store_path: Path) -> tuple[SheetDataset, SheetDataset]:
        manifest = Path(store_path).parent / "manifest.parquet"
        if not manifest.exists():
            raise ShardError(f"{manifest} does not exist: phenology labels come from the manifest")
        store = open_store(store_path)
        n_rows, usable = len(store), store.valid_for(self.variant)
        store.close()
        table = label_table(pd.read_parquet(manifest), self.unstated_negative)
        targets, known = row_targets(table, n_rows)
        self.targets = torch.from_numpy(targets)
        self.known = torch.from_numpy(known)
        labelled = np.flatnonzero(known.any(axis=1) & usable)
        sets = []
        for split in ("train", "val"):
            base = StoreDataset(store_path, rows=labelled, split=split, variant=self.variant)
            sets.append(SheetDataset(base, self.views))
        if len(sets[0]) == 0:
            raise ShardError(
                f"no training sheet with a known reproductiveCondition in {manifest} (of {int((table['split'] == 'train').sum())} "
                "training rows): nothing to learn phenology from"
            )
        return sets[0], sets[1]

    def build_model(self) -> PhenologyNet:
        try:
            return PhenologyNet(self.phen.model, self.phen.pretrained)
        except ValueError as e:
            raise ShardError(str(e)) from None

    def _batch_targets(self, rows: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        index = rows.cpu().long()
        device = self.ctx.device
        return self.targets[index].to(device), self.known[index].to(device)

    def compute_loss(self, out: torch.Tensor, y: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        targets, known = self._batch_targets(rows)
        return masked_bce(out, targets, known)

    def step_hits(self, out: torch.Tensor, y: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
        """Per image, the share of its known labels predicted right, summed over the batch."""
        targets, known = self._batch_targets(rows)
        ok = ((out.detach().float() > 0) == targets.bool()) & known
        return (ok.sum(1).float() / known.sum(1).clamp(min=1).float()).sum()

    def after_update(self, out: Any) -> None:
        pass

    def model_description(self) -> str:
        return f"timm {self.phen.model} ({self.views.height}x{self.views.width})"

    def model_settings(self) -> dict[str, Any]:
        return {"preset": self.phen.model, "height": self.views.height, "width": self.views.width}

    def meta(self) -> dict[str, Any]:
        return phenology_meta(
            self.model, self.views, variant=self.variant, epoch=self.epoch, global_step=self.global_step
        )

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Loss and accuracy over the known labels of the validation sheets (all ranks, counts summed)."""
        model, device = self.model, self.ctx.device
        model.eval()
        n = len(LABELS)
        # loss sum, known entries, correct per label (n), known per label (n), exact sheets, sheets
        totals = torch.zeros(2 + 2 * n + 2, dtype=torch.float64, device=device)
        for images, _target, rows in self._val_loader:
            x = self.normalize(images)
            targets, known = self._batch_targets(rows)
            with self._autocast():
                logits = model(x).float()
            loss = masked_bce(logits, targets, known) * known.sum()
            ok = ((logits > 0) == targets.bool()) & known
            exact = (ok | ~known).all(1)
            totals += torch.cat([
                torch.stack([loss.double(), known.sum().double()]),
                ok.sum(0).double(), known.sum(0).double(),
                torch.stack([exact.sum().double(), torch.tensor(float(len(rows)), dtype=torch.float64, device=device)]),
            ])  # fmt: skip
            self._deliver()
        t = dist.all_sum(self.ctx, totals).cpu().numpy()
        correct, known_n = t[2 : 2 + n], t[2 + n : 2 + 2 * n]
        per_label = {
            lb: (float(c / k) if k else None) for lb, c, k in zip(LABELS, correct, known_n, strict=True)
        }
        return {
            "val_loss": float(t[0] / max(t[1], 1.0)),
            "val_acc": float(correct.sum() / max(known_n.sum(), 1.0)),
            **{f"val_acc_{lb}": v for lb, v in per_label.items()},
            "val_exact": float(t[-2] / max(t[-1], 1.0)),
        }
