"""The run's class table, ``<run_dir>/classes.csv``: one row per class (label, name, family, genus, species and
the images of each split). Ingest writes it (``class_table``); training, evaluation and prediction read it
(``load_classes``). A base module, light to import (torch only inside ``ClassTable.lookup``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from herbproc.paths import RunPaths

if TYPE_CHECKING:
    import torch
    from torch import Tensor

CLASS_COLUMNS = ("label", "name", "family", "genus", "species", "n_images", "n_train", "n_val", "n_test")
# a manifest row of a record kept without a name (ingest.keep_unnamed): no class, no split; read, never trained on
UNNAMED = ""  # its label_name
UNNAMED_LABEL = -1  # its label
UNNAMED_SPLIT = ""  # its split
LEVELS = ("family", "genus")  # the levels above the species a classifier may learn too (train.levels)


def _most_common(group: pd.DataFrame, col: str) -> str:
    if col not in group.columns:
        return ""
    values = group[col][group[col] != ""]
    return str(values.mode().iloc[0]) if len(values) else ""


def class_table(manifest: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for label, group in manifest[manifest["label"] != UNNAMED_LABEL].groupby("label", sort=True):
        counts = group["split"].value_counts()
        rows.append(
            {
                "label": int(label),
                "name": str(group["label_name"].iloc[0]),
                "family": _most_common(group, "family"),
                "genus": _most_common(group, "genus"),
                "species": _most_common(group, "species"),
                "n_images": len(group),
                "n_train": int(counts.get("train", 0)),
                "n_val": int(counts.get("val", 0)),
                "n_test": int(counts.get("test", 0)),
            }
        )
    return pd.DataFrame(rows, columns=list(CLASS_COLUMNS))


@dataclass
class ClassTable:
    """Species classes of the run (classes.csv) and the family / genus each belongs to."""

    names: list[str]
    level_names: dict[str, list[str]]  # level -> its class names (sorted)
    level_of: dict[str, list[int]]  # level -> per species label, the level's class index

    @property
    def num_classes(self) -> int:
        return len(self.names)

    def to_json(self) -> dict:
        return {"names": self.names, "level_names": self.level_names, "level_of": self.level_of}

    @classmethod
    def from_json(cls, d: dict) -> ClassTable:
        return cls(list(d["names"]), dict(d["level_names"]), dict(d["level_of"]))

    def lookup(self, level: str, device: torch.device) -> Tensor:
        import torch

        return torch.tensor(self.level_of[level], dtype=torch.long, device=device)


def load_classes(run_dir: str | Path) -> ClassTable:
    path = RunPaths(run_dir).classes
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist: run stage=ingest first")
    df = pd.read_csv(path, dtype={"name": str, "family": str, "genus": str}, keep_default_na=False)
    missing = [c for c in ("label", "name", *LEVELS) if c not in df.columns]
    if missing:
        raise ValueError(f"{path} lacks column(s) {missing}")
    df = df.sort_values("label")
    if df["label"].tolist() != list(range(len(df))):
        raise ValueError(f"{path}: labels must be 0..{len(df) - 1} without gaps")
    names = df["name"].astype(str).tolist()
    level_names: dict[str, list[str]] = {}
    level_of: dict[str, list[int]] = {}
    for level in LEVELS:
        values = [v if v else "(unknown)" for v in df[level].astype(str)]
        level_names[level] = sorted(set(values))
        index = {v: i for i, v in enumerate(level_names[level])}
        level_of[level] = [index[v] for v in values]
    level_names["species"], level_of["species"] = names, list(range(len(names)))
    return ClassTable(names, level_names, level_of)
