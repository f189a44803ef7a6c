"""The OCR section of the run report: what was read, accuracy where the sheets are synthetic (CER, fields, taxon
with and without the classifier prior, as a figure), and a few sheets' label crops beside their fields."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pandas as pd

from herbproc.io import read_json
from herbproc.paths import RunPaths, is_safe_id, safe_join

CROP_WIDTH = 420  # pixels of a label crop in the report
SHOWN_TERMS = (
    "scientificName", "family", "recordedBy", "recordNumber", "eventDate", "country", "stateProvince", "county",
    "locality", "institutionCode", "catalogNumber",
)  # fmt: skip


def _esc(x: object) -> str:
    return html.escape(str(x))


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in row) + "</tr>" for row in df.itertuples(False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def accuracy_figure(truth: dict[str, Any], assets: Path) -> str:
    """Bars of field accuracy, and taxon accuracy with and without the prior; the image's file name."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fields = pd.DataFrame(truth.get("fields", []))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.2), dpi=110, gridspec_kw={"width_ratios": [3, 1]})
    if len(fields):
        fields = fields.sort_values("accuracy")
        ax1.barh(fields["term"], fields["accuracy"], color="#4c7a5a")
        ax1.set_xlim(0, 1)
        ax1.set_xlabel("share of sheets read right")
    if truth.get("prior_sheets"):
        ax2.bar(["text only", "with prior"], [truth["taxon_accuracy_ocr_only"], truth["taxon_accuracy"]],
                color=["#9aa", "#4c7a5a"])  # fmt: skip
    else:
        ax2.bar(["text (no prior)"], [truth["taxon_accuracy_ocr_only"]], color=["#9aa"])
    ax2.set_ylim(0, 1)
    ax2.set_title("taxon", fontsize=9)
    for ax in (ax1, ax2):
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8)
    fig.tight_layout()
    assets.mkdir(parents=True, exist_ok=True)
    name = "ocr_accuracy.png"
    fig.savefig(assets / name)
    plt.close(fig)
    return name


def label_crop(
    image: np.ndarray, labels: list[dict[str, Any]], lines: list[dict[str, Any]]
) -> np.ndarray | None:
    """The sheet's labels stacked, each with its lines outlined, scaled to ``CROP_WIDTH``."""
    parts = []
    for lb in labels:
        x0, y0, x1, y1 = (int(lb[k]) for k in ("x0", "y0", "x1", "y1"))
        crop = image[max(0, y0) : y1, max(0, x0) : x1].copy()
        if crop.size == 0:
            continue
        for ln in lines:
            if int(ln["label"]) != int(lb["index"]):
                continue
            poly = np.asarray(ln["polygon"], np.float32).reshape(4, 2) - (max(0, x0), max(0, y0))
            cv2.polylines(crop, [np.round(poly).astype(np.int32)], True, (220, 40, 160), 1)
        h, w = crop.shape[:2]
        parts.append(
            cv2.resize(crop, (CROP_WIDTH, max(1, round(h * CROP_WIDTH / w))), interpolation=cv2.INTER_AREA)
        )
    if not parts:
        return None
    gap = np.full((6, CROP_WIDTH, 3), 255, np.uint8)
    return np.vstack([p for part in parts for p in (part, gap)][:-1])


def sample_rows(cfg, table: pd.DataFrame, assets: Path) -> str:
    from herbproc.mask.stage import decode_original
    from herbproc.store.store import open_store

    n = int(cfg.ocr.report_samples)
    if n <= 0 or not len(table):
        return ""
    try:
        store = open_store(RunPaths(cfg.run_dir).root / "store", variant="raw")
    except Exception:
        return ""
    row_of = {str(g): i for i, g in enumerate(store.gbif_ids)}
    cells = []
    for _, r in table.head(n).iterrows():
        gid = str(r["gbifID"])
        picture = "<i>no label found</i>"
        if gid in row_of and r["n_labels"]:
            try:
                image = decode_original(store.original(row_of[gid]), int(cfg.ocr.max_pixels))
            except Exception:
                image = None
            crop = label_crop(image, list(r["labels"]), list(r["lines"])) if image is not None else None
            if crop is not None and is_safe_id(gid):  # a file name made of data goes through safe_join
                assets.mkdir(parents=True, exist_ok=True)
                name = safe_join(assets, f"ocr_{gid}.png").name
                cv2.imwrite(str(assets / name), cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))
                picture = (
                    f"<img src='{_esc(name)}' alt='labels of {_esc(gid)}' style='max-width:{CROP_WIDTH}px'>"
                )
        fields = "".join(
            f"<tr><th>{_esc(t)}</th><td>{_esc(r[t])}</td><td>{float(r[t + '_confidence']):.2f}</td></tr>"
            for t in SHOWN_TERMS
            if r[t]
        )
        cells.append(f"<tr><td>{_esc(gid)}<br>{picture}</td><td><table>{fields}</table></td></tr>")
    return "<h4>Sheets</h4><table><tr><th>labels</th><th>fields read</th></tr>" + "".join(cells) + "</table>"


def report_section(cfg, assets: Path) -> str:
    paths = RunPaths(cfg.run_dir)
    out = paths.stage_dir("ocr")
    results = out / "results.parquet"
    if not results.exists():
        return "<p>No OCR results yet (ocr/results.parquet is written when every shard has finished).</p>"
    table = pd.read_parquet(results)
    summary = read_json(out / "summary.json", {}) or {}
    parts = [
        f"<p>{len(table)} sheets read with <code>{_esc(cfg.ocr.engine)}</code>, "
        f"{int((table['status'] == 'no_label').sum())} without a label; "
        f"{int(table['prior_used'].sum())} with the classifier's prior. "
        "Outputs: <code>ocr/results.parquet</code>, <code>ocr/occurrences.csv</code>.</p>"
    ]
    filled = pd.DataFrame(
        [{"term": t, "filled": f"{(table[t] != '').mean():.0%}", "mean confidence": round(
            float(table.loc[table[t] != "", t + "_confidence"].mean() or 0.0), 2)} for t in SHOWN_TERMS]
    )  # fmt: skip
    parts.append("<h4>Fields found</h4>" + _table(filled))
    truth = summary.get("truth")
    if truth:
        lines = truth["lines"]
        parts.append(
            f"<h4>Against the synthetic truth ({truth['sheets']} sheets)</h4>"
            f"<p>Character error rate {lines['cer']:.2%} over {lines['lines']} label lines "
            f"(median line {lines['median_line_cer']:.2%}, {lines['lines_within_2pct']:.0%} of lines within 2%, "
            f"{lines['missed']} missed). Taxon right: {truth['taxon_accuracy']:.1%} "
            f"(text alone {truth['taxon_accuracy_ocr_only']:.1%}; prior on {truth['prior_sheets']} sheets).</p>"
        )
        name = accuracy_figure(truth, assets)
        parts.append(f"<figure><img src='{_esc(name)}' alt='OCR accuracy' style='max-width:100%'></figure>")
        if truth.get("fields"):
            parts.append(_table(pd.DataFrame(truth["fields"])[["term", "sheets", "accuracy", "similarity"]]))
    parts.append(sample_rows(cfg, table, assets))
    return "\n".join(parts)
