"""stage=phenology on synthetic worlds: per-label accuracy, and what the abstain threshold buys (coverage and
accuracy at the threshold against accuracy when every sheet is predicted), with the stage's wall time.

    python bench/phenology.py                                   # the CI world and two harder ones, spotnet
    python bench/phenology.py --img 128 --epochs 40 --worlds demo
    python bench/phenology.py --model test_convnext --img 96

Worlds (``--worlds``): ``berries`` (2 taxa with berries, seed 194, no dark margin: the test world), ``mixed``
(5 taxa, seed 3: berries, an achene head and a pod), ``pods`` (5 taxa, seed 12: pods, capsules, achenes; the
IELT tests' world), ``demo`` (the demo's 6 x 8 sheets of 1500 x 2250 px at the store's 900 x 600 geometry).
Accuracy "vs truth" is against what each sheet shows (the synthetic ground truth), over every sheet; the
coverage / accuracy pairs are at the threshold chosen on the validation split for 95 %.
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

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the synthetic-run builder the tests use

from synthstore import build_synth_run  # noqa: E402

from herbproc.config import compose, plain  # noqa: E402
from herbproc.shard import execute_shard  # noqa: E402

WORLDS = {
    "berries": {"species": 2, "sheets_per_species": 60, "seed": 194, "canvas": (144, 96),
                "synth": {"background_margin": 0}},
    "mixed": {"species": 5, "sheets_per_species": 24, "seed": 3, "canvas": (144, 96)},
    "pods": {"species": 5, "sheets_per_species": 24, "seed": 12, "canvas": (144, 96)},
    "seed1": {"species": 6, "sheets_per_species": 20, "seed": 1, "canvas": (144, 96)},
    "seed2": {"species": 4, "sheets_per_species": 30, "seed": 2, "canvas": (144, 96)},
    "seed5": {"species": 10, "sheets_per_species": 12, "seed": 5, "canvas": (144, 96)},
    "demo": {"species": 6, "sheets_per_species": 8, "seed": 0, "canvas": (900, 600), "sheet_size": (2250, 1500),
             "codec": "jpeg"},
}  # fmt: skip


def pct(v) -> str:
    return "–" if v is None else f"{100 * v:.0f}%"


def run_world(name: str, args: argparse.Namespace, base: Path) -> dict:
    spec = dict(WORLDS[name])
    world = base / f"world-{name}"
    t0 = time.perf_counter()
    if not (world / "manifest.parquet").exists():
        build_synth_run(world, truth=True, **spec)
    built = time.perf_counter() - t0
    run = base / f"run-{name}"
    shutil.rmtree(run, ignore_errors=True)
    shutil.copytree(world, run)
    cfg = plain(compose([
        "stage=phenology", f"run_dir={run}", f"stage.cpus={args.threads}", f"train.threads={args.threads}",
        "progress_interval_s=3600", f"phenology.model={args.model}", f"phenology.img_size={args.img}",
        f"phenology.epochs={args.epochs}", "phenology.batch_size=8", f"phenology.lr={args.lr}",
        "phenology.eval_every=5", "phenology.workers=0", "phenology.checkpoint_every=0", f"seed={args.seed}",
    ]))  # fmt: skip
    t0 = time.perf_counter()
    execute_shard(cfg, 0)
    seconds = time.perf_counter() - t0
    summary = json.loads((run / "phenology" / "summary.json").read_text())
    return {"world": name, "sheets": summary["sheets"], "build_s": built, "stage_s": seconds, **summary}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--worlds", nargs="+", default=["berries", "mixed", "pods"], choices=sorted(WORLDS))
    p.add_argument("--model", default="spotnet")
    p.add_argument("--img", type=int, default=96, help="view width (height x 1.5)")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--lr", type=float, default=0.003)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--dir", type=Path, default=None, help="keep worlds and runs here (default: a temp folder)"
    )
    args = p.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="herbproc-bench-phenology-"))
    print(f"# {platform.node()} {platform.machine()}, {args.model} {args.img} px wide, {args.epochs} epochs, "
          f"seed {args.seed}")  # fmt: skip
    print(
        "| world | sheets | stage s | val fl / fr / bu | vs truth fl / fr / bu | test: coverage, accuracy "
        "(all sheets) | truth: coverage, accuracy (all sheets) |"
    )
    print("|---|---:|---:|---|---|---|---|")
    for name in args.worlds:
        r = run_world(name, args, base)
        val = r["splits"].get("val", {}).get("per_label", {})
        truth = r.get("truth", {}).get("all", {})
        test = r["splits"].get("test", {})
        per = " / ".join(pct(val.get(k)) for k in ("flowers", "fruits", "buds"))
        tru = " / ".join(pct(truth.get("per_label", {}).get(k)) for k in ("flowers", "fruits", "buds"))
        print(f"| {name} | {r['sheets']} | {r['stage_s']:.1f} | {per} | {tru} | {pct(test.get('coverage'))}, "
              f"{pct(test.get('accuracy'))} ({pct(test.get('accuracy_all'))}) | {pct(truth.get('coverage'))}, "
              f"{pct(truth.get('accuracy'))} ({pct(truth.get('accuracy_all'))}) |", flush=True)  # fmt: skip
    if args.dir is None:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
