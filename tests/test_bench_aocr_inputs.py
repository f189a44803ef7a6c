"""bench/aocr.py's held-out set: a missing truth file or sheets folder is one clear line, before any reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "aocr.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=120)


def test_a_missing_truth_file_is_one_line(tmp_path):
    (tmp_path / "more_sheets").mkdir()
    proc = run("--set", "more", "--fixtures", str(tmp_path), "--more-truth", str(tmp_path / "nope.csv"))
    assert proc.returncode == 2
    assert "truth file of the more set not found" in proc.stderr and "Traceback" not in proc.stderr


def test_a_missing_sheets_folder_is_one_line(tmp_path):
    proc = run("--set", "all", "--fixtures", str(tmp_path))
    assert proc.returncode == 2
    assert "folder of the more set not found" in proc.stderr and "Traceback" not in proc.stderr


def test_another_folder_whose_images_the_truth_does_not_name_is_one_line(tmp_path):
    folder = tmp_path / "ferns"
    folder.mkdir()
    (folder / "C0601382F.jpg").write_bytes(b"\xff\xd8 not read here")
    truth = tmp_path / "truth.csv"
    truth.write_text("file,scientificName\nC0000000F.jpg,Asplenium rhizophyllum L.\n", encoding="utf-8")
    proc = run("--set", "more", "--fixtures", str(tmp_path), "--more-folder", str(folder), "--more-truth", str(truth))
    assert proc.returncode == 2
    assert f"no image of {folder} is named in {truth}" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("--set", "more", "--fixtures", str(tmp_path), "--more-folder", str(tmp_path / "nope"), "--more-truth",
               str(truth))  # fmt: skip
    assert proc.returncode == 2 and "folder of the more set not found" in proc.stderr


OTHER = BENCH.with_name("aocr_other.py")
GOLD_HEADER = "aocr:regionType,dwc:catalogNumber,dwc:recordedBy,aocr:verbatimScientificName,dwc:scientificName\n"


def gold_sheet(root: Path, barcode: str, name: str) -> None:
    for sub in ("inputs", "parsed"):
        (root / "herb" / "gold" / sub).mkdir(parents=True, exist_ok=True)
    (root / "herb" / "gold" / "inputs" / f"{barcode}.jpg").write_bytes(b"\xff\xd8 not read here")
    (root / "herb" / "gold" / "parsed" / f"{barcode}.csv").write_text(
        GOLD_HEADER + f"barcode,{barcode[3:]},,,\nprimary,,A. Collector,{name},{name}\n", encoding="utf-8"
    )


def test_the_other_gold_sheets_are_split_in_halves_and_the_test_half_in_two_with_one_names_list(tmp_path):
    checkout, fixtures = tmp_path / "label-data", tmp_path / "fixtures"
    names = ["Carex alpha L.", "Carex beta Fern.", "Salix gamma Nutt.", "Salix delta L.", "Acer epsilon Sarg.",
             "Acer zeta L.", "Acer eta L.", "Acer theta L.", "Acer iota L."]  # fmt: skip
    for k, name in enumerate(names):
        gold_sheet(checkout, f"NY_0{k}", name)
    (fixtures / "aocr_gold" / "parsed").mkdir(parents=True)
    (fixtures / "aocr_gold" / "parsed" / "NY_04.csv").write_text(GOLD_HEADER, encoding="utf-8")  # a fixture: left out
    proc = subprocess.run([sys.executable, str(OTHER), str(checkout), str(tmp_path / "out"), "--fixtures",
                           str(fixtures)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    listed = {half: sorted(p.stem for p in (tmp_path / "out" / half / "parsed").glob("*.csv"))
              for half in ("all", "dev", "test", "test_a", "test_b")}  # fmt: skip
    kept = ["NY_00", "NY_01", "NY_02", "NY_03", "NY_05", "NY_06", "NY_07", "NY_08"]
    assert listed == {"all": kept, "dev": ["NY_00", "NY_02", "NY_05", "NY_07"], "test": ["NY_01", "NY_03", "NY_06", "NY_08"],
                      "test_a": ["NY_01", "NY_06"], "test_b": ["NY_03", "NY_08"]}  # fmt: skip
    candidates = (tmp_path / "out" / "test" / "names.txt").read_text().splitlines()
    assert set(names[:4]) <= set(candidates) and "Carex gamma" in candidates and "Acer epsilon Sarg." not in candidates
    assert (tmp_path / "out" / "dev" / "images" / "NY_02.jpg").is_file()


def test_a_checkout_without_gold_sheets_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, str(OTHER), str(tmp_path), str(tmp_path / "out")], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and "no herb/gold/parsed folder" in proc.stderr and "Traceback" not in proc.stderr
    gold_sheet(tmp_path, "NY_01", "Carex alpha L.")
    fixtures = tmp_path / "fixtures"
    (fixtures / "aocr_gold" / "parsed").mkdir(parents=True)
    (fixtures / "aocr_gold" / "parsed" / "NY_01.csv").write_text(GOLD_HEADER, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(OTHER), str(tmp_path), str(tmp_path / "out"), "--fixtures",
                           str(fixtures)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and "does not already hold" in proc.stderr


def test_a_gold_folder_without_transcriptions_is_one_line(tmp_path):
    proc = run("--set", "aocr", "--aocr-folder", str(tmp_path / "nowhere"))
    assert proc.returncode == 2
    assert "no parsed/ gold folder" in proc.stderr and "Traceback" not in proc.stderr
    confusions = subprocess.run([sys.executable, str(BENCH.with_name("confusions.py")), "read", "--aocr",
                                 "--aocr-folder", str(tmp_path), "--out", str(tmp_path / "x.pkl")],
                                capture_output=True, text=True, timeout=120)  # fmt: skip
    assert confusions.returncode == 2 and "no parsed/ gold folder" in confusions.stderr
    assert not (tmp_path / "x.pkl").exists()


LICHEN_HEADER = "dwc:catalogNumber,dwc:recordedBy,dwc:recordNumber,dwc:country,aocr:verbatimScientificName,dwc:scientificName\n"


def test_lichen_packets_are_one_gold_row_each_with_their_barcode(tmp_path):
    checkout = tmp_path / "label-data"
    for sub in ("inputs", "parsed"):
        (checkout / "lichens" / "gold" / sub).mkdir(parents=True)
    for k, name in enumerate(["Lecanora alpha Ach.", "Lecanora beta Nyl."]):
        (checkout / "lichens" / "gold" / "inputs" / f"NY0{k}_lg.jpg").write_bytes(b"\xff\xd8 not read here")
        (checkout / "lichens" / "gold" / "parsed" / f"NY0{k}_lg.csv").write_text(
            LICHEN_HEADER + f'"0{k}",R. Harris,{40 + k},U.S.A.,{name},{name}\n', encoding="utf-8"
        )
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, str(OTHER), str(checkout), str(out), "--collection", "lichens",
                           "--fixtures", str(tmp_path / "fixtures")], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (out / "all" / "images").iterdir()) == ["NY00_lg.jpg", "NY01_lg.jpg"]
    sys.path.insert(0, str(BENCH.parent))
    from aocr import aocr_truth

    truth = dict(aocr_truth(out / "all"))
    row = truth[out / "all" / "images" / "NY01_lg.jpg"]
    assert (row["catalogNumber"], row["recordNumber"], row["scientificName"]) == ("01", "41", "Lecanora beta Nyl.")
    assert "Lecanora alpha" in (out / "test" / "names.txt").read_text()
    proc = subprocess.run([sys.executable, str(OTHER), str(checkout), str(out), "--collection", "herb"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and "no herb/gold/parsed folder" in proc.stderr


def test_a_bad_ocr_setting_is_one_line_before_any_reading(tmp_path):
    for pair, said in [("nope=1", "unknown ocr setting"), ("label_detail", "expected KEY=VALUE"),
                       ("label_detail=9", "'ocr.label_detail'"), ("leaders=maybe", "'ocr.leaders'")]:  # fmt: skip
        proc = run("--set", "real", "--fixtures", str(tmp_path), "--ocr", pair)
        assert proc.returncode == 2, (pair, proc.stderr)
        assert said in proc.stderr and "Traceback" not in proc.stderr, (pair, proc.stderr)


def test_barcode_match_bench_refuses_bad_ranges_in_one_line():
    bench = BENCH.with_name("barcode_match.py")
    for args in (["--width", "9", "1"], ["--blur", "-1", "2"], ["--width", "0.1", "1"]):
        proc = subprocess.run([sys.executable, str(bench), *args], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2, (args, proc.stderr)
        assert "--width" in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr)


def load_bench():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_aocr", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_cached_sheet_is_resolved_again_over_its_stored_readings():
    from herbproc.fields import TaxonIndex
    from herbproc.ocr.settings import ocr_settings

    bench = load_bench()
    names = TaxonIndex(["Carex crinita Lam.", "Carex lurida Wahlenb."])
    settings = ocr_settings()
    reading = {
        "lines": ["HERBARIUM", "Carex crlnita"],
        "cards": [0, 0],
        "taxon": {"scientificName": "Carex lurida Wahlenb."},  # a stale cached name: not used
        "readings": [["HERBARIUM", "Carex crlnita", "Carex crinita Lam."], [0, 1, 1]],
    }
    row, confidence, _, _ = bench.replay(reading, names, settings)
    assert row["scientificName"] == "Carex crinita Lam." and confidence is not None and confidence > 0.5
    del reading["readings"]  # a cache from before the readings were kept: its stored name, no confidence
    assert bench.replay(reading, names, settings)[1] is None
    assert bench.replay(reading, names, settings)[0]["scientificName"] == "Carex lurida Wahlenb."


def test_the_reliability_table_bins_the_names_given_against_the_truth():
    bench = load_bench()

    def sheet(truth: str, got: str, confidence: float | None) -> dict:
        return {"truth": {"scientificName": truth}, "predicted": {"scientificName": got},
                "taxon_confidence": confidence}  # fmt: skip

    rows = bench.reliability([
        sheet("Carex alba L.", "Carex alba L.", 1.0),  # the last bin is closed
        sheet("Carex alba L.", "Carex alta L.", 0.95),
        sheet("Carex alba L.", "Carex alba L.", 0.6),
        sheet("", "Carex alba L.", 0.6),  # no name in the truth: not counted
        sheet("Carex alba L.", "Carex alba L.", None),  # no confidence: not counted
        sheet("Carex alba L.", "Carex alba L.", 0.3),  # below the first bin
    ])  # fmt: skip
    assert [(r["named"], r["right"]) for r in rows] == [(1, 1), (0, 0), (2, 1)]
    assert rows[2]["mean_confidence"] == 0.975 and rows[1]["mean_confidence"] is None


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        '{"a.jpg": {"cards": []}}',
        '{"a.jpg": {"lines": ["x"], "readings": [["x"], [0, 1]]}}',
        '{"a.jpg": {"lines": ["x"], "line_confidences": [0.9, 0.8]}}',
        '{"a.jpg": {"lines": ["x"], "line_confidences": ["high"]}}',
    ],
)
def test_a_broken_readings_cache_is_one_line(tmp_path, content):
    cache = tmp_path / "cache.json"
    cache.write_text(content, encoding="utf-8")
    proc = run("--set", "real", "--fixtures", str(tmp_path), "--readings-cache", str(cache))
    assert proc.returncode == 2
    last = proc.stderr.strip().splitlines()[-1]
    assert "readings cache" in last and str(cache) in last and "Traceback" not in proc.stderr


def test_a_cached_sheets_line_confidences_reach_its_fields():
    from herbproc.ocr.settings import ocr_settings

    bench = load_bench()
    reading = {"lines": ["Coll. A. Bell 1234", "Swain Co."], "cards": [0, 0], "taxon": {}, "line_confidences": [0.97, 0.61]}
    _, _, confidences, on_lines = bench.replay(reading, None, ocr_settings())
    assert on_lines == {"recordedBy": 0.97, "recordNumber": 0.97, "county": 0.61}
    assert set(confidences) == set(on_lines)
    del reading["line_confidences"]  # a cache from before they were kept
    assert bench.replay(reading, None, ocr_settings())[3] == {}


def test_without_truth_names_leaves_only_other_species_in_the_list(tmp_path):
    bench = load_bench()
    sheets = [(tmp_path / "a.jpg", {"scientificName": "Carex crinita Lam. | Carex gynandra Schwein."}),
              (tmp_path / "b.jpg", {"scientificName": "Viburnum lentago L."})]  # fmt: skip
    names = ["Carex crinita", "Carex crinita var. brevicrinis Fernald", "Carex lurida Wahlenb.", "Carex gynandra",
             "Viburnum lentago Michx.", "Viburnum opulus L."]  # fmt: skip
    assert bench.without_truth(names, sheets) == ["Carex lurida Wahlenb.", "Viburnum opulus L."]


def test_bad_collectors_options_are_one_line(tmp_path):
    empty = tmp_path / "collectors.txt"
    empty.write_text("# nobody\n", encoding="utf-8")
    for args, said in [(["--record-genus"], "needs --no-names"), (["--collectors-without-truth"], "needs --collectors"),
                       (["--collectors", str(tmp_path / "none.txt")], "No such file"),
                       (["--collectors", str(empty)], "no collector in it")]:  # fmt: skip
        proc = run("--set", "real", "--fixtures", str(tmp_path), *args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert said in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr)


def test_a_cached_sheets_collector_is_read_against_the_list_and_its_own_left_out():
    from herbproc.fields.collectors import CollectorIndex
    from herbproc.ocr.settings import ocr_settings

    bench = load_bench()
    listed = CollectorIndex(["Lisa A. Standley", "Greg Palermo", "M. L. Fernald"])
    reading = {"lines": ["PLANTS OF MAINE", "Usa A Standey 4 June 2019"], "cards": [0, 0], "taxon": {}}
    settings = ocr_settings()
    assert bench.replay(reading, None, settings)[0]["recordedBy"] == ""
    assert bench.replay(reading, None, settings, listed)[0]["recordedBy"] == "Lisa A. Standley"
    less = bench.without_own_collectors(listed, "L. A. Standley | Somebody Else")
    assert sorted(p.text for p in less.people) == ["Greg Palermo", "M. L. Fernald"]
    assert bench.replay(reading, None, settings, less)[0]["recordedBy"] == ""


def test_a_cached_sheets_name_takes_the_genus_its_record_gives():
    from herbproc.ocr.settings import ocr_settings

    bench = load_bench()
    reading = {"lines": ["PLANTS OF MAINE", "Cetaria islandica (L.) Ach.", "Alpine tundra"], "cards": [0, 0, 0],
               "taxon": {}}  # fmt: skip
    settings = ocr_settings()
    read = bench.replay(reading, None, settings)[0]["scientificName"]
    assert read.startswith("Cetaria islandica")  # the rules read it as printed
    genus = bench.truth_genus("Cetraria islandica (L.) Ach. | Cetraria ericetorum Opiz")
    assert genus == "Cetraria" and bench.truth_genus("UNREADABLE") == "" and bench.truth_genus("") == ""
    assert bench.replay(reading, None, settings, None, genus)[0]["scientificName"].startswith("Cetraria islandica")
    off = ocr_settings(record_genus=False)
    assert bench.replay(reading, None, off, None, genus)[0]["scientificName"].startswith("Cetaria islandica")


def test_the_gold_collectors_are_the_first_and_the_others(tmp_path):
    from herbproc.fields.score import judge

    (tmp_path / "parsed").mkdir()
    header = "aocr:regionType,dwc:catalogNumber,dwc:recordedBy,dwc:recordedBy2,dwc:recordNumber"
    rows = {"NY_1": "primary,,E. G. BRITTON,DELIA W. MARBLE,12", "NY_2": "primary,,A. Bell,,7"}
    for stem, row in rows.items():
        (tmp_path / "parsed" / f"{stem}.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    truth = {image.stem: row["recordedBy"] for image, row in load_bench().aocr_truth(tmp_path)}
    assert truth == {"NY_1": "E. G. BRITTON, DELIA W. MARBLE", "NY_2": "A. Bell"}
    assert judge("recordedBy", truth["NY_1"], "E. G. Britton | Delia W. Marble") == "right"
    assert judge("recordedBy", truth["NY_1"], "E. G. Britton") == "wrong"
