"""Field confidences as probabilities: the table's fit, its file, the setting, the reader and bench/fieldcal.py."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from herbproc.fields import Field
from herbproc.fields.calibration import TABLE, FieldCalibration, calibration_for, fit, from_json, load

BENCH = Path(__file__).resolve().parents[1] / "bench" / "fieldcal.py"


def test_a_share_is_shrunk_towards_its_terms_overall_share() -> None:
    samples = [("locality", 0.55, k < 6) for k in range(10)] + [("locality", 0.8, True)] * 10
    cal = fit(samples)
    overall = (16 + 1) / (20 + 2)
    assert cal.overall["locality"] == pytest.approx(overall, abs=1e-4)
    assert cal.shares["locality"][0.55] == pytest.approx((6 + 5 * overall) / 15, abs=1e-4)
    assert cal.shares["locality"][0.8] == pytest.approx((10 + 5 * overall) / 15, abs=1e-4)
    assert cal.shares["locality"][0.55] < overall < cal.shares["locality"][0.8] < 1.0  # never certain


def test_a_confidence_takes_the_nearest_share_seen_else_the_terms_and_other_terms_keep_theirs() -> None:
    cal = FieldCalibration({"locality": 0.8, "country": 0.9}, {"locality": {0.55: 0.6, 0.8: 0.95}})
    assert cal.probability("locality", 0.56) == 0.6  # text quality moved it off the rule's base
    assert cal.probability("locality", 0.7) == 0.8  # never seen: the term's share
    assert cal.probability("countryCode", 0.85) == 0.9  # follows country
    assert cal.probability("identifiedBy", 0.85) is None
    fields = {"locality": Field("Elm Gap", 0.8, 3), "identifiedBy": Field("A. Bell", 0.85, 5)}
    cal.apply(fields)
    assert fields["locality"] == Field("Elm Gap", 0.95, 3) and fields["identifiedBy"].confidence == 0.85


def test_a_line_read_less_surely_takes_the_share_of_its_bin_shrunk_towards_its_rules() -> None:
    sharp = [("locality", 0.6, True, 0.99)] * 20
    blurred = [("locality", 0.6, k < 2, 0.8) for k in range(10)]
    cal = fit([*sharp, *blurred, ("locality", 0.6, True, None)], line_edges=(0.9, 0.97))
    share = cal.shares["locality"][0.6]  # 23 right of 31, whatever the lines
    low, mid, high = cal.by_line["locality"][0.6]
    assert low == pytest.approx((2 + 5 * share) / 15, abs=1e-4) and mid == share
    assert high == pytest.approx((20 + 5 * share) / 25, abs=1e-4)
    assert (
        cal.probability("locality", 0.6, 0.5) == low < share < cal.probability("locality", 0.61, 0.98) == high
    )
    assert cal.probability("locality", 0.6) == share  # the line's confidence not known
    assert cal.probability("locality", 0.3, 0.99) == cal.overall["locality"]
    fields = {"locality": Field("Elm Gap", 0.6, 1), "county": Field("Swain", 0.8, 7)}
    cal.apply(fields, [0.99, 0.8])  # the county's line is not among them: not known
    assert fields["locality"].confidence == low and fields["county"].confidence == 0.8
    assert from_json(json.loads(json.dumps(cal.to_json()))) == cal


def test_a_locality_with_an_unknown_word_takes_its_terms_shift_in_log_odds() -> None:
    shares = {"locality": {0.6: 0.75}}
    cal = FieldCalibration({"locality": 0.8, "county": 0.9}, shares, word_shifts={"locality": -2.0})
    garbled = Field("lemestone bluff along St. Francis Riner", 0.6, 0)
    clean = Field("limestone bluff along St. Francis River", 0.6, 1)
    fields = {"locality": garbled, "county": Field("wayne cuonty", 0.8, 2)}  # a term without a shift
    cal.apply(fields)
    odds = 3 / math.exp(2.0)  # 0.75 is odds of 3
    assert fields["locality"].confidence == pytest.approx(odds / (1 + odds), abs=1e-4)
    assert fields["county"].confidence == 0.9
    fields = {"locality": clean}
    cal.apply(fields)
    assert fields["locality"].confidence == 0.75
    assert cal.probability("locality", 0.6, unknown_word=True) < cal.probability("locality", 0.6) == 0.75
    assert from_json(json.loads(json.dumps(cal.to_json()))) == cal


def test_the_word_shift_is_fitted_to_the_values_with_an_unknown_word() -> None:
    clean = [("locality", 0.6, k < 16, 0.99, False) for k in range(20)]
    garbled = [("locality", 0.6, k < 2, 0.99, True) for k in range(10)]
    cal = fit([*clean, *garbled])
    share = cal.shares["locality"][0.6]  # 18 right of 30, garbled or not
    shift = cal.word_shifts["locality"]
    garbled_share = (2 + 1) / (10 + 2)  # one right and one wrong added
    assert shift < 0
    assert cal.probability("locality", 0.6, unknown_word=True) == pytest.approx(garbled_share, abs=0.01)
    assert cal.probability("locality", 0.6) == share
    assert fit(clean).word_shifts == {}
    assert "county" not in fit([("county", 0.8, False, None, True)]).word_shifts  # not a free-text term


def test_a_value_less_likely_right_than_the_floor_is_taken_out_with_its_companion() -> None:
    cal = FieldCalibration({"country": 0.4, "county": 0.9}, {})
    fields = {
        "country": Field("Cuba", 0.85, 0),
        "countryCode": Field("CU", 0.85, 0),
        "county": Field("X", 0.8, 1),
    }
    assert cal.apply(fields, drop_below=0.5) == ["country", "countryCode"]
    assert fields == {"county": Field("X", 0.9, 1)}


def test_the_packaged_table_holds_the_scored_terms_and_round_trips() -> None:
    cal = load()
    assert set(cal.overall) == {"scientificName", "recordedBy", "recordNumber", "eventDate", "country",
                                "stateProvince", "county", "locality", "catalogNumber"}  # fmt: skip
    assert all(0.0 < p < 1.0 for p in cal.overall.values()) and "hackathon" in cal.fitted_on
    assert from_json(json.loads(json.dumps(cal.to_json()))) == cal
    assert cal.word_shifts["locality"] < 0  # a garbled locality is less often right than its line says
    assert calibration_for("default") == cal and calibration_for(True) == cal
    assert calibration_for("off") is None and calibration_for(False) is None


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xfe", "not a JSON table"),
        (b"{not json", "not a JSON table"),
        (b"[1, 2]", "expected an object"),
        (b'{"overall": {"locality": 1.5}}', "not a number from 0 to 1"),
        (b'{"overall": {"locality": true}}', "not a number from 0 to 1"),
        (b'{"overall": {"locality": 0.8}, "shares": []}', "'shares' must map"),
        (b'{"overall": {"locality": 0.8}, "shares": {"county": {"0.8": 0.9}}}', "of a term in 'overall'"),
        (b'{"overall": {"locality": 0.8}, "shares": {"locality": {"high": 0.9}}}', "confidence key 'high'"),
        (b'{"overall": {"locality": 0.8}, "line_edges": [0.97, 0.9]}', "'line_edges' must be rising"),
        (b'{"overall": {"locality": 0.8}, "line_edges": "0.9"}', "'line_edges' must be rising"),
        (b'{"overall": {"locality": 0.8}, "by_line": {"locality": {}}}', "with 'line_edges'"),
        (
            b'{"overall": {"x": 0.8}, "shares": {"x": {"0.6": 0.7}}, "line_edges": [0.9], "by_line": {"x": {"0.6": [1]}}}',
            "must list 2 shares",
        ),
        (
            b'{"overall": {"x": 0.8}, "shares": {}, "line_edges": [0.9], "by_line": {"x": {"0.6": [1, 1]}}}',
            "of a term in 'shares'",
        ),
        (b'{"overall": {"locality": 0.8}, "word_shifts": [-1]}', "'word_shifts' must map"),
        (b'{"overall": {"locality": 0.8}, "word_shifts": {"county": -1}}', "'word_shifts' must map"),
        (b'{"overall": {"locality": 0.8}, "word_shifts": {"locality": "low"}}', "'word_shifts' must map"),
        (b'{"overall": {"locality": 0.8}, "word_shifts": {"locality": -11}}', "from -10 to 10"),
        (b'{"overall": {"locality": 0.8}, "word_shifts": {"locality": NaN}}', "'word_shifts' must map"),
    ],
)
def test_a_broken_table_is_refused_in_one_line(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "table.json"
    path.write_bytes(content)
    with pytest.raises(ValueError) as err:
        load(str(path))
    assert says in str(err.value) and str(path) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_a_field_probability_floor_outside_0_to_1_is_refused_in_one_line(value: float) -> None:
    from herbproc.ocr.settings import ocr_settings

    with pytest.raises(ValueError) as err:
        ocr_settings(min_field_probability=value)
    assert "'ocr.min_field_probability'" in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("value", ["", "on", 3, "/no/such/table.json"])
def test_a_wrong_field_calibration_setting_is_refused_in_one_line(value: object) -> None:
    from herbproc.ocr.settings import ocr_settings

    with pytest.raises(ValueError) as err:
        ocr_settings(field_calibration=value)
    assert "'ocr.field_calibration'" in str(err.value) and "\n" not in str(err.value)


def test_a_table_of_ones_own_is_a_setting(tmp_path: Path) -> None:
    from herbproc.ocr.settings import ocr_settings

    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"overall": {"county": 0.5}, "shares": {}}))
    assert ocr_settings(field_calibration=str(path)).field_calibration == str(path)
    assert calibration_for(str(path)).probability("county", 0.8) == 0.5


def test_the_country_from_a_state_takes_the_states_calibrated_confidence() -> None:
    from herbproc.ocr.reader import finish_fields
    from herbproc.ocr.settings import ocr_settings

    state = Field("Tennessee", 0.85, 0)
    fields = {"stateProvince": state, "countryCode": Field("US", 0.85, 0)}
    finish_fields(fields, ocr_settings(country_from_state=True))
    calibrated = load().probability("stateProvince", 0.85)
    assert fields["stateProvince"].confidence == calibrated != 0.85
    assert fields["country"] == Field("United States", calibrated, 0)
    raw = {"stateProvince": state}
    finish_fields(raw, ocr_settings(field_calibration="off"))
    assert raw == {"stateProvince": state}


class Collector:
    """Every crop read as the same collector's line."""

    name = "collector"

    def read(self, crops):
        from herbproc.ocr.engines import Reading

        return [Reading("Coll. A. Bell 1234", 0.95, self.name) for _ in crops]


def test_the_reader_writes_calibrated_confidences_unless_told_not_to() -> None:
    from herbproc.ocr import LabelReader, ocr_settings
    from herbproc.synth import make_world, render_sheet

    world = {"species": 2, "sheets_per_species": 1, "width": 1000, "height": 1500, "handwriting_share": 0.0}
    page = render_sheet(make_world(world, seed=0), 0).image
    raw = LabelReader(ocr_settings(field_calibration="off", barcodes=False), engines=[Collector()]).read(page)
    calibrated = LabelReader(ocr_settings(barcodes=False), engines=[Collector()]).read(page)
    assert raw.darwin_core()["recordedBy"] == calibrated.darwin_core()["recordedBy"] == "A. Bell"
    for term in ("recordedBy", "recordNumber"):
        line = raw.lines[raw.fields[term].line].confidence  # every line read at 0.95
        expected = load().probability(term, raw.confidences()[term], line)
        assert calibrated.confidences()[term] == expected != raw.confidences()[term]


def test_the_reader_leaves_out_a_collector_less_likely_right_than_the_floor(tmp_path: Path) -> None:
    from herbproc.ocr import LabelReader, ocr_settings
    from herbproc.synth import make_world, render_sheet

    world = {"species": 2, "sheets_per_species": 1, "width": 1000, "height": 1500, "handwriting_share": 0.0}
    page = render_sheet(make_world(world, seed=0), 0).image
    table = tmp_path / "doubtful.json"
    table.write_text(json.dumps({"overall": {"recordedBy": 0.3}, "shares": {}}))

    def read(floor: float) -> dict[str, str]:
        settings = ocr_settings(field_calibration=str(table), min_field_probability=floor, barcodes=False)
        return LabelReader(settings, engines=[Collector()]).read(page).darwin_core()

    assert read(0.5)["recordedBy"] == "" and read(0.0)["recordedBy"] == "A. Bell"
    assert read(0.5)["recordNumber"] == read(0.0)["recordNumber"] == "1234"  # not in that table: kept


def bench_json(path: Path, setting: object, sheets: list[tuple[dict, dict, dict]]) -> Path:
    rows = [{"image": f"s{k}.jpg", "truth": t, "predicted": p, "field_confidences": c} for k, (t, p, c) in
            enumerate(sheets)]  # fmt: skip
    path.write_text(json.dumps([{"set": "dev", "field_calibration": setting, "per_sheet": rows}]))
    return path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(BENCH), *args], capture_output=True, text=True, timeout=120)


SHEETS = [
    ({"county": "Swain", "locality": "Elm Gap"}, {"county": "Swain", "locality": "Elm Gap"},
     {"county": 0.8, "locality": 0.6}),
    ({"county": "Swain", "locality": "Elm Gap"}, {"county": "Swain", "locality": "Gap"},
     {"county": 0.8, "locality": 0.6}),
    ({"county": "", "locality": "Oak Hill"}, {"county": "Knox", "locality": ""}, {"county": 0.8}),
]  # fmt: skip


def test_fieldcal_fits_a_table_on_raw_confidences_and_reports_how_it_holds(tmp_path: Path) -> None:
    out = tmp_path / "table.json"
    proc = run("fit", str(bench_json(tmp_path / "raw.json", "off", SHEETS)), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    cal = load(str(out))
    assert cal.overall == {"county": pytest.approx(3 / 5), "locality": pytest.approx(2 / 4)}
    assert cal.shares["county"][0.8] == pytest.approx((2 + 5 * 0.6) / 8, abs=1e-4)  # Swain twice, Knox wrong
    proc = run("report", str(bench_json(tmp_path / "cal.json", "default", SHEETS)))
    assert proc.returncode == 0, proc.stderr
    assert (
        "0.7–0.9: 2/3 (mean 0.80); calibration error 0.120; Brier 0.2480" in proc.stdout
        and "locality       0.5–0.7: 1/2 (mean 0.60)" in proc.stdout
    )


def test_fieldcal_takes_only_the_name_from_a_set_read_without_a_taxonomy(tmp_path: Path) -> None:
    named = [({**t, "scientificName": "Carex alba"}, {**p, "scientificName": "Carex alha"},
              {**c, "scientificName": 0.56}) for t, p, c in SHEETS]  # fmt: skip
    plain = bench_json(tmp_path / "raw.json", "off", SHEETS)
    without = bench_json(tmp_path / "nn.json", "off", named)
    sets = json.loads(without.read_text())
    sets[0]["taxonomy"] = False
    without.write_text(json.dumps(sets))
    out = tmp_path / "table.json"
    assert run("fit", str(plain), str(without), "--out", str(out)).returncode == 0
    cal = load(str(out))
    assert cal.overall["scientificName"] == pytest.approx(1 / 5)  # three names, all wrong
    assert cal.overall["county"] == pytest.approx(3 / 5)  # the county of the plain set only


GARBLED = [
    ({"locality": "Elm Gap"}, {"locality": "lemestone bluff, Elm Gap"}, {"locality": 0.6}),
    ({"locality": "Elm Gap"}, {"locality": "Elm Gap, in rich woods"}, {"locality": 0.6}),
    ({"locality": "Oak Hill"}, {"locality": "Oak Hill"}, {"locality": 0.6}),
]  # fmt: skip


def test_fieldcal_fits_only_the_word_shifts_on_a_table_it_keeps(tmp_path: Path) -> None:
    kept = tmp_path / "kept.json"
    table = {"fitted_on": "old sets", "overall": {"locality": 0.7}, "shares": {"locality": {"0.60": 0.8}}}
    kept.write_text(json.dumps(table))
    out = tmp_path / "table.json"
    raw = bench_json(tmp_path / "raw.json", "off", GARBLED)
    proc = run("fit", "--word-shifts-only", str(raw), "--shares-from", str(kept), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    cal = load(str(out))
    assert cal.shares == {"locality": {0.6: 0.8}} and cal.overall == {"locality": 0.7}
    assert cal.word_shifts["locality"] < 0
    assert cal.fitted_on.startswith("old sets; word shifts: dev (1 values")  # lemestone
    proc = run("report", str(bench_json(tmp_path / "cal.json", "default", GARBLED)))
    assert "    with an unknown word: 0.5–0.7: 0/1 (mean 0.60)" in proc.stdout
    assert "    without: 0.5–0.7: 1/2 (mean 0.60)" in proc.stdout
    proc = run("fit", str(raw), "--word-shifts-only", "--shares-from", str(tmp_path / "none.json"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not bench/aocr.py's JSON"),
        ('{"set": "dev"}', "a list of sets"),
        ('[{"set": "dev", "field_calibration": "off", "per_sheet": [{"image": "a.jpg"}]}]', "has no truth"),
        (
            '[{"set": "dev", "field_calibration": "default", "per_sheet": []}]',
            "fit needs --ocr field_calibration=off",
        ),
        ('[{"set": "dev", "field_calibration": "off", "per_sheet": []}]', "no scored value"),
    ],
)
def test_fieldcal_refuses_what_it_cannot_fit_on_in_one_line(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "in.json"
    path.write_text(content)
    proc = run("fit", str(path), "--out", str(tmp_path / "t.json"))
    assert proc.returncode == 2 and says in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not (tmp_path / "t.json").exists()
    assert TABLE.is_file()


@pytest.mark.parametrize("value", ["0.9,abc", "0.97,0.9", "1.5"])
def test_fieldcal_refuses_line_edges_that_are_not_rising_numbers_in_one_line(
    tmp_path: Path, value: str
) -> None:
    proc = run("fit", str(bench_json(tmp_path / "raw.json", "off", SHEETS)), "--line-edges", value)
    assert proc.returncode == 2 and "--line-edges" in proc.stderr and "Traceback" not in proc.stderr


def test_fieldcal_fits_the_lines_bins_from_the_reading_confidences_bench_aocr_kept(tmp_path: Path) -> None:
    rows = [{**dict(zip(("truth", "predicted", "field_confidences"), sheet, strict=True)), "image": f"s{k}.jpg",
             "field_line_confidences": {"county": 0.8 if k == 2 else 0.99}} for k, sheet in enumerate(SHEETS)]  # fmt: skip
    path = tmp_path / "raw.json"
    path.write_text(json.dumps([{"set": "dev", "field_calibration": False, "per_sheet": rows}]))
    out = tmp_path / "table.json"
    assert run("fit", str(path), "--out", str(out), "--line-edges", "0.9").returncode == 0
    cal = load(str(out))
    low, high = cal.by_line["county"][0.8]  # Knox, wrong, off a line read at 0.8; Swain twice at 0.99
    assert cal.line_edges == (0.9,) and low < cal.shares["county"][0.8] < high


THUMBNAILS = BENCH.with_name("thumbnails.py")


def test_a_set_is_shrunk_to_thumbnails_with_its_gold_and_names(tmp_path: Path) -> None:
    from PIL import Image

    source = tmp_path / "set"
    (source / "images").mkdir(parents=True)
    (source / "parsed").mkdir()
    (source / "parsed" / "NY_1.csv").write_text("dwc:catalogNumber\n1\n")
    (source / "names.txt").write_text("Carex alba L.\n")
    Image.new("RGB", (3744, 5616), "white").save(source / "images" / "NY_1.jpg")
    proc = subprocess.run([sys.executable, str(THUMBNAILS), str(source), str(tmp_path / "small")],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert Image.open(tmp_path / "small" / "images" / "NY_1.jpg").size == (500, 750)
    assert (tmp_path / "small" / "parsed" / "NY_1.csv").read_text() == "dwc:catalogNumber\n1\n"
    assert (tmp_path / "small" / "names.txt").read_text() == "Carex alba L.\n"


@pytest.mark.parametrize(
    ("layout", "args", "says"),
    [
        ("none", [], "is not a set folder"),
        ("empty", [], "holds no image"),
        ("broken", [], "not an image"),
        ("ok", ["--size", "5"], "--size 5"),
        ("same", [], "the target is the source"),
    ],
)
def test_thumbnails_refuse_what_they_cannot_shrink_in_one_line(tmp_path: Path, layout: str, args, says: str):
    source = tmp_path / "set"
    if layout != "none":
        (source / "images").mkdir(parents=True)
        (source / "parsed").mkdir()
    if layout == "broken":
        (source / "images" / "a.jpg").write_bytes(b"not a jpeg")
    if layout in ("ok", "same"):
        from PIL import Image

        Image.new("RGB", (100, 100)).save(source / "images" / "a.jpg")
    target = source if layout == "same" else tmp_path / "small"
    proc = subprocess.run([sys.executable, str(THUMBNAILS), str(source), str(target), *args],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and says in proc.stderr and "Traceback" not in proc.stderr


def test_the_real_download_profiles_leave_out_fields_less_likely_right_than_wrong(tmp_path: Path) -> None:
    from herbproc.config import compose

    def floor(*extra: str) -> float:
        cfg = compose(["stage=ocr", f"run_dir={tmp_path}", *extra], check_inputs=False)
        return float(cfg.ocr.min_field_probability)

    assert floor() == 0.0  # the synthetic demo's labels read better than real ones: the table is not theirs
    assert floor("data=gbif") == floor("data=gbif_small") == 0.5


def test_the_small_real_download_profile_reads_names_without_its_tiny_classifier(tmp_path: Path) -> None:
    from herbproc.config import compose

    def prior(*extra: str) -> bool:
        return bool(compose(["stage=ocr", f"run_dir={tmp_path}", *extra], check_inputs=False).ocr.use_prior)

    assert prior() and prior("data=gbif")  # a pretrained ViT-B/16's top-k is a prior worth having
    assert not prior("data=gbif_small")  # no gain on real sheets (docs/benchmarks.md, bench/pipeline_real.py)
    assert prior("data=gbif_small", "ocr.use_prior=true")
