"""The mask section of the run report: numbers, quality against ground truth where the sheets are synthetic,
before / after / mask panels for a few of the run's own sheets."""

from __future__ import annotations

import html
import json
from pathlib import Path

import cv2
import numpy as np

from herbproc.io import read_json
from herbproc.paths import RunPaths, id_path, is_safe_id

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


def _figure(name: str, caption: str) -> str:
    return (f"<figure><img src='{html.escape(name)}' alt='{html.escape(caption)}' style='max-width:100%'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")  # fmt: skip


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
    from herbproc.mask.settings import settings_from
    from herbproc.mask.stage import decode_original, store_dir
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
    from herbproc.mask.settings import settings_from
    from herbproc.mask.stage import decode_original, store_dir
    from herbproc.store.store import open_store

    esc = html.escape
    paths = RunPaths(cfg.run_dir)
    settings = settings_from(cfg)
    summary = read_json(paths.stage_dir("mask") / "summary.json")
    if not summary:
        return "<p>mask has not finished.</p>"
    regions = ", ".join(f"{n} {esc(k)}" for k, n in sorted(summary.get("regions", {}).items())) or "none"
    parts = [
        f"<p>Masked <b>{summary['masked']}</b> of {summary['sheets']} stored sheets ({summary['failed']} failed); "
        f"regions masked: {regions}; on average {summary['mean_masked_share']:.1%} of a sheet, "
        f"{summary['mean_seconds']:.2f} s per sheet. Fill: {esc(settings.fill)}; targets: "
        f"{esc(', '.join(settings.targets))}. Boxes: <code>mask/boxes.parquet</code>.</p>"
    ]
    reasons = summary.get("failures_by_reason") or {}
    if reasons:
        parts.append("<p>Failed: " + ", ".join(f"{esc(k)} {v}" for k, v in reasons.items()) + "</p>")
    try:
        store = open_store(store_dir(cfg), variant="raw")
        flags = store.column("mask_valid").astype(bool)
    except Exception as e:  # the numbers above still stand
        parts.append(f"<p class='note'>store unreadable: {esc(str(e))}</p>")
        return "\n".join(parts)
    try:
        scores = run_scores(cfg, ocr_rows=settings.report_samples)
    except Exception as e:
        scores = None
        parts.append(f"<p class='note'>ground-truth scores failed: {esc(str(e))}</p>")
    if scores is not None:
        parts.append(
            "<p>Against the synthetic ground truth:</p><pre>" + esc("\n".join(scores.lines())) + "</pre>"
        )
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
            from herbproc.mask.fill import apply_fill

            name = _save(
                assets,
                f"mask_sheet_{int(row)}.png",
                panels(original, apply_fill(original, mask, settings), mask),
            )
            parts.append(_figure(name, f"gbifID {store.gbif_ids[row]}: before, after, mask"))
    return "\n".join(parts)
