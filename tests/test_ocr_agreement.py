"""herbproc.ocr.agreement: a value read against the record's own, term by term, and the tally of a shard."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from herbproc.ocr.agreement import COLUMNS, Agreement, agrees

_spec = importlib.util.spec_from_file_location(
    "agreement_gold", Path(__file__).resolve().parents[1] / "bench" / "agreement_gold.py"
)
agreement_gold = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(agreement_gold)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("term", "record", "read", "code"),
    [
        ("scientificName", "Carex crinita Lam.", "Carex crinita", ""),  # authorship or not
        ("scientificName", "Carex crinita var. brevicrinis Fernald", "Carex crinita", ""),  # one says more
        ("scientificName", "Carex crinita Lam.", "Carex crinita var. brevicrinis", ""),
        ("recordedBy", "Fernald, M. L.; Long, B.", "M. L. Fernald | Bayard Long", ""),  # surname first
        # a remark after the collectors: who sent the specimen is not its first collector
        ("recordedBy", "H. H. & G. W. SMITH. COMM. F. D. GODMAN, F.R.S.", "H. H. & G. W. Smith", ""),
        ("recordedBy", "S. Y. Hu", "S.Y. Hu", ""),  # a surname of two letters
        ("recordedBy", "N. L. BRITTON ARTHUR HOLLICK", "N.L. Britton | Arthur Hollick", ""),  # no separator
        ("recordedBy", "N.L. BRITTON AND J.F. COWELL", "N. L. Britton | J. F. Cowell", ""),
        ("eventDate", "1912-06-12T00:00:00", "1912-06-12", ""),  # a database's time of day
        ("eventDate", "1912-06-12", "12 June 1912", ""),
        ("eventDate", "1912-06", "1912-06-12", ""),  # a database's month holds the label's day
        ("eventDate", "1912", "1912-06-12", ""),
        ("eventDate", "1912-06-12/1912-06-15", "1912-06-14", ""),  # an interval
        ("eventDate", "1912-06-12/15", "1912-06-12", ""),  # its end written short
        ("eventDate", "1912-06-12T10:00:00/1912-06-12T12:00:00", "1912-06-12", ""),
        ("eventDate", "1912-06-12", "1912-06", ""),  # a day read as its month only
        ("country", "US", "US", ""),
        ("stateProvince", "MA", "Massachusetts", "US"),  # by ISO code with the record's country
        ("catalogNumber", "NY00040904", "00040904", ""),  # the institution's prefix
        ("recordNumber", "AB 1234", "1234", ""),  # the collector's initials before the number
        ("recordNumber", "AB1234", "1234", ""),
        ("recordNumber", "No. 1234", "1234", ""),
        ("recordNumber", "L- 305", "305", ""),
        ("recordNumber", "1234", "JS-1234", ""),
        ("recordNumber", "J. Smith 1234", "1234", ""),  # the collector's name
        (
            "locality",
            "Dyer Bay, 4.14 mi SE of center of Steuben.",
            "Dyer Bay 4 14 mi SE of center of Steuben",
            "",
        ),
    ],
)
def test_the_same_thing_written_another_way_agrees(term: str, record: str, read: str, code: str) -> None:
    assert agrees(term, record, read, code)


@pytest.mark.parametrize(
    ("term", "record", "read"),
    [
        ("scientificName", "Carex crinita Lam.", "Carex lurida"),  # a redetermination, or a misreading
        ("scientificName", "Carex crinita var. gynandra", "Carex crinita var. brevicrinis"),  # two varieties
        ("recordedBy", "Fernald, M. L.", "A. S. Pease"),
        ("recordedBy", "S. Y. Hu", "S. Y. Wu"),
        ("eventDate", "1912-06-12", "1912-06-21"),
        ("eventDate", "1912-06-12/1912-06-15", "1912-06-21"),  # outside the interval
        ("eventDate", "1912-06", "1912-07-02"),
        ("eventDate", "1912", "1921"),
        ("stateProvince", "Maine", "Massachusetts"),
        ("recordNumber", "835", "5835"),
        ("recordNumber", "AB 1234", "1235"),
        ("recordNumber", "1234a", "1234"),  # another specimen of the same gathering
        ("recordNumber", "Smith 1234", "1235"),
        ("locality", "Dyer Bay, 4.14 mi SE of center of Steuben.", "Piedra del Aguacate"),
    ],
)
def test_something_else_disagrees(term: str, record: str, read: str) -> None:
    assert not agrees(term, record, read)


def test_a_record_number_of_long_words_without_digits_is_compared_at_once() -> None:
    # the words before a number's digits were once matched word by word, which took minutes on 30 letters
    assert not agrees("recordNumber", "withoutanynumberwrittenontherecordatall " * 3, "1234")
    assert agrees("recordNumber", "Collectorsnumberwrittenoutinfull: 1234", "1234")


def test_a_shard_is_tallied_and_its_disagreements_written() -> None:
    out = io.StringIO()
    agreement = Agreement(csv.writer(out))
    read = pd.DataFrame({
        "gbifID": ["1", "2", "3", "4"],
        "scientificName": ["Carex crinita", "Carex lurida", "Carex crinita", ""],
        "scientificName_confidence": [0.9, 0.8, 0.7, 0.0],
        "recordedBy": ["M. L. Fernald", "", "A. S. Pease", "E. F. Williams"],
        "recordedBy_confidence": [0.9, 0.0, 0.6, 0.5],
    })  # fmt: skip
    records = pd.DataFrame({
        "gbifID": [1, 2, 3, 5],  # the manifest's ids as numbers: compared as text; 5 was not read
        "scientificName": ["Carex crinita Lam.", "Carex L.", "Carex crinita", "Carex lurida"],
        "recordedBy": ["Fernald, M. L.", "M. L. Fernald", None, "A. S. Pease"],
    })  # fmt: skip
    agreement.add(read, records)
    assert agreement.summary() == {
        "scientificName": {"compared": 2, "agree": 2, "rate": 1.0},  # 2 names only a genus, 4 read nothing
        "recordedBy": {"compared": 1, "agree": 1, "rate": 1.0},  # 2 read nothing, 3's record has none
    }
    assert out.getvalue() == ""  # no disagreement yet
    agreement.add(read.assign(recordedBy=["B. Long", "", "", ""]), records)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["1", "recordedBy", "Fernald, M. L.", "B. Long", "0.9000"]]
    assert agreement.summary()["recordedBy"] == {"compared": 2, "agree": 1, "rate": 0.5}
    assert len(COLUMNS) == len(rows[0])


def test_the_agreement_bench_runs_small_and_refuses_bad_sizes() -> None:
    import ast
    import subprocess
    import sys
    from pathlib import Path

    bench = Path(__file__).resolve().parents[1] / "bench" / "agreement.py"
    done = subprocess.run([sys.executable, str(bench), "--records", "300", "--shard", "100"],
                          capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "us per record" in done.stdout and "x); a million" in done.stdout
    rates = ast.literal_eval(done.stdout.splitlines()[-1])  # the bench's dict of rates
    assert set(rates) == {"scientificName", "recordedBy", "recordNumber", "eventDate", "country", "stateProvince",
                          "county", "locality", "catalogNumber"}  # fmt: skip
    assert all(0.75 <= r <= 0.97 for r in rates.values())  # one value in ten was changed, and each is seen
    bad = subprocess.run(
        [sys.executable, str(bench), "--records", "0"], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 2 and "at least 1" in bad.stderr and "Traceback" not in bad.stderr


def test_the_reports_first_disagreements_survive_a_missing_empty_or_cut_file(tmp_path) -> None:
    from herbproc.ocr.report import first_disagreements

    path = tmp_path / "disagreements.csv"
    assert first_disagreements(path, 5) == []  # not written (an OCR stage before this one)
    path.write_bytes(b"")
    assert first_disagreements(path, 5) == []
    path.write_text(
        'gbifID,term,record,read,confidence\n1,recordedBy,Fernald,Pease,0.9\n2,locality,"Near', "utf-8"
    )
    assert (
        first_disagreements(path, 5) == []
    )  # cut short in a quoted field: the report shows none, and is written


def test_the_worklist_bench_counts_misreadings_flagged_and_right_readings_flagged(tmp_path) -> None:
    """bench/agreement_gold.py: the gold as the record; a misread date is flagged, a right reading written another
    way is not, an extra co-collector agrees (the first collector is compared), an unreadable gold is left out."""
    sheets = [
        {"truth": {"eventDate": "1936-07-11", "recordedBy": "N. L. BRITTON ARTHUR HOLLICK", "country": "Rep. Dominicana"},
         "predicted": {"eventDate": "1936-07-17", "recordedBy": "N.L. Britton | Arthur Hollick",
                       "country": "Dominican Republic"}},
        {"truth": {"recordedBy": "N. L. Britton", "scientificName": "Vandellia diffusa L. | Lindernia diffusa",
                   "locality": "UNREADABLE"},
         "predicted": {"recordedBy": "N. L. Britton | E. G. Britton", "scientificName": "Lindernia diffusa (L.) Wettst.",
                       "locality": "Near the road"}},
    ]  # fmt: skip
    results = tmp_path / "set.json"
    results.write_text(json.dumps([{"set": "dev", "per_sheet": sheets}]), encoding="utf-8")
    counts = agreement_gold.tally(agreement_gold.sheets_of([results]))
    right, flagged, agrees_wrong, right_flagged = agreement_gold.KINDS
    assert counts["eventDate"] == {flagged: 1}
    assert counts["recordedBy"] == {right: 1, agrees_wrong: 1}
    assert counts["country"] == {right: 1} and counts["scientificName"] == {right: 1}
    assert not counts["locality"] and not any(c[right_flagged] for c in counts.values())
    script = Path(agreement_gold.__file__)
    run = subprocess.run(
        [sys.executable, str(script), str(results)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0 and "misreadings flagged: 1/2; flags that are misreadings: 1/1" in run.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not the JSON of bench/aocr.py"), ('[{"set": "dev"}]', "not the JSON of bench/aocr.py"),
     ('[{"set": "dev", "per_sheet": []}]', "no sheet in")],
)  # fmt: skip
def test_the_worklist_bench_refuses_what_is_not_bench_aocr_output(
    tmp_path, content: str, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    script = Path(agreement_gold.__file__)
    run = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0 and message in run.stderr and "Traceback" not in run.stderr
