"""The ingest section of the run report: records in and out, drops by reason, the classes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from herbproc.io import read_json
from herbproc.paths import RunPaths
from herbproc.report.render import render

CLASSES_SHOWN = 20  # the biggest classes in the table; the rest are counted

REASON_TEXT = {
    "missing_id": "no gbifID",
    "unsafe_id": "record id unusable as a file name",
    "malformed_row": "row with the wrong number of fields",
    "bad_encoding": "bytes not valid in the file's encoding",
    "duplicate_id": "gbifID already seen",
    "basis_of_record": "basisOfRecord not wanted",
    "taxon_rank": "taxonRank not wanted",
    "country_code": "countryCode not wanted",
    "state_province": "stateProvince not wanted",
    "year": "year outside the range (or none)",
    "genus": "genus not in the genus list",
    "no_label": "no name at the label level",
    "no_image": "no media at all",
    "no_still_image": "media, but no still image",
    "api_not_found": "unknown to the occurrence API",
    "api_error": "occurrence API failed (tried again next run)",
    "class_cap": "over the per-class cap",
    "class_too_small": "class under the minimum",
    "orphan_media": "media row without an occurrence",
    "bad_media_row": "malformed media row",
}


def report_section(run_dir: str | Path, assets: Path | None = None) -> str:
    """HTML fragment: what ingest read, kept and dropped (``assets`` is unused: no figures)."""
    paths = RunPaths(run_dir)
    summary = read_json(paths.stage_dir("ingest") / "summary.json")
    if not summary:
        return render("ingest.html.j2", summary=None)
    dropped = [
        (r, REASON_TEXT.get(r, ""), n)
        for r, n in sorted(summary.get("dropped", {}).items(), key=lambda kv: -kv[1])
    ]
    classes: list[dict] | None = None  # no table without classes.csv
    more_classes = 0
    if paths.classes.exists():
        table = pd.read_csv(paths.classes)
        top = table.sort_values("n_images", ascending=False).head(CLASSES_SHOWN)
        classes = [
            {"label": int(c.label), "name": str(c.name), "n_images": int(c.n_images), "n_train": int(c.n_train),
             "n_val": int(c.n_val), "n_test": int(c.n_test)}
            for c in top.itertuples(index=False)
        ]  # fmt: skip
        more_classes = len(table) - len(top)
    return render(
        "ingest.html.j2",
        summary=summary,
        splits=summary.get("splits", {}),
        dropped=dropped,
        classes=classes,
        more_classes=more_classes,
    )
