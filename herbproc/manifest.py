"""Reading the run's manifest (``<run_dir>/manifest.parquet``): whole, or only the rows of one shard.

A base module: every stage reads the manifest through it, so no stage imports ingest (``herbproc.gbif``) for it.

Ingest writes the manifest in row groups of ``ROW_GROUP_ROWS`` rows. A shard's rows are a contiguous range
(``Shard.bounds``), so ``load_manifest_rows`` reads only the row groups that overlap the range: at 1 M rows and
200 shards (5,000 rows each) a shard reads one or two row groups of 8,192 rows instead of the whole file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from herbproc.paths import RunPaths
from herbproc.shard import Shard

# Rows per row group of manifest.parquet. 8,192 = 32 store blocks of 256 images (the default Zarr shard and HDF5 part), so
# a shard aligned on store blocks never starts in the middle of a block's group; small enough that a shard of
# a 1 M-row manifest split 200 ways (5,000 rows) reads at most ~2 groups, large enough that the file's metadata
# (one entry per group and column) stays small (~120 groups at 1 M rows) and compression works on long runs.
ROW_GROUP_ROWS = 8192


def manifest_path(run_dir: str | Path) -> Path:
    """The manifest's path; FileNotFoundError that says to run ingest when it is not there."""
    path = RunPaths(run_dir).manifest
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run stage=ingest first")
    return path


def _fix_types(df: pd.DataFrame) -> pd.DataFrame:
    if "gbifID" in df.columns:
        df["gbifID"] = df["gbifID"].astype(str)
    return df


def load_manifest(run_dir: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The run's whole manifest (or some of its columns), with a clear error when ingest has not written it."""
    path = manifest_path(run_dir)
    return _fix_types(pd.read_parquet(path, columns=list(columns) if columns is not None else None))


def manifest_rows(run_dir: str | Path) -> int:
    """The number of rows of the manifest, from the Parquet footer (no data is read)."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(manifest_path(run_dir)).metadata.num_rows


def manifest_columns(run_dir: str | Path) -> list[str]:
    """The manifest's column names, from the Parquet footer (no data is read)."""
    import pyarrow.parquet as pq

    return list(pq.ParquetFile(manifest_path(run_dir)).schema_arrow.names)


def overlapping_groups(group_rows: Sequence[int], start: int, stop: int) -> tuple[list[int], int]:
    """The indices of the row groups (of ``group_rows`` rows each, in order) that overlap rows [start, stop),
    and the row at which the first of them starts."""
    groups: list[int] = []
    first = 0
    if start >= stop:
        return groups, first
    offset = 0
    for g, n in enumerate(group_rows):
        if offset < stop and offset + n > start:
            if not groups:
                first = offset
            groups.append(g)
        offset += n
        if offset >= stop:
            break
    return groups, first


def load_manifest_rows(
    run_dir: str | Path, start: int, stop: int, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """Rows [start, stop) of the manifest (clipped to its length), reading only the row groups they lie in.

    The same rows, columns and dtypes as ``load_manifest(run_dir).iloc[start:stop]``, index included."""
    import pyarrow.parquet as pq

    f = pq.ParquetFile(manifest_path(run_dir))
    meta = f.metadata
    n = meta.num_rows
    start, stop = max(0, min(start, n)), max(0, min(stop, n))
    stop = max(start, stop)
    cols = list(columns) if columns is not None else None
    sizes = [meta.row_group(g).num_rows for g in range(meta.num_row_groups)]
    groups, first = overlapping_groups(sizes, start, stop)
    if groups:
        table = f.read_row_groups(groups, columns=cols, use_pandas_metadata=True)
    else:
        table = f.schema_arrow.empty_table()
        if cols is not None:
            table = table.select(cols)
    table = table.slice(start - first, stop - start)
    df = table.to_pandas()
    df.index = pd.RangeIndex(start, stop)
    return _fix_types(df)


def load_shard_manifest(
    run_dir: str | Path, shard: Shard, align: int = 1, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """The manifest rows of ``shard`` (``shard.bounds(rows, align)``), read row group by row group."""
    start, stop = shard.bounds(manifest_rows(run_dir), align)
    return load_manifest_rows(run_dir, start, stop, columns)
