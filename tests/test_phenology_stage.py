"""stage=phenology on small synthetic herbaria: the separate model learns flowers and fruits, the threshold meets
its target, predictions / report / Darwin Core output, resume of a killed training, joint mode, two ranks, bad
settings and inputs."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from synthstore import build_synth_run

from herbproc.config import ConfigError, compose, plain
from herbproc.fields.condition_targets import LABELS, label_table
from herbproc.occurrences import CONDITION, MACHINE, PROBABILITY, RECORD, SOURCE, apply_to_run
from herbproc.phenology import parse_condition
from herbproc.phenology import stage as phenology_stage
from herbproc.phenology import train as phenology_train
from herbproc.phenology.decision import confidence
from herbproc.phenology.files import PROB_COLUMNS
from herbproc.shard import Journal, ShardError, execute_shard
from herbproc.training.checkpoint import load_model

# The CI world: two taxa whose fruits are berries (seed 194), no dark margin around the paper. Synthetic fruits
# have colours that leaves, stems, paper and the mount lack, but in a world of several taxa one taxon's fruit can
# share another's flower colour: spotnet tells organs apart by colour only, spotnet_wide by shape too at ~192 px
# views, slower than a CI budget allows (docs/benchmarks.md). With spotnet on 144 x 96 views, 30 epochs:
# validation flowers 1.0 and fruits 1.0 for training seeds 0-5 (20-26 s each here).
LEARN = [
    "phenology.model=spotnet",
    "phenology.img_size=96",
    "phenology.epochs=30",
    "phenology.batch_size=8",
    "phenology.lr=0.003",
    "phenology.eval_every=5",
    "phenology.workers=0",
    "phenology.checkpoint_every=0",
]
SMALL = [
    "phenology.model=spotnet",
    "phenology.img_size=32",
    "phenology.epochs=3",
    "phenology.batch_size=4",
    "phenology.lr=0.01",
    "phenology.workers=0",
    "phenology.checkpoint_every=4",
    "phenology.min_labels=5",  # the small world has 15 labelled training sheets
]
TINY_IELT = [
    "train.model=tiny",
    "train.resize=32",
    "train.batch_size=4",
    "train.epochs=2",
    "train.optimizer=sgd",
    "train.lr=0.05",
    "train.lr_batch=0",
    "train.workers=0",
    "train.checkpoint_every=0",
]


def config(run: Path, stage: str, *overrides: str):
    return plain(
        compose([f"stage={stage}", f"run_dir={run}", "stage.cpus=1", "progress_interval_s=5", *overrides])
    )


def copy_run(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True)
    for name in ("manifest.parquet", "classes.csv"):
        shutil.copyfile(src / name, dst / name)
    for name in ("store", "synth"):
        if (src / name).exists():
            shutil.copytree(src / name, dst / name)
    return dst


def steps(run: Path) -> list[dict[str, str]]:
    with open(run / "phenology" / "train" / "steps.csv", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def learned(tmp_path_factory) -> Path:
    run = build_synth_run(tmp_path_factory.mktemp("phen") / "run", species=2, sheets_per_species=60,
                          canvas=(144, 96), seed=194, truth=True, synth={"background_margin": 0})  # fmt: skip
    execute_shard(config(run, "phenology", *LEARN), 0)
    return run


@pytest.fixture(scope="module")
def small_world(tmp_path_factory) -> Path:
    return build_synth_run(tmp_path_factory.mktemp("phen_small") / "base", species=2, sheets_per_species=12,
                           canvas=(48, 32), seed=3)  # fmt: skip


# --------------------------------------------------------------------------------------------- learning


def test_the_separate_model_learns_flowers_and_fruits(learned):
    summary = json.loads((learned / "phenology" / "summary.json").read_text())
    val = summary["splits"]["val"]["per_label"]
    assert val["flowers"] >= 0.9 and val["fruits"] >= 0.9, val
    truth = summary["truth"]["all"]["per_label"]  # every sheet, against what is drawn
    assert truth["flowers"] >= 0.9 and truth["fruits"] >= 0.85, truth
    metrics = json.loads((learned / "phenology" / "train" / "metrics.json").read_text())
    assert len(metrics["epochs"]) == 30 and metrics["best"]["val_acc"] >= 0.85
    assert metrics["model"]["preset"] == "spotnet" and (
        metrics["model"]["height"],
        metrics["model"]["width"],
    ) == (
        144,
        96,
    )
    evaluated = [e for e in metrics["epochs"] if e["val_acc"] is not None]
    assert len(evaluated) == 6 and all(e["val_acc_flowers"] is not None for e in evaluated)
    assert metrics["epochs"][-1]["train_loss"] < 0.6 * metrics["epochs"][0]["train_loss"]
    assert len(steps(learned)) == metrics["epochs"][-1]["steps"]
    header = (learned / "phenology" / "train" / "metrics.csv").read_text().splitlines()[0]
    assert header.startswith("epoch,steps,train_loss,train_acc,val_loss,val_acc,val_acc_flowers")
    manifest = pd.read_parquet(learned / "manifest.parquet")
    known_train = label_table(manifest).query("split == 'train'")[list(LABELS)].notna().any(axis=1).sum()
    assert metrics["train_images"] == known_train < (manifest["split"] == "train").sum(), (
        "only sheets whose record states a label are trained on"
    )


def test_the_threshold_meets_its_target_on_validation(learned):
    summary = json.loads((learned / "phenology" / "summary.json").read_text())
    threshold = summary["threshold"]
    assert threshold["target"] == 0.95 and threshold["threshold"] is not None
    table = pd.read_parquet(learned / "phenology" / "predictions.parquet")
    labels = label_table(pd.read_parquet(learned / "manifest.parquet")).set_index("gbifID")
    val = table[table["split"] == "val"].set_index("gbifID")
    targets = labels.loc[val.index, ["flowers", "fruits"]]
    scored = targets.notna().all(axis=1)  # synthetic records state all or nothing
    kept = scored & (val["confidence"] >= threshold["threshold"])
    right = (val.loc[kept, ["flowers", "fruits"]].to_numpy() == (targets[kept].to_numpy() == 1)).all(axis=1)
    assert right.mean() >= 0.95 and kept.sum() == threshold["kept"], "recomputed from the table"
    assert kept.sum() / scored.sum() >= 0.5, "most validation sheets are predicted, not abstained on"
    assert (table["abstain"] == (table["confidence"] < threshold["threshold"])).all()
    test = summary["splits"]["test"]
    assert test["coverage"] > 0.4 and test["accuracy"] >= 0.85, test


def test_predictions_table_covers_every_sheet(learned):
    table = pd.read_parquet(learned / "phenology" / "predictions.parquet")
    manifest = pd.read_parquet(learned / "manifest.parquet")
    assert list(table.columns) == ["gbifID", "row", "split", "p_flowers", "p_fruits", "p_buds", "flowers", "fruits",
                                   "buds", "state", "confidence", "abstain", "record_condition", "record_state"]  # fmt: skip
    assert sorted(table["gbifID"]) == sorted(manifest["gbifID"]) and table["row"].is_monotonic_increasing
    probs = table[["p_flowers", "p_fruits", "p_buds"]].to_numpy()
    assert ((probs >= 0) & (probs <= 1)).all()
    assert (table["flowers"] == (table["p_flowers"] >= 0.5)).all()
    assert np.allclose(table["confidence"], confidence(probs[:, :2]))
    for state, fl, fr in zip(table["state"], table["flowers"], table["fruits"], strict=True):
        assert parse_condition(state) == frozenset(n for n, on in (("flowers", fl), ("fruits", fr)) if on)
    by_id = manifest.set_index("gbifID")["reproductiveCondition"]
    assert (table["record_condition"] == by_id.loc[table["gbifID"]].to_numpy()).all()
    summary = json.loads((learned / "phenology" / "summary.json").read_text())
    assert summary["labels_from_records"]["rows"] == len(manifest)
    assert summary["labels_from_records"]["none_known"] == (table["record_state"] == "").sum() > 0
    unknown = pd.read_csv(learned / "phenology" / "unknown_conditions.csv")
    assert list(unknown.columns) == ["reproductiveCondition", "count"]
    assert summary["unknown_conditions"]["records"] == unknown["count"].sum()


def test_report_section_shows_the_curve_and_sheets_per_state(learned, tmp_path):
    section = phenology_stage.report_section(config(learned, "phenology", *LEARN), tmp_path)
    assert "phenology_coverage.png" in section and (tmp_path / "phenology_coverage.png").stat().st_size > 1000
    assert "Threshold for 95%" in section and "ground truth" in section
    states = (
        pd.read_parquet(learned / "phenology" / "predictions.parquet").query("~abstain")["state"].unique()
    )
    for state in states:
        assert list(tmp_path.glob(f"phenology_{state.replace('; ', '+')}_*.jpg")), state
    assert "Example sheets per predicted state" in section
    table = label_table(pd.read_parquet(learned / "manifest.parquet"))
    n = int(table[list(LABELS)].notna().any(axis=1).sum())
    assert 0 < n < len(table) and f"read from reproductiveCondition {n}." in section, "how many, and where from"


# --------------------------------------------------------------------------------------------- Darwin Core


def occurrences(run: Path, ids: list[str]) -> Path:
    path = run / "ocr" / "occurrences.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"gbifID": ids, "scientificName": ["X y"] * len(ids), "locality": [""] * len(ids)}).to_csv(
        path, index=False
    )
    return path


def check_filled(run: Path, path: Path) -> pd.DataFrame:
    occ = pd.read_csv(path, dtype=str, keep_default_na=False)
    pred = pd.read_parquet(run / "phenology" / "predictions.parquet").set_index("gbifID")
    assert occ.columns[0] == "gbifID" and list(occ.columns[-3:]) == [CONDITION, SOURCE, PROBABILITY]
    assert (occ["scientificName"] == "X y").all(), "the OCR's columns are left as they are"
    for _, row in occ.iterrows():
        p = pred.loc[row["gbifID"]]
        if not p["abstain"]:
            assert (
                row["reproductiveCondition"] == f"{p['state']} (machine-predicted, p={p['confidence']:.2f})"
            )
            assert row[SOURCE] == MACHINE and float(row[PROBABILITY]) == pytest.approx(
                p["confidence"], abs=1e-4
            )
        else:
            said = p["record_condition"].strip()
            assert row["reproductiveCondition"] == said and row[SOURCE] == (RECORD if said else "")
            assert row[PROBABILITY] == ""
    assert (occ[SOURCE] == MACHINE).sum() == (~pred["abstain"]).sum()
    return occ


def test_occurrences_filled_when_phenology_finishes_last(learned, tmp_path):
    run = copy_run(learned, tmp_path / "run")
    shutil.copytree(learned / "phenology", run / "phenology")
    ids = pd.read_parquet(run / "manifest.parquet")["gbifID"].tolist()
    path = occurrences(run, ids)
    phenology_stage.finalize(config(run, "phenology", *LEARN))
    occ = check_filled(run, path)
    assert list(occ.columns[:3]) == ["gbifID", "scientificName", "locality"]
    before = path.read_bytes()
    apply_to_run(run)
    phenology_stage.finalize(config(run, "phenology", *LEARN))
    assert path.read_bytes() == before, "applying it again changes nothing"
    phenology_stage.finalize(config(run, "phenology", *LEARN, "phenology.threshold=1.0"))
    occ = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert (occ[SOURCE] != MACHINE).all(), "all abstained: the record's own text or nothing"
    assert (occ["reproductiveCondition"] != "").any() and (occ[SOURCE] == RECORD).any()


def test_occurrences_filled_when_ocr_finishes_last(learned, tmp_path):
    from herbproc.ocr import stage as ocr_stage

    run = copy_run(learned, tmp_path / "run")
    shutil.copytree(learned / "phenology", run / "phenology")
    ids = pd.read_parquet(run / "manifest.parquet")["gbifID"].tolist()
    journal = Journal(run / "state" / "ocr" / "shards" / "shard-00000.items.jsonl")
    for gid in ids:  # what OCR shards keep per sheet (herbproc.ocr.results.results_row)
        journal.append({"id": gid, "status": "ok", "data": {"fields": {"scientificName": "X y"},
                                                             "confidence": {"scientificName": 0.9}}})  # fmt: skip
    journal.close()
    cfg = plain(compose(["stage=ocr", f"run_dir={run}", "shards=1"], check_inputs=False))
    ocr_stage.finalize(cfg)
    occ = check_filled(run, run / "ocr" / "occurrences.csv")
    assert len(occ) == len(ids) and "reproductiveCondition" in occ.columns


def test_apply_to_run_needs_both_tables_and_refuses_a_foreign_csv(learned, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    assert apply_to_run(run) is None
    shutil.copytree(learned / "phenology", run / "phenology")
    assert apply_to_run(run) is None, "no occurrences.csv yet: nothing to do"
    (run / "ocr").mkdir()
    (run / "ocr" / "occurrences.csv").write_text("id,name\n1,x\n")
    with pytest.raises(ValueError, match="no gbifID column"):
        apply_to_run(run)
    assert (run / "ocr" / "occurrences.csv").read_text() == "id,name\n1,x\n", "left as it was"


# --------------------------------------------------------------------------------------------- resume


def test_a_killed_training_resumes_onto_the_uninterrupted_curve(small_world, tmp_path, monkeypatch):
    reference, run = copy_run(small_world, tmp_path / "ref"), copy_run(small_world, tmp_path / "run")
    execute_shard(config(reference, "phenology", *SMALL), 0)
    n = len(steps(reference))
    assert n >= 8

    real_after = phenology_train.PhenologyTrainer._after_step

    def crash_at_step_7(self, images):
        real_after(self, images)
        if self.global_step == 7:
            raise KeyboardInterrupt("simulated kill")

    monkeypatch.setattr(phenology_train.PhenologyTrainer, "_after_step", crash_at_step_7)
    with pytest.raises(KeyboardInterrupt):
        execute_shard(config(run, "phenology", *SMALL), 0)
    monkeypatch.undo()
    assert not (run / "phenology" / "predictions.parquet").exists()
    assert len(steps(run)) == 7
    execute_shard(config(run, "phenology", *SMALL), 0)
    assert steps(run) == steps(reference), "every step's loss, lr and accuracy equal the uninterrupted run's"
    a = torch.load(run / "phenology" / "train" / "model.pt", weights_only=True)["model"]
    b = torch.load(reference / "phenology" / "train" / "model.pt", weights_only=True)["model"]
    assert all(torch.equal(a[k], b[k]) for k in a)
    got = pd.read_parquet(run / "phenology" / "predictions.parquet")
    want = pd.read_parquet(reference / "phenology" / "predictions.parquet")
    pd.testing.assert_frame_equal(got, want)


# --------------------------------------------------------------------------------------------- joint, ranks


def test_joint_mode_trains_the_head_with_the_species_and_predicts_from_it(small_world, tmp_path):
    run = copy_run(small_world, tmp_path / "run")
    with pytest.raises(ConfigError, match="phenology.mode=joint first"):
        compose(["stage=phenology", f"run_dir={run}", "phenology.mode=joint"])
    execute_shard(config(run, "train", *TINY_IELT, "phenology.mode=joint"), 0)
    model, meta = load_model(run / "train" / "model.pt")
    assert meta["multilabel_sizes"] == {"phenology": 3} and "phenology" in model.multilabel
    epochs = json.loads((run / "train" / "metrics.json").read_text())["epochs"]
    assert all(0.0 <= e["val_phenology_acc"] <= 1.0 for e in epochs)
    execute_shard(config(run, "phenology", "phenology.mode=joint", "phenology.workers=0"), 0)
    table = pd.read_parquet(run / "phenology" / "predictions.parquet")
    assert len(table) == 24 and table["p_flowers"].between(0, 1).all()
    assert not (run / "phenology" / "train").exists(), "joint mode trains nothing of its own"
    summary = json.loads((run / "phenology" / "summary.json").read_text())
    assert summary["mode"] == "joint" and summary["model_file"].endswith("train/model.pt")

    plain_run = copy_run(small_world, tmp_path / "plain")
    execute_shard(config(plain_run, "train", *TINY_IELT, "train.epochs=1"), 0)
    assert load_model(plain_run / "train" / "model.pt")[1]["multilabel_sizes"] == {}
    with pytest.raises(ShardError, match="no phenology head"):
        execute_shard(config(plain_run, "phenology", "phenology.mode=joint", "phenology.workers=0"), 0)


def test_two_ranks_train_and_predict_their_shares(small_world, tmp_path):
    run = copy_run(small_world, tmp_path / "run")
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "-m",
           "herbproc.ielt.run", "stage=phenology", f"run_dir={run}", "stage.cpus=1", *SMALL,
           "phenology.epochs=2"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=240, cwd=run, start_new_session=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rank 1/2" in proc.stderr
    rows = steps(run)
    assert rows and {r["images"] for r in rows} == {"8"}, "2 ranks x batch 4 per step"
    parts = sorted(p.name for p in (run / "phenology" / "parts").iterdir())
    assert parts == ["part-00000-of-00002.parquet", "part-00001-of-00002.parquet"]
    table = pd.read_parquet(run / "phenology" / "predictions.parquet")
    assert sorted(table["gbifID"]) == sorted(pd.read_parquet(run / "manifest.parquet")["gbifID"])
    assert (run / "state" / "phenology" / "shards" / "shard-00000.done.json").exists()


# --------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("phenology.mode=both", "phenology.mode"),
        ("phenology.target_accuracy=1.5", "phenology.target_accuracy"),
        ("phenology.threshold=2", "phenology.threshold"),
        ("phenology.state_labels=[leaves]", "phenology.state_labels"),
        ("phenology.state_labels=[]", "phenology.state_labels"),
        ("phenology.unstated_negative=[seeds]", "phenology.unstated_negative"),
        ("phenology.model=resnet_9000", "phenology.model"),
        ("phenology.pretrained=/nonexistent/w.safetensors", "phenology.pretrained"),
        ("phenology.checkpoint=/nonexistent/model.pt", "phenology.checkpoint"),
        ("phenology.img_size=8", "phenology.img_size"),
        ("phenology.optimizer=lion", "phenology.optimizer"),
        ("phenology.epochs=0", "phenology.epochs"),
        ("phenology.min_labels=-1", "phenology.min_labels"),
        ("phenology.lr=0", "phenology.lr"),
        ("phenology.colour=1", "unknown key 'phenology.colour'"),
        ("train.device=tpu", "train.device"),
    ],
)
def test_bad_settings_are_one_clear_error(small_world, override, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        compose(["stage=phenology", f"run_dir={small_world}", override])


def test_missing_inputs_are_refused_before_anything_runs(small_world, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="stage=ingest"):
        compose(["stage=phenology", f"run_dir={empty}"])
    shutil.copyfile(small_world / "manifest.parquet", empty / "manifest.parquet")
    with pytest.raises(ConfigError, match="stage=download"):
        compose(["stage=phenology", f"run_dir={empty}"])
    assert sorted(p.name for p in empty.iterdir()) == ["manifest.parquet"], "nothing written"


def strip_conditions(run: Path, keep: int = 0) -> None:
    """Records without a stated phenology (as in most real downloads), but for the first ``keep`` train rows."""
    manifest = pd.read_parquet(run / "manifest.parquet")
    texts = ["", "unknown", "spores"] * (len(manifest) // 3) + [""] * (len(manifest) % 3)
    train = np.flatnonzero((manifest["split"] == "train").to_numpy())[:keep]
    kept = manifest["reproductiveCondition"].to_numpy()[train]
    manifest["reproductiveCondition"] = texts
    manifest.loc[train, "reproductiveCondition"] = kept
    manifest.to_parquet(run / "manifest.parquet", index=False)


def test_records_without_any_condition_skip_the_stage_with_the_reason(small_world, tmp_path):
    run = copy_run(small_world, tmp_path / "run")
    strip_conditions(run)
    result = execute_shard(config(run, "phenology", *SMALL), 0)
    assert "0 training sheet(s) whose record states a phenology" in result.extra["skipped"]
    summary = json.loads((run / "phenology" / "summary.json").read_text())
    assert summary["state"] == "skipped" and "phenology.checkpoint" in summary["reason"]
    assert not (run / "phenology" / "predictions.parquet").exists()
    assert not (run / "state" / "phenology" / "shards" / "shard-00000.failed.json").exists()


def test_too_few_labels_under_the_floor_skip_and_strict_fails(small_world, tmp_path):
    run = copy_run(small_world, tmp_path / "run")
    strip_conditions(run, keep=3)
    result = execute_shard(config(run, "phenology", *SMALL, "phenology.min_labels=4"), 0)
    assert "3 training sheet(s)" in result.extra["skipped"] and "min_labels=4" in result.extra["skipped"]
    strict = copy_run(small_world, tmp_path / "strict")
    strip_conditions(strict, keep=3)
    with pytest.raises(ShardError, match="pipeline.strict=true"):
        execute_shard(config(strict, "phenology", *SMALL, "phenology.min_labels=4", "pipeline.strict=true"), 0)
    assert (strict / "state" / "phenology" / "shards" / "shard-00000.failed.json").exists()


def test_a_model_from_another_run_predicts_a_download_without_labels(learned, tmp_path):
    run = copy_run(learned, tmp_path / "run")
    strip_conditions(run)
    model = learned / "phenology" / "train" / "model.pt"
    execute_shard(config(run, "phenology", *LEARN, f"phenology.checkpoint={model}"), 0)
    predictions = pd.read_parquet(run / "phenology" / "predictions.parquet")
    assert len(predictions) == len(pd.read_parquet(run / "manifest.parquet"))
    theirs = json.loads((learned / "phenology" / "summary.json").read_text())["threshold"]["threshold"]
    ours = json.loads((run / "phenology" / "summary.json").read_text())
    assert ours["threshold"]["threshold"] == pytest.approx(theirs), "no labelled validation here: its run's"
    assert ours["labels_from_records"]["none_known"] == len(predictions)
    same_model = pd.read_parquet(learned / "phenology" / "predictions.parquet").set_index("gbifID")
    p = predictions.set_index("gbifID")[PROB_COLUMNS]
    assert np.allclose(p.to_numpy(), same_model.loc[p.index, PROB_COLUMNS].to_numpy(), atol=1e-5)
