"""The trainer's pipeline overhead: stage=train (store reads, decode, views, loader, step logging, checkpoints)
against the bare model step (forward + loss + backward + optimizer + DSM on a batch already in memory), same
model, batch, optimizer and threads, in one run.

    python bench/train.py                                  # tiny IELT, 64 px, CPU, workers 0 and 1
    python bench/train.py --workers 0 2 --batch 32 --threads 2
    python bench/train.py --canvas 900x600 --codec jpeg          # the store's real geometry and codec
    python bench/train.py --run-dir runs/x --keep          # an existing labelled run (its store is read, not changed)
    python bench/train.py --device cuda --precision bf16 --model vit_b16_448 --canvas 900x600 --codec jpeg \
        --batch 32 --workers 8 --threads 2                 # ViT-B/16 IELT at 448 px on a GPU

Prints training images per second of each and the ratio trainer / bare step. The trainer figure is the training
phase of the epochs after the first (``train/metrics.csv``: images / seconds); "whole run" adds validation and
the epoch checkpoints.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the synthetic-run builder the tests use

from synthstore import build_synth_run  # noqa: E402

from herbproc.classes import load_classes  # noqa: E402
from herbproc.config import compose, plain  # noqa: E402
from herbproc.models.heads import build_classifier, level_targets  # noqa: E402
from herbproc.training.data import Normalizer  # noqa: E402
from herbproc.training.schedule import make_optimizer  # noqa: E402
from herbproc.training.trainer import Trainer, train_settings  # noqa: E402


def settings(args: argparse.Namespace, run: Path, workers: int) -> list[str]:
    model = (
        [f"train.model={args.model}"]
        if args.model != "tiny"
        else [
            "train.model=tiny",
            f"train.ielt.img_size={args.img}",
            f"train.ielt.hidden_size={args.width}",
            f"train.ielt.mlp_dim={2 * args.width}",
        ]
    )
    resize = [f"train.resize={args.resize or args.img}"] if args.model == "tiny" or args.resize else []
    return [
        "stage=train",
        f"run_dir={run}",
        f"stage.cpus={args.threads}",
        f"train.threads={args.threads}",
        f"train.device={args.device}",
        f"train.precision={args.precision}",
        *model,
        *resize,
        f"train.batch_size={args.batch}",
        f"train.epochs={args.epochs}",
        f"train.eval_every={args.epochs}",
        "train.optimizer=adamw",
        "train.lr=0.003",
        "train.lr_batch=0",
        f"train.workers={workers}",
        "train.checkpoint_every=0",
        "progress_interval_s=3600",
    ]


def trainer_rate(args: argparse.Namespace, base: Path, workers: int) -> tuple[float, float]:
    """(training-phase img/s over epochs 2.., whole-run img/s) of the real trainer."""
    for sub in ("train", "state/train"):
        shutil.rmtree(base / sub, ignore_errors=True)
    cfg = plain(compose(settings(args, base, workers)))
    trainer = Trainer(cfg)
    t0 = time.perf_counter()
    trainer.run()
    wall = time.perf_counter() - t0
    trainer.close()
    epochs = json.loads((base / "train" / "metrics.json").read_text())["epochs"]
    later = epochs[1:] or epochs
    images = sum(e["images_per_s"] * e["seconds"] for e in later)
    seconds = sum(e["seconds"] for e in later)
    total = sum(e["images_per_s"] * e["seconds"] for e in epochs)
    return images / seconds, total / wall


def bare_rate(args: argparse.Namespace, base: Path, steps: int) -> float:
    """img/s of the model step alone, on one uint8 batch kept in memory (normalised each step, as the trainer)."""
    cfg = plain(compose(settings(args, base, 0)))
    classes = load_classes(base)
    device = torch.device(args.device)
    model = build_classifier(train_settings(cfg).model_spec(), classes.num_classes, update_warm=0).to(device).train()
    optimizer = make_optimizer(model.parameters(), cfg.train, 0.003, device)
    normalize = Normalizer(device)
    generator = torch.Generator().manual_seed(0)
    size = model.ielt.config.img_size
    images = torch.randint(0, 256, (args.batch, 3, size, size), dtype=torch.uint8, generator=generator)
    images = images.pin_memory() if device.type == "cuda" else images  # as the trainer's loader hands them over
    target = torch.randint(0, classes.num_classes, (args.batch,), generator=generator).to(device)
    dtype = {"bf16": torch.bfloat16}.get(args.precision)

    def step() -> None:
        with torch.autocast(device.type, dtype=dtype or torch.float32, enabled=dtype is not None):
            out = model(normalize(images))
            loss = model.criterion(out, target, level_targets(target, {}))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        model.ielt.dsm_step(out.ielt.final_idx)

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize()

    for _ in range(15 if device.type == "cuda" else 5):  # on an H200, 5 warm-up steps left the timing ~half speed
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    sync()
    return steps * args.batch / (time.perf_counter() - t0)


def feed_rate(base: Path, args: argparse.Namespace, reduced: bool) -> float:
    """img/s of the data feed alone (store read + decode + training view), one process: JPEG copies decoded
    reduced (what the trainer does when the view is much smaller than the stored copy) or whole."""
    from herbproc.training import data as data_mod

    views = data_mod.Views(args.img, args.resize or args.img, 0.4, True)
    dataset = data_mod.split_dataset(base / "store", "train", "masked", views)
    keys = [(i, i) for i in range(len(dataset))]
    original = data_mod.jpeg_reduction
    if not reduced:
        data_mod.jpeg_reduction = lambda *a: 1
    try:
        dataset.__getitems__(keys[: args.batch])
        t0 = time.perf_counter()
        for start in range(0, len(keys), args.batch):
            dataset.__getitems__(keys[start : start + args.batch])
        return len(keys) / (time.perf_counter() - t0)
    finally:
        data_mod.jpeg_reduction = original


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--run-dir", type=Path, help="a labelled run (manifest, classes.csv, store); default: synthetic"
    )
    p.add_argument("--keep", action="store_true", help="keep the synthetic run (printed)")
    p.add_argument("--species", type=int, default=5)
    p.add_argument("--sheets", type=int, default=24, help="sheets per species of the synthetic run")
    p.add_argument("--canvas", default="120x80", help="store canvas HxW of the synthetic run")
    p.add_argument(
        "--codec", default="png", choices=["png", "jpeg", "zstd"], help="store codec of the synthetic run"
    )
    p.add_argument("--img", type=int, default=64, help="crop side (model input)")
    p.add_argument("--resize", type=int, default=0, help="short side before the crop (0: --img)")
    p.add_argument("--width", type=int, default=64, help="hidden size of the tiny IELT")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--workers", type=int, nargs="+", default=[0, 1])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=40, help="steps timed for the bare model")
    p.add_argument("--model", default="tiny", choices=["tiny", "vit_b16_448"], help="IELT preset")
    p.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    args = p.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        p.error("--device cuda: torch sees no GPU here")
    for name in ("species", "sheets", "img", "width", "batch", "epochs", "threads", "steps"):
        if getattr(args, name) < 1:
            p.error(f"--{name} must be at least 1")
    if any(w < 0 for w in args.workers):
        p.error("--workers must be >= 0")
    try:
        height, width = (int(v) for v in args.canvas.lower().split("x"))
    except ValueError:
        p.error(f"--canvas must be HxW, e.g. 120x80, not {args.canvas!r}")
    torch.set_num_threads(args.threads)

    tmp = None
    if args.run_dir:
        if (
            not (args.run_dir / "store" / "layout.json").exists()
            or not (args.run_dir / "classes.csv").exists()
        ):
            p.error(f"--run-dir {args.run_dir}: needs classes.csv, manifest.parquet and store/")
        base = Path(tempfile.mkdtemp(prefix="bench-train-"))
        for name in ("manifest.parquet", "classes.csv"):
            shutil.copyfile(args.run_dir / name, base / name)
        (base / "store").symlink_to((args.run_dir / "store").resolve())
    else:
        tmp = base = Path(tempfile.mkdtemp(prefix="bench-train-"))
        t0 = time.perf_counter()
        build_synth_run(
            base,
            species=args.species,
            sheets_per_species=args.sheets,
            canvas=(height, width),
            codec=args.codec,
        )
        print(f"synthetic run: {args.species} x {args.sheets} sheets, canvas {height}x{width} {args.codec} "
              f"({time.perf_counter() - t0:.1f} s) in {base}")  # fmt: skip
    where = torch.cuda.get_device_name() if args.device == "cuda" else "CPU"
    model = f"tiny IELT width {args.width}, {args.img} px" if args.model == "tiny" else f"IELT {args.model}"
    print(f"{platform.processor() or platform.machine()}, torch {torch.__version__}, threads {args.threads}, "
          f"{model}, batch {args.batch}, AdamW, {args.precision} {where}")  # fmt: skip
    try:
        if args.codec == "jpeg" and not args.run_dir:
            whole, reduced = feed_rate(base, args, False), feed_rate(base, args, True)
            print(f"{'feed, JPEG decoded whole':<34} {whole:8.1f} img/s")
            print(f"{'feed, JPEG decoded reduced':<34} {reduced:8.1f} img/s  ratio {reduced / whole:.2f}")
        bare = bare_rate(args, base, args.steps)
        print(f"{'bare model step':<34} {bare:8.1f} img/s")
        for workers in args.workers:
            phase, whole = trainer_rate(args, base, workers)
            print(f"{f'trainer, workers={workers}':<34} {phase:8.1f} img/s  (whole run {whole:.1f} img/s)  "
                  f"ratio trainer / bare {phase / bare:.2f}")  # fmt: skip
    finally:
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif args.run_dir:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
