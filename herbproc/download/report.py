"""The download section of the run report: stored and failed images, bytes, rate, and sample thumbnails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pandas as pd

from herbproc.classes import UNNAMED_LABEL
from herbproc.hoststats import busiest
from herbproc.io import read_json
from herbproc.paths import RunPaths
from herbproc.report.render import render

THUMB_H = 240
SAMPLE_FILE = "download_sample_{}.jpg"
HOSTS_SHOWN = 20  # the busiest image servers in the table; the rest are counted


def sample_rows(store, per_class: int = 3, max_tiles: int = 24) -> list[int]:
    """Stored rows to show: the first sheet of every class, then the second ..., at most ``max_tiles``."""
    valid, labels = np.asarray(store.valid, dtype=bool), np.asarray(store.labels)
    by_class = [
        np.flatnonzero(valid & (labels == lab))[:per_class] for lab in sorted(set(labels[valid].tolist()))
    ]
    out: list[int] = []
    for k in range(per_class):
        out += [int(rows[k]) for rows in by_class if k < len(rows)]
    return out[:max_tiles]


def sample_tiles(store, classes: dict[int, str], assets: Path) -> list[tuple[str, str]]:
    """Thumbnails for a grid, written to ``assets``: (file name, caption with the class and gbifID) each."""
    rows = sample_rows(store)
    if not rows:
        return []
    assets.mkdir(parents=True, exist_ok=True)
    thumb_w = max(1, round(THUMB_H * store.layout.width / store.layout.height))
    tiles = []
    for k, row in enumerate(rows):
        thumb = cv2.resize(store.image(row, variant="raw"), (thumb_w, THUMB_H), interpolation=cv2.INTER_AREA)
        name = SAMPLE_FILE.format(k)
        cv2.imwrite(
            str(assets / name), cv2.cvtColor(thumb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85]
        )
        label = int(store.labels[row])
        caption = "no name" if label == UNNAMED_LABEL else classes.get(label, str(label))
        tiles.append((name, f"{caption} · {store.gbif_ids[row]}"))
    return tiles


def host_rows(hosts: dict[str, dict], top: int = 20) -> list[dict[str, Any]]:
    """Requests, rate, bytes and errors per host (the ``top`` busiest), from ``summary.json``'s ``hosts``."""
    rows = []
    for host, h in busiest(hosts, top):
        rows.append(
            {
                "host": host,
                "requests": h["requests"],
                "rate": f"{h['rate']:.2f}" if h.get("rate") else "-",
                "mb": h["bytes"] / 1e6,
                "errors": h["errors"],
                "throttled": h["throttled"],
                "wait_s": h["wait_s"],
                "reasons": ", ".join(f"{r} ({n})" for r, n in list((h.get("reasons") or {}).items())[:4]),
            }
        )
    return rows


def report_section(run_dir: str | Path, assets: Path | None = None) -> str:
    """HTML fragment; the thumbnail grid goes to ``assets`` (default ``<run_dir>/report/``) as JPEGs."""
    from herbproc.store.store import open_store

    paths = RunPaths(run_dir)
    assets = Path(assets) if assets is not None else paths.report_dir
    summary = read_json(paths.stage_dir("download") / "summary.json")
    if not summary:
        return render("download.html.j2", summary=None)
    seconds = summary.get("longest_shard_s", 0) or 0
    reasons = summary.get("failures_by_reason", {})
    examples = {}
    failures = paths.failures("download")
    if reasons and failures.exists():
        df = pd.read_parquet(failures)
        examples = df.drop_duplicates("reason").set_index("reason")["error"].to_dict()
    hosts = summary.get("hosts") or {}
    context = {
        "summary": summary,
        "rate": summary["stored"] / seconds if seconds > 0 else 0.0,
        "mb": summary.get("bytes_downloaded", 0) / 1e6,
        "reasons": [
            (r, n, str(examples.get(r, ""))[:160]) for r, n in sorted(reasons.items(), key=lambda kv: -kv[1])
        ],
        "hosts": host_rows(hosts, HOSTS_SHOWN),
        "more_hosts": max(0, len(hosts) - HOSTS_SHOWN),
        "store_error": None,
        "tiles": [],
    }
    try:
        store = open_store(paths.store, variant="raw")
    except Exception as e:  # the numbers above still stand
        context["store_error"] = str(e)
        return render("download.html.j2", **context)
    classes = {}
    if paths.classes.exists():
        c = pd.read_csv(paths.classes)
        classes = dict(zip(c["label"].astype(int), c["name"].astype(str), strict=True))
    context["tiles"] = sample_tiles(store, classes, assets)
    return render("download.html.j2", **context)
