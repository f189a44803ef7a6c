"""``stage=ingest input=<path>``: input records -> ``manifest.parquet``, ``classes.csv`` and ``ingest/dropped.*``.

A single job. Outputs are written atomically, the manifest last, so a failed ingest leaves no half-written
manifest behind (the drop tables are written even when nothing is kept, to show why).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from herbproc.classes import UNNAMED_SPLIT, class_table
from herbproc.fetch.client import FetchSettings
from herbproc.gbif.api import MediaResolver
from herbproc.gbif.filters import MEDIA_REASONS, Drops, filter_records, read_genus_list
from herbproc.gbif.source import read_source
from herbproc.gbif.split import assign_labels_and_split, cap_classes, drop_small_classes
from herbproc.gbif.tables import IngestError
from herbproc.gbif.terms import MANIFEST_TERMS
from herbproc.io import atomic_path, atomic_write_json
from herbproc.manifest import ROW_GROUP_ROWS
from herbproc.manifest import load_manifest as load_manifest  # re-exported for older imports from here
from herbproc.paths import RunPaths
from herbproc.shard import Shard, ShardError, ShardResult
from herbproc.stages import Stage

log = logging.getLogger("herbproc.ingest")

MEDIA_FIELDS = ("identifier", "format", "license", "rightsHolder")


@dataclass
class IngestResult:
    source_kind: str
    records_in: int
    frame: pd.DataFrame | None  # the manifest in memory; None: streamed to manifest_file
    classes: pd.DataFrame
    drops: Drops
    notes: list[str] = field(default_factory=list)
    local_root: str | None = None
    api_requests: int = 0
    manifest_file: Path | None = None  # streaming ingest: the manifest, in a temporary folder of the run
    streamed: dict | None = None  # streaming ingest: n_images, splits

    @property
    def manifest(self) -> pd.DataFrame:
        """The manifest as a DataFrame (a streamed one is read from its file on first use)."""
        if self.frame is None:
            self.frame = pd.read_parquet(self.manifest_file)
        return self.frame

    @property
    def n_images(self) -> int:
        return self.streamed["n_images"] if self.frame is None and self.streamed else len(self.manifest)

    @property
    def splits(self) -> dict:
        """Images per split; the unnamed records (no split) are ``unnamed``."""
        if self.frame is None and self.streamed:
            return self.streamed["splits"]
        return self.manifest["split"].replace({UNNAMED_SPLIT: "unnamed"}).value_counts().to_dict()


def validate(cfg) -> None:
    """The input and the files the ingest section names (the section checks its own values)."""
    s = cfg.ingest
    if cfg.input is None:
        raise ValueError(
            "missing required value 'input' (a DwC-A zip/folder, a simple CSV or an image folder)"
        )
    src = Path(str(cfg.input)).expanduser().absolute()
    made_by_earlier_stage = src.is_relative_to(RunPaths(cfg.run_dir).root)  # e.g. <run_dir>/synth/dwca.zip
    if not src.exists() and not made_by_earlier_stage:
        raise ValueError(
            f"input {cfg.input} does not exist (give input=<DwC-A zip/folder, simple CSV or image folder>)"
        )
    if s.genus_list:
        try:
            read_genus_list(s.genus_list)
        except IngestError as e:
            raise ValueError(str(e)) from None
    if s.labels_csv and not Path(s.labels_csv).expanduser().is_file():
        raise ValueError(f"ingest.labels_csv {s.labels_csv} does not exist")


def _resolver(cfg, paths: RunPaths) -> MediaResolver:
    s = cfg.ingest
    settings = FetchSettings(
        concurrency=s.api_concurrency,
        per_host_connections=s.api_concurrency,
        per_host_rate=s.api_rate,
        retries=s.api_retries,
        max_bytes=10_000_000,
        read_timeout_s=30.0,
        deadline_s=60.0,
    )
    return MediaResolver(s.api_base, paths.stage_dir("ingest") / "api_cache.jsonl", settings)


def ingest(cfg, *, streaming: bool = True) -> IngestResult:
    """Read, filter, cap and split the input named by ``cfg.input``.

    A Darwin Core Archive is streamed (``herbproc.gbif.stream``): the manifest is written to a temporary folder
    under ``<run_dir>/ingest/`` that ``write_outputs`` moves into place (and that is removed when the result is
    dropped); everything else is read into memory, and nothing is written. ``streaming=False`` reads an archive
    into memory too (the reference the streaming path is tested against).
    """
    s = cfg.ingest
    paths = RunPaths(cfg.run_dir)
    if streaming:
        result = _ingest_streaming(cfg, paths)
        if result is not None:
            return result
    src = read_source(Path(str(cfg.input)), s.source, s)
    drops = Drops()
    records = filter_records(src, s, drops)
    resolver = _resolver(cfg, paths) if src.media is None else None
    records = cap_classes(
        records,
        max_per_class=int(s.max_per_class),
        seed=int(cfg.seed),
        drops=drops,
        resolve=resolver.resolve if resolver else None,
    )
    records = drop_small_classes(records, int(s.min_per_class), drops)
    manifest = assign_labels_and_split(records, val=s.val_fraction, test=s.test_fraction, seed=int(cfg.seed))
    manifest = _manifest_columns(manifest)
    result = IngestResult(
        src.kind,
        len(src.records) + len(src.bad_rows),
        manifest,
        class_table(manifest),
        drops,
        src.notes,
        src.local_root,
        resolver.requests if resolver else 0,
    )
    _check_accounts(result)
    return result


def _check_accounts(result: IngestResult) -> None:
    drops = result.drops
    accounted = result.n_images + len(drops) - sum(drops.count(r) for r in MEDIA_REASONS)
    if accounted != result.records_in:
        raise ShardError(f"ingest lost track of records: {result.records_in} in, {accounted} kept or dropped")


def _ingest_streaming(cfg, paths: RunPaths) -> IngestResult | None:
    """The streaming ingest of a Darwin Core Archive; None when the input needs the in-memory path."""
    from herbproc.gbif.source import detect_kind
    from herbproc.gbif.stream import NotStreamable, ingest_dwca_streaming, make_workdir, remove_workdir

    s = cfg.ingest
    path = Path(str(cfg.input)).expanduser()
    kind = detect_kind(path) if s.source == "auto" else s.source
    if kind != "dwca":
        return None
    work = make_workdir(paths.stage_dir("ingest"))
    try:
        out = ingest_dwca_streaming(path, s, int(cfg.seed), work, work / "manifest.parquet")
    except NotStreamable as e:
        log.info("ingest: %s; reading the archive into memory", e)
        remove_workdir(work)
        return None
    except BaseException:
        remove_workdir(work)
        raise
    result = IngestResult(
        "dwca",
        out.records_in,
        None,
        out.classes,
        out.drops,
        out.notes,
        manifest_file=out.manifest_file,
        streamed={"n_images": out.n_images, "splits": out.splits},
    )
    weakref.finalize(result, remove_workdir, work)
    _check_accounts(result)
    return result


def _manifest_columns(df: pd.DataFrame) -> pd.DataFrame:
    terms = [t for t in MANIFEST_TERMS if t in df.columns]
    cols = ["gbifID", *MEDIA_FIELDS, *terms, "label", "label_name", "split", "row"]
    out = df[cols].copy()
    for c in cols:
        if c not in ("label", "row"):
            out[c] = out[c].fillna("").astype(str)
    return out


def write_outputs(cfg, result: IngestResult) -> None:
    paths = RunPaths(cfg.run_dir)
    out = paths.stage_dir("ingest")
    table = result.drops.table()
    with atomic_path(out / "dropped.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    with atomic_path(out / "dropped_records.csv") as tmp:
        table.to_csv(tmp, index=False)
    with atomic_path(out / "dropped.csv") as tmp:
        result.drops.counts().to_csv(tmp, index=False)
    summary = {
        "input": str(cfg.input),
        "source": result.source_kind,
        "records_in": result.records_in,
        "images": result.n_images,
        "classes": len(result.classes),
        "dropped": dict(zip(*[result.drops.counts()[c].tolist() for c in ("reason", "count")], strict=True)),
        "splits": result.splits,
        "notes": result.notes,
        "local_root": result.local_root,
        "api_requests": result.api_requests,
        "label_level": cfg.ingest.label_level,
        "seed": int(cfg.seed),
        "time": time.time(),
    }
    atomic_write_json(out / "summary.json", summary)
    if result.n_images == 0 and not cfg.ingest.allow_empty:
        top = ", ".join(f"{k} {v}" for k, v in sorted(summary["dropped"].items(), key=lambda kv: -kv[1])[:4])
        raise IngestError(
            f"no record of {result.records_in} passed the filters (dropped: {top}); "
            f"see {out / 'dropped.csv'}; change the filters (e.g. ingest.basis_of_record=[...]) "
            "or give ingest.allow_empty=true"
        )
    with atomic_path(paths.classes) as tmp:
        result.classes.to_csv(tmp, index=False)
    if result.manifest_file is not None and result.manifest_file != paths.manifest:
        work = result.manifest_file.parent
        os.replace(result.manifest_file, paths.manifest)  # same file system: the run directory
        result.manifest_file = paths.manifest
        shutil.rmtree(work, ignore_errors=True)
    else:
        with atomic_path(paths.manifest) as tmp:
            result.manifest.to_parquet(tmp, index=False, row_group_size=ROW_GROUP_ROWS)


def run_shard(cfg, shard: Shard) -> ShardResult:
    t0 = time.monotonic()
    result = ingest(cfg)
    write_outputs(cfg, result)
    log.info(
        "ingest: %d records in, %d images in %d classes, %d dropped",
        result.records_in,
        result.n_images,
        len(result.classes),
        len(result.drops),
    )
    return ShardResult(
        shard.stage,
        shard.index,
        shard.count,
        items=result.records_in,
        done=result.n_images,
        failed=0,
        seconds=time.monotonic() - t0,
        extra={"classes": len(result.classes), "dropped": len(result.drops)},
    )


def report_section(cfg, assets: Path) -> str:
    """The report stage's hook (``herbproc.report.stage``): see ``herbproc.gbif.report``."""
    from herbproc.gbif.report import report_section as section

    return section(cfg.run_dir, assets)


STAGE = Stage("ingest", run_shard, validate=validate, report_section=report_section)
