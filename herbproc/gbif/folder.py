"""A folder of the user's own images: ids from file names, classes from the parent folder or a CSV.

``input=<folder>`` with ``<folder>/<class name>/<id>.jpg``, or any layout plus ``ingest.labels_csv=<file>`` with a
``file`` (path relative to the folder) or ``id`` (file name without extension) column and a ``label`` column
(or Darwin Core columns such as ``scientificName``, ``genus``, ``family``, which are kept in the manifest).
The download stage reads these files from disk instead of fetching URLs.

A file's id is its name without extension when that is a safe id and no other file shares it; otherwise (spaces,
brackets, accents, ``001.jpg`` in several class folders) it is the relative path made safe plus a short hash of it
(``Acer_rubrum_L._3-1f2e3d4c``), so that no image is lost to its name. A labels CSV still joins on the file name
without extension (``id``) or on the path (``file``; the only unambiguous key when names repeat across folders).
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from herbproc.gbif.source import IMAGE_SUFFIXES, SourceData
from herbproc.gbif.tables import BadRow, IngestError
from herbproc.gbif.terms import MANIFEST_TERMS, MEDIA_COLUMNS
from herbproc.paths import is_safe_id

KEY_COLUMNS = ("file", "id", "gbifID")


def _images(root: Path) -> list[Path]:
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not any(s.startswith(".") for s in p.parts)
    )


def file_id(rel: Path, unique_stem: bool = True) -> str:
    """The record id of the image at ``rel`` (relative to the folder): see the module's docstring."""
    if unique_stem and is_safe_id(rel.stem):
        return rel.stem
    name = rel.with_suffix("").as_posix()
    slug = re.sub(r"[^A-Za-z0-9_.+:-]+", "_", name).strip("_.+:-")[:100] or "image"
    return f"{slug}-{hashlib.sha1(rel.as_posix().encode()).hexdigest()[:8]}"


def _read_labels(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise IngestError(f"ingest.labels_csv {path} does not exist")
    try:
        df = pd.read_csv(path, sep=None, engine="python", dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise IngestError(f"cannot read ingest.labels_csv {path}: {e}") from None
    df.columns = [c.strip() for c in df.columns]
    key = next((c for c in KEY_COLUMNS if c in df.columns), None)
    if key is None:
        raise IngestError(f"{path}: needs a 'file' or 'id' column (has: {', '.join(df.columns)})")
    taxon = [c for c in ("label", "scientificName", "species", "genus", "family") if c in df.columns]
    if not taxon:
        raise IngestError(f"{path}: needs a 'label' column or scientificName/species/genus/family columns")
    return df.rename(columns={key: "_key"})


def read_folder(path: Path, labels_csv: str | None = None) -> SourceData:
    root = path.expanduser().resolve()
    if not root.is_dir():
        raise IngestError(f"input {path} is not a folder")
    files = _images(root)
    if not files:
        raise IngestError(f"input folder {path} has no images ({', '.join(IMAGE_SUFFIXES)})")
    rows = []
    bad: list[BadRow] = []
    stems = Counter(f.stem for f in files)
    for f in files:
        rel = f.relative_to(root)
        rows.append(
            {
                "gbifID": file_id(rel, stems[f.stem] == 1),
                "_stem": f.stem,
                "_file": rel.as_posix(),
                "_parent": rel.parent.as_posix() if rel.parent != Path(".") else "",
                "_uri": f.as_uri(),
                "_format": mimetypes.guess_type(f.name)[0] or "",
            }
        )
    records = pd.DataFrame(rows, dtype=object)
    if labels_csv:
        labels = _read_labels(Path(labels_csv).expanduser())
        by_file = labels["_key"].isin(records["_file"]).any()
        join_on = "_file" if by_file else "_stem"
        labels = labels.drop_duplicates("_key", keep="first")
        records = records.merge(labels, how="left", left_on=join_on, right_on="_key").drop(columns=["_key"])
        records = records.fillna("")
        if "label" in records.columns:
            records = records.rename(columns={"label": "label_name"})
    else:
        if (records["_parent"] == "").all():
            raise IngestError(
                f"the images in {path} are not in class folders: put them in <folder>/<class name>/ "
                "or give ingest.labels_csv=<file>"
            )
        records["label_name"] = records["_parent"].map(lambda p: p.rsplit("/", 1)[-1])
    media = pd.DataFrame(
        {
            "coreid": records["gbifID"],
            "type": "StillImage",
            "format": records["_format"],
            "identifier": records["_uri"],
            "license": records.get("license", ""),
            "rightsHolder": records.get("rightsHolder", ""),
        }
    )[list(MEDIA_COLUMNS)]
    keep = ["gbifID", *[c for c in records.columns if c in MANIFEST_TERMS or c == "label_name"]]
    notes = [f"folder of {len(files)} images; labels from {'ingest.labels_csv' if labels_csv else 'folders'}"]
    return SourceData("folder", records[keep], media, bad, [], notes, local_root=str(root))
