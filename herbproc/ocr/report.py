"""The OCR section of the run report: what was read, accuracy where the sheets are synthetic (CER, fields, taxon
with and without the classifier prior, as a figure), and a few sheets' label crops beside their fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from herbproc.io import read_json
from herbproc.paths import RunPaths, is_safe_id, safe_join
from herbproc.report.render import render

CROP_WIDTH = 420  # pixels of a label crop in the report
SHOWN_TERMS = (
    "scientificName", "family", "recordedBy", "recordNumber", "eventDate", "country", "stateProvince", "county",
    "locality", "institutionCode", "catalogNumber",
)  # fmt: skip


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
    """The first ``ocr.report_samples`` sheets: their label crops (saved under ``assets``) and the fields read."""
    from herbproc.store.decode import decode_original
    from herbproc.store.store import open_store

    n = int(cfg.ocr.report_samples)
    if n <= 0 or not len(table):
        return ""
    try:
        store = open_store(RunPaths(cfg.run_dir).store, variant="raw")
    except Exception:
        return ""
    row_of = {str(g): i for i, g in enumerate(store.gbif_ids)}
    samples = []
    for _, r in table.head(n).iterrows():
        gid = str(r["gbifID"])
        picture = None
        if gid in row_of and r["n_labels"]:
            try:
                image = decode_original(store.original(row_of[gid]), int(cfg.ocr.max_pixels))
            except Exception:
                image = None
            crop = label_crop(image, list(r["labels"]), list(r["lines"])) if image is not None else None
            if crop is not None and is_safe_id(gid):  # a file name made of data goes through safe_join
                assets.mkdir(parents=True, exist_ok=True)
                picture = safe_join(assets, f"ocr_{gid}.png").name
                cv2.imwrite(str(assets / picture), cv2.cvtColor(crop, cv2.COLOR_RGB2BGR))
        fields = [(t, r[t], float(r[t + "_confidence"])) for t in SHOWN_TERMS if r[t]]
        samples.append({"gbif_id": gid, "picture": picture, "fields": fields})
    return render("ocr_samples.html.j2", samples=samples, crop_width=CROP_WIDTH)


def report_section(cfg, assets: Path) -> str:
    paths = RunPaths(cfg.run_dir)
    out = paths.stage_dir("ocr")
    results = out / "results.parquet"
    if not results.exists():
        return render("ocr.html.j2", sheets=0)
    counts = read_counts(results)
    summary = read_json(out / "summary.json", {}) or {}
    sheets = counts["sheets"]
    n_filled, confidence = counts["filled"], counts["confidence"]
    filled = [
        {
            "term": t,
            "filled": f"{n_filled[t] / sheets:.0%}" if sheets else "nan%",
            "mean confidence": round(confidence[t] / n_filled[t], 2) if n_filled[t] else 0.0,
        }
        for t in SHOWN_TERMS
    ]
    truth = summary.get("truth")
    return render(
        "ocr.html.j2",
        sheets=sheets,
        engine=cfg.ocr.engine,
        no_label=counts["no_label"],
        with_prior=counts["with_prior"],
        filled=filled,
        truth=truth,
        unnamed=summary.get("unnamed"),
        agreement=[
            {"term": t, "records compared": c["compared"], "agree": c["agree"], "rate": f"{c['rate']:.1%}"}
            for t, c in (summary.get("agreement") or {}).items()
        ],
        disagreements=first_disagreements(out / "disagreements.csv", DISAGREEMENTS_SHOWN),
        accuracy_figure=accuracy_figure(truth, assets) if truth else None,
        samples_html=sample_rows(cfg, first_rows(results, int(cfg.ocr.report_samples)), assets),
    )


DISAGREEMENTS_SHOWN = 12


def first_disagreements(path: Path, n: int) -> list[dict[str, str]]:
    """The first ``n`` rows of ``ocr/disagreements.csv`` (none when it is not there or not readable)."""
    try:
        rows = pd.read_csv(path, nrows=n, dtype=str, keep_default_na=False)
    except (OSError, ValueError):
        return []
    return rows.to_dict("records")


def read_counts(results: Path, batch_rows: int = 65_536) -> dict[str, Any]:
    """The section's counts over results.parquet, read in batches of rows and only the columns counted (a
    million sheets' lines would not fit the report's job)."""
    columns = ["status", "prior_used", *SHOWN_TERMS, *(f"{t}_confidence" for t in SHOWN_TERMS)]
    out: dict[str, Any] = {"sheets": 0, "no_label": 0, "with_prior": 0,
                           "filled": dict.fromkeys(SHOWN_TERMS, 0), "confidence": dict.fromkeys(SHOWN_TERMS, 0.0)}  # fmt: skip
    with pq.ParquetFile(results) as source:
        for batch in source.iter_batches(batch_size=batch_rows, columns=columns):
            table = batch.to_pandas()
            out["sheets"] += len(table)
            out["no_label"] += int((table["status"] == "no_label").sum())
            out["with_prior"] += int(table["prior_used"].sum())
            for t in SHOWN_TERMS:
                read = table[t] != ""
                out["filled"][t] += int(read.sum())
                out["confidence"][t] += float(table.loc[read, f"{t}_confidence"].sum())
    return out


def first_rows(results: Path, n: int) -> pd.DataFrame:
    """The first ``n`` rows of results.parquet, every column (the report's samples)."""
    with pq.ParquetFile(results) as source:
        batch = next(source.iter_batches(batch_size=max(1, n)), None)
    return batch.to_pandas() if batch is not None and n > 0 else pd.DataFrame()
