"""The run's Darwin Core table, ``<run_dir>/ocr/occurrences.csv``, and the predicted phenology in it.

Three columns are (re)written, after the OCR's own:

    reproductiveCondition             "flowers; fruits (machine-predicted, p=0.93)" where the model predicts;
                                      where it abstains (or the sheet was not predicted), the record's own
                                      reproductiveCondition as the manifest has it, else ""
    reproductiveConditionSource       machine-predicted | record | ""
    reproductiveConditionProbability  the predicted state's confidence (machine-predicted rows), else ""

Both stages call ``apply_to_run`` at the end of their ``finalize`` (whichever runs last wins; running it again
gives the same file): the columns are computed from ``phenology/predictions.parquet`` and the manifest every
time and replace any earlier ones, the OCR's columns are left as they are. A lock serialises two callers, and
the file is only replaced if nobody rewrote it meanwhile (else it is read again).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from herbproc.io import file_lock
from herbproc.paths import RunPaths

log = logging.getLogger("herbproc.occurrences")
CONDITION = "reproductiveCondition"
SOURCE = "reproductiveConditionSource"
PROBABILITY = "reproductiveConditionProbability"
COLUMNS = (CONDITION, SOURCE, PROBABILITY)
MACHINE, RECORD = "machine-predicted", "record"


def occurrences_path(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir("ocr") / "occurrences.csv"


def predictions_path(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir("phenology") / "predictions.parquet"


def machine_text(state: str, probability: float) -> str:
    return f"{state} (machine-predicted, p={probability:.2f})"


def merge(
    occurrences: pd.DataFrame, predictions: pd.DataFrame, records: pd.Series | None = None
) -> pd.DataFrame:
    """``occurrences`` (gbifID + OCR columns, read as strings) with the three columns set.

    ``predictions``: gbifID, state, confidence, abstain; ``records``: the record's text by gbifID."""
    out = occurrences.drop(columns=[c for c in COLUMNS if c in occurrences.columns]).copy()
    ids = out["gbifID"].astype(str)
    pred = predictions.assign(gbifID=predictions["gbifID"].astype(str)).set_index("gbifID")
    kept = pred[~pred["abstain"].astype(bool)]
    states, confidences = kept["state"].astype(str), kept["confidence"].astype(float)
    predicted = dict(zip(kept.index, zip(states, confidences, strict=True), strict=True))
    condition, source, probability = [], [], []
    recorded = {} if records is None else records.fillna("").astype(str).to_dict()
    for gid in ids:
        if gid in predicted:
            state, p = predicted[gid]
            condition.append(machine_text(state, p))
            source.append(MACHINE)
            probability.append(f"{p:.4f}")
            continue
        text = " ".join(recorded.get(gid, "").split())
        condition.append(text)
        source.append(RECORD if text else "")
        probability.append("")
    out[CONDITION], out[SOURCE], out[PROBABILITY] = condition, source, probability
    return out


def _stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns, st.st_size


def apply_to_run(run_dir: str | Path, attempts: int = 5) -> Path | None:
    """Write the phenology columns into ocr/occurrences.csv when both it and the predictions exist."""
    csv, preds = occurrences_path(run_dir), predictions_path(run_dir)
    if not csv.exists() or not preds.exists():
        return None
    predictions = pd.read_parquet(preds, columns=["gbifID", "state", "confidence", "abstain"])
    records = None
    manifest = RunPaths(run_dir).manifest
    if manifest.exists() and CONDITION in pq.read_schema(manifest).names:
        m = pd.read_parquet(manifest, columns=["gbifID", CONDITION])  # not every column of a million records
        records = pd.Series(m[CONDITION].to_numpy(), index=m["gbifID"].astype(str))
    with file_lock(csv.parent / ".occurrences.phenology.lock"):
        for _ in range(attempts):
            before = _stamp(csv)
            table = pd.read_csv(csv, dtype=str, keep_default_na=False)
            if "gbifID" not in table.columns:
                raise ValueError(f"{csv} has no gbifID column: not the OCR stage's occurrences table")
            merged = merge(table, predictions, records)
            tmp = csv.with_name(f".{csv.name}.{os.getpid()}.phenology.tmp")
            try:
                merged.to_csv(tmp, index=False)
                if _stamp(csv) != before:  # the OCR rewrote it meanwhile: merge into the new one
                    continue
                os.replace(tmp, csv)
            finally:
                tmp.unlink(missing_ok=True)
            n = int((merged[SOURCE] == MACHINE).sum())
            log.info("[phenology] %d of %d sheets in %s carry a machine-predicted reproductiveCondition", n,
                     len(merged), csv)  # fmt: skip
            return csv
    raise RuntimeError(f"{csv} kept changing while the phenology columns were merged into it")
