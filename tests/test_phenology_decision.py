"""The abstain decision (herbproc.phenology.decision) on constructed scores."""

from __future__ import annotations

import math

import numpy as np
import pytest

from herbproc.phenology.decision import (
    at_threshold,
    choose_threshold,
    confidence,
    coverage_curve,
    sheet_correct,
    state_text,
)

NAN = float("nan")


def test_confidence_is_the_probability_of_the_whole_assignment():
    probs = np.array([[0.9, 0.2, 0.5], [0.5, 0.5, 0.5], [1.0, 0.0, 1.0]])
    assert confidence(probs) == pytest.approx([0.9 * 0.8 * 0.5, 0.125, 1.0])


def test_state_text():
    assert state_text([True, True, False]) == "flowers; fruits"
    assert state_text([False, False, False]) == "sterile"
    assert state_text([False, False], ["flowers", "fruits"]) == "no flowers or fruits"
    assert state_text([False, True], ["flowers", "fruits"]) == "fruits"


def test_sheet_correct_scores_only_the_stated_labels():
    probs = np.array([[0.9, 0.1, 0.8], [0.9, 0.1, 0.8], [0.9, 0.1, 0.8], [0.2, 0.2, 0.2]])
    targets = np.array([[1, 0, 0], [1, 0, NAN], [NAN, NAN, NAN], [0, 0, 0]])
    out = sheet_correct(probs, targets)
    assert out[0] == 0 and out[1] == 1 and np.isnan(out[2]) and out[3] == 1


def test_the_threshold_keeps_the_most_sheets_that_reach_the_target():
    # confidences high to low; the 4th (0.7) and the 7th (0.4) are wrong
    conf = np.array([0.99, 0.95, 0.9, 0.7, 0.65, 0.6, 0.4, 0.3])
    correct = np.array([1, 1, 1, 0, 1, 1, 0, 1], dtype=float)
    choice = choose_threshold(conf, correct, 0.8)
    assert choice.threshold == 0.6 and choice.kept == 6 and choice.accuracy == pytest.approx(5 / 6)
    assert choice.coverage == pytest.approx(6 / 8) and choice.scored == 8
    strict = choose_threshold(conf, correct, 0.95)
    assert strict.threshold == 0.9 and strict.kept == 3 and strict.accuracy == 1.0
    everything = choose_threshold(conf, correct, 0.7)
    assert everything.threshold == 0.3 and everything.coverage == 1.0


def test_equal_confidences_are_kept_or_dropped_together():
    conf = np.array([0.9, 0.8, 0.8, 0.8, 0.5])
    correct = np.array([1, 1, 0, 1, 1], dtype=float)
    curve = coverage_curve(conf, correct)
    assert curve["threshold"].tolist() == [0.9, 0.8, 0.5] and curve["kept"].tolist() == [1, 4, 5]
    choice = choose_threshold(conf, correct, 0.9)  # 0.8 would keep 3 of 4 right: below the target
    assert choice.threshold == 0.9 and choice.kept == 1


def test_unscored_sheets_do_not_count_and_an_unreachable_target_abstains_on_all():
    conf = np.array([0.9, 0.8, 0.7])
    correct = np.array([0.0, NAN, 0.0])
    choice = choose_threshold(conf, correct, 0.5)
    assert math.isinf(choice.threshold) and choice.kept == 0 and choice.scored == 2
    assert choice.accuracy is None and choice.to_json()["threshold"] is None
    empty = choose_threshold(np.array([0.9]), np.array([NAN]), 0.95)
    assert math.isinf(empty.threshold) and empty.scored == 0
    with pytest.raises(ValueError, match="phenology.target_accuracy"):
        choose_threshold(conf, correct, 1.5)


def test_the_chosen_threshold_meets_the_target_on_random_scores():
    rng = np.random.default_rng(7)
    for _ in range(20):
        conf = rng.uniform(0.3, 1.0, 200)
        correct = (rng.uniform(size=200) < conf).astype(float)  # more confident, more often right
        choice = choose_threshold(conf, correct, 0.9)
        kept = conf >= choice.threshold
        assert correct[kept].mean() >= 0.9 and kept.sum() == choice.kept
        lower = conf[conf < choice.threshold]
        if len(lower):  # one more threshold down would fall below the target
            assert correct[conf >= lower.max()].mean() < 0.9


def test_at_threshold_reports_coverage_and_accuracy():
    conf = np.array([0.9, 0.8, 0.4, 0.3])
    correct = np.array([1, 0, 1, NAN])
    out = at_threshold(conf, correct, 0.5)
    assert out == {"scored": 3, "kept": 2, "coverage": 2 / 3, "accuracy": 0.5, "accuracy_all": 2 / 3}
    assert at_threshold(conf, correct, math.inf)["accuracy"] is None
