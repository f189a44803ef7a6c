"""``stage=export format=cub``: the store as a CUB_200_2011 folder, so the official IELT code trains on our data.

    <out>/images.txt               <id> <class folder>/<file>        (ids from 1)
    <out>/image_class_labels.txt   <id> <class>                      (classes from 1)
    <out>/train_test_split.txt     <id> <1 = train, 0 = test>
    <out>/classes.txt              <class> <class folder>            (no spaces: "001.Quercus_alba")
    <out>/images/<class folder>/<gbifID>.jpg
    <out>/attribution.csv          id, gbifID, row, label_name, split, license, rightsHolder, identifier

The folder is built beside ``<out>`` and renamed into place, so a failed export leaves the old one whole. An
existing ``<out>`` is replaced only when it carries the marker of an earlier export (``herbproc.io.replace_folder``);
file names made of gbifIDs go through ``herbproc.paths.id_path``, which refuses ids that would leave the folder.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import cv2
import pandas as pd

from herbproc.classes import UNNAMED_LABEL
from herbproc.io import ForeignFolderError, replace_folder
from herbproc.manifest import load_manifest
from herbproc.paths import RunPaths, UnsafePathError, id_path
from herbproc.shard import Shard, ShardError, ShardResult
from herbproc.store.store import ImageStore, open_store

log = logging.getLogger("herbproc.export")
FORMATS = ("cub",)
EXTENSIONS = {
    "jpeg": ".jpg",
    "png": ".png",
    "gif": ".gif",
    "tiff": ".tif",
    "bmp": ".bmp",
    "webp": ".webp",
    "jp2": ".jp2",
}


def validate(cfg) -> None:
    if cfg.format not in FORMATS:
        raise ValueError(f"wrong value for 'format': '{cfg.format}' (choices: {', '.join(FORMATS)})")


def class_folder(label: int, name: str, width: int) -> str:
    """``001.Quercus_alba``: CUB's style, with nothing a space-splitting reader would trip on."""
    safe = re.sub(r"[^0-9A-Za-z._-]+", "_", name.strip()).strip("_") or "class"
    return f"{label + 1:0{width}d}.{safe}"


def out_dir(cfg) -> Path:
    return (
        Path(cfg.export.out).expanduser()
        if cfg.export.out
        else RunPaths(cfg.run_dir).stage_dir("export") / cfg.format
    )


def export_cub(cfg, store: ImageStore, manifest: pd.DataFrame, out: Path) -> dict:
    e = cfg.export
    variant = None if e.images == "original" else e.variant
    if variant == "masked" or (variant == "auto" and store.variant == "masked"):
        ok = store.valid_for("masked")
        variant = "masked"
    else:
        ok = store.valid
        variant = "raw" if variant else None
    manifest = manifest[manifest["label"] != UNNAMED_LABEL]  # a record kept without a name is in no class
    rows = manifest[(manifest["row"].map(lambda r: bool(ok[int(r)])))]
    if e.val_as == "skip":
        rows = rows[rows["split"] != "val"]
    if len(rows) == 0:
        raise ShardError(f"nothing to export: no row of {store.path} with a class has a stored image")
    labels = sorted(manifest["label"].unique())
    names = manifest.drop_duplicates("label").set_index("label")["label_name"]
    width = max(3, len(str(len(labels))))
    folders = {int(lab): class_folder(int(lab), str(names[lab]), width) for lab in labels}
    meta = store.metadata().set_index("row")
    info = {"format": "cub", "run_dir": str(RunPaths(cfg.run_dir).root), "time": time.time()}
    try:
        with replace_folder(out, info, key="export.out") as tmp:
            images, split_lines = _write_cub(cfg, store, rows, folders, meta, variant, tmp)
    except (ForeignFolderError, UnsafePathError) as err:
        raise ShardError(str(err)) from None
    n_train = sum(1 for line in split_lines if line.endswith(" 1"))
    return {
        "images": len(images),
        "train": n_train,
        "test": len(images) - n_train,
        "classes": len(folders),
        "variant": variant or "original",
    }


def _write_cub(cfg, store: ImageStore, rows: pd.DataFrame, folders: dict, meta: pd.DataFrame, variant, tmp: Path):
    """Write the images and the CUB tables into ``tmp``; returns the images.txt and split lines."""
    e = cfg.export
    images, class_lines, split_lines, attribution = [], [], [], []
    for k, r in enumerate(rows.itertuples(index=False), start=1):
        row = int(r.row)
        folder = folders[int(r.label)]
        if e.images == "original":
            data = store.original(row)
            ext = EXTENSIONS.get(str(meta.at[row, "image_format"]), ".img")
        else:
            rgb = store.image(row, variant=variant)
            ok_enc, buf = cv2.imencode(
                ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, e.jpeg_quality]
            )
            if not ok_enc:
                raise ShardError(f"JPEG encoding of row {row} failed")
            data, ext = buf.tobytes(), ".jpg"
        target = id_path(tmp / "images", str(r.gbifID), ext, folder)  # refuses ids that would leave tmp
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        name = f"{folder}/{target.name}"
        train = 1 if r.split == "train" or (r.split == "val" and e.val_as == "train") else 0
        images.append(f"{k} {name}")
        class_lines.append(f"{k} {int(r.label) + 1}")
        split_lines.append(f"{k} {train}")
        attribution.append(
            {
                "id": k,
                "gbifID": r.gbifID,
                "row": row,
                "label_name": r.label_name,
                "split": r.split,
                "license": getattr(r, "license", ""),
                "rightsHolder": getattr(r, "rightsHolder", ""),
                "identifier": getattr(r, "identifier", ""),
            }
        )
    (tmp / "images.txt").write_text("\n".join(images) + "\n")
    (tmp / "image_class_labels.txt").write_text("\n".join(class_lines) + "\n")
    (tmp / "train_test_split.txt").write_text("\n".join(split_lines) + "\n")
    (tmp / "classes.txt").write_text("\n".join(f"{lab + 1} {folders[lab]}" for lab in folders) + "\n")
    pd.DataFrame(attribution).to_csv(tmp / "attribution.csv", index=False)
    return images, split_lines


def run_shard(cfg, shard: Shard) -> ShardResult:
    t0 = time.monotonic()
    manifest = load_manifest(cfg.run_dir)
    store = open_store(
        RunPaths(cfg.run_dir).store, variant="raw" if cfg.export.variant == "raw" else "auto"
    )
    out = out_dir(cfg)
    info = export_cub(cfg, store, manifest, out)
    log.info(
        "export: %d images (%d train, %d test) in %d classes to %s",
        info["images"],
        info["train"],
        info["test"],
        info["classes"],
        out,
    )
    return ShardResult(
        shard.stage,
        shard.index,
        shard.count,
        items=len(manifest),
        done=info["images"],
        seconds=time.monotonic() - t0,
        extra={**info, "out": str(out)},
    )
