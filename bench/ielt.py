"""IELT throughput against its baselines, side by side, same batch / precision / device in one run.

Models: ``ielt`` (herbproc.ielt), ``vit`` (plain timm ViT of the same sizes: the speed ceiling, since IELT runs
depth - 1 backbone blocks plus two short ones) and ``reference`` (tests/ielt_reference.py: the official code's
structure, eager full attention and Python loops over the batch; the official repo itself cannot run here).
Training step = forward + loss + backward + SGD (momentum 0.9, nesterov, as the official recipe); IELT trains
with its official loss and a DSM update every step (``--dsm-warm 0``: the cost after warm-up).

    python bench/ielt.py --config tiny --device cpu --batch 16
    python bench/ielt.py --config vit_b16_448 --device cuda --precision bf16 --batch 32 --compile
    python bench/ielt.py --config vit_b16_448 --device cuda --precision fp16 --batch 32 --compile blocks
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import timm.models.vision_transformer as timm_vit
import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from herbproc.ielt import IELT, IELTConfig, make_config  # noqa: E402

DTYPES = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}


def build(name: str, cfg: IELTConfig) -> torch.nn.Module:
    if name == "ielt":
        return IELT(cfg)
    if name == "vit":
        return timm_vit.VisionTransformer(
            img_size=cfg.img_size,
            patch_size=cfg.patch_size,
            embed_dim=cfg.hidden_size,
            depth=cfg.depth,
            num_heads=cfg.num_heads,
            mlp_ratio=cfg.mlp_dim / cfg.hidden_size,
            num_classes=cfg.num_classes,
        )
    if name == "reference":
        from ielt_reference import build_reference

        return build_reference(cfg)
    raise ValueError(f"--models: unknown model {name!r}; choose from ielt, vit, reference")


def step_fn(name: str, model: torch.nn.Module, compiled: torch.nn.Module) -> tuple[Callable, Callable]:
    """(forward + loss, what runs after the optimizer step), as each model's trainer would run them.

    IELT's DSM step reads the new budgets back to the host (a device sync); after the optimizer step it has
    the same effect as inside the forward pass (the budgets only matter for the next batch) and costs least.
    """
    if name == "ielt":
        pending: list[torch.Tensor] = []

        def ielt_loss(x, y):
            out = compiled(x)
            pending.append(out.final_idx)
            return model.criterion(out, y)

        def ielt_after() -> None:
            model.dsm_step(pending.pop())

        return ielt_loss, ielt_after
    if name == "reference":
        return (lambda x, y: compiled(x, y)[1]), (lambda: None)
    return (lambda x, y: F.cross_entropy(compiled(x), y)), (lambda: None)


def compile_model(name: str, model: torch.nn.Module, how: str, mode: str | None) -> torch.nn.Module:
    if how == "none" or name == "reference":  # the reference is the official eager code path
        return model
    if how == "full":
        return torch.compile(model, mode=mode)
    if name == "ielt":
        return model.compile_blocks(mode=mode)
    for block in model.blocks:  # timm ViT, regional as well
        block.compile(mode=mode)
    return model


def timed(fn: Callable[[], None], device: torch.device, warmup: int, steps: int) -> float:
    for _ in range(warmup):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def run_one(name: str, cfg: IELTConfig, args, device: torch.device) -> dict[str, float]:
    torch.manual_seed(0)
    model = build(name, cfg).to(device)
    compiled = compile_model(name, model, args.compile, args.compile_mode)
    dtype = DTYPES[args.precision]
    autocast = (
        (lambda: torch.autocast(device.type, dtype=dtype)) if dtype is not None else contextlib.nullcontext
    )
    x = torch.randn(args.batch, 3, cfg.img_size, cfg.img_size, device=device)
    y = torch.randint(0, cfg.num_classes, (args.batch,), device=device)
    result: dict[str, float] = {}

    if "train" in args.modes:
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, nesterov=True)
        scaler = torch.amp.GradScaler(device.type, enabled=args.precision == "fp16")
        forward_loss, after_step = step_fn(name, model, compiled)

        def train_step() -> None:
            with autocast():
                loss = forward_loss(x, y)
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
            opt.zero_grad(set_to_none=True)
            after_step()

        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats()
        seconds = timed(train_step, device, args.warmup, args.steps)
        result["train"] = args.batch * args.steps / seconds
        if device.type == "cuda":
            result["train_mem_gib"] = torch.cuda.max_memory_allocated() / 2**30
        del opt, scaler

    if "infer" in args.modes:
        model.eval()

        def infer_step() -> None:
            with torch.inference_mode(), autocast():
                compiled(x)

        seconds = timed(infer_step, device, args.warmup, args.steps)
        result["infer"] = args.batch * args.steps / seconds
    return result


def run_isolated(name: str, cfg: IELTConfig, args, device: torch.device) -> dict[str, float]:
    result = run_one(name, cfg, args, device)
    gc.collect()  # the model is gone with run_one's frame: free its memory before the next model
    if device.type == "cuda":
        torch.cuda.empty_cache()
    return result


def machine(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    model_name = platform.processor() or "cpu"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model_name = line.split(":", 1)[1].strip()
                break
    return f"{model_name}, {torch.get_num_threads()} threads"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--config", default="vit_b16_448", help="IELT preset (vit_b16_448, tiny)")
    parser.add_argument("--num-classes", type=int, default=None)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--precision", choices=sorted(DTYPES), default="fp32")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=10, help="timed iterations per model and mode")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--compile",
        nargs="?",
        const="full",
        default="none",
        choices=["none", "full", "blocks"],
        help="torch.compile ielt and vit (not the reference): the whole model (bare --compile) or each block",
    )
    parser.add_argument("--compile-mode", default=None, help="torch.compile mode, e.g. max-autotune")
    parser.add_argument("--dsm-warm", type=int, default=0, help="IELT update_warm (0: DSM every step)")
    parser.add_argument("--models", default="ielt,vit,reference")
    parser.add_argument("--modes", default="train,infer")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (torch.set_num_threads)")
    parser.add_argument(
        "--repeats", type=int, default=1, help="rounds over all models; the best of each is kept"
    )
    args = parser.parse_args(argv)
    args.modes = args.modes.split(",")
    if args.batch < 1 or args.steps < 1 or args.warmup < 0 or args.repeats < 1:
        parser.error("--batch, --steps and --repeats must be >= 1, --warmup >= 0")
    if args.threads:
        torch.set_num_threads(args.threads)
    overrides = {"update_warm": args.dsm_warm}
    if args.num_classes:
        overrides["num_classes"] = args.num_classes
    try:
        cfg = make_config(args.config, **overrides)
    except ValueError as exc:
        parser.error(str(exc))
    unknown = set(args.models.split(",")) - {"ielt", "vit", "reference"}
    if unknown or not set(args.modes) <= {"train", "infer"}:
        parser.error(
            f"--models from ielt,vit,reference and --modes from train,infer (got {args.models}, {args.modes})"
        )
    device = torch.device(args.device)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True

    names = args.models.split(",")
    print(
        f"# IELT benchmark: config={args.config} ({cfg.img_size}px, hidden {cfg.hidden_size}, depth {cfg.depth})"
    )
    print(f"# device={machine(device)}, precision={args.precision}, batch={args.batch}, steps={args.steps}, "
          f"compile={args.compile}, repeats={args.repeats}, torch {torch.__version__}")  # fmt: skip
    results: dict[str, dict[str, float]] = {}
    for _ in range(args.repeats):  # interleaved rounds, so that a busy moment does not hit one model only
        for name in names:
            t0 = time.perf_counter()
            measured = run_isolated(name, cfg, args, device)
            shown = ", ".join(f"{k} {v:.1f}" for k, v in measured.items())
            print(f"# {name}: {shown} ({time.perf_counter() - t0:.0f} s with compiling)", flush=True)
            for key, value in measured.items():
                best = max if key in ("train", "infer") else min
                results.setdefault(name, {})[key] = best(value, results.get(name, {}).get(key, value))

    print("| model | train img/s | infer img/s |" + (" train peak GiB |" if device.type == "cuda" else ""))
    print("|---|---|---|" + ("---|" if device.type == "cuda" else ""))
    for name, r in results.items():
        mem = f" {r.get('train_mem_gib', float('nan')):.1f} |" if device.type == "cuda" else ""
        print(f"| {name} | {r.get('train', float('nan')):.2f} | {r.get('infer', float('nan')):.2f} |{mem}")
    if "ielt" in results:
        for base in ("vit", "reference"):
            if base in results:
                for mode in args.modes:
                    ratio = results["ielt"][mode] / results[base][mode]
                    print(f"ratio ielt/{base} {mode}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
