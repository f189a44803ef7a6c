"""The real-sheet world: the real herbarium sheets of ``../shared/fixtures/real_sheets`` packed as a GBIF download.

Like a real download: a Darwin Core Archive (meta.xml, occurrence.txt, multimedia.txt) whose records carry the
scientific name, genus and epithet, institution and basis of record, no ``reproductiveCondition``, one sheet per
species, and image URLs that a local HTTP server answers. The names come from the file names
(``<scientific name><index>.jpeg``: Harvard University Herbaria sheets served by GBIF); of the LeafMachine2 sheets
only ``LM_Validate_LowRes_1`` has a known name (the fixtures' README), the others become records without one.

Also a command, to make the archive for the README's real-download command without internet::

    python tests/real_world.py OUT.zip BASE_URL      # then serve the real_sheets folder at BASE_URL
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from gbif_archive import media_row, record, write_dwca

KNOWN_NAMES = {"LM_Validate_LowRes_1": "Castanea dentata (Marsh.) Borkh."}
HARVARD = re.compile(r"^(?P<name>[A-Z][a-z]+ .+?)\d+$")


@dataclass(frozen=True)
class Sheet:
    path: Path
    name: str  # the scientific name on the label, "" when not known
    harvard: bool


def real_sheets(folder: Path) -> list[Sheet]:
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".jpg", ".jpeg"):
            continue
        m = HARVARD.match(path.stem)
        if m:
            out.append(Sheet(path, m.group("name").strip(), True))
        else:
            out.append(Sheet(path, KNOWN_NAMES.get(path.stem, ""), False))
    return out


def sheet_record(gbif_id: str, sheet: Sheet) -> dict:
    words = sheet.name.split()
    genus, epithet = (words[0], words[1]) if len(words) >= 2 else ("", "")
    rank = "VARIETY" if " var. " in sheet.name else ("SPECIES" if epithet else "")
    return record(
        gbif_id,
        genus=genus,
        specificEpithet=epithet,
        scientificName=sheet.name,
        species=f"{genus} {epithet}".strip(),
        taxonRank=rank,
        family="",
        institutionCode="HUH" if sheet.harvard else "",
        catalogNumber="",
        recordedBy="",
        eventDate="",
        year="",
        stateProvince="",
        rightsHolder="President and Fellows of Harvard College" if sheet.harvard else "",
    )


def write_real_world(
    out: Path, base_url: str, sheets: list[Sheet], *, extra_urls: dict[str, str] | None = None
) -> dict[str, Sheet]:
    """Write the archive to ``out``; returns gbifID -> sheet. ``extra_urls`` adds records (gbifID -> URL) whose
    images are not sheets of the folder (404s, broken files)."""
    ids = {str(4_000_000_001 + i): s for i, s in enumerate(sheets)}
    recs = [sheet_record(gid, s) for gid, s in ids.items()]
    media = [media_row(gid, f"{base_url.rstrip('/')}/{quote(s.path.name)}") for gid, s in ids.items()]
    for gid, url in (extra_urls or {}).items():
        recs.append(record(gid, genus="Quercus", specificEpithet=f"extra{gid[-3:]}"))
        media.append(media_row(gid, url))
    write_dwca(out, recs, media)
    return ids


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python tests/real_world.py OUT.zip BASE_URL")
    from conftest import FIXTURES

    folder = FIXTURES / "real_sheets"
    world = write_real_world(Path(sys.argv[1]), sys.argv[2], real_sheets(folder))
    print(f"{sys.argv[1]}: {len(world)} records; serve {folder} at {sys.argv[2]}")
