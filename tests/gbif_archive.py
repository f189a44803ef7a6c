"""Small synthetic GBIF inputs for tests: Darwin Core Archives, simple CSVs and test images."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

DWC = "http://rs.tdwg.org/dwc/terms/"
DC = "http://purl.org/dc/terms/"
GBIF = "http://rs.gbif.org/terms/1.0/"

OCC_TERMS = [
    (GBIF, "gbifID"),
    (DWC, "occurrenceID"),
    (DWC, "basisOfRecord"),
    (DWC, "institutionCode"),
    (DWC, "catalogNumber"),
    (DWC, "recordedBy"),
    (DWC, "eventDate"),
    (DWC, "year"),
    (DWC, "countryCode"),
    (DWC, "stateProvince"),
    (DWC, "family"),
    (DWC, "genus"),
    (DWC, "specificEpithet"),
    (DWC, "taxonRank"),
    (DWC, "scientificName"),
    (GBIF, "species"),
    (DC, "license"),
    (DC, "rightsHolder"),
]
MEDIA_TERMS = [
    (GBIF, "gbifID"),
    (DC, "type"),
    (DC, "format"),
    (DC, "identifier"),
    (DC, "license"),
    (DC, "rightsHolder"),
]


def make_image(
    w: int = 48, h: int = 64, seed: int = 0, fmt: str = "JPEG", orientation: int | None = None
) -> bytes:
    """A small picture with structure (so resizing and JPEG are exercised), as encoded bytes."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.stack(
        [(xx * 255 // max(w - 1, 1)), (yy * 255 // max(h - 1, 1)), np.full_like(xx, (seed * 37) % 256)], -1
    )
    noise = rng.integers(0, 30, size=(h, w, 3))
    arr = np.clip(base + noise, 0, 255).astype(np.uint8)
    arr[: h // 4, : w // 4] = (255, 0, 0)  # a red corner: shows orientation
    im = Image.fromarray(arr)
    buf = io.BytesIO()
    kwargs = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif.tobytes()
    im.save(buf, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}), **kwargs)
    return buf.getvalue()


def record(gbif_id: str, **fields) -> dict:
    """An occurrence row with plausible defaults (a preserved specimen of Quercus alba in MA)."""
    genus = fields.pop("genus", "Quercus")
    epithet = fields.pop("specificEpithet", "alba")
    row = {
        "gbifID": gbif_id,
        "occurrenceID": f"urn:catalog:TEST:{gbif_id}",
        "basisOfRecord": "PRESERVED_SPECIMEN",
        "institutionCode": "TEST",
        "catalogNumber": f"C{gbif_id}",
        "recordedBy": "A. Collector",
        "eventDate": "1901-06-01",
        "year": "1901",
        "countryCode": "US",
        "stateProvince": "Massachusetts",
        "family": "Fagaceae",
        "genus": genus,
        "specificEpithet": epithet,
        "taxonRank": "SPECIES",
        "scientificName": f"{genus} {epithet} L.",
        "species": f"{genus} {epithet}" if epithet else "",
        "license": "CC_BY_4_0",
        "rightsHolder": "Test Herbarium",
    }
    row.update(fields)
    return row


def media_row(gbif_id: str, url: str, kind: str = "StillImage", fmt: str = "image/jpeg") -> dict:
    return {
        "gbifID": gbif_id,
        "type": kind,
        "format": fmt,
        "identifier": url,
        "license": "http://creativecommons.org/licenses/by/4.0/",
        "rightsHolder": "Test Herbarium",
    }


def meta_xml(
    occ_terms=OCC_TERMS,
    media_terms=MEDIA_TERMS,
    *,
    delimiter: str = "\\t",
    quote: str = "",
    header_lines: int = 1,
    encoding: str = "UTF-8",
    with_media: bool = True,
) -> str:
    def fields(terms):
        return "\n".join(f'    <field index="{i}" term="{ns}{name}"/>' for i, (ns, name) in enumerate(terms))

    attrs = (
        f'encoding="{encoding}" fieldsTerminatedBy="{delimiter}" linesTerminatedBy="\\n" '
        f'fieldsEnclosedBy="{quote}" ignoreHeaderLines="{header_lines}"'
    )
    media = (
        f"""  <extension {attrs} rowType="http://rs.gbif.org/terms/1.0/Multimedia">
    <files><location>multimedia.txt</location></files>
    <coreid index="0"/>
{fields(media_terms)}
  </extension>
"""
        if with_media
        else ""
    )
    return f"""<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="metadata.xml">
  <core {attrs} rowType="http://rs.tdwg.org/dwc/terms/Occurrence">
    <files><location>occurrence.txt</location></files>
    <id index="0"/>
{fields(occ_terms)}
  </core>
{media}</archive>
"""


def table_text(rows: list[dict], terms, delimiter: str = "\t", header: bool = True) -> str:
    names = [n for _, n in terms]
    lines = [delimiter.join(names)] if header else []
    lines += [delimiter.join(str(r.get(n, "")) for n in names) for r in rows]
    return "\n".join(lines) + "\n"


def write_dwca(
    path: Path,
    records: list[dict],
    media: list[dict],
    *,
    as_zip: bool = True,
    files: dict[str, bytes | str] | None = None,
    skip: tuple[str, ...] = (),
) -> Path:
    """Write an archive (zip or folder). ``files`` adds or replaces members; ``skip`` leaves members out."""
    members: dict[str, bytes | str] = {
        "meta.xml": meta_xml(),
        "occurrence.txt": table_text(records, OCC_TERMS),
        "multimedia.txt": table_text(media, MEDIA_TERMS),
    }
    members.update(files or {})
    members = {k: v for k, v in members.items() if k not in skip}
    if as_zip:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, data in members.items():
            (path / name).write_bytes(data.encode() if isinstance(data, str) else data)
    return path


SMALL_STORE = [
    "storage.height=36",
    "storage.width=24",
    "storage.zarr_shard_images=4",
    "storage.hdf5_part_images=4",
]
FAST_RETRIES = ["download.backoff_s=0.02", "download.max_backoff_s=0.1", "download.retries=2"]


def ingest_run(run_dir: Path, urls: list[str], *, classes: int = 2, extra: list[str] = ()) -> list[str]:
    """Ingest one record per URL (gbifID 1000+i, ``classes`` species) into ``run_dir``; returns the overrides
    that name the run and the archive (to reuse for the download stage)."""
    from herbproc.config import compose
    from herbproc.gbif.stage import ingest, write_outputs

    epithets = ["alba", "rubra", "velutina", "bicolor"][:classes]
    recs = [record(str(1000 + i), specificEpithet=epithets[i % classes]) for i in range(len(urls))]
    media = [media_row(r["gbifID"], u) for r, u in zip(recs, urls, strict=True)]
    run_dir.mkdir(parents=True, exist_ok=True)
    src = write_dwca(run_dir.parent / f"{run_dir.name}.zip", recs, media)
    base = [f"run_dir={run_dir}", f"input={src}", *extra]
    cfg = compose(["stage=ingest", *base])
    write_outputs(cfg, ingest(cfg))
    return base
