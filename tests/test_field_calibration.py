"""Field confidences as probabilities: the table's fit, its file, the setting, the reader and bench/fieldcal.py."""

from __future__ import annotations

import json
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


def test_the_packaged_table_holds_the_scored_terms_and_round_trips() -> None:
    cal = load()
    assert set(cal.overall) == {"recordedBy", "recordNumber", "eventDate", "country", "stateProvince", "county",
                                "locality", "catalogNumber"}  # fmt: skip
    assert all(0.0 < p < 1.0 for p in cal.overall.values()) and "hackathon" in cal.fitted_on
    assert from_json(json.loads(json.dumps(cal.to_json()))) == cal
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
    ],
)
def test_a_broken_table_is_refused_in_one_line(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "table.json"
    path.write_bytes(content)
    with pytest.raises(ValueError) as err:
        load(str(path))
    assert says in str(err.value) and str(path) in str(err.value) and "\n" not in str(err.value)


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
        expected = load().probability(term, raw.confidences()[term])
        assert calibrated.confidences()[term] == expected != raw.confidences()[term]


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
        "0.7–0.9: 2/3 (mean 0.80); calibration error 0.120" in proc.stdout
        and "locality       0.5–0.7: 1/2 (mean 0.60)" in proc.stdout
    )


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
