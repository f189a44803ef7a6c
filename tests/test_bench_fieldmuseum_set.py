"""bench/fieldmuseum_set.py: the Field Museum's transcriptions and images as a gold folder for bench/aocr.py."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench"
SCRIPT = BENCH / "fieldmuseum_set.py"
HEADER = (
    "catalogNumber,verbatimCollectors,recordNumber,minimumEventDate,maximumEventDate,verbatimIdentification,"
    "latestScientificName,country,firstPoliticalUnit,secondPoliticalUnit,locality\n"
)


def run(*args: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120)


def checkouts(tmp_path: Path, rows: str) -> tuple[Path, Path]:
    fmt, rhp = tmp_path / "fmt", tmp_path / "rhp"
    (fmt / "DataAnalysis" / "GroundTruths").mkdir(parents=True)
    (fmt / "DataAnalysis" / "GroundTruths" / "20-mixed.csv").write_text(HEADER + rows, encoding="utf-8")
    for folder, name in [("DEMO/Images", "0001_V0573776F.jpg"), ("SegmentExamples/PreSegmentedImages",
                         "0012_B%2010%200385068.jpg"), ("DEMO/Images", "0002_V0000001F.jpg")]:  # fmt: skip
        (rhp / folder).mkdir(parents=True, exist_ok=True)
        (rhp / folder / name).write_bytes(b"\xff\xd8 not read here")
    return fmt, rhp


def test_each_sheet_with_an_image_and_a_transcription_becomes_a_gold_sheet(tmp_path):
    rows = (
        'V0573776F,Dr. Edgar A. Mearns,2832,1910-01-10,1910-02-02,Cyperus callistus Ridley,Cyperus maculatus Bock.,'
        '"Congo, the Democratic Republic of the",N/A,N/A,"""Rhino Camp,"" Bahr el Jebel"\n'
        "B 10 0385068,F. G. Overlaet,s.n.,1923-00-00,1924-00-00,N/A,Sterandrium pallidum H. Dietr.,Cuba,Guantánamo,"
        "N/A,[precise locality unknown]\n"
        "V0999999F,No Image,1,2000-01-01,N/A,Carex alpha L.,Carex alpha L.,Peru,N/A,N/A,Lima\n"  # no image: left out
    )
    fmt, rhp = checkouts(tmp_path, rows)
    proc = run(fmt, rhp, tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "images").iterdir()) == ["B_10_0385068.jpg", "V0573776F.jpg"]
    sys.path.insert(0, str(BENCH))
    from aocr import aocr_truth

    truth = {image.stem: row for image, row in aocr_truth(tmp_path / "out")}
    assert truth["V0573776F"] == {
        "scientificName": "Cyperus callistus Ridley | Cyperus maculatus Bock.",  # the label's and the current one
        "recordedBy": "Dr. Edgar A. Mearns", "recordNumber": "2832", "eventDate": "1910-01-10/1910-02-02",
        "country": "Congo, the Democratic Republic of the", "stateProvince": "", "county": "",
        "locality": '"Rhino Camp," Bahr el Jebel', "catalogNumber": "V0573776F",
    }  # fmt: skip
    other = truth["B_10_0385068"]  # N/A, s.n., a year alone, an unknown locality: empty or short
    assert (other["scientificName"], other["recordNumber"], other["eventDate"], other["locality"]) == (
        "Sterandrium pallidum H. Dietr.", "", "1923/1924", "",
    )  # fmt: skip
    assert other["stateProvince"] == "Guantánamo" and other["catalogNumber"] == "B 10 0385068"
    names = (tmp_path / "out" / "names.txt").read_text(encoding="utf-8").splitlines()
    assert "Cyperus maculatus Bock." in names and "Cyperus pallidum" in names  # a near miss
    with (tmp_path / "out" / "parsed" / "V0573776F.csv").open(newline="", encoding="utf-8") as f:
        assert [r["aocr:regionType"] for r in csv.DictReader(f)] == ["primary", "determination", "barcode"]


def test_checkouts_without_transcriptions_or_matching_images_are_one_line(tmp_path):
    proc = run(tmp_path / "nowhere", tmp_path, tmp_path / "out")
    assert proc.returncode == 2 and "no DataAnalysis/GroundTruths folder" in proc.stderr
    assert "Traceback" not in proc.stderr
    fmt, rhp = checkouts(tmp_path, "V0999999F,No Image,1,2000-01-01,N/A,Carex alpha L.,,Peru,N/A,N/A,Lima\n")
    proc = run(fmt, rhp, tmp_path / "out")
    assert proc.returncode == 2 and "has a transcription" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
