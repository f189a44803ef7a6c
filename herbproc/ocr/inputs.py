"""What the OCR stage reads besides the images: the run's taxonomy and the classifier's predictions.

Predictions (``<run_dir>/predict/predictions.parquet``, written by ``stage=predict``): one row per sheet,

    gbifID: string | topk_names: list<string> | topk_probs: list<double>

best first, probabilities the classifier's softmax (they sum to at most 1). Other columns are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from herbproc.fields import TaxonIndex
from herbproc.paths import RunPaths

PREDICTION_COLUMNS = ("gbifID", "topk_names", "topk_probs")
Prior = dict[str, float]


def default_predictions(run_dir: str | Path) -> Path:
    return RunPaths(run_dir).stage_dir("predict") / "predictions.parquet"


def taxonomy(names_file: str | None, manifest: pd.DataFrame | None) -> TaxonIndex | None:
    """``names_file`` when given, else the manifest's scientific names (its class names when it has none); the
    manifest's genus and family columns, where it has them, tell the index each genus's family (the family line
    of a label is evidence for ``ocr.label_evidence``)."""
    families = genus_families(manifest)
    if names_file:
        return TaxonIndex(Path(names_file).expanduser(), families)
    if manifest is None:
        return None
    for column in ("scientificName", "label_name"):
        if column in manifest.columns:
            names = _distinct(manifest[column])
            if names:
                index = TaxonIndex(names, families)
                if len(index):
                    return index
    return None


def genus_families(manifest: pd.DataFrame | None) -> dict[str, str]:
    """genus → family from the manifest's ``genus`` and ``family`` columns (a genus with two families: the more
    frequent)."""
    if manifest is None or not {"genus", "family"} <= set(manifest.columns):
        return {}
    pairs = manifest[["genus", "family"]].dropna().astype(str)
    pairs = pairs[(pairs["genus"].str.strip() != "") & (pairs["family"].str.strip() != "")]
    if pairs.empty:
        return {}
    counts = pairs.groupby(["genus", "family"]).size().reset_index(name="n").sort_values("n", kind="stable")
    return {str(g).strip(): str(f).strip() for g, f in zip(counts["genus"], counts["family"], strict=True)}


def _distinct(values: Iterable[object]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))


def _predictions_columns(path: Path) -> None:
    if not path.exists():
        raise FileNotFoundError(f"predictions file not found: {path}")
    try:
        have = pq.read_schema(path).names
    except Exception as e:
        raise ValueError(f"cannot read predictions {path}: {e}") from None
    missing = [c for c in PREDICTION_COLUMNS if c not in have]
    if missing:
        raise ValueError(
            f"predictions {path} lacks column(s) {', '.join(missing)} (expected: {', '.join(PREDICTION_COLUMNS)})"
        )


def _prior(path: Path, gid: object, names: object, probs: object) -> Prior:
    """One sheet's top-k as name → probability; ValueError naming the sheet when the row is not one."""
    names = list(names) if names is not None else []
    probs = [float(p) if p is not None else math.nan for p in (probs if probs is not None else [])]
    if len(names) != len(probs):
        raise ValueError(f"predictions {path}, gbifID {gid}: {len(names)} names but {len(probs)} probabilities")
    if any(not math.isfinite(p) or p < 0 for p in probs) or sum(probs) > 1.0 + 1e-4:
        raise ValueError(
            f"predictions {path}, gbifID {gid}: probabilities must be >= 0 and sum to at most 1, got {probs}"
        )
    prior: Prior = {}
    for name, p in zip(names, probs, strict=True):
        if isinstance(name, str) and name.strip():
            prior[name] = prior.get(name, 0.0) + p
    return prior


def load_predictions(path: str | Path, ids: Collection[str] | None = None) -> dict[str, Prior]:
    """gbifID → {class name: probability} from a predictions Parquet, of the gbifIDs ``ids`` only when given (a
    shard's: not a million sheets' priors in every task); ValueError naming what is wrong."""
    path = Path(path)
    _predictions_columns(path)
    try:
        table = pq.read_table(path, columns=list(PREDICTION_COLUMNS))
        if ids is not None:
            wanted = pa.array(sorted({str(i) for i in ids}), pa.string())
            table = table.filter(pc.is_in(table["gbifID"].cast(pa.string()), value_set=wanted))
        df = table.to_pandas()
    except Exception as e:
        raise ValueError(f"cannot read predictions {path}: {e}") from None
    return {
        str(gid): _prior(path, gid, names, probs)
        for gid, names, probs in zip(df["gbifID"], df["topk_names"], df["topk_probs"], strict=True)
    }


def check_predictions(path: str | Path, batch_rows: int = 65_536) -> int:
    """What ``load_predictions`` would refuse, found batch by batch without building a sheet's prior (the
    launcher checks a million sheets' file before submitting): the rows checked, or ValueError naming the first
    bad sheet."""
    path = Path(path)
    _predictions_columns(path)
    rows, first = 0, None
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=batch_rows, columns=list(PREDICTION_COLUMNS)):
            bad = _bad_rows(batch["topk_names"], batch["topk_probs"])
            first = {c: batch[c][int(bad[0])].as_py() for c in PREDICTION_COLUMNS} if len(bad) else None
            if first is not None:
                break
            rows += batch.num_rows
    except Exception as e:  # a damaged file, columns that are not lists (pyarrow's errors, ValueError among them)
        raise ValueError(f"cannot read predictions {path}: {e}") from None
    if first is not None:
        _prior(path, first["gbifID"], first["topk_names"], first["topk_probs"])  # raises, naming the sheet
    return rows


def _bad_rows(names: pa.Array, probs: pa.Array) -> np.ndarray:
    """Rows whose names and probabilities differ in number, or whose probabilities are not >= 0 or sum over 1."""
    n = len(probs)
    bad = np.asarray(pc.fill_null(pc.list_value_length(names), 0)) != np.asarray(
        pc.fill_null(pc.list_value_length(probs), 0)
    )
    parents = np.asarray(pc.list_parent_indices(probs))
    values = np.asarray(pc.fill_null(pc.cast(pc.list_flatten(probs), pa.float64()), math.nan))
    wrong = ~np.isfinite(values) | (values < 0)
    bad[parents[wrong]] = True
    bad |= np.bincount(parents, weights=np.where(wrong, 0.0, values), minlength=n) > 1.0 + 1e-4
    return np.flatnonzero(bad)


def write_predictions(path: str | Path, rows: Iterable[tuple[str, list[str], list[float]]]) -> Path:
    """A predictions Parquet in the shape ``load_predictions`` reads (tests, simulations, other classifiers)."""
    from herbproc.io import atomic_path

    df = pd.DataFrame(rows, columns=list(PREDICTION_COLUMNS))
    df["gbifID"] = df["gbifID"].astype(str)
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)
    return Path(path)
