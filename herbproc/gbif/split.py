"""Classes: a seeded random cap and a minimum per class, the class index, and a stratified train/val/test split.

Everything is seeded per class (``seed`` and the class name), and records are sorted by gbifID before they are
shuffled, so the same input and settings give the same manifest whatever the order of the input file.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np
import pandas as pd

from herbproc.classes import UNNAMED, UNNAMED_LABEL, UNNAMED_SPLIT
from herbproc.gbif.filters import Drops
from herbproc.gbif.terms import STILL_IMAGE

SPLITS = ("train", "val", "test")
Resolver = Callable[[list[str]], dict[str, object]]


def class_rng(seed: int, name: str, purpose: str) -> np.random.Generator:
    return np.random.default_rng([int(seed) & 0xFFFFFFFF, zlib.crc32(f"{purpose}:{name}".encode())])


def _id_key(gid: str) -> tuple[int, int, str]:
    # numeric ids in numeric order, then anything else as text
    return (0, int(gid), "") if gid.isascii() and gid.isdigit() else (1, 0, gid)


def _sorted_ids(ids: pd.Series) -> list[str]:
    return sorted(ids, key=_id_key)


def cap_classes(
    records: pd.DataFrame,
    *,
    max_per_class: int,
    seed: int,
    drops: Drops,
    resolve: Resolver | None = None,
) -> pd.DataFrame:
    """Keep at most ``max_per_class`` records per ``label_name``, sampled at random (seeded).

    With ``resolve`` (simple CSV: media from the API), candidates are resolved in the sampled order, round by
    round, until each class has its quota of records with an image, so no API call is spent on records the cap
    would drop anyway.
    """
    if resolve is not None and "mediaType" in records.columns:
        no_media = ~records["mediaType"].astype(str).str.contains(STILL_IMAGE, case=False)
        if no_media.any():
            drops.add(records.loc[no_media, "gbifID"], "no_image", "mediaType has no StillImage")
            records = records[~no_media]
    by_id = records.set_index("gbifID", drop=False)
    queues: dict[str, list[str]] = {}
    for name, group in records.groupby("label_name", sort=True):
        ids = _sorted_ids(group["gbifID"])
        order = class_rng(seed, str(name), "cap").permutation(len(ids))
        queues[str(name)] = [ids[i] for i in order]
    chosen: dict[str, list[str]] = {name: [] for name in queues}
    media: dict[str, object] = {}
    capped = max_per_class if max_per_class > 0 else None

    def cap(name: str) -> int | None:
        return None if name == UNNAMED else capped  # the unnamed records are no class: all of them stay

    if resolve is None:
        for name, queue in queues.items():
            n = len(queue) if cap(name) is None else min(cap(name), len(queue))
            chosen[name], queues[name] = queue[:n], queue[n:]
    else:
        while True:
            wanted: list[str] = []
            for name, queue in queues.items():
                need = len(queue) if cap(name) is None else min(cap(name) - len(chosen[name]), len(queue))
                if need > 0:
                    wanted.extend(queue[:need])
                    queues[name] = queue[need:]
            if not wanted:
                break
            answers = resolve(wanted)
            for gid in wanted:
                answer = answers.get(gid, "api_error")
                name = str(by_id.at[gid, "label_name"])
                if isinstance(answer, str):
                    drops.add([gid], answer, "occurrence API")
                elif not answer:
                    drops.add([gid], "no_image", "the occurrence API lists no still image")
                else:
                    chosen[name].append(gid)
                    media[gid] = answer[0]
    for queue in queues.values():
        if queue:
            drops.add(queue, "class_cap", f"over ingest.max_per_class={max_per_class}")
    keep = [gid for ids in chosen.values() for gid in ids]
    out = by_id.loc[keep].reset_index(drop=True)
    if resolve is not None:
        for col in ("identifier", "format", "license", "rightsHolder"):
            values = out["gbifID"].map(lambda g, c=col: getattr(media[g], c))
            if col in ("license", "rightsHolder") and col in out.columns:
                values = values.where(values != "", out[col])
            out[col] = values
    return out


def drop_small_classes(records: pd.DataFrame, min_per_class: int, drops: Drops) -> pd.DataFrame:
    sizes = records.groupby("label_name")["gbifID"].transform("size")
    small = (sizes < min_per_class) & (records["label_name"] != UNNAMED)
    if small.any():
        drops.add(
            records.loc[small, "gbifID"],
            "class_too_small",
            records.loc[small, "label_name"].map(
                lambda n: f"class '{n}' under ingest.min_per_class={min_per_class}"
            ),
        )
    return records[~small].reset_index(drop=True)


def split_counts(n: int, val: float, test: float) -> tuple[int, int, int]:
    """Rounded val/test counts; at least one training image whenever the class has one."""
    n_test = int(np.floor(n * test + 0.5))
    n_val = int(np.floor(n * val + 0.5))
    while n_test + n_val >= n and n > 0:
        if n_val >= n_test and n_val > 0:
            n_val -= 1
        elif n_test > 0:
            n_test -= 1
        else:
            break
    return n - n_val - n_test, n_val, n_test


def assign_labels_and_split(records: pd.DataFrame, *, val: float, test: float, seed: int) -> pd.DataFrame:
    """Add ``label`` (class index by sorted name), ``split`` and ``row``; sort by label then gbifID. Unnamed
    records (``ingest.keep_unnamed``) come last, by gbifID, with label ``UNNAMED_LABEL`` and no split."""
    names = sorted(set(records["label_name"].unique()) - {UNNAMED})
    index = {n: i for i, n in enumerate(names)} | {UNNAMED: UNNAMED_LABEL}
    out = records.copy()
    out["label"] = out["label_name"].map(index).astype("int64")
    last = len(names)  # sorts the unnamed after every class
    keys = [
        (last if lab == UNNAMED_LABEL else lab, *_id_key(gid))
        for lab, gid in zip(out["label"], out["gbifID"], strict=True)
    ]
    order = sorted(range(len(out)), key=keys.__getitem__)
    out = out.iloc[order].reset_index(drop=True)
    split = np.full(len(out), UNNAMED_SPLIT, dtype=object)
    for name, idx in out.groupby("label_name", sort=True).indices.items():
        if name == UNNAMED:
            continue
        n_train, n_val, n_test = split_counts(len(idx), val, test)
        perm = class_rng(seed, str(name), "split").permutation(len(idx))
        labels = np.array(["train"] * n_train + ["val"] * n_val + ["test"] * n_test, dtype=object)
        split[idx[perm]] = labels
    out["split"] = split
    out["row"] = np.arange(len(out), dtype="int64")
    return out
