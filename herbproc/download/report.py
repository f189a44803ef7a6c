"""The download section of the run report: stored and failed images, bytes, rate, and sample thumbnails."""

from __future__ import annotations

import html
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from herbproc.hoststats import busiest
from herbproc.io import read_json
from herbproc.paths import RunPaths

THUMB_H = 240
SAMPLE_FILE = "download_sample_{}.jpg"


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


def sample_tiles(store, classes: dict[int, str], assets: Path) -> str:
    """A grid of thumbnails (a figure each, captioned with the class and gbifID), or "" with nothing stored."""
    rows = sample_rows(store)
    if not rows:
        return ""
    assets.mkdir(parents=True, exist_ok=True)
    thumb_w = max(1, round(THUMB_H * store.layout.width / store.layout.height))
    figures = []
    for k, row in enumerate(rows):
        thumb = cv2.resize(store.image(row, variant="raw"), (thumb_w, THUMB_H), interpolation=cv2.INTER_AREA)
        name = SAMPLE_FILE.format(k)
        cv2.imwrite(
            str(assets / name), cv2.cvtColor(thumb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 85]
        )
        label = int(store.labels[row])
        caption = f"{classes.get(label, str(label))} · {store.gbif_ids[row]}"
        figures.append(
            f"<figure><img src='{name}' alt='{html.escape(caption)}' loading='lazy'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>"
        )
    return "<div class='grid'>" + "".join(figures) + "</div>"


def host_table(hosts: dict[str, dict], top: int = 20) -> str:
    """Requests, rate, bytes and errors per host (the ``top`` busiest), from ``summary.json``'s ``hosts``."""
    if not hosts:
        return ""
    esc = html.escape
    rows = []
    for host, h in busiest(hosts, top):
        rate = f"{h['rate']:.2f}" if h.get("rate") else "-"
        reasons = ", ".join(f"{r} ({n})" for r, n in list((h.get("reasons") or {}).items())[:4])
        rows.append(
            f"<tr><td>{esc(host)}</td><td class='num'>{h['requests']}</td><td class='num'>{rate}</td>"
            f"<td class='num'>{h['bytes'] / 1e6:.1f}</td><td class='num'>{h['errors']}</td>"
            f"<td class='num'>{h['throttled']}</td><td class='num'>{h['wait_s']:.0f}</td><td>{esc(reasons)}</td></tr>"
        )
    more = f"<p class='note'>and {len(hosts) - top} more hosts.</p>" if len(hosts) > top else ""
    return (
        "<h3>Image servers</h3><table><thead><tr><th>host</th><th>requests</th><th>requests/s</th><th>MB</th>"
        "<th>errors</th><th>429/503</th><th>s waited</th><th>errors by reason</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{more}"
    )


def report_section(run_dir: str | Path, assets: Path | None = None) -> str:
    """HTML fragment; the thumbnail grid goes to ``assets`` (default ``<run_dir>/report/``) as a PNG."""
    from herbproc.store.store import open_store

    paths = RunPaths(run_dir)
    assets = Path(assets) if assets is not None else paths.report_dir
    summary = read_json(paths.stage_dir("download") / "summary.json")
    if not summary:
        return "<p>download has not finished.</p>"
    esc = html.escape
    seconds = summary.get("longest_shard_s", 0) or 0
    rate = summary["stored"] / seconds if seconds > 0 else 0.0
    mb = summary.get("bytes_downloaded", 0) / 1e6
    parts = [
        f"<p>Stored <b>{summary['stored']}</b> of {summary['images']} images "
        f"({summary['failed']} failed) in a {esc(summary['backend'])} store, training copy as "
        f"{esc(summary['codec'])}; {mb:.1f} MB downloaded in {summary.get('requests', 0)} requests; "
        f"{rate:.1f} images/s in the slowest shard.</p>"
    ]
    reasons = summary.get("failures_by_reason", {})
    if reasons:
        failures = paths.failures("download")
        examples = {}
        if failures.exists():
            df = pd.read_parquet(failures)
            examples = df.drop_duplicates("reason").set_index("reason")["error"].to_dict()
        body = "".join(
            f"<tr><td>{esc(r)}</td><td class='num'>{n}</td><td>{esc(str(examples.get(r, ''))[:160])}</td></tr>"
            for r, n in sorted(reasons.items(), key=lambda kv: -kv[1])
        )
        parts.append(
            f"<table><thead><tr><th>failed because</th><th>images</th><th>example</th></tr></thead><tbody>{body}</tbody></table>"
        )
    hosts = host_table(summary.get("hosts") or {})
    if hosts:
        parts.append(hosts)
    try:
        store = open_store(paths.store, variant="raw")
    except Exception as e:  # the numbers above still stand
        parts.append(f"<p class='note'>store unreadable: {esc(str(e))}</p>")
        return "\n".join(parts)
    classes = {}
    if paths.classes.exists():
        c = pd.read_csv(paths.classes)
        classes = dict(zip(c["label"].astype(int), c["name"].astype(str), strict=True))
    tiles = sample_tiles(store, classes, assets)
    if tiles:
        parts.append(f"<h3>Sample sheets</h3>{tiles}")
    return "\n".join(parts)
