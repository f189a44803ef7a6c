"""Phenology targets from the records (herbproc.fields.condition_targets): known, unknown, sterile; truth files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from herbproc.fields.condition_targets import (
    LABELS,
    label_counts,
    label_table,
    manifest_targets,
    record_states,
    row_targets,
    targets_of,
    truth_table,
    unknown_texts,
)
from herbproc.phenology import parse_condition
from herbproc.synthetic.names import CONDITION_WORDS

NAN = float("nan")


def manifest(conditions: list[object], **extra) -> pd.DataFrame:
    n = len(conditions)
    return pd.DataFrame(
        {
            "gbifID": [str(100 + i) for i in range(n)],
            "row": list(range(n)),
            "split": ["train"] * n,
            "reproductiveCondition": conditions,
            **extra,
        }
    )


def same(a, b) -> bool:
    return np.array_equal(np.asarray(a, dtype=float), np.asarray(b, dtype=float), equal_nan=True)


def test_every_condition_the_synthetic_world_writes_is_understood():
    for key, texts in CONDITION_WORDS.items():
        for text in texts:
            assert parse_condition(text) == frozenset(key), text


@pytest.mark.parametrize(
    ("states", "unstated", "expected"),
    [
        (None, LABELS, [NAN, NAN, NAN]),
        (frozenset(), LABELS, [0, 0, 0]),
        (frozenset({"flowers"}), LABELS, [1, 0, 0]),
        (frozenset({"flowers", "buds"}), LABELS, [1, 0, 1]),
        (frozenset({"flowers"}), ("fruits",), [1, 0, NAN]),  # unstated buds stay unknown
        (frozenset({"fruits"}), (), [NAN, 1, NAN]),
        (frozenset(), (), [0, 0, 0]),  # sterile is a statement about all three
    ],
)
def test_targets_of_a_stated_condition(states, unstated, expected):
    assert same(targets_of(states, unstated), expected)


def test_label_table_keeps_unknown_as_unknown():
    m = manifest(["fl.", "fr. & buds", "sterile", "", None, "unknown", "spores", "no flowers or fruits"])
    t = label_table(m)
    assert list(t.columns) == ["gbifID", "row", "split", "condition", *LABELS, "source"]
    values = t[list(LABELS)].to_numpy()
    assert same(values[0], [1, 0, 0]) and same(values[1], [0, 1, 1]) and same(values[2], [0, 0, 0])
    assert np.isnan(values[3:7]).all(), (
        "empty, missing, 'unknown' and not understood: unknown, never negative"
    )
    assert same(values[7], [0, 0, 0])
    assert t["condition"].tolist()[3:5] == ["", ""]
    counts = label_counts(t)
    assert counts["none_known"] == 4 and counts["known"]["flowers"] == 4 and counts["positive"]["fruits"] == 1
    assert counts["empty_or_unknown_marker"] == 3
    assert unknown_texts(m) == {"spores": 1}


def test_other_hint_columns_fill_in_for_an_empty_condition():
    m = manifest(["", "", "in flower"])
    m["dynamicProperties"] = ['{"phenology": "in fruit"}', "sex=female", '{"phenology": "sterile"}']
    values = label_table(m)[list(LABELS)].to_numpy()
    assert same(values[0], [0, 1, 0]) and np.isnan(values[1]).all() and same(values[2], [1, 0, 0])
    assert record_states({"reproductiveCondition": "  ", "phenology": "buds"}) == frozenset({"buds"})


def test_free_text_remarks_give_labels_where_the_record_states_none():
    m = manifest(["", "", "", "fr.", ""])
    m["occurrenceRemarks"] = ["Shrub 2 m; flowers white", "Coll. no. 45, in fruit", "St. John river, Fl.", "",
                              "leaves only"]  # fmt: skip
    m["fieldNotes"] = ["", "", "in flower", "in flower", ""]
    t = label_table(m)
    values = t[list(LABELS)].to_numpy()
    # free text says what is there, not what is absent: unstated labels stay unknown (not negatives)
    assert values[0][0] == 1 and np.isnan(values[0][1:]).all()
    assert values[1][1] == 1 and np.isnan(values[1][[0, 2]]).all()
    assert values[2][0] == 1, "St. and Fl. (a place) are not read from free text; fieldNotes' 'in flower' is"
    assert same(values[3], [0, 1, 0]), "reproductiveCondition comes first"
    assert same(values[4], [0, 0, 0])
    assert t["source"].tolist() == ["occurrenceRemarks", "occurrenceRemarks", "fieldNotes",
                                    "reproductiveCondition", "occurrenceRemarks"]  # fmt: skip
    assert label_counts(t)["sources"] == {"occurrenceRemarks": 3, "fieldNotes": 1, "reproductiveCondition": 1}


def test_row_targets_follow_the_store_rows_and_mask_unknowns():
    m = manifest(["fl.", "", "fr."])
    m["row"] = [2, 0, 1]  # manifest order is not store order
    targets, known = row_targets(label_table(m), 4)
    assert targets.shape == known.shape == (4, 3) and targets.dtype == np.float32
    assert same(targets[2], [1, 0, 0]) and known[2].all()
    assert not known[0].any() and not targets[0].any(), "unknown: masked, target 0 (never read)"
    assert same(targets[1], [0, 1, 0]) and not known[3].any(), "a store row without a manifest row: unknown"
    with pytest.raises(ValueError, match="outside the store"):
        row_targets(label_table(m), 2)


def test_bad_inputs_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="manifest"):
        manifest_targets(tmp_path / "manifest.parquet", 3)
    with pytest.raises(ValueError, match="gbifID / row"):
        label_table(pd.DataFrame({"reproductiveCondition": ["fl."]}))
    with pytest.raises(ValueError, match="phenology.unstated_negative"):
        label_table(manifest(["fl."]), ["leaves"])
    m = manifest(["fl."])
    m.to_parquet(tmp_path / "manifest.parquet")
    targets, known = manifest_targets(tmp_path / "manifest.parquet", 1, ["fruits"])
    assert same(targets[0], [1, 0, 0]) and known[0].tolist() == [True, True, False]


def test_a_manifest_without_condition_columns_is_all_unknown():
    m = manifest(["x"]).drop(columns=["reproductiveCondition"])
    t = label_table(m)
    assert np.isnan(t[list(LABELS)].to_numpy()).all() and t["condition"].tolist() == [""]
    assert unknown_texts(m) == {}


def test_truth_table_reads_the_synthetic_truth_and_skips_broken_files(tmp_path):
    assert truth_table(tmp_path) is None
    folder = tmp_path / "synth" / "truth"
    folder.mkdir(parents=True)
    (folder / "1.json").write_text(
        json.dumps({"phenology": {"flowers": True, "fruits": False, "buds": True}})
    )
    (folder / "2.json").write_text(
        json.dumps({"phenology": {"flowers": False, "fruits": True, "buds": False}})
    )
    (folder / "3.json").write_text("{torn")
    t = truth_table(tmp_path)
    assert t["gbifID"].tolist() == ["1", "2"] and t["flowers"].tolist() == [True, False]
    assert truth_table(tmp_path, ["2"])["fruits"].tolist() == [True]
