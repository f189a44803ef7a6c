"""What every input reader returns, and which reader an input path needs."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from herbproc.gbif.tables import ArchiveLimits, BadRow, IngestError
from herbproc.gbif.terms import MEDIA_COLUMNS
from herbproc.schema.ingest import SOURCE_KINDS

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".gif")


@dataclass
class SourceData:
    """Records (one row per occurrence, string columns, ``gbifID`` first) and their media rows."""

    kind: str
    records: pd.DataFrame
    media: pd.DataFrame | None  # MEDIA_COLUMNS in file order; None: media still to be resolved (simple CSV)
    bad_rows: list[BadRow] = field(default_factory=list)
    # media rows that are not used: orphan_media (no such record), bad_media_row (malformed / bad bytes)
    media_problems: list[BadRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    local_root: str | None = None  # folder input: identifiers are file:// URIs under this folder


def empty_media() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in MEDIA_COLUMNS})


def detect_kind(path: Path) -> str:
    """``dwca`` for an archive (zip or folder with meta.xml / occurrence.txt), ``simple_csv`` for a GBIF
    simple CSV (or a zip holding one), ``folder`` for a folder of images."""
    if not path.exists():
        raise IngestError(f"input {path} does not exist")
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file()]
        if any(p.name in ("meta.xml", "occurrence.txt") for p in files):
            return "dwca"
        if any(p.suffix.lower() in IMAGE_SUFFIXES for p in files):
            return "folder"
        if not files:
            raise IngestError(f"input folder {path} is empty")
        raise IngestError(f"input folder {path} has no meta.xml, occurrence.txt or images")
    if zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as z:
                names = [Path(n).name for n in z.namelist() if not n.endswith("/")]
        except zipfile.BadZipFile as e:
            raise IngestError(f"{path} is a damaged zip file: {e}") from None
        if not names:
            raise IngestError(f"{path} is an empty zip archive")
        if any(n in names for n in ("meta.xml", "occurrence.txt", "multimedia.txt", "verbatim.txt")):
            return "dwca"
        if any(n.lower().endswith((".csv", ".tsv", ".txt")) for n in names):
            return "simple_csv"
        raise IngestError(f"{path}: zip holds neither a Darwin Core Archive (meta.xml) nor a CSV")
    if path.stat().st_size == 0:
        raise IngestError(f"input {path} is empty")
    if path.suffix.lower() == ".zip":
        raise IngestError(
            f"{path} is named .zip but is not a zip archive (a damaged or unfinished download?)"
        )
    with open(path, "rb") as f:
        head = f.read(4096)
    if head.startswith(b"PK"):
        raise IngestError(f"{path} looks like a zip file but cannot be opened as one (truncated?)")
    if b"\x00" in head:
        raise IngestError(f"{path} is neither a zip archive nor a text table")
    return "simple_csv"


def archive_limits(cfg_ingest) -> ArchiveLimits:
    """The unpacking limits of ``ingest.max_member_gb`` and ``ingest.max_ratio``."""
    default = ArchiveLimits()
    gb = getattr(cfg_ingest, "max_member_gb", None)
    ratio = getattr(cfg_ingest, "max_ratio", None)
    return ArchiveLimits(
        max_member_bytes=int(float(gb) * 10**9) if gb is not None else default.max_member_bytes,
        max_ratio=float(ratio) if ratio is not None else default.max_ratio,
    )


def read_source(path: str | Path, kind: str, cfg_ingest) -> SourceData:
    path = Path(path).expanduser()
    if kind == "auto":
        kind = detect_kind(path)
    if kind == "dwca":
        from herbproc.gbif.dwca import read_dwca

        return read_dwca(path, archive_limits(cfg_ingest))
    if kind == "simple_csv":
        from herbproc.gbif.simple_csv import read_simple_csv

        return read_simple_csv(path, archive_limits(cfg_ingest))
    if kind == "folder":
        from herbproc.gbif.folder import read_folder

        return read_folder(path, labels_csv=cfg_ingest.labels_csv)
    raise IngestError(f"unknown ingest.source '{kind}' (choices: {', '.join(SOURCE_KINDS)})")
