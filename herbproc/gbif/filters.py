"""Record filters. Each record the input held ends either in the manifest or in ``Drops`` with one reason.

Reasons, in the order they are checked: missing_id, unsafe_id, malformed_row, bad_encoding, duplicate_id, basis_of_record,
taxon_rank, country_code, state_province, year, genus, no_label, no_image, no_still_image, api_not_found,
api_error, class_cap, class_too_small. Media rows that are not used are counted as orphan_media (no such
record) or bad_media_row (malformed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from herbproc.gbif.regions import normalise_region
from herbproc.gbif.source import SourceData
from herbproc.gbif.tables import BadRow, IngestError
from herbproc.gbif.terms import STILL_IMAGE
from herbproc.paths import SAFE_ID_TEXT, is_safe_id

REASONS = (
    "missing_id",
    "unsafe_id",
    "malformed_row",
    "bad_encoding",
    "duplicate_id",
    "basis_of_record",
    "taxon_rank",
    "country_code",
    "state_province",
    "year",
    "genus",
    "no_label",
    "no_image",
    "no_still_image",
    "api_not_found",
    "api_error",
    "class_cap",
    "class_too_small",
    "orphan_media",
    "bad_media_row",
)
MEDIA_REASONS = ("orphan_media", "bad_media_row")


@dataclass
class Drops:
    """Every record left out, with its reason and a short detail.

    Kept compactly, as the parts they were added in: a streamed ingest may drop millions of records (a class
    cap over a 10 M-record download). Integer ids (a numpy array) stay integers until ``table()``; a detail
    shared by a part is stored once, and repeated details are stored once per distinct text.
    """

    parts: list[tuple[object, str, object]] = field(default_factory=list)  # (ids, reason, detail(s))

    def add(self, ids: Iterable[str], reason: str, details: Iterable[str] | str = "") -> None:
        assert reason in REASONS, reason
        if not (isinstance(ids, np.ndarray) and ids.dtype.kind in "iu"):
            ids = [str(i) for i in ids]
        if isinstance(details, str):
            det: object = details[:300]
        else:
            seen: dict[str, str] = {}
            det = [seen.setdefault(t, t) for t in (str(d)[:300] for d in details)]
            if len(det) != len(ids):
                raise ValueError(f"{len(ids)} ids but {len(det)} details")
        if len(ids):
            self.parts.append((ids, reason, det))

    def add_bad(self, bad: Iterable[BadRow]) -> None:
        for b in bad:
            where = f"line {b.line}: " if b.line else ""
            self.parts.append(([b.record_id], b.reason, [f"{where}{b.detail}"[:300]]))

    def __len__(self) -> int:
        return sum(len(ids) for ids, _, _ in self.parts)

    @property
    def rows(self) -> list[dict]:
        """One dict per dropped record (small inputs; ``table()`` for big ones)."""
        t = self.table()
        return t.to_dict("records")

    def table(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame([], columns=["gbifID", "reason", "detail"]).astype(str)
        ids, reasons, details = [], [], []
        for part_ids, reason, det in self.parts:
            n = len(part_ids)
            if isinstance(part_ids, np.ndarray):
                ids.append(pa.array(part_ids).cast(pa.string()))
            else:
                ids.append(pa.array(part_ids, pa.string()))
            reasons.append(pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), [reason]))
            details.append(pa.array([det] * n if isinstance(det, str) else det, pa.string()))
        table = pa.table(
            {
                "gbifID": pa.chunked_array(ids, pa.string()),
                "reason": pa.chunked_array([r.cast(pa.string()) for r in reasons], pa.string()),
                "detail": pa.chunked_array(details, pa.string()),
            }
        )
        return table.to_pandas().astype(str)

    def counts(self) -> pd.DataFrame:
        counts = Counter()
        for ids, reason, _ in self.parts:
            counts[reason] += len(ids)
        rows = [{"reason": r, "count": int(counts[r])} for r in REASONS if counts[r]]
        return pd.DataFrame(rows, columns=["reason", "count"])

    def count(self, reason: str) -> int:
        return sum(len(ids) for ids, r, _ in self.parts if r == reason)


def read_genus_list(path: str | Path) -> set[str]:
    """Genera from a file with one genus per line, or a CSV with a ``genus`` column (case ignored)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise IngestError(f"ingest.genus_list {path} does not exist")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise IngestError(f"ingest.genus_list {path} is not UTF-8 text: {e}") from None
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    if not lines:
        raise IngestError(f"ingest.genus_list {path} is empty")
    delim = next((d for d in ("\t", ",", ";") if d in lines[0]), None)
    if delim is not None:
        header = [h.strip().strip('"').lower() for h in lines[0].split(delim)]
        if "genus" not in header:
            raise IngestError(
                f"ingest.genus_list {path}: a table needs a 'genus' column (has: {', '.join(header)})"
            )
        col = header.index("genus")
        values = [ln.split(delim)[col] if len(ln.split(delim)) > col else "" for ln in lines[1:]]
    else:
        values = lines[1:] if lines[0].lower() == "genus" else lines
    genera = {v.strip().strip('"').split()[0].lower() for v in values if v.strip().strip('"')}
    if not genera:
        raise IngestError(f"ingest.genus_list {path} names no genus")
    return genera


def _column(records: pd.DataFrame, name: str, setting: str, value) -> pd.Series:
    if name not in records.columns:
        raise IngestError(
            f"the input has no {name} column, so ingest.{setting}={value} cannot be applied "
            f"(give ingest.{setting}=[] to keep records regardless)"
        )
    return records[name].astype(str)


def _years(records: pd.DataFrame) -> pd.Series:
    year = (
        records["year"] if "year" in records.columns else pd.Series([""] * len(records), index=records.index)
    )
    if "eventDate" in records.columns:
        from_date = records["eventDate"].astype(str).str.extract(r"^(\d{4})", expand=False).fillna("")
        year = year.where(year.astype(str).str.strip() != "", from_date)
    return pd.to_numeric(year, errors="coerce")


def _genus(records: pd.DataFrame) -> pd.Series:
    genus = records["genus"] if "genus" in records.columns else pd.Series("", index=records.index)
    if "scientificName" in records.columns:
        first = records["scientificName"].astype(str).str.split().str[0].fillna("")
        genus = genus.where(genus.astype(str).str.strip() != "", first)
    return genus.astype(str).str.strip()


_BINOMIAL = re.compile(r"^([A-Z][a-z\-]+)\s+(?:x\s+|×\s*)?([a-z][a-z\-]+)")


def label_names(records: pd.DataFrame, level: str) -> pd.Series:
    """The class name of each record at ``level`` ('' when the record lacks it)."""
    empty = pd.Series("", index=records.index, dtype=object)
    preset = records["label_name"].astype(str).str.strip() if "label_name" in records.columns else empty
    if level == "family":
        out = records["family"].astype(str).str.strip() if "family" in records.columns else empty
    elif level == "genus":
        out = _genus(records)
    else:
        out = records["species"].astype(str).str.strip() if "species" in records.columns else empty.copy()
        if "genus" in records.columns and "specificEpithet" in records.columns:
            built = (
                records["genus"].astype(str).str.strip() + " " + records["specificEpithet"].astype(str)
            ).str.strip()
            ok = records["genus"].astype(str).str.strip().ne("") & records["specificEpithet"].astype(
                str
            ).str.strip().ne("")
            out = out.where(out != "", built.where(ok, ""))
        if "scientificName" in records.columns:
            need = out == ""  # the name is parsed only where nothing better is known
            from_name = (
                records.loc[need, "scientificName"]
                .astype(str)
                .map(lambda s: " ".join(m.groups()) if (m := _BINOMIAL.match(s.strip())) else "")
            )
            out = out.where(~need, from_name)
    return preset.where(preset != "", out)


def _vocab_key(value: str) -> str:
    return re.sub(r"[\s_-]+", "", str(value)).upper()


def filter_records(src: SourceData, s, drops: Drops) -> pd.DataFrame:
    """Apply the record filters of ingest settings ``s``; returns the kept records with a ``label_name``."""
    drops.add_bad(src.bad_rows)
    drops.add_bad(src.media_problems)
    r = src.records.copy()
    r["gbifID"] = r["gbifID"].astype(str).str.strip()

    def drop(mask: pd.Series, reason: str, details: pd.Series | str = "") -> None:
        nonlocal r
        if mask.any():
            det = details[mask] if isinstance(details, pd.Series) else details
            drops.add(r.loc[mask, "gbifID"], reason, det)
            r = r[~mask]

    drop(r["gbifID"] == "", "missing_id", "record without gbifID")
    # ids become file names (exports, report pictures): GBIF's are integers, others must match paths.SAFE_ID
    drop(~r["gbifID"].map(is_safe_id), "unsafe_id", f"record id is not a safe file name ({SAFE_ID_TEXT})")
    drop(r["gbifID"].duplicated(keep="first"), "duplicate_id", "gbifID seen on an earlier row")
    r = apply_filters(r, s, src.kind, drops.add)
    if src.media is not None:
        r = attach_media(r, src.media, drops)
    return r.reset_index(drop=True)


def apply_filters(r: pd.DataFrame, s, kind: str, on_drop: Callable) -> pd.DataFrame:
    """The per-record filters of ingest settings ``s`` (basis_of_record .. no_label), in their order. With
    ``ingest.keep_unnamed`` a record without a name stays, its ``label_name`` "".

    Each record's fate depends on that record alone, so the streaming ingest applies this to one batch of rows at a
    time. ``on_drop(ids, reason, details)`` gets the dropped rows' gbifIDs (a Series keeping ``r``'s index) with
    their reason and detail (a Series aligned with ``ids``, or one text); returns the kept rows with ``label_name``.
    """

    def drop(mask: pd.Series, reason: str, details: pd.Series | str = "") -> None:
        nonlocal r
        if mask.any():
            det = details[mask] if isinstance(details, pd.Series) else details
            on_drop(r.loc[mask, "gbifID"], reason, det)
            r = r[~mask]

    if s.basis_of_record and not ("basisOfRecord" not in r.columns and kind == "folder"):
        col = _column(r, "basisOfRecord", "basis_of_record", list(s.basis_of_record))
        # GBIF's interpreted PRESERVED_SPECIMEN and Darwin Core's PreservedSpecimen are one value
        wanted = {_vocab_key(b) for b in s.basis_of_record}
        drop(~col.map(_vocab_key).isin(wanted), "basis_of_record", col)
    if s.taxon_rank:
        col = _column(r, "taxonRank", "taxon_rank", list(s.taxon_rank))
        wanted = {t.strip().upper() for t in s.taxon_rank}
        drop(~col.str.strip().str.upper().isin(wanted), "taxon_rank", col)
    if s.country_code:
        col = _column(r, "countryCode", "country_code", list(s.country_code))
        wanted = {c.strip().upper() for c in s.country_code}
        drop(~col.str.strip().str.upper().isin(wanted), "country_code", col)
    if s.state_province:
        col = _column(r, "stateProvince", "state_province", list(s.state_province))
        wanted = {normalise_region(v) for v in s.state_province}
        drop(~col.map(normalise_region).isin(wanted), "state_province", col)
    if s.year_min is not None or s.year_max is not None:
        if "year" not in r.columns and "eventDate" not in r.columns:
            _column(r, "year", "year_min", s.year_min)
        years = _years(r)
        lo = s.year_min if s.year_min is not None else -(10**9)
        hi = s.year_max if s.year_max is not None else 10**9
        bad = years.isna() | (years < lo) | (years > hi)
        drop(bad, "year", years.map(lambda y: "no year" if pd.isna(y) else str(int(y))))
    if s.genus_list:
        genera = read_genus_list(s.genus_list)
        genus = _genus(r)
        drop(~genus.str.lower().isin(genera), "genus", genus)
    labels = label_names(r, s.label_level)
    if not s.keep_unnamed:
        drop(labels == "", "no_label", f"no {s.label_level} name")
    r["label_name"] = labels.loc[r.index]  # the same names, not computed twice
    return r


def attach_media(records: pd.DataFrame, media: pd.DataFrame, drops: Drops) -> pd.DataFrame:
    """Join each record with its first still image (file order); drop records without one."""
    m = media.copy()
    m["coreid"] = m["coreid"].astype(str).str.strip()
    m = m[m["coreid"].isin(set(records["gbifID"]))]
    has_any = records["gbifID"].isin(set(m["coreid"]))
    usable = m[(m["type"] == STILL_IMAGE) & (m["identifier"].astype(str).str.strip() != "")]
    first = usable.drop_duplicates("coreid", keep="first").set_index("coreid")
    has_still = records["gbifID"].isin(set(first.index))
    no_media = ~has_any
    if no_media.any():
        drops.add(records.loc[no_media, "gbifID"], "no_image", "no media rows")
    other = has_any & ~has_still
    if other.any():
        kinds = m.groupby("coreid")["type"].agg(lambda t: ",".join(sorted(set(t)) or ["?"]))
        drops.add(records.loc[other, "gbifID"], "no_still_image", records.loc[other, "gbifID"].map(kinds))
    out = records[has_still].copy()
    for col in ("identifier", "format", "license", "rightsHolder"):
        values = out["gbifID"].map(first[col]).fillna("").astype(str)
        if col in ("license", "rightsHolder") and col in out.columns:
            # the image's own licence and rights holder; the record's where the media row has none
            values = values.where(values != "", out[col].astype(str))
        out[col] = values
    return out
