"""``stage=export format=dwca``: the run's records as a Darwin Core Archive an IPT and GBIF accept.

    <out>/occurrence.txt          core, one row per manifest record, keyed by occurrenceID (rule below)
    <out>/multimedia.txt          GBIF Simple Multimedia (or Audubon Media Description with
                                  ``export.media_extension=audubon``): the original image URL, and the masked copy / mask
                                  where ``export.media`` asks for them (files under <out>/media/, served from
                                  ``export.media_base_url``)
    <out>/measurementorfact.txt   with ``export.confidences=true``: per-term OCR confidence, the classifier's
                                  top-k and the phenology model's probability
    <out>/meta.xml, <out>/eml.xml the archive descriptor and the GBIF-profile EML (licence, provenance)
    <out>.zip                     the same files (media/ is not zipped: it is served, not uploaded)

Text files: UTF-8, tab-separated, one header line, ``"`` encloses a value that holds a tab, a line break or a
``"`` (doubled inside); everything else is written as it is. docs/publish.md has the rules:

- occurrenceID: the record's own; else ``urn:catalog:<institutionCode>:<collectionCode>:<catalogNumber>`` from
  the record's own terms (when institutionCode and catalogNumber are known and the triplet is unique); else
  ``urn:herbproc:gbifID:<gbifID>``. Never from a transcription (it would change when the OCR is rerun).
- ``export.prefer=record`` keeps the record's value and lets the transcription fill the gaps;
  ``prefer=transcription`` takes the transcription where it has a value. The taxon terms go together (decided on
  scientificName), and so do eventDate, year, month and day (decided on eventDate).
- every value that is machine-made is named in ``dynamicProperties`` (JSON: engine, confidence), in
  ``occurrenceRemarks`` / ``identificationRemarks`` (words), and reproductiveCondition reads
  "... (machine-predicted, p=0.93)".
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pandas as pd
import pyarrow.parquet as pq

import herbproc
from herbproc.fields import DWC_TERMS
from herbproc.fields.calibration import calibration_for
from herbproc.fields.collectors import FOUND
from herbproc.io import ForeignFolderError, replace_folder
from herbproc.paths import RunPaths, UnsafePathError
from herbproc.shard import Shard, ShardError, ShardResult

log = logging.getLogger("herbproc.export")

DWC = "http://rs.tdwg.org/dwc/terms/"
DC = "http://purl.org/dc/terms/"
GBIF = "http://rs.gbif.org/terms/1.0/"
TEXT_NS = "http://rs.tdwg.org/dwc/text/"
EML_NS = "https://eml.ecoinformatics.org/eml-2.2.0"
EML_SCHEMA = "https://rs.gbif.org/schema/eml-gbif-profile/1.3/eml-gbif-profile.xsd"
OCCURRENCE = DWC + "Occurrence"
MULTIMEDIA = GBIF + "Multimedia"
AUDUBON = "http://rs.tdwg.org/ac/terms/Multimedia"
AC = "http://rs.tdwg.org/ac/terms/"
DCE = "http://purl.org/dc/elements/1.1/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
MEASUREMENT = DWC + "MeasurementOrFact"

LICENSES = {
    "CC0_1_0": ("http://creativecommons.org/publicdomain/zero/1.0/legalcode", "Public Domain (CC0 1.0)"),
    "CC_BY_4_0": (
        "http://creativecommons.org/licenses/by/4.0/legalcode",
        "Creative Commons Attribution (CC-BY) 4.0 License",
    ),
    "CC_BY_NC_4_0": (
        "http://creativecommons.org/licenses/by-nc/4.0/legalcode",
        "Creative Commons Attribution Non Commercial (CC-BY-NC) 4.0 License",
    ),
}

# The core's columns, in this order (gbifID only with export.gbif_id).
CORE_TERMS = (
    "occurrenceID", "gbifID", "basisOfRecord", "institutionCode", "collectionCode", "catalogNumber",
    "recordedBy", "recordNumber", "eventDate", "verbatimEventDate", "year", "month", "day", "country",
    "countryCode", "stateProvince", "county", "locality", "decimalLatitude", "decimalLongitude", "kingdom",
    "phylum", "class", "order", "family", "genus", "species", "specificEpithet", "infraspecificEpithet",
    "taxonRank", "verbatimTaxonRank", "scientificName", "scientificNameAuthorship", "identifiedBy",
    "dateIdentified", "identificationQualifier", "identificationRemarks", "reproductiveCondition", "occurrenceRemarks",
    "dynamicProperties", "license", "rightsHolder",
)  # fmt: skip
MEDIA_TERMS = ("type", "format", "identifier", "title", "description", "source", "license", "rightsHolder")
# the media extension: its row type and, per column, the header name and the term URI
MEDIA_EXTENSIONS = {
    "gbif": (MULTIMEDIA, {t: (t, DC + t) for t in MEDIA_TERMS}),  # GBIF Simple Multimedia: Dublin Core terms
    "audubon": (AUDUBON, {  # Audubon Media Description (what Symbiota and Specify exchange)
        "type": ("type", DCE + "type"), "format": ("format", DCE + "format"),
        "identifier": ("accessURI", AC + "accessURI"), "title": ("title", DC + "title"),
        "description": ("description", DC + "description"), "source": ("derivedFrom", AC + "derivedFrom"),
        "license": ("WebStatement", XMP_RIGHTS + "WebStatement"), "rightsHolder": ("Owner", XMP_RIGHTS + "Owner"),
    }),
}  # fmt: skip
MOF_TERMS = (
    "measurementID", "measurementType", "measurementValue", "measurementAccuracy", "measurementUnit",
    "measurementDeterminedBy", "measurementDeterminedDate", "measurementMethod", "measurementRemarks",
)  # fmt: skip
NAMESPACES = {"gbifID": GBIF, "species": GBIF, "license": DC, "rightsHolder": DC}  # core terms outside the dwc namespace

# Terms the OCR stage transcribes, grouped: a group is taken whole from one side, decided on its first term.
TAXON_GROUP = ("scientificName", "scientificNameAuthorship", "genus", "specificEpithet", "infraspecificEpithet",
               "taxonRank", "verbatimTaxonRank", "identificationQualifier", "family")  # fmt: skip
DATE_GROUP = ("eventDate", "year", "month", "day")
HIGHER_RANKS = ("phylum", "class", "order")  # kingdom stays: every sheet here is a plant
IDENTIFICATION = ("scientificName", "identifiedBy", "dateIdentified")


def term_uri(name: str) -> str:
    return NAMESPACES.get(name, DWC) + name


def column_uris(kind: str, columns, media_extension: str = "gbif") -> dict[str, str]:
    """Term URI of each column of a table of the archive (``kind``: core, media or mof)."""
    if kind == "media":
        by_header = {h: uri for h, uri in MEDIA_EXTENSIONS[media_extension][1].values()}
        return {c: by_header[c] for c in columns if c != "coreid"}
    return {c: term_uri(c) for c in columns if c != "coreid"}


# ------------------------------------------------------------------------------------------ settings


def out_dir(cfg) -> Path:
    if cfg.export.out:
        return Path(cfg.export.out).expanduser().absolute()
    return RunPaths(cfg.run_dir).stage_dir("export") / "dwca"


def zip_path(out: Path) -> Path:
    return out.with_name(out.name + ".zip")


def validate(cfg) -> None:
    """Records to export, and a finished mask stage where masked sheets are asked for (the export section
    checks its own values)."""
    media = list(cfg.export.media)
    manifest = RunPaths(cfg.run_dir).manifest
    if not manifest.exists():
        raise ValueError(f"nothing to export: {manifest} does not exist (run stage=ingest first)")
    if pq.ParquetFile(manifest).metadata.num_rows == 0:
        raise ValueError(f"nothing to export: {manifest} has no records")
    if {"masked", "mask"} & set(media):
        layout = RunPaths(cfg.run_dir).store / "layout.json"
        complete = json.loads(layout.read_text()).get("complete", []) if layout.exists() else []
        if "mask" not in complete:
            raise ValueError(
                "wrong value for 'export.media': masked/mask asked for, but the mask stage has not finished "
                "(run stage=mask, or leave them out)"
            )


# ------------------------------------------------------------------------------------------ run inputs


TRANSCRIPTION_INFO = ("engine", "taxon_source", "identificationRemarks", "collector_source")


@dataclass
class Transcription:
    """The OCR stage's output for one run: values, confidences and the engine per gbifID."""

    values: pd.DataFrame  # index gbifID, columns DWC_TERMS (strings, "" where nothing was read)
    confidence: pd.DataFrame  # index gbifID, columns DWC_TERMS (float; NaN when not known)
    info: pd.DataFrame  # index gbifID: engine, taxon_source, identificationRemarks, collector_source
    source: str  # the file the values came from

    def subset(self, gids: pd.Index) -> Transcription:
        """The rows of ``gids`` (those it has)."""
        keep = self.values.index.isin(gids)
        return Transcription(self.values[keep], self.confidence[keep], self.info[keep], self.source)


def read_transcription(run_dir: Path) -> Transcription | None:
    """``ocr/occurrences.csv`` (what the OCR stage published, its min_confidence applied) with the confidences
    and engine of ``ocr/results.parquet``; None when the OCR stage has not written them."""
    ocr = RunPaths(run_dir).stage_dir("ocr")
    csv_path, parquet = ocr / "occurrences.csv", ocr / "results.parquet"
    if not csv_path.exists() and not parquet.exists():
        return None
    results = None
    if parquet.exists():  # the columns used, never the sheets' lines (gigabytes at a million sheets)
        wanted = ["gbifID", *DWC_TERMS, *(f"{t}_confidence" for t in DWC_TERMS), *TRANSCRIPTION_INFO]
        have = set(pq.read_schema(parquet).names)
        results = pd.read_parquet(parquet, columns=[c for c in wanted if c in have])
    if csv_path.exists():
        values = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
        source = str(csv_path)
    else:
        values = results
        source = str(parquet)
    if "gbifID" not in values.columns:
        raise ShardError(f"{source} has no gbifID column: not the OCR stage's output")
    values = values.assign(gbifID=values["gbifID"].astype(str)).drop_duplicates("gbifID").set_index("gbifID")
    for t in DWC_TERMS:
        values[t] = values[t].fillna("").astype(str).str.strip() if t in values.columns else ""
    index = values.index
    confidence = pd.DataFrame(index=index, columns=list(DWC_TERMS), dtype=float)
    info = pd.DataFrame({c: "" for c in TRANSCRIPTION_INFO}, index=index)
    if results is not None:
        r = results.assign(gbifID=results["gbifID"].astype(str)).drop_duplicates("gbifID").set_index("gbifID")
        r = r.reindex(index)
        for t in DWC_TERMS:
            if f"{t}_confidence" in r.columns:
                confidence[t] = pd.to_numeric(r[f"{t}_confidence"], errors="coerce")
        for c in info.columns:
            if c in r.columns:
                info[c] = r[c].fillna("").astype(str)
    if "identificationRemarks" in values.columns:  # occurrences.csv drops a remark with its name
        info["identificationRemarks"] = values["identificationRemarks"].fillna("").astype(str)
    return Transcription(values[list(DWC_TERMS)], confidence, info, source)


def read_phenology(run_dir: Path) -> pd.DataFrame | None:
    path = RunPaths(run_dir).stage_dir("phenology") / "predictions.parquet"
    if not path.exists():
        return None
    p = pd.read_parquet(path, columns=["gbifID", "state", "confidence", "abstain"])
    return p.assign(gbifID=p["gbifID"].astype(str)).drop_duplicates("gbifID").set_index("gbifID")


def read_topk(run_dir: Path) -> pd.DataFrame | None:
    path = RunPaths(run_dir).stage_dir("predict") / "predictions.parquet"
    if not path.exists():
        return None
    p = pd.read_parquet(path, columns=["gbifID", "topk_names", "topk_probs"])
    return p.assign(gbifID=p["gbifID"].astype(str)).drop_duplicates("gbifID").set_index("gbifID")


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _saved_config(run_dir: Path, stage: str) -> dict:
    import yaml

    path = RunPaths(run_dir).config_dir / f"{stage}.yaml"
    try:
        return yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return {}


def _name(path) -> str | None:
    """A model file by its name only: a published archive does not show the paths of the machine it was made on."""
    return Path(str(path)).name if path else None


def provenance(run_dir: Path, settings) -> dict[str, Any]:
    """What made the machine values: herbproc's version, the OCR engine and thresholds, the models."""
    out: dict[str, Any] = {
        "herbproc": herbproc.__version__,
        "exported": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "prefer": settings.prefer,
        "min_confidence": float(settings.min_confidence),
    }
    ingest = _json(RunPaths(run_dir).stage_dir("ingest") / "summary.json")
    if ingest:
        out["records_from"] = {"source": ingest.get("source"), "input": Path(str(ingest.get("input"))).name}
    ocr_cfg = _saved_config(run_dir, "ocr").get("ocr", {})
    results = RunPaths(run_dir).stage_dir("ocr") / "results.parquet"
    if results.exists() or ocr_cfg:
        out["ocr"] = {k: ocr_cfg[k] for k in ("engine", "ensemble", "min_confidence", "field_calibration",
                                               "min_field_probability", "taxon_calibration",
                                               "country_from_state", "places_as_printed", "none_similarity",
                                               "use_prior", "prior_weight", "image_fallback", "image_fallback_min",
                                               "record_collectors")
                      if k in ocr_cfg}  # fmt: skip
        if ocr_cfg.get("collectors_file"):  # the list's file name, not where it lay on the cluster
            out["ocr"]["collectors_file"] = _name(ocr_cfg["collectors_file"])
        if results.exists():
            engines = pd.read_parquet(results, columns=["engine"])["engine"].fillna("").astype(str)
            out["ocr"]["engines_used"] = sorted(e for e in engines.unique() if e)
        trocr = ocr_cfg.get("trocr") or {}
        if out["ocr"].get("engine") in ("trocr", "ensemble") and trocr:
            out["ocr"]["trocr"] = {k: _name(trocr.get(k)) for k in ("printed", "handwritten")}
    summary = _json(RunPaths(run_dir).stage_dir("phenology") / "summary.json")
    if summary:
        thr = summary.get("threshold") or {}
        out["phenology"] = {
            "model_file": _name(summary.get("model_file")),
            "threshold": thr.get("threshold") if isinstance(thr, dict) else thr,
            "target_accuracy": summary.get("target_accuracy"),
        }
    predict_cfg = _saved_config(run_dir, "predict").get("predict", {})
    if (RunPaths(run_dir).stage_dir("predict") / "predictions.parquet").exists():
        out["classifier"] = {"checkpoint": _name(predict_cfg.get("checkpoint") or "train/model.pt")}
    return out


# ------------------------------------------------------------------------------------------ the rules


_KEEP = re.compile(r"[-._~A-Za-z0-9]")


def _urn_part(value: str) -> str:
    return quote(value.strip(), safe="-._~")


def occurrence_ids(manifest: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The core id of each record (docs/publish.md, "occurrenceID"), and notes on the records that needed one."""

    def col(name: str) -> list[str]:
        if name not in manifest.columns:
            return [""] * len(manifest)
        return manifest[name].fillna("").astype(str).str.strip().tolist()

    own, inst, coll, cat = (
        col("occurrenceID"),
        col("institutionCode"),
        col("collectionCode"),
        col("catalogNumber"),
    )
    gids = manifest["gbifID"].astype(str).tolist()
    triplets = [
        f"urn:catalog:{_urn_part(i)}:{_urn_part(c)}:{_urn_part(n)}" if i and n else ""
        for i, c, n in zip(inst, coll, cat, strict=True)
    ]
    counts = pd.Series([t for t in triplets if t]).value_counts()
    ids, seen, notes = [], set(), []
    minted = {"triplet": 0, "gbifID": 0, "duplicate": 0}
    for gid, o, t in zip(gids, own, triplets, strict=True):
        choice = o
        if o and o in seen:
            minted["duplicate"] += 1
            choice = ""
        if not choice:
            if t and counts.get(t, 0) == 1 and t not in seen:
                choice = t
                minted["triplet"] += 1
            else:
                choice = f"urn:herbproc:gbifID:{_urn_part(gid)}"
                minted["gbifID"] += 1
        seen.add(choice)
        ids.append(choice)
    if minted["triplet"] or minted["gbifID"]:
        notes.append(
            f"{minted['triplet'] + minted['gbifID']} records without an occurrenceID of their own got one "
            f"({minted['triplet']} urn:catalog from institutionCode/collectionCode/catalogNumber, "
            f"{minted['gbifID']} urn:herbproc:gbifID)"
        )
    if minted["duplicate"]:
        notes.append(
            f"{minted['duplicate']} records shared an occurrenceID with an earlier record: given a new one"
        )
    if len(set(ids)) != len(ids):  # a record's own id equal to a minted one: should not happen
        raise ShardError("occurrenceIDs are not unique after minting; see docs/publish.md")
    return ids, notes


def _merge_json(record_value: str, ours: dict) -> str:
    """The record's dynamicProperties with herbproc's key added (a non-JSON value is kept under
    ``verbatimDynamicProperties``)."""
    record_value = record_value.strip()
    base: dict[str, Any] = {}
    if record_value:
        try:
            parsed = json.loads(record_value)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            base = parsed
        else:
            base = {"verbatimDynamicProperties": record_value}
    base["herbproc"] = ours
    return json.dumps(base, ensure_ascii=False, sort_keys=False, separators=(", ", ": "))


def _join(*parts: str) -> str:
    return " | ".join(p for p in (s.strip() for s in parts) if p)


@dataclass
class Tables:
    core: pd.DataFrame
    media: pd.DataFrame
    mof: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    media_files: dict[str, tuple[int, str]] = field(default_factory=dict)  # file name -> (store row, kind)
    media_extension: str = "gbif"  # gbif | audubon (MEDIA_EXTENSIONS)

    def uris(self, kind: str) -> dict[str, str]:
        table = {"core": self.core, "media": self.media, "mof": self.mof}[kind]
        return column_uris(kind, table.columns, self.media_extension)


def build_tables(manifest: pd.DataFrame, settings, *, transcription: Transcription | None = None,
                 phenology: pd.DataFrame | None = None, topk: pd.DataFrame | None = None,
                 prov: dict | None = None, store_rows: dict[str, set[str]] | None = None,
                 occurrence: tuple[list[str], list[str]] | None = None, offset: int = 0) -> Tables:  # fmt: skip
    """The three tables of the archive from the manifest and the machine outputs (nothing is written).

    ``store_rows``: for masked / mask, the gbifIDs whose store row has that variant. For a part of the run's
    manifest (``export_dwca`` goes part by part): ``occurrence``, the part's (ids, notes) out of
    ``occurrence_ids`` of the whole manifest, and ``offset``, the part's first row in it."""
    prov = prov or {}
    version = herbproc.__version__
    engine_default = (prov.get("ocr") or {}).get("engine", "")
    prefer_tx = settings.prefer == "transcription"
    min_conf = float(settings.min_confidence)
    licence_url = LICENSES[settings.license][0]
    m = manifest.reset_index(drop=True)
    gids = m["gbifID"].astype(str).tolist()
    ids, id_notes = occurrence if occurrence is not None else occurrence_ids(m)
    notes = list(id_notes)
    record_cols = {t: (m[t].fillna("").astype(str).str.strip().tolist() if t in m.columns else [""] * len(m))
                   for t in (*CORE_TERMS, "identifier", "format")}  # fmt: skip
    now = prov.get("exported", "")[:10]
    core_rows, media_rows, mof_rows = [], [], []
    counts = {"records": len(m), "with_transcription": 0, "transcribed_values": 0, "machine_conditions": 0,
              "records_with_machine_values": 0}  # fmt: skip
    media_files: dict[str, tuple[int, str]] = {}
    # per-record lookups in plain dicts: a DataFrame's .loc per record costs more than the rest of the row
    tx_rows: dict[str, tuple] = {}
    if transcription is not None:
        confs = transcription.confidence[list(DWC_TERMS)].astype(object)
        tx_rows = {
            gid: (vals, tuple(None if pd.isna(c) else float(c) for c in cs), info)
            for gid, vals, cs, info in zip(
                transcription.values.index,
                transcription.values[list(DWC_TERMS)].itertuples(index=False, name=None),
                confs.itertuples(index=False, name=None),
                transcription.info.to_dict("records"),
                strict=True,
            )
        }
    pheno: dict[str, tuple[str, float, bool]] = {}
    if phenology is not None:
        pheno = {
            str(g): (str(st), float(c), bool(a))
            for g, st, c, a in zip(phenology.index, phenology["state"], phenology["confidence"],
                                   phenology["abstain"], strict=True)
        }  # fmt: skip
    media_kinds = [k for k in ("masked", "mask") if k in settings.media]
    media_base = str(settings.media_base_url).rstrip("/")
    with_confidences = bool(settings.confidences)
    for i, gid in enumerate(gids):
        rec = {t: record_cols[t][i] for t in record_cols}
        row = {t: rec.get(t, "") for t in CORE_TERMS}
        row["occurrenceID"] = ids[i]
        row["gbifID"] = gid
        row["license"] = licence_url
        if not row["basisOfRecord"]:
            row["basisOfRecord"] = "PreservedSpecimen"
        machine: dict[str, dict[str, Any]] = {}
        read: dict[str, tuple[str, float | None]] = {}
        engine = engine_default
        tx_info: dict[str, str] = {}
        if gid in tx_rows:
            vals, confs_row, info_row = tx_rows[gid]
            tx_info = {k: str(v) for k, v in info_row.items()}
            engine = tx_info.get("engine") or engine_default
            for t, v, c in zip(DWC_TERMS, vals, confs_row, strict=True):
                v = str(v).strip()
                if v and ((c is None and min_conf == 0.0) or (c is not None and c >= min_conf)):
                    read[t] = (v, c)
            counts["with_transcription"] += bool(read)
        groups: list[tuple[str, ...]] = [TAXON_GROUP, DATE_GROUP]
        grouped = {t for g in groups for t in g}
        groups += [(t,) for t in DWC_TERMS if t not in grouped]
        for group in groups:
            lead = group[0]
            if lead not in read:
                continue
            have_record = bool(rec.get(lead, ""))
            if (have_record and not prefer_tx) or read[lead][0] == rec.get(lead, ""):
                continue  # the record's value stays (a transcription that agrees with it changes nothing)
            for t in group:
                if t in read:
                    row[t] = read[t][0]
                    machine[t] = {"engine": engine, "confidence": _round(read[t][1])}
                elif t in DWC_TERMS:
                    row[t] = ""
            if group is DATE_GROUP:
                parts = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", row["eventDate"])
                y, mo, d = parts.groups() if parts else ("", "", "")
                row["year"], row["month"], row["day"] = (
                    y or "",
                    str(int(mo)) if mo else "",
                    str(int(d)) if d else "",
                )
            if group is TAXON_GROUP:
                sp = " ".join(x for x in (row["genus"], row["specificEpithet"]) if x)
                row["species"] = sp if row["genus"] and row["specificEpithet"] else ""
                if row["genus"] and row["genus"] == rec["genus"]:
                    if "family" not in read:  # the same genus: the record's family still holds
                        row["family"] = rec["family"]
                else:  # another genus (or none read): the record's higher ranks may not hold
                    for t in HIGHER_RANKS:
                        row[t] = ""
        remarks, id_remarks, dyn = [], [], {}
        if machine:
            counts["transcribed_values"] += len(machine)
            names = [t for t in machine if t not in TAXON_GROUP or t == "scientificName"]
            if any(t in machine for t in IDENTIFICATION):
                conf = machine.get("scientificName", {}).get("confidence")
                what = ", ".join(t for t in IDENTIFICATION if t in machine)
                id_remarks.append(
                    f"{what} transcribed from the label by machine OCR (herbproc {version}, engine {engine}"
                    + (f", confidence {conf:.2f}" if conf is not None and "scientificName" in machine else "")
                    + "); not verified by a curator"
                )
                if "scientificName" in machine and tx_info.get("identificationRemarks"):
                    id_remarks.append(tx_info["identificationRemarks"])
            rest = [t for t in names if t not in IDENTIFICATION]
            if rest:
                remarks.append(
                    f"machine-transcribed from the label image by herbproc {version} OCR (engine {engine}), "
                    f"not verified by a curator: {', '.join(rest)}"
                )
            dyn["transcribed"] = machine
            if tx_info.get("taxon_source") and "scientificName" in machine:
                dyn["taxonSource"] = tx_info["taxon_source"]
            if tx_info.get("collector_source") and "recordedBy" in machine:
                dyn["collectorSource"] = tx_info["collector_source"]
        if gid in pheno and not pheno[gid][2]:
            state, p, _ = pheno[gid]
            if prefer_tx or not rec["reproductiveCondition"]:
                from herbproc.occurrences import machine_text

                row["reproductiveCondition"] = machine_text(state, p)
                counts["machine_conditions"] += 1
                model = (prov.get("phenology") or {}).get("model_file")
                dyn["reproductiveCondition"] = {"method": "machine-predicted", "state": state,
                                                "probability": _round(p), **({"model": model} if model else {})}  # fmt: skip
                remarks.append(
                    f"reproductiveCondition machine-predicted from the sheet image by herbproc {version} (p={p:.2f})"
                )
        if dyn:
            counts["records_with_machine_values"] += 1
            dyn = {"version": version, **{k: v for k, v in dyn.items() if v is not None}}
            row["dynamicProperties"] = _merge_json(rec["dynamicProperties"], dyn)
            row["occurrenceRemarks"] = _join(rec["occurrenceRemarks"], *remarks)
            row["identificationRemarks"] = _join(rec["identificationRemarks"], *id_remarks)
        core_rows.append(row)
        # ---- multimedia: the original first (ingest takes the first still image of a record)
        title = f"Herbarium sheet {rec['catalogNumber'] or gid}"
        if rec["identifier"]:
            media_rows.append({"coreid": ids[i], "type": "StillImage", "format": rec["format"],
                               "identifier": rec["identifier"], "title": title,
                               "description": "the specimen sheet image as published with the record",
                    "source": "",
                               "license": rec["license"], "rightsHolder": rec["rightsHolder"]})  # fmt: skip
        for kind in media_kinds:
            if gid not in (store_rows or {}).get(kind, set()):
                continue
            ext, fmt = (".jpg", "image/jpeg") if kind == "masked" else (".png", "image/png")
            name = f"{media_name(gid)}_{kind}{ext}"
            media_files[name] = (offset + i, kind)
            desc = ("copy of the sheet with its labels masked by herbproc " if kind == "masked"
                    else "mask of the sheet's labels (255: pixels masked) made by herbproc ") + f"{version} (machine-made)"  # fmt: skip
            media_rows.append({"coreid": ids[i], "type": "StillImage", "format": fmt,
                               "identifier": f"{media_base}/media/{name}",
                               "title": f"{title} ({'labels masked' if kind == 'masked' else 'label mask'})",
                               "description": desc, "source": rec["identifier"], "license": rec["license"],
                               "rightsHolder": rec["rightsHolder"]})  # fmt: skip
        # ---- measurements
        if with_confidences:
            mof_rows.extend(
                _measurements(ids[i], gid, read, machine, engine, version, now, topk, phenology, prov,
                              tx_info.get("taxon_source", ""), tx_info.get("collector_source", ""))  # fmt: skip
            )
    core = pd.DataFrame(core_rows, columns=list(CORE_TERMS))
    if not settings.gbif_id:
        core = core.drop(columns=["gbifID"])
    media = pd.DataFrame(media_rows, columns=["coreid", *MEDIA_TERMS])
    mof = pd.DataFrame(mof_rows, columns=["coreid", *MOF_TERMS])
    counts["local_urls"] = int(media["identifier"].astype(str).str.startswith("file:").sum()) if len(media) else 0
    notes += data_notes(counts["local_urls"], transcription is not None)
    extension = getattr(settings, "media_extension", "gbif")
    media = media.rename(columns={k: header for k, (header, _) in MEDIA_EXTENSIONS[extension][1].items()})
    return Tables(core, media, mof, notes, counts, media_files, extension)


def data_notes(local_urls: int, transcribed: bool) -> list[str]:
    """What a publisher should know about the archive's data (the eml abstract's last paragraphs)."""
    notes = []
    if local_urls:
        notes.append(
            f"{local_urls} image URLs are file:// paths (a folder ingest): GBIF cannot fetch them; serve the "
            "images and ingest with http(s) URLs before publishing"
        )
    if not transcribed:
        notes.append("no OCR output in this run (stage=ocr has not run): the archive holds the records as "
                     "ingested, with no transcribed values")  # fmt: skip
    return notes


def _round(v: float | None) -> float | None:
    return None if v is None else round(float(v), 4)


def confidence_meaning(
    term: str, ocr: Mapping[str, Any], taxon_source: str = "", collector_source: str = ""
) -> str:
    """What the OCR confidence of ``term`` was, under the run's saved ``ocr`` settings (``ocr``): a probability
    where the name's or the fields' calibration made it one, else a rule's score. A run saved before
    ``ocr.field_calibration`` existed gave its fields rule scores. A name read by the rules without a taxonomy
    (``taxon_source`` ``rules``) is calibrated as the fields are; the family line is a rule's score. A collector
    found by a name of the herbarium's list (``collector_source`` ``list``) has the reading's similarity to it."""
    if term == "recordedBy" and collector_source == FOUND:
        return (
            "the similarity in [0, 1] of the label's reading to the name on the herbarium's list of collectors "
            "(ocr.collectors_file), not a probability"
        )
    if term in TAXON_GROUP and term != "family" and taxon_source != "rules":
        if ocr.get("taxon_calibration", True):
            return "the probability that the name is right, calibrated (herbproc taxon calibration)"
        return "the name's posterior among the run's names, not calibrated"
    setting = ocr.get("field_calibration", "off")
    try:
        table = calibration_for(setting)
    except ValueError:
        table = None  # the table the run used is not on this machine: say no more than the number
    if table is not None and table.probability(term, 0.5) is not None:
        return (
            "the share of values read this way that were right on gold-transcribed real labels "
            "(herbproc field calibration)"
        )
    return "a reading rule's score in [0, 1], not a probability"


def _measurements(
    oid, gid, read, machine, engine, version, date, topk, phenology, prov, source="", collector_source=""
) -> list[dict]:
    rows = []
    by = f"herbproc {version} (machine)"

    def add(kind: str, value: str, accuracy: str, method: str, remarks: str) -> None:
        rows.append({"coreid": oid, "measurementID": f"{oid}#herbproc-{len(rows) + 1}",
                     "measurementType": kind, "measurementValue": value, "measurementAccuracy": accuracy,
                     "measurementUnit": "", "measurementDeterminedBy": by, "measurementDeterminedDate": date,
                     "measurementMethod": method, "measurementRemarks": remarks})  # fmt: skip

    ocr_settings = prov.get("ocr") or {}
    for t, (v, c) in read.items():
        if c is None:
            continue
        used = "used in this record" if t in machine else "not used: the record's own value was kept"
        add(
            f"OCR confidence of {t}",
            f"{c:.4f}",
            "",
            f"herbproc label OCR, engine {engine}; confidence: "
            f"{confidence_meaning(t, ocr_settings, source, collector_source)}",
            f"value read: {v} ({used})",
        )
    if topk is not None and gid in topk.index:
        checkpoint = (prov.get("classifier") or {}).get("checkpoint", "")
        for rank, (name, p) in enumerate(
            zip(topk.at[gid, "topk_names"], topk.at[gid, "topk_probs"], strict=False), 1
        ):
            add(
                f"image classifier top-k name, rank {rank}",
                str(name),
                f"{float(p):.4f}",
                f"herbproc image classifier ({checkpoint}); measurementAccuracy: softmax probability",
                "machine prediction from the sheet image, not an identification",
            )
    if phenology is not None and gid in phenology.index:
        p = float(phenology.at[gid, "confidence"])
        abstain = bool(phenology.at[gid, "abstain"])
        model = (prov.get("phenology") or {}).get("model_file") or ""
        add(
            "reproductive condition (machine-predicted)",
            str(phenology.at[gid, "state"]),
            f"{p:.4f}",
            f"herbproc phenology model ({model}); measurementAccuracy: the state's probability",
            "below the model's threshold: not used in reproductiveCondition" if abstain else "",
        )
    return rows


def media_name(gid: str) -> str:
    """A file name from a gbifID that stays inside its folder (anything odd replaced, a hash keeps it unique)."""
    safe = "".join(ch if _KEEP.match(ch) else "_" for ch in gid).strip("._") or "record"
    if safe != gid:
        safe = f"{safe[:80]}-{uuid.uuid5(uuid.NAMESPACE_URL, gid).hex[:8]}"
    return safe


# ------------------------------------------------------------------------------------------ writing


def _cell(value) -> str:
    """A value as one field: enclosed in quotes (inner quotes doubled) when it holds a tab, a line break or a
    quote; NUL characters dropped."""
    s = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    s = s.replace("\x00", "")
    if any(ch in s for ch in '\t\n\r"'):
        return '"' + s.replace('"', '""') + '"'
    return s


def write_rows(f: TextIO, df: pd.DataFrame) -> None:
    """``df``'s rows as tab-separated lines (``_cell`` per value), written one by one: a million records' text is
    never one string."""
    for values in df.itertuples(index=False, name=None):
        f.write("\t".join(_cell(v) for v in values) + "\n")


def meta_xml(tables: Tables, *, files: dict[str, str]) -> str:
    ET.register_namespace("", TEXT_NS)
    root = ET.Element(f"{{{TEXT_NS}}}archive", {"metadata": "eml.xml"})
    attrs = {"encoding": "UTF-8", "fieldsTerminatedBy": "\\t", "linesTerminatedBy": "\\n",
             "fieldsEnclosedBy": '"', "ignoreHeaderLines": "1"}  # fmt: skip

    def table(tag: str, row_type: str, location: str, kind: str, id_tag: str) -> None:
        uris = tables.uris(kind)
        el = ET.SubElement(root, f"{{{TEXT_NS}}}{tag}", {**attrs, "rowType": row_type})
        loc = ET.SubElement(ET.SubElement(el, f"{{{TEXT_NS}}}files"), f"{{{TEXT_NS}}}location")
        loc.text = location
        ET.SubElement(el, f"{{{TEXT_NS}}}{id_tag}", {"index": "0"})
        for k, name in enumerate(getattr(tables, kind).columns):
            if name == "coreid":
                continue  # an extension's first column
            ET.SubElement(el, f"{{{TEXT_NS}}}field", {"index": str(k), "term": uris[name]})

    table("core", OCCURRENCE, files["core"], "core", "id")
    if "media" in files:
        table("extension", MEDIA_EXTENSIONS[tables.media_extension][0], files["media"], "media", "coreid")
    if "mof" in files:
        table("extension", MEASUREMENT, files["mof"], "mof", "coreid")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _agent(parent: ET.Element, tag: str, settings, organisation: str) -> None:
    el = ET.SubElement(parent, tag)
    if settings.creator:
        names = str(settings.creator).split()
        ind = ET.SubElement(el, "individualName")
        if len(names) > 1:
            ET.SubElement(ind, "givenName").text = " ".join(names[:-1])
        ET.SubElement(ind, "surName").text = names[-1]
    ET.SubElement(el, "organizationName").text = organisation
    if settings.email:
        ET.SubElement(el, "electronicMailAddress").text = str(settings.email)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    """Text XML 1.0 can hold (control characters dropped)."""
    return _NOT_XML.sub("", str(value))


def _source_words(prov: dict) -> str:
    src = prov.get("records_from") or {}
    kinds = {
        "dwca": "a Darwin Core Archive",
        "simple_csv": "a GBIF simple CSV",
        "folder": "a folder of images",
    }
    return f" from {kinds.get(src.get('source'), 'its input')} ({src.get('input')})" if src else ""


def eml_xml(settings, tables: Tables, prov: dict, run_dir: Path, manifest: pd.DataFrame) -> str:
    """GBIF metadata profile 1.3 (EML 2.2.0): title, creator, contact, licence, provenance as methods."""
    ET.register_namespace("eml", EML_NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    ET.register_namespace("dc", DC)
    package = settings.dataset_id or str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"herbproc:{Path(run_dir).absolute()}")
    )
    lang = str(settings.language)
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    root = ET.Element(f"{{{EML_NS}}}eml", {
        "packageId": package, "system": "http://gbif.org", "scope": "system", xml_lang: lang,
        "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": f"{EML_NS} {EML_SCHEMA}"})  # fmt: skip
    ds = ET.SubElement(root, "dataset")
    ET.SubElement(ds, "alternateIdentifier").text = package
    inst = sorted(
        {v for v in manifest.get("institutionCode", pd.Series(dtype=str)).fillna("").astype(str) if v}
    )
    organisation = settings.organization or (", ".join(inst[:5]) if inst else "unknown organisation")
    title = settings.title or (
        f"Herbarium specimens{' of ' + ', '.join(inst[:3]) if inst else ''} (herbproc run {Path(run_dir).name})"
    )
    ET.SubElement(ds, "title", {xml_lang: lang}).text = title
    _agent(ds, "creator", settings, organisation)
    _agent(ds, "metadataProvider", settings, organisation)
    ET.SubElement(ds, "pubDate").text = prov.get("exported", "")[:10]
    ET.SubElement(ds, "language").text = lang
    abstract = ET.SubElement(ds, "abstract")
    c = tables.counts
    paras = [
        settings.description or f"{c['records']} herbarium specimen records with their sheet images.",
        f"Exported by herbproc {prov['herbproc']}{_source_words(prov)}: {c['with_transcription']} records have "
        f"a label transcription by machine OCR and {c['records_with_machine_values']} carry machine-made values "
        f"({c['transcribed_values']} transcribed terms, {c['machine_conditions']} machine-predicted "
        "reproductiveCondition). Every machine-made value is named in dynamicProperties (JSON: engine, "
        "confidence) and in occurrenceRemarks / identificationRemarks; none is verified by a curator. "
        f"Rule for a term both the record and the transcription have: export.prefer={settings.prefer}.",
        *tables.notes,
    ]
    for text in paras:
        ET.SubElement(abstract, "para").text = text
    for word, thesaurus in (
        (
            "Occurrence",
            "GBIF Dataset Type Vocabulary: http://rs.gbif.org/vocabulary/gbif/dataset_type_2015-07-10.xml",
        ),
        (
            "Specimen",
            "GBIF Dataset Subtype Vocabulary: http://rs.gbif.org/vocabulary/gbif/dataset_subtype.xml",
        ),
    ):
        ks = ET.SubElement(ds, "keywordSet")
        ET.SubElement(ks, "keyword").text = word
        ET.SubElement(ks, "keywordThesaurus").text = thesaurus
    url, name = LICENSES[settings.license]
    para = ET.SubElement(ET.SubElement(ds, "intellectualRights"), "para")
    para.text = "This work is licensed under a "
    link = ET.SubElement(para, "ulink", {"url": url})
    cite = ET.SubElement(link, "citetitle")
    cite.text = name
    link.tail = "."
    maint = ET.SubElement(ds, "maintenance")
    ET.SubElement(
        ET.SubElement(maint, "description"), "para"
    ).text = (
        "Re-exported when the records are transcribed again (python jobs/launch.py stage=export format=dwca)."
    )
    ET.SubElement(maint, "maintenanceUpdateFrequency").text = "asNeeded"
    _agent(ds, "contact", settings, organisation)
    methods = ET.SubElement(ds, "methods")
    steps = [f"herbproc {prov['herbproc']}, exported {prov['exported']}; settings: "
             f"prefer={prov['prefer']}, min_confidence={prov['min_confidence']}."]  # fmt: skip
    for key, words in (
        ("ocr", "Label OCR"),
        ("classifier", "Image classifier"),
        ("phenology", "Phenology model"),
    ):
        if prov.get(key):
            steps.append(f"{words}: {json.dumps(prov[key], sort_keys=True)}")
    for text in steps:
        step = ET.SubElement(methods, "methodStep")
        ET.SubElement(ET.SubElement(step, "description"), "para").text = text
    gbif = ET.SubElement(ET.SubElement(ET.SubElement(root, "additionalMetadata"), "metadata"), "gbif")
    ET.SubElement(gbif, "dateStamp").text = prov.get("exported", "")
    ET.SubElement(gbif, "hierarchyLevel").text = "dataset"
    ET.indent(root)
    link.text, cite.tail = None, None  # mixed content: no indentation inside the licence sentence
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + _xml_text(ET.tostring(root, encoding="unicode")) + "\n"
    )


def write_archive(out: Path, tables: Tables, settings, prov: dict, run_dir: Path, manifest: pd.DataFrame,
                  store=None) -> Path:  # fmt: skip
    """Write ``out`` (built beside it and moved into place, replacing only an earlier herbproc output:
    ``herbproc.io.replace_folder``) and ``out``.zip; returns the zip's path."""
    return write_archive_parts(out, [tables], settings, prov, run_dir, manifest, store, notes=tables.notes)[0]


def write_archive_parts(out: Path, parts: Iterable[Tables], settings, prov: dict, run_dir: Path,
                        manifest: pd.DataFrame, store=None, *, notes: list[str] | None = None,
                        notes_before: list[str] | tuple[str, ...] = (),
                        transcribed: bool = True) -> tuple[Path, Tables]:  # fmt: skip
    """``write_archive`` of the tables ``parts`` make, one after the other: each part's rows are appended to the
    archive's files, so only one part is in memory at a time. ``notes``: the eml's notes (None: ``notes_before``,
    then ``data_notes`` from the parts' counts). Returns the zip's path and the archive's summary: its tables
    without rows, the parts' counts added up (with ``core_rows``, ``media_rows``, ``mof_rows``), every media
    file, the notes."""
    names = {"core": "occurrence.txt", "media": "multimedia.txt", "mof": "measurementorfact.txt"}
    zpath = zip_path(out)
    ztmp = zpath.with_name(f".{zpath.name}.partial")
    summary: Tables | None = None
    rows = dict.fromkeys(names, 0)
    try:
        with replace_folder(out, {"format": "dwca", **prov}, key="export.out") as tmp:
            with contextlib.ExitStack() as stack:
                handles = {
                    kind: stack.enter_context(open(tmp / name, "w", encoding="utf-8", newline=""))
                    for kind, name in names.items()
                }
                for part in parts:
                    for kind, f in handles.items():
                        df = getattr(part, kind)
                        if summary is None:
                            f.write("\t".join(map(str, df.columns)) + "\n")
                        write_rows(f, df)
                        rows[kind] += len(df)
                    if summary is None:
                        summary = Tables(part.core.iloc[:0], part.media.iloc[:0], part.mof.iloc[:0],
                                         counts=Counter(), media_extension=part.media_extension)  # fmt: skip
                    summary.counts.update(part.counts)
                    summary.media_files.update(part.media_files)
            if summary is None:
                raise ShardError("nothing to export: no records")
            summary.counts = dict(summary.counts)
            if notes is None:
                notes = [*notes_before, *data_notes(summary.counts.get("local_urls", 0), transcribed)]
            summary.notes = list(notes)
            files = {"core": names["core"]}
            for kind in ("media", "mof"):
                if rows[kind]:
                    files[kind] = names[kind]
                else:
                    (tmp / names[kind]).unlink()
            (tmp / "meta.xml").write_text(meta_xml(summary, files=files), encoding="utf-8", newline="")
            eml = eml_xml(settings, summary, prov, run_dir, manifest)
            (tmp / "eml.xml").write_text(eml, encoding="utf-8", newline="")
            if summary.media_files:
                _write_media(tmp / "media", summary.media_files, manifest, store)
            with zipfile.ZipFile(ztmp, "w", zipfile.ZIP_DEFLATED) as z:
                for name in ("meta.xml", "eml.xml", *files.values()):
                    z.write(tmp / name, arcname=name)
    except (ForeignFolderError, UnsafePathError) as err:
        ztmp.unlink(missing_ok=True)
        raise ShardError(str(err)) from None
    os.replace(ztmp, zpath)
    summary.counts.update({f"{kind}_rows": n for kind, n in rows.items()})
    return zpath, summary


def _write_media(folder: Path, files: dict[str, tuple[int, str]], manifest: pd.DataFrame, store) -> None:
    import cv2

    folder.mkdir()
    rows = manifest.reset_index(drop=True)["row"].astype(int).tolist()
    for name, (i, kind) in files.items():
        row = rows[i]
        if kind == "masked":
            rgb = store.image(row, variant="masked")
            ok, buf = cv2.imencode(
                ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 95]
            )
        else:
            ok, buf = cv2.imencode(".png", store.read("mask", row))
        if not ok:
            raise ShardError(f"encoding the {kind} image of store row {row} failed")
        (folder / name).write_bytes(buf.tobytes())


# ------------------------------------------------------------------------------------------ the stage


def collect_inputs(cfg) -> dict[str, Any]:
    """What the export of ``cfg`` is made from: the manifest, the machine outputs (transcription, phenology,
    top-k), the provenance, the store and its masked rows (when masked media are asked for)."""
    from herbproc.manifest import load_manifest

    run_dir = RunPaths(cfg.run_dir).root
    manifest = load_manifest(run_dir)
    if len(manifest) == 0:
        raise ShardError(f"nothing to export: {RunPaths(run_dir).manifest} has no records")
    settings = cfg.export
    store, store_rows = None, {}
    if {"masked", "mask"} & set(settings.media):
        from herbproc.store.store import open_store

        store = open_store(RunPaths(run_dir).store, variant="raw")
        ok = store.valid_for("masked")
        ids = [g for g, r in zip(manifest["gbifID"], manifest["row"], strict=True) if ok[int(r)]]
        store_rows = {"masked": set(ids), "mask": set(ids)}
    return {
        "manifest": manifest,
        "transcription": read_transcription(run_dir),
        "phenology": read_phenology(run_dir),
        "topk": read_topk(run_dir) if settings.confidences else None,
        "prov": provenance(run_dir, settings),
        "store": store,
        "store_rows": store_rows,
    }


def collect(cfg):
    """What the export of ``cfg`` holds, as whole tables: (manifest, Tables, provenance, store or None); nothing
    is written (``export_dwca`` builds the same tables part by part)."""
    inputs = collect_inputs(cfg)
    tables = build_tables(
        inputs["manifest"],
        cfg.export,
        transcription=inputs["transcription"],
        phenology=inputs["phenology"],
        topk=inputs["topk"],
        prov=inputs["prov"],
        store_rows=inputs["store_rows"],
    )
    return inputs["manifest"], tables, inputs["prov"], inputs["store"]


EXPORT_PART_ROWS = 50_000  # records built and written together: the export's memory does not grow with the run


def export_dwca(cfg, part_rows: int = EXPORT_PART_ROWS) -> dict[str, Any]:
    """The run's Darwin Core Archive, built and written ``part_rows`` records at a time."""
    inputs = collect_inputs(cfg)
    manifest, settings = inputs["manifest"], cfg.export
    ids, id_notes = occurrence_ids(manifest)
    transcription, phenology = inputs["transcription"], inputs["phenology"]

    def parts() -> Iterator[Tables]:
        for start in range(0, len(manifest), part_rows):
            part = manifest.iloc[start : start + part_rows]
            gids = pd.Index(part["gbifID"].astype(str))
            yield build_tables(
                part, settings,
                transcription=None if transcription is None else transcription.subset(gids),
                phenology=None if phenology is None else phenology[phenology.index.isin(gids)],
                topk=inputs["topk"], prov=inputs["prov"], store_rows=inputs["store_rows"],
                occurrence=(ids[start : start + part_rows], []), offset=start,
            )  # fmt: skip

    out = out_dir(cfg)
    zpath, summary = write_archive_parts(out, parts(), settings, inputs["prov"], RunPaths(cfg.run_dir).root,
                                         manifest, inputs["store"], notes_before=id_notes,
                                         transcribed=transcription is not None)  # fmt: skip
    for note in summary.notes:
        log.warning("export: %s", note)
    counts = dict(summary.counts)
    return {
        "out": str(out),
        "zip": str(zpath),
        "core": counts.pop("core_rows"),
        "multimedia": counts.pop("media_rows"),
        "measurements": counts.pop("mof_rows"),
        "notes": summary.notes,
        **counts,
    }


def run_shard(cfg, shard: Shard) -> ShardResult:
    t0 = time.monotonic()
    info = export_dwca(cfg)
    log.info("export: %d records, %d multimedia rows, %d measurements to %s", info["core"], info["multimedia"],
             info["measurements"], info["zip"])  # fmt: skip
    return ShardResult(shard.stage, shard.index, shard.count, items=info["core"], done=info["core"],
                       seconds=time.monotonic() - t0, extra=info)  # fmt: skip
