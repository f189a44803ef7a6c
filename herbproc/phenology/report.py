"""The phenology section of the run report: the numbers, the coverage / accuracy curve, example sheets."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from herbproc.io import read_json
from herbproc.paths import is_safe_id, safe_join
from herbproc.phenology.decision import confidence, coverage_curve, sheet_correct
from herbproc.phenology.labels import LABELS, truth_table
from herbproc.phenology.predict import PROB_COLUMNS
from herbproc.phenology.train import phenology_dir


def _pct(v: Any) -> str:
    return "–" if v is None else f"{v:.1%}"


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

    from herbproc.ielt.data import open_run_store

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
            cells = ""
            for _, s in sheets.iterrows():
                gid = str(s["gbifID"])
                picture = ""
                if is_safe_id(gid):  # a file name made of data goes through safe_join
                    file = safe_join(assets, f"phenology_{name.replace('; ', '+')}_{gid}.jpg")
                    image = _thumb(store.image(int(s["row"])))
                    cv2.imwrite(str(file), cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
                    picture = f"<img src='{html.escape(file.name)}' alt='sheet'>"
                probs = ", ".join(f"{lb[:2]} {s[c]:.2f}" for lb, c in zip(LABELS, PROB_COLUMNS, strict=True))
                said = html.escape(str(s["record_condition"]) or "–")
                cells += (f"<figure style='display:inline-block;margin:2px'>{picture}"
                          f"<figcaption>{html.escape(gid)}: {probs}<br>record: {said}"
                          "</figcaption></figure>")  # fmt: skip
            rows.append(f"<tr><td>{html.escape(name)}</td><td>{cells}</td></tr>")
    finally:
        store.close()
    return "<p>Example sheets per predicted state:</p><table>" + "".join(rows) + "</table>"


def report_section(cfg: Any, assets: Path) -> str:
    esc = html.escape
    out = phenology_dir(cfg.run_dir)
    summary = read_json(out / "summary.json")
    if not summary:
        return "<p>phenology has not finished.</p>"
    assets = Path(assets)
    assets.mkdir(parents=True, exist_ok=True)
    thr = summary["threshold"]
    labels = summary["labels_from_records"]
    test = summary["splits"].get("test", {})
    parts = [
        f"<p>Mode <b>{esc(summary['mode'])}</b> (<code>{esc(summary['model_file'])}</code>), {summary['sheets']} sheets. "
        f"Labels from the records: {labels['rows'] - labels['none_known']} of {labels['rows']} rows state at least "
        f"one of flowers / fruits / buds; {labels['none_known']} are unknown (empty, 'unknown' or not understood), "
        f"and stay unknown (masked out of the loss)"
        + (
            "; read from " + ", ".join(f"{esc(k)} {v}" for k, v in labels["sources"].items())
            if labels.get("sources")
            else ""
        )
        + ".</p>",
        f"<p>Threshold for {summary['target_accuracy']:.0%} accuracy on validation: "
        + (
            f"<b>confidence ≥ {thr['threshold']:.3f}</b>"
            if thr["threshold"] is not None
            else "<b>none reaches it: the model abstains on every sheet</b>"
        )
        + f" ({'fixed' if summary['fixed_threshold'] else 'chosen'}; validation: {thr['kept']} of {thr['scored']} "
        f"scored sheets kept, accuracy {_pct(thr['accuracy'])}). Test split: coverage {_pct(test.get('coverage'))}, "
        f"accuracy {_pct(test.get('accuracy'))} (all test sheets: {_pct(test.get('accuracy_all'))}). "
        f"{summary['predicted']['kept']} sheets predicted, {summary['predicted']['abstained']} abstained.</p>",
    ]
    head = "".join(f"<th>{esc(lb)}</th>" for lb in LABELS)
    rows = []
    for split in ("train", "val", "test"):
        s = summary["splits"].get(split)
        if s:
            cells = "".join(f"<td class='num'>{_pct(s['per_label'][lb])}</td>" for lb in LABELS)
            rows.append(f"<tr><td>{esc(split)} (record labels)</td>{cells}</tr>")
    truth = summary.get("truth")
    if truth:
        for key, name in (
            ("all", "all sheets (ground truth)"),
            ("record_unknown", "sheets whose record says nothing"),
        ):
            cells = "".join(f"<td class='num'>{_pct(truth[key]['per_label'][lb])}</td>" for lb in LABELS)
            rows.append(f"<tr><td>{esc(name)}</td>{cells}</tr>")
        a = truth["all"]
        parts.append(
            f"<p>Against the synthetic world's ground truth: at the threshold, coverage {_pct(a['coverage'])} and "
            f"accuracy {_pct(a['accuracy'])} of all sheets ({_pct(a['accuracy_all'])} without abstaining); on the "
            f"sheets whose record gives no condition, coverage {_pct(truth['record_unknown']['coverage'])}, accuracy "
            f"{_pct(truth['record_unknown']['accuracy'])}.</p>"
        )
    parts.append(f"<table><tr><th>per-label accuracy (p ≥ 0.5)</th>{head}</tr>{''.join(rows)}</table>")
    parts.append(_figure(cfg, out, summary, assets))
    unknown = summary["unknown_conditions"]
    if unknown["top"]:
        items = "".join(f"<tr><td>{esc(t)}</td><td class='num'>{n}</td></tr>" for t, n in unknown["top"][:10])
        parts.append(
            f"<p>{unknown['records']} records with {unknown['distinct']} reproductiveCondition texts that were not "
            "understood (all in <code>phenology/unknown_conditions.csv</code>):</p>"
            f"<table><tr><th>text</th><th>records</th></tr>{items}</table>"
        )
    table = pd.read_parquet(out / "predictions.parquet")
    parts.append(sample_sheets(cfg, table, assets, int(cfg.phenology.get("samples_per_state", 4))))
    parts.append(
        "<p>Table: <code>phenology/predictions.parquet</code>; curve: <code>phenology/coverage.csv</code>.</p>"
    )
    return "\n".join(p for p in parts if p)


def _figure(cfg: Any, out: Path, summary: dict, assets: Path) -> str:
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
        return ""
    threshold = summary["threshold"]["threshold"]
    path = curve_figure(curves, summary["target_accuracy"], threshold, assets / "phenology_coverage.png")
    return (f"<figure><img src='{html.escape(path.name)}' alt='coverage and accuracy' style='max-width:60%'><figcaption>accuracy "
            "of the predicted sheets against the share predicted, one point per confidence threshold (dot: the "
            "chosen one)</figcaption></figure>")  # fmt: skip


__all__ = ["curve_figure", "report_section", "sample_sheets"]
