"""``stage=predict``: the top-k species of every stored sheet, labelled or not, as a job array.

Each shard predicts a contiguous slice of the store's rows (those with an image of the model's variant,
optionally of one split) through ``run_batches``: the journal keeps each sheet's top-k, so a requeued shard
skips what it has done. ``finalize`` writes ``<run_dir>/predict/predictions.parquet``, keyed by gbifID:

    gbifID        string
    topk_labels   list[int]    class indices (classes.csv / the model's class table), best first
    topk_names    list[str]    their names
    topk_probs    list[float]  softmax probabilities
    split         string       train / val / test when the store has a manifest beside it, else ""
    row           int          the store row

The OCR stage reads ``gbifID, topk_labels, topk_names, topk_probs`` as its taxon prior.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from herbproc.io import atomic_path, atomic_write_json, read_json
from herbproc.paths import RunPaths
from herbproc.report.render import render
from herbproc.shard import (
    Journal,
    Shard,
    ShardError,
    ShardResult,
    finished_ids,
    journal_records,
    planned_shards,
    run_batches,
)
from herbproc.stages import Stage
from herbproc.store.layout import StoreError
from herbproc.store.store import open_store
from herbproc.training.runfiles import checkpoint_file

if TYPE_CHECKING:  # torch is the shard's import, not the launcher's checks' nor the report's
    import torch

    from herbproc.ielt.infer import Predictor

log = logging.getLogger("herbproc.predict")
NAME = "predict"
COLUMNS = ["gbifID", "topk_labels", "topk_names", "topk_probs", "split", "row"]


def out_path(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir(NAME) / "predictions.parquet"


def store_location(cfg: Any) -> Path:
    """The store to predict: ``predict.store`` (a run directory or a store folder), else the run's."""
    base = Path(cfg.predict.store).expanduser() if cfg.predict.store else RunPaths(cfg.run_dir).root
    store = base if (base / "layout.json").exists() else RunPaths(base).store
    if not (store / "layout.json").exists():
        raise FileNotFoundError(f"{base} holds no image store (layout.json): run stage=download first")
    return store


def validate(cfg: Any) -> None:
    """The model file, and the manifest a split needs (the section checks its own values)."""
    p = cfg.predict
    checkpoint_file(p.checkpoint, cfg.run_dir)
    if p.store or p.split != "all":
        manifest = store_location(cfg).parent / "manifest.parquet"
        if p.split != "all" and not manifest.exists():
            raise ValueError(
                f"predict.split={p.split} needs {manifest} (an unlabelled store: use predict.split=all)"
            )


class Batches:
    """Hands ``run_batches`` the images of each batch from a prefetching DataLoader over the shard's to-do rows,
    in the order ``run_batches`` asks for them; a batch it did not foresee (an item retried alone) is read on
    the spot, and the prefetched one waits for its turn."""

    def __init__(
        self,
        predictor: Predictor,
        dataset,
        positions: dict[int, int],
        todo: list[int],
        size: int,
        workers: int,
    ):
        from herbproc.training.data import index_batches, loader

        self.dataset, self.positions = dataset, positions
        batches = index_batches(np.asarray([positions[r] for r in todo], dtype=np.int64), size)
        self.iterator = iter(loader(dataset, batches, workers, predictor.device.type == "cuda"))
        self.waiting: tuple[torch.Tensor, list[int]] | None = None

    def images(self, rows: list[int]) -> torch.Tensor:
        if self.waiting is None:
            batch = next(self.iterator, None)
            self.waiting = (batch[0], batch[2].tolist()) if batch is not None else None
        if self.waiting is not None and self.waiting[1] == list(rows):
            images, self.waiting = self.waiting[0], None
            return images
        import torch

        items = self.dataset.__getitems__([self.positions[r] for r in rows])
        return torch.stack([it[0] for it in items])


def run_shard(cfg: Any, shard: Shard) -> ShardResult:
    from herbproc.ielt.infer import Predictor
    from herbproc.training.checkpoint import CheckpointError
    from herbproc.training.data import split_dataset
    from herbproc.training.dist import cpu_threads

    p = cfg.predict
    try:
        predictor = Predictor.load(
            checkpoint_file(p.checkpoint, cfg.run_dir), p.device, cpu_threads(0, cfg.stage.cpus)
        )
        path = store_location(cfg)
        store = open_store(path)
        variant = predictor.variant_for(store, p.variant)
        gbif_ids = store.gbif_ids
        store.close()
        split = None if p.split == "all" else p.split
        dataset = split_dataset(
            path, split, variant, predictor.views, manifest=path.parent / "manifest.parquet"
        )
    except (FileNotFoundError, CheckpointError, StoreError, ValueError) as e:
        raise ShardError(str(e)) from None
    rows = [int(r) for r in shard.select(dataset.rows)]
    positions = {int(r): i for i, r in enumerate(dataset.rows)}
    k = min(int(p.topk), predictor.classes.num_classes)

    previous = Journal(shard.paths.journal(shard.stage, shard.index)).latest()
    finished = finished_ids(previous, bool(cfg.get("retry_failed_items", False)))
    todo = [r for r in rows if str(gbif_ids[r]) not in finished]  # the rows run_batches will ask for
    feed = Batches(predictor, dataset, positions, todo, int(p.batch_size), int(p.workers))

    def process_batch(batch: list[int]) -> list[dict]:
        probs, _heads = predictor(feed.images(batch))
        top_p, top_i = probs.topk(k, dim=-1)
        return [
            {"row": r, "labels": i.tolist(), "probs": [round(float(v), 6) for v in pr]}
            for r, i, pr in zip(batch, top_i, top_p, strict=True)
        ]

    result = run_batches(
        cfg, shard, rows, process_batch, batch_size=int(p.batch_size), item_id=lambda r: str(gbif_ids[r])
    )
    result.extra.update({"variant": variant, "store": str(path)})
    return result


def finalize(cfg: Any) -> None:
    """Gather every shard's journal into ``predict/predictions.parquet`` (+ ``summary.json``)."""
    from herbproc.ielt.infer import Predictor

    p = cfg.predict
    paths = RunPaths(cfg.run_dir)
    predictor_meta = Predictor.load(checkpoint_file(p.checkpoint, cfg.run_dir), "cpu").classes
    names = predictor_meta.names
    path = store_location(cfg)
    splits: dict[str, str] = {}
    manifest = path.parent / "manifest.parquet"
    if manifest.exists():
        m = pd.read_parquet(manifest, columns=["gbifID", "split"])
        splits = dict(zip(m["gbifID"].astype(str), m["split"].astype(str), strict=True))
    records: list[dict[str, Any]] = []
    n = planned_shards(cfg)
    for i in range(n):
        for gid, data in journal_records(Shard(NAME, i, n, str(paths.root))).items():
            records.append(
                {
                    "gbifID": str(gid),
                    "topk_labels": [int(v) for v in data["labels"]],
                    "topk_names": [names[int(v)] for v in data["labels"]],
                    "topk_probs": [float(v) for v in data["probs"]],
                    "split": splits.get(str(gid), ""),
                    "row": int(data["row"]),
                }
            )
    df = pd.DataFrame(records, columns=COLUMNS).sort_values("row").reset_index(drop=True)
    target = out_path(cfg.run_dir)
    with atomic_path(target) as tmp:
        df.to_parquet(tmp, index=False)
    top1 = np.array([r[0] for r in df["topk_probs"]]) if len(df) else np.zeros(0)
    atomic_write_json(
        target.parent / "summary.json",
        {
            "sheets": len(df),
            "store": str(path),
            "checkpoint": str(checkpoint_file(p.checkpoint, cfg.run_dir)),
            "mean_top1_probability": float(top1.mean()) if len(top1) else None,
            "top1_counts": df["topk_names"].map(lambda v: v[0]).value_counts().to_dict() if len(df) else {},
            "time": time.time(),
        },
    )
    log.info("[predict] %d sheets -> %s", len(df), target)


def report_section(cfg: Any, assets: Path) -> str:
    summary = read_json(out_path(cfg.run_dir).parent / "summary.json")
    if not summary:
        return render("predict.html.j2", summary=None)
    counts = sorted(summary["top1_counts"].items(), key=lambda kv: -kv[1])[:15]
    return render(
        "predict.html.j2", summary=summary, mean=summary.get("mean_top1_probability"), counts=counts
    )


STAGE = Stage(NAME, run_shard, finalize=finalize, validate=validate, report_section=report_section)
