"""A small labelled run directory from the synthetic herbarium, without the ingest and download stages.

    build_synth_run("/tmp/r", species=5, sheets_per_species=24, canvas=(120, 80))

writes what ``stage=train`` reads: ``manifest.parquet`` (stratified train/val/test split, seeded as ingest does
it), ``classes.csv`` and ``store/`` (the rendered sheets fitted to the canvas; with ``masked=True`` also a
masked copy in which every card, stamp, barcode, ruler and colour chart of the sheet's ground truth is filled
with the paper's colour, and the ``mask`` family marked complete, as stage=mask leaves it). For tests,
benchmarks and experiments on a CPU.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from herbproc.classes import class_table
from herbproc.gbif.split import assign_labels_and_split
from herbproc.io import atomic_write_text
from herbproc.store.layout import ArraySpec, fit_into_canvas
from herbproc.store.store import create_store, open_store
from herbproc.synth import make_world, render_sheet


def oracle_mask(image: np.ndarray, truth: dict, pad: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The sheet with every non-plant object of its ground truth filled with the paper colour, and the mask."""
    h, w = image.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    for obj in truth["objects"]:
        x0, y0, x1, y1 = obj["box"]
        mask[max(0, y0 - pad) : min(h, y1 + pad), max(0, x0 - pad) : min(w, x1 + pad)] = 255
    paper = np.median(image[mask == 0].reshape(-1, 3), axis=0).astype(np.uint8) if (mask == 0).any() else 255
    out = image.copy()
    out[mask > 0] = paper
    return out, mask


def build_synth_run(
    run_dir: str | Path,
    *,
    species: int = 5,
    sheets_per_species: int = 24,
    sheet_size: tuple[int, int] = (450, 300),
    canvas: tuple[int, int] = (120, 80),
    seed: int = 0,
    val_fraction: float = 0.2,
    test_fraction: float = 0.2,
    masked: bool = True,
    backend: str = "zarr",
    codec: str = "png",
    synth: dict | None = None,
    truth: bool = False,
) -> Path:
    """Render ``species * sheets_per_species`` sheets (``sheet_size`` = height, width) into a run directory;
    ``synth``: more ``synth.*`` settings of the world (e.g. ``{"sterile_share": 0}``); ``truth``: also write
    each sheet's ground truth to ``synth/truth/<gbifID>.json``, as stage=synth does."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    height, width = sheet_size
    world = make_world(
        {
            "species": species,
            "sheets_per_species": sheets_per_species,
            "width": width,
            "height": height,
            "seed": seed,
            **(synth or {}),
        }
    )
    records = pd.DataFrame(world.records())
    records["gbifID"] = records["gbifID"].astype(str)
    records["label_name"] = records["species"].astype(str)
    manifest = assign_labels_and_split(records, val=val_fraction, test=test_fraction, seed=seed)
    keep = [
        "gbifID",
        "scientificName",
        "family",
        "genus",
        "species",
        "sheet_index",
        "label",
        "label_name",
        "split",
        "row",
        "reproductiveCondition",
    ]
    manifest[keep].to_parquet(run_dir / "manifest.parquet", index=False)
    class_table(manifest).to_csv(run_dir / "classes.csv", index=False)

    ch, cw = canvas
    store = create_store(
        run_dir / "store", backend=backend, gbif_ids=manifest["gbifID"], labels=manifest["label"],
        height=ch, width=cw, codec=codec,
    )  # fmt: skip
    sheets = {}
    with store.writer("core") as w:
        for row, index in enumerate(manifest["sheet_index"]):
            sheet = render_sheet(world, int(index))
            sheets[row] = sheet
            if truth:
                atomic_write_text(
                    run_dir / "synth" / "truth" / f"{sheet.truth['gbifID']}.json", sheet.truth_json()
                )
            copy, box = fit_into_canvas(sheet.image, ch, cw)
            data = sheet.jpeg_bytes()
            w.put(row, image=copy, original=data, height=height, width=width, nbytes=len(data),
                  sha256=f"{row:064x}", content_type="image/jpeg", image_format="jpeg", orientation=1,
                  box=list(box))  # fmt: skip
    store.mark_complete("core")
    if masked:
        spec = store.layout.arrays["image"]
        store.ensure_array(ArraySpec("image_masked", "pixels", spec.shape, codec=spec.codec, family="mask"))
        store.ensure_array(ArraySpec("mask", "pixels", spec.shape[:2], codec="png", family="mask"))
        with store.writer("mask") as w:
            for row, sheet in sheets.items():
                image, mask = oracle_mask(sheet.image, sheet.truth)
                w.put(
                    row, image_masked=fit_into_canvas(image, ch, cw)[0], mask=fit_into_canvas(mask, ch, cw)[0]
                )
        store.mark_complete("mask")
    store.close()
    open_store(run_dir / "store").close()  # it reads back
    return run_dir
