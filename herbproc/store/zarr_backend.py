"""Zarr v3 backend: one group at ``<store>/``, one array per name; pixel arrays hold one image per chunk and
``block`` images per shard (the sharding codec), per-row values one block per chunk.

Writes go block by block (a whole shard in one call where possible): zarr rewrites a shard file on every write
that touches it, atomically (temp file + rename), so the owner of a block never leaves a torn file behind; two
processes writing the same shard would lose each other's images, hence the ownership rule.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import zarr
from zarr.codecs import BloscCodec, ZstdCodec
from zarr.errors import UnstableSpecificationWarning

from herbproc.io import fsync_path, sync_tree
from herbproc.store.layout import ArraySpec, Layout, StoreError, row_runs

warnings.filterwarnings("ignore", category=UnstableSpecificationWarning)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Variable-length dtypes have no Zarr v3 spec yet: zarr warns on every open (see docs/data-layout.md)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnstableSpecificationWarning)
        yield


def _compressors(spec: ArraySpec):
    if spec.storage in ("vlen_bytes",):
        return None
    if spec.codec == "lz4":
        return BloscCodec(cname="lz4", clevel=spec.level, shuffle="noshuffle")
    if spec.codec == "none" and spec.kind == "pixels":
        return None
    return ZstdCodec(level=spec.level)


class ZarrBackend:
    name = "zarr"

    def __init__(self, root: Path, layout: Layout, *, writable: bool = False):
        self.root = root
        self.layout = layout
        self.writable = writable
        try:
            with _quiet():
                self.group = zarr.open_group(str(root), mode="r+" if writable else "r")
        except (FileNotFoundError, zarr.errors.GroupNotFoundError) as e:
            raise StoreError(f"{root} has no zarr group: {e}") from None
        self._arrays: dict[str, zarr.Array] = {}

    # ---------------------------------------------------------------- creation

    @staticmethod
    def create(root: Path, layout: Layout) -> None:
        with _quiet():
            group = zarr.open_group(str(root), mode="w")
            group.attrs["herbproc_layout"] = layout.to_json()
            for spec in layout.arrays.values():
                ZarrBackend._create_array(group, layout, spec)

    @staticmethod
    def _create_array(group: zarr.Group, layout: Layout, spec: ArraySpec) -> None:
        n, block = layout.n, layout.block
        shape = (n, *spec.row_shape)
        common = {"name": spec.name, "shape": shape, "compressors": _compressors(spec), "overwrite": False}
        if spec.storage == "vlen_bytes":
            group.create_array(dtype="bytes", chunks=(1,), shards=(block,), fill_value=b"", **common)
        elif spec.storage == "vlen_text":
            group.create_array(dtype="str", chunks=(block,), fill_value="", **common)
        elif spec.storage == "dense_image":
            group.create_array(
                dtype=spec.dtype, chunks=(1, *spec.shape), shards=(block, *spec.shape), fill_value=0, **common
            )
        else:
            group.create_array(dtype=spec.dtype, chunks=(block, *spec.shape), fill_value=0, **common)
        group[spec.name].attrs["herbproc"] = {
            "kind": spec.kind,
            "codec": spec.codec,
            "family": spec.family,
            "description": spec.description,
        }

    def add_array(self, spec: ArraySpec) -> None:
        with _quiet():
            if spec.name not in self.group:
                self._create_array(self.group, self.layout, spec)
        self.group.attrs["herbproc_layout"] = self.layout.to_json()

    # ---------------------------------------------------------------- reading

    def array(self, name: str) -> zarr.Array:
        arr = self._arrays.get(name)
        if arr is None:
            if name not in self.layout.arrays:
                raise StoreError(f"the store has no array '{name}' (has: {', '.join(self.layout.arrays)})")
            try:
                with _quiet():
                    arr = self.group[name]
            except KeyError:
                raise StoreError(f"array '{name}' is in layout.json but missing from {self.root}") from None
            self._arrays[name] = arr
        return arr

    def read(self, name: str, index):
        """One row (int), a slice, or an array of row numbers."""
        arr = self.array(name)
        if isinstance(index, np.ndarray):
            if arr.shape[1:] == ():
                out = arr.get_coordinate_selection(index)
            elif len(index):
                out = np.stack([arr[int(i)] for i in index])
            else:
                out = np.zeros((0, *arr.shape[1:]), arr.dtype)
        elif isinstance(index, (int, np.integer)):
            i = int(index) + (self.layout.n if index < 0 else 0)
            if not 0 <= i < self.layout.n:
                raise IndexError(f"row {index} outside 0..{self.layout.n - 1}")
            out = arr[i : i + 1][0]  # a scalar read of a variable-length array comes back nested in zarr 3.1
        else:
            out = arr[index]
        if self.layout.arrays[name].storage == "vlen_text":
            return out.astype(object) if isinstance(out, np.ndarray) else str(out)
        return out

    def check_family(self, family: str) -> None:
        for spec in self.layout.family_arrays(family):
            if spec.name not in self.group:
                raise StoreError(f"array '{spec.name}' is missing from {self.root}")

    # ---------------------------------------------------------------- writing

    def sync_block(self, name: str, block: int) -> None:
        """fsync the files of ``block`` of array ``name`` (zarr writes them with a rename, never synced)."""
        sync_tree(self.root / name / "c" / str(block))
        fsync_path(self.root / name)  # "c" itself may be new

    def write_block(self, family: str, block: int, rows: np.ndarray, values: dict[str, list]) -> None:
        """Write ``values[name][k]`` to row ``rows[k]`` (all rows in ``block``), validity flags last."""
        flag = "valid" if family == "core" else f"{family}_valid"
        names = sorted(values, key=lambda n: n == flag)
        runs = row_runs(rows)
        for name in names:
            arr = self.array(name)
            spec = self.layout.arrays[name]
            column = values[name]
            for start, stop, k0 in runs:
                part = column[k0 : k0 + (stop - start)]
                if spec.storage in ("vlen_bytes", "vlen_text"):
                    data = np.empty(len(part), dtype=object)
                    data[:] = list(part)
                else:
                    data = np.stack([np.asarray(v, dtype=spec.dtype) for v in part])
                arr[start:stop] = data
            self.sync_block(name, block)  # on disk before the validity flag (last) and the journal line
