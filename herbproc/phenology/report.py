"""The phenology section of the run report: the numbers, the coverage / accuracy curve, example sheets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from herbproc.fields.condition_targets import LABELS, truth_table
from herbproc.io import read_json
from herbproc.paths import is_safe_id, safe_join
from herbproc.phenology.decision import confidence, coverage_curve, sheet_correct
from herbproc.phenology.files import PROB_COLUMNS, phenology_dir
from herbproc.report.render import render


def curve_figure(curves: dict[str, pd.DataFrame], target: float, threshold: float | None, path: Path) -> Path:
    """Accuracy against coverage (each point a threshold), the target and the chosen threshold."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.0), dpi=110)
    for name, curve in curves.items():
        if len(curve):
            ax.plot(curve["coverage"], curve["accuracy"], "-", lw=1.5, label=name)
            if threshold is not None:
                kept = curve[curve["threshold"] >= threshold]
                if len(kept):
                    ax.plot(kept["coverage"].iloc[-1], kept["accuracy"].iloc[-1], "o", ms=5, color="black")
    ax.axhline(target, color="#aa3333", lw=0.8, ls="--", label=f"target {target:.0%}")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(max(0.0, min([target - 0.3] + [float(c["accuracy"].min()) for c in curves.values() if len(c)])),
                1.01)  # fmt: skip
    ax.set_xlabel("coverage (share of sheets predicted)")
    ax.set_ylabel("accuracy of the predicted")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path


def _thumb(image: np.ndarray, height: int = 150) -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    return cv2.resize(image, (max(1, round(w * height / h)), height), interpolation=cv2.INTER_AREA)


def sample_sheets(cfg: Any, table: pd.DataFrame, assets: Path, per_state: int) -> str:
    """A row of the most confident sheets per predicted state, and of the least confident (abstained)."""
    import cv2

    from herbproc.training.runfiles import open_run_store

    if per_state <= 0 or not len(table):
        return ""
    try:
        store = open_run_store(cfg.run_dir)
    except (FileNotFoundError, OSError):
        return ""
    groups: list[tuple[str, pd.DataFrame]] = []
    kept = table[~table["abstain"]]
    for state in kept["state"].value_counts().index[:8]:
        groups.append((state, kept[kept["state"] == state].nlargest(per_state, "confidence")))
    abstained = table[table["abstain"]]
    if len(abstained):
        groups.append(("abstained", abstained.nsmallest(per_state, "confidence")))
    rows = []
    try:
        for name, sheets in groups:
            cells = []
            for _, s in sheets.iterrows():
                gid = str(s["gbifID"])
                picture = None
                if is_safe_id(gid):  # a file name made of data goes through safe_join
                    file = safe_join(assets, f"phenology_{name.replace('; ', '+')}_{gid}.jpg")
                    image = _thumb(store.image(int(s["row"])))
                    cv2.imwrite(str(file), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
                    picture = file.name
                probs = ", ".join(f"{lb[:2]} {s[c]:.2f}" for lb, c in zip(LABELS, PROB_COLUMNS, strict=True))
                said = str(s["record_condition"]) or "–"
                cells.append({"gbif_id": gid, "picture": picture, "probs": probs, "said": said})
            rows.append((name, cells))
    finally:
        store.close()
    return render("phenology_samples.html.j2", samples=rows)


def report_section(cfg: Any, assets: Path) -> str:
    out = phenology_dir(cfg.run_dir)
    summary = read_json(out / "summary.json")
    if not summary:
        return render("phenology.html.j2", summary=None)
    assets = Path(assets)
    assets.mkdir(parents=True, exist_ok=True)
    accuracy_rows = [
        (f"{split} (record labels)", summary["splits"][split]["per_label"])
        for split in ("train", "val", "test")
        if summary["splits"].get(split)
    ]
    truth = summary.get("truth")
    if truth:
        accuracy_rows += [
            ("all sheets (ground truth)", truth["all"]["per_label"]),
            ("sheets whose record says nothing", truth["record_unknown"]["per_label"]),
        ]
    table = pd.read_parquet(out / "predictions.parquet")
    return render(
        "phenology.html.j2",
        summary=summary,
        truth=truth,
        label_names=list(LABELS),
        accuracy_rows=accuracy_rows,
        curve=_figure(cfg, out, summary, assets),
        unknown=summary["unknown_conditions"],
        samples_html=sample_sheets(cfg, table, assets, int(cfg.phenology.get("samples_per_state", 4))),
    )


def _figure(cfg: Any, out: Path, summary: dict, assets: Path) -> str | None:
    """The coverage / accuracy curve's file name under ``assets`` (None when there is no curve to draw)."""
    curves: dict[str, pd.DataFrame] = {}
    coverage = out / "coverage.csv"
    if coverage.exists() and coverage.stat().st_size:
        curves["validation (record labels)"] = pd.read_csv(coverage)
    table = pd.read_parquet(out / "predictions.parquet")
    truth = truth_table(cfg.run_dir, table["gbifID"])
    if truth is not None:
        t = truth.set_index("gbifID").reindex(table["gbifID"])
        have = t[LABELS[0]].notna().to_numpy()
        probs = table[PROB_COLUMNS].to_numpy(np.float64)[have]
        state = [LABELS.index(lb) for lb in summary.get("state_labels", LABELS)]
        correct = sheet_correct(probs[:, state], t[list(LABELS)].astype(float).to_numpy()[have][:, state])
        curves["all sheets (ground truth)"] = coverage_curve(confidence(probs[:, state]), correct)
    if not curves:
        return None
    threshold = summary["threshold"]["threshold"]
    return curve_figure(curves, summary["target_accuracy"], threshold, assets / "phenology_coverage.png").name


__all__ = ["curve_figure", "report_section", "sample_sheets"]
