"""``stage=phenology``: flowers / fruits / buds for every stored sheet, with an abstain decision.

    python jobs/launch.py stage=phenology run_dir=R                         # separate model: train, then predict
    python jobs/launch.py stage=phenology run_dir=R cluster=slurm tasks_per_node=4 stage.gpus=4
    python jobs/launch.py stage=train run_dir=R phenology.mode=joint         # the head beside the species ...
    python jobs/launch.py stage=phenology run_dir=R phenology.mode=joint     # ... then its predictions

One distributed job. ``mode=separate`` (without ``phenology.checkpoint``) first trains the phenology model on
the labels the records give (``herbproc.phenology.train``: the IELT trainer's loop, DDP and resume); every rank
then predicts every world-th stored sheet (``herbproc.phenology.predict``). ``finalize`` (rank 0, once) joins
the parts, chooses the confidence threshold on the validation split for ``phenology.target_accuracy``, and
writes ``<run_dir>/phenology/``:

    predictions.parquet      gbifID, row, split, p_flowers, p_fruits, p_buds, flowers, fruits, buds (predicted),
                             state (over phenology.state_labels: "flowers; fruits" | "no flowers or fruits" ...), confidence, abstain, record_condition (the
                             record's text), record_state (what it says: a state, or "" when unknown)
    summary.json             threshold, validation / test / ground-truth coverage and accuracy, label counts,
                             the record texts that were not understood
    coverage.csv             validation: threshold, kept, coverage, accuracy (the curve the threshold comes from)
    unknown_conditions.csv   reproductiveCondition texts not understood, with counts

and, when ``ocr/occurrences.csv`` exists, the predicted states in its reproductiveCondition column
(``herbproc.occurrences``).
"""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from herbproc.fields.condition_targets import (
    LABELS,
    label_counts,
    label_table,
    truth_table,
    unknown_texts,
)
from herbproc.io import atomic_path, atomic_write_json, read_json
from herbproc.paths import RunPaths
from herbproc.phenology.decision import (
    Threshold,
    at_threshold,
    choose_threshold,
    confidence,
    coverage_curve,
    predicted_labels,
    sheet_correct,
    state_text,
)
from herbproc.phenology.files import (
    BUILT_IN_NAMES,
    PROB_COLUMNS,
    model_file,
    phenology_dir,
    read_parts,
    remove_stale_parts,
)
from herbproc.schema.build import wrong
from herbproc.shard import Shard, ShardError, ShardResult, StageSkipped
from herbproc.stages import Stage
from herbproc.store.layout import StoreError
from herbproc.store.store import open_store, require_stored_images

log = logging.getLogger("herbproc.phenology")
NAME = "phenology"


def trains_here(cfg: Any) -> bool:
    """Whether this stage trains its own model (separate mode without a given model file)."""
    return cfg.phenology.mode == "separate" and not cfg.phenology.checkpoint


# --------------------------------------------------------------------------------------------- settings


def check_model(cfg: Any) -> None:
    """What the phenology section cannot check by itself: its files, and a model name timm knows."""
    p = cfg.phenology

    def bad(key: str, value: Any, why: str) -> ValueError:
        return wrong(f"phenology.{key}", value, why)

    if p.checkpoint and not Path(p.checkpoint).expanduser().is_file():
        raise bad("checkpoint", p.checkpoint, "not a file")
    if trains_here(cfg):
        if p.model not in BUILT_IN_NAMES and not _timm_knows(p.model):
            raise bad(
                "model",
                p.model,
                "not a timm model name (e.g. convnext_tiny, efficientnet_b0) nor spotnet / spotnet_wide",
            )
        if p.pretrained and not Path(p.pretrained).expanduser().is_file():
            raise bad(
                "pretrained",
                p.pretrained,
                "not a file; give a local timm weight file (nothing is downloaded)",
            )


def _timm_knows(name: str) -> bool:
    import timm  # only for a model that is not built in: timm's import costs seconds

    return timm.is_model(name)


def check_inputs(cfg: Any) -> None:
    paths = RunPaths(cfg.run_dir)
    if not paths.manifest.exists():
        raise FileNotFoundError(f"{paths.manifest} does not exist: run stage=ingest first")
    if not (paths.store / "layout.json").exists():
        raise FileNotFoundError(f"{paths.store} holds no image store: run stage=download first")
    if not trains_here(cfg):
        path = model_file(cfg)
        if not path.is_file():
            hint = ("run stage=train with phenology.mode=joint first" if cfg.phenology.mode == "joint"
                    else "give an existing phenology.checkpoint")  # fmt: skip
            raise FileNotFoundError(f"model file {path} does not exist: {hint}")


def validate(cfg: Any) -> None:
    check_model(cfg)
    check_inputs(cfg)


# --------------------------------------------------------------------------------------------- the job


def stored_rows(cfg: Any) -> np.ndarray:
    """Which store rows hold an image; the stage steps aside when none does."""
    try:
        store = open_store(RunPaths(cfg.run_dir).store)
    except StoreError as e:
        raise ShardError(str(e)) from None
    try:
        require_stored_images(store, NAME)
        return np.asarray(store.valid, dtype=bool)
    finally:
        store.close()


def labelled_training_sheets(cfg: Any, usable: np.ndarray) -> int:
    """Training sheets with a stored image whose record states a phenology (what separate mode learns from)."""
    table = label_table(pd.read_parquet(RunPaths(cfg.run_dir).manifest), cfg.phenology.unstated_negative)
    rows = table["row"].to_numpy(np.int64)
    known = table[list(LABELS)].notna().any(axis=1).to_numpy()
    ok = known & (table["split"] == "train").to_numpy() & (rows < len(usable))
    return int(usable[rows[ok]].sum())


def check_labels(cfg: Any) -> None:
    """Separate mode without a model: too few labelled training sheets make the stage step aside."""
    usable = stored_rows(cfg)
    if not trains_here(cfg):
        return
    have, floor = labelled_training_sheets(cfg, usable), int(cfg.phenology.min_labels)
    if have < max(floor, 1):
        raise StageSkipped(
            f"{have} training sheet(s) whose record states a phenology (reproductiveCondition, dynamicProperties, "
            f"occurrenceRemarks, fieldNotes), under phenology.min_labels={floor}: nothing to learn from; give "
            "phenology.checkpoint=<model.pt of another run> to predict with that model"
        )


def run_shard(cfg: Any, shard: Shard) -> ShardResult:
    t0 = time.monotonic()
    summary: dict[str, Any] = {}
    check_labels(cfg)  # a stage that steps aside imports no torch
    t_import = time.monotonic()
    import torch

    from herbproc.phenology.predict import predict_part
    from herbproc.phenology.train import PhenologyTrainer
    from herbproc.training import dist
    from herbproc.training.checkpoint import CheckpointError

    t0 += time.monotonic() - t_import  # the shard's seconds leave the import out, as when it came with the module
    if trains_here(cfg):
        trainer = PhenologyTrainer(cfg)
        summary = trainer.run()
        ctx = trainer.ctx
    else:
        t = cfg.train
        ctx = dist.init(t.device, t.dist_backend, t.dist_timeout_s)
        torch.set_num_threads(dist.cpu_threads(t.threads, cfg.stage.cpus))
    try:
        if ctx.is_main:
            remove_stale_parts(cfg.run_dir, ctx.world)
        dist.barrier(ctx)
        try:
            mine = predict_part(cfg, ctx)
        except (FileNotFoundError, CheckpointError, StoreError, ValueError) as e:
            raise ShardError(str(e)) from None
        total = int(dist.all_sum(ctx, torch.tensor([float(mine)], device=ctx.device)).item())
    finally:
        dist.shutdown(ctx)
    summary.update(world=ctx.world, sheets=total)
    return ShardResult(
        NAME, shard.index, shard.count, total, total, 0, 0, time.monotonic() - t0, extra=summary
    )


# --------------------------------------------------------------------------------------------- finalize


def per_label_accuracy(probs: np.ndarray, targets: np.ndarray) -> dict[str, float | None]:
    flags = predicted_labels(probs)
    out = {}
    for i, lb in enumerate(LABELS):
        known = ~np.isnan(targets[:, i])
        out[lb] = float((flags[known, i] == (targets[known, i] == 1)).mean()) if known.any() else None
    return out


def state_columns(cfg: Any) -> list[int]:
    return [LABELS.index(lb) for lb in cfg.phenology.state_labels]


def scores(probs: np.ndarray, targets: np.ndarray, threshold: float, state: list[int]) -> dict[str, Any]:
    """Per-label accuracy (all sheets) and the state's accuracy / coverage at the threshold."""
    correct = sheet_correct(probs[:, state], targets[:, state])
    return {
        "per_label": per_label_accuracy(probs, targets),
        **at_threshold(confidence(probs[:, state]), correct, threshold),
    }


def build_predictions(cfg: Any) -> tuple[pd.DataFrame, Threshold, pd.DataFrame, pd.DataFrame]:
    """The predictions table, the threshold, the validation curve and the label table."""
    from herbproc.manifest import load_manifest

    p = cfg.phenology
    parts = read_parts(cfg.run_dir)
    labels = label_table(load_manifest(cfg.run_dir), list(p.unstated_negative))
    df = parts.merge(labels.drop(columns=["row"]), on="gbifID", how="left")
    probs = df[PROB_COLUMNS].to_numpy(np.float64)
    targets = df[list(LABELS)].to_numpy(np.float64)
    flags = predicted_labels(probs)
    state = state_columns(cfg)
    names = [LABELS[i] for i in state]
    conf = confidence(probs[:, state])
    correct = sheet_correct(probs[:, state], targets[:, state])
    val = (df["split"] == "val").to_numpy()
    curve = coverage_curve(conf[val], correct[val])
    if p.threshold is not None:
        kept = at_threshold(conf[val], correct[val], float(p.threshold))
        threshold = Threshold(float(p.threshold), float(p.target_accuracy), kept["coverage"] or 0.0,
                              kept["accuracy"], kept["kept"], kept["scored"])  # fmt: skip
    elif not (~np.isnan(correct[val])).any() and (inherited := inherited_threshold(cfg)) is not None:
        threshold = Threshold(inherited, float(p.target_accuracy), 0.0, None, 0, 0)
    else:
        threshold = choose_threshold(conf[val], correct[val], float(p.target_accuracy))
    record_state = [
        ""
        if np.isnan(t).all()
        else state_text(t == 1, names) + (" (partly stated)" if np.isnan(t).any() else "")
        for t in targets[:, state]
    ]
    out = pd.DataFrame(
        {
            "gbifID": df["gbifID"].astype(str),
            "row": df["row"].astype(np.int64),
            "split": df["split"].fillna("").astype(str),
            **{c: df[c].astype(np.float64) for c in PROB_COLUMNS},
            **{lb: flags[:, i] for i, lb in enumerate(LABELS)},
            "state": [state_text(f, names) for f in flags[:, state]],
            "confidence": conf,
            "abstain": conf < threshold.threshold,
            "record_condition": df["condition"].fillna("").astype(str),
            "record_state": record_state,
        }
    )
    return out, threshold, curve, labels


def inherited_threshold(cfg: Any) -> float | None:
    """The threshold the run that trained ``phenology.checkpoint`` chose (its ``phenology/summary.json``), for a
    run with no labelled validation sheet of its own; None when there is none to be had."""
    if not cfg.phenology.checkpoint:
        return None
    model = Path(cfg.phenology.checkpoint).expanduser().resolve()
    for folder in (model.parent, model.parent.parent):
        summary = read_json(folder / "summary.json") or {}
        value = (summary.get("threshold") or {}).get("threshold")
        if isinstance(value, (int, float)) and math.isfinite(value):
            log.info("[phenology] no labelled validation sheet here: threshold %.4f from %s", value, folder)
            return float(value)
    return None


def finalize(cfg: Any) -> None:
    """Join the parts, choose the threshold, write the tables and summary; fill occurrences.csv if it exists."""
    p = cfg.phenology
    out_dir = phenology_dir(cfg.run_dir)
    table, threshold, curve, labels = build_predictions(cfg)
    with atomic_path(out_dir / "predictions.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    with atomic_path(out_dir / "coverage.csv") as tmp:
        curve.to_csv(tmp, index=False)
    unknown = unknown_texts(labels.rename(columns={"condition": "reproductiveCondition"}))
    with atomic_path(out_dir / "unknown_conditions.csv") as tmp:
        pd.DataFrame(unknown.most_common(), columns=["reproductiveCondition", "count"]).to_csv(
            tmp, index=False
        )

    probs = table[PROB_COLUMNS].to_numpy(np.float64)
    targets = labels.set_index("gbifID")[list(LABELS)].reindex(table["gbifID"]).to_numpy(np.float64)
    thr = threshold.threshold
    state = state_columns(cfg)
    summary: dict[str, Any] = {
        "mode": p.mode,
        "model_file": str(model_file(cfg)),
        "sheets": len(table),
        "target_accuracy": float(p.target_accuracy),
        "state_labels": list(p.state_labels),
        "threshold": threshold.to_json(),
        "fixed_threshold": p.threshold is not None,
        "labels_from_records": label_counts(labels),
        "unknown_conditions": {
            "distinct": len(unknown),
            "records": int(sum(unknown.values())),
            "top": unknown.most_common(20),
        },  # fmt: skip
        "predicted": {
            "kept": int((~table["abstain"]).sum()),
            "abstained": int(table["abstain"].sum()),
            "states": table.loc[~table["abstain"], "state"].value_counts().to_dict(),
        },
        "splits": {},
        "time": time.time(),
    }
    for split in ("train", "val", "test"):
        rows = (table["split"] == split).to_numpy()
        if rows.any():
            summary["splits"][split] = scores(probs[rows], targets[rows], thr, state)
    truth = truth_table(cfg.run_dir, table["gbifID"])
    if truth is not None:
        t = truth.set_index("gbifID").reindex(table["gbifID"])
        have = t[LABELS[0]].notna().to_numpy()
        true = t[list(LABELS)].astype(float).to_numpy()
        unstated = np.isnan(targets).all(axis=1)
        test = have & (table["split"] == "test").to_numpy()
        summary["truth"] = {
            "all": scores(probs[have], true[have], thr, state),
            "record_unknown": scores(probs[have & unstated], true[have & unstated], thr, state),
            "test": scores(probs[test], true[test], thr, state),
        }
    atomic_write_json(out_dir / "summary.json", _finite(summary))
    log.info(
        "[phenology] %d sheets, threshold %s (validation: %s kept at accuracy %s), %d abstained",
        len(table), threshold.to_json()["threshold"], threshold.kept, threshold.accuracy,
        summary["predicted"]["abstained"],
    )  # fmt: skip
    if p.darwin_core:
        from herbproc.occurrences import apply_to_run

        apply_to_run(cfg.run_dir)


def _finite(obj: Any) -> Any:
    """JSON without NaN / inf (None instead)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def report_section(cfg: Any, assets: Path) -> str:
    from herbproc.phenology.report import report_section as section

    return section(cfg, assets)


STAGE = Stage(NAME, run_shard, finalize=finalize, validate=validate, report_section=report_section)
