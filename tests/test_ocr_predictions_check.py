"""The launcher's check of a predictions file (herbproc.ocr.inputs.check_predictions): batch by batch, what
load_predictions would refuse, refused in the same words, wherever in the file the bad row is."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from herbproc.ocr.inputs import check_predictions, load_predictions, write_predictions

GOOD = [(str(g), ["Carex crinita", "Carex lurida"], [0.6, 0.3]) for g in range(10)]


def _with_row(tmp_path, bad: tuple, at: int):
    rows = list(GOOD)
    rows.insert(at, bad)
    return pd.DataFrame(rows, columns=["gbifID", "topk_names", "topk_probs"])


def test_a_good_file_is_checked_whole(tmp_path):
    path = write_predictions(tmp_path / "p.parquet", GOOD + [("99", [], []), ("98", ["a"], [1.0])])
    assert check_predictions(path, batch_rows=3) == 12
    assert len(load_predictions(path)) == 12


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (("x", ["a", "b"], [0.5]), "gbifID x: 2 names but 1 probabilities"),
        (("x", ["a"], [-0.1]), "gbifID x: probabilities must be >= 0"),
        (("x", ["a", "b"], [0.7, 0.6]), "gbifID x: probabilities must be >= 0 and sum to at most 1"),
        (("x", ["a"], [math.nan]), "gbifID x: probabilities must be"),
        (("x", ["a"], [math.inf]), "gbifID x: probabilities must be"),
        (("x", ["a"], [None]), "gbifID x: probabilities must be"),
        (("x", None, [0.5]), "gbifID x: 0 names but 1 probabilities"),
        (("x", ["a"], None), "gbifID x: 1 names but 0 probabilities"),
    ],
)
@pytest.mark.parametrize("at", [0, 7, 10])  # the first batch, a middle one, the last row
def test_a_bad_row_is_named_wherever_it_is(tmp_path, bad, words, at):
    path = tmp_path / "bad.parquet"
    _with_row(tmp_path, bad, at).to_parquet(path)
    with pytest.raises(ValueError, match=words):
        check_predictions(path, batch_rows=3)
    with pytest.raises(ValueError, match=words):
        load_predictions(path)


def test_files_that_are_not_predictions(tmp_path):
    with pytest.raises(FileNotFoundError, match="predictions file not found"):
        check_predictions(tmp_path / "none.parquet")
    (tmp_path / "text.parquet").write_text("not parquet")
    with pytest.raises(ValueError, match="cannot read predictions"):
        check_predictions(tmp_path / "text.parquet")
    pd.DataFrame({"gbifID": ["1"], "names": [["a"]]}).to_parquet(tmp_path / "nocols.parquet")
    with pytest.raises(ValueError, match="lacks column"):
        check_predictions(tmp_path / "nocols.parquet")
    pd.DataFrame({"gbifID": ["1"], "topk_names": ["a"], "topk_probs": [0.5]}).to_parquet(
        tmp_path / "flat.parquet"
    )
    with pytest.raises(ValueError, match="cannot read predictions"):
        check_predictions(tmp_path / "flat.parquet")  # names and probabilities that are not lists


def test_an_empty_file_and_a_damaged_one(tmp_path):
    empty = write_predictions(tmp_path / "empty.parquet", [])
    assert check_predictions(empty) == 0
    good = write_predictions(tmp_path / "good.parquet", GOOD * 50)
    data = good.read_bytes()
    damaged = tmp_path / "damaged.parquet"  # the footer intact, the column data overwritten
    damaged.write_bytes(data[:4] + bytes(len(data) // 2) + data[4 + len(data) // 2 :])
    with pytest.raises(ValueError, match="cannot read predictions"):
        check_predictions(damaged)
