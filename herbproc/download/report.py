"""The download section of the run report: stored and failed images, bytes, rate, and sample thumbnails."""

from __future__ import annotations

import html
from pathlib import Path

import cv2
import numpy as np
import pandas as pd

from herbproc.io import read_json
from herbproc.paths import RunPaths

THUMB_H = 120
SAMPLES_PNG = "download_samples.png"


def _ascii(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def sample_grid(
    store, classes: dict[int, str], per_class: int = 6, max_classes: int = 12
) -> np.ndarray | None:
    """One row of thumbnails per class (the first stored images of up to ``max_classes`` classes)."""
    valid, labels = store.valid, store.labels
    rows = []
    thumb_w = max(1, round(THUMB_H * store.layout.width / store.layout.height))
    for label in sorted(set(labels[valid].tolist()))[:max_classes]:
        picks = np.flatnonzero(valid & (labels == label))[:per_class]
        strip = np.full((THUMB_H + 22, per_class * (thumb_w + 4) + 4, 3), 255, np.uint8)
        name = _ascii(classes.get(int(label), str(label)))[:60]
        cv2.putText(
            strip, f"{label}: {name}", (4, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1, cv2.LINE_AA
        )
        for k, row in enumerate(picks):
            thumb = cv2.resize(
                store.image(int(row), variant="raw"), (thumb_w, THUMB_H), interpolation=cv2.INTER_AREA
            )
            x = 4 + k * (thumb_w + 4)
            strip[20 : 20 + THUMB_H, x : x + thumb_w] = thumb
        rows.append(strip)
    if not rows:
        return None
    width = max(r.shape[1] for r in rows)
    return np.concatenate(
        [np.pad(r, ((0, 0), (0, width - r.shape[1]), (0, 0)), constant_values=255) for r in rows]
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
    try:
        store = open_store(paths.root / "store", variant="raw")
    except Exception as e:  # the numbers above still stand
        parts.append(f"<p class='note'>store unreadable: {esc(str(e))}</p>")
        return "\n".join(parts)
    classes = {}
    if paths.classes.exists():
        c = pd.read_csv(paths.classes)
        classes = dict(zip(c["label"].astype(int), c["name"].astype(str), strict=True))
    grid = sample_grid(store, classes)
    if grid is not None:
        assets.mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(assets / SAMPLES_PNG), cv2.cvtColor(grid, cv2.COLOR_RGB2BGR))
        parts.append(
            f"<p><img src='{SAMPLES_PNG}' alt='sample training copies per class' style='max-width:100%'></p>"
        )
    return "\n".join(parts)
