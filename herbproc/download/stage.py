"""``stage=download``: every shard fetches its manifest rows into the store, concurrently, and can be relaunched.

The store is created (sized from the manifest) by whichever shard comes first, under a lock. A shard owns whole
store blocks (``Shard.select(rows, align=store.block)``), fetches a batch of rows of one block at once through one
pooled client, verifies and decodes each image in a thread pool, holds a block's rows until its last batch is in,
writes the block once (data first, validity flags last), and only then journals its rows as done. A relaunch
skips rows that are valid in the store or journaled.
"""

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd

from herbproc.download.validate import check_content_type, media_type, prepare
from herbproc.fetch.budget import HostBudget, tasks_at_once
from herbproc.fetch.client import Fetcher, FetchError, FetchSettings
from herbproc.hoststats import hosts_dir, read_record, run_host_stats, stats_dir
from herbproc.hoststats import merge as merge_host_stats
from herbproc.io import atomic_write_json, file_lock, read_json
from herbproc.manifest import load_manifest, load_manifest_rows
from herbproc.membudget import MemoryBudget
from herbproc.paths import RunPaths
from herbproc.shard import Shard, ShardError, ShardResult, journal_records, planned_shards, run_batches
from herbproc.stages import Stage
from herbproc.store.layout import StoreError
from herbproc.store.store import (
    ImageStore,
    create_store,
    ids_digest,
    is_unfinished_store,
    open_store,
)

log = logging.getLogger("herbproc.download")


def store_dir(cfg) -> Path:
    return RunPaths(cfg.run_dir).store


def validate(cfg) -> None:
    manifest = RunPaths(cfg.run_dir).manifest
    if not manifest.exists():
        raise ValueError(f"{manifest} does not exist: run stage=ingest first (or give the run_dir it wrote)")


def ensure_store(cfg, manifest: pd.DataFrame) -> ImageStore:
    """Open the run's store, creating it from the manifest if this is the first shard to get here."""
    path = store_dir(cfg)
    s = cfg.storage
    with file_lock(RunPaths(cfg.run_dir).root / ".store.lock"):
        if not (path / "layout.json").exists():
            if is_unfinished_store(path):
                shutil.rmtree(path)  # an earlier creation died before writing layout.json (written last)
            elif path.exists() or path.is_symlink():
                raise ShardError(
                    f"{path} exists but is not a herbproc store (no layout.json): refusing to delete it; "
                    "move it away or use another run_dir"
                )
            configured = s.zarr_shard_images if cfg.store == "zarr" else s.hdf5_part_images
            block = block_size(configured, len(manifest), planned_shards(cfg))
            create_store(
                path,
                backend=cfg.store,
                gbif_ids=manifest["gbifID"].tolist(),
                labels=manifest["label"].tolist(),
                height=s.height,
                width=s.width,
                pad_value=s.pad_value,
                codec=s.codec,
                quality=s.jpeg_quality,
                level=s.level,
                block=block,
            )
    store = open_store(path, variant="raw", writable=True)
    if store.layout.backend != cfg.store:
        raise ShardError(
            f"{path} is a {store.layout.backend} store but store={cfg.store} was asked; "
            f"relaunch with store={store.layout.backend} or use a new run_dir"
        )
    if len(store) != len(manifest) or store.layout.ids_sha256 != ids_digest(manifest["gbifID"]):
        raise ShardError(
            f"{path} was made from another manifest ({len(store)} rows, manifest has {len(manifest)}); "
            "move the store away (or use a new run_dir) to download for this manifest"
        )
    return store


def block_size(configured: int, rows: int, shards: int) -> int:
    """The store's block, the rows a job shard owns whole: the configured size, or less where the run is too small
    for every shard to own one (165 rows in blocks of 256 would all fall to one of two shards, and so would the
    mask stage's work)."""
    return max(1, min(configured, -(-rows // max(shards, 1))))


def fetch_settings(cfg, budget: HostBudget | None = None) -> FetchSettings:
    """The client's settings for one shard. With a host budget, idle connections kept for reuse are this
    shard's share of ``download.host_connections_total``; where the run directory takes no file locks, the
    per-host caps and pacing are this shard's share of the totals too."""
    settings = FetchSettings.from_config(cfg.download, seed=None)
    if budget is None:
        return settings
    tasks = tasks_at_once(planned_shards(cfg), int(cfg.cluster.array_parallelism))
    share = max(1, budget.connections_total // tasks)
    settings.keepalive_connections = share
    if not budget.locking:
        settings.per_host_connections = min(settings.per_host_connections, share)
        if budget.rate_total > 0:
            rate = budget.rate_total / tasks
            settings.per_host_rate = min(settings.per_host_rate, rate) if settings.per_host_rate > 0 else rate
    return settings


def open_budget(cfg, shard: Shard) -> HostBudget:
    d = cfg.download
    return HostBudget.open(
        hosts_dir(cfg.run_dir), int(d.host_connections_total), float(d.host_rate_total), holder=shard.name
    )


def local_root(cfg) -> Path | None:
    summary = read_json(RunPaths(cfg.run_dir).stage_dir("ingest") / "summary.json", {}) or {}
    root = summary.get("local_root")
    return Path(root) if root else None


def read_local(uri: str, root: Path | None) -> tuple[bytes, str]:
    """A file:// identifier of a folder ingest: only files under the ingested folder may be read."""
    if root is None:
        raise FetchError(
            "bad_url", f"refusing non-http(s) URL {uri[:200]} (only a folder ingest names local files)"
        )
    path = Path(unquote(urlsplit(uri).path)).resolve()
    if not path.is_relative_to(root.resolve()):
        raise FetchError("bad_url", f"{path} is outside the ingested folder {root}")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FetchError("file_missing", f"{path} no longer exists") from None
    except OSError as e:
        raise FetchError("file_unreadable", f"{path}: {e}") from None
    return data, mimetypes.guess_type(path.name)[0] or ""


def decode_budget(cfg) -> int:
    """Bytes the decode threads of one shard may hold at once: ``download.decode_mem_gb``, or half of
    ``stage.mem_gb`` (the rest is the store writer's buffers, the HTTP bodies and Python)."""
    gb = float(cfg.download.decode_mem_gb) or float(cfg.stage.mem_gb) / 2
    return int(gb * 1e9)


class Downloader:
    """The per-shard machinery: one event loop, one pooled client, one decode pool, one store writer."""

    def __init__(self, cfg, store: ImageStore, rows: range, shard: Shard):
        self.cfg = cfg
        self.store = store
        self.shard = shard
        self.writer = store.writer("core", rows=rows)
        self.root = local_root(cfg)
        threads = int(cfg.download.decode_threads) or max(1, int(cfg.stage.cpus))
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="decode")
        self.budget = MemoryBudget(decode_budget(cfg))
        self.loop = asyncio.new_event_loop()
        self.host_budget = open_budget(cfg, shard)
        self.fetcher = Fetcher(fetch_settings(cfg, self.host_budget), budget=self.host_budget)
        self.loop.run_until_complete(self.fetcher.__aenter__())
        self.bytes = 0
        self.stats_file = stats_dir(cfg.run_dir) / f"{shard.name}.json"
        self.earlier_stats = read_record(self.stats_file)  # an earlier launch of this shard

    def save_host_stats(self) -> None:
        """This shard's per-host counts (all its launches), for jobs/status.py and the report."""
        stats = merge_host_stats([self.earlier_stats, self.fetcher.host_stats()])
        if stats:
            atomic_write_json(self.stats_file, stats)

    def close(self) -> None:
        try:
            self.loop.run_until_complete(self.fetcher.__aexit__(None, None, None))
        finally:
            self.loop.close()
            self.pool.shutdown(wait=True)
            self.host_budget.close()

    def _prepare(self, data: bytes, ctype: str):
        """Verify, decode and make the training copy, encoded for the store (in a decode thread)."""
        s = self.cfg.storage
        prepared = prepare(
            data,
            height=s.height,
            width=s.width,
            pad_value=s.pad_value,
            max_pixels=int(self.cfg.download.max_pixels),
            content_type=ctype,
            budget=self.budget,
        )
        return prepared, self.writer.encode("image", prepared.copy)

    async def _one(self, item: dict) -> dict | BaseException:
        url = str(item["identifier"]).strip()
        try:
            if urlsplit(url).scheme.lower() == "file":
                data, ctype = await self.loop.run_in_executor(self.pool, read_local, url, self.root)
                attempts, seconds = 1, 0.0
            else:
                res = await self.fetcher.fetch(
                    url, check_headers=lambda r: check_content_type(r.headers.get("content-type", ""))
                )
                data, ctype, attempts, seconds = (
                    res.content,
                    res.headers.get("content-type", ""),
                    res.attempts,
                    res.seconds,
                )
            prepared, encoded = await self.loop.run_in_executor(self.pool, self._prepare, data, ctype)
        except Exception as e:  # ItemError and the unexpected alike become this item's outcome
            return e
        self.writer.put(
            int(item["row"]),
            image=encoded,
            original=data,
            height=prepared.height,
            width=prepared.width,
            nbytes=prepared.nbytes,
            sha256=prepared.sha256,
            content_type=media_type(ctype),
            image_format=prepared.image_format,
            orientation=prepared.orientation,
            box=list(prepared.box),
        )
        self.bytes += len(data)
        return {
            "bytes": len(data),
            "attempts": attempts,
            "fetch_s": round(seconds, 3),
            "format": prepared.image_format,
        }

    def process_batch(self, batch: list[dict]) -> list[dict | BaseException]:
        """Fetch a batch (rows of one store block) concurrently. The rows wait in the writer until run_batches
        settles their block (``settle``: ``writer.flush``), so a block is written once however its rows were
        batched: after a kill, the rows that were in flight are fetched again one by one."""

        async def run_all():
            return await asyncio.gather(*(self._one(it) for it in batch))

        outcomes = self.loop.run_until_complete(run_all())
        self.save_host_stats()
        return outcomes

    def block_of(self, item: dict) -> int:
        return int(item["row"]) // self.store.block


def run_shard(cfg, shard: Shard) -> ShardResult:
    # ids and labels of every row: to create the store, and to check it was made from this manifest
    store = ensure_store(cfg, load_manifest(cfg.run_dir, columns=["gbifID", "label"]))
    rows = store.owned_rows(shard)
    valid = store.valid
    part = load_manifest_rows(cfg.run_dir, rows.start, rows.stop, columns=["row", "gbifID", "identifier"])
    items = [
        {"row": int(r), "gbifID": g, "identifier": u}
        for r, g, u in zip(part["row"], part["gbifID"], part["identifier"], strict=True)
        if not valid[int(r)]
    ]
    already = len(part) - len(items)
    log.info(
        "[download %s] rows %d-%d: %d already in the store", shard.name, rows.start, rows.stop - 1, already
    )
    if not items:
        return ShardResult(shard.stage, shard.index, shard.count, items=len(part), skipped=already)
    journaled = journal_records(shard)
    lost = [it["gbifID"] for it in items if it["gbifID"] in journaled]
    if lost:
        raise ShardError(
            f"{len(lost)} rows (e.g. gbifID {lost[0]}) are journaled as downloaded but not valid in {store.path}: "
            f"was the store replaced? Delete {shard.paths.shards_dir('download')} to download them again"
        )
    dl = Downloader(cfg, store, rows, shard)
    try:
        result = run_batches(
            cfg,
            shard,
            items,
            dl.process_batch,
            batch_size=int(cfg.download.batch_size),
            item_id=lambda it: it["gbifID"],
            group=dl.block_of,
            settle=dl.writer.flush,
        )
    finally:
        dl.close()
    result.items = len(part)
    result.skipped += already
    result.extra.update({"bytes": dl.bytes, "requests": dl.fetcher.requests})
    return result


def verify_items(cfg, ids: list[str]) -> set[str]:
    """gbifIDs journalled as downloaded whose row is not valid in the store (``shard.verify_done_shards``)."""
    try:
        store = open_store(store_dir(cfg), variant="raw")
    except (StoreError, FileNotFoundError):
        return set(ids)
    valid = store.valid
    row_of = {str(g): r for r, g in enumerate(store.gbif_ids)}
    return {i for i in ids if i not in row_of or not valid[row_of[i]]}


def finalize(cfg) -> None:
    """Summarise the download (``download/summary.json``) and mark the store's core arrays complete."""
    paths = RunPaths(cfg.run_dir)
    try:
        store = open_store(store_dir(cfg), variant="raw", writable=True)
    except StoreError as e:
        raise ShardError(f"download finished but the store cannot be opened: {e}") from None
    valid = store.valid
    store.mark_complete("core")
    plan = read_json(paths.plan("download"), {}) or {}
    n_shards = int(plan.get("shards", 1))
    nbytes, seconds, requests = 0, 0.0, 0
    for i in range(n_shards):
        marker = read_json(paths.marker("download", i), {}) or {}
        seconds = max(seconds, float(marker.get("seconds", 0.0)))
        requests += int((marker.get("extra") or {}).get("requests", 0))
        shard = Shard("download", i, n_shards, str(paths.root))
        nbytes += sum(int(d.get("bytes", 0)) for d in journal_records(shard).values())
    failures = paths.failures("download")
    by_reason = pd.read_parquet(failures)["reason"].value_counts().to_dict() if failures.exists() else {}
    summary = {
        "images": len(store),
        "stored": int(valid.sum()),
        "failed": int(sum(by_reason.values())),
        "failures_by_reason": {str(k): int(v) for k, v in by_reason.items()},
        "bytes_downloaded": nbytes,
        "requests": requests,
        "hosts": run_host_stats(cfg.run_dir),
        "longest_shard_s": round(seconds, 3),
        "backend": store.layout.backend,
        "codec": store.layout.arrays["image"].codec,
        "time": time.time(),
    }
    atomic_write_json(paths.stage_dir("download") / "summary.json", summary)
    log.info("download: %s", json.dumps({k: summary[k] for k in ("images", "stored", "failed")}))


def report_section(cfg, assets: Path) -> str:
    """The report stage's hook (``herbproc.report.stage``): see ``herbproc.download.report``."""
    from herbproc.download.report import report_section as section

    return section(cfg.run_dir, assets)


STAGE = Stage("download", run_shard, finalize=finalize, validate=validate, verify_items=verify_items, report_section=report_section)
