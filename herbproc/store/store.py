"""The image store of a run: ``open_store`` for reading, ``create_store`` before the download, writers for the
stages that add per-image arrays.

    store = open_store("<run_dir>/store")            # zarr or hdf5, whichever is there
    store.image(i)                                     # uint8 H x W x 3 (the masked copy when present)
    store.original(i), store.valid, store.gbif_ids, store.metadata()

See docs/data-layout.md for the files, and for opening them with plain zarr or h5py.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from herbproc.io import atomic_write_json, file_lock
from herbproc.paths import RunPaths
from herbproc.store.layout import (
    ArraySpec,
    Layout,
    StoreError,
    core_arrays,
    decode_pixels,
    encode_pixels,
    valid_name,
)

log = logging.getLogger("herbproc.store")
BACKENDS = ("zarr", "hdf5")
CREATING = ".herbproc-creating"  # in a store create_store has begun and not finished
VARIANTS = ("auto", "raw", "masked")
VARIANT_ARRAYS = {"raw": "image", "masked": "image_masked"}
METADATA_COLUMNS = ("height", "width", "nbytes", "sha256", "content_type", "image_format", "orientation")


def ids_digest(gbif_ids) -> str:
    h = hashlib.sha256()
    for gid in gbif_ids:
        h.update(str(gid).encode())
        h.update(b"\n")
    return h.hexdigest()


def _backend_class(name: str):
    if name == "zarr":
        from herbproc.store.zarr_backend import ZarrBackend

        return ZarrBackend
    if name == "hdf5":
        from herbproc.store.hdf5_backend import HDF5Backend

        return HDF5Backend
    raise StoreError(f"unknown store backend '{name}' (choices: {', '.join(BACKENDS)})")


class ImageStore:
    """Read access (and, opened writable, per-family block writers) to one store folder."""

    def __init__(self, path: str | Path, *, variant: str = "auto", writable: bool = False):
        self.path = Path(path)
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant '{variant}' (choices: {', '.join(VARIANTS)})")
        self.writable = writable
        self.layout = Layout.load(self.path)
        self.backend = _backend_class(self.layout.backend)(self.path, self.layout, writable=writable)
        self.variant = self._resolve_variant(variant)
        self._cache: dict[str, np.ndarray] = {}

    def _resolve_variant(self, variant: str) -> str:
        """auto: the masked copy once the mask stage has finished writing it, else the raw copy."""
        if variant == "raw":
            return "raw"
        has_masked = "image_masked" in self.layout.arrays
        if variant == "masked":
            if not has_masked:
                raise StoreError(
                    f"{self.path} has no masked copy (image_masked): run stage=mask, or use variant='raw'"
                )
            return "masked"  # rows the mask stage has not written fail one by one (mask_valid)
        return "masked" if has_masked and "mask" in self.layout.complete else "raw"

    def mark_complete(self, family: str) -> None:
        """Record that the stage writing ``family`` has finished (its finalize calls this)."""
        with file_lock(self.path / ".layout.lock"):
            fresh = Layout.load(self.path)
            if family not in fresh.complete:
                fresh.complete.append(family)
                atomic_write_json(self.path / "layout.json", fresh.to_json())
            self.layout.complete = list(fresh.complete)
        for tmp in clean_temp_files(self.path):  # the stage's writers are done: what is left was killed
            log.info("removed %s, left by a killed writer", tmp)

    # ---------------------------------------------------------------- basics

    def __len__(self) -> int:
        return self.layout.n

    def __repr__(self) -> str:
        return f"ImageStore({str(self.path)!r}, {self.layout.backend}, n={self.layout.n}, variant={self.variant})"

    @property
    def block(self) -> int:
        """Images per Zarr shard / HDF5 part: writers must own whole blocks (``Shard.select(rows, align=block)``)."""
        return self.layout.block

    def column(self, name: str) -> np.ndarray:
        """A whole per-row array (cached; refreshed by ``refresh()``)."""
        if name not in self._cache:
            if hasattr(self.backend, "read_column"):
                self._cache[name] = self.backend.read_column(name)
            else:
                self._cache[name] = self.backend.read(name, slice(None))
        return self._cache[name]

    def refresh(self) -> None:
        self._cache.clear()
        if hasattr(self.backend, "close"):
            self.backend.close()

    @property
    def gbif_ids(self) -> np.ndarray:
        return self.column("gbif_id").astype(object)

    @property
    def labels(self) -> np.ndarray:
        return self.column("label").astype(np.int64)

    @property
    def valid(self) -> np.ndarray:
        return self.column("valid").astype(bool)

    def valid_for(self, variant: str | None = None) -> np.ndarray:
        """Rows with an image for ``variant`` (masked: stored and masked)."""
        variant = variant or self.variant
        ok = self.valid
        if variant == "masked":
            ok = ok & self.column(valid_name("mask")).astype(bool)
        return ok

    # ---------------------------------------------------------------- images

    def image(self, i: int, variant: str | None = None) -> np.ndarray:
        """Row ``i``'s training copy, uint8 H x W x 3 RGB (masked or raw per the store's variant)."""
        variant = self._resolve_variant(variant) if variant else self.variant
        spec = self.layout.arrays[VARIANT_ARRAYS[variant]]
        if variant == "masked" and not self.column(valid_name("mask"))[int(i)]:
            raise StoreError(f"row {i} has no masked copy (mask_valid is 0)")
        return decode_pixels(spec, self.backend.read(spec.name, int(i)))

    def images(self, rows, variant: str | None = None) -> list[np.ndarray]:
        """Several rows in one backend call (faster than ``image`` one by one on Zarr)."""
        variant = self._resolve_variant(variant) if variant else self.variant
        spec = self.layout.arrays[VARIANT_ARRAYS[variant]]
        stored = self.backend.read(spec.name, np.asarray(rows, dtype=np.int64))
        return [decode_pixels(spec, s) for s in stored]

    def read(self, name: str, i: int):
        """Row ``i`` of any array, decoded (pixel arrays) or as stored."""
        spec = self.layout.arrays.get(name)
        if spec is None:
            raise StoreError(f"the store has no array '{name}' (has: {', '.join(self.layout.arrays)})")
        value = self.backend.read(name, int(i))
        return decode_pixels(spec, value) if spec.kind == "pixels" else value

    def values(self, name: str, rows) -> list:
        """Several rows of a per-row array as stored (texts, bytes, numbers), in one backend call: a block's
        rows cost about one row's read on Zarr."""
        if name not in self.layout.arrays:
            raise StoreError(f"the store has no array '{name}' (has: {', '.join(self.layout.arrays)})")
        return list(self.backend.read(name, np.asarray(rows, dtype=np.int64)))

    def original(self, i: int) -> bytes:
        """The bytes exactly as downloaded (b'' when the row has none)."""
        value = self.backend.read("original", int(i))
        return bytes(value) if value is not None else b""

    def metadata(self) -> pd.DataFrame:
        """One row per image: row, gbifID, label, valid and the download metadata."""
        df = pd.DataFrame(
            {"row": np.arange(len(self)), "gbifID": self.gbif_ids, "label": self.labels, "valid": self.valid}
        )
        for col in METADATA_COLUMNS:
            df[col] = self.column(col)
        box = self.column("box").reshape(-1, 4) if len(self) else np.zeros((0, 4), np.int32)
        for k, name in enumerate(("box_y0", "box_x0", "box_y1", "box_x1")):
            df[name] = box[:, k]
        return df

    def dataset(self, rows=None, *, transform=None, variant: str | None = None):
        from herbproc.store.dataset import StoreDataset

        return StoreDataset(self.path, rows=rows, transform=transform, variant=variant or self.variant)

    def close(self) -> None:
        self.refresh()

    # ---------------------------------------------------------------- writing

    def owned_rows(self, shard) -> range:
        """The rows a job shard may write: whole blocks, so that no two shards share a file."""
        start, stop = shard.bounds(len(self), align=self.block)
        return range(start, stop)

    def ensure_array(self, spec: ArraySpec) -> ArraySpec:
        """Add an array (idempotent; safe when several shards call it at once). A new family gets its
        ``<family>_valid`` flag array too. Returns the spec as stored."""
        if spec.name in self.layout.arrays:
            have = self.layout.arrays[spec.name]
            if (have.kind, have.shape, have.codec, have.family) != (
                spec.kind,
                spec.shape,
                spec.codec,
                spec.family,
            ):
                raise StoreError(f"array '{spec.name}' exists with another definition: {have}")
            return have
        flag = ArraySpec(
            valid_name(spec.family),
            "value",
            dtype="uint8",
            codec="zstd",
            family=spec.family,
            description=f"1 when the row's {spec.family} arrays are written",
        )
        with file_lock(self.path / ".layout.lock"):
            fresh = Layout.load(self.path)
            new = [s for s in (spec, flag) if s.name not in fresh.arrays]
            fresh.arrays.update({s.name: s for s in new})
            self.layout.arrays.update(fresh.arrays)
            for s in new:
                self.backend.add_array(s)
            if new:
                atomic_write_json(self.path / "layout.json", fresh.to_json())
        return self.layout.arrays[spec.name]

    def writer(self, family: str = "core", rows: range | None = None) -> BlockWriter:
        if not self.writable:
            raise StoreError(f"{self.path} is open read-only; use open_store(path, writable=True)")
        return BlockWriter(self, family, rows)


class BlockWriter:
    """Buffers per-row values of one family and writes them block by block.

    ``put(row, name=value, ...)`` (pixel arrays take uint8 arrays, encoded here, or already-encoded bytes);
    ``flush()`` writes every buffered block, data first and the family's validity flag last (set to 1 for each
    row put, unless given). Use as a context manager to flush on exit. ``rows`` limits the rows accepted (the
    caller's own blocks)."""

    def __init__(self, store: ImageStore, family: str, rows: range | None = None):
        self.store = store
        self.family = family
        self.allowed = rows
        self.flag = valid_name(family)
        self.names = {a.name for a in store.layout.family_arrays(family)}
        if self.flag not in self.names:
            raise StoreError(f"no array of family '{family}' in {store.path}: call ensure_array first")
        self._pending: dict[int, dict[int, dict]] = defaultdict(dict)
        self._lock = threading.Lock()

    def encode(self, name: str, value):
        spec = self.store.layout.arrays[name]
        if spec.kind == "pixels" and not isinstance(value, (bytes, bytearray)):
            return encode_pixels(spec, value)
        return value

    def put(self, row: int, **values) -> None:
        row = int(row)
        if not 0 <= row < len(self.store):
            raise IndexError(f"row {row} outside 0..{len(self.store) - 1}")
        if self.allowed is not None and row not in self.allowed:
            raise StoreError(
                f"row {row} is outside this writer's blocks {self.allowed.start}-{self.allowed.stop - 1}"
            )
        unknown = set(values) - self.names
        if unknown:
            raise StoreError(
                f"arrays {sorted(unknown)} are not in family '{self.family}' ({sorted(self.names)})"
            )
        encoded = {k: self.encode(k, v) for k, v in values.items()}
        encoded.setdefault(self.flag, 1)
        with self._lock:
            self._pending[row // self.store.block][row] = encoded

    def pending(self) -> int:
        return sum(len(v) for v in self._pending.values())

    def flush(self, blocks=None) -> int:
        """Write what is buffered (of ``blocks`` only, if given); returns the number of rows written.

        Safe to call from several threads at once for different blocks."""
        with self._lock:
            chosen = (
                sorted(self._pending) if blocks is None else sorted(b for b in blocks if b in self._pending)
            )
            pending = {b: self._pending.pop(b) for b in chosen}
        written = 0
        for block, rows_map in pending.items():
            rows = np.array(sorted(rows_map), dtype=np.int64)
            names = sorted({k for v in rows_map.values() for k in v})
            values: dict[str, list] = {}
            for name in names:
                missing = [r for r in rows if name not in rows_map[r]]
                if missing:
                    raise StoreError(
                        f"array '{name}' given for some rows of block {block} but not row {missing[0]}"
                    )
                values[name] = [rows_map[r][name] for r in rows]
            self.store.backend.write_block(self.family, block, rows, values)
            written += len(rows)
        self.store._cache.clear()
        return written

    def __enter__(self) -> BlockWriter:
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.flush()


def open_store(path: str | Path, variant: str = "auto", *, writable: bool = False) -> ImageStore:
    """Open a store folder (``<run_dir>/store``) or a run directory holding one."""
    path = Path(path).expanduser()
    if not (path / "layout.json").exists() and (RunPaths(path).store / "layout.json").exists():
        path = RunPaths(path).store
    return ImageStore(path, variant=variant, writable=writable)


def create_store(
    path: str | Path,
    *,
    backend: str,
    gbif_ids,
    labels,
    height: int = 900,
    width: int = 600,
    pad_value: int = 0,
    codec: str = "jpeg",
    quality: int = 95,
    level: int = 3,
    block: int | None = None,
) -> ImageStore:
    """Create an empty store sized for ``gbif_ids`` (the manifest's rows), ready for parallel writers."""
    path = Path(path)
    if backend not in BACKENDS:
        raise StoreError(f"unknown store backend '{backend}' (choices: {', '.join(BACKENDS)})")
    if (path / "layout.json").exists():
        raise StoreError(f"{path} already holds a store")
    gbif_ids = [str(g) for g in gbif_ids]
    labels = [int(v) for v in labels]
    if len(gbif_ids) != len(labels):
        raise ValueError("gbif_ids and labels differ in length")
    block = int(block or 256)  # images per Zarr shard / HDF5 part
    if block < 1:
        raise ValueError("block must be at least 1")
    layout = Layout(
        backend=backend,
        n=len(gbif_ids),
        block=block,
        height=int(height),
        width=int(width),
        pad_value=int(pad_value),
        arrays=core_arrays(int(height), int(width), codec, int(quality), int(level)),
        ids_sha256=ids_digest(gbif_ids),
    )
    path.mkdir(parents=True, exist_ok=True)
    atomic_write_json(path / CREATING, {"pid": os.getpid()})  # says whose half-made store this is, if it dies
    cls = _backend_class(backend)
    initial = {"gbif_id": gbif_ids, "label": labels}
    if backend == "zarr":
        cls.create(path, layout)
        store_tmp = cls(path, layout, writable=True)
        for b in range(layout.n_blocks):
            rows = layout.block_rows(b)
            store_tmp.write_block(
                "init",
                b,
                np.arange(rows.start, rows.stop),
                {k: v[rows.start : rows.stop] for k, v in initial.items()},
            )
    else:
        cls.create(path, layout, initial)
    # layout.json last: its presence says the store is complete
    atomic_write_json(path / "layout.json", layout.to_json(), sync_dir=True)
    (path / CREATING).unlink(missing_ok=True)
    return ImageStore(path, writable=True)


def require_stored_images(store: ImageStore, stage: str) -> None:
    """A stage that reads the images steps aside when not one was stored (every download failed)."""
    from herbproc.shard import StageSkipped

    if not np.asarray(store.valid, dtype=bool).any():
        raise StageSkipped(
            f"the store holds no image ({len(store)} record(s), every download failed or did not decode: see "
            f"download/failures.csv): {stage} has nothing to read"
        )


def is_unfinished_store(path: str | Path) -> bool:
    """True for a store ``create_store`` began and never finished (no layout.json): safe to delete. A folder
    with other files and no such mark is not herbproc's to delete."""
    path = Path(path)
    if not path.is_dir() or path.is_symlink() or (path / "layout.json").exists():
        return False
    return (path / CREATING).is_file() or not any(path.iterdir())


TEMP_PATTERNS = ("**/*.partial", "**/.*.tmp", "**/.*.tmp.*")


def clean_temp_files(path: str | Path, min_age_s: float = 300.0) -> list[Path]:
    """Remove the temporary files of writers that were killed (zarr's ``*.partial``, HDF5 parts' ``.*.tmp``)
    that have not changed for ``min_age_s`` seconds (a live writer's file is younger). Returns what went."""
    now = time.time()
    removed = []
    for pattern in TEMP_PATTERNS:
        for tmp in Path(path).glob(pattern):
            with contextlib.suppress(OSError):
                if tmp.is_file() and now - tmp.stat().st_mtime >= min_age_s:
                    tmp.unlink()
                    removed.append(tmp)
    return removed
