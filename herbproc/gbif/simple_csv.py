"""GBIF "simple CSV" downloads: one tab-separated file (often zipped) with a header of Darwin Core names.

They carry no image URLs; ``herbproc.gbif.api`` resolves them through the GBIF occurrence API after filtering.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pandas as pd

from herbproc.gbif.source import SourceData
from herbproc.gbif.tables import (
    CANDIDATE_DELIMITERS,
    ArchiveLimits,
    Container,
    IngestError,
    TableFormat,
    read_table,
)
from herbproc.gbif.terms import EXTRA_RECORD_TERMS, MANIFEST_TERMS, term_name

RECORD_TERMS = ("gbifID", *MANIFEST_TERMS, *EXTRA_RECORD_TERMS)
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def _pick_member(container: Container) -> str:
    names = [n for n in container.names() if PurePosixPath(n).suffix.lower() in TEXT_SUFFIXES]
    if not names:
        raise IngestError(f"{container.path} holds no .csv/.tsv/.txt file")
    if len(names) > 1:
        raise IngestError(
            f"{container.path} holds several tables ({', '.join(names[:4])}); give the one to read as input=..."
        )
    return names[0]


def _sniff(first_line: bytes, where: str) -> TableFormat:
    text = first_line.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    if not text.strip():
        raise IngestError(f"{where} is empty (no header line)")
    counts = {d: text.count(d) for d in CANDIDATE_DELIMITERS}
    delimiter = "\t" if counts["\t"] else max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        raise IngestError(
            f"{where}: the header line has no tab, comma, semicolon or | delimiter: not a GBIF simple CSV"
        )
    # GBIF writes the tab-separated file unquoted; a comma-separated file made by hand will be quoted
    return TableFormat(delimiter=delimiter, quote="" if delimiter == "\t" else '"', header_lines=1)


def read_simple_csv(path: Path, limits: ArchiveLimits | None = None) -> SourceData:
    if path.is_dir():
        raise IngestError(f"{path} is a folder; a GBIF simple CSV is a single file (or a zip holding one)")
    if not path.is_file():
        raise IngestError(f"input {path} does not exist")
    container = Container(path.parent) if not _is_zip(path) else Container(path, limits)
    member = path.name if not _is_zip(path) else _pick_member(container)
    try:
        first = container.first_line(member)
        fmt = _sniff(first, member)
        line = first.decode("utf-8-sig", "replace").rstrip("\r\n")
        header = [term_name(h.strip().strip('"')) for h in line.split(fmt.delimiter)]
        if "gbifID" not in header:
            raise IngestError(
                f"{member}: no gbifID column in the header ({', '.join(header[:6])}, ...): "
                "not a GBIF simple CSV download"
            )
        wanted = {}
        for i, name in enumerate(header):
            if name in RECORD_TERMS and name not in wanted:
                wanted[name] = i
        with container.open(member) as f:
            table = read_table(f, member, fmt, wanted, n_fields=len(header), id_index=wanted["gbifID"])
    finally:
        container.close()
    records = pd.DataFrame(table.columns, dtype=object)
    if len(records) == 0 and not table.bad:
        raise IngestError(f"{path}: no records after the header line")
    notes = [f"simple CSV ({fmt.delimiter!r}-separated); image URLs come from the GBIF occurrence API"]
    return SourceData("simple_csv", records, None, table.bad, [], notes)


def _is_zip(path: Path) -> bool:
    import zipfile

    return zipfile.is_zipfile(path)
