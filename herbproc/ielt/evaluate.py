"""``stage=evaluate``: the trained model on one labelled split of the run.

Outputs in ``<run_dir>/evaluate/``:

    metrics.json        top-1 / top-k, macro-F1, ECE, per-level accuracy (family, genus, species: the species
                        prediction mapped up the taxonomy; and each extra head's own), counts
    per_class.csv       label, name, family, genus, support, correct, accuracy, f1, most often taken for
    predictions.parquet gbifID, row, label, pred, confidence, topk_labels, topk_probs
    confusion.png       row-normalised confusion matrix (confusion.npy: the counts)
    reliability.png     reliability diagram (calibration)
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from herbproc.io import atomic_path, atomic_write_json, read_json
from herbproc.paths import RunPaths, is_safe_id, safe_join
from herbproc.report.render import render
from herbproc.shard import Shard, ShardError, ShardResult
from herbproc.stages import Stage
from herbproc.store.layout import StoreError
from herbproc.training.metrics import (
    calibration,
    confusion,
    confusion_figure,
    counts_from_confusion,
    f1_counts,
    per_class_accuracy,
    reliability_figure,
)
from herbproc.training.runfiles import checkpoint_file, open_run_store

log = logging.getLogger("herbproc.evaluate")
NAME = "evaluate"


def out_dir(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir(NAME)


def validate(cfg: Any) -> None:
    """The model file (the section checks its own values)."""
    e = cfg.evaluate
    checkpoint_file(e.checkpoint, cfg.run_dir)


def run_shard(cfg: Any, shard: Shard) -> ShardResult:
    # torch is the shard's import, not the launcher's checks' nor the report's
    from herbproc.ielt.infer import Predictor
    from herbproc.training.checkpoint import CheckpointError
    from herbproc.training.data import index_batches, loader, split_dataset
    from herbproc.training.dist import cpu_threads

    e = cfg.evaluate
    t0 = time.monotonic()
    try:
        predictor = Predictor.load(
            checkpoint_file(e.checkpoint, cfg.run_dir), e.device, cpu_threads(0, cfg.stage.cpus)
        )
        store = open_run_store(cfg.run_dir)
        variant = predictor.variant_for(store)
        store_path = store.path
        store.close()
        split = None if e.split == "all" else e.split
        dataset = split_dataset(store_path, split, variant, predictor.views, labelled=True)
    except (FileNotFoundError, CheckpointError, StoreError, ValueError) as err:
        raise ShardError(str(err)) from None
    if len(dataset) == 0:  # a small run may have no test sheet: say so, and let a pipeline go on
        note = f"the {e.split} split has no {variant} image: nothing to evaluate"
        log.warning("[evaluate] %s", note)
        out = out_dir(cfg.run_dir)
        for name in (
            "per_class.csv",
            "predictions.parquet",
            "confusion.npy",
            "confusion.png",
            "reliability.png",
        ):
            (out / name).unlink(
                missing_ok=True
            )  # an earlier evaluation's files would be taken for this one's
        atomic_write_json(
            out / "metrics.json", {"split": e.split, "variant": variant, "images": 0, "note": note}
        )
        return ShardResult(NAME, shard.index, shard.count, 0, 0, 0, 0, time.monotonic() - t0)
    classes = predictor.classes
    if int(dataset.labels.max()) >= classes.num_classes:
        raise ShardError(
            "the store's labels do not match the model's classes (a label beyond its class table)"
        )
    k = min(int(e.topk), classes.num_classes)
    rows, labels, top_idx, top_prob, heads_pred = [], [], [], [], {}
    batches = index_batches(np.arange(len(dataset)), int(e.batch_size))
    for images, target, row in loader(dataset, batches, int(e.workers), predictor.device.type == "cuda"):
        probs, heads = predictor(images)
        p, i = probs.topk(k, dim=-1)
        rows.append(row.numpy())
        labels.append(target.numpy())
        top_idx.append(i.numpy())
        top_prob.append(p.numpy())
        for name, hp in heads.items():
            heads_pred.setdefault(name, []).append(hp.argmax(-1).numpy())
    rows_a, y = np.concatenate(rows), np.concatenate(labels)
    idx, prob = np.concatenate(top_idx), np.concatenate(top_prob)
    heads_a = {name: np.concatenate(v) for name, v in heads_pred.items()}
    summary = write_outputs(cfg, store_path, classes, rows_a, y, idx, prob, heads_a, variant, e.split)
    log.info(
        "[evaluate] %s split, %d images: top-1 %.4f, top-%d %.4f, macro-F1 %.4f, ECE %.4f",
        e.split, len(y), summary["top1"], k, summary["topk"], summary["macro_f1"], summary["ece"],
    )  # fmt: skip
    return ShardResult(
        NAME, shard.index, shard.count, len(y), len(y), 0, 0, time.monotonic() - t0, extra=summary
    )


def write_outputs(
    cfg, store_path: Path, classes, rows, y, idx, prob, heads, variant: str, split: str
) -> dict:
    out = out_dir(cfg.run_dir)
    out.mkdir(parents=True, exist_ok=True)
    c = classes.num_classes
    pred, conf = idx[:, 0], prob[:, 0]
    correct = pred == y
    cm = confusion(y, pred, c)
    tp, fp, fn = counts_from_confusion(cm)
    macro_f1, f1 = f1_counts(tp, fp, fn)
    acc = per_class_accuracy(cm)
    cal = calibration(conf, correct, int(cfg.evaluate.calibration_bins))
    levels: dict[str, float] = {}
    for level in ("family", "genus", "species"):
        table = np.asarray(classes.level_of[level])
        levels[level] = float((table[pred] == table[y]).mean())
    head_acc = {name: float((p == np.asarray(classes.level_of[name])[y]).mean()) for name, p in heads.items()}
    off = cm.copy()
    np.fill_diagonal(off, 0)
    per_class = pd.DataFrame(
        {
            "label": np.arange(c),
            "name": classes.names,
            "family": [classes.level_names["family"][i] for i in classes.level_of["family"]],
            "genus": [classes.level_names["genus"][i] for i in classes.level_of["genus"]],
            "support": cm.sum(1),
            "correct": np.diag(cm),
            "accuracy": acc,
            "f1": f1,
            "confused_with": [classes.names[j] if off[i].any() else "" for i, j in enumerate(off.argmax(1))],
        }
    )
    with atomic_path(out / "per_class.csv") as tmp:
        per_class.to_csv(tmp, index=False)
    gids = np.asarray(_gbif_ids(store_path))[rows]
    preds = pd.DataFrame(
        {
            "gbifID": gids.astype(str),
            "row": rows,
            "label": y,
            "pred": pred,
            "confidence": conf,
            "correct": correct,
            "topk_labels": [list(map(int, r)) for r in idx],
            "topk_probs": [list(map(float, r)) for r in prob],
        }
    )
    with atomic_path(out / "predictions.parquet") as tmp:
        preds.to_parquet(tmp, index=False)
    with atomic_path(out / "confusion.npy") as tmp:
        with open(tmp, "wb") as f:
            np.save(f, cm)
    confusion_figure(cm, classes.names, out / "confusion.png")
    reliability_figure(cal, out / "reliability.png")
    summary = {
        "split": split,
        "variant": variant,
        "images": int(len(y)),
        "classes": c,
        "classes_present": int((cm.sum(1) > 0).sum()),
        "top1": float(correct.mean()),
        "k": int(idx.shape[1]),
        "topk": float((idx == y[:, None]).any(1).mean()),
        "macro_f1": macro_f1,
        "mean_class_accuracy": float(np.nanmean(acc)),
        "ece": cal.ece,
        "mean_confidence": float(conf.mean()),
        "level_accuracy": levels,
        "head_accuracy": head_acc,
        "reliability": {
            "edges": cal.bin_edges.tolist(),
            "confidence": [None if np.isnan(v) else float(v) for v in cal.bin_confidence],
            "accuracy": [None if np.isnan(v) else float(v) for v in cal.bin_accuracy],
            "count": cal.bin_count.tolist(),
        },
        "checkpoint": str(checkpoint_file(cfg.evaluate.checkpoint, cfg.run_dir)),
        "time": time.time(),
    }
    atomic_write_json(out / "metrics.json", summary)
    return summary


def _gbif_ids(store_path: Path) -> np.ndarray:
    from herbproc.store.store import open_store

    store = open_store(store_path, variant="raw")
    try:
        return store.gbif_ids
    finally:
        store.close()


# --------------------------------------------------------------------------------------------- report


def _thumb(image: np.ndarray, height: int = 150) -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    return cv2.resize(image, (max(1, round(w * height / h)), height), interpolation=cv2.INTER_AREA)


def worst_classes(per_class: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` classes with the lowest accuracy among those with a misclassified sheet."""
    wrong = per_class[(per_class["support"] > 0) & (per_class["correct"] < per_class["support"])]
    return wrong.sort_values(["accuracy", "support"], ascending=[True, False]).head(n)


def report_section(cfg: Any, assets: Path) -> str:
    import shutil

    out = out_dir(cfg.run_dir)
    m = read_json(out / "metrics.json")
    if not m or not m["images"]:
        return render("evaluate.html.j2", m=m)
    assets = Path(assets)
    assets.mkdir(parents=True, exist_ok=True)
    figures = []
    for name, caption in (
        ("confusion.png", "confusion matrix (rows: true class)"),
        ("reliability.png", "reliability diagram"),
    ):
        if (out / name).exists():
            shutil.copyfile(out / name, assets / f"evaluate_{name}")
            figures.append((f"evaluate_{name}", caption))
    per_class = pd.read_csv(out / "per_class.csv", dtype={"confused_with": str}, keep_default_na=False)
    per_class["accuracy"] = pd.to_numeric(per_class["accuracy"], errors="coerce")
    worst = worst_classes(per_class, int(cfg.evaluate.worst_classes))
    return render(
        "evaluate.html.j2", m=m, figures=figures, worst=_worst_rows(cfg, m, per_class, worst, assets)
    )


def _worst_rows(cfg: Any, m: dict, per_class: pd.DataFrame, worst: pd.DataFrame, assets: Path) -> list[dict]:
    """The worst classes for the report, each with thumbnails (written to ``assets``) of its misclassified sheets."""
    import cv2

    if not len(worst):
        return []
    preds = pd.read_parquet(out_dir(cfg.run_dir) / "predictions.parquet")
    try:
        store = open_run_store(cfg.run_dir)
    except (FileNotFoundError, StoreError):
        store = None
    rows = []
    try:
        for _, c in worst.iterrows():
            sheets = []
            wrong = preds[(preds["label"] == c["label"]) & ~preds["correct"]].head(
                int(cfg.evaluate.samples_per_class)
            )
            if store is not None:
                for _, p in wrong.iterrows():
                    gid = str(p["gbifID"])
                    picture = None
                    if is_safe_id(gid):  # a file name made of data goes through safe_join
                        file = safe_join(assets, f"evaluate_class{int(c['label'])}_{gid}.jpg")
                        variant = m["variant"] if m["variant"] in ("raw", "masked") else None
                        image = _thumb(store.image(int(p["row"]), variant=variant))
                        cv2.imwrite(str(file), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
                        picture = file.name
                    taken = per_class["name"].iloc[int(p["pred"])]
                    sheets.append(
                        {
                            "gbif_id": gid,
                            "picture": picture,
                            "taken": str(taken),
                            "confidence": p["confidence"],
                        }
                    )
            rows.append(
                {
                    "name": str(c["name"]),
                    "support": int(c["support"]),
                    "accuracy": c["accuracy"],
                    "confused_with": str(c["confused_with"]),
                    "sheets": sheets,
                }
            )
    finally:
        if store is not None:
            store.close()
    return rows


STAGE = Stage(NAME, run_shard, validate=validate, report_section=report_section)
