"""Darwin Core Archives (zip or folder), driven by ``meta.xml``: the occurrence core joined with its
multimedia extension on the core id.

Column positions, header lines, delimiters, quoting, line ends and encodings all come from ``meta.xml``. An archive
without ``meta.xml`` is read the way the DwC-A text guide allows: ``occurrence.txt`` (and ``multimedia.txt``)
tab-separated with a header line of term names.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from herbproc.gbif.source import SourceData, empty_media
from herbproc.gbif.tables import (
    ArchiveLimits,
    BadRow,
    Container,
    IngestError,
    TableFormat,
    read_table,
    unescape,
)
from herbproc.gbif.terms import EXTRA_RECORD_TERMS, MANIFEST_TERMS, MEDIA_COLUMNS, media_type_name, term_name

MEDIA_ROW_TYPES = ("multimedia", "image", "audubon")
RECORD_TERMS = ("gbifID", *MANIFEST_TERMS, *EXTRA_RECORD_TERMS)


@dataclass
class TableSpec:
    """One ``<core>`` or ``<extension>`` of meta.xml."""

    row_type: str
    files: list[str]
    fmt: TableFormat
    id_index: int | None
    fields: dict[str, int] = field(default_factory=dict)  # term name -> column index
    defaults: dict[str, str] = field(default_factory=dict)  # term name -> constant value (no column)

    @property
    def n_fields(self) -> int:
        indices = list(self.fields.values()) + ([self.id_index] if self.id_index is not None else [])
        return max(indices) + 1 if indices else 1


def _strip_ns(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _int_attr(el: ET.Element, name: str, default: int | None, where: str) -> int | None:
    value = el.get(name)
    if value is None or value == "":
        return default
    try:
        out = int(value)
    except ValueError:
        raise IngestError(f"meta.xml: {where} has {name}='{value}', not a whole number") from None
    if out < 0:
        raise IngestError(f"meta.xml: {where} has a negative {name} ({out})")
    return out


def _table_spec(el: ET.Element, base: PurePosixPath) -> TableSpec:
    kind = _strip_ns(el.tag)
    row_type = el.get("rowType", "")
    where = f"<{kind} rowType='{row_type}'>"
    files = [
        str(base / (loc.text or "").strip())
        for loc in el.iter()
        if _strip_ns(loc.tag) == "location" and (loc.text or "").strip()
    ]
    if not files:
        raise IngestError(f"meta.xml: {where} names no data file (<files><location>)")
    fmt = TableFormat(
        delimiter=unescape(el.get("fieldsTerminatedBy", ",")),
        quote=unescape(el.get("fieldsEnclosedBy", '"')),
        line_terminator=unescape(el.get("linesTerminatedBy", "\n")),
        encoding=el.get("encoding", "UTF-8"),
        header_lines=_int_attr(el, "ignoreHeaderLines", 0, where) or 0,
    )
    if not fmt.delimiter:
        raise IngestError(f"meta.xml: {where} has an empty fieldsTerminatedBy")
    id_index = None
    spec = TableSpec(row_type, files, fmt, None)
    for child in el:
        tag = _strip_ns(child.tag)
        if tag in ("id", "coreid"):
            id_index = _int_attr(child, "index", None, f"{where} <{tag}>")
        elif tag == "field":
            term = child.get("term")
            if not term:
                raise IngestError(f"meta.xml: {where} has a <field> without a term")
            name = term_name(term)
            index = _int_attr(child, "index", None, f"{where} field {name}")
            if index is None:
                if child.get("default") is not None:
                    spec.defaults.setdefault(name, child.get("default", ""))
            elif name not in spec.fields:
                spec.fields[name] = index
    spec.id_index = id_index
    return spec


def parse_meta(xml: bytes, base: PurePosixPath | None = None) -> tuple[TableSpec, list[TableSpec]]:
    base = base if base is not None else PurePosixPath(".")
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as e:
        raise IngestError(f"meta.xml is not valid XML: {e}") from None
    cores = [el for el in root if _strip_ns(el.tag) == "core"]
    if len(cores) != 1:
        raise IngestError(f"meta.xml must have exactly one <core>, found {len(cores)}")
    core = _table_spec(cores[0], base)
    if term_name(core.row_type).lower() != "occurrence":
        raise IngestError(
            f"meta.xml: the core is '{core.row_type}'; ingest reads occurrence-core archives "
            "(download 'Darwin Core Archive' of occurrences from GBIF)"
        )
    if core.id_index is None:
        raise IngestError("meta.xml: the core has no <id index=...>")
    extensions = [_table_spec(el, base) for el in root if _strip_ns(el.tag) == "extension"]
    return core, extensions


def _header_spec(container: Container, name: str, row_type: str, id_term: str) -> TableSpec:
    """The spec of a file without meta.xml: tab-separated, first line = term names."""
    first = container.first_line(name).decode("utf-8-sig", errors="replace").rstrip("\r\n")
    if not first:
        raise IngestError(f"{name} in {container.path} is empty")
    header = [term_name(h) for h in first.split("\t")]
    fields = {}
    for i, h in enumerate(header):
        fields.setdefault(h, i)
    id_index = fields.get(id_term, fields.get("id", fields.get("coreid", 0)))
    return TableSpec(row_type, [name], TableFormat(header_lines=1), id_index, fields)


def _find_meta(container: Container) -> tuple[str | None, PurePosixPath]:
    names = container.names()
    if not names:
        raise IngestError(f"{container.path} is empty")
    metas = [n for n in names if PurePosixPath(n).name == "meta.xml"]
    if len(metas) > 1:
        metas.sort(key=lambda n: n.count("/"))
        if metas[0].count("/") == metas[1].count("/"):
            raise IngestError(f"{container.path} has several meta.xml files: {', '.join(metas[:4])}")
    if metas:
        return metas[0], PurePosixPath(metas[0]).parent
    return None, PurePosixPath(".")


def _read(container: Container, spec: TableSpec, wanted_names: tuple[str, ...]) -> tuple[pd.DataFrame, list]:
    wanted = {n: spec.fields[n] for n in wanted_names if n in spec.fields}
    if spec.id_index is not None:
        wanted["_id"] = spec.id_index
    frames, bad = [], []
    for name in spec.files:
        if not container.exists(name):
            raise IngestError(f"{name} (named in meta.xml) is not in {container.path}")
        with container.open(name) as f:
            table = read_table(f, name, spec.fmt, wanted, n_fields=spec.n_fields, id_index=spec.id_index)
        frames.append(pd.DataFrame(table.columns, dtype=object))
        bad.extend(table.bad)
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    for name, value in spec.defaults.items():
        if name in wanted_names and name not in df.columns:
            df[name] = value
    return df, bad


def _media_frame(container: Container, spec: TableSpec) -> tuple[pd.DataFrame, list[BadRow]]:
    aliases = {"identifier": ("identifier", "accessURI"), "format": ("format",), "type": ("type",)}
    # Audubon Core gives the licence URL as xmpRights:WebStatement and the rights holder as xmpRights:Owner
    rights = {"license": ("license", "WebStatement"), "rightsHolder": ("rightsHolder", "Owner")}
    names = tuple({a for v in (*aliases.values(), *rights.values()) for a in v})
    raw, bad = _read(container, spec, names)
    if "identifier" not in raw.columns and "accessURI" not in raw.columns:
        raise IngestError(
            f"{spec.files[0]}: the multimedia extension has no identifier (image URL) column in meta.xml"
        )
    media = pd.DataFrame({"coreid": raw["_id"]})
    ident = raw["identifier"] if "identifier" in raw.columns else pd.Series([""] * len(raw), dtype=object)
    if "accessURI" in raw.columns:
        ident = ident.where(ident != "", raw["accessURI"])
    media["identifier"] = ident
    fmt = raw["format"] if "format" in raw.columns else pd.Series([""] * len(raw), dtype=object)
    media["format"] = fmt
    types = raw["type"] if "type" in raw.columns else pd.Series([""] * len(raw), dtype=object)
    types = types.map(media_type_name)
    # no type given: an image/* format says it is a still image
    media["type"] = types.where(
        types != "", fmt.map(lambda f: "StillImage" if f.startswith("image/") else "")
    )
    for col, names_ in rights.items():
        values = pd.Series([""] * len(raw), dtype=object)
        for name in reversed(names_):  # the first name wins where both are there
            if name in raw.columns:
                values = raw[name].where(raw[name] != "", values)
        media[col] = values
    return media[list(MEDIA_COLUMNS)], bad


def _associated_media(records: pd.DataFrame) -> pd.DataFrame:
    """Media rows from the core's ``associatedMedia`` (URLs separated by | ; or spaces)."""
    rows = []
    for gid, value in zip(records["gbifID"], records.get("associatedMedia", []), strict=False):
        for url in str(value).replace(";", "|").replace(" ", "|").split("|"):
            if url.strip():
                rows.append({"coreid": gid, "type": "StillImage", "format": "", "identifier": url.strip()})
    media = pd.DataFrame(rows, columns=list(MEDIA_COLUMNS), dtype=object).fillna("")
    return media


def read_dwca(path: Path, limits: ArchiveLimits | None = None) -> SourceData:
    container = Container(path, limits)
    notes: list[str] = []
    try:
        meta, base = _find_meta(container)
        if meta is not None:
            core, extensions = parse_meta(container.read_bytes(meta, container.limits.max_meta_bytes), base)
        else:
            occ = [n for n in container.names() if PurePosixPath(n).name == "occurrence.txt"]
            if not occ:
                raise IngestError(f"{path} has no meta.xml and no occurrence.txt: not a Darwin Core Archive")
            core = _header_spec(container, occ[0], "Occurrence", "gbifID")
            extensions = []
            mm = [n for n in container.names() if PurePosixPath(n).name == "multimedia.txt"]
            if mm:
                extensions.append(_header_spec(container, mm[0], "Multimedia", "gbifID"))
            notes.append(
                "no meta.xml: read occurrence.txt/multimedia.txt as tab-separated files with headers"
            )
        records, bad = _read(container, core, RECORD_TERMS)
        if "gbifID" not in records.columns:
            records["gbifID"] = records["_id"]
        records["gbifID"] = records["gbifID"].where(records["gbifID"] != "", records["_id"])
        # extensions point at the core id; where the core id is not the gbifID (an archive keyed by
        # occurrenceID that also carries gbifID, e.g. herbproc's own export) media rows are joined through it
        core_to_gbif = dict(zip(records["_id"], records["gbifID"], strict=True))
        records = records.drop(columns=["_id"])
        media_specs = [e for e in extensions if term_name(e.row_type).lower() in MEDIA_ROW_TYPES]
        orphans: list[BadRow] = []
        if media_specs:
            parts = [_media_frame(container, s) for s in media_specs]
            media = pd.concat([p[0] for p in parts], ignore_index=True)
            media["coreid"] = media["coreid"].map(lambda c: core_to_gbif.get(c, c))
            for p in parts:
                orphans.extend(
                    BadRow(b.line, b.record_id, "bad_media_row", f"{b.reason}: {b.detail}") for b in p[1]
                )
            known = set(records["gbifID"]) | {
                b.record_id for b in bad
            }  # a malformed record's media is no orphan
            orphan = ~media["coreid"].isin(known)
            for cid, url in zip(media.loc[orphan, "coreid"], media.loc[orphan, "identifier"], strict=True):
                orphans.append(BadRow(0, cid, "orphan_media", f"media {url} has no occurrence record"))
            media = media[~orphan].reset_index(drop=True)
        elif "associatedMedia" in records.columns:
            media = _associated_media(records)
            notes.append("no multimedia extension: image URLs taken from associatedMedia")
        else:
            media = empty_media()
            notes.append("the archive has no multimedia extension and no associatedMedia column")
    finally:
        container.close()
    if len(records) == 0 and not bad:
        raise IngestError(f"{path}: the occurrence core has no records")
    return SourceData("dwca", records.reset_index(drop=True), media, bad, orphans, notes)
