"""``stage=train``: IELT on the run's store, one process per rank (DistributedDataParallel), resumable.

    python jobs/launch.py stage=train run_dir=R cluster=slurm nodes=2 tasks_per_node=4 stage.gpus=4
    torchrun --standalone --nproc_per_node=4 -m herbproc.ielt.run stage=train run_dir=R

Every rank runs ``run_shard``; rank 0 keeps the books. Outputs in ``<run_dir>/train/``: ``metrics.csv`` and
``metrics.json`` (per epoch), ``steps.csv`` (per optimizer step: mean loss over ranks, lr, top-1),
``checkpoints/ckpt-<step>.pt`` (resumable), ``best.pt`` and ``model.pt`` (what evaluate / predict load).

Resume: a checkpoint every ``train.checkpoint_every`` steps, at each epoch end, and when the scheduler warns of
pre-emption or the time limit (``herbproc.shard.on_preempt``); a relaunched or requeued job continues from the
newest one. The randomness of a step is a function of (seed, rank, step) and that of a sample's augmentation of
(seed, epoch, position), so a resumed run follows the uninterrupted run's loss curve exactly.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from herbproc.classes import UNNAMED_LABEL, load_classes
from herbproc.io import read_json
from herbproc.paths import RunPaths
from herbproc.report.render import render
from herbproc.shard import Shard, ShardError, ShardResult, StageSkipped
from herbproc.stages import Stage
from herbproc.store.layout import StoreError
from herbproc.training.metrics import curves_figure
from herbproc.training.runfiles import (
    METRIC_COLUMNS,
    check_pretrained,
    model_path,
    open_run_store,
    store_variant,
    train_dir,
)
from herbproc.training.runfiles import (
    STAGE as NAME,
)

if TYPE_CHECKING:
    from herbproc.training.trainer import Trainer

log = logging.getLogger("herbproc.train")


def check_inputs(cfg: Any) -> None:
    """classes.csv and the store are there, and the store has the image variant training will read."""
    load_classes(cfg.run_dir)
    store = open_run_store(cfg.run_dir)
    try:
        store_variant(store, cfg.train.use_masked)
    finally:
        store.close()


def validate_settings(cfg: Any) -> None:
    """The train section checks itself as it is built; this data profile's need of pretrained weights is the
    train stage's own."""
    check_pretrained(cfg)


def validate(cfg: Any) -> None:
    check_pretrained(cfg)
    try:
        check_inputs(cfg)
    except StoreError as e:
        raise ValueError(str(e)) from None


def check_classes(cfg: Any) -> None:
    """Step aside (``StageSkipped``) when fewer than two classes have ``train.min_class_sheets`` stored sheets."""
    import numpy as np
    import pandas as pd

    paths = RunPaths(cfg.run_dir)
    try:
        manifest = pd.read_parquet(paths.manifest, columns=["label", "row"])
        store = open_run_store(cfg.run_dir)
    except (FileNotFoundError, OSError, StoreError) as e:
        raise ShardError(str(e)) from None
    try:
        valid = np.asarray(store.valid, dtype=bool)
    finally:
        store.close()
    rows = manifest["row"].to_numpy(np.int64)
    ok = (rows >= 0) & (rows < len(valid))
    ok[ok] = valid[rows[ok]]
    ok &= manifest["label"].to_numpy() != UNNAMED_LABEL  # a record kept without a name is in no class
    stored = manifest[ok]
    sizes = stored.groupby("label").size()
    floor = int(cfg.train.min_class_sheets)
    enough = int((sizes >= floor).sum())
    if enough < 2:
        raise StageSkipped(
            f"{enough} class(es) with at least train.min_class_sheets={floor} stored sheets ({len(stored)} stored "
            f"sheets in {len(sizes)} classes): a classifier needs two or more classes with sheets to learn from "
            "and to check on"
        )


def run_shard(cfg: Any, shard: Shard) -> ShardResult:
    t0 = time.monotonic()
    check_classes(cfg)  # a stage that steps aside imports no torch
    t_import = time.monotonic()
    # torch is the shard's import, not the launcher's checks' nor the report's
    from herbproc.training.trainer import Trainer

    t0 += time.monotonic() - t_import  # the shard's seconds leave the import out, as when it came with the module
    trainer = Trainer(cfg)
    summary = trainer.run()  # on an error or a requeue exit the process ends without a collective goodbye
    trainer.close()
    n = len(trainer.train_set)
    return ShardResult(NAME, shard.index, shard.count, n, n, 0, 0, time.monotonic() - t0, extra=summary)


# --------------------------------------------------------------------------------------------- report


def report_section(cfg: Any, assets: Path) -> str:
    metrics = read_json(train_dir(cfg.run_dir) / "metrics.json")
    if not metrics or not metrics.get("epochs"):
        return render("train.html.j2", metrics=None)
    history = metrics["epochs"]
    fig = curves_figure(history, Path(assets) / "train_curves.png")
    columns = METRIC_COLUMNS[:8]
    return render(
        "train.html.j2",
        metrics=metrics,
        model=describe_model(metrics.get("model") or {}),
        epochs=len(history),
        last=history[-1],
        best=metrics.get("best"),
        curves=fig.name if fig is not None else None,
        columns=columns,
        rows=[[_fmt(h.get(k)) for k in columns] for h in history[-12:]],
    )


def describe_model(spec: dict[str, Any]) -> str:
    """``tiny (img_size 64, hidden_size 64)`` from a model spec."""
    rest = ", ".join(f"{k} {v}" for k, v in sorted(spec.items()) if k != "preset")
    return f"{spec.get('preset', '?')}" + (f" ({rest})" if rest else "")


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def __getattr__(name: str) -> Any:
    if name == "Trainer":  # on first use: importing this module (the launcher's checks, the report) needs no torch
        from herbproc.training.trainer import Trainer

        return Trainer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["STAGE", "Trainer", "check_pretrained", "model_path", "report_section", "run_shard", "validate"]


STAGE = Stage(NAME, run_shard, validate=validate, validate_settings=validate_settings, report_section=report_section)
