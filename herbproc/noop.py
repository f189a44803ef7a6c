"""A stage whose items do nothing but sleep: it exercises the shard machinery and the launch benchmark.

Each item writes ``<run_dir>/noop/items/<id>.txt`` so tests can compare the outputs of interrupted and
uninterrupted runs.
"""

from __future__ import annotations

import os
import signal
import time

from herbproc.io import atomic_write_text
from herbproc.paths import RunPaths
from herbproc.shard import ItemError, Shard, ShardError, ShardResult, StageSkipped, run_items
from herbproc.stages import Stage


def item_ids(cfg) -> list[str]:
    return [f"item{i:05d}" for i in range(cfg.noop.count)]


def run_shard(cfg, shard: Shard) -> ShardResult:
    if cfg.noop.skip:
        raise StageSkipped(cfg.noop.skip)
    if shard.index in cfg.noop.fail_shards:
        raise ShardError(f"shard {shard.index} was told to fail (noop.fail_shards)")
    out = shard.paths.stage_dir("noop") / "items"
    held = bytearray(b"\1" * (cfg.noop.hold_mb << 20))  # filled, so that it is resident  # noqa: F841

    def process(item: str) -> dict:
        if item in cfg.noop.fail_items:
            raise ItemError("poisoned", f"{item} is listed in noop.fail_items")
        if item in cfg.noop.crash_items:
            raise ZeroDivisionError(f"{item} is listed in noop.crash_items")
        if item in cfg.noop.kill_items:  # dies as the kernel's OOM killer would kill it: no exception, no journal
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(cfg.noop.sleep_s)
        atomic_write_text(out / f"{item}.txt", f"{item} shard={shard.index}\n")
        return {"chars": len(item)}

    return run_items(cfg, shard, shard.select(item_ids(cfg)), process)


def verify_items(cfg, ids: list[str]) -> set[str]:
    """Items whose output file is missing (``herbproc.shard.verify_done_shards``)."""
    out = RunPaths(cfg.run_dir).stage_dir("noop") / "items"
    return {i for i in ids if not (out / f"{i}.txt").exists()}


STAGE = Stage("noop", run_shard, verify_items=verify_items)
