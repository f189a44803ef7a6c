"""stage=train / evaluate / predict in this process on synthetic herbaria: a tiny IELT learns the species; a
crashed run resumes onto the uninterrupted loss curve; the outputs the OCR stage and the report read; bad input."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from conftest import run_cli
from synthstore import build_synth_run

from herbproc.config import ConfigError, compose, plain
from herbproc.ielt import evaluate as evaluate_stage
from herbproc.ielt import predict as predict_stage
from herbproc.ielt import train as train_stage
from herbproc.shard import ShardError, execute_shard
from herbproc.training.checkpoint import load_model

# A tiny IELT (64 px crops, width 64) from scratch. World 12: five species whose looks differ (leaf shape,
# colour, arrangement); some other worlds hold look-alike pairs a from-scratch ViT this small does not tell
# apart within a CI budget. 80 epochs: validation top-1 reached 0.96-1.0 for training seeds 0-3 (18-25 s).
LEARN = [
    "train.model=tiny",
    "train.ielt.img_size=64",
    "train.ielt.hidden_size=64",
    "train.ielt.mlp_dim=128",
    "train.resize=64",
    "train.batch_size=8",
    "train.epochs=80",
    "train.optimizer=adamw",
    "train.lr=0.003",
    "train.lr_batch=0",
    "train.weight_decay=0.05",
    "train.warmup_epochs=1",
    "train.color_jitter=0.2",
    "train.eval_every=4",
    "train.workers=0",
    "train.checkpoint_every=0",
]
SMALL = [
    "train.model=tiny",
    "train.resize=32",
    "train.batch_size=4",
    "train.epochs=4",
    "train.optimizer=sgd",
    "train.lr=0.05",
    "train.lr_batch=0",
    "train.workers=0",
    "train.checkpoint_every=4",
    "train.update_warm_epochs=1",
]


def config(run: Path, stage: str, *overrides: str):
    return plain(
        compose([f"stage={stage}", f"run_dir={run}", "stage.cpus=1", "progress_interval_s=5", *overrides])
    )


def steps(run: Path) -> list[dict[str, str]]:
    with open(run / "train" / "steps.csv", newline="") as f:
        return list(csv.DictReader(f))


def copy_run(src: Path, dst: Path) -> Path:
    dst.mkdir(parents=True)
    for name in ("manifest.parquet", "classes.csv"):
        shutil.copyfile(src / name, dst / name)
    shutil.copytree(src / "store", dst / "store")
    return dst


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    run = build_synth_run(tmp_path_factory.mktemp("learn") / "run", species=5, sheets_per_species=24,
                          canvas=(120, 80), seed=12)  # fmt: skip
    execute_shard(config(run, "train", *LEARN), 0)
    return run


@pytest.fixture(scope="module")
def small_world(tmp_path_factory) -> Path:
    # 24 training sheets: 6 steps per epoch at batch 4
    return build_synth_run(tmp_path_factory.mktemp("small") / "base", species=3, sheets_per_species=12,
                           canvas=(48, 32), seed=3)  # fmt: skip


# --------------------------------------------------------------------------------------------- learning


def test_tiny_ielt_learns_the_synthetic_species(trained):
    metrics = json.loads((trained / "train" / "metrics.json").read_text())
    epochs = metrics["epochs"]
    assert len(epochs) == 80 and metrics["variant"] == "masked" and metrics["classes"] == 5
    evaluated = [e for e in epochs if e["val_top1"] is not None]
    assert len(evaluated) == 20, "validation every 4 epochs"
    assert metrics["best"]["val_top1"] >= 0.9, [e["val_top1"] for e in evaluated]
    assert evaluated[-1]["val_top1"] >= 0.9, [e["val_top1"] for e in evaluated]
    assert epochs[-1]["train_loss"] < 0.5 * epochs[0]["train_loss"]
    rows = list(csv.DictReader(open(trained / "train" / "metrics.csv")))
    assert [int(r["epoch"]) for r in rows] == list(range(1, 81))
    assert len(steps(trained)) == epochs[-1]["steps"]
    model, meta = load_model(trained / "train" / "model.pt")
    assert meta["epoch"] == metrics["best"]["epoch"] and meta["variant"] == "masked"
    assert meta["classes"]["names"] == pd.read_csv(trained / "classes.csv")["name"].tolist()
    assert (trained / "state" / "train" / "shards" / "shard-00000.done.json").exists()


def test_evaluate_scores_the_test_split(trained):
    execute_shard(config(trained, "evaluate", "evaluate.workers=0"), 0)
    out = trained / "evaluate"
    m = json.loads((out / "metrics.json").read_text())
    manifest = pd.read_parquet(trained / "manifest.parquet")
    n_test = int((manifest["split"] == "test").sum())
    assert m["images"] == n_test and m["split"] == "test"
    assert m["top1"] >= 0.8, m
    assert m["top1"] <= m["topk"] and 0 <= m["ece"] <= 1
    assert m["level_accuracy"]["species"] == pytest.approx(m["top1"])
    assert m["level_accuracy"]["family"] >= m["level_accuracy"]["genus"] >= m["level_accuracy"]["species"]
    preds = pd.read_parquet(out / "predictions.parquet")
    assert len(preds) == n_test
    assert (preds["pred"] == preds["topk_labels"].map(lambda v: v[0])).all()
    assert (preds["correct"] == (preds["pred"] == preds["label"])).all()
    assert preds["correct"].mean() == pytest.approx(m["top1"])
    cm = np.load(out / "confusion.npy")
    assert cm.shape == (5, 5) and cm.sum() == n_test and np.trace(cm) == preds["correct"].sum()
    per_class = pd.read_csv(out / "per_class.csv")
    assert len(per_class) == 5 and per_class["support"].sum() == n_test
    for name in ("confusion.png", "reliability.png"):
        assert (out / name).stat().st_size > 1000


def test_predict_writes_the_taxon_prior_table(trained):
    cfg = config(trained, "predict", "shards=2", "predict.workers=1", "predict.batch_size=16")
    for shard in (0, 1):
        execute_shard(cfg, shard)  # the second one finalizes
    table = pd.read_parquet(trained / "predict" / "predictions.parquet")
    assert list(table.columns[:4]) == ["gbifID", "topk_labels", "topk_names", "topk_probs"]
    manifest = pd.read_parquet(trained / "manifest.parquet")
    assert sorted(table["gbifID"]) == sorted(manifest["gbifID"])
    names = pd.read_csv(trained / "classes.csv")["name"].tolist()
    for labels, tnames, probs in zip(
        table["topk_labels"], table["topk_names"], table["topk_probs"], strict=True
    ):
        assert len(labels) == len(tnames) == len(probs) == 5
        assert [names[i] for i in labels] == list(tnames)
        assert list(probs) == sorted(probs, reverse=True) and 0.99 <= sum(probs) <= 1.01
    assert dict(zip(table["gbifID"], table["split"], strict=True)) == dict(
        zip(manifest["gbifID"], manifest["split"], strict=True)
    )
    if not (trained / "evaluate" / "predictions.parquet").exists():  # run alone, without the evaluate test before it
        execute_shard(config(trained, "evaluate", "evaluate.workers=0"), 0)
    evaluated = pd.read_parquet(trained / "evaluate" / "predictions.parquet").set_index("gbifID")["pred"]
    top1 = table.set_index("gbifID")["topk_labels"].map(lambda v: v[0])
    assert (top1[evaluated.index] == evaluated).all(), "predict and evaluate agree on the test sheets"


def test_predict_an_unlabelled_store_with_this_runs_model(trained, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(trained / "store", other / "store")  # no manifest, no classes.csv: unlabelled
    run = tmp_path / "run"
    (run / "train").mkdir(parents=True)
    shutil.copyfile(trained / "train" / "model.pt", run / "train" / "model.pt")
    cfg = config(run, "predict", f"predict.store={other}", "predict.workers=0")
    predict_stage.validate(cfg)
    execute_shard(cfg, 0)
    table = pd.read_parquet(run / "predict" / "predictions.parquet")
    assert len(table) == 120 and set(table["split"]) == {""}
    with pytest.raises(ConfigError, match="unlabelled store"):
        compose(["stage=predict", f"run_dir={run}", f"predict.store={other}", "predict.split=test"])


def test_report_sections_show_curves_confusion_and_worst_classes(trained, tmp_path):
    execute_shard(config(trained, "evaluate", "evaluate.workers=0"), 0)  # no-ops when the tests above ran
    for shard in (0, 1):
        execute_shard(config(trained, "predict", "shards=2", "predict.workers=0"), shard)
    section = train_stage.report_section(config(trained, "train", *LEARN), tmp_path)
    assert "train_curves.png" in section and (tmp_path / "train_curves.png").exists()
    assert "best validation top-1" in section
    section = evaluate_stage.report_section(config(trained, "evaluate"), tmp_path)
    assert "evaluate_confusion.png" in section and "evaluate_reliability.png" in section
    assert "macro-F1" in section
    if json.loads((trained / "evaluate" / "metrics.json").read_text())["top1"] < 1:
        assert "Worst classes" in section and list(tmp_path.glob("evaluate_class*.jpg")), (
            "misclassified sheets shown"
        )
    else:
        assert "classified correctly" in section
    for name in ("evaluate_confusion.png", "evaluate_reliability.png"):
        assert (tmp_path / name).exists()
    section = predict_stage.report_section(config(trained, "predict"), tmp_path)
    assert "predictions.parquet" in section and "top-1 species" in section


# --------------------------------------------------------------------------------------------- resume


def test_crashed_run_resumes_onto_the_uninterrupted_curve(small_world, tmp_path, monkeypatch):
    reference, run = copy_run(small_world, tmp_path / "ref"), copy_run(small_world, tmp_path / "run")
    execute_shard(config(reference, "train", *SMALL), 0)

    real_after = train_stage.Trainer._after_step

    def crash_at_step_10(self, n):
        real_after(self, n)
        if self.global_step == 10:
            raise KeyboardInterrupt("simulated kill")

    monkeypatch.setattr(train_stage.Trainer, "_after_step", crash_at_step_10)
    with pytest.raises(KeyboardInterrupt):
        execute_shard(config(run, "train", *SMALL), 0)
    monkeypatch.setattr(train_stage.Trainer, "_after_step", real_after)
    ckpts = sorted(p.name for p in (run / "train" / "checkpoints").iterdir())
    assert ckpts == ["ckpt-00000006.pt", "ckpt-00000008.pt"], "periodic at 4 and 8, epoch end at 6; keep 2"
    assert len(steps(run)) == 10, "steps 9 and 10 were logged, then lost with the crash"
    execute_shard(config(run, "train", *SMALL), 0)

    got, want = steps(run), steps(reference)
    assert [r["step"] for r in got] == [str(i) for i in range(1, len(want) + 1)]
    assert got == want, "every step's loss, lr and accuracy equal the uninterrupted run's"
    a = torch.load(run / "train" / "model.pt", weights_only=True)["model"]
    b = torch.load(reference / "train" / "model.pt", weights_only=True)["model"]
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_resume_skips_a_damaged_newest_checkpoint(small_world, tmp_path, monkeypatch, caplog):
    run = copy_run(small_world, tmp_path / "run")
    real_after = train_stage.Trainer._after_step

    def crash_at_step_9(self, n):
        real_after(self, n)
        if self.global_step == 9:
            raise KeyboardInterrupt("simulated kill")

    monkeypatch.setattr(train_stage.Trainer, "_after_step", crash_at_step_9)
    with pytest.raises(KeyboardInterrupt):
        execute_shard(config(run, "train", *SMALL), 0)
    monkeypatch.undo()
    (run / "train" / "checkpoints" / "ckpt-00000008.pt").write_bytes(b"torn")
    with caplog.at_level("INFO"):
        execute_shard(config(run, "train", *SMALL), 0)
    assert "skipping damaged checkpoint" in caplog.text
    assert "resumed from ckpt-00000006.pt" in caplog.text
    assert [r["step"] for r in steps(run)] == [str(i) for i in range(1, 25)]


def test_changed_model_settings_do_not_silently_restart(small_world, tmp_path):
    run = copy_run(small_world, tmp_path / "run")
    execute_shard(config(run, "train", *SMALL, "train.max_steps=5"), 0)
    (run / "state" / "train" / "shards" / "shard-00000.done.json").unlink()
    with pytest.raises(ShardError, match="does not fit this model"):
        execute_shard(config(run, "train", *SMALL, "train.ielt.hidden_size=48"), 0)
    assert (run / "train" / "checkpoints" / "ckpt-00000005.pt").exists(), "the checkpoint is kept"


def test_family_and_genus_heads(small_world, tmp_path):
    run = copy_run(small_world, tmp_path / "run")
    execute_shard(config(run, "train", *SMALL, "train.levels=[family,genus]", "train.epochs=2"), 0)
    model, meta = load_model(run / "train" / "model.pt")
    classes = pd.read_csv(run / "classes.csv")
    assert meta["level_sizes"] == {"family": classes["family"].nunique(), "genus": classes["genus"].nunique()}
    assert model.levels == ["family", "genus"]
    execute_shard(config(run, "evaluate", "evaluate.workers=0", "evaluate.split=all"), 0)
    m = json.loads((run / "evaluate" / "metrics.json").read_text())
    assert set(m["head_accuracy"]) == {"family", "genus"}
    assert all(0 <= v <= 1 for v in m["head_accuracy"].values())


# --------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("train.optimizer=adam", "train.optimizer"),
        ("train.precision=fp8", "train.precision"),
        ("train.levels=[order]", "train.levels"),
        ("train.epochs=0", "train.epochs"),
        ("train.lr=0", "train.lr"),
        ("train.resize=16", "resize"),
        ("train.ielt.depth=3", "select_init"),
        ("train.ielt.foo=1", "unknown key 'train.ielt.foo'"),
        ("train.model=vit_huge", "unknown IELT preset"),
        ("train.pretrained=/nonexistent/ViT-B_16.npz", "train.pretrained"),
        ("train.device=tpu", "train.device"),
        ("train.min_class_sheets=0", "train.min_class_sheets"),
        ("train.require_pretrained=true", "missing required value 'train.pretrained'"),
    ],
)
def test_bad_train_settings_are_one_clear_error(small_world, override, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        compose(["stage=train", f"run_dir={small_world}", "train.model=tiny", override])


def test_missing_or_unmasked_inputs_are_refused_before_training(small_world, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ConfigError, match="stage=ingest"):
        compose(["stage=train", f"run_dir={empty}"])
    shutil.copyfile(small_world / "classes.csv", empty / "classes.csv")
    with pytest.raises(ConfigError, match="stage=download"):
        compose(["stage=train", f"run_dir={empty}"])
    raw = tmp_path / "raw"
    build_synth_run(raw, species=2, sheets_per_species=3, canvas=(48, 32), masked=False)
    with pytest.raises(ConfigError, match="train.use_masked=false"):
        compose(["stage=train", f"run_dir={raw}"])
    compose(["stage=train", f"run_dir={raw}", "train.use_masked=false"])  # accepted


def test_launch_refuses_and_writes_nothing(tmp_path):
    proc = run_cli("launch", "stage=train", f"run_dir={tmp_path}", "train.optimizer=rmsprop")
    assert proc.returncode == 2 and "train.optimizer" in proc.stderr
    proc = run_cli("launch", "stage=evaluate", f"run_dir={tmp_path}")
    assert proc.returncode == 2 and "run stage=train first" in proc.stderr
    assert list(tmp_path.iterdir()) == [], "nothing written"


def test_bad_evaluate_and_predict_settings(trained, tmp_path):
    for args, message in (
        (["stage=evaluate", "evaluate.split=holdout"], "evaluate.split"),
        (["stage=evaluate", "evaluate.checkpoint=/nonexistent/model.pt"], "does not exist"),
        (["stage=predict", "predict.variant=blurred"], "predict.variant"),
        (["stage=predict", "predict.topk=0"], "predict.topk"),
        (["stage=predict", f"predict.store={tmp_path}"], "holds no image store"),
    ):
        with pytest.raises(ConfigError, match=message):
            compose([*args, f"run_dir={trained}"])


# --------------------------------------------------------------------------------------------- options


def test_progress_lines_and_balanced_sampling(small_world, tmp_path, caplog):
    run = copy_run(small_world, tmp_path / "run")
    with caplog.at_level("INFO"):
        execute_shard(
            config(run, "train", *SMALL, "train.balanced=true", "train.max_steps=4", "progress_interval_s=0"),
            0,
        )
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("[train] epoch 1/4 step")]
    assert len(lines) == 4, lines
    assert all("img/s" in line and "ETA" in line and "lr" in line and "loss" in line for line in lines)
    assert "\r" not in caplog.text
    assert len(steps(run)) == 4


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_and_clipping_on_the_cpu(small_world, tmp_path, precision):
    run = copy_run(small_world, tmp_path / "run")
    execute_shard(config(run, "train", *SMALL, f"train.precision={precision}", "train.grad_clip=1.0",
                         "train.max_steps=6"), 0)  # fmt: skip
    rows = steps(run)
    assert len(rows) == 6 and all(np.isfinite(float(r["loss"])) for r in rows)
    metrics = json.loads((run / "train" / "metrics.json").read_text())
    assert metrics["precision"] == precision
    state = torch.load(run / "train" / "checkpoints" / "ckpt-00000006.pt", weights_only=True)
    assert (state["scaler"] is not None) == (precision == "fp16"), "the GradScaler is checkpointed with fp16"


def test_pretrained_vit_weights_start_the_backbone(small_world, tmp_path):
    from test_ielt_weights import google_npz, write_npz

    from herbproc.ielt import IELT, load_vit_npz, make_config

    cfg = make_config("tiny", num_classes=3)
    path = write_npz(tmp_path, google_npz(cfg, 4, blocks=cfg.depth))
    run = copy_run(small_world, tmp_path / "run")
    trainer = train_stage.Trainer(config(run, "train", *SMALL, f"train.pretrained={path}"))
    expected = load_vit_npz(IELT(cfg), path)
    assert torch.equal(trainer.model.ielt.patch_embed.weight, expected.patch_embed.weight)
    assert torch.equal(trainer.model.ielt.blocks[0].mlp.fc1.weight, expected.blocks[0].mlp.fc1.weight)
    assert not trainer.model.ielt.head.weight.any(), "head zeroed, as the official load_from"


def run_group(cmd: list[str], timeout: float, **kwargs):
    """``subprocess.run`` in its own process group; on a time-out the whole group (the ranks too) is killed."""
    import os
    import signal
    import subprocess

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            **kwargs)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def test_torchrun_two_ranks_and_the_in_process_runner(small_world, tmp_path):
    import sys

    run = copy_run(small_world, tmp_path / "run")
    args = [f"run_dir={run}", "stage.cpus=1", *SMALL, "train.epochs=2"]
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
           "-m", "herbproc.ielt.run", "stage=train", *args]  # fmt: skip
    proc = run_group(cmd, 240, cwd=run)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "rank 1/2" in proc.stderr and "backend gloo" in proc.stderr
    rows = steps(run)
    assert len(rows) == 6 and {r["images"] for r in rows} == {"8"}, "2 ranks x batch 4, 3 steps per epoch"
    assert (run / "config" / "train.yaml").exists() and (run / "state" / "train" / "plan.json").exists()
    assert (run / "state" / "train" / "shards" / "shard-00000.done.json").exists()
    run_py = [sys.executable, "-m", "herbproc.ielt.run"]
    proc = run_group([*run_py, "stage=evaluate", f"run_dir={run}", "evaluate.workers=0"], 240)
    assert proc.returncode == 0 and (run / "evaluate" / "metrics.json").exists(), proc.stderr[-2000:]
    proc = run_group([*run_py, "stage=noop", f"run_dir={run}"], 120)
    assert proc.returncode == 2 and "runs train, evaluate, predict" in proc.stderr
    proc = run_group([*run_py, "stage=train", f"run_dir={run}", "train.optimizer=lion"], 120)
    assert proc.returncode == 2 and "train.optimizer" in proc.stderr


def test_predict_resumes_a_shard_from_its_journal(trained, tmp_path, caplog):
    run = tmp_path / "run"
    (run / "train").mkdir(parents=True)
    shutil.copyfile(trained / "train" / "model.pt", run / "train" / "model.pt")
    cfg = config(run, "predict", f"predict.store={trained}", "predict.workers=1", "predict.batch_size=16")
    execute_shard(cfg, 0)
    whole = pd.read_parquet(run / "predict" / "predictions.parquet")
    shards = run / "state" / "predict" / "shards"
    (shards / "shard-00000.done.json").unlink()
    journal = shards / "shard-00000.items.jsonl"
    lines = journal.read_text().splitlines(keepends=True)
    fiftieth = [i for i, line in enumerate(lines) if '"status": "ok"' in line][49]
    journal.write_text("".join(lines[: fiftieth + 1]))  # killed after 50 sheets
    with caplog.at_level("INFO"):
        execute_shard(cfg, 0)
    assert "50 already finished, 70 to do" in caplog.text
    again = pd.read_parquet(run / "predict" / "predictions.parquet")
    # the resumed shard batches its 70 sheets differently: probabilities may differ in the last rounded digit
    pd.testing.assert_frame_equal(again.drop(columns="topk_probs"), whole.drop(columns="topk_probs"))
    np.testing.assert_allclose(np.stack(again["topk_probs"]), np.stack(whole["topk_probs"]), atol=1e-5)
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    ids = [e["id"] for e in entries if e["status"] == "ok"]
    assert len(ids) == len(set(ids)) == 120, "each sheet journaled once"


def test_a_run_without_validation_or_test_sheets(small_world, tmp_path):
    """Tiny worlds (the demo's smallest) may have no val / test sheet: training keeps the last epoch and
    evaluate says there is nothing to evaluate instead of failing the pipeline."""
    run = copy_run(small_world, tmp_path / "run")
    manifest = pd.read_parquet(run / "manifest.parquet")
    manifest["split"] = "train"
    manifest.to_parquet(run / "manifest.parquet", index=False)
    execute_shard(config(run, "train", *SMALL, "train.epochs=2"), 0)
    metrics = json.loads((run / "train" / "metrics.json").read_text())
    assert metrics["val_images"] == 0 and metrics["best"] is None
    assert metrics["final"]["model"] == "last epoch" and (run / "train" / "model.pt").exists()
    result = execute_shard(config(run, "evaluate", "evaluate.workers=0"), 0)
    assert result.items == 0
    m = json.loads((run / "evaluate" / "metrics.json").read_text())
    assert m["images"] == 0 and "nothing to evaluate" in m["note"]
    assert "nothing to evaluate" in evaluate_stage.report_section(config(run, "evaluate"), tmp_path)


def test_resume_with_another_batch_size_continues_the_epoch(small_world, tmp_path, monkeypatch, caplog):
    run = copy_run(small_world, tmp_path / "run")
    real_after = train_stage.Trainer._after_step

    def crash_at_step_10(self, n):
        real_after(self, n)
        if self.global_step == 10:
            raise KeyboardInterrupt("simulated kill")

    monkeypatch.setattr(train_stage.Trainer, "_after_step", crash_at_step_10)
    with pytest.raises(KeyboardInterrupt):
        execute_shard(config(run, "train", *SMALL), 0)  # batch 4: 6 steps per epoch; checkpoint at step 8
    monkeypatch.undo()
    with caplog.at_level("INFO"):
        execute_shard(config(run, "train", *SMALL, "train.batch_size=8"), 0)  # 3 steps per epoch
    assert "continues at step 1" in caplog.text, "8 sheets of epoch 2 seen = 1 step of 8"
    assert "global step 4/12" in caplog.text
    rows = steps(run)
    assert [int(r["step"]) for r in rows] == list(range(1, 13)) and rows[-1]["images"] == "8"
    assert json.loads((run / "train" / "metrics.json").read_text())["epochs"][-1]["epoch"] == 4
