"""Phenology targets from the records: per manifest row, flowers / fruits / buds as 1, 0 or unknown.

A record's ``reproductiveCondition`` (then a ``phenology`` column, then ``dynamicProperties``, then the free text
of ``occurrenceRemarks`` and ``fieldNotes``) goes through ``parse_phenology_hints``. A stated condition names what is present; the labels it does not name are negatives
when they are listed in ``unstated_negative`` (default: all three — "fl." means flowers and no fruits, as the
synthetic world and most collectors write it), else unknown. "sterile" makes all three negative. A text that
is empty, "unknown" or not understood gives three unknowns (never negatives): the loss ignores them.

Also here: the ground truth of the synthetic world (``<run_dir>/synth/truth/<gbifID>.json``), when it exists.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from herbproc.fields.condition import BUDS, FLOWERS, FRUITS, phenology_hint, summarise_unknown

LABELS = (FLOWERS, FRUITS, BUDS)  # the order of every probability / target vector
FREE_TEXT_COLUMNS = ("occurrenceRemarks", "fieldNotes")
HINT_COLUMNS = ("reproductiveCondition", "phenology", "dynamicProperties", *FREE_TEXT_COLUMNS)


def check_label_names(names: Iterable[str], key: str = "phenology.unstated_negative") -> list[str]:
    names = list(names)
    unknown = [n for n in names if n not in LABELS]
    if unknown:
        raise ValueError(f"wrong value for '{key}': {unknown} (any of: {', '.join(LABELS)})")
    return names


def targets_of(states: frozenset[str] | None, unstated_negative: Sequence[str] = LABELS) -> list[float]:
    """[flowers, fruits, buds] as 1.0 / 0.0 / nan (unknown) for the states a record names (None: unknown)."""
    if states is None:
        return [float("nan")] * len(LABELS)
    if not states:
        return [0.0] * len(LABELS)  # sterile
    return [1.0 if lb in states else (0.0 if lb in unstated_negative else float("nan")) for lb in LABELS]


def record_states(record: Mapping[str, Any]) -> frozenset[str] | None:
    """What a manifest row's hint columns say (None: unknown); missing columns are simply absent."""
    return record_hint(record)[0]


def record_hint(record: Mapping[str, Any]) -> tuple[frozenset[str] | None, str]:
    """``record_states`` and the column the states were read from ("" when unknown)."""
    present = {k: v for k, v in record.items() if k in HINT_COLUMNS and isinstance(v, str) and v.strip()}
    return phenology_hint(present) if present else (None, "")


def label_table(manifest: pd.DataFrame, unstated_negative: Sequence[str] = LABELS) -> pd.DataFrame:
    """gbifID, row, split, condition (the record's text) and one float column per label (1, 0, NaN)."""
    check_label_names(unstated_negative)
    if "gbifID" not in manifest.columns or "row" not in manifest.columns:
        raise ValueError("the manifest lacks gbifID / row columns (not written by stage=ingest?)")
    hints = [c for c in HINT_COLUMNS if c in manifest.columns]
    records = manifest[hints].to_dict("records") if hints else [{}] * len(manifest)
    hinted = [record_hint(r) for r in records]
    # free text names what the collector noticed ("flowers white"), not what is absent: unstated stays unknown
    values = np.array(
        [targets_of(states, () if src in FREE_TEXT_COLUMNS else unstated_negative) for states, src in hinted],
        dtype=np.float32,
    )
    values = values.reshape(len(manifest), len(LABELS))
    out = pd.DataFrame(
        {
            "gbifID": manifest["gbifID"].astype(str).to_numpy(),
            "row": manifest["row"].astype(np.int64).to_numpy(),
            "split": manifest["split"].astype(str).to_numpy() if "split" in manifest else "",
            "condition": _text_column(manifest, "reproductiveCondition"),
        }
    )
    for i, lb in enumerate(LABELS):
        out[lb] = values[:, i]
    out["source"] = np.array([source for _, source in hinted], dtype=object)  # the term the states came from
    return out


def _text_column(manifest: pd.DataFrame, name: str) -> np.ndarray:
    if name not in manifest.columns:
        return np.full(len(manifest), "", dtype=object)
    return manifest[name].fillna("").astype(str).to_numpy()


def row_targets(table: pd.DataFrame, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Targets (float32, unknown = 0) and the known mask (bool), both ``(n_rows, 3)``, indexed by store row."""
    targets = np.zeros((n_rows, len(LABELS)), dtype=np.float32)
    known = np.zeros((n_rows, len(LABELS)), dtype=bool)
    rows = table["row"].to_numpy(np.int64)
    if len(rows) and (rows.min() < 0 or rows.max() >= n_rows):
        raise ValueError(
            f"manifest rows outside the store's 0..{n_rows - 1}: the store is not this manifest's"
        )
    values = table[list(LABELS)].to_numpy(np.float32)
    known[rows] = ~np.isnan(values)
    targets[rows] = np.nan_to_num(values, nan=0.0)
    return targets, known


def manifest_targets(
    manifest_path: Path, n_rows: int, unstated_negative: Sequence[str] = LABELS
) -> tuple[np.ndarray, np.ndarray]:
    """``row_targets`` of the manifest beside a store (what the joint trainer reads)."""
    if not manifest_path.exists():
        raise FileNotFoundError(f"{manifest_path} does not exist: phenology targets come from the manifest")
    return row_targets(label_table(pd.read_parquet(manifest_path), unstated_negative), n_rows)


def unknown_texts(manifest: pd.DataFrame) -> Counter[str]:
    """reproductiveCondition values that are neither empty / "unknown" nor understood, with their counts."""
    if "reproductiveCondition" not in manifest.columns:
        return Counter()
    return summarise_unknown(manifest["reproductiveCondition"].tolist())


def label_counts(table: pd.DataFrame) -> dict[str, Any]:
    """How many rows have each label known, positive and negative, and how many have none known."""
    values = table[list(LABELS)].to_numpy(np.float32)
    known = ~np.isnan(values)
    return {
        "rows": len(table),
        "none_known": int((~known.any(axis=1)).sum()),
        "known": {lb: int(known[:, i].sum()) for i, lb in enumerate(LABELS)},
        "positive": {lb: int((values[:, i] == 1).sum()) for i, lb in enumerate(LABELS)},
        "empty_or_unknown_marker": int(sum(1 for t in table["condition"] if _is_marker(t))),
        "sources": {str(k): int(v) for k, v in table["source"].value_counts().items() if k}
        if "source" in table.columns
        else {},
    }


def _is_marker(text: str) -> bool:
    from herbproc.fields.condition import is_unknown_marker

    return is_unknown_marker(text)


# --------------------------------------------------------------------------------------------- ground truth


def truth_table(run_dir: str | Path, gbif_ids: Iterable[str] | None = None) -> pd.DataFrame | None:
    """gbifID + one bool column per label from the synthetic world's truth files (None when there are none)."""
    folder = Path(run_dir) / "synth" / "truth"
    if not folder.is_dir():
        return None
    wanted = None if gbif_ids is None else {str(g) for g in gbif_ids}
    rows = []
    for path in sorted(folder.glob("*.json")):
        if wanted is not None and path.stem not in wanted:
            continue
        try:
            phen = json.loads(path.read_text())["phenology"]
            rows.append({"gbifID": path.stem, **{lb: bool(phen[lb]) for lb in LABELS}})
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a truth file being written or not the synth stage's: not counted
    if not rows:
        return None
    return pd.DataFrame(rows, columns=["gbifID", *LABELS])
