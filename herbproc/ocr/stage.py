"""``stage=ocr``: read every stored sheet's labels into Darwin Core fields, shard by shard, resumably.

Items are the manifest's rows. Each batch of ``ocr.batch_size`` sheets: the original bytes from the store
(full resolution, EXIF-oriented), the mask stage's detections when the store has them (else ``detect`` here),
the label lines cut out and read by the configured engines (the lines of the whole batch share the engines'
batches), fields and taxon per sheet (with the classifier's top-k as a prior when predictions exist). What a
sheet yields is kept in the shard's journal, so a resumed shard keeps its earlier results; ``finalize`` merges the
journals into ``ocr/results.parquet`` (everything, nested lines) and ``ocr/occurrences.csv`` (Darwin Core).

A sheet without a label gives a row with empty fields (``status`` ``no_label``); a sheet that does not decode
fails with reason ``decode_error``; a row the download never stored fails with ``no_image``.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from herbproc.classes import UNNAMED_LABEL
from herbproc.fields import DWC_TERMS
from herbproc.fields.collectors import CollectorIndex
from herbproc.io import atomic_path, atomic_write_json
from herbproc.manifest import load_manifest, load_shard_manifest, manifest_columns
from herbproc.membudget import decode_limit
from herbproc.ocr.agreement import Agreement, disagreements_csv, record_columns
from herbproc.ocr.engines import EngineError, check_engines
from herbproc.ocr.inputs import check_predictions, default_predictions, load_predictions, taxonomy
from herbproc.ocr.reader import LabelReader
from herbproc.ocr.results import SCHEMA, journal_table, write_occurrences
from herbproc.ocr.settings import ocr_settings
from herbproc.paths import RunPaths
from herbproc.shard import (
    ItemError,
    Journal,
    Shard,
    ShardError,
    ShardResult,
    planned_shards,
    run_batches,
)
from herbproc.sheet.detect import Detections
from herbproc.stages import Stage
from herbproc.store.decode import decode_original
from herbproc.store.layout import StoreError
from herbproc.store.store import ImageStore, open_store, require_stored_images

log = logging.getLogger("herbproc.ocr")
NAME = "ocr"


def store_dir(cfg) -> Path:
    return RunPaths(cfg.run_dir).store


def threads_of(cfg) -> int:
    threads = int(cfg.ocr.threads)
    return threads if threads > 0 else max(1, int(cfg.stage.cpus))


def validate(cfg) -> None:
    """Bad settings, a missing names or predictions file, an engine that cannot run here: one line, exit 2."""
    settings = ocr_settings(cfg)
    try:
        check_engines(settings)
    except EngineError as e:
        raise ValueError(str(e)) from None
    if settings.names_file:
        taxonomy(settings.names_file, None)
    if settings.collectors_file:
        CollectorIndex.from_file(settings.collectors_file)  # ValueError: not text, or nobody in it
    if settings.predictions:
        check_predictions(settings.predictions)


def predictions_path(cfg) -> Path | None:
    settings = cfg.ocr
    if not settings.use_prior:
        return None
    path = (
        Path(settings.predictions).expanduser() if settings.predictions else default_predictions(cfg.run_dir)
    )
    return path if path.exists() else None


class ShardReader:
    """Reads a shard's sheets batch by batch; holds the store, the reader and the priors."""

    def __init__(
        self,
        cfg,
        store: ImageStore,
        manifest: pd.DataFrame,
        ids: Collection[str] | None = None,
        collectors: CollectorIndex | None = None,
    ):
        self.settings = ocr_settings(cfg)
        self.store = store
        self.names = taxonomy(self.settings.names_file, manifest)
        pred = predictions_path(cfg)
        self.priors = load_predictions(pred, ids) if pred is not None else {}
        if pred is not None:
            log.info("ocr: classifier prior from %s (%d sheets)", pred, len(self.priors))
        try:
            self.reader = LabelReader(
                self.settings,
                names=self.names,
                collectors=collectors,
                mask_settings=cfg.get("mask"),
                threads=threads_of(cfg),
            )
        except EngineError as e:
            raise ShardError(str(e)) from None
        # a record without a name: its label's name need not be among the classes', and a closed list then
        # names a wrong one (docs/ocr.md); the same engines read it without the taxonomy
        self.open_reader = self.reader
        if self.reader.names is not None and not self.settings.unnamed_taxonomy:
            self.open_reader = LabelReader(
                self.settings,
                collectors=self.reader.collectors,
                mask_settings=cfg.get("mask"),
                engines=self.reader.engines,
                threads=threads_of(cfg),
            )
        arrays = store.layout.arrays
        self.reuse = (
            bool(self.settings.reuse_detections) and "mask_detections" in arrays and "mask_valid" in arrays
        )
        self.valid = store.valid
        self.max_bytes = decode_limit(cfg)
        self.masked = store.column("mask_valid").astype(bool) if self.reuse else None

    def load(self, item: dict[str, Any]) -> tuple[Any, Detections | None]:
        row = int(item["row"])
        if not self.valid[row]:
            raise ItemError("no_image", "the store holds no image for this row (its download failed)")
        image = decode_original(self.store.original(row), int(self.settings.max_pixels), self.max_bytes, "ocr.max_pixels")
        detections = None
        if self.masked is not None and self.masked[row]:
            detections = stored_detections(self.store.read("mask_detections", row), image.shape)
        return image, detections

    def process_batch(self, batch: list[dict[str, Any]]) -> list[dict[str, Any] | BaseException]:
        outcomes: list[dict[str, Any] | BaseException | None] = [None] * len(batch)
        named = [k for k, item in enumerate(batch) if not item.get("unnamed")]
        unnamed = [k for k, item in enumerate(batch) if item.get("unnamed")]
        self.read_into(self.reader, batch, named, outcomes)
        self.read_into(self.open_reader, batch, unnamed, outcomes)
        return outcomes  # type: ignore[return-value]

    def read_into(
        self, reader: LabelReader, batch: list[dict[str, Any]], which: list[int], outcomes: list
    ) -> None:
        """Read the items ``which`` of ``batch`` with ``reader``; each one's record or error into ``outcomes``."""
        images, dets, priors, where = [], [], [], []
        for k in which:
            item = batch[k]
            try:
                image, det = self.load(item)
            except ItemError as e:
                outcomes[k] = e
                continue
            images.append(image)
            dets.append(det)
            priors.append(self.priors.get(item["gbifID"]))
            where.append(k)
        if images:
            for k, result in zip(where, reader.read_many(images, priors, dets), strict=True):
                if batch[k].get("genus"):
                    result = reader.with_record_genus(result, batch[k]["genus"])
                record = result.to_json()
                record["engine"] = reader.engine_name
                record["status"] = "ok" if result.lines else "no_label"
                outcomes[k] = record


def shard_items(manifest: pd.DataFrame, shard: Shard | None = None) -> list[dict[str, Any]]:
    """The shard's items; ``manifest`` holds the shard's rows already when ``shard`` is None. An item of a record
    kept without a name (``label`` -1, where the manifest has labels) is marked ``unnamed``, with the ``genus`` its
    record gives, if any."""
    labels = manifest["label"] if "label" in manifest.columns else [None] * len(manifest)
    genera = manifest["genus"] if "genus" in manifest.columns else [None] * len(manifest)
    rows = [
        {"row": int(r), "gbifID": str(g)}
        | ({"unnamed": True} if lab == UNNAMED_LABEL else {})
        | ({"genus": str(genus).strip()} if lab == UNNAMED_LABEL and isinstance(genus, str) and genus.strip() else {})
        for r, g, lab, genus in zip(manifest["row"], manifest["gbifID"], labels, genera, strict=True)
    ]
    return rows if shard is None else list(shard.select(rows))


NAME_COLUMNS = ("scientificName", "label_name")  # the manifest's columns ``taxonomy`` may read


def class_names(run_dir, columns: list[str], have: list[str]) -> pd.DataFrame:
    """The manifest's ``columns`` over the records with a class. A record kept without a name
    (``ingest.keep_unnamed``) has at most a genus or a family ("Carex L.", "Asteraceae"), which would become names
    of the taxonomy: it is the classes' names, as without that setting."""
    if not columns or "label" not in have:
        return load_manifest(run_dir, columns=columns)
    manifest = load_manifest(run_dir, columns=[*columns, "label"])
    return manifest[manifest["label"] != UNNAMED_LABEL].drop(columns="label").reset_index(drop=True)


def record_collectors(cfg, have: list[str]) -> CollectorIndex | None:
    """``ocr.record_collectors``: the people of the run's records' ``recordedBy`` values (every record's, named or
    not), as the list of collectors; None without the setting, with ``ocr.collectors_file`` (the reader loads
    that), or when no record names a collector."""
    settings = ocr_settings(cfg)
    if not settings.record_collectors or settings.collectors_file or "recordedBy" not in have:
        return None
    values = load_manifest(cfg.run_dir, columns=["recordedBy"])["recordedBy"].dropna().astype(str).unique()
    index = CollectorIndex(values)
    log.info("ocr: %d collectors from the records' recordedBy", len(index))
    return index if len(index) else None


def load_inputs(cfg, shard: Shard) -> tuple[pd.DataFrame, pd.DataFrame, ImageStore]:
    """The shard's manifest rows (read row group by row group), the whole manifest's name columns (the
    taxonomy is the run's, not the shard's; none when ``ocr.names_file`` is given) and the image store."""
    try:
        have = manifest_columns(cfg.run_dir)
        # label: the unnamed records; genus: what such a record gives of its name
        columns = ["row", "gbifID", *(c for c in ("label", "genus") if c in have)]
        part = load_shard_manifest(cfg.run_dir, shard, columns=columns)
        names = [] if ocr_settings(cfg).names_file else [c for c in NAME_COLUMNS if c in have]
        manifest = class_names(cfg.run_dir, names, have)
    except FileNotFoundError as e:
        raise ShardError(str(e)) from None
    try:
        store = open_store(store_dir(cfg), variant="raw")
    except (StoreError, FileNotFoundError) as e:
        raise ShardError(
            f"cannot open the image store {store_dir(cfg)}: {e} (run stage=download first)"
        ) from None
    return part, manifest, store


def run_shard(cfg, shard: Shard) -> ShardResult:
    part, manifest, store = load_inputs(cfg, shard)
    require_stored_images(store, "ocr")
    items = shard_items(part)
    collectors = record_collectors(cfg, manifest_columns(cfg.run_dir))
    reader = ShardReader(cfg, store, manifest, ids=[it["gbifID"] for it in items], collectors=collectors)
    result = run_batches(
        cfg,
        shard,
        items,
        reader.process_batch,
        batch_size=int(cfg.ocr.batch_size),
        item_id=lambda it: it["gbifID"],
    )
    result.extra.update({"engine": reader.reader.engine_name, "prior_sheets": len(reader.priors)})
    return result


SUMMARY_COLUMNS = ["gbifID", "status", "prior_used", "taxon_source", "collector_source", *DWC_TERMS]


class Tally:
    """The summary's counts, added up shard by shard."""

    def __init__(self, nameless: set[str]):
        self.nameless = nameless
        self.read = self.no_label = self.unnamed_read = self.unnamed_named = 0
        self.filled: Counter[str] = Counter()
        self.sources: Counter[str] = Counter()
        self.collectors: Counter[str] = Counter()
        self.prior_used = self.rules = False

    def add(self, table: pd.DataFrame) -> None:
        self.read += len(table)
        self.no_label += int((table["status"] == "no_label").sum())
        self.filled.update({t: int((table[t] != "").sum()) for t in DWC_TERMS})
        self.sources.update(table.loc[table["taxon_source"] != "", "taxon_source"].tolist())
        self.collectors.update(table.loc[table["collector_source"] != "", "collector_source"].tolist())
        self.prior_used |= bool(table["prior_used"].any())
        self.rules |= bool((table["taxon_source"] == "rules").any())
        if self.nameless:
            mine = table[table["gbifID"].isin(self.nameless)]
            self.unnamed_read += len(mine)
            self.unnamed_named += int((mine["scientificName"] != "").sum())


def merge_journals(cfg, parquet: Path, tally: Tally, agreement: Agreement | None = None) -> None:
    """``parquet`` (atomically) from every shard's journal, shard by shard in manifest order: one shard's
    results are in memory at a time, never the run's (a million sheets' lines would not fit). ``agreement``
    compares them with the records' own values as it goes."""
    paths = RunPaths(cfg.run_dir)
    count = planned_shards(cfg)
    own = record_columns(manifest_columns(cfg.run_dir)) if agreement is not None else []
    compared = ["gbifID", *DWC_TERMS, *(f"{t}_confidence" for t in DWC_TERMS)]
    with atomic_path(parquet) as tmp, pq.ParquetWriter(tmp, SCHEMA) as writer:
        for i in range(count):
            shard = Shard(NAME, i, count, str(paths.root))
            rows = load_shard_manifest(cfg.run_dir, shard, columns=["row", "gbifID", *own])
            position = dict(zip(rows["gbifID"].astype(str), rows["row"].astype(int), strict=True))
            table = journal_table(Journal(paths.journal(NAME, i)).iter_entries(), position)
            if table.num_rows:
                writer.write_table(table)
                tally.add(table.select(SUMMARY_COLUMNS).to_pandas())
                if agreement is not None and own:
                    agreement.add(table.select(compared).to_pandas(), rows)


def finalize(cfg) -> None:
    """Merge the shards' journals into ocr/results.parquet and ocr/occurrences.csv, and write ocr/summary.json
    (with accuracy figures where synthetic ground truth exists)."""
    from herbproc.ocr.evaluate import evaluate_run, load_truth

    paths = RunPaths(cfg.run_dir)
    out = paths.stage_dir(NAME)
    out.mkdir(parents=True, exist_ok=True)
    have = manifest_columns(cfg.run_dir)
    manifest = load_manifest(cfg.run_dir, columns=["gbifID", *(["label"] if "label" in have else [])])
    nameless: set[str] = set()
    if "label" in manifest.columns:
        nameless = set(manifest.loc[manifest["label"] == UNNAMED_LABEL, "gbifID"].astype(str))
    tally = Tally(nameless)
    parquet = out / "results.parquet"
    with disagreements_csv(out / "disagreements.csv") as agreement:
        merge_journals(cfg, parquet, tally, agreement)
    # names partly or wholly from the image, or read without a list of names, carry a remark: the column is there
    # whenever that can happen
    remarks = bool(cfg.ocr.image_fallback) or tally.prior_used or tally.rules
    write_occurrences(parquet, out / "occurrences.csv", float(cfg.ocr.min_confidence), remarks=remarks)
    summary: dict[str, Any] = {
        "sheets": len(manifest),
        "read": tally.read,
        "no_label": tally.no_label,
        "filled": {t: tally.filled[t] for t in DWC_TERMS} if tally.read else {},
        "taxon_source": dict(tally.sources.most_common()),
        "collector_source": dict(tally.collectors.most_common()),  # what the list of collectors did
        "agreement": agreement.summary(),  # with the records' own values (ocr/disagreements.csv)
        "time": time.time(),
    }
    if nameless:
        # the records ingest kept without a name (ingest.keep_unnamed): how many of them a label now names
        summary["unnamed"] = {
            "records": len(nameless),
            "read": tally.unnamed_read,
            "named": tally.unnamed_named,
            "taxonomy": bool(cfg.ocr.unnamed_taxonomy),  # read against the run's names, or without them
        }
    truth = load_truth(paths.root)  # synthetic runs only: their sheets' rows, lines and all
    if truth and tally.read:
        table = pq.read_table(parquet, filters=[("gbifID", "in", sorted(truth))]).to_pandas()
        metrics = evaluate_run(paths.root, table)
        if metrics:
            summary["truth"] = metrics
    atomic_write_json(out / "summary.json", summary)
    log.info("ocr: %s", json.dumps({k: summary[k] for k in ("sheets", "read", "no_label")}))
    phenology = cfg.get("phenology")
    if phenology is None or phenology.get("darwin_core", True):
        # stage=phenology's predicted states into occurrences.csv, whichever of the two stages ends last
        from herbproc.occurrences import apply_to_run

        apply_to_run(paths.root)


def report_section(cfg, assets: Path) -> str:
    """The report stage's hook: see ``herbproc.ocr.report``."""
    from herbproc.ocr.report import report_section as section

    return section(cfg, assets)


STAGE = Stage(NAME, run_shard, finalize=finalize, validate=validate, report_section=report_section)


def stored_detections(text: object, shape: tuple[int, ...]) -> Detections | None:
    """The mask stage's detections of a sheet from the store, or None to detect again: none stored, made from
    another decoding of the bytes (another size), or not readable (a detection is a cache: losing it loses
    nothing but time)."""
    if not text:
        return None
    try:
        detections = Detections.from_json(str(text))
    except (ValueError, KeyError, TypeError, IndexError) as e:
        log.warning("stored detections not readable (%s): detecting again", e)
        return None
    if (detections.width, detections.height) != (shape[1], shape[0]):
        return None
    return detections

