"""The OCR stage's tables built a shard and a batch at a time: journal_table keeps each item's last ok data
when its latest entry is ok, in manifest order; write_occurrences streams results.parquet into the same CSV the
whole table gives."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest

from herbproc.ocr.results import journal_table, occurrences, results_table, write_occurrences


def record(name: str, confidence: float = 0.9, remark: str = "") -> dict:
    return {
        "width": 500, "height": 750, "status": "ok", "engine": "ppocr",
        "lines": [{"label": 0, "line": 0, "box": [1, 2, 3, 4], "polygon": [[1, 2], [3, 2], [3, 4], [1, 4]],
                   "text": name, "confidence": 0.9, "engine": "ppocr",
                   "readings": [{"text": name, "confidence": 0.9, "engine": "ppocr"}]}],
        "fields": {"scientificName": name, "recordNumber": "12"},
        "confidence": {"scientificName": confidence, "recordNumber": 0.4},
        "taxon_ocr": {"name": name, "confidence": 0.5}, "prior_used": False,
        "taxon_source": "label" if name else "", "identificationRemarks": remark,
    }  # fmt: skip


def test_journal_table_keeps_the_latest_ok_in_manifest_order():
    entries = [
        {"id": "c", "status": "inflight"},
        {"id": "c", "status": "ok", "data": record("Carex one")},
        {"id": "a", "status": "ok", "data": record("Alnus old")},
        {"id": "b", "status": "ok", "data": record("Betula")},
        {"id": "b", "status": "lost"},  # its output vanished: not finished any more
        {"note": "no id"},
        {"id": "a", "status": "held"},
        {"id": "a", "status": "ok", "data": record("Alnus new")},  # run again: the last ok counts
        {"id": "z", "status": "ok", "data": record("Zea")},  # not in this shard's manifest rows
        {"id": "d", "status": "failed", "reason": "decode_error"},
    ]
    position = {"a": 10, "b": 11, "c": 12, "d": 13}
    for chunk in (1, 2, 100):
        table = journal_table(iter(entries), position, chunk=chunk)
        assert table.column("gbifID").to_pylist() == ["a", "c"]
        assert table.column("scientificName").to_pylist() == ["Alnus new", "Carex one"]
        expected = results_table([("a", record("Alnus new")), ("c", record("Carex one"))])
        assert table.equals(expected)
    assert journal_table(iter([{"id": "d", "status": "failed"}]), position).num_rows == 0


@pytest.mark.parametrize("remarks", [False, True])
def test_occurrences_streamed_in_batches_match_the_whole_table(tmp_path, remarks):
    names = ["Carex crinita Lam.", "", 'Quercus "alba", L.', "Acer\trubrum", "Salix"]
    table = results_table([(str(i), record(n, 0.3 + 0.15 * i, f"remark {i}")) for i, n in enumerate(names)])
    parquet = tmp_path / "results.parquet"
    pq.write_table(table, parquet, row_group_size=2)
    whole = io.StringIO()
    occurrences(table, 0.5, remarks=remarks).to_csv(whole, index=False)
    for batch_rows in (1, 2, 1000):
        csv = write_occurrences(
            parquet, tmp_path / "occurrences.csv", 0.5, remarks=remarks, batch_rows=batch_rows
        )
        assert csv.read_text(encoding="utf-8") == whole.getvalue()
    assert "remark 4" in whole.getvalue() if remarks else "remark" not in whole.getvalue()


def test_occurrences_of_an_empty_results_table_is_the_header(tmp_path):
    parquet = tmp_path / "results.parquet"
    pq.write_table(results_table([]), parquet)
    text = write_occurrences(parquet, tmp_path / "occurrences.csv").read_text()
    assert text.splitlines() == [",".join(occurrences(results_table([])).columns)]


def test_report_counts_read_in_batches_match_the_whole_table(tmp_path):
    from herbproc.ocr.report import SHOWN_TERMS, first_rows, read_counts

    records = [(str(i), record(n, 0.2 * i)) for i, n in enumerate(["Carex", "", "Salix", "Acer", ""])]
    records[1][1]["status"] = "no_label"
    records[2][1]["prior_used"] = True
    table = results_table(records)
    parquet = tmp_path / "results.parquet"
    pq.write_table(table, parquet, row_group_size=2)
    whole = table.to_pandas()
    counts = read_counts(parquet, batch_rows=2)
    assert (counts["sheets"], counts["no_label"], counts["with_prior"]) == (5, 1, 1)
    for t in SHOWN_TERMS:
        read = whole[t] != ""
        assert counts["filled"][t] == int(read.sum())
        assert counts["confidence"][t] == pytest.approx(float(whole.loc[read, f"{t}_confidence"].sum()))
    assert counts["filled"]["scientificName"] == 3 and counts["filled"]["recordNumber"] == 5
    assert first_rows(parquet, 3)["gbifID"].tolist() == ["0", "1", "2"]
    assert len(first_rows(parquet, 0)) == 0
