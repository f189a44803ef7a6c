"""bench/aocr_silver.py: the hackathon's second (silver) parses scored against its gold beside herbproc's rows;
broken inputs are one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "aocr_silver.py"
GOLD = "aocr:regionType,dwc:catalogNumber,dwc:recordedBy,dwc:recordNumber,dwc:eventDate,dwc:verbatimLocality,dwc:scientificName\n"
SILVER = "aocr:regionType,dwc:catalogNumber,aocr:verbatimRecordedBy,dwc:recordNumber,dwc:verbatimEventDate,dwc:verbatimLocality\n"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=120)


def world(tmp_path: Path) -> tuple[Path, Path]:
    checkout, gold = tmp_path / "label-data", tmp_path / "gold"
    (checkout / "herb" / "silver" / "parsed").mkdir(parents=True)
    (gold / "parsed").mkdir(parents=True)
    sheets = {
        "NY_01": ("A. Gray,12,1901-05-04,Near the river.,Carex alpha L.", "A. Gray,12,1901-05-04,Near the river."),
        "NY_02": ("J. Small,77,1910-02-11,Andros: pine woods.,Salix beta L.", "J. Smal,,,Andros: pine woods. 10 m."),
    }
    for barcode, (truth, second) in sheets.items():
        number = barcode[3:]
        (gold / "parsed" / f"{barcode}.csv").write_text(
            GOLD + f"barcode,{number},,,,,\nprimary,,{truth}\n", encoding="utf-8"
        )
        (checkout / "herb" / "silver" / "parsed" / f"{barcode}.csv").write_text(
            SILVER + f"barcode,{number},,,,\nprimary,,{second}\n", encoding="utf-8"
        )
    return checkout, gold


def row(line: str, term: str) -> list[str]:
    return next(ln for ln in line.splitlines() if ln.startswith(term)).split()


def test_silver_and_herbproc_are_scored_side_by_side(tmp_path):
    checkout, gold = world(tmp_path)
    predicted = [
        {"image": "NY_01.jpg", "predicted": {"recordedBy": "A. Gray", "recordNumber": "12", "locality": "x"}},
        {"image": "NY_02.jpg", "predicted": {"recordedBy": "J. Small", "recordNumber": "77"}},
    ]
    out = tmp_path / "herbproc.json"
    out.write_text(json.dumps([{"set": "gold", "per_sheet": predicted}]), encoding="utf-8")
    proc = run(str(checkout), "--aocr-folder", str(gold), "--herbproc", str(out))
    assert proc.returncode == 0, proc.stderr
    # term, n, silver strict / code / similarity, herbproc strict / code / similarity
    assert row(proc.stdout, "recordedBy")[1:] == ["2", "|", "1", "1", "0.96", "|", "2", "2", "1.00"]
    assert row(proc.stdout, "recordNumber")[1:4] + row(proc.stdout, "recordNumber")[7:9] == ["2", "|", "1", "2", "2"]
    assert row(proc.stdout, "locality")[3] == "1" and row(proc.stdout, "locality")[7] == "0"
    assert row(proc.stdout, "eventDate")[3] == "1"  # the silver's verbatim date where it has no parsed one


def test_silver_alone_without_herbproc(tmp_path):
    checkout, gold = world(tmp_path)
    proc = run(str(checkout), "--aocr-folder", str(gold))
    assert proc.returncode == 0, proc.stderr
    assert "herbproc" not in proc.stdout and row(proc.stdout, "catalogNumber")[3] == "2"


def test_broken_inputs_are_one_line(tmp_path):
    checkout, gold = world(tmp_path)
    bad, partial = tmp_path / "bad.json", tmp_path / "partial.json"
    bad.write_text("{not json", encoding="utf-8")
    partial.write_text(json.dumps([{"per_sheet": [{"image": "NY_01.jpg", "predicted": {}}]}]), encoding="utf-8")
    both = (str(checkout), "--aocr-folder", str(gold))
    cases = [
        ((str(tmp_path / "nowhere"), "--aocr-folder", str(gold)), "no herb/silver/parsed folder"),
        ((str(checkout), "--aocr-folder", str(tmp_path / "nogold")), "no parsed/ gold folder"),
        ((*both, "--herbproc", str(tmp_path / "no.json")), "herbproc JSON not found"),
        ((*both, "--herbproc", str(bad)), "not a bench/aocr.py --json file"),
        ((*both, "--herbproc", str(partial)), "1 gold sheet(s) are not in"),
    ]
    for args, message in cases:
        proc = run(*args)
        assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, message
    (checkout / "herb" / "silver" / "parsed" / "NY_02.csv").unlink()
    proc = run(*both)
    assert proc.returncode == 2 and "1 gold sheet(s) have no silver parse, e.g. NY_02" in proc.stderr
