"""``stage=report``: gather every stage's numbers and its own section into one HTML page with PNG figures."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from herbproc.books import StageState
from herbproc.config import load_yaml
from herbproc.io import atomic_write_text
from herbproc.paths import RunPaths
from herbproc.report.render import render_page
from herbproc.shard import Shard, ShardResult, failure_rows, format_duration
from herbproc.stages import Stage, load_stage

log = logging.getLogger("herbproc.report")


@dataclass
class StageSummary:
    name: str
    description: str
    shards: int
    done_shards: int
    items: int
    failed: int
    wall_s: float
    busy_s: float
    reasons: list[tuple[str, int, str]]
    failures: list[dict[str, Any]]
    shard_seconds: list[float] = field(default_factory=list)
    section_html: str = ""
    section_error: str = ""
    skipped: str | None = None
    peak_memory_gb: float | None = None  # one shard's process at most (its marker's), against memory_asked_gb
    memory_asked_gb: float | None = None

    @property
    def items_per_s(self) -> float:
        return (self.items - self.failed) / self.wall_s if self.wall_s > 0 else 0.0


def stage_order(paths: RunPaths, cfg) -> list[str]:
    started = [s for s in paths.stages_started() if s != "report"]
    order = [s for s in cfg.pipeline.stages if s in started]
    return order + [s for s in started if s not in order]


def saved_config(paths: RunPaths, stage: str) -> Any:
    """The configuration the stage ran with (``<run_dir>/config/<stage>.yaml``), or None."""
    saved = paths.config_dir / f"{stage}.yaml"
    return load_yaml(saved) if saved.exists() else None


def summarise(paths: RunPaths, stage: str, max_rows: int, saved: Any = None) -> StageSummary:
    books = StageState.read(paths, stage)
    n = books.shards
    markers = list(books.markers.values())
    rows = failure_rows(paths, stage, n)
    by_reason = Counter(r["reason"] for r in rows)
    example = {r["reason"]: r["error"] for r in rows}
    if saved is None:
        saved = saved_config(paths, stage)
    description = saved.stage.get("description", "") if saved is not None else ""
    starts = [m["started"] for m in markers if "started" in m]
    ends = [m["finished"] for m in markers if "finished" in m]
    return StageSummary(
        name=stage,
        description=description,
        shards=n,
        done_shards=len(markers),
        items=books.items,
        failed=len(rows),
        wall_s=(max(ends) - min(starts)) if starts and ends else 0.0,
        busy_s=sum(m.get("seconds", 0.0) for m in markers),
        reasons=[(r, c, example[r]) for r, c in by_reason.most_common()],
        failures=rows[:max_rows],
        shard_seconds=[m.get("seconds", 0.0) for m in markers],
        skipped=books.skipped,
        peak_memory_gb=books.peak_memory_gb,
        memory_asked_gb=float(saved.stage.mem_gb) if saved is not None and "mem_gb" in saved.stage else None,
    )


def stage_section(paths: RunPaths, stage: str, assets: Path, saved: Any = None) -> str:
    """The stage's own section: ``report_section(cfg, assets_dir) -> str`` in its module, if it has one."""
    cfg = saved if saved is not None else saved_config(paths, stage)
    if cfg is None:
        return ""
    hook = load_stage(cfg).report_section
    return hook(cfg, assets) if hook else ""


def shard_time_figure(summary: StageSummary, assets: Path) -> str:
    if len(summary.shard_seconds) < 2:
        return ""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 1.8), dpi=110)
    ax.bar(range(len(summary.shard_seconds)), summary.shard_seconds, color="#4c7a5a")
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("shard")
    ax.set_ylabel("seconds")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    name = f"{summary.name}_shard_seconds.png"
    fig.savefig(assets / name)
    plt.close(fig)
    return name


def build_report(cfg) -> Path:
    paths = RunPaths(cfg.run_dir)
    out = paths.report_dir
    out.mkdir(parents=True, exist_ok=True)
    summaries = []
    for stage in stage_order(paths, cfg):
        saved = saved_config(paths, stage)  # read once: the summary and the section both need it
        summary = summarise(paths, stage, cfg.report.max_failure_rows, saved)
        try:
            if not summary.skipped:
                summary.section_html = stage_section(paths, stage, out, saved)
        except Exception as exc:  # a broken section must not cost the whole report
            log.exception("report section of %s failed", stage)
            summary.section_error = f"{type(exc).__name__}: {exc}"
        figure = shard_time_figure(summary, out)
        summaries.append((summary, figure))
    page = render_page(
        title=cfg.report.title,
        run_dir=str(paths.root),
        generated=time.strftime("%Y-%m-%d %H:%M:%S"),
        stages=summaries,
        fmt=format_duration,
    )
    return atomic_write_text(out / "index.html", page)


def run_shard(cfg, shard: Shard) -> ShardResult:
    t0 = time.monotonic()
    path = build_report(cfg)
    log.info("report written to %s", path)
    return ShardResult(
        "report", shard.index, shard.count, 1, 1, 0, 0, time.monotonic() - t0, extra={"path": str(path)}
    )


STAGE = Stage("report", run_shard)
