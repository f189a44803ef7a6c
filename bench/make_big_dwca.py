"""A big GBIF Darwin Core Archive in the real download's layout, made from the real archive's rows.

``python bench/make_big_dwca.py --records 1000000 --out /tmp/big.zip`` writes meta.xml, occurrence.txt (the real
archive's 241 columns), multimedia.txt (1-3 images per record), verbatim.txt (unless ``--no-verbatim``) and the
small files of the real archive (deflate, level 1). Record i is real row i mod 1310 with gbifID, occurrenceID,
catalogNumber and the taxon changed: a preserved specimen of one of ``--species`` plant species (genus, family,
scientificName, species, ...), so records pass ingest's default filters. Prints seconds per million records.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path

FIXTURE = Path(os.environ.get("HERBPROC_FIXTURES", "/work/shared/fixtures")) / "gbif_dwca_real.zip"
if not FIXTURE.exists():
    FIXTURE = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "gbif_dwca_real.zip"

GENERA = [
    ("Quercus", "Fagaceae", "Fagales"), ("Acer", "Sapindaceae", "Sapindales"), ("Carex", "Cyperaceae", "Poales"),
    ("Solidago", "Asteraceae", "Asterales"), ("Viola", "Violaceae", "Malpighiales"),
    ("Salix", "Salicaceae", "Malpighiales"), ("Rubus", "Rosaceae", "Rosales"), ("Betula", "Betulaceae", "Fagales"),
    ("Trillium", "Melanthiaceae", "Liliales"), ("Juncus", "Juncaceae", "Poales"),
]  # fmt: skip
EPITHETS = ["alba", "rubra", "velutina", "bicolor", "nigra", "lenta", "canadensis", "americana", "virginiana",
            "pensylvanica", "grandiflora", "montana", "palustris", "sylvatica", "hirsuta"]  # fmt: skip
TAXON_FIELDS = ("kingdom", "phylum", "class", "order", "family", "genus", "specificEpithet", "scientificName",
                "species", "genericName", "acceptedScientificName", "verbatimScientificName", "taxonRank",
                "basisOfRecord", "gbifID", "occurrenceID", "catalogNumber", "infraspecificEpithet",
                "taxonKey", "speciesKey", "acceptedTaxonKey", "scientificNameAuthorship")  # fmt: skip


def read_fixture(path: Path):
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    occ = members["occurrence.txt"].decode().split("\n")
    header, rows = occ[0], [r for r in occ[1:] if r]
    mm = members["multimedia.txt"].decode().split("\n")
    mm_header, mm_rows = mm[0], [r for r in mm[1:] if r]
    return members, header, rows, mm_header, mm_rows


def species_list(n: int) -> list[tuple[str, str, str, str]]:
    out = []
    for i in range(n):
        genus, family, order = GENERA[i % len(GENERA)]
        epithet = EPITHETS[(i // len(GENERA)) % len(EPITHETS)]
        suffix = "" if i < len(GENERA) * len(EPITHETS) else f"{i // (len(GENERA) * len(EPITHETS))}"
        out.append(
            (genus, epithet + ("-" + "abcdefghij"[int(suffix) % 10] * 2 if suffix else ""), family, order)
        )
    return out


class Writer:
    """A zip member written in large pieces."""

    def __init__(self, z: zipfile.ZipFile, name: str):
        self.f = z.open(name, "w", force_zip64=True)  # the ZipFile's deflate level
        self.parts: list[str] = []
        self.size = 0

    def add(self, line: str) -> None:
        self.parts.append(line)
        self.size += len(line)
        if self.size > 8 << 20:
            self.flush()

    def flush(self) -> None:
        self.f.write("".join(self.parts).encode())
        self.parts, self.size = [], 0

    def close(self) -> None:
        self.flush()
        self.f.close()


def make(
    out: Path, n: int, n_species: int = 300, verbatim: bool = True, seed_id: int = 4_000_000_000
) -> float:
    t0 = time.perf_counter()
    members, header, rows, mm_header, mm_rows = read_fixture(FIXTURE)
    cols = header.split("\t")
    idx = {name: cols.index(name) for name in TAXON_FIELDS if name in cols}
    templates = [r.split("\t") for r in rows]
    mm_cols = mm_header.split("\t")
    mm_template = mm_rows[0].split("\t")
    mi = {name: mm_cols.index(name) for name in ("gbifID", "type", "format", "identifier", "references")}
    species = species_list(n_species)
    verb = members.get("verbatim.txt", b"").decode().split("\n")
    verb_header, verb_rows = verb[0], [r.split("\t") for r in verb[1:] if r]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("meta.xml", members["meta.xml"])
        for name in ("metadata.xml", "citations.txt", "rights.txt"):
            if name in members:
                z.writestr(name, members[name])
        occ = Writer(z, "occurrence.txt")  # one member open for writing at a time
        occ.add(header + "\n")
        for i in range(n):
            row = list(templates[i % len(templates)])
            gid = str(seed_id + i)
            genus, epithet, family, order = species[(i * 7919) % n_species]
            key = str(1000 + (i * 7919) % n_species)
            values = {
                "gbifID": gid, "occurrenceID": f"urn:catalog:BIG:HERB:{gid}", "catalogNumber": f"BIG{i:09d}",
                "basisOfRecord": "PRESERVED_SPECIMEN", "kingdom": "Plantae", "phylum": "Tracheophyta",
                "class": "Magnoliopsida", "order": order, "family": family, "genus": genus,
                "specificEpithet": epithet, "infraspecificEpithet": "", "taxonRank": "SPECIES",
                "scientificName": f"{genus} {epithet} L.", "species": f"{genus} {epithet}",
                "genericName": genus, "acceptedScientificName": f"{genus} {epithet} L.",
                "verbatimScientificName": f"{genus} {epithet}", "scientificNameAuthorship": "L.",
                "taxonKey": key, "speciesKey": key, "acceptedTaxonKey": key,
            }  # fmt: skip
            for name, j in idx.items():
                row[j] = values.get(name, row[j])
            occ.add("\t".join(row) + "\n")
        occ.close()
        mm = Writer(z, "multimedia.txt")
        mm.add(mm_header + "\n")
        for i in range(n):
            gid = str(seed_id + i)
            for k in range(1 + (i % 3 == 0) + (i % 7 == 0)):
                m = list(mm_template)
                m[mi["gbifID"]] = gid
                m[mi["type"]] = "StillImage"
                m[mi["format"]] = "image/jpeg"
                m[mi["identifier"]] = f"https://images.example.org/herbarium/{gid}/{k}.jpg"
                m[mi["references"]] = f"https://herbarium.example.org/specimen/{gid}"
                mm.add("\t".join(m) + "\n")
        mm.close()
        if verbatim:
            vb = Writer(z, "verbatim.txt")
            vb.add(verb_header + "\n")
            for i in range(n):
                v = list(verb_rows[i % len(verb_rows)])
                v[0] = str(seed_id + i)
                vb.add("\t".join(v) + "\n")
            vb.close()
    return time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--species", type=int, default=300)
    ap.add_argument(
        "--no-verbatim", action="store_true", help="leave verbatim.txt out (ingest never reads it)"
    )
    a = ap.parse_args(argv)
    seconds = make(a.out, a.records, a.species, verbatim=not a.no_verbatim)
    with zipfile.ZipFile(a.out) as z:
        sizes = {i.filename: i.file_size for i in z.infolist()}
    print(
        f"{a.out}: {a.records} records, occurrence.txt {sizes['occurrence.txt'] / 1e9:.2f} GB, "
        f"multimedia.txt {sizes['multimedia.txt'] / 1e9:.2f} GB, zip {a.out.stat().st_size / 1e9:.2f} GB; "
        f"{seconds:.1f} s ({seconds / a.records * 1e6:.1f} s per million records)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
