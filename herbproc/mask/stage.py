"""``stage=mask``: mask every stored sheet, shard by shard, beside the originals (which are never modified).

Per row of the store (family ``mask``, written block by block, data before the ``mask_valid`` flag):

- ``image_masked``: the masked sheet as a training copy (same geometry and codec as ``image``); the trainer reads
  it through ``open_store(path, variant="masked")`` (``auto`` picks it once this stage has finished);
- ``mask``: the binary mask fitted the same way (255 = masked), PNG;
- ``mask_full``: the mask at the original's resolution, PNG bytes (original + mask = the masked sheet);
- ``mask_detections``: what ``herbproc.sheet.detect`` found, JSON (regions with kind and score, text lines in
  reading order, full-resolution pixels of the EXIF-oriented original).

``finalize`` writes ``<run_dir>/mask/boxes.parquet`` (one row per region and text line, keyed by gbifID) and
``mask/summary.json``, and marks the store's ``mask`` family complete. A sheet whose bytes do not decode fails with
reason ``decode_error``; one with more than ``mask.max_pixels`` pixels fails with ``too_large`` before decoding.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from herbproc.io import atomic_path, atomic_write_json
from herbproc.mask.masker import MaskResult, mask_image
from herbproc.membudget import decode_limit
from herbproc.paths import RunPaths
from herbproc.schema.mask import settings_from
from herbproc.shard import (
    Shard,
    ShardError,
    ShardResult,
    journal_records,
    planned_shards,
    run_batches,
)
from herbproc.sheet.textdet import DetectorMissing, get_detector, model_path
from herbproc.stages import Stage
from herbproc.store.decode import decode_original
from herbproc.store.layout import ArraySpec, StoreError, fit_into_canvas
from herbproc.store.store import ImageStore, open_store, require_stored_images

log = logging.getLogger("herbproc.mask")
NAME = "mask"
FAMILY = "mask"
BOX_COLUMNS = [
    "gbifID",
    "row",
    "element",
    "index",
    "kind",
    "region",
    "order",
    "score",
    "x0",
    "y0",
    "x1",
    "y1",
    "polygon",
]


def store_dir(cfg) -> Path:
    return RunPaths(cfg.run_dir).store


def validate(cfg) -> None:
    settings_from(cfg)
    try:
        model_path()
    except DetectorMissing as e:
        raise ValueError(str(e)) from None


# --------------------------------------------------------------------------------------------- the store


def mask_arrays(store: ImageStore) -> list[ArraySpec]:
    image = store.layout.arrays["image"]
    h, w = store.layout.height, store.layout.width
    return [
        ArraySpec(
            "image_masked",
            "pixels",
            [h, w, 3],
            codec=image.codec,
            quality=image.quality,
            level=image.level,
            family=FAMILY,
            description="training copy of the masked sheet (as image)",
        ),  # fmt: skip
        ArraySpec(
            "mask",
            "pixels",
            [h, w],
            codec="png",
            family=FAMILY,
            description="mask fitted as image, 255 = masked",
        ),
        ArraySpec("mask_full", "bytes", family=FAMILY, description="mask at the original's resolution, PNG"),
        ArraySpec("mask_detections", "text", family=FAMILY, description="regions and text lines found, JSON"),
    ]


def open_for_masking(cfg) -> ImageStore:
    try:
        store = open_store(store_dir(cfg), variant="raw", writable=True)
    except StoreError as e:
        raise ShardError(f"stage=mask needs the run's store: {e}") from None
    if "core" not in store.layout.complete:
        raise ShardError(f"{store.path}: the download has not finished (run stage=download to the end first)")
    for spec in mask_arrays(store):
        store.ensure_array(spec)
    return store


def training_copies(store: ImageStore, result: MaskResult) -> tuple[np.ndarray, np.ndarray]:
    lay = store.layout
    copy, _ = fit_into_canvas(result.masked, lay.height, lay.width, lay.pad_value)
    soft, _ = fit_into_canvas(result.mask, lay.height, lay.width, 0)
    return copy, np.where(soft >= 128, 255, 0).astype(np.uint8)


def png_bytes(mask: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", mask, [cv2.IMWRITE_PNG_COMPRESSION, 6, cv2.IMWRITE_PNG_BILEVEL, 1])
    if not ok:
        raise ValueError("PNG encoding of the mask failed")
    return buf.tobytes()


class Masker:
    """The per-shard machinery: settings, one detector session, the store writer of the shard's blocks."""

    def __init__(self, cfg, store: ImageStore, rows: range):
        self.settings = settings_from(cfg)
        threads = int(self.settings.threads) or max(1, int(cfg.stage.cpus))
        cv2.setNumThreads(threads)  # OpenCV would otherwise use every core of a shared node
        self.detector = get_detector(threads)
        self.store = store
        self.writer = store.writer(FAMILY, rows=rows)
        self.max_bytes = decode_limit(cfg)

    def one(self, item: dict) -> dict:
        t0 = time.perf_counter()
        image = decode_original(
            self.store.original(item["row"]), int(self.settings.max_pixels), self.max_bytes, "mask.max_pixels"
        )
        result = mask_image(image, self.settings, self.detector)
        copy, small_mask = training_copies(self.store, result)
        self.writer.put(
            item["row"],
            image_masked=copy,
            mask=small_mask,
            mask_full=png_bytes(result.mask),
            mask_detections=result.detections.dumps(),
        )
        kinds = Counter(result.detections.regions[i].kind for i in result.targeted)
        return {
            "masked_share": round(result.masked_share, 5),
            "regions": dict(kinds),
            "lines": len(result.detections.lines),
            "seconds": round(time.perf_counter() - t0, 3),
        }

    def process_batch(self, batch: list[dict]) -> list[dict | BaseException]:
        outcomes: list[dict | BaseException] = []
        for item in batch:
            try:
                outcomes.append(self.one(item))
            except Exception as e:  # ItemError and the unexpected alike become this item's outcome
                outcomes.append(e)
        return outcomes  # buffered: run_batches settles (flushes) each block before journaling its rows

    def block_of(self, item: dict) -> int:
        return item["row"] // self.store.block


def run_shard(cfg, shard: Shard) -> ShardResult:
    store = open_for_masking(cfg)
    require_stored_images(store, "mask")
    rows = store.owned_rows(shard)
    valid, ids = store.valid, store.gbif_ids
    items = [{"row": r, "gbifID": str(ids[r])} for r in rows if valid[r]]
    log.info("[mask %s] rows %d-%d: %d sheets stored", shard.name, rows.start, rows.stop - 1, len(items))
    masker = Masker(cfg, store, rows)
    result = run_batches(
        cfg,
        shard,
        items,
        masker.process_batch,
        batch_size=int(masker.settings.batch_size),
        item_id=lambda it: it["gbifID"],
        group=masker.block_of,
        settle=masker.writer.flush,
    )
    _touch_blocks(store, rows)
    result.items = len(rows)
    result.skipped += len(rows) - len(items)
    return result


def _touch_blocks(store: ImageStore, rows: range) -> None:
    """Every block of the shard gets its mask arrays written (with flag 0 where nothing was masked), so that a
    block of failed or missing sheets is still complete in an HDF5 store."""
    flags = store.column("mask_valid")
    writer = store.writer(FAMILY, rows=rows)
    for start in range(rows.start, rows.stop, store.block):
        block = range(start, min(rows.stop, start + store.block))
        if not any(flags[r] for r in block):
            writer.put(block.start, mask_valid=0)
    writer.flush()


# --------------------------------------------------------------------------------------------- finalize


BOX_SCHEMA = pa.schema(
    [("gbifID", pa.string()), ("row", pa.int64()), ("element", pa.string()), ("index", pa.int64()),
     ("kind", pa.string()), ("region", pa.int64()), ("order", pa.int64()), ("score", pa.float64()),
     ("x0", pa.float64()), ("y0", pa.float64()), ("x1", pa.float64()), ("y1", pa.float64()),
     ("polygon", pa.string())]
)  # fmt: skip


def write_boxes(store: ImageStore, target: Path) -> tuple[Counter[str], int]:
    """``target`` (atomically): ``boxes_table`` written block by block, so that a million sheets' regions and
    lines (tens of millions of rows) are never in memory at once. Returns the count of regions by kind and the
    number of sheets whose stored detections could not be read (left out, each named in the log)."""
    flags = store.column("mask_valid")
    kinds: Counter[str] = Counter()
    unreadable = 0
    with atomic_path(target) as tmp, pq.ParquetWriter(tmp, BOX_SCHEMA) as writer:
        for start in range(0, len(flags), store.block):
            rows = np.flatnonzero(flags[start : start + store.block]) + start
            columns, bad = box_columns(store, rows)
            unreadable += bad
            if columns["row"]:
                writer.write_table(pa.Table.from_pydict(columns, schema=BOX_SCHEMA))
                regions = [
                    k for k, e in zip(columns["kind"], columns["element"], strict=True) if e == "region"
                ]
                kinds.update(regions)
    return kinds, unreadable


def boxes_table(store: ImageStore, rows: np.ndarray | None = None) -> pd.DataFrame:
    """One row per region and per text line of every masked sheet (full-resolution pixels); of ``rows`` only,
    when given (masked ones). A sheet whose stored detections are not readable JSON is left out."""
    rows = np.flatnonzero(store.column("mask_valid")) if rows is None else rows
    return pd.DataFrame(box_columns(store, rows)[0], columns=BOX_COLUMNS)


def box_columns(store: ImageStore, rows: np.ndarray) -> tuple[dict[str, list[Any]], int]:
    """``boxes_table``'s columns for ``rows``, their detections read in one call, and how many of them were
    unreadable."""
    ids = store.gbif_ids
    rows = np.asarray(rows, np.int64)
    texts = store.values("mask_detections", rows) if len(rows) else []
    cols: dict[str, list[Any]] = {c: [] for c in BOX_COLUMNS}
    unreadable = 0
    for row, text in zip(rows.tolist(), texts, strict=True):
        try:
            elements = sheet_elements(json.loads(text or "{}"))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as e:
            unreadable += 1
            log.warning(
                "mask: row %d (gbifID %s): stored detections not readable (%s), no boxes", row, ids[row], e
            )
            continue
        gid = str(ids[row])
        for element in elements:
            cols["gbifID"].append(gid)
            cols["row"].append(row)
            for name, value in zip(ELEMENT_COLUMNS, element, strict=True):
                cols[name].append(value)
    return cols, unreadable


ELEMENT_COLUMNS = BOX_COLUMNS[2:]  # what ``sheet_elements`` gives for each region and line


def sheet_elements(d: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each region and text line of one sheet's detections as the values of ``ELEMENT_COLUMNS``."""
    regions, lines = d.get("regions", []), d.get("lines", [])
    order = {k: pos for r in regions for pos, k in enumerate(r["lines"])}
    described = [("region", i, e, e["kind"], -1, -1) for i, e in enumerate(regions)]
    described += [
        ("line", i, e, "text_line", int(e["region"]), order.get(i, -1)) for i, e in enumerate(lines)
    ]
    out = []
    for element, i, e, kind, region, pos in described:
        xs, ys = [float(p[0]) for p in e["polygon"]], [float(p[1]) for p in e["polygon"]]
        out.append((element, i, kind, region, pos, float(e["score"]), min(xs), min(ys), max(xs), max(ys),
                    json.dumps(e["polygon"])))  # fmt: skip
    return out


def finalize(cfg) -> None:
    paths = RunPaths(cfg.run_dir)
    try:
        store = open_store(store_dir(cfg), variant="raw", writable=True)
    except StoreError as e:
        raise ShardError(f"mask finished but the store cannot be opened: {e}") from None
    target = paths.stage_dir(NAME) / "boxes.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    regions, unreadable = write_boxes(store, target)
    store.mark_complete(FAMILY)
    flags = store.column("mask_valid").astype(bool)
    n, share_sum, seconds_sum = _journal_sums(cfg)
    failures = paths.failures(NAME)
    by_reason = pd.read_parquet(failures)["reason"].value_counts().to_dict() if failures.exists() else {}
    summary = {
        "sheets": int(store.valid.sum()),
        "masked": int(flags.sum()),
        "failed": int(sum(by_reason.values())),
        "failures_by_reason": {str(k): int(v) for k, v in by_reason.items()},
        "regions": {str(k): int(v) for k, v in regions.most_common()},
        "unreadable_detections": unreadable,  # masked sheets whose stored detections gave no boxes (logged)
        "mean_masked_share": round(share_sum / n, 5) if n else 0.0,
        "mean_seconds": round(seconds_sum / n, 4) if n else 0.0,
        "settings": dict(settings_from(cfg).__dict__),
        "time": time.time(),
    }
    atomic_write_json(paths.stage_dir(NAME) / "summary.json", summary)
    log.info(
        "mask: %d of %d stored sheets masked, %d failed",
        summary["masked"],
        summary["sheets"],
        summary["failed"],
    )


def _journal_sums(cfg) -> tuple[int, float, float]:
    """How many sheets every shard's journal kept as masked, and the sums of their masked shares and seconds
    (one shard's records in memory at a time)."""
    count = planned_shards(cfg)
    n, share, seconds = 0, 0.0, 0.0
    for i in range(count):
        for r in journal_records(Shard(NAME, i, count, str(cfg.run_dir))).values():
            n += 1
            share += float(r.get("masked_share", 0.0))
            seconds += float(r.get("seconds", 0.0))
    return n, share, seconds


def report_section(cfg, assets: Path) -> str:
    """The report stage's hook: see ``herbproc.mask.report``."""
    from herbproc.mask.report import report_section as section

    return section(cfg, assets)


STAGE = Stage(NAME, run_shard, finalize=finalize, validate=validate, report_section=report_section)
