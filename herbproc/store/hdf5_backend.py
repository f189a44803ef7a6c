"""HDF5 backend: one file per block and family, ``<store>/parts/<family>/part-NNNNN.h5``, joined for plain h5py
readers by the Virtual Datasets of ``<store>/store.h5``.

HDF5 files are not safe to modify while a process may be killed, so a block is written copy-on-write: the new
part is built beside the old one (untouched datasets copied inside HDF5) and renamed over it. A missing part
would read as zeros through the virtual datasets, so ``HDF5Backend`` refuses to open a store with one missing.
Compressed pixel arrays need ``hdf5plugin`` (imported here; plain readers must import it too).
"""

from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from pathlib import Path

# HDF5's own file locks fail on Lustre and many NFS mounts ("unable to lock file, errno = 38") and can be left
# stale by a killed process. herbproc never has two writers on one file (each block has one owner, parts are
# written to a temp file and renamed), so they are off unless the environment already says otherwise.
os.environ.setdefault("HDF5_USE_FILE_LOCKING", "FALSE")

import h5py  # noqa: E402  (after the environment above)
import hdf5plugin  # noqa: E402
import numpy as np  # noqa: E402

from herbproc.io import fsync_path  # noqa: E402
from herbproc.store.layout import ArraySpec, Layout, StoreError, row_runs  # noqa: E402

MASTER = "store.h5"
# part files a reader keeps open (the least recently used is closed): an open part holds 1-6 MB once read, and a
# million-sheet store has 3,907 parts per family (docs/data-layout.md); reopening one costs ~0.6 ms
MAX_OPEN_PARTS = 32


def part_path(root: Path, family: str, block: int) -> Path:
    return root / "parts" / family / f"part-{block:05d}.h5"


def _h5_dtype(spec: ArraySpec):
    if spec.storage == "vlen_bytes":
        return h5py.vlen_dtype(np.uint8)
    if spec.storage == "vlen_text":
        return h5py.string_dtype()
    return np.dtype(spec.dtype)


def _filters(spec: ArraySpec) -> dict:
    if spec.storage == "dense_image":
        if spec.codec == "zstd":
            return dict(hdf5plugin.Zstd(clevel=spec.level))
        if spec.codec == "lz4":
            return dict(hdf5plugin.LZ4())
        return {}
    if spec.storage == "dense_block":
        return dict(hdf5plugin.Zstd(clevel=3))
    return {}


def _create_dataset(f: h5py.File, spec: ArraySpec, m: int) -> h5py.Dataset:
    shape = (m, *spec.row_shape)
    chunks = None
    if spec.storage == "dense_image":
        chunks = (1, *spec.shape)
    elif spec.storage == "dense_block" and m > 0:
        chunks = shape
    kwargs = _filters(spec) if chunks else {}
    return f.create_dataset(spec.name, shape=shape, dtype=_h5_dtype(spec), chunks=chunks, **kwargs)


def _write_rows(ds: h5py.Dataset, spec: ArraySpec, local: np.ndarray, values: list) -> None:
    if spec.storage == "vlen_bytes":
        for k, v in zip(
            local, values, strict=True
        ):  # one by one: equal lengths must not turn into a 2-D array
            ds[int(k)] = np.frombuffer(bytes(v), dtype=np.uint8)
        return
    if spec.storage == "vlen_text":
        for k, v in zip(local, values, strict=True):
            ds[int(k)] = str(v)
        return
    data = np.stack([np.asarray(v, dtype=spec.dtype) for v in values])
    for start, stop, k0 in row_runs(local):
        ds[start:stop] = data[k0 : k0 + stop - start]


class HDF5Backend:
    name = "hdf5"

    def __init__(self, root: Path, layout: Layout, *, writable: bool = False):
        self.root = root
        self.layout = layout
        self.writable = writable
        self._files: OrderedDict[tuple[str, int], h5py.File] = OrderedDict()  # the most recently used last
        self._pid = os.getpid()
        self.check_family("core")

    # ---------------------------------------------------------------- creation

    @staticmethod
    def create(root: Path, layout: Layout, initial: dict[str, list]) -> None:
        """Write every core part (``initial`` values for all rows, defaults elsewhere) and the master file."""
        for b in range(layout.n_blocks):
            rows = layout.block_rows(b)
            HDF5Backend._write_part(
                root,
                layout,
                "core",
                b,
                np.arange(len(rows)),
                {k: v[rows.start : rows.stop] for k, v in initial.items()},
            )
        consolidate(root, layout)

    @staticmethod
    def _write_part(
        root: Path, layout: Layout, family: str, block: int, local: np.ndarray, values: dict
    ) -> None:
        path = part_path(root, family, block)
        path.parent.mkdir(parents=True, exist_ok=True)
        m = len(layout.block_rows(block))
        for stale in path.parent.glob(
            f".{path.name}.*.tmp"
        ):  # left by a killed writer of this block (ours now)
            stale.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            old = h5py.File(path, "r") if path.exists() else None
            try:
                with h5py.File(tmp, "w") as dst:
                    dst.attrs["family"] = family
                    dst.attrs["block"] = block
                    dst.attrs["first_row"] = layout.block_rows(block).start
                    for spec in layout.family_arrays(family):
                        if old is not None and spec.name in old:
                            old.copy(old[spec.name], dst, name=spec.name)
                            ds = dst[spec.name]
                        else:
                            ds = _create_dataset(dst, spec, m)
                        if spec.name in values and len(local):
                            _write_rows(ds, spec, local, values[spec.name])
            finally:
                if old is not None:
                    old.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            fsync_path(path.parent)  # the rename survives a crash too
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    def add_array(self, spec: ArraySpec) -> None:
        consolidate(self.root, self.layout)

    # ---------------------------------------------------------------- reading

    def missing_parts(self, family: str) -> list[Path]:
        return [p for b in range(self.layout.n_blocks) if not (p := part_path(self.root, family, b)).exists()]

    def check_family(self, family: str) -> None:
        missing = self.missing_parts(family)
        if missing:
            rows = [self.layout.block_rows(int(p.stem.split("-")[1])) for p in missing[:3]]
            where = ", ".join(
                f"{p.relative_to(self.root)} (rows {r.start}-{r.stop - 1})"
                for p, r in zip(missing, rows, strict=False)
            )
            raise StoreError(
                f"HDF5 store {self.root}: {len(missing)} part file(s) of '{family}' missing: {where}"
                f"{' ...' if len(missing) > 3 else ''}; rerun the stage that writes them (stage=download for core)"
            )

    def _file(self, family: str, block: int) -> h5py.File:
        if os.getpid() != self._pid:  # a forked DataLoader worker must not share HDF5 handles
            self._files = OrderedDict()
            self._pid = os.getpid()
        f = self._files.get((family, block))
        if f is not None:
            self._files.move_to_end((family, block))
        else:
            while len(self._files) >= MAX_OPEN_PARTS:
                with contextlib.suppress(Exception):
                    self._files.popitem(last=False)[1].close()
            path = part_path(self.root, family, block)
            try:
                f = h5py.File(path, "r")
            except FileNotFoundError:
                raise StoreError(f"HDF5 part {path} is missing") from None
            except OSError as e:
                raise StoreError(f"HDF5 part {path} cannot be read: {e}") from None
            self._files[(family, block)] = f
        return f

    def _dataset(self, spec: ArraySpec, block: int) -> h5py.Dataset | None:
        if spec.family != "core" and not part_path(self.root, spec.family, block).exists():
            return None  # a later stage has not written this block yet: its rows read as not written
        f = self._file(spec.family, block)
        return f[spec.name] if spec.name in f else None

    def _convert(self, spec: ArraySpec, raw):
        if spec.storage == "vlen_bytes":
            return raw.tobytes() if raw is not None else b""
        if spec.storage == "vlen_text":
            return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
        return raw

    def read(self, name: str, index):
        spec = self.layout.arrays.get(name)
        if spec is None:
            raise StoreError(f"the store has no array '{name}' (has: {', '.join(self.layout.arrays)})")
        if isinstance(index, (int, np.integer)):
            i = int(index) + (self.layout.n if index < 0 else 0)
            if not 0 <= i < self.layout.n:
                raise IndexError(f"row {index} outside 0..{self.layout.n - 1}")
            ds = self._dataset(spec, i // self.layout.block)
            if ds is None:
                return self._default(spec)
            return self._convert(spec, ds[i % self.layout.block])
        rows = np.arange(self.layout.n)[index] if isinstance(index, slice) else np.asarray(index, np.int64)
        items = self._read_rows(spec, rows)
        if spec.storage in ("vlen_bytes", "vlen_text"):
            out = np.empty(len(items), dtype=object)
            out[:] = items
            return out
        return np.stack(items) if items else np.zeros((0, *spec.shape), spec.dtype)

    def _read_rows(self, spec: ArraySpec, rows: np.ndarray) -> list:
        """``rows`` of one array, block by block: where they are most of their span of a block, that span is
        read in one call (HDF5 costs per call, not per row), else row by row."""
        rows = np.where(rows < 0, rows + self.layout.n, rows)
        if len(rows) and not (0 <= rows.min() and rows.max() < self.layout.n):
            raise IndexError(f"rows outside 0..{self.layout.n - 1}")
        items: list = [None] * len(rows)
        blocks = rows // self.layout.block
        for b in np.unique(blocks):
            where = np.flatnonzero(blocks == b)
            local = rows[where] - int(b) * self.layout.block
            ds = self._dataset(spec, int(b))
            if ds is None:
                for k in where:
                    items[k] = self._default(spec)
                continue
            lo, hi = int(local.min()), int(local.max()) + 1
            if 2 * len(np.unique(local)) >= hi - lo:
                span = ds[lo:hi]
                for k, i in zip(where, local - lo, strict=True):
                    items[k] = self._convert(spec, span[i])
            else:
                for k, i in zip(where, local, strict=True):
                    items[k] = self._convert(spec, ds[int(i)])
        return items

    def read_column(self, name: str) -> np.ndarray:
        """A whole per-row array, read one block at a time."""
        spec = self.layout.arrays[name]
        parts = []
        for b in range(self.layout.n_blocks):
            ds = self._dataset(spec, b)
            m = len(self.layout.block_rows(b))
            if ds is None:
                parts.append(
                    np.array(
                        [self._default(spec)] * m,
                        dtype=object if spec.storage.startswith("vlen") else spec.dtype,
                    )
                )
            elif spec.storage == "vlen_text":
                parts.append(ds.asstr()[:].astype(object))
            else:
                parts.append(ds[:])
        if not parts:
            return np.zeros((0, *spec.shape), dtype=object if spec.storage.startswith("vlen") else spec.dtype)
        return np.concatenate(parts)

    @staticmethod
    def _default(spec: ArraySpec):
        if spec.storage == "vlen_bytes":
            return b""
        if spec.storage == "vlen_text":
            return ""
        return np.zeros(spec.shape, spec.dtype)

    def close(self) -> None:
        for f in self._files.values():
            with contextlib.suppress(Exception):
                f.close()
        self._files = OrderedDict()

    # ---------------------------------------------------------------- writing

    def write_block(self, family: str, block: int, rows: np.ndarray, values: dict[str, list]) -> None:
        self._forget(family, block)
        start = self.layout.block_rows(block).start
        self._write_part(self.root, self.layout, family, block, np.asarray(rows) - start, values)

    def _forget(self, family: str, block: int) -> None:
        f = self._files.pop((family, block), None)
        if f is not None:
            f.close()


def consolidate(root: Path, layout: Layout) -> Path:
    """(Re)write ``store.h5``: one virtual dataset per array over its family's part files (relative paths)."""
    master = root / MASTER
    tmp = root / f".{MASTER}.{os.getpid()}.tmp"
    with h5py.File(tmp, "w") as f:
        f.attrs["herbproc_layout"] = __import__("json").dumps(layout.to_json())
        for spec in layout.arrays.values():
            vl = h5py.VirtualLayout(shape=(layout.n, *spec.row_shape), dtype=_h5_dtype(spec))
            for b in range(layout.n_blocks):
                rows = layout.block_rows(b)
                src = part_path(root, spec.family, b).relative_to(root).as_posix()
                vl[rows.start : rows.stop] = h5py.VirtualSource(
                    src, spec.name, shape=(len(rows), *spec.row_shape)
                )
            f.create_virtual_dataset(spec.name, vl, fillvalue=None)
    os.replace(tmp, master)
    return master
