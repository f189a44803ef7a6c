"""The trainer's parts: sampler, views, schedule, checkpoints, safe points, metrics, class table, settings."""

from __future__ import annotations

import os
import random
import signal

import numpy as np
import pandas as pd
import pytest
import torch

from herbproc.classes import ClassTable, load_classes
from herbproc.models.heads import build_classifier
from herbproc.training.checkpoint import (
    CheckpointError,
    checkpoint_path,
    latest,
    list_checkpoints,
    load_model,
    prune,
    read,
    rng_state,
    save_atomic,
    save_model,
    set_rng_state,
)
from herbproc.training.data import Views
from herbproc.training.metrics import (
    calibration,
    confusion,
    counts_from_confusion,
    f1_counts,
    per_class_accuracy,
)
from herbproc.training.safepoint import SafePoints
from herbproc.training.sampler import TrainSampler, eval_shard
from herbproc.training.schedule import CosineSchedule, scaled_lr

# --------------------------------------------------------------------------------------------- sampler


def flat(batches) -> list[tuple[int, int]]:
    return [key for batch in batches for key in batch]


def test_ranks_share_each_epoch_and_every_sample_is_seen():
    labels = np.arange(23) % 4
    ranks = [TrainSampler(labels, batch_size=4, rank=r, world=3, seed=5) for r in range(3)]
    assert {s.steps_per_epoch for s in ranks} == {2}  # ceil(ceil(23/3) / 4)
    keys = [flat(s.batches(epoch=2)) for s in ranks]
    assert [len(k) for k in keys] == [8, 8, 8], "every rank gets the same number of samples (padded)"
    indices = [i for k in keys for i, _ in k]
    assert set(indices) == set(range(23)) and len(indices) == 24
    seeds = [s for k in keys for _, s in k]
    assert len(set(seeds)) == 24, "each position of the epoch has its own augmentation seed"


def test_epoch_order_is_a_function_of_seed_and_epoch():
    labels = np.zeros(50, dtype=np.int64)
    a, b = TrainSampler(labels, batch_size=5, seed=1), TrainSampler(labels, batch_size=5, seed=1)
    assert flat(a.batches(3)) == flat(b.batches(3))
    assert flat(a.batches(3)) != flat(a.batches(4))
    assert flat(a.batches(3)) != flat(TrainSampler(labels, batch_size=5, seed=2).batches(3))


def test_resuming_mid_epoch_yields_the_remaining_batches_unchanged():
    s = TrainSampler(np.arange(40) % 3, batch_size=4, rank=1, world=2, seed=9)
    whole = list(s.batches(7))
    assert list(s.batches(7, start_step=3)) == whole[3:]
    assert len(s.batches(7, start_step=s.steps_per_epoch)) == 0
    with pytest.raises(ValueError, match="start_step"):
        s.batches(7, start_step=s.steps_per_epoch + 1)


def test_balanced_sampling_evens_out_the_classes():
    labels = np.array([0] * 90 + [1] * 10)
    plain = [i for i, _ in flat(TrainSampler(labels, batch_size=10, seed=0).batches(0))]
    balanced = [
        i
        for e in range(5)
        for i, _ in flat(TrainSampler(labels, batch_size=10, seed=0, balanced=True).batches(e))
    ]
    assert np.mean(labels[plain] == 1) == pytest.approx(0.1)
    assert 0.4 < np.mean(labels[balanced] == 1) < 0.6


def test_sampler_refuses_bad_input():
    with pytest.raises(ValueError, match="empty"):
        TrainSampler(np.array([], dtype=np.int64), batch_size=2)
    with pytest.raises(ValueError, match="batch_size"):
        TrainSampler(np.zeros(3), batch_size=0)
    with pytest.raises(ValueError, match="rank"):
        TrainSampler(np.zeros(3), batch_size=1, rank=2, world=2)


def test_eval_shards_cover_each_sample_once():
    parts = [eval_shard(11, r, 3) for r in range(3)]
    assert sorted(np.concatenate(parts).tolist()) == list(range(11))


# --------------------------------------------------------------------------------------------- views


def test_training_view_is_random_per_seed_and_repeatable():
    image = torch.randint(0, 256, (3, 90, 60), dtype=torch.uint8)
    views = Views(crop=32, resize=40, jitter=0.4)
    a, b, c = views.train(image, 11), views.train(image, 11), views.train(image, 12)
    assert a.shape == (3, 32, 32) and a.dtype == torch.uint8
    assert torch.equal(a, b) and not torch.equal(a, c)
    outs = {views.train(image, s).float().mean().item() for s in range(8)}
    assert len(outs) > 4, "crops, flips and jitter vary with the seed"


def test_test_view_is_the_centre_crop_of_the_resized_image():
    image = torch.arange(3 * 12 * 8, dtype=torch.uint8).reshape(3, 12, 8)
    view = Views(crop=8, resize=8).test(image)
    assert torch.equal(view, image[:, 2:10, :])


def test_views_refuse_a_resize_below_the_crop():
    with pytest.raises(ValueError, match="resize"):
        Views(crop=64, resize=48)
    with pytest.raises(ValueError, match="color_jitter"):
        Views(crop=8, resize=8, jitter=1.5)


# --------------------------------------------------------------------------------------------- schedule


def test_cosine_schedule_with_warmup():
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = CosineSchedule(
        opt, base_lr=0.1, total_steps=110, warmup_steps=10, min_lr=0.001, warmup_scale=0.01
    )
    lrs = []
    for _ in range(111):
        lrs.append(opt.param_groups[0]["lr"])
        sched.step()
    assert lrs[0] == pytest.approx(0.001)
    assert lrs[10] == pytest.approx(0.1)
    assert lrs[60] == pytest.approx(0.001 + 0.099 * 0.5)
    assert lrs[110] == pytest.approx(0.001)
    assert all(a <= b for a, b in zip(lrs[:10], lrs[1:11], strict=True))
    assert all(a >= b for a, b in zip(lrs[10:-1], lrs[11:], strict=True))
    again = CosineSchedule(
        opt, base_lr=0.1, total_steps=110, warmup_steps=10, min_lr=0.001, warmup_scale=0.01
    )
    again.load_state_dict({"step_count": 60})
    assert opt.param_groups[0]["lr"] == pytest.approx(lrs[60])
    assert scaled_lr(0.32, 512, 32) == pytest.approx(0.02) and scaled_lr(0.01, 0, 999) == 0.01


# --------------------------------------------------------------------------------------------- checkpoints


class Unpicklable:
    def __reduce__(self):
        raise RuntimeError("cannot pickle this")


def test_atomic_save_leaves_the_old_file_whole_when_writing_fails(tmp_path):
    path = tmp_path / "ckpt-00000001.pt"
    save_atomic({"format": "herbproc-ielt-checkpoint", "value": 1}, path)
    with pytest.raises(RuntimeError, match="cannot pickle"):
        save_atomic({"format": "herbproc-ielt-checkpoint", "value": Unpicklable()}, path)
    assert read(path)["value"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name], "no temporary file left behind"


def test_prune_keeps_the_newest_and_latest_skips_a_damaged_one(tmp_path):
    for step in (3, 6, 9, 12):
        save_atomic({"format": "herbproc-ielt-checkpoint", "step": step}, checkpoint_path(tmp_path, step))
    (tmp_path / ".ckpt-00000015.pt.x.tmp").write_bytes(b"half")
    assert [p.name for p in prune(tmp_path, 2)] == ["ckpt-00000003.pt", "ckpt-00000006.pt"]
    assert [s for s, _ in list_checkpoints(tmp_path)] == [9, 12]
    assert not list(tmp_path.glob(".*.tmp"))
    checkpoint_path(tmp_path, 12).write_bytes(b"not a checkpoint")
    path, state = latest(tmp_path)
    assert path.name == "ckpt-00000009.pt" and state["step"] == 9
    assert latest(tmp_path / "nothing") is None


def test_random_states_round_trip():
    state = rng_state()
    draws = (random.random(), np.random.rand(), torch.rand(1).item())
    set_rng_state(save_and_load(state))
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == draws


def save_and_load(obj):
    import io

    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, weights_only=True)


def test_model_file_round_trip_and_bad_files(tmp_path):
    model = build_classifier("tiny", 3, levels=["genus"], level_sizes={"genus": 2})
    meta = {"views": {"crop": 32, "resize": 40}}
    from herbproc.training.checkpoint import model_meta

    path = save_model(tmp_path / "model.pt", model, model_meta(model, **meta))
    loaded, got = load_model(path)
    assert got["views"] == meta["views"] and loaded.levels == ["genus"]
    x = torch.randn(2, 3, 32, 32)
    model.eval()
    assert torch.equal(loaded(x), model(x))
    (tmp_path / "junk.pt").write_bytes(b"\x00garbage")
    with pytest.raises(CheckpointError, match="cannot be read"):
        load_model(tmp_path / "junk.pt")
    torch.save({"format": "something else"}, tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match="not a herbproc"):
        load_model(tmp_path / "other.pt")
    with pytest.raises(CheckpointError, match="does not exist"):
        load_model(tmp_path / "missing.pt")
    state = torch.load(path, weights_only=True)
    state["meta"]["model_config"]["hidden_size"] = 48
    torch.save(state, tmp_path / "mismatch.pt")
    with pytest.raises(CheckpointError, match="do not fit"):
        load_model(tmp_path / "mismatch.pt")


# --------------------------------------------------------------------------------------------- safe points


def test_warning_signals_wait_for_the_safe_point():
    got: list[int] = []
    previous = signal.signal(signal.SIGUSR2, lambda signum, frame: got.append(signum))
    try:
        with SafePoints() as safe:
            os.kill(os.getpid(), signal.SIGUSR2)
            for _ in range(1000):  # bytecodes run: a plain handler would have run by now
                pass
            assert got == [] and safe.pending == [signal.SIGUSR2]
            safe.deliver()
            assert got == [signal.SIGUSR2] and safe.pending == []
        os.kill(os.getpid(), signal.SIGUSR2)
        assert got == [signal.SIGUSR2, signal.SIGUSR2], "the job's handler is back after training"
    finally:
        signal.signal(signal.SIGUSR2, previous)


# --------------------------------------------------------------------------------------------- metrics


def test_macro_f1_and_confusion_match_scikit_learn():
    from sklearn.metrics import confusion_matrix, f1_score

    rng = np.random.default_rng(0)
    y = rng.integers(0, 6, 300)
    pred = np.where(rng.random(300) < 0.6, y, rng.integers(0, 7, 300))  # class 6 only ever predicted
    cm = confusion(y, pred, 7)
    assert np.array_equal(cm, confusion_matrix(y, pred, labels=range(7)))
    macro, per_class = f1_counts(*counts_from_confusion(cm))
    assert macro == pytest.approx(f1_score(y, pred, average="macro"))
    assert per_class[:6] == pytest.approx(f1_score(y, pred, average=None, labels=range(6)))
    acc = per_class_accuracy(confusion(np.array([0, 0, 1]), np.array([0, 1, 1]), 3))
    assert acc[0] == 0.5 and acc[1] == 1.0 and np.isnan(acc[2])


def test_expected_calibration_error():
    conf = np.array([0.95, 0.95, 0.95, 0.95, 0.55, 0.55])
    correct = np.array([1, 1, 1, 0, 1, 0])
    cal = calibration(conf, correct, bins=10)
    # bin 0.9-1.0: acc 0.75, conf 0.95 (4 of 6); bin 0.5-0.6: acc 0.5, conf 0.55 (2 of 6)
    assert cal.ece == pytest.approx(4 / 6 * 0.2 + 2 / 6 * 0.05)
    assert cal.bin_count.sum() == 6 and cal.bin_count[9] == 4
    assert calibration(np.array([1.0, 0.0]), np.array([1, 0]), bins=5).ece == pytest.approx(0.0)


# --------------------------------------------------------------------------------------------- class table


def test_class_table_levels_and_errors(tmp_path):
    rows = [(0, "Acer rubrum", "Sapindaceae", "Acer"), (1, "Acer saccharum", "Sapindaceae", "Acer"),
            (2, "Quercus alba", "Fagaceae", "Quercus"), (3, "Odd one", "", "")]  # fmt: skip
    pd.DataFrame(rows, columns=["label", "name", "family", "genus"]).to_csv(
        tmp_path / "classes.csv", index=False
    )
    table = load_classes(tmp_path)
    assert table.num_classes == 4
    assert table.level_names["genus"] == ["(unknown)", "Acer", "Quercus"]
    assert table.level_of["genus"] == [1, 1, 2, 0]
    assert table.level_of["family"] == [2, 2, 1, 0]
    assert ClassTable.from_json(table.to_json()) == table
    pd.DataFrame(rows[1:], columns=["label", "name", "family", "genus"]).to_csv(
        tmp_path / "classes.csv", index=False
    )
    with pytest.raises(ValueError, match="without gaps"):
        load_classes(tmp_path)
    (tmp_path / "classes.csv").write_text("label,name\n0,x\n")
    with pytest.raises(ValueError, match="lacks column"):
        load_classes(tmp_path)
    with pytest.raises(FileNotFoundError, match="stage=ingest"):
        load_classes(tmp_path / "nowhere")


def test_schema_model_overrides_are_ielt_fields():
    import dataclasses

    from herbproc.models.ielt.config import IELTConfig
    from herbproc.schema.train import ModelOverrides

    fields = {f.name for f in dataclasses.fields(ModelOverrides)}
    assert fields <= {f.name for f in dataclasses.fields(IELTConfig)}
    assert not fields & {"num_classes", "update_warm", "in_chans"}, "those come from the data"


def test_large_jpeg_copies_are_decoded_reduced_and_match_a_full_decode(tmp_path):
    from synthstore import build_synth_run

    from herbproc.training.data import jpeg_reduction, split_dataset

    assert [jpeg_reduction("jpeg", 600, r) for r in (64, 150, 300, 600)] == [8, 4, 2, 1]
    assert jpeg_reduction("png", 600, 64) == 1
    run = build_synth_run(tmp_path / "run", species=2, sheets_per_species=2, canvas=(240, 160), codec="jpeg")
    views = Views(crop=32, resize=40)
    dataset = split_dataset(run / "store", None, "masked", views)
    reduced = [item[0] for item in dataset.__getitems__(list(range(len(dataset))))]
    store = dataset.base.store()
    for k, row in enumerate(dataset.rows):
        full = torch.from_numpy(store.image(int(row))).permute(2, 0, 1)
        diff = (views.test(full).float() - reduced[k].float()).abs().mean().item()
        assert reduced[k].shape == (3, 32, 32) and diff < 4.0, diff
