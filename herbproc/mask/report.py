"""The mask section of the run report: numbers, quality against ground truth where the sheets are synthetic,
before / after / mask panels for a few of the run's own sheets."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from herbproc.io import read_json
from herbproc.paths import RunPaths, id_path, is_safe_id
from herbproc.report.render import render

PANEL_H = 360


def panels(original: np.ndarray, masked: np.ndarray, mask: np.ndarray, height: int = PANEL_H) -> np.ndarray:
    """Before | after | after with the mask outlined in magenta, side by side (RGB)."""
    h, w = original.shape[:2]
    size = (max(1, round(w * height / h)), height)
    before = cv2.resize(original, size, interpolation=cv2.INTER_AREA)
    after = cv2.resize(masked, size, interpolation=cv2.INTER_AREA)
    small = cv2.resize(mask, size, interpolation=cv2.INTER_AREA) >= 128
    outline = after.copy()
    edge = cv2.morphologyEx(small.astype(np.uint8), cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    outline[small] = (outline[small] * 0.6 + np.array([255, 0, 255]) * 0.4).astype(np.uint8)
    outline[edge] = (255, 0, 255)
    gap = np.full((height, 6, 3), 255, np.uint8)
    return np.hstack([before, gap, after, gap, outline])


def _save(assets: Path, name: str, rgb: np.ndarray) -> str:
    assets.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(assets / name), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    return name


def run_scores(cfg, rows: list[int] | None = None, ocr_rows: int = 0):
    """Quality of a run's masks against the synthetic truth (``<run_dir>/synth/truth``): pixel measures for every
    masked sheet with truth, residual text for the first ``ocr_rows`` of them. None when there is no truth."""
    from herbproc.mask.fill import apply_fill
    from herbproc.mask.metrics import (
        SheetScore,
        pixel_scores,
        readable_chars,
        recognise,
        summarise,
        truth_lines,
    )
    from herbproc.mask.stage import store_dir
    from herbproc.schema.mask import settings_from
    from herbproc.store.decode import decode_original
    from herbproc.store.store import open_store

    paths = RunPaths(cfg.run_dir)
    truth_dir = paths.stage_dir("synth") / "truth"
    if not truth_dir.is_dir():
        return None
    settings = settings_from(cfg)
    store = open_store(store_dir(cfg), variant="raw")
    flags, ids = store.column("mask_valid").astype(bool), store.gbif_ids
    scores = []
    for row in rows if rows is not None else np.flatnonzero(flags):
        gid = str(ids[row])
        if not flags[row] or not is_safe_id(gid):
            continue
        tpath, ppath = id_path(truth_dir, gid, ".json"), id_path(paths.stage_dir("synth") / "plantmask", gid, ".png")
        if not tpath.exists() or not ppath.exists():
            continue
        truth = json.loads(tpath.read_text())
        plant = cv2.imread(str(ppath), cv2.IMREAD_GRAYSCALE)
        mask = cv2.imdecode(np.frombuffer(store.read("mask_full", int(row)), np.uint8), cv2.IMREAD_GRAYSCALE)
        px = pixel_scores(truth, plant, mask)
        chars = sum(len("".join(t.split())) for t in truth_lines(truth))
        readable = 0
        if len(scores) < ocr_rows:
            original = decode_original(store.original(int(row)), int(settings.max_pixels))
            readable = readable_chars(truth_lines(truth), recognise(apply_fill(original, mask, settings)))[0]
        elif ocr_rows:
            chars = 0  # not read: leave it out of the text measure
        scores.append(SheetScore(gid, chars=chars, chars_readable=readable, masked_share=float((mask > 0).mean()),
                                 seconds=0.0, **px))  # fmt: skip
    return summarise(scores) if scores else None


def report_section(cfg, assets: Path) -> str:
    from herbproc.mask.fill import apply_fill
    from herbproc.mask.stage import store_dir
    from herbproc.schema.mask import settings_from
    from herbproc.store.decode import decode_original
    from herbproc.store.store import open_store

    paths = RunPaths(cfg.run_dir)
    settings = settings_from(cfg)
    summary = read_json(paths.stage_dir("mask") / "summary.json")
    context: dict = {"summary": summary, "fill": settings.fill, "targets": settings.targets, "regions": [],
                     "reasons": [], "store_error": None, "scores_error": None, "scores": None, "panels": []}  # fmt: skip
    if not summary:
        return render("mask.html.j2", **context)
    context["regions"] = sorted(summary.get("regions", {}).items())
    context["reasons"] = list((summary.get("failures_by_reason") or {}).items())
    try:
        store = open_store(store_dir(cfg), variant="raw")
        flags = store.column("mask_valid").astype(bool)
    except Exception as e:  # the numbers above still stand
        return render("mask.html.j2", **{**context, "store_error": str(e)})
    try:
        scores = run_scores(cfg, ocr_rows=settings.report_samples)
    except Exception as e:
        scores = None
        context["scores_error"] = str(e)
    context["scores"] = scores.lines() if scores is not None else None
    figures = []
    masked_rows = np.flatnonzero(flags)
    if len(masked_rows) and settings.report_samples:
        picks = masked_rows[
            np.linspace(0, len(masked_rows) - 1, min(settings.report_samples, len(masked_rows))).astype(int)
        ]
        for row in picks:
            original = decode_original(store.original(int(row)), int(settings.max_pixels))
            mask = cv2.imdecode(
                np.frombuffer(store.read("mask_full", int(row)), np.uint8), cv2.IMREAD_GRAYSCALE
            )
            name = _save(
                assets,
                f"mask_sheet_{int(row)}.png",
                panels(original, apply_fill(original, mask, settings), mask),
            )
            figures.append((name, f"gbifID {store.gbif_ids[row]}: before, after, mask"))
    return render("mask.html.j2", **{**context, "panels": figures})
