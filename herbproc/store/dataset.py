"""A PyTorch Dataset over the store, for many DataLoader workers and DDP ranks.

The store is opened lazily in each process (the Dataset pickles as a path), so no file handle crosses a fork.
Items are ``(uint8 tensor C x H x W, int label)``; ``transform`` (if given) receives that tensor. Batched fetching
(``__getitems__``, used by DataLoader's auto-batching in torch >= 2.2) reads many rows in one backend call.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import Dataset

from herbproc.classes import UNNAMED_LABEL
from herbproc.store.store import ImageStore, open_store


class StoreDataset(Dataset):
    def __init__(
        self,
        path: str | Path,
        rows=None,
        *,
        variant: str = "auto",
        transform: Callable | None = None,
        split: str | None = None,
        manifest: str | Path | None = None,
        labelled: bool = False,
    ):
        """``rows``: manifest rows to serve (default: every row with an image for the variant); ``split``:
        only rows of this split ("train"/"val"/"test") from ``manifest`` (default: beside the store);
        ``labelled``: only rows with a class (not the records ingest kept without a name)."""
        self.path = Path(path)
        store = open_store(self.path, variant=variant)
        self.path = store.path
        self.variant = store.variant
        usable = store.valid_for(self.variant)
        if rows is None:
            rows = np.flatnonzero(usable)
        rows = np.asarray(rows, dtype=np.int64)
        if split is not None:
            import pandas as pd

            mpath = Path(manifest) if manifest else self.path.parent / "manifest.parquet"
            m = pd.read_parquet(mpath, columns=["row", "split"])
            in_split = np.zeros(len(store), dtype=bool)
            in_split[m.loc[m["split"] == split, "row"].to_numpy()] = True
            rows = rows[in_split[rows]]
        if labelled:
            rows = rows[store.labels[rows] != UNNAMED_LABEL]
        bad = rows[~usable[rows]] if len(rows) else rows
        if len(bad):
            raise ValueError(f"{len(bad)} requested rows have no {self.variant} image (first: row {bad[0]})")
        self.rows = rows
        self.labels = store.labels[rows]
        self.transform = transform
        self._store: ImageStore | None = None
        self._pid = -1
        store.close()

    def __len__(self) -> int:
        return len(self.rows)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_store"] = None
        state["_pid"] = -1
        return state

    def store(self) -> ImageStore:
        if self._store is None or self._pid != os.getpid():
            self._store = open_store(self.path, variant=self.variant)
            self._pid = os.getpid()
        return self._store

    def _item(self, image: np.ndarray, label: int):
        tensor = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)
        if self.transform is not None:
            tensor = self.transform(tensor)
        return tensor, int(label)

    def __getitem__(self, index: int):
        row = int(self.rows[index])
        return self._item(self.store().image(row), self.labels[index])

    def __getitems__(self, indices: list[int]):
        rows = self.rows[np.asarray(indices, dtype=np.int64)]
        order = np.argsort(rows, kind="stable")  # neighbouring rows share a shard read
        images = self.store().images(rows[order])
        out: list = [None] * len(indices)
        for k, img in zip(order, images, strict=True):
            out[k] = self._item(img, self.labels[indices[k]])
        return out
