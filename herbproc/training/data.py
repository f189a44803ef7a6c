"""What the trainer, evaluation and prediction read: the store's sheets as uint8 tensors, IELT's views of
them, the class table and its taxonomic levels.

Training view (official IELT): Resize(short side ``resize``) -> RandomCrop(``crop``) -> horizontal flip ->
ColorJitter(brightness, contrast, saturation); test view: Resize -> CenterCrop. Both run on uint8 C x H x W
tensors in the loader workers (``torchvision.transforms.v2.functional``); the float conversion and the
ImageNet normalisation happen on the device (``Normalizer``). The random choices of a training view come
from the sample's own seed (``herbproc.training.sampler``), never from global state.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
import select
import signal
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import torch
from torch import Tensor
from torch.utils.data import DataLoader, Dataset
from torchvision.transforms.v2 import functional as TF

from herbproc.store.dataset import StoreDataset
from herbproc.store.layout import StoreError
from herbproc.store.store import VARIANT_ARRAYS

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
OFFICIAL_RESIZE_RATIO = 600 / 448  # Resize 600 -> crop 448


def default_resize(img_size: int) -> int:
    return int(round(img_size * OFFICIAL_RESIZE_RATIO))


# --------------------------------------------------------------------------------------------- views


@dataclass(frozen=True)
class Views:
    crop: int
    resize: int
    jitter: float = 0.4
    hflip: bool = True

    def __post_init__(self) -> None:
        if self.crop < 1 or self.resize < self.crop:
            raise ValueError(f"resize ({self.resize}) must be at least the crop ({self.crop}), both positive")
        if not 0.0 <= self.jitter < 1.0:
            raise ValueError(f"color_jitter must be in [0, 1), got {self.jitter}")

    def _resized(self, image: Tensor) -> Tensor:
        if min(image.shape[-2:]) == self.resize:
            return image
        return TF.resize(image, self.resize, antialias=True)

    def test(self, image: Tensor) -> Tensor:
        return TF.center_crop(self._resized(image), [self.crop, self.crop])

    def train(self, image: Tensor, seed: int) -> Tensor:
        rng = np.random.default_rng(seed)
        image = self._resized(image)
        h, w = image.shape[-2:]
        top = int(rng.integers(0, h - self.crop + 1))
        left = int(rng.integers(0, w - self.crop + 1))
        image = TF.crop(image, top, left, self.crop, self.crop)
        if self.hflip and rng.random() < 0.5:
            image = TF.horizontal_flip(image)
        if self.jitter > 0:
            lo, hi = max(0.0, 1.0 - self.jitter), 1.0 + self.jitter
            factors = rng.uniform(lo, hi, size=3)
            ops = (TF.adjust_brightness, TF.adjust_contrast, TF.adjust_saturation)
            for k in rng.permutation(3):  # random order, as torchvision's ColorJitter
                image = ops[k](image, float(factors[k]))
        return image.contiguous()


class Normalizer:
    """uint8 (B, C, H, W) on any device -> float32 normalised on ``device``."""

    def __init__(self, device: torch.device, mean=IMAGENET_MEAN, std=IMAGENET_STD) -> None:
        self.device = device
        self.mean = torch.tensor(mean, device=device).view(1, -1, 1, 1) * 255.0
        self.std = torch.tensor(std, device=device).view(1, -1, 1, 1) * 255.0

    def __call__(self, images: Tensor) -> Tensor:
        x = images.to(self.device, non_blocking=True).float()
        return (x - self.mean) / self.std


# --------------------------------------------------------------------------------------------- datasets


class SheetDataset(Dataset):
    """Store rows as ``(uint8 C x crop x crop, label, row)``.

    Keys are dataset indices (test view) or ``(index, seed)`` pairs from ``TrainSampler`` (training view).
    Pickles as a path, like ``StoreDataset`` (each loader worker opens the store itself).
    """

    def __init__(self, base: StoreDataset, views: Views) -> None:
        self.base = base
        self.views = views

    @property
    def labels(self) -> np.ndarray:
        return self.base.labels

    @property
    def rows(self) -> np.ndarray:
        return self.base.rows

    def __len__(self) -> int:
        return len(self.base)

    def __getitem__(self, key):
        return self.__getitems__([key])[0]

    def __getitems__(self, keys: Sequence) -> list[tuple[Tensor, int, int]]:
        train = len(keys) > 0 and isinstance(keys[0], (tuple, list))
        index = np.asarray([k[0] for k in keys] if train else keys, dtype=np.int64)
        rows = self.base.rows[index]
        order = np.argsort(rows, kind="stable")  # neighbouring rows share a shard read
        images = self._read(rows[order])
        out: list = [None] * len(keys)
        for k, image in zip(order, images, strict=True):
            tensor = torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)
            view = self.views.train(tensor, int(keys[k][1])) if train else self.views.test(tensor)
            out[k] = (view, int(self.base.labels[index[k]]), int(rows[k]))
        return out

    def _read(self, rows: np.ndarray) -> list[np.ndarray]:
        """The rows' images; JPEG copies far larger than the view are decoded at 1/2, 1/4 or 1/8 of their size
        (libjpeg's DCT scaling: a fraction of the work, and an antialiased reduction)."""
        store = self.base.store()
        spec = store.layout.arrays[VARIANT_ARRAYS[self.base.variant]]
        factor = jpeg_reduction(spec.codec, min(spec.shape[:2]), self.views.resize)
        if factor == 1:
            return store.images(rows)
        flag = {2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}[
            factor
        ]
        out = []
        for buf in store.backend.read(spec.name, rows):
            bgr = cv2.imdecode(np.frombuffer(buf, np.uint8), flag) if buf is not None and len(buf) else None
            if bgr is None:
                raise StoreError(f"array {spec.name}: stored jpeg bytes do not decode")
            out.append(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        return out


def jpeg_reduction(codec: str, stored_short_side: int, resize: int) -> int:
    """The largest of 8, 4, 2 by which a JPEG can be shrunk while decoding and still be >= ``resize`` px on its
    short side (1: decode whole)."""
    if codec != "jpeg":
        return 1
    for factor in (8, 4, 2):
        if stored_short_side // factor >= resize:
            return factor
    return 1


def split_dataset(
    store_path: str | Path,
    split: str | None,
    variant: str,
    views: Views,
    manifest: Path | None = None,
    labelled: bool = False,
) -> SheetDataset:
    """The rows of ``split`` (None: all) that have an image of ``variant`` (and a class, when ``labelled``)."""
    return SheetDataset(
        StoreDataset(store_path, split=split, variant=variant, manifest=manifest, labelled=labelled), views
    )


SCHEDULER_WARNINGS = {getattr(signal, n) for n in ("SIGUSR1", "SIGUSR2") if hasattr(signal, n)}
WORKER_MODULES = [__name__]  # what a worker unpickles; the fork server imports it once


class WarningsHeld:
    """Blocks the scheduler's warnings in this thread for a while: a process started meanwhile keeps them blocked
    through fork and exec, and this one gets any that arrived as soon as they are unblocked."""

    def __enter__(self) -> None:
        self.held = signal.pthread_sigmask(signal.SIG_BLOCK, SCHEDULER_WARNINGS)

    def __exit__(self, *exc) -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, self.held)


def worker_context() -> multiprocessing.context.BaseContext:
    """Loader workers start from a fork server, never from the process that iterates the loader. By the time a
    trainer starts its validation workers it runs zarr's I/O thread, asyncio readers, gloo's and the other
    loader's queue threads; a child forked then inherits whatever lock one of them held and can hang on its first
    read (a rank stuck at an epoch end, the others timing out in their collective). The server is a quiet process
    that has imported ``WORKER_MODULES``: a worker forked from it starts in milliseconds and shares those pages
    (a spawned one would hold ~0.4 GB of its own). The server and the queues' resource tracker start with the
    scheduler's warnings blocked, a mask every worker inherits: a warning sent to every process of the job is the
    trainer's to act on."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(WORKER_MODULES)  # instead of __main__, which each worker imports anyway
    with WarningsHeld():
        multiprocessing.resource_tracker.ensure_running()
        multiprocessing.forkserver.ensure_running()
    return context


def end_with(pid: int) -> None:
    """Ends this process when process ``pid`` ends. A worker's parent is the fork server, so torch's own check
    (is my parent still there?) would keep the workers, and through them the server, alive after a trainer
    killed outright."""
    try:
        handle: int | None = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd (kernel < 5.3), or the trainer is already gone
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while _alive(pid):
                time.sleep(2)
        os._exit(0)

    threading.Thread(target=watch, name="end-with-trainer", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def start_worker(trainer: int, _worker_id: int) -> None:
    """In each loader worker: the scheduler's warnings are the trainer's, and the worker ends with the trainer."""
    for signum in SCHEDULER_WARNINGS:
        signal.signal(signum, signal.SIG_IGN)
    end_with(trainer)


def loader(dataset: Dataset, batch_sampler, workers: int, pin: bool, persistent: bool = False) -> DataLoader:
    """``persistent``: the workers outlive each pass (the trainer swaps the batches of its ``EpochBatches``
    between epochs instead of starting new workers every epoch)."""
    return DataLoader(
        dataset,
        batch_sampler=batch_sampler,
        num_workers=workers,
        pin_memory=pin,
        persistent_workers=persistent and workers > 0,
        worker_init_fn=functools.partial(start_worker, os.getpid()) if workers > 0 else None,
        multiprocessing_context=worker_context() if workers > 0 else None,
    )


def index_batches(indices: np.ndarray, batch_size: int) -> list[list[int]]:
    return [indices[i : i + batch_size].tolist() for i in range(0, len(indices), batch_size)]
