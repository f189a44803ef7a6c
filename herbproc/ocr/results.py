"""The stage's output tables, built from the per-sheet records the shards journaled.

``ocr/results.parquet`` — one row per sheet read: gbifID, status (ok | no_label), engine, size, every Darwin
Core term of ``herbproc.fields.DWC_TERMS`` and its ``<term>_confidence``, the taxon the text alone gives
(``taxon_ocr``, ``taxon_ocr_confidence``), whether a classifier prior was used, where the name came from
(``taxon_source``: label, label+image, partial, image, rules when no taxonomy was given, or "") and Darwin Core
``identificationRemarks`` saying so when not from the label alone, what the list of collectors did to recordedBy
(``collector_source``: list — found by a listed name —, label+list — a misreading written as listed —, or ""), and
nested ``labels`` (index, kind, box, score) and ``lines`` (label, line, box, polygon, text, confidence, engine,
readings).

``ocr/occurrences.csv`` — gbifID first, then the Darwin Core terms (fields below ``ocr.min_confidence`` empty),
then ``identificationRemarks`` when a classifier prior was used for any sheet or names may come from the image.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from herbproc.fields import DWC_TERMS
from herbproc.io import atomic_path

READING = pa.struct([("text", pa.string()), ("confidence", pa.float32()), ("engine", pa.string())])
LINE = pa.struct(
    [
        ("label", pa.int32()),
        ("line", pa.int32()),
        ("x0", pa.int32()),
        ("y0", pa.int32()),
        ("x1", pa.int32()),
        ("y1", pa.int32()),
        ("polygon", pa.list_(pa.float32())),  # x0 y0 x1 y1 x2 y2 x3 y3 (top-left, clockwise)
        ("text", pa.string()),
        ("confidence", pa.float32()),
        ("engine", pa.string()),
        ("readings", pa.list_(READING)),
    ]
)
LABEL = pa.struct(
    [
        ("index", pa.int32()),
        ("kind", pa.string()),
        ("x0", pa.int32()),
        ("y0", pa.int32()),
        ("x1", pa.int32()),
        ("y1", pa.int32()),
        ("score", pa.float32()),
    ]
)
SCHEMA = pa.schema(
    [("gbifID", pa.string()), ("status", pa.string()), ("engine", pa.string()), ("width", pa.int32()),
     ("height", pa.int32())]
    + [(t, pa.string()) for t in DWC_TERMS]
    + [(f"{t}_confidence", pa.float32()) for t in DWC_TERMS]
    + [("taxon_ocr", pa.string()), ("taxon_ocr_confidence", pa.float32()), ("prior_used", pa.bool_()),
       ("taxon_source", pa.string()), ("identificationRemarks", pa.string()), ("collector_source", pa.string()),
       ("n_labels", pa.int32()), ("n_lines", pa.int32()), ("labels", pa.list_(LABEL)), ("lines", pa.list_(LINE))]
)  # fmt: skip


def _box(d: dict[str, Any]) -> dict[str, int]:
    x0, y0, x1, y1 = (int(v) for v in d["box"])
    return {"x0": x0, "y0": y0, "x1": x1, "y1": y1}


def results_row(gbif_id: str, record: dict[str, Any]) -> dict[str, Any]:
    fields = record.get("fields") or {}
    conf = record.get("confidence") or {}
    taxon_ocr = record.get("taxon_ocr") or {}
    row: dict[str, Any] = {
        "gbifID": str(gbif_id),
        "status": record.get("status", "ok"),
        "engine": record.get("engine", ""),
        "width": int(record.get("width", 0)),
        "height": int(record.get("height", 0)),
    }
    row.update({t: str(fields.get(t, "") or "") for t in DWC_TERMS})
    row.update({f"{t}_confidence": float(conf.get(t, 0.0) or 0.0) for t in DWC_TERMS})
    row["taxon_ocr"] = taxon_ocr.get("name") or ""
    row["taxon_ocr_confidence"] = float(taxon_ocr.get("confidence") or 0.0)
    row["prior_used"] = bool(record.get("prior_used", False))
    row["taxon_source"] = str(record.get("taxon_source") or "")
    row["identificationRemarks"] = str(record.get("identificationRemarks") or "")
    row["collector_source"] = str(record.get("collector_source") or "")
    labels = record.get("labels") or []
    lines = record.get("lines") or []
    row["n_labels"], row["n_lines"] = len(labels), len(lines)
    row["labels"] = [{"index": int(lb["index"]), "kind": lb["kind"], **_box(lb), "score": float(lb["score"])}
                     for lb in labels]  # fmt: skip
    row["lines"] = [
        {
            "label": int(ln["label"]),
            "line": int(ln["line"]),
            **_box(ln),
            "polygon": [float(v) for point in ln["polygon"] for v in point],
            "text": ln["text"],
            "confidence": float(ln["confidence"]),
            "engine": ln["engine"],
            "readings": [
                {"text": r["text"], "confidence": float(r["confidence"]), "engine": r["engine"]}
                for r in ln.get("readings", [])
            ],  # fmt: skip
        }
        for ln in lines
    ]
    return row


def results_table(records: Sequence[tuple[str, dict[str, Any]]]) -> pa.Table:
    """The results table of (gbifID, record) pairs, in that order."""
    return pa.Table.from_pylist([results_row(g, r) for g, r in records], schema=SCHEMA)


def journal_table(
    entries: Iterable[dict[str, Any]], position: Mapping[str, int], chunk: int = 2048
) -> pa.Table:
    """The results rows of one shard's journal ``entries``: for each item whose latest entry is ``ok``, its last
    ``ok`` data, ordered by ``position`` (the manifest's row; items without one are left out). The entries are
    turned into Arrow rows ``chunk`` at a time, so a shard's records are never all held as Python objects."""
    latest: dict[str, str] = {}
    ids: list[str] = []
    parts: list[pa.Table] = []
    pending: list[tuple[str, dict[str, Any]]] = []
    for entry in entries:
        if "id" not in entry:
            continue
        iid = str(entry["id"])
        latest[iid] = str(entry.get("status"))
        if entry.get("status") == "ok":
            ids.append(iid)
            pending.append((iid, entry.get("data") or {}))
            if len(pending) >= chunk:
                parts.append(results_table(pending))
                pending = []
    if pending:
        parts.append(results_table(pending))
    if not parts:
        return SCHEMA.empty_table()
    rows = pd.DataFrame({"id": ids, "k": np.arange(len(ids))}).drop_duplicates("id", keep="last")
    rows = rows.assign(status=rows["id"].map(latest), pos=rows["id"].map(position))
    rows = rows[(rows["status"] == "ok") & rows["pos"].notna()].sort_values("pos", kind="stable")
    return pa.concat_tables(parts).take(pa.array(rows["k"].to_numpy()))


def occurrences(
    table: pa.Table | pd.DataFrame, min_confidence: float = 0.0, *, remarks: bool = False
) -> pd.DataFrame:
    """Darwin Core rows, gbifID first; a field below ``min_confidence`` is left empty (a name below it takes
    its remark with it). ``remarks`` adds identificationRemarks."""
    if isinstance(table, pa.Table):
        extra = ["identificationRemarks"] if remarks else []
        columns = ["gbifID", *DWC_TERMS, *(f"{t}_confidence" for t in DWC_TERMS), *extra]
        table = table.select(columns).to_pandas()
    out = pd.DataFrame({"gbifID": table["gbifID"].astype(str)})
    for t in DWC_TERMS:
        keep = table[f"{t}_confidence"] >= min_confidence
        out[t] = table[t].where(keep, "")
    if remarks:
        out["identificationRemarks"] = table["identificationRemarks"].where(out["scientificName"] != "", "")
    return out


def write_outputs(
    out_dir: Path, table: pa.Table, *, min_confidence: float = 0.0, remarks: bool = False
) -> tuple[Path, Path]:
    """``results.parquet`` and ``occurrences.csv`` in ``out_dir``, each written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    parquet, csv = out_dir / "results.parquet", out_dir / "occurrences.csv"
    with atomic_path(parquet) as tmp:
        pq.write_table(table, tmp)
    write_occurrences(parquet, csv, min_confidence, remarks=remarks)
    return parquet, csv


def write_occurrences(
    parquet: Path, csv: Path, min_confidence: float = 0.0, *, remarks: bool = False, batch_rows: int = 65_536
) -> Path:
    """``csv`` (written atomically) from the results table at ``parquet``, read ``batch_rows`` rows at a time and
    only the columns it needs (never the sheets' lines): a million sheets' table is never in memory at once."""
    extra = ["identificationRemarks"] if remarks else []
    columns = ["gbifID", *DWC_TERMS, *(f"{t}_confidence" for t in DWC_TERMS), *extra]
    with (
        pq.ParquetFile(parquet) as source,
        atomic_path(csv) as tmp,
        open(tmp, "w", encoding="utf-8", newline="") as f,
    ):
        first = True
        for batch in source.iter_batches(batch_size=batch_rows, columns=columns):
            occurrences(pa.Table.from_batches([batch]), min_confidence, remarks=remarks).to_csv(
                f, index=False, header=first
            )
            first = False
        if first:  # no rows: the header alone
            occurrences(SCHEMA.empty_table(), min_confidence, remarks=remarks).to_csv(f, index=False)
    return csv
