"""Streaming ingest of a Darwin Core Archive: the manifest of ``ingest`` without the archive in memory.

The in-memory ingest (``read_dwca`` + ``filter_records`` + ``split``) holds every record's columns as Python
strings: ~4.5 kB per record, 45 GB for a 10 M-record download. Here nothing wider than a compact index
(~70 bytes per record, measured) is held for the whole archive:

1. ``occurrence.txt`` in batches (``batches.iter_batches``: pyarrow's CSV parser block by block). Per batch: the
   record filters (``filters.apply_filters``, the same code as the in-memory path), each record's id as int64,
   its first failing reason and its class; the rows that pass are written to a temporary Parquet file (the
   manifest's Darwin Core terms only).
2. Missing and duplicate ids over the whole index (numpy), then ``multimedia.txt`` in batches: orphans, the first
   still image of each kept record (its fields to a second temporary file), no_image / no_still_image.
3. Caps, the minimum per class, class indices and the split on the index, with the same seeded generators and
   orders as ``split.py``: the target row of every kept record is known.
4. The two temporary files are distributed into buckets of ``BUCKET_ROWS`` target rows; each bucket is sorted and
   written as row groups of ``ROW_GROUP_ROWS`` rows of the manifest.

The result is the in-memory path's manifest, row for row, column for column (the tests compare them), and the
same drop table. Inputs this path does not cover (record ids that are not GBIF's integers, archives without a
multimedia extension, other sources) raise ``NotStreamable`` and take the in-memory path.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from herbproc.classes import UNNAMED, UNNAMED_LABEL, UNNAMED_SPLIT
from herbproc.gbif.batches import TableStats, iter_batches
from herbproc.gbif.dwca import MEDIA_ROW_TYPES, RECORD_TERMS, TableSpec, _find_meta, _header_spec, parse_meta
from herbproc.gbif.filters import REASONS, Drops, apply_filters
from herbproc.gbif.source import archive_limits
from herbproc.gbif.split import class_rng, split_counts
from herbproc.gbif.tables import BadRow, Container, IngestError
from herbproc.gbif.terms import MANIFEST_TERMS, STILL_IMAGE, media_type_name, term_name
from herbproc.manifest import ROW_GROUP_ROWS

log = logging.getLogger("herbproc.ingest")

# manifest rows sorted in memory at once, written as row groups of ROW_GROUP_ROWS (a multiple of it, so that every
# row group but the last has ROW_GROUP_ROWS rows: herbproc.manifest reads a shard's rows group by group)
BUCKET_ROWS = 12 * ROW_GROUP_ROWS  # 98,304
SPILL_BUFFER_BYTES = 96 << 20  # rows buffered per bucket before they are written
MEDIA_FIELDS = ("identifier", "format", "license", "rightsHolder")
# columns the filters and labels read (the rest of RECORD_TERMS only goes to the manifest)
FILTER_TERMS = (
    "gbifID", "basisOfRecord", "taxonRank", "countryCode", "stateProvince", "year", "eventDate", "genus",
    "scientificName", "species", "specificEpithet", "family",
)  # fmt: skip
_CANONICAL_ID = r"^(0|[1-9][0-9]{0,17})$"
CODE = {r: i + 1 for i, r in enumerate(REASONS)}  # reason -> int8 code; 0 = kept


class NotStreamable(Exception):
    """This input needs the in-memory ingest (the message says why)."""


@dataclass
class StreamResult:
    records_in: int
    manifest_file: Path | None  # None: nothing kept
    n_images: int
    classes: pd.DataFrame
    drops: Drops
    splits: dict
    notes: list[str] = field(default_factory=list)


def _ids_int(ids: pa.Array) -> np.ndarray:
    """gbifIDs as int64 (-1: empty); NotStreamable when one is not a plain integer."""
    empty = pc.equal(ids, "")
    ok = pc.or_(empty, pc.match_substring_regex(ids, _CANONICAL_ID))
    if not pc.all(ok).as_py():
        bad = pc.filter(ids, pc.invert(ok))[0].as_py()
        raise NotStreamable(f"record id '{bad[:40]}' is not an integer")
    filled = pc.if_else(empty, "-1", ids)
    return pc.cast(filled, pa.int64()).to_numpy(zero_copy_only=False)


class _Spill:
    """Rows into temporary Parquet files, one per bucket of target rows, buffered in memory up to a limit."""

    def __init__(self, folder: Path, prefix: str):
        self.folder, self.prefix = folder, prefix
        self.buffers: dict[int, list[pa.Table]] = {}
        self.writers: dict[int, pq.ParquetWriter] = {}
        self.nbytes = 0

    def path(self, k: int) -> Path:
        return self.folder / f"{self.prefix}-{k:05d}.parquet"

    def add(self, table: pa.Table, bucket: np.ndarray) -> None:
        if table.num_rows == 0:
            return
        order = np.argsort(bucket, kind="stable")
        table = table.take(pa.array(order))
        bucket = bucket[order]
        keys, starts = np.unique(bucket, return_index=True)
        ends = list(starts[1:]) + [len(bucket)]
        for k, a, b in zip(keys.tolist(), starts.tolist(), ends, strict=True):
            part = table.slice(a, b - a)
            self.buffers.setdefault(k, []).append(part)
            self.nbytes += part.nbytes
        if self.nbytes > SPILL_BUFFER_BYTES:
            self.flush()

    def flush(self) -> None:
        for k, parts in self.buffers.items():
            t = pa.concat_tables(parts).combine_chunks()
            if k not in self.writers:
                self.writers[k] = pq.ParquetWriter(self.path(k), t.schema, compression="lz4")
            self.writers[k].write_table(t)
        self.buffers.clear()
        self.nbytes = 0

    def close(self) -> None:
        self.flush()
        for w in self.writers.values():
            w.close()
        self.writers.clear()

    def read(self, k: int) -> pa.Table | None:
        p = self.path(k)
        return pq.read_table(p) if p.exists() else None


def ingest_dwca_streaming(path: Path, s, seed: int, work: Path, out_file: Path) -> StreamResult:
    """Filter, cap and split the archive ``path``; the manifest goes to ``out_file`` (Parquet).

    ``work`` is an empty folder for temporary files. Raises ``NotStreamable`` before anything is written when the
    input needs the in-memory path.
    """
    container = Container(path, archive_limits(s))  # the same unpacking limits as the in-memory path
    try:
        return _Run(container, s, seed, work).run(out_file)
    finally:
        container.close()


class _Run:
    def __init__(self, container: Container, s, seed: int, work: Path):
        self.c, self.s, self.seed, self.work = container, s, int(seed), work
        self.notes: list[str] = []

    # ------------------------------------------------------------------------------------------ layout
    def specs(self) -> tuple[TableSpec, list[TableSpec]]:
        meta, base = _find_meta(self.c)
        if meta is not None:
            core, extensions = parse_meta(self.c.read_bytes(meta, self.c.limits.max_meta_bytes), base)
        else:
            occ = [n for n in self.c.names() if PurePosixPath(n).name == "occurrence.txt"]
            if not occ:
                raise NotStreamable("no meta.xml and no occurrence.txt")
            core = _header_spec(self.c, occ[0], "Occurrence", "gbifID")
            extensions = []
            mm = [n for n in self.c.names() if PurePosixPath(n).name == "multimedia.txt"]
            if mm:
                extensions.append(_header_spec(self.c, mm[0], "Multimedia", "gbifID"))
            self.notes.append(
                "no meta.xml: read occurrence.txt/multimedia.txt as tab-separated files with headers"
            )
        media = [e for e in extensions if term_name(e.row_type).lower() in MEDIA_ROW_TYPES]
        if not media:
            raise NotStreamable("no multimedia extension")
        for m in media:
            if "identifier" not in m.fields and "accessURI" not in m.fields:
                raise NotStreamable("a multimedia extension without identifier")
        for spec in (core, *media):
            for name in spec.files:
                if not self.c.exists(name):
                    raise NotStreamable(f"{name} is missing")
        gbif_index = core.fields.get("gbifID")
        if gbif_index is not None and core.id_index is not None and gbif_index != core.id_index:
            # keyed by another id (occurrenceID: an IPT's or herbproc's own export) with a gbifID column too:
            # media rows point at the core id, which the in-memory path maps to the gbifID
            raise NotStreamable("the core id is not the gbifID column")
        return core, media

    # ------------------------------------------------------------------------------------------ pass 1
    def read_records(self, core: TableSpec) -> None:
        s = self.s
        wanted = {n: core.fields[n] for n in RECORD_TERMS if n in core.fields}
        if core.id_index is not None:
            wanted["_id"] = core.id_index
        defaults = {n: v for n, v in core.defaults.items() if n in RECORD_TERMS and n not in wanted}
        present = set(wanted) | set(defaults)
        self.terms = [t for t in MANIFEST_TERMS if t in present]
        spill_cols = ["gbifID", *[t for t in ("license", "rightsHolder") if t in present], *self.terms]
        self.spill_cols = list(dict.fromkeys(spill_cols))
        self.record_license = [t for t in ("license", "rightsHolder") if t in present]
        ids, codes, labels = [], [], []
        self.drop_parts: list[tuple[np.ndarray, int, list[str]]] = []  # (ordinals, code, details)
        self.bad: list[BadRow] = []
        self.label_index: dict[str, int] = {}
        self.details: dict[str, str] = {}
        self.label_names: list[str] = []
        cand_path = self.work / "candidates.parquet"
        writer = None
        n = 0
        for name in core.files:
            stats = TableStats(name)
            with self.c.open(name) as f:
                for batch in iter_batches(
                    f, name, core.fmt, wanted, n_fields=core.n_fields, id_index=core.id_index, stats=stats
                ):
                    self.bad.extend(batch.bad)
                    if batch.n_rows == 0:
                        continue
                    cols = dict(batch.columns)
                    for k, v in defaults.items():
                        cols[k] = pa.array([v] * batch.n_rows, pa.string())
                    gid = cols.get("gbifID")
                    gid = cols["_id"] if gid is None else pc.if_else(pc.equal(gid, ""), cols["_id"], gid)
                    cols["gbifID"] = gid
                    ids.append(_ids_int(gid))
                    frame = pd.DataFrame(
                        {k: cols[k].to_pandas().astype(object) for k in FILTER_TERMS if k in cols}
                    )
                    frame.index = pd.RangeIndex(batch.n_rows)
                    code = np.zeros(batch.n_rows, dtype=np.int8)

                    def on_drop(dropped, reason, details, code=code, base=n):
                        pos = dropped.index.to_numpy()
                        code[pos] = CODE[reason]
                        if isinstance(details, str):
                            det = [details[:300]] * len(pos)
                        else:
                            intern = self.details  # one object per distinct detail text
                            det = [intern.setdefault(t, t) for t in (str(d)[:300] for d in details)]
                        self.drop_parts.append((pos + base, CODE[reason], det))

                    kept = apply_filters(frame, s, "dwca", on_drop)
                    lab = np.full(batch.n_rows, -1, dtype=np.int32)
                    if len(kept):
                        names = kept["label_name"].astype(str)
                        uniq = names.unique()
                        for u in uniq:
                            if u not in self.label_index:
                                self.label_index[u] = len(self.label_names)
                                self.label_names.append(u)
                        lab[kept.index.to_numpy()] = names.map(self.label_index).to_numpy(np.int32)
                        mask = pa.array(code == 0)
                        cand = pa.table({c: pc.filter(cols[c], mask) for c in self.spill_cols})
                        cand = cand.append_column(
                            "_ord", pa.array(np.flatnonzero(code == 0).astype(np.int64) + n)
                        )
                        if writer is None:
                            writer = pq.ParquetWriter(cand_path, cand.schema, compression="lz4")
                        writer.write_table(cand)
                    codes.append(code)
                    labels.append(lab)
                    n += batch.n_rows
            stats.check(core.fmt, core.n_fields)
        if writer is not None:
            writer.close()
        self.cand_path = cand_path if writer is not None else None
        self.n_records = n
        self.ids = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        self.codes = np.concatenate(codes) if codes else np.zeros(0, np.int8)
        self.labels = np.concatenate(labels) if labels else np.zeros(0, np.int32)
        if n == 0 and not self.bad:
            raise IngestError(f"{self.c.path}: the occurrence core has no records")

    def id_checks(self) -> None:
        ids, codes = self.ids, self.codes
        missing = ids < 0
        self.missing_pos = np.flatnonzero(missing)
        self.has_empty_id = bool(len(self.missing_pos))
        # one stable sort: a repeated id's later rows follow its first row
        order = np.argsort(ids, kind="stable").astype(_pos_type(len(ids)))
        order = order[~missing[order]]
        sorted_ids = ids[order]
        repeat = np.zeros(len(order), dtype=bool)
        repeat[1:] = sorted_ids[1:] == sorted_ids[:-1]
        self.dup_pos = np.sort(order[repeat])
        codes[self.missing_pos] = CODE["missing_id"]
        codes[self.dup_pos] = CODE["duplicate_id"]
        self.known = sorted_ids[~repeat]  # every record id, sorted, once
        del sorted_ids, repeat
        self.kept_pos = np.flatnonzero(codes == 0).astype(_pos_type(len(ids)))  # kept records, file order
        by_id = order[codes[order] == 0]  # kept records, by id
        del order
        self.kept_sorted_ids = ids[by_id]
        self.kept_order = np.searchsorted(self.kept_pos, by_id).astype(_pos_type(len(ids)))

    # ------------------------------------------------------------------------------------------ media
    def read_media(self, specs: list[TableSpec]) -> None:
        nk = len(self.kept_pos)
        self.has_any = np.zeros(nk, dtype=bool)
        self.chosen = np.zeros(nk, dtype=bool)
        other_types: list[tuple[np.ndarray, np.ndarray]] = []  # (kept index, type code) of unusable rows
        type_names: dict[str, int] = {}
        bad_ids = {b.record_id for b in self.bad}
        self.media_bad: list[BadRow] = []
        self.orphans: list[tuple[str, str]] = []
        writer = None
        media_path = self.work / "media.parquet"
        names = tuple({"identifier", "accessURI", "format", "type", "license", "rightsHolder"})
        for spec in specs:
            wanted = {n: spec.fields[n] for n in names if n in spec.fields}
            if spec.id_index is not None:
                wanted["_id"] = spec.id_index
            for name in spec.files:
                stats = TableStats(name)
                with self.c.open(name) as f:
                    for batch in iter_batches(
                        f, name, spec.fmt, wanted, n_fields=spec.n_fields, id_index=spec.id_index, stats=stats
                    ):
                        self.media_bad.extend(
                            BadRow(b.line, b.record_id, "bad_media_row", f"{b.reason}: {b.detail}")
                            for b in batch.bad
                        )
                        m = batch.n_rows
                        if m == 0:
                            continue
                        cols = dict(batch.columns)
                        empty = pa.array([""] * m, pa.string())
                        for k, v in spec.defaults.items():
                            if k in names and k not in cols:
                                cols[k] = pa.array([v] * m, pa.string())
                        ident = cols.get("identifier", empty)
                        if "accessURI" in cols:
                            ident = pc.if_else(pc.equal(ident, ""), cols["accessURI"], ident)
                        fmt = cols.get("format", empty)
                        raw_types = cols.get("type", empty)
                        uniq = pc.unique(raw_types).to_pylist()
                        mapped = pa.array([media_type_name(t) for t in uniq], pa.string())
                        types = pc.take(mapped, pc.index_in(raw_types, value_set=pa.array(uniq, pa.string())))
                        types = pc.if_else(
                            pc.equal(types, ""),
                            pc.if_else(pc.starts_with(fmt, "image/"), STILL_IMAGE, ""),
                            types,
                        )
                        coreid = cols["_id"]
                        canonical = pc.match_substring_regex(coreid, _CANONICAL_ID).to_numpy(
                            zero_copy_only=False
                        )
                        cid = pc.if_else(pa.array(canonical), coreid, "-1")
                        cid = pc.cast(cid, pa.int64()).to_numpy(zero_copy_only=False)
                        # known: a record with this id (good or malformed); the rest is orphan media
                        at = np.searchsorted(self.known, cid)
                        known = canonical & (at < len(self.known))
                        known[known] = self.known[at[known]] == cid[known]
                        if bad_ids or self.has_empty_id:
                            unknown = np.flatnonzero(~known)
                            if len(unknown):
                                ids_py = pc.take(coreid, pa.array(unknown)).to_pylist()
                                for j, v in zip(unknown.tolist(), ids_py, strict=True):
                                    if v in bad_ids or (v == "" and self.has_empty_id):
                                        known[j] = True
                        orphan = np.flatnonzero(~known)
                        if len(orphan):
                            o_ids = pc.take(coreid, pa.array(orphan)).to_pylist()
                            o_urls = pc.take(ident, pa.array(orphan)).to_pylist()
                            self.orphans.extend(zip(o_ids, o_urls, strict=True))
                        # rows of kept records
                        at = np.searchsorted(self.kept_sorted_ids, cid)
                        hit = canonical & (at < len(self.kept_sorted_ids))
                        hit[hit] = self.kept_sorted_ids[at[hit]] == cid[hit]
                        rows = np.flatnonzero(hit)
                        if not len(rows):
                            continue
                        k = self.kept_order[at[rows]]  # index into kept_pos
                        self.has_any[k] = True
                        usable = pc.and_(pc.equal(types, STILL_IMAGE), pc.not_equal(ident, "")).to_numpy(
                            zero_copy_only=False
                        )[rows]
                        # first usable row per record, in file order, for records without one yet
                        cand = np.flatnonzero(usable & ~self.chosen[k])
                        if len(cand):
                            kk, first = np.unique(k[cand], return_index=True)
                            pick = rows[cand[first]]
                            order = np.argsort(pick, kind="stable")
                            pick, kk = pick[order], kk[order]
                            self.chosen[kk] = True
                            idx = pa.array(pick)
                            lic = pc.take(cols.get("license", empty), idx)
                            rh = pc.take(cols.get("rightsHolder", empty), idx)
                            t = pa.table(
                                {
                                    "identifier": pc.take(ident, idx),
                                    "format": pc.take(fmt, idx),
                                    "license": lic,
                                    "rightsHolder": rh,
                                    "_ord": pa.array(self.kept_pos[kk].astype(np.int64)),
                                }
                            )
                            if writer is None:
                                writer = pq.ParquetWriter(media_path, t.schema, compression="lz4")
                            writer.write_table(t)
                        nu = np.flatnonzero(~usable)
                        if len(nu):
                            tnames = pc.take(types, pa.array(rows[nu])).to_pylist()
                            tcodes = np.array(
                                [type_names.setdefault(t, len(type_names)) for t in tnames], dtype=np.int16
                            )
                            other_types.append((k[nu], tcodes))
                stats.check(spec.fmt, spec.n_fields)
        if writer is not None:
            writer.close()
        self.media_path = media_path if writer is not None else None
        self.type_names = {v: t for t, v in type_names.items()}
        self.other_types = other_types
        del self.known, self.kept_sorted_ids, self.kept_order  # the lookups of this pass only

    # ------------------------------------------------------------------------------------------ drops
    def media_drops(self) -> None:
        no_image = ~self.has_any
        no_still = self.has_any & ~self.chosen
        self.codes[self.kept_pos[no_image]] = CODE["no_image"]
        self.codes[self.kept_pos[no_still]] = CODE["no_still_image"]
        kinds: dict[int, set[str]] = {}
        if no_still.any():
            want = no_still
            for k, t in self.other_types:
                sel = want[k]
                for kk, tt in zip(k[sel].tolist(), t[sel].tolist(), strict=True):
                    kinds.setdefault(kk, set()).add(self.type_names[tt])
        self.no_still_detail = {kk: ",".join(sorted(v) or ["?"]) for kk, v in kinds.items()}
        self.no_image_k = np.flatnonzero(no_image)
        self.no_still_k = np.flatnonzero(no_still)
        self.final_k = np.flatnonzero(self.chosen)  # kept records with an image, file order

    def caps_and_split(self) -> None:
        s = self.s
        pos = self.kept_pos[self.final_k]  # records with an image, file order
        del self.final_k
        lab = self.labels[pos]
        self.labels = None  # not needed any more
        names = self.label_names
        unnamed = self.label_index.get(UNNAMED, -1)  # ingest.keep_unnamed: no class, no cap, no split
        by_name = sorted(set(np.unique(lab).tolist()) - {unnamed}, key=lambda c: names[c])
        cap = int(s.max_per_class) if int(s.max_per_class) > 0 else None
        self.cap_drops: list[tuple[np.ndarray, str]] = []
        capped: list[tuple[int, np.ndarray]] = []  # (label code, positions in the cap's order)
        order = np.lexsort((self.ids[pos], lab)).astype(_pos_type(len(pos)))  # by class, then numeric id
        pos = pos[order]
        bounds = np.searchsorted(lab[order], np.arange(len(names) + 1))
        del order, lab
        for c in by_name:
            cls_pos = pos[bounds[c] : bounds[c + 1]]  # ids in numeric order (split._id_key)
            queue = cls_pos[class_rng(self.seed, names[c], "cap").permutation(len(cls_pos))]
            n = len(queue) if cap is None else min(cap, len(queue))
            capped.append((c, queue[:n]))
            if n < len(queue):
                self.cap_drops.append((self.ids[queue[n:]], f"over ingest.max_per_class={s.max_per_class}"))
        nameless = pos[bounds[unnamed] : bounds[unnamed + 1]] if unnamed >= 0 else pos[:0]
        del pos
        self.small_drops: list[tuple[np.ndarray, str]] = []
        final: list[tuple[int, np.ndarray]] = []
        min_per_class = int(s.min_per_class)
        for c, chosen in capped:
            if len(chosen) < min_per_class:
                self.small_drops.append(
                    (self.ids[chosen], f"class '{names[c]}' under ingest.min_per_class={min_per_class}")
                )
            else:
                final.append((c, chosen))
        del capped
        # class index by sorted name; rows by label then numeric gbifID; the split seeded per class
        final.sort(key=lambda item: names[item[0]])
        n_rows = sum(len(chosen) for _, chosen in final) + len(nameless)
        self.row_of_ord = np.full(self.n_records, -1, dtype=_pos_type(max(self.n_records, n_rows)))
        self.row_label = np.empty(n_rows, dtype=np.int32)
        self.row_split = np.empty(n_rows, dtype=np.int8)
        start = 0
        for label, (c, chosen) in enumerate(final):
            n = len(chosen)
            rows = chosen[np.argsort(self.ids[chosen], kind="stable")]  # by numeric gbifID
            n_train, n_val, n_test = split_counts(n, float(s.val_fraction), float(s.test_fraction))
            perm = class_rng(self.seed, names[c], "split").permutation(n)
            sp = np.empty(n, dtype=np.int8)
            sp[perm] = np.array([0] * n_train + [1] * n_val + [2] * n_test, dtype=np.int8)
            self.row_of_ord[rows] = np.arange(start, start + n)
            self.row_label[start : start + n] = label
            self.row_split[start : start + n] = sp
            start += n
        rows = nameless[np.argsort(self.ids[nameless], kind="stable")]  # after every class, by numeric gbifID
        self.row_of_ord[rows] = np.arange(start, start + len(rows))
        self.row_label[start:] = UNNAMED_LABEL
        self.row_split[start:] = len(SPLIT_NAMES) - 1
        self.final_classes = [names[c] for c, _ in final]
        self.n_rows = n_rows

    def drop_table(self) -> Drops:
        drops = Drops()
        drops.add_bad(self.bad)
        drops.add_bad(self.media_bad)
        drops.add_bad(
            BadRow(0, cid, "orphan_media", f"media {url} has no occurrence record")
            for cid, url in self.orphans
        )

        def str_ids(pos: np.ndarray):  # ids stay int64 (Drops turns them into text when it writes)
            ids = self.ids[pos]
            return ids if (ids >= 0).all() else ["" if i < 0 else str(i) for i in ids.tolist()]

        drops.add(str_ids(self.missing_pos), "missing_id", "record without gbifID")
        drops.add(str_ids(self.dup_pos), "duplicate_id", "gbifID seen on an earlier row")
        # record filters: by reason, then file order
        parts: dict[int, list[tuple[np.ndarray, list[str]]]] = {}
        for pos, code, det in self.drop_parts:
            parts.setdefault(code, []).append((pos, det))
        for reason in REASONS:
            code = CODE[reason]
            if code not in parts:
                continue
            pos = np.concatenate([p for p, _ in parts[code]])
            det = np.array([d for _, ds in parts[code] for d in ds], dtype=object)
            keep = self.codes[pos] == code  # not a missing or duplicate id
            order = np.argsort(pos[keep], kind="stable")
            drops.add(str_ids(pos[keep][order]), reason, det[keep][order])
        drops.add(str_ids(self.kept_pos[self.no_image_k]), "no_image", "no media rows")
        drops.add(
            str_ids(self.kept_pos[self.no_still_k]),
            "no_still_image",
            [self.no_still_detail.get(int(k), "?") for k in self.no_still_k],
        )
        for ids, detail in self.cap_drops:
            drops.add(ids, "class_cap", detail)
        for ids, detail in self.small_drops:
            drops.add(ids, "class_too_small", detail)
        return drops

    # ------------------------------------------------------------------------------------------ output
    def write_manifest(self, out_file: Path) -> pd.DataFrame:
        n_rows = self.n_rows
        nb = max(1, -(-n_rows // BUCKET_ROWS))
        occ = _Spill(self.work, "occ")
        med = _Spill(self.work, "media")
        for path, spill in ((self.cand_path, occ), (self.media_path, med)):
            if path is None:
                continue
            f = pq.ParquetFile(path)
            for batch in f.iter_batches(batch_size=65_536):
                ords = batch.column("_ord").to_numpy()
                rows = self.row_of_ord[ords]
                sel = np.flatnonzero(rows >= 0)
                if not len(sel):
                    continue
                t = pa.Table.from_batches([batch]).take(pa.array(sel)).drop_columns(["_ord"])
                t = t.append_column("_row", pa.array(rows[sel]))
                spill.add(t, rows[sel] // BUCKET_ROWS)
            spill.close()
            path.unlink()
        schema = _manifest_schema(self.terms)
        names = np.array(self.final_classes + [UNNAMED], dtype=object)  # label -1: the last
        split_names = np.array(SPLIT_NAMES, dtype=object)
        counters = {c: Counter() for c in ("family", "genus", "species")}
        writer = pq.ParquetWriter(out_file, schema)
        try:
            for b in range(nb):
                lo, hi = b * BUCKET_ROWS, min(n_rows, (b + 1) * BUCKET_ROWS)
                o, m = occ.read(b), med.read(b)
                if o is None or m is None:
                    if hi > lo:
                        raise IngestError("streaming ingest lost rows of the manifest")
                    continue
                o = o.take(pc.sort_indices(o, [("_row", "ascending")]))
                m = m.take(pc.sort_indices(m, [("_row", "ascending")]))
                rows = o.column("_row").to_numpy()
                if not np.array_equal(rows, np.arange(lo, hi)) or not np.array_equal(
                    m.column("_row").to_numpy(), rows
                ):
                    raise IngestError("streaming ingest lost rows of the manifest")
                cols: dict[str, pa.Array] = {"gbifID": o.column("gbifID")}
                for c in MEDIA_FIELDS:
                    v = m.column(c)
                    if c in ("license", "rightsHolder") and c in o.column_names:
                        v = pc.if_else(pc.equal(v, ""), o.column(c), v)
                    cols[c] = v
                for t in self.terms:
                    cols[t] = o.column(t)
                labels = self.row_label[lo:hi]
                cols["label"] = pa.array(labels, pa.int64())
                cols["label_name"] = pa.array(names[labels], pa.string())
                cols["split"] = pa.array(split_names[self.row_split[lo:hi]], pa.string())
                cols["row"] = pa.array(np.arange(lo, hi, dtype=np.int64))
                table = pa.table(cols).cast(schema)
                writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
                for c, counter in counters.items():
                    if c in cols:
                        counted = (
                            pa.table({"l": cols["label"], "v": cols[c]})
                            .group_by(["l", "v"])
                            .aggregate([("v", "count")])
                        )
                        for l_, v_, n_ in zip(
                            *(counted.column(x).to_pylist() for x in ("l", "v", "v_count")), strict=True
                        ):
                            if v_ != "":
                                counter[(l_, v_)] += n_
                for p in (occ.path(b), med.path(b)):
                    p.unlink(missing_ok=True)
        finally:
            writer.close()
        return self.class_table(counters)

    def class_table(self, counters: dict[str, Counter]) -> pd.DataFrame:
        from herbproc.classes import CLASS_COLUMNS

        best: dict[str, dict[int, tuple[int, str]]] = {c: {} for c in counters}
        for c, counter in counters.items():
            for (label, value), n in counter.items():
                cur = best[c].get(label)
                if cur is None or n > cur[0] or (n == cur[0] and value < cur[1]):
                    best[c][label] = (n, value)
        rows = []
        for label, name in enumerate(self.final_classes):
            sel = self.row_label == label
            counts = np.bincount(self.row_split[sel], minlength=3)
            rows.append(
                {
                    "label": label,
                    "name": name,
                    "family": best["family"].get(label, (0, ""))[1],
                    "genus": best["genus"].get(label, (0, ""))[1],
                    "species": best["species"].get(label, (0, ""))[1],
                    "n_images": int(sel.sum()),
                    "n_train": int(counts[0]),
                    "n_val": int(counts[1]),
                    "n_test": int(counts[2]),
                }
            )
        return pd.DataFrame(rows, columns=list(CLASS_COLUMNS))

    # ------------------------------------------------------------------------------------------ all
    def run(self, out_file: Path) -> StreamResult:
        core, media = self.specs()
        self.read_records(core)
        self.id_checks()
        self.read_media(media)
        self.media_drops()
        self.caps_and_split()
        drops = self.drop_table()
        classes = self.write_manifest(out_file)
        summary_names = np.array([*SPLIT_NAMES[:-1], "unnamed"], dtype=object)
        splits = pd.Series(summary_names[self.row_split]).value_counts()
        return StreamResult(
            records_in=self.n_records + len(self.bad),
            manifest_file=out_file,
            n_images=self.n_rows,
            classes=classes,
            drops=drops,
            splits=splits.to_dict(),
            notes=self.notes,
        )


SPLIT_NAMES = ("train", "val", "test", UNNAMED_SPLIT)  # the row_split codes


def _manifest_schema(terms: list[str]) -> pa.Schema:
    """The schema ``DataFrame.to_parquet`` gives the in-memory path's manifest (pandas metadata included)."""
    cols = ["gbifID", *MEDIA_FIELDS, *terms, "label", "label_name", "split", "row"]
    df = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    for c in cols:
        if c not in ("label", "row"):
            df[c] = df[c].fillna("").astype(str)
    df["label"] = df["label"].astype("int64")
    df["row"] = df["row"].astype("int64")
    return pa.Schema.from_pandas(df, preserve_index=False)


def _pos_type(n: int):
    """The smallest integer type for positions below ``n``."""
    return np.int32 if n < 2**31 else np.int64


def make_workdir(parent: Path) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="stream-", dir=parent))


def remove_workdir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
