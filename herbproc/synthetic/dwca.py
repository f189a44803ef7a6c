"""A Darwin Core Archive shaped like a GBIF download: meta.xml, occurrence.txt, multimedia.txt, metadata.xml.

Tab-separated, UTF-8, one header line, no quoting (fields never hold tabs or newlines), written to a folder and
to a .zip with fixed timestamps so that the same world gives the same bytes.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from herbproc.io import atomic_path
from herbproc.synthetic.world import MULTIMEDIA_TERMS, OCCURRENCE_TERMS, World

OCCURRENCE_ROW_TYPE = "http://rs.tdwg.org/dwc/terms/Occurrence"
MULTIMEDIA_ROW_TYPE = "http://rs.gbif.org/terms/1.0/Multimedia"
FILES = ("meta.xml", "metadata.xml", "occurrence.txt", "multimedia.txt")


@dataclass(frozen=True)
class DwcaPaths:
    folder: Path
    zip: Path


def _table(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    out.write("\t".join(columns) + "\n")
    for row in rows:
        values = [str(row.get(c, "")) for c in columns]
        bad = [v for v in values if "\t" in v or "\n" in v or "\r" in v]
        if bad:
            raise ValueError(f"a Darwin Core value holds a tab or a line break: {bad[0]!r}")
        out.write("\t".join(values) + "\n")
    return out.getvalue().encode("utf-8")


def _fields(terms: list[tuple[str, str]]) -> str:
    lines = []
    for i, (name, ns) in enumerate(terms):
        extra = ' delimitedBy=";"' if name == "mediaType" else ""
        lines.append(f'    <field index="{i}"{extra} term="{ns}{name}"/>')
    return "\n".join(lines)


def meta_xml() -> bytes:
    attrs = 'encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" fieldsEnclosedBy="" ignoreHeaderLines="1"'
    return (
        '<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="metadata.xml">\n'
        f'  <core {attrs} rowType="{OCCURRENCE_ROW_TYPE}">\n'
        "    <files>\n      <location>occurrence.txt</location>\n    </files>\n"
        '    <id index="0" />\n'
        f"{_fields(OCCURRENCE_TERMS)}\n"
        "  </core>\n"
        f'  <extension {attrs} rowType="{MULTIMEDIA_ROW_TYPE}">\n'
        "    <files>\n      <location>multimedia.txt</location>\n    </files>\n"
        '    <coreid index="0" />\n'
        f"{_fields(MULTIMEDIA_TERMS)}\n"
        "  </extension>\n"
        "</archive>\n"
    ).encode()


def metadata_xml(world: World) -> bytes:
    s = world.settings
    title = escape(f"Synthetic herbarium (seed {s.seed}, {s.species} taxa, {world.n_sheets} sheets)")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" packageId="herbproc-synth" system="herbproc" '
        'scope="system" xml:lang="en">\n'
        "<dataset>\n"
        f"  <title>{title}</title>\n"
        "  <creator><organizationName>herbproc synthetic world</organizationName></creator>\n"
        "  <abstract><para>Rendered herbarium sheets with ground truth; every record is invented.</para></abstract>\n"
        "</dataset>\n"
        "</eml:eml>\n"
    ).encode()


def archive_files(world: World) -> dict[str, bytes]:
    """The archive's files by name (same world, same bytes)."""
    occurrences, media = world.tables()
    return {
        "meta.xml": meta_xml(),
        "metadata.xml": metadata_xml(world),
        "occurrence.txt": _table([c for c, _ in OCCURRENCE_TERMS], occurrences),
        "multimedia.txt": _table([c for c, _ in MULTIMEDIA_TERMS], media),
    }


def write_dwca(world: World, out_dir: str | os.PathLike, base_url: str | None = None) -> DwcaPaths:
    """Write ``out_dir/dwca/`` (the unpacked archive) and ``out_dir/dwca.zip``. ``base_url`` overrides the
    world's ``synth.base_url`` for the image identifiers. Both appear whole or not at all."""
    if base_url is not None:
        from herbproc.synthetic.world import make_world

        world = make_world(world.settings, base_url=base_url)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files = archive_files(world)
    folder, zpath = out / "dwca", out / "dwca.zip"
    tmp = Path(tempfile.mkdtemp(prefix=".dwca.", dir=out))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        old = out / f".dwca.old.{os.getpid()}"
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with atomic_path(zpath) as t:
        with zipfile.ZipFile(t, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for name in FILES:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zf.writestr(info, files[name])
    return DwcaPaths(folder, zpath)
