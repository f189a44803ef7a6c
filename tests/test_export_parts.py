"""The Darwin Core export built and written part by part (``export_dwca(cfg, part_rows)``, so a million records
fit a small job) gives the same archive, byte for byte, as the whole run at once, and the same counts and notes."""

from __future__ import annotations

import re
import zipfile

import pytest
from test_export_dwca import add_ocr, hand_built_run

from herbproc.config import compose
from herbproc.export.dwca import export_dwca

STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def archive(run_dir, part_rows: int) -> tuple[dict, dict[str, bytes]]:
    cfg = compose(["stage=export", f"run_dir={run_dir}", "format=dwca", "export.confidences=true"])
    info = export_dwca(cfg, part_rows=part_rows)
    with zipfile.ZipFile(info["zip"]) as z:  # the export's time (to the second) left out
        return info, {name: STAMP.sub(b"<time>", z.read(name)) for name in z.namelist()}


@pytest.mark.parametrize("part_rows", [1, 2, 4])
def test_parts_make_the_same_archive(tmp_path, part_rows):
    run_dir, manifest = hand_built_run(tmp_path)
    manifest.loc[manifest["gbifID"] == "105", "identifier"] = "file:///data/sheets/105.jpg"
    manifest.to_parquet(run_dir / "manifest.parquet", index=False)
    add_ocr(run_dir)
    whole_info, whole = archive(run_dir, part_rows=1000)
    info, parts = archive(run_dir, part_rows=part_rows)
    assert list(parts) == list(whole) == [
        "meta.xml", "eml.xml", "occurrence.txt", "multimedia.txt", "measurementorfact.txt",
    ]  # fmt: skip
    for name in whole:
        assert parts[name] == whole[name], f"{name} differs when written {part_rows} records at a time"
    assert info == whole_info
    assert info["core"] == len(manifest) == 6 and info["measurements"] > 0
    assert any("file:// paths" in n for n in info["notes"]) and any(
        "occurrenceID" in n for n in info["notes"]
    )
