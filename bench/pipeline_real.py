#!/usr/bin/env python
"""The whole pipeline on real full-resolution sheets, as a user's GBIF download: one command, every stage, scored.

The AOCR gold sheets (``<fixtures>/aocr_gold``, 30 NYBG sheets of 3744 x 5616, and any ``--aocr-folder`` in the
same layout, e.g. the hackathon's other herbarium and lichen sheets that ``bench/aocr_other.py`` unpacks) are
packed as a Darwin Core Archive: one record per sheet, its gold name as the record's ``scientificName`` (none
where the gold has none: a record kept without a name), its image served over HTTP from this machine. Then
``python jobs/launch.py stage=pipeline data=gbif_small input=<the archive>`` runs ingest, download, mask, train,
evaluate, predict, phenology (it steps aside: no phenology in these records) and OCR on the local executor, as
the README's real-download command does, and the run's ``ocr/results.parquet`` is scored against the gold per
term (``herbproc.fields.score``, strict), with the taxon with and without the classifier's prior.

Figures to set beside ``bench/aocr.py``'s (the reader alone on the image files, with the sets' names lists):
here the taxonomy is the run's classes, the fields below ``ocr.min_field_probability`` (0.5 in ``gbif_small``)
are left out, the mask stage's detections are reused, and the prior is a classifier trained on the run.

``--records-with-gold`` puts the gold's collector, number, date, places, locality and catalogue number into the
records too, as a transcribed download has them, and prints the OCR stage's agreement with the records' own
values (``ocr/summary.json``'s ``agreement``, ``ocr/disagreements.csv``).

    python bench/pipeline_real.py [--aocr-folder DIR ...] [--work DIR] [--records-with-gold] [-- override ...]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from aocr import aocr_truth, default_fixtures  # noqa: E402
from gbif_archive import DWC, OCC_TERMS, media_row, meta_xml, record, table_text, write_dwca  # noqa: E402

from herbproc.fields.score import ALTERNATIVES, TERMS, format_table, mean_right_rate, score  # noqa: E402

STAGES = ("ingest", "download", "mask", "train", "evaluate", "predict", "phenology", "ocr", "report")


def sheets(folders: list[Path]) -> list[tuple[str, Path, dict[str, str]]]:
    """(set name, image, truth) of every gold sheet with an image, folder by folder."""
    out = []
    for folder in folders:
        name = folder.name if folder.name != "aocr_gold" else "aocr"
        for image, truth in aocr_truth(folder):
            if image.is_file():
                out.append((f"{folder.parent.name}/{name}" if name in ("dev", "test", "test_a", "test_b") else name,
                            image, truth))  # fmt: skip
    return out


# with --records-with-gold, the records hold these of the gold too (a transcribed download): the OCR stage's
# agreement with the records' own values (herbproc.ocr.agreement) is then its agreement with the gold
GOLD_TERMS = ("recordedBy", "recordNumber", "eventDate", "country", "stateProvince", "county", "locality",
              "catalogNumber")  # fmt: skip
GOLD_OCC_TERMS = [*OCC_TERMS, *((DWC, t) for t in ("country", "county", "locality", "recordNumber"))]


def write_world(
    work: Path, found: list[tuple[str, Path, dict[str, str]]], base_url: str, with_gold: bool = False
) -> tuple[Path, Path]:
    """The archive (a record and a medium per sheet) and the folder the server serves (links to the images);
    ``with_gold``: the records hold the gold's ``GOLD_TERMS`` (the first of its alternatives), else none."""
    www = work / "www"
    www.mkdir(parents=True, exist_ok=True)
    records, media = [], []
    for k, (_, image, truth) in enumerate(found):
        gid = str(5_000_000_001 + k)
        link = www / f"{k:05d}-{image.name}"
        if not link.exists():
            link.symlink_to(image.resolve())
        name = truth["scientificName"].split(ALTERNATIVES)[0].strip()
        words = name.split()
        records.append(record(
            gid, genus=words[0] if words else "", specificEpithet=words[1] if len(words) > 1 else "",
            scientificName=name, species=" ".join(words[:2]) if len(words) > 1 else "",  # as GBIF: none for a genus
            taxonRank="SPECIES" if len(words) > 1 else "GENUS" if words else "",
            family="", institutionCode="NY", year="", countryCode="", rightsHolder="The New York Botanical Garden",
            **{t: truth.get(t, "").split(ALTERNATIVES)[0].strip() if with_gold else "" for t in GOLD_TERMS},
        ))  # fmt: skip
        media.append(media_row(gid, f"{base_url}/{quote(link.name)}"))
    files = {"meta.xml": meta_xml(occ_terms=GOLD_OCC_TERMS), "occurrence.txt": table_text(records, GOLD_OCC_TERMS)}
    return write_dwca(work / "world.zip", records, media, files=files), www


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def stage_times(run_dir: Path) -> dict[str, tuple[int, float, float]]:
    """Per stage: (shards finished, seconds summed over shards, wall seconds first start to last finish)."""
    out = {}
    for stage in STAGES:
        marks = []
        for path in (run_dir / "state" / stage / "shards").glob("*.done.json"):
            mark = json.loads(path.read_text())
            if "finished" in mark:
                marks.append(mark)
        if marks:
            wall = max(m["finished"] for m in marks) - min(m.get("started", m["finished"]) for m in marks)
            out[stage] = (len(marks), sum(m.get("seconds", 0.0) for m in marks), wall)
    return out


def scored(run_dir: Path, found: list[tuple[str, Path, dict[str, str]]]) -> None:
    import pandas as pd

    from herbproc.fields.score import judge

    results = pd.read_parquet(run_dir / "ocr" / "results.parquet").set_index("gbifID")
    for set_name in dict.fromkeys(s for s, _, _ in found):
        pairs, prior_names = [], {"right": [0, 0], "wrong": [0, 0], "abstained": [0, 0]}
        for k, (s, _, truth) in enumerate(found):
            if s != set_name:
                continue
            row = results.loc[str(5_000_000_001 + k)]
            pairs.append((truth, {t: str(row.get(t, "") or "") for t in TERMS}))
            with_prior = judge("scientificName", truth["scientificName"], str(row["scientificName"] or ""))
            alone = judge("scientificName", truth["scientificName"], str(row["taxon_ocr"] or ""))
            if with_prior is not None and alone is not None:
                prior_names[alone][0] += 1
                prior_names[with_prior][1] += 1
        truths, predictions = [t for t, _ in pairs], [p for _, p in pairs]
        scores, by_code = score(truths, predictions), score(truths, predictions, by_code=True)
        print(f"\n== {set_name}: {len(pairs)} sheets")
        print(format_table(scores))
        print(f"mean per-term accuracy: strict {100 * (mean_right_rate(scores) or 0):.1f}%, "
              f"by code {100 * (mean_right_rate(by_code) or 0):.1f}%")  # fmt: skip
        print("names right / wrong / abstained, text alone -> with the prior: "
              + " / ".join(str(prior_names[v][0]) for v in prior_names) + " -> "
              + " / ".join(str(prior_names[v][1]) for v in prior_names))  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", type=Path, default=None)
    ap.add_argument("--aocr-folder", type=Path, action="append", default=[], help="more gold folders")
    ap.add_argument("--work", type=Path, default=None, help="where the archive and the run go (a temp dir)")
    ap.add_argument("--score-only", action="store_true", help="score the run already in --work")
    ap.add_argument(
        "--records-with-gold",
        action="store_true",
        help="the records hold the gold's values too (a transcribed download): prints the OCR's agreement",
    )
    ap.add_argument("overrides", nargs="*", help="more key=value for the pipeline")
    args = ap.parse_args()
    folders = [(args.fixtures or default_fixtures()) / "aocr_gold", *args.aocr_folder]
    found = sheets(folders)
    if not found:
        sys.exit(f"no gold sheet with an image in {', '.join(map(str, folders))}")
    if args.score_only:
        if args.work is None:
            sys.exit("--score-only needs --work (the folder of an earlier run of this bench)")
        scored(args.work / "run", found)
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="pipeline-real-"))
    work.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(work / "www"))
    )
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    archive, _ = write_world(work, found, base_url, args.records_with_gold)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    run_dir = work / "run"
    command = [sys.executable, str(REPO / "jobs" / "launch.py"), "stage=pipeline", "data=gbif_small",
               f"input={archive}", f"run_dir={run_dir}", *args.overrides]  # fmt: skip
    print(f"# the pipeline on real sheets, {datetime.date.today()}, {platform.node()} ({os.cpu_count()} cores): "
          f"{len(found)} sheets from {', '.join(str(f) for f in folders)}\n# {' '.join(command[1:])}")  # fmt: skip
    t0 = time.perf_counter()
    with open(work / "pipeline.log", "w") as log:
        proc = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    server.shutdown()
    print(
        f"pipeline exit {proc.returncode} in {time.perf_counter() - t0:.0f} s (log: {work / 'pipeline.log'})"
    )
    if proc.returncode != 0:
        return proc.returncode
    print(f"{'stage':10} {'shards':>6} {'busy s':>8} {'wall s':>8}")
    for stage, (n, busy, wall) in stage_times(run_dir).items():
        print(f"{stage:10} {n:6d} {busy:8.1f} {wall:8.1f}")
    scored(run_dir, found)
    agreement = json.loads((run_dir / "ocr" / "summary.json").read_text()).get("agreement") or {}
    print("\nthe OCR against the records' own values (ocr/summary.json, ocr/disagreements.csv):")
    for term, counts in agreement.items():
        print(f"  {term:15} {counts['agree']:5d} / {counts['compared']:5d}  {counts['rate']:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
