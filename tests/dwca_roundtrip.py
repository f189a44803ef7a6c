"""The Darwin Core Archive round trip, as a function of a run directory, for any world (demo, hand-built, real
sheets):

    from dwca_roundtrip import export_and_check
    report = export_and_check(run_dir, work_dir, "export.confidences=true")

1. ``stage=export format=dwca`` writes ``<run_dir>/export/dwca.zip`` (through the stage's own config and module);
2. python-dwca-reader, a reader herbproc does not share code with, reads the zip: the core and every extension,
   every row, every field, must equal the export's own tables (so tabs, line breaks, quotes and non-ASCII text
   survive), and each extension row must point at a core row;
3. ``stage=ingest input=<zip>`` into ``work_dir/reingest`` must keep every record (none dropped), with the same
   gbifIDs, the original image URL and every term ingest keeps equal to what the core says.

Returns what it compared (counts), so a caller can assert more.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from dwca.read import DwCAReader

from herbproc.config import compose
from herbproc.export.dwca import (
    DATE_GROUP,
    HIGHER_RANKS,
    MEASUREMENT,
    MEDIA_EXTENSIONS,
    OCCURRENCE,
    TAXON_GROUP,
    collect,
)
from herbproc.gbif.terms import MANIFEST_TERMS
from herbproc.manifest import load_manifest
from herbproc.paths import RunPaths
from herbproc.shard import execute_shard


def export(run_dir: Path, *overrides: str):
    cfg = compose(["stage=export", f"run_dir={run_dir}", "format=dwca", *overrides])
    assert cfg.stage.rerun, "every launch of the export writes it again"
    paths = RunPaths(cfg.run_dir)  # what the launcher does for a rerun stage
    paths.marker("export", 0).unlink(missing_ok=True)
    paths.journal("export", 0).unlink(missing_ok=True)
    result = execute_shard(cfg, 0)
    assert result.done == result.items > 0, result
    return cfg, result


def read_with_dwca_reader(zpath: Path) -> dict[str, pd.DataFrame]:
    """Every table of the archive as python-dwca-reader gives it: term URIs as columns, plus ``_id``."""
    out: dict[str, list[dict]] = {}
    with DwCAReader(str(zpath)) as dwca:
        assert dwca.descriptor.core.type == OCCURRENCE
        core = []
        for row in dwca:
            core.append({"_id": row.id, **row.data})
            for ext in row.extensions:
                out.setdefault(ext.rowtype, []).append({"_id": ext.core_id, **ext.data})
        out[OCCURRENCE] = core
        types = {e.type for e in dwca.descriptor.extensions}
    tables = {k: pd.DataFrame(v) for k, v in out.items()}
    for t in types:  # an extension declared but empty reads as an empty table
        tables.setdefault(t, pd.DataFrame())
    return tables


def _expected(table: pd.DataFrame, key: str, uris: dict[str, str]) -> pd.DataFrame:
    """The export's table with term URIs as columns and the core id as ``_id`` (strings, as written)."""
    cols = {c: uris[c] for c in table.columns if c != "coreid"}
    out = table.rename(columns=cols).fillna("").astype(str)
    out.insert(0, "_id", table[key].astype(str))
    if key == "coreid":
        out = out.drop(columns=["coreid"])
    return out


def export_and_check(run_dir: Path, work_dir: Path, *overrides: str) -> dict:
    run_dir, work_dir = Path(run_dir), Path(work_dir)
    cfg, _ = export(run_dir, *overrides)
    zpath = run_dir / "export" / "dwca.zip" if not cfg.export.out else Path(cfg.export.out + ".zip")
    assert zpath.is_file() and (zpath.with_suffix("") / "meta.xml").is_file(), (
        "the zip and the unzipped folder"
    )
    manifest, ours, _, _ = collect(cfg)  # the tables the export wrote, as data
    theirs = read_with_dwca_reader(zpath)
    report = {"core": len(ours.core), "multimedia": len(ours.media), "measurements": len(ours.mof)}

    # 2. python-dwca-reader: every row, every field
    core = _expected(ours.core, "occurrenceID", ours.uris("core"))
    got = theirs[OCCURRENCE].reindex(columns=core.columns).astype(object).fillna("")
    pd.testing.assert_frame_equal(got.reset_index(drop=True), core.reset_index(drop=True), check_dtype=False)
    assert got["_id"].is_unique
    media_type = MEDIA_EXTENSIONS[ours.media_extension][0]
    for row_type, table, kind in ((media_type, ours.media, "media"), (MEASUREMENT, ours.mof, "mof")):
        if not len(table):
            assert row_type not in theirs or not len(theirs[row_type])
            continue
        want = _expected(table, "coreid", ours.uris(kind))
        have = theirs[row_type].reindex(columns=want.columns).astype(object).fillna("")
        key = list(want.columns)
        pd.testing.assert_frame_equal(
            have.sort_values(key).reset_index(drop=True),
            want.sort_values(key).reset_index(drop=True),
            check_dtype=False,
        )
        assert set(have["_id"]) <= set(core["_id"]), f"{row_type}: rows pointing at no core record"

    # 3. ingest reads the export back to the same records
    re_run = work_dir / "reingest"
    icfg = compose(
        [
            "stage=ingest",
            f"run_dir={re_run}",
            f"input={zpath}",
            "ingest.basis_of_record=[]",
            "ingest.label_level=genus",
            "ingest.val_fraction=0",
            "ingest.test_fraction=0",
        ]  # fmt: skip
    )
    result = execute_shard(icfg, 0)
    again = load_manifest(re_run).set_index("gbifID")
    dropped = pd.read_csv(re_run / "ingest" / "dropped_records.csv", dtype=str, keep_default_na=False)
    assert dropped.empty, dropped.head().to_string()
    assert result.done == len(manifest) == len(again)
    assert set(again.index) == set(manifest["gbifID"])
    by_id = ours.core.set_index("gbifID") if "gbifID" in ours.core.columns else None
    assert by_id is not None, "the round trip needs export.gbif_id=true (the run's key)"
    original = manifest.set_index("gbifID").fillna("")
    for gid, row in again.iterrows():
        assert row["identifier"] == original.at[gid, "identifier"], f"{gid}: the original image URL"
        assert row["license"] == original.at[gid, "license"]
        for term in MANIFEST_TERMS:
            if term in by_id.columns:
                assert str(row.get(term, "")) == str(by_id.at[gid, term]), f"{gid} {term}"
    # and a term no machine touched reads back as the run's manifest had it
    # (an occurrenceID or basisOfRecord the record lacked is filled in, and a repeated occurrenceID replaced)
    untouched = 0
    repeated = original["occurrenceID"].duplicated(keep="first") if "occurrenceID" in original else None
    for gid, row in again.iterrows():
        touched = machine_terms(by_id.at[gid, "dynamicProperties"])
        for term in ("occurrenceID", "basisOfRecord"):
            if (
                term not in original.columns
                or not original.at[gid, term]
                or (term == "occurrenceID" and repeated[gid])
            ):
                touched.add(term)
        for term in MANIFEST_TERMS:
            if term in original.columns and term not in touched:
                assert str(row[term]) == str(original.at[gid, term]), f"{gid} {term}: changed on the way"
                untouched += 1
    report["reingested"], report["untouched_values"] = len(again), untouched
    return report


def machine_terms(dynamic_properties: str) -> set[str]:
    """The terms of a core row that herbproc set or rewrote (from its dynamicProperties)."""
    try:
        ours = json.loads(dynamic_properties).get("herbproc") or {}
    except (ValueError, AttributeError):
        return set()
    if not ours:
        return set()
    touched = set(ours.get("transcribed", {})) | {
        "dynamicProperties",
        "occurrenceRemarks",
        "identificationRemarks",
    }
    if "eventDate" in touched:
        touched |= set(DATE_GROUP)
    if "scientificName" in touched:
        touched |= {*TAXON_GROUP, *HIGHER_RANKS, "species"}
    if "reproductiveCondition" in ours:
        touched.add("reproductiveCondition")
    return touched
