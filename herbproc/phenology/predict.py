"""Per-label probabilities for every stored sheet, from the separate model or the joint head of stage=train.

Each rank of the stage predicts every world-th sheet and writes its share to
``phenology/parts/part-<rank>-of-<world>.parquet`` (atomically); a part newer than the model file is kept by a
relaunch. ``finalize`` joins the parts (``herbproc.phenology.stage``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from herbproc.fields.condition_targets import LABELS
from herbproc.io import atomic_path
from herbproc.paths import RunPaths
from herbproc.phenology.files import (
    PROB_COLUMNS,
    model_file,
    part_path,
)
from herbproc.phenology.model import MODEL_KIND, SheetViews, load_phenology_model
from herbproc.store.dataset import StoreDataset
from herbproc.store.layout import StoreError
from herbproc.store.store import open_store
from herbproc.training.checkpoint import CheckpointError, load_model, read
from herbproc.training.data import Normalizer, SheetDataset, Views, index_batches, loader
from herbproc.training.dist import DistContext
from herbproc.training.sampler import eval_shard

log = logging.getLogger("herbproc.phenology")
JOINT_HEAD = "phenology"


@dataclass
class PhenologyPredictor:
    model: torch.nn.Module
    meta: dict[str, Any]
    views: SheetViews | Views
    device: torch.device
    joint: bool

    @classmethod
    def load(cls, path: Path, device: torch.device) -> PhenologyPredictor:
        """A separate phenology model file, or an IELT model file with a phenology head (joint)."""
        state_meta = (read(path).get("meta") or {}) if path.is_file() else {}
        if not path.is_file():
            raise CheckpointError(f"model file {path} does not exist")
        if state_meta.get("kind") == MODEL_KIND:
            model, meta = load_phenology_model(path, device)
            views = SheetViews(int(meta["views"]["height"]), int(meta["views"]["width"]), 0.0, False)
            return cls(model, meta, views, device, joint=False)
        model, meta = load_model(path, device)
        if JOINT_HEAD not in model.multilabel:
            raise CheckpointError(
                f"{path} has no phenology head: run stage=train with phenology.mode=joint, or use "
                "phenology.mode=separate"
            )
        views = Views(int(meta["views"]["crop"]), int(meta["views"]["resize"]), 0.0, False)
        return cls(model, meta, views, device, joint=True)

    @property
    def variant(self) -> str:
        return str(self.meta.get("variant", "raw"))

    @torch.no_grad()
    def __call__(self, images: torch.Tensor) -> np.ndarray:
        x = Normalizer(self.device)(images)
        amp = self.device.type == "cuda"
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=amp):
            logits = self.model.forward_multilabel(x)[1][JOINT_HEAD] if self.joint else self.model(x)
        return torch.sigmoid(logits.float()).cpu().numpy()


def predict_part(cfg: Any, ctx: DistContext) -> int:
    """This rank's share of the store's sheets -> its part file; returns how many sheets it holds."""
    path = model_file(cfg)
    target = part_path(cfg.run_dir, ctx.rank, ctx.world)
    if target.exists() and path.exists() and target.stat().st_mtime >= path.stat().st_mtime:
        return len(pd.read_parquet(target, columns=["row"]))
    predictor = PhenologyPredictor.load(path, ctx.device)
    store_path = RunPaths(cfg.run_dir).store
    store = open_store(store_path)
    variant = predictor.variant
    gbif_ids = store.gbif_ids
    has_masked = "image_masked" in store.layout.arrays
    store.close()
    if variant == "masked" and not has_masked:
        raise StoreError(
            f"{store_path} has no masked copy but the model was trained on masked sheets: run stage=mask"
        )
    dataset = SheetDataset(StoreDataset(store_path, variant=variant), predictor.views)
    mine = eval_shard(len(dataset), ctx.rank, ctx.world)
    batches = index_batches(mine, int(cfg.phenology.predict_batch_size))
    feed = loader(dataset, batches, int(cfg.phenology.workers), ctx.device.type == "cuda")
    rows, probs = [], []
    for images, _labels, batch_rows in feed:
        probs.append(predictor(images))
        rows.extend(int(r) for r in batch_rows)
    p = np.concatenate(probs) if probs else np.zeros((0, len(LABELS)), dtype=np.float32)
    table = pd.DataFrame(
        {"gbifID": [str(gbif_ids[r]) for r in rows], "row": np.asarray(rows, dtype=np.int64)}
    )
    for i, col in enumerate(PROB_COLUMNS):
        table[col] = p[:, i].astype(np.float64)
    with atomic_path(target) as tmp:
        table.to_parquet(tmp, index=False)
    log.info("[phenology] rank %d/%d predicted %d sheets (%s) -> %s", ctx.rank, ctx.world, len(table), variant,
             target.name)  # fmt: skip
    return len(table)
